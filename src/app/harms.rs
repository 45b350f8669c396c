//! `riskreg harms [HARM]`: the kinds of harm the vocabulary lists, each with
//! the chapters about it in every current document.

use crate::cli::{Cli, HarmsFormat};
use crate::error::{Error, ExitCode, Result};
use crate::render::link::LinkBase;
use crate::render::{human, json};

pub fn run(cli: &Cli, asked: Option<&str>, format: HarmsFormat, as_json: bool) -> Result<ExitCode> {
    let Some(vocabulary) = super::vocabulary(&cli.corpus)? else {
        return Err(Error::NoHarmList { path: cli.corpus.join(crate::vocab::FILE_NAME) });
    };
    let mut stemmer = crate::search::Stemmer::new();
    let mut stem = |w: &str| stemmer.stem(w);
    let unknown = |a: &str| Error::UnknownHarm {
        asked: a.to_string(),
        known: vocabulary.harms().iter().map(|h| h.name.clone()).collect(),
    };
    if let Some(a) = asked {
        if crate::harms::find(vocabulary.harms(), a, &mut stem).is_empty() {
            return Err(unknown(a));
        }
    }
    let mut opened = super::open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let order: Vec<String> = super::manifest(cli).docs.iter().map(|e| e.id.clone()).collect();
    let (rows, docs) = crate::harms::table(vocabulary.harms(), &opened.meta.docs, &order, asked, &mut stem)
        .ok_or_else(|| unknown(asked.unwrap_or_default()))?;
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
