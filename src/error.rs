//! The errors riskreg reports to its user, and what exit code each means.
//!
//! Every message is one sentence that names the file, URL, document or page
//! it concerns and, where there is one, what to do about it. Each kind of
//! failure has its own variant, so that `serve` can answer each with the
//! status code that fits (see [`Error::kind`]).

use std::path::{Path, PathBuf};

/// How the process ends (fd's `exit_codes.rs` is the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Done; a search found something.
    Success,
    /// A search found nothing.
    NothingFound,
    /// Some documents (or downloads) failed; the rest were done.
    SomeFailed,
    /// Nothing was done: an error.
    Error,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::NothingFound | ExitCode::SomeFailed => 1,
            ExitCode::Error => 2,
        }
    }
}

impl From<ExitCode> for i32 {
    fn from(c: ExitCode) -> i32 {
        c.code()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user asked for something that cannot be: a bad combination of
    /// options, a parameter out of range, an edition that is not one.
    #[error("{0}")]
    Usage(String),
    /// No indexed document answers to that id or file name.
    #[error("unknown document \"{asked}\": the indexed documents are {}", known.join(", "))]
    UnknownDoc { asked: String, known: Vec<String> },
    /// A file name that fits several indexed documents.
    #[error("\"{asked}\" names several documents ({}); use an id", ids.join(", "))]
    AmbiguousDoc { asked: String, ids: Vec<String> },
    /// A kind of harm the vocabulary does not list (`riskreg harms NAME`, `/api/harms?harm=`).
    #[error("no kind of harm is called \"{asked}\"; the vocabulary lists: {}", known.join("; "))]
    UnknownHarm { asked: String, known: Vec<String> },
    /// The corpus has no vocabulary file, so no list of harms.
    #[error("no list of harms: {} names the kinds of harm and their common names (see corpus/README.md)", path.display())]
    NoHarmList { path: PathBuf },
    /// A document has no such page.
    #[error("{doc} has no {page}; {hint}")]
    NoSuchPage { doc: String, page: String, hint: String },
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// Output could not be written (a closed pipe is one case).
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
    /// A file people edit by hand is malformed (`sources.toml`,
    /// `vocabulary.toml`, `watches.toml`), or names what is not there: the
    /// message names the file, the entry and the field.
    #[error(transparent)]
    Entry(#[from] crate::entry_error::EntryError),
    /// `corpus/sources.lock` could not be read or written.
    #[error("{}: {reason}", path.display())]
    LockFile { path: PathBuf, reason: String },
    /// The corpus folder holds no PDF.
    #[error("{}: no PDF files found; put PDFs there or pass --corpus DIR", path.display())]
    EmptyCorpus { path: PathBuf },
    /// No corpus folder: none was named and none was found, or the one named
    /// is not there.
    #[error("{}: {hint}", path.as_ref().map_or("cannot find the guidance PDFs".to_string(), |p| p.display().to_string()))]
    NoCorpus { path: Option<PathBuf>, hint: String },
    /// The index is missing or damaged.
    #[error("{}: {reason}", path.display())]
    Index { path: PathBuf, reason: String },
    /// Another build holds the index.
    #[error(
        "{}: another `riskreg index` is building this index right now; wait for it to finish, then try again",
        path.display()
    )]
    Busy { path: PathBuf },
    /// A query the parser rejects.
    #[error("{0}")]
    Query(#[from] crate::query::QueryError),
    /// A web page or file could not be fetched.
    #[error("{url}: {reason}")]
    Fetch { url: String, reason: String },
    /// A draft letter (`riskreg verify`) that cannot be read, or fixed as asked.
    #[error("{}: {reason}", path.display())]
    Draft { path: PathBuf, reason: String },
    /// A PDF could not be read.
    #[error("{}: {reason}", path.display())]
    Extract { path: PathBuf, reason: String },
    /// `riskreg serve` could not listen on its address.
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    /// The HTTP server (or its runtime) failed while running.
    #[error("the web server stopped: {0}")]
    Server(std::io::Error),
    /// `riskreg mcp` could not start talking to the assistant, or failed
    /// while it did (the message says which).
    #[error("{0}")]
    Mcp(String),
}

/// What an error is about, for the HTTP status code it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request is wrong (400).
    BadRequest,
    /// The thing asked for is not there (404).
    NotFound,
    /// Something upstream failed (502).
    Upstream,
    /// The index cannot answer now (503).
    Unavailable,
    /// Something broke here (500).
    Internal,
}

impl Kind {
    /// As `--json` errors name it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::BadRequest => "bad_request",
            Kind::NotFound => "not_found",
            Kind::Upstream => "upstream",
            Kind::Unavailable => "unavailable",
            Kind::Internal => "internal",
        }
    }
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.to_path_buf(), source }
    }

    pub fn index(path: &Path, reason: impl std::fmt::Display) -> Error {
        Error::Index { path: path.to_path_buf(), reason: reason.to_string() }
    }

    /// A reader that went away (`riskreg search x | head -1`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    pub fn kind(&self) -> Kind {
        match self {
            Error::Usage(_) | Error::Query(_) | Error::AmbiguousDoc { .. } | Error::Draft { .. } => Kind::BadRequest,
            Error::UnknownDoc { .. }
            | Error::NoSuchPage { .. }
            | Error::UnknownHarm { .. }
            | Error::NoHarmList { .. } => Kind::NotFound,
            Error::Fetch { .. } => Kind::Upstream,
            Error::Index { .. } | Error::Busy { .. } | Error::EmptyCorpus { .. } | Error::NoCorpus { .. } => {
                Kind::Unavailable
            }
            Error::Io { .. }
            | Error::Output(_)
            | Error::Entry(_)
            | Error::LockFile { .. }
            | Error::Extract { .. }
            | Error::Bind { .. }
            | Error::Server(_)
            | Error::Mcp(_) => Kind::Internal,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        let codes: Vec<i32> = [ExitCode::Success, ExitCode::NothingFound, ExitCode::SomeFailed, ExitCode::Error]
            .into_iter()
            .map(i32::from)
            .collect();
        assert_eq!(codes, [0, 1, 1, 2]);
    }

    #[test]
    fn messages_name_what_they_concern() {
        let refused = || std::io::Error::new(std::io::ErrorKind::AddrInUse, "address in use");
        let cases: Vec<(Error, &str, Kind)> = vec![
            (
                Error::UnknownDoc { asked: "nope".into(), known: vec!["ror".into(), "icjg".into()] },
                "unknown document \"nope\": the indexed documents are ror, icjg",
                Kind::NotFound,
            ),
            (
                Error::AmbiguousDoc { asked: "guide.pdf".into(), ids: vec!["guide".into(), "guide-2".into()] },
                "\"guide.pdf\" names several documents (guide, guide-2); use an id",
                Kind::BadRequest,
            ),
            (
                Error::NoSuchPage { doc: "ror".into(), page: "PDF page 999".into(), hint: "its PDF pages run 1–232".into() },
                "ror has no PDF page 999; its PDF pages run 1–232",
                Kind::NotFound,
            ),
            (
                Error::Fetch { url: "https://example.org/x".into(), reason: "connection refused".into() },
                "https://example.org/x: connection refused",
                Kind::Upstream,
            ),
            (
                Error::Busy { path: "index".into() },
                "index: another `riskreg index` is building this index right now; wait for it to finish, then try again",
                Kind::Unavailable,
            ),
            (
                Error::Extract { path: "corpus/a.pdf".into(), reason: "not a PDF (no %PDF- header)".into() },
                "corpus/a.pdf: not a PDF (no %PDF- header)",
                Kind::Internal,
            ),
            (
                Error::Draft { path: "letter.doc".into(), reason: "a Word 97–2003 .doc; save it as .docx".into() },
                "letter.doc: a Word 97–2003 .doc; save it as .docx",
                Kind::BadRequest,
            ),
            (
                Error::Bind { addr: "127.0.0.1:1".into(), source: refused() },
                "cannot listen on 127.0.0.1:1: address in use",
                Kind::Internal,
            ),
            (
                Error::EmptyCorpus { path: "corpus".into() },
                "corpus: no PDF files found; put PDFs there or pass --corpus DIR",
                Kind::Unavailable,
            ),
            (
                Error::NoCorpus { path: Some("pdfs".into()), hint: "no such folder".into() },
                "pdfs: no such folder",
                Kind::Unavailable,
            ),
            (
                Error::LockFile { path: "corpus/sources.lock".into(), reason: "expected `=`".into() },
                "corpus/sources.lock: expected `=`",
                Kind::Internal,
            ),
        ];
        for (e, message, kind) in cases {
            assert_eq!((e.to_string().as_str(), e.kind()), (message, kind));
        }
        let pipe = Error::Output(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(pipe.is_broken_pipe());
        assert!(!Error::Output(std::io::Error::other("disk full")).is_broken_pipe());
    }
}
