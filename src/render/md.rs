//! Markdown output: citations to paste into a letter or a ticket, matches in bold.

use super::cite::{cite, CiteStyle, Markup};
use super::{chapter_display, page_range};
use crate::search::{ChapterResults, Results, Snippet};

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

fn snippet(s: &Snippet) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in &s.highlights {
        out.push_str(&escape(&s.text[at..r.start]));
        out.push_str("**");
        out.push_str(&escape(&s.text[r.clone()]));
        out.push_str("**");
        at = r.end;
    }
    out.push_str(&escape(&s.text[at..]));
    match (&s.footnote, &s.paragraph) {
        (Some(n), _) => format!("fn {} {out}", escape(n)),
        (None, Some(p)) => format!("¶{} {out}", escape(p)),
        (None, None) => out,
    }
}

pub fn hits(r: &Results, style: CiteStyle) -> String {
    let mut out = String::new();
    for (i, h) in r.hits.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", i + 1, cite(&h.citation, style, Markup::Markdown)));
        for s in &h.snippets {
            out.push_str(&format!("   > {}\n", snippet(s)));
        }
        out.push('\n');
    }
    out
}

pub fn chapters(r: &ChapterResults, style: CiteStyle) -> String {
    let mut out = String::new();
    for (i, c) in r.chapters.iter().enumerate() {
        let cit = &c.best.citation;
        out.push_str(&format!(
            "{}. {}, {}, {}\n",
            i + 1,
            escape(&cit.doc_short_title),
            escape(chapter_display(cit)),
            page_range(&cit.chapter_pages.0, &cit.chapter_pages.1)
        ));
        for s in &c.best.snippets {
            out.push_str(&format!("   > {} ({})\n", snippet(s), cite(cit, style, Markup::Markdown)));
        }
        out.push('\n');
    }
    out
}
