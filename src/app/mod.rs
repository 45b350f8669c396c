//! The glue between the command line and the library: one function per
//! subcommand. The only place that decides exit codes, and the only module
//! below `main` that knows clap: it turns `cli` types into the library's.

mod diff;
mod harms;
mod inspect;
mod mcp;
mod open;
mod places;
mod search;
mod serve;
mod sync;
mod terms;
mod watch;
mod xref;

use crate::cli::{Cite, Cli, Command, IndexArgs, OutputArgs};
use crate::error::{Error, ExitCode, Result};
use crate::extract::ExtractOptions;
use crate::index::{self, BuildEvent, BuildOptions, BuildReport, OpenIndex, PageRef, State};
use crate::render::cite::CiteStyle;
use crate::render::link::LinkBase;
use crate::render::{self, human, json, progress::Progress};

/// Run a parsed command line; returns how the process should end.
pub fn run(mut cli: Cli) -> Result<ExitCode> {
    render::set_quiet(cli.quiet);
    render::set_pager(!cli.no_pager);
    let needs_corpus = !matches!(cli.command, Command::Inspect { .. } | Command::Completions { .. } | Command::Man);
    if needs_corpus {
        cli.corpus = places::corpus(cli.corpus_arg.as_deref())?;
        cli.index = places::index(cli.index_arg.as_deref(), &cli.corpus);
    }
    match &cli.command {
        Command::Index(args) => index_cmd(&cli, args),
        Command::Search(args) => search::run(&cli, args),
        Command::Docs(out) => docs(&cli, out),
        Command::Toc { doc, cite, out } => toc(&cli, doc, cite.map(cite_style), out),
        Command::Harms { harm, format, out } => harms::run(&cli, harm.as_deref(), *format, out.json),
        Command::Show { doc, page, pdf_page, cite, query, open, color, out } => show(
            &cli,
            doc,
            Shown { page: page.as_deref(), pdf_page: *pdf_page, style: cite_style(*cite), query: query.as_deref() },
            *open,
            search::color(*color),
            out,
        ),
        Command::Inspect { file, text, out } => inspect::run(file, *text, out),
        Command::Refs { doc, at, unresolved, out } => xref::refs(&cli, doc, at.as_deref(), *unresolved, out),
        Command::Verify { file, fix, output, in_place, out } => {
            xref::verify(&cli, file, *fix || *in_place, output.as_deref(), *in_place, out)
        }
        Command::Terms { doc, out } => terms::terms(&cli, doc.as_deref(), out),
        Command::Define { term, doc, out } => terms::define(&cli, &term.join(" "), doc.as_deref(), out),
        Command::Watch(args) => watch::run(&cli, args),
        Command::Sync(args) => sync::run(&cli, args),
        Command::Diff { doc, old, new, out } => diff::run(&cli, doc, old.as_deref(), new.as_deref(), out),
        Command::Serve { addr, timeout_ms, allow_host, max_connections, header_timeout, out } => {
            let connections = crate::serve::Connections {
                max: *max_connections as usize,
                header_timeout: std::time::Duration::from_secs(*header_timeout),
            };
            serve::run(&cli, addr, *timeout_ms, allow_host, connections, out.json)
        }
        Command::Mcp => mcp::run(&cli),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut <Cli as clap::CommandFactory>::command(), "riskreg", &mut out);
            emit(&String::from_utf8_lossy(&out))?;
            Ok(ExitCode::Success)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out).map_err(Error::Output)?;
            emit(&String::from_utf8_lossy(&out))?;
            Ok(ExitCode::Success)
        }
    }
}

pub(crate) fn extract_options() -> ExtractOptions {
    let exe = std::env::current_exe().unwrap_or_else(|_| "riskreg".into());
    ExtractOptions::with_worker(exe)
}

/// Build the index with a progress bar on a terminal, reading no PDF over
/// `max_mb` megabytes; `rebuild`: a whole new generation.
pub(crate) fn build(cli: &Cli, rebuild: bool, max_mb: u64) -> Result<BuildReport> {
    places::check_corpus(&cli.corpus)?;
    let opts = BuildOptions {
        corpus_dir: cli.corpus.clone(),
        index_dir: cli.index.clone(),
        extract: extract_options(),
        rebuild,
        max_mb,
    };
    let bar = Progress::new(0, "indexing");
    let on_event = |e: BuildEvent| match e {
        BuildEvent::Found { files } => bar.set_len(files as u64),
        BuildEvent::Finished { file, .. } => bar.tick(&file),
    };
    let report = index::build(&opts, &on_event);
    bar.finish();
    report
}

fn build_exit_code(r: &BuildReport) -> ExitCode {
    if !r.swapped {
        ExitCode::Error
    } else if r.failures.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::SomeFailed
    }
}

fn index_cmd(cli: &Cli, args: &IndexArgs) -> Result<ExitCode> {
    let out = &args.out;
    // A damaged index is not an error here: the build rebuilds it, and says so.
    if let Ok(State::Stale { found }) = index::state(&cli.index) {
        render::note(&format!(
            "{}: index built by schema version {found}; rebuilding for version {}",
            cli.index.display(),
            index::schema::SCHEMA_VERSION
        ));
    }
    let report = build(cli, args.rebuild, args.max_mb)?;
    if args.watch {
        // The watches' report is the output; the build's goes to stderr.
        render::note(human::build_report(&report).trim_end());
        if !report.swapped {
            return Ok(ExitCode::Error);
        }
        let format = if out.json { crate::cli::WatchFormat::Json } else { crate::cli::WatchFormat::Human };
        return watch::report(cli, None, format);
    }
    let text = if out.json { json::to_string(&json::build_report(&report)) } else { human::build_report(&report) };
    emit(&text)?;
    Ok(build_exit_code(&report))
}

/// Open the index, building it first when there is none or it is of another
/// schema version. Every command that reads the index opens it this way.
pub(crate) fn open_or_build(cli: &Cli) -> Result<OpenIndex> {
    let why = match index::state(&cli.index)? {
        State::Ready(gen, meta) => match index::open::open_with_meta(&gen, meta) {
            Ok(opened) => {
                note_if_stale(cli, &opened.meta);
                return Ok(opened);
            }
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
        // Before saying a build starts: there must be something to build from.
        places::check_corpus(&cli.corpus)?;
        render::note(&why);
        // A command that builds a missing index uses `index`'s default limit.
        let report = build(cli, false, crate::cli::DEFAULT_MAX_MB)?;
        render::note(human::build_report(&report).trim_end());
        if !report.swapped {
            return Err(Error::index(&cli.index, "the index could not be built (see above)"));
        }
    }
    index::open::open(&cli.index)
}

/// The corpus's vocabulary (`vocabulary()`, read once before any build, so a
/// malformed file is said first), ready to expand queries, with the acronyms
/// the indexed documents define (`CSAM` ↔ "child sexual abuse material").
/// No file: no expansions from it, and nothing said.
pub(crate) fn expander(
    vocabulary: Option<crate::vocab::Vocabulary>,
    meta: &crate::index::IndexMeta,
) -> crate::vocab::Expander {
    crate::search::expander(vocabulary.as_ref(), meta)
}

/// The corpus's vocabulary file, checked; `None` when there is none.
pub(crate) fn vocabulary(corpus: &std::path::Path) -> Result<Option<crate::vocab::Vocabulary>> {
    let path = corpus.join(crate::vocab::FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Io { path, source }),
    };
    Ok(Some(crate::vocab::Vocabulary::from_str(&text, &path.display().to_string())?))
}

/// The corpus's manifest, for what the index lacks. One that cannot be read
/// is for `riskreg index` to report; here it is taken as empty.
pub(crate) fn manifest(cli: &Cli) -> crate::corpus::Manifest {
    crate::corpus::Manifest::load(&cli.corpus).unwrap_or_default()
}

/// One line on stderr when PDFs were added, changed or removed since the
/// index was built.
fn note_if_stale(cli: &Cli, meta: &index::IndexMeta) {
    if let Ok(s) = index::freshness::staleness(meta, &cli.corpus, &manifest(cli)) {
        if let Some(line) = human::stale_note(&s) {
            render::note(&line);
        }
    }
}

/// "not downloaded (riskreg sync, then riskreg index)": why an edition the
/// manifest lists is not in the index, and what to run.
pub(crate) fn absent_why(e: &index::AbsentEdition) -> &'static str {
    if e.downloaded {
        "downloaded but not indexed (riskreg index)"
    } else {
        "not downloaded (riskreg sync, then riskreg index)"
    }
}

/// The PDF of `d` for a link, or `None` when it is no longer there.
fn pdf_path(cli: &Cli, d: &index::DocRecord) -> Option<String> {
    let path = render::link::absolute_path(&cli.corpus, &d.rel_path());
    path.is_file().then(|| path.display().to_string())
}

/// Print all of `text` to stdout. A closed pipe comes back as
/// `Error::Output`, which `main` turns into success.
pub(crate) fn emit(text: &str) -> Result<()> {
    render::emit(text).map_err(Error::Output)
}

fn docs(cli: &Cli, out: &OutputArgs) -> Result<ExitCode> {
    let mut opened = open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let manifest = manifest(cli);
    let newer = |id: &str| index::freshness::newer_absent(&opened.meta, &cli.corpus, &manifest, id);
    let text = if out.json {
        json::to_string(&json::docs(&opened.meta))
    } else {
        // A table: the terminal's width, --width, or 100 columns on a pipe.
        let width = match cli.width {
            Some(0) => None,
            asked => render::term::width(asked).or(Some(100)),
        };
        human::docs(&opened.meta, &newer, width)
    };
    emit(&text)?;
    Ok(ExitCode::Success)
}

fn toc(cli: &Cli, doc: &str, style: Option<CiteStyle>, out: &OutputArgs) -> Result<ExitCode> {
    let mut opened = open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let d = opened.meta.check_doc(doc)?;
    let links = LinkBase::Corpus(&cli.corpus);
    if out.json {
        emit(&json::to_string(&json::toc(d, links)))?;
    } else {
        let color = render::use_color(render::Color::Auto);
        let look = human::Look {
            color,
            style: style.unwrap_or_default(),
            links,
            hyperlinks: render::term::hyperlinks(color),
            width: render::term::width(cli.width),
        };
        render::emit_paged(&human::toc(d, style.is_some(), &look)).map_err(Error::Output)?;
    }
    Ok(ExitCode::Success)
}

/// `¶9.14` or `para:9.14` where `show` expects a page: that paragraph.
pub(crate) fn asked_paragraph(page: &str) -> Option<String> {
    let p = page.strip_prefix('¶').or_else(|| page.strip_prefix("para:"))?.trim();
    crate::structure::paragraph_number(&format!("{p} X")).map(|(major, minor)| format!("{major}.{minor}"))
}

/// `show D ¶9.14`: every page the paragraph is on, the paragraph marked.
fn show_paragraph(
    cli: &Cli,
    opened: &OpenIndex,
    d: &index::DocRecord,
    para: &str,
    style: CiteStyle,
    open: bool,
    out: &OutputArgs,
) -> Result<ExitCode> {
    let mut engine = crate::search::Engine::new(opened)?;
    let req = crate::search::SearchRequest::new(crate::search::SearchInput {
        query: format!("para:{para} doc:{}", d.id),
        by: crate::search::By::Passage,
        limit: Some(100),
        all_versions: true,
        ..Default::default()
    })?;
    let mut pages: Vec<u32> = engine.hits(&req.node, &req.options)?.hits.iter().map(|h| h.citation.pdf_page).collect();
    pages.sort_unstable();
    pages.dedup();
    if pages.is_empty() {
        render::note(&format!("¶{para} is not in {}", d.id));
        return Ok(ExitCode::NothingFound);
    }
    let path = pdf_path(cli, d);
    let path = path.as_deref();
    let label = |n: u32| d.page_labels.get(n as usize - 1).cloned().unwrap_or_else(|| n.to_string());
    let text = if out.json {
        let mut shown = Vec::new();
        for n in &pages {
            shown.push(json::page(d, &label(*n), *n, path, &engine.page(&d.id, *n)?, &[]));
        }
        json::to_string(&json::paragraph_pages(para, shown))
    } else {
        let mut text = String::new();
        for n in &pages {
            let page = engine.page(&d.id, *n)?;
            text.push_str(&human::page_marking(d, &label(*n), *n, path, &page, style, para));
            text.push('\n');
        }
        format!("{}\n", text.trim_end_matches('\n'))
    };
    if out.json {
        emit(&text)?;
    } else {
        render::emit_paged(&text).map_err(Error::Output)?;
    }
    if open {
        open::pdf(&render::link::absolute_path(&cli.corpus, &d.rel_path()), pages[0])?;
    }
    Ok(ExitCode::Success)
}

/// What `show` was asked to show.
struct Shown<'a> {
    page: Option<&'a str>,
    pdf_page: Option<u32>,
    style: CiteStyle,
    /// Words to mark on the page.
    query: Option<&'a str>,
}

/// The library's citation style for the command line's `--cite`.
fn cite_style(c: Cite) -> CiteStyle {
    match c {
        Cite::Riskreg => CiteStyle::Riskreg,
        Cite::Oscola => CiteStyle::Oscola,
        Cite::Short => CiteStyle::Short,
    }
}

fn show(cli: &Cli, doc: &str, asked: Shown, open: bool, color: bool, out: &OutputArgs) -> Result<ExitCode> {
    // A bad query is refused before the index is opened or built.
    let node = asked
        .query
        .map(|q| {
            let input = crate::search::SearchInput { query: q.to_string(), ..Default::default() };
            crate::search::SearchRequest::new(input).map(|r| r.node)
        })
        .transpose()?;
    let mut opened = open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let d = opened.meta.check_doc(doc)?.clone();
    if let Some(para) = asked.page.and_then(asked_paragraph) {
        return show_paragraph(cli, &opened, &d, &para, asked.style, open, out);
    }
    let page = match (asked.page, asked.pdf_page) {
        (_, Some(n)) => PageRef::Physical(n),
        (Some(label), None) => PageRef::Printed(label.to_string()),
        (None, None) => return Err(Error::Usage("say which page: a printed page, or --pdf-page N".into())),
    };
    let (physical, printed) = d.resolve_page(&page)?;
    let mut engine = crate::search::Engine::new(&opened)?;
    let parts = engine.page(&d.id, physical)?;
    let marks = match &node {
        Some(node) => engine.highlights(node, &parts.parts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>()),
        None => Vec::new(),
    };
    let path = pdf_path(cli, &d);
    let links = LinkBase::Corpus(&cli.corpus);
    let references: Vec<json::ReferenceOut> = d
        .references
        .iter()
        .filter(|r| r.page == physical)
        .map(|r| json::reference(&opened.meta, &d, r, links))
        .collect();
    if out.json {
        let mut page = json::page(&d, &printed, physical, path.as_deref(), &parts, &marks);
        page.references = references;
        emit(&json::to_string(&page))?;
    } else {
        let mut text = human::page_marked(&d, &printed, physical, path.as_deref(), &parts, asked.style, &marks, color);
        text.push_str(&render::xref::on_page(&references));
        render::emit_paged(&text).map_err(Error::Output)?;
    }
    if open {
        open::pdf(&render::link::absolute_path(&cli.corpus, &d.rel_path()), physical)?;
    }
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_default_size_limit_is_the_library_one() {
        assert_eq!(crate::cli::DEFAULT_MAX_MB, crate::index::build::DEFAULT_MAX_MB);
    }
}
