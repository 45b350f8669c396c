//! CSV output for a spreadsheet: a header row, then one row per passage (or
//! per chapter, its best passage) with the citation's fields, named as in
//! the JSON schema (`render::json::search`), quoted as RFC 4180 says.

use super::cite::{cite, Markup};
use super::export::Export;
use super::{link, page_range};
use crate::search::{ChapterResults, Hit, Results};

/// The columns, in order.
pub const COLUMNS: [&str; 19] = [
    "rank",
    "doc",
    "doc_title",
    "short_title",
    "version",
    "date",
    "current",
    "chapter",
    "chapter_heading",
    "chapter_pages",
    "page",
    "pdf_page",
    "page_end",
    "paragraph",
    "footnote",
    "file",
    "link",
    "citation",
    "snippet",
];

fn row(rank: usize, h: &Hit, e: &Export) -> [String; COLUMNS.len()] {
    let c = &h.citation;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        rank.to_string(),
        c.doc.clone(),
        c.doc_title.clone(),
        c.doc_short_title.clone(),
        opt(&c.version),
        opt(&c.date),
        c.current.to_string(),
        c.chapter.clone(),
        c.chapter_heading.clone(),
        page_range(&c.chapter_pages.0, &c.chapter_pages.1),
        c.page.clone(),
        c.pdf_page.to_string(),
        c.page_end.as_ref().map(|(label, _)| label.clone()).unwrap_or_default(),
        opt(&c.paragraph),
        opt(&c.footnote),
        c.file.clone(),
        link::pdf_path(e.corpus, &c.file, c.pdf_page),
        cite(c, e.style, Markup::Plain),
        h.snippets.first().map(|s| s.text.clone()).unwrap_or_default(),
    ]
}

fn table<'h>(offset: usize, hits: impl Iterator<Item = &'h Hit>, e: &Export) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let rows =
        std::iter::once(COLUMNS.map(String::from)).chain(hits.enumerate().map(|(i, h)| row(offset + i + 1, h, e)));
    for r in rows {
        w.write_record(&r).expect("CSV into memory");
    }
    String::from_utf8(w.into_inner().expect("CSV into memory")).expect("CSV of UTF-8 fields")
}

pub fn hits(r: &Results, e: &Export) -> String {
    table(r.offset, r.hits.iter(), e)
}

/// A chapter's row is its best passage's, `chapter_pages` its page range.
pub fn chapters(r: &ChapterResults, e: &Export) -> String {
    table(r.offset, r.chapters.iter().map(|c| &c.best), e)
}
