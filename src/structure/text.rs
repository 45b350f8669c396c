//! Clean text: NFKC normalisation, invisible characters dropped, white
//! space folded, hyphenation across line breaks joined, and running headers
//! and footers found and removed.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::labels::{embedded_page_number, page_number_line};

/// NFKC, drop control characters, fold white space; one entry per non-empty line.
pub fn normalise_lines(text: &str) -> Vec<String> {
    text.split(['\n', '\r', '\u{c}']).map(normalise_line).filter(|l| !l.is_empty()).collect()
}

/// The value of a superscript digit (a footnote marker, as extraction writes it).
pub fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '\u{b9}' => Some(1),
        '\u{b2}' => Some(2),
        '\u{b3}' => Some(3),
        '\u{2070}' | '\u{2074}'..='\u{2079}' => Some(c as u32 - 0x2070),
        _ => None,
    }
}

/// Private-use stand-ins that carry superscript digits through NFKC (which
/// would make them plain digits, indistinguishable from the sentence's own).
const KEEP_SUPERSCRIPT: u32 = 0xE000;

pub(crate) fn normalise_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    let kept: String;
    let protected = line.chars().any(|c| superscript_digit(c).is_some());
    let line = if protected {
        kept = line
            .chars()
            .map(|c| superscript_digit(c).and_then(|d| char::from_u32(KEEP_SUPERSCRIPT + d)).unwrap_or(c))
            .collect();
        kept.as_str()
    } else {
        line
    };
    for c in line.nfkc() {
        let c = match c as u32 {
            v @ KEEP_SUPERSCRIPT..=0xE009 if protected => superscript_of(v - KEEP_SUPERSCRIPT),
            _ => c,
        };
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

fn superscript_of(d: u32) -> char {
    match d {
        1 => '\u{b9}',
        2 => '\u{b2}',
        3 => '\u{b3}',
        d => char::from_u32(0x2070 + d).unwrap_or('0'),
    }
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

/// How many lines at each end of a page are candidates for furniture.
const EDGE_LINES: usize = 2;

pub(crate) struct Furniture {
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

/// The lines at a page's edges: `EDGE_LINES` at the top and at the bottom
/// (one on a short page), not counting lines already known to be furniture,
/// which are peeled off first (a running title above a section's own
/// numbered header).
fn edges(lines: &[String], known: &std::collections::HashSet<String>) -> Vec<usize> {
    let n = lines.len();
    // Short pages (a cover, a chapter's last lines) have one line at each edge.
    let k = if n <= 2 * EDGE_LINES { 1 } else { EDGE_LINES };
    let mut out = Vec::new();
    let take = |order: &mut dyn Iterator<Item = usize>, out: &mut Vec<usize>| {
        let mut counted = 0;
        for i in order {
            if counted == k {
                break;
            }
            if !out.contains(&i) {
                out.push(i);
            }
            if !known.contains(&furniture_key(&lines[i])) {
                counted += 1;
            }
        }
    };
    take(&mut (0..n), &mut out);
    take(&mut (0..n).rev(), &mut out);
    out.sort_unstable();
    out
}

/// Lines that repeat at the page edges on most pages; and, wherever they
/// stand, lines that end in the page's number on at least three pages of a
/// run ("Attachment A 1", "Attachment A 2", … over an appendix numbered on
/// its own), which say where a run of numbering is printed.
pub(crate) fn find_furniture(pages: &[Vec<String>]) -> Furniture {
    let first = edge_keys(pages, &std::collections::HashSet::new());
    // Once the furniture of most pages is known, what stands at the edges
    // behind it is looked at again.
    let keys = edge_keys(pages, &first);
    Furniture { keys }
}

fn edge_keys(pages: &[Vec<String>], known: &std::collections::HashSet<String>) -> std::collections::HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    // Per key: how many of its pages agree on (number − physical index).
    let mut runs: HashMap<String, HashMap<i64, usize>> = HashMap::new();
    for (p, lines) in pages.iter().enumerate() {
        let mut seen = std::collections::HashSet::new();
        for i in edges(lines, known) {
            let key = furniture_key(&lines[i]);
            if !seen.insert(key.clone()) {
                continue;
            }
            *counts.entry(key.clone()).or_default() += 1;
            if let Some(n) = embedded_page_number(&lines[i]).and_then(|n| n.parse::<i64>().ok()) {
                *runs.entry(key).or_default().entry(n - p as i64).or_default() += 1;
            }
        }
    }
    let threshold = (pages.len() / 2).max(3);
    let numbered = |k: &String| runs.get(k).is_some_and(|r| r.values().any(|&n| n >= 3));
    counts
        .into_iter()
        .filter(|(k, n)| !k.is_empty() && k != "#" && (*n >= threshold || (k.ends_with('#') && numbered(k))))
        .map(|(k, _)| k)
        .collect()
}

/// Remove header/footer lines and bare page numbers at the page edges.
/// Returns the kept lines and the page number printed there, if any.
pub(crate) fn strip_furniture(
    lines: Vec<String>,
    furniture: &Furniture,
    removed: &mut std::collections::BTreeSet<String>,
) -> (Vec<String>, Option<String>) {
    let n = lines.len();
    let edges = edges(&lines, &furniture.keys);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::check;

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
                // superscript digits (footnote markers) survive NFKC; other compatibility forms do not
                (
                    "at scale.\u{b9}\u{2078}\u{2070} Our \u{2460}",
                    vec!["at scale.\u{b9}\u{2078}\u{2070} Our 1".to_string()],
                ),
                ("\u{e001} kept", vec!["\u{e001} kept".to_string()]),
            ],
        );
    }

    #[test]
    fn a_numbered_line_over_a_run_of_pages_is_furniture() {
        let page = |lines: &[&str]| -> Vec<String> { lines.iter().map(|l| l.to_string()).collect() };
        // Ten pages under a running title, numbered at the foot; then an
        // attachment of four pages that prints its own numbers in a header
        // of its own, below the running title and its name.
        let topics = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"];
        let mut pages: Vec<Vec<String>> = (1..=10)
            .map(|n| {
                let body = format!("On {}", topics[n - 1]);
                page(&["Coding Handbook, March 2006", &body, "more body text", &n.to_string()])
            })
            .collect();
        pages.extend((1..=4).map(|n| {
            page(&[
                "Coding Handbook, March 2006",
                "Attachment A",
                &format!("Information Management {n}"),
                "Modifiers",
                "text",
            ])
        }));
        // A line that ends in a number on two pages only is not furniture.
        pages.extend((5..=6).map(|n| page(&["Coding Handbook, March 2006", &format!("Table {n}"), "Rows", "text"])));
        let f = find_furniture(&pages);
        assert!(f.keys.contains("information management #"), "{:?}", f.keys);
        assert!(!f.keys.contains("table #"), "{:?}", f.keys);
        let mut removed = std::collections::BTreeSet::new();
        let (kept, number) = strip_furniture(pages[11].clone(), &f, &mut removed);
        assert_eq!(number.as_deref(), Some("2"));
        assert_eq!(kept, vec!["Attachment A".to_string(), "Modifiers".into(), "text".into()]);
        let (kept, number) = strip_furniture(pages[3].clone(), &f, &mut removed);
        assert_eq!((kept, number.as_deref()), (vec!["On delta".to_string(), "more body text".into()], Some("4")));
    }
}
