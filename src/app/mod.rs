//! The glue between the command line and the library: one function per
//! subcommand. The only place that decides exit codes.

mod diff;
mod inspect;
mod search;
mod serve;
mod sync;

use std::path::Path;

use crate::cli::{Cli, Command, OutputArgs};
use crate::error::{exit, Error, Result};
use crate::extract::ExtractOptions;
use crate::index::{self, BuildEvent, BuildOptions, BuildReport, Opened, State};
use crate::render::{self, human, json, progress::Progress};

/// Run a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match &cli.command {
        Command::Index(out) => index_cmd(&cli, out),
        Command::Search(args) => search::run(&cli, args),
        Command::Docs(out) => docs(&cli, out),
        Command::Toc { doc, out } => toc(&cli, doc, out),
        Command::Show { doc, page, pdf_page, out } => show(&cli, doc, page.as_deref(), *pdf_page, out),
        Command::Inspect { file, text, out } => inspect::run(file, *text, out),
        Command::Sync(args) => sync::run(&cli, args),
        Command::Diff { doc, old, new, out } => diff::run(&cli, doc, old.as_deref(), new.as_deref(), out),
        Command::Serve { addr, timeout_ms } => serve::run(&cli, addr, *timeout_ms),
    }
}

pub(crate) fn extract_options() -> ExtractOptions {
    let exe = std::env::current_exe().unwrap_or_else(|_| "riskreg".into());
    ExtractOptions::with_worker(exe)
}

/// Build the index with a progress bar on a terminal.
pub(crate) fn build(cli: &Cli) -> Result<BuildReport> {
    let opts =
        BuildOptions { corpus_dir: cli.corpus.clone(), index_dir: cli.index.clone(), extract: extract_options() };
    let bar = Progress::new(0, "indexing");
    let on_event = |e: BuildEvent| match e {
        BuildEvent::Found { files } => bar.set_len(files as u64),
        BuildEvent::Finished { file, .. } => bar.tick(&file),
    };
    let report = index::build(&opts, &on_event);
    bar.finish();
    report
}

fn build_exit_code(r: &BuildReport) -> i32 {
    if !r.swapped {
        exit::ERROR
    } else if r.failures.is_empty() {
        exit::OK
    } else {
        exit::PARTIAL
    }
}

fn index_cmd(cli: &Cli, out: &OutputArgs) -> Result<i32> {
    if let State::Stale { found } = index::state(&cli.index)? {
        render::note(&format!(
            "{}: index built by schema version {found}; rebuilding for version {}",
            cli.index.display(),
            index::schema::SCHEMA_VERSION
        ));
    }
    let report = build(cli)?;
    let text = if out.json { json::to_string(&json::build_report(&report)) } else { human::build_report(&report) };
    emit(&text)?;
    Ok(build_exit_code(&report))
}

/// Open the index, building it first when there is none or it is of another
/// schema version.
pub(crate) fn open_or_build(cli: &Cli) -> Result<Opened> {
    let why = match index::state(&cli.index)? {
        State::Ready(gen, meta) => match index::open::open_with_meta(&gen, meta) {
            Ok(opened) => return Ok(opened),
            // Swapped by a build meanwhile: open the new one below.
            Err(_) => None,
        },
        State::Missing => {
            Some(format!("no index in {} yet: building it from {} first", cli.index.display(), cli.corpus.display()))
        }
        State::Stale { found } => Some(format!(
            "{}: index built by schema version {found}; rebuilding it for version {}",
            cli.index.display(),
            index::schema::SCHEMA_VERSION
        )),
    };
    if let Some(why) = why {
        render::note(&why);
        let report = build(cli)?;
        render::note(human::build_report(&report).trim_end());
        if !report.swapped {
            return Err(Error::index(&cli.index, "the index could not be built (see above)"));
        }
    }
    index::open::open(&cli.index)
}

/// Open an existing index (commands that only read do not build).
fn open_existing(cli: &Cli) -> Result<Opened> {
    open_or_build(cli)
}

/// Print, treating a closed pipe as success.
pub(crate) fn emit(text: &str) -> Result<()> {
    match render::emit(text) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::Io { path: "<stdout>".into(), source: e }),
        Err(e) => Err(Error::io(Path::new("<stdout>"), e)),
    }
}

fn docs(cli: &Cli, out: &OutputArgs) -> Result<i32> {
    let mut opened = open_existing(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let text = if out.json { json::to_string(&json::docs(&opened.meta)) } else { human::docs(&opened.meta) };
    emit(&text)?;
    Ok(exit::OK)
}

fn toc(cli: &Cli, doc: &str, out: &OutputArgs) -> Result<i32> {
    let mut opened = open_existing(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let d = opened.meta.check_doc(doc)?;
    let text = if out.json { json::to_string(d) } else { human::toc(d) };
    emit(&text)?;
    Ok(exit::OK)
}

fn show(cli: &Cli, doc: &str, page: Option<&str>, pdf_page: Option<u32>, out: &OutputArgs) -> Result<i32> {
    let mut opened = open_existing(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let d = opened.meta.check_doc(doc)?.clone();
    let physical = match (page, pdf_page) {
        (_, Some(n)) if n >= 1 && n <= d.pages => n,
        (_, Some(n)) => {
            return Err(Error::Usage(format!("{doc} has PDF pages 1–{}; there is no PDF page {n}", d.pages)));
        }
        (Some(label), None) => match d.page_labels.iter().position(|l| l.eq_ignore_ascii_case(label)) {
            Some(i) => i as u32 + 1,
            None => {
                let first = d.page_labels.first().cloned().unwrap_or_default();
                let last = d.page_labels.last().cloned().unwrap_or_default();
                return Err(Error::Usage(format!(
                    "{doc} has no printed page \"{label}\" (its pages run {first}–{last}); use --pdf-page N for a physical page"
                )));
            }
        },
        (None, None) => return Err(Error::Usage("say which page: a printed page, or --pdf-page N".into())),
    };
    let printed = d.page_labels.get(physical as usize - 1).cloned().unwrap_or_else(|| physical.to_string());
    let engine = crate::search::Engine::new(&opened)?;
    let parts = engine.page(&d.id, physical)?;
    let path = cli.corpus.join(&d.file).display().to_string();
    let text = if out.json {
        json::to_string(&json::page(&d, &printed, physical, &path, &parts))
    } else {
        human::page(&d, &printed, physical, &path, &parts)
    };
    emit(&text)?;
    Ok(exit::OK)
}
