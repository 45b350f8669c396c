//! `riskreg search`.

use crate::cli::{By, Cli, Format, SearchArgs};
use crate::error::{exit, Result};
use crate::render::{self, human, json, md};
use crate::search::{Engine, SearchOptions};

pub fn run(cli: &Cli, args: &SearchArgs) -> Result<i32> {
    let text = args.query_text();
    // Parse before anything else: a bad query should not wait for a build.
    let node = crate::query::parse(&text)?;
    let opened = super::open_or_build(cli)?;
    let mut engine = Engine::new(&opened)?;
    let opts = SearchOptions {
        limit: args.limit as usize,
        doc: args.doc.as_ref().map(|d| d.to_lowercase()),
        all_versions: args.all_versions,
        as_of: args.as_of.clone(),
        snippets: 3,
    };
    let color = render::use_color(args.color);
    let (out, found) = match args.by {
        By::Passage => {
            let r = engine.hits(&node, &opts)?;
            let out = match args.format() {
                Format::Json => json::to_string(&json::hits(&text, &r)),
                Format::Md => md::hits(&r),
                Format::Human => human::hits(&r, color),
            };
            (out, !r.hits.is_empty())
        }
        By::Chapter => {
            let r = engine.chapters(&node, &opts)?;
            let out = match args.format() {
                Format::Json => json::to_string(&json::chapters(&text, &r)),
                Format::Md => md::chapters(&r),
                Format::Human => human::chapters(&r, color),
            };
            (out, !r.chapters.is_empty())
        }
    };
    if !found && args.format() != Format::Json {
        render::note("no matches");
        return Ok(exit::PARTIAL);
    }
    super::emit(&out)?;
    Ok(if found { exit::OK } else { exit::PARTIAL })
}
