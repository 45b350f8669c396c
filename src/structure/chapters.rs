//! Chapters: from the outline, else the Contents page(s), else heading
//! lines; each with its level, start (page and line) and printed range.

use std::sync::LazyLock;

use regex::Regex;

use super::text::normalise_line;
use super::{Chapter, LabelSource, Page, MAX_CHAPTER_LEVEL};
use crate::extract::OutlineEntry;

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?i:chapter|section|annex|part)\s+)?([A-Z]?\d{1,3}(?:\.\d{1,3}){0,3})(?:\.|:|\s)\s*(\S.*)$")
        .unwrap()
});

/// Split a heading into (number, title): "9. Human trafficking" → ("9",
/// "Human trafficking"); "Chapter 3: Risk" → ("3", "Risk"); "5.1. Initiation"
/// → ("5.1", "Initiation"); no number → ("", heading).
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

/// The level a heading's number gives it: "3" → 1, "3.2" → 2, "3.2.1" → 3;
/// 1 for a heading without a number.
fn level_of(number: &str) -> u32 {
    number.trim_end_matches('.').matches('.').count() as u32 + 1
}

/// Comparable form of a heading: lower case, letters and digits only.
fn heading_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Find the line on `page`, at or after line `from`, where a heading starts:
/// the heading whole, over up to three lines (a title that wraps, a number
/// on a line of its own), or its title without the number.
fn find_heading_from(page: &Page, heading: &str, from: usize) -> Option<usize> {
    let want = heading_key(heading);
    let (number, title) = split_heading(heading);
    let bare = if number.is_empty() { String::new() } else { heading_key(&title) };
    if want.is_empty() {
        return None;
    }
    for i in from..page.lines.len() {
        // The line as it stands, and without a number the heading lacks
        // ("1. Background" for the bookmark "Background").
        let first = &page.lines[i];
        let unnumbered = split_heading(first).1;
        for start in [heading_key(first), heading_key(&unnumbered)] {
            let mut acc = start;
            for line in page.lines[i + 1..].iter().take(3) {
                if acc == want || (bare.len() >= 4 && acc == bare) {
                    return Some(i);
                }
                if acc.is_empty() || !(want.starts_with(&acc) || bare.starts_with(&acc)) {
                    break;
                }
                acc.push_str(&heading_key(line));
            }
            if acc == want || (bare.len() >= 4 && acc == bare) {
                return Some(i);
            }
        }
    }
    find_heading_line(page, heading).filter(|&i| i >= from)
}

/// The heading as the page prints it from line `at`, when its lines spell
/// exactly `heading` (letters and digits compared).
fn body_heading(page: &Page, at: usize, heading: &str) -> Option<String> {
    let want = heading_key(heading);
    let mut text = String::new();
    for line in page.lines.get(at..)?.iter().take(4) {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(line);
        let key = heading_key(&text);
        if key == want {
            return Some(text);
        }
        if !want.starts_with(&key) {
            return None;
        }
    }
    None
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

/// Chapters from the outline, when it is one: its top two levels, once a
/// lone bookmark wrapping the whole document under a name that stands on no
/// page ("Structure Bookmarks") is set aside. Bookmarks that mostly point at
/// pages that do not show their titles (fewer than a quarter do) are not an
/// outline: `None`.
pub(crate) fn chapters_from_outline(outline: &[OutlineEntry], pages: &[Page]) -> Option<Vec<Chapter>> {
    let in_range = |e: &&OutlineEntry| e.page >= 1 && (e.page as usize) <= pages.len();
    let on_page =
        |e: &OutlineEntry| find_heading_from(&pages[e.page as usize - 1], &normalise_line(&e.title), 0).is_some();
    let tops: Vec<&OutlineEntry> = outline.iter().filter(|e| e.level == 1).collect();
    // A single wrapper whose title is on no page: its children are the outline.
    let shift = u32::from(tops.len() == 1 && outline.len() > 1 && !(in_range(&tops[0]) && on_page(tops[0])));
    let entries: Vec<OutlineEntry> = outline
        .iter()
        .filter(|e| e.level > shift)
        .map(|e| OutlineEntry { level: e.level - shift, ..e.clone() })
        .filter(|e| e.level <= MAX_CHAPTER_LEVEL)
        .filter(|e| in_range(&e) && !normalise_line(&e.title).is_empty())
        .collect();
    // Each bookmark's heading line on its page, looked for once.
    let lines: Vec<Option<usize>> =
        entries.iter().map(|e| find_heading_from(&pages[e.page as usize - 1], &normalise_line(&e.title), 0)).collect();
    let found = lines.iter().flatten().count();
    // Books set their headings apart from their bookmarks ("CHAPTER ONE"
    // for "Chapter 1"), so a quarter found is enough; below that the
    // bookmarks point at no headings.
    if entries.is_empty() || found * 4 < entries.len() {
        return None;
    }
    let mut chapters = Vec::new();
    let mut parent: Option<String> = None;
    for (e, line) in entries.into_iter().zip(lines) {
        let heading = normalise_line(&e.title);
        if e.level == 1 {
            parent = Some(heading.clone());
        }
        let start_line = line.unwrap_or(0);
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
/// leaders and a page number, or a "Contents" title over at least three
/// entries (Contents laid out as a table, without leaders).
pub(crate) fn is_contents_page(page: &Page, max_page: u32) -> bool {
    let leaders =
        page.lines.iter().filter(|l| (l.contains("..") || l.contains('…')) && contents_line(l).is_some()).count();
    if leaders >= 3 {
        return true;
    }
    page.lines.iter().take(3).any(|l| CONTENTS_TITLE.is_match(l)) && contents_entries(&page.lines, max_page).len() >= 3
}

static CONTENTS_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:table of )?contents(?: page)?:?$").unwrap());

static SECTION_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:(?i:chapter|section|part)\s+)?[A-Z]?\d{1,3}(?:\.\d{1,3}){0,3}\.|[A-Z]?\d{1,3}(?:\.\d{1,3}){1,3}|(?i:annex|appendix)\s+[A-Z0-9]{1,3}\.?)$").unwrap()
});

/// One entry of a Contents page.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentsEntry {
    /// The heading as the Contents prints it: "5.1. Initiation".
    pub heading: String,
    /// The page label it gives: "7", "iv".
    pub page: String,
}

/// What one line of a Contents page is.
#[derive(Debug, PartialEq)]
enum ContentsPiece {
    /// Title and page on one line: "Introduction ........ 4".
    Entry(String, String),
    /// A page number alone: "4".
    Page(String),
    /// A section number alone: "1.", "1.4", "Annex A".
    Number(String),
    Text(String),
}

/// A page label that can be a page of this document: arabic up to
/// `max_page`, or a small roman numeral.
fn plausible_page(label: &str, max_page: u32) -> bool {
    match label.parse::<u32>() {
        Ok(n) => n >= 1 && n <= max_page,
        Err(_) => crate::roman::roman_value(label).is_some_and(|v| v < 50),
    }
}

fn contents_piece(line: &str, next: Option<&str>, max_page: u32) -> ContentsPiece {
    let line = line.trim();
    if plausible_page(line, max_page) {
        return ContentsPiece::Page(line.to_string());
    }
    if SECTION_NUMBER.is_match(line) {
        return ContentsPiece::Number(line.to_string());
    }
    let leaders = line.contains("..") || line.contains('…');
    // A title that ends in a number ("Key Stage 2") followed by its page on
    // the next line is text, not an entry.
    let page_follows = next.is_some_and(|n| plausible_page(n.trim(), max_page));
    if let Some((title, page)) = contents_line(line) {
        if plausible_page(&page, max_page) && (leaders || !page_follows) {
            return ContentsPiece::Entry(title, page);
        }
    }
    ContentsPiece::Text(line.to_string())
}

/// The entries of a Contents page, in order, whatever its layout: title and
/// page on one line (with or without dot leaders); a page number on the line
/// after the title; a section number on a line of its own; a title that
/// wraps onto a second line. `max_page` bounds what can be a page number, so
/// "Our strategy for 2022" stays a title.
pub fn contents_entries(lines: &[String], max_page: u32) -> Vec<ContentsEntry> {
    let mut out = Vec::new();
    let mut number: Option<String> = None;
    let mut text: Vec<String> = Vec::new();
    let mut page: Option<String> = None;
    let heading = |number: &Option<String>, text: &[String], last: Option<&str>| {
        let mut parts: Vec<&str> = number.iter().map(String::as_str).collect();
        parts.extend(text.iter().map(String::as_str));
        parts.extend(last);
        parts.join(" ")
    };
    for (i, line) in lines.iter().enumerate() {
        if CONTENTS_TITLE.is_match(line.trim()) {
            continue;
        }
        match contents_piece(line, lines.get(i + 1).map(String::as_str), max_page) {
            ContentsPiece::Entry(title, p) => {
                out.push(ContentsEntry { heading: heading(&number, &text, Some(&title)), page: p });
                (number, page) = (None, None);
                text.clear();
            }
            ContentsPiece::Page(p) => {
                if !text.is_empty() {
                    out.push(ContentsEntry { heading: heading(&number, &text, None), page: p });
                    (number, page) = (None, None);
                    text.clear();
                } else if number.is_some() {
                    // "1.4", "6", then the title: the page came first.
                    page = Some(p);
                }
            }
            ContentsPiece::Number(n) => {
                (number, page) = (Some(n), None);
                text.clear();
            }
            ContentsPiece::Text(t) => match page.take() {
                Some(p) => {
                    out.push(ContentsEntry { heading: heading(&number, &[], Some(&t)), page: p });
                    number = None;
                    text.clear();
                }
                None => {
                    text.push(t);
                    // A title wraps onto two lines at most; more is prose.
                    if text.len() > 2 {
                        text.remove(0);
                        number = None;
                    }
                }
            },
        }
    }
    out
}

/// Words a heading does not end on, but a line broken mid-sentence does.
const SENTENCE_GLUE: [&str; 24] = [
    "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "is", "of", "on", "or", "that", "the", "their",
    "this", "to", "which", "with", "who", "will", "are",
];

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
    if number.contains('.')
        || title.split_whitespace().count() > 14
        || contents_line(line).is_some_and(|(_, p)| p.len() >= 2 && line.contains(".."))
    {
        return None;
    }
    // A numbered paragraph's first line breaks off mid-sentence: "31. In
    // line with Working Together to".
    let last = title.rsplit(' ').next().unwrap_or_default().to_lowercase();
    if title.contains(' ') && SENTENCE_GLUE.contains(&last.as_str()) {
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

pub(crate) fn chapters_from_headings(pages: &[Page]) -> Option<Vec<Chapter>> {
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut last: Option<(u32, u32)> = None;
    for page in pages {
        if page.is_contents {
            continue;
        }
        for (i, line) in page.lines.iter().enumerate() {
            let Some((number, title)) = heading_line(line) else { continue };
            // A sentence that goes on in lower case on the next line is a
            // numbered paragraph, not a heading.
            if page.lines.get(i + 1).and_then(|n| n.chars().next()).is_some_and(char::is_lowercase) {
                continue;
            }
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

/// Chapters from the Contents page(s): each entry placed on the page where
/// its heading stands, at or after the page the Contents gives (two pages of
/// slack) and after the entry before it. Where printed numbers do not lead
/// to the page (none found, or the Contents counts from another start), the
/// offset most entries agree on is used. Levels follow the numbering.
pub(crate) fn chapters_from_contents(
    pages: &[Page],
    max_page: u32,
    warnings: &mut Vec<String>,
) -> Option<Vec<Chapter>> {
    // The first run of Contents pages (a later page of leader lines is a
    // list of tables or a chapter's own contents).
    let first = pages.iter().position(|p| p.is_contents)?;
    let first_body = (first..pages.len()).find(|&i| !pages[i].is_contents).unwrap_or(pages.len());
    let contents: Vec<usize> = (first..first_body).collect();
    let entries: Vec<ContentsEntry> =
        contents.iter().flat_map(|&i| contents_entries(&pages[i].lines, max_page)).collect();
    if entries.len() < 2 {
        return None;
    }
    let by_label = |label: &str| -> Option<usize> {
        (first_body..pages.len())
            .find(|&i| pages[i].label_source != LabelSource::Physical && pages[i].printed.eq_ignore_ascii_case(label))
    };
    // The offset from a Contents number to the physical page, for entries
    // whose number no page prints: the one that puts most headings in place.
    let offset = (-2i64..=12)
        .max_by_key(|&d| {
            let hits = entries
                .iter()
                .filter(|e| {
                    let Ok(n) = e.page.parse::<i64>() else { return false };
                    let i = n - 1 + d;
                    i >= first_body as i64
                        && (i as usize) < pages.len()
                        && find_heading_from(&pages[i as usize], &e.heading, 0).is_some()
                })
                .count();
            (hits, -d.abs())
        })
        .unwrap_or(0);
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut missing = Vec::new();
    let mut cursor = (first_body, 0usize);
    for e in &entries {
        let base = by_label(&e.page).or_else(|| {
            let i = e.page.parse::<i64>().ok()? - 1 + offset;
            (i >= first_body as i64 && (i as usize) < pages.len()).then_some(i as usize)
        });
        let Some(base) = base else {
            missing.push(format!(
                "the Contents lists \"{}\" at p. {}, a page this document does not have after its Contents; \
                 left out of the chapters",
                e.heading, e.page
            ));
            continue;
        };
        let from = base.max(cursor.0);
        let found = (from..pages.len().min(from + 3)).find_map(|i| {
            let line_from = if i == cursor.0 { cursor.1 } else { 0 };
            find_heading_from(&pages[i], &e.heading, line_from).map(|l| (i, l))
        });
        let (idx, line) = match found {
            Some(at) => {
                cursor = (at.0, at.1 + 1);
                at
            }
            None if base >= cursor.0 => (base, if base == cursor.0 { cursor.1 } else { 0 }),
            None => {
                // Its page lies before a heading already placed: left out.
                missing.push(format!(
                    "the Contents lists \"{}\" at p. {}, but that page comes before the entry listed above it; \
                     left out of the chapters",
                    e.heading, e.page
                ));
                continue;
            }
        };
        if found.is_none() {
            let p = &pages[base];
            missing.push(format!(
                "the Contents lists \"{}\" at p. {}, but no page from p. {} (PDF p. {}) on shows it as a heading; \
                 the chapter is taken to start on that page",
                e.heading, e.page, p.printed, p.physical
            ));
        }
        // Extraction may break a word in one copy of the heading and not the
        // other ("s trategy"): of two spellings of the same heading, the one
        // with fewer spaces.
        let heading = found
            .and_then(|(i, l)| body_heading(&pages[i], l, &e.heading))
            .filter(|b| b.matches(' ').count() < e.heading.matches(' ').count())
            .unwrap_or_else(|| e.heading.clone());
        let (number, title) = split_heading(&heading);
        let level = if number.is_empty() { 1 } else { level_of(&number) };
        let parent = chapters.iter().rev().find(|c| c.level < level).map(|c| c.heading.clone());
        chapters.push(Chapter {
            number,
            title,
            heading,
            level,
            parent: if level > 1 { parent } else { None },
            start_page: pages[idx].physical,
            start_line: line,
            end_page: pages[idx].physical,
            printed_start: String::new(),
            printed_end: String::new(),
        });
    }
    chapters.sort_by_key(|c| (c.start_page, c.start_line));
    if chapters.len() < 2 {
        return None;
    }
    warnings.extend(missing);
    Some(chapters)
}

/// Add a front-matter pseudo-chapter before the first chapter, set each
/// chapter's end page and printed range.
pub(crate) fn close_chapters(chapters: &mut Vec<Chapter>, pages: &[Page]) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::check;

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
                ("5.1. Initiation", ("5.1".into(), "Initiation".into())),
                ("3.3.2 Number of agency workers", ("3.3.2".into(), "Number of agency workers".into())),
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
                // Numbered paragraphs broken off mid-sentence are not headings.
                ("31. In line with Working Together to", None),
                ("4. Local authorities should work with the", None),
                ("12. Where a child is", None),
                // Sub-section numbers belong to the Contents or the outline.
                ("2.3 Out of area housing arrangements", None),
                ("7. Risk Level Tables", Some("7".into())),
                ("2 Overview of safeguarding pressures on children and families’ lives", Some("2".into())),
            ],
        );
        check(|s: &&str| level_of(s), &[("3", 1), ("3.2", 2), ("5.1.", 2), ("3.3.2", 3), ("A12", 1)]);
    }

    #[track_caller]
    fn entries(lines: &[&str]) -> Vec<(String, String)> {
        let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        contents_entries(&lines, 40).into_iter().map(|e| (e.heading, e.page)).collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn contents_layouts() {
        // Dot leaders, sub-sections, a section number on a line of its own.
        assert_eq!(
            entries(&[
                "Contents",
                "Foreword .......... 4",
                "1.",
                "What is the dataset? ........ 4",
                "1.1 Short-term funding ..... 10",
                "Annex A – Forward Programme ....... 38",
            ]),
            pairs(&[
                ("Foreword", "4"),
                ("1. What is the dataset?", "4"),
                ("1.1 Short-term funding", "10"),
                ("Annex A – Forward Programme", "38"),
            ])
        );
        // A table: the page on the line after the title; a title that ends
        // in a number (a year) is still a title; a title that wraps.
        assert_eq!(
            entries(&[
                "Contents",
                "Forward from the Permanent Secretary",
                "3",
                "Our evaluation strategy for 2022",
                "6",
                "1.3",
                "Scope of the workforce collection – individual level data",
                "collection",
                "7",
                "Key Stage 2",
                "9",
            ]),
            pairs(&[
                ("Forward from the Permanent Secretary", "3"),
                ("Our evaluation strategy for 2022", "6"),
                ("1.3 Scope of the workforce collection – individual level data collection", "7"),
                ("Key Stage 2", "9"),
            ])
        );
        // The page before the title; roman page numbers.
        assert_eq!(
            entries(&["1.4", "6", "Structure of the data collection", "Introduction …… iv"]),
            pairs(&[("1.4 Structure of the data collection", "6"), ("Introduction", "iv")])
        );
        // Prose is not a Contents.
        assert_eq!(entries(&["This guidance sets out", "what local authorities", "must do and", "when."]), pairs(&[]));
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
}
