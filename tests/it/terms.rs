//! Issue 17: acronyms and definitions harvested at index time — `riskreg
//! terms`, `riskreg define`, and a search whose query is a defined term —
//! on the sample corpus's ICJG glossary (annex A22).

use riskreg::render::json::{DefineOut, SearchOut, TermsOut};

use crate::support::sample_index;

const GLOSSARY_CSAM: &str =
    "Illegal Content Judgements Guidance (sample), 16 December 2024 · A22. Glossary · p. 448 · ¶A22.2";

#[test]
fn terms_lists_csam_with_its_long_form_and_where_it_is_defined() {
    let r = sample_index().run(&["terms", "icjg"]).ok();
    assert!(
        r.stdout.contains("\n    CSAM  Child sexual abuse material  A22. Glossary · p. 448 · ¶A22.2\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\n    U2U   User-to-user  A22. Glossary · p. 448 · ¶A22.12\n"), "{}", r.stdout);
    assert!(r.stdout.contains("\n  4 acronyms\n") && r.stdout.contains("\n  14 defined terms\n"), "{}", r.stdout);
    assert!(r.stdout.contains("\n    User-to-user (U2U) service  A22. Glossary · p. 448 · ¶A22.12\n"), "{}", r.stdout);
    assert!(r.stdout.contains("\n    the Act (sentence)  A22. Glossary · p. 448 · ¶A22.1\n"), "{}", r.stdout);

    let out: TermsOut = sample_index().run(&["terms", "--json"]).ok().json();
    let icjg = out.docs.iter().find(|d| d.doc == "icjg").unwrap();
    let csam = icjg.acronyms.iter().find(|a| a.short == "CSAM").unwrap();
    assert_eq!(csam.long, "Child sexual abuse material");
    assert_eq!(csam.citation.text, GLOSSARY_CSAM);
    assert_eq!((csam.citation.page.as_str(), csam.citation.pdf_page), ("448", 454));
    // Every document is listed, those without terms too.
    assert_eq!(out.docs.len(), 5);
}

#[test]
fn terms_of_an_unknown_document_is_an_error_naming_it() {
    let r = sample_index().run(&["terms", "nosuch"]).code(2);
    assert!(r.stderr.contains("unknown document \"nosuch\""), "{}", r.stderr);
}

#[test]
fn define_prints_the_glossary_entry_and_its_citation() {
    let r = sample_index().run(&["define", "CSAM"]).ok();
    assert_eq!(
        r.stdout,
        "CSAM — 1 definition\n\n\
         Child sexual abuse material (CSAM)  (glossary)\n   \
         images, videos or other material that show the sexual abuse of a child, including material made or altered by a computer.\n   \
         Illegal Content Judgements Guidance (sample), 16 December 2024 · A22. Glossary · p. 448 (PDF p. 454) · ¶A22.2\n\n"
    );
    // The long form finds the same entry, in any case; so does the acronym in a term.
    let long = sample_index().run(&["define", "child sexual abuse MATERIAL"]).ok();
    assert_eq!(long.stdout.lines().nth(2), r.stdout.lines().nth(2));
    let r = sample_index().run(&["define", "user-to-user service"]).ok();
    assert!(
        r.stdout.contains(
            "User-to-user (U2U) service  (glossary)\n   \
             an online service on which content that one user creates, uploads or shares can be encountered by other users of that service.\n   \
             Illegal Content Judgements Guidance (sample), 16 December 2024 · A22. Glossary · p. 448 (PDF p. 454) · ¶A22.12\n"
        ),
        "{}",
        r.stdout
    );
    let short = sample_index().run(&["define", "U2U", "services"]).ok();
    assert!(short.stdout.contains("User-to-user (U2U) service  (glossary)\n"), "{}", short.stdout);

    let out: DefineOut = sample_index().run(&["define", "\"the Act\"", "--json"]).ok().json();
    assert_eq!(out.definitions.len(), 1);
    assert_eq!(out.definitions[0].kind, "sentence");
    assert_eq!(out.definitions[0].text, "In this guidance, \"the Act\" means the Online Safety Act 2023.");
    assert_eq!(out.definitions[0].citation.paragraph.as_deref(), Some("A22.1"));
}

#[test]
fn define_an_unknown_word_exits_1_and_suggests_the_nearest_terms() {
    let r = sample_index().run(&["define", "moderater"]).code(1);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "no definition of \"moderater\" in the indexed documents; defined terms near it: \"moderator\"\n"
    );
    let out: DefineOut = sample_index().run(&["define", "provders", "--json"]).code(1).json();
    assert!(out.definitions.is_empty());
    assert_eq!(out.suggestions, ["Provider"]);
    // Another document's terms are not this one's.
    let r = sample_index().run(&["define", "CSAM", "--doc", "ror"]).code(1);
    assert!(r.stderr.starts_with("no definition of \"CSAM\""), "{}", r.stderr);
    let r = sample_index().run(&["define", "CSAM", "--doc", "nosuch"]).code(2);
    assert!(r.stderr.contains("unknown document \"nosuch\""), "{}", r.stderr);
}

#[test]
fn a_search_for_a_defined_term_shows_the_definition_first() {
    let out: SearchOut = sample_index().run(&["search", "CSAM", "--json"]).ok().json();
    let d = out.definition.expect("a definition for CSAM");
    assert_eq!(d.term, "Child sexual abuse material (CSAM)");
    assert_eq!(d.citation.text, GLOSSARY_CSAM);
    assert!(!out.results.is_empty());
    // Quotes and case do not matter; the long form finds the acronym's entry.
    let out: SearchOut = sample_index().run(&["search", "\"Child Sexual Abuse Material\"", "--json"]).ok().json();
    assert_eq!(out.definition.map(|d| d.citation.text).as_deref(), Some(GLOSSARY_CSAM));
    // A query that is no defined term has none.
    let out: SearchOut = sample_index().run(&["search", "human trafficking", "--json"]).ok().json();
    assert!(out.definition.is_none());

    let r = sample_index().run(&["search", "CSAM", "--limit", "1"]).ok();
    assert!(
        r.stdout.starts_with(
            "Defined: Child sexual abuse material (CSAM)  (glossary)\n   \
             images, videos or other material that show the sexual abuse of a child, including material made or altered by a computer.\n   \
             Illegal Content Judgements Guidance (sample), 16 December 2024 · A22. Glossary · p. 448 (PDF p. 454) · ¶A22.2\n\n1. "
        ),
        "{}",
        r.stdout
    );
}
