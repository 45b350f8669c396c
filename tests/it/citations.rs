//! What a citation says about its document and page (issue 11): where the
//! printed page number came from, single-page chapters, documents named by
//! their file, and titles from PDF metadata made fit to cite.

use riskreg::render::json::{DocsOut, SearchOut};

use crate::support::{make_pdf, sample_index, Workdir};

#[test]
fn issue_11_page_source_is_in_the_json_and_agrees_with_inspect() {
    let w = sample_index();
    let out: SearchOut = w.run(&["search", "\"advertisements for overseas modelling work\"", "--json"]).ok().json();
    let c = &out.results[0].citation;
    assert_eq!((c.doc.as_str(), c.pdf_page), ("ror", 217));
    let source = serde_json::to_value(c.page_source).unwrap();
    // The page prints its number, and that is what is cited.
    assert_eq!(source, "printed");

    // The same page as `inspect` sees it.
    let r = w.run(&["inspect", "corpus/sample/ror.pdf", "--json"]).ok();
    let inspect: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let label = &inspect["labels"][216];
    assert_eq!((label["pdf_page"].as_u64(), label["printed"].as_str()), (Some(217), Some("209")));
    assert_eq!(label["source"], source);

    // And in the raw JSON, under that name.
    let raw = w.run(&["search", "\"advertisements for overseas modelling work\"", "--json"]).ok();
    let raw: serde_json::Value = serde_json::from_str(&raw.stdout).unwrap();
    assert_eq!(raw["results"][0]["citation"]["page_source"], source);
}

/// A corpus of PDFs that are not in any manifest, in a sub-folder.
fn dropped_in(files: &[(&str, &str, &[&str])]) -> Workdir {
    let w = Workdir::empty();
    std::fs::create_dir_all(w.corpus().join("x")).unwrap();
    for (name, title, pages) in files {
        std::fs::write(w.corpus().join("x").join(name), make_pdf(title, pages)).unwrap();
    }
    w
}

#[test]
fn issue_11_a_single_page_chapter_is_one_pdf_page() {
    let w = dropped_in(&[(
        "Local_offer_guidance.pdf",
        "Local offer guidance",
        &[
            "1. Scope\n1.1 Councils publish a local offer.",
            "2. Duties\n2.1 Each council keeps it up to date.\n2.2 More.",
            "2.3 Still duties.",
        ],
    )]);
    w.run(&["index"]).ok();
    let r = w.run(&["toc", "local-offer-guidance"]).ok();
    assert_eq!(
        r.stdout,
        format!(
            "Local offer guidance — 3 pages, chapters from the heading lines\n{}\n\
             1. Scope  p. 1 (PDF p. 1)\n\
             2. Duties  pp. 2–3 (PDF pp. 2–3)\n",
            w.corpus().join("x/Local_offer_guidance.pdf").display()
        )
    );
}

#[test]
fn issue_11_documents_are_found_by_their_file_name_or_path() {
    let w = dropped_in(&[(
        "Local_offer_guidance.pdf",
        "Local offer guidance",
        &["1. Scope\n1.1 Councils publish a local offer of wombat services.\n2. Duties\n2.1 Keep it current."],
    )]);
    w.run(&["index"]).ok();
    let by_id = w.run(&["toc", "local-offer-guidance"]).ok().stdout;
    for name in ["Local_offer_guidance.pdf", "corpus/x/Local_offer_guidance.pdf", "x/Local_offer_guidance.pdf"] {
        assert_eq!(w.run(&["toc", name]).ok().stdout, by_id, "toc {name}");
        let r = w.run(&["show", name, "1"]).ok();
        assert!(r.stdout.starts_with("Local offer guidance · p. 1 (PDF p. 1)\n"), "show {name}: {}", r.stdout);
        for args in [
            vec!["search", "wombat", "--doc", name, "--json"],
            vec!["search", "wombat", &format!("doc:{name}"), "--json"],
        ] {
            let out: SearchOut = w.run(&args).ok().json();
            assert_eq!(out.results.len(), 1, "{args:?}");
            assert_eq!(out.results[0].citation.doc, "local-offer-guidance", "{args:?}");
        }
    }
    let r = w.run(&["toc", "Other.pdf"]).code(2);
    assert_eq!(r.stderr, "riskreg: unknown document \"Other.pdf\": the indexed documents are local-offer-guidance\n");
}

#[test]
fn issue_11_the_same_file_name_in_two_folders_asks_for_an_id() {
    let w = dropped_in(&[("guide.pdf", "Guide one", &["1. One\n1.1 Text.\n2. More\n2.1 Text."])]);
    std::fs::create_dir_all(w.corpus().join("y")).unwrap();
    let two = make_pdf("Guide two", &["1. Two\n1.1 Other text.\n2. More\n2.1 Text."]);
    std::fs::write(w.corpus().join("y/guide.pdf"), two).unwrap();
    w.run(&["index"]).ok();
    let r = w.run(&["toc", "guide.pdf"]).code(2);
    assert_eq!(r.stderr, "riskreg: \"guide.pdf\" names several documents (guide, guide-2); use an id\n");
    assert!(w.run(&["toc", "y/guide.pdf"]).ok().stdout.starts_with("Guide two — "));
}

#[test]
fn issue_11_metadata_titles_are_cleaned_and_citations_use_the_short_title() {
    let w = dropped_in(&[
        (
            "gdpr.pdf",
            "REGULATION  (EU)  2016/  679  OF THE EUROPEAN PARLIAMENT",
            &["1. Scope\n1.1 Personal data of okapis.\n2. Rights\n2.1 Of okapis."],
        ),
        (
            "offer.pdf",
            "GUIDANCE ON THE LOCAL OFFER: WHAT COUNCILS MUST PUBLISH ,",
            &["1. Scope\n1.1 Councils publish a local offer for narwhals.\n2. Duties\n2.1 Keep it current."],
        ),
    ]);
    w.run(&["index"]).ok();
    let docs: DocsOut = w.run(&["docs", "--json"]).ok().json();
    let titles: Vec<(&str, &str)> = docs.documents.iter().map(|d| (d.title.as_str(), d.short_title.as_str())).collect();
    assert_eq!(
        titles,
        [
            (
                "Regulation (EU) 2016/679 of the European Parliament",
                "Regulation (EU) 2016/679 of the European Parliament"
            ),
            ("Guidance on the Local Offer: What Councils Must Publish", "Guidance on the Local Offer"),
        ]
    );
    let out: SearchOut = w.run(&["search", "narwhals", "--json"]).ok().json();
    let c = &out.results[0].citation;
    // The page prints no number: cited by its PDF page alone.
    assert_eq!(c.text, "Guidance on the Local Offer · 1. Scope · PDF p. 1 · ¶1.1");
    assert_eq!(c.doc_title, "Guidance on the Local Offer: What Councils Must Publish");
    assert_eq!(c.short_title, "Guidance on the Local Offer");
    let r = w.run(&["search", "narwhals"]).ok();
    assert!(r.stdout.starts_with("1. Guidance on the Local Offer · 1. Scope · PDF p. 1 · ¶1.1\n"), "{}", r.stdout);
}

#[test]
fn issue_11_the_manifest_short_title_is_what_the_sample_cites() {
    let w = sample_index();
    let docs: DocsOut = w.run(&["docs", "--json"]).ok().json();
    let icjg = docs.documents.iter().find(|d| d.id == "icjg").unwrap();
    assert_eq!(icjg.display_title, "Illegal Content Judgements Guidance (ICJG) (sample)");
    assert_eq!(icjg.short_title, "Illegal Content Judgements Guidance (sample)");
    let out: SearchOut =
        w.run(&["search", "human trafficking", "doc:icjg", "chapter:11", "--json", "-n", "1"]).ok().json();
    let c = &out.results[0].citation;
    assert!(
        c.text.starts_with(
            "Illegal Content Judgements Guidance (sample), 16 December 2024 · 11. Human trafficking · p. "
        ),
        "{}",
        c.text
    );
    assert_eq!(c.doc_title, "Illegal Content Judgements Guidance (ICJG) (sample)");
}

#[test]
fn issue_11_the_number_printed_on_the_page_is_cited() {
    // A cover without a number, then pages that print 1, 2, 3 at their foot.
    let w = dropped_in(&[(
        "printed.pdf",
        "Printed numbers",
        &[
            "Guidance on something",
            "1. Opening\n1.1 The cover comes first.\n1",
            "2. Middle\n2.1 Offenders recruit through advertisements.\n2",
            "3. End\n3.1 Closing words.\n3",
        ],
    )]);
    w.run(&["index"]).ok();
    let out: SearchOut = w.run(&["search", "\"offenders recruit\"", "--json"]).ok().json();
    let c = &out.results[0].citation;
    assert_eq!((c.page.as_str(), c.pdf_page), ("2", 3));
    assert_eq!(serde_json::to_value(c.page_source).unwrap(), "printed");
    let r = w.run(&["search", "\"offenders recruit\"", "--color", "never"]).ok();
    assert!(r.stdout.contains("Printed numbers · 2. Middle · p. 2 (PDF p. 3) · ¶2.1"), "{}", r.stdout);
}

#[test]
fn issue_11_a_page_that_prints_no_number_is_cited_by_its_pdf_page_only() {
    let w = dropped_in(&[(
        "plain.pdf",
        "Plain pages",
        &["1. Opening\n1.1 Nothing is numbered here.", "2. Next\n2.1 Offenders recruit through advertisements."],
    )]);
    w.run(&["index"]).ok();
    let out: SearchOut = w.run(&["search", "\"offenders recruit\"", "--json"]).ok().json();
    let c = &out.results[0].citation;
    assert_eq!(serde_json::to_value(c.page_source).unwrap(), "physical");
    assert_eq!(c.pdf_page, 2);
    let r = w.run(&["search", "\"offenders recruit\"", "--color", "never"]).ok();
    assert!(r.stdout.contains("Plain pages · 2. Next · PDF p. 2 · ¶2.1"), "{}", r.stdout);
    assert!(!r.stdout.contains(" p. 2 (PDF"), "{}", r.stdout);
}
