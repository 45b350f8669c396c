//! The JSON of `riskreg watch --json` (and `riskreg index --watch --json`)
//! and of `riskreg watch list --json`.
//!
//! `riskreg watch --json`:
//! ```json
//! { "reported": "2026-11-30T12:00:00Z",  // when this run was made (UTC)
//!   "since": "2025-06-01" | null,        // --since: editions dated after this day
//!   "news": true,                        // anything new, changed or gone (exit 0; else 1)
//!   "watches": [ {
//!     "name": "trafficking", "query": "human trafficking", "docs": ["ror"], "exact": false,
//!     "status": "baseline" | "report",
//!     "baseline": 12 | null,             // a baseline: how many hits it holds
//!     "baseline_why": "first" | "edited" | null,
//!                                        // its first run, or its query was edited since
//!     "last_report": "2026-11-29T06:00:00Z" | null,
//!     "pages_matched": 40, "pages_read": 40,
//!                                        // pages the query matches, and those watched (the best
//!                                        // 1,000): fewer read means some hits are not watched
//!     "new": [ Change ], "changed": [ Change ],
//!     "gone": [ { "key": "g ¶2.1", "citation": "… · ¶2.1" } ]
//!                                        // found at the last report, not now (the citation then)
//!   } ] }
//! ```
//! A `Change`:
//! ```json
//! { "key": "g ¶1.2",                     // first edition's id, then ¶ (or chapter · page)
//!   "citation": { … },                   // as in `search --json`; "text" is the line to copy
//!   "text": "1.2 Records are kept for five years.",   // the paragraph's whole text now
//!   "words": "1.2 Records are [-kept.-]{+kept for five years.+}" | null,
//!                                        // changed: its words compared with before
//!   "before": { "doc": "g", "version": "100" | null, "citation": "…" | null } | null,
//!                                        // changed: the edition (and citation) it was seen in
//!   "replaces": { "doc": "g", "version": "100" | null, "date": "2024-12-16" | null } | null
//!                                        // in an edition the watch had not seen: the one it replaces
//! }
//! ```

use serde::{Deserialize, Serialize};

use super::search::{citation, CitationOut};
use crate::render::link::LinkBase;
use crate::watch::{BaselineWhy, Change, Edition, Outcome, Watch, WatchReport};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchRunOut {
    pub reported: String,
    pub since: Option<String>,
    pub news: bool,
    pub watches: Vec<WatchOut>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchOut {
    pub name: String,
    pub query: String,
    pub docs: Vec<String>,
    pub exact: bool,
    pub status: String,
    pub baseline: Option<usize>,
    pub baseline_why: Option<String>,
    pub last_report: Option<String>,
    pub pages_matched: usize,
    pub pages_read: usize,
    pub new: Vec<ChangeOut>,
    pub changed: Vec<ChangeOut>,
    pub gone: Vec<GoneOut>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeOut {
    pub key: String,
    pub citation: CitationOut,
    pub text: String,
    pub words: Option<String>,
    pub before: Option<BeforeOut>,
    pub replaces: Option<EditionOut>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BeforeOut {
    pub doc: String,
    pub version: Option<String>,
    pub citation: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EditionOut {
    pub doc: String,
    pub version: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GoneOut {
    pub key: String,
    pub citation: String,
}

fn edition(e: &Edition) -> EditionOut {
    EditionOut { doc: e.doc.clone(), version: e.version.clone(), date: e.date.clone() }
}

fn change(c: &Change, base: LinkBase) -> ChangeOut {
    ChangeOut {
        key: c.unit.key.clone(),
        citation: citation(&c.unit.citation, base),
        text: c.unit.text.clone(),
        words: c.before.as_ref().map(|b| crate::render::human::word_diff(&b.words, false)),
        before: c.before.as_ref().map(|b| BeforeOut {
            doc: b.doc.clone(),
            version: b.version.clone(),
            citation: (!b.cite.is_empty()).then(|| b.cite.clone()),
        }),
        replaces: c.replaces.as_ref().map(edition),
    }
}

pub fn watch_run(reports: &[WatchReport], since: Option<&str>, now: &str, base: LinkBase) -> WatchRunOut {
    let watches = reports
        .iter()
        .map(|r| {
            let w = &r.watch;
            let (status, baseline, why) = match &r.outcome {
                Outcome::Baseline { units, why } => (
                    "baseline",
                    Some(*units),
                    Some(match why {
                        BaselineWhy::First => "first",
                        BaselineWhy::Edited => "edited",
                    }),
                ),
                Outcome::Report { .. } => ("report", None, None),
            };
            let (new, changed, gone) = match &r.outcome {
                Outcome::Report { new, changed, gone } => (
                    new.iter().map(|c| change(c, base)).collect(),
                    changed.iter().map(|c| change(c, base)).collect(),
                    gone.iter().map(|g| GoneOut { key: g.key.clone(), citation: g.cite.clone() }).collect(),
                ),
                Outcome::Baseline { .. } => (Vec::new(), Vec::new(), Vec::new()),
            };
            WatchOut {
                name: w.name.clone(),
                query: w.query.clone(),
                docs: w.docs.clone(),
                exact: w.exact,
                status: status.to_string(),
                baseline,
                baseline_why: why.map(str::to_string),
                last_report: r.last.clone(),
                pages_matched: r.pages_total,
                pages_read: r.pages_read,
                new,
                changed,
                gone,
            }
        })
        .collect();
    WatchRunOut {
        reported: now.to_string(),
        since: since.map(str::to_string),
        news: reports.iter().any(|r| r.outcome.is_news()),
        watches,
    }
}

/// `riskreg watch list --json`: each watch as the file has it, and when it
/// last reported.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WatchListOut {
    pub name: String,
    pub query: String,
    pub docs: Vec<String>,
    pub exact: bool,
    pub last_report: Option<String>,
}

pub fn watch_list(watches: &[Watch], last: &dyn Fn(&str) -> Option<String>) -> Vec<WatchListOut> {
    watches
        .iter()
        .map(|w| WatchListOut {
            name: w.name.clone(),
            query: w.query.clone(),
            docs: w.docs.clone(),
            exact: w.exact,
            last_report: last(&w.name),
        })
        .collect()
}
