//! Shared helpers for integration tests: temporary corpora, the real binary
//! with a scrubbed environment, and one shared index of the sample corpus.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether this run is CI's (`CI` set and not empty), where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Skip the calling test because `why`: under CI that is a failure; else
/// the skip is written straight to the terminal (past the harness's
/// capture), so that a passing run still shows it.
#[track_caller]
pub fn skip(why: &str) {
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    assert!(!in_ci(), "CI must run {test}, but {why}");
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "note: skipping {test}: {why}");
}

/// `../shared/<sub>` if it is there (CI and developers have it); else the
/// test is skipped (see [`skip`]) and this is `None`.
#[track_caller]
pub fn shared(sub: &str) -> Option<PathBuf> {
    let p = root().join("..").join("shared").join(sub);
    if p.exists() {
        Some(p)
    } else {
        skip(&format!("{} is missing (the real and hostile PDFs it reads)", p.display()));
        None
    }
}

/// A temporary workspace with its own corpus and index folders.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    /// An empty corpus folder.
    pub fn empty() -> Workdir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
        Workdir { dir }
    }

    /// A copy of the bundled corpus (manifest, vocabulary and the sample PDFs named).
    pub fn sample(only: &[&str]) -> Workdir {
        let w = Workdir::empty();
        let src = root().join("corpus");
        std::fs::copy(src.join("sources.toml"), w.corpus().join("sources.toml")).unwrap();
        std::fs::copy(src.join("vocabulary.toml"), w.corpus().join("vocabulary.toml")).unwrap();
        std::fs::create_dir_all(w.corpus().join("sample")).unwrap();
        for entry in std::fs::read_dir(src.join("sample")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let stem = name.trim_end_matches(".pdf");
            if only.is_empty() || only.contains(&stem) {
                std::fs::copy(&path, w.corpus().join("sample").join(&name)).unwrap();
            }
        }
        if !only.is_empty() {
            // The manifest insists on every sample it names; drop the others.
            let text = std::fs::read_to_string(w.corpus().join("sources.toml")).unwrap();
            let kept: Vec<String> = text
                .lines()
                .map(|l| {
                    let t = l.trim_start();
                    if t.starts_with("sample") && !only.iter().any(|o| t.contains(&format!("sample/{o}.pdf"))) {
                        String::new()
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            std::fs::write(w.corpus().join("sources.toml"), kept.join("\n")).unwrap();
        }
        w
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Rewrites the current generation's metadata as if another schema
    /// version had built it.
    pub fn mark_index_as_schema_version(&self, version: u32) {
        let current = std::fs::read_to_string(self.index().join("CURRENT")).unwrap();
        let meta_path = self.index().join(current.trim()).join("riskreg.json");
        let mut meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
        assert_eq!(meta["schema_version"], riskreg::index::schema::SCHEMA_VERSION);
        meta["schema_version"] = version.into();
        std::fs::write(&meta_path, meta.to_string()).unwrap();
    }

    /// The real binary, in this workspace, with a clean environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_riskreg"));
        c.args(args).current_dir(self.path()).env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default());
        c.env("RISKREG_CORPUS", self.corpus()).env("RISKREG_INDEX", self.index());
        c.stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("riskreg runs"))
    }
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(self.code, code, "expected exit {code}\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("strict JSON parse failed: {e}\n{}", self.stdout))
    }
}

/// One index of the whole sample corpus, built once and shared by the
/// read-only tests.
pub fn sample_index() -> &'static Workdir {
    static W: OnceLock<Workdir> = OnceLock::new();
    W.get_or_init(|| {
        let w = Workdir::sample(&[]);
        let r = w.run(&["index"]);
        assert_eq!(r.code, 0, "building the sample index failed\n{}\n{}", r.stdout, r.stderr);
        w
    })
}

/// A small real PDF (Helvetica, one line of text per line of input, one
/// page per entry), made with lopdf: for fixtures whose words a test chooses.
pub fn make_pdf(title: &str, pages: &[&str]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
    let resources = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font}});
    let mut kids: Vec<Object> = Vec::new();
    for text in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("TL", vec![15.into()]),
            Operation::new("Td", vec![72.into(), 770.into()]),
        ];
        for line in text.lines() {
            ops.push(Operation::new("Tj", vec![Object::string_literal(line)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops }.encode().unwrap();
        let contents = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => contents,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => count}));
    let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    let info = doc.add_object(dictionary! {"Title" => Object::string_literal(title)});
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}
