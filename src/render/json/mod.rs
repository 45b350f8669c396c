//! The JSON riskreg prints, and the only serde types of its output:
//! `search` is the public search schema (`riskreg search --json` and
//! `/api/search`, documented field by field there); `reports` holds each
//! other command's report. Both are built from the library's data, so the
//! index's storage format is never what a script reads.

mod reports;
mod search;
mod watch;
mod xref;

use serde::Serialize;

pub use reports::*;
pub use search::*;
pub use watch::*;
pub use xref::*;

/// Pretty JSON with a final newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("DTOs serialise");
    s.push('\n');
    s
}
