//! Records for reference managers (Zotero, EndNote, Mendeley): CSL-JSON and
//! RIS. A reference manager stores works, so there is one record per
//! edition of a document among the results, in order of first appearance;
//! the pages, paragraphs or chapters the search found in it, which are what
//! one cites, go in its note.
//!
//! - CSL-JSON: an array of items, `type: "report"`; the corporate author as
//!   `{"literal": "Ofcom"}` (a name CSL must not split into family and
//!   given), also the `publisher`; `issued` as `date-parts`.
//! - RIS: `TY  - RPRT`; the corporate author with a trailing comma
//!   (`AU  - Ofcom,`, so that it is not read as a surname and a first
//!   name); `DA` as YYYY/MM/DD; `N1` the note; lines end in CR LF, as the
//!   RIS specification says.

use std::collections::HashMap;

use serde::Serialize;

use super::export::Export;
use super::{chapter_display, page_range, pdf_range};
use crate::date;
use crate::search::{ChapterResults, Citation, Results};
use crate::structure::LabelSource;

/// One edition of a document, and where the search found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Work<'a> {
    pub citation: &'a Citation,
    /// `p. 209 ¶9.14`, or `9. Human trafficking, pp. 207–224` for a chapter.
    pub pinpoints: Vec<String>,
}

/// `p. 209 ¶9.14`, `pp. 220–221 ¶9.82`, `p. 213 fn 180 ¶9.41`, `PDF p. 4`.
pub fn pinpoint(c: &Citation) -> String {
    let mut s = match (c.page_source, &c.page_end) {
        (LabelSource::Physical, end) => pdf_range(c.pdf_page, end.as_ref().map_or(c.pdf_page, |(_, pdf)| *pdf)),
        (_, end) => page_range(&c.page, end.as_ref().map_or(c.page.as_str(), |(label, _)| label.as_str())),
    };
    if let Some(n) = &c.footnote {
        s.push_str(&format!(" fn {n}"));
    }
    if let Some(p) = &c.paragraph {
        s.push_str(&format!(" ¶{p}"));
    }
    s
}

fn works<'a>(found: impl Iterator<Item = (&'a Citation, String)>) -> Vec<Work<'a>> {
    let mut out: Vec<Work> = Vec::new();
    for (c, pin) in found {
        match out.iter_mut().find(|w| w.citation.doc == c.doc) {
            Some(w) if w.pinpoints.contains(&pin) => {}
            Some(w) => w.pinpoints.push(pin),
            None => out.push(Work { citation: c, pinpoints: vec![pin] }),
        }
    }
    out
}

/// The editions among passages, each with the pages found in it.
pub fn works_of_hits(r: &Results) -> Vec<Work<'_>> {
    works(r.hits.iter().map(|h| (&h.citation, pinpoint(&h.citation))))
}

/// The editions among chapters, each with its chapters and their pages.
pub fn works_of_chapters(r: &ChapterResults) -> Vec<Work<'_>> {
    works(r.chapters.iter().map(|ch| {
        let c = &ch.best.citation;
        (c, format!("{}, {}", chapter_display(c), page_range(&c.chapter_pages.0, &c.chapter_pages.1)))
    }))
}

/// `riskreg search "debt bondage" (30 November 2026): p. 212 ¶9.34; p. 420 ¶A12.34`
fn note(w: &Work, e: &Export) -> String {
    let mut s = format!("riskreg search {} ({}): {}", e.query, e.long_date(), w.pinpoints.join("; "));
    if !w.citation.current {
        s.push_str(". A later edition supersedes this one.");
    }
    s
}

/// A record's id: the document id, with the edition's version token
/// (`ror-419942`).
pub fn record_id(doc: &str, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("{doc}-{v}"),
        None => doc.to_string(),
    }
}

fn id(c: &Citation) -> String {
    record_id(&c.doc, c.version.as_deref())
}

#[derive(Debug, Serialize)]
struct CslItem {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    #[serde(rename = "title-short", skip_serializing_if = "Option::is_none")]
    title_short: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    note: String,
}

#[derive(Debug, Serialize)]
struct CslName {
    literal: String,
}

#[derive(Debug, Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [[u32; 3]; 1],
}

/// CSL-JSON, an array of items. `urls` maps a record id to the official
/// address of that edition, where the manifest gives one.
pub fn csl_json(works: &[Work], e: &Export, urls: &HashMap<String, String>) -> String {
    let items: Vec<CslItem> = works
        .iter()
        .map(|w| {
            let c = w.citation;
            CslItem {
                id: id(c),
                kind: "report",
                title: c.doc_title.clone(),
                title_short: (c.doc_short_title != c.doc_title).then(|| c.doc_short_title.clone()),
                author: c.publisher.iter().map(|p| CslName { literal: p.clone() }).collect(),
                publisher: c.publisher.clone(),
                issued: c.date.as_deref().and_then(date::parse).map(|(y, m, d)| CslDate { date_parts: [[y, m, d]] }),
                url: urls.get(&id(c)).cloned(),
                note: note(w, e),
            }
        })
        .collect();
    super::json::to_string(&items)
}

/// RIS, one record per work, each line ended by CR LF.
pub fn ris(works: &[Work], e: &Export, urls: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut tag = |t: &str, v: &str| {
        // A value is one line: RIS has no way to carry a line break.
        out.push_str(&format!("{t}  - {}\r\n", v.replace(['\r', '\n'], " ")));
    };
    for w in works {
        let c = w.citation;
        tag("TY", "RPRT");
        if let Some(p) = &c.publisher {
            tag("AU", &format!("{p},"));
        }
        tag("TI", &c.doc_title);
        if c.doc_short_title != c.doc_title {
            tag("ST", &c.doc_short_title);
        }
        if let Some((y, m, d)) = c.date.as_deref().and_then(date::parse) {
            tag("PY", &y.to_string());
            tag("DA", &format!("{y:04}/{m:02}/{d:02}"));
        }
        if let Some(p) = &c.publisher {
            tag("PB", p);
        }
        if let Some(u) = urls.get(&id(c)) {
            tag("UR", u);
        }
        tag("N1", &note(w, e));
        tag("ER", "");
    }
    out
}
