//! Markdown output, for a memo or a ticket: a heading with the query, the
//! date and what was searched, then one numbered item per passage (its
//! citation linked to the PDF at the page, each snippet a quoted paragraph,
//! the match in bold as one phrase) or one line per chapter with its pages.

use std::ops::Range;

use super::cite::{cite, Markup};
use super::export::Export;
use super::{chapter_display, link, page_range};
use crate::search::{ChapterResults, Citation, Results, Snippet};

/// Escape what Markdown would otherwise read as markup.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line's start escaped where Markdown would read a list item or a
/// heading underline there (`- `, `+ `, `= `, `12. `, `3) `).
fn escape_line_start(s: String) -> String {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if s.starts_with(['-', '+', '=']) {
        format!("\\{s}")
    } else if digits > 0 && s[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &s[..digits], &s[digits..])
    } else {
        s
    }
}

/// Highlights that only spaces separate become one: `debt` `bondage` →
/// `debt bondage`, so a phrase is bolded as a phrase, not word by word.
pub fn merge_highlights(text: &str, highlights: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in highlights {
        match out.last_mut() {
            Some(last) if last.end <= r.start && text[last.end..r.start].chars().all(char::is_whitespace) => {
                last.end = last.end.max(r.end);
            }
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r.clone()),
        }
    }
    out
}

/// A snippet as one Markdown paragraph: `¶9.34 … **debt bondage** …`.
fn snippet(s: &Snippet) -> String {
    let text = s.text.replace(['\n', '\r'], " ");
    let mut out = String::new();
    let mut at = 0;
    for r in merge_highlights(&text, &s.highlights) {
        out.push_str(&escape(&text[at..r.start]));
        out.push_str("**");
        out.push_str(&escape(&text[r.clone()]));
        out.push_str("**");
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    match (&s.footnote, &s.paragraph) {
        (Some(n), _) => format!("fn {} {out}", escape(n)),
        (None, Some(p)) => format!("¶{} {out}", escape(p)),
        (None, None) => escape_line_start(out),
    }
}

/// A link destination Markdown keeps whole: `file://` URLs already encode
/// spaces and `<>`; parentheses are encoded too, as an unbalanced one
/// would end the link.
fn destination(url: String) -> String {
    url.replace('(', "%28").replace(')', "%29")
}

fn pdf_link(e: &Export, c: &Citation, pdf_page: u32) -> String {
    destination(link::file_url(e.corpus, &c.file, pdf_page))
}

/// ` (superseded)` after an item from an edition that has been replaced.
fn superseded(c: &Citation) -> &'static str {
    if c.current {
        ""
    } else {
        " (superseded)"
    }
}

/// `# riskreg search: "debt bondage"` and the line under it.
fn heading(e: &Export, shown: &str) -> String {
    format!("# riskreg search: {}\n\n{} · {} · {}\n\n", escape(e.query), e.long_date(), shown, e.scope.describe())
}

/// Each passage: its citation linked to the PDF page, then its snippets as
/// separate quoted paragraphs.
pub fn hits(r: &Results, e: &Export) -> String {
    let mut out = heading(e, &e.shown(r.offset, r.hits.len(), r.total, "passage"));
    for (i, h) in r.hits.iter().enumerate() {
        let c = &h.citation;
        let marker = format!("{}. ", r.offset + i + 1);
        let indent = " ".repeat(marker.chars().count());
        let text = cite(c, e.style, Markup::Markdown);
        out.push_str(&format!("{marker}[{text}]({}){}\n", pdf_link(e, c, c.pdf_page), superseded(c)));
        // A blank `>` line between snippets keeps them separate paragraphs.
        let quotes: Vec<String> = h.snippets.iter().map(|s| format!("{indent}> {}\n", snippet(s))).collect();
        if !quotes.is_empty() {
            out.push('\n');
            out.push_str(&quotes.join(&format!("{indent}>\n")));
        }
        out.push('\n');
    }
    out
}

/// One line per chapter, `1. Register of Risks, 9. Human trafficking,
/// pp. 207–224`, linked to the chapter's first page: the list a letter
/// names chapters by.
pub fn chapters(r: &ChapterResults, e: &Export) -> String {
    let mut out = heading(e, &e.shown(r.offset, r.chapters.len(), r.total, "chapter"));
    for (i, ch) in r.chapters.iter().enumerate() {
        let c = &ch.best.citation;
        let text = format!(
            "{}, {}, {}",
            escape(&c.doc_short_title),
            escape(chapter_display(c)),
            escape(&page_range(&c.chapter_pages.0, &c.chapter_pages.1))
        );
        out.push_str(&format!(
            "{}. [{text}]({}){}\n",
            r.offset + i + 1,
            pdf_link(e, c, c.chapter_pdf_pages.0),
            superseded(c)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Snippet {
        Snippet {
            text: text.into(),
            highlights: vec![],
            chunk_offset: 0,
            next_page: false,
            paragraph: None,
            footnote: None,
        }
    }

    #[test]
    fn a_phrase_is_bolded_whole() {
        let text = "held in debt  bondage, debt; bondage";
        let at = |w: &str, from: usize| {
            let s = text[from..].find(w).unwrap() + from;
            s..s + w.len()
        };
        let words = [at("debt", 0), at("bondage", 0), at("debt", 20), at("bondage", 20)];
        // Two spaces still make one phrase; a comma or semicolon does not.
        assert_eq!(merge_highlights(text, &words), [8..21, 23..27, 29..36]);
        let s = Snippet { highlights: words.to_vec(), paragraph: Some("9.34".into()), ..plain(text) };
        assert_eq!(snippet(&s), "¶9.34 held in **debt  bondage**, **debt**; **bondage**");
        assert!(merge_highlights(text, &[]).is_empty());
        // Overlapping or touching ranges are one.
        assert_eq!(merge_highlights(text, &[8..12, 10..14, 14..21]), vec![(8..21)]);
    }

    #[test]
    fn text_is_escaped_where_markdown_would_read_it() {
        assert_eq!(snippet(&plain("12. Risk *factors* [x]")), "12\\. Risk \\*factors\\* \\[x\\]");
        assert_eq!(snippet(&plain("- a list?")), "\\- a list?");
        assert_eq!(destination("file:///a(b/c.pdf#page=2".into()), "file:///a%28b/c.pdf#page=2");
    }
}
