//! Issue 15 (part): `--cite riskreg|oscola|short` on `search` and `show`,
//! and every style in the JSON, on the sample corpus through the real binary.

use riskreg::render::json::SearchOut;

use crate::support::sample_index;

fn first_line(args: &[&str]) -> String {
    let r = sample_index().run(args).ok();
    r.stdout.lines().next().unwrap_or_default().to_string()
}

#[test]
fn each_style_on_a_paragraph_a_page_break_and_a_note() {
    let q = "\"advertisements for overseas modelling work\"";
    assert_eq!(
        first_line(&["search", q, "--cite", "oscola"]),
        "1. Ofcom, Register of Risks (sample) (December 2024) para 9.14"
    );
    assert_eq!(first_line(&["search", q, "--cite", "short"]), "1. ROR ¶9.14, p. 209");
    assert_eq!(
        first_line(&["search", q]),
        "1. Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 (PDF p. 217) · ¶9.14"
    );
    // Markdown: the title in italics, the rest escaped, linked to the page.
    let md = sample_index().run(&["search", q, "--cite", "oscola", "--format", "md"]).ok().stdout;
    assert!(md.contains("\n1. [Ofcom, *Register of Risks (sample)* (December 2024) para 9.14](file://"), "{md}");

    let over = "\"human trafficking comes mainly from law enforcement intelligence\" doc:ror page:220..221";
    assert_eq!(first_line(&["search", over, "--cite", "short"]), "1. ROR ¶9.82, pp. 220–221");
    let note = "\"draws on National Referral Mechanism statistics\" doc:ror page:213";
    assert_eq!(
        first_line(&["search", note, "--cite", "oscola"]),
        "1. Ofcom, Register of Risks (sample) (December 2024) para 9.41 n 180"
    );
    assert_eq!(first_line(&["search", note, "--cite", "short"]), "1. ROR ¶9.41, p. 213 fn 180");

    // JSON carries every style, whatever --cite says.
    let out: SearchOut = sample_index().run(&["search", q, "--json"]).ok().json();
    let s = &out.results[0].citation.styles;
    assert_eq!(s.riskreg, out.results[0].citation.text);
    assert_eq!(s.oscola, "Ofcom, Register of Risks (sample) (December 2024) para 9.14");
    assert_eq!(s.short, "ROR ¶9.14, p. 209");
}

#[test]
fn show_cites_the_page_in_the_style_asked_for() {
    assert_eq!(
        first_line(&["show", "ror", "209", "--cite", "oscola"]),
        "Ofcom, Register of Risks (sample) (December 2024) 209"
    );
    assert_eq!(first_line(&["show", "ror", "209", "--cite", "short"]), "ROR p. 209");
    assert_eq!(
        first_line(&["show", "ror", "209"]),
        "Register of Risks (sample), 16 December 2024 · p. 209 (PDF p. 217)"
    );
    let r = sample_index().run(&["search", "x", "--cite", "apa"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("possible values: riskreg, oscola, short"), "{}", r.stderr);
}

/// Issue 15 (small things): counts in the singular for one; the help names
/// the environment variables without an empty value.
#[test]
fn counts_and_help_read_well() {
    let w = crate::support::Workdir::sample(&["vol3"]);
    let r = w.run(&["index"]).ok();
    assert!(r.stdout.starts_with("indexed 1 document, 83 pages, "), "{}", r.stdout);
    assert!(r.stdout.contains("; 0 warnings, 0 failed"), "{}", r.stdout);
    let help = w.cmd(&["--help"]).env_remove("RISKREG_CORPUS").env_remove("RISKREG_INDEX").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("[env: RISKREG_CORPUS]"), "{help}");
    assert!(!help.contains("RISKREG_CORPUS="), "{help}");
}

/// Issue 15: completions and a man page generated from the command line's
/// own definitions; the version names the index schema.
#[test]
fn completions_man_page_and_version() {
    let w = sample_index();
    let bash = w.run(&["completions", "bash"]).ok().stdout;
    assert!(bash.contains("complete -F _riskreg") && bash.contains("--cite"), "{bash}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = w.run(&["completions", shell]).ok().stdout;
        assert!(out.contains("riskreg") && out.contains("completions"), "{shell}: {out}");
    }
    let man = w.run(&["man"]).ok().stdout;
    assert!(man.starts_with(".ie") && man.contains(".TH riskreg 1"), "{}", &man[..man.len().min(300)]);
    assert!(man.contains("riskreg\\-search(1)") && man.contains("riskreg\\-completions(1)"), "{man}");
    assert!(man.contains("\\fB\\-\\-corpus\\fR"), "{man}");
    let version = w.run(&["--version"]).ok().stdout;
    let schema = riskreg::index::schema::SCHEMA_VERSION;
    assert_eq!(version, format!("riskreg {} (index schema {schema})\n", env!("CARGO_PKG_VERSION")));
}

/// Issue 15: two `doc:` filters mean either document.
#[test]
fn two_doc_filters_mean_either_document() {
    let out: SearchOut =
        sample_index().run(&["search", "trafficking", "doc:ror", "doc:icjg", "--json", "--limit", "40"]).ok().json();
    let mut docs: Vec<&str> = out.results.iter().map(|r| r.citation.doc.as_str()).collect();
    docs.sort_unstable();
    docs.dedup();
    assert_eq!(docs, ["icjg", "ror"]);
}

/// Issue 15: `show D ¶N` prints the page(s) of that paragraph, marked.
#[test]
fn show_a_paragraph_marks_it_on_its_pages() {
    let out = sample_index().run(&["show", "ror", "¶9.82"]).ok().stdout;
    // ¶9.82 runs from p. 220 over to p. 221.
    assert!(out.starts_with("Register of Risks (sample), 16 December 2024 · p. 220 (PDF p. 228)\n"), "{out}");
    assert!(out.contains("\nRegister of Risks (sample), 16 December 2024 · p. 221 (PDF p. 229)\n"), "{out}");
    assert!(out.contains("\n» 9.82 Providers assessing the risk of human trafficking"), "{out}");
    assert!(out.contains("\n» from law enforcement intelligence on trafficking networks"), "{out}");
    let marked = out.lines().filter(|l| l.starts_with("» ")).count();
    assert!((4..=20).contains(&marked), "{marked} lines marked:\n{out}");
    assert!(!out.lines().any(|l| l.starts_with("» 9.81 ") || l.starts_with("» 9.83 ")), "{out}");
    let json: serde_json::Value = sample_index().run(&["show", "ror", "para:9.82", "--json"]).ok().json();
    assert_eq!(json["paragraph"], "9.82");
    let pages: Vec<u64> = json["pages"].as_array().unwrap().iter().map(|p| p["pdf_page"].as_u64().unwrap()).collect();
    assert_eq!(pages, [228, 229]);
    let r = sample_index().run(&["show", "ror", "¶9.999"]);
    assert_eq!((r.code, r.stderr.as_str()), (1, "¶9.999 is not in ror\n"));
}

/// Issue 15: `--json` with another `--format` is refused, not ignored.
#[test]
fn two_formats_at_once_are_refused() {
    let r = sample_index().run(&["search", "fraud", "--json", "--format", "md"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr, "riskreg: --json and --format md ask for two formats; give one\n");
    // With --json, the error is JSON on stdout too.
    assert_eq!(
        r.stdout,
        "{\"error\":\"--json and --format md ask for two formats; give one\",\"kind\":\"bad_request\"}\n"
    );
    let out: SearchOut = sample_index().run(&["search", "fraud", "--json", "--format", "json"]).ok().json();
    assert!(!out.results.is_empty());
}
