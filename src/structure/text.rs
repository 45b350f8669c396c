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

pub(crate) fn normalise_line(line: &str) -> String {
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

fn edge_indices(n: usize) -> impl Iterator<Item = usize> {
    // Short pages (a cover, a chapter's last lines) have one line at each edge.
    let k = if n <= 2 * EDGE_LINES { 1 } else { EDGE_LINES };
    let top = 0..n.min(k);
    let bottom = n.saturating_sub(k).max(n.min(k))..n;
    top.chain(bottom)
}

pub(crate) fn find_furniture(pages: &[Vec<String>]) -> Furniture {
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
pub(crate) fn strip_furniture(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check<I: std::fmt::Debug, O: std::fmt::Debug + PartialEq>(f: impl Fn(&I) -> O, cases: &[(I, O)]) {
        for (input, want) in cases {
            assert_eq!(&f(input), want, "input: {input:?}");
        }
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
}
