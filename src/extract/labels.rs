//! Page labels (/PageLabels): the printed page number of each physical page.
//!
//! Reading the number tree needs a PDF (lopdf); turning the parsed ranges into
//! one label per page is the pure function [`compute_labels`], and formatting
//! one number is [`format_label`].

use crate::roman::to_roman;
use lopdf::{Document, Object, ObjectId};
use std::collections::HashSet;

/// The numbering style of one label range (/S).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelStyle {
    /// /D: 1, 2, 3
    Decimal,
    /// /R: I, II, III
    UpperRoman,
    /// /r: i, ii, iii
    LowerRoman,
    /// /A: A..Z, AA..ZZ, AAA..
    UpperLetters,
    /// /a: a..z, aa..zz, aaa..
    LowerLetters,
    /// No /S: the label is the prefix alone.
    None,
}

/// One /PageLabels entry: from physical page index `start` (0-based) on,
/// pages are labelled `prefix` + `style(first + offset)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRange {
    pub start: u32,
    pub style: LabelStyle,
    pub prefix: String,
    pub first: u32,
}

/// Formats one label: the prefix followed by `value` in `style`.
///
/// Letters run A..Z, then AA..ZZ, then AAA.. (the letter repeated), as the
/// PDF specification says. Roman numerals above 3999 repeat M. A value of 0
/// has no roman or letter form and formats as the prefix alone.
pub fn format_label(style: LabelStyle, prefix: &str, value: u32) -> String {
    let mut out = String::from(prefix);
    match style {
        LabelStyle::Decimal => out.push_str(&value.to_string()),
        LabelStyle::UpperRoman => out.push_str(&to_roman(value).to_uppercase()),
        LabelStyle::LowerRoman => out.push_str(&to_roman(value)),
        LabelStyle::UpperLetters => out.push_str(&letters(value, b'A')),
        LabelStyle::LowerLetters => out.push_str(&letters(value, b'a')),
        LabelStyle::None => {}
    }
    out
}

fn letters(n: u32, base: u8) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = (base + ((n - 1) % 26) as u8) as char;
    let count = ((n - 1) / 26 + 1).min(1000) as usize;
    std::iter::repeat_n(letter, count).collect()
}

/// One label per physical page from the parsed ranges. Ranges may come in any
/// order; a later duplicate start replaces an earlier one. Pages before the
/// first range are labelled with their physical number.
pub fn compute_labels(page_count: u32, ranges: &[LabelRange]) -> Vec<String> {
    let mut sorted: Vec<&LabelRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        if let Some(pos) = sorted.iter().position(|x| x.start == r.start) {
            sorted[pos] = r;
        } else {
            sorted.push(r);
        }
    }
    sorted.sort_by_key(|r| r.start);
    (0..page_count)
        .map(|i| match sorted.iter().rev().find(|r| r.start <= i) {
            Some(r) => format_label(r.style, &r.prefix, r.first.saturating_add(i - r.start)),
            None => (i + 1).to_string(),
        })
        .collect()
}

/// Reads /PageLabels from the catalog. `None` when the document has none (or
/// none that parse); malformed entries are skipped with a warning.
pub fn read_page_labels(doc: &Document, warnings: &mut Vec<String>) -> Option<Vec<LabelRange>> {
    let catalog = doc.catalog().ok()?;
    let root = catalog.get(b"PageLabels").ok()?;
    let mut ranges = Vec::new();
    let mut seen = HashSet::new();
    walk_number_tree(doc, root, 0, &mut seen, &mut ranges, warnings);
    if ranges.is_empty() {
        warnings.push("the page labels (/PageLabels) could not be read; ignored".into());
        return None;
    }
    Some(ranges)
}

fn resolve<'a>(doc: &'a Document, obj: &'a Object, seen: &mut HashSet<ObjectId>) -> Option<&'a Object> {
    let mut obj = obj;
    for _ in 0..16 {
        match obj {
            Object::Reference(id) => {
                if !seen.insert(*id) {
                    return None;
                }
                obj = doc.get_object(*id).ok()?;
            }
            _ => return Some(obj),
        }
    }
    None
}

fn walk_number_tree(
    doc: &Document,
    node: &Object,
    depth: u32,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<LabelRange>,
    warnings: &mut Vec<String>,
) {
    if depth > 32 || out.len() > 100_000 {
        return;
    }
    let Some(Object::Dictionary(dict)) = resolve(doc, node, seen) else {
        warnings.push("a /PageLabels tree node is not a dictionary; ignored".into());
        return;
    };
    if let Ok(nums) = dict.get(b"Nums") {
        let mut local = HashSet::new();
        match resolve(doc, nums, &mut local) {
            Some(Object::Array(items)) => {
                for pair in items.chunks(2) {
                    match parse_entry(doc, pair) {
                        Ok(r) => out.push(r),
                        Err(e) => warnings.push(format!("a malformed page label entry was ignored: {e}")),
                    }
                }
            }
            _ => warnings.push("/PageLabels /Nums is not an array; ignored".into()),
        }
    }
    if let Ok(kids) = dict.get(b"Kids") {
        let mut local = HashSet::new();
        if let Some(Object::Array(kids)) = resolve(doc, kids, &mut local) {
            for kid in kids {
                walk_number_tree(doc, kid, depth + 1, seen, out, warnings);
            }
        }
    }
}

fn parse_entry(doc: &Document, pair: &[Object]) -> Result<LabelRange, String> {
    let [key, value] = pair else {
        return Err("odd number of items in /Nums".into());
    };
    let mut seen = HashSet::new();
    let start = match resolve(doc, key, &mut seen) {
        Some(Object::Integer(i)) if *i >= 0 && *i <= u32::MAX as i64 => *i as u32,
        other => return Err(format!("page index is not a non-negative integer ({other:?})")),
    };
    let mut seen = HashSet::new();
    let Some(Object::Dictionary(d)) = resolve(doc, value, &mut seen) else {
        return Err(format!("the label for page index {start} is not a dictionary"));
    };
    let style = match d.get(b"S").ok().and_then(|o| o.as_name().ok()) {
        None => LabelStyle::None,
        Some(b"D") => LabelStyle::Decimal,
        Some(b"R") => LabelStyle::UpperRoman,
        Some(b"r") => LabelStyle::LowerRoman,
        Some(b"A") => LabelStyle::UpperLetters,
        Some(b"a") => LabelStyle::LowerLetters,
        Some(other) => {
            return Err(format!("unknown label style /{} at page index {start}", String::from_utf8_lossy(other)))
        }
    };
    let prefix = match d.get(b"P") {
        Ok(Object::String(bytes, _)) => crate::extract::outline::decode_text(bytes),
        _ => String::new(),
    };
    let first = match d.get(b"St") {
        Ok(Object::Integer(i)) if *i >= 1 => (*i).min(u32::MAX as i64) as u32,
        Ok(Object::Integer(i)) => return Err(format!("start value {i} at page index {start} is below 1")),
        Ok(_) => return Err(format!("start value at page index {start} is not an integer")),
        Err(_) => 1,
    };
    Ok(LabelRange { start, style, prefix, first })
}

#[cfg(test)]
mod tests {
    use super::*;
    use LabelStyle::*;

    #[test]
    fn format_label_table() {
        let cases: &[(LabelStyle, &str, u32, &str)] = &[
            (Decimal, "", 1, "1"),
            (Decimal, "", 71, "71"),
            (Decimal, "L 119/", 5, "L 119/5"),
            (UpperRoman, "", 1, "I"),
            (UpperRoman, "", 4, "IV"),
            (UpperRoman, "", 9, "IX"),
            (UpperRoman, "", 14, "XIV"),
            (UpperRoman, "", 40, "XL"),
            (UpperRoman, "", 1994, "MCMXCIV"),
            (LowerRoman, "", 3, "iii"),
            (LowerRoman, "", 4, "iv"),
            (LowerRoman, "", 49, "xlix"),
            (UpperLetters, "", 1, "A"),
            (UpperLetters, "", 26, "Z"),
            (UpperLetters, "", 27, "AA"),
            (UpperLetters, "", 28, "BB"),
            (UpperLetters, "", 52, "ZZ"),
            (UpperLetters, "", 53, "AAA"),
            (LowerLetters, "", 2, "b"),
            (LowerLetters, "", 29, "cc"),
            (LowerLetters, "A-", 1, "A-a"),
            (None, "Cover", 1, "Cover"),
            (None, "", 7, ""),
            (UpperRoman, "X", 0, "X"),
            (Decimal, "X", 3, "X3"),
        ];
        for (style, prefix, value, want) in cases {
            assert_eq!(format_label(*style, prefix, *value), *want, "{style:?} {prefix:?} {value}");
        }
    }

    fn r(start: u32, style: LabelStyle, prefix: &str, first: u32) -> LabelRange {
        LabelRange { start, style, prefix: prefix.into(), first }
    }

    #[test]
    fn compute_labels_table() {
        let cases: Vec<(u32, Vec<LabelRange>, Vec<&str>)> = vec![
            (3, vec![r(0, Decimal, "", 1)], vec!["1", "2", "3"]),
            (3, vec![r(0, Decimal, "", 71)], vec!["71", "72", "73"]),
            // roman front matter then arabic
            (5, vec![r(0, LowerRoman, "", 1), r(2, Decimal, "", 1)], vec!["i", "ii", "1", "2", "3"]),
            // non-monotonic (pagelabels.pdf: iii, iv, 1, 2, 1)
            (
                5,
                vec![r(0, LowerRoman, "", 3), r(2, Decimal, "", 1), r(4, Decimal, "", 1)],
                vec!["iii", "iv", "1", "2", "1"],
            ),
            // unsorted input
            (4, vec![r(2, UpperLetters, "A-", 1), r(0, Decimal, "", 1)], vec!["1", "2", "A-A", "A-B"]),
            // first range not at 0: physical numbers before it
            (3, vec![r(1, UpperRoman, "", 1)], vec!["1", "I", "II"]),
            // prefix only
            (2, vec![r(0, None, "Cover", 1), r(1, Decimal, "p", 2)], vec!["Cover", "p2"]),
            // duplicate start: the later wins
            (2, vec![r(0, Decimal, "", 1), r(0, LowerRoman, "", 1)], vec!["i", "ii"]),
            // ranges beyond the page count are harmless
            (2, vec![r(0, Decimal, "", 1), r(10, UpperRoman, "", 1)], vec!["1", "2"]),
            (0, vec![r(0, Decimal, "", 1)], vec![]),
        ];
        for (n, ranges, want) in cases {
            assert_eq!(compute_labels(n, &ranges), want, "{ranges:?}");
        }
    }
}
