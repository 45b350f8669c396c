//! Watched searches (`riskreg watch`): `corpus/watches.toml`, a list of
//! named queries a team wants to hear about, and `corpus/.watch-state.json`,
//! what each watch had found when it last reported. Owns both files (read,
//! checked with messages that name the file, entry and field; edited as text
//! so comments survive; written by temp file and rename), gathers what a
//! watch finds now as paragraphs, and compares that with what it saw.
//!
//! ```toml
//! [[watch]]
//! name = "trafficking"           # letters, digits, - _ .
//! query = "\"human trafficking\" OR \"debt bondage\""   # the query language of `search`
//! doc = ["ror"]                  # optional: only these documents (ids or PDF file names)
//! exact = false                  # optional: no terms from vocabulary.toml
//! ```
//!
//! What a watch finds: every *unit* — a numbered paragraph, or where a match
//! lies outside numbered paragraphs, the chapter's text on that page — of a
//! current edition on a page the query matches (at most
//! [`crate::search::request::MAX_LIMIT`] pages, best first) whose own text
//! holds a word or phrase of the query. A unit is keyed by its document's
//! first edition (so a new edition's ¶9.14 is the same unit as the old
//! one's) and its ¶ number (or chapter heading and printed page), and
//! compared by its words (spacing aside).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diff::Words;
use crate::error::{Error, Result};
use crate::index::{DocRecord, IndexMeta};
use crate::search::{Citation, Engine, SearchRequest};
use crate::structure::Structure;

/// The watches' file, beside `sources.toml`.
pub const FILE_NAME: &str = "watches.toml";
/// What each watch saw when it last reported, beside the watches' file.
pub const STATE_FILE: &str = ".watch-state.json";
/// The state file's format.
pub const STATE_VERSION: u32 = 1;
const FIELDS: &[&str] = &["name", "query", "doc", "exact"];

/// One watched search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    pub name: String,
    pub query: String,
    /// Only these documents (ids or file names); empty: every document.
    pub docs: Vec<String>,
    /// No vocabulary expansion.
    pub exact: bool,
}

impl Watch {
    /// The search the watch runs: the same check `search` makes.
    pub fn request(&self) -> Result<SearchRequest> {
        SearchRequest::new(crate::search::SearchInput {
            query: self.query.clone(),
            limit: Some(crate::search::request::MAX_LIMIT),
            docs: self.docs.clone(),
            exact: self.exact,
            ..Default::default()
        })
    }

    /// The watch as a `[[watch]]` table.
    fn to_toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut t = format!("[[watch]]\nname = {}\nquery = {}\n", q(&self.name), q(&self.query));
        if !self.docs.is_empty() {
            let docs: Vec<String> = self.docs.iter().map(|d| q(d)).collect();
            t.push_str(&format!("doc = [{}]\n", docs.join(", ")));
        }
        if self.exact {
            t.push_str("exact = true\n");
        }
        t
    }
}

/// A problem with the watches' file: one sentence naming the file, the entry
/// (`[[watch]] "csam"`, `[[watch]] 2`) and the field.
pub type WatchError = crate::entry_error::EntryError;

/// A name is what a cron line or `watch rm` types: letters, digits, `-_.`.
fn check_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() {
        return Err("is empty".into());
    }
    if let Some(c) = name.chars().find(|c| !(c.is_alphanumeric() || "-_.".contains(*c))) {
        return Err(format!("\"{name}\" has the character '{c}'; a name is letters, digits, - _ ."));
    }
    Ok(())
}

/// Parse and check the watches' file; `label` names it in messages.
pub fn parse(text: &str, label: &str) -> std::result::Result<Vec<Watch>, WatchError> {
    let err = |entry: Option<String>, field: Option<&str>, detail: String| WatchError::new(label, entry, field, detail);
    let table = WatchError::parse_toml(text, label)?;
    if let Some(key) = table.keys().find(|k| *k != "watch") {
        return Err(err(None, None, format!("unknown top-level key \"{key}\" (expected [[watch]] tables)")));
    }
    let items = match table.get("watch") {
        None => return Ok(Vec::new()),
        Some(toml::Value::Array(a)) => a,
        Some(_) => return Err(err(None, None, "\"watch\" must be written as [[watch]] tables".into())),
    };
    let mut out: Vec<Watch> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut entry = format!("[[watch]] {}", i + 1);
        let Some(t) = item.as_table() else {
            return Err(err(Some(entry), None, "is not a table (write it as [[watch]])".into()));
        };
        if let Some(toml::Value::String(name)) = t.get("name") {
            entry = format!("[[watch]] \"{name}\"");
        }
        let e = |field: Option<&str>, detail: String| err(Some(entry.clone()), field, detail);
        if let Some(key) = t.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(e(
                None,
                format!("unknown field \"{key}\" (a [[watch]] has \"name\", \"query\", \"doc\", \"exact\")"),
            ));
        }
        let string = |field: &str| -> std::result::Result<String, WatchError> {
            match t.get(field) {
                None => Err(e(Some(field), "is missing".into())),
                Some(toml::Value::String(s)) => Ok(s.trim().to_string()),
                Some(_) => Err(e(Some(field), "must be a string".into())),
            }
        };
        let name = string("name")?;
        check_name(&name).map_err(|d| e(Some("name"), d))?;
        if out.iter().any(|w| w.name == name) {
            return Err(e(Some("name"), format!("\"{name}\" is the name of an earlier watch; names must differ")));
        }
        let query = string("query")?;
        let docs = match t.get("doc") {
            None => Vec::new(),
            Some(toml::Value::String(s)) => vec![s.clone()],
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| e(Some("doc"), "must be a list of document ids (strings)".into()))?,
            Some(_) => return Err(e(Some("doc"), "must be a list of document ids (strings)".into())),
        };
        let exact = match t.get("exact") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => return Err(e(Some("exact"), "must be true or false".into())),
        };
        let w = Watch { name, query, docs, exact };
        if let Err(problem) = w.request() {
            return Err(e(Some("query"), problem.to_string()));
        }
        out.push(w);
    }
    Ok(out)
}

fn label(corpus: &Path) -> String {
    corpus.join(FILE_NAME).display().to_string()
}

/// The corpus's watches, checked; none when there is no file.
pub fn load(corpus: &Path) -> Result<Vec<Watch>> {
    let path = corpus.join(FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(parse(&text, &label(corpus))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(Error::Io { path, source }),
    }
}

fn read_text(path: &Path) -> Result<String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(source) => Err(Error::Io { path: path.to_path_buf(), source }),
    }
}

/// Write `text` to `path` whole or not at all: a temporary file beside it,
/// then a rename.
fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp: PathBuf = path.with_file_name(name);
    std::fs::write(&tmp, text).map_err(|source| Error::Io { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, path).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// Add a watch at the end of the file (created if need be); the rest of the
/// file, comments included, stays as it was.
pub fn add(corpus: &Path, watch: &Watch) -> Result<()> {
    let path = corpus.join(FILE_NAME);
    let text = read_text(&path)?;
    let watches = parse(&text, &label(corpus))?;
    let entry = format!("[[watch]] \"{}\"", watch.name);
    let e = |field: &str, detail: String| WatchError {
        file: label(corpus),
        entry: Some(entry.clone()),
        field: Some(field.to_string()),
        detail,
    };
    check_name(&watch.name).map_err(|d| e("name", d))?;
    if watches.iter().any(|w| w.name == watch.name) {
        return Err(
            e("name", "there is a watch of that name already; remove it first (riskreg watch rm)".into()).into()
        );
    }
    // The query is checked as `search` checks it (its message has the column).
    watch.request()?;
    let mut out = text.clone();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.trim().is_empty() {
        out.push('\n');
    }
    out.push_str(&watch.to_toml());
    parse(&out, &label(corpus))?;
    write_atomic(&path, &out)
}

/// Remove the watch called `name` from the file: its `[[watch]]` table, up
/// to the next table or the comments right above it. Everything else stays.
pub fn remove(corpus: &Path, name: &str) -> Result<Watch> {
    let path = corpus.join(FILE_NAME);
    let text = read_text(&path)?;
    let watches = parse(&text, &label(corpus))?;
    let Some(i) = watches.iter().position(|w| w.name == name) else {
        let known: Vec<&str> = watches.iter().map(|w| w.name.as_str()).collect();
        let detail = if known.is_empty() {
            format!("no watch is called \"{name}\"; the file has none")
        } else {
            format!("no watch is called \"{name}\"; the watches are {}", known.join(", "))
        };
        return Err(WatchError { file: label(corpus), entry: None, field: None, detail }.into());
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_header = |l: &str| l.trim_start().starts_with('[');
    let starts: Vec<usize> = (0..lines.len()).filter(|&n| lines[n].trim() == "[[watch]]").collect();
    let start = starts[i];
    let mut end = (start + 1..lines.len()).find(|&n| is_header(lines[n])).unwrap_or(lines.len());
    // Comments and blank lines just above the next table belong to it.
    if end < lines.len() {
        while end > start + 1 && (lines[end - 1].trim().is_empty() || lines[end - 1].trim_start().starts_with('#')) {
            end -= 1;
        }
    }
    // One blank line between what stood before and after, not two.
    let blank_before = start == 0 || lines[start - 1].trim().is_empty();
    while blank_before && end < lines.len() && lines[end].trim().is_empty() {
        end += 1;
    }
    let mut out: String = lines[..start].concat();
    out.push_str(&lines[end..].concat());
    let left = parse(&out, &label(corpus))?;
    if left.len() + 1 != watches.len() {
        return Err(Error::Usage(format!(
            "{}: could not remove the watch \"{name}\" (edit the file by hand)",
            label(corpus)
        )));
    }
    write_atomic(&path, &out)?;
    Ok(watches[i].clone())
}

/// What one watch saw of one unit when it last reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeenUnit {
    /// The edition it was in.
    pub doc: String,
    pub version: Option<String>,
    /// The citation line it was reported with.
    pub cite: String,
    /// sha256 of its words (spacing aside).
    pub hash: String,
    pub text: String,
}

/// What one watch saw when it last reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Seen {
    /// The watch as it was then: another query sets a new baseline.
    pub query: String,
    pub docs: Vec<String>,
    pub exact: bool,
    /// When (RFC 3339, UTC).
    pub reported: String,
    pub units: BTreeMap<String, SeenUnit>,
}

/// The state file: each watch's last report.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WatchState {
    pub version: u32,
    pub watches: BTreeMap<String, Seen>,
}

impl WatchState {
    /// The corpus's state file; an empty state when there is none.
    pub fn load(corpus: &Path) -> Result<WatchState> {
        let path = corpus.join(STATE_FILE);
        let text = read_text(&path)?;
        if text.trim().is_empty() {
            return Ok(WatchState { version: STATE_VERSION, watches: BTreeMap::new() });
        }
        let state: WatchState = serde_json::from_str(&text).map_err(|e| {
            Error::Usage(format!(
                "{}: cannot be read ({e}); delete it to set every watch's baseline again",
                path.display()
            ))
        })?;
        if state.version != STATE_VERSION {
            return Err(Error::Usage(format!(
                "{}: state format {} (this riskreg reads {STATE_VERSION}); delete it to set every watch's baseline again",
                path.display(),
                state.version
            )));
        }
        Ok(state)
    }

    pub fn save(&self, corpus: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).expect("state serialises");
        write_atomic(&corpus.join(STATE_FILE), &format!("{text}\n"))
    }
}

/// A paragraph (or a chapter's text on a page) a watch finds now.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable across editions: first edition's id, then `¶9.14` or
    /// `chapter heading · p. 12`.
    pub key: String,
    /// Its citation (a paragraph over a page break cites both pages).
    pub citation: Citation,
    pub text: String,
    /// Where the query's words and phrases are in `text`.
    pub highlights: Vec<Range<usize>>,
}

impl Unit {
    fn hash(&self) -> String {
        hash(&self.text)
    }
}

fn hash(text: &str) -> String {
    crate::corpus::sha256_hex(crate::text::words(text).join(" ").as_bytes())
}

/// What a watch finds now.
#[derive(Debug, Clone)]
pub struct Found {
    pub units: Vec<Unit>,
    /// Pages the query matched, and how many of them were read (fewer when
    /// more than the limit match).
    pub pages_total: usize,
    pub pages_read: usize,
}

/// A document's structure (from the extraction cache, as `diff` reads it).
pub type StructureOf<'a> = dyn FnMut(&DocRecord) -> Result<std::rc::Rc<Structure>> + 'a;

/// Every unit `req` finds now, in the index's document order, then
/// document order. `meta` must have its pages loaded (labels, contents).
pub fn gather(
    engine: &mut Engine,
    meta: &IndexMeta,
    req: &SearchRequest,
    structure_of: &mut StructureOf,
) -> Result<Found> {
    let mut opts = req.options.clone();
    opts.offset = 0;
    opts.snippets = 1;
    let results = engine.hits(&req.node, &opts)?;
    let mut by_doc: HashMap<&str, Vec<&crate::search::Hit>> = HashMap::new();
    for h in &results.hits {
        by_doc.entry(h.citation.doc.as_str()).or_default().push(h);
    }
    let mut units = Vec::new();
    for d in &meta.docs {
        let Some(hits) = by_doc.get(d.id.as_str()) else { continue };
        let chain = meta.editions(d).first().map_or(d.id.clone(), |e| e.id.clone());
        let pages: HashSet<u32> = hits.iter().map(|h| h.citation.pdf_page).collect();
        let mut covered: HashSet<u32> = HashSet::new();
        let structure = structure_of(d)?;
        for p in crate::diff::paragraphs(&structure) {
            if !(p.pdf_page..=p.end_pdf_page).any(|n| pages.contains(&n)) {
                continue;
            }
            let highlights = engine.highlights(&req.node, &[p.text.as_str()]).remove(0);
            if highlights.is_empty() {
                continue;
            }
            covered.extend((p.pdf_page..=p.end_pdf_page).filter(|n| pages.contains(n)));
            let mut citation = match hits.iter().find(|h| h.citation.pdf_page == p.pdf_page) {
                Some(h) => h.citation.clone(),
                None => chapter_citation(d, &p.page, p.pdf_page, &p.chapter),
            };
            citation.paragraph = Some(p.number.clone());
            citation.footnote = None;
            citation.page = p.page.clone();
            citation.pdf_page = p.pdf_page;
            citation.page_end = (p.end_pdf_page != p.pdf_page).then(|| (label_of(d, p.end_pdf_page), p.end_pdf_page));
            units.push(Unit { key: format!("{chain} ¶{}", p.number), citation, text: p.text, highlights });
        }
        // Matches outside numbered paragraphs: the chapter's text on the page.
        for h in hits.iter().filter(|h| !covered.contains(&h.citation.pdf_page)) {
            let page = engine.page(&d.id, h.citation.pdf_page)?;
            let heading = &h.citation.chapter_heading;
            let Some((_, text)) = page.parts.into_iter().find(|(c, _)| c == heading) else { continue };
            let text = text.trim().to_string();
            let highlights = engine.highlights(&req.node, &[text.as_str()]).remove(0);
            // A page the query found only by the document's title or the
            // chapter's heading holds none of its words.
            if highlights.is_empty() {
                continue;
            }
            let mut citation = h.citation.clone();
            citation.page_end = None;
            citation.footnote = None;
            citation.paragraph = None;
            let key = format!("{chain} {heading} · p. {}", citation.page);
            units.push(Unit { key, citation, text, highlights });
        }
    }
    Ok(Found { units, pages_total: results.total, pages_read: results.hits.len() })
}

fn label_of(d: &DocRecord, pdf_page: u32) -> String {
    d.page_labels.get(pdf_page as usize - 1).cloned().unwrap_or_else(|| pdf_page.to_string())
}

/// A page's citation with its chapter from the contents (by heading, else
/// the chapter the page is in).
fn chapter_citation(d: &DocRecord, printed: &str, pdf_page: u32, heading: &str) -> Citation {
    let mut cit = Citation::of_page(d, printed, pdf_page);
    let entry = d
        .toc
        .iter()
        .find(|c| c.heading == heading)
        .or_else(|| d.toc.iter().rfind(|c| c.pdf_start <= pdf_page && pdf_page <= c.pdf_end));
    if let Some(c) = entry {
        cit.chapter = c.number.clone();
        cit.chapter_heading = c.heading.clone();
        cit.chapter_parent = c.parent.clone();
        cit.chapter_pages = (c.printed_start.clone(), c.printed_end.clone());
        cit.chapter_pdf_pages = (c.pdf_start, c.pdf_end);
    }
    cit
}

/// The edition a unit's edition replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    pub doc: String,
    pub version: Option<String>,
    pub date: Option<String>,
}

/// A unit that is new, or whose words changed.
#[derive(Debug, Clone)]
pub struct Change {
    pub unit: Unit,
    /// For a changed unit: its words before (with the edition and citation
    /// it had then) and the words compared.
    pub before: Option<Before>,
    /// When the unit is in an edition the watch had not seen: the edition
    /// that edition replaces.
    pub replaces: Option<Edition>,
}

#[derive(Debug, Clone)]
pub struct Before {
    pub doc: String,
    pub version: Option<String>,
    pub cite: String,
    pub words: Vec<Words>,
}

/// A unit found before and not now.
#[derive(Debug, Clone, PartialEq)]
pub struct Gone {
    pub key: String,
    /// Its citation line when last reported.
    pub cite: String,
}

/// Why a watch set a baseline rather than reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineWhy {
    /// Its first run.
    First,
    /// Its query, documents or exactness changed since its last report.
    Edited,
}

/// What one watch reports.
#[derive(Debug, Clone)]
pub enum Outcome {
    Baseline { units: usize, why: BaselineWhy },
    Report { new: Vec<Change>, changed: Vec<Change>, gone: Vec<Gone> },
}

impl Outcome {
    /// Whether there is anything to read (the exit code: 0).
    pub fn is_news(&self) -> bool {
        matches!(self, Outcome::Report { new, changed, gone } if !(new.is_empty() && changed.is_empty() && gone.is_empty()))
    }
}

/// One watch's report.
#[derive(Debug, Clone)]
pub struct WatchReport {
    pub watch: Watch,
    pub outcome: Outcome,
    pub pages_total: usize,
    pub pages_read: usize,
    /// When the watch last reported (RFC 3339), if it had.
    pub last: Option<String>,
}

/// The edition `d` replaces, when the index holds it.
fn replaced(meta: &IndexMeta, d: &DocRecord) -> Option<Edition> {
    let prev = meta.doc(d.supersedes.as_deref()?)?;
    Some(Edition { doc: prev.id.clone(), version: prev.version.clone(), date: prev.date.clone() })
}

/// Compare what a watch finds now with what it saw last.
pub fn compare(meta: &IndexMeta, watch: &Watch, found: &Found, seen: Option<&Seen>) -> Outcome {
    let seen = match seen {
        None => return Outcome::Baseline { units: found.units.len(), why: BaselineWhy::First },
        Some(s) if (s.query.as_str(), &s.docs, s.exact) != (watch.query.as_str(), &watch.docs, watch.exact) => {
            return Outcome::Baseline { units: found.units.len(), why: BaselineWhy::Edited }
        }
        Some(s) => s,
    };
    let seen_docs: HashSet<&str> = seen.units.values().map(|u| u.doc.as_str()).collect();
    let replaces = |doc: &str| {
        if seen_docs.contains(doc) {
            return None;
        }
        meta.doc(doc).and_then(|d| replaced(meta, d))
    };
    let (mut new, mut changed) = (Vec::new(), Vec::new());
    for u in &found.units {
        match seen.units.get(&u.key) {
            None => new.push(Change { unit: u.clone(), before: None, replaces: replaces(&u.citation.doc) }),
            Some(s) if s.hash != u.hash() => changed.push(Change {
                unit: u.clone(),
                before: Some(Before {
                    doc: s.doc.clone(),
                    version: s.version.clone(),
                    cite: s.cite.clone(),
                    words: crate::diff::word_diff(&s.text, &u.text),
                }),
                replaces: replaces(&u.citation.doc),
            }),
            Some(_) => {}
        }
    }
    let now: HashSet<&str> = found.units.iter().map(|u| u.key.as_str()).collect();
    let gone = seen
        .units
        .iter()
        .filter(|(k, _)| !now.contains(k.as_str()))
        .map(|(k, s)| Gone { key: k.clone(), cite: s.cite.clone() })
        .collect();
    Outcome::Report { new, changed, gone }
}

/// What a watch has seen after this report: what it finds now.
pub fn seen_now(watch: &Watch, found: &Found, cite: &dyn Fn(&Citation) -> String, reported: &str) -> Seen {
    Seen {
        query: watch.query.clone(),
        docs: watch.docs.clone(),
        exact: watch.exact,
        reported: reported.to_string(),
        units: found
            .units
            .iter()
            .map(|u| {
                let s = SeenUnit {
                    doc: u.citation.doc.clone(),
                    version: u.citation.version.clone(),
                    cite: cite(&u.citation),
                    hash: u.hash(),
                    text: u.text.clone(),
                };
                (u.key.clone(), s)
            })
            .collect(),
    }
}

/// The date an edition counts from for `--since`: its publication date, or
/// (none in the manifest) the day its file was last modified.
pub fn edition_date(d: &DocRecord) -> String {
    match &d.date {
        Some(date) => date.clone(),
        None => {
            let (y, m, day) = crate::date::civil_from_days((d.modified / 1_000_000_000 / 86_400) as i64);
            format!("{y:04}-{m:02}-{day:02}")
        }
    }
}

/// The edition in force on a `--since` date, with its paragraphs' text by number.
type EarlierEdition = (Edition, HashMap<String, String>);

/// `--since DATE`: the units in editions dated after `since`, compared with
/// the edition of the same document in force on that date (the newest one
/// dated on or before it): a ¶ it lacks is new, one whose words differ is
/// changed. A document with no edition in force then is new whole. The
/// state is neither read nor written.
pub fn since(meta: &IndexMeta, found: &Found, since: &str, structure_of: &mut StructureOf) -> Result<Outcome> {
    let mut before_of: HashMap<String, Option<EarlierEdition>> = HashMap::new();
    let (mut new, mut changed) = (Vec::new(), Vec::new());
    for u in &found.units {
        let Some(d) = meta.doc(&u.citation.doc) else { continue };
        if edition_date(d).as_str() <= since {
            continue;
        }
        if !before_of.contains_key(&d.id) {
            let earlier = meta.editions(d).into_iter().rfind(|e| e.id != d.id && edition_date(e).as_str() <= since);
            let entry = match earlier {
                Some(e) => {
                    let paras = crate::diff::paragraphs(&*structure_of(e)?)
                        .into_iter()
                        .map(|p| (p.number, p.text))
                        .collect::<HashMap<_, _>>();
                    Some((Edition { doc: e.id.clone(), version: e.version.clone(), date: e.date.clone() }, paras))
                }
                None => None,
            };
            before_of.insert(d.id.clone(), entry);
        }
        match (&before_of[&d.id], &u.citation.paragraph) {
            (None, _) => new.push(Change { unit: u.clone(), before: None, replaces: None }),
            // Text outside numbered paragraphs has no counterpart to compare with.
            (Some(_), None) => {}
            (Some((e, paras)), Some(n)) => match paras.get(n) {
                None => new.push(Change { unit: u.clone(), before: None, replaces: Some(e.clone()) }),
                Some(old) if hash(old) != u.hash() => changed.push(Change {
                    unit: u.clone(),
                    before: Some(Before {
                        doc: e.doc.clone(),
                        version: e.version.clone(),
                        cite: String::new(),
                        words: crate::diff::word_diff(old, &u.text),
                    }),
                    replaces: Some(e.clone()),
                }),
                Some(_) => {}
            },
        }
    }
    Ok(Outcome::Report { new, changed, gone: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "corpus/watches.toml";

    #[track_caller]
    fn fails(text: &str, message: &str) {
        assert_eq!(parse(text, FILE).unwrap_err().to_string(), message);
    }

    #[test]
    fn watches_are_checked_with_messages_naming_entry_and_field() {
        let ok = parse("# ours\n[[watch]]\nname = \"t\"\nquery = \"fraud\"\ndoc = [\"ror\"]\n", FILE).unwrap();
        assert_eq!(ok, [Watch { name: "t".into(), query: "fraud".into(), docs: vec!["ror".into()], exact: false }]);
        assert_eq!(parse("", FILE).unwrap(), []);
        fails("[[watch]]\nquery = \"x\"\n", "corpus/watches.toml: [[watch]] 1: field \"name\": is missing");
        fails(
            "[[watch]]\nname = \"a b\"\nquery = \"x\"\n",
            "corpus/watches.toml: [[watch]] \"a b\": field \"name\": \"a b\" has the character ' '; a name is letters, digits, - _ .",
        );
        fails(
            "[[watch]]\nname = \"a\"\nquery = \"x\"\n[[watch]]\nname = \"a\"\nquery = \"y\"\n",
            "corpus/watches.toml: [[watch]] \"a\": field \"name\": \"a\" is the name of an earlier watch; names must differ",
        );
        fails(
            "[[watch]]\nname = \"a\"\nquery = \"(fraud\"\n",
            "corpus/watches.toml: [[watch]] \"a\": field \"query\": invalid query: this '(' is never closed; add a ')' (at column 1)\n  (fraud\n  ^",
        );
        fails(
            "[[watch]]\nname = \"a\"\nquery = \"x\"\nlimit = 3\n",
            "corpus/watches.toml: [[watch]] \"a\": unknown field \"limit\" (a [[watch]] has \"name\", \"query\", \"doc\", \"exact\")",
        );
        fails("[[watch]\n", "corpus/watches.toml: TOML syntax error on line 1: unclosed array table, expected `]`");
        fails("[watch]\nname = \"a\"\n", "corpus/watches.toml: \"watch\" must be written as [[watch]] tables");
    }

    #[test]
    fn a_watch_is_written_as_a_table_it_reads_back() {
        let w = Watch { name: "q".into(), query: "\"debt bondage\" OR x".into(), docs: vec!["a".into()], exact: true };
        assert_eq!(parse(&w.to_toml(), FILE).unwrap(), [w]);
    }
}
