//! Editions and incremental builds: superseded documents stay citable,
//! `--as-of` and `--all-versions` pick the right ones, `diff` reports the
//! paragraphs that changed, and `index` re-reads only what changed.

use riskreg::render::json::{BuildOut, DiffOut, SearchOut};

use crate::support::{make_pdf, Workdir};

const V1: [&str; 2] = [
    "1. Scope\n1.1 Services must assess the risk of widget fraud.\n1.2 Records are kept.\n2. Old rules\n2.1 The zanzibar procedure applies.",
    "3. Reporting\n3.1 Reports go to the regulator within a month.",
];
const V2: [&str; 2] = [
    "1. Scope\n1.1 Services must assess the risk of widget fraud.\n1.2 Records are kept for five years.\n1.3 A new duty of quokka monitoring applies.",
    "3. Reporting\n3.1 Reports go to the regulator within a month.",
];

fn manifest(extra: &str) -> String {
    format!(
        r#"[[doc]]
id = "g"
title = "Widget Guidance"
publisher = "Ofcom"
url = "https://example.org/widget-guidance.pdf?v=100"
date = "2024-12-16"
version = "100"
sample = "sample/g.pdf"

[[doc]]
id = "g-2026"
title = "Widget Guidance"
publisher = "Ofcom"
url = "https://example.org/updates/widget-guidance.pdf?v=200"
date = "2026-06-25"
version = "200"
supersedes = "g"
sample = "sample/g-2026.pdf"
{extra}"#
    )
}

fn editions() -> Workdir {
    let w = Workdir::empty();
    std::fs::create_dir_all(w.corpus().join("sample")).unwrap();
    std::fs::write(w.corpus().join("sample/g.pdf"), make_pdf("Widget Guidance", &V1)).unwrap();
    std::fs::write(w.corpus().join("sample/g-2026.pdf"), make_pdf("Widget Guidance", &V2)).unwrap();
    std::fs::write(w.corpus().join("sources.toml"), manifest("")).unwrap();
    w
}

fn docs_found(w: &Workdir, args: &[&str]) -> Vec<String> {
    let mut a = vec!["search"];
    a.extend_from_slice(args);
    a.push("--json");
    let r = w.run(&a);
    let out: SearchOut = r.json();
    // Exit 0 when something was found, 1 when nothing was.
    assert_eq!(r.code, i32::from(out.results.is_empty()), "{r:?}");
    let mut ids: Vec<String> = out.results.iter().map(|r| r.citation.doc.clone()).collect();
    ids.dedup();
    ids
}

#[test]
fn issue_5_current_by_default_all_versions_and_as_of() {
    let w = editions();
    w.run(&["index"]).ok();
    // The old edition's words are found only when asked for.
    assert_eq!(docs_found(&w, &["zanzibar"]), Vec::<String>::new());
    // … and nothing found says where the words are after all.
    let r = w.run(&["search", "zanzibar"]).code(1);
    assert_eq!(r.stderr, "no matches in the current editions; 1 passage in superseded editions: add --all-versions\n");
    let r = w.run(&["search", "nowhereword"]).code(1);
    assert_eq!(r.stderr, "no matches\n");
    assert_eq!(docs_found(&w, &["zanzibar", "--all-versions"]), ["g"]);
    assert_eq!(docs_found(&w, &["zanzibar", "--as-of", "2025-03-01"]), ["g"]);
    assert_eq!(docs_found(&w, &["zanzibar", "--as-of", "2026-07-01"]), Vec::<String>::new());
    assert_eq!(docs_found(&w, &["quokka"]), ["g-2026"]);
    assert_eq!(docs_found(&w, &["quokka", "--as-of", "2025-03-01"]), Vec::<String>::new());
    assert_eq!(docs_found(&w, &["quokka", "--as-of", "2026-06-25"]), ["g-2026"]);
    // Before either was published, nothing was in force.
    assert_eq!(docs_found(&w, &["widget", "--as-of", "2024-01-01"]), Vec::<String>::new());

    // Every hit shows its version and date.
    let r = w.run(&["search", "quokka"]).ok();
    assert!(r.stdout.contains("Widget Guidance (sample), 25 June 2026 · 1. Scope"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("{}#page=1 · v200\n", w.corpus().join("sample/g-2026.pdf").display())),
        "{}",
        r.stdout
    );
    let r = w.run(&["search", "zanzibar", "--all-versions"]).ok();
    assert!(r.stdout.contains("#page=1 · v100 · superseded"), "{}", r.stdout);

    // `docs` shows the chain.
    let r = w.run(&["docs"]).ok();
    let line = |id: &str| r.stdout.lines().find(|l| l.starts_with(&format!("{id} "))).unwrap_or_default().to_string();
    assert!(line("g").contains(" superseded "), "{}", r.stdout);
    assert!(line("g-2026").contains(" current "), "{}", r.stdout);
    assert!(r.stdout.contains("\ng: superseded by g-2026\n"), "{}", r.stdout);
    assert!(r.stdout.contains("\ng-2026: replaces g\n"), "{}", r.stdout);

    let r = w.run(&["search", "widget", "--as-of", "2025-02-30"]).code(2);
    assert!(r.stderr.contains("\"2025-02-30\" is not a date"), "{}", r.stderr);
}

#[test]
fn issue_5_diff_reports_paragraphs_and_chapters_with_pages() {
    let w = editions();
    w.run(&["index"]).ok();
    let out: DiffOut = w.run(&["diff", "g", "--json"]).ok().json();
    assert_eq!((out.old.as_str(), out.new.as_str()), ("g", "g-2026"));
    let nums = |v: &[riskreg::render::json::ParaOut]| v.iter().map(|p| p.number.clone()).collect::<Vec<_>>();
    assert_eq!(nums(&out.paragraphs_added), ["1.3"]);
    assert_eq!(nums(&out.paragraphs_removed), ["2.1"]);
    assert_eq!(out.paragraphs_changed.len(), 1);
    let [old, new] = &out.paragraphs_changed[0];
    assert_eq!((old.number.as_str(), old.page.as_str(), new.page.as_str()), ("1.2", "1", "1"));
    assert_eq!(new.text, "1.2 Records are kept for five years.");
    assert_eq!(out.paragraphs_changed_words, ["1.2 Records are [-kept.-]{+kept for five years.+}"]);
    assert_eq!(out.paragraphs_unchanged, 2);
    assert_eq!(out.chapters_removed.len(), 1);
    assert_eq!(out.chapters_removed[0].heading, "2. Old rules");

    // Versions may be named by token; the human report reads as a list of changes.
    let r = w.run(&["diff", "g", "100", "200"]).ok();
    assert!(r.stdout.starts_with("g (v100, 2024-12-16) → g-2026 (v200, 2026-06-25)\n"), "{}", r.stdout);
    assert!(r.stdout.contains("+ ¶1.3 p. 1 (PDF p. 1) in 1. Scope\n"), "{}", r.stdout);
    assert!(r.stdout.contains("- ¶2.1 p. 1 (PDF p. 1) in 2. Old rules\n"), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "~ ¶1.2 p. 1 (PDF p. 1) → p. 1 (PDF p. 1)\n    1.2 Records are [-kept.-]{+kept for five years.+}\n"
        ),
        "{}",
        r.stdout
    );

    let r = w.run(&["diff", "g", "999"]).code(2);
    assert!(
        r.stderr.contains("\"999\" is not an edition of g; its editions are g (version 100), g-2026 (version 200)"),
        "{}",
        r.stderr
    );
}

fn build(w: &Workdir) -> BuildOut {
    let r = w.run(&["index", "--json"]);
    assert_eq!(r.code, 0, "{r:?}");
    r.json()
}

#[test]
fn issue_5_incremental_index_reads_only_what_changed() {
    let w = editions();
    std::fs::create_dir_all(w.corpus().join("extra")).unwrap();
    let vol3 = std::fs::read(crate::support::root().join("corpus/sample/vol3.pdf")).unwrap();
    std::fs::write(w.corpus().join("extra/vol3-copy.pdf"), &vol3).unwrap();

    let b = build(&w);
    assert_eq!((b.added, b.changed, b.removed, b.unchanged, b.extracted), (3, 0, 0, 0, 3), "{b:?}");

    // One document's bytes change: only it is read and replaced.
    let mut v2 = V2;
    v2[1] = "3. Reporting\n3.1 Reports go to the regulator within a fortnight.";
    std::fs::write(w.corpus().join("sample/g-2026.pdf"), make_pdf("Widget Guidance", &v2)).unwrap();
    let b = build(&w);
    assert_eq!((b.added, b.changed, b.removed, b.unchanged, b.extracted), (0, 1, 0, 2, 1), "{b:?}");
    assert_eq!(docs_found(&w, &["fortnight"]), ["g-2026"]);
    assert_eq!(docs_found(&w, &["month", "doc:g-2026"]), Vec::<String>::new());

    // A removed file leaves the index; nothing is read.
    std::fs::remove_file(w.corpus().join("extra/vol3-copy.pdf")).unwrap();
    let b = build(&w);
    assert_eq!((b.added, b.changed, b.removed, b.unchanged, b.extracted), (0, 0, 1, 2, 0), "{b:?}");
    assert_eq!(docs_found(&w, &["human trafficking"]), Vec::<String>::new());

    // The same bytes under a new name are new to the index but come from the cache... once removed, the
    // cache was pruned, so they are read again.
    std::fs::write(w.corpus().join("extra/vol3-again.pdf"), &vol3).unwrap();
    let b = build(&w);
    assert_eq!((b.added, b.unchanged, b.extracted), (1, 2, 1), "{b:?}");

    // A newer edition makes g-2026 superseded: it is re-indexed from the cache, not re-read.
    std::fs::write(
        w.corpus().join("sample/g-2027.pdf"),
        make_pdf("Widget Guidance", &["1. Scope\n1.1 Everything changed."]),
    )
    .unwrap();
    let extra = "\n[[doc]]\nid = \"g-2027\"\ntitle = \"Widget Guidance\"\npublisher = \"Ofcom\"\nurl = \"https://example.org/w.pdf?v=300\"\ndate = \"2027-01-01\"\nversion = \"300\"\nsupersedes = \"g-2026\"\nsample = \"sample/g-2027.pdf\"\n";
    std::fs::write(w.corpus().join("sources.toml"), manifest(extra)).unwrap();
    let b = build(&w);
    assert_eq!((b.added, b.changed, b.unchanged, b.extracted), (1, 1, 2, 1), "{b:?}");
    assert_eq!(docs_found(&w, &["fortnight"]), Vec::<String>::new());
    assert_eq!(docs_found(&w, &["fortnight", "--all-versions"]), ["g-2026"]);

    // Another schema version: everything is re-indexed, nothing re-read.
    w.mark_index_as_schema_version(0);
    let b = build(&w);
    assert_eq!((b.added, b.unchanged, b.extracted), (4, 0, 0), "{b:?}");
    assert_eq!(docs_found(&w, &["quokka", "--all-versions"]), ["g-2026"]);
}

/// `g` indexed; its newer edition `g-2026` listed in the manifest, not downloaded.
fn newer_edition_not_downloaded() -> Workdir {
    let w = Workdir::empty();
    std::fs::create_dir_all(w.corpus().join("sample")).unwrap();
    std::fs::write(w.corpus().join("sample/g.pdf"), make_pdf("Widget Guidance", &V1)).unwrap();
    let toml = manifest("").replace("sample = \"sample/g-2026.pdf\"\n", "");
    std::fs::write(w.corpus().join("sources.toml"), toml).unwrap();
    w
}

#[test]
fn issue_15_11_an_edition_listed_but_not_downloaded_is_told_honestly() {
    let w = newer_edition_not_downloaded();
    w.run(&["index"]).ok();
    let r = w.run(&["docs"]).ok();
    assert_eq!(
        r.stdout,
        "id  title                     version  date        pages  status      source\n\
         g   Widget Guidance (sample)  100      2024-12-16  2      superseded  sample\n\
         \n\
         g: superseded by g-2026 (not downloaded: riskreg sync)\n"
    );
    // Its hits say so.
    let r = w.run(&["search", "zanzibar"]).ok();
    assert!(
        r.stdout.contains(&format!(
            "\n   {}#page=1 · v100 · superseded by g-2026 (not downloaded)\n",
            w.corpus().join("sample/g.pdf").display()
        )),
        "{}",
        r.stdout
    );
    // --as-of a date when the missing edition was in force warns; before, not.
    let r = w.run(&["search", "zanzibar", "--as-of", "2026-07-01"]).ok();
    assert_eq!(
        r.stderr,
        "note: on 2026-07-01 the edition of g in force is g-2026 (published 2026-06-25), which is not downloaded \
         (riskreg sync, then riskreg index); the results come from the older edition g\n"
    );
    assert_eq!(w.run(&["search", "zanzibar", "--as-of", "2025-03-01"]).ok().stderr, "");
    // diff names the edition that is missing.
    let r = w.run(&["diff", "g"]).code(2);
    assert_eq!(
        r.stderr,
        "riskreg: g has no other edition in the index: its newer edition g-2026 (2026-06-25) is not downloaded \
         (riskreg sync, then riskreg index)\n"
    );

    // Downloaded but not yet indexed: say that instead.
    std::fs::create_dir_all(w.corpus().join("official")).unwrap();
    std::fs::write(w.corpus().join("official/g-2026-v200.pdf"), make_pdf("Widget Guidance", &V2)).unwrap();
    let r = w.run(&["docs"]).ok();
    assert!(r.stdout.contains("\ng: superseded by g-2026 (not indexed: riskreg index)\n"), "{}", r.stdout);
    assert_eq!(
        r.stderr,
        "note: the index is out of date: 1 PDF added since it was built; run `riskreg index` to bring it up to date\n"
    );
    w.run(&["index"]).ok();
    let r = w.run(&["diff", "g"]).ok();
    assert!(r.stdout.starts_with("g (v100, 2024-12-16) → g-2026 (v200, 2026-06-25)\n"), "{}", r.stdout);
}
