//! Acronyms a text defines: a long form followed by its short form in
//! brackets ("child sexual abuse material (CSAM)"), or the reverse ("CSAM
//! (child sexual abuse material)"). A pair is believed only when the short
//! form fits the long form's words by one rule: each letter is the first
//! letter of the next word (the parts of a hyphenated word count as words),
//! a digit stands for its word ("U2U": user-to-user), and small words
//! ("of", "and", "the") may be skipped. `(2024)`, `(see below)` and `(a)`
//! are not acronyms.

/// An acronym and the long form it stands for, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acronym {
    pub short: String,
    pub long: String,
    /// Byte range of the whole definition in the text searched.
    pub start: usize,
    pub end: usize,
}

/// Words a long form may leave out of its acronym.
const SMALL: &[&str] = &["of", "and", "the", "for", "to", "in", "on", "a", "an", "or", "by", "with", "at", "&"];

/// A short form: one token of 2–12 letters and digits, opening with a
/// capital, with at least two capitals and more capitals than small
/// letters (`CSAM`, `U2U`, `CoP`; not `Act`, `A12`, `2024`).
pub fn is_short_form(s: &str) -> bool {
    let n = s.chars().count();
    let upper = s.chars().filter(char::is_ascii_uppercase).count();
    let lower = s.chars().filter(char::is_ascii_lowercase).count();
    (2..=12).contains(&n)
        && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
        && upper >= 2
        && upper > lower
}

/// Does `short` fit the words of `long` (the rule above)?
pub fn fits(short: &str, long: &str) -> bool {
    let letters: Vec<char> = short.chars().map(|c| c.to_ascii_lowercase()).collect();
    let words: Vec<String> = long
        .split(|c: char| c.is_whitespace() || c == '-' || c == '‐' || c == '‑')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty() && !SMALL.contains(&words[0].as_str()) && fit(&letters, &words)
}

fn fit(letters: &[char], words: &[String]) -> bool {
    let Some((w, rest)) = words.split_first() else { return letters.is_empty() };
    let small = SMALL.contains(&w.as_str());
    if let Some((l, more)) = letters.split_first() {
        if stands_for(*l, w) && fit(more, rest) {
            return true;
        }
    }
    small && fit(letters, rest)
}

/// Does one character of a short form stand for this word?
fn stands_for(l: char, w: &str) -> bool {
    match l {
        '2' => w == "to" || w == "two" || w == "2",
        '4' => w == "for" || w == "four" || w == "4",
        d if d.is_ascii_digit() => w == d.to_string(),
        l => w.starts_with(l),
    }
}

/// Where a clause ends, looking back from a bracket: the long form lies
/// after the last of these.
fn clause_break(c: char) -> bool {
    matches!(c, '.' | ';' | ':' | ',' | '(' | ')' | '"' | '“' | '”' | '[' | ']' | '•')
}

/// Every acronym `text` defines, in order.
pub fn acronyms(text: &str) -> Vec<Acronym> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| i + from) {
        from = open + 1;
        let Some(close) = text[open + 1..].find([')', '(']).map(|i| i + open + 1) else { break };
        if &text[close..close + 1] != ")" || close - open > 120 {
            continue;
        }
        let inner = text[open + 1..close].trim();
        let before = &text[..open];
        if let Some(found) = long_before(before, inner).or_else(|| short_before(before, inner)) {
            let (start, short, long) = found;
            out.push(Acronym { short, long, start, end: close + 1 });
        }
    }
    out
}

/// `long form (SHORT)`: the fewest words before the bracket that fit.
fn long_before(before: &str, inner: &str) -> Option<(usize, String, String)> {
    let short = singular(inner)?;
    let clause_start =
        before.rfind(clause_break).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let clause = &before[clause_start..];
    let starts: Vec<usize> = clause
        .char_indices()
        .filter(|&(i, c)| !c.is_whitespace() && (i == 0 || clause[..i].ends_with(char::is_whitespace)))
        .map(|(i, _)| i)
        .collect();
    let most = short.len() * 2 + 2;
    for &s in starts.iter().rev().take(most) {
        let long = clause[s..].trim();
        if fits(&short, long) {
            return Some((clause_start + s, short, long.to_string()));
        }
    }
    None
}

/// `SHORT (long form)`: the word before the bracket is the short form.
fn short_before(before: &str, inner: &str) -> Option<(usize, String, String)> {
    let trimmed = before.trim_end();
    let word_start = trimmed
        .rfind(|c: char| c.is_whitespace() || clause_break(c))
        .map_or(0, |i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8));
    let short = singular(&trimmed[word_start..])?;
    (inner.split_whitespace().count() >= 2 && fits(&short, inner)).then(|| (word_start, short, inner.to_string()))
}

/// A short form, a plural `s` taken off (`ICUs` → `ICU`).
fn singular(s: &str) -> Option<String> {
    let plural = s.strip_suffix('s').filter(|x| is_short_form(x) && x.chars().all(|c| !c.is_ascii_lowercase()));
    match plural {
        Some(one) => Some(one.to_string()),
        None => is_short_form(s).then(|| s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        acronyms(text).into_iter().map(|a| (a.short, a.long)).collect()
    }

    #[track_caller]
    fn check(text: &str, want: &[(&str, &str)]) {
        let want: Vec<(String, String)> = want.iter().map(|(s, l)| (s.to_string(), l.to_string())).collect();
        assert_eq!(pairs(text), want, "text: {text}");
    }

    #[test]
    fn a_long_form_before_its_acronym() {
        check(
            "Services must tackle child sexual abuse material (CSAM) swiftly.",
            &[("CSAM", "child sexual abuse material")],
        );
        check(
            "the risk of child sexual exploitation and abuse (CSEA) online",
            &[("CSEA", "child sexual exploitation and abuse")],
        );
        check("Illegal Content Judgements Guidance (ICJG)", &[("ICJG", "Illegal Content Judgements Guidance")]);
    }

    #[test]
    fn digits_and_hyphenated_words() {
        check("a user-to-user (U2U) service", &[("U2U", "user-to-user")]);
        check("business-to-business (B2B) sales", &[("B2B", "business-to-business")]);
        check("peer to peer (P2P)", &[("P2P", "peer to peer")]);
    }

    #[test]
    fn the_acronym_before_its_long_form() {
        check("Hash matching for CSAM (child sexual abuse material) is…", &[("CSAM", "child sexual abuse material")]);
    }

    #[test]
    fn small_words_may_be_left_out_or_kept() {
        check("the Codes of Practice (CoP)", &[("CoP", "Codes of Practice")]);
        check("Terms of Service (ToS)", &[("ToS", "Terms of Service")]);
        check("Codes of Practice (CP)", &[("CP", "Codes of Practice")]);
    }

    #[test]
    fn plural_short_forms() {
        check("our illegal content user-to-user measures (ICUs)", &[]);
        check("several service providers (SPs) said", &[("SP", "service providers")]);
    }

    #[test]
    fn brackets_that_define_nothing() {
        check("the Online Safety Act (2023) and", &[]);
        check("as set out (see below) in", &[]);
        check("where (a) the content is", &[]);
        check("the content (for example a video) is", &[]);
        check("Chapter 11 (Human trafficking) explains", &[]);
        check("in Annex A12 (A12)", &[]);
        check("the Register (RoR) of", &[]);
        check("Illegal Content Codes of Practice (U2U)", &[]);
        check("the abuse material (CSAM)", &[]);
        check("CSAM (see paragraph 4.2)", &[]);
        check("unbalanced (CSAM", &[]);
        // A bracket after a character of several bytes.
        check("Report date” (Data to Insight)", &[]);
        check("the “CSAM (child sexual abuse material)”", &[("CSAM", "child sexual abuse material")]);
    }

    #[test]
    fn the_long_form_stays_inside_its_clause() {
        check("As we said, child sexual abuse material (CSAM) is", &[("CSAM", "child sexual abuse material")]);
        check("material; abuse (MA)", &[]);
    }

    #[test]
    fn where_the_definition_stands() {
        let text = "We call it search service (SS) here.";
        let a = &acronyms(text)[0];
        assert_eq!(&text[a.start..a.end], "search service (SS)");
    }

    #[test]
    fn short_forms() {
        for yes in ["CSAM", "U2U", "CoP", "ICJG", "UK"] {
            assert!(is_short_form(yes), "{yes}");
        }
        for no in ["A", "Act", "A12", "2024", "csam", "see below", "C-SAM", "ABCDEFGHIJKLMN"] {
            assert!(!is_short_form(no), "{no}");
        }
    }
}
