//! `riskreg refs` (the references a paragraph, page or document makes, and
//! those made to it) and `riskreg verify` (the citations in a draft).

use std::path::Path;

use super::{asked_paragraph, emit, open_or_build};
use crate::cli::{Cli, OutputArgs};
use crate::error::{Error, ExitCode, Result};
use crate::index::{DocRecord, IndexMeta, PageRef, Reference};
use crate::render::link::LinkBase;
use crate::render::{self, json};
use crate::verify::{self, Catalogue};
use crate::xref::Kind;

/// The place `refs` was asked about.
enum At {
    Document,
    Paragraph(String),
    Page(u32, String),
}

/// Does a reference lead to (or over) the place asked about in document `d`?
fn leads_to(r: &Reference, d: &DocRecord, at: &At) -> bool {
    let Some(t) = r.target.as_ref().filter(|t| t.doc == d.id) else { return false };
    match at {
        At::Document => true,
        At::Page(n, _) => t.page <= *n && *n <= t.end_page,
        At::Paragraph(p) => {
            if r.kind != Kind::Para {
                return false;
            }
            match &r.to {
                None => r.from == *p,
                Some(to) => {
                    let pos = |n: &str| d.paragraphs.iter().position(|q| q.number == n);
                    match (pos(&r.from), pos(to), pos(p)) {
                        (Some(a), Some(b), Some(x)) => a <= x && x <= b,
                        _ => false,
                    }
                }
            }
        }
    }
}

pub(super) fn refs(cli: &Cli, doc: &str, at: Option<&str>, unresolved: bool, out: &OutputArgs) -> Result<ExitCode> {
    let mut opened = open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let meta: &IndexMeta = &opened.meta;
    let d = meta.check_doc(doc)?;
    let at = match at {
        None => At::Document,
        Some(a) => match asked_paragraph(a) {
            Some(p) if d.paragraphs.iter().any(|q| q.number == p) => At::Paragraph(p),
            Some(p) => {
                return Err(Error::NoSuchPage {
                    doc: d.id.clone(),
                    page: format!("paragraph {p}"),
                    hint: "`riskreg toc` lists its chapters; paragraphs are numbered within them".into(),
                })
            }
            None => {
                let (n, printed) = d.resolve_page(&PageRef::Printed(a.to_string()))?;
                At::Page(n, printed)
            }
        },
    };
    let links = LinkBase::Corpus(&cli.corpus);
    let refers_to: Vec<json::ReferenceOut> = d
        .references
        .iter()
        .filter(|r| match &at {
            At::Document => true,
            At::Paragraph(p) => r.para.as_deref() == Some(p.as_str()),
            At::Page(n, _) => r.page == *n,
        })
        .filter(|r| !unresolved || r.target.is_none())
        .map(|r| json::reference(meta, d, r, links))
        .collect();
    let referred_to_by: Vec<json::ReferenceOut> = if unresolved {
        Vec::new()
    } else {
        meta.docs
            .iter()
            .filter(|o| !matches!(at, At::Document) || o.id != d.id)
            .flat_map(|o| o.references.iter().filter(|r| leads_to(r, d, &at)).map(move |r| (o, r)))
            .map(|(o, r)| json::reference(meta, o, r, links))
            .collect()
    };
    let (label, heading) = match &at {
        At::Document => (None, format!("{} ({})", d.short_title, d.id)),
        At::Paragraph(p) => {
            let span = d.paragraphs.iter().find(|q| q.number == *p).expect("checked above");
            let page = |n: u32| d.page_labels.get(n as usize - 1).cloned().unwrap_or_else(|| n.to_string());
            let pages = if span.page == span.end_page {
                format!("p. {}", page(span.page))
            } else {
                format!("pp. {}–{}", page(span.page), page(span.end_page))
            };
            (Some(format!("¶{p}")), format!("{} · ¶{p} · {pages}", d.short_title))
        }
        At::Page(_, printed) => (Some(format!("p. {printed}")), format!("{} · p. {printed}", d.short_title)),
    };
    let found = !refers_to.is_empty() || !referred_to_by.is_empty();
    let report = json::RefsOut { doc: d.id.clone(), at: label, refers_to, referred_to_by };
    if out.json {
        emit(&json::to_string(&report))?;
    } else {
        let title = |id: &str| meta.doc(id).map_or(id.to_string(), |d| d.short_title.clone());
        render::emit_paged(&render::xref::refs(&report, &heading, &title)).map_err(Error::Output)?;
    }
    Ok(if found { ExitCode::Success } else { ExitCode::NothingFound })
}

/// Where `--fix` writes: `--output`, the draft itself (`--in-place`), or
/// `NAME.fixed.EXT` beside it; `None`: standard output (a draft read from it).
fn fixed_path(file: &Path, output: Option<&Path>, in_place: bool) -> Option<std::path::PathBuf> {
    if let Some(o) = output {
        return Some(o.to_path_buf());
    }
    if file == Path::new("-") {
        return None;
    }
    if in_place {
        return Some(file.to_path_buf());
    }
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "draft".into());
    let name = match file.extension() {
        Some(ext) => format!("{stem}.fixed.{}", ext.to_string_lossy()),
        None => format!("{stem}.fixed"),
    };
    Some(file.with_file_name(name))
}

pub(super) fn verify(
    cli: &Cli,
    file: &Path,
    fix: bool,
    output: Option<&Path>,
    in_place: bool,
    out: &OutputArgs,
) -> Result<ExitCode> {
    if in_place && file == Path::new("-") {
        return Err(Error::Usage("--in-place needs a file; a draft read from standard input has none".into()));
    }
    // The draft is read (and refused, if it must be) before any index work.
    let draft = crate::draft::read(file)?;
    let mut opened = open_or_build(cli)?;
    opened.meta.load_pages(&opened.generation)?;
    let cat = Catalogue::new(&opened.meta);
    let mut engine = crate::search::Engine::new(&opened)?;
    let lines: Vec<&str> = draft.lines.iter().map(|l| l.text.as_str()).collect();
    let checked = verify::check(&lines, &cat, &mut engine)?;

    let mut fixed = None;
    if fix {
        let edits: Vec<crate::draft::Edit> = checked
            .iter()
            .flat_map(|c| &c.fixes)
            .map(|f| crate::draft::Edit {
                line: f.line,
                start: f.start,
                end: f.end,
                replacement: f.replacement.clone(),
            })
            .collect();
        let bytes = draft.with_edits(&edits)?;
        match fixed_path(file, output, in_place) {
            Some(path) => {
                crate::draft::write_copy(&path, &bytes)?;
                fixed = Some(path.display().to_string());
            }
            None => {
                use std::io::Write;
                let mut so = std::io::stdout().lock();
                so.write_all(&bytes).and_then(|()| so.flush()).map_err(Error::Output)?;
            }
        }
    }
    let places: Vec<String> = draft.lines.iter().map(|l| l.place()).collect();
    let lines: Vec<json::DraftLineIn> =
        draft.lines.iter().zip(&places).map(|(l, place)| json::DraftLineIn { place, text: &l.text }).collect();
    let links = LinkBase::Corpus(&cli.corpus);
    let report = json::verify_report(&opened.meta, &draft.name, &lines, &checked, links, fixed);
    let text = if out.json { json::to_string(&report) } else { render::xref::verify(&report) };
    if fix && output.is_none() && file == Path::new("-") {
        // The corrected draft took standard output: the report goes to standard error.
        render::note(text.trim_end());
    } else {
        emit(&text)?;
    }
    Ok(if report.problems == 0 { ExitCode::Success } else { ExitCode::SomeFailed })
}
