//! Tidy checks: every source file says what it owns in a `//!` line, and
//! the README's two commands are the ones CI runs.

use crate::support::root;

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! header: {missing:?}");
}

#[test]
fn the_readme_commands_are_the_ones_ci_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(readme.contains("\ncargo run --release -- search \"human trafficking\" --by chapter\n"));
    assert!(readme.contains("\ncargo test\n"));
    assert!(ci.contains("\ncargo test --locked\n"), "CI must run the README's test command");
}

/// Which crate modules each module's code may use (`crate::x`), tests
/// aside: data flows one way, from PDF to result. A module not listed here
/// fails the test, so that a new one is placed on purpose.
const MAY_USE: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("roman", &[]),
    ("date", &[]),
    ("entry_error", &[]),
    ("error", &["entry_error", "query"]),
    ("corpus", &["entry_error", "text"]),
    ("query", &["text"]),
    ("vocab", &["entry_error", "query", "text"]),
    ("xref", &["date"]),
    ("terms", &[]),
    ("extract", &["error", "roman", "text"]),
    ("structure", &["extract", "roman", "text"]),
    ("chunk", &["structure", "extract", "text"]),
    ("diff", &["structure", "text"]),
    ("draft", &["error"]),
    ("sync", &["corpus", "date", "error", "extract"]),
    ("discover", &["corpus", "error", "sync", "text"]),
    ("ingest", &["corpus", "error", "extract", "structure", "chunk", "text"]),
    ("index", &["corpus", "error", "extract", "structure", "chunk", "ingest", "terms", "text", "xref"]),
    ("search", &["error", "harms", "index", "query", "chunk", "corpus", "structure", "vocab"]),
    ("harms", &["index", "query", "text", "vocab"]),
    ("watch", &["corpus", "date", "diff", "entry_error", "error", "index", "search", "structure", "text"]),
    (
        "render",
        &[
            "date",
            "error",
            "search",
            "index",
            "diff",
            "discover",
            "sync",
            "extract",
            "structure",
            "ingest",
            "verify",
            "xref",
            "harms",
            "watch",
        ],
    ),
    ("verify", &["date", "error", "index", "query", "search", "text", "xref"]),
    ("serve", &["draft", "error", "harms", "index", "render", "search", "verify", "vocab"]),
    ("mcp", &["draft", "error", "index", "render", "search", "serve", "verify", "vocab"]),
    ("cli", &["search"]),
    (
        "app",
        &[
            "cli",
            "corpus",
            "date",
            "diff",
            "draft",
            "discover",
            "draft",
            "error",
            "extract",
            "harms",
            "index",
            "mcp",
            "render",
            "search",
            "serve",
            "structure",
            "sync",
            "verify",
            "vocab",
            "watch",
            "xref",
        ],
    ),
    ("lib", &[]),
    ("main", &[]),
];

/// Words a module's code must not contain (comments aside), and why.
const MUST_NOT_MENTION: &[(&[&str], &str, &[&str])] = &[
    (
        &["structure", "chunk", "diff", "query", "text", "roman", "xref", "vocab", "terms", "harms", "entry_error"],
        "pure stages do no IO and know nothing of output or the command line",
        &["crate::render", "crate::cli", "std::fs", "std::net", "std::io::stdout", "println!"],
    ),
    (
        &[
            "text",
            "roman",
            "entry_error",
            "error",
            "corpus",
            "query",
            "extract",
            "structure",
            "chunk",
            "diff",
            "draft",
            "sync",
            "discover",
            "ingest",
            "index",
            "search",
            "render",
            "serve",
            "mcp",
            "verify",
            "vocab",
            "xref",
            "terms",
            "harms",
            "watch",
        ],
        "nothing below `app` knows clap",
        &["clap"],
    ),
    (
        &[
            "text",
            "error",
            "corpus",
            "query",
            "extract",
            "structure",
            "chunk",
            "diff",
            "draft",
            "sync",
            "discover",
            "ingest",
            "search",
            "render",
            "serve",
            "mcp",
            "watch",
            "cli",
            "app",
        ],
        "only `index` writes under the index folder (and finds its parts)",
        &["index_dir.join(", "cli.index.join(", ".join(\"cache\")", "index::cache::"],
    ),
    (
        &[
            "text",
            "query",
            "structure",
            "chunk",
            "diff",
            "discover",
            "ingest",
            "search",
            "render",
            "serve",
            "mcp",
            "cli",
            "app",
            "verify",
            "xref",
        ],
        "files are written only by `index` (the index folder), `sync` and `corpus` (the corpus folder), `watch` (its two files in the corpus folder), and `draft` (a draft's corrected copy)",
        &["fs::write", "fs::create_dir", "fs::rename", "fs::remove", "File::create", "fs::copy", "hard_link"],
    ),
];

/// The module a source file belongs to: `src/index/build.rs` → "index".
fn module_of(src: &std::path::Path, file: &std::path::Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// A file's code without its unit-test module and comments, with line numbers.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let text = without_test_module(text);
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("").to_string()))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect()
}

/// `text` with its `#[cfg(test)] mod tests { … }` blanked out (newlines
/// kept, so line numbers hold); code after it is still checked.
fn without_test_module(text: &str) -> String {
    let Some(start) = text.find("#[cfg(test)]\nmod tests") else { return text.to_string() };
    let Some(open) = text[start..].find('{').map(|i| start + i) else { return text.to_string() };
    let mut depth = 0;
    let mut end = text.len();
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = open + i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    let blank: String = text[start..end].chars().filter(|c| *c == '\n').collect();
    format!("{}{blank}{}", &text[..start], &text[end..])
}

/// The layering as the code under `src` has it: every rule broken, one line
/// each, files named relative to `base`.
fn layering_violations_in(src: &std::path::Path, base: &std::path::Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in &files {
        let module = module_of(src, f);
        let name = f.strip_prefix(base).unwrap().display().to_string();
        let Some((_, allowed)) = MAY_USE.iter().find(|(m, _)| *m == module) else {
            out.push(format!("{name}: module `{module}` has no row in MAY_USE"));
            continue;
        };
        for (line, code) in code_lines(&std::fs::read_to_string(f).unwrap()) {
            for dep in crate_modules(&code) {
                if dep != module && !allowed.contains(&dep.as_str()) {
                    out.push(format!(
                        "{name}:{line}: `{module}` uses crate::{dep} (it may use: {})",
                        allowed.join(", ")
                    ));
                }
            }
            for (modules, why, words) in MUST_NOT_MENTION {
                if !modules.contains(&module.as_str()) {
                    continue;
                }
                for w in words.iter().filter(|w| code.contains(**w)) {
                    out.push(format!("{name}:{line}: `{module}` mentions `{w}`: {why}"));
                }
            }
        }
    }
    out
}

/// The crate modules a line names: `crate::index::open` → "index".
fn crate_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let name: String = after.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
        // `riskreg::x` in a doc example or `$crate::` in a macro are not ours.
        let before = &rest[..i];
        if !name.is_empty() && !before.ends_with('$') && !before.ends_with("::") {
            out.push(name);
        }
        rest = after;
    }
    out
}

#[test]
fn the_layering_has_no_cycle() {
    // Depth-first search over MAY_USE: a module met again on its own path is a cycle.
    fn visit<'a>(m: &'a str, path: &mut Vec<&'a str>, done: &mut Vec<&'a str>) -> Result<(), String> {
        if let Some(i) = path.iter().position(|p| *p == m) {
            return Err(format!("{} → {m}", path[i..].join(" → ")));
        }
        if done.contains(&m) {
            return Ok(());
        }
        path.push(m);
        for dep in MAY_USE.iter().find(|(n, _)| *n == m).map(|(_, d)| *d).unwrap_or(&[]) {
            visit(dep, path, done)?;
        }
        path.pop();
        done.push(m);
        Ok(())
    }
    let mut done = Vec::new();
    for (m, _) in MAY_USE {
        if let Err(cycle) = visit(m, &mut Vec::new(), &mut done) {
            panic!("MAY_USE has a cycle: {cycle}");
        }
    }
}

#[test]
fn modules_keep_the_layering() {
    let broken = layering_violations_in(&root().join("src"), &root());
    assert!(broken.is_empty(), "the layering in ARCHITECTURE.md is broken:\n{}", broken.join("\n"));
}

#[test]
fn the_layering_check_finds_a_broken_rule() {
    // A pure stage that prints and reads files, and a renderer that knows clap.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("render")).unwrap();
    std::fs::write(src.join("diff.rs"), "//! x\nuse crate::render::page_range;\nfn f() { std::fs::read(\"a\"); }\n")
        .unwrap();
    std::fs::write(
        src.join("render/mod.rs"),
        "//! x\n// clap is fine in a comment\n#[cfg(test)]\nmod tests {\n    use clap::Parser;\n}\nuse clap::Parser;\n",
    )
    .unwrap();
    std::fs::write(src.join("newstage.rs"), "//! x\n").unwrap();
    let got = layering_violations_in(&src, dir.path());
    assert_eq!(
        got,
        [
            "src/diff.rs:2: `diff` uses crate::render (it may use: structure, text)",
            "src/diff.rs:2: `diff` mentions `crate::render`: pure stages do no IO and know nothing of output or the command line",
            "src/diff.rs:3: `diff` mentions `std::fs`: pure stages do no IO and know nothing of output or the command line",
            "src/newstage.rs: module `newstage` has no row in MAY_USE",
            "src/render/mod.rs:7: `render` mentions `clap`: nothing below `app` knows clap",
        ]
    );
}
