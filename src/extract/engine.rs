//! In-process extraction primitives, used by the worker process: open a file
//! with every reader, read its metadata, and extract one page with
//! pdf-extract (first) or pdf_oxide (fallback).
//!
//! Nothing here is safe against stack overflows or runaway allocations; that
//! is what the worker process is for.

use super::{labels, outline, repair, OutlineEntry};
use pdf_oxide::PdfDocument;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

pub const PDF_EXTRACT: &str = "pdf-extract";
pub const PDF_OXIDE: &str = "pdf_oxide";
pub const LOPDF: &str = "lopdf";
pub const NONE: &str = "none";

/// Maps an extractor name read back from the worker to the static name.
pub fn extractor_name(s: &str) -> &'static str {
    match s {
        PDF_EXTRACT => PDF_EXTRACT,
        PDF_OXIDE => PDF_OXIDE,
        LOPDF => LOPDF,
        _ => NONE,
    }
}

/// What the document says about itself.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub page_count: u32,
    pub labels: Option<Vec<String>>,
    pub outline: Vec<(u32, String, u32)>,
    pub title: Option<String>,
    pub encrypted: bool,
    pub warnings: Vec<String>,
}

impl Meta {
    pub fn outline_entries(&self) -> Vec<OutlineEntry> {
        self.outline
            .iter()
            .map(|(level, title, page)| OutlineEntry { level: *level, title: title.clone(), page: *page })
            .collect()
    }
}

/// A file opened by the readers that could open it.
pub struct Opened {
    bytes: Vec<u8>,
    /// pdf-extract's document (its own lopdf 0.42), when it opened the file
    /// and agrees on the page count.
    pe: Option<pdf_extract::Document>,
    /// pdf_oxide, opened on first use; `Some(None)` = it could not open the file.
    oxide: Option<Option<PdfDocument>>,
    pub page_count: u32,
    /// The file needed repair (xref rebuilt, or only some readers open it):
    /// every page is read by both extractors and the richer text kept.
    pub damaged: bool,
    /// lopdf 0.47's document: a cheap cross-check of pdf-extract's text and
    /// last-resort text for pages both extractors miss.
    lo: Option<lopdf::Document>,
    /// Pages cross-checked with lopdf so far.
    pub audited: u32,
    /// A page lost text in pdf-extract: cross-check every page from now on.
    pub audit_all: bool,
}

pub const NO_HEADER: &str = "not a PDF (no %PDF header)";

/// Checks the first bytes: the whole-file errors that need no parser.
pub fn check_header(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(NO_HEADER.into());
    }
    Ok(())
}

fn has_objects(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"endobj")
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".into()
    }
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 160 {
        s.chars().take(160).collect::<String>() + "…"
    } else {
        s
    }
}

/// Loads `bytes` with lopdf 0.47 and with pdf-extract (its own lopdf 0.42),
/// panics caught.
fn load_both(bytes: &[u8]) -> (Result<lopdf::Document, String>, Option<pdf_extract::Document>) {
    let lo = match catch_unwind(AssertUnwindSafe(|| lopdf::Document::load_mem(bytes))) {
        Ok(Ok(d)) => Ok(d),
        Ok(Err(e)) => Err(one_line(&e.to_string())),
        Err(p) => Err(format!("lopdf panicked: {}", one_line(&panic_text(p)))),
    };
    let pe = match catch_unwind(AssertUnwindSafe(|| pdf_extract::Document::load_mem(bytes))) {
        Ok(Ok(d)) => Some(d),
        _ => None,
    };
    (lo, pe)
}

/// Opens `path` with lopdf 0.47 (metadata, page count), pdf-extract and, if
/// needed, pdf_oxide. `with_meta` = also read labels, outline and title.
pub fn open(path: &Path, with_meta: bool) -> Result<(Opened, Meta), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))?;
    // A file whose header is damaged is still tried when it holds objects;
    // if nothing opens it, the missing header is the reason given.
    let no_header = match check_header(&bytes) {
        Ok(()) => false,
        Err(e) if e == NO_HEADER && has_objects(&bytes) => true,
        Err(e) => return Err(e),
    };
    let mut meta = Meta::default();
    // Nesting no reader survives is overwritten before any reader sees it.
    let bytes = match repair::flatten_deep_nesting(&bytes) {
        Some((flat, n)) => {
            let what = if n == 1 { "a value".to_string() } else { format!("{n} values") };
            meta.warnings.push(format!(
                "repaired: {what} nested deeper than {} levels could not be read and became null",
                repair::MAX_NESTING
            ));
            flat
        }
        None => bytes,
    };

    let (mut lo, mut pe) = load_both(&bytes);
    let damaged = no_header || lo.as_ref().map_or(true, |d| d.xref_recovery.is_some()) || pe.is_none();
    let mut bytes = bytes;
    if damaged {
        // Damage we know how to repair: every reader gets the rebuilt copy.
        if let Ok(Some((clean, note))) = catch_unwind(AssertUnwindSafe(|| repair::repair(&bytes))) {
            (lo, pe) = load_both(&clean);
            bytes = clean;
            meta.warnings.push(note);
        }
    }
    // A page tree that repeats itself is flattened to the pages a viewer shows.
    let rebuilt =
        lo.as_ref().ok().and_then(|d| catch_unwind(AssertUnwindSafe(|| repair::rebuild_page_tree(d))).ok()?);
    if let Some((clean, note)) = rebuilt {
        (lo, pe) = load_both(&clean);
        bytes = clean;
        meta.warnings.push(note);
    }
    let mut opened =
        Opened { bytes, pe: None, oxide: None, page_count: 0, damaged, lo: None, audited: 0, audit_all: false };
    let mut page_count: Option<u32> = None;
    if let Ok(doc) = &lo {
        if doc.is_encrypted() {
            return Err("encrypted (a password is required)".into());
        }
        meta.encrypted = doc.was_encrypted();
        let pages = doc.get_pages();
        let n = pages.len() as u32;
        if n > 0 {
            page_count = Some(n);
            // The page tree's own /Count, compared with the pages found.
            let declared = doc
                .catalog()
                .ok()
                .and_then(|c| c.get(b"Pages").ok())
                .and_then(|p| p.as_reference().ok())
                .and_then(|id| doc.get_dictionary(id).ok())
                .and_then(|d| d.get(b"Count").ok())
                .and_then(|c| c.as_i64().ok());
            if let Some(d) = declared {
                if d != n as i64 {
                    meta.warnings
                        .push(format!("the page tree declares {d} pages but {n} were found; reading the {n} found"));
                }
            }
            if with_meta {
                let r = catch_unwind(AssertUnwindSafe(|| {
                    let mut w = Vec::new();
                    let ranges = labels::read_page_labels(doc, &mut w);
                    let labels = ranges.map(|r| labels::compute_labels(n, &r));
                    let outline = outline::read_outline(doc, &pages, &mut w);
                    let title = outline::read_title(doc);
                    (labels, outline, title, w)
                }));
                match r {
                    Ok((labels, ol, title, w)) => {
                        meta.labels = labels;
                        meta.outline = ol.into_iter().map(|e| (e.level, e.title, e.page)).collect();
                        meta.title = title;
                        meta.warnings.extend(w);
                    }
                    Err(p) => meta
                        .warnings
                        .push(format!("the outline and page labels could not be read: {}", one_line(&panic_text(p)))),
                }
            }
        }
    }

    // pdf-extract's own view of the file.
    let pe_pages = pe.as_ref().and_then(|d| {
        if d.is_encrypted() {
            None
        } else {
            catch_unwind(AssertUnwindSafe(|| d.get_pages().len() as u32)).ok()
        }
    });
    if page_count.is_none() {
        page_count = pe_pages.filter(|&n| n > 0);
    }
    if page_count.is_none() {
        // Last resort: pdf_oxide.
        let n = opened.oxide().and_then(|d| catch_unwind(AssertUnwindSafe(|| d.page_count())).ok()?.ok());
        if let Some(n) = n.filter(|&n| n > 0) {
            page_count = Some(n as u32);
            if opened.oxide().map(|d| d.is_encrypted()).unwrap_or(false) {
                meta.encrypted = true;
            }
        }
    }
    let Some(page_count) = page_count else {
        if no_header {
            return Err(NO_HEADER.into());
        }
        if !has_objects(&opened.bytes) {
            return Err("not a PDF (a %PDF header but no PDF objects)".into());
        }
        return Err(match lo {
            Err(e) if e.to_lowercase().contains("password") || e.to_lowercase().contains("decrypt") => {
                "encrypted (a password is required)".into()
            }
            Err(e) => format!("damaged beyond repair: {e}"),
            Ok(_) => "damaged beyond repair: no pages found".into(),
        });
    };
    if pe_pages == Some(page_count) {
        opened.pe = pe;
    } else if pe_pages.is_some() {
        opened.damaged = true;
    }
    if let Ok(d) = lo {
        if d.get_pages().len() as u32 == page_count {
            opened.lo = Some(d);
        }
    }
    opened.page_count = page_count;
    meta.page_count = page_count;
    Ok((opened, meta))
}

impl Opened {
    /// True when pdf-extract opened the file and agrees on its pages.
    pub fn has_pdf_extract(&self) -> bool {
        self.pe.is_some()
    }

    fn oxide(&mut self) -> Option<&PdfDocument> {
        if self.oxide.is_none() {
            let bytes = self.bytes.clone();
            let doc = catch_unwind(AssertUnwindSafe(|| PdfDocument::from_bytes(bytes))).ok().and_then(|r| r.ok());
            if let Some(d) = &doc {
                if d.is_encrypted() {
                    let _ = catch_unwind(AssertUnwindSafe(|| d.authenticate(b"")));
                }
            }
            self.oxide = Some(doc);
        }
        self.oxide.as_ref().and_then(|o| o.as_ref())
    }

    /// Page `n` (1-based) with pdf-extract, a panic or error caught.
    pub fn page_pdf_extract(&self, n: u32) -> Result<String, String> {
        let doc = self.pe.as_ref().ok_or("pdf-extract cannot open this file")?;
        let r = catch_unwind(AssertUnwindSafe(|| {
            // Our own sink, not pdf-extract's PlainTextOutput: see text_output.rs.
            let mut sink = super::text_output::TextSink::new();
            pdf_extract::output_doc_page(doc, &mut sink, n).map_err(|e| one_line(&e.to_string()))?;
            Ok(sink.text)
        }));
        match r {
            Ok(r) => r.map(|s| tidy(&s)),
            Err(p) => Err(format!("panicked: {}", one_line(&panic_text(p)))),
        }
    }

    /// Page `n` (1-based) with lopdf's own simple text extraction: the last
    /// resort for pages the two extractors miss (it glues and splits words).
    pub fn page_lopdf(&self, n: u32) -> Result<String, String> {
        let doc = self.lo.as_ref().ok_or("lopdf cannot open this file")?;
        match catch_unwind(AssertUnwindSafe(|| doc.extract_text(&[n]))) {
            Ok(Ok(s)) => Ok(tidy(&s)),
            Ok(Err(e)) => Err(one_line(&e.to_string())),
            Err(p) => Err(format!("panicked: {}", one_line(&panic_text(p)))),
        }
    }

    /// Page `n` (1-based) with pdf_oxide, a panic or error caught.
    pub fn page_pdf_oxide(&mut self, n: u32) -> Result<String, String> {
        let doc = self.oxide().ok_or("pdf_oxide cannot open this file")?;
        let r = catch_unwind(AssertUnwindSafe(|| doc.extract_text(n as usize - 1)));
        match r {
            Ok(Ok(s)) => Ok(tidy(&s)),
            Ok(Err(e)) => Err(one_line(&e.to_string())),
            Err(p) => Err(format!("panicked: {}", one_line(&panic_text(p)))),
        }
    }
}

/// Line ends normalised to '\n', trailing spaces and surrounding blank lines
/// dropped; nothing else changed.
pub fn tidy(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = s.split('\n').map(|l| l.trim_end()).collect();
    let start = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.is_empty()).map(|i| i + 1).unwrap_or(start);
    lines[start..end].join("\n")
}

/// How much real text a page holds: letters and digits.
pub fn alnum_count(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Mostly Arabic or Hebrew letters: pdf-extract leaves these in visual
/// (reversed) order, pdf_oxide in logical order.
pub fn mostly_rtl(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    let rtl = s.chars().filter(|c| matches!(*c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)).count();
    letters > 0 && rtl * 10 > letters * 3
}

/// A pdf-extract page that deserves a second opinion: almost no text, or
/// much of it replacement/control/private-use characters.
pub fn looks_suspicious(s: &str) -> bool {
    let total = s.chars().filter(|c| !c.is_whitespace()).count();
    if total < 40 {
        return true;
    }
    let bad = s
        .chars()
        .filter(|&c| {
            c == '\u{FFFD}' || (c.is_control() && c != '\n' && c != '\t') || ('\u{E000}'..='\u{F8FF}').contains(&c)
        })
        .count();
    bad * 20 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_checks() {
        assert_eq!(check_header(b""), Err("empty file".into()));
        assert_eq!(check_header(b"hello world"), Err("not a PDF (no %PDF header)".into()));
        assert_eq!(check_header(b"%PDF-1.4\n"), Ok(()));
        assert_eq!(check_header(b"\xEF\xBB\xBFjunk %PDF-1.7\n"), Ok(()));
    }

    #[test]
    fn tidy_table() {
        let cases = [("\n\nA line  \nB\r\nC\n\n", "A line\nB\nC"), ("", ""), ("\n \n", ""), ("x\n\n\ny", "x\n\n\ny")];
        for (input, want) in cases {
            assert_eq!(tidy(input), want, "{input:?}");
        }
    }

    #[test]
    fn suspicious_table() {
        assert!(looks_suspicious(""));
        assert!(looks_suspicious("3"));
        assert!(!looks_suspicious(&"word ".repeat(20)));
        assert!(looks_suspicious(&"\u{FFFD}\u{FFFD}ab ".repeat(20)));
    }
}
