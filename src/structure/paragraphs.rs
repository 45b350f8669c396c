//! Numbered paragraphs (9.12, A12.3): where each starts, and checks on
//! their numbering.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{Chapter, Page, Paragraph};

/// The longest line (in characters) taken for a sub-heading.
const MAX_HEADING_CHARS: usize = 90;

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

pub(crate) fn find_paragraphs(pages: &[Page], chapters: &[Chapter], warnings: &mut Vec<String>) -> Vec<Paragraph> {
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
                if minor == 1 {
                    warnings.push(format!(
                        "p. {} (PDF p. {}): ¶{major}.1 follows ¶{major}.{p}: numbering starts again",
                        page.printed, page.physical
                    ));
                } else if minor != p + 1 {
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
            out.push(Paragraph {
                number: format!("{major}.{minor}"),
                page: page.physical,
                line: i,
                end_page: page.physical,
                end_line: i,
            });
        }
    }
    out
}

/// Lines that are sub-headings ("Evidence", "How the harm manifests
/// online"): short, capitalised, ending in no stop, with a numbered
/// paragraph (or another such line) right after them and a finished
/// sentence, a heading or nothing right before. `starts` are the lines
/// where this page's numbered paragraphs start. A chapter's own heading line
/// counts too.
pub(crate) fn find_subheadings(page: &Page, starts: &[usize], chapter_lines: &[usize]) -> Vec<usize> {
    let lines = &page.lines;
    let looks = |i: usize| {
        let l = &lines[i];
        !starts.contains(&i)
            && l.chars().count() <= MAX_HEADING_CHARS
            && l.split_whitespace().count() <= 12
            && l.chars().next().is_some_and(char::is_uppercase)
            && !l.ends_with(['.', ',', ';', ':', '-'])
    };
    let mut out: Vec<usize> =
        chapter_lines.iter().copied().filter(|i| *i < lines.len() && !starts.contains(i)).collect();
    for i in 0..lines.len() {
        if out.contains(&i) || !looks(i) {
            continue;
        }
        let next_starts = |j: usize| starts.contains(&j);
        let before_ok =
            i == 0 || out.contains(&(i - 1)) || lines[i - 1].ends_with(['.', '!', '?', ':', ';', ')', '\u{201d}', '"']);
        let after_ok = next_starts(i + 1) || (i + 2 < lines.len() && looks(i + 1) && next_starts(i + 2));
        if before_ok && after_ok {
            out.push(i);
        }
    }
    out.sort_unstable();
    out
}

/// Close each paragraph: it runs to the line before the next paragraph, the
/// next heading or sub-heading, or the next chapter, over page breaks.
pub(crate) fn close_paragraphs(paragraphs: &mut [Paragraph], pages: &[Page], chapters: &[Chapter]) {
    let mut bounds: Vec<(u32, usize)> = paragraphs.iter().map(|p| (p.page, p.line)).collect();
    bounds.extend(chapters.iter().map(|c| (c.start_page, c.start_line)));
    for page in pages {
        bounds.extend(page.headings.iter().map(|l| (page.physical, *l)));
        if page.is_contents {
            bounds.push((page.physical, 0));
        }
    }
    bounds.sort_unstable();
    bounds.dedup();
    for p in paragraphs.iter_mut() {
        let next = bounds.get(bounds.partition_point(|b| *b <= (p.page, p.line))).copied();
        // The last line before `next`, stepping back over empty pages.
        let (mut page, mut line) = match next {
            Some((pg, 0)) => (pg.saturating_sub(1), usize::MAX),
            Some((pg, l)) => (pg, l - 1),
            None => (pages.last().map_or(p.page, |pg| pg.physical), usize::MAX),
        };
        if line == usize::MAX {
            let empty = |n: u32| pages.get(n as usize - 1).is_some_and(|pg| pg.lines.is_empty());
            page = page.max(p.page);
            while page > p.page && empty(page) {
                page -= 1;
            }
            line = pages.get(page as usize - 1).map_or(0, |pg| pg.lines.len().saturating_sub(1));
        }
        if (page, line) < (p.page, p.line) {
            (page, line) = (p.page, p.line);
        }
        p.end_page = page;
        p.end_line = line;
    }
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
    use crate::structure::check;

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
}
