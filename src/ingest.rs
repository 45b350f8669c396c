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
    /// For an official copy: the bundled stand-in it replaces, indexed in
    /// its place when the official copy cannot be.
    pub standin: Option<Box<SourceFile>>,
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
/// named from the manifest where it has an entry, with its content hash;
/// and, by file, the entries that cannot be read (a link to nothing, a FIFO,
/// a file over `max_mb` megabytes…), in path order. Only regular files are
/// opened, and none is read whole.
pub fn find_sources(corpus_dir: &Path, manifest: &Manifest, max_mb: u64) -> Result<(Vec<SourceFile>, Vec<DocFailure>)> {
    let (files, mut bad, stepped_aside) = identify(corpus_dir, manifest)?;
    let mut standins: std::collections::HashMap<String, Named> =
        stepped_aside.into_iter().map(|(path, meta)| (meta.id.clone(), (path, meta))).collect();
    let mut out = Vec::with_capacity(files.len());
    for (path, meta) in files {
        match hash_file(&path, max_mb) {
            Ok(sha256) => {
                // A stand-in that cannot be read is no fallback: it is not reported either,
                // as it is not what the corpus asks to index.
                let standin = standins.remove(&meta.id).and_then(|(path, meta)| {
                    let sha256 = hash_file(&path, max_mb).ok()?;
                    Some(Box::new(SourceFile { path, meta, sha256, standin: None }))
                });
                out.push(SourceFile { path, meta, sha256, standin })
            }
            Err(reason) => bad.push(DocFailure { file: meta.file, reason }),
        }
    }
    bad.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((out, bad))
}

/// The largest PDF `riskreg index` reads unless told otherwise, in megabytes:
/// well above any real publication.
pub const DEFAULT_MAX_MB: u64 = 512;

const MB: u64 = 1024 * 1024;

/// The SHA-256 of a regular file no larger than `max_mb`, read in chunks.
/// Opened without blocking (a FIFO put in its place since the walk does not
/// hang the build), then checked on the open handle before a byte is read.
fn hash_file(path: &Path, max_mb: u64) -> std::result::Result<String, String> {
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| unreadable(&e))?;
    let m = file.metadata().map_err(|e| unreadable(&e))?;
    if !m.is_file() {
        return Err(not_regular(&m.file_type()));
    }
    let max = max_mb.saturating_mul(MB);
    if m.len() > max {
        return Err(too_big(m.len(), max_mb));
    }
    // A file that grows while it is read is stopped at the limit too.
    let (sha256, read) =
        corpus::sha256_reader(std::io::Read::take(file, max.saturating_add(1))).map_err(|e| unreadable(&e))?;
    if read > max {
        return Err(too_big(read, max_mb));
    }
    Ok(sha256)
}

fn unreadable(e: &std::io::Error) -> String {
    format!("cannot be read: {e}")
}

fn too_big(len: u64, max_mb: u64) -> String {
    format!("{} MB: over the {} MB limit (--max-mb)", grouped(len.div_ceil(MB)), grouped(max_mb))
}

/// 2048 → "2,048".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why an entry of this type is not read: only regular files are.
fn not_regular(ty: &std::fs::FileType) -> String {
    let what = if ty.is_dir() { "a folder" } else { special_kind(ty) };
    format!("not a regular file ({what})")
}

#[cfg(unix)]
fn special_kind(ty: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ty.is_fifo() {
        "a FIFO"
    } else if ty.is_char_device() {
        "a character device"
    } else if ty.is_block_device() {
        "a block device"
    } else if ty.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// A PDF found in the corpus and the name it goes by.
pub type Named = (PathBuf, DocMeta);

/// Every PDF under `corpus_dir` that is to be indexed, named, without
/// reading it: a sample stand-in whose official copy is here is left out.
/// The second list names the entries that are not regular files (or whose
/// folder cannot be read), each with why; the third, the stand-ins that
/// stepped aside (indexed only when their official copy cannot be).
pub fn identify(corpus_dir: &Path, manifest: &Manifest) -> Result<(Vec<Named>, Vec<DocFailure>, Vec<Named>)> {
    let mut files = Vec::new();
    let mut bad = Vec::new();
    walk(corpus_dir, corpus_dir, &mut files, &mut bad)?;
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
    let (stepped_aside, out): (Vec<Named>, Vec<Named>) =
        out.into_iter().partition(|(_, m)| m.origin == Origin::Sample && official.contains(&m.id));
    bad.sort_by(|a: &DocFailure, b: &DocFailure| a.file.cmp(&b.file));
    Ok((out, bad, stepped_aside))
}

/// Collects the regular `*.pdf` files under `dir` into `out`, and every
/// entry that cannot be one (a `*.pdf` link to nothing or in a loop, a FIFO,
/// a device, a folder that cannot be read) into `bad`, by its path from
/// `root`. Nothing is opened but folders; links to folders are not followed.
/// Only the corpus folder itself failing to open is an error.
fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>, bad: &mut Vec<DocFailure>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if dir == root => return Err(Error::io(dir, e)),
        Err(e) => {
            bad.push(DocFailure { file: relative(root, dir), reason: format!("folder {}", unreadable(&e)) });
            return Ok(());
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                bad.push(DocFailure { file: relative(root, dir), reason: format!("folder {}", unreadable(&e)) });
                return Ok(());
            }
        };
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let is_pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        let ty = match entry.file_type() {
            Ok(ty) => ty,
            Err(e) if is_pdf => {
                bad.push(DocFailure { file: relative(root, &path), reason: unreadable(&e) });
                continue;
            }
            Err(_) => continue,
        };
        if ty.is_dir() {
            walk(root, &path, out, bad)?;
            continue;
        }
        if !is_pdf {
            continue;
        }
        let target = if ty.is_symlink() {
            // Follows the link: a stat, never an open (opening a FIFO blocks).
            match std::fs::metadata(&path) {
                Ok(m) => m.file_type(),
                Err(e) => {
                    bad.push(DocFailure { file: relative(root, &path), reason: broken_link(&e) });
                    continue;
                }
            }
        } else {
            ty
        };
        if target.is_file() {
            out.push(path);
        } else {
            bad.push(DocFailure { file: relative(root, &path), reason: not_regular(&target) });
        }
    }
    Ok(())
}

/// Why a symbolic link cannot be followed.
fn broken_link(e: &std::io::Error) -> String {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "a symbolic link in a loop".into();
    }
    if e.kind() == std::io::ErrorKind::NotFound {
        "a symbolic link to nothing".into()
    } else {
        format!("a symbolic link that cannot be followed: {e}")
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_in_whole_megabytes_rounded_up() {
        assert_eq!(too_big(2048 * MB, 512), "2,048 MB: over the 512 MB limit (--max-mb)");
        assert_eq!(too_big(512 * MB + 1, 512), "513 MB: over the 512 MB limit (--max-mb)");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
