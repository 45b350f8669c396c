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

use super::engine::{self, Meta, NONE, PDF_EXTRACT, PDF_OXIDE};
use std::io::Write;
use std::path::PathBuf;

/// One protocol line.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Msg {
    Header {
        meta: Meta,
        pdf_extract: bool,
    },
    Error {
        reason: String,
    },
    Begin {
        page: u32,
        extractor: String,
    },
    Candidate {
        page: u32,
        text: String,
        extractor: String,
    },
    Page {
        page: u32,
        text: String,
        extractor: String,
        warning: Option<String>,
    },
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

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut file = None;
    let mut from = 1u32;
    let mut mem = DEFAULT_MEMORY_LIMIT;
    let mut fallback_first = false;
    let mut meta = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--from" => {
                from = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n >= 1)
                    .ok_or("--from needs a page number ≥ 1")?
            }
            "--mem" => {
                mem = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--mem needs a byte count")?
            }
            "--fallback-first" => fallback_first = true,
            "--no-meta" => meta = false,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => file = Some(PathBuf::from(s)),
        }
    }
    Ok(Args {
        file: file.ok_or("no file given")?,
        from,
        mem,
        fallback_first,
        meta,
    })
}

fn set_memory_limit(bytes: u64) {
    if bytes == 0 {
        return;
    }
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
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
pub fn worker_main(args: &[String]) -> i32 {
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
    if !send(&Msg::Header {
        meta,
        pdf_extract: doc.has_pdf_extract(),
    }) {
        return 4;
    }
    for n in args.from..=count {
        let fallback_only = args.fallback_first && n == args.from;
        let msg = read_page(&mut doc, n, fallback_only, &mut |m| {
            send(m);
        });
        if !send(&msg) {
            return 4;
        }
    }
    send(&Msg::Done);
    0
}

/// Reads page `n`: pdf-extract first, pdf_oxide when pdf-extract fails, finds
/// little, or cannot open the file (or only pdf_oxide with `fallback_only`).
/// Progress messages (`begin`, `candidate`) go to `send`; the page is returned.
pub fn read_page(
    doc: &mut engine::Opened,
    n: u32,
    fallback_only: bool,
    send: &mut dyn FnMut(&Msg),
) -> Msg {
    let fallback_only = fallback_only || !doc.has_pdf_extract();
    if fallback_only {
        send(&Msg::Begin {
            page: n,
            extractor: PDF_OXIDE.into(),
        });
        match doc.page_pdf_oxide(n) {
            Ok(text) => Msg::Page {
                page: n,
                text,
                extractor: PDF_OXIDE.into(),
                warning: None,
            },
            Err(e) => Msg::Page {
                page: n,
                text: String::new(),
                extractor: NONE.into(),
                warning: Some(format!(
                    "page {n}: unreadable (pdf_oxide: {e}) — page skipped"
                )),
            },
        }
    } else {
        send(&Msg::Begin {
            page: n,
            extractor: PDF_EXTRACT.into(),
        });
        match doc.page_pdf_extract(n) {
            Ok(text) if !engine::looks_suspicious(&text) => Msg::Page {
                page: n,
                text,
                extractor: PDF_EXTRACT.into(),
                warning: None,
            },
            Ok(text) => {
                // Little or odd text: ask the fallback and keep the richer.
                send(&Msg::Candidate {
                    page: n,
                    text: text.clone(),
                    extractor: PDF_EXTRACT.into(),
                });
                send(&Msg::Begin {
                    page: n,
                    extractor: PDF_OXIDE.into(),
                });
                match doc.page_pdf_oxide(n) {
                    Ok(o) if engine::alnum_count(&o) > engine::alnum_count(&text) + 8 => {
                        Msg::Page {
                            page: n,
                            text: o,
                            extractor: PDF_OXIDE.into(),
                            warning: None,
                        }
                    }
                    _ => Msg::Page {
                        page: n,
                        text,
                        extractor: PDF_EXTRACT.into(),
                        warning: None,
                    },
                }
            }
            Err(e) => {
                send(&Msg::Begin {
                    page: n,
                    extractor: PDF_OXIDE.into(),
                });
                match doc.page_pdf_oxide(n) {
                        Ok(o) => Msg::Page {
                            page: n,
                            text: o,
                            extractor: PDF_OXIDE.into(),
                            warning: Some(format!("page {n}: pdf-extract failed ({e}); read with pdf_oxide")),
                        },
                        Err(e2) => Msg::Page {
                            page: n,
                            text: String::new(),
                            extractor: NONE.into(),
                            warning: Some(format!(
                                "page {n}: unreadable (pdf-extract: {e}; pdf_oxide: {e2}) — page skipped"
                            )),
                        },
                    }
            }
        }
    }
}
