//! Issue 17: the vocabulary of the field (`corpus/vocabulary.toml`) and "did
//! you mean", through the real binary on the sample corpus.

use riskreg::render::json::SearchOut;

use crate::support::{sample_index, Workdir};

fn search(args: &[&str]) -> crate::support::Run {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    sample_index().run(&all)
}

fn by_chapter(query: &str, extra: &[&str]) -> SearchOut {
    let mut args = vec![query, "--by", "chapter", "--json"];
    args.extend_from_slice(extra);
    search(&args).json()
}

/// The heading of each chapter found, best first, without its number.
fn headings(out: &SearchOut) -> Vec<String> {
    out.results
        .iter()
        .map(|r| {
            let h = &r.citation.chapter_heading;
            match h.split_once(". ") {
                Some((n, rest)) if n.chars().all(|c| c.is_ascii_alphanumeric()) => rest.to_string(),
                _ => h.clone(),
            }
        })
        .collect()
}

/// The issue's queries, in users' words: each puts the chapter about that
/// harm first.
#[test]
fn issue_17_users_words_find_the_chapter_about_the_harm_first() {
    let cases = [
        ("cyberstalking", "Harassment, stalking, threats and abuse"),
        ("\"revenge porn\"", "Intimate image abuse"),
        ("revenge porn", "Intimate image abuse"),
        ("sextortion", "Intimate image abuse"),
        ("county lines", "Drugs and psychoactive substances"),
        ("pig butchering", "Fraud and financial services offences"),
        ("cyberflashing", "Other (non-priority) offences"),
        ("buying firearms", "Firearms, knives and other weapons"),
        // A phrase no document has as written: its words instead.
        ("\"buying firearms\"", "Firearms, knives and other weapons"),
    ];
    let mut wrong = Vec::new();
    for (q, want) in cases {
        let out = by_chapter(q, &[]);
        let got = headings(&out);
        if got.first().map(String::as_str) != Some(want) {
            wrong.push(format!("{q}: {:?}", &got[..got.len().min(3)]));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// `csam~1`: the acronym typed exactly outranks "scam", one edit away.
#[test]
fn issue_17_a_fuzzy_word_typed_exactly_ranks_its_own_chapter_first() {
    let out = by_chapter("csam~1", &[]);
    assert_eq!(headings(&out)[0], "Child sexual exploitation and abuse (CSEA)", "{:?}", headings(&out));
    // The neighbours still match, below.
    assert!(headings(&out).iter().any(|h| h.starts_with("Fraud")), "{:?}", headings(&out));
}

#[test]
fn issue_17_what_else_was_searched_is_said_in_human_and_json_output() {
    let r = search(&["cyberstalking", "--by", "chapter", "--color", "never"]).ok();
    assert!(
        r.stdout.ends_with("\nalso searched: \"stalking\", \"harassment\" (--exact: only the words typed)\n"),
        "{}",
        r.stdout
    );
    let out = by_chapter("cyberstalking", &[]);
    assert_eq!(out.also_searched, ["stalking", "harassment"]);
    assert_eq!(out.did_you_mean, None);
    // The expansions are what the snippets mark.
    let s = &out.results[0].snippets[0];
    let marked: Vec<String> = s
        .highlights
        .iter()
        .map(|[a, b]| s.text.chars().skip(*a).take(b - a).collect::<String>().to_lowercase())
        .collect();
    assert!(marked.iter().any(|m| m == "stalking" || m == "harassment"), "{marked:?} in {}", s.text);
    // Several words that are one term: searched as a phrase.
    let out = by_chapter("pig butchering", &[]);
    assert_eq!(out.also_searched, ["romance fraud", "investment fraud"]);
    // Words the vocabulary does not know: nothing said.
    let r = search(&["human trafficking", "--by", "chapter", "--color", "never"]).ok();
    assert!(!r.stdout.contains("also searched"), "{}", r.stdout);
    assert!(by_chapter("human trafficking", &[]).also_searched.is_empty());
}

#[test]
fn issue_17_exact_and_quotes_search_only_the_words_typed() {
    let r = search(&["cyberstalking", "--exact"]).code(1);
    assert_eq!(r.stderr, "no matches\n");
    let r = search(&["cyberstalking", "--exact", "--json"]).code(1);
    let out: SearchOut = r.json();
    assert!(out.also_searched.is_empty() && out.results.is_empty());
    // Quoted: the phrase as written, found by its own words only.
    let out = by_chapter("\"revenge porn\"", &[]);
    assert!(out.also_searched.is_empty());
    assert_eq!(out.total, 1, "{:?}", headings(&out));
    let out = by_chapter("revenge porn", &[]);
    assert_eq!(out.also_searched, ["Intimate image abuse", "intimate images"]);
    assert!(out.total > 1);
}

/// A quoted phrase that no page has as written is not a dead end: its words
/// are searched instead, and the output says so first.
#[test]
fn issue_17_a_phrase_found_nowhere_is_searched_as_words_and_said_so() {
    let r = search(&["\"buying firearms\"", "--by", "chapter", "--color", "never"]).ok();
    assert!(
        r.stdout.starts_with(
            "no matches for \"buying firearms\" as written; showing matches for its words: buying firearms\n\n1. "
        ),
        "{}",
        r.stdout
    );
    let out = by_chapter("\"buying firearms\"", &[]);
    assert_eq!(out.query, "\"buying firearms\"");
    assert_eq!(out.searched_instead.as_deref(), Some("buying firearms"));
    assert_eq!(headings(&out)[0], "Firearms, knives and other weapons");
    // Found as written: searched as written, nothing said.
    let out = by_chapter("\"revenge porn\"", &[]);
    assert_eq!((out.total, out.searched_instead.as_deref()), (1, None));
    // An excluded phrase keeps its quotes; words found nowhere stay "no matches".
    let out: SearchOut = search(&["fraud -\"buying firearms\"", "--json"]).ok().json();
    assert_eq!(out.searched_instead, None);
    let r = search(&["\"zzqx wwqy\""]).code(1);
    assert_eq!(r.stderr, "no matches\n");
    // --exact: the words without quotes, and still nothing else ("buying"
    // finds "sale" only through the vocabulary).
    let out = by_chapter("\"buying firearms\"", &["--exact"]);
    assert_eq!((out.total, out.searched_instead.as_deref()), (0, None));
    let out = by_chapter("\"knives firearms\"", &["--exact"]);
    assert_eq!(out.searched_instead.as_deref(), Some("knives firearms"));
    assert!(out.total > 0 && out.also_searched.is_empty());
    // Exports say it on stderr.
    let r = search(&["\"buying firearms\"", "--format", "md"]).ok();
    assert!(r.stderr.contains("no matches for \"buying firearms\" as written"), "{}", r.stderr);
}

#[test]
fn issue_17_did_you_mean_in_the_cli_and_json() {
    let r = search(&["trafficing"]).code(1);
    assert_eq!(r.stderr, "no matches; did you mean: trafficking\n");
    let r = search(&["trafficing", "--json"]).code(1);
    let out: SearchOut = r.json();
    assert_eq!((out.total, out.did_you_mean.as_deref()), (0, Some("trafficking")));
    // The rest of the query is kept as typed.
    let out: SearchOut = search(&["Human Trafficing doc:ror", "--json"]).json();
    assert_eq!(out.did_you_mean.as_deref(), Some("Human trafficking doc:ror"));
    // Found plenty: no suggestion.
    let out: SearchOut = search(&["trafficking", "--json"]).ok().json();
    assert_eq!(out.did_you_mean, None);
    // A word the vocabulary expanded is the user's on purpose: no suggestion for it.
    let out = by_chapter("cyberflashing", &[]);
    assert_eq!(out.did_you_mean, None);
}

#[test]
fn issue_17_a_malformed_vocabulary_is_an_error_naming_file_entry_and_field() {
    let w = Workdir::sample(&["rag"]);
    let file = w.corpus().join("vocabulary.toml");
    std::fs::write(
        &file,
        "[[same]]\nterms = [\"a\", \"b\"]\n\n[[expand]]\nfrom = [\"cyberstalking\"]\ntoo = [\"stalking\"]\n",
    )
    .unwrap();
    let r = w.run(&["search", "risk"]).code(2);
    assert_eq!(
        r.stderr,
        format!(
            "riskreg: {}: [[expand]] 1: unknown field \"too\" (a [[expand]] has \"from\", \"to\")\n",
            file.display()
        )
    );
    let r = w.run(&["search", "risk", "--json"]).code(2);
    assert!(r.stdout.contains("unknown field \\\"too\\\""), "{}", r.stdout);
    // No file: no expansions, and nothing said about it.
    std::fs::remove_file(&file).unwrap();
    let r = w.run(&["search", "risk", "--by", "chapter"]).ok();
    assert!(!r.stdout.contains("also searched") && !r.stderr.contains("vocabulary"), "{}{}", r.stdout, r.stderr);
}

/// A misspelling that the documents hold too (once) still gets a
/// suggestion when the spelling finds many more passages.
#[test]
fn issue_17_did_you_mean_after_a_few_results() {
    let w = Workdir::empty();
    // Each page different: a line on every page would be a running header.
    let pages = [
        "A trafficing ring, spelt wrongly once.",
        "Trafficking by force.",
        "Recruitment for trafficking often starts with a job offer.",
        "Victims of trafficking may be moved across borders.",
        "Debt bondage keeps trafficking victims working.",
        "Trafficking for sexual exploitation is common.",
        "Forced labour is a purpose of trafficking too.",
        "Services can detect trafficking through reports from users.",
        "Adverts for overseas work can be a sign of trafficking.",
    ];
    std::fs::write(w.corpus().join("guide.pdf"), crate::support::make_pdf("Guide", &pages)).unwrap();
    w.run(&["index"]).ok();
    let r = w.run(&["search", "trafficing", "--color", "never", "--no-pager"]).ok();
    assert_eq!(r.stderr, "few matches; did you mean: trafficking\n");
    let out: SearchOut = w.run(&["search", "trafficing", "--json"]).ok().json();
    assert_eq!((out.total, out.did_you_mean.as_deref()), (1, Some("trafficking")));
    // Enough found: no suggestion.
    let out: SearchOut = w.run(&["search", "trafficking", "--json"]).ok().json();
    assert_eq!(out.did_you_mean, None);
}

#[test]
fn issue_17_harms_at_a_glance_every_harm_with_its_chapters_in_each_document() {
    let r = sample_index().run(&["harms", "--json"]).ok();
    let out: riskreg::render::json::HarmsOut = r.json();
    // The vocabulary's 17 kinds of harm, each with its own Register chapter,
    // in the Register's order.
    assert_eq!(out.harms.len(), 17, "{:?}", out.harms.iter().map(|h| &h.name).collect::<Vec<_>>());
    let mut last = 0u32;
    for h in &out.harms {
        let ror: Vec<&riskreg::render::json::HarmChapterOut> = h.chapters.iter().filter(|c| c.doc == "ror").collect();
        assert_eq!(ror.len(), 1, "{}: {:?}", h.name, ror.iter().map(|c| &c.heading).collect::<Vec<_>>());
        assert!(ror[0].heading.contains(&h.name), "{} → {}", h.name, ror[0].heading);
        assert!(ror[0].pdf_start > last, "{} is out of the Register's order", h.name);
        last = ror[0].pdf_start;
    }
    // The regulator's email, for one harm: exactly these four chapters, in
    // the order sources.toml lists the documents.
    let row = |out: &riskreg::render::json::HarmsOut| -> Vec<(String, String, String)> {
        let h = &out.harms[0];
        h.chapters.iter().map(|c| (c.doc.clone(), c.heading.clone(), c.pages.clone())).collect()
    };
    let one: riskreg::render::json::HarmsOut =
        sample_index().run(&["harms", "human trafficking", "--json"]).ok().json();
    assert_eq!(one.harms.len(), 1);
    assert_eq!(
        row(&one),
        [
            ("vol3".to_string(), "Unlawful immigration and human trafficking".to_string(), "pp. 61–64".to_string()),
            ("ror".to_string(), "9. Human trafficking".to_string(), "pp. 207–224".to_string()),
            ("icjg".to_string(), "11. Human trafficking".to_string(), "pp. 166–168".to_string()),
            ("icjg".to_string(), "A12. Human trafficking".to_string(), "pp. 415–420".to_string()),
        ]
    );
    assert_eq!(
        one.harms[0].chapters[1].citation,
        "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · pp. 207–224"
    );
    // By a common name, in the human and Markdown forms.
    let human = sample_index().run(&["harms", "modern slavery"]).ok();
    assert!(human.stdout.starts_with("Human trafficking"), "{}", human.stdout);
    assert!(
        human.stdout.contains("\n  Register of Risks (sample) · 9. Human trafficking · pp. 207–224\n"),
        "{}",
        human.stdout
    );
    let md = sample_index().run(&["harms", "human trafficking", "--format", "md"]).ok();
    assert!(md.stdout.starts_with("| Harm | Document | Chapter | Pages |\n|---|---|---|---|\n"), "{}", md.stdout);
    assert!(
        md.stdout.contains("| Human trafficking | Illegal Content Judgements Guidance (sample) | A12. Human trafficking | pp. 415–420 |"),
        "{}",
        md.stdout
    );
    // A harm the vocabulary does not know: exit 2, naming the ones it does.
    let r = sample_index().run(&["harms", "weather"]).code(2);
    assert!(
        r.stderr.contains("no kind of harm is called \"weather\"; the vocabulary lists: Terrorism;"),
        "{}",
        r.stderr
    );
}

/// (document, chapter heading, pages) of each chapter found, sorted.
fn chapter_set(out: &SearchOut) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = out
        .results
        .iter()
        .map(|r| (r.citation.doc.clone(), r.citation.chapter_heading.clone(), r.citation.chapter_pages.clone()))
        .collect();
    v.sort();
    v
}

/// `harm:` keeps a search to the chapters `riskreg harms` lists for that harm.
#[test]
fn issue_17_the_harm_filter_keeps_a_search_to_the_chapters_about_that_harm() {
    let row = [
        ("icjg", "11. Human trafficking", "pp. 166–168"),
        ("icjg", "A12. Human trafficking", "pp. 415–420"),
        ("ror", "9. Human trafficking", "pp. 207–224"),
        ("vol3", "Unlawful immigration and human trafficking", "pp. 61–64"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    // Alone: exactly the harm's row of `riskreg harms`.
    assert_eq!(chapter_set(&by_chapter("harm:\"human trafficking\"", &[])), row);
    // With words: a word found in many chapters is found only in those.
    let everywhere = by_chapter("recruitment", &["--limit", "50"]);
    assert!(everywhere.total > 10, "{:?}", headings(&everywhere));
    assert_eq!(chapter_set(&by_chapter("harm:\"modern slavery\" recruitment", &["--limit", "50"])), row);
    // Passages too, and by a common name; the citation is unchanged by the filter.
    let out: SearchOut = search(&["HARM:\"Modern Slavery\" \"debt bondage\"", "--limit", "50", "--json"]).ok().json();
    assert!(out.total > 3, "{}", out.total);
    for r in &out.results {
        let key = (r.citation.doc.clone(), r.citation.chapter_heading.clone(), r.citation.chapter_pages.clone());
        assert!(row.contains(&key), "{key:?} is not about human trafficking");
    }
    // Two harms: the chapters about either.
    let either = by_chapter("harm:fraud harm:terrorism", &["--limit", "50"]);
    let got = headings(&either);
    assert_eq!(got.len(), 8, "{got:?}");
    assert!(got.iter().all(|h| h.starts_with("Fraud") || h.starts_with("Terrorism")), "{got:?}");
    // Excluding words inside the harm's chapters.
    let fewer = by_chapter("harm:\"human trafficking\" -exploitation", &[]);
    assert!(fewer.total < 4, "{:?}", headings(&fewer));
    // A harm the vocabulary does not know: exit 2 with the list, as `harms` says it.
    let r = search(&["harm:weather debt"]).code(2);
    assert!(
        r.stderr.contains("no kind of harm is called \"weather\"; the vocabulary lists: Terrorism;"),
        "{}",
        r.stderr
    );
    let r = search(&["harm:"]).code(2);
    assert!(r.stderr.contains("harm: needs a value, e.g. harm:\"human trafficking\""), "{}", r.stderr);
}

#[test]
fn issue_17_an_acronym_a_document_defines_finds_its_long_form_and_back() {
    // CSAM is written out in the sample's glossary ("Child sexual abuse
    // material (CSAM)"): each form searches the other too, and says so.
    let short = by_chapter("CSAM", &[]);
    assert!(
        short.also_searched.iter().any(|t| t.eq_ignore_ascii_case("child sexual abuse material")),
        "{:?}",
        short.also_searched
    );
    assert!(headings(&short)[0].starts_with("Child sexual exploitation and abuse"), "{:?}", headings(&short));
    let long = by_chapter("child sexual abuse material", &[]);
    assert!(long.also_searched.iter().any(|t| t == "CSAM"), "{:?}", long.also_searched);
    assert!(headings(&long)[0].starts_with("Child sexual exploitation and abuse"), "{:?}", headings(&long));
    // --exact: only the words typed.
    assert!(by_chapter("CSAM", &["--exact"]).also_searched.is_empty());
}
