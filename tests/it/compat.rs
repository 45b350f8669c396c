//! An index written by the previous schema version (committed in
//! `tests/compat/index-v2`, made by riskreg 0.1.0 at schema version 2 from
//! `tests/compat/corpus`) is rebuilt by this one with the usual message,
//! as tantivy's `compat_tests` keep old indexes to open.

use std::path::Path;

use riskreg::render::json::SearchOut;

use crate::support::{root, Workdir};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

/// A workspace holding the committed corpus and its version-2 index.
fn v2_workdir() -> Workdir {
    let w = Workdir::empty();
    copy_dir(&root().join("tests/compat/corpus"), &w.corpus());
    copy_dir(&root().join("tests/compat/index-v2"), &w.index());
    w
}

#[test]
fn the_committed_index_is_of_the_previous_version() {
    let w = v2_workdir();
    let gen = std::fs::read_to_string(w.index().join("CURRENT")).unwrap();
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.index().join(gen.trim()).join("riskreg.json")).unwrap())
            .unwrap();
    assert_eq!(meta["schema_version"], 2);
    assert_eq!(riskreg::index::schema::SCHEMA_VERSION, 3, "add the index of version 3 here when bumping it");
    // A document record without a field this version requires: read whole,
    // it would be "unreadable index metadata".
    assert!(meta["docs"][0].get("short_title").is_none(), "{meta}");
}

#[test]
fn a_search_rebuilds_an_index_of_the_previous_version() {
    let w = v2_workdir();
    let r = w.run(&["search", "pangolin", "--json"]).ok();
    let first = r.stderr.lines().next().unwrap_or_default();
    assert_eq!(first, format!("{}: index built by schema version 2; rebuilding it for version 3", w.index().display()));
    let out: SearchOut = r.json();
    assert_eq!(out.results[0].citation.text, "Compatibility notes · 1. Scope · PDF p. 1 · ¶1.1");
    // Rebuilt once: the next search just searches.
    let r = w.run(&["search", "pangolin"]).ok();
    assert_eq!(r.stderr, "");
}

#[test]
fn index_rebuilds_an_index_of_the_previous_version() {
    let w = v2_workdir();
    let r = w.run(&["index"]).ok();
    assert_eq!(
        r.stderr,
        format!("{}: index built by schema version 2; rebuilding for version 3\n", w.index().display())
    );
    assert!(r.stdout.starts_with("indexed 1 documents, 1 pages, "), "{}", r.stdout);
}
