//! `riskreg refs --json` and `riskreg verify --json`.

use serde::{Deserialize, Serialize};

use crate::index::{DocRecord, IndexMeta, Reference};
use crate::render::link::LinkBase;
use crate::verify::Checked;
use crate::xref::Target;

/// Where a reference leads: a document's pages.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetOut {
    pub doc: String,
    /// "¶9.14", "9. Human trafficking", "Table 9.1", "p. 209", "pp. 207–224".
    pub label: String,
    /// Printed pages, and physical ones.
    pub page: String,
    pub page_end: String,
    pub pdf_page: u32,
    pub pdf_page_end: u32,
    /// riskreg's citation line of the place.
    pub citation: String,
    pub pdf_link: Option<String>,
}

/// One reference a document makes.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReferenceOut {
    /// The citing document, its page (printed, physical) and ¶.
    pub doc: String,
    pub page: String,
    pub pdf_page: u32,
    pub paragraph: Option<String>,
    /// As printed.
    pub text: String,
    /// para, page, chapter, annex, section, table, measure, footnote.
    pub kind: String,
    pub value: String,
    /// Null when it leads nowhere; `unresolved` says why.
    pub target: Option<TargetOut>,
    pub unresolved: Option<String>,
}

/// `GET /api/references?pages=…`: the references on each page asked for.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageReferencesOut {
    pub pages: Vec<OnePageReferences>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnePageReferences {
    pub doc: String,
    pub pdf_page: u32,
    pub references: Vec<ReferenceOut>,
}

/// `riskreg refs DOC [¶N | PAGE] --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefsOut {
    pub doc: String,
    /// "¶9.14", "p. 209", or null for the whole document.
    pub at: Option<String>,
    pub refers_to: Vec<ReferenceOut>,
    pub referred_to_by: Vec<ReferenceOut>,
}

/// "p. 209" or "pp. 207–224".
pub fn pages_of(t: &Target) -> String {
    if t.page == t.end_page {
        format!("p. {}", t.printed)
    } else {
        format!("pp. {}–{}", t.printed, t.printed_end)
    }
}

/// riskreg's line for a place a reference leads: "Register of Risks
/// (sample) · ¶9.14 · p. 209".
pub fn target_citation(meta: &IndexMeta, t: &Target) -> String {
    let title = meta.doc(&t.doc).map_or(t.doc.clone(), |d| d.short_title.clone());
    if t.label.starts_with("p. ") || t.label.starts_with("pp. ") {
        format!("{title} · {}", pages_of(t))
    } else {
        format!("{title} · {} · {}", t.label, pages_of(t))
    }
}

pub fn target(meta: &IndexMeta, t: &Target, links: LinkBase) -> TargetOut {
    TargetOut {
        doc: t.doc.clone(),
        label: t.label.clone(),
        page: t.printed.clone(),
        page_end: t.printed_end.clone(),
        pdf_page: t.page,
        pdf_page_end: t.end_page,
        citation: target_citation(meta, t),
        pdf_link: meta.doc(&t.doc).map(|d| links.page(&d.id, &d.file, t.page)),
    }
}

pub fn reference(meta: &IndexMeta, from: &DocRecord, r: &Reference, links: LinkBase) -> ReferenceOut {
    ReferenceOut {
        doc: from.id.clone(),
        page: from.page_labels.get(r.page as usize - 1).cloned().unwrap_or_else(|| r.page.to_string()),
        pdf_page: r.page,
        paragraph: r.para.clone(),
        text: r.text.clone(),
        kind: r.kind.name().to_string(),
        value: r.pin().value(),
        target: r.target.as_ref().map(|t| target(meta, t, links)),
        unresolved: r.unresolved.clone(),
    }
}

/// One citation in a draft, checked (`riskreg verify --json`).
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckedOut {
    /// The draft's line (a text file's line; a .docx body paragraph, or
    /// "fn 3.1" for a note's), and the column (1-based, in characters).
    pub line: String,
    pub column: usize,
    /// As written.
    pub text: String,
    pub doc: Option<String>,
    /// "ok" or "problem".
    pub status: String,
    pub problems: Vec<String>,
    pub pins: Vec<PinOut>,
    /// The corrected text of the citation, when there is a correction.
    pub fix: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PinOut {
    pub kind: String,
    pub value: String,
    pub target: Option<TargetOut>,
}

/// `riskreg verify FILE --json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyOut {
    pub file: String,
    pub citations: Vec<CheckedOut>,
    pub ok: usize,
    pub problems: usize,
    /// Where the corrected copy was written (--fix), when it was.
    pub fixed: Option<String>,
}

/// One line of a checked draft: where a report says it is ("12", "fn 3.1")
/// and its text.
#[derive(Debug, Clone, Copy)]
pub struct DraftLineIn<'a> {
    pub place: &'a str,
    pub text: &'a str,
}

/// The report of `riskreg verify --json` and of `POST /api/verify`: each
/// citation `verify::check` found in `lines`, its pinpoints' targets linked
/// by `links`, and the corrected text of each that has a correction.
pub fn verify_report(
    meta: &IndexMeta,
    file: &str,
    lines: &[DraftLineIn],
    checked: &[Checked],
    links: LinkBase,
    fixed: Option<String>,
) -> VerifyOut {
    let citations: Vec<CheckedOut> = checked
        .iter()
        .map(|c| {
            let line = lines[c.line];
            CheckedOut {
                line: line.place.to_string(),
                column: line.text[..c.start].chars().count() + 1,
                text: c.text.clone(),
                doc: c.doc.clone(),
                status: if c.ok() { "ok" } else { "problem" }.into(),
                problems: c.problems.clone(),
                pins: c
                    .pins
                    .iter()
                    .map(|p| PinOut {
                        kind: p.kind.name().into(),
                        value: p.value.clone(),
                        target: p.target.as_ref().map(|t| target(meta, t, links)),
                    })
                    .collect(),
                fix: c.fixed_text(line.text),
            }
        })
        .collect();
    let ok = checked.iter().filter(|c| c.ok()).count();
    VerifyOut { file: file.to_string(), ok, problems: checked.len() - ok, citations, fixed }
}
