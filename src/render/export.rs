//! What an export (Markdown, CSV, CSL-JSON, RIS) needs besides the results:
//! the query as typed, the day it ran, which editions it searched, where the
//! PDFs are (for links) and the citation style.

use std::path::Path;

use super::cite::CiteStyle;
use super::count;
use crate::date;

/// Which editions a search looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Current,
    AllVersions,
    /// The editions in force on this date (YYYY-MM-DD).
    AsOf(String),
}

impl Scope {
    /// "current editions", "all editions, superseded ones included",
    /// "editions in force on 1 March 2025".
    pub fn describe(&self) -> String {
        match self {
            Scope::Current => "current editions".into(),
            Scope::AllVersions => "all editions, superseded ones included".into(),
            Scope::AsOf(d) => format!("editions in force on {}", date::long(d).unwrap_or_else(|| d.clone())),
        }
    }
}

/// The context of one export.
#[derive(Debug, Clone)]
pub struct Export<'a> {
    pub query: &'a str,
    /// Today, YYYY-MM-DD (`date::today()`: `SOURCE_DATE_EPOCH` fixes it).
    pub date: String,
    pub scope: Scope,
    /// The corpus folder, which every `Citation::file` is relative to.
    pub corpus: &'a Path,
    pub style: CiteStyle,
}

impl Export<'_> {
    /// "30 November 2026"
    pub fn long_date(&self) -> String {
        date::long(&self.date).unwrap_or_else(|| self.date.clone())
    }

    /// "2 of 14 matching passages", "1 matching chapter": what was shown
    /// of what matched.
    pub fn shown(&self, offset: usize, shown: usize, total: usize, noun: &str) -> String {
        let noun = format!("matching {noun}");
        match (offset, shown) {
            (0, n) if n >= total => count(total as u64, &noun),
            (0, n) => format!("{n} of {}", count(total as u64, &noun)),
            (o, 1) => format!("{} of {}", o + 1, count(total as u64, &noun)),
            (o, n) => format!("{}–{} of {}", o + 1, o + n, count(total as u64, &noun)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_and_counts() {
        assert_eq!(Scope::AsOf("2025-03-01".into()).describe(), "editions in force on 1 March 2025");
        let e = Export {
            query: "q",
            date: "2026-11-30".into(),
            scope: Scope::Current,
            corpus: Path::new("/c"),
            style: CiteStyle::Riskreg,
        };
        assert_eq!(e.long_date(), "30 November 2026");
        assert_eq!(e.shown(0, 2, 14, "passage"), "2 of 14 matching passages");
        assert_eq!(e.shown(0, 1, 1, "chapter"), "1 matching chapter");
        assert_eq!(e.shown(0, 3, 3, "chapter"), "3 matching chapters");
        assert_eq!(e.shown(10, 4, 14, "passage"), "11–14 of 14 matching passages");
    }
}
