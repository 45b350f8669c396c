//! The errors riskreg reports to its user, and what exit code each means.
//!
//! Every message is one sentence that names the file (and page) it concerns
//! and, where there is one, what to do about it.

use std::path::{Path, PathBuf};

/// Exit codes: 0 success, 1 nothing found or some documents failed, 2 error.
pub mod exit {
    pub const OK: i32 = 0;
    pub const PARTIAL: i32 = 1;
    pub const ERROR: i32 = 2;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user asked for something that cannot be: a bad query, an unknown
    /// document id, a page that does not exist.
    #[error("{0}")]
    Usage(String),
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Manifest(#[from] crate::corpus::ManifestError),
    /// The index is missing, damaged or busy.
    #[error("{}: {reason}", path.display())]
    Index { path: PathBuf, reason: String },
    /// A query the parser rejects.
    #[error("{0}")]
    Query(#[from] crate::query::QueryError),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.to_path_buf(), source }
    }

    pub fn index(path: &Path, reason: impl std::fmt::Display) -> Error {
        Error::Index { path: path.to_path_buf(), reason: reason.to_string() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
