//! Definitions a text gives: the entries of a Glossary (or Definitions,
//! Interpretation) chapter in the layouts a PDF's text comes out in —
//! `Term – definition`, `Term: definition`, the term on a line of its own
//! and the definition below it, a two-column table flattened to `Term
//! Definition…` lines under a `Term Meaning` header — and defining
//! sentences anywhere (`In this guidance, “X” means …`, `“X” means …`,
//! `X refers to …`, `we use the term X to mean …`).

use std::sync::LazyLock;

use regex::Regex;

use super::acronyms::is_short_form;

/// A glossary entry: the term as printed, its definition, and the unit
/// (line or paragraph) of the glossary where the entry begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub term: String,
    pub definition: String,
    pub unit: usize,
}

/// A defining sentence: the term it defines, the whole sentence, and its
/// byte range in the text searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub term: String,
    pub definition: String,
    pub start: usize,
    pub end: usize,
}

/// Is this a chapter or annex heading (its title, number taken off) under
/// which the text is a list of defined terms?
pub fn is_glossary_heading(title: &str) -> bool {
    static HEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:annex\s+\S+\s*[:.–-]?\s*)?(?:glossary(?: of terms)?|definitions|interpretation|defined terms|definitions and interpretation|key terms|abbreviations(?: and (?:definitions|glossary))?|glossary and abbreviations)$",
        )
        .expect("glossary heading regex")
    });
    HEAD.is_match(title.trim().trim_end_matches('.'))
}

static HEADER_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:terms?|expressions?|words?|abbreviations?|acronyms?)\s+(?:meanings?|definitions?|descriptions?|stands? for)$")
        .expect("header row regex")
});
/// `Term – definition`, `Term: definition`, `Term - definition`.
static SEPARATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<term>[^:;–—.!?]{1,90}?)\s*(?:[:–—]|\s-)\s+(?P<def>\S.*)$").expect("separated entry regex")
});

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', ';', '!', '?'])
}

/// A line that can be a term on its own: short, no stop at its end, opening
/// with a capital (or a quote, or a short form).
fn term_alone(s: &str) -> bool {
    let first = s.chars().next();
    (1..=6).contains(&words(s))
        && !s.ends_with(['.', ',', ';', ':', '!', '?'])
        && (first.is_some_and(|c| c.is_uppercase() || "“\"‘'".contains(c)))
}

fn clean_term(t: &str) -> String {
    let t = t.trim().trim_start_matches(['•', '-', '–']).trim();
    t.trim_matches(|c: char| "“”\"‘’'".contains(c)).trim().to_string()
}

/// A flattened table row: the term is the words before the first word
/// (after the first) that opens with a capital and is not a short form.
fn split_row(line: &str) -> Option<(String, String)> {
    let ws: Vec<(usize, &str)> = line
        .char_indices()
        .filter(|&(i, c)| !c.is_whitespace() && (i == 0 || line[..i].ends_with(char::is_whitespace)))
        .map(|(i, _)| (i, line[i..].split_whitespace().next().unwrap_or_default()))
        .collect();
    let (at, _) = ws.iter().skip(1).take(8).find(|(_, w)| {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.chars().next().is_some_and(char::is_uppercase) && !is_short_form(bare)
    })?;
    Some((line[..*at].trim().to_string(), line[*at..].trim().to_string()))
}

/// The entries of a glossary, given its text as units in reading order: a
/// numbered paragraph as one unit, other text a line each.
pub fn glossary(units: &[&str]) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut table = false;
    // Where the last unit left off: at an entry's end (a new one may
    // start), and whether the last entry still takes more text.
    let mut boundary = true;
    let mut open = false;
    for (i, raw) in units.iter().enumerate() {
        let u = raw.trim().trim_start_matches(['•', '▪']).trim();
        if u.is_empty() {
            continue;
        }
        if HEADER_ROW.is_match(u) {
            table = true;
            boundary = true;
            open = false;
            continue;
        }
        let pending = open && out.last().is_some_and(|e| e.definition.is_empty());
        if boundary && !pending {
            if let Some(c) = SEPARATED.captures(u) {
                let term = clean_term(&c["term"]);
                if (1..=8).contains(&words(&term)) && !term.is_empty() {
                    out.push(Entry { term, definition: c["def"].trim().to_string(), unit: i });
                    open = true;
                    boundary = ends_sentence(u);
                    continue;
                }
            }
            if term_alone(u) && !(table && split_row(u).is_some_and(|(_, d)| words(&d) >= 2)) {
                out.push(Entry { term: clean_term(u), definition: String::new(), unit: i });
                open = true;
                boundary = false;
                continue;
            }
            if table {
                if let Some((term, def)) = split_row(u) {
                    out.push(Entry { term: clean_term(&term), definition: def, unit: i });
                    open = true;
                    boundary = ends_sentence(u);
                    continue;
                }
            }
        }
        if open {
            let e = out.last_mut().expect("an open entry");
            if !e.definition.is_empty() {
                e.definition.push(' ');
            }
            e.definition.push_str(u);
        }
        boundary = ends_sentence(u);
    }
    out.retain(|e| !e.definition.is_empty());
    out
}

static IN_THIS: &str =
    r"(?:In this (?:guidance|document|chapter|annex|section|register|code|statement|glossary)(?: and [^,]{1,40})?,\s*)";
static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{IN_THIS}?(?:the (?:term|phrase|expression)\s+)?[“”‘'\x22](?P<t>[^“”‘’\x22]{{1,60}})[”’'\x22]\s+(?:means|refers to|is used to mean|describes)\b"
    ))
    .expect("quoted definition regex")
});
static IN_THIS_BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{IN_THIS}(?:the (?:term|phrase|expression)\s+)?(?P<t>[^,“”\x22]{{1,60}}?)\s+(?:means|refers to)\b"
    ))
    .expect("definition regex")
});
static WE_USE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[Ww]e use (?:the (?:term|phrase|expression)\s+)?[“‘'\x22]?(?P<t>[^“”‘’\x22,]{1,60}?)[”’'\x22]?\s+to (?:mean|refer to|describe)\b")
        .expect("we-use regex")
});
static REFERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:The (?:term|phrase|expression)\s+)?(?P<t>[A-Z][\w-]*(?:\s+[\w-]+){0,4})\s+refers to\b")
        .expect("refers regex")
});

/// Words that open a sentence about a part of the text, not a term.
const NOT_TERMS: &[&str] = &[
    "this",
    "that",
    "it",
    "these",
    "those",
    "which",
    "he",
    "she",
    "they",
    "we",
    "paragraph",
    "chapter",
    "section",
    "annex",
    "table",
    "measure",
    "figure",
    "box",
    "part",
    "volume",
    "footnote",
    "page",
    "there",
    "here",
    "such",
];

/// The sentences of `text` that define a term.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (start, end) in sentence_spans(text) {
        let s = &text[start..end];
        // A quoted term is kept as written ("the Act"); a bare one loses its
        // article ("In this chapter, a provider means …": provider).
        if let Some(c) = QUOTED.captures(s) {
            out.push(Sentence { term: clean_term(&c["t"]), definition: s.to_string(), start, end });
            continue;
        }
        let term = IN_THIS_BARE.captures(s).or_else(|| WE_USE.captures(s)).map(|c| c["t"].to_string()).or_else(|| {
            let c = REFERS.captures(s)?;
            let t = c["t"].to_string();
            let first = t.split_whitespace().next().unwrap_or_default().to_lowercase();
            (!NOT_TERMS.contains(&first.as_str()) && !t.chars().any(|c| c.is_ascii_digit())).then_some(t)
        });
        let term = term.map(|t| {
            let t = clean_term(&t);
            let lower = t.to_lowercase();
            let bare =
                ["a ", "an ", "the "].iter().find_map(|a| lower.starts_with(a).then(|| t[a.len()..].to_string()));
            bare.unwrap_or(t)
        });
        if let Some(t) = term.filter(|t| !t.is_empty() && words(t) <= 8) {
            out.push(Sentence { term: t, definition: s.to_string(), start, end });
        }
    }
    out
}

/// Sentences: ends at `.`, `!` or `?` before white space and a capital,
/// quote or digit, or at the end of the text.
fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let b: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in b.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next = b.get(k + 1).map(|x| x.1);
        let after = b.get(k + 2).map(|x| x.1);
        let ends = next.is_none()
            || (next.is_some_and(char::is_whitespace)
                && after.is_some_and(|a| a.is_uppercase() || a.is_ascii_digit() || "“\"‘(".contains(a)));
        if ends {
            let s = text[start..=i].trim_start();
            if !s.is_empty() {
                out.push((i + 1 - s.len(), i + 1));
            }
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        let s = text.len() - text[start..].trim_start().len();
        out.push((s, s + rest.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(units: &[&str]) -> Vec<(String, String)> {
        glossary(units).into_iter().map(|e| (e.term, e.definition)).collect()
    }

    #[track_caller]
    fn check(units: &[&str], want: &[(&str, &str)]) {
        let want: Vec<(String, String)> = want.iter().map(|(t, d)| (t.to_string(), d.to_string())).collect();
        assert_eq!(entries(units), want, "units: {units:?}");
    }

    #[test]
    fn glossary_headings() {
        for yes in
            ["Glossary", "Glossary of terms", "Definitions", "Interpretation", "Annex 5: Glossary", "Abbreviations"]
        {
            assert!(is_glossary_heading(yes), "{yes}");
        }
        for no in ["Human trafficking", "Definitions of harm in the Act", "Introduction", "Using this glossary well"] {
            assert!(!is_glossary_heading(no), "{no}");
        }
    }

    #[test]
    fn term_then_dash_or_colon() {
        check(
            &[
                "CSAM – child sexual abuse material: images or videos of the sexual abuse of a child.",
                "Search service: a service that searches many websites or databases.",
                "U2U service - a user-to-user service.",
            ],
            &[
                ("CSAM", "child sexual abuse material: images or videos of the sexual abuse of a child."),
                ("Search service", "a service that searches many websites or databases."),
                ("U2U service", "a user-to-user service."),
            ],
        );
    }

    #[test]
    fn a_definition_wrapped_over_lines() {
        check(
            &[
                "Priority illegal content: content that amounts to one of the",
                "offences listed in the Act.",
                "Provider – the person who runs a service.",
            ],
            &[
                ("Priority illegal content", "content that amounts to one of the offences listed in the Act."),
                ("Provider", "the person who runs a service."),
            ],
        );
    }

    #[test]
    fn the_term_on_a_line_of_its_own() {
        check(
            &[
                "Illegal content judgement",
                "A decision by a service about whether a piece of",
                "content is illegal content.",
                "“Reasonably available information”",
                "What a service knows, or could find out with proportionate effort.",
            ],
            &[
                (
                    "Illegal content judgement",
                    "A decision by a service about whether a piece of content is illegal content.",
                ),
                (
                    "Reasonably available information",
                    "What a service knows, or could find out with proportionate effort.",
                ),
            ],
        );
    }

    #[test]
    fn a_two_column_table_flattened() {
        check(
            &[
                "Term Meaning",
                "CSEA Child sexual exploitation and abuse, online or offline.",
                "Search service A service that lets users search many websites.",
                "Functionality Something a user can do on a service, such as",
                "posting or messaging.",
            ],
            &[
                ("CSEA", "Child sexual exploitation and abuse, online or offline."),
                ("Search service", "A service that lets users search many websites."),
                ("Functionality", "Something a user can do on a service, such as posting or messaging."),
            ],
        );
    }

    #[test]
    fn text_that_is_not_an_entry() {
        // An introduction in sentences, a term with nothing after it.
        check(&["This annex explains the terms we use in this guidance.", "Orphan term"], &[]);
        // A colon deep in a long sentence is not a term's end.
        check(&["When a service reviews content in a queue that has been reported by many users: it acts."], &[]);
    }

    fn defined(text: &str) -> Vec<String> {
        sentences(text).into_iter().map(|s| s.term).collect()
    }

    #[test]
    fn defining_sentences() {
        let text = "Some background. In this guidance, “relevant offence” means an offence listed in the Act. \
                    \"Content\" means anything communicated publicly. Grooming refers to building trust with a child to abuse them. \
                    Here we use the term first-line moderator to mean the person who reviews a report first. \
                    In this chapter, a provider means the person who controls a service.";
        assert_eq!(defined(text), ["relevant offence", "Content", "Grooming", "first-line moderator", "provider"]);
        assert_eq!(defined("In this guidance, \"the Act\" means the Online Safety Act 2023."), ["the Act"]);
        let s = &sentences(text)[0];
        assert_eq!(&text[s.start..s.end], "In this guidance, “relevant offence” means an offence listed in the Act.");
        assert_eq!(s.definition, "In this guidance, “relevant offence” means an offence listed in the Act.");
    }

    #[test]
    fn sentences_that_define_nothing() {
        let text = "This chapter refers to the offences in Annex A12. Paragraph 9.14 refers to the evidence. \
                    It means that services must act. A service that means well is not thereby safe. \
                    Section 59 refers to priority offences.";
        assert_eq!(defined(text), Vec::<String>::new());
    }
}
