//! Where the corpus and the index live when the command line does not say.
//!
//! The corpus: `--corpus DIR` (or `RISKREG_CORPUS`); else `./corpus` when
//! riskreg runs in its project folder; else the user's data folder,
//! `$XDG_DATA_HOME/riskreg/corpus` (`~/.local/share/riskreg/corpus`), when
//! that exists. The index: `--index DIR` (or `RISKREG_INDEX`); else the
//! folder `index` beside the corpus folder (`./index`, or
//! `~/.local/share/riskreg/index`).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The user's data folder for riskreg: `$XDG_DATA_HOME/riskreg`, else
/// `$HOME/.local/share/riskreg`.
fn data_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).filter(|p| p.is_absolute());
    let base = xdg.or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("riskreg"))
}

/// The corpus folder to use, or why there is none.
pub fn corpus(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = given {
        return Ok(dir.to_path_buf());
    }
    let here = PathBuf::from("corpus");
    if here.is_dir() {
        return Ok(here);
    }
    let data = data_dir().map(|d| d.join("corpus"));
    if let Some(d) = data.as_ref().filter(|d| d.is_dir()) {
        return Ok(d.clone());
    }
    let put = match &data {
        Some(d) => format!(", or put the PDFs in {}", d.display()),
        None => String::new(),
    };
    Err(Error::NoCorpus {
        path: None,
        hint: format!(
            "there is no corpus folder here{}; run riskreg from its project folder, name the folder with --corpus DIR (or RISKREG_CORPUS=DIR){put}",
            data.as_ref().map(|d| format!(" nor in {}", d.display())).unwrap_or_default()
        ),
    })
}

/// The index folder to use: as given, else `index` beside the corpus.
pub fn index(given: Option<&Path>, corpus: &Path) -> PathBuf {
    if let Some(dir) = given {
        return dir.to_path_buf();
    }
    match corpus.parent() {
        Some(parent) => parent.join("index"),
        None => PathBuf::from("index"),
    }
}

/// Fails, before anything is built, when the corpus folder is not there.
pub fn check_corpus(corpus: &Path) -> Result<()> {
    if corpus.is_dir() {
        return Ok(());
    }
    Err(Error::NoCorpus {
        path: Some(corpus.to_path_buf()),
        hint: "no such folder; name the folder of guidance PDFs with --corpus DIR (or RISKREG_CORPUS=DIR)".into(),
    })
}
