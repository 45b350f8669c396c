//! Terms the documents define: acronyms written out where they are first
//! used ("child sexual abuse material (CSAM)") and definitions (a
//! Glossary's entries, "In this guidance, “X” means …").
//!
//! Pure: text in, what it defines out (`acronyms`, `glossary`,
//! `sentences`). `index` runs these over each document's paragraphs when it
//! is built and keeps where each was found; `define` and `search` look the
//! terms up with [`key`] and [`Lookup`].

mod acronyms;
mod definitions;

pub use acronyms::{acronyms, fits, is_short_form, Acronym};
pub use definitions::{glossary, is_glossary_heading, sentences, Entry, Sentence};

/// How a term is compared: lower case, quotes, a leading "the" and a
/// bracketed acronym dropped, white space folded, dashes made hyphens. `“User-to-user (U2U)
/// service”` → `user-to-user service`.
pub fn key(term: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in term.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            '"' | '\'' | '“' | '”' | '‘' | '’' => {}
            '‐' | '‑' | '–' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    let mut folded = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // "the Act" and "Act" are one term.
    if let Some(rest) = folded.strip_prefix("the ").filter(|r| !r.is_empty()) {
        folded = rest.to_string();
    }
    folded.trim_matches(|c: char| c == '.' || c == ',' || c == ':' || c == ';').trim().to_string()
}

/// The keys a term asked for may match, given the acronyms known as
/// (short form, long form) pairs: the term itself, singular or plural, and
/// with an acronym in it written out or a long form in it shortened.
/// `"U2U service"` with `U2U = user-to-user` → `["u2u service",
/// "user-to-user service", …]`.
pub fn keys(term: &str, pairs: &[(String, String)]) -> Vec<String> {
    let base = key(term);
    let mut out = vec![base.clone()];
    let push = |k: String, out: &mut Vec<String>| {
        if !k.is_empty() && !out.contains(&k) {
            out.push(k);
        }
    };
    for (short, long) in pairs {
        let (s, l) = (key(short), key(long));
        if s.is_empty() || l.is_empty() {
            continue;
        }
        let words: Vec<&str> = base.split(' ').collect();
        if words.contains(&s.as_str()) {
            let swapped: Vec<&str> = words.iter().map(|w| if *w == s { l.as_str() } else { w }).collect();
            push(swapped.join(" "), &mut out);
        }
        if let Some(i) = find_words(&base, &l) {
            push(format!("{}{}{}", &base[..i], s, &base[i + l.len()..]), &mut out);
        }
    }
    for k in out.clone() {
        match k.strip_suffix('s') {
            Some(one) if k.len() > 3 => push(one.to_string(), &mut out),
            _ => push(format!("{k}s"), &mut out),
        }
    }
    out
}

/// Where `needle` stands in `hay` as whole words.
fn find_words(hay: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle).map(|i| i + from) {
        let before = hay[..i].chars().next_back().is_none_or(|c| c == ' ');
        let after = hay[i + needle.len()..].chars().next().is_none_or(|c| c == ' ');
        if before && after {
            return Some(i);
        }
        from = i + needle.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_quotes_and_bracketed_acronyms() {
        assert_eq!(key("“User-to-user (U2U) service”"), "user-to-user service");
        assert_eq!(key("  Priority   illegal content: "), "priority illegal content");
        assert_eq!(key("'CSAM'"), "csam");
        assert_eq!(key("the Act"), "act");
    }

    #[test]
    fn an_acronym_in_a_term_is_written_out_and_a_long_form_shortened() {
        let pairs = vec![("U2U".to_string(), "user-to-user".to_string())];
        let k = keys("U2U service", &pairs);
        assert!(k.contains(&"user-to-user service".to_string()), "{k:?}");
        let k = keys("User-to-user services", &pairs);
        assert!(k.contains(&"u2u services".to_string()), "{k:?}");
        assert!(k.contains(&"user-to-user service".to_string()), "{k:?}");
        // Not inside another word.
        assert_eq!(keys("user-to-usery", &pairs), ["user-to-usery", "user-to-userys"]);
    }
}
