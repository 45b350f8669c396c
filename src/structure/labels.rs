//! Printed page labels: a page number printed at a page edge, /PageLabels,
//! or the physical page, decided per run of pages.

use std::sync::LazyLock;

use regex::Regex;

use super::{LabelSource, Page};
use crate::extract::RawDocument;
use crate::roman::{roman_value, to_roman};

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
pub(crate) fn embedded_page_number(line: &str) -> Option<String> {
    EMBEDDED_NUMBER.captures(line.trim()).map(|c| c[1].to_string())
}

/// Every page's citable number, decided page by page: the number printed
/// on the page wins; where the page prints none, /PageLabels give it when
/// they agree with the printed numbers around it, else the run of printed
/// numbers it sits in (a full-page figure between 6 and 8 is 7); the
/// physical page only where there is neither. Labels that contradict the
/// printed numbers are named once in `warnings`.
pub(crate) fn assign_labels(
    pages: &mut [Page],
    doc: &RawDocument,
    found: &[Option<String>],
    warnings: &mut Vec<String>,
) {
    let mut printed: Vec<Option<String>> = found.to_vec();
    if printed.iter().flatten().count() * 2 < printed.len() {
        // Too few numbers to be a page numbering: stray figures at the edges.
        printed.iter_mut().for_each(|p| *p = None);
    }
    drop_outliers(&mut printed);
    let filled = infer_footer_labels(&printed);
    let labels: Vec<Option<&str>> = doc.pages.iter().map(|p| p.label.as_deref()).collect();
    let agrees: Vec<Option<bool>> =
        printed.iter().zip(&labels).map(|(p, l)| Some(label_matches(l.as_ref()?, p.as_deref()?))).collect();
    if let Some(i) = agrees.iter().position(|a| *a == Some(false)) {
        warnings.push(format!(
            "/PageLabels say {} for the page that prints {} (PDF p. {}); citing the printed numbers",
            labels[i].unwrap_or_default(),
            printed[i].as_deref().unwrap_or_default(),
            pages[i].physical
        ));
    }
    for (i, page) in pages.iter_mut().enumerate() {
        let (label, source) = if let Some(p) = &printed[i] {
            (p.clone(), LabelSource::Printed)
        } else if let Some(l) = labels[i].filter(|_| labels_trusted_near(&agrees, i)) {
            (l.to_string(), LabelSource::Label)
        } else if let Some(f) = &filled[i] {
            (f.clone(), LabelSource::Printed)
        } else {
            (page.physical.to_string(), LabelSource::Physical)
        };
        page.printed = label;
        page.label_source = source;
    }
}

/// A /PageLabels label names the same page as a printed number: equal up to
/// case ("iv" and "IV"), or the number with a prefix ("A-3" and "3").
fn label_matches(label: &str, printed: &str) -> bool {
    label.eq_ignore_ascii_case(printed)
        || label.len() > printed.len()
            && label.to_ascii_lowercase().ends_with(&printed.to_ascii_lowercase())
            && !label.as_bytes()[label.len() - printed.len() - 1].is_ascii_alphanumeric()
}

/// The labels may stand in for page `i`'s missing number: the nearest pages
/// that print a number, before and after it, agree with their labels (or no
/// page prints one at all).
fn labels_trusted_near(agrees: &[Option<bool>], i: usize) -> bool {
    let before = agrees[..i].iter().rev().flatten().next();
    let after = agrees[i + 1..].iter().flatten().next();
    before.is_none_or(|a| *a) && after.is_none_or(|a| *a)
}

/// Fill pages without a footer number from the next numbered page when the
/// sequence allows it (a cover before "ii" is "i"; a page before "5" is "4").
/// Numbers that do not fit the sequence of their neighbours are dropped.
pub fn infer_footer_labels(footer: &[Option<String>]) -> Vec<Option<String>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::check;

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
            ],
        );
    }

    /// (numbers found at the page edges, /PageLabels) → (label cited, where
    /// it came from) for each page, and the warnings.
    #[allow(clippy::type_complexity)]
    fn decide(found: &[Option<&str>], labels: &[Option<&str>]) -> (Vec<(String, LabelSource)>, Vec<String>) {
        let doc = RawDocument {
            page_count: found.len() as u32,
            pages: (0..found.len())
                .map(|i| crate::extract::RawPage {
                    number: i as u32 + 1,
                    text: String::new(),
                    label: labels.get(i).copied().flatten().map(String::from),
                    extractor: "test",
                })
                .collect(),
            ..Default::default()
        };
        let mut pages: Vec<Page> = (1..=found.len() as u32)
            .map(|n| Page {
                physical: n,
                printed: String::new(),
                label_source: LabelSource::Physical,
                lines: vec![],
                is_contents: false,
                notes: vec![],
                headings: vec![],
            })
            .collect();
        let found: Vec<Option<String>> = found.iter().map(|f| f.map(String::from)).collect();
        let mut warnings = Vec::new();
        assign_labels(&mut pages, &doc, &found, &mut warnings);
        (pages.into_iter().map(|p| (p.printed, p.label_source)).collect(), warnings)
    }

    #[test]
    fn the_printed_number_wins() {
        use LabelSource::{Label, Physical, Printed};
        let l = |v: &[(&str, LabelSource)]| v.iter().map(|(s, k)| (s.to_string(), *k)).collect::<Vec<_>>();
        let none: &[Option<&str>] = &[];
        // Labels that agree: the printed numbers, and the label where the page prints none.
        let (got, w) = decide(&[None, Some("2"), Some("3"), Some("4")], &[Some("i"), Some("2"), Some("3"), Some("4")]);
        assert_eq!(got, l(&[("i", Label), ("2", Printed), ("3", Printed), ("4", Printed)]));
        assert!(w.is_empty());
        // Labels all roman, pages print arabic: the printed numbers, and the
        // run they make for the page that prints none; said once.
        let (got, w) = decide(
            &[None, Some("2"), None, Some("4"), Some("5")],
            &[Some("i"), Some("ii"), Some("iii"), Some("iv"), Some("v")],
        );
        assert_eq!(got, l(&[("1", Printed), ("2", Printed), ("3", Printed), ("4", Printed), ("5", Printed)]));
        assert_eq!(w, vec!["/PageLabels say ii for the page that prints 2 (PDF p. 2); citing the printed numbers"]);
        // Labels four ahead of the printed numbers.
        let (got, _) = decide(&[Some("1"), Some("2"), None, Some("4")], &[Some("5"), Some("6"), Some("7"), Some("8")]);
        assert_eq!(got, l(&[("1", Printed), ("2", Printed), ("3", Printed), ("4", Printed)]));
        // Roman front matter, arabic body, both printed and labelled alike.
        let (got, w) =
            decide(&[None, Some("ii"), Some("1"), Some("2")], &[Some("i"), Some("ii"), Some("1"), Some("2")]);
        assert_eq!(got, l(&[("i", Label), ("ii", Printed), ("1", Printed), ("2", Printed)]));
        assert!(w.is_empty());
        // Labels for a range only: printed numbers elsewhere still count.
        let (got, _) = decide(&[Some("1"), Some("2"), Some("3")], &[Some("1"), None, None]);
        assert_eq!(got, l(&[("1", Printed), ("2", Printed), ("3", Printed)]));
        // No printed numbers: the labels; neither: the physical page.
        let (got, _) = decide(&[None, None], &[Some("A-1"), Some("A-2")]);
        assert_eq!(got, l(&[("A-1", Label), ("A-2", Label)]));
        let (got, _) = decide(&[None, None, None], none);
        assert_eq!(got, l(&[("1", Physical), ("2", Physical), ("3", Physical)]));
        // A stray figure at the edge of one page of many is not a numbering.
        let (got, _) = decide(&[None, None, Some("5"), None], none);
        assert_eq!(got, l(&[("1", Physical), ("2", Physical), ("3", Physical), ("4", Physical)]));
        // A prefixed label names the printed number.
        let (_, w) = decide(&[Some("1"), Some("2")], &[Some("A-1"), Some("A-2")]);
        assert!(w.is_empty(), "{w:?}");
    }
}
