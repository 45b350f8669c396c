//! `riskreg watch` for people: a list per watch (`+` new, `~` changed,
//! `-` no longer found, as `diff` marks them), Markdown for a memo, and
//! `watch list`. Each item's citation is the line `search` prints to copy.

use std::ops::Range;
use std::path::Path;

use super::cite::{cite, CiteStyle, Markup};
use super::md::{escape, merge_highlights};
use crate::watch::{BaselineWhy, Change, Edition, Outcome, Watch, WatchReport};

/// Words of a unit shown around its first match.
const EXCERPT_WORDS: usize = 40;
/// Words kept before the first match.
const LEAD_WORDS: usize = 8;

/// A unit's text cut to [`EXCERPT_WORDS`] words from a little before its
/// first match, with the highlights that fall inside (moved), and whether
/// words were cut at each end.
pub fn excerpt(text: &str, highlights: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    let words: Vec<(usize, usize)> = word_spans(text);
    if words.is_empty() {
        return (String::new(), Vec::new());
    }
    let first = highlights.first().map_or(0, |h| words.iter().position(|w| w.1 > h.start).unwrap_or(0));
    let from = first.saturating_sub(LEAD_WORDS);
    let to = (from + EXCERPT_WORDS).min(words.len());
    let (start, end) = (words[from].0, words[to - 1].1);
    let lead = if from > 0 { "… " } else { "" };
    let trail = if to < words.len() { " …" } else { "" };
    let marks = highlights
        .iter()
        .filter(|h| h.start >= start && h.end <= end)
        .map(|h| h.start - start + lead.len()..h.end - start + lead.len())
        .collect();
    // Line breaks become spaces (one byte each: the highlights hold).
    (format!("{lead}{}{trail}", text[start..end].replace(['\n', '\r'], " ")), marks)
}

fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// `g (v100, 16 December 2024)`.
pub fn edition(e: &Edition) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &e.version {
        parts.push(format!("v{v}"));
    }
    if let Some(d) = &e.date {
        parts.push(crate::date::long(d).unwrap_or_else(|| d.clone()));
    }
    if parts.is_empty() {
        e.doc.clone()
    } else {
        format!("{} ({})", e.doc, parts.join(", "))
    }
}

/// What a change says about editions: `in a new edition, replacing g (v100, …)`.
fn edition_note(c: &Change) -> Option<String> {
    c.replaces.as_ref().map(|e| format!("in {}, which replaces {}", c.unit.citation.doc, edition(e)))
}

/// `trafficking: "human trafficking" in ror` — the watch as the report heads it.
fn title(w: &Watch) -> String {
    let mut s = format!("{}: {}", w.name, w.query);
    if !w.docs.is_empty() {
        s.push_str(&format!(" (in {})", w.docs.join(", ")));
    }
    if w.exact {
        s.push_str(" (exact)");
    }
    s
}

/// The sentence for a watch with nothing to list.
fn quiet_line(r: &WatchReport, since: Option<&str>) -> Option<String> {
    match &r.outcome {
        Outcome::Baseline { units, why } => Some(format!(
            "baseline set: {} ({}); the next run reports what is new or changed",
            super::count(*units as u64, "hit"),
            match why {
                BaselineWhy::First => "its first run",
                BaselineWhy::Edited => "its query was edited",
            }
        )),
        o if !o.is_news() => Some(match (since, &r.last) {
            (Some(d), _) => format!("nothing new or changed in editions dated after {d}"),
            (None, Some(last)) => format!("nothing new or changed since {last}"),
            (None, None) => "nothing new or changed".to_string(),
        }),
        _ => None,
    }
}

/// When more pages match than a watch reads.
fn limit_line(r: &WatchReport) -> Option<String> {
    (r.pages_total > r.pages_read).then(|| {
        format!(
            "the query matches {} pages; only the best {} are watched (narrow the query or add doc filters)",
            super::thousands(r.pages_total as u64),
            super::thousands(r.pages_read as u64)
        )
    })
}

/// The report for reading: per watch, its heading, then one item per change.
pub fn human(reports: &[WatchReport], since: Option<&str>, color: bool) -> String {
    let mut out = String::new();
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&title(&r.watch));
        out.push('\n');
        if let Some(l) = limit_line(r) {
            out.push_str(&format!("  ({l})\n"));
        }
        if let Some(l) = quiet_line(r, since) {
            out.push_str(&format!("  {l}\n"));
            continue;
        }
        let Outcome::Report { new, changed, gone } = &r.outcome else { continue };
        for c in new {
            out.push_str(&format!("  + {}\n", super::citation_line(&c.unit.citation)));
            let (text, _) = excerpt(&c.unit.text, &c.unit.highlights);
            out.push_str(&format!("      {text}\n"));
            if let Some(n) = edition_note(c) {
                out.push_str(&format!("      {n}\n"));
            }
        }
        for c in changed {
            out.push_str(&format!("  ~ {}\n", super::citation_line(&c.unit.citation)));
            if let Some(b) = &c.before {
                out.push_str(&format!("      {}\n", super::human::word_diff(&b.words, color)));
                if !b.cite.is_empty() && b.cite != super::citation_line(&c.unit.citation) {
                    out.push_str(&format!("      was: {}\n", b.cite));
                }
            }
            if let Some(n) = edition_note(c) {
                out.push_str(&format!("      {n}\n"));
            }
        }
        for g in gone {
            out.push_str(&format!("  - {}\n      no longer found\n", g.cite));
        }
    }
    out
}

/// A changed paragraph's words in Markdown: ~~removed~~ **added**.
fn md_words(words: &[crate::diff::Words]) -> String {
    // The human form (the same context cut), its brackets as Markdown marks.
    let plain = super::human::word_diff(words, false);
    let mut out = String::new();
    let mut rest = plain.as_str();
    while let Some(i) = rest.find(['[', '{']) {
        let (open, close, mark) = if rest[i..].starts_with("[-") {
            ("[-", "-]", "~~")
        } else if rest[i..].starts_with("{+") {
            ("{+", "+}", "**")
        } else {
            out.push_str(&escape(&rest[..=i]));
            rest = &rest[i + 1..];
            continue;
        };
        out.push_str(&escape(&rest[..i]));
        let after = &rest[i + open.len()..];
        match after.find(close) {
            Some(j) => {
                out.push_str(&format!("{mark}{}{mark}", escape(&after[..j])));
                rest = &after[j + close.len()..];
            }
            None => {
                out.push_str(&escape(&rest[i..]));
                rest = "";
            }
        }
    }
    out.push_str(&escape(rest));
    out
}

fn md_excerpt(text: &str, highlights: &[Range<usize>]) -> String {
    let (text, marks) = excerpt(text, highlights);
    let mut out = String::new();
    let mut at = 0;
    for r in merge_highlights(&text, &marks) {
        out.push_str(&escape(&text[at..r.start]));
        out.push_str(&format!("**{}**", escape(&text[r.clone()])));
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// The report as Markdown for a memo: a heading with the date, a section per
/// watch, each item its citation linked to the PDF page and a quote.
pub fn md(reports: &[WatchReport], since: Option<&str>, now: &str, corpus: &Path) -> String {
    let day = &now[..now.len().min(10)];
    let mut out = format!("# riskreg watch: {}\n\n", crate::date::long(day).unwrap_or_else(|| day.to_string()));
    if let Some(d) = since {
        out.push_str(&format!(
            "New or changed in editions dated after {}.\n\n",
            crate::date::long(d).unwrap_or_else(|| d.to_string())
        ));
    }
    for r in reports {
        out.push_str(&format!("## {}\n\n", escape(&title(&r.watch))));
        if let Some(l) = limit_line(r) {
            out.push_str(&format!("_{}_\n\n", escape(&l)));
        }
        if let Some(l) = quiet_line(r, since) {
            let mut l = escape(&l);
            l[..1].make_ascii_uppercase();
            out.push_str(&format!("{l}.\n\n"));
            continue;
        }
        let Outcome::Report { new, changed, gone } = &r.outcome else { continue };
        let link = |c: &crate::search::Citation| {
            super::link::file_url(corpus, &c.file, c.pdf_page).replace('(', "%28").replace(')', "%29")
        };
        let item = |c: &Change, i: usize, quote: String| {
            let cit = &c.unit.citation;
            let mut s = format!(
                "{}. [{}]({})\n\n   > {quote}\n",
                i + 1,
                cite(cit, CiteStyle::Riskreg, Markup::Markdown),
                link(cit)
            );
            if let Some(n) = edition_note(c) {
                s.push_str(&format!("\n   _{}_\n", escape(&n)));
            }
            s.push('\n');
            s
        };
        if !new.is_empty() {
            out.push_str("### New\n\n");
            for (i, c) in new.iter().enumerate() {
                out.push_str(&item(c, i, md_excerpt(&c.unit.text, &c.unit.highlights)));
            }
        }
        if !changed.is_empty() {
            out.push_str("### Changed\n\n");
            for (i, c) in changed.iter().enumerate() {
                let words = c.before.as_ref().map(|b| md_words(&b.words)).unwrap_or_default();
                out.push_str(&item(c, i, words));
            }
        }
        if !gone.is_empty() {
            out.push_str("### No longer found\n\n");
            for g in gone {
                out.push_str(&format!("- {}\n", escape(&g.cite)));
            }
            out.push('\n');
        }
    }
    format!("{}\n", out.trim_end())
}

/// `watch list`: one block per watch.
pub fn list(watches: &[Watch], last: &dyn Fn(&str) -> Option<String>, file: &str) -> String {
    if watches.is_empty() {
        return format!("no watches in {file}; add one with: riskreg watch add NAME QUERY\n");
    }
    let mut out = String::new();
    for w in watches {
        out.push_str(&format!("{}\n  query: {}\n", w.name, w.query));
        if !w.docs.is_empty() {
            out.push_str(&format!("  documents: {}\n", w.docs.join(", ")));
        }
        if w.exact {
            out.push_str("  exact: no terms from the vocabulary\n");
        }
        out.push_str(&format!(
            "  last report: {}\n",
            last(&w.name).unwrap_or_else(|| "none yet (its next run sets its baseline)".into())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_starts_a_little_before_the_first_match() {
        let text = (1..=60).map(|n| format!("w{n}")).collect::<Vec<_>>().join(" ");
        let at = text.find("w20").unwrap();
        let marks: Vec<Range<usize>> = std::iter::once(at..at + 3).collect();
        let (cut, marks) = excerpt(&text, &marks);
        assert!(cut.starts_with("… w12 w13"), "{cut}");
        assert!(cut.ends_with("w51 …"), "{cut}");
        assert_eq!(&cut[marks[0].clone()], "w20");
        assert_eq!(excerpt("short one", &[]), ("short one".to_string(), vec![]));
    }

    #[test]
    fn changed_words_in_markdown() {
        let w = crate::diff::word_diff("1.2 Records are kept.", "1.2 Records are kept for five years.");
        assert_eq!(md_words(&w), "1.2 Records are ~~kept.~~**kept for five years.**");
    }
}
