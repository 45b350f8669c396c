//! Pages → structure: clean text, printed page labels, chapters and numbered
//! paragraphs. Pure: takes what `extract` read, does no IO.
//!
//! The order of work for one document:
//! 1. every line is normalised (NFKC, so ligatures become letters; control
//!    characters dropped; runs of white space folded);
//! 2. running headers and footers — lines found at the top or bottom of most
//!    pages once digits are ignored — are removed, and a bare page number
//!    found there becomes that page's printed label when the PDF has no
//!    /PageLabels;
//! 3. words hyphenated across a line break are joined;
//! 4. chapters come from the outline, else from heading lines, else from the
//!    Contents page; a chapter whose heading sits mid-page splits that page;
//! 5. numbered paragraphs (9.12, A12.3) are found and their numbering checked.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::extract::{OutlineEntry, RawDocument};

/// How deep in the outline a bookmark still counts as a chapter.
const MAX_CHAPTER_LEVEL: u32 = 2;

/// One physical page after cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 1-based physical page.
    pub physical: u32,
    /// The printed page label ("209", "iv", or the physical number when the
    /// document prints none).
    pub printed: String,
    /// Where `printed` came from.
    pub label_source: LabelSource,
    /// Clean lines, headers and footers removed, hyphenation joined.
    pub lines: Vec<String>,
    /// A table-of-contents page (ranked down in search).
    pub is_contents: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelSource {
    /// The number printed on the page itself (header or footer).
    Printed,
    /// The document's /PageLabels, where the page prints no number.
    Label,
    /// The physical page, where there is neither.
    Physical,
}

/// Where a chapter's structure was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChapterSource {
    Outline,
    Headings,
    Contents,
    None,
}

/// A chapter (or section): a run of text from its heading to the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// "9", "A12", "" when the heading carries no number.
    pub number: String,
    /// The title without its number: "Human trafficking".
    pub title: String,
    /// The heading as printed: "9. Human trafficking".
    pub heading: String,
    /// 1 = top level.
    pub level: u32,
    /// The heading of the enclosing chapter, for a level-2 section.
    pub parent: Option<String>,
    /// Physical page and line where the chapter starts.
    pub start_page: u32,
    pub start_line: usize,
    /// Last physical page (inclusive).
    pub end_page: u32,
    pub printed_start: String,
    pub printed_end: String,
}

/// A numbered paragraph and the page it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub number: String,
    pub page: u32,
    pub line: usize,
}

/// Everything structure learned about one document.
#[derive(Debug, Clone)]
pub struct Structure {
    pub pages: Vec<Page>,
    /// In reading order; the first may be a front-matter pseudo-chapter with
    /// an empty heading.
    pub chapters: Vec<Chapter>,
    pub chapter_source: ChapterSource,
    pub paragraphs: Vec<Paragraph>,
    /// Running header and footer lines removed (as found, once each).
    pub removed_lines: Vec<String>,
    pub warnings: Vec<String>,
}

/// Analyse one extracted document.
pub fn analyse(doc: &RawDocument) -> Structure {
    let mut warnings = Vec::new();
    let raw: Vec<Vec<String>> = doc.pages.iter().map(|p| normalise_lines(&p.text)).collect();
    let furniture = find_furniture(&raw);
    let mut removed = std::collections::BTreeSet::new();
    let mut pages = Vec::with_capacity(raw.len());
    let mut footer_numbers = Vec::with_capacity(raw.len());
    for (i, lines) in raw.into_iter().enumerate() {
        let (kept, number) = strip_furniture(lines, &furniture, &mut removed);
        footer_numbers.push(number);
        let physical = doc.pages[i].number;
        pages.push(Page {
            physical,
            printed: physical.to_string(),
            label_source: LabelSource::Physical,
            lines: join_hyphenated(kept),
            is_contents: false,
        });
    }
    assign_labels(&mut pages, doc, &footer_numbers);
    for page in &mut pages {
        page.is_contents = is_contents_page(page);
    }

    let (mut chapters, chapter_source) = if let Some(ch) = chapters_from_outline(&doc.outline, &pages) {
        (ch, ChapterSource::Outline)
    } else if let Some(ch) = chapters_from_headings(&pages) {
        (ch, ChapterSource::Headings)
    } else if let Some(ch) = chapters_from_contents(&pages) {
        (ch, ChapterSource::Contents)
    } else {
        (Vec::new(), ChapterSource::None)
    };
    close_chapters(&mut chapters, &pages);
    let paragraphs = find_paragraphs(&pages, &chapters, &mut warnings);
    let removed_lines: Vec<String> = removed.into_iter().collect();
    Structure { pages, chapters, chapter_source, paragraphs, removed_lines, warnings }
}

// ---------------------------------------------------------------- clean text

/// NFKC, drop control characters, fold white space; one entry per non-empty line.
pub fn normalise_lines(text: &str) -> Vec<String> {
    text.split(['\n', '\r', '\u{c}']).map(normalise_line).filter(|l| !l.is_empty()).collect()
}

fn normalise_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.nfkc() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
        } else if c.is_control() || is_invisible(c) {
            continue;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{fffd}')
}

/// Join words broken across lines with a hyphen: "recom-" + "mender ..." →
/// "recommender ..." on the first line.
pub fn join_hyphenated(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut() {
            if ends_with_broken_word(prev) && starts_lowercase(&line) {
                prev.pop(); // the hyphen
                let (head, rest) = match line.find(' ') {
                    Some(i) => (&line[..i], line[i + 1..].trim_start()),
                    None => (line.as_str(), ""),
                };
                prev.push_str(head);
                if !rest.is_empty() {
                    out.push(rest.to_string());
                }
                continue;
            }
        }
        out.push(line);
    }
    out
}

fn ends_with_broken_word(line: &str) -> bool {
    let mut rev = line.chars().rev();
    rev.next() == Some('-') && matches!(rev.next(), Some(c) if c.is_alphabetic() && c.is_lowercase())
}

fn starts_lowercase(line: &str) -> bool {
    line.chars().next().is_some_and(|c| c.is_alphabetic() && c.is_lowercase())
}

// -------------------------------------------------- running headers/footers

/// How many lines at each end of a page are candidates for furniture.
const EDGE_LINES: usize = 2;

struct Furniture {
    /// Digit-blind keys of lines that repeat at the page edges.
    keys: std::collections::HashSet<String>,
}

/// A line with its digits replaced, so "Page 12" and "Page 13" are alike.
fn furniture_key(line: &str) -> String {
    let mut key = String::with_capacity(line.len());
    let mut in_digits = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                key.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            key.extend(c.to_lowercase());
        }
    }
    key
}

fn edge_indices(n: usize) -> impl Iterator<Item = usize> {
    // Short pages (a cover, a chapter's last lines) have one line at each edge.
    let k = if n <= 2 * EDGE_LINES { 1 } else { EDGE_LINES };
    let top = 0..n.min(k);
    let bottom = n.saturating_sub(k).max(n.min(k))..n;
    top.chain(bottom)
}

fn find_furniture(pages: &[Vec<String>]) -> Furniture {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for lines in pages {
        let mut seen = std::collections::HashSet::new();
        for i in edge_indices(lines.len()) {
            let key = furniture_key(&lines[i]);
            if seen.insert(key.clone()) {
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    let threshold = (pages.len() / 2).max(3);
    let keys =
        counts.into_iter().filter(|(k, n)| *n >= threshold && !k.is_empty() && k != "#").map(|(k, _)| k).collect();
    Furniture { keys }
}

/// Remove header/footer lines and bare page numbers at the page edges.
/// Returns the kept lines and the page number printed there, if any.
fn strip_furniture(
    lines: Vec<String>,
    furniture: &Furniture,
    removed: &mut std::collections::BTreeSet<String>,
) -> (Vec<String>, Option<String>) {
    let n = lines.len();
    let edges: Vec<usize> = edge_indices(n).collect();
    let mut number = None;
    let mut kept = Vec::with_capacity(n);
    for (i, line) in lines.into_iter().enumerate() {
        if edges.contains(&i) {
            if let Some(label) = page_number_line(&line) {
                // Prefer the number nearest the bottom (the footer).
                number = Some(label);
                continue;
            }
            let key = furniture_key(&line);
            if furniture.keys.contains(&key) {
                if let Some(label) = embedded_page_number(&line) {
                    number = Some(label);
                }
                if !removed.iter().any(|l: &String| furniture_key(l) == key) {
                    removed.insert(line.clone());
                }
                continue;
            }
        }
        kept.push(line);
    }
    (kept, number)
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:-\s*)?(?:page\s+)?(\d{1,4}|[ivxlcdm]{1,7})(?:\s+of\s+\d{1,4})?(?:\s*-)?$").unwrap()
});

/// A line that is only a page number: "209", "iv", "Page 12", "- 3 -", "12 of 80".
pub fn page_number_line(line: &str) -> Option<String> {
    let caps = PAGE_NUMBER.captures(line.trim())?;
    let label = caps.get(1)?.as_str();
    // Roman page numbers of front matter stay small; "mix" is a word.
    if label.chars().all(|c| c.is_ascii_digit()) || roman_value(label).is_some_and(|v| v < 100) {
        Some(label.to_string())
    } else {
        None
    }
}

static EMBEDDED_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:^|\bpage\s+|\s)(\d{1,4})$").unwrap());

/// A header/footer line that ends with its page number: "Register of Risks 12".
fn embedded_page_number(line: &str) -> Option<String> {
    EMBEDDED_NUMBER.captures(line.trim()).map(|c| c[1].to_string())
}

/// The value of a roman numeral (either case), if it is one.
pub fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    if s != lower && s != s.to_ascii_uppercase() {
        return None;
    }
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in lower.chars().rev() {
        let v = match c {
            'i' => 1,
            'v' => 5,
            'x' => 10,
            'l' => 50,
            'c' => 100,
            'd' => 500,
            'm' => 1000,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    // Only canonical numerals: round-trip.
    (to_roman(total) == lower).then_some(total)
}

/// Lower-case roman numeral of n (1..=3999).
pub fn to_roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Printed labels: /PageLabels first, else footer numbers (with gaps filled
/// from their neighbours), else the physical number.
fn assign_labels(pages: &mut [Page], doc: &RawDocument, footer: &[Option<String>]) {
    let has_labels = doc.pages.iter().any(|p| p.label.is_some());
    if has_labels {
        for (page, raw) in pages.iter_mut().zip(&doc.pages) {
            if let Some(label) = &raw.label {
                page.printed = label.clone();
                page.label_source = LabelSource::Label;
            }
        }
        return;
    }
    let inferred = infer_footer_labels(footer);
    for (page, label) in pages.iter_mut().zip(inferred) {
        if let Some(label) = label {
            page.printed = label;
            page.label_source = LabelSource::Printed;
        }
    }
}

/// Fill pages without a footer number from the next numbered page when the
/// sequence allows it (a cover before "ii" is "i"; a page before "5" is "4").
/// Numbers that do not fit the sequence of their neighbours are dropped.
pub fn infer_footer_labels(footer: &[Option<String>]) -> Vec<Option<String>> {
    let found = footer.iter().filter(|f| f.is_some()).count();
    if found * 2 < footer.len() {
        return vec![None; footer.len()];
    }
    let mut out: Vec<Option<String>> = footer.to_vec();
    drop_outliers(&mut out);
    // Backwards fill from the next known label.
    for i in (0..out.len()).rev() {
        if out[i].is_none() {
            if let Some(next) = out.get(i + 1).cloned().flatten() {
                out[i] = predecessor(&next);
            }
        }
    }
    // Forwards fill from the previous known label.
    for i in 1..out.len() {
        if out[i].is_none() {
            if let Some(prev) = out[i - 1].clone() {
                out[i] = successor(&prev);
            }
        }
    }
    out
}

/// A number at a page edge that breaks the run its neighbours agree on (a
/// year in a footnote, a list number) is not the page number.
fn drop_outliers(labels: &mut [Option<String>]) {
    let value = |l: &Option<String>| -> Option<i64> {
        let l = l.as_deref()?;
        l.parse::<i64>().ok().or_else(|| roman_value(l).map(|v| -(v as i64)))
    };
    let offsets: Vec<Option<i64>> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| value(l).map(|v| if v >= 0 { v - i as i64 } else { v + i as i64 }))
        .collect();
    for i in 0..labels.len() {
        let Some(d) = offsets[i] else { continue };
        let prev = offsets[..i].iter().rev().flatten().next();
        let next = offsets[i + 1..].iter().flatten().next();
        let fits = |o: Option<&i64>| o.is_some_and(|o| *o == d);
        let known = |o: Option<&i64>| o.is_some();
        // Out of step with both neighbours, or with the only one there is.
        let outlier = match (known(prev), known(next)) {
            (true, true) => !fits(prev) && !fits(next),
            (true, false) => !fits(prev),
            (false, true) => !fits(next),
            (false, false) => false,
        };
        if outlier {
            labels[i] = None;
        }
    }
}

fn predecessor(label: &str) -> Option<String> {
    if let Ok(n) = label.parse::<u32>() {
        return (n > 1).then(|| (n - 1).to_string());
    }
    let v = roman_value(label)?;
    (v > 1).then(|| to_roman(v - 1))
}

fn successor(label: &str) -> Option<String> {
    if let Ok(n) = label.parse::<u32>() {
        return Some((n + 1).to_string());
    }
    roman_value(label).map(|v| to_roman(v + 1))
}

// ------------------------------------------------------------------ chapters

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?i:chapter|section|annex|part)\s+)?([A-Z]?\d{1,3})(?:\.|:|\s)\s*(\S.*)$").unwrap()
});

/// Split a heading into (number, title): "9. Human trafficking" → ("9",
/// "Human trafficking"); "Chapter 3: Risk" → ("3", "Risk"); no number → ("", heading).
pub fn split_heading(heading: &str) -> (String, String) {
    let heading = heading.trim();
    if let Some(c) = HEADING.captures(heading) {
        let title = c[2].trim().trim_start_matches(['.', ':', '-', '–', '—']).trim();
        if !title.is_empty() && !title.starts_with(|ch: char| ch.is_ascii_digit()) {
            return (c[1].to_string(), title.to_string());
        }
    }
    (String::new(), heading.to_string())
}

/// Comparable form of a heading: lower case, letters and digits only.
fn heading_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Find the line on `page` where a heading starts. Headings may wrap over two
/// lines, so a line that begins the heading also counts.
fn find_heading_line(page: &Page, heading: &str) -> Option<usize> {
    let want = heading_key(heading);
    if want.is_empty() {
        return None;
    }
    for (i, line) in page.lines.iter().enumerate() {
        let key = heading_key(line);
        if key.is_empty() {
            continue;
        }
        if key == want || (key.len() >= 8 && want.starts_with(&key)) {
            // Two lines joined may make the heading.
            if key == want {
                return Some(i);
            }
            let joined = format!("{key}{}", page.lines.get(i + 1).map(|l| heading_key(l)).unwrap_or_default());
            if joined.starts_with(&want) {
                return Some(i);
            }
        }
    }
    None
}

fn chapters_from_outline(outline: &[OutlineEntry], pages: &[Page]) -> Option<Vec<Chapter>> {
    let entries: Vec<&OutlineEntry> = outline
        .iter()
        .filter(|e| e.level <= MAX_CHAPTER_LEVEL && e.page >= 1 && (e.page as usize) <= pages.len())
        .collect();
    if entries.is_empty() {
        return None;
    }
    let mut chapters = Vec::new();
    let mut parent: Option<String> = None;
    for e in entries {
        let heading = normalise_line(&e.title);
        if heading.is_empty() {
            continue;
        }
        if e.level == 1 {
            parent = Some(heading.clone());
        }
        let page = &pages[e.page as usize - 1];
        let start_line = find_heading_line(page, &heading).unwrap_or(0);
        let (number, title) = split_heading(&heading);
        chapters.push(Chapter {
            number,
            title,
            heading,
            level: e.level,
            parent: if e.level > 1 { parent.clone() } else { None },
            start_page: e.page,
            start_line,
            end_page: e.page,
            printed_start: String::new(),
            printed_end: String::new(),
        });
    }
    // Reading order; a bookmark pointing backwards is put where it points.
    chapters.sort_by_key(|c| (c.start_page, c.start_line));
    (!chapters.is_empty()).then_some(chapters)
}

static CONTENTS_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?\S)\s*(?:\.{2,}|…+|\s)[\s.…]*(\d{1,4}|[ivxlcdm]{1,7})$").unwrap());

/// A Contents line: "9. Human trafficking ........ 207" → ("9. Human trafficking", "207").
pub fn contents_line(line: &str) -> Option<(String, String)> {
    let c = CONTENTS_LINE.captures(line.trim())?;
    let title = c[1].trim_end_matches(['.', ' ', '…']).to_string();
    if title.is_empty() || title.chars().all(|ch| ch.is_ascii_digit() || ch == '.') {
        return None;
    }
    Some((title, c[2].to_string()))
}

/// A page that is (part of) a table of contents: several lines ending in dot
/// leaders and a page number.
fn is_contents_page(page: &Page) -> bool {
    let leaders =
        page.lines.iter().filter(|l| (l.contains("..") || l.contains('…')) && contents_line(l).is_some()).count();
    leaders >= 3
}

/// Is this line a chapter heading by its form alone?
pub fn heading_line(line: &str) -> Option<(String, String)> {
    if line.len() > 100 || line.ends_with('.') || line.ends_with(',') || line.ends_with(';') {
        return None;
    }
    let (number, title) = split_heading(line);
    if number.is_empty() {
        return None;
    }
    let first = title.chars().next()?;
    if !first.is_uppercase() {
        return None;
    }
    // A numbered paragraph ("9.1 Text") has a dot inside the number and is
    // caught by the paragraph pattern, never here; a heading is short.
    if title.split_whitespace().count() > 14
        || contents_line(line).is_some_and(|(_, p)| p.len() >= 2 && line.contains(".."))
    {
        return None;
    }
    Some((number, title))
}

/// Sort key of a chapter number: annexes after the main chapters.
fn number_key(number: &str) -> Option<(u32, u32)> {
    let (prefix, digits) = match number.chars().next()? {
        c if c.is_ascii_uppercase() => (c as u32 - 'A' as u32 + 1, &number[1..]),
        _ => (0, number),
    };
    Some((prefix, digits.parse().ok()?))
}

fn chapters_from_headings(pages: &[Page]) -> Option<Vec<Chapter>> {
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut last: Option<(u32, u32)> = None;
    for page in pages {
        if page.is_contents {
            continue;
        }
        for (i, line) in page.lines.iter().enumerate() {
            let Some((number, title)) = heading_line(line) else { continue };
            let Some(key) = number_key(&number) else { continue };
            // Numbers must run on (a dropped chapter or two aside), or start an annex.
            let fits = match last {
                None => key.1 <= 2,
                Some((p, n)) => (key.0 == p && key.1 > n && key.1 <= n + 3) || (key.0 > p && key.1 <= 2),
            };
            if !fits {
                continue;
            }
            last = Some(key);
            chapters.push(Chapter {
                number,
                title,
                heading: line.clone(),
                level: 1,
                parent: None,
                start_page: page.physical,
                start_line: i,
                end_page: page.physical,
                printed_start: String::new(),
                printed_end: String::new(),
            });
        }
    }
    (chapters.len() >= 2).then_some(chapters)
}

fn chapters_from_contents(pages: &[Page]) -> Option<Vec<Chapter>> {
    let by_label: HashMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.printed.as_str(), i)).collect();
    let mut chapters = Vec::new();
    for page in pages.iter().filter(|p| p.is_contents) {
        for line in &page.lines {
            let Some((heading, printed)) = contents_line(line) else { continue };
            let Some(&idx) = by_label.get(printed.as_str()) else { continue };
            let target = &pages[idx];
            if target.physical <= page.physical {
                continue;
            }
            let (number, title) = split_heading(&heading);
            chapters.push(Chapter {
                start_line: find_heading_line(target, &heading).unwrap_or(0),
                number,
                title,
                heading,
                level: 1,
                parent: None,
                start_page: target.physical,
                end_page: target.physical,
                printed_start: String::new(),
                printed_end: String::new(),
            });
        }
    }
    chapters.sort_by_key(|c| (c.start_page, c.start_line));
    chapters.dedup_by(|a, b| a.start_page == b.start_page && a.start_line == b.start_line);
    (chapters.len() >= 2).then_some(chapters)
}

/// Add a front-matter pseudo-chapter before the first chapter, set each
/// chapter's end page and printed range.
fn close_chapters(chapters: &mut Vec<Chapter>, pages: &[Page]) {
    if pages.is_empty() {
        chapters.clear();
        return;
    }
    let starts_at_top = chapters.first().is_some_and(|c| c.start_page == 1 && c.start_line == 0);
    if !starts_at_top {
        chapters.insert(
            0,
            Chapter {
                number: String::new(),
                title: String::new(),
                heading: String::new(),
                level: 1,
                parent: None,
                start_page: 1,
                start_line: 0,
                end_page: 1,
                printed_start: String::new(),
                printed_end: String::new(),
            },
        );
    }
    let last_page = pages.len() as u32;
    for i in 0..chapters.len() {
        let end = match chapters.get(i + 1) {
            Some(next) if next.start_line == 0 => next.start_page.saturating_sub(1).max(chapters[i].start_page),
            Some(next) => next.start_page,
            None => last_page,
        };
        let c = &mut chapters[i];
        c.end_page = end.max(c.start_page);
        c.printed_start = pages[c.start_page as usize - 1].printed.clone();
        c.printed_end = pages[c.end_page as usize - 1].printed.clone();
    }
    // A front-matter pseudo-chapter that holds no text is dropped.
    if chapters.len() > 1 && chapters[0].heading.is_empty() {
        let next = &chapters[1];
        if next.start_page == 1 && pages[0].lines[..next.start_line.min(pages[0].lines.len())].is_empty() {
            chapters.remove(0);
        }
    }
}

// ---------------------------------------------------------------- paragraphs

static PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([A-Z]?\d{1,3})\.(\d{1,3})\.?(?:\s+|$)").unwrap());

/// The paragraph number a line starts with: "9.14 Some text" → "9.14".
pub fn paragraph_number(line: &str) -> Option<(String, u32)> {
    let c = PARAGRAPH.captures(line)?;
    let rest = &line[c.get(0)?.end()..];
    // "2.5 million" is a number in a sentence, not a paragraph.
    if rest.chars().next().is_some_and(|ch| ch.is_lowercase()) {
        return None;
    }
    Some((c[1].to_string(), c[2].parse().ok()?))
}

/// The chapter covering (page, line).
pub fn chapter_at(chapters: &[Chapter], page: u32, line: usize) -> Option<usize> {
    chapters.iter().rposition(|c| (c.start_page, c.start_line) <= (page, line))
}

fn find_paragraphs(pages: &[Page], chapters: &[Chapter], warnings: &mut Vec<String>) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut last: HashMap<String, u32> = HashMap::new();
    for page in pages {
        if page.is_contents {
            continue;
        }
        for (i, line) in page.lines.iter().enumerate() {
            let Some((major, minor)) = paragraph_number(line) else { continue };
            // The number must belong to the chapter it sits in, or at least
            // run on from the previous paragraph of its series.
            let chapter_number =
                chapter_at(chapters, page.physical, i).map(|c| chapter_series(chapters, c)).unwrap_or_default();
            let prev = last.get(&major).copied();
            let plausible =
                major == chapter_number || prev.is_some_and(|p| minor == p + 1) || (prev.is_none() && minor == 1);
            if !plausible {
                continue;
            }
            if let Some(p) = prev {
                // A series that starts again at .1 (after a contents list of
                // the same numbers, say) is a restart, not a break.
                if minor != p + 1 && minor != 1 {
                    let printed = &page.printed;
                    if minor <= p {
                        warnings.push(format!(
                            "p. {printed} (PDF p. {}): ¶{major}.{minor} follows ¶{major}.{p}: numbering goes backwards",
                            page.physical
                        ));
                    } else {
                        warnings.push(format!(
                            "p. {printed} (PDF p. {}): ¶{major}.{minor} follows ¶{major}.{p}: {} missing",
                            page.physical,
                            missing_range(&major, p + 1, minor - 1)
                        ));
                    }
                }
            } else if minor != 1 {
                warnings.push(format!(
                    "p. {} (PDF p. {}): ¶{major}.{minor} is the first of its series (¶{major}.1 missing)",
                    page.printed, page.physical
                ));
            }
            last.insert(major.clone(), minor);
            out.push(Paragraph { number: format!("{major}.{minor}"), page: page.physical, line: i });
        }
    }
    out
}

/// The number paragraphs take in chapter `i`: its own, or its parent's for
/// an unnumbered section.
fn chapter_series(chapters: &[Chapter], i: usize) -> String {
    if !chapters[i].number.is_empty() {
        return chapters[i].number.clone();
    }
    chapters[..i]
        .iter()
        .rev()
        .find(|c| c.level < chapters[i].level && !c.number.is_empty())
        .map(|c| c.number.clone())
        .unwrap_or_default()
}

fn missing_range(major: &str, from: u32, to: u32) -> String {
    if from == to {
        format!("¶{major}.{from}")
    } else {
        format!("¶{major}.{from}–{major}.{to}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::RawPage;

    #[track_caller]
    fn check<I: std::fmt::Debug, O: std::fmt::Debug + PartialEq>(f: impl Fn(&I) -> O, cases: &[(I, O)]) {
        for (input, want) in cases {
            assert_eq!(&f(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn page_number_lines() {
        check(
            |s: &&str| page_number_line(s),
            &[
                ("209", Some("209".into())),
                ("iv", Some("iv".into())),
                ("XII", Some("XII".into())),
                ("Page 12", Some("12".into())),
                ("Page 3 of 80", Some("3".into())),
                ("- 7 -", Some("7".into())),
                ("civil", None),
                ("mix", None),
                ("9.14", None),
                ("Register of Risks", None),
            ],
        );
    }

    #[test]
    fn roman_numerals() {
        check(
            |s: &&str| roman_value(s),
            &[
                ("i", Some(1)),
                ("iv", Some(4)),
                ("viii", Some(8)),
                ("XIV", Some(14)),
                ("mcmxc", Some(1990)),
                ("iiii", None),
                ("vx", None),
                ("Iv", None),
                ("", None),
            ],
        );
        assert_eq!(to_roman(49), "xlix");
    }

    #[test]
    fn footer_labels_fill_gaps() {
        let s = |v: &[Option<&str>]| v.iter().map(|o| o.map(String::from)).collect::<Vec<_>>();
        check(
            |v: &Vec<Option<String>>| infer_footer_labels(v),
            &[
                // The cover carries no number; it is "i" before "ii".
                (
                    s(&[None, Some("ii"), Some("iii"), Some("1"), Some("2")]),
                    s(&[Some("i"), Some("ii"), Some("iii"), Some("1"), Some("2")]),
                ),
                // A page whose footer was lost gets its neighbours' next number.
                (s(&[Some("1"), None, Some("3")]), s(&[Some("1"), Some("2"), Some("3")])),
                // A year at the foot of a page is not its number.
                (s(&[Some("1"), Some("2"), Some("2006"), Some("4")]), s(&[Some("1"), Some("2"), Some("3"), Some("4")])),
                (s(&[Some("5"), Some("1"), Some("7"), Some("8")]), s(&[Some("5"), Some("6"), Some("7"), Some("8")])),
                // Too few numbers: none are trusted.
                (s(&[None, None, Some("5"), None]), s(&[None, None, None, None])),
            ],
        );
    }

    #[test]
    fn headings() {
        check(
            |s: &&str| split_heading(s),
            &[
                ("9. Human trafficking", ("9".into(), "Human trafficking".into())),
                ("A12. Human trafficking", ("A12".into(), "Human trafficking".into())),
                ("Chapter 3: Assessing risk", ("3".into(), "Assessing risk".into())),
                ("Chapter 3 Assessing risk", ("3".into(), "Assessing risk".into())),
                (
                    "Unlawful immigration and human trafficking",
                    ("".into(), "Unlawful immigration and human trafficking".into()),
                ),
                ("2024 review", ("".into(), "2024 review".into())),
            ],
        );
        check(
            |s: &&str| heading_line(s).map(|(n, _)| n),
            &[
                ("9. Human trafficking", Some("9".into())),
                ("A12. Human trafficking", Some("A12".into())),
                ("9.1 The service provider must act.", None),
                ("3. the provider then reviews", None),
                ("1. Services should take this step.", None),
                ("Human trafficking", None),
            ],
        );
    }

    #[test]
    fn contents_lines() {
        check(
            |s: &&str| contents_line(s),
            &[
                ("9. Human trafficking .......... 207", Some(("9. Human trafficking".into(), "207".into()))),
                ("Introduction …… iv", Some(("Introduction".into(), "iv".into()))),
                ("A12. Human trafficking 415", Some(("A12. Human trafficking".into(), "415".into()))),
                ("....... 12", None),
            ],
        );
    }

    #[test]
    fn paragraph_numbers() {
        check(
            |s: &&str| paragraph_number(s),
            &[
                ("9.14 Offenders often recruit", Some(("9".into(), 14))),
                ("A12.3 The judgement", Some(("A12".into(), 3))),
                ("2.19", Some(("2".into(), 19))),
                ("1.1. This guidance", Some(("1".into(), 1))),
                ("2.5 million people use", None),
                ("s.10(2) of the Act", None),
                ("Figure 9.1: chart", None),
            ],
        );
    }

    #[test]
    fn hyphenation_and_ligatures() {
        check(
            |v: &Vec<&str>| join_hyphenated(v.iter().map(|s| s.to_string()).collect()),
            &[
                (
                    vec!["through recom-", "mender systems and"],
                    vec!["through recommender".to_string(), "systems and".into()],
                ),
                (vec!["a well-", "Known term"], vec!["a well-".to_string(), "Known term".into()]),
                (vec!["the 2024-", "review"], vec!["the 2024-".to_string(), "review".into()]),
                (vec!["end of line -", "next"], vec!["end of line -".to_string(), "next".into()]),
            ],
        );
        check(
            |s: &&str| normalise_lines(s),
            &[
                ("ﬁnancial ﬂagging", vec!["financial flagging".to_string()]),
                ("a\u{0}b\u{7}  c\t\td\n\n  \n", vec!["ab c d".to_string()]),
                ("<script>alert(1)</script>", vec!["<script>alert(1)</script>".to_string()]),
            ],
        );
    }

    fn doc(pages: &[&str], outline: Vec<OutlineEntry>) -> RawDocument {
        RawDocument {
            page_count: pages.len() as u32,
            pages: pages
                .iter()
                .enumerate()
                .map(|(i, t)| RawPage { number: i as u32 + 1, text: t.to_string(), label: None, extractor: "test" })
                .collect(),
            outline,
            ..Default::default()
        }
    }

    #[test]
    fn furniture_is_removed_and_footer_numbers_become_labels() {
        let pages: Vec<String> = (1..=6)
            .map(|n| {
                let label = if n <= 2 { to_roman(n) } else { (n - 2).to_string() };
                let body = [
                    "Cover",
                    "Contents",
                    "Offenders recruit",
                    "Victims are moved",
                    "Debts are imposed",
                    "Control persists",
                ][n as usize - 1];
                format!("Register of Risks — Sample\n{body} on this page.\nMore text {n}.\n{label}")
            })
            .collect();
        let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
        let s = analyse(&doc(&refs, vec![]));
        assert_eq!(s.pages[2].lines, vec!["Offenders recruit on this page.", "More text 3."]);
        let labels: Vec<&str> = s.pages.iter().map(|p| p.printed.as_str()).collect();
        assert_eq!(labels, ["i", "ii", "1", "2", "3", "4"]);
        assert_eq!(s.pages[3].label_source, LabelSource::Printed);
        assert_eq!(s.removed_lines, vec!["Register of Risks — Sample".to_string()]);
    }

    #[test]
    fn outline_chapters_split_a_page_mid_way() {
        let d = doc(
            &[
                "Cover",
                "1. Introduction\n1.1 First.\n1.2 Second.\n2. Scope\n2.1 Scope text.",
                "2.2 More scope.\n2.4 Skipped one.",
            ],
            vec![
                OutlineEntry { level: 1, title: "1. Introduction".into(), page: 2 },
                OutlineEntry { level: 1, title: "2. Scope".into(), page: 2 },
            ],
        );
        let s = analyse(&d);
        assert_eq!(s.chapter_source, ChapterSource::Outline);
        let got: Vec<(&str, u32, usize, u32)> =
            s.chapters.iter().map(|c| (c.heading.as_str(), c.start_page, c.start_line, c.end_page)).collect();
        assert_eq!(got, vec![("", 1, 0, 1), ("1. Introduction", 2, 0, 2), ("2. Scope", 2, 3, 3)]);
        let paras: Vec<&str> = s.paragraphs.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(paras, ["1.1", "1.2", "2.1", "2.2", "2.4"]);
        assert_eq!(s.warnings, vec!["p. 3 (PDF p. 3): ¶2.4 follows ¶2.2: ¶2.3 missing".to_string()]);
    }

    #[test]
    fn chapters_from_heading_lines_and_from_contents() {
        let d = doc(
            &[
                "Contents\n1. Introduction ..... 2\n2. Method ..... 3\n3. Profiles ..... 3",
                "1. Introduction\n1.1 Text.",
                "2. Method\n2.1 Text.\n3. Profiles\n3.1 Text.",
            ],
            vec![],
        );
        let s = analyse(&d);
        assert_eq!(s.chapter_source, ChapterSource::Headings);
        let got: Vec<(&str, u32)> = s.chapters.iter().map(|c| (c.number.as_str(), c.start_page)).collect();
        assert_eq!(got, vec![("", 1), ("1", 2), ("2", 3), ("3", 3)]);

        // Headings that do not look like headings: only the Contents page helps.
        let d = doc(
            &[
                "Contents\nOpening remarks ..... 2\nThe method ..... 3\nAnnexes ..... 3",
                "Opening remarks\ntext",
                "The method\ntext\nAnnexes\ntext",
            ],
            vec![],
        );
        let s = analyse(&d);
        assert_eq!(s.chapter_source, ChapterSource::Contents);
        let got: Vec<(&str, u32, usize)> =
            s.chapters.iter().map(|c| (c.heading.as_str(), c.start_page, c.start_line)).collect();
        assert_eq!(got, vec![("", 1, 0), ("Opening remarks", 2, 0), ("The method", 3, 0), ("Annexes", 3, 2)]);
    }
}
