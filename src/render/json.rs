//! The JSON output, one schema for every command that takes `--json` (and
//! later for the HTTP API). These DTOs are the only serde types of the
//! search side; field meanings are documented here.
//!
//! `riskreg search --json`:
//! ```json
//! { "query": "human trafficking", "mode": "passages" | "chapters",
//!   "total": 42,                       // matching passages (or chapters) in all
//!   "results": [ {
//!     "rank": 1, "score": 12.5,
//!     "matching_pages": 18,            // chapters mode only: pages of the chapter that match; else null
//!     "citation": {
//!       "text": "Register of Risks (sample) · 9. Human trafficking · p. 209 (PDF p. 217) · ¶9.14",
//!       "doc": "ror", "doc_title": "Register of Risks (sample)",
//!       "version": "419942" | null, "date": "2024-12-16" | null, "current": true,
//!       "chapter": "9",                // number, "" when the heading has none
//!       "chapter_heading": "9. Human trafficking",   // "" for front matter
//!       "chapter_parent": null,        // enclosing chapter of a section
//!       "chapter_pages": "pp. 207–224", "chapter_start": "207", "chapter_end": "224",
//!       "chapter_pdf_start": 215, "chapter_pdf_end": 232,
//!       "page": "209", "pdf_page": 217, // printed label and physical page
//!       "paragraph": "9.14" | null,
//!       "file": "sample/ror.pdf",      // relative to the corpus folder
//!       "pdf_link": "sample/ror.pdf#page=217" },
//!     "snippets": [ { "text": "…the passage…",
//!                     "highlights": [[4, 21]] } ]   // [start, end) in Unicode code points of text
//!   } ] }
//! ```

use serde::{Deserialize, Serialize};

use crate::search::{ChapterResults, Citation, Hit, Results, Snippet};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchOut {
    pub query: String,
    pub mode: String,
    pub total: usize,
    pub results: Vec<ResultOut>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultOut {
    pub rank: usize,
    pub score: f32,
    pub matching_pages: Option<usize>,
    pub citation: CitationOut,
    pub snippets: Vec<SnippetOut>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CitationOut {
    pub text: String,
    pub doc: String,
    pub doc_title: String,
    pub version: Option<String>,
    pub date: Option<String>,
    pub current: bool,
    pub chapter: String,
    pub chapter_heading: String,
    pub chapter_parent: Option<String>,
    pub chapter_pages: String,
    pub chapter_start: String,
    pub chapter_end: String,
    pub chapter_pdf_start: u32,
    pub chapter_pdf_end: u32,
    pub page: String,
    pub pdf_page: u32,
    pub paragraph: Option<String>,
    pub file: String,
    pub pdf_link: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SnippetOut {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

pub fn citation(c: &Citation) -> CitationOut {
    CitationOut {
        text: c.line(),
        doc: c.doc.clone(),
        doc_title: c.doc_title.clone(),
        version: c.version.clone(),
        date: c.date.clone(),
        current: c.current,
        chapter: c.chapter.clone(),
        chapter_heading: c.chapter_heading.clone(),
        chapter_parent: c.chapter_parent.clone(),
        chapter_pages: super::page_range(&c.chapter_pages.0, &c.chapter_pages.1),
        chapter_start: c.chapter_pages.0.clone(),
        chapter_end: c.chapter_pages.1.clone(),
        chapter_pdf_start: c.chapter_pdf_pages.0,
        chapter_pdf_end: c.chapter_pdf_pages.1,
        page: c.page.clone(),
        pdf_page: c.pdf_page,
        paragraph: c.paragraph.clone(),
        file: c.file.clone(),
        pdf_link: format!("{}#page={}", c.file, c.pdf_page),
    }
}

pub fn snippet(s: &Snippet) -> SnippetOut {
    let chars = |byte: usize| s.text[..byte].chars().count();
    SnippetOut {
        text: s.text.clone(),
        highlights: s.highlights.iter().map(|r| [chars(r.start), chars(r.end)]).collect(),
    }
}

fn result(rank: usize, score: f32, matching_pages: Option<usize>, hit: &Hit) -> ResultOut {
    ResultOut {
        rank,
        score,
        matching_pages,
        citation: citation(&hit.citation),
        snippets: hit.snippets.iter().map(snippet).collect(),
    }
}

pub fn hits(query: &str, r: &Results) -> SearchOut {
    SearchOut {
        query: query.to_string(),
        mode: "passages".into(),
        total: r.total,
        results: r.hits.iter().enumerate().map(|(i, h)| result(i + 1, h.score, None, h)).collect(),
    }
}

pub fn chapters(query: &str, r: &ChapterResults) -> SearchOut {
    SearchOut {
        query: query.to_string(),
        mode: "chapters".into(),
        total: r.total,
        results: r.chapters.iter().enumerate().map(|(i, c)| result(i + 1, c.score, Some(c.hits), &c.best)).collect(),
    }
}

/// Pretty JSON with a final newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("DTOs serialise");
    s.push('\n');
    s
}

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
        warnings: r.warnings.iter().map(|(f, w)| FileMessage { file: f.clone(), message: w.clone() }).collect(),
        failures: r.failures.iter().map(|f| FileMessage { file: f.file.clone(), message: f.reason.clone() }).collect(),
    }
}

/// `riskreg docs --json`: the index's own record of each document (see
/// `index::DocRecord`) and the files that failed.
#[derive(Debug, Serialize)]
pub struct DocsOut<'a> {
    pub documents: &'a [crate::index::DocRecord],
    pub failures: &'a [crate::index::FailureRecord],
}

pub fn docs(meta: &crate::index::Meta) -> DocsOut<'_> {
    DocsOut { documents: &meta.docs, failures: &meta.failures }
}

/// `riskreg show --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageOut {
    pub doc: String,
    pub doc_title: String,
    pub page: String,
    pub pdf_page: u32,
    pub pdf_link: String,
    pub sections: Vec<SectionOut>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionOut {
    pub chapter_heading: String,
    pub text: String,
}

pub fn page(
    d: &crate::index::DocRecord,
    printed: &str,
    pdf_page: u32,
    path: &str,
    parts: &[(String, String)],
) -> PageOut {
    PageOut {
        doc: d.id.clone(),
        doc_title: d.display_title.clone(),
        page: printed.to_string(),
        pdf_page,
        pdf_link: format!("{path}#page={pdf_page}"),
        sections: parts.iter().map(|(h, t)| SectionOut { chapter_heading: h.clone(), text: t.clone() }).collect(),
    }
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
    pub removed_lines: Vec<String>,
    pub warnings: Vec<String>,
    /// Clean text per page, only with --text.
    pub text: Option<Vec<String>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelOut {
    pub pdf_page: u32,
    pub printed: String,
    /// "page_labels", "footer" or "physical".
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
                pages: super::page_range(&c.printed_start, &c.printed_end),
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
        removed_lines: s.removed_lines.clone(),
        warnings: raw.warnings.iter().chain(&s.warnings).cloned().collect(),
        text: with_text.then(|| s.pages.iter().map(|p| p.lines.join("\n")).collect()),
    }
}

/// `riskreg sync --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncOut {
    /// One per manifest entry: outcome is "new", "changed", "unchanged", "would_fetch" or "failed".
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
                    Outcome::WouldFetch => ("would_fetch", None),
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
    pub paragraphs_unchanged: usize,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChapterRefOut {
    pub heading: String,
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
    let c = |c: &crate::diff::ChapterRef| ChapterRefOut { heading: c.heading.clone(), pages: c.pages.clone() };
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
        paragraphs_unchanged: d.paras_unchanged,
    }
}
