//! Opening the current generation for reading.

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexReader, ReloadPolicy};

use super::schema::{self, Fields};
use super::{current_generation, read_meta, IndexMeta};
use crate::error::{Error, Result};

/// An index open for searching.
pub struct OpenIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub meta: IndexMeta,
    pub generation: PathBuf,
}

/// Open the generation `CURRENT` names. A build may swap generations while
/// this runs; one that vanishes under us is looked up again.
pub fn open(index_dir: &Path) -> Result<OpenIndex> {
    let mut last_err = None;
    for _ in 0..3 {
        let Some(gen) = current_generation(index_dir)? else {
            return Err(Error::index(index_dir, "no index here yet; run `riskreg index` to build one"));
        };
        match open_generation(&gen) {
            Ok(o) => return Ok(o),
            Err(e) if !gen.exists() => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| Error::index(index_dir, "the index changed while opening it; try again")))
}

fn open_generation(gen: &Path) -> Result<OpenIndex> {
    open_with_meta(gen, read_meta(gen)?)
}

/// Open a generation whose metadata the caller has already read (the
/// metadata of a large corpus is worth parsing once, not twice).
pub fn open_with_meta(gen: &Path, meta: IndexMeta) -> Result<OpenIndex> {
    if meta.schema_version != schema::SCHEMA_VERSION {
        return Err(Error::index(
            gen,
            format!(
                "built by index schema version {} but this riskreg uses version {}; run `riskreg index` to rebuild",
                meta.schema_version,
                schema::SCHEMA_VERSION
            ),
        ));
    }
    let index = Index::open_in_dir(gen)
        .map_err(|e| Error::index(gen, format!("damaged index ({e}); run `riskreg index` to rebuild")))?;
    let (_, fields) = schema::build();
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| Error::index(gen, format!("damaged index ({e}); run `riskreg index` to rebuild")))?;
    Ok(OpenIndex { index, reader, fields, meta, generation: gen.to_path_buf() })
}
