//! Issue 15, the last metre at a terminal: wrapping, paging past results,
//! quiet runs, queries that start with `-`, several documents, "did you
//! mean", JSON errors, `toc --cite`, `show --query`, `--open`, and OSCOLA's
//! address and accessed date for a downloaded copy.

use riskreg::render::json::{DocOut, PageOut, SearchOut};

use crate::support::{sample_index, Workdir};

fn corpus_file(w: &Workdir, file: &str) -> String {
    w.corpus().join(file).display().to_string()
}

#[test]
fn width_80_wraps_at_words_under_a_hanging_indent_and_a_pipe_is_not_wrapped() {
    let w = sample_index();
    let r = w.run(&["search", "\"debt bondage\" doc:ror", "-n", "1", "--width", "80"]).ok();
    let want = format!(
        "1. Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 212
   (PDF p. 220) · ¶9.34
   ¶9.34  …groups may find it easier to keep victims in debt bondage without
          being noticed. The risk of modern slavery tends to be higher on
          services with payment features, particularly where nobody acts on the
          same contact details across many recruitment adverts.…
   ¶9.34  …rely on direct messaging to keep victims in debt bondage, and may
          move the conversation to a less moderated space once contact has been
          made.
   ¶9.36  …exploiters may find it easier to keep victims in debt bondage without
          being noticed. Smaller services are not immune: according to survivor
          testimony gathered by support services, labour exploiters will move to
          whichever service offers listings and…
   {}#page=220 · v419942 · superseded by ror-2026 (not downloaded)

1 of 16 matching passages
",
        corpus_file(w, "sample/ror.pdf")
    );
    assert_eq!(r.stdout, want);
    // Every line but the link fits in 80 columns.
    for line in r.stdout.lines().filter(|l| !l.contains("#page=")) {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    // Piped without --width: whole lines, for grep.
    let piped = w.run(&["search", "\"debt bondage\" doc:ror", "-n", "1"]).ok();
    assert!(piped.stdout.starts_with(
        "1. Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 212 (PDF p. 220) · ¶9.34\n"
    ));
}

#[test]
fn a_query_may_start_with_a_minus_and_flags_still_count_after_it() {
    let w = sample_index();
    let with: SearchOut = w.run(&["search", "-crypto", "fraud", "--json", "-n", "3"]).ok().json();
    assert_eq!(with.query, "-crypto fraud");
    let not: SearchOut = w.run(&["search", "fraud NOT crypto", "--json", "-n", "3"]).ok().json();
    assert_eq!(with.total, not.total);
    assert_eq!(with.results.len(), 3);
    // `-n5` is the limit; `-nigeria` is a word.
    let r = w.run(&["search", "fraud", "-n2", "--json"]).ok().json::<SearchOut>();
    assert_eq!(r.results.len(), 2);
    let r = w.run(&["search", "fraud", "-nigeria", "--json"]).ok().json::<SearchOut>();
    assert_eq!(r.query, "fraud -nigeria");
    // A misspelt flag is still refused.
    let r = w.run(&["search", "fraud", "--limti", "3"]).code(2);
    assert!(r.stderr.contains("unexpected argument '--limti'"), "{}", r.stderr);
}

#[test]
fn doc_repeats_and_doc_filters_combine_as_either() {
    let w = sample_index();
    let docs = |args: &[&str]| {
        let mut all = vec!["search", "risk", "--json", "-n", "1000"];
        all.extend(args);
        let out: SearchOut = w.run(&all).ok().json();
        let mut d: Vec<String> = out.results.iter().map(|r| r.citation.doc.clone()).collect();
        d.sort();
        d.dedup();
        d
    };
    assert_eq!(docs(&["--doc", "rag", "--doc", "cop-u2u"]), ["cop-u2u", "rag"]);
    assert_eq!(docs(&["--doc", "rag"]), ["rag"]);
    let r = w.run(&["search", "risk", "--doc", "rag", "--doc", "nope"]).code(2);
    assert!(r.stderr.starts_with("riskreg: unknown document \"nope\""), "{}", r.stderr);
}

#[test]
fn offset_pages_through_results() {
    let w = sample_index();
    let all: SearchOut = w.run(&["search", "\"debt bondage\"", "--json", "-n", "4"]).ok().json();
    let next: SearchOut = w.run(&["search", "\"debt bondage\"", "--json", "-n", "2", "--offset", "2"]).ok().json();
    let cite = |o: &SearchOut| o.results.iter().map(|r| (r.rank, r.citation.text.clone())).collect::<Vec<_>>();
    assert_eq!(cite(&next), cite(&all)[2..4]);
    let human = w.run(&["search", "\"debt bondage\"", "-n", "2", "--offset", "2"]).ok();
    assert!(human.stdout.starts_with("3. "), "{}", human.stdout);
    assert!(human.stdout.ends_with(&format!("\n3–4 of {} matching passages\n", all.total)), "{}", human.stdout);
    let past = w.run(&["search", "\"debt bondage\"", "--offset", "500"]).code(1);
    assert_eq!(past.stderr, "no results past the first 500\n");
}

#[test]
fn quiet_prints_nothing_and_the_exit_code_tells() {
    let w = sample_index();
    let found = w.run(&["search", "trafficking", "--quiet"]).ok();
    assert_eq!((found.stdout.as_str(), found.stderr.as_str()), ("", ""));
    let none = w.run(&["search", "zzyzx", "-q"]).code(1);
    assert_eq!((none.stdout.as_str(), none.stderr.as_str()), ("", ""));
    // Errors still speak.
    let bad = w.run(&["-q", "show", "nope", "1"]).code(2);
    assert!(bad.stderr.starts_with("riskreg: unknown document"), "{}", bad.stderr);
}

#[test]
fn a_near_spelling_is_suggested_when_nothing_matches() {
    let r = sample_index().run(&["search", "human traficking"]).code(1);
    assert_eq!(r.stderr, "no matches; did you mean: human trafficking\n");
    assert_eq!(r.stdout, "");
    let r = sample_index().run(&["search", "zzyzx"]).code(1);
    assert_eq!(r.stderr, "no matches\n");
}

#[test]
fn json_errors_are_json_on_stdout() {
    let w = sample_index();
    let r = w.run(&["show", "nope", "209", "--json"]).code(2);
    assert_eq!(
        r.stdout,
        "{\"error\":\"unknown document \\\"nope\\\": the indexed documents are cop-u2u, icjg, rag, ror, vol3\",\"kind\":\"not_found\"}\n"
    );
    assert!(r.stderr.starts_with("riskreg: unknown document"));
    let r = w.run(&["search", "x", "--json", "--limit", "0"]).code(2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["kind"], "usage");
    assert_eq!(v["error"], "invalid value '0' for '--limit <LIMIT>': 0 is not in 1..=1000");
    let r = w.run(&["toc", "ror", "--json", "--bogus"]).code(2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["error"], "unexpected argument '--bogus' found");
    // Without --json, stdout stays empty.
    assert_eq!(w.run(&["show", "nope", "209"]).code(2).stdout, "");
}

#[test]
fn toc_cites_each_chapter_in_the_style_asked_for() {
    let w = sample_index();
    let r = w.run(&["toc", "rag", "--cite", "oscola"]).ok();
    let head: Vec<&str> = r.stdout.lines().take(7).collect();
    let path = corpus_file(w, "sample/rag.pdf");
    assert_eq!(
        head,
        [
            "Risk Assessment Guidance and Risk Profiles (sample) — 49 pages, chapters from the Contents page",
            path.as_str(),
            "About this guidance  pp. iii–vi (PDF pp. 3–6)",
            "    Ofcom, Risk Assessment Guidance and Risk Profiles (sample) (December 2024) iii–vi",
            "1. Introduction  pp. 1–5 (PDF pp. 7–11)",
            "    Ofcom, Risk Assessment Guidance and Risk Profiles (sample) (December 2024) ch 1",
            "2. The four-step risk assessment method  pp. 6–14 (PDF pp. 12–20)",
        ]
    );
    let short = w.run(&["toc", "rag", "--cite", "short"]).ok();
    assert!(short.stdout.contains("\n1. Introduction  pp. 1–5 (PDF pp. 7–11)\n    RAG ch 1, pp. 1–5\n"));
    let plain = w.run(&["toc", "rag"]).ok();
    assert!(!plain.stdout.contains("Ofcom,") && plain.stdout.contains("\n1. Introduction  pp. 1–5 (PDF pp. 7–11)\n"));
    let out: DocOut = w.run(&["toc", "rag", "--json"]).ok().json();
    let intro = out.toc.iter().find(|t| t.number == "1").unwrap();
    assert_eq!(intro.pdf_link.as_deref(), Some(format!("{path}#page=7").as_str()));
    let c = intro.citation.as_ref().unwrap();
    assert_eq!(c.short, "RAG ch 1, pp. 1–5");
    assert_eq!(c.riskreg, "Risk Assessment Guidance (sample), 16 December 2024 · 1. Introduction · pp. 1–5");
}

#[test]
fn show_marks_the_query_on_the_page() {
    let w = sample_index();
    let out: PageOut = w.run(&["show", "ror", "209", "--query", "\"overseas modelling\"", "--json"]).ok().json();
    let s = &out.sections[0];
    let marked: Vec<String> = s.highlights.iter().map(|[a, b]| s.text.chars().skip(*a).take(b - a).collect()).collect();
    assert_eq!(marked, ["overseas modelling"]);
    let r = w.run(&["show", "ror", "209", "--query", "\"overseas modelling\"", "--color", "always"]).ok();
    assert!(r.stdout.contains("for \x1b[1;33moverseas modelling\x1b[0m work"), "{}", r.stdout);
    let bad = w.run(&["show", "ror", "209", "--query", "(unclosed"]).code(2);
    assert!(bad.stderr.starts_with("riskreg: invalid query"), "{}", bad.stderr);
}

/// A stand-in for the system's opener: records what it was asked to open.
fn fake_opener(dir: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join(if cfg!(target_os = "macos") { "open" } else { "xdg-open" });
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", dir.join("opened").display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// Issue 14 item 8: a PDF whose name is not UTF-8 is shown lossily, but
/// opened by its real name.
#[test]
fn issue_14_8_a_file_whose_name_is_not_utf8_opens_by_its_real_name() {
    use std::os::unix::ffi::OsStrExt;
    let w = Workdir::empty();
    let name = std::ffi::OsStr::from_bytes(b"guidance-\xff.pdf");
    let pdf = crate::support::make_pdf("Odd", &["1. Odd names\n1.1 Guidance about narwhals."]);
    std::fs::write(w.corpus().join(name), pdf).unwrap();
    w.run(&["index"]).ok();
    let scratch = tempfile::tempdir().unwrap();
    let bin = fake_opener(scratch.path());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let want = format!("file://{}/guidance-%FF.pdf#page=1", w.corpus().display());
    let r = w.cmd(&["search", "narwhals", "--open"]).env("PATH", &path).output();
    let r = crate::support::Run::from(r.unwrap()).ok();
    assert_eq!(std::fs::read_to_string(scratch.path().join("opened")).unwrap(), want, "{}", r.stderr);
    assert!(r.stderr.starts_with("opened ") && r.stderr.contains("guidance-\u{FFFD}.pdf"), "{}", r.stderr);
    // `show` by the document's id, too.
    let docs: serde_json::Value = w.run(&["docs", "--json"]).ok().json();
    let id = docs["documents"][0]["id"].as_str().or_else(|| docs[0]["id"].as_str()).unwrap().to_string();
    std::fs::remove_file(scratch.path().join("opened")).unwrap();
    let r = w.cmd(&["show", &id, "1", "--open"]).env("PATH", &path).output();
    crate::support::Run::from(r.unwrap()).ok();
    assert_eq!(std::fs::read_to_string(scratch.path().join("opened")).unwrap(), want);
}

#[test]
fn open_hands_the_page_to_the_systems_opener_or_says_there_is_none() {
    let w = sample_index();
    let scratch = tempfile::tempdir().unwrap();
    let bin = fake_opener(scratch.path());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let r = w.cmd(&["search", "\"advertisements for overseas modelling work\"", "--open"]).env("PATH", &path).output();
    let r = crate::support::Run::from(r.unwrap()).ok();
    let opened = std::fs::read_to_string(scratch.path().join("opened")).unwrap();
    assert_eq!(opened, format!("file://{}#page=217", corpus_file(w, "sample/ror.pdf")));
    assert_eq!(r.stderr, format!("opened {} at PDF page 217\n", corpus_file(w, "sample/ror.pdf")));
    // show D ¶N --open: the paragraph's first page.
    std::fs::remove_file(scratch.path().join("opened")).unwrap();
    let r = w.cmd(&["show", "ror", "¶9.82", "--open"]).env("PATH", &path).output();
    crate::support::Run::from(r.unwrap()).ok();
    let opened = std::fs::read_to_string(scratch.path().join("opened")).unwrap();
    assert!(opened.ends_with("ror.pdf#page=228"), "{opened}");
    // No opener on PATH: a clear message and exit 2, after the results.
    let empty = tempfile::tempdir().unwrap();
    let r = w.cmd(&["show", "ror", "209", "--open"]).env("PATH", empty.path()).output();
    let r = crate::support::Run::from(r.unwrap()).code(2);
    assert!(r.stdout.starts_with("Register of Risks (sample), 16 December 2024 · p. 209"), "{}", r.stdout);
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    assert_eq!(
        r.stderr,
        format!(
            "riskreg: no program to open PDFs with ({opener} is not installed); open {} at PDF page 217 yourself\n",
            corpus_file(w, "sample/ror.pdf")
        )
    );
}

#[test]
fn oscola_gives_a_downloaded_copy_its_address_and_the_day_it_was_fetched() {
    let w = Workdir::sample(&["ror"]);
    // The official copy as `riskreg sync` leaves it: the file and its lock entry.
    std::fs::create_dir_all(w.corpus().join("official")).unwrap();
    std::fs::copy(w.corpus().join("sample/ror.pdf"), w.corpus().join("official/ror-v419942.pdf")).unwrap();
    let url = "https://www.ofcom.org.uk/siteassets/resources/documents/online-safety/information-for-industry/illegal-harms/register-of-risks.pdf?v=419942";
    std::fs::write(
        w.corpus().join("sources.lock"),
        format!(
            "[[file]]\nid = \"ror\"\nurl = \"{url}\"\nversion = \"419942\"\npath = \"official/ror-v419942.pdf\"\n\
             size = 1\nsha256 = \"00\"\nfetched = \"2025-02-03T10:00:00Z\"\n"
        ),
    )
    .unwrap();
    w.run(&["index"]).ok();
    let r = w.run(&["search", "\"advertisements for overseas modelling work\"", "--cite", "oscola"]).ok();
    assert!(
        r.stdout.starts_with(&format!(
            "1. Ofcom, Register of Risks (December 2024) para 9.14 <{url}> accessed 3 February 2025\n"
        )),
        "{}",
        r.stdout
    );
    let out: SearchOut = w.run(&["search", "\"advertisements for overseas modelling work\"", "--json"]).ok().json();
    let c = &out.results[0].citation;
    assert_eq!((c.url.as_deref(), c.accessed.as_deref()), (Some(url), Some("2025-02-03")));
    // The stand-in is not the document at that address: no URL for it.
    let sample = sample_index().run(&["search", "\"advertisements for overseas modelling work\"", "--json"]).ok();
    let c = &sample.json::<SearchOut>().results[0].citation;
    assert_eq!(c.url, None);
    assert_eq!(c.styles.oscola, "Ofcom, Register of Risks (sample) (December 2024) para 9.14");
}

/// On a terminal (a pseudo-terminal made by `script`), output taller than
/// the screen goes through `$PAGER`; `--no-pager` prints it straight.
#[test]
fn long_output_on_a_terminal_goes_through_the_pager() {
    let w = sample_index();
    let scratch = tempfile::tempdir().unwrap();
    let paged = scratch.path().join("paged");
    let run = |extra: &str| {
        let line = format!("{} search trafficking -n 10 --color never{extra}", env!("CARGO_BIN_EXE_riskreg"));
        let out = std::process::Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("RISKREG_CORPUS", w.corpus())
            .env("RISKREG_INDEX", w.index())
            .env("PAGER", format!("tee {}", paged.display()))
            .stdin(std::process::Stdio::null())
            .output();
        match out {
            Ok(o) => Some(String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n")),
            Err(_) => None,
        }
    };
    let Some(shown) = run("") else {
        crate::support::skip("`script` (util-linux) is not installed");
        return;
    };
    let through = std::fs::read_to_string(&paged).unwrap_or_default();
    assert!(through.starts_with("1. "), "the pager got {through:?}; the terminal showed {shown:?}");
    assert!(through.ends_with(" matching passages\n"), "{through:?}");
    std::fs::remove_file(&paged).unwrap();
    let straight = run(" --no-pager").unwrap();
    assert!(!paged.exists(), "--no-pager still paged");
    assert!(straight.starts_with("1. ") && straight.contains(" matching passages"), "{straight:?}");
}

/// Issue 14 (7): deeply nested brackets get a message, not a stack overflow.
#[test]
fn deeply_nested_brackets_are_refused_with_a_message() {
    let q = format!("{}a{}", "(".repeat(240), ")".repeat(240));
    let r = sample_index().run(&["search", &q]).code(2);
    assert!(
        r.stderr.starts_with("riskreg: invalid query: brackets nest more than 32 deep; simplify the query"),
        "{}",
        r.stderr
    );
}
