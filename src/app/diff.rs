//! `riskreg diff`: what changed between two editions of a document.

use crate::cli::{Cli, OutputArgs};
use crate::error::{Error, ExitCode, Result};
use crate::index::{AbsentEdition, DocRecord, IndexMeta};
use crate::render::{self, human, json};

pub fn run(cli: &Cli, doc: &str, old: Option<&str>, new: Option<&str>, out: &OutputArgs) -> Result<ExitCode> {
    let opened = super::open_or_build(cli)?;
    let meta = &opened.meta;
    let manifest = super::manifest(cli);
    let absent = |id: &str| {
        (
            crate::index::freshness::newer_absent(meta, &cli.corpus, &manifest, id),
            crate::index::freshness::older_absent(meta, &cli.corpus, &manifest, id),
        )
    };
    let (old, new) = pick(meta, doc, old, new, &absent)?;
    let a = structure_of(cli, old)?;
    let b = structure_of(cli, new)?;
    let d = crate::diff::diff(&a, &b);
    let text = if out.json {
        json::to_string(&json::diff(old, new, &d))
    } else {
        human::diff(old, new, &d, render::use_color(render::Color::Auto))
    };
    super::emit(&text)?;
    Ok(ExitCode::Success)
}

/// The newer and the older edition of a document that the manifest lists
/// and the index lacks.
type NewerOlder = (Option<AbsentEdition>, Option<AbsentEdition>);

fn pick<'a>(
    meta: &'a IndexMeta,
    doc: &str,
    old: Option<&str>,
    new: Option<&str>,
    absent: &dyn Fn(&str) -> NewerOlder,
) -> Result<(&'a DocRecord, &'a DocRecord)> {
    let d = meta.check_doc(doc)?;
    let editions = meta.editions(d);
    let find = |key: &str| -> Result<&'a DocRecord> {
        editions
            .iter()
            .copied()
            .find(|e| e.id == key || e.version.as_deref() == Some(key))
            .or_else(|| meta.doc(key))
            .ok_or_else(|| {
                let known: Vec<String> = editions
                    .iter()
                    .map(|e| format!("{} (version {})", e.id, e.version.as_deref().unwrap_or("-")))
                    .collect();
                Error::Usage(format!("\"{key}\" is not an edition of {doc}; its editions are {}", known.join(", ")))
            })
    };
    let pair = match (old, new) {
        (Some(o), Some(n)) => (find(o)?, find(n)?),
        (Some(o), None) => (find(o)?, *editions.last().expect("chain holds doc")),
        (None, _) if editions.len() >= 2 => {
            let i = editions.iter().position(|e| e.id == d.id).unwrap_or(0);
            if i + 1 < editions.len() {
                (editions[i], editions[i + 1])
            } else {
                (editions[i - 1], editions[i])
            }
        }
        (None, _) => {
            let (newer, older) = absent(&d.id);
            let missing: Vec<String> = [("newer", newer), ("older", older)]
                .into_iter()
                .filter_map(|(which, e)| {
                    let e = e?;
                    Some(format!("its {which} edition {} ({}) is {}", e.id, e.date, super::absent_why(&e)))
                })
                .collect();
            if !missing.is_empty() {
                return Err(Error::Usage(format!("{doc} has no other edition in the index: {}", missing.join("; "))));
            }
            return Err(Error::Usage(format!(
                "{doc} has no other edition in the index (no `supersedes` link either way); name two documents: riskreg diff {doc} OLD NEW"
            )));
        }
    };
    if pair.0.id == pair.1.id {
        return Err(Error::Usage(format!("both sides are {}; name two different editions", pair.0.id)));
    }
    Ok(pair)
}

/// A document's structure, from the extraction cache when it has it.
pub(crate) fn structure_of(cli: &Cli, d: &DocRecord) -> Result<crate::structure::Structure> {
    let path = cli.corpus.join(d.rel_path());
    let raw = match crate::index::cached_extraction(&cli.index, d, &path) {
        Some(raw) => raw,
        None => crate::extract::extract_document(&path, &super::extract_options())
            .map_err(|e| Error::Extract { path: e.path, reason: e.reason })?,
    };
    Ok(crate::structure::analyse(&raw))
}
