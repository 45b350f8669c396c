//! `riskreg terms` (each document's acronyms and defined terms) and
//! `riskreg define` (every definition of a term, with its citation).

use super::{emit, open_or_build};
use crate::cli::{Cli, OutputArgs};
use crate::error::{ExitCode, Result};
use crate::index::terms::{lookup, nearest};
use crate::render::human::{self, Look};
use crate::render::link::LinkBase;
use crate::render::{self, json};

fn look(cli: &Cli) -> Look<'_> {
    let color = render::use_color(render::Color::Auto);
    Look {
        color,
        style: Default::default(),
        links: LinkBase::Corpus(&cli.corpus),
        hyperlinks: render::term::hyperlinks(color),
        width: render::term::width(cli.width),
    }
}

pub(super) fn terms(cli: &Cli, doc: Option<&str>, out: &OutputArgs) -> Result<ExitCode> {
    let mut opened = open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let meta = &opened.meta;
    let docs = match doc {
        Some(asked) => vec![meta.check_doc(asked)?],
        None => meta.docs.iter().collect(),
    };
    let links = LinkBase::Corpus(&cli.corpus);
    if out.json {
        emit(&json::to_string(&json::terms(&docs, links)))?;
    } else {
        render::emit_paged(&human::terms(&docs, &look(cli))).map_err(crate::error::Error::Output)?;
    }
    let any = docs.iter().any(|d| !d.acronyms.is_empty() || !d.definitions.is_empty());
    Ok(if any { ExitCode::Success } else { ExitCode::NothingFound })
}

pub(super) fn define(cli: &Cli, term: &str, doc: Option<&str>, out: &OutputArgs) -> Result<ExitCode> {
    let mut opened = open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let meta = &opened.meta;
    let doc = match doc {
        Some(asked) => Some(meta.check_doc(asked)?.id.as_str()),
        None => None,
    };
    let found = lookup(meta, term, doc);
    let suggestions = if found.is_empty() { nearest(meta, term, doc, 3) } else { Vec::new() };
    if out.json {
        emit(&json::to_string(&json::define(term, &found, &suggestions, LinkBase::Corpus(&cli.corpus))))?;
    } else if found.is_empty() {
        render::note(&human::not_defined(term, &suggestions));
    } else {
        render::emit_paged(&human::define(term, &found, &look(cli))).map_err(crate::error::Error::Output)?;
    }
    Ok(if found.is_empty() { ExitCode::NothingFound } else { ExitCode::Success })
}
