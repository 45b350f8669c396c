//! `riskreg sync` and `riskreg sync --discover`.

use crate::cli::{Cli, SyncArgs};
use crate::corpus::Manifest;
use crate::discover;
use crate::error::{ExitCode, Result};
use crate::render::{human, json, progress::Progress};
use crate::sync::{self, Outcome, SyncEvent, SyncOptions};

pub fn run(cli: &Cli, args: &SyncArgs) -> Result<ExitCode> {
    if let Some(url) = &args.discover {
        return discover_cmd(cli, args, url);
    }
    let mut opts = SyncOptions::new(cli.corpus.clone());
    opts.dry_run = args.dry_run;
    opts.allow_http = args.allow_http;
    opts.only = args.only.clone();
    opts.max_bytes = args.max_mb.saturating_mul(1024 * 1024);
    opts.stall = std::time::Duration::from_secs(args.stall_timeout);
    opts.extract = super::extract_options();
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
        ExitCode::Success
    } else if failed == report.items.len() {
        ExitCode::Error
    } else {
        ExitCode::SomeFailed
    })
}

fn discover_cmd(cli: &Cli, args: &SyncArgs, url: &str) -> Result<ExitCode> {
    let manifest = Manifest::load(&cli.corpus)?;
    let (html, base) = discover::fetch_listing(url, args.allow_http, &manifest)?;
    let listed = discover::parse_listing(&html, &base);
    let proposals = discover::propose(&manifest, &listed, &discover::publisher(&manifest));
    if args.write && !proposals.is_empty() {
        let tables: Vec<String> = proposals.iter().map(discover::to_toml).collect();
        Manifest::append(&cli.corpus, "`riskreg sync --discover`", &tables)?;
    }
    let out = if args.out.json {
        json::to_string(&json::discover(&listed, &proposals))
    } else {
        human::discover(&listed, &proposals, args.write)
    };
    super::emit(&out)?;
    Ok(ExitCode::Success)
}
