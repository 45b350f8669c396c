//! `riskreg mcp`.

use crate::cli::Cli;
use crate::error::{ExitCode, Result};
use crate::mcp::{self, Config};

/// Open the index as `serve` does (building a missing or old one first,
/// saying so on standard error), then answer the assistant until it closes
/// standard input.
pub fn run(cli: &Cli) -> Result<ExitCode> {
    let vocabulary = super::vocabulary(&cli.corpus)?;
    let mut opened = super::open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    mcp::run(Config { index_dir: cli.index.clone(), corpus_dir: cli.corpus.clone(), vocabulary }, opened)?;
    Ok(ExitCode::Success)
}
