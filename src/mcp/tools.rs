//! The tools `riskreg mcp` offers: each one's name, description and
//! argument schema (`list`), and the work it does on one open generation
//! (`call`), answering with the JSON the command line's `--json` prints for
//! the same request.
//!
//! A tool is one row in `list`, one arm in `call`, a `…Args` struct (its
//! schema, read by serde and described by schemars) and a function.

use std::path::Path;
use std::sync::Arc;

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::PageRef;
use crate::render::json;
use crate::render::link::LinkBase;
use crate::search::{By, Engine, SearchInput, SearchRequest};
use crate::serve::state::Live;

pub const SEARCH: &str = "search";
pub const SHOW_PAGE: &str = "show_page";
pub const TOC: &str = "toc";
pub const LIST_DOCUMENTS: &str = "list_documents";
pub const VERIFY_CITATIONS: &str = "verify_citations";
pub const DEFINE: &str = "define";

/// What `verify_citations` calls the draft it was given, in its report.
pub const DRAFT_NAME: &str = "draft";

/// Said by every tool that returns the documents' text.
const QUOTED: &str = "The text is the regulator's own, quoted word for word from its published PDFs \
(not a summary, not generated): quote it as such and cite it with `citation.text`.";

/// Where a tool call runs: the generation to answer from, and the corpus
/// folder its records' files are relative to.
pub struct Ctx<'a> {
    pub live: &'a Live,
    pub corpus: &'a Path,
    pub vocabulary: &'a crate::vocab::Expander,
}

/// `search`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchArgs {
    /// What to look for. Words (all must match; stemmed, so "trafficked" finds "trafficking"),
    /// "an exact phrase" in double quotes, a OR b, -word or NOT word to exclude, recruit* for a
    /// prefix, word~1 for near spellings, and filters: doc:ror, chapter:9, chapter:A12,
    /// page:200..230 (printed pages), para:9.12, harm:"human trafficking" (the chapters about a
    /// kind of harm).
    pub query: String,
    /// Only this document: an id from list_documents (e.g. "ror"), or several separated by
    /// commas ("ror,icjg"): any of them. Default: every document.
    #[serde(default)]
    pub doc: Option<String>,
    /// "passage" (default): the matching pages, best first, each with its citation and
    /// snippets. "chapter": each matching chapter once, with its printed page range and its
    /// best passage.
    #[serde(default)]
    pub by: ByArg,
    /// How many results, 1 to 1000. Default 10.
    #[serde(default)]
    pub limit: Option<usize>,
    /// Skip this many results first (the next page of results). Default 0.
    #[serde(default)]
    pub offset: Option<usize>,
    /// A date, YYYY-MM-DD: search the editions that were in force on that day.
    #[serde(default)]
    pub as_of: Option<String>,
    /// Also search superseded editions. Default false: current editions only.
    #[serde(default)]
    pub all_versions: bool,
    /// Search only the words typed. Default false: terms users type that the regulator
    /// writes differently (and acronyms) are searched too, below the words typed, and listed
    /// in `also_searched`.
    #[serde(default)]
    pub exact: bool,
}

/// How `search` groups its results.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum ByArg {
    #[default]
    Passage,
    Chapter,
}

/// `show_page`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowPageArgs {
    /// The document: an id from list_documents (e.g. "ror"), or its PDF's file name.
    pub doc: String,
    /// The page number printed on the page, as a citation gives it: "209", "iv".
    #[serde(default)]
    pub page: Option<String>,
    /// Or the physical page, as a PDF viewer counts (1 is the first); `pdf_page` in results.
    #[serde(default)]
    pub pdf_page: Option<u32>,
}

/// `toc`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TocArgs {
    /// The document: an id from list_documents (e.g. "icjg"), or its PDF's file name.
    pub doc: String,
}

/// `define`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefineArgs {
    /// A term or an acronym, e.g. "CSAM" or "user-to-user service" (case does not matter; an
    /// acronym finds its long form's definition and the reverse).
    pub term: String,
    /// Only this document's definitions: an id from list_documents. Default: every document.
    #[serde(default)]
    pub doc: Option<String>,
}

/// `list_documents` takes none.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

/// `verify_citations`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyArgs {
    /// The draft (a letter, a memo, an answer) whose citations to check, as plain text; its
    /// lines are numbered from 1 in the report.
    pub text: String,
}

fn tool<A: JsonSchema + 'static>(name: &'static str, title: &str, description: String) -> Tool {
    Tool::new(name, description, Arc::new(JsonObject::new())).with_input_schema::<A>().with_title(title).annotate(
        ToolAnnotations::with_title(title).read_only(true).destructive(false).idempotent(true).open_world(false),
    )
}

/// Every tool, as `tools/list` shows it.
pub fn list() -> Vec<Tool> {
    vec![
        tool::<SearchArgs>(
            SEARCH,
            "Search the regulator's guidance",
            format!(
                "Search the indexed guidance of Ofcom, the UK online safety regulator (the Illegal Harms \
                 Register of Risks, the Illegal Content Judgements Guidance, the statement volumes, the Codes \
                 of Practice and the guidance around them; list_documents names them). Returns the JSON of \
                 `riskreg search --json`: `results`, best first, each with `citation.text` (the citation to \
                 paste: document, edition date, chapter, printed page, ¶ paragraph), the citation's fields \
                 (doc, chapter_heading, chapter_pages, page, pdf_page, paragraph, pdf_link, styles.oscola …) \
                 and `snippets` with the matching words at `highlights`. With by=chapter, each matching \
                 chapter once with its page range. An empty `results` means nothing matched. {QUOTED}"
            ),
        ),
        tool::<ShowPageArgs>(
            SHOW_PAGE,
            "Read one page",
            format!(
                "The whole text of one page of an indexed document, to read a passage in full before quoting \
                 it: give `page` as printed on the page (as citations give it) or `pdf_page`. Returns the JSON \
                 of `riskreg show --json`: doc, doc_title, page (printed), pdf_page, pdf_link, `sections` (the \
                 page's text under each chapter heading on it), `footnotes`, and `references` (what the page \
                 cites, each with where it leads). {QUOTED}"
            ),
        ),
        tool::<TocArgs>(
            TOC,
            "A document's chapters",
            "A document's title, edition and chapters (`toc`): each chapter's heading, its printed \
             pages (`printed_start`, `printed_end`) and PDF pages, and the chapter's citation in each style. \
             Returns the JSON of `riskreg toc --json`. The headings are the regulator's own."
                .to_string(),
        ),
        tool::<NoArgs>(
            LIST_DOCUMENTS,
            "The documents indexed",
            "The documents riskreg can search and quote: each one's id (what `doc` takes), title, short \
             title, edition (version, date), whether it is current or superseded (and by which), pages, \
             and chapters. Returns the JSON of `riskreg docs --json`."
                .to_string(),
        ),
        tool::<VerifyArgs>(
            VERIFY_CITATIONS,
            "Check a draft's citations",
            "Check every citation of the indexed documents in a draft (\"Register of Risks, para 9.14, p. \
             209\", \"paras 9.12–9.15 of the ICJG\", a quotation with its page): that the paragraph, page \
             or chapter exists and they agree, that a quotation is on the page cited, and that the edition \
             cited is the one in force. Returns the JSON of `riskreg verify --json`: `ok` and `problems` \
             counts, and per citation its line and column, `status` (ok or problem), `problems` (why), \
             `fix` (the corrected citation, when there is one) and where each pinpoint leads."
                .to_string(),
        ),
        tool::<DefineArgs>(
            DEFINE,
            "What a term means in the guidance",
            format!(
                "The definitions the indexed documents give of a term or an acronym: their glossary \
                 entries first, then sentences such as \"In this guidance, X means …\". Returns the JSON of \
                 `riskreg define --json`: `definitions`, each with `term` (as printed), `kind` (glossary or \
                 sentence), `text` and `citation` (with `citation.text`); when there is none, `suggestions` \
                 names the nearest defined terms. {QUOTED}"
            ),
        ),
    ]
}

/// A tool's answer: its JSON as text (fields in the order `--json` prints
/// them) and as a value.
pub struct Answer {
    pub text: String,
    pub value: serde_json::Value,
}

/// Run tool `name` with `args`: `None` when there is no such tool.
pub fn call(ctx: &Ctx, name: &str, args: JsonObject) -> Option<Result<Answer>> {
    Some(match name {
        SEARCH => run(name, args, |a| search(ctx, a)),
        SHOW_PAGE => run(name, args, |a| show_page(ctx, a)),
        TOC => run(name, args, |a| toc(ctx, a)),
        LIST_DOCUMENTS => run(name, args, |_: NoArgs| Ok(json::docs(&ctx.live.opened.meta))),
        VERIFY_CITATIONS => run(name, args, |a| verify_citations(ctx, a)),
        DEFINE => run(name, args, |a| define(ctx, a)),
        _ => return None,
    })
}

/// The arguments read into `A` (a mistake is named, for the assistant to
/// correct), the work done, its output as JSON.
fn run<A: DeserializeOwned, O: Serialize>(
    name: &str,
    args: JsonObject,
    work: impl FnOnce(A) -> Result<O>,
) -> Result<Answer> {
    let args = serde_json::from_value(serde_json::Value::Object(args))
        .map_err(|e| Error::Usage(format!("{name}: the arguments do not fit the tool's schema: {e}")))?;
    let text = serde_json::to_string(&work(args)?).expect("output DTOs serialise");
    // Read back from the text, not converted from the DTO: a score (f32)
    // then has the digits `--json` prints, not its f64 expansion.
    let value = serde_json::from_str(&text).expect("JSON just written reads back");
    Ok(Answer { text, value })
}

fn search(ctx: &Ctx, a: SearchArgs) -> Result<json::SearchOut> {
    let req = SearchRequest::new(SearchInput {
        query: a.query,
        by: match a.by {
            ByArg::Passage => By::Passage,
            ByArg::Chapter => By::Chapter,
        },
        limit: a.limit,
        offset: a.offset,
        docs: a.doc.map(|d| d.split(',').map(str::to_string).collect()).unwrap_or_default(),
        all_versions: a.all_versions,
        as_of: a.as_of.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
        exact: a.exact,
    })?;
    let mut req = req;
    req.expand(ctx.vocabulary);
    req.scope_harms(ctx.vocabulary, &ctx.live.opened.meta)?;
    let mut engine = Engine::new(&ctx.live.opened)?;
    let mut prepare = |r: &mut SearchRequest| {
        r.expand(ctx.vocabulary);
        r.scope_harms(ctx.vocabulary, &ctx.live.opened.meta)
    };
    let req = engine.unquoted_if_nothing(&req, &mut prepare)?.unwrap_or(req);
    let links = LinkBase::Corpus(ctx.corpus);
    let out = match req.by {
        By::Passage => json::hits(&req.query, &engine.hits(&req.node, &req.options)?, links),
        By::Chapter => json::chapters(&req.query, &engine.chapters(&req.node, &req.options)?, links),
    };
    let better = match req.options.offset {
        0 => engine.did_you_mean(&req.node, &req.query, out.total, &req.options)?,
        _ => None,
    };
    Ok(out.with(&req, &better))
}

/// The PDF of a document for a link, as the command line gives it: its
/// absolute path, or none when the file is no longer there.
fn pdf_path(ctx: &Ctx, file: &str) -> Option<String> {
    let path = crate::render::link::absolute(ctx.corpus, file);
    path.is_file().then(|| path.display().to_string())
}

fn show_page(ctx: &Ctx, a: ShowPageArgs) -> Result<json::PageOut> {
    let meta = &ctx.live.opened.meta;
    let d = meta.check_doc(&a.doc)?;
    let asked = match (a.page, a.pdf_page) {
        (Some(_), Some(_)) => return Err(Error::Usage("give `page` or `pdf_page`, not both".into())),
        (Some(label), None) => PageRef::Printed(label.trim().to_string()),
        (None, Some(n)) => PageRef::Physical(n),
        (None, None) => {
            return Err(Error::Usage(
                "say which page: `page` as printed on it (e.g. \"209\"), or `pdf_page` as a PDF viewer counts".into(),
            ))
        }
    };
    let (physical, printed) = d.resolve_page(&asked)?;
    let parts = Engine::new(&ctx.live.opened)?.page(&d.id, physical)?;
    let links = LinkBase::Corpus(ctx.corpus);
    let mut page = json::page(d, &printed, physical, pdf_path(ctx, &d.file).as_deref(), &parts, &[]);
    page.references =
        d.references.iter().filter(|r| r.page == physical).map(|r| json::reference(meta, d, r, links)).collect();
    Ok(page)
}

fn toc(ctx: &Ctx, a: TocArgs) -> Result<json::DocOut> {
    let d = ctx.live.opened.meta.check_doc(&a.doc)?;
    Ok(json::toc(d, LinkBase::Corpus(ctx.corpus)))
}

fn verify_citations(ctx: &Ctx, a: VerifyArgs) -> Result<json::VerifyOut> {
    let draft = crate::draft::from_bytes(DRAFT_NAME, crate::draft::DraftKind::Text, a.text.into_bytes())?;
    let meta = &ctx.live.opened.meta;
    let checked = {
        let cat = crate::verify::Catalogue::new(meta);
        let mut engine = Engine::new(&ctx.live.opened)?;
        let lines: Vec<&str> = draft.lines.iter().map(|l| l.text.as_str()).collect();
        crate::verify::check(&lines, &cat, &mut engine)?
    };
    let places: Vec<String> = draft.lines.iter().map(|l| l.place()).collect();
    let lines: Vec<json::DraftLineIn> =
        draft.lines.iter().zip(&places).map(|(l, place)| json::DraftLineIn { place, text: &l.text }).collect();
    Ok(json::verify_report(meta, &draft.name, &lines, &checked, LinkBase::Corpus(ctx.corpus), None))
}

fn define(ctx: &Ctx, a: DefineArgs) -> Result<json::DefineOut> {
    let meta = &ctx.live.opened.meta;
    let doc = match &a.doc {
        Some(asked) => Some(meta.check_doc(asked)?.id.as_str()),
        None => None,
    };
    let found = crate::index::terms::lookup(meta, &a.term, doc);
    let suggestions = if found.is_empty() { crate::index::terms::nearest(meta, &a.term, doc, 3) } else { Vec::new() };
    Ok(json::define(&a.term, &found, &suggestions, LinkBase::Corpus(ctx.corpus)))
}
