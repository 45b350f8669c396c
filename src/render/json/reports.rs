//! The JSON reports of the other commands (`index`, `docs`, `toc`, `show`,
//! `inspect`, `sync`, `diff`): each command's own output types, built from
//! the library's data — never the index's storage records themselves.

use serde::{Deserialize, Serialize};

use crate::render::page_range;

/// `riskreg index --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildOut {
    pub documents: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Documents whose PDF was read in this build (not from the cache).
    pub extracted: usize,
    /// Nothing had changed: the index was left as it was.
    pub up_to_date: bool,
    pub pages: u64,
    pub chunks: u64,
    pub seconds: f64,
    /// False when nothing could be indexed and the previous index was kept.
    pub swapped: bool,
    /// Why the previous index could not be built upon (it was damaged) and
    /// was rebuilt whole instead; null when it was sound.
    pub repaired: Option<String>,
    /// References the documents make to each other's paragraphs, pages,
    /// chapters, annexes, tables, measures and notes; and how many of them
    /// lead nowhere (`riskreg refs DOC --unresolved` lists them).
    pub references: usize,
    pub unresolved_references: usize,
    pub warnings: Vec<FileMessage>,
    pub failures: Vec<FileMessage>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileMessage {
    pub file: String,
    pub message: String,
}

pub fn build_report(r: &crate::index::BuildReport) -> BuildOut {
    BuildOut {
        documents: r.docs,
        added: r.added,
        changed: r.changed,
        removed: r.removed,
        unchanged: r.unchanged,
        extracted: r.extracted,
        up_to_date: r.up_to_date,
        pages: r.pages,
        chunks: r.chunks,
        seconds: r.seconds,
        swapped: r.swapped,
        repaired: r.repaired.clone(),
        references: r.references,
        unresolved_references: r.unresolved,
        warnings: r.warnings.iter().map(|(f, w)| FileMessage { file: f.clone(), message: w.clone() }).collect(),
        failures: r.failures.iter().map(|f| FileMessage { file: f.file.clone(), message: f.reason.clone() }).collect(),
    }
}

/// `riskreg docs --json` (and `/api/docs`): each indexed document and the
/// files that failed.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocsOut {
    pub documents: Vec<DocOut>,
    pub failures: Vec<FailureOut>,
}

/// One indexed document: `riskreg toc --json` (and `/api/toc/{doc}`), and
/// an entry of `riskreg docs --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocOut {
    pub id: String,
    pub title: String,
    /// The title with "(sample)" for a bundled stand-in.
    pub display_title: String,
    /// The title citations show.
    pub short_title: String,
    pub version: Option<String>,
    pub date: Option<String>,
    /// "sample", "official" or "local" (not in the manifest).
    pub origin: crate::ingest::Origin,
    /// Relative to the corpus folder.
    pub file: String,
    pub sha256: String,
    pub pages: u32,
    pub chunks: u32,
    pub supersedes: Option<String>,
    pub superseded_by: Option<String>,
    /// "outline", "headings", "contents" or "none".
    pub chapter_source: crate::structure::ChapterSource,
    pub toc: Vec<TocEntryOut>,
    pub warnings: Vec<String>,
    /// Printed label of every physical page, in order.
    pub page_labels: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TocEntryOut {
    pub number: String,
    pub title: String,
    pub heading: String,
    pub level: u32,
    pub parent: Option<String>,
    pub printed_start: String,
    pub printed_end: String,
    pub pdf_start: u32,
    pub pdf_end: u32,
    /// `toc --json` only: the PDF at the chapter's first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_link: Option<String>,
    /// `toc --json` only: the chapter's citation in each style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<super::search::StylesOut>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FailureOut {
    pub file: String,
    pub reason: String,
}

pub fn doc(d: &crate::index::DocRecord) -> DocOut {
    DocOut {
        id: d.id.clone(),
        title: d.title.clone(),
        display_title: d.display_title.clone(),
        short_title: d.short_title.clone(),
        version: d.version.clone(),
        date: d.date.clone(),
        origin: d.origin,
        file: d.file.clone(),
        sha256: d.sha256.clone(),
        pages: d.pages,
        chunks: d.chunks,
        supersedes: d.supersedes.clone(),
        superseded_by: d.superseded_by.clone(),
        chapter_source: d.chapter_source,
        toc: d
            .toc
            .iter()
            .map(|t| TocEntryOut {
                number: t.number.clone(),
                title: t.title.clone(),
                heading: t.heading.clone(),
                level: t.level,
                parent: t.parent.clone(),
                printed_start: t.printed_start.clone(),
                printed_end: t.printed_end.clone(),
                pdf_start: t.pdf_start,
                pdf_end: t.pdf_end,
                pdf_link: None,
                citation: None,
            })
            .collect(),
        warnings: d.warnings.clone(),
        page_labels: d.page_labels.clone(),
    }
}

pub fn docs(meta: &crate::index::IndexMeta) -> DocsOut {
    DocsOut {
        documents: meta.docs.iter().map(doc).collect(),
        failures: meta.failures.iter().map(|f| FailureOut { file: f.file.clone(), reason: f.reason.clone() }).collect(),
    }
}

/// `riskreg toc --json`: the document, each chapter with its link and citations.
pub fn toc(d: &crate::index::DocRecord, links: crate::render::link::LinkBase) -> DocOut {
    use crate::render::cite::{cite_chapter, CiteStyle, Markup};
    let mut out = doc(d);
    for (entry, t) in out.toc.iter_mut().zip(&d.toc) {
        let c = crate::search::Citation::of_chapter(d, t);
        entry.pdf_link = Some(links.page(&d.id, &d.file, t.pdf_start));
        entry.citation = Some(super::search::StylesOut {
            riskreg: cite_chapter(&c, CiteStyle::Riskreg, Markup::Plain),
            oscola: cite_chapter(&c, CiteStyle::Oscola, Markup::Plain),
            short: cite_chapter(&c, CiteStyle::Short, Markup::Plain),
        });
    }
    out
}

/// `riskreg show --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageOut {
    pub doc: String,
    pub doc_title: String,
    pub page: String,
    pub pdf_page: u32,
    /// The PDF at this page; null when the file is no longer in the corpus.
    pub pdf_link: Option<String>,
    pub sections: Vec<SectionOut>,
    /// The notes at the page's foot, apart from its text.
    pub footnotes: Vec<FootnoteOut>,
    /// The references the page's text makes ("see paragraph 9.14"), each
    /// with where it leads.
    #[serde(default)]
    pub references: Vec<super::ReferenceOut>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FootnoteOut {
    pub number: String,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionOut {
    pub chapter_heading: String,
    pub text: String,
    /// `show --query`: where the words match, [start, end) in Unicode code points of `text`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<[usize; 2]>,
}

pub fn page(
    d: &crate::index::DocRecord,
    printed: &str,
    pdf_page: u32,
    path: Option<&str>,
    text: &crate::search::PageText,
    marks: &[Vec<std::ops::Range<usize>>],
) -> PageOut {
    PageOut {
        doc: d.id.clone(),
        doc_title: d.display_title.clone(),
        page: printed.to_string(),
        pdf_page,
        pdf_link: path.map(|p| format!("{p}#page={pdf_page}")),
        sections: text
            .parts
            .iter()
            .enumerate()
            .map(|(i, (h, t))| {
                let chars = |byte: usize| t[..byte].chars().count();
                let highlights =
                    marks.get(i).map_or_else(Vec::new, |m| m.iter().map(|r| [chars(r.start), chars(r.end)]).collect());
                SectionOut { chapter_heading: h.clone(), text: t.clone(), highlights }
            })
            .collect(),
        footnotes: text.notes.iter().map(|(n, t)| FootnoteOut { number: n.clone(), text: t.clone() }).collect(),
        references: Vec::new(),
    }
}

/// `riskreg show D ¶9.14 --json`: the pages a paragraph is on.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParagraphPagesOut {
    pub paragraph: String,
    pub pages: Vec<PageOut>,
}

pub fn paragraph_pages(paragraph: &str, pages: Vec<PageOut>) -> ParagraphPagesOut {
    ParagraphPagesOut { paragraph: paragraph.to_string(), pages }
}

/// `riskreg inspect --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectOut {
    pub file: String,
    pub title: Option<String>,
    pub pages: u32,
    /// Pages read by each extractor ("pdf-extract", "pdf_oxide", "none").
    pub extractors: std::collections::BTreeMap<String, u32>,
    pub labels: Vec<LabelOut>,
    pub outline: Vec<OutlineOut>,
    /// "outline", "headings", "contents" or "none".
    pub chapter_source: String,
    pub chapters: Vec<ChapterOut>,
    pub paragraphs: usize,
    /// Lines taken for sub-headings (and chapter headings), not paragraph text.
    pub headings: usize,
    /// Notes at the foot of the pages, set apart from the text.
    pub footnotes: usize,
    pub removed_lines: Vec<String>,
    pub warnings: Vec<String>,
    /// Clean text per page, only with --text; the page's notes follow its
    /// text, each on a line of its own: `[fn 180] …`.
    pub text: Option<Vec<String>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelOut {
    pub pdf_page: u32,
    pub printed: String,
    /// "printed" (on the page), "label" (/PageLabels) or "physical".
    pub source: crate::structure::LabelSource,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutlineOut {
    pub level: u32,
    pub title: String,
    pub pdf_page: u32,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterOut {
    pub number: String,
    pub heading: String,
    pub level: u32,
    pub pages: String,
    pub pdf_start: u32,
    pub pdf_end: u32,
    pub paragraphs: usize,
}

pub fn inspect(raw: &crate::extract::RawDocument, s: &crate::structure::Structure, with_text: bool) -> InspectOut {
    let mut extractors = std::collections::BTreeMap::new();
    for p in &raw.pages {
        *extractors.entry(p.extractor.to_string()).or_insert(0) += 1;
    }
    let chapters = s
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let next = s.chapters.get(i + 1).map(|n| (n.start_page, n.start_line)).unwrap_or((u32::MAX, 0));
            let paragraphs = s
                .paragraphs
                .iter()
                .filter(|p| (p.page, p.line) >= (c.start_page, c.start_line) && (p.page, p.line) < next)
                .count();
            ChapterOut {
                number: c.number.clone(),
                heading: if c.heading.is_empty() { "Front matter".into() } else { c.heading.clone() },
                level: c.level,
                pages: page_range(&c.printed_start, &c.printed_end),
                pdf_start: c.start_page,
                pdf_end: c.end_page,
                paragraphs,
            }
        })
        .collect();
    InspectOut {
        file: raw.path.display().to_string(),
        title: raw.title.clone(),
        pages: raw.page_count,
        extractors,
        labels: s
            .pages
            .iter()
            .map(|p| LabelOut { pdf_page: p.physical, printed: p.printed.clone(), source: p.label_source })
            .collect(),
        outline: raw
            .outline
            .iter()
            .map(|o| OutlineOut { level: o.level, title: o.title.clone(), pdf_page: o.page })
            .collect(),
        chapter_source: serde_json::to_value(s.chapter_source)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        chapters,
        paragraphs: s.paragraphs.len(),
        headings: s.pages.iter().map(|p| p.headings.len()).sum(),
        footnotes: s.pages.iter().map(|p| p.notes.len()).sum(),
        removed_lines: s.removed_lines.clone(),
        warnings: raw.warnings.iter().chain(&s.warnings).cloned().collect(),
        text: with_text.then(|| {
            s.pages
                .iter()
                .map(|p| {
                    let mut t = p.lines.join("\n");
                    for n in &p.notes {
                        t.push_str(&format!("\n[fn {}] {}", n.number, n.text));
                    }
                    t
                })
                .collect()
        }),
    }
}

/// `riskreg sync --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncOut {
    /// One per manifest entry: outcome is "new", "changed", "unchanged", "would_fetch",
    /// "would_check" (`--dry-run`: downloaded; a sync would ask whether it changed) or "failed".
    pub items: Vec<SyncItem>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SyncItem {
    pub id: String,
    pub outcome: String,
    pub reason: Option<String>,
}

pub fn sync_report(r: &crate::sync::SyncReport) -> SyncOut {
    use crate::sync::Outcome;
    SyncOut {
        items: r
            .items
            .iter()
            .map(|(id, o)| {
                let (outcome, reason) = match o {
                    Outcome::New => ("new", None),
                    Outcome::Changed => ("changed", None),
                    Outcome::Unchanged => ("unchanged", None),
                    Outcome::WouldFetch(why) => ("would_fetch", Some(why.clone())),
                    Outcome::WouldCheck(why) => ("would_check", Some(why.clone())),
                    Outcome::Failed(why) => ("failed", Some(why.clone())),
                };
                SyncItem { id: id.clone(), outcome: outcome.into(), reason }
            })
            .collect(),
    }
}

/// `riskreg sync --discover --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoverOut {
    pub links: usize,
    pub proposals: Vec<ProposalOut>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProposalOut {
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: String,
    pub version: Option<String>,
    pub supersedes: Option<String>,
    pub reason: String,
    pub toml: String,
}

pub fn discover(listed: &[crate::discover::Listed], proposals: &[crate::discover::Proposal]) -> DiscoverOut {
    DiscoverOut {
        links: listed.len(),
        proposals: proposals
            .iter()
            .map(|p| ProposalOut {
                id: p.entry.id.clone(),
                title: p.entry.title.clone(),
                url: p.entry.url.clone(),
                date: p.entry.date.clone(),
                version: p.entry.version.clone(),
                supersedes: p.entry.supersedes.clone(),
                reason: p.reason.clone(),
                toml: crate::discover::to_toml(p),
            })
            .collect(),
    }
}

/// `riskreg diff --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffOut {
    pub old: String,
    pub new: String,
    pub chapters_added: Vec<ChapterRefOut>,
    pub chapters_removed: Vec<ChapterRefOut>,
    /// Same heading, new page range.
    pub chapters_moved: Vec<[ChapterRefOut; 2]>,
    pub paragraphs_added: Vec<ParaOut>,
    pub paragraphs_removed: Vec<ParaOut>,
    /// [old, new]
    pub paragraphs_changed: Vec<[ParaOut; 2]>,
    /// For each of `paragraphs_changed`, its words compared: `[-removed-]{+added+}`.
    pub paragraphs_changed_words: Vec<String>,
    pub paragraphs_unchanged: usize,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChapterRefOut {
    pub heading: String,
    /// "pp. 61–64", as the human output shows it.
    pub pages: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ParaOut {
    pub number: String,
    pub chapter: String,
    pub page: String,
    pub pdf_page: u32,
    pub text: String,
}

pub fn diff(old: &crate::index::DocRecord, new: &crate::index::DocRecord, d: &crate::diff::Diff) -> DiffOut {
    let c =
        |c: &crate::diff::ChapterRef| ChapterRefOut { heading: c.heading.clone(), pages: page_range(&c.start, &c.end) };
    let p = |p: &crate::diff::Para| ParaOut {
        number: p.number.clone(),
        chapter: p.chapter.clone(),
        page: p.page.clone(),
        pdf_page: p.pdf_page,
        text: p.text.clone(),
    };
    DiffOut {
        old: old.id.clone(),
        new: new.id.clone(),
        chapters_added: d.chapters_added.iter().map(c).collect(),
        chapters_removed: d.chapters_removed.iter().map(c).collect(),
        chapters_moved: d.chapters_moved.iter().map(|(a, b)| [c(a), c(b)]).collect(),
        paragraphs_added: d.paras_added.iter().map(p).collect(),
        paragraphs_removed: d.paras_removed.iter().map(p).collect(),
        paragraphs_changed: d.paras_changed.iter().map(|(a, b)| [p(a), p(b)]).collect(),
        paragraphs_changed_words: d
            .paras_changed_words
            .iter()
            .map(|w| crate::render::human::word_diff(w, false))
            .collect(),
        paragraphs_unchanged: d.paras_unchanged,
    }
}

/// `riskreg define TERM --json`: every definition of the term, glossary
/// entries first; when none, the nearest defined terms.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefineOut {
    pub term: String,
    pub definitions: Vec<super::DefinitionOut>,
    pub suggestions: Vec<String>,
}

/// `riskreg terms --json`: per document, its acronyms and defined terms.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermsOut {
    pub docs: Vec<DocTermsOut>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocTermsOut {
    pub doc: String,
    pub title: String,
    pub acronyms: Vec<AcronymOut>,
    pub terms: Vec<super::DefinitionOut>,
}

/// An acronym, its long form, and the citation of where it is first written out.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AcronymOut {
    pub short: String,
    pub long: String,
    pub citation: super::CitationOut,
}

pub fn terms(docs: &[&crate::index::DocRecord], base: crate::render::link::LinkBase) -> TermsOut {
    TermsOut {
        docs: docs
            .iter()
            .map(|d| DocTermsOut {
                doc: d.id.clone(),
                title: d.display_title.clone(),
                acronyms: d
                    .acronyms
                    .iter()
                    .map(|a| AcronymOut {
                        short: a.short.clone(),
                        long: a.long.clone(),
                        citation: super::citation(&crate::search::Citation::of_acronym(d, a), base),
                    })
                    .collect(),
                terms: d.definitions.iter().map(|x| super::definition(d, x, base)).collect(),
            })
            .collect(),
    }
}

pub fn define(
    term: &str,
    found: &[(&crate::index::DocRecord, &crate::index::Definition)],
    suggestions: &[String],
    base: crate::render::link::LinkBase,
) -> DefineOut {
    DefineOut {
        term: term.to_string(),
        definitions: found.iter().map(|(d, x)| super::definition(d, x, base)).collect(),
        suggestions: suggestions.to_vec(),
    }
}

/// `riskreg harms --json`: each kind of harm and the chapters about it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmsOut {
    pub harms: Vec<HarmOut>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmOut {
    /// As the vocabulary names it (the Register's chapter title words).
    pub name: String,
    /// Its common names.
    pub also: Vec<String>,
    /// In document order; empty when no current document has a chapter on it.
    pub chapters: Vec<HarmChapterOut>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmChapterOut {
    pub doc: String,
    /// The title a citation line shows.
    pub doc_title: String,
    pub chapter: String,
    pub heading: String,
    /// "pp. 207–224", as printed.
    pub pages: String,
    pub printed_start: String,
    pub printed_end: String,
    pub pdf_start: u32,
    pub pdf_end: u32,
    /// The citation line, as `riskreg toc --cite` gives it.
    pub citation: String,
    pub pdf_link: String,
}

pub fn harms(
    rows: &[crate::harms::Row],
    docs: &[&crate::index::DocRecord],
    links: crate::render::link::LinkBase,
) -> HarmsOut {
    use crate::render::cite::{cite_chapter, CiteStyle, Markup};
    HarmsOut {
        harms: rows
            .iter()
            .map(|r| HarmOut {
                name: r.harm.name.clone(),
                also: r.harm.also.clone(),
                chapters: r
                    .chapters
                    .iter()
                    .map(|(i, t)| {
                        let d = docs[*i];
                        let c = crate::search::Citation::of_chapter(d, t);
                        HarmChapterOut {
                            doc: d.id.clone(),
                            doc_title: d.short_title.clone(),
                            chapter: t.number.clone(),
                            heading: t.heading.clone(),
                            pages: if t.printed_start == t.printed_end {
                                format!("p. {}", t.printed_start)
                            } else {
                                format!("pp. {}–{}", t.printed_start, t.printed_end)
                            },
                            printed_start: t.printed_start.clone(),
                            printed_end: t.printed_end.clone(),
                            pdf_start: t.pdf_start,
                            pdf_end: t.pdf_end,
                            citation: cite_chapter(&c, CiteStyle::Riskreg, Markup::Plain),
                            pdf_link: links.page(&d.id, &d.file, t.pdf_start),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}
