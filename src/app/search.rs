//! `riskreg search`.

use std::collections::HashMap;

use crate::cli::{By, Cli, ColorChoice, Format, SearchArgs};
use crate::corpus::Manifest;
use crate::error::{ExitCode, Result};
use crate::index::{freshness, AbsentEdition, Definition, DocRecord, IndexMeta};
use crate::render::export::{Export, Scope};
use crate::render::human::Look;
use crate::render::link::LinkBase;
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
/// the search left out, or under a near spelling.
fn nothing_found(engine: &mut Engine, req: &SearchRequest, suggestion: Option<&str>) -> Result<String> {
    let mut said = "no matches".to_string();
    if !req.options.all_versions && req.options.as_of.is_none() {
        let all = search::SearchOptions { all_versions: true, limit: 1, snippets: 0, offset: 0, ..req.options.clone() };
        let elsewhere = engine.hits(&req.node, &all)?.total;
        if elsewhere > 0 {
            said = format!(
                "no matches in the current editions; {} in superseded editions: add --all-versions",
                render::count(elsewhere as u64, "passage")
            );
        }
    }
    if let Some(better) = suggestion {
        said.push_str(&format!("; did you mean: {better}"));
    }
    Ok(said)
}

/// A better spelling of the query, when it found nothing or very little
/// (not after `--offset`: the first page said it already).
fn suggest(engine: &mut Engine, req: &SearchRequest, found: usize) -> Result<Option<String>> {
    if req.options.offset > 0 {
        return Ok(None);
    }
    engine.did_you_mean(&req.node, &req.query, found, &req.options)
}

/// Colour choice from the command line, for the renderer.
pub(crate) fn color(choice: ColorChoice) -> bool {
    render::use_color(match choice {
        ColorChoice::Auto => Color::Auto,
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
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

/// The search's human output, after the definition of its query if any.
fn with_definition(defined: &Option<(DocRecord, Definition)>, results: String, look: &Look) -> String {
    match defined {
        Some((d, x)) => format!("{}\n{results}", human::search_definition(d, x, look)),
        None => results,
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
        offset: Some(args.offset as usize),
        docs: args.doc.clone(),
        all_versions: args.all_versions,
        as_of: args.as_of.clone(),
        exact: args.exact,
    })?;
    let mut req = req;
    let vocabulary = super::vocabulary(&cli.corpus)?;
    let mut opened = super::open_or_build(cli)?;
    let expander = super::expander(vocabulary, &opened.meta);
    req.expand(&expander);
    // `harm:` needs the documents' contents, which a search otherwise does not read.
    if req.names_harm() {
        opened.meta.load_pages(&opened.generation)?;
    }
    req.scope_harms(&expander, &opened.meta)?;
    // A query that is a defined term shows the definition first.
    let defined = match args.format() {
        Format::Human | Format::Json => {
            crate::index::terms::of_query(&mut opened.meta, &opened.generation, &req.query)?
        }
        _ => None,
    };
    let manifest = super::manifest(cli);
    let mut newer_cache = HashMap::new();
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
    // A quoted phrase that is nowhere as written: its words instead, said so.
    let mut prepare = |r: &mut SearchRequest| {
        r.expand(&expander);
        r.scope_harms(&expander, &opened.meta)
    };
    let req = engine.unquoted_if_nothing(&req, &mut prepare)?.unwrap_or(req);
    let instead = human::searched_instead(&req);
    let color = color(args.color);
    let look = Look {
        color,
        style: super::cite_style(args.cite),
        links: LinkBase::Corpus(&cli.corpus),
        hyperlinks: render::term::hyperlinks(color),
        width: render::term::width(cli.width),
    };
    let files = LinkBase::Corpus(&cli.corpus);
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
        style: look.style,
    };
    let urls = official_urls(cli, format);
    let (out, first, suggestion) = match req.by {
        search::By::Passage => {
            let mut r = engine.hits(&req.node, &req.options)?;
            for h in &mut r.hits {
                h.citation.newer_absent = newer(&h.citation.doc);
            }
            let suggestion = suggest(&mut engine, &req, r.total)?;
            let out = match format {
                Format::Json => {
                    let mut o = json::hits(&req.query, &r, files).with(&req, &suggestion);
                    o.definition = defined.as_ref().map(|(d, x)| json::definition(d, x, files));
                    json::to_string(&o)
                }
                Format::Md => md::hits(&r, &export),
                Format::Csv => csv::hits(&r, &export),
                Format::CslJson => refs::csl_json(&refs::works_of_hits(&r), &export, &urls),
                Format::Ris => refs::ris(&refs::works_of_hits(&r), &export, &urls),
                Format::Human => with_definition(
                    &defined,
                    instead.clone() + &human::hits(&r, &look) + &human::also_searched(&req.also_searched),
                    &look,
                ),
            };
            (out, r.hits.first().map(|h| h.citation.clone()), suggestion)
        }
        search::By::Chapter => {
            let mut r = engine.chapters(&req.node, &req.options)?;
            for c in &mut r.chapters {
                c.best.citation.newer_absent = newer(&c.best.citation.doc);
            }
            let suggestion = suggest(&mut engine, &req, r.total)?;
            let out = match format {
                Format::Json => {
                    let mut o = json::chapters(&req.query, &r, files).with(&req, &suggestion);
                    o.definition = defined.as_ref().map(|(d, x)| json::definition(d, x, files));
                    json::to_string(&o)
                }
                Format::Md => md::chapters(&r, &export),
                Format::Csv => csv::chapters(&r, &export),
                Format::CslJson => refs::csl_json(&refs::works_of_chapters(&r), &export, &urls),
                Format::Ris => refs::ris(&refs::works_of_chapters(&r), &export, &urls),
                Format::Human => with_definition(
                    &defined,
                    instead.clone() + &human::chapters(&r, &look) + &human::also_searched(&req.also_searched),
                    &look,
                ),
            };
            (out, r.chapters.first().map(|c| c.best.citation.clone()), suggestion)
        }
    };
    let Some(first) = first else {
        if format.for_programs() {
            super::emit(&out)?;
        } else if req.options.offset > 0 {
            render::note(&format!("no results past the first {}", req.options.offset));
        } else {
            render::note(&nothing_found(&mut engine, &req, suggestion.as_deref())?);
        }
        return Ok(ExitCode::NothingFound);
    };
    match format {
        Format::Human => render::emit_paged(&out).map_err(crate::error::Error::Output)?,
        _ => {
            // Exports carry no notes: said on stderr.
            if !instead.is_empty() && format != Format::Json {
                render::note(instead.trim_end());
            }
            super::emit(&out)?
        }
    }
    if let (Some(better), Format::Human) = (&suggestion, format) {
        render::note(&format!("few matches; did you mean: {better}"));
    }
    if args.open {
        // By the document's record, which names a file that is not UTF-8 as it is.
        let file = match opened.meta.doc(&first.doc) {
            Some(d) => crate::render::link::absolute_path(&cli.corpus, &d.rel_path()),
            None => crate::render::link::absolute(&cli.corpus, &first.file),
        };
        super::open::pdf(&file, first.pdf_page)?;
    }
    Ok(ExitCode::Success)
}
