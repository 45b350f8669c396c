//! `riskreg watch`: add, list and remove watches, and report what each
//! finds that is new or changed (exit 0), or that nothing is (exit 1).

use std::collections::HashMap;
use std::rc::Rc;

use crate::cli::{Cli, WatchAction, WatchArgs, WatchFormat};
use crate::error::{Error, ExitCode, Result};
use crate::index::DocRecord;
use crate::render::{self, json, link::LinkBase};
use crate::structure::Structure;
use crate::watch::{self, Watch, WatchReport, WatchState};

pub fn run(cli: &Cli, args: &WatchArgs) -> Result<ExitCode> {
    match &args.action {
        Some(WatchAction::Add { name, query, doc, exact }) => {
            let w = Watch {
                name: name.clone(),
                query: query.join(" ").trim().to_string(),
                docs: doc.clone(),
                exact: *exact,
            };
            watch::add(&cli.corpus, &w)?;
            render::note(&format!(
                "added the watch \"{}\" to {}; its next run sets its baseline",
                w.name,
                cli.corpus.join(watch::FILE_NAME).display()
            ));
            Ok(ExitCode::Success)
        }
        Some(WatchAction::List(out)) => {
            let watches = watch::load(&cli.corpus)?;
            let state = WatchState::load(&cli.corpus)?;
            let last = |name: &str| state.watches.get(name).map(|s| s.reported.clone());
            let text = if out.json {
                json::to_string(&json::watch_list(&watches, &last))
            } else {
                render::watch::list(&watches, &last, &cli.corpus.join(watch::FILE_NAME).display().to_string())
            };
            super::emit(&text)?;
            Ok(ExitCode::Success)
        }
        Some(WatchAction::Rm { name }) => {
            let w = watch::remove(&cli.corpus, name)?;
            // What it last reported goes too, so a watch added again under the name starts afresh.
            let mut state = WatchState::load(&cli.corpus)?;
            if state.watches.remove(&w.name).is_some() {
                state.save(&cli.corpus)?;
            }
            render::note(&format!("removed the watch \"{}\" ({})", w.name, w.query));
            Ok(ExitCode::Success)
        }
        None => report(cli, args.since.as_deref(), args.format()),
    }
}

/// Run every watch and print the report; the state is updated after the
/// report is printed (never for `--since`).
pub fn report(cli: &Cli, since: Option<&str>, format: WatchFormat) -> Result<ExitCode> {
    let file = cli.corpus.join(watch::FILE_NAME);
    let watches = watch::load(&cli.corpus)?;
    if watches.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no watches; add one with: riskreg watch add NAME QUERY",
            file.display()
        )));
    }
    let state = match since {
        Some(_) => WatchState::default(),
        None => WatchState::load(&cli.corpus)?,
    };
    let vocabulary = super::vocabulary(&cli.corpus)?;
    let mut opened = super::open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let expander = super::expander(vocabulary, &opened.meta);
    let mut engine = crate::search::Engine::new(&opened)?;
    let mut structures: HashMap<String, Rc<Structure>> = HashMap::new();
    let mut structure_of = |d: &DocRecord| -> Result<Rc<Structure>> {
        if let Some(s) = structures.get(&d.id) {
            return Ok(s.clone());
        }
        let s = Rc::new(super::diff::structure_of(cli, d)?);
        structures.insert(d.id.clone(), s.clone());
        Ok(s)
    };
    let now = crate::date::now_rfc3339();
    let mut next = WatchState { version: watch::STATE_VERSION, watches: Default::default() };
    let mut reports = Vec::new();
    for w in &watches {
        // A watch's problem names the file and the watch.
        let named = |e: Error| match e {
            Error::Entry(_) => e,
            e => Error::Usage(format!("{}: [[watch]] \"{}\": {e}", file.display(), w.name)),
        };
        let mut req = w.request().map_err(named)?;
        req.expand(&expander);
        req.scope_harms(&expander, &opened.meta).map_err(named)?;
        let found = watch::gather(&mut engine, &opened.meta, &req, &mut structure_of).map_err(named)?;
        let seen = state.watches.get(&w.name);
        let outcome = match since {
            Some(date) => watch::since(&opened.meta, &found, date, &mut structure_of).map_err(named)?,
            None => watch::compare(&opened.meta, w, &found, seen),
        };
        next.watches.insert(w.name.clone(), watch::seen_now(w, &found, &render::citation_line, &now));
        reports.push(WatchReport {
            watch: w.clone(),
            outcome,
            pages_total: found.pages_total,
            pages_read: found.pages_read,
            last: seen.map(|s| s.reported.clone()),
        });
    }
    let links = LinkBase::Corpus(&cli.corpus);
    let text = match format {
        WatchFormat::Json => json::to_string(&json::watch_run(&reports, since, &now, links)),
        WatchFormat::Md => render::watch::md(&reports, since, &now, &cli.corpus),
        WatchFormat::Human => render::watch::human(&reports, since, render::use_color(render::Color::Auto)),
    };
    super::emit(&text)?;
    if since.is_none() {
        next.save(&cli.corpus)?;
    }
    Ok(if reports.iter().any(|r| r.outcome.is_news()) { ExitCode::Success } else { ExitCode::NothingFound })
}
