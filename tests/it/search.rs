//! `riskreg search`, `docs`, `toc` and `show` on the sample corpus, through the real binary.

use riskreg::render::json::SearchOut;

use crate::support::{sample_index, Run};

fn search(args: &[&str]) -> Run {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    sample_index().run(&all)
}

fn chapters(query: &str, limit: usize) -> Vec<(String, String, String)> {
    let limit = limit.to_string();
    let r = search(&[query, "--by", "chapter", "--json", "--limit", &limit]);
    let out: SearchOut = r.json();
    // Exit 0 when something was found, 1 when nothing was.
    assert_eq!(r.code, i32::from(out.results.is_empty()), "{r:?}");
    assert_eq!(out.mode, "chapters");
    out.results
        .iter()
        .map(|r| (r.citation.doc.clone(), r.citation.chapter_heading.clone(), r.citation.chapter_pages.clone()))
        .collect()
}

fn sorted(mut v: Vec<(String, String, String)>) -> Vec<(String, String, String)> {
    v.sort();
    v
}

fn row(doc: &str, heading: &str, pages: &str) -> (String, String, String) {
    (doc.into(), heading.into(), pages.into())
}

#[test]
fn issue_4_human_trafficking_chapters_come_first() {
    let got = chapters("human trafficking", 4);
    assert_eq!(
        sorted(got),
        sorted(vec![
            row("ror", "9. Human trafficking", "pp. 207–224"),
            row("icjg", "11. Human trafficking", "pp. 166–168"),
            row("icjg", "A12. Human trafficking", "pp. 415–420"),
            row("vol3", "Unlawful immigration and human trafficking", "pp. 61–64"),
        ])
    );
}

#[test]
fn issue_4_sexual_exploitation_of_adults_chapters_come_first() {
    let got = chapters("sexual exploitation of adults", 4);
    assert_eq!(
        sorted(got),
        sorted(vec![
            row("ror", "8. Sexual exploitation of adults", "pp. 196–206"),
            row("icjg", "9. Sexual exploitation of adults", "pp. 151–157"),
            row("icjg", "A10. Sexual exploitation of adults", "pp. 401–404"),
            row("vol3", "Sexual exploitation of adults", "pp. 53–56"),
        ])
    );
}

#[test]
fn human_output_shows_chapter_list_with_ranges() {
    let r = search(&["human trafficking", "--by", "chapter", "--limit", "4"]).ok();
    assert!(r.stdout.contains("Register of Risks (sample) · 9. Human trafficking · pp. 207–224"), "{}", r.stdout);
    // Not a terminal: no colour codes.
    assert!(!r.stdout.contains('\x1b'), "{}", r.stdout);
}

#[test]
fn a_quoted_phrase_lands_on_its_exact_page_with_the_full_citation() {
    let out: SearchOut = search(&["\"advertisements for overseas modelling work\"", "--json"]).ok().json();
    assert_eq!(out.total, 1, "{out:?}");
    let c = &out.results[0].citation;
    assert_eq!(c.text, "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14");
    assert_eq!((c.page.as_str(), c.pdf_page, c.paragraph.as_deref()), ("209", 217, Some("9.14")));
    // The PDF at the page, as an absolute path.
    assert_eq!(c.pdf_link, format!("{}#page=217", sample_index().corpus().join("sample/ror.pdf").display()));
    // The highlight covers the phrase.
    let s = &out.results[0].snippets[0];
    let [a, b] = s.highlights[0];
    let marked: String = s.text.chars().skip(a).take(b - a).collect();
    assert_eq!(marked.to_lowercase(), "advertisements for overseas modelling work");
}

#[test]
fn markdown_output_bolds_matches() {
    let r = search(&["\"advertisements for overseas modelling work\"", "--format", "md"]).ok();
    assert!(
        r.stdout.contains(
            "\n1. [Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14](file://"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("**advertisements for overseas modelling work**"), "{}", r.stdout);
}

#[test]
fn filters_restrict_results() {
    let all = |args: &[&str]| -> SearchOut {
        let mut a = args.to_vec();
        a.extend(["--json", "--limit", "200"]);
        search(&a).ok().json()
    };
    let out = all(&["trafficking", "doc:icjg"]);
    assert!(!out.results.is_empty() && out.results.iter().all(|r| r.citation.doc == "icjg"));

    let out = all(&["trafficking", "--doc", "vol3"]);
    assert!(!out.results.is_empty() && out.results.iter().all(|r| r.citation.doc == "vol3"));

    let out = all(&["trafficking", "doc:ror", "chapter:9"]);
    assert!(!out.results.is_empty());
    assert!(out.results.iter().all(|r| r.citation.chapter_heading == "9. Human trafficking"));

    let out = all(&["trafficking", "doc:ror", "page:210..212"]);
    let mut pages: Vec<String> = out.results.iter().map(|r| r.citation.page.clone()).collect();
    pages.sort();
    pages.dedup();
    assert_eq!(pages, ["210", "211", "212"]);

    let out = all(&["doc:icjg", "para:A12.3"]);
    assert!(!out.results.is_empty());
    assert!(out.results.iter().all(|r| r.citation.doc == "icjg" && r.citation.chapter == "A12"), "{out:?}");
    assert!(out.results.iter().any(|r| r.citation.page == "415"));
}

#[test]
fn several_snippets_per_passage_and_a_paragraph_in_each_citation() {
    let out: SearchOut = search(&["trafficking", "doc:ror", "chapter:9", "--json", "--limit", "20"]).ok().json();
    assert!(out.results.iter().any(|r| r.snippets.len() > 1), "no passage had more than one snippet");
    assert!(out.results.iter().all(|r| r.citation.paragraph.is_some()), "{out:?}");
}

#[test]
fn exit_codes_and_messages() {
    // Nothing found: exit 1 and "no matches".
    let r = search(&["zzyzxqwv"]).code(1);
    assert_eq!(r.stderr.trim(), "no matches");
    assert!(r.stdout.is_empty());

    // A query the parser rejects: exit 2 and a pointer at the problem.
    let r = search(&["\"human trafficking"]).code(2);
    assert_eq!(
        r.stderr,
        "riskreg: invalid query: this quote is never closed; add a closing \" (at column 1)\n  \"human trafficking\n  ^\n"
    );

    // Unknown document: exit 2 and the valid ids.
    let r = search(&["trafficking", "--doc", "nope"]).code(2);
    assert!(r.stderr.starts_with("riskreg: unknown document \"nope\": the indexed documents are "), "{}", r.stderr);
    for id in ["ror", "icjg", "vol3", "cop-u2u", "rag"] {
        assert!(r.stderr.contains(id), "{}", r.stderr);
    }
    let r = search(&["trafficking", "doc:nope"]).code(2);
    assert!(r.stderr.contains("unknown document \"nope\""), "{}", r.stderr);

    // Legal references do not trip the parser: an answer, not an error.
    let r = search(&["s.10(2)", "para:9.12", "--json"]);
    let out: SearchOut = r.json();
    assert_eq!(r.code, i32::from(out.results.is_empty()), "{r:?}");
    assert_eq!(out.query, "s.10(2) para:9.12");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn broken_pipe_exits_zero() {
    use std::io::Read;
    let args = ["search", "the", "--all-versions", "--limit", "1000"];
    // The whole answer is far more than a pipe holds (64 KiB on Linux), so
    // the reader below going away really breaks the pipe mid-write.
    let whole = sample_index().run(&args).ok();
    assert!(whole.stdout.len() > 256 * 1024, "only {} bytes: the pipe would not break", whole.stdout.len());
    let mut child = sample_index()
        .cmd(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert_eq!(err, "", "a closed pipe is not reported");
}

#[test]
fn docs_toc_and_show() {
    let w = sample_index();
    let r = w.run(&["docs"]).ok();
    assert!(r.stdout.contains("ror") && r.stdout.contains("Register of Risks (sample)"), "{}", r.stdout);
    assert!(r.stdout.contains("  sample\n"), "{}", r.stdout);
    // The table fits 100 columns on a pipe; long titles are cut with `…`.
    assert!(r.stdout.lines().all(|l| l.chars().count() <= 100), "{}", r.stdout);
    assert!(r.stdout.contains("\ncop-u2u  Illegal content Codes of Practice for user…  "), "{}", r.stdout);
    // The whole titles with --width 0; the status of each in a line below.
    let whole = w.run(&["docs", "--width", "0"]).ok();
    assert!(whole.stdout.contains("Illegal content Codes of Practice for user-to-user services (sample)"));
    assert!(
        whole.stdout.contains("\nror: superseded by ror-2026 (not downloaded: riskreg sync)\n"),
        "{}",
        whole.stdout
    );

    let r = w.run(&["toc", "ror"]).ok();
    assert!(
        r.stdout.lines().any(|l| l.trim_start().starts_with("9. Human trafficking  pp. 207–224 (PDF pp. 215–232)")),
        "{}",
        r.stdout
    );

    let r = w.run(&["show", "ror", "209"]).ok();
    assert!(
        r.stdout.starts_with("Register of Risks (sample), 16 December 2024 · p. 209 (PDF p. 217)\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("advertisements for overseas modelling work"), "{}", r.stdout);
    assert!(r.stdout.contains("sample/ror.pdf#page=217"), "{}", r.stdout);

    let r = w.run(&["show", "ror", "--pdf-page", "217"]).ok();
    assert!(
        r.stdout.starts_with("Register of Risks (sample), 16 December 2024 · p. 209 (PDF p. 217)\n"),
        "{}",
        r.stdout
    );

    let r = w.run(&["show", "ror", "9999"]).code(2);
    assert!(r.stderr.contains("ror has no printed page \"9999\""), "{}", r.stderr);
    let r = w.run(&["toc", "nope"]).code(2);
    assert!(r.stderr.contains("unknown document \"nope\""), "{}", r.stderr);
}

/// The relevance file: each query names the chapter a user expects. Written
/// before looking at any ranking. Scored over the top 10 chapters: the
/// reciprocal rank of the first chapter whose heading holds the expected words.
#[test]
fn relevance_mrr_at_least_0_95_and_right_chapter_in_top_3_for_90_percent() {
    #[derive(serde::Deserialize)]
    struct File {
        query: Vec<Case>,
    }
    #[derive(serde::Deserialize)]
    struct Case {
        q: String,
        chapter: String,
    }
    let text = std::fs::read_to_string(crate::support::root().join("tests/relevance.toml")).unwrap();
    let file: File = toml::from_str(&text).unwrap();
    assert!(file.query.len() >= 60);
    let (mut top1, mut top3, mut mrr) = (0, 0, 0.0);
    let mut misses = Vec::new();
    for case in &file.query {
        let got = chapters(&case.q, 10);
        let rank = got.iter().position(|(_, h, _)| h.to_lowercase().contains(&case.chapter.to_lowercase()));
        if let Some(k) = rank {
            mrr += 1.0 / (k as f64 + 1.0);
        }
        match rank {
            Some(0) => {
                top1 += 1;
                top3 += 1
            }
            Some(k) if k < 3 => top3 += 1,
            _ => misses.push(format!("{:?} → rank {:?}: {:?}", case.q, rank.map(|k| k + 1), &got[..got.len().min(3)])),
        }
        if rank != Some(0) {
            eprintln!("relevance: {:?} → rank {:?}", case.q, rank.map(|k| k + 1));
        }
    }
    let n = file.query.len() as f64;
    mrr /= n;
    eprintln!("relevance: {n} queries, MRR {mrr:.3}, rank 1 {top1}, top 3 {top3}; misses: {misses:#?}");
    assert!(mrr >= 0.95, "MRR {mrr:.3}; misses: {misses:#?}");
    assert!(top3 as f64 >= 0.9 * n, "top-3 {top3}/{n}; misses: {misses:#?}");
    assert!(top1 as f64 >= 0.75 * n, "rank-1 {top1}/{n}");
}

/// Issue 12: Contents pages are navigation, not answers — unless asked for.
#[test]
fn contents_pages_are_not_answers_unless_asked_for() {
    // Every chapter of `human trafficking` is a chapter of text; none is the
    // Contents page that lists them (they were three of eight before).
    let got = chapters("human trafficking", 20);
    assert_eq!(
        got,
        vec![
            row("ror", "9. Human trafficking", "pp. 207–224"),
            row("icjg", "A12. Human trafficking", "pp. 415–420"),
            row("icjg", "11. Human trafficking", "pp. 166–168"),
            row("vol3", "Unlawful immigration and human trafficking", "pp. 61–64"),
            row("icjg", "How to use this guidance", "pp. v–vi"),
        ]
    );
    // Asked for: only Contents pages.
    let out: SearchOut = search(&["chapter:contents trafficking", "--json"]).ok().json();
    let got: Vec<&str> = out.results.iter().map(|r| r.citation.text.as_str()).collect();
    assert_eq!(
        got,
        vec![
            "Illegal Content Judgements Guidance (sample), 16 December 2024 · Front matter · p. ii",
            "Volume 3: Transparency and trust (sample), 16 December 2024 · Front matter · p. ii",
            "Register of Risks (sample), 16 December 2024 · Front matter · p. ii",
        ]
    );
    // No Contents page among the top 20 of a misspelling (fuzzy matches tie,
    // so only membership is asserted, not the order).
    let contents: Vec<(String, u32)> =
        out.results.iter().map(|r| (r.citation.doc.clone(), r.citation.pdf_page)).collect();
    let out: SearchOut = search(&["trafficing~1", "--json", "--limit", "20"]).ok().json();
    assert_eq!(out.results.len(), 20);
    for r in &out.results {
        assert!(!contents.contains(&(r.citation.doc.clone(), r.citation.pdf_page)), "{}", r.citation.text);
    }
}

/// Issue 12: `para:N doc:D` finds the page(s) of ¶N, each cited ¶N, for every
/// numbered paragraph of three chapters; the first page is where ¶N starts.
#[test]
fn every_paragraph_of_three_chapters_is_cited_where_it_stands() {
    let out: SearchOut = search(&["para:9.14 doc:ror", "--json"]).ok().json();
    assert_eq!(
        out.results[0].citation.text,
        "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14"
    );
    let mut checked = 0;
    for (doc, chapter) in [("ror", "9"), ("icjg", "11"), ("icjg", "A12")] {
        for n in 1.. {
            let number = format!("{chapter}.{n}");
            let r = search(&[&format!("para:{number} doc:{doc}"), "--json", "--limit", "10"]);
            if r.code == 1 {
                assert!(n > 5, "{doc} ¶{number}: the chapter has more paragraphs than that");
                break;
            }
            let out: SearchOut = r.ok().json();
            let mut pages: Vec<u32> = out.results.iter().map(|h| h.citation.pdf_page).collect();
            for h in &out.results {
                assert_eq!(h.citation.paragraph.as_deref(), Some(number.as_str()), "{}", h.citation.text);
            }
            pages.sort_unstable();
            let first = sample_index().run(&["show", doc, "--pdf-page", &pages[0].to_string()]).ok().stdout;
            assert!(
                first.lines().any(|l| l.starts_with(&format!("{number} "))),
                "{doc} ¶{number} does not start on PDF p. {}",
                pages[0]
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} paragraphs");
}
