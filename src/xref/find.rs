//! Finding references in a text: pinpoints ("para 9.14", "pp. 207–224",
//! "Annex A12", "ICU C7.3(b)") and the document each belongs to.
//!
//! A pinpoint's document is, in this order: the one named right after it
//! ("… of the ICJG"); none, when a document that is not indexed is named
//! there ("section 5 of the Act", "chapter 3 of our handbook"); the one
//! named last before it in the same sentence, or the previous citation's
//! when an "ibid" stands between; for a measure code, the document that
//! defines its prefix; else none (the caller decides: the citing document
//! itself, or a question to the draft's author). Pinpoints next to each
//! other ("para 9.14, p. 209") make one [`Mention`].

use std::sync::LazyLock;

use regex::Regex;

use super::names::{NameHit, Names};
use super::Kind;

/// One pinpoint: a value, or a range of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub kind: Kind,
    pub from: String,
    pub to: Option<String>,
    /// Where the pinpoint is written, its word ("para") included.
    pub start: usize,
    pub end: usize,
    /// Where its value (or range) is written: what a fix replaces.
    pub value_start: usize,
}

impl Pin {
    /// "9.14", "9.12-9.15".
    pub fn value(&self) -> String {
        match &self.to {
            Some(to) => format!("{}-{}", self.from, to),
            None => self.from.clone(),
        }
    }
}

/// Pinpoints next to each other, and the document they cite.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub pins: Vec<Pin>,
    /// The editions the document's name fits; empty when none is named.
    pub docs: Vec<usize>,
    /// Where the document is named, when it is.
    pub named: Option<(usize, usize)>,
    /// "December 2024", when the name carries an edition.
    pub edition: Option<String>,
    /// The document came from an earlier citation through "ibid".
    pub ibid: bool,
    /// The sentence the mention is in (a quotation there is checked).
    pub sentence: (usize, usize),
    /// It points into the text it is written in ("footnote 4 above",
    /// "section 2 of this letter").
    pub own: bool,
}

/// The document of the last citation, for an "ibid" that follows.
#[derive(Debug, Clone, Default)]
pub struct Carry {
    docs: Vec<usize>,
    edition: Option<String>,
}

static KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\b(paragraphs|paragraph|paras\.?|para\.?|pages|page|pp\.?|p\.?|chapters|chapter|chs?\.|chs?|annexes|annex|sections|section|tables|table|footnotes|footnote|fns?\.?)|(¶¶?))\s*",
    )
    .expect("keyword regex")
});

static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z]{2,5}) ([A-Z]{1,2}[0-9]+[a-z]?(?:\.[0-9]+)*(?:\([a-z0-9]{1,3}\))?)").expect("measure regex")
});

static IBID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bibid\b\.?").expect("ibid regex"));

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "p", "pp", "para", "paras", "ch", "chs", "fn", "fns", "vol", "no", "e.g", "i.e", "cf", "s", "ss", "art", "reg", "n",
];

/// Determiners before a name that say "someone else's document".
const OTHERS: &[&str] = &["our", "its", "their", "your", "his", "her", "this", "that", "a", "an", "my"];

fn kind_of(word: &str) -> Kind {
    let w = word.trim_end_matches('.').to_lowercase();
    match w.as_str() {
        "paragraphs" | "paragraph" | "paras" | "para" | "¶" | "¶¶" => Kind::Para,
        "pages" | "page" | "pp" | "p" => Kind::Page,
        "chapters" | "chapter" | "ch" | "chs" => Kind::Chapter,
        "annexes" | "annex" => Kind::Annex,
        "sections" | "section" => Kind::Section,
        "tables" | "table" => Kind::Table,
        _ => Kind::Footnote,
    }
}

/// The length of a value of this kind at the start of `s`, if one is there.
fn value_len(kind: Kind, s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let letters = |i: &mut usize, max: usize| {
        let start = *i;
        while *i < b.len() && *i - start < max && b[*i].is_ascii_uppercase() {
            *i += 1;
        }
    };
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    let dotted = |i: &mut usize| {
        while *i + 1 < b.len() && b[*i] == b'.' && b[*i + 1].is_ascii_digit() {
            *i += 1;
            digits(i);
        }
    };
    let bracketed = |i: &mut usize| {
        while *i < b.len() && b[*i] == b'(' {
            let close = s[*i..].find(')').map(|c| *i + c);
            match close {
                Some(c) if c - *i <= 5 && s[*i + 1..c].chars().all(|ch| ch.is_ascii_alphanumeric()) && c > *i + 1 => {
                    *i = c + 1
                }
                _ => break,
            }
        }
    };
    match kind {
        Kind::Page => {
            if digits(&mut i) {
            } else {
                while i < b.len() && b"ivxlcdm".contains(&b[i]) && i < 7 {
                    i += 1;
                }
                if i == 0 {
                    return None;
                }
            }
        }
        Kind::Para | Kind::Table => {
            letters(&mut i, 2);
            if !digits(&mut i) {
                return None;
            }
            dotted(&mut i);
            if kind == Kind::Para {
                bracketed(&mut i);
            }
        }
        Kind::Chapter | Kind::Annex => {
            letters(&mut i, 2);
            if !digits(&mut i) {
                // "Annex A" alone.
                if kind == Kind::Annex && i == 1 {
                } else {
                    return None;
                }
            }
        }
        Kind::Section => {
            if !digits(&mut i) {
                return None;
            }
            dotted(&mut i);
            bracketed(&mut i);
        }
        Kind::Footnote => {
            if !digits(&mut i) {
                return None;
            }
        }
        Kind::Measure => return None,
    }
    // A value ends at a word's end: "9.14am" or "p. 2a" are not values.
    if s[i..].chars().next().is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    Some(i)
}

/// The value without a sub-paragraph: "9.14(b)" → "9.14".
fn bare(v: &str) -> String {
    v.split('(').next().unwrap_or(v).to_string()
}

/// Pinpoints of one kind written after one word: "paras 9.12–9.15",
/// "paragraphs 8.2 and 8.3", "pages 196 to 206".
fn pins_after(kind: Kind, text: &str, word_start: usize, at: usize) -> Vec<Pin> {
    let mut out = Vec::new();
    let mut pos = at;
    let mut first = true;
    loop {
        let rest = &text[pos..];
        let Some(len) = value_len(kind, rest) else { break };
        let from = &rest[..len];
        let mut end = pos + len;
        let mut to = None;
        let after = &text[end..];
        let range_sep = ["–", "—", "-", " – ", " — ", " - ", " to "].iter().find(|s| after.starts_with(**s));
        if let Some(sep) = range_sep {
            if let Some(l2) = value_len(kind, &after[sep.len()..]) {
                to = Some(bare(&after[sep.len()..sep.len() + l2]));
                end += sep.len() + l2;
            }
        }
        out.push(Pin {
            kind,
            from: bare(from),
            to,
            start: if first { word_start } else { pos },
            end,
            value_start: pos,
        });
        first = false;
        let after = &text[end..];
        let list_sep = [", ", " and ", " & ", ","].iter().find(|s| after.starts_with(**s));
        match list_sep {
            Some(sep) if value_len(kind, &after[sep.len()..]).is_some() => pos = end + sep.len(),
            _ => break,
        }
    }
    out
}

/// Sentence boundaries: a stop, then a space and a capital (or an opening
/// quote or bracket), not after an abbreviation such as "p." or "para.".
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next = chars.get(k + 1).map(|x| x.1);
        let after = chars.get(k + 2).map(|x| x.1);
        if next != Some(' ') || !after.is_some_and(|a| a.is_uppercase() || matches!(a, '"' | '“' | '(' | '‘')) {
            continue;
        }
        let word: String =
            text[start..i].rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("").to_lowercase();
        if c == '.' && ABBREVIATIONS.contains(&word.as_str()) {
            continue;
        }
        out.push((start, i + 1));
        start = i + 2;
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// What follows a pinpoint.
enum After<'a> {
    /// A document of ours: "of the ICJG", "in the Register of Risks".
    Named(&'a NameHit),
    /// A document we do not have: "of the Act", "of our handbook", "of the minutes".
    Other,
    /// The text it is in: "above", "below", "of this letter".
    Own,
    Nothing,
}

fn after<'a>(text: &str, end: usize, names: &'a [NameHit]) -> After<'a> {
    let rest = &text[end..];
    let trimmed = rest.trim_start_matches([' ', ',']);
    let first = trimmed.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    if matches!(first, "above" | "below") {
        return After::Own;
    }
    let Some((word, tail)) = trimmed.split_once(' ') else { return After::Nothing };
    if !matches!(word, "of" | "in") {
        return After::Nothing;
    }
    let mut pos = end + (rest.len() - trimmed.len()) + word.len() + 1;
    let mut tail = tail;
    let mut det = String::new();
    if let Some((d, t)) = tail.split_once(' ') {
        let d = d.to_lowercase();
        if d == "the" || d == "this" || d == "these" || OTHERS.contains(&d.as_str()) {
            pos += d.len() + 1;
            tail = t;
            det = d;
        }
    }
    if let Some(hit) = names.iter().find(|h| h.start == pos && !h.by_id) {
        return After::Named(hit);
    }
    let capital = tail.chars().next().is_some_and(|c| c.is_uppercase());
    match det.as_str() {
        "this" | "these" => After::Own,
        "the" if word == "of" || capital => After::Other,
        "" if word == "of" && capital => After::Other,
        "" | "the" => After::Nothing,
        _ => After::Other,
    }
}

/// A pinpoint inside a unit of law ("Part 3, Chapter 2", "Article 6(1)"):
/// someone else's numbering.
static STATUTE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:part|article|schedule|regulation|clause|rule)\s+[0-9A-Z]+[a-z]?(?:\([0-9a-z]+\))*,?\s*$")
        .expect("statute regex")
});

/// More codes after a measure code, written short: "ICU C1 and C2".
static MORE_CODES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:,\s*|\s+and\s+|\s+or\s+|\s*&\s*)([A-Z]{1,2}[0-9]+[a-z]?(?:\.[0-9]+)*(?:\([a-z0-9]{1,3}\))?)\b")
        .expect("more codes regex")
});

/// Does only punctuation (or "at", "on", "and") stand between two pinpoints?
fn adjacent(gap: &str) -> bool {
    gap.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']'))
        .all(|w| w.is_empty() || matches!(w, "at" | "on" | "and" | "&"))
        && !gap.contains(';')
}

/// Only punctuation (or "at", "on") between pinpoints of different kinds.
fn side_by_side(gap: &str) -> bool {
    adjacent(gap) && !gap.split(|c: char| !c.is_alphanumeric() && c != '&').any(|w| matches!(w, "and" | "&"))
}

/// "of the NAME" and punctuation alone between two pinpoints.
fn of_name_between(text: &str, from: usize, to: usize, hits: &[NameHit]) -> bool {
    let gap = &text[from..to];
    let Some(rest) = gap.trim_start().strip_prefix("of ") else { return false };
    let rest = rest.strip_prefix("the ").unwrap_or(rest);
    let at = to - rest.len();
    hits.iter().find(|h| h.start == at && !h.by_id).is_some_and(|h| side_by_side(&text[h.end_with_edition..to]))
}

/// Every reference in `text`, in order. `carry` holds the document of the
/// last citation before `text` (for "ibid") and is left holding this
/// text's last.
pub fn find(text: &str, names: &Names, carry: &mut Carry) -> Vec<Mention> {
    let hits = names.find(text);
    // Pinpoints, in order.
    let mut pins: Vec<Pin> = Vec::new();
    for m in KEYWORD.captures_iter(text) {
        let whole = m.get(0).expect("match");
        let word = m.get(1).or_else(|| m.get(2)).expect("keyword");
        let kind = kind_of(word.as_str());
        // "p" and "ch" without a stop must be followed by a space: "p209" is not a page.
        pins.extend(pins_after(kind, text, whole.start(), whole.end()));
    }
    for m in MEASURE.captures_iter(text) {
        let (prefix, code) = (m.get(1).expect("prefix"), m.get(2).expect("code"));
        if names.is_abbreviation(prefix.as_str()) {
            continue;
        }
        let worded = text[..prefix.start()].strip_suffix("measure ").map(str::len);
        // Where the documents' measure codes are known, a code needs a
        // known prefix or the word "measure" before it.
        if names.knows_measures() && names.defining(prefix.as_str()).is_empty() && worded.is_none() {
            continue;
        }
        let start = worded.unwrap_or(prefix.start());
        pins.push(Pin {
            kind: Kind::Measure,
            from: format!("{} {}", prefix.as_str(), code.as_str()),
            to: None,
            start,
            end: code.end(),
            value_start: prefix.start(),
        });
        let mut end = code.end();
        while let Some(more) = MORE_CODES.captures(&text[end..]) {
            let c = more.get(1).expect("code");
            pins.push(Pin {
                kind: Kind::Measure,
                from: format!("{} {}", prefix.as_str(), c.as_str()),
                to: None,
                start: end + c.start(),
                end: end + c.end(),
                value_start: end + c.start(),
            });
            end += more.get(0).expect("match").end();
        }
    }
    pins.retain(|p| !STATUTE_BEFORE.is_match(&text[..p.start]));
    pins.sort_by_key(|p| p.start);
    pins.dedup_by(|b, a| b.start < a.end);
    let ibids: Vec<usize> = IBID.find_iter(text).map(|m| m.start()).collect();
    let mut out: Vec<Mention> = Vec::new();
    for sentence in sentences(text) {
        let in_sentence: Vec<&Pin> = pins.iter().filter(|p| p.start >= sentence.0 && p.end <= sentence.1).collect();
        // Runs of pinpoints next to each other.
        // Pinpoints of one kind may be listed ("paras 8.2 and 8.3"); of
        // different kinds they stand side by side ("para 9.14, p. 209"), or
        // with the document named between ("Chapter 9 of the ICJG (pp. …)").
        let mut runs: Vec<Vec<&Pin>> = Vec::new();
        for p in in_sentence {
            let joins = |run: &Vec<&Pin>| {
                let last = run.last().expect("run");
                let gap = &text[last.end..p.start];
                if last.kind == p.kind {
                    adjacent(gap)
                } else {
                    side_by_side(gap) || of_name_between(text, last.end, p.start, &hits)
                }
            };
            match runs.last_mut() {
                Some(run) if joins(run) => run.push(p),
                _ => runs.push(vec![p]),
            }
        }
        for run in runs {
            let (start, end) = (run[0].start, run.last().expect("run").end);
            let mut mention = Mention {
                start,
                end,
                pins: run.iter().map(|p| (*p).clone()).collect(),
                docs: Vec::new(),
                named: None,
                edition: None,
                ibid: false,
                sentence,
                own: false,
            };
            let before_name = hits.iter().rfind(|h| {
                h.end_with_edition <= start && h.start >= sentence.0 && (!h.by_id || adjacent(&text[h.end..start]))
            });
            let before_ibid = ibids.iter().rfind(|&&i| i < start && i >= sentence.0);
            let inside = hits.iter().find(|h| h.start > start && h.end < end && !h.by_id);
            let next = match inside {
                Some(h) => After::Named(h),
                None => after(text, end, &hits),
            };
            match next {
                After::Other => continue,
                After::Own => mention.own = true,
                After::Named(h) => {
                    mention.docs = h.docs.clone();
                    mention.named = Some((h.start, h.end));
                    mention.edition = h.edition.clone();
                }
                After::Nothing => match (before_name, before_ibid) {
                    (Some(h), i) if i.is_none_or(|&i| i < h.start) => {
                        mention.docs = h.docs.clone();
                        mention.named = Some((h.start, h.end));
                        mention.edition = h.edition.clone();
                    }
                    (_, Some(_)) if !carry.docs.is_empty() => {
                        mention.docs = carry.docs.clone();
                        mention.edition = carry.edition.clone();
                        mention.ibid = true;
                    }
                    _ => {
                        if let [p] = mention.pins.as_slice() {
                            if p.kind == Kind::Measure {
                                mention.docs = names.defining(&p.from);
                            }
                        }
                    }
                },
            }
            if !mention.docs.is_empty() {
                carry.docs = mention.docs.clone();
                carry.edition = mention.edition.clone();
            }
            out.push(mention);
        }
    }
    // Measure codes of different documents never share a mention's name
    // unless one was named: split a run of measures without a name.
    let mut split = Vec::with_capacity(out.len());
    for m in out {
        if m.named.is_none() && !m.ibid && m.pins.len() > 1 && m.pins.iter().any(|p| p.kind == Kind::Measure) {
            for p in &m.pins {
                let docs = if p.kind == Kind::Measure { names.defining(&p.from) } else { Vec::new() };
                split.push(Mention { start: p.start, end: p.end, pins: vec![p.clone()], docs, ..m.clone() });
            }
        } else {
            split.push(m);
        }
    }
    split
}

#[cfg(test)]
mod tests {
    use super::super::names::DocName;
    use super::*;

    fn names() -> Names {
        let doc = |id: &str, title: &str| DocName {
            id: id.into(),
            title: title.into(),
            short_title: title.into(),
            date: Some("2024-12-16".into()),
            chain: id.into(),
        };
        Names::new(
            vec![
                doc("ror", "Register of Risks"),
                doc("icjg", "Illegal Content Judgements Guidance (ICJG)"),
                doc("cop-u2u", "Illegal content Codes of Practice for user-to-user services"),
            ],
            vec![("ICU".into(), vec![2])],
        )
    }

    fn found(text: &str) -> Vec<String> {
        let n = names();
        let mut carry = Carry::default();
        find(text, &n, &mut carry)
            .iter()
            .flat_map(|m| {
                let doc = m.docs.first().map_or("?".to_string(), |&i| n.doc(i).id.clone());
                m.pins.iter().map(move |p| format!("{doc} {} {}", p.kind.name(), p.value())).collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn pinpoints_and_their_documents() {
        assert_eq!(found("See Register of Risks, paragraph 9.14, p. 209."), ["ror para 9.14", "ror page 209"]);
        assert_eq!(found("paras 9.2 to 9.5 of the ICJG"), ["icjg para 9.2-9.5"]);
        assert_eq!(found("Section 5 of the Online Safety Act 2023"), Vec::<String>::new());
        assert_eq!(found("chapter 3 of our handbook"), Vec::<String>::new());
        assert_eq!(found("The service reviewed paragraph 9.14 in detail."), ["? para 9.14"]);
        assert_eq!(found("ROR, para 9.14. Ibid para 9.15."), ["ror para 9.14", "ror para 9.15"]);
        assert_eq!(found("required by ICU C2, and by ICU C9"), ["cop-u2u measure ICU C2", "cop-u2u measure ICU C9"]);
        assert_eq!(found("Paragraphs 8.2 and 8.3 of the Register of Risks"), ["ror para 8.2", "ror para 8.3"]);
        assert_eq!(found("revenue grew 9.14 per cent; 209 pages and 14 chapters"), Vec::<String>::new());
    }
}
