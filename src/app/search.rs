//! `riskreg search`.

use std::collections::HashMap;

use crate::cli::{By, Cli, ColorChoice, Format, SearchArgs};
use crate::corpus::Manifest;
use crate::error::{ExitCode, Result};
use crate::render::export::{Export, Scope};
use crate::render::{self, csv, human, json, md, refs, Color};
use crate::search::{self, Engine, SearchInput, SearchRequest};

/// The official address of each edition the manifest names, by record id
/// (`ror-419942`), for reference-manager records. Only read for those: a
/// manifest that cannot be read just leaves the addresses out.
fn official_urls(cli: &Cli, format: Format) -> HashMap<String, String> {
    if !matches!(format, Format::CslJson | Format::Ris) {
        return HashMap::new();
    }
    let Ok(manifest) = Manifest::load(&cli.corpus) else { return HashMap::new() };
    manifest.docs.into_iter().map(|d| (refs::record_id(&d.id, d.version.as_deref()), d.url)).collect()
}

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
    let mut engine = Engine::new(&opened)?;
    let color = render::use_color(match args.color {
        ColorChoice::Auto => Color::Auto,
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
    });
    let style = super::cite_style(args.cite);
    let format = args.format();
    let export = Export {
        query: &req.query,
        date: crate::date::today(),
        scope: match &req.options.as_of {
            Some(d) => Scope::AsOf(d.clone()),
            None if req.options.all_versions => Scope::AllVersions,
            None => Scope::Current,
        },
        corpus: &cli.corpus,
        style,
    };
    let urls = official_urls(cli, format);
    let (out, found) = match req.by {
        search::By::Passage => {
            let r = engine.hits(&req.node, &req.options)?;
            let out = match format {
                Format::Json => json::to_string(&json::hits(&req.query, &r)),
                Format::Md => md::hits(&r, &export),
                Format::Csv => csv::hits(&r, &export),
                Format::CslJson => refs::csl_json(&refs::works_of_hits(&r), &export, &urls),
                Format::Ris => refs::ris(&refs::works_of_hits(&r), &export, &urls),
                Format::Human => human::hits(&r, color, style),
            };
            (out, !r.hits.is_empty())
        }
        search::By::Chapter => {
            let r = engine.chapters(&req.node, &req.options)?;
            let out = match format {
                Format::Json => json::to_string(&json::chapters(&req.query, &r)),
                Format::Md => md::chapters(&r, &export),
                Format::Csv => csv::chapters(&r, &export),
                Format::CslJson => refs::csl_json(&refs::works_of_chapters(&r), &export, &urls),
                Format::Ris => refs::ris(&refs::works_of_chapters(&r), &export, &urls),
                Format::Human => human::chapters(&r, color, style),
            };
            (out, !r.chapters.is_empty())
        }
    };
    if !found && !format.for_programs() {
        render::note(&nothing_found(&mut engine, &req)?);
        return Ok(ExitCode::NothingFound);
    }
    super::emit(&out)?;
    Ok(if found { ExitCode::Success } else { ExitCode::NothingFound })
}
