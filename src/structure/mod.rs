//! Pages → structure: clean text, printed page labels, chapters and numbered
//! paragraphs. Pure: takes what `extract` read, does no IO.
//!
//! The order of work for one document:
//! 1. every line is normalised (NFKC, so ligatures become letters; control
//!    characters dropped; runs of white space folded) — `text`;
//! 2. running headers and footers — lines found at the top or bottom of most
//!    pages once digits are ignored — are removed, and a page number printed
//!    there is kept — `text`;
//! 3. each page's citable number is decided: the printed number, else
//!    /PageLabels that agree with the printed numbers around them, else the
//!    run of printed numbers, else the physical page — `labels`;
//! 4. words hyphenated across a line break are joined — `text`;
//! 5. chapters come from the outline when it is one, else from the Contents
//!    page(s), else from numbered heading lines; a chapter whose heading sits
//!    mid-page splits that page — `chapters`;
//! 6. numbered paragraphs (9.12, A12.3) are found and their numbering
//!    checked; sub-headings are told apart from the paragraphs below them,
//!    and each paragraph is closed where the next paragraph, heading or
//!    chapter begins — `paragraphs`.
//!
//! Between steps 2 and 4, the notes at each page's foot are set apart and
//! their markers taken out of the body — `notes`.

mod chapters;
mod labels;
mod notes;
mod paragraphs;
mod text;

pub use chapters::{contents_line, heading_line, split_heading};
pub use labels::{infer_footer_labels, page_number_line};
pub use paragraphs::{chapter_at, paragraph_number};
pub use text::{join_hyphenated, normalise_lines, superscript_digit};

use crate::extract::RawDocument;
use chapters::{
    chapters_from_contents, chapters_from_headings, chapters_from_outline, close_chapters, is_contents_page,
};
use labels::assign_labels;
use paragraphs::{close_paragraphs, find_paragraphs, find_subheadings};
use text::{find_furniture, strip_furniture};

/// How deep in the outline a bookmark still counts as a chapter.
const MAX_CHAPTER_LEVEL: u32 = 2;

/// One physical page after cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 1-based physical page.
    pub physical: u32,
    /// The printed page label ("209", "iv", or the physical number when the
    /// document prints none).
    pub printed: String,
    /// Where `printed` came from.
    pub label_source: LabelSource,
    /// Clean lines, headers and footers removed, hyphenation joined, the
    /// notes at the foot and their markers taken out.
    pub lines: Vec<String>,
    /// A table-of-contents page (ranked down in search).
    pub is_contents: bool,
    /// The notes at the page's foot, in order.
    pub notes: Vec<Footnote>,
    /// Lines that are headings (a chapter's, or a sub-heading), not text of
    /// the paragraph below them.
    pub headings: Vec<usize>,
}

/// A note printed at the foot of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// As printed: "180".
    pub number: String,
    pub text: String,
    /// The body line its marker was on, when found.
    pub line: Option<usize>,
    /// The numbered paragraph its marker is in.
    pub paragraph: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelSource {
    /// The number printed on the page itself (header or footer).
    Printed,
    /// The document's /PageLabels, where the page prints no number.
    Label,
    /// The physical page, where there is neither.
    Physical,
}

/// Where a chapter's structure was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChapterSource {
    Outline,
    Headings,
    Contents,
    None,
}

/// A chapter (or section): a run of text from its heading to the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// "9", "A12", "" when the heading carries no number.
    pub number: String,
    /// The title without its number: "Human trafficking".
    pub title: String,
    /// The heading as printed: "9. Human trafficking".
    pub heading: String,
    /// 1 = top level.
    pub level: u32,
    /// The heading of the enclosing chapter, for a level-2 section.
    pub parent: Option<String>,
    /// Physical page and line where the chapter starts.
    pub start_page: u32,
    pub start_line: usize,
    /// Last physical page (inclusive).
    pub end_page: u32,
    pub printed_start: String,
    pub printed_end: String,
}

/// A numbered paragraph: where it starts and where it ends (physical page
/// and line, the end inclusive; a paragraph may run over page breaks).
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub number: String,
    pub page: u32,
    pub line: usize,
    pub end_page: u32,
    pub end_line: usize,
}

/// Everything structure learned about one document.
#[derive(Debug, Clone)]
pub struct Structure {
    pub pages: Vec<Page>,
    /// In reading order; the first may be a front-matter pseudo-chapter with
    /// an empty heading.
    pub chapters: Vec<Chapter>,
    pub chapter_source: ChapterSource,
    pub paragraphs: Vec<Paragraph>,
    /// Running header and footer lines removed (as found, once each).
    pub removed_lines: Vec<String>,
    pub warnings: Vec<String>,
}

/// Table tests for the structure steps: each input gives its output.
#[cfg(test)]
#[track_caller]
pub(crate) fn check<I: std::fmt::Debug, O: std::fmt::Debug + PartialEq>(f: impl Fn(&I) -> O, cases: &[(I, O)]) {
    for (input, want) in cases {
        assert_eq!(&f(input), want, "input: {input:?}");
    }
}

/// The highest page number a Contents entry of this document can give: the
/// page count, or the highest printed number when that is higher (an
/// extract from a longer publication), with a little slack.
fn max_page_number(pages: &[Page]) -> u32 {
    let printed = pages.iter().filter_map(|p| p.printed.parse::<u32>().ok()).max().unwrap_or(0);
    printed.max(pages.len() as u32) + 2
}

/// Analyse one extracted document.
pub fn analyse(doc: &RawDocument) -> Structure {
    let mut warnings = Vec::new();
    let raw: Vec<Vec<String>> = doc.pages.iter().map(|p| normalise_lines(&p.text)).collect();
    let furniture = find_furniture(&raw);
    let mut removed = std::collections::BTreeSet::new();
    let mut pages = Vec::with_capacity(raw.len());
    let mut footer_numbers = Vec::with_capacity(raw.len());
    for (i, lines) in raw.into_iter().enumerate() {
        let (mut kept, number) = strip_furniture(lines, &furniture, &mut removed);
        footer_numbers.push(number);
        let physical = doc.pages[i].number;
        let foot = notes::split_foot(&mut kept);
        let mut lines = join_hyphenated(kept);
        let notes = notes::take_markers(&mut lines, foot);
        pages.push(Page {
            physical,
            printed: physical.to_string(),
            label_source: LabelSource::Physical,
            lines,
            is_contents: false,
            notes,
            headings: Vec::new(),
        });
    }
    assign_labels(&mut pages, doc, &footer_numbers, &mut warnings);
    let max_page = max_page_number(&pages);
    for page in &mut pages {
        page.is_contents = is_contents_page(page, max_page);
    }

    let (mut chapters, chapter_source) = if let Some(ch) = chapters_from_outline(&doc.outline, &pages) {
        (ch, ChapterSource::Outline)
    } else if let Some(ch) = chapters_from_contents(&pages, max_page, &mut warnings) {
        (ch, ChapterSource::Contents)
    } else if let Some(ch) = chapters_from_headings(&pages) {
        (ch, ChapterSource::Headings)
    } else {
        (Vec::new(), ChapterSource::None)
    };
    close_chapters(&mut chapters, &pages);
    let mut paragraphs = find_paragraphs(&pages, &chapters, &mut warnings);
    let mut starts_by_page: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
    for p in &paragraphs {
        starts_by_page.entry(p.page).or_default().push(p.line);
    }
    for page in &mut pages {
        let starts = starts_by_page.remove(&page.physical).unwrap_or_default();
        let chapter_lines: Vec<usize> = chapters
            .iter()
            .filter(|c| c.start_page == page.physical && !c.heading.is_empty())
            .map(|c| c.start_line)
            .collect();
        if !page.is_contents {
            page.headings = find_subheadings(page, &starts, &chapter_lines);
        }
    }
    close_paragraphs(&mut paragraphs, &pages, &chapters);
    for page in &mut pages {
        for note in &mut page.notes {
            let Some(line) = note.line else { continue };
            let at = (page.physical, line);
            let before = paragraphs.partition_point(|p| (p.page, p.line) <= at);
            note.paragraph = before
                .checked_sub(1)
                .map(|i| &paragraphs[i])
                .filter(|p| (p.end_page, p.end_line) >= at)
                .map(|p| p.number.clone());
        }
    }
    let removed_lines: Vec<String> = removed.into_iter().collect();
    Structure { pages, chapters, chapter_source, paragraphs, removed_lines, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{OutlineEntry, RawPage};
    use crate::roman::to_roman;

    fn doc(pages: &[&str], outline: Vec<OutlineEntry>) -> RawDocument {
        RawDocument {
            page_count: pages.len() as u32,
            pages: pages
                .iter()
                .enumerate()
                .map(|(i, t)| RawPage { number: i as u32 + 1, text: t.to_string(), label: None, extractor: "test" })
                .collect(),
            outline,
            ..Default::default()
        }
    }
    #[test]
    fn chapters_from_heading_lines_and_from_contents() {
        let d = doc(
            &[
                "Contents\n1. Introduction ..... 2\n2. Method ..... 3\n3. Profiles ..... 3",
                "1. Introduction\n1.1 Text.",
                "2. Method\n2.1 Text.\n3. Profiles\n3.1 Text.",
            ],
            vec![],
        );
        let s = analyse(&d);
        // The Contents comes first: it confirms what a heading line only suggests.
        assert_eq!(s.chapter_source, ChapterSource::Contents);
        let got: Vec<(&str, u32, usize)> =
            s.chapters.iter().map(|c| (c.number.as_str(), c.start_page, c.start_line)).collect();
        assert_eq!(got, vec![("", 1, 0), ("1", 2, 0), ("2", 3, 0), ("3", 3, 2)]);

        // No Contents: numbered heading lines in sequence, but not a numbered
        // paragraph whose sentence runs on.
        let d = doc(
            &[
                "Cover",
                "1. Introduction\nSome text.\n2. Local authorities should work with\nthe police.",
                "2. Method\nMore text.",
            ],
            vec![],
        );
        let s = analyse(&d);
        assert_eq!(s.chapter_source, ChapterSource::Headings);
        let got: Vec<(&str, u32, usize)> =
            s.chapters.iter().map(|c| (c.number.as_str(), c.start_page, c.start_line)).collect();
        assert_eq!(got, vec![("", 1, 0), ("1", 2, 0), ("2", 3, 0)]);

        // Headings that do not look like headings: only the Contents page helps.
        let d = doc(
            &[
                "Contents\nOpening remarks ..... 2\nThe method ..... 3\nAnnexes ..... 3",
                "Opening remarks\ntext",
                "The method\ntext\nAnnexes\ntext",
            ],
            vec![],
        );
        let s = analyse(&d);
        assert_eq!(s.chapter_source, ChapterSource::Contents);
        let got: Vec<(&str, u32, usize)> =
            s.chapters.iter().map(|c| (c.heading.as_str(), c.start_page, c.start_line)).collect();
        assert_eq!(got, vec![("", 1, 0), ("Opening remarks", 2, 0), ("The method", 3, 0), ("Annexes", 3, 2)]);
    }

    #[test]
    fn furniture_is_removed_and_footer_numbers_become_labels() {
        let pages: Vec<String> = (1..=6)
            .map(|n| {
                let label = if n <= 2 { to_roman(n) } else { (n - 2).to_string() };
                let body = [
                    "Cover",
                    "Contents",
                    "Offenders recruit",
                    "Victims are moved",
                    "Debts are imposed",
                    "Control persists",
                ][n as usize - 1];
                format!("Register of Risks — Sample\n{body} on this page.\nMore text {n}.\n{label}")
            })
            .collect();
        let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
        let s = analyse(&doc(&refs, vec![]));
        assert_eq!(s.pages[2].lines, vec!["Offenders recruit on this page.", "More text 3."]);
        let labels: Vec<&str> = s.pages.iter().map(|p| p.printed.as_str()).collect();
        assert_eq!(labels, ["i", "ii", "1", "2", "3", "4"]);
        assert_eq!(s.pages[3].label_source, LabelSource::Printed);
        assert_eq!(s.removed_lines, vec!["Register of Risks — Sample".to_string()]);
    }

    #[test]
    fn outline_chapters_split_a_page_mid_way() {
        let d = doc(
            &[
                "Cover",
                "1. Introduction\n1.1 First.\n1.2 Second.\n2. Scope\n2.1 Scope text.",
                "2.2 More scope.\n2.4 Skipped one.",
            ],
            vec![
                OutlineEntry { level: 1, title: "1. Introduction".into(), page: 2 },
                OutlineEntry { level: 1, title: "2. Scope".into(), page: 2 },
            ],
        );
        let s = analyse(&d);
        assert_eq!(s.chapter_source, ChapterSource::Outline);
        let got: Vec<(&str, u32, usize, u32)> =
            s.chapters.iter().map(|c| (c.heading.as_str(), c.start_page, c.start_line, c.end_page)).collect();
        assert_eq!(got, vec![("", 1, 0, 1), ("1. Introduction", 2, 0, 2), ("2. Scope", 2, 3, 3)]);
        let paras: Vec<&str> = s.paragraphs.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(paras, ["1.1", "1.2", "2.1", "2.2", "2.4"]);
        assert_eq!(s.warnings, vec!["p. 3 (PDF p. 3): ¶2.4 follows ¶2.2: ¶2.3 missing".to_string()]);
    }

    #[test]
    fn an_outline_only_when_it_is_one() {
        let pages = [
            "Contents\n1. Introduction ..... 2\n2. Method ..... 3\n3. Results ..... 3",
            "1. Introduction\nText.",
            "2. Method\nMore text.\n3. Results\nFindings.",
        ];
        let entry = |level, title: &str, page| OutlineEntry { level, title: title.into(), page };
        // A lone wrapper bookmark (its title on no page) with real children:
        // the children are the outline.
        let s = analyse(&doc(
            &pages,
            vec![entry(1, "Structure Bookmarks", 1), entry(2, "1. Introduction", 2), entry(2, "2. Method", 3)],
        ));
        assert_eq!(s.chapter_source, ChapterSource::Outline);
        let got: Vec<(&str, u32, u32)> =
            s.chapters.iter().map(|c| (c.heading.as_str(), c.level, c.start_page)).collect();
        assert_eq!(got, vec![("", 1, 1), ("1. Introduction", 1, 2), ("2. Method", 1, 3)], "no Results bookmark");
        assert_eq!(s.chapters[0].title, "", "the wrapper is no chapter; the Contents page is front matter");
        // Bookmarks that point at no heading: the Contents decides.
        let s =
            analyse(&doc(&pages, vec![entry(1, "Section A", 1), entry(1, "Section B", 1), entry(1, "Section C", 2)]));
        assert_eq!(s.chapter_source, ChapterSource::Contents);
        // A bookmark whose page prints its heading with a number it lacks.
        let s = analyse(&doc(&pages, vec![entry(1, "Introduction", 2), entry(1, "Method", 3)]));
        assert_eq!(s.chapter_source, ChapterSource::Outline);
        let got: Vec<(&str, u32, usize)> =
            s.chapters.iter().map(|c| (c.heading.as_str(), c.start_page, c.start_line)).collect();
        assert_eq!(got, vec![("", 1, 0), ("Introduction", 2, 0), ("Method", 3, 0)]);
    }

    #[test]
    fn sub_headings_and_table_rows_and_paragraph_spans() {
        let d = doc(
            &[
                "Cover",
                "1. Risks\n1.1 Offenders recruit\nvictims online.\nEvidence\n1.2 Reports show it. The\nrisk grows",
                "where nobody acts.\nBusiness models and commercial profiles\nHow the harm manifests\n1.3 Services that\n\
                 Risk factor Main evidence\n8 Recommender systems\nmore text.\n2. Next\n2.1 Gamma.\n2.1 Again.",
            ],
            vec![OutlineEntry { level: 1, title: "1. Risks".into(), page: 2 }, OutlineEntry {
                level: 1,
                title: "2. Next".into(),
                page: 3,
            }],
        );
        let s = analyse(&d);
        assert_eq!(s.pages[1].headings, vec![0, 3], "the chapter's heading and a sub-heading");
        assert_eq!(s.pages[2].headings, vec![1, 2, 7], "stacked sub-headings; not a table row");
        let spans: Vec<(&str, u32, usize, u32, usize)> =
            s.paragraphs.iter().map(|p| (p.number.as_str(), p.page, p.line, p.end_page, p.end_line)).collect();
        assert_eq!(
            spans,
            vec![
                ("1.1", 2, 1, 2, 2),
                ("1.2", 2, 4, 3, 0),
                ("1.3", 3, 3, 3, 6),
                ("2.1", 3, 8, 3, 8),
                ("2.1", 3, 9, 3, 9)
            ]
        );
        assert_eq!(s.warnings, vec!["p. 3 (PDF p. 3): ¶2.1 follows ¶2.1: numbering starts again".to_string()]);
    }

    #[test]
    fn a_contents_entry_missing_from_the_body_is_said() {
        let d = doc(
            &[
                "Contents\n1. Introduction ..... 2\n2. Method ..... 3\n3. Results ..... 3\n4. Annex ..... 5",
                "1. Introduction\nText.",
                "2. Method\nMore text, and no results heading at all.",
            ],
            vec![],
        );
        let s = analyse(&d);
        assert_eq!(s.chapter_source, ChapterSource::Contents);
        assert_eq!(
            s.warnings,
            vec![
                "the Contents lists \"3. Results\" at p. 3, but no page from p. 3 (PDF p. 3) on shows it as a \
                 heading; the chapter is taken to start on that page"
                    .to_string(),
                "the Contents lists \"4. Annex\" at p. 5, a page this document does not have after its Contents; \
                 left out of the chapters"
                    .to_string(),
            ]
        );
        let got: Vec<&str> = s.chapters.iter().map(|c| c.heading.as_str()).collect();
        assert_eq!(got, ["", "1. Introduction", "2. Method", "3. Results"]);
    }
}
