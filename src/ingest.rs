//! Corpus folder → documents with their chunks: finds every PDF under the
//! corpus, names it (from the manifest, or from the file itself), and runs
//! extract → structure → chunk on it. No printing; no index.

use std::path::{Path, PathBuf};

use crate::chunk::{self, Chunk};
use crate::corpus::{self, Manifest};
use crate::error::{Error, Result};
use crate::extract::{self, ExtractOptions, RawDocument};
use crate::structure::{self, Chapter, ChapterSource, Structure};

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A bundled stand-in for an official publication (`sample =` in the manifest).
    Sample,
    /// An official publication fetched into `corpus/official/`.
    Official,
    /// Any other PDF a user put in the corpus folder.
    Local,
}

/// What identifies a document in citations.
#[derive(Debug, Clone, PartialEq)]
pub struct DocMeta {
    pub id: String,
    /// Official title, or one taken from the file.
    pub title: String,
    /// The manifest's short title, when it gives one.
    pub short_title: Option<String>,
    pub version: Option<String>,
    pub date: Option<String>,
    pub origin: Origin,
    /// Path relative to the corpus folder, with '/' separators.
    pub file: String,
    /// The id of the edition this one replaces (from the manifest).
    pub supersedes: Option<String>,
    /// Who publishes it (the manifest's corporate author: "Ofcom").
    pub publisher: Option<String>,
    /// Where the official copy was downloaded from (official copies only:
    /// a stand-in is not the document at that address).
    pub url: Option<String>,
    /// The day that copy was downloaded, YYYY-MM-DD (from `sources.lock`).
    pub accessed: Option<String>,
}

impl DocMeta {
    /// The title as citations show it: samples say so.
    pub fn display_title(&self) -> String {
        match self.origin {
            Origin::Sample => format!("{} (sample)", self.title),
            _ => self.title.clone(),
        }
    }
}

/// A PDF found in the corpus, not yet read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub meta: DocMeta,
    /// Content hash: a document's identity for incremental builds.
    pub sha256: String,
}

/// One document, read and cut into chunks.
#[derive(Debug, Clone)]
pub struct Ingested {
    pub meta: DocMeta,
    pub sha256: String,
    pub page_count: u32,
    pub structure: Structure,
    pub chunks: Vec<Chunk>,
    /// Extraction and structure warnings, each naming its page.
    pub warnings: Vec<String>,
}

/// A document that could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub struct DocFailure {
    /// Path relative to the corpus folder.
    pub file: String,
    pub reason: String,
}

/// Every PDF under `corpus_dir` (hidden folders skipped), in path order,
/// named from the manifest where it has an entry, with its content hash.
pub fn find_sources(corpus_dir: &Path, manifest: &Manifest) -> Result<Vec<SourceFile>> {
    let mut out = Vec::new();
    for (path, meta) in identify(corpus_dir, manifest)? {
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let sha256 = corpus::sha256_hex(&bytes);
        out.push(SourceFile { path, meta, sha256 });
    }
    Ok(out)
}

/// Every PDF under `corpus_dir` that is to be indexed, named, without
/// reading it: a sample stand-in whose official copy is here is left out.
pub fn identify(corpus_dir: &Path, manifest: &Manifest) -> Result<Vec<(PathBuf, DocMeta)>> {
    let mut files = Vec::new();
    walk(corpus_dir, &mut files)?;
    files.sort();
    let mut taken: std::collections::HashSet<String> = manifest.docs.iter().map(|d| d.id.clone()).collect();
    let mut out = Vec::with_capacity(files.len());
    // When each official copy was fetched. A damaged lock file costs only the
    // accessed dates here; `riskreg sync` reports it.
    let fetched = corpus::fetched_times(corpus_dir);
    for path in files {
        let rel = relative(corpus_dir, &path);
        let meta = match manifest_match(manifest, &fetched, &rel) {
            Some(meta) => meta,
            None => {
                let id = corpus::unique_id(&crate::text::slug(&file_stem(&path)), &mut taken);
                DocMeta {
                    id,
                    title: file_stem(&path).replace(['_', '-'], " ").trim().to_string(),
                    short_title: None,
                    version: None,
                    date: None,
                    origin: Origin::Local,
                    file: rel,
                    supersedes: None,
                    publisher: None,
                    url: None,
                    accessed: None,
                }
            }
        };
        out.push((path, meta));
    }
    // Once the official copy of a publication is here, its stand-in steps aside.
    let official: std::collections::HashSet<String> =
        out.iter().filter(|(_, m)| m.origin == Origin::Official).map(|(_, m)| m.id.clone()).collect();
    out.retain(|(_, m)| !(m.origin == Origin::Sample && official.contains(&m.id)));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let ty = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if ty.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            out.push(path);
        }
    }
    Ok(())
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The manifest entry a corpus file belongs to: its `sample`, or an official
/// copy saved by `riskreg sync` as `official/<id>.pdf` or `official/<id>-v<version>.pdf`.
fn manifest_match(
    manifest: &Manifest,
    fetched: &std::collections::HashMap<String, String>,
    rel: &str,
) -> Option<DocMeta> {
    let entry = manifest.docs.iter().find(|d| d.is_file(rel))?;
    let origin = if rel.starts_with(&format!("{}/", corpus::OFFICIAL_DIR)) { Origin::Official } else { Origin::Sample };
    let official = origin == Origin::Official;
    let fetched = fetched.get(rel).cloned();
    Some(DocMeta {
        id: entry.id.clone(),
        title: entry.title.clone(),
        short_title: entry.short_title.clone(),
        version: entry.version.clone(),
        date: Some(entry.date.clone()),
        origin,
        file: rel.to_string(),
        supersedes: entry.supersedes.clone(),
        publisher: Some(entry.publisher.clone()).filter(|p| !p.trim().is_empty()),
        url: Some(entry.url.clone()).filter(|u| official && !u.trim().is_empty()),
        accessed: fetched.filter(|_| official).and_then(|f| f.get(..10).map(str::to_string)),
    })
}

/// Read one file — `cached`, its pages as read before, when the caller has
/// them, else in a worker process — then structure and chunks. The second
/// value is the document just extracted (`None` when it came from `cached`),
/// for the caller to keep.
pub fn ingest(
    src: &SourceFile,
    opts: &ExtractOptions,
    cached: Option<RawDocument>,
) -> Result<(Ingested, Option<RawDocument>), DocFailure> {
    let fail = |reason: String| DocFailure { file: src.meta.file.clone(), reason };
    let sha256 = src.sha256.clone();
    let (raw, extracted) = match cached {
        Some(raw) => (raw, false),
        None => (extract::extract_document(&src.path, opts).map_err(|e| fail(e.reason))?, true),
    };
    let structure = structure::analyse(&raw);
    let chunks = chunk::chunks(&structure);
    let mut meta = src.meta.clone();
    if meta.origin == Origin::Local {
        if let Some(title) = raw.title.as_deref().map(str::trim).filter(|t| usable_title(t)) {
            meta.title = crate::text::clean_title(title);
        }
    }
    let mut warnings = raw.warnings.clone();
    warnings.extend(structure.warnings.iter().cloned());
    if structure.chapter_source == ChapterSource::None && raw.page_count > 3 {
        warnings.push(
            "no chapters found (no outline, no numbered headings, no Contents page): the document is one chapter"
                .into(),
        );
    }
    let ingested = Ingested { meta, sha256, page_count: raw.page_count, structure, chunks, warnings };
    Ok((ingested, extracted.then_some(raw)))
}

/// Metadata titles such as "Microsoft Word - draft3.docx" or "untitled" are
/// worse than the file name.
fn usable_title(t: &str) -> bool {
    let lower = t.to_lowercase();
    t.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && !lower.starts_with("microsoft word")
        && !lower.contains("untitled")
        && !lower.ends_with(".doc")
        && !lower.ends_with(".docx")
        && !lower.ends_with(".pdf")
}

/// The chapters of a document as a table of contents.
pub fn toc(chapters: &[Chapter]) -> Vec<Chapter> {
    chapters.iter().filter(|c| !c.heading.is_empty()).cloned().collect()
}
