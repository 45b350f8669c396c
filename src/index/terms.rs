//! The terms each document defines, found when it is indexed: acronyms
//! ("child sexual abuse material (CSAM)") kept in `riskreg.json`, which a
//! search reads anyway, so that a query can use them at no cost; and
//! definitions (glossary entries, defining sentences) kept in `terms.json`,
//! read only by `define`, `terms`, `serve` and a search whose query is a
//! defined term (the keys of the terms defined are in `riskreg.json`).

use crate::structure::{chapter_at, LabelSource, Structure};
use crate::terms;

/// An acronym and where the document first writes it out.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AcronymRecord {
    pub short: String,
    pub long: String,
    /// Physical page, and the numbered paragraph, of its first definition.
    pub page: u32,
    pub para: Option<String>,
}

/// Glossary entry or defining sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefinitionKind {
    Glossary,
    Sentence,
}

/// A definition and everything its citation needs, so that a search can
/// cite it without the pages of `pages.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Definition {
    /// As printed: "User-to-user (U2U) service".
    pub term: String,
    /// How it is looked up (`terms::key`): "user-to-user service".
    pub key: String,
    /// The acronym written in the term, if any: "U2U".
    pub short: Option<String>,
    pub text: String,
    pub kind: DefinitionKind,
    pub page: u32,
    pub printed: String,
    pub page_source: LabelSource,
    pub para: Option<String>,
    pub chapter: String,
    pub chapter_heading: String,
    pub chapter_pages: (String, String),
    pub chapter_pdf_pages: (u32, u32),
}

/// A run of a document's text: a numbered paragraph (its number taken off),
/// or one line of text outside any.
struct Unit {
    text: String,
    page: u32,
    line: usize,
    para: Option<String>,
}

/// The document's text as units, in reading order; headings and Contents
/// pages left out.
fn units(s: &Structure) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let para_at = |page: u32, line: usize| {
        s.paragraphs.iter().rfind(|p| (p.page, p.line) <= (page, line) && (page, line) <= (p.end_page, p.end_line))
    };
    let mut last_para: Option<String> = None;
    for p in s.pages.iter().filter(|p| !p.is_contents) {
        for (i, line) in p.lines.iter().enumerate() {
            if p.headings.contains(&i) {
                last_para = None;
                continue;
            }
            match para_at(p.physical, i) {
                Some(q) if last_para.as_deref() == Some(q.number.as_str()) && !out.is_empty() => {
                    let u = out.last_mut().expect("a unit");
                    u.text.push(' ');
                    u.text.push_str(line);
                }
                Some(q) => {
                    let text = line.strip_prefix(q.number.as_str()).map_or(line.as_str(), |r| r.trim_start());
                    let text = text.strip_prefix('.').map_or(text, str::trim_start);
                    out.push(Unit { text: text.to_string(), page: p.physical, line: i, para: Some(q.number.clone()) });
                    last_para = Some(q.number.clone());
                }
                None => {
                    out.push(Unit { text: line.clone(), page: p.physical, line: i, para: None });
                    last_para = None;
                }
            }
        }
    }
    out
}

/// The acronyms (first definition of each short form) and definitions of
/// one document.
pub(crate) fn found(s: &Structure) -> (Vec<AcronymRecord>, Vec<Definition>) {
    let units = units(s);
    let mut acronyms: Vec<AcronymRecord> = Vec::new();
    let mut add = |short: &str, long: &str, u: &Unit| {
        if !acronyms.iter().any(|a| a.short == short) {
            acronyms.push(AcronymRecord { short: short.into(), long: long.into(), page: u.page, para: u.para.clone() });
        }
    };
    // Lines outside paragraphs are joined in runs, so that a long form
    // broken over two lines is still seen whole.
    let mut run = String::new();
    let mut run_start = 0;
    for (i, u) in units.iter().enumerate() {
        if u.para.is_some() {
            for a in terms::acronyms(&u.text) {
                add(&a.short, &a.long, u);
            }
            continue;
        }
        if run.is_empty() {
            run_start = i;
        } else {
            run.push(' ');
        }
        run.push_str(&u.text);
        if units.get(i + 1).is_none_or(|n| n.para.is_some()) {
            for a in terms::acronyms(&run) {
                add(&a.short, &a.long, &units[run_start]);
            }
            run.clear();
        }
    }

    let mut defs: Vec<Definition> = Vec::new();
    let def = |term: &str, text: &str, kind: DefinitionKind, u: &Unit| {
        let chapter = chapter_at(&s.chapters, u.page, u.line).map(|c| &s.chapters[c]);
        let page = s.pages.iter().find(|p| p.physical == u.page);
        let short = terms::acronyms(term).into_iter().next().map(|a| a.short);
        Definition {
            term: term.trim().to_string(),
            key: terms::key(term),
            short,
            text: text.trim().to_string(),
            kind,
            page: u.page,
            printed: page.map_or_else(|| u.page.to_string(), |p| p.printed.clone()),
            page_source: page.map_or(LabelSource::Physical, |p| p.label_source),
            para: u.para.clone(),
            chapter: chapter.map(|c| c.number.clone()).unwrap_or_default(),
            chapter_heading: chapter.map(|c| c.heading.clone()).unwrap_or_default(),
            chapter_pages: chapter.map(|c| (c.printed_start.clone(), c.printed_end.clone())).unwrap_or_default(),
            chapter_pdf_pages: chapter.map(|c| (c.start_page, c.end_page)).unwrap_or_default(),
        }
    };
    // Glossary entries: the units of each chapter headed as a glossary.
    let mut entries: Vec<(u32, usize)> = Vec::new();
    for (ci, c) in s.chapters.iter().enumerate() {
        if !terms::is_glossary_heading(&c.title) {
            continue;
        }
        let inside: Vec<&Unit> = units.iter().filter(|u| chapter_at(&s.chapters, u.page, u.line) == Some(ci)).collect();
        let texts: Vec<&str> = inside.iter().map(|u| u.text.as_str()).collect();
        for e in terms::glossary(&texts) {
            let u = inside[e.unit];
            entries.push((u.page, u.line));
            defs.push(def(&e.term, &e.definition, DefinitionKind::Glossary, u));
            // "CSAM: child sexual abuse material, …" defines an acronym too.
            let lead = e.definition.split([',', ';', ':', '.', '(']).next().unwrap_or_default().trim();
            let bare = e.term.trim();
            if terms::is_short_form(bare) && terms::fits(bare, lead) {
                add(bare, lead, u);
            }
            if let Some(a) = terms::acronyms(&e.term).into_iter().next() {
                add(&a.short, &a.long, u);
            }
        }
    }
    // Defining sentences, in paragraphs that are not glossary entries.
    for u in units.iter().filter(|u| u.para.is_some() && !entries.contains(&(u.page, u.line))) {
        for d in terms::sentences(&u.text) {
            defs.push(def(&d.term, &d.definition, DefinitionKind::Sentence, u));
        }
    }
    (acronyms, defs)
}

/// Every definition of `term` in the index (or in document `doc`):
/// glossary entries before defining sentences, current editions before
/// superseded ones, then in the order of the documents and their pages. An
/// acronym finds its long form's definitions, and the reverse. The
/// definitions must be loaded ([`super::IndexMeta::load_definitions`]).
pub fn lookup<'a>(
    meta: &'a super::IndexMeta,
    term: &str,
    doc: Option<&str>,
) -> Vec<(&'a super::DocRecord, &'a Definition)> {
    let keys = terms::keys(term, &meta.acronym_pairs());
    let mut out: Vec<(usize, &super::DocRecord, &Definition)> = Vec::new();
    for (i, d) in meta.docs.iter().enumerate().filter(|(_, d)| doc.is_none_or(|id| d.id == id)) {
        for def in &d.definitions {
            let short = def.short.as_deref().map(terms::key);
            if keys.contains(&def.key) || short.is_some_and(|s| keys.contains(&s)) {
                out.push((i, d, def));
            }
        }
    }
    out.sort_by_key(|(i, d, def)| (def.kind != DefinitionKind::Glossary, !d.is_current(), *i, def.page));
    out.into_iter().map(|(_, d, def)| (d, def)).collect()
}

/// The keys a document's definitions are found by, for `riskreg.json`:
/// each term's, and the acronym's written in a term.
pub(crate) fn defined_keys(defs: &[Definition]) -> Vec<String> {
    let mut keys: Vec<String> =
        defs.iter().flat_map(|d| std::iter::once(d.key.clone()).chain(d.short.as_deref().map(terms::key))).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Is `term` (or a form of it) defined in any indexed document? Answered
/// from `riskreg.json` alone.
pub fn is_defined(meta: &super::IndexMeta, term: &str) -> bool {
    let keys = terms::keys(term, &meta.acronym_pairs());
    meta.docs.iter().any(|d| d.defined.iter().any(|k| keys.contains(k)))
}

/// The defined terms nearest to `term`, as printed, at most `n`: those a
/// few edits away, then those sharing a word with it.
pub fn nearest(meta: &super::IndexMeta, term: &str, doc: Option<&str>, n: usize) -> Vec<String> {
    let asked = terms::key(term);
    let mut scored: Vec<(usize, String)> = Vec::new();
    for d in meta.docs.iter().filter(|d| doc.is_none_or(|id| d.id == id)) {
        let written = d.definitions.iter().map(|x| (x.key.clone(), x.term.clone()));
        let acronyms = d.acronyms.iter().map(|a| (terms::key(&a.short), a.short.clone()));
        for (key, shown) in written.chain(acronyms) {
            let dist = strsim::levenshtein(&asked, &key);
            let near = dist <= (asked.chars().count() / 3).max(2);
            let shares = asked
                .split(' ')
                .any(|w| w.len() > 3 && key.split(' ').any(|k| k.starts_with(w) || w.starts_with(k) && k.len() > 3));
            if (near || shares) && !scored.iter().any(|(_, s)| s.eq_ignore_ascii_case(&shown)) {
                scored.push((if near { dist } else { 100 + dist }, shown));
            }
        }
    }
    scored.sort();
    scored.into_iter().take(n).map(|(_, s)| s).collect()
}

/// The first definition of a search's query, when the query (case and
/// quotes aside) is a defined term or acronym: `terms.json` is read only
/// then.
pub fn of_query(
    meta: &mut super::IndexMeta,
    gen: &std::path::Path,
    query: &str,
) -> crate::error::Result<Option<(super::DocRecord, Definition)>> {
    if !is_defined(meta, query) {
        return Ok(None);
    }
    meta.load_definitions(gen)?;
    Ok(lookup(meta, query, None).first().map(|(d, x)| ((*d).clone(), (*x).clone())))
}
