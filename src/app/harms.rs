//! `riskreg harms [HARM]`: the kinds of harm the vocabulary lists, each with
//! the chapters about it in every current document.

use crate::cli::{Cli, HarmsFormat};
use crate::error::{Error, ExitCode, Result};
use crate::render::link::LinkBase;
use crate::render::{human, json};

pub fn run(cli: &Cli, asked: Option<&str>, format: HarmsFormat, as_json: bool) -> Result<ExitCode> {
    let Some(vocabulary) = super::vocabulary(&cli.corpus)? else {
        return Err(Error::Usage(format!(
            "no list of harms: {} names the kinds of harm and their common names (see corpus/README.md)",
            cli.corpus.join(crate::vocab::FILE_NAME).display()
        )));
    };
    let mut stemmer = crate::search::Stemmer::new();
    let mut stem = |w: &str| stemmer.stem(w);
    let wanted = match asked {
        Some(a) => {
            let found = crate::harms::find(vocabulary.harms(), a, &mut stem);
            if found.is_empty() {
                return Err(Error::Usage(crate::harms::unknown(vocabulary.harms(), a)));
            }
            Some(found)
        }
        None => None,
    };
    let mut opened = super::open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    // In the manifest's order (the order the regulator's list gives), then the others.
    let manifest = super::manifest(cli);
    let place = |id: &str| manifest.docs.iter().position(|e| e.id == id).unwrap_or(usize::MAX);
    let mut docs: Vec<&crate::index::DocRecord> = opened.meta.docs.iter().filter(|d| d.is_current()).collect();
    docs.sort_by_key(|d| place(&d.id));
    let tocs: Vec<&[crate::index::TocEntry]> = docs.iter().map(|d| d.toc.as_slice()).collect();
    let mut rows = crate::harms::concordance(vocabulary.harms(), &tocs, &mut stem);
    if let Some(wanted) = &wanted {
        rows.retain(|r| wanted.iter().any(|h| std::ptr::eq(*h, r.harm)));
    }
    let out = json::harms(&rows, &docs, LinkBase::Corpus(&cli.corpus));
    let text = match (as_json, format) {
        (true, _) | (_, HarmsFormat::Json) => json::to_string(&out),
        (_, HarmsFormat::Md) => human::harms_md(&out),
        (_, HarmsFormat::Human) => human::harms(&out),
    };
    super::emit(&text)?;
    let found = out.harms.iter().any(|h| !h.chapters.is_empty());
    Ok(if found { ExitCode::Success } else { ExitCode::NothingFound })
}
