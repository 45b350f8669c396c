//! The harms at a glance: for each kind of harm the vocabulary lists, the
//! chapters of each current document that deal with it, with their pages —
//! the regulator's own "these chapters, these pages" answer, for every harm
//! at once. Matched from the chapters' titles (the harm's name or one of its
//! common names, word by word, stemmed), never from page numbers. Pure.

use crate::index::{DocRecord, TocEntry};
use crate::query::ChapterSpan;
use crate::vocab::Harm;

/// One kind of harm and the chapters about it, in document order: each the
/// index of its document in the list given, and the chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub harm: &'a Harm,
    pub chapters: Vec<(usize, &'a TocEntry)>,
}

/// Every harm of `harms`, in their order, with the chapters of each
/// document's contents (`tocs`, in the documents' order) whose titles name
/// it: the harm's name, stemmed, or one of its common names, as written. A
/// chapter inside another that is listed already is left out: the larger
/// one covers it.
pub fn concordance<'a>(
    harms: &'a [Harm],
    tocs: &[&'a [TocEntry]],
    stem: &mut dyn FnMut(&str) -> String,
) -> Vec<Row<'a>> {
    let mut stems = |text: &str| -> Vec<String> { crate::text::words(text).iter().map(|w| stem(w)).collect() };
    harms
        .iter()
        .map(|harm| {
            // The harm's own name is matched stemmed (a title may say
            // "threat" for "threats"); its common names as written, since
            // stemming conflates them with other harms' words ("extremism"
            // and "extreme" share a stem).
            let name = stems(&harm.name);
            let common: Vec<Vec<String>> =
                harm.also.iter().map(|n| crate::text::words(n)).filter(|n| !n.is_empty()).collect();
            let mut chapters = Vec::new();
            for (i, toc) in tocs.iter().enumerate() {
                let matched: Vec<&TocEntry> = toc
                    .iter()
                    .filter(|c| {
                        contains(&stems(&c.title), &name)
                            || common.iter().any(|n| contains(&crate::text::words(&c.title), n))
                    })
                    .collect();
                for c in &matched {
                    let inside = matched.iter().any(|o| o.number != c.number && is_ancestor(toc, o, c));
                    if !inside {
                        chapters.push((i, *c));
                    }
                }
            }
            Row { harm, chapters }
        })
        .collect()
}

/// The harms a user's words name: by the harm's name or a common name,
/// stemmed, whole; else those whose name or common names hold all the words.
pub fn find<'a>(harms: &'a [Harm], asked: &str, stem: &mut dyn FnMut(&str) -> String) -> Vec<&'a Harm> {
    let mut stems = |text: &str| -> Vec<String> { crate::text::words(text).iter().map(|w| stem(w)).collect() };
    let want = stems(asked);
    if want.is_empty() {
        return Vec::new();
    }
    let names = |h: &'a Harm| std::iter::once(&h.name).chain(&h.also);
    let exact: Vec<&Harm> = harms.iter().filter(|h| names(h).any(|n| stems(n) == want)).collect();
    if !exact.is_empty() {
        return exact;
    }
    harms.iter().filter(|h| names(h).any(|n| contains(&stems(n), &want))).collect()
}

/// The chapters a `harm:` filter keeps, from `docs` (each an id and its
/// contents, every edition the index holds): each chapter the concordance
/// lists for any of `wanted`, with its sections' numbers and its PDF pages.
pub fn scope(
    harms: &[Harm],
    wanted: &[&Harm],
    docs: &[(&str, &[TocEntry])],
    stem: &mut dyn FnMut(&str) -> String,
) -> Vec<ChapterSpan> {
    let tocs: Vec<&[TocEntry]> = docs.iter().map(|(_, toc)| *toc).collect();
    let mut out = Vec::new();
    for row in concordance(harms, &tocs, stem) {
        if !wanted.iter().any(|h| std::ptr::eq(*h, row.harm)) {
            continue;
        }
        for (i, c) in row.chapters {
            let (id, toc) = docs[i];
            let mut numbers = vec![c.number.clone()];
            numbers.extend(toc.iter().filter(|s| is_ancestor(toc, c, s)).map(|s| s.number.clone()));
            out.push(ChapterSpan { doc: id.to_string(), numbers, pdf_start: c.pdf_start, pdf_end: c.pdf_end });
        }
    }
    out
}

/// The concordance as `riskreg harms` and `GET /api/harms` answer it: the
/// current documents of `docs`, in the order `order` lists their ids (the
/// manifest's, the order the regulator's list gives) then the others, and
/// every harm's row, or only the rows of the harms `asked` names. `None`
/// when `asked` names no harm.
pub fn table<'a>(
    harms: &'a [Harm],
    docs: &'a [DocRecord],
    order: &[String],
    asked: Option<&str>,
    stem: &mut dyn FnMut(&str) -> String,
) -> Option<(Vec<Row<'a>>, Vec<&'a DocRecord>)> {
    let wanted = match asked {
        Some(a) => {
            let found = find(harms, a, stem);
            if found.is_empty() {
                return None;
            }
            Some(found)
        }
        None => None,
    };
    let place = |id: &str| order.iter().position(|o| o == id).unwrap_or(usize::MAX);
    let mut current: Vec<&DocRecord> = docs.iter().filter(|d| d.is_current()).collect();
    current.sort_by_key(|d| place(&d.id));
    let tocs: Vec<&[TocEntry]> = current.iter().map(|d| d.toc.as_slice()).collect();
    let mut rows = concordance(harms, &tocs, stem);
    if let Some(wanted) = &wanted {
        rows.retain(|r| wanted.iter().any(|h| std::ptr::eq(*h, r.harm)));
    }
    Some((rows, current))
}

/// `part`'s words, in order, side by side somewhere in `whole`.
fn contains(whole: &[String], part: &[String]) -> bool {
    !part.is_empty() && whole.windows(part.len()).any(|w| w == part)
}

/// Whether `outer` is `inner`'s parent, or its parent's, and so on.
fn is_ancestor(toc: &[TocEntry], outer: &TocEntry, inner: &TocEntry) -> bool {
    let mut at = inner.parent.clone();
    let mut steps = 0;
    while let Some(p) = at {
        if p == outer.number {
            return true;
        }
        steps += 1;
        if steps > toc.len() {
            return false;
        }
        at = toc.iter().find(|c| c.number == p).and_then(|c| c.parent.clone());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> String {
        w.trim_end_matches('s').to_string()
    }

    fn harm(name: &str, also: &[&str]) -> Harm {
        Harm { name: name.into(), also: also.iter().map(|s| s.to_string()).collect(), search: Vec::new() }
    }

    fn entry(number: &str, title: &str, parent: Option<&str>) -> TocEntry {
        TocEntry {
            number: number.into(),
            title: title.into(),
            heading: format!("{number}. {title}"),
            level: if parent.is_some() { 2 } else { 1 },
            parent: parent.map(str::to_string),
            printed_start: "1".into(),
            printed_end: "2".into(),
            pdf_start: 1,
            pdf_end: 2,
        }
    }

    #[test]
    fn words_side_by_side_and_stemmed_never_parts_of_words() {
        let w = |s: &str| crate::text::words(s).iter().map(|x| stem(x)).collect::<Vec<_>>();
        assert!(contains(&w("Unlawful immigration and human trafficking"), &w("human trafficking")));
        assert!(contains(&w("Threats and harassment"), &w("threat")));
        assert!(!contains(&w("Human rights and trafficking law"), &w("human trafficking")));
        assert!(!contains(&w("Hatred"), &w("hate")));
    }

    #[test]
    fn a_harm_finds_its_chapters_and_a_listed_chapter_covers_its_sections() {
        let harms = [harm("Human trafficking", &["modern slavery"]), harm("Fraud", &["scams"])];
        let toc = vec![
            entry("1", "Human trafficking", None),
            entry("1.1", "Human trafficking: how it starts", Some("1")),
            entry("2", "Modern slavery and labour exploitation", None),
            entry("3", "Scams and other fraud", None),
        ];
        let other = vec![entry("4", "Fraud", None)];
        let rows = concordance(&harms, &[&toc, &other], &mut stem);
        let got: Vec<(&str, Vec<(usize, &str)>)> = rows
            .iter()
            .map(|r| (r.harm.name.as_str(), r.chapters.iter().map(|(d, c)| (*d, c.number.as_str())).collect()))
            .collect();
        assert_eq!(got, [("Human trafficking", vec![(0, "1"), (0, "2")]), ("Fraud", vec![(0, "3"), (1, "4")])]);
        assert_eq!(find(&harms, "human trafficking", &mut stem).len(), 1);
        assert_eq!(find(&harms, "SCAM", &mut stem)[0].name, "Fraud");
        assert_eq!(find(&harms, "slavery", &mut stem)[0].name, "Human trafficking");
        assert!(find(&harms, "weather", &mut stem).is_empty());
        // A `harm:` filter's scope: each chapter with its sections, and its pages.
        let fraud = find(&harms, "fraud", &mut stem);
        let spans = scope(&harms, &fraud, &[("a", &toc), ("b", &other)], &mut stem);
        let got: Vec<(&str, Vec<&str>)> =
            spans.iter().map(|s| (s.doc.as_str(), s.numbers.iter().map(String::as_str).collect())).collect();
        assert_eq!(got, [("a", vec!["3"]), ("b", vec!["4"])]);
        let slavery = find(&harms, "human trafficking", &mut stem);
        let spans = scope(&harms, &slavery, &[("a", &toc), ("b", &other)], &mut stem);
        assert_eq!(spans[0].numbers, ["1", "1.1"]);
        assert_eq!((spans[0].pdf_start, spans[0].pdf_end), (1, 2));
    }
}
