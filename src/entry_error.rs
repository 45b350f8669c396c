//! A problem in a file people edit by hand (`sources.toml`,
//! `vocabulary.toml`, `watches.toml`): one sentence naming the file, the
//! entry and the field, the same way for each. A leaf: it knows no file's
//! format.

use std::fmt;

/// `corpus/sources.toml: entry "ror": field "url": "ftp://…" is not an http(s) URL`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct EntryError {
    /// The file as the caller labelled it.
    pub file: String,
    /// `entry "ror"`, `[[harm]] "Hate"`, `[[watch]] 2`; `None` for problems
    /// of the whole file.
    pub entry: Option<String>,
    /// The field concerned, if any.
    pub field: Option<String>,
    /// What is wrong.
    pub detail: String,
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(entry) = &self.entry {
            write!(f, ": {entry}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field \"{field}\"")?;
        }
        write!(f, ": {}", self.detail)
    }
}

impl EntryError {
    /// A problem of the file `file`, at `entry` and `field` when given.
    pub fn new(file: &str, entry: Option<String>, field: Option<&str>, detail: String) -> EntryError {
        EntryError { file: file.to_string(), entry, field: field.map(str::to_string), detail }
    }

    /// `text` (the file `file`) parsed as a TOML table, or its syntax error
    /// with the line it is on.
    pub fn parse_toml(text: &str, file: &str) -> Result<toml::Table, EntryError> {
        text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().trim().trim_end_matches('.').to_string();
            let detail = match line {
                Some(l) => format!("TOML syntax error on line {l}: {msg}"),
                None => format!("TOML syntax error: {msg}"),
            };
            EntryError::new(file, None, None, detail)
        })
    }
}
