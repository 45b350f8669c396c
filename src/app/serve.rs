//! `riskreg serve`.

use std::time::Duration;

use crate::cli::Cli;
use crate::error::{Error, ExitCode, Result};
use crate::serve::{self, Config, Connections};

pub fn run(
    cli: &Cli,
    addr: &str,
    timeout_ms: u64,
    allow_hosts: &[String],
    connections: Connections,
    json: bool,
) -> Result<ExitCode> {
    let allow_hosts =
        allow_hosts.iter().map(|h| serve::host::check_allow_host(h)).collect::<std::result::Result<Vec<_>, _>>();
    let allow_hosts = allow_hosts.map_err(|m| Error::Usage(format!("--allow-host {m}")))?;
    let vocabulary = super::vocabulary(&cli.corpus)?;
    let mut opened = super::open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let config = Config {
        vocabulary,
        harms: serve::Harms {
            file: cli.corpus.join(crate::vocab::FILE_NAME),
            order: super::manifest(cli).docs.iter().map(|e| e.id.clone()).collect(),
        },
        addr: addr.to_string(),
        index_dir: cli.index.clone(),
        corpus_dir: cli.corpus.clone(),
        timeout: Duration::from_millis(timeout_ms),
        json,
        allow_hosts,
        connections,
    };
    serve::run(config, opened)?;
    Ok(ExitCode::Success)
}
