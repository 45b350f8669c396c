//! The extraction worker process: `riskreg __extract-worker FILE --from N
//! [--mem BYTES] [--fallback-first] [--no-meta]`.
//!
//! It caps its own address space (RLIMIT_AS), opens FILE, and writes one JSON
//! object per line to stdout (the protocol, see [`Msg`]):
//!
//! 1. `header` — page count, labels, outline, title, encryption, warnings
//!    (outline/labels/title omitted with `--no-meta`), or `error` with a
//!    one-sentence reason when the whole file cannot be read;
//! 2. for each page from N on: `begin` (page, extractor about to run), maybe
//!    `candidate` (pdf-extract's text, kept in case the fallback dies), then
//!    `page` (page, text, extractor, optional warning) as soon as it is done;
//! 3. `done`.
//!
//! `--fallback-first`: page N is read with the fallback (pdf_oxide) only —
//! the parent asks for this after pdf-extract killed a worker on page N.
//! Anything a PDF library prints to stdout is diverted to stderr so it cannot
//! corrupt the protocol.

use super::engine::{self, Meta, LOPDF, NONE, PDF_EXTRACT, PDF_OXIDE};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// One protocol line.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Msg {
    Header { meta: Meta, pdf_extract: bool },
    Error { reason: String },
    Begin { page: u32, extractor: String },
    Candidate { page: u32, text: String, extractor: String },
    Page { page: u32, text: String, extractor: String, warning: Option<String> },
    Done,
}

/// Default address-space cap for the worker: 1 GiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 1 << 30;

struct Args {
    file: PathBuf,
    from: u32,
    mem: u64,
    fallback_first: bool,
    meta: bool,
}

/// The worker's arguments: options are words; the file is a path as the
/// system gave it (not always UTF-8).
fn parse_args(args: &[OsString]) -> Result<Args, String> {
    let mut file = None;
    let mut from = 1u32;
    let mut mem = DEFAULT_MEMORY_LIMIT;
    let mut fallback_first = false;
    let mut meta = true;
    let mut it = args.iter();
    let value = |v: Option<&OsString>| v.and_then(|v| v.to_str()).map(str::to_string);
    while let Some(a) = it.next() {
        match a.to_str() {
            Some("--from") => {
                from = value(it.next())
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n >= 1)
                    .ok_or("--from needs a page number ≥ 1")?
            }
            Some("--mem") => mem = value(it.next()).and_then(|v| v.parse().ok()).ok_or("--mem needs a byte count")?,
            Some("--fallback-first") => fallback_first = true,
            Some("--no-meta") => meta = false,
            Some(s) if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => file = Some(PathBuf::from(a)),
        }
    }
    Ok(Args { file: file.ok_or("no file given")?, from, mem, fallback_first, meta })
}

fn set_memory_limit(bytes: u64) {
    if bytes == 0 {
        return;
    }
    let lim = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
    // SAFETY: plain syscall on a valid struct.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

/// Takes over the real stdout for the protocol and points fd 1 at stderr.
fn protocol_out() -> std::fs::File {
    use std::os::fd::FromRawFd;
    // SAFETY: dup/dup2 on the standard descriptors; the new fd is owned by the File.
    unsafe {
        let fd = libc::dup(1);
        if fd < 0 {
            return std::fs::File::from_raw_fd(1);
        }
        libc::dup2(2, 1);
        std::fs::File::from_raw_fd(fd)
    }
}

/// Entry point of `riskreg __extract-worker ARGS…`; returns the exit code.
pub fn worker_main(args: &[OsString]) -> i32 {
    let args = match parse_args(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("riskreg __extract-worker: {e}");
            return 2;
        }
    };
    set_memory_limit(args.mem);
    // Panics are caught and reported per page; keep stderr quiet about them.
    std::panic::set_hook(Box::new(|_| {}));
    let mut out = std::io::BufWriter::new(protocol_out());
    let mut send = |m: &Msg| -> bool {
        let Ok(line) = serde_json::to_string(m) else {
            return false;
        };
        writeln!(out, "{line}").and_then(|_| out.flush()).is_ok()
    };

    let (mut doc, meta) = match engine::open(&args.file, args.meta) {
        Ok(x) => x,
        Err(reason) => {
            send(&Msg::Error { reason });
            return 3;
        }
    };
    let count = meta.page_count;
    if !send(&Msg::Header { meta, pdf_extract: doc.has_pdf_extract() }) {
        return 4;
    }
    for n in args.from..=count {
        let fallback_only = args.fallback_first && n == args.from;
        let msg = read_page(&mut doc, n, fallback_only, &mut |m| {
            send(m);
        });
        let msg = cap_page(msg);
        if !send(&msg) {
            return 4;
        }
    }
    send(&Msg::Done);
    0
}

/// Reads page `n`: pdf-extract first; pdf_oxide when pdf-extract fails,
/// finds little, cannot open the file or the file is damaged (the richer text
/// wins); lopdf's simple extraction when both find nothing. With
/// `fallback_only`, pdf-extract is not tried. Progress messages (`begin`,
/// `candidate`) go to `send`; the page is returned.
pub fn read_page(doc: &mut engine::Opened, n: u32, fallback_only: bool, send: &mut dyn FnMut(&Msg)) -> Msg {
    let page = |text: String, extractor: &str, warning: Option<String>| Msg::Page {
        page: n,
        text,
        extractor: extractor.into(),
        warning,
    };
    let alnum = engine::alnum_count;
    // `a` holds clearly more text than `b` (5% and 8 characters more).
    let richer = |a: &str, b: &str| alnum(a) * 20 > alnum(b) * 21 + 160;
    if fallback_only || !doc.has_pdf_extract() {
        send(&Msg::Begin { page: n, extractor: PDF_OXIDE.into() });
        let o = doc.page_pdf_oxide(n);
        if let Ok(t) = &o {
            if alnum(t) > 0 {
                return page(o.unwrap(), PDF_OXIDE, None);
            }
        }
        if let Some(l) = cross_check(doc, n, send) {
            return page(l, LOPDF, None);
        }
        return match o {
            Ok(t) => page(t, PDF_OXIDE, None),
            Err(e) => page(String::new(), NONE, Some(format!("page {n}: unreadable (pdf_oxide: {e}) — page skipped"))),
        };
    }
    send(&Msg::Begin { page: n, extractor: PDF_EXTRACT.into() });
    match doc.page_pdf_extract(n) {
        Ok(text) => {
            let suspicious = doc.damaged || engine::looks_suspicious(&text);
            let rtl = engine::mostly_rtl(&text);
            // The cheap cross-check (lopdf, ~3x faster than pdf-extract): on
            // the first pages of each file, short pages, and every page once
            // a loss was seen in this file.
            let lopdf_text = if suspicious || doc.audit_all || doc.audited < 3 || alnum(&text) < 400 {
                doc.audited += 1;
                send(&Msg::Candidate { page: n, text: text.clone(), extractor: PDF_EXTRACT.into() });
                cross_check(doc, n, send)
            } else {
                None
            };
            let lost = lopdf_text.as_deref().is_some_and(|l| richer(l, &text));
            if lost {
                doc.audit_all = true;
            }
            if !(suspicious || lost || rtl) {
                return page(text, PDF_EXTRACT, None);
            }
            // Ask the fallback too and keep the richest text, preferring
            // pdf-extract, then pdf_oxide (pdf_oxide for right-to-left
            // scripts, which pdf-extract leaves in visual order), then lopdf.
            send(&Msg::Candidate { page: n, text: text.clone(), extractor: PDF_EXTRACT.into() });
            send(&Msg::Begin { page: n, extractor: PDF_OXIDE.into() });
            let mut best = (text, PDF_EXTRACT);
            if let Ok(o) = doc.page_pdf_oxide(n) {
                let take =
                    if rtl { alnum(&o) * 10 >= alnum(&best.0) * 9 && alnum(&o) > 0 } else { richer(&o, &best.0) };
                if take {
                    best = (o, PDF_OXIDE);
                }
            }
            if let Some(l) = lopdf_text {
                if richer(&l, &best.0) {
                    best = (l, LOPDF);
                }
            }
            page(best.0, best.1, None)
        }
        Err(e) => {
            send(&Msg::Begin { page: n, extractor: PDF_OXIDE.into() });
            let o = doc.page_pdf_oxide(n);
            if let Ok(t) = &o {
                if alnum(t) > 0 {
                    let w = format!("page {n}: pdf-extract failed ({e}); read with pdf_oxide");
                    return page(o.unwrap(), PDF_OXIDE, Some(w));
                }
            }
            if let Some(l) = cross_check(doc, n, send) {
                let w = format!("page {n}: pdf-extract failed ({e}) and pdf_oxide found no text; read with lopdf");
                return page(l, LOPDF, Some(w));
            }
            match o {
                Ok(t) => {
                    page(t, PDF_OXIDE, Some(format!("page {n}: pdf-extract failed ({e}); pdf_oxide found no text")))
                }
                Err(e2) => page(
                    String::new(),
                    NONE,
                    Some(format!("page {n}: unreadable (pdf-extract: {e}; pdf_oxide: {e2}) — page skipped")),
                ),
            }
        }
    }
}

/// lopdf's text for page `n`, if it finds any.
fn cross_check(doc: &mut engine::Opened, n: u32, send: &mut dyn FnMut(&Msg)) -> Option<String> {
    send(&Msg::Begin { page: n, extractor: LOPDF.into() });
    doc.page_lopdf(n).ok().filter(|t| engine::alnum_count(t) > 0)
}

/// Longest page text sent back; a page beyond it is cut, with a warning.
pub const MAX_PAGE_BYTES: usize = 4 << 20;

fn cap_page(msg: Msg) -> Msg {
    match msg {
        Msg::Page { page, mut text, extractor, warning } if text.len() > MAX_PAGE_BYTES => {
            let mut cut = MAX_PAGE_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            let w = format!("page {page}: text cut at {} MiB", MAX_PAGE_BYTES >> 20);
            let warning = Some(match warning {
                Some(old) => format!("{old}; {w}"),
                None => w,
            });
            Msg::Page { page, text, extractor, warning }
        }
        m => m,
    }
}
