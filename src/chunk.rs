//! Structure → chunks: one per (chapter, physical page), carrying every field
//! a citation needs. Pure.

use crate::structure::{Chapter, Footnote, Structure};

/// The most words a chunk borrows from the next page to finish its last
/// sentence (so that a phrase over the page break is found).
const TAIL_WORDS: usize = 30;

/// The text of one chapter on one physical page.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// Index of the chapter in `Structure::chapters`.
    pub chapter_ordinal: usize,
    pub chapter: Chapter,
    pub physical: u32,
    pub printed: String,
    /// Where `printed` came from: the page itself, /PageLabels, or the
    /// physical count (the JSON's `page_source`).
    pub page_source: crate::structure::LabelSource,
    /// The page is a table of contents.
    pub is_contents: bool,
    /// Paragraphs that start in this chunk, with the byte offset in `text`
    /// where each starts.
    pub paragraphs: Vec<(usize, String)>,
    /// The paragraph already running when this chunk begins, if any.
    pub continues: Option<String>,
    /// The page's text, then (from `tail_start`) the first words of the next
    /// page up to the end of the sentence that runs over the break, when the
    /// last paragraph carries on there.
    pub text: String,
    /// Where the words borrowed from the next page begin (`text.len()` when
    /// none are).
    pub tail_start: usize,
    /// The page those words are on: printed label and physical page.
    pub tail_page: Option<(String, u32)>,
    /// Byte offsets in `text` where a unit begins: a paragraph, a heading
    /// line, the text after a heading. A snippet never runs over one.
    pub breaks: Vec<usize>,
    /// The notes at the foot of the page whose markers are in this chunk
    /// (or, unmarked, the page's last chunk).
    pub notes: Vec<Footnote>,
}

impl Chunk {
    /// The paragraph in force at byte `offset` of `text`.
    pub fn paragraph_at(&self, offset: usize) -> Option<&str> {
        paragraph_at(&self.paragraphs, self.continues.as_deref(), offset)
    }

    /// The page's own text, without the words borrowed from the next page.
    pub fn own_text(&self) -> &str {
        &self.text[..self.tail_start]
    }
}

/// The first words of `text`, up to and with the end of its first sentence,
/// at most [`TAIL_WORDS`] words, and never past `limit` (the next unit).
fn sentence_end(text: &str, limit: usize) -> &str {
    let text = &text[..limit.min(text.len())];
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == TAIL_WORDS {
                    return &text[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
        if matches!(c, '.' | '?' | '!') {
            let end = i + c.len_utf8();
            let next = text[end..].chars().next();
            let prev_digit = text[..i].chars().next_back().is_some_and(|p| p.is_ascii_digit());
            if next.is_none_or(char::is_whitespace) && !prev_digit {
                return &text[..end];
            }
        }
    }
    text.trim_end()
}

/// How far after a match (in bytes) a paragraph may start and still be the
/// one a match in a heading above it cites.
const HEADING_REACH: usize = 300;

/// The paragraph in force at byte `offset` of a chunk's text, given where
/// its paragraphs start and the one it continues: the last to start at or
/// before `offset`, else the continued one; for a match in a chapter
/// heading above the first paragraph, the paragraph that follows closely.
/// The one lookup behind [`Chunk::paragraph_at`] and search citations.
pub fn paragraph_at<'a>(
    paragraphs: &'a [(usize, String)],
    continues: Option<&'a str>,
    offset: usize,
) -> Option<&'a str> {
    paragraphs.iter().rev().find(|(start, _)| *start <= offset).map(|(_, n)| n.as_str()).or(continues).or_else(|| {
        paragraphs.iter().find(|(o, _)| *o > offset && *o - offset < HEADING_REACH).map(|(_, n)| n.as_str())
    })
}

/// Whether a chunk's text opens with the end of a paragraph from the page
/// before: text stands before its first numbered paragraph, and it is more
/// than a lone heading line ("Evidence", "How the harm manifests online").
fn carries_on(text: &str, paragraphs: &[(usize, String)]) -> bool {
    let before = match paragraphs.first() {
        Some((start, _)) => &text[..*start],
        None => text,
    };
    let before = before.trim();
    if before.is_empty() {
        return false;
    }
    let lone_heading = !paragraphs.is_empty()
        && !before.contains('\n')
        && before.len() < 80
        && !before.ends_with(['.', ',', ';', ':'])
        && before.starts_with(|c: char| c.is_uppercase());
    !lone_heading
}

/// Cut a document into chunks, in reading order. Chunks with no text are
/// kept out, except that a chapter always keeps at least its first page.
pub fn chunks(s: &Structure) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut running: Option<String> = None;
    let mut para_iter = s.paragraphs.iter().peekable();
    for (ordinal, chapter) in s.chapters.iter().enumerate() {
        let next_start = s.chapters.get(ordinal + 1).map(|c| (c.start_page, c.start_line));
        for physical in chapter.start_page..=chapter.end_page {
            let page = &s.pages[physical as usize - 1];
            let from = if physical == chapter.start_page { chapter.start_line } else { 0 };
            let to = match next_start {
                Some((p, l)) if p == physical => l,
                _ => page.lines.len(),
            };
            let (from, to) = (from.min(page.lines.len()), to.min(page.lines.len()));
            let continues = running.clone();
            let mut text = String::new();
            let mut paragraphs = Vec::new();
            let mut breaks = Vec::new();
            for (i, line) in page.lines[from..to.max(from)].iter().enumerate() {
                let line_no = from + i;
                while let Some(p) = para_iter.peek() {
                    if (p.page, p.line) < (physical, line_no) {
                        para_iter.next();
                    } else {
                        break;
                    }
                }
                if !text.is_empty() {
                    text.push('\n');
                }
                let heading = page.headings.contains(&line_no);
                if heading || line_no > from && page.headings.contains(&(line_no - 1)) {
                    breaks.push(text.len());
                }
                if let Some(p) = para_iter.peek() {
                    if (p.page, p.line) == (physical, line_no) {
                        paragraphs.push((text.len(), p.number.clone()));
                        if !breaks.contains(&text.len()) {
                            breaks.push(text.len());
                        }
                        running = Some(p.number.clone());
                        para_iter.next();
                    }
                }
                text.push_str(line);
            }
            let last_on_page = to >= page.lines.len();
            let notes: Vec<Footnote> = page
                .notes
                .iter()
                .filter(|n| match n.line {
                    Some(l) => l >= from && (l < to || last_on_page),
                    None => last_on_page,
                })
                .cloned()
                .collect();
            if text.is_empty() && physical != chapter.start_page && notes.is_empty() {
                continue;
            }
            let continues = continues.filter(|_| carries_on(&text, &paragraphs));
            let tail_start = text.len();
            out.push(Chunk {
                chapter_ordinal: ordinal,
                chapter: chapter.clone(),
                physical,
                printed: page.printed.clone(),
                page_source: page.label_source,
                is_contents: page.is_contents,
                paragraphs,
                continues,
                text,
                tail_start,
                tail_page: None,
                breaks,
                notes,
            });
        }
        // A new chapter starts a new paragraph series.
        running = None;
    }
    borrow_tails(&mut out);
    out
}

/// Give each chunk whose last paragraph carries on over the page break the
/// first words of the next page, to the end of that sentence.
fn borrow_tails(chunks: &mut [Chunk]) {
    for i in 1..chunks.len() {
        let (before, after) = chunks.split_at_mut(i);
        let (prev, next) = (&mut before[i - 1], &after[0]);
        if prev.chapter_ordinal != next.chapter_ordinal
            || next.physical != prev.physical + 1
            || next.continues.is_none()
            || next.is_contents
        {
            continue;
        }
        let limit = next.breaks.first().copied().unwrap_or(next.text.len());
        let tail = sentence_end(&next.text, limit).trim();
        if tail.is_empty() {
            continue;
        }
        prev.text.push('\n');
        prev.text.push_str(tail);
        prev.tail_page = Some((next.printed.clone(), next.physical));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{OutlineEntry, RawDocument, RawPage};
    use crate::structure::analyse;

    #[test]
    #[allow(clippy::type_complexity)]
    fn one_chunk_per_chapter_and_page_with_paragraphs() {
        let texts =
            ["Cover page", "1. Start\n1.1 Alpha text.\ncontinued", "more alpha\n1.2 Beta.\n2. Next\n2.1 Gamma."];
        let doc = RawDocument {
            page_count: 3,
            pages: texts
                .iter()
                .enumerate()
                .map(|(i, t)| RawPage { number: i as u32 + 1, text: t.to_string(), label: None, extractor: "test" })
                .collect(),
            outline: vec![
                OutlineEntry { level: 1, title: "1. Start".into(), page: 2 },
                OutlineEntry { level: 1, title: "2. Next".into(), page: 3 },
            ],
            ..Default::default()
        };
        let s = analyse(&doc);
        let c = chunks(&s);
        let got: Vec<(&str, u32, &str, Vec<&str>, Option<&str>)> = c
            .iter()
            .map(|c| {
                (
                    c.chapter.heading.as_str(),
                    c.physical,
                    c.own_text(),
                    c.paragraphs.iter().map(|(_, n)| n.as_str()).collect(),
                    c.continues.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("", 1, "Cover page", vec![], None),
                ("1. Start", 2, "1. Start\n1.1 Alpha text.\ncontinued", vec!["1.1"], None),
                ("1. Start", 3, "more alpha\n1.2 Beta.", vec!["1.2"], Some("1.1")),
                ("2. Next", 3, "2. Next\n2.1 Gamma.", vec!["2.1"], None),
            ]
        );
        // The last paragraph of p. 2 carries on: its chunk borrows the
        // sentence's end from p. 3, and says so.
        assert_eq!(c[1].text, "1. Start\n1.1 Alpha text.\ncontinued\nmore alpha");
        assert_eq!(c[1].tail_page, Some(("3".to_string(), 3)));
        assert_eq!(c[2].tail_page, None, "the next chunk is another chapter");
        assert_eq!(c[1].breaks, vec![0, 9], "the heading, then ¶1.1");
        assert_eq!(c[2].paragraph_at(0), Some("1.1"));
        assert_eq!(c[2].paragraph_at(12), Some("1.2"));
        // A match in the heading above the first paragraph cites that paragraph.
        assert_eq!(c[3].paragraph_at(0), Some("2.1"));
        assert_eq!(paragraph_at(&[(400, "2.1".into())], None, 0), None);
    }

    #[test]
    fn a_page_carries_on_a_paragraph_only_with_its_text() {
        let p = |o: usize, n: &str| vec![(o, n.to_string())];
        type Case = (&'static str, Vec<(usize, String)>, bool);
        let cases: Vec<Case> = vec![
            ("more alpha\n1.2 Beta.", p(11, "1.2"), true),
            ("Some words end here.\n1.2 Beta.", p(21, "1.2"), true),
            ("Evidence\n9.50 Text.", p(9, "9.50"), false),
            ("How the harm manifests online\n9.40 Text.", p(30, "9.40"), false),
            ("9.14 Offenders recruit.", p(0, "9.14"), false),
            ("a page of one running paragraph", vec![], true),
            ("", vec![], false),
        ];
        for (text, paragraphs, want) in cases {
            assert_eq!(carries_on(text, &paragraphs), want, "{text:?}");
        }
    }
}
