//! `riskreg serve`.

use std::time::Duration;

use crate::cli::Cli;
use crate::error::{ExitCode, Result};
use crate::serve::{self, Config};

pub fn run(cli: &Cli, addr: &str, timeout_ms: u64, json: bool) -> Result<ExitCode> {
    let mut opened = super::open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let config = Config {
        addr: addr.to_string(),
        index_dir: cli.index.clone(),
        corpus_dir: cli.corpus.clone(),
        timeout: Duration::from_millis(timeout_ms),
        json,
    };
    serve::run(config, opened)?;
    Ok(ExitCode::Success)
}
