//! A full build: corpus → new index generation, swapped in atomically.

use std::collections::{HashMap, HashSet};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::schema::{self, Fields};
use super::{DocRecord, FailureRecord, IndexMeta, TocEntry, CURRENT, LOCK, META};
use crate::chunk::Chunk;
use crate::corpus::Manifest;
use crate::error::{Error, Result};
use crate::extract::ExtractOptions;
pub use crate::ingest::DEFAULT_MAX_MB;
use crate::ingest::{self, DocMeta, Ingested};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub corpus_dir: PathBuf,
    pub index_dir: PathBuf,
    pub extract: ExtractOptions,
    /// Build a whole new generation, not upon the current one (`index --rebuild`).
    pub rebuild: bool,
    /// Larger PDFs are refused, by name, before a byte of them is read.
    pub max_mb: u64,
}

/// Progress, reported as the build goes.
#[derive(Debug, Clone)]
pub enum BuildEvent {
    /// The corpus holds this many PDFs.
    Found { files: usize },
    /// One file is done (read or failed).
    Finished { file: String, pages: u32, failed: bool },
}

#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Documents in the index after the build.
    pub docs: usize,
    /// Documents new to the index, replaced (changed bytes, metadata or
    /// version status), removed, and kept untouched from the previous build.
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Documents whose PDF was read now (the others came from the cache or
    /// were unchanged).
    pub extracted: usize,
    /// Nothing changed since the previous build: no new generation was made.
    pub up_to_date: bool,
    pub pages: u64,
    pub chunks: u64,
    /// (file, warning), in file order.
    pub warnings: Vec<(String, String)>,
    pub failures: Vec<FailureRecord>,
    pub seconds: f64,
    /// False when nothing could be indexed: the previous index is untouched.
    pub swapped: bool,
    pub generation: PathBuf,
    /// Why the previous generation could not be built upon (it was damaged),
    /// when the build made a whole new one from the extraction cache instead.
    pub repaired: Option<String>,
    /// References the documents make, and how many of them lead nowhere.
    pub references: usize,
    pub unresolved: usize,
}

/// The build lock of an index folder, held while it lives. Dropping it
/// removes `.lock` (and the index folder, when the lock made it and nothing
/// else is in it), so no build, finished or failed, leaves a stray lock.
struct BuildLock {
    file: Option<File>,
    path: PathBuf,
    /// The index folder, when taking the lock created it.
    made_dir: Option<PathBuf>,
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Removed while still held: a build that starts now makes a new file.
        let _ = std::fs::remove_file(&self.path);
        drop(self.file.take());
        if let Some(dir) = &self.made_dir {
            // Only succeeds when empty.
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Hold the build lock for the index folder, or fail at once.
fn lock(index_dir: &Path) -> Result<BuildLock> {
    let made_dir = (!index_dir.exists()).then(|| index_dir.to_path_buf());
    std::fs::create_dir_all(index_dir).map_err(|e| Error::io(index_dir, e))?;
    let path = index_dir.join(LOCK);
    // A lock file removed by the build that held it, between our opening it
    // and locking it, locks nothing: open the new one and try again.
    for _ in 0..3 {
        let file =
            File::options().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) if same_file(&file, &path) => {
                return Ok(BuildLock { file: Some(file), path, made_dir: made_dir.clone() })
            }
            Ok(()) => continue,
            Err(TryLockError::WouldBlock) => return Err(Error::Busy { path: index_dir.to_path_buf() }),
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
    }
    Err(Error::Busy { path: index_dir.to_path_buf() })
}

/// Whether the open `file` is still the one at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

fn stamp() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{nanos}-{}", std::process::id())
}

/// Build a new generation from every PDF under the corpus and swap it in.
/// When the current generation has this schema version, the build is
/// incremental: it starts from a hard-linked copy of that generation and
/// only deletes and re-adds the documents that changed.
pub fn build(opts: &BuildOptions, on_event: &(dyn Fn(BuildEvent) + Sync)) -> Result<BuildReport> {
    let started = Instant::now();
    let _lock = lock(&opts.index_dir)?;
    remove_leftovers(&opts.index_dir, None);

    let manifest = Manifest::load(&opts.corpus_dir)?;
    let (sources, unreadable) = ingest::find_sources(&opts.corpus_dir, &manifest, opts.max_mb)?;
    // Entries that cannot be read are failures of their own; the rest is built.
    let unreadable: Vec<FailureRecord> =
        unreadable.into_iter().map(|f| FailureRecord { file: f.file, reason: f.reason }).collect();
    if sources.is_empty() {
        if unreadable.is_empty() {
            return Err(Error::EmptyCorpus { path: opts.corpus_dir.clone() });
        }
        // Nothing to build from: the previous index (if any) stays.
        return Ok(BuildReport {
            failures: unreadable,
            seconds: started.elapsed().as_secs_f64(),
            ..BuildReport::default()
        });
    }
    on_event(BuildEvent::Found { files: sources.len() });
    let cache_dir = opts.index_dir.join(super::CACHE);

    // Supersession is known from the manifest before anything is read.
    let ids: HashSet<&str> = sources.iter().map(|s| s.meta.id.as_str()).collect();
    let superseded_by = |id: &str| -> Option<String> {
        sources
            .iter()
            .find(|s| s.meta.supersedes.as_deref() == Some(id) && ids.contains(s.meta.id.as_str()))
            .map(|s| s.meta.id.clone())
    };

    // What the previous generation already holds, if it can be built upon.
    // A damaged one (its pointer, metadata or tantivy files) cannot be: the
    // build makes a whole new generation, from the extraction cache.
    let mut report = BuildReport::default();
    let base = match super::state(&opts.index_dir) {
        _ if opts.rebuild => None,
        Ok(super::State::Ready(gen, mut meta)) => match meta.load_pages(&gen).and_then(|()| sound(&gen, &meta)) {
            Ok(()) => Some((gen, meta)),
            Err(e) => {
                report.repaired = Some(damage(&e));
                None
            }
        },
        Ok(_) => None,
        Err(e) => {
            report.repaired = Some(damage(&e));
            None
        }
    };
    let previous: HashMap<String, DocRecord> =
        base.as_ref().map(|(_, m)| m.docs.iter().map(|d| (d.id.clone(), d.clone())).collect()).unwrap_or_default();
    report.failures = unreadable;
    let mut kept = Vec::new();
    let mut todo = Vec::new();
    // Unchanged documents whose file was touched (same bytes, new time).
    let mut restamped = false;
    for (i, src) in sources.iter().enumerate() {
        let sup = superseded_by(&src.meta.id);
        match previous.get(&src.meta.id) {
            Some(old) if unchanged(old, src, &sup) => {
                report.unchanged += 1;
                let mut old = old.clone();
                let (size, modified) = super::freshness::stamp(&src.path);
                restamped |= (old.size, old.modified) != (size, modified);
                (old.size, old.modified) = (size, modified);
                old.file_bytes = super::raw_name(&opts.corpus_dir, &src.path);
                on_event(BuildEvent::Finished { file: src.meta.file.clone(), pages: old.pages, failed: false });
                kept.push(old);
            }
            Some(_) => todo.push((i, src, sup, true)),
            None => todo.push((i, src, sup, false)),
        }
    }
    let removed: Vec<String> = previous.keys().filter(|id| !ids.contains(id.as_str())).cloned().collect();
    report.removed = removed.len();
    if todo.is_empty() && removed.is_empty() && base.is_some() {
        report.docs = kept.len();
        report.pages = kept.iter().map(|d| u64::from(d.pages)).sum();
        report.chunks = kept.iter().map(|d| u64::from(d.chunks)).sum();
        report.up_to_date = true;
        report.swapped = true;
        if let Some((gen, mut meta)) = base {
            if restamped || meta.failures != report.failures {
                // Only the files' times, or the entries that cannot be read,
                // changed: record them where the index is.
                meta.docs = kept;
                meta.failures = report.failures.clone();
                super::write_meta(&gen, &meta, write_replacing)?;
            }
            report.generation = gen;
        }
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }

    let building = opts.index_dir.join(format!(".build-{}", stamp()));
    let (schema, fields) = schema::build();
    let index = match &base {
        Some((gen, _)) => {
            link_copy(gen, &building)?;
            Index::open_in_dir(&building).map_err(|e| Error::index(&building, e))?
        }
        None => {
            std::fs::create_dir_all(&building).map_err(|e| Error::io(&building, e))?;
            Index::create_in_dir(&building, schema).map_err(|e| Error::index(&building, e))?
        }
    };
    let writer: IndexWriter = index.writer_with_num_threads(1, 100_000_000).map_err(|e| Error::index(&building, e))?;
    // Replaced and removed documents leave first; replacements are added below.
    for id in removed.iter().chain(todo.iter().filter(|t| t.3).map(|t| &t.1.meta.id)) {
        writer.delete_term(Term::from_field_text(fields.doc, id));
    }

    let names = super::refs::names(&sources.iter().map(|s| &s.meta).collect::<Vec<_>>(), &manifest);
    let results: Mutex<Vec<Done>> = Mutex::new(Vec::new());
    let index_one = |src: &ingest::SourceFile, sup: &Option<String>| {
        let cached = super::cache::load(&cache_dir, &src.sha256, &src.path);
        match ingest::ingest(src, &opts.extract, cached) {
            Ok((doc, fresh)) => {
                let extracted = fresh.is_some();
                if let Some(raw) = fresh {
                    // A cache that cannot be written costs speed next time, nothing else.
                    let _ = super::cache::store(&cache_dir, &src.sha256, &raw);
                }
                match add_chunks(&writer, &fields, &doc, sup.is_none()) {
                    Ok(()) => (
                        Ok(DocRecord {
                            file_bytes: super::raw_name(&opts.corpus_dir, &src.path),
                            ..record(&doc, sup.clone(), super::freshness::stamp(&src.path), (&names, sources.len()))
                        }),
                        extracted,
                    ),
                    Err(e) => (
                        Err(FailureRecord {
                            file: src.meta.file.clone(),
                            reason: format!("could not be indexed: {e}"),
                        }),
                        extracted,
                    ),
                }
            }
            Err(f) => (Err(FailureRecord { file: f.file, reason: f.reason }), true),
        }
    };
    todo.par_iter().for_each(|(i, src, sup, replacing)| {
        let (mut outcome, mut extracted) = index_one(src, sup);
        let mut stood_in_for = None;
        if let (Err(failed), Some(standin)) = (&outcome, &src.standin) {
            // The official copy cannot be indexed: its stand-in keeps the
            // document searchable, and says so; the failure is still reported.
            writer.delete_term(Term::from_field_text(fields.doc, &src.meta.id));
            let (fallback, read) = index_one(standin, sup);
            extracted |= read;
            if let Ok(mut d) = fallback {
                d.warnings.insert(
                    0,
                    format!("indexed in place of {}, which could not be indexed ({})", failed.file, failed.reason),
                );
                stood_in_for = Some(failed.clone());
                outcome = Ok(d);
            }
        }
        let (pages, failed) = match &outcome {
            Ok(r) => (r.pages, false),
            Err(_) => (0, true),
        };
        on_event(BuildEvent::Finished { file: src.meta.file.clone(), pages, failed });
        results.lock().unwrap_or_else(|p| p.into_inner()).push((*i, *replacing, outcome, extracted, stood_in_for));
    });

    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by_key(|(i, ..)| *i);
    let mut docs = kept;
    for (_, replacing, r, extracted, stood_in_for) in results {
        report.extracted += usize::from(extracted);
        report.failures.extend(stood_in_for);
        match r {
            Ok(d) => {
                if replacing {
                    report.changed += 1;
                } else {
                    report.added += 1;
                }
                docs.push(d);
            }
            Err(f) => report.failures.push(f),
        }
    }
    report.failures.sort_by(|a, b| a.file.cmp(&b.file));
    let order: HashMap<&str, usize> = sources.iter().enumerate().map(|(i, s)| (s.meta.id.as_str(), i)).collect();
    docs.sort_by_key(|d| order.get(d.id.as_str()).copied().unwrap_or(usize::MAX));
    for d in &docs {
        report.pages += u64::from(d.pages);
        report.chunks += u64::from(d.chunks);
        report.warnings.extend(d.warnings.iter().map(|w| (d.file.clone(), w.clone())));
    }
    report.docs = docs.len();

    if docs.is_empty() {
        drop(writer);
        let _ = std::fs::remove_dir_all(&building);
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }
    let mut writer = writer;
    writer.commit().map_err(|e| Error::index(&building, e))?;
    writer.wait_merging_threads().map_err(|e| Error::index(&building, e))?;

    (report.references, report.unresolved) = super::refs::resolve_all(&mut docs);
    let meta = IndexMeta {
        schema_version: schema::SCHEMA_VERSION,
        built_at: SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
        corpus: opts.corpus_dir.clone(),
        docs,
        failures: report.failures.clone(),
    };
    super::write_meta(&building, &meta, write_synced)?;

    // Swap: the generation gets its final name, then CURRENT is replaced.
    let name = format!("gen-{}", stamp());
    let generation = opts.index_dir.join(&name);
    std::fs::rename(&building, &generation).map_err(|e| Error::io(&generation, e))?;
    let tmp = opts.index_dir.join(format!("{CURRENT}.tmp"));
    write_synced(&tmp, name.as_bytes())?;
    std::fs::rename(&tmp, opts.index_dir.join(CURRENT)).map_err(|e| Error::io(&opts.index_dir.join(CURRENT), e))?;
    if let Ok(dir) = File::open(&opts.index_dir) {
        let _ = dir.sync_all();
    }
    remove_leftovers(&opts.index_dir, Some(&name));
    super::cache::prune(&cache_dir, &sources.iter().map(|s| s.sha256.clone()).collect());

    report.swapped = true;
    report.generation = generation;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// One document processed: (position in the corpus, replaces an indexed
/// document, its record or why it failed, read from the PDF now).
/// (source's place, replacing a previous record, the outcome, read from the
/// PDF, the official copy that failed when its stand-in was indexed instead).
type Done = (usize, bool, std::result::Result<DocRecord, FailureRecord>, bool, Option<FailureRecord>);

/// What is wrong with a damaged index, without the advice to rebuild it
/// (this build is that).
fn damage(e: &Error) -> String {
    e.to_string().trim_end_matches("; run `riskreg index` to rebuild").to_string()
}

/// Whether a generation can be built upon: tantivy opens it and every file
/// it lists is whole (checksums), so that a truncated segment or a missing
/// `meta.json` is found by `index`, not by the next search.
fn sound(gen: &Path, meta: &IndexMeta) -> Result<()> {
    let opened = super::open::open_with_meta(gen, meta.clone())?;
    let damaged = opened.index.validate_checksum().map_err(|e| Error::index(gen, e))?;
    match damaged.iter().next() {
        None => Ok(()),
        Some(file) => Err(Error::index(gen, format!("{} is damaged (its checksum does not match)", file.display()))),
    }
}

/// A document whose bytes, citation metadata and version status are as the
/// previous build left them need not be touched.
fn unchanged(old: &DocRecord, src: &ingest::SourceFile, superseded_by: &Option<String>) -> bool {
    let m = &src.meta;
    old.sha256 == src.sha256
        && old.file == m.file
        && old.origin == m.origin
        && old.version == m.version
        && old.date == m.date
        && old.supersedes == m.supersedes
        && old.publisher == m.publisher
        && old.url == m.url
        && old.accessed == m.accessed
        && &old.superseded_by == superseded_by
        && (m.origin == ingest::Origin::Local || old.title == m.title)
}

/// Copy a generation for an incremental build: tantivy never rewrites a
/// segment file, so those are hard-linked; its metadata files are copied
/// (tantivy replaces them by rename, which leaves the old generation whole).
fn link_copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io(to, e))?;
    let entries = std::fs::read_dir(from).map_err(|e| Error::io(from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".lock") || name == META {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        let linked = !name.ends_with(".json") && std::fs::hard_link(&src, &dst).is_ok();
        if !linked {
            std::fs::copy(&src, &dst).map_err(|e| Error::io(&dst, e))?;
        }
    }
    Ok(())
}

/// Replace a file that readers may be reading: written aside, then renamed.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    write_synced(&tmp, bytes)?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = File::create(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).and_then(|_| f.sync_all()).map_err(|e| Error::io(path, e))
}

/// Remove builds that were killed and generations no longer current. Only
/// called while holding the lock.
fn remove_leftovers(index_dir: &Path, keep: Option<&str>) {
    let Ok(entries) = std::fs::read_dir(index_dir) else { return };
    let current = std::fs::read_to_string(index_dir.join(CURRENT)).unwrap_or_default();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale_build = name.starts_with(".build-");
        let old_gen = name.starts_with("gen-") && Some(name.as_str()) != keep && name != current.trim();
        if stale_build || (keep.is_some() && old_gen) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn record(
    doc: &Ingested,
    superseded_by: Option<String>,
    (size, modified): (u64, u64),
    (names, files): (&crate::xref::Names, usize),
) -> DocRecord {
    let m: &DocMeta = &doc.meta;
    let (paragraphs, anchors, references) = super::refs::found(&doc.structure, m, names, files);
    let (acronyms, definitions) = super::terms::found(&doc.structure);
    let defined = super::terms::defined_keys(&definitions);
    DocRecord {
        id: m.id.clone(),
        title: m.title.clone(),
        display_title: m.display_title(),
        short_title: short_title(m),
        version: m.version.clone(),
        date: m.date.clone(),
        origin: m.origin,
        file: m.file.clone(),
        file_bytes: None,
        sha256: doc.sha256.clone(),
        size,
        modified,
        pages: doc.page_count,
        chunks: doc.chunks.len() as u32,
        supersedes: m.supersedes.clone(),
        publisher: m.publisher.clone(),
        url: m.url.clone(),
        accessed: m.accessed.clone(),
        superseded_by,
        chapter_source: doc.structure.chapter_source,
        toc: ingest::toc(&doc.structure.chapters)
            .into_iter()
            .map(|c| TocEntry {
                number: c.number,
                title: c.title,
                heading: c.heading,
                level: c.level,
                parent: c.parent,
                printed_start: c.printed_start,
                printed_end: c.printed_end,
                pdf_start: c.start_page,
                pdf_end: c.end_page,
            })
            .collect(),
        warnings: doc.warnings.clone(),
        page_labels: doc.structure.pages.iter().map(|p| p.printed.clone()).collect(),
        paragraphs,
        anchors,
        references,
        acronyms,
        defined,
        definitions,
    }
}

/// The title a citation line shows: the manifest's short title, else the
/// title shortened; stand-ins say they are samples.
fn short_title(m: &DocMeta) -> String {
    let short = m.short_title.clone().unwrap_or_else(|| crate::text::short_title(&m.title));
    match m.origin {
        ingest::Origin::Sample => format!("{short} (sample)"),
        _ => short,
    }
}

/// A number for the document that stays the same from build to build (so
/// chapter ids of untouched documents never collide with new ones).
fn doc_key(id: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(id.as_bytes());
    u64::from_be_bytes([0, 0, 0, h[0], h[1], h[2], h[3], h[4]])
}

fn add_chunks(writer: &IndexWriter, f: &Fields, doc: &Ingested, current: bool) -> tantivy::Result<()> {
    let m = &doc.meta;
    let titles = (m.display_title(), short_title(m));
    let key = doc_key(&m.id);
    for c in &doc.chunks {
        let chapter_id = (key << 20) | c.chapter_ordinal as u64;
        writer.add_document(chunk_document(f, m, &titles, c, chapter_id, current))?;
    }
    Ok(())
}

/// A page's text in one chapter: the document most searches answer with.
fn chunk_document(
    f: &Fields,
    m: &DocMeta,
    titles: &(String, String),
    c: &Chunk,
    chapter_id: u64,
    current: bool,
) -> TantivyDocument {
    let mut d = page_document(f, m, titles, c, chapter_id, current);
    d.add_u64(f.contents, u64::from(c.is_contents));
    for p in c.continues.iter().chain(c.paragraphs.iter().map(|(_, n)| n)) {
        d.add_text(f.para, p);
    }
    let offsets: Vec<(usize, &str)> = c.paragraphs.iter().map(|(o, n)| (*o, n.as_str())).collect();
    d.add_text(f.para_offsets, serde_json::to_string(&offsets).expect("offsets serialise"));
    if let Some(cont) = &c.continues {
        d.add_text(f.continues, cont);
    }
    d.add_u64(f.tail_start, c.tail_start as u64);
    d.add_text(f.tail_page, c.tail_page.as_ref().map_or("", |(label, _)| label.as_str()));
    d.add_text(f.breaks, serde_json::to_string(&c.breaks).expect("breaks serialise"));
    d.add_text(f.body, &c.text);
    d.add_text(f.body_exact, &c.text);
    if !c.notes.is_empty() {
        let texts: Vec<&str> = c.notes.iter().map(|n| n.text.as_str()).collect();
        let joined = texts.join("\n");
        d.add_text(f.body, &joined);
        d.add_text(f.body_exact, &joined);
        let stored: Vec<(&str, Option<&str>, &str)> =
            c.notes.iter().map(|n| (n.number.as_str(), n.paragraph.as_deref(), n.text.as_str())).collect();
        d.add_text(f.notes_json, serde_json::to_string(&stored).expect("notes serialise"));
    }
    d
}

/// Document, chapter and page: what every chunk carries.
fn page_document(
    f: &Fields,
    m: &DocMeta,
    (display, short): &(String, String),
    c: &Chunk,
    chapter_id: u64,
    current: bool,
) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(f.doc, &m.id);
    d.add_text(f.doc_title, display);
    d.add_text(f.doc_short_title, short);
    d.add_text(f.version, m.version.as_deref().unwrap_or(""));
    d.add_text(f.date, m.date.as_deref().unwrap_or(""));
    d.add_u64(f.current, u64::from(current));
    d.add_text(f.chapter, &c.chapter.number);
    d.add_u64(f.chapter_ordinal, c.chapter_ordinal as u64);
    d.add_u64(f.chapter_id, chapter_id);
    d.add_text(f.chapter_heading, &c.chapter.heading);
    d.add_text(f.chapter_title, &c.chapter.title);
    if let Some(parent) = &c.chapter.parent {
        d.add_text(f.chapter_parent, parent);
    }
    d.add_text(f.chapter_start, &c.chapter.printed_start);
    d.add_text(f.chapter_end, &c.chapter.printed_end);
    d.add_u64(f.chapter_start_pdf, u64::from(c.chapter.start_page));
    d.add_u64(f.chapter_end_pdf, u64::from(c.chapter.end_page));
    if let Ok(n) = c.printed.parse::<u64>() {
        d.add_u64(f.page, n);
    }
    d.add_text(f.page_label, &c.printed);
    d.add_text(f.page_source, schema::label_source_name(c.page_source));
    d.add_u64(f.pdf_page, u64::from(c.physical));
    d.add_text(f.file, &m.file);
    d
}
