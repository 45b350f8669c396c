//! `riskreg inspect FILE.pdf`: what ingest sees in one file.

use std::path::Path;

use crate::cli::OutputArgs;
use crate::error::{Error, ExitCode, Result};
use crate::render::json;
use crate::structure;

pub fn run(file: &Path, with_text: bool, out: &OutputArgs) -> Result<ExitCode> {
    let raw = crate::extract::extract_document(file, &super::extract_options())
        .map_err(|e| Error::Extract { path: e.path, reason: e.reason })?;
    let s = structure::analyse(&raw);
    let report = json::inspect(&raw, &s, with_text);
    let text = if out.json { json::to_string(&report) } else { crate::render::human::inspect(&report) };
    super::emit(&text)?;
    Ok(ExitCode::Success)
}
