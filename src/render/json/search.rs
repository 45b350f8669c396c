//! The public search schema: what `riskreg search --json` prints and
//! `/api/search` answers, field by field. Changing a field here changes the
//! public API; the index's storage format is not part of it.
//!
//! `riskreg search --json`:
//! ```json
//! { "query": "human trafficking", "mode": "passages" | "chapters",
//!   "total": 42,                       // matching passages (or chapters) in all
//!   "results": [ {
//!     "rank": 1, "score": 12.5,
//!     "matching_pages": 18,            // chapters mode only: pages of the chapter that match; else null
//!     "citation": {
//!       "text": "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14",
//!                                      // the citation to copy (riskreg's style; no PDF page)
//!       "doc": "ror", "doc_title": "Register of Risks (sample)",   // full title
//!       "short_title": "Register of Risks (sample)",  // the title `text` cites
//!                                      // (the manifest's short_title, or the title shortened)
//!       "version": "419942" | null, "date": "2024-12-16" | null, "current": true,
//!       "publisher": "Ofcom" | null,   // the corporate author, from the manifest
//!       "url": "https://…" | null, "accessed": "2025-02-03" | null,
//!                                      // an official copy fetched by `sync`: where from, and when
//!       "chapter": "9",                // number, "" when the heading has none
//!       "chapter_heading": "9. Human trafficking",   // "" for front matter
//!       "chapter_parent": null,        // enclosing chapter of a section
//!       "chapter_pages": "pp. 207–224", "chapter_start": "207", "chapter_end": "224",
//!       "chapter_pdf_start": 215, "chapter_pdf_end": 232,
//!       "page": "209", "pdf_page": 217, // printed label and physical page
//!       "page_source": "printed" | "label" | "physical",
//!                                      // where "page" came from: the number printed on the page,
//!                                      // the PDF's /PageLabels, or the physical count
//!       "page_end": "221" | null, "pdf_page_end": 229 | null,
//!                                      // the passage runs on to the next page (`pp. 220–221`)
//!       "footnote": "180" | null,      // the first passage is that note at the page's foot
//!                                      // (notes are shown only when the page's text does not match)
//!       "paragraph": "9.14" | null,    // the ¶ of the first snippet (or the one `para:` asked for)
//!       "file": "sample/ror.pdf",      // relative to the corpus folder
//!       "pdf_link": "/home/me/riskreg/corpus/sample/ror.pdf#page=217",
//!                                      // the PDF at the page: an absolute path on the command
//!                                      // line, the server's /pdf/ror#page=217 from the API
//!       "styles": { "riskreg": "…the `text` above…",
//!                   "oscola": "Ofcom, Register of Risks (sample) (December 2024) para 9.14",
//!                   "short": "ROR ¶9.14, p. 209" } },
//!     "snippets": [ { "text": "…the passage…",
//!                     "highlights": [[4, 21]],  // [start, end) in Unicode code points of text
//!                     "paragraph": "9.77" | null,   // the ¶ this passage is in
//!                     "footnote": "180" | null } ]  // the passage is that note at the page's foot
//!   } ],
//!   "also_searched": ["stalking", "harassment"],
//!                                      // terms the corpus's vocabulary.toml searched besides the
//!                                      // words typed (weighted below them); [] with --exact
//!   "did_you_mean": "human trafficking" | null,
//!                                      // the query spelt as the index spells it, when it found
//!                                      // nothing, or very little and the spelling finds many more
//!   "searched_instead": "buying firearms" | null,
//!                                      // a phrase quoted in `query` is nowhere as written, so
//!                                      // the results are for this: its words, without quotes
//!   "definition": {                    // the query (case and quotes aside) is a term or an
//!                                      // acronym a document defines; else null
//!     "term": "Child sexual abuse material (CSAM)",   // as printed
//!     "kind": "glossary" | "sentence", // a glossary entry, or "In this guidance, X means …"
//!     "text": "images, videos or other material that …",
//!     "citation": { …as above… } } }
//! ```

use serde::{Deserialize, Serialize};

use crate::render::cite::{cite, CiteStyle, Markup};
use crate::render::link::LinkBase;
use crate::search::{ChapterResults, Citation, Hit, Results, Snippet};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchOut {
    pub query: String,
    pub mode: String,
    pub total: usize,
    pub results: Vec<ResultOut>,
    /// The terms the corpus's vocabulary searched besides the words typed.
    pub also_searched: Vec<String>,
    /// The query spelt as the index spells it, when it found nothing or very little.
    pub did_you_mean: Option<String>,
    /// The query searched instead of the one typed, when a phrase as
    /// written was nowhere: the same words without the quotes.
    pub searched_instead: Option<String>,
    /// The first definition of the query, when it is a defined term.
    pub definition: Option<DefinitionOut>,
}

impl SearchOut {
    /// With what `req` searched besides the words typed (and instead of
    /// them, when a quoted phrase found nothing), and a better spelling.
    pub fn with(mut self, req: &crate::search::SearchRequest, did_you_mean: &Option<String>) -> SearchOut {
        self.also_searched = req.also_searched.clone();
        self.did_you_mean = did_you_mean.clone();
        if let Some(typed) = &req.instead_of {
            self.searched_instead = Some(std::mem::replace(&mut self.query, typed.clone()));
        }
        self
    }
}

/// A definition with its citation (`search`, `define`, `terms`).
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DefinitionOut {
    pub term: String,
    pub kind: String,
    pub text: String,
    pub citation: CitationOut,
}

pub fn definition(d: &crate::index::DocRecord, def: &crate::index::Definition, base: LinkBase) -> DefinitionOut {
    DefinitionOut {
        term: def.term.clone(),
        kind: match def.kind {
            crate::index::DefinitionKind::Glossary => "glossary",
            crate::index::DefinitionKind::Sentence => "sentence",
        }
        .into(),
        text: def.text.clone(),
        citation: citation(&Citation::of_definition(d, def), base),
    }
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
    pub short_title: String,
    pub version: Option<String>,
    pub date: Option<String>,
    pub current: bool,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub accessed: Option<String>,
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
    pub page_source: crate::structure::LabelSource,
    pub page_end: Option<String>,
    pub pdf_page_end: Option<u32>,
    pub footnote: Option<String>,
    pub paragraph: Option<String>,
    pub file: String,
    pub pdf_link: String,
    /// The same citation in each style `--cite` offers.
    pub styles: StylesOut,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StylesOut {
    pub riskreg: String,
    pub oscola: String,
    pub short: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SnippetOut {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
    pub paragraph: Option<String>,
    pub footnote: Option<String>,
}

pub fn citation(c: &Citation, base: LinkBase) -> CitationOut {
    CitationOut {
        text: crate::render::citation_line(c),
        doc: c.doc.clone(),
        doc_title: c.doc_title.clone(),
        short_title: c.doc_short_title.clone(),
        version: c.version.clone(),
        date: c.date.clone(),
        current: c.current,
        publisher: c.publisher.clone(),
        url: c.url.clone(),
        accessed: c.accessed.clone(),
        chapter: c.chapter.clone(),
        chapter_heading: c.chapter_heading.clone(),
        chapter_parent: c.chapter_parent.clone(),
        chapter_pages: crate::render::page_range(&c.chapter_pages.0, &c.chapter_pages.1),
        chapter_start: c.chapter_pages.0.clone(),
        chapter_end: c.chapter_pages.1.clone(),
        chapter_pdf_start: c.chapter_pdf_pages.0,
        chapter_pdf_end: c.chapter_pdf_pages.1,
        page: c.page.clone(),
        pdf_page: c.pdf_page,
        page_source: c.page_source,
        page_end: c.page_end.as_ref().map(|(label, _)| label.clone()),
        pdf_page_end: c.page_end.as_ref().map(|(_, pdf)| *pdf),
        footnote: c.footnote.clone(),
        paragraph: c.paragraph.clone(),
        file: c.file.clone(),
        pdf_link: base.page(&c.doc, &c.file, c.pdf_page),
        styles: StylesOut {
            riskreg: cite(c, CiteStyle::Riskreg, Markup::Plain),
            oscola: cite(c, CiteStyle::Oscola, Markup::Plain),
            short: cite(c, CiteStyle::Short, Markup::Plain),
        },
    }
}

pub fn snippet(s: &Snippet) -> SnippetOut {
    let chars = |byte: usize| s.text[..byte].chars().count();
    SnippetOut {
        text: s.text.clone(),
        highlights: s.highlights.iter().map(|r| [chars(r.start), chars(r.end)]).collect(),
        paragraph: s.paragraph.clone(),
        footnote: s.footnote.clone(),
    }
}

fn result(rank: usize, score: f32, matching_pages: Option<usize>, hit: &Hit, base: LinkBase) -> ResultOut {
    ResultOut {
        rank,
        score,
        matching_pages,
        citation: citation(&hit.citation, base),
        snippets: hit.snippets.iter().map(snippet).collect(),
    }
}

pub fn hits(query: &str, r: &Results, base: LinkBase) -> SearchOut {
    SearchOut {
        query: query.to_string(),
        mode: "passages".into(),
        total: r.total,
        definition: None,
        results: r.hits.iter().enumerate().map(|(i, h)| result(r.offset + i + 1, h.score, None, h, base)).collect(),
        also_searched: Vec::new(),
        did_you_mean: None,
        searched_instead: None,
    }
}

pub fn chapters(query: &str, r: &ChapterResults, base: LinkBase) -> SearchOut {
    SearchOut {
        query: query.to_string(),
        mode: "chapters".into(),
        total: r.total,
        definition: None,
        results: r
            .chapters
            .iter()
            .enumerate()
            .map(|(i, c)| result(r.offset + i + 1, c.score, Some(c.hits), &c.best, base))
            .collect(),
        also_searched: Vec::new(),
        did_you_mean: None,
        searched_instead: None,
    }
}
