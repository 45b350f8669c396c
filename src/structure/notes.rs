//! Footnotes: the notes printed at a page's foot, set apart from its body,
//! and their markers taken out of the sentences that carry them.
//!
//! A note is only believed when the page says so twice: a line near the
//! foot opens with a number, and the body above carries that number as a
//! marker. Extraction writes raised small digits as superscripts, and on a
//! page that has them only a superscript counts as a marker; a page without
//! any (another extractor, a producer that does not raise its markers) falls
//! back to the number standing alone after a word or a stop. Notes at the
//! foot run in sequence (180, 181, …), and a numbered list at the foot whose
//! numbers appear nowhere above is body text.

use super::text::superscript_digit;
use super::Footnote;

/// How many lines may follow a note's first line before the next note, or
/// the page's end (the note wraps).
const MAX_NOTE_LINES: usize = 8;

/// The note number a foot line opens with, and where its text starts:
/// "180 This point…", "¹⁸⁰ This point…". Not a paragraph ("9.43 …"), a
/// figure ("12% of…"), or a line that is only a number.
fn note_start(line: &str) -> Option<(u32, usize)> {
    let sup: String = line.chars().map_while(|c| superscript_digit(c).and_then(|d| char::from_digit(d, 10))).collect();
    let raised = !sup.is_empty();
    let (digits, rest_at) = if !raised {
        let n = line.bytes().take_while(u8::is_ascii_digit).count();
        (line[..n].to_string(), n)
    } else {
        let at = line.char_indices().nth(sup.chars().count()).map_or(line.len(), |(i, _)| i);
        (sup, at)
    };
    if digits.is_empty() || digits.len() > 3 || digits.starts_with('0') {
        return None;
    }
    // A plain number is set apart from its note's text ("4TH PASS" is not
    // note 4).
    if !raised && !line[rest_at..].starts_with(' ') {
        return None;
    }
    let rest = line[rest_at..].trim_start();
    let first = rest.chars().next()?;
    if !(first.is_alphabetic() || first == '"' || first == '\u{201c}' || first == '\'' || first == '(') {
        return None;
    }
    // "2 million people" and "3 years" are sentences, not notes; a note
    // may open with an address ("nao.org.uk/report/…").
    let address = rest.split(' ').next().is_some_and(|w| w.contains('/') || w.matches('.').count() >= 2);
    if first.is_lowercase() && !raised && !address {
        return None;
    }
    Some((digits.parse().ok()?, line.len() - rest.len()))
}

/// Where in `line` the marker for note `n` sits: a superscript run of that
/// value, or (`plain`) the number standing alone right after a word or a
/// stop. Byte range of the marker.
fn marker_in(line: &str, n: u32, plain: bool) -> Option<std::ops::Range<usize>> {
    let want = n.to_string();
    if !plain {
        return superscript_runs(line).into_iter().find(|(_, v)| *v == want).map(|(r, _)| r);
    }
    let mut from = 0;
    while let Some(i) = line[from..].find(&want) {
        let (s, e) = (from + i, from + i + want.len());
        from = e;
        let before = line[..s].chars().next_back();
        let before2 = line[..s].trim_end().chars().next_back();
        let after = line[e..].chars().next();
        let next_word = line[e..].trim_start().chars().next();
        // Right after a stop, or after a word where a new sentence (or the
        // line's end) follows: "at scale. 12 Our", "forged 12 This"; not
        // "aged 13 and". Never inside a longer number, never first.
        let after_stop = before2.is_some_and(|c| ".,;:)\u{201d}\"'".contains(c));
        let after_word = before2.is_some_and(char::is_alphabetic) && next_word.is_none_or(char::is_uppercase);
        // Text must follow on the line: a number that ends a line is as
        // often a page number in a list ("(section) 1") as a marker.
        let ok = before == Some(' ') && (after_stop || after_word) && after == Some(' ');
        if ok && s > 0 {
            return Some(s - 1..e);
        }
    }
    None
}

/// Runs of superscript digits in a line: byte range and value.
fn superscript_runs(line: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, c) in line.char_indices() {
        match (superscript_digit(c), cur.as_mut()) {
            (Some(d), Some((_, v))) => v.push(char::from_digit(d, 10).unwrap_or('0')),
            (Some(d), None) => cur = Some((i, char::from_digit(d, 10).unwrap_or('0').to_string())),
            (None, _) => {
                if let Some((s, v)) = cur.take() {
                    out.push((s..i, v));
                }
            }
        }
    }
    if let Some((s, v)) = cur {
        out.push((s..line.len(), v));
    }
    out
}

/// Take the notes off the foot of a page (`lines` before hyphen joining);
/// returns them in order, `(number, text)`. The body keeps its markers until
/// [`take_markers`].
pub(crate) fn split_foot(lines: &mut Vec<String>) -> Vec<(u32, String)> {
    let plain = !lines.iter().any(|l| l.chars().any(|c| superscript_digit(c).is_some()));
    // From the bottom up: each note's first line, in descending numbers
    // without a gap, each with its marker in the body above it.
    let mut starts: Vec<(usize, u32, usize)> = Vec::new();
    let mut since = 0;
    for i in (0..lines.len()).rev() {
        if since > MAX_NOTE_LINES {
            break;
        }
        match note_start(&lines[i]) {
            Some((n, text_at))
                if starts.last().is_none_or(|(_, m, _)| n + 1 == *m)
                    && lines[..i].iter().any(|l| marker_in(l, n, plain).is_some()) =>
            {
                starts.push((i, n, text_at));
                since = 0;
            }
            Some(_) if !starts.is_empty() => break,
            _ => since += 1,
        }
    }
    let Some(&(top, _, _)) = starts.last() else { return Vec::new() };
    if top == 0 {
        return Vec::new();
    }
    starts.reverse();
    let mut notes = Vec::with_capacity(starts.len());
    for (k, (i, n, text_at)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |s| s.0);
        let mut parts = vec![lines[*i][*text_at..].trim().to_string()];
        parts.extend(lines[i + 1..end].iter().cloned());
        let text = plain_digits(&super::text::join_hyphenated(parts).join(" "));
        notes.push((*n, text));
    }
    lines.truncate(top);
    notes
}

/// Take each note's marker out of the (joined) body lines, and set any other
/// superscript digits apart as plain ones; returns the notes with the line
/// their marker was on.
pub(crate) fn take_markers(lines: &mut [String], notes: Vec<(u32, String)>) -> Vec<Footnote> {
    let plain = !lines.iter().any(|l| l.chars().any(|c| superscript_digit(c).is_some()));
    let mut out = Vec::with_capacity(notes.len());
    let mut from_line = 0;
    for (n, text) in notes {
        let mut marker_line = None;
        for (i, line) in lines.iter_mut().enumerate().skip(from_line) {
            if let Some(r) = marker_in(line, n, plain) {
                // A superscript stands against its word: a space may be owed.
                let gap = !plain && r.start > 0;
                let rest = &line[r.end..];
                // "scale.¹⁸⁰ Our" → "scale. Our"; "forged ¹⁹⁰" → "forged".
                let head = &line[..r.start];
                let joined = if gap && !rest.is_empty() && !rest.starts_with(' ') && !head.ends_with(' ') {
                    format!("{head} {rest}")
                } else if head.ends_with(' ') && rest.starts_with(' ') {
                    format!("{head}{}", &rest[1..])
                } else {
                    format!("{head}{rest}")
                };
                *line = joined.trim_end().to_string();
                marker_line = Some(i);
                from_line = i;
                break;
            }
        }
        out.push(Footnote { number: n.to_string(), text, line: marker_line, paragraph: None });
    }
    for line in lines.iter_mut() {
        if line.chars().any(|c| superscript_digit(c).is_some()) {
            *line = plain_digits(line);
        }
    }
    out
}

/// Superscript digits that mark no note on this page become plain digits,
/// set apart from the word before them (what NFKC alone would run together).
fn plain_digits(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut prev_sup = false;
    for c in line.chars() {
        match superscript_digit(c) {
            Some(d) => {
                if !prev_sup && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push(char::from_digit(d, 10).unwrap_or('0'));
                prev_sup = true;
            }
            None => {
                out.push(c);
                prev_sup = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::check;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    #[test]
    fn note_starts() {
        check(
            |s: &&str| note_start(s).map(|(n, _)| n),
            &[
                ("180 This point draws on data.", Some(180)),
                ("\u{b9}\u{2078}\u{2070} This point", Some(180)),
                ("7 See the annex.", Some(7)),
                ("9.43 Where a service", None),
                ("12% of users", None),
                ("2 million people use", None),
                ("2024 was the year", None),
                ("42", None),
                ("3 nao.org.uk/report/business-support-schemes/", Some(3)),
                ("3 ways to report", None),
                ("4TH PASS PAGES 14773_00.qxd", None),
            ],
        );
    }

    #[test]
    fn notes_at_the_foot_with_superscript_markers() {
        let mut page = lines(
            "9.41 We consider payment features a risk at scale.\u{b9}\u{2078}\u{2070} Our evidence on\n\
             human trafficking, as others note,\u{b9}\u{2078}\u{b9} comes mainly from\n\
             9.42 Providers assessing the risk should look closely at\n\
             180 This point draws on National Referral Mechanism statistics; the\n\
             sample cites no real study.\n\
             181 For a summary, see the annex.",
        );
        let notes = split_foot(&mut page);
        assert_eq!(
            notes,
            vec![
                (
                    180,
                    "This point draws on National Referral Mechanism statistics; the sample cites no real study."
                        .into()
                ),
                (181, "For a summary, see the annex.".into())
            ]
        );
        assert_eq!(page.len(), 3);
        let notes = take_markers(&mut page, notes);
        assert_eq!(page[0], "9.41 We consider payment features a risk at scale. Our evidence on");
        assert_eq!(page[1], "human trafficking, as others note, comes mainly from");
        assert_eq!(
            notes.iter().map(|n| (n.number.as_str(), n.line)).collect::<Vec<_>>(),
            [("180", Some(0)), ("181", Some(1))]
        );
    }

    #[test]
    fn plain_markers_only_when_the_number_stands_after_a_word() {
        // No superscripts on the page: the number alone after a stop counts.
        let mut page = lines("Offenders recruit at scale. 12 Our evidence shows it.\n12 See the annex.");
        let notes = split_foot(&mut page);
        assert_eq!(notes, vec![(12, "See the annex.".into())]);
        let notes = take_markers(&mut page, notes);
        assert_eq!(page, ["Offenders recruit at scale. Our evidence shows it."]);
        assert_eq!(notes[0].line, Some(0));

        // A numbered list at the foot whose numbers mark nothing is body text.
        for text in [
            "Risk factors are listed below.\n1 Recommender systems\n2 Encrypted messaging",
            "Children aged 13 and over.\n13 Year olds are counted.",
            "Only the list\n3 Third item",
            "4 Heading on Level 1 (section) 1\n1 First section Some text here",
        ] {
            let mut page = lines(text);
            assert!(split_foot(&mut page).is_empty(), "{text}");
            assert_eq!(page, lines(text));
        }
    }

    #[test]
    fn unmatched_superscripts_become_plain_digits_set_apart() {
        let mut page = lines("violence\u{2079} and area 3 km\u{b2}");
        let mut spaced = lines("at scale. \u{b9}\u{2078}\u{2070} Our evidence\n180 See the annex.");
        let notes = split_foot(&mut spaced);
        take_markers(&mut spaced, notes);
        assert_eq!(spaced, ["at scale. Our evidence"]);
        let notes = take_markers(&mut page, Vec::new());
        assert!(notes.is_empty());
        assert_eq!(page, ["violence 9 and area 3 km 2"]);
    }
}
