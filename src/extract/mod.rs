//! PDF → pages: the text of every physical page, its /PageLabels label, the
//! outline and the document info. The only module that reads PDF bytes.
//!
//! Extraction runs in a worker process (the riskreg binary itself, hidden
//! subcommand `__extract-worker`) so that a stack overflow, an abort or a
//! runaway allocation inside a PDF library costs at most one page, never the
//! caller. See `worker.rs` for the protocol.
//!
//! Extractors, per page: pdf-extract 0.12 (first; driven page by page into
//! our own text sink, `text_output.rs`), pdf_oxide 0.3 (fallback: for files
//! and pages pdf-extract cannot read, finds little on, or that are damaged,
//! and for right-to-left scripts), lopdf 0.47's simple extraction (a cheap
//! cross-check of pdf-extract on the first pages of each file and on short
//! pages, and the last resort). Page count, /PageLabels (`labels.rs`), the
//! outline and the title (`outline.rs`) come from lopdf 0.47.

use std::io::Read;
use std::path::{Path, PathBuf};

mod engine;
pub mod labels;
pub mod outline;
mod repair;
mod supervisor;
mod text_output;

pub use labels::{compute_labels, format_label, LabelRange, LabelStyle};
pub use supervisor::{extract_document, probe};
use worker::Msg;

/// How to run extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// The executable that understands `__extract-worker` (normally the
    /// riskreg binary: `std::env::current_exe()`).
    pub worker_exe: PathBuf,
    /// Address-space cap for the worker, in bytes.
    pub memory_limit: u64,
    /// Time allowed per page (the whole-file limit grows with page count).
    pub seconds_per_page: f64,
    /// Fixed time allowed on top of the per-page allowance.
    pub base_seconds: f64,
    /// Longest one page (or opening the file) may take before the worker is
    /// killed and restarted after that page.
    pub page_timeout_seconds: f64,
}

impl Default for ExtractOptions {
    /// The current executable as worker, 768 MiB memory cap, 20 s + 2 s per
    /// page for the file, 20 s for any one page.
    fn default() -> Self {
        let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("riskreg"));
        Self::with_worker(exe)
    }
}

impl ExtractOptions {
    /// Default limits with the given worker executable.
    pub fn with_worker(exe: impl Into<PathBuf>) -> Self {
        ExtractOptions {
            worker_exe: exe.into(),
            // Below the worker's own 1 GiB default so that a worker at its
            // cap plus the caller stay under 1 GiB together.
            memory_limit: 768 << 20,
            seconds_per_page: 2.0,
            base_seconds: 20.0,
            page_timeout_seconds: 20.0,
        }
    }
}

/// One physical page as read from the PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPage {
    /// 1-based physical page number (what `#page=N` links count).
    pub number: u32,
    /// Extracted text, lines separated by '\n'. Empty when unreadable.
    pub text: String,
    /// The label from /PageLabels, if the document has them.
    pub label: Option<String>,
    /// Which extractor produced the text: "pdf-extract" (first choice),
    /// "pdf_oxide" (fallback), "lopdf" (last resort, when both others lose
    /// text), or "none" (unreadable; a warning names the page).
    pub extractor: &'static str,
}

/// One outline (bookmark) entry with the physical page it points at.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// 1 = top level.
    pub level: u32,
    pub title: String,
    /// 1-based physical page.
    pub page: u32,
}

/// Everything extraction learned about one file.
#[derive(Debug, Clone, Default)]
pub struct RawDocument {
    pub path: PathBuf,
    /// The page count the document itself declares; `pages.len()` equals it.
    pub page_count: u32,
    pub pages: Vec<RawPage>,
    pub outline: Vec<OutlineEntry>,
    /// /Info /Title, if any.
    pub title: Option<String>,
    /// Problems that cost part of the document (a page unreadable, a worker
    /// restarted), each naming the page.
    pub warnings: Vec<String>,
}

/// Why a whole file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {reason}", path.display())]
pub struct ExtractError {
    pub path: PathBuf,
    pub reason: String,
}
/// Runs of "page N: same text" for consecutive pages become one
/// "pages A–B: same text".
pub fn merge_page_warnings(warnings: Vec<String>) -> Vec<String> {
    fn split(w: &str) -> Option<(u32, &str)> {
        let rest = w.strip_prefix("page ")?;
        let (num, text) = rest.split_once(": ")?;
        let n: u32 = num.parse().ok()?;
        // The text must not repeat the number (e.g. "page 3: ... page 3 ...").
        Some((n, text))
    }
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(u32, u32, String)> = None;
    let flush = |run: &mut Option<(u32, u32, String)>, out: &mut Vec<String>| {
        if let Some((a, b, text)) = run.take() {
            out.push(format!("{}: {text}", page_span(a, b)));
        }
    };
    for w in warnings {
        match split(&w) {
            Some((n, text)) => match &mut run {
                Some((_, b, t)) if *b + 1 == n && t == text => *b = n,
                _ => {
                    flush(&mut run, &mut out);
                    run = Some((n, n, text.to_string()));
                }
            },
            None => {
                flush(&mut run, &mut out);
                out.push(w);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}
fn page_span(a: u32, b: u32) -> String {
    if a == b {
        format!("page {a}")
    } else {
        format!("pages {a}–{b}")
    }
}

/// Builds the document: every page present (unread ones empty), labels set.
fn assemble(path: &Path, meta: engine::Meta, pages: Vec<Option<RawPage>>) -> RawDocument {
    let labels = meta.labels.clone();
    let pages = pages
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut p = p.unwrap_or(RawPage {
                number: i as u32 + 1,
                text: String::new(),
                label: None,
                extractor: engine::NONE,
            });
            p.label = labels.as_ref().and_then(|l| l.get(i).cloned());
            p
        })
        .collect();
    RawDocument {
        path: path.to_path_buf(),
        page_count: meta.page_count,
        pages,
        outline: meta.outline_entries(),
        title: meta.title,
        warnings: Vec::new(),
    }
}
/// The document as both ways of reading finish it: every page present
/// (unread ones empty), labels set, page warnings merged into runs, and a
/// warning when no page has any text.
fn finish(path: &Path, meta: engine::Meta, pages: Vec<Option<RawPage>>, warnings: Vec<String>) -> RawDocument {
    let mut d = assemble(path, meta, pages);
    d.warnings = merge_page_warnings(warnings);
    if d.pages.iter().all(|p| p.text.chars().all(|c| !c.is_alphanumeric())) {
        d.warnings.push(format!(
            "no text found on any of the {} pages (scanned images, or text the extractors cannot read)",
            d.page_count
        ));
    }
    d
}

/// The same reading in this process, without isolation: for unit tests and
/// benchmarks only (a hostile file can crash or exhaust the caller).
#[doc(hidden)]
pub fn extract_in_process(path: &Path) -> Result<RawDocument, ExtractError> {
    let fail = |reason: String| ExtractError { path: path.to_path_buf(), reason };
    precheck(path).map_err(fail)?;
    let (mut doc, meta) = engine::open(path, true).map_err(fail)?;
    let mut warnings = meta.warnings.clone();
    let mut pages = Vec::with_capacity(meta.page_count as usize);
    for n in 1..=meta.page_count {
        if let Msg::Page { page, text, extractor, warning } = worker::read_page(&mut doc, n, false, &mut |_| {}) {
            warnings.extend(warning);
            pages.push(Some(RawPage {
                number: page,
                text,
                label: None,
                extractor: engine::extractor_name(&extractor),
            }));
        }
    }
    Ok(finish(path, meta, pages, warnings))
}
/// Every page of `path` with one named extractor ("pdf-extract", "pdf_oxide"
/// or "lopdf"), in this process: for comparing extractors in benchmarks.
#[doc(hidden)]
pub fn extract_pages_with(path: &Path, extractor: &str) -> Result<Vec<Result<String, String>>, String> {
    let (mut doc, meta) = engine::open(path, false)?;
    Ok((1..=meta.page_count)
        .map(|n| match extractor {
            engine::PDF_EXTRACT => doc.page_pdf_extract(n),
            engine::PDF_OXIDE => doc.page_pdf_oxide(n),
            _ => doc.page_lopdf(n),
        })
        .collect())
}
/// Whole-file errors found without a parser: unreadable or empty file. (A
/// missing header is left to the worker, which tries to repair the file.)
fn precheck(path: &Path) -> Result<(), String> {
    let mut f = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut head = Vec::with_capacity(1024);
    (&mut f).take(1024).read_to_end(&mut head).map_err(|e| format!("cannot be read: {e}"))?;
    match engine::check_header(&head) {
        Err(e) if e != engine::NO_HEADER => Err(e),
        _ => Ok(()),
    }
}
pub mod worker;

/// The hidden first argument that turns the riskreg binary into an extraction worker.
pub const WORKER_ARG: &str = "__extract-worker";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_page_warnings_table() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cases: Vec<(Vec<String>, Vec<String>)> = vec![
            (v(&[]), v(&[])),
            (v(&["page 1: x"]), v(&["page 1: x"])),
            (v(&["page 1: x", "page 2: x", "page 3: x"]), v(&["pages 1–3: x"])),
            (v(&["page 1: x", "page 3: x"]), v(&["page 1: x", "page 3: x"])),
            (v(&["page 1: x", "page 2: y"]), v(&["page 1: x", "page 2: y"])),
            (v(&["other", "page 4: x", "page 5: x", "tail"]), v(&["other", "pages 4–5: x", "tail"])),
        ];
        for (input, want) in cases {
            assert_eq!(merge_page_warnings(input.clone()), want, "{input:?}");
        }
    }
}
