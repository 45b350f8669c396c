//! `riskreg verify`: every citation of an indexed document in a draft,
//! checked against the index — the paragraph and page exist, the paragraph
//! is on the page cited, a chapter's pages are its pages, a quotation is at
//! the place cited, the edition cited is the one in force — each problem
//! with the correction where there is one.
//!
//! Reads lines of text (the caller reads the draft's format) and the index;
//! returns data (`render` prints it, `app` writes a corrected copy).

use crate::error::Result;
use crate::index::{DocRecord, IndexMeta};
use crate::search::{Engine, SearchOptions};
use crate::xref::{self, AnchorKind, Carry, DocName, Kind, Library, Mention, Names, Pin, Target};

/// One citation in the draft and what was found of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Index of the draft line, and where on it (bytes) the citation is.
    pub line: usize,
    pub start: usize,
    pub end: usize,
    /// As written in the draft.
    pub text: String,
    /// The document it cites, when one could be told.
    pub doc: Option<String>,
    /// Each pinpoint and where it leads.
    pub pins: Vec<PinChecked>,
    /// What is wrong; empty when the citation holds.
    pub problems: Vec<String>,
    /// Corrections: (line, start, end, replacement), bytes in the line.
    pub fixes: Vec<Fix>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PinChecked {
    pub kind: Kind,
    pub value: String,
    pub target: Option<Target>,
}

/// A correction of the draft: replace bytes `start..end` of line `line`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl Checked {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The citation's text with its own corrections made (`line` is the
    /// draft line it is on), or `None` when there is nothing to correct.
    pub fn fixed_text(&self, line: &str) -> Option<String> {
        if self.fixes.is_empty() {
            return None;
        }
        // The citation as shown: its text, a closing bracket included.
        let end = self.start + self.text.len();
        let mut fixes: Vec<&Fix> = self.fixes.iter().filter(|f| f.start >= self.start && f.end <= end).collect();
        fixes.sort_by_key(|f| std::cmp::Reverse(f.start));
        let mut s = line[self.start..end].to_string();
        for f in fixes {
            s.replace_range(f.start - self.start..f.end - self.start, &f.replacement);
        }
        Some(s)
    }
}

/// Words of a quotation, at least this many, are looked for in the index.
const MIN_QUOTE_WORDS: usize = 3;

/// What a draft may call each indexed document, and their structure.
pub struct Catalogue<'a> {
    pub names: Names,
    pub library: Library,
    docs: Vec<&'a DocRecord>,
}

impl<'a> Catalogue<'a> {
    /// From an index whose pages are loaded (`IndexMeta::load_pages`).
    pub fn new(meta: &'a IndexMeta) -> Catalogue<'a> {
        let docs: Vec<&DocRecord> = meta.docs.iter().collect();
        let newest = |d: &DocRecord| {
            let mut cur = d;
            for _ in 0..32 {
                match cur.superseded_by.as_deref().and_then(|n| meta.doc(n)) {
                    Some(n) => cur = n,
                    None => break,
                }
            }
            cur.id.clone()
        };
        let names: Vec<DocName> = docs
            .iter()
            .map(|d| DocName {
                id: d.id.clone(),
                title: d.title.clone(),
                short_title: plain_title(&d.short_title),
                date: d.date.clone(),
                chain: newest(d),
            })
            .collect();
        let mut prefixes: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            for a in d.anchors.iter().filter(|a| a.kind == AnchorKind::Measure) {
                let p = a.label.split(' ').next().unwrap_or_default().to_string();
                match prefixes.iter_mut().find(|(q, _)| *q == p) {
                    Some((_, ds)) if !ds.contains(&i) => ds.push(i),
                    Some(_) => {}
                    None => prefixes.push((p, vec![i])),
                }
            }
        }
        let library = Library { docs: docs.iter().map(|d| crate::index::refs::library_doc(d)).collect() };
        Catalogue { names: Names::new(names, prefixes), library, docs }
    }

    fn record(&self, i: usize) -> &DocRecord {
        self.docs[i]
    }
}

/// "Register of Risks (sample)" → "Register of Risks": what a draft writes.
fn plain_title(t: &str) -> String {
    match t.rfind(" (") {
        Some(i) if t.ends_with(')') && t[i + 2..t.len() - 1].chars().all(|c| c.is_lowercase()) => t[..i].to_string(),
        _ => t.to_string(),
    }
}

/// Check every citation in `lines`. `engine` finds quotations.
pub fn check(lines: &[&str], cat: &Catalogue, engine: &mut Engine) -> Result<Vec<Checked>> {
    let mut out = Vec::new();
    let mut carry = Carry::default();
    for (n, line) in lines.iter().enumerate() {
        for m in xref::find(line, &cat.names, &mut carry) {
            // "footnote 4 above", "section 2 of this letter": the draft's own.
            if m.own && m.docs.is_empty() {
                continue;
            }
            out.push(check_one(n, line, &m, cat, engine)?);
        }
    }
    Ok(out)
}

/// The citation as written, `m.end` bytes of `rest`, with the closing
/// bracket it opened: "paragraph 9.16 (p. 209)".
fn balanced_end(rest: &str, end: usize) -> usize {
    let text = &rest[..end];
    let open = text.matches('(').count().saturating_sub(text.matches(')').count());
    if open > 0 && rest[end..].starts_with(')') {
        end + 1
    } else {
        end
    }
}

fn written(pin: &Pin) -> String {
    format!("{} {}", pin.kind.name(), pin.value())
}

/// "p. 209" or "pp. 209–210" for a target's pages.
fn pages(t: &Target) -> String {
    if t.page == t.end_page {
        format!("p. {}", t.printed)
    } else {
        format!("pp. {}–{}", t.printed, t.printed_end)
    }
}

/// The replacement for a page pinpoint that should say `t`'s pages: the
/// value alone when the form (one page or a range) stays, else the whole.
fn page_fix(line: usize, pin: &Pin, t: &Target) -> Fix {
    let one = t.page == t.end_page;
    if one == pin.to.is_none() {
        let value = if one { t.printed.clone() } else { format!("{}–{}", t.printed, t.printed_end) };
        Fix { line, start: pin.value_start, end: pin.end, replacement: value }
    } else {
        Fix { line, start: pin.start, end: pin.end, replacement: pages(t) }
    }
}

fn check_one(n: usize, line: &str, m: &Mention, cat: &Catalogue, engine: &mut Engine) -> Result<Checked> {
    let mut c = Checked {
        line: n,
        start: m.start,
        end: m.end,
        text: line[m.start..m.start + balanced_end(&line[m.start..], m.end - m.start)].to_string(),
        doc: None,
        pins: m.pins.iter().map(|p| PinChecked { kind: p.kind, value: p.value(), target: None }).collect(),
        problems: Vec::new(),
        fixes: Vec::new(),
    };
    // Which edition: the one the citation dates, else the one in force.
    let doc = match (&m.edition, m.docs.as_slice()) {
        (_, []) => {
            c.problems.push("names no document: name it before the citation, or write \"ibid\"".into());
            return Ok(c);
        }
        (Some(ed), docs) => {
            let fits: Vec<usize> = docs
                .iter()
                .copied()
                .filter(|&i| cat.names.doc(i).date.as_deref().is_some_and(|d| xref::edition_fits(ed, d)))
                .collect();
            match fits.first() {
                Some(&i) => i,
                None => {
                    let d = cat.record(docs[0]);
                    let dates: Vec<String> = docs
                        .iter()
                        .filter_map(|&i| cat.record(i).date.clone())
                        .map(|d| crate::date::long(&d).unwrap_or(d))
                        .collect();
                    c.doc = Some(d.id.clone());
                    c.problems.push(format!(
                        "no {ed} edition of {} is indexed (indexed: {})",
                        plain_title(&d.short_title),
                        if dates.is_empty() { "undated".to_string() } else { dates.join(", ") }
                    ));
                    return Ok(c);
                }
            }
        }
        (None, docs) => docs.iter().copied().find(|&i| cat.record(i).superseded_by.is_none()).unwrap_or(docs[0]),
    };
    let d = cat.record(doc);
    c.doc = Some(d.id.clone());
    if let Some(newer) = d.superseded_by.as_deref() {
        let when = |r: &DocRecord| r.date.as_deref().and_then(crate::date::long).unwrap_or_else(|| r.id.clone());
        let n = cat.docs.iter().find(|r| r.id == newer);
        c.problems.push(format!(
            "cites the {} edition of {}, which the {} edition ({newer}) replaces",
            when(d),
            plain_title(&d.short_title),
            n.map(|r| when(r)).unwrap_or_default()
        ));
    }
    // Each pinpoint.
    let mut targets: Vec<Option<Target>> = Vec::new();
    for (k, pin) in m.pins.iter().enumerate() {
        match xref::resolve(&cat.library, doc, pin) {
            Ok(t) => {
                c.pins[k].target = Some(t.clone());
                targets.push(Some(t));
            }
            Err(e) => {
                // Another edition may hold it: say which, and where.
                let elsewhere = m
                    .docs
                    .iter()
                    .filter(|&&i| i != doc)
                    .find_map(|&i| xref::resolve(&cat.library, i, pin).ok().map(|t| (cat.record(i), t)));
                match elsewhere {
                    Some((other, t)) => c.problems.push(format!(
                        "{} (the {} edition, {}, has it on {})",
                        e.reason,
                        other.date.as_deref().and_then(crate::date::long).unwrap_or_else(|| other.id.clone()),
                        other.id,
                        pages(&t)
                    )),
                    None => c.problems.push(e.reason),
                }
                targets.push(None);
            }
        }
    }
    // Pinpoints that must agree: a paragraph (or chapter) and the page cited with it.
    let find = |kinds: &[Kind]| m.pins.iter().zip(&targets).find(|(p, t)| kinds.contains(&p.kind) && t.is_some());
    let page = find(&[Kind::Page]);
    if let (Some((pp, Some(pt))), Some((wp, Some(wt)))) = (find(&[Kind::Para]), page) {
        if wt.page < pt.page || wt.end_page > pt.end_page {
            c.problems.push(format!("{} is on {}, not {}", written(pp), pages(pt), pages(wt)));
            c.fixes.push(page_fix(n, wp, pt));
        }
    } else if let (Some((cp, Some(ct))), Some((wp, Some(wt)))) =
        (find(&[Kind::Chapter, Kind::Annex, Kind::Section]), page)
    {
        let inside = wt.page >= ct.page && wt.end_page <= ct.end_page;
        let whole_range = wp.to.is_some();
        if !inside || (whole_range && (wt.page, wt.end_page) != (ct.page, ct.end_page) && wt.page == ct.page) {
            c.problems.push(format!("{} is {}, not {}", written(cp), pages(ct), pages(wt)));
            c.fixes.push(page_fix(n, wp, ct));
        }
    }
    if let (Some((pp, Some(pt))), Some((cp, Some(ct)))) = (find(&[Kind::Para]), find(&[Kind::Chapter, Kind::Annex])) {
        if pt.page < ct.page || pt.page > ct.end_page {
            c.problems.push(format!("{} is not in {} ({})", written(pp), written(cp), pages(ct)));
        }
    }
    // A quotation in the same sentence must be at the place cited.
    for quote in quotations(&line[m.sentence.0..m.sentence.1]) {
        check_quote(n, &quote, m, &targets, d, engine, &mut c)?;
    }
    Ok(c)
}

/// Quoted passages of a sentence: “…”, "…" or ‘…’, of three words or more.
fn quotations(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [('“', '”'), ('"', '"'), ('‘', '’')] {
        let mut rest = sentence;
        while let Some(a) = rest.find(open) {
            let after = &rest[a + open.len_utf8()..];
            let Some(b) = after.find(close) else { break };
            let q = &after[..b];
            if q.split_whitespace().count() >= MIN_QUOTE_WORDS {
                out.push(q.to_string());
            }
            rest = &after[b + close.len_utf8()..];
        }
    }
    out
}

fn check_quote(
    n: usize,
    quote: &str,
    m: &Mention,
    targets: &[Option<Target>],
    d: &DocRecord,
    engine: &mut Engine,
    c: &mut Checked,
) -> Result<()> {
    let words: Vec<String> = crate::text::words(quote);
    if words.len() < MIN_QUOTE_WORDS {
        return Ok(());
    }
    let node = crate::query::Node::Phrase(words);
    let opts =
        SearchOptions { limit: 20, docs: vec![d.id.clone()], all_versions: true, snippets: 5, ..Default::default() };
    let results = engine.hits(&node, &opts)?;
    // Where the quotation is: (¶, physical page, printed page).
    let mut places: Vec<(Option<String>, u32, String)> = Vec::new();
    for h in &results.hits {
        for s in &h.snippets {
            if !s.highlights.is_empty() {
                places.push((s.paragraph.clone(), h.citation.pdf_page, h.citation.page.clone()));
            }
        }
    }
    let para = m.pins.iter().zip(targets).find(|(p, t)| p.kind == Kind::Para && t.is_some());
    let page = m.pins.iter().zip(targets).find(|(p, t)| p.kind == Kind::Page && t.is_some());
    let short = if quote.chars().count() > 40 {
        format!("{}…", quote.chars().take(40).collect::<String>().trim_end())
    } else {
        quote.to_string()
    };
    if places.is_empty() {
        c.problems.push(format!("the quotation \"{short}\" is not in {}", d.id));
        return Ok(());
    }
    let within = |t: &Target, page: u32| page >= t.page && page <= t.end_page;
    if let Some((pin, Some(t))) = para {
        let in_range = |p: &Option<String>| match (&pin.to, p) {
            (None, Some(p)) => *p == pin.from,
            (Some(_), Some(_)) => true,
            _ => false,
        };
        if places.iter().any(|(p, pg, _)| in_range(p) && within(t, *pg)) {
            return Ok(());
        }
        let (at, pg, printed) = &places[0];
        match at {
            Some(at) => {
                c.problems.push(format!("the quotation is at ¶{at} (p. {printed}), not {}", written(pin)));
                c.fixes.push(Fix { line: n, start: pin.value_start, end: pin.end, replacement: at.clone() });
                if let Some((wp, Some(wt))) = page {
                    if !within(wt, *pg) {
                        c.fixes.push(Fix { line: n, start: wp.value_start, end: wp.end, replacement: printed.clone() });
                    }
                }
            }
            None => c.problems.push(format!("the quotation is on p. {printed}, not in {}", written(pin))),
        }
        return Ok(());
    }
    if let Some((pin, Some(t))) = page {
        if places.iter().any(|(_, pg, _)| within(t, *pg)) {
            return Ok(());
        }
        let (_, _, printed) = &places[0];
        c.problems.push(format!("the quotation is on p. {printed}, not {}", pages(t)));
        if pin.to.is_none() {
            c.fixes.push(Fix { line: n, start: pin.value_start, end: pin.end, replacement: printed.clone() });
        }
        return Ok(());
    }
    // A chapter, annex or the like: the quotation must be inside its pages.
    if let Some(Some(t)) = targets.first() {
        if !places.iter().any(|(_, pg, _)| within(t, *pg)) {
            let (_, _, printed) = &places[0];
            c.problems.push(format!("the quotation is on p. {printed}, outside {}", t.label));
        }
    }
    Ok(())
}
