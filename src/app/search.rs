//! `riskreg search`.

use crate::cli::{By, Cli, ColorChoice, Format, SearchArgs};
use crate::error::{ExitCode, Result};
use crate::index::{freshness, AbsentEdition, IndexMeta};
use crate::render::{self, human, json, md, Color};
use crate::search::{self, Engine, SearchInput, SearchRequest};

/// "no matches", and where the words are after all: in superseded editions
/// the search left out.
fn nothing_found(engine: &mut Engine, req: &SearchRequest) -> Result<String> {
    if req.options.all_versions || req.options.as_of.is_some() {
        return Ok("no matches".into());
    }
    let all = search::SearchOptions { all_versions: true, limit: 1, snippets: 0, ..req.options.clone() };
    let elsewhere = engine.hits(&req.node, &all)?.total;
    Ok(match elsewhere {
        0 => "no matches".into(),
        n => format!(
            "no matches in the current editions; {} in superseded editions: add --all-versions",
            render::count(n as u64, "passage")
        ),
    })
}

/// `--as-of` a date on which an edition the index lacks was in force: one
/// line for each document it replaces, whose older text is searched instead.
fn warn_missing_in_force(meta: &IndexMeta, date: &str, newer: &mut dyn FnMut(&str) -> Option<AbsentEdition>) {
    for id in meta.in_force(date) {
        if let Some(n) = newer(id).filter(|n| n.date.as_str() <= date) {
            render::note(&format!(
                "note: on {date} the edition of {id} in force is {} (published {}), which is {}; \
                 the results come from the older edition {id}",
                n.id,
                n.date,
                super::absent_why(&n)
            ));
        }
    }
}

pub fn run(cli: &Cli, args: &SearchArgs) -> Result<ExitCode> {
    // Checked and parsed before anything else: a bad query should not wait for a build.
    if let Some(why) = args.format_conflict() {
        return Err(crate::error::Error::Usage(why));
    }
    let req = SearchRequest::new(SearchInput {
        query: args.query_text(),
        by: match args.by {
            By::Passage => search::By::Passage,
            By::Chapter => search::By::Chapter,
        },
        limit: Some(args.limit as usize),
        doc: args.doc.clone(),
        all_versions: args.all_versions,
        as_of: args.as_of.clone(),
    })?;
    let opened = super::open_or_build(cli)?;
    let manifest = super::manifest(cli);
    let mut newer_cache = std::collections::HashMap::new();
    let mut newer = |id: &str| -> Option<AbsentEdition> {
        newer_cache
            .entry(id.to_string())
            .or_insert_with(|| freshness::newer_absent(&opened.meta, &cli.corpus, &manifest, id))
            .clone()
    };
    if let Some(date) = &req.options.as_of {
        warn_missing_in_force(&opened.meta, date, &mut newer);
    }
    let mut engine = Engine::new(&opened)?;
    let color = render::use_color(match args.color {
        ColorChoice::Auto => Color::Auto,
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
    });
    let style = super::cite_style(args.cite);
    let (out, found) = match req.by {
        search::By::Passage => {
            let mut r = engine.hits(&req.node, &req.options)?;
            for h in &mut r.hits {
                h.citation.newer_absent = newer(&h.citation.doc);
            }
            let out = match args.format() {
                Format::Json => json::to_string(&json::hits(&req.query, &r)),
                Format::Md => md::hits(&r, style),
                Format::Human => human::hits(&r, color, style),
            };
            (out, !r.hits.is_empty())
        }
        search::By::Chapter => {
            let r = engine.chapters(&req.node, &req.options)?;
            let out = match args.format() {
                Format::Json => json::to_string(&json::chapters(&req.query, &r)),
                Format::Md => md::chapters(&r, style),
                Format::Human => human::chapters(&r, color, style),
            };
            (out, !r.chapters.is_empty())
        }
    };
    if !found && args.format() != Format::Json {
        render::note(&nothing_found(&mut engine, &req)?);
        return Ok(ExitCode::NothingFound);
    }
    super::emit(&out)?;
    Ok(if found { ExitCode::Success } else { ExitCode::NothingFound })
}
