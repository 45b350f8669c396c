//! The on-disk index: the only module that writes to the index folder.
//!
//! Layout of an index folder:
//! ```text
//! index/
//!   CURRENT            name of the generation in use ("gen-…"), replaced by rename
//!   .lock              held while a build runs (a second build fails at once)
//!   gen-<stamp>/       a tantivy index + riskreg.json (schema version, documents)
//!                      + pages.json (each document's chapters and page labels)
//!                      + terms.json (each document's definitions)
//!   .build-<stamp>/    a build in progress; left behind only by a killed build
//!   cache/<sha256>.json  extracted pages of each PDF (see `cache`)
//! ```
//! A build writes a whole new generation aside and then swaps `CURRENT`, so
//! a build that fails or is killed leaves the previous index searchable.

pub mod build;
pub(crate) mod cache;
pub mod freshness;
pub mod open;
pub mod refs;
pub mod schema;
pub mod terms;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ingest::Origin;

pub use build::{build, BuildEvent, BuildOptions, BuildReport};
pub use freshness::{AbsentEdition, Staleness};
pub use open::OpenIndex;
pub use refs::Reference;
pub use terms::{AcronymRecord, Definition, DefinitionKind};

const CURRENT: &str = "CURRENT";
const LOCK: &str = ".lock";
const META: &str = "riskreg.json";
/// Chapters and page labels of every document: the bulk of the metadata
/// (a label per page), kept apart so that a search need not parse it.
const PAGES: &str = "pages.json";
/// Every document's definitions (glossary entries, defining sentences),
/// read only when a term is looked up.
const TERMS: &str = "terms.json";
/// The extraction cache, inside the index folder.
const CACHE: &str = "cache";

/// The extracted pages of an indexed document, when the index's cache still
/// has them (`riskreg diff` reads both editions' structure from here).
pub fn cached_extraction(index_dir: &Path, d: &DocRecord, file: &Path) -> Option<crate::extract::RawDocument> {
    cache::load(&index_dir.join(CACHE), &d.sha256, file)
}

/// A chapter as the table of contents shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub number: String,
    pub title: String,
    pub heading: String,
    pub level: u32,
    pub parent: Option<String>,
    pub printed_start: String,
    pub printed_end: String,
    pub pdf_start: u32,
    pub pdf_end: u32,
}

/// `path`'s place under `corpus` as the system's bytes, when it is not
/// UTF-8 (a record's `file` holds it lossily); `None` otherwise.
pub fn raw_name(corpus: &Path, path: &Path) -> Option<Vec<u8>> {
    let rel = path.strip_prefix(corpus).unwrap_or(path);
    if rel.to_str().is_some() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(rel.as_os_str().as_bytes().to_vec())
    }
    #[cfg(not(unix))]
    None
}

/// One indexed document, as `riskreg docs` lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocRecord {
    pub id: String,
    pub title: String,
    pub display_title: String,
    /// The title a citation line shows ("(sample)" added for stand-ins).
    pub short_title: String,
    pub version: Option<String>,
    pub date: Option<String>,
    pub origin: Origin,
    /// Relative to the corpus folder; shown lossily when the name is not UTF-8.
    pub file: String,
    /// The same path as the system's bytes, only when it is not UTF-8
    /// (`file` cannot name it then): how riskreg opens and serves the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_bytes: Option<Vec<u8>>,
    pub sha256: String,
    /// The PDF's size in bytes and modification time (nanoseconds since
    /// the Unix epoch) when it was indexed: how a reader notices, without
    /// reading it, that the file changed. 0 in indexes that predate them.
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub modified: u64,
    pub pages: u32,
    pub chunks: u32,
    pub supersedes: Option<String>,
    /// The corporate author a formal citation names ("Ofcom"), from the manifest.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The official copy's address and the day it was downloaded (`sync`).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub accessed: Option<String>,
    /// Id of the indexed edition that replaces this one.
    pub superseded_by: Option<String>,
    pub chapter_source: crate::structure::ChapterSource,
    /// Empty until [`IndexMeta::load_pages`] (kept in `pages.json`).
    #[serde(default)]
    pub toc: Vec<TocEntry>,
    pub warnings: Vec<String>,
    /// Printed label of every physical page, in order. Empty until
    /// [`IndexMeta::load_pages`] (kept in `pages.json`).
    #[serde(default)]
    pub page_labels: Vec<String>,
    /// Numbered paragraphs with their pages; what references can name
    /// besides (tables, measures, notes); the references the text makes.
    /// Empty until [`IndexMeta::load_pages`] (kept in `pages.json`).
    #[serde(default)]
    pub paragraphs: Vec<crate::xref::ParaSpan>,
    #[serde(default)]
    pub anchors: Vec<crate::xref::Anchor>,
    #[serde(default)]
    pub references: Vec<Reference>,
    /// The acronyms the document writes out, each where first defined.
    #[serde(default)]
    pub acronyms: Vec<AcronymRecord>,
    /// The keys (`terms::key`) of the terms it defines, so that a search
    /// knows whether to read `terms.json`.
    #[serde(default)]
    pub defined: Vec<String>,
    /// Its definitions. Empty until [`IndexMeta::load_pages`] or
    /// [`IndexMeta::load_definitions`] (kept in `terms.json`).
    #[serde(default)]
    pub definitions: Vec<Definition>,
}

/// A document's entry in `terms.json`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct DocTerms {
    id: String,
    definitions: Vec<Definition>,
}

/// A document's entry in `pages.json`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct DocPages {
    id: String,
    toc: Vec<TocEntry>,
    page_labels: Vec<String>,
    #[serde(default)]
    paragraphs: Vec<crate::xref::ParaSpan>,
    #[serde(default)]
    anchors: Vec<crate::xref::Anchor>,
    #[serde(default)]
    references: Vec<Reference>,
}

impl DocRecord {
    pub fn is_current(&self) -> bool {
        self.superseded_by.is_none()
    }

    /// The file, relative to the corpus folder, as the system names it.
    pub fn rel_path(&self) -> PathBuf {
        #[cfg(unix)]
        if let Some(bytes) = &self.file_bytes {
            use std::os::unix::ffi::OsStrExt;
            return PathBuf::from(std::ffi::OsStr::from_bytes(bytes));
        }
        PathBuf::from(&self.file)
    }

    /// The physical page and its printed label for a page asked for by its
    /// printed label or its PDF page number: the one lookup behind `riskreg
    /// show` and `/api/page`, with the same messages.
    pub fn resolve_page(&self, page: &PageRef) -> Result<(u32, String)> {
        let physical = match page {
            PageRef::Physical(n) if *n >= 1 && *n <= self.pages => *n,
            PageRef::Physical(n) => {
                return Err(Error::NoSuchPage {
                    doc: self.id.clone(),
                    page: format!("PDF page {n}"),
                    hint: format!("its PDF pages run 1–{}", self.pages),
                })
            }
            PageRef::Printed(label) => match self.page_labels.iter().position(|l| l.eq_ignore_ascii_case(label)) {
                Some(i) => i as u32 + 1,
                None => {
                    let first = self.page_labels.first().map(String::as_str).unwrap_or_default();
                    let last = self.page_labels.last().map(String::as_str).unwrap_or_default();
                    return Err(Error::NoSuchPage {
                        doc: self.id.clone(),
                        page: format!("printed page \"{label}\""),
                        hint: format!(
                            "its printed pages run {first}–{last}; ask for a PDF page (1–{}) for a physical page",
                            self.pages
                        ),
                    });
                }
            },
        };
        let printed = self.page_labels.get(physical as usize - 1).cloned().unwrap_or_else(|| physical.to_string());
        Ok((physical, printed))
    }
}

/// A page as asked for: its printed label ("209", "iv") or its PDF page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRef {
    Printed(String),
    Physical(u32),
}

/// A document that could not be indexed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FailureRecord {
    pub file: String,
    pub reason: String,
}

/// What riskreg keeps beside the tantivy files of a generation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    /// Seconds since the Unix epoch.
    pub built_at: u64,
    /// The corpus folder the index was built from, as given.
    pub corpus: PathBuf,
    pub docs: Vec<DocRecord>,
    pub failures: Vec<FailureRecord>,
}

impl IndexMeta {
    pub fn doc(&self, id: &str) -> Option<&DocRecord> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// Every edition linked to `doc` through `supersedes`, oldest first.
    pub fn editions<'a>(&'a self, doc: &'a DocRecord) -> Vec<&'a DocRecord> {
        let mut first = doc;
        while let Some(prev) = first.supersedes.as_deref().and_then(|id| self.doc(id)) {
            if prev.id == doc.id {
                break;
            }
            first = prev;
        }
        let mut out = vec![first];
        while let Some(next) = out.last().and_then(|d| d.superseded_by.as_deref()).and_then(|id| self.doc(id)) {
            if out.iter().any(|d| d.id == next.id) {
                break;
            }
            out.push(next);
        }
        out
    }

    /// The documents in force on a date (YYYY-MM-DD): published by then and
    /// not yet replaced by an edition published by then. Documents without a
    /// date (not in the manifest) are always in force.
    pub fn in_force(&self, date: &str) -> Vec<&str> {
        let published = |d: &DocRecord| d.date.as_deref().is_none_or(|x| x <= date);
        self.docs
            .iter()
            .filter(|d| published(d))
            .filter(|d| !d.superseded_by.as_deref().and_then(|by| self.doc(by)).is_some_and(&published))
            .map(|d| d.id.as_str())
            .collect()
    }

    /// The document a user named — by id (in any case), or by the file name
    /// or path of its PDF (`Draft_guidance.pdf`,
    /// `corpus/x/Draft_guidance.pdf`) — for `--doc`, `doc:`, `toc`,
    /// `show` and the API. Otherwise "unknown document "x": the indexed
    /// documents are a, b, c".
    pub fn check_doc(&self, asked: &str) -> Result<&DocRecord> {
        let lower = asked.to_lowercase();
        if let Some(d) = self.docs.iter().find(|d| d.id == asked || d.id == lower) {
            return Ok(d);
        }
        // File names compare without case: `doc:` values arrive lower-cased.
        let path = lower.replace('\\', "/");
        let by_file: Vec<&DocRecord> = if path.ends_with(".pdf") {
            let file = |d: &DocRecord| d.file.to_lowercase();
            let exact: Vec<&DocRecord> =
                self.docs.iter().filter(|d| path == file(d) || path.ends_with(&format!("/{}", file(d)))).collect();
            if exact.is_empty() {
                let name = path.rsplit('/').next().unwrap_or(&path);
                self.docs.iter().filter(|d| file(d).rsplit('/').next() == Some(name)).collect()
            } else {
                exact
            }
        } else {
            Vec::new()
        };
        match by_file.as_slice() {
            [d] => Ok(d),
            [] => Err(Error::UnknownDoc {
                asked: asked.to_string(),
                known: self.docs.iter().map(|d| d.id.clone()).collect(),
            }),
            several => Err(Error::AmbiguousDoc {
                asked: asked.to_string(),
                ids: several.iter().map(|d| d.id.clone()).collect(),
            }),
        }
    }

    /// Fill in every document's chapters and page labels from the
    /// generation's `pages.json` (`toc`, `show`, `serve` and builds need
    /// them; a search does not).
    pub fn load_pages(&mut self, gen: &Path) -> Result<()> {
        if self.docs.iter().all(|d| !d.page_labels.is_empty()) {
            return Ok(());
        }
        let path = gen.join(PAGES);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let pages: Vec<DocPages> = serde_json::from_str(&text).map_err(|e| {
            Error::index(&path, format!("unreadable index metadata ({e}); run `riskreg index` to rebuild"))
        })?;
        let mut by_id: std::collections::HashMap<String, DocPages> =
            pages.into_iter().map(|p| (p.id.clone(), p)).collect();
        for d in &mut self.docs {
            if let Some(p) = by_id.remove(&d.id) {
                d.toc = p.toc;
                d.page_labels = p.page_labels;
                d.paragraphs = p.paragraphs;
                d.anchors = p.anchors;
                d.references = p.references;
            }
        }
        self.load_definitions(gen)
    }

    /// Fill in every document's definitions from the generation's
    /// `terms.json` (`define`, `terms`, and a search whose query is a
    /// defined term).
    pub fn load_definitions(&mut self, gen: &Path) -> Result<()> {
        if self.docs.iter().all(|d| d.defined.is_empty() || !d.definitions.is_empty()) {
            return Ok(());
        }
        let path = gen.join(TERMS);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let terms: Vec<DocTerms> = serde_json::from_str(&text).map_err(|e| {
            Error::index(&path, format!("unreadable index metadata ({e}); run `riskreg index` to rebuild"))
        })?;
        let mut by_id: std::collections::HashMap<String, DocTerms> =
            terms.into_iter().map(|t| (t.id.clone(), t)).collect();
        for d in &mut self.docs {
            if let Some(t) = by_id.remove(&d.id) {
                d.definitions = t.definitions;
            }
        }
        Ok(())
    }

    /// Every (short form, long form) pair the indexed documents write out,
    /// once each (the first document's, in index order).
    pub fn acronym_pairs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for a in self.docs.iter().flat_map(|d| &d.acronyms) {
            if !out.iter().any(|(s, l)| *s == a.short && l.eq_ignore_ascii_case(&a.long)) {
                out.push((a.short.clone(), a.long.clone()));
            }
        }
        out
    }
}

fn read_meta(dir: &Path) -> Result<IndexMeta> {
    let path = dir.join(META);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    parse_meta(&path, &text)
}

fn parse_meta(path: &Path, text: &str) -> Result<IndexMeta> {
    serde_json::from_str(text).map_err(|e| Error::index(path, format!("unreadable index metadata ({e})")))
}

/// Just the schema version of a generation's metadata: readable whatever
/// else a version before or after this one keeps there.
#[derive(serde::Deserialize)]
struct VersionOnly {
    schema_version: u32,
}

/// Writes `riskreg.json`, `pages.json` and `terms.json` for `meta` into `dir` (compact:
/// whitespace made a large corpus's metadata twice the size to parse).
fn write_meta(dir: &Path, meta: &IndexMeta, write: impl Fn(&Path, &[u8]) -> Result<()>) -> Result<()> {
    let pages: Vec<DocPages> = meta
        .docs
        .iter()
        .map(|d| DocPages {
            id: d.id.clone(),
            toc: d.toc.clone(),
            page_labels: d.page_labels.clone(),
            paragraphs: d.paragraphs.clone(),
            anchors: d.anchors.clone(),
            references: d.references.clone(),
        })
        .collect();
    write(&dir.join(PAGES), serde_json::to_string(&pages).expect("pages serialise").as_bytes())?;
    let terms: Vec<DocTerms> =
        meta.docs.iter().map(|d| DocTerms { id: d.id.clone(), definitions: d.definitions.clone() }).collect();
    write(&dir.join(TERMS), serde_json::to_string(&terms).expect("terms serialise").as_bytes())?;
    let mut slim = meta.clone();
    for d in &mut slim.docs {
        d.toc = Vec::new();
        d.page_labels = Vec::new();
        d.paragraphs = Vec::new();
        d.anchors = Vec::new();
        d.references = Vec::new();
        d.definitions = Vec::new();
    }
    write(&dir.join(META), serde_json::to_string(&slim).expect("meta serialises").as_bytes())
}

/// The generation folder `CURRENT` names, if any.
pub fn current_generation(index_dir: &Path) -> Result<Option<PathBuf>> {
    let path = index_dir.join(CURRENT);
    match std::fs::read_to_string(&path) {
        Ok(name) => {
            let name = name.trim();
            if name.is_empty() || name.contains('/') || name.contains("..") {
                return Err(Error::index(&path, "names no index generation; run `riskreg index` to rebuild"));
            }
            Ok(Some(index_dir.join(name)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// The state of an index folder, without opening tantivy.
pub enum State {
    Missing,
    /// Built by another schema version.
    Stale {
        found: u32,
    },
    /// The current generation's folder and metadata.
    Ready(PathBuf, IndexMeta),
}

pub fn state(index_dir: &Path) -> Result<State> {
    let Some(gen) = current_generation(index_dir)? else { return Ok(State::Missing) };
    if !gen.exists() {
        return Ok(State::Missing);
    }
    let path = gen.join(META);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    // The version first, on its own: metadata of another version may not
    // have the fields this one expects, and is rebuilt, not an error.
    let version: VersionOnly = serde_json::from_str(&text)
        .map_err(|e| Error::index(&path, format!("unreadable index metadata ({e}); run `riskreg index` to rebuild")))?;
    if version.schema_version != schema::SCHEMA_VERSION {
        return Ok(State::Stale { found: version.schema_version });
    }
    Ok(State::Ready(gen, parse_meta(&path, &text)?))
}
