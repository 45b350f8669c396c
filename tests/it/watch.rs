//! Issue 18 part 2, watched searches: `watch add/list/rm` keep
//! corpus/watches.toml (comments survive), a watch's first run sets its
//! baseline, and a new edition of a document reports exactly the paragraphs
//! that are new or changed, with their citations, for cron (exit 0 / 1 / 2).

use riskreg::render::json::{WatchListOut, WatchRunOut};

use crate::support::{make_pdf, Workdir};

/// The first edition: ¶1.1, ¶1.2 and ¶2.1 mention widgets, ¶2.2 does not.
const V1: [&str; 2] = [
    "1. Scope\n1.1 Services must assess the risk of widget fraud.\n1.2 Records of widget sales are kept.",
    "2. Reporting\n2.1 Reports of widget fraud go to the regulator within a month.\n2.2 Nothing else is asked.",
];
/// The second: ¶1.2 changed, ¶1.3 added, ¶2.2 changed but holds no widget.
const V2: [&str; 2] = [
    "1. Scope\n1.1 Services must assess the risk of widget fraud.\n1.2 Records of widget sales are kept for five years.\n1.3 A new duty of widget monitoring applies.",
    "2. Reporting\n2.1 Reports of widget fraud go to the regulator within a month.\n2.2 Nothing more is asked.",
];

const FIRST: &str = r#"[[doc]]
id = "g"
title = "Widget Guidance"
publisher = "Ofcom"
url = "https://example.org/widget-guidance.pdf?v=100"
date = "2024-12-16"
version = "100"
sample = "sample/g.pdf"
"#;

const SECOND: &str = r#"
[[doc]]
id = "g-2026"
title = "Widget Guidance"
publisher = "Ofcom"
url = "https://example.org/updates/widget-guidance.pdf?v=200"
date = "2026-06-25"
version = "200"
supersedes = "g"
sample = "sample/g-2026.pdf"
"#;

/// A corpus with the first edition only, indexed.
fn first_edition() -> Workdir {
    let w = Workdir::empty();
    std::fs::create_dir_all(w.corpus().join("sample")).unwrap();
    std::fs::write(w.corpus().join("sample/g.pdf"), make_pdf("Widget Guidance", &V1)).unwrap();
    std::fs::write(w.corpus().join("sources.toml"), FIRST).unwrap();
    w.run(&["index"]).ok();
    w
}

/// The second edition arrives (file and manifest entry), not yet indexed.
fn second_edition(w: &Workdir) {
    std::fs::write(w.corpus().join("sample/g-2026.pdf"), make_pdf("Widget Guidance", &V2)).unwrap();
    std::fs::write(w.corpus().join("sources.toml"), format!("{FIRST}{SECOND}")).unwrap();
}

fn watches_file(w: &Workdir) -> String {
    std::fs::read_to_string(w.corpus().join("watches.toml")).unwrap()
}

#[test]
fn issue_18_watch_add_list_rm_keep_the_file_and_its_comments() {
    let w = Workdir::empty();
    let file = w.corpus().join("watches.toml");
    std::fs::write(&file, "# The compliance team's watches.\n").unwrap();
    let r = w.run(&["watch", "add", "widgets", "widget", "fraud", "--doc", "g"]).ok();
    assert_eq!(
        r.stderr,
        format!("added the watch \"widgets\" to {}; its next run sets its baseline\n", file.display())
    );
    w.run(&["watch", "add", "duties", "\"new duty\"", "--exact"]).ok();
    assert_eq!(
        watches_file(&w),
        "# The compliance team's watches.\n\n[[watch]]\nname = \"widgets\"\nquery = \"widget fraud\"\ndoc = [\"g\"]\n\n\
         [[watch]]\nname = \"duties\"\nquery = '\"new duty\"'\nexact = true\n"
    );

    // A duplicate name, a query `search` would refuse, a name a cron line cannot type.
    let r = w.run(&["watch", "add", "widgets", "other"]).code(2);
    assert_eq!(
        r.stderr,
        format!(
            "riskreg: {}: [[watch]] \"widgets\": field \"name\": there is a watch of that name already; remove it first (riskreg watch rm)\n",
            file.display()
        )
    );
    let r = w.run(&["watch", "add", "broken", "(widget"]).code(2);
    assert_eq!(r.stderr, "riskreg: invalid query: this '(' is never closed; add a ')' (at column 1)\n  (widget\n  ^\n");
    let r = w.run(&["watch", "add", "two words", "widget"]).code(2);
    assert!(r.stderr.contains("field \"name\": \"two words\" has the character ' '"), "{}", r.stderr);

    let r = w.run(&["watch", "list"]).ok();
    assert_eq!(
        r.stdout,
        "widgets\n  query: widget fraud\n  documents: g\n  last report: none yet (its next run sets its baseline)\n\
         duties\n  query: \"new duty\"\n  exact: no terms from the vocabulary\n  last report: none yet (its next run sets its baseline)\n"
    );
    let listed: Vec<WatchListOut> = w.run(&["watch", "list", "--json"]).ok().json();
    assert_eq!(listed.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["widgets", "duties"]);
    assert_eq!(listed[0].docs, ["g"]);

    let r = w.run(&["watch", "rm", "nosuch"]).code(2);
    assert_eq!(
        r.stderr,
        format!("riskreg: {}: no watch is called \"nosuch\"; the watches are widgets, duties\n", file.display())
    );
    let r = w.run(&["watch", "rm", "widgets"]).ok();
    assert_eq!(r.stderr, "removed the watch \"widgets\" (widget fraud)\n");
    assert_eq!(
        watches_file(&w),
        "# The compliance team's watches.\n\n[[watch]]\nname = \"duties\"\nquery = '\"new duty\"'\nexact = true\n"
    );
}

#[test]
fn issue_18_a_bad_watches_file_or_none_is_an_error_naming_it() {
    let w = first_edition();
    let file = w.corpus().join("watches.toml");
    let r = w.run(&["watch"]).code(2);
    assert_eq!(
        r.stderr,
        format!("riskreg: {}: no watches; add one with: riskreg watch add NAME QUERY\n", file.display())
    );

    std::fs::write(
        &file,
        "[[watch]]\nname = \"ok\"\nquery = \"widget\"\n\n[[watch]]\nname = \"bad\"\nquery = \"widget AND\"\n",
    )
    .unwrap();
    let r = w.run(&["watch"]).code(2);
    assert!(
        r.stderr.starts_with(&format!("riskreg: {}: [[watch]] \"bad\": field \"query\": ", file.display())),
        "{}",
        r.stderr
    );
    std::fs::write(&file, "[[watch]]\nname = \"x\"\nquery = \"widget\"\ndoc = [\"nosuch\"]\n").unwrap();
    let r = w.run(&["watch"]).code(2);
    assert_eq!(
        r.stderr,
        format!(
            "riskreg: {}: [[watch]] \"x\": unknown document \"nosuch\": the indexed documents are g\n",
            file.display()
        )
    );
    std::fs::write(&file, "[[watch]]\nname = \"x\"\nquery = \"widget\"\nlimit = 5\n").unwrap();
    let r = w.run(&["watch", "--json"]).code(2);
    assert!(r.stderr.contains("[[watch]] \"x\": unknown field \"limit\""), "{}", r.stderr);
    assert!(r.stdout.contains("\"error\""), "{}", r.stdout);
}

#[test]
fn issue_18_baseline_then_a_new_edition_reports_exactly_the_changed_paragraphs() {
    let w = first_edition();
    w.run(&["watch", "add", "widgets", "widget"]).ok();
    let state = w.corpus().join(".watch-state.json");

    // The first run sets the baseline and reports nothing new: exit 1.
    let r = w.run(&["watch"]).code(1);
    assert_eq!(
        r.stdout,
        "widgets: widget\n  baseline set: 3 hits (its first run); the next run reports what is new or changed\n"
    );
    assert!(state.is_file());
    // Nothing changed: exit 1 again, saying since when.
    let r = w.run(&["watch"]).code(1);
    assert!(r.stdout.starts_with("widgets: widget\n  nothing new or changed since 20"), "{}", r.stdout);

    // The new edition is indexed; the watches run after the build.
    second_edition(&w);
    let before = std::fs::read(&state).unwrap();
    let r = w.run(&["index", "--watch", "--json"]).ok();
    let out: WatchRunOut = r.json();
    assert!(out.news);
    let watch = &out.watches[0];
    assert_eq!((watch.status.as_str(), watch.pages_matched, watch.pages_read), ("report", 2, 2));
    let cites = |v: &[riskreg::render::json::ChangeOut]| v.iter().map(|c| c.citation.text.clone()).collect::<Vec<_>>();
    assert_eq!(cites(&watch.new), ["Widget Guidance (sample), 25 June 2026 · 1. Scope · PDF p. 1 · ¶1.3"]);
    assert_eq!(cites(&watch.changed), ["Widget Guidance (sample), 25 June 2026 · 1. Scope · PDF p. 1 · ¶1.2"]);
    assert!(watch.gone.is_empty());
    let changed = &watch.changed[0];
    assert_eq!(changed.key, "g ¶1.2");
    assert_eq!(changed.text, "1.2 Records of widget sales are kept for five years.");
    assert_eq!(changed.words.as_deref(), Some("1.2 Records of widget sales are [-kept.-]{+kept for five years.+}"));
    let before_out = changed.before.as_ref().unwrap();
    assert_eq!(
        (before_out.doc.as_str(), before_out.citation.as_deref()),
        ("g", Some("Widget Guidance (sample), 16 December 2024 · 1. Scope · PDF p. 1 · ¶1.2"))
    );
    let replaces = watch.new[0].replaces.as_ref().unwrap();
    assert_eq!((replaces.doc.as_str(), replaces.version.as_deref()), ("g", Some("100")));
    assert!(r.stderr.contains("indexed"), "the build's report goes to stderr: {}", r.stderr);

    // The same report for reading, and for a memo (the state put back each time).
    std::fs::write(&state, &before).unwrap();
    let r = w.run(&["watch"]).ok();
    assert_eq!(
        r.stdout,
        "widgets: widget\n\
         \x20 + Widget Guidance (sample), 25 June 2026 · 1. Scope · PDF p. 1 · ¶1.3\n\
         \x20     1.3 A new duty of widget monitoring applies.\n\
         \x20     in g-2026, which replaces g (v100, 16 December 2024)\n\
         \x20 ~ Widget Guidance (sample), 25 June 2026 · 1. Scope · PDF p. 1 · ¶1.2\n\
         \x20     1.2 Records of widget sales are [-kept.-]{+kept for five years.+}\n\
         \x20     was: Widget Guidance (sample), 16 December 2024 · 1. Scope · PDF p. 1 · ¶1.2\n\
         \x20     in g-2026, which replaces g (v100, 16 December 2024)\n"
    );
    std::fs::write(&state, &before).unwrap();
    let r = w.run(&["watch", "--format", "md"]).ok();
    let pdf = w.corpus().join("sample/g-2026.pdf");
    assert!(r.stdout.starts_with("# riskreg watch: "), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!(
            "## widgets: widget\n\n### New\n\n1. [Widget Guidance (sample), 25 June 2026 · 1. Scope · PDF p. 1 · ¶1.3](file://{}#page=1)\n\n   > 1.3 A new duty of **widget** monitoring applies.\n",
            pdf.display()
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("### Changed\n\n1. [Widget Guidance (sample), 25 June 2026 · 1. Scope · PDF p. 1 · ¶1.2]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("   > 1.2 Records of widget sales are ~~kept.~~**kept for five years.**\n"),
        "{}",
        r.stdout
    );

    // Reported once: the next run has nothing new.
    let r = w.run(&["watch"]).code(1);
    assert!(r.stdout.contains("nothing new or changed since"), "{}", r.stdout);

    // --since: against the edition in force on the day, whatever was reported.
    let out: WatchRunOut = w.run(&["watch", "--since", "2025-01-01", "--json"]).ok().json();
    assert_eq!(cites(&out.watches[0].new), ["Widget Guidance (sample), 25 June 2026 · 1. Scope · PDF p. 1 · ¶1.3"]);
    assert_eq!(cites(&out.watches[0].changed), ["Widget Guidance (sample), 25 June 2026 · 1. Scope · PDF p. 1 · ¶1.2"]);
    let r = w.run(&["watch", "--since", "2026-07-01"]).code(1);
    assert_eq!(r.stdout, "widgets: widget\n  nothing new or changed in editions dated after 2026-07-01\n");
    // Before the first edition: everything is new.
    let out: WatchRunOut = w.run(&["watch", "--since", "2024-01-01", "--json"]).ok().json();
    assert_eq!(out.watches[0].new.len(), 4);
    // … and --since leaves the state alone.
    w.run(&["watch"]).code(1);

    // A third edition drops ¶2.1: it is reported gone, with the citation it had.
    std::fs::write(
        w.corpus().join("sample/g-2027.pdf"),
        make_pdf("Widget Guidance", &[V2[0], "2. Reporting\n2.2 Nothing more is asked."]),
    )
    .unwrap();
    let third = "\n[[doc]]\nid = \"g-2027\"\ntitle = \"Widget Guidance\"\npublisher = \"Ofcom\"\nurl = \"https://example.org/w.pdf?v=300\"\ndate = \"2027-01-01\"\nversion = \"300\"\nsupersedes = \"g-2026\"\nsample = \"sample/g-2027.pdf\"\n";
    std::fs::write(w.corpus().join("sources.toml"), format!("{FIRST}{SECOND}{third}")).unwrap();
    w.run(&["index"]).ok();
    let r = w.run(&["watch"]).ok();
    assert_eq!(
        r.stdout,
        "widgets: widget\n  - Widget Guidance (sample), 25 June 2026 · 2. Reporting · PDF p. 2 · ¶2.1\n      no longer found\n"
    );
    let r = w.run(&["watch"]).code(1);
    assert!(r.stdout.contains("nothing new or changed since"), "{}", r.stdout);

    // A watch added later gets its own baseline; the others report as usual.
    w.run(&["watch", "add", "monitoring", "monitoring"]).ok();
    let r = w.run(&["watch"]).code(1);
    assert!(
        r.stdout.ends_with(
            "monitoring: monitoring\n  baseline set: 1 hit (its first run); the next run reports what is new or changed\n"
        ),
        "{}",
        r.stdout
    );
}
