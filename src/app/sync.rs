//! `riskreg sync` and `riskreg sync --discover`.

use crate::cli::{Cli, SyncArgs};
use crate::corpus::Manifest;
use crate::discover;
use crate::error::{exit, Error, Result};
use crate::render::{human, json, progress::Progress};
use crate::sync::{self, Outcome, SyncEvent, SyncOptions};

pub fn run(cli: &Cli, args: &SyncArgs) -> Result<i32> {
    if let Some(url) = &args.discover {
        return discover_cmd(cli, args, url);
    }
    let mut opts = SyncOptions::new(cli.corpus.clone());
    opts.dry_run = args.dry_run;
    opts.allow_http = args.allow_http;
    opts.only = args.only.clone();
    opts.max_bytes = args.max_mb.saturating_mul(1024 * 1024);
    let bar = Progress::new(0, "syncing");
    let report = sync::sync(&opts, &|e| match e {
        SyncEvent::Started { total } => bar.set_len(total as u64),
        SyncEvent::Done { id } => bar.tick(id),
    });
    bar.finish();
    let report = report?;
    let text = if args.out.json {
        json::to_string(&json::sync_report(&report))
    } else {
        human::sync_report(&report, args.dry_run)
    };
    super::emit(&text)?;
    let failed = report.count(|o| matches!(o, Outcome::Failed(_)));
    Ok(if failed == 0 {
        exit::OK
    } else if failed == report.items.len() {
        exit::ERROR
    } else {
        exit::PARTIAL
    })
}

fn discover_cmd(cli: &Cli, args: &SyncArgs, url: &str) -> Result<i32> {
    let manifest = Manifest::load(&cli.corpus)?;
    let html = if url.starts_with("https://") || (url.starts_with("http://") && args.allow_http) {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(std::time::Duration::from_secs(60))).build().into();
        let mut resp = agent.get(url).call().map_err(|e| Error::Usage(format!("{url}: {e}")))?;
        resp.body_mut()
            .with_config()
            .limit(20 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| Error::Usage(format!("{url}: {e}")))?
    } else if url.starts_with("http://") {
        return Err(Error::Usage(format!(
            "{url}: plain http is refused; use https, or --allow-http for a trusted mirror"
        )));
    } else {
        std::fs::read_to_string(url).map_err(|e| Error::io(std::path::Path::new(url), e))?
    };
    let base = if url.contains("://") { url.to_string() } else { "https://www.ofcom.org.uk/".to_string() };
    let listed = discover::parse_listing(&html, &base);
    let proposals = discover::propose(&manifest, &listed, "Ofcom");
    if args.write && !proposals.is_empty() {
        let path = cli.corpus.join("sources.toml");
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str("\n# --- added by `riskreg sync --discover` ---\n");
        for p in &proposals {
            text.push('\n');
            text.push_str(&discover::to_toml(p));
        }
        // Only a manifest that still validates is written.
        Manifest::from_str(&text, &cli.corpus, &path.display().to_string())?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, &text).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    }
    let out = if args.out.json {
        json::to_string(&json::discover(&listed, &proposals))
    } else {
        human::discover(&listed, &proposals, args.write)
    };
    super::emit(&out)?;
    Ok(exit::OK)
}
