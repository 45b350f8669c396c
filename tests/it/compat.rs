//! Indexes written by earlier schema versions (committed in
//! `tests/compat/index-vN`, each made from `tests/compat/corpus` by the
//! riskreg of that version: 2 by 0.1.0, 3 by the release before footnotes
//! became documents of their own, 4 by the release before cross-references, 5 by the release before
//! acronyms and definitions) are rebuilt by this one with the usual
//! message, as tantivy's `compat_tests` keep old indexes to open.

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

/// The versions whose indexes are committed.
const OLD_VERSIONS: [u32; 4] = [2, 3, 4, 5];

/// A workspace holding the committed corpus and its index of `version`.
fn old_workdir(version: u32) -> Workdir {
    let w = Workdir::empty();
    copy_dir(&root().join("tests/compat/corpus"), &w.corpus());
    copy_dir(&root().join(format!("tests/compat/index-v{version}")), &w.index());
    w
}

fn meta(w: &Workdir) -> serde_json::Value {
    let gen = std::fs::read_to_string(w.index().join("CURRENT")).unwrap();
    serde_json::from_str(&std::fs::read_to_string(w.index().join(gen.trim()).join("riskreg.json")).unwrap()).unwrap()
}

#[test]
fn the_committed_indexes_are_of_the_previous_versions() {
    for v in OLD_VERSIONS {
        assert_eq!(meta(&old_workdir(v))["schema_version"], v);
    }
    let current = riskreg::index::schema::SCHEMA_VERSION;
    assert_eq!(current, 6, "add the index of version {current} here when bumping it");
    // A version-2 document record lacks a field this version requires: read
    // whole, it would be "unreadable index metadata".
    assert!(meta(&old_workdir(2))["docs"][0].get("short_title").is_none());
}

#[test]
fn a_search_rebuilds_an_index_of_a_previous_version() {
    for v in OLD_VERSIONS {
        let w = old_workdir(v);
        let r = w.run(&["search", "pangolin", "--json"]).ok();
        let first = r.stderr.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("{}: index built by schema version {v}; rebuilding it for version 6", w.index().display())
        );
        let out: SearchOut = r.json();
        assert_eq!(out.results[0].citation.text, "Compatibility notes · 1. Scope · PDF p. 1 · ¶1.1");
        // Rebuilt once: the next search just searches.
        let r = w.run(&["search", "pangolin"]).ok();
        assert_eq!(r.stderr, "");
    }
}

#[test]
fn index_rebuilds_an_index_of_a_previous_version() {
    for v in OLD_VERSIONS {
        let w = old_workdir(v);
        let r = w.run(&["index"]).ok();
        assert_eq!(
            r.stderr,
            format!("{}: index built by schema version {v}; rebuilding for version 6\n", w.index().display())
        );
        assert!(r.stdout.starts_with("indexed 1 document, 1 page, "), "{}", r.stdout);
    }
}
