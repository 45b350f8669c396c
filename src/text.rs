//! Small pure text helpers shared by several stages: the words of a string,
//! slugs for ids, and titles fit for a citation. A leaf: it uses nothing
//! else in the crate.

/// Lower-cased alphanumeric words: "Human-trafficking (2024)" → ["human", "trafficking", "2024"].
pub fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// "Risk report (final) 2024" → "risk-report-final-2024"; "document" when
/// nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "document".into()
    } else {
        out
    }
}

/// Words an ALL-CAPS title keeps in capitals.
const ACRONYMS: &[&str] = &[
    "AI", "BBC", "CSAM", "CSEA", "DSA", "EU", "FAQ", "GDPR", "HTML", "ICO", "ID", "NHS", "OSA", "PDF", "UK", "UN",
    "URL", "US", "USA", "VPN",
];

/// Words a title keeps in lower case unless they open it.
const SMALL_WORDS: &[&str] =
    &["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"];

/// Characters that only separate, and so never begin or end a title.
const SEPARATORS: &[char] = &['-', '–', '—', '_', ',', ';', ':', '|', '/', '.', '·', '•'];

/// A title from PDF metadata made fit for a citation: runs of spaces folded;
/// no space before punctuation, after `(` or before `)`, nor around `/`
/// between digits; stray separators trimmed; an ALL-CAPS title in title
/// case, keeping acronyms, roman numerals and words in parentheses such as
/// `(EU)`. A title in mixed case keeps its case.
pub fn clean_title(raw: &str) -> String {
    let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::with_capacity(folded.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.get(i + 1).copied();
            let before_punct = matches!(next, Some(',' | '.' | ';' | ':' | '!' | '?' | ')'));
            let after_open = prev == Some('(');
            // "2016/ 679", "2016 /679": a number split around its slash.
            let slash_in_number = (prev == Some('/') && next.is_some_and(|n| n.is_ascii_digit()))
                || (next == Some('/')
                    && prev.is_some_and(|p| p.is_ascii_digit())
                    && chars[i + 2..].iter().find(|c| **c != ' ').is_some_and(|n| n.is_ascii_digit()));
            if before_punct || after_open || slash_in_number {
                continue;
            }
        }
        out.push(c);
    }
    let trimmed = out.trim_matches(|c: char| c.is_whitespace() || SEPARATORS.contains(&c));
    let letters = trimmed.chars().filter(|c| c.is_alphabetic());
    let all_caps = letters.clone().count() >= 4 && letters.clone().all(|c| !c.is_lowercase());
    if all_caps {
        title_case(trimmed)
    } else {
        trimmed.to_string()
    }
}

fn is_roman(w: &str) -> bool {
    (1..=4).contains(&w.len()) && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

fn title_case(s: &str) -> String {
    let mut out = Vec::new();
    for (i, word) in s.split(' ').enumerate() {
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        let in_parens = word.starts_with('(') && word.ends_with(')');
        let keep = core.is_empty()
            || core.chars().any(|c| c.is_ascii_digit())
            || ACRONYMS.contains(&core)
            || is_roman(core)
            || (in_parens && core.chars().count() <= 4);
        let w = if keep {
            word.to_string()
        } else if i > 0 && SMALL_WORDS.contains(&core.to_lowercase().as_str()) {
            word.to_lowercase()
        } else {
            capitalise_parts(word)
        };
        out.push(w);
    }
    out.join(" ")
}

/// "SELF-HARM" → "Self-Harm": the first letter of each hyphenated part.
fn capitalise_parts(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = c == '-' || c == '(' || c == '/';
        }
    }
    out
}

/// Longest short title, in characters.
const SHORT_TITLE_CHARS: usize = 60;

/// A title short enough for a citation line: the part before a subtitle
/// (`Title: subtitle`, `Title – subtitle`) when that part says enough, else
/// the title cut at a word boundary near 60 characters.
pub fn short_title(title: &str) -> String {
    let title = title.trim();
    let head = [": ", " – ", " — ", " - "]
        .iter()
        .filter_map(|sep| title.find(sep).map(|i| &title[..i]))
        .min_by_key(|h| h.len())
        .map(str::trim)
        .filter(|h| h.split_whitespace().count() >= 2 && h.chars().count() >= 12);
    let s = head.unwrap_or(title);
    if s.chars().count() <= SHORT_TITLE_CHARS {
        return s.to_string();
    }
    let mut cut = String::new();
    for w in s.split_whitespace() {
        if cut.chars().count() + 1 + w.chars().count() > SHORT_TITLE_CHARS - 1 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(w);
    }
    let cut = cut.trim_end_matches(|c: char| SEPARATORS.contains(&c) || c == ' ');
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for (input, want) in
            [("Risk report (final) 2024", "risk-report-final-2024"), ("__", "document"), ("ICJG_v2", "icjg-v2")]
        {
            assert_eq!(slug(input), want, "{input}");
        }
    }

    #[test]
    fn words_are_lower_case_alphanumeric_runs() {
        assert_eq!(words("Human-trafficking (2024)"), ["human", "trafficking", "2024"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn titles_are_cleaned_for_citations() {
        for (raw, want) in [
            (
                "REGULATION  (EU)  2016/  679  OF THE EUROPEAN PARLIAMENT",
                "Regulation (EU) 2016/679 of the European Parliament",
            ),
            ("Online Safety Act 2023 , Part 3", "Online Safety Act 2023, Part 3"),
            ("( Draft ) guidance on age assurance", "(Draft) guidance on age assurance"),
            ("  - Protection of Children Code -  ", "Protection of Children Code"),
            ("VOLUME III: SELF-HARM AND THE UK", "Volume III: Self-Harm and the UK"),
            ("THE REGISTER OF RISKS", "The Register of Risks"),
            ("Guidance on content (S.10 duties)", "Guidance on content (S.10 duties)"),
            ("iPhone guide for GDPR", "iPhone guide for GDPR"),
            ("Decision 2016 / 679 of the Board", "Decision 2016/679 of the Board"),
            ("Ratio 3 / half", "Ratio 3 / half"),
        ] {
            assert_eq!(clean_title(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn short_titles() {
        for (title, want) in [
            ("Register of Risks", "Register of Risks"),
            ("Illegal content judgements guidance: how to judge content", "Illegal content judgements guidance"),
            ("Volume 3: Transparency, trust and other guidance", "Volume 3: Transparency, trust and other guidance"),
            ("Protection of Children Code – for user-to-user services", "Protection of Children Code"),
            (
                "A very long title with no subtitle that goes on and on well past sixty characters",
                "A very long title with no subtitle that goes on and on well…",
            ),
        ] {
            assert_eq!(short_title(title), want, "{title:?}");
        }
    }
}
