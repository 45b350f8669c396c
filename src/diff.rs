//! Two editions of a document compared by chapter heading and by numbered
//! paragraph, with page references on each side. Pure.

use std::collections::{BTreeMap, HashMap};

use crate::structure::{chapter_at, Structure};

/// A numbered paragraph's text and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub number: String,
    pub chapter: String,
    pub page: String,
    pub pdf_page: u32,
    /// The physical page it ends on (`pdf_page` for one on a single page).
    pub end_pdf_page: u32,
    pub text: String,
}

/// A chapter heading with its printed range.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterRef {
    pub heading: String,
    /// First and last printed page.
    pub start: String,
    pub end: String,
}

/// A run of words in a changed paragraph: the same in both editions, only
/// in the old one, or only in the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Words {
    Same(String),
    Removed(String),
    Added(String),
}

/// The words of two texts compared (whitespace is not compared; each run
/// keeps the spacing of its own side). `similar`'s Myers diff, on words.
pub fn word_diff(old: &str, new: &str) -> Vec<Words> {
    use similar::{utils::diff_words, Algorithm, ChangeTag};
    let mut out: Vec<Words> = Vec::new();
    for (tag, text) in diff_words(Algorithm::Myers, old, new) {
        let piece = match tag {
            ChangeTag::Equal => Words::Same(text.to_string()),
            ChangeTag::Delete => Words::Removed(text.to_string()),
            ChangeTag::Insert => Words::Added(text.to_string()),
        };
        match (out.last_mut(), &piece) {
            (Some(Words::Same(a)), Words::Same(b))
            | (Some(Words::Removed(a)), Words::Removed(b))
            | (Some(Words::Added(a)), Words::Added(b)) => a.push_str(b),
            _ => out.push(piece),
        }
    }
    out
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    pub chapters_added: Vec<ChapterRef>,
    pub chapters_removed: Vec<ChapterRef>,
    /// Same heading, different page range: (old, new).
    pub chapters_moved: Vec<(ChapterRef, ChapterRef)>,
    pub paras_added: Vec<Para>,
    pub paras_removed: Vec<Para>,
    /// Same number, different words: (old, new).
    pub paras_changed: Vec<(Para, Para)>,
    /// For each of `paras_changed`, its words compared.
    pub paras_changed_words: Vec<Vec<Words>>,
    pub paras_unchanged: usize,
}

/// Each numbered paragraph of a document with its text: its span, without
/// sub-headings (the notes at the foot are not in the page lines at all).
pub fn paragraphs(s: &Structure) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    for p in &s.paragraphs {
        let mut text = String::new();
        for page in s.pages.get(p.page as usize - 1..p.end_page as usize).unwrap_or(&[]) {
            let from = if page.physical == p.page { p.line } else { 0 };
            let to = if page.physical == p.end_page { p.end_line + 1 } else { page.lines.len() };
            for (i, line) in page.lines.iter().enumerate().take(to).skip(from) {
                if i != p.line && page.headings.contains(&i) {
                    continue;
                }
                text.push_str(line);
                text.push(' ');
            }
        }
        let page = &s.pages[p.page as usize - 1];
        let chapter =
            chapter_at(&s.chapters, p.page, p.line).map(|c| s.chapters[c].heading.clone()).unwrap_or_default();
        out.push(Para {
            number: p.number.clone(),
            chapter,
            page: page.printed.clone(),
            pdf_page: page.physical,
            end_pdf_page: p.end_page,
            text: text.trim().to_string(),
        });
    }
    out
}

fn chapters(s: &Structure) -> BTreeMap<String, ChapterRef> {
    s.chapters
        .iter()
        .filter(|c| !c.heading.is_empty())
        .map(|c| {
            (
                key(&c.heading),
                ChapterRef { heading: c.heading.clone(), start: c.printed_start.clone(), end: c.printed_end.clone() },
            )
        })
        .collect()
}

/// Words only: a change of spacing or case is no change.
fn key(text: &str) -> String {
    crate::text::words(text).join(" ")
}

/// Compare two editions.
pub fn diff(old: &Structure, new: &Structure) -> Diff {
    let mut d = Diff::default();
    let (oc, nc) = (chapters(old), chapters(new));
    for (k, c) in &nc {
        match oc.get(k) {
            None => d.chapters_added.push(c.clone()),
            Some(o) if (&o.start, &o.end) != (&c.start, &c.end) => d.chapters_moved.push((o.clone(), c.clone())),
            Some(_) => {}
        }
    }
    d.chapters_removed = oc.iter().filter(|(k, _)| !nc.contains_key(*k)).map(|(_, c)| c.clone()).collect();

    let op = paragraphs(old);
    let np = paragraphs(new);
    let old_by: HashMap<&str, &Para> = op.iter().map(|p| (p.number.as_str(), p)).collect();
    let new_by: HashMap<&str, &Para> = np.iter().map(|p| (p.number.as_str(), p)).collect();
    for p in &np {
        match old_by.get(p.number.as_str()) {
            None => d.paras_added.push(p.clone()),
            Some(o) if key(&o.text) != key(&p.text) => {
                d.paras_changed_words.push(word_diff(&o.text, &p.text));
                d.paras_changed.push(((*o).clone(), p.clone()));
            }
            Some(_) => d.paras_unchanged += 1,
        }
    }
    d.paras_removed = op.iter().filter(|p| !new_by.contains_key(p.number.as_str())).cloned().collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{RawDocument, RawPage};

    fn doc(pages: &[&str]) -> Structure {
        crate::structure::analyse(&RawDocument {
            page_count: pages.len() as u32,
            pages: pages
                .iter()
                .enumerate()
                .map(|(i, t)| RawPage { number: i as u32 + 1, text: t.to_string(), label: None, extractor: "test" })
                .collect(),
            ..Default::default()
        })
    }

    #[test]
    fn words_removed_and_added() {
        let got = word_diff("1.2 Records are kept.", "1.2 Records are kept for five years.");
        let same = |s: &str| Words::Same(s.to_string());
        assert_eq!(
            got,
            vec![same("1.2 Records are "), Words::Removed("kept.".into()), Words::Added("kept for five years.".into())]
        );
        assert_eq!(word_diff("a b c", "a b c"), vec![same("a b c")]);
    }

    #[test]
    fn paragraphs_added_removed_changed() {
        let old =
            doc(&["1. Scope\n1.1 Services must assess risk.\n1.2 Records are kept.", "2. Old rules\n2.1 Gone soon."]);
        let new = doc(&[
            "1. Scope\n1.1 Services must assess risk.\n1.2 Records are kept for five years.\n1.3 New duty.",
            "3. New rules\n3.1 Fresh.",
        ]);
        let d = diff(&old, &new);
        let nums = |v: &[Para]| v.iter().map(|p| p.number.clone()).collect::<Vec<_>>();
        assert_eq!(nums(&d.paras_added), ["1.3", "3.1"]);
        assert_eq!(nums(&d.paras_removed), ["2.1"]);
        assert_eq!(d.paras_changed.len(), 1);
        assert_eq!(d.paras_changed[0].1.text, "1.2 Records are kept for five years.");
        assert_eq!(d.paras_unchanged, 1);
        assert_eq!(d.chapters_added[0].heading, "3. New rules");
        assert_eq!(d.chapters_removed[0].heading, "2. Old rules");
    }
}
