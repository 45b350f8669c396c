//! The references each document makes ("see paragraph 9.14", "Annex A12
//! of the ICJG"): found when the document is indexed, and resolved when a
//! build ends, against every document the index then holds. Kept in
//! `pages.json` with the paragraphs, tables, measures and notes they can
//! point at.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::ingest::DocMeta;
use crate::structure::Structure;
use crate::xref::{self, Anchor, AnchorKind, Carry, DocName, Kind, LibChapter, Library, LibraryDoc, Names, ParaSpan};

use super::DocRecord;

/// A reference found in a document's text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reference {
    /// Physical page of the citing text, and the numbered paragraph it is in.
    pub page: u32,
    pub para: Option<String>,
    /// As printed: "paragraph 9.14", "Annex A12 of the ICJG".
    pub text: String,
    pub kind: Kind,
    pub from: String,
    pub to: Option<String>,
    /// The document it names; none: the citing document itself.
    pub doc: Option<String>,
    /// Where it leads, once resolved; or why it leads nowhere.
    pub target: Option<xref::Target>,
    pub unresolved: Option<String>,
}

impl Reference {
    pub fn pin(&self) -> xref::Pin {
        xref::Pin { kind: self.kind, from: self.from.clone(), to: self.to.clone(), start: 0, end: 0, value_start: 0 }
    }
}

/// What a text can call a document, from every document the build will see
/// (the files found, and the manifest's entries even when not downloaded);
/// the first `metas.len()` of them are the files found.
pub(crate) fn names(metas: &[&DocMeta], manifest: &crate::corpus::Manifest) -> Names {
    let mut docs: Vec<DocName> = Vec::new();
    let newer: HashMap<&str, &str> =
        manifest.docs.iter().filter_map(|e| e.supersedes.as_deref().map(|old| (old, e.id.as_str()))).collect();
    let chain = |id: &str| {
        let mut cur = id;
        for _ in 0..32 {
            match newer.get(cur) {
                Some(n) => cur = n,
                None => break,
            }
        }
        cur.to_string()
    };
    for m in metas {
        docs.push(DocName {
            id: m.id.clone(),
            title: m.title.clone(),
            short_title: m.short_title.clone().unwrap_or_else(|| m.title.clone()),
            date: m.date.clone(),
            chain: chain(&m.id),
        });
    }
    for e in &manifest.docs {
        if !docs.iter().any(|d| d.id == e.id) {
            docs.push(DocName {
                id: e.id.clone(),
                title: e.title.clone(),
                short_title: e.short_title.clone().unwrap_or_else(|| e.title.clone()),
                date: Some(e.date.clone()),
                chain: chain(&e.id),
            });
        }
    }
    Names::new(docs, Vec::new())
}

static TABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Table ([A-Z]?[0-9]+(?:\.[0-9]+)*)(?:[:.\s–-]|$)").expect("table regex"));
static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z]{2,5} [A-Z]{1,2}[0-9]+[a-z]?(?:\.[0-9]+)*)(?::|\s|$)").expect("measure regex")
});

/// A document's paragraphs, the anchors a reference can name (table
/// captions, measure codes, notes), and the references its text makes.
pub(crate) fn found(
    s: &Structure,
    own: &DocMeta,
    names: &Names,
    files: usize,
) -> (Vec<ParaSpan>, Vec<Anchor>, Vec<Reference>) {
    let paragraphs: Vec<ParaSpan> = s
        .paragraphs
        .iter()
        .map(|p| ParaSpan { number: p.number.clone(), page: p.page, end_page: p.end_page })
        .collect();
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut add = |kind: AnchorKind, label: String, page: u32| {
        if !anchors.iter().any(|a| a.kind == kind && a.label == label) {
            anchors.push(Anchor { kind, label, page });
        }
    };
    // A measure is where its code heads a line of its own ("ICU C1: Having
    // a content moderation function"), before any line that only lists it.
    for headings_only in [true, false] {
        for p in s.pages.iter().filter(|p| !p.is_contents) {
            for (i, line) in p.lines.iter().enumerate() {
                if let Some(c) = MEASURE.captures(line) {
                    let heading = p.headings.contains(&i) || line[c[1].len()..].starts_with(':');
                    if heading == headings_only && (heading || line.len() < 100) {
                        add(AnchorKind::Measure, c[1].to_string(), p.physical);
                    }
                }
            }
        }
    }
    for p in s.pages.iter().filter(|p| !p.is_contents) {
        for line in &p.lines {
            if let Some(c) = TABLE.captures(line) {
                add(AnchorKind::Table, c[1].to_string(), p.physical);
            }
        }
        for n in &p.notes {
            add(AnchorKind::Footnote, n.number.clone(), p.physical);
        }
    }

    // The text in blocks, one per paragraph (or run of text outside one),
    // headings and Contents pages left out: a heading is not a reference.
    struct Block {
        para: Option<String>,
        text: String,
        /// (offset in text, physical page) where each page's part begins.
        pages: Vec<(usize, u32)>,
    }
    let para_at = |page: u32, line: usize| {
        s.paragraphs
            .iter()
            .rfind(|p| (p.page, p.line) <= (page, line) && (page, line) <= (p.end_page, p.end_line))
            .map(|p| p.number.clone())
    };
    let mut blocks: Vec<Block> = Vec::new();
    let mut open = false;
    for p in &s.pages {
        if p.is_contents {
            open = false;
            continue;
        }
        for (i, line) in p.lines.iter().enumerate() {
            if p.headings.contains(&i) {
                open = false;
                continue;
            }
            let para = para_at(p.physical, i);
            let starts = s.paragraphs.iter().any(|q| q.page == p.physical && q.line == i);
            match blocks.last_mut() {
                Some(b) if open && !starts && b.para == para => {
                    if b.pages.last().map(|x| x.1) != Some(p.physical) {
                        b.pages.push((b.text.len() + 1, p.physical));
                    }
                    b.text.push(' ');
                    b.text.push_str(line);
                }
                _ => blocks.push(Block { para, text: line.clone(), pages: vec![(0, p.physical)] }),
            }
            open = true;
        }
        open = open && !p.lines.is_empty();
        for n in &p.notes {
            blocks.push(Block { para: n.paragraph.clone(), text: n.text.clone(), pages: vec![(0, p.physical)] });
        }
    }

    let own_chain = names.docs().iter().find(|d| d.id == own.id).map(|d| d.chain.clone());
    let mut refs = Vec::new();
    let mut carry = Carry::default();
    for b in &blocks {
        for m in xref::find(&b.text, names, &mut carry) {
            let doc = choose(names, &m.docs, files).filter(|id| {
                let chain = names.docs().iter().find(|d| &d.id == id).map(|d| d.chain.clone());
                *id != own.id && chain != own_chain
            });
            let (start, end) = match m.named {
                Some((s0, e0)) => (m.start.min(s0), m.end.max(e0)),
                None => (m.start, m.end),
            };
            let text = b.text[start..end].to_string();
            for pin in &m.pins {
                let page = b.pages.iter().rfind(|(o, _)| *o <= pin.start).map_or(b.pages[0].1, |x| x.1);
                refs.push(Reference {
                    page,
                    para: b.para.clone(),
                    text: text.clone(),
                    kind: pin.kind,
                    from: pin.from.clone(),
                    to: pin.to.clone(),
                    doc: doc.clone(),
                    target: None,
                    unresolved: None,
                });
            }
        }
    }
    (paragraphs, anchors, refs)
}

/// Of the editions a name fits, the newest of those being indexed (the
/// first `files` names), else the newest listed.
fn choose(names: &Names, docs: &[usize], files: usize) -> Option<String> {
    let newest = |ds: &mut dyn Iterator<Item = usize>| {
        ds.map(|i| names.doc(i)).max_by(|a, b| a.date.cmp(&b.date).then((a.id == a.chain).cmp(&(b.id == b.chain))))
    };
    newest(&mut docs.iter().copied().filter(|&i| i < files))
        .or_else(|| newest(&mut docs.iter().copied()))
        .map(|d| d.id.clone())
}

/// A document's structure as resolution reads it.
pub fn library_doc(d: &DocRecord) -> LibraryDoc {
    LibraryDoc {
        id: d.id.clone(),
        // A chapter with sections runs to the end of its last section.
        chapters: d
            .toc
            .iter()
            .map(|c| LibChapter {
                number: c.number.clone(),
                heading: c.heading.clone(),
                level: c.level,
                pdf_start: c.pdf_start,
                pdf_end: d
                    .toc
                    .iter()
                    .filter(|s| s.parent.as_deref() == Some(c.heading.as_str()))
                    .map(|s| s.pdf_end)
                    .fold(c.pdf_end, u32::max),
            })
            .collect(),
        page_labels: d.page_labels.clone(),
        paragraphs: d.paragraphs.clone(),
        anchors: d.anchors.clone(),
    }
}

/// Every document's references resolved against the documents given (a
/// build's whole set). A measure code whose prefix no document defines is
/// taken for something else and dropped. Returns (references, unresolved).
pub(crate) fn resolve_all(docs: &mut [DocRecord]) -> (usize, usize) {
    let lib = Library { docs: docs.iter().map(library_doc).collect() };
    let prefixes: Vec<String> = lib
        .docs
        .iter()
        .flat_map(|d| d.anchors.iter().filter(|a| a.kind == AnchorKind::Measure))
        .map(|a| a.label.split(' ').next().unwrap_or_default().to_string())
        .collect();
    let index: HashMap<String, usize> = docs.iter().enumerate().map(|(i, d)| (d.id.clone(), i)).collect();
    let (mut total, mut unresolved) = (0, 0);
    for (i, d) in docs.iter_mut().enumerate() {
        d.references.retain(|r| {
            r.kind != Kind::Measure || prefixes.iter().any(|p| r.from.split(' ').next() == Some(p.as_str()))
        });
        for r in &mut d.references {
            let target_doc = match &r.doc {
                None => Some(i),
                Some(id) => index.get(id).copied(),
            };
            (r.target, r.unresolved) = match target_doc {
                Some(t) => match xref::resolve(&lib, t, &r.pin()) {
                    Ok(target) => (Some(target), None),
                    Err(e) => (None, Some(e.reason)),
                },
                None => (None, Some(format!("{} is not indexed", r.doc.as_deref().unwrap_or_default()))),
            };
            total += 1;
            unresolved += usize::from(r.unresolved.is_some());
        }
    }
    (total, unresolved)
}
