//! `riskreg index`: summaries, failures by file, atomic swaps, the build lock,
//! schema versions, first-run builds — through the real binary.

use std::time::{Duration, Instant};

use riskreg::render::json::{BuildOut, SearchOut};

use crate::support::Workdir;

fn sample_bytes(name: &str) -> Vec<u8> {
    std::fs::read(crate::support::root().join("corpus/sample").join(name)).unwrap()
}

#[test]
fn summary_counts_and_json() {
    let w = Workdir::sample(&["vol3"]);
    let r = w.run(&["index"]).ok();
    let line = r.stdout.lines().next().unwrap();
    assert!(line.starts_with("indexed 1 document, "), "{line}");
    assert!(line.ends_with(" 0 failed"), "{line}");
    assert!(r.stdout.contains("changes: 1 added, 0 changed, 0 removed, 0 unchanged; 1 read from PDF"), "{}", r.stdout);
    // Nothing changed: the second build says so and leaves the index alone.
    let out: BuildOut = w.run(&["index", "--json"]).ok().json();
    assert_eq!((out.documents, out.unchanged, out.added, out.changed, out.extracted), (1, 1, 0, 0, 0));
    assert!(out.up_to_date && out.pages > 60 && out.chunks >= out.pages, "{out:?}");
    assert!(out.swapped && out.failures.is_empty());
    let r = w.run(&["index"]).ok();
    assert!(r.stdout.starts_with("index is up to date: 1 document unchanged ("), "{}", r.stdout);
}

#[test]
fn bad_files_are_named_with_a_reason_and_the_rest_is_indexed() {
    let w = Workdir::sample(&["vol3"]);
    let good = sample_bytes("vol3.pdf");
    std::fs::write(w.corpus().join("notes.pdf"), b"these are my notes, not a PDF").unwrap();
    std::fs::write(w.corpus().join("empty.pdf"), b"").unwrap();
    std::fs::write(w.corpus().join("truncated.pdf"), &good[..good.len() / 3]).unwrap();
    let mut flipped = good.clone();
    for i in (1000..flipped.len()).step_by(997) {
        flipped[i] ^= 0x5a;
    }
    std::fs::write(w.corpus().join("flipped.pdf"), &flipped).unwrap();

    // Some files failed, the rest are indexed: exit 1.
    let r = w.run(&["index", "--json"]).code(1);
    let out: BuildOut = r.json();
    let failed: Vec<&str> = out.failures.iter().map(|f| f.file.as_str()).collect();
    assert!(failed.contains(&"notes.pdf") && failed.contains(&"empty.pdf"), "{out:?}");
    for f in &out.failures {
        assert!(!f.message.is_empty() && !f.message.contains("panicked"), "{f:?}");
    }
    // vol3 is still searchable.
    let found: SearchOut = w.run(&["search", "human trafficking", "doc:vol3", "--json"]).ok().json();
    assert!(!found.results.is_empty());
    // And the human summary names each failed file with its reason.
    let r = w.run(&["index"]).code(1);
    assert!(r.stdout.lines().any(|l| l.starts_with("failed: notes.pdf: ")), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l.starts_with("failed: empty.pdf: ")), "{}", r.stdout);
}

#[test]
fn nothing_indexable_exits_2_and_keeps_the_previous_index() {
    let w = Workdir::sample(&["vol3"]);
    w.run(&["index"]).ok();
    std::fs::remove_file(w.corpus().join("sample/vol3.pdf")).unwrap();
    std::fs::write(w.corpus().join("sources.toml"), "").unwrap();
    std::fs::write(w.corpus().join("broken.pdf"), b"%PDF-1.7\n garbage").unwrap();
    let r = w.run(&["index"]).code(2);
    assert!(r.stdout.contains("failed: broken.pdf: "), "{}", r.stdout);
    assert!(r.stdout.contains("the previous index (if any) is unchanged"), "{}", r.stdout);
    w.run(&["search", "trafficking", "--doc", "vol3"]).ok();

    let empty = Workdir::empty();
    let r = empty.run(&["index"]).code(2);
    assert!(r.stderr.contains("no PDF files found"), "{}", r.stderr);
}

#[test]
fn a_pdf_dropped_into_the_corpus_is_indexed_under_its_file_name() {
    let w = Workdir::sample(&["vol3"]);
    std::fs::create_dir_all(w.corpus().join("mine")).unwrap();
    std::fs::write(w.corpus().join("mine/Team Notes_2026.pdf"), sample_bytes("rag.pdf")).unwrap();
    w.run(&["index"]).ok();
    let r = w.run(&["docs"]).ok();
    let line = r.stdout.lines().find(|l| l.starts_with("team-notes-2026 ")).unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(line.contains(" current ") && line.ends_with(" local"), "{line}");
    assert!(r.stdout.contains("\nteam-notes-2026: not in the manifest: mine/Team Notes_2026.pdf\n"), "{}", r.stdout);
    w.run(&["search", "risk", "--doc", "team-notes-2026"]).ok();
}

#[test]
fn first_search_builds_the_index_and_says_so() {
    let w = Workdir::sample(&["vol3"]);
    let r = w.run(&["search", "human trafficking"]).ok();
    assert!(r.stderr.starts_with("no index in "), "{}", r.stderr);
    assert!(r.stderr.contains("building it from"), "{}", r.stderr);
    // The second search uses it.
    let r = w.run(&["search", "human trafficking"]).ok();
    assert_eq!(r.stderr, "");
}

#[test]
fn an_index_of_another_schema_version_is_rebuilt_with_a_message() {
    let w = Workdir::sample(&["vol3"]);
    w.run(&["index"]).ok();
    w.mark_index_as_schema_version(0);
    let r = w.run(&["search", "trafficking"]).ok();
    assert!(r.stderr.contains("index built by schema version 0; rebuilding it for version"), "{}", r.stderr);
    let r = w.run(&["search", "trafficking"]).ok();
    assert_eq!(r.stderr, "");
}

fn wait_for_build_dir(w: &Workdir, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(entries) = std::fs::read_dir(w.index()) {
            if entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with(".build-")) {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

#[test]
fn a_killed_build_leaves_the_previous_index_searchable() {
    let w = Workdir::sample(&[]);
    std::fs::rename(w.corpus().join("sample/ror.pdf"), w.path().join("ror.pdf")).unwrap();
    let text = std::fs::read_to_string(w.corpus().join("sources.toml")).unwrap();
    std::fs::write(w.corpus().join("sources.toml"), text.replace("sample = \"sample/ror.pdf\"", "")).unwrap();
    w.run(&["index"]).ok();
    let before: SearchOut = w.run(&["search", "trafficking", "--json"]).ok().json();

    // Put the Register back and kill the rebuild as soon as it is under way.
    std::fs::rename(w.path().join("ror.pdf"), w.corpus().join("sample/ror.pdf")).unwrap();
    std::fs::write(w.corpus().join("sources.toml"), text).unwrap();
    let mut child =
        w.cmd(&["index"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    assert!(wait_for_build_dir(&w, Duration::from_secs(30)), "the build never started");
    child.kill().unwrap();
    child.wait().unwrap();

    let after: SearchOut = w.run(&["search", "trafficking", "--json"]).ok().json();
    assert_eq!(after.total, before.total);
    assert!(after.results.iter().all(|r| r.citation.doc != "ror"));

    // The next build cleans up and succeeds.
    w.run(&["index"]).ok();
    let leftovers: Vec<String> = std::fs::read_dir(w.index())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".build-") || n.starts_with("gen-"))
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    let r: SearchOut = w.run(&["search", "trafficking", "doc:ror", "--json"]).ok().json();
    assert!(!r.results.is_empty());
}

#[test]
fn a_second_concurrent_build_fails_at_once_with_a_clear_message() {
    let w = Workdir::sample(&[]);
    let mut first =
        w.cmd(&["index"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    assert!(wait_for_build_dir(&w, Duration::from_secs(30)), "the first build never started");
    let r = w.run(&["index"]);
    let first_status = first.wait().unwrap();
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.stderr.trim(),
        format!(
            "riskreg: {}: another `riskreg index` is building this index right now; wait for it to finish, then try again",
            w.index().display()
        )
    );
    assert_eq!(first_status.code(), Some(0));
}

/// The entries of a folder, sorted ("-" when it is not there).
fn entries(dir: &std::path::Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else { return vec!["-".into()] };
    let mut v: Vec<String> = read.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn issue_15_9_outside_the_project_folder_the_corpus_is_found_or_the_options_named() {
    let w = Workdir::empty();
    let (away, home) = (w.path().join("elsewhere"), w.path().join("home"));
    std::fs::create_dir_all(&away).unwrap();
    let run = |args: &[&str], xdg: Option<&std::path::Path>| {
        let mut c = w.cmd(args);
        c.env_remove("RISKREG_CORPUS").env_remove("RISKREG_INDEX").env("HOME", &home).current_dir(&away);
        if let Some(x) = xdg {
            c.env("XDG_DATA_HOME", x);
        }
        crate::support::Run::from(c.output().unwrap())
    };
    // No corpus here and none in the data folder: one message naming the
    // options, before any build is announced, and nothing left behind.
    let r = run(&["search", "trafficking"], None).code(2);
    let data = home.join(".local/share/riskreg/corpus");
    assert_eq!(
        r.stderr,
        format!(
            "riskreg: cannot find the guidance PDFs: there is no corpus folder here nor in {0}; run riskreg from its \
             project folder, name the folder with --corpus DIR (or RISKREG_CORPUS=DIR), or put the PDFs in {0}\n",
            data.display()
        )
    );
    assert_eq!(entries(&away), Vec::<String>::new());
    // A corpus named but not there: said at once, nothing built or left.
    let r = run(&["--corpus", "pdfs", "search", "trafficking"], None).code(2);
    assert_eq!(
        r.stderr,
        "riskreg: pdfs: no such folder; name the folder of guidance PDFs with --corpus DIR (or RISKREG_CORPUS=DIR)\n"
    );
    assert_eq!(entries(&away), Vec::<String>::new());
    // A corpus folder with no PDF: the build fails and leaves no index/.lock.
    std::fs::create_dir_all(away.join("empty")).unwrap();
    let r = run(&["--corpus", "empty", "search", "trafficking"], None).code(2);
    assert!(
        r.stderr.ends_with("riskreg: empty: no PDF files found; put PDFs there or pass --corpus DIR\n"),
        "{}",
        r.stderr
    );
    assert_eq!(entries(&away), ["empty"]);

    // PDFs in the data folder ($XDG_DATA_HOME): found, indexed beside them.
    let xdg = w.path().join("xdg");
    std::fs::create_dir_all(xdg.join("riskreg/corpus")).unwrap();
    std::fs::write(xdg.join("riskreg/corpus/vol3.pdf"), sample_bytes("vol3.pdf")).unwrap();
    let r = run(&["search", "trafficking"], Some(&xdg)).ok();
    assert!(
        r.stderr.starts_with(&format!(
            "no index in {} yet: building it from {} first\n",
            xdg.join("riskreg/index").display(),
            xdg.join("riskreg/corpus").display()
        )),
        "{}",
        r.stderr
    );
    let index = entries(&xdg.join("riskreg/index"));
    assert!(index.contains(&"CURRENT".to_string()) && !index.contains(&".lock".to_string()), "{index:?}");
    assert_eq!(entries(&away), ["empty"]);
}

#[test]
fn issue_15_10_a_stale_index_is_noticed_and_show_links_no_missing_file() {
    use crate::support::make_pdf;
    let w = Workdir::empty();
    let pdf = |name: &str, text: &str| std::fs::write(w.corpus().join(name), make_pdf(name, &[text])).unwrap();
    pdf("a.pdf", "1. Alpha\n1.1 Wombats are counted.");
    pdf("b.pdf", "1. Beta\n1.1 Wombats are weighed.");
    pdf("c.pdf", "1. Gamma\n1.1 Wombats are named.");
    w.run(&["index"]).ok();
    let r = w.run(&["search", "wombats"]).ok();
    assert_eq!(r.stderr, "");

    pdf("d.pdf", "1. Delta\n1.1 Wombats are new here.");
    pdf("b.pdf", "1. Beta\n1.1 Wombats are weighed and measured twice a year.");
    std::fs::remove_file(w.corpus().join("c.pdf")).unwrap();
    let note = "note: the index is out of date: 1 PDF added, 1 changed, 1 removed since it was built; \
                run `riskreg index` to bring it up to date\n";
    assert_eq!(w.run(&["search", "wombats"]).ok().stderr, note);
    assert_eq!(w.run(&["docs"]).ok().stderr, note);
    // `show` of a document whose PDF is gone: its text, and no link.
    let r = w.run(&["show", "c", "--pdf-page", "1"]).ok();
    assert_eq!(r.stderr, note);
    assert_eq!(
        r.stdout.lines().nth(1),
        Some("c.pdf: the PDF is no longer in the corpus folder, so there is no link to it")
    );
    let page: riskreg::render::json::PageOut = w.run(&["show", "c", "--pdf-page", "1", "--json"]).ok().json();
    assert_eq!(page.pdf_link, None);
    let r = w.run(&["show", "a", "--pdf-page", "1"]).ok();
    assert_eq!(r.stdout.lines().nth(1), Some(format!("{}#page=1", w.corpus().join("a.pdf").display()).as_str()));

    w.run(&["index"]).ok();
    assert_eq!(w.run(&["search", "wombats"]).ok().stderr, "");
    // A file saved again unchanged is "changed" until `index` looks at it;
    // then the index is up to date without rebuilding anything.
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(w.corpus().join("a.pdf"), std::fs::read(w.corpus().join("a.pdf")).unwrap()).unwrap();
    let r = w.run(&["docs"]).ok();
    assert_eq!(
        r.stderr,
        "note: the index is out of date: 1 PDF changed since it was built; run `riskreg index` to bring it up to date\n"
    );
    assert!(w.run(&["index"]).ok().stdout.starts_with("index is up to date: 3 documents unchanged"));
    assert_eq!(w.run(&["docs"]).ok().stderr, "");
}

/// Issue 14 (12): a line break or a right-to-left override in a file name
/// cannot fake a row of `docs` or reorder what it shows.
#[test]
fn a_file_name_cannot_fake_a_row_of_docs() {
    let w = Workdir::sample(&["vol3"]);
    std::fs::write(w.corpus().join("x\nror  Register of Risks\u{202E}.pdf"), sample_bytes("rag.pdf")).unwrap();
    w.run(&["index"]).ok();
    let r = w.run(&["docs", "--width", "0"]).ok();
    let rows: Vec<&str> = r.stdout.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 3, "{}", r.stdout);
    assert!(!r.stdout.contains('\u{202E}'), "{}", r.stdout);
    assert!(rows.iter().all(|l| !l.starts_with("ror ")), "{}", r.stdout);
}

/// Issue 14 (1): a damaged index — its pointer, its metadata or a tantivy
/// file — is rebuilt whole by `riskreg index` from the extraction cache,
/// which says so; `index --rebuild` forces that.
#[test]
fn index_repairs_a_damaged_index() {
    let w = Workdir::sample(&["rag"]);
    w.run(&["index"]).ok();
    let generation = || w.index().join(std::fs::read_to_string(w.index().join("CURRENT")).unwrap().trim());
    // What was done to the index, and doing it.
    type Damage<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let damages: Vec<Damage> = vec![
        ("meta.json gone", Box::new(|| std::fs::remove_file(generation().join("meta.json")).unwrap())),
        ("CURRENT empty", Box::new(|| std::fs::write(w.index().join("CURRENT"), "").unwrap())),
        ("riskreg.json empty", Box::new(|| std::fs::write(generation().join("riskreg.json"), "").unwrap())),
        (
            "a segment file cut short",
            Box::new(|| {
                let idx = std::fs::read_dir(generation())
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .find(|p| p.extension().is_some_and(|e| e == "idx"))
                    .unwrap();
                let f = std::fs::OpenOptions::new().write(true).open(idx).unwrap();
                f.set_len(10).unwrap();
            }),
        ),
    ];
    for (what, damage) in damages {
        damage();
        let broken = w.run(&["search", "risk"]);
        assert_eq!(broken.code, 2, "{what}: {broken:?}");
        assert!(broken.stderr.contains("run `riskreg index`"), "{what}: {}", broken.stderr);
        let r = w.run(&["index"]).ok();
        assert!(
            r.stdout.starts_with("the previous index could not be built upon (")
                && r.stdout.contains("); built a whole new one from the extraction cache\n"),
            "{what}: {}",
            r.stdout
        );
        assert!(r.stdout.contains("0 read from PDF, 1 from the extraction cache"), "{what}: {}", r.stdout);
        w.run(&["search", "risk"]).ok();
        // Sound again: the next build has nothing to do.
        assert!(w.run(&["index"]).ok().stdout.starts_with("index is up to date"), "{what}");
    }
    let out: serde_json::Value = w.run(&["index", "--rebuild", "--json"]).ok().json();
    assert_eq!(
        (out["added"].as_u64(), out["up_to_date"].as_bool(), &out["repaired"]),
        (Some(1), Some(false), &serde_json::Value::Null)
    );
}

/// Runs the binary, failing the test (and killing it) when it has not ended
/// within `limit`: what a hang looks like here.
#[cfg(unix)]
fn run_within(w: &Workdir, args: &[&str], limit: Duration) -> crate::support::Run {
    use std::process::Stdio;
    let child = w.cmd(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("riskreg runs");
    let pid = child.id() as libc::pid_t;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => crate::support::Run::from(out.expect("riskreg ran")),
        Err(_) => {
            // SAFETY: kill(2) on the pid of a child this test spawned and has not reaped.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("riskreg {args:?} still running after {limit:?}");
        }
    }
}

#[test]
#[cfg(unix)]
fn issue_14_2_a_link_to_nothing_or_in_a_loop_fails_alone_and_the_rest_is_indexed() {
    use std::os::unix::fs::symlink;
    let w = Workdir::sample(&["vol3"]);
    let c = w.corpus();
    symlink(c.join("nowhere.pdf"), c.join("gone.pdf")).unwrap();
    symlink(c.join("loop.pdf"), c.join("loop.pdf")).unwrap();
    std::fs::create_dir_all(c.join("mine/old")).unwrap();
    symlink("../../nowhere.pdf", c.join("mine/old/moved.pdf")).unwrap();

    let r = w.run(&["index", "--json"]).code(1);
    let out: BuildOut = r.json();
    let failed: Vec<(&str, &str)> = out.failures.iter().map(|f| (f.file.as_str(), f.message.as_str())).collect();
    assert_eq!(
        failed,
        [
            ("gone.pdf", "a symbolic link to nothing"),
            ("loop.pdf", "a symbolic link in a loop"),
            ("mine/old/moved.pdf", "a symbolic link to nothing"),
        ],
        "{out:?}"
    );
    assert_eq!((out.documents, out.added), (1, 1), "{out:?}");
    assert!(out.swapped, "{out:?}");
    w.run(&["search", "human trafficking", "doc:vol3"]).ok();

    // Nothing else changed: the index is up to date, and the bad entries
    // are still named and still fail the build.
    let r = w.run(&["index"]).code(1);
    assert_eq!(
        r.stdout.lines().skip(1).collect::<Vec<_>>(),
        [
            "failed: gone.pdf: a symbolic link to nothing",
            "failed: loop.pdf: a symbolic link in a loop",
            "failed: mine/old/moved.pdf: a symbolic link to nothing",
        ],
        "{}",
        r.stdout
    );
    assert!(r.stdout.starts_with("index is up to date: 1 document unchanged"), "{}", r.stdout);
    // They are reported, so the index is not out of date because of them.
    let r = w.run(&["docs"]).ok();
    assert_eq!(r.stderr, "");
    assert!(r.stdout.contains("gone.pdf: a symbolic link to nothing"), "{}", r.stdout);

    // A link made since the build is news until a build reports it.
    symlink(c.join("nowhere.pdf"), c.join("later.pdf")).unwrap();
    assert!(w.run(&["docs"]).ok().stderr.starts_with("note: the index is out of date: 1 PDF added"));
    let r = w.run(&["index"]).code(1);
    assert!(r.stdout.contains("\nfailed: later.pdf: a symbolic link to nothing\n"), "{}", r.stdout);
    assert_eq!(w.run(&["docs"]).ok().stderr, "");

    // Only bad entries: nothing is indexed, exit 2, each still named.
    let only = Workdir::empty();
    symlink(only.corpus().join("nowhere.pdf"), only.corpus().join("gone.pdf")).unwrap();
    let r = only.run(&["index"]).code(2);
    assert!(r.stdout.contains("failed: gone.pdf: a symbolic link to nothing\n"), "{}", r.stdout);
    assert!(r.stdout.contains("nothing could be indexed"), "{}", r.stdout);
}

#[test]
#[cfg(unix)]
fn issue_14_3_special_and_oversized_files_are_refused_by_name_before_a_byte_is_read() {
    use std::os::unix::fs::symlink;
    let w = Workdir::sample(&["vol3"]);
    let c = w.corpus();
    let fifo = std::ffi::CString::new(c.join("x.pdf").into_os_string().into_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0, "mkfifo");
    symlink("/dev/zero", c.join("zero.pdf")).unwrap();
    symlink(c.join("sample"), c.join("folder.pdf")).unwrap();
    // 2 GiB that take no room on disk.
    std::fs::File::create(c.join("big.pdf")).unwrap().set_len(2 << 30).unwrap();

    let limit = Duration::from_secs(120);
    let r = run_within(&w, &["index"], limit).code(1);
    let failed: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("failed: ")).collect();
    assert_eq!(
        failed,
        [
            "failed: big.pdf: 2,048 MB: over the 512 MB limit (--max-mb)",
            "failed: folder.pdf: not a regular file (a folder)",
            "failed: x.pdf: not a regular file (a FIFO)",
            "failed: zero.pdf: not a regular file (a character device)",
        ],
        "{}",
        r.stdout
    );
    assert!(r.stdout.starts_with("indexed 1 document, "), "{}", r.stdout);
    w.run(&["search", "human trafficking", "doc:vol3"]).ok();

    // The limit is the user's to set.
    std::fs::File::create(c.join("big.pdf")).unwrap().set_len(3 << 19).unwrap();
    let r = run_within(&w, &["index", "--max-mb", "1"], limit).code(1);
    assert!(r.stdout.contains("\nfailed: big.pdf: 2 MB: over the 1 MB limit (--max-mb)\n"), "{}", r.stdout);
    w.run(&["index", "--max-mb", "0"]).code(2);

    // A command that builds a missing index does not hang on them either.
    std::fs::remove_dir_all(w.index()).unwrap();
    let r = run_within(&w, &["docs"], limit).ok();
    assert!(r.stderr.contains("failed: x.pdf: not a regular file (a FIFO)\n"), "{}", r.stderr);
    assert!(r.stdout.contains("vol3"), "{}", r.stdout);
}

#[test]
fn issue_14_8_a_file_name_that_is_not_utf8_is_indexed_and_inspected() {
    use std::os::unix::ffi::OsStrExt;
    let w = Workdir::empty();
    let name = std::ffi::OsStr::from_bytes(b"guidance-\xff.pdf");
    let pdf = crate::support::make_pdf("Odd", &["1. Odd names\n1.1 Guidance about narwhals."]);
    std::fs::write(w.corpus().join(name), pdf).unwrap();
    let r = w.run(&["index", "--json"]);
    assert_eq!(r.code, 0, "{r:?}");
    let out: BuildOut = r.json();
    assert_eq!((out.documents, out.failures.len()), (1, 0), "{out:?}");
    // Shown lossily, found all the same.
    let hit = w.run(&["search", "narwhals"]).ok();
    assert!(hit.stdout.contains("guidance-\u{FFFD}.pdf") || hit.stdout.contains("Odd"), "{}", hit.stdout);
    let mut inspect = w.cmd(&["inspect"]);
    inspect.arg(w.corpus().join(name));
    let r = inspect.output().unwrap();
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    let shown = String::from_utf8_lossy(&r.stdout);
    assert!(shown.contains("guidance-\u{FFFD}.pdf") && shown.contains("pages: 1"), "{shown}");
}

#[test]
fn issue_14_11_an_official_copy_that_cannot_be_indexed_leaves_its_stand_in_indexed() {
    let w = Workdir::empty();
    std::fs::create_dir_all(w.corpus().join("sample")).unwrap();
    std::fs::create_dir_all(w.corpus().join("official")).unwrap();
    let standin = crate::support::make_pdf("Widget Guidance", &["1. Widgets\n1.1 Guidance about walruses."]);
    std::fs::write(w.corpus().join("sample/w.pdf"), standin).unwrap();
    // The official copy: a PDF header over something that is not a PDF.
    std::fs::write(w.corpus().join("official/w.pdf"), b"%PDF-1.7\n<html><body>Please log in</body></html>\n").unwrap();
    std::fs::write(
        w.corpus().join("sources.toml"),
        "[[doc]]\nid = \"w\"\ntitle = \"Widget Guidance\"\npublisher = \"Ofcom\"\n\
         url = \"https://example.org/w.pdf\"\ndate = \"2025-01-01\"\nsample = \"sample/w.pdf\"\n",
    )
    .unwrap();
    for run in 0..2 {
        let r = w.run(&["index", "--json"]);
        assert_eq!(r.code, 1, "run {run}: the official copy failed: {r:?}");
        let out: BuildOut = r.json();
        assert_eq!(out.documents, 1, "run {run}: {out:?}");
        let failed: Vec<&str> = out.failures.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(failed, ["official/w.pdf"], "run {run}");
        let warned: Vec<(&str, &str)> = out.warnings.iter().map(|f| (f.file.as_str(), f.message.as_str())).collect();
        assert!(
            warned.iter().any(|(file, m)| *file == "sample/w.pdf"
                && m.starts_with("indexed in place of official/w.pdf, which could not be indexed (")),
            "run {run}: {warned:?}"
        );
    }
    // The document is still searchable, from its stand-in, and the index is
    // not taken for out of date.
    let r = w.run(&["search", "walruses", "--json"]).ok();
    let out: SearchOut = r.json();
    assert_eq!(out.results[0].citation.doc, "w");
    assert!(out.results[0].citation.doc_title.ends_with("(sample)"), "{:?}", out.results[0].citation);
    assert!(!r.stderr.contains("the index is out of date"), "{}", r.stderr);
    // Human output says so.
    let r = w.run(&["index"]).code(1);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(all.contains("official/w.pdf"), "{all}");
    assert!(all.contains("indexed in place of official/w.pdf"), "{all}");
}
