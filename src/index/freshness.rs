//! Whether the index is current: PDFs new, changed or gone in the corpus
//! since it was built (found by a walk and each file's size and time, never
//! by reading the files), and editions the manifest lists that the index
//! lacks.

use std::path::Path;
use std::time::UNIX_EPOCH;

use super::IndexMeta;
use crate::corpus::{Manifest, SourceEntry};
use crate::error::Result;

/// A file's size and modification time (nanoseconds since the Unix epoch);
/// (0, 0) when it cannot be read.
pub fn stamp(path: &Path) -> (u64, u64) {
    let Ok(m) = std::fs::metadata(path) else { return (0, 0) };
    let modified = m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as u64);
    (m.len(), modified)
}

/// PDFs (paths relative to the corpus folder) that differ from the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staleness {
    /// In the corpus, not in the index (nor among the files that failed).
    pub new: Vec<String>,
    /// In both, with another size or time than when indexed.
    pub changed: Vec<String>,
    /// In the index, no longer in the corpus.
    pub gone: Vec<String>,
}

impl Staleness {
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.changed.is_empty() && self.gone.is_empty()
    }
}

/// How the corpus differs from what `meta` was built from.
pub fn staleness(meta: &IndexMeta, corpus_dir: &Path, manifest: &Manifest) -> Result<Staleness> {
    let mut out = Staleness::default();
    let (files, bad, aside) = crate::ingest::identify(corpus_dir, manifest)?;
    for (path, m) in &files {
        match meta.docs.iter().find(|d| d.file == m.file) {
            // An index from before sizes and times were kept cannot tell.
            Some(d) if (d.size, d.modified) == (0, 0) => {}
            Some(d) if (d.size, d.modified) != stamp(path) => out.changed.push(m.file.clone()),
            Some(_) => {}
            None if meta.failures.iter().any(|f| f.file == m.file) => {}
            None => out.new.push(m.file.clone()),
        }
    }
    // An entry that cannot be read (a link to nothing, a FIFO) is new until a
    // build has reported it.
    for f in &bad {
        if !meta.failures.iter().any(|g| g.file == f.file) && !meta.docs.iter().any(|d| d.file == f.file) {
            out.new.push(f.file.clone());
        }
    }
    // A stand-in indexed because its official copy failed is still there.
    out.gone = meta
        .docs
        .iter()
        .filter(|d| !files.iter().chain(&aside).any(|(_, m)| m.file == d.file))
        .map(|d| d.file.clone())
        .collect();
    Ok(out)
}

/// An edition the manifest lists that is not in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentEdition {
    pub id: String,
    /// Its publication date, YYYY-MM-DD.
    pub date: String,
    /// Its PDF is in the corpus folder (but not indexed, or failed).
    pub downloaded: bool,
}

fn absent(meta: &IndexMeta, corpus_dir: &Path, entry: &SourceEntry) -> Option<AbsentEdition> {
    if meta.doc(&entry.id).is_some() {
        return None;
    }
    let official = [entry.official_path(), format!("{}/{}.pdf", crate::corpus::OFFICIAL_DIR, entry.id)];
    let downloaded = official.iter().any(|p| corpus_dir.join(p).is_file())
        || entry.sample.as_ref().is_some_and(|s| corpus_dir.join(s).is_file());
    Some(AbsentEdition { id: entry.id.clone(), date: entry.date.clone(), downloaded })
}

/// The edition that replaces indexed document `id`, when the manifest
/// lists one and the index lacks it.
pub fn newer_absent(meta: &IndexMeta, corpus_dir: &Path, manifest: &Manifest, id: &str) -> Option<AbsentEdition> {
    if meta.doc(id).is_some_and(|d| d.superseded_by.is_some()) {
        return None;
    }
    absent(meta, corpus_dir, manifest.superseded_by(id)?)
}

/// The edition indexed document `id` replaces, when the manifest lists it
/// and the index lacks it.
pub fn older_absent(meta: &IndexMeta, corpus_dir: &Path, manifest: &Manifest, id: &str) -> Option<AbsentEdition> {
    let older = meta.doc(id)?.supersedes.as_deref()?;
    absent(meta, corpus_dir, manifest.get(older)?)
}
