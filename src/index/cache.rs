//! Extracted pages, cached by the PDF's sha256 in `<index>/cache/`, so that
//! an unchanged document is never extracted twice — not after a schema
//! change, not when a newer edition makes it superseded.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::extract::{OutlineEntry, RawDocument, RawPage};

/// Bumped when extraction changes what it produces for the same bytes
/// (2: raised small digits are written as superscript digits).
pub const EXTRACT_VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct Cached {
    extract_version: u32,
    page_count: u32,
    title: Option<String>,
    /// (level, title, physical page)
    outline: Vec<(u32, String, u32)>,
    pages: Vec<CachedPage>,
    warnings: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct CachedPage {
    text: String,
    label: Option<String>,
    extractor: String,
}

fn path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(format!("{sha256}.json"))
}

/// The cached extraction of the PDF with this hash, if there is a usable one.
pub fn load(dir: &Path, sha256: &str, file: &Path) -> Option<RawDocument> {
    let text = std::fs::read_to_string(path(dir, sha256)).ok()?;
    let c: Cached = serde_json::from_str(&text).ok()?;
    if c.extract_version != EXTRACT_VERSION || c.pages.len() != c.page_count as usize {
        return None;
    }
    Some(RawDocument {
        path: file.to_path_buf(),
        page_count: c.page_count,
        pages: c
            .pages
            .into_iter()
            .enumerate()
            .map(|(i, p)| RawPage {
                number: i as u32 + 1,
                text: p.text,
                label: p.label,
                extractor: extractor_name(&p.extractor),
            })
            .collect(),
        outline: c.outline.into_iter().map(|(level, title, page)| OutlineEntry { level, title, page }).collect(),
        title: c.title,
        warnings: c.warnings,
    })
}

fn extractor_name(s: &str) -> &'static str {
    match s {
        "pdf-extract" => "pdf-extract",
        "pdf_oxide" => "pdf_oxide",
        "lopdf" => "lopdf",
        "none" => "none",
        _ => "cache",
    }
}

/// Keep an extraction; written to a temporary file and renamed, so a killed
/// build never leaves half a cache entry.
pub fn store(dir: &Path, sha256: &str, doc: &RawDocument) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let c = Cached {
        extract_version: EXTRACT_VERSION,
        page_count: doc.page_count,
        title: doc.title.clone(),
        outline: doc.outline.iter().map(|o| (o.level, o.title.clone(), o.page)).collect(),
        pages: doc
            .pages
            .iter()
            .map(|p| CachedPage { text: p.text.clone(), label: p.label.clone(), extractor: p.extractor.to_string() })
            .collect(),
        warnings: doc.warnings.clone(),
    };
    let tmp = dir.join(format!(".{sha256}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec(&c).map_err(std::io::Error::other)?)?;
    std::fs::rename(&tmp, path(dir, sha256))
}

/// Remove entries for PDFs no longer in the corpus.
pub fn prune(dir: &Path, keep: &std::collections::HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stem = name.strip_suffix(".json").unwrap_or(&name);
        if !keep.contains(stem) || name.starts_with('.') {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
