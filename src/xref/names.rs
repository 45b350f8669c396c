//! The names a text may give an indexed document: its title, its short
//! title, an acronym in its title ("(ICJG)"), the initials of its title
//! ("ROR"), the capitalised core of a long title ("Codes of Practice"),
//! "Volume 3" for a title that opens so, and its id (only where a pinpoint
//! follows it: "ror ¶9.14", since ids may be ordinary words).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::date::MONTHS;

/// One indexed document, as the finder needs it.
#[derive(Debug, Clone)]
pub struct DocName {
    pub id: String,
    pub title: String,
    pub short_title: String,
    /// YYYY-MM-DD, when known: which edition a "(December 2024)" means.
    pub date: Option<String>,
    /// The id of the newest edition of this document: editions share names.
    pub chain: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// Matches in any case: a title, a short title, a title's core.
    Title,
    /// Matches as written: an acronym or initials.
    Abbreviation,
    /// Matches as written, and only when a pinpoint follows.
    Id,
}

/// Every indexed document's names, ready to find in text.
#[derive(Debug, Clone)]
pub struct Names {
    docs: Vec<DocName>,
    /// One entry per name in lower case: each way that name may be written.
    patterns: Vec<Vec<(String, How, Vec<usize>)>>,
    matcher: Option<AhoCorasick>,
    /// Prefixes of measure codes and the documents that define them ("ICU"
    /// of "ICU C1").
    measure_prefixes: Vec<(String, Vec<usize>)>,
}

/// A document's name found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct NameHit {
    pub start: usize,
    pub end: usize,
    /// Every edition the name fits, as indexes into [`Names::doc`].
    pub docs: Vec<usize>,
    /// "December 2024" from "(December 2024)" right after the name.
    pub edition: Option<String>,
    /// The end of the name and its edition.
    pub end_with_edition: usize,
    pub by_id: bool,
}

const SMALL: &[&str] = &["of", "and", "for", "the", "to", "on", "in"];

impl Names {
    pub fn new(docs: Vec<DocName>, measure_prefixes: Vec<(String, Vec<usize>)>) -> Names {
        let mut by_name: Vec<(String, How, Vec<usize>, bool)> = Vec::new();
        let mut add = |name: String, how: How, doc: usize, derived: bool| {
            let name = name.trim().to_string();
            if name.chars().count() < 2 {
                return;
            }
            let same = |a: &str, b: &str| match how {
                How::Title => a.eq_ignore_ascii_case(b),
                _ => a == b,
            };
            match by_name.iter_mut().find(|(n, h, _, _)| *h == how && same(n, &name)) {
                Some((_, _, ds, d)) => {
                    if !ds.contains(&doc) {
                        ds.push(doc);
                    }
                    *d &= derived;
                }
                None => by_name.push((name, how, vec![doc], derived)),
            }
        };
        for (i, d) in docs.iter().enumerate() {
            let (title, acronym) = split_acronym(&d.title);
            add(title.clone(), How::Title, i, false);
            if let Some(a) = acronym {
                add(a, How::Abbreviation, i, false);
            }
            let (short, short_acronym) = split_acronym(&d.short_title);
            add(short, How::Title, i, false);
            if let Some(a) = short_acronym {
                add(a, How::Abbreviation, i, false);
            }
            if let Some(n) = volume_number(&title) {
                for form in [format!("Volume {n}"), format!("Vol. {n}"), format!("Vol {n}")] {
                    add(form, How::Title, i, true);
                }
            }
            if let Some(core) = capitalised_core(&title) {
                add(core, How::Title, i, true);
            }
            for initials in initials(&title) {
                add(initials, How::Abbreviation, i, true);
            }
            add(d.id.clone(), How::Id, i, false);
        }
        // A name made up from a title that fits documents of two different
        // publications names neither.
        let mut patterns: Vec<Vec<(String, How, Vec<usize>)>> = Vec::new();
        for (n, h, ds, derived) in by_name {
            if derived && ds.iter().any(|&i| docs[i].chain != docs[ds[0]].chain) {
                continue;
            }
            match patterns.iter_mut().find(|v| v[0].0.eq_ignore_ascii_case(&n)) {
                Some(v) => v.push((n, h, ds)),
                None => patterns.push(vec![(n, h, ds)]),
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|v| v[0].0.as_str()))
            .ok();
        Names { docs, patterns, matcher, measure_prefixes }
    }

    pub fn doc(&self, i: usize) -> &DocName {
        &self.docs[i]
    }

    pub fn docs(&self) -> &[DocName] {
        &self.docs
    }

    /// The documents that define measures with this code's prefix.
    pub fn defining(&self, code: &str) -> Vec<usize> {
        let prefix = code.split(' ').next().unwrap_or(code);
        self.measure_prefixes.iter().find(|(p, _)| p == prefix).map(|(_, d)| d.clone()).unwrap_or_default()
    }

    pub fn knows_measures(&self) -> bool {
        !self.measure_prefixes.is_empty()
    }

    /// Is this word one of the documents' abbreviations (not a measure prefix)?
    pub fn is_abbreviation(&self, w: &str) -> bool {
        self.patterns.iter().flatten().any(|(n, h, _)| *h != How::Title && n == w)
    }

    /// Every name in `text`, left to right, longest first where they overlap.
    pub fn find(&self, text: &str) -> Vec<NameHit> {
        let Some(m) = &self.matcher else { return Vec::new() };
        let mut out = Vec::new();
        // Overlapping search is not available for leftmost-longest; names
        // that fail their checks are skipped and the scan goes on after them.
        for hit in m.find_iter(text) {
            let (start, end) = (hit.start(), hit.end());
            if !boundary(text, start, end) {
                continue;
            }
            let written = &text[start..end];
            let variants = &self.patterns[hit.pattern().as_usize()];
            let Some((_, how, docs)) = variants.iter().find(|(n, h, _)| *h == How::Title || n == written) else {
                continue;
            };
            let (edition, end_with_edition) = match edition_after(&text[end..]) {
                Some((e, len)) => (Some(e), end + len),
                None => (None, end),
            };
            out.push(NameHit { start, end, docs: docs.clone(), edition, end_with_edition, by_id: *how == How::Id });
        }
        out
    }
}

/// No letter or digit touches the match on either side.
fn boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
}

/// "Illegal Content Judgements Guidance (ICJG)" → the title and "ICJG".
fn split_acronym(title: &str) -> (String, Option<String>) {
    let t = title.trim();
    if let Some(open) = t.rfind('(') {
        if t.ends_with(')') {
            let inner = &t[open + 1..t.len() - 1];
            if (2..=8).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                return (t[..open].trim().to_string(), Some(inner.to_string()));
            }
        }
    }
    (t.to_string(), None)
}

/// "Volume 3: Transparency…" → 3.
fn volume_number(title: &str) -> Option<u32> {
    let rest = title.strip_prefix("Volume ").or_else(|| title.strip_prefix("Vol. "))?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// The longest run of capitalised words (small words allowed inside) in a
/// title, when it is shorter than the title and has two capitalised words:
/// "Illegal content Codes of Practice for user-to-user services" → "Codes
/// of Practice".
fn capitalised_core(title: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < words.len() {
        if !capitalised(words[i]) || i == 0 {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut last_cap = i;
        while j + 1 < words.len() && (capitalised(words[j + 1]) || SMALL.contains(&words[j + 1])) {
            j += 1;
            if capitalised(words[j]) {
                last_cap = j;
            }
        }
        let caps = words[i..=last_cap].iter().filter(|w| capitalised(w)).count();
        if caps >= 2 && best.is_none_or(|(s, e)| last_cap - i > e - s) {
            best = Some((i, last_cap));
        }
        i = j + 1;
    }
    let (s, e) = best?;
    let core = words[s..=e].join(" ");
    let core = core.trim_end_matches([',', ':', ';']).to_string();
    (core.len() < title.len()).then_some(core)
}

/// Initials of a title's words ("Register of Risks" → "ROR"), and of its
/// capitalised words alone, when three to six letters long.
fn initials(title: &str) -> Vec<String> {
    let title = title.split(':').next().unwrap_or(title);
    let words: Vec<&str> = title.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
    let all: String = words.iter().filter_map(|w| w.chars().next()).filter(|c| c.is_alphabetic()).collect();
    let caps: String = words
        .iter()
        .filter(|w| capitalised(w))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .collect();
    let mut out = Vec::new();
    for s in [all, caps] {
        let s = s.to_uppercase();
        if (3..=6).contains(&s.chars().count()) && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// " (December 2024)", " (16 December 2024)" or " (2024)" → the edition as
/// written inside, and how many bytes it took.
fn edition_after(rest: &str) -> Option<(String, usize)> {
    let trimmed = rest.trim_start_matches(' ');
    let lead = rest.len() - trimmed.len();
    let inner = trimmed.strip_prefix('(')?;
    let close = inner.find(')')?;
    let e = &inner[..close];
    let words: Vec<&str> = e.split_whitespace().collect();
    let year = |w: &str| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
    let ok = match words.as_slice() {
        [y] => year(y),
        [m, y] => MONTHS.contains(m) && year(y),
        [d, m, y] => d.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)) && MONTHS.contains(m) && year(y),
        _ => false,
    };
    ok.then(|| (e.to_string(), lead + 1 + close + 1))
}

/// Does a "(December 2024)" fit an edition dated YYYY-MM-DD?
pub fn edition_fits(written: &str, date: &str) -> bool {
    let mut parts = date.split('-');
    let (Some(y), Some(m), d) = (parts.next(), parts.next(), parts.next()) else { return false };
    let month = m.parse::<usize>().ok().and_then(|m| MONTHS.get(m.wrapping_sub(1))).copied();
    let words: Vec<&str> = written.split_whitespace().collect();
    match words.as_slice() {
        [yy] => *yy == y,
        [mm, yy] => *yy == y && Some(*mm) == month,
        [dd, mm, yy] => {
            *yy == y && Some(*mm) == month && d.and_then(|d| d.parse::<u32>().ok()) == dd.parse::<u32>().ok()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str) -> DocName {
        DocName {
            id: id.into(),
            title: title.into(),
            short_title: title.into(),
            date: Some("2024-12-16".into()),
            chain: id.into(),
        }
    }

    #[test]
    fn names_made_from_titles() {
        assert_eq!(
            split_acronym("Illegal Content Judgements Guidance (ICJG)"),
            ("Illegal Content Judgements Guidance".into(), Some("ICJG".into()))
        );
        assert_eq!(initials("Register of Risks"), vec!["ROR".to_string()]);
        assert_eq!(
            capitalised_core("Illegal content Codes of Practice for user-to-user services").as_deref(),
            Some("Codes of Practice")
        );
        assert_eq!(volume_number("Volume 3: Transparency, trust and other guidance"), Some(3));
        assert!(edition_fits("December 2024", "2024-12-16"));
        assert!(!edition_fits("December 2025", "2024-12-16"));
        assert_eq!(edition_after(" (16 December 2024), para"), Some(("16 December 2024".into(), 19)));
    }

    #[test]
    fn finds_names_with_boundaries_and_case_rules() {
        let names = Names::new(
            vec![doc("ror", "Register of Risks"), doc("icjg", "Illegal Content Judgements Guidance (ICJG)")],
            vec![],
        );
        let hits = names.find("the register of risks and the ICJG, not icjgs or Icjg");
        let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
        assert_eq!(spans, vec![(4, 21), (30, 34)]);
        assert_eq!(hits[1].docs, vec![1]);
    }
}
