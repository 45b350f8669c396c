//! Citation styles: the same `Citation` written as riskreg's own line, in
//! OSCOLA (the UK legal citation style) or as a short pinpoint.
//!
//! - `riskreg`: `Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14`
//!   (printed with ` (PDF p. 217)` after the page, see [`shown`]; copied without it)
//! - `oscola`:  `Ofcom, Register of Risks (sample) (December 2024) para 9.14` — corporate
//!   author, title (italic where the format has italics), month and year of the edition,
//!   pinpoint: the paragraph when there is one, else the printed page(s); a note at the
//!   page's foot adds `n 180`. No full stops in the abbreviations, as OSCOLA writes them.
//!   A copy downloaded by `sync` ends with its address and the day it was downloaded:
//!   `… para 9.14 <https://…/register.pdf> accessed 3 February 2025`.
//! - `short`:   `ROR ¶9.14, p. 209` — the document id in capitals, ¶ and page.

use super::md::escape;
use crate::date::month_year;
use crate::search::Citation;
use crate::structure::LabelSource;

/// Which way to write a citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CiteStyle {
    #[default]
    Riskreg,
    Oscola,
    Short,
}

/// Where the citation goes: plain text, or Markdown (the title in italics,
/// the rest escaped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Plain,
    Markdown,
}

/// The citation as riskreg prints it for a reader at the screen: in the
/// riskreg style with the physical page too (`p. 209 (PDF p. 217)`); the
/// other styles as they are copied.
pub fn shown(c: &Citation, style: CiteStyle) -> String {
    match style {
        CiteStyle::Riskreg => super::citation_shown(c),
        _ => cite(c, style, Markup::Plain),
    }
}

/// The citation written in `style`, as it is copied into a letter.
pub fn cite(c: &Citation, style: CiteStyle, markup: Markup) -> String {
    let text = |s: &str| match markup {
        Markup::Plain => s.to_string(),
        Markup::Markdown => escape(s),
    };
    match style {
        CiteStyle::Riskreg => text(&super::citation_line(c)),
        CiteStyle::Oscola => oscola(c, markup, None),
        CiteStyle::Short => {
            let mut s = c.doc.to_uppercase();
            if let Some(p) = &c.paragraph {
                s.push_str(&format!(" ¶{p},"));
            }
            let many = c.page_end.is_some();
            let page = match c.page_source {
                LabelSource::Physical => {
                    format!("PDF p{} {}", if many { "p." } else { "." }, pages(&c.pdf_page.to_string(), end_pdf(c)))
                }
                _ => format!("p{} {}", if many { "p." } else { "." }, pages(&c.page, end_label(c))),
            };
            s.push(' ');
            s.push_str(&page);
            if let Some(n) = &c.footnote {
                s.push_str(&format!(" fn {n}"));
            }
            text(&s)
        }
    }
}

/// OSCOLA: `Ofcom, Register of Risks (December 2024) para 9.14`; `pin`
/// replaces the pinpoint (`ch 9`).
fn oscola(c: &Citation, markup: Markup, pin: Option<String>) -> String {
    let text = |s: &str| match markup {
        Markup::Plain => s.to_string(),
        Markup::Markdown => escape(s),
    };
    let title = match markup {
        Markup::Plain => c.doc_title.clone(),
        Markup::Markdown => format!("*{}*", escape(&c.doc_title)),
    };
    let mut s = String::new();
    if let Some(p) = &c.publisher {
        s.push_str(&text(p));
        s.push_str(", ");
    }
    s.push_str(&title);
    if let Some(month) = c.date.as_deref().and_then(month_year) {
        s.push_str(&format!(" ({month})"));
    }
    let pin = pin.unwrap_or_else(|| match (&c.paragraph, c.page_source) {
        (Some(p), _) => format!("para {p}"),
        (None, LabelSource::Physical) => format!("PDF p {}", pages(&c.pdf_page.to_string(), end_pdf(c))),
        (None, _) => pages(&c.page, end_label(c)),
    });
    if !pin.is_empty() {
        s.push(' ');
        s.push_str(&text(&pin));
    }
    if let Some(n) = &c.footnote {
        s.push_str(&format!(" n {}", text(n)));
    }
    // An online copy: its address in angle brackets and the day it was read.
    if let Some(url) = &c.url {
        s.push_str(&format!(" {}", text(&format!("<{url}>"))));
        if let Some(day) = c.accessed.as_deref().and_then(crate::date::long) {
            s.push_str(&format!(" accessed {day}"));
        }
    }
    s
}

/// A whole chapter's citation (`toc --cite`): riskreg's line with the
/// chapter's page range; OSCOLA pinpoints `ch 9` (or the pages, for a chapter
/// without a number); short `ROR ch 9, pp. 207–224`.
pub fn cite_chapter(c: &Citation, style: CiteStyle, markup: Markup) -> String {
    let whole = Citation { paragraph: None, footnote: None, ..c.clone() };
    match style {
        CiteStyle::Riskreg => cite(&whole, style, markup),
        CiteStyle::Oscola if !c.chapter.is_empty() => oscola(&whole, markup, Some(format!("ch {}", c.chapter))),
        CiteStyle::Oscola => cite(&whole, style, markup),
        CiteStyle::Short => {
            let chapter = if c.chapter.is_empty() { String::new() } else { format!(" ch {},", c.chapter) };
            let page = cite(&Citation { paragraph: None, ..whole }, CiteStyle::Short, Markup::Plain);
            let rest = page.strip_prefix(&c.doc.to_uppercase()).unwrap_or(&page).to_string();
            let s = format!("{}{chapter}{rest}", c.doc.to_uppercase());
            match markup {
                Markup::Plain => s,
                Markup::Markdown => escape(&s),
            }
        }
    }
}

fn end_label(c: &Citation) -> Option<String> {
    c.page_end.as_ref().map(|(label, _)| label.clone())
}

fn end_pdf(c: &Citation) -> Option<String> {
    c.page_end.as_ref().map(|(_, pdf)| pdf.to_string())
}

/// "209", or "220–221" for a passage over a page break.
fn pages(start: &str, end: Option<String>) -> String {
    match end {
        Some(e) if !e.is_empty() && e != start => format!("{start}–{e}"),
        _ => start.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation() -> Citation {
        Citation {
            doc: "ror".into(),
            doc_title: "Register of Risks".into(),
            doc_short_title: "Register of Risks".into(),
            version: None,
            date: Some("2024-12-16".into()),
            current: true,
            publisher: Some("Ofcom".into()),
            url: None,
            accessed: None,
            chapter: "9".into(),
            chapter_heading: "9. Human trafficking".into(),
            chapter_parent: None,
            chapter_pages: ("207".into(), "224".into()),
            chapter_pdf_pages: (215, 232),
            page: "209".into(),
            page_source: LabelSource::Printed,
            pdf_page: 217,
            page_end: None,
            footnote: None,
            paragraph: Some("9.14".into()),
            file: "ror.pdf".into(),
            newer_absent: None,
        }
    }

    #[test]
    fn styles() {
        let c = citation();
        assert_eq!(cite(&c, CiteStyle::Oscola, Markup::Plain), "Ofcom, Register of Risks (December 2024) para 9.14");
        assert_eq!(
            cite(&c, CiteStyle::Oscola, Markup::Markdown),
            "Ofcom, *Register of Risks* (December 2024) para 9.14"
        );
        assert_eq!(cite(&c, CiteStyle::Short, Markup::Plain), "ROR ¶9.14, p. 209");
        let over = Citation { page_end: Some(("210".into(), 218)), paragraph: None, ..citation() };
        assert_eq!(cite(&over, CiteStyle::Oscola, Markup::Plain), "Ofcom, Register of Risks (December 2024) 209–210");
        assert_eq!(cite(&over, CiteStyle::Short, Markup::Plain), "ROR pp. 209–210");
        let note = Citation { footnote: Some("180".into()), ..citation() };
        assert_eq!(
            cite(&note, CiteStyle::Oscola, Markup::Plain),
            "Ofcom, Register of Risks (December 2024) para 9.14 n 180"
        );
        assert_eq!(cite(&note, CiteStyle::Short, Markup::Plain), "ROR ¶9.14, p. 209 fn 180");
        let bare = Citation {
            publisher: None,
            date: None,
            paragraph: None,
            page_source: LabelSource::Physical,
            page: "4".into(),
            pdf_page: 4,
            ..citation()
        };
        assert_eq!(cite(&bare, CiteStyle::Oscola, Markup::Plain), "Register of Risks PDF p 4");
        assert_eq!(cite(&bare, CiteStyle::Short, Markup::Plain), "ROR PDF p. 4");
        let online = Citation {
            url: Some("https://example.org/ror.pdf".into()),
            accessed: Some("2025-02-03".into()),
            ..citation()
        };
        assert_eq!(
            cite(&online, CiteStyle::Oscola, Markup::Plain),
            "Ofcom, Register of Risks (December 2024) para 9.14 <https://example.org/ror.pdf> accessed 3 February 2025"
        );
        assert_eq!(
            cite(&c, CiteStyle::Riskreg, Markup::Plain),
            "Register of Risks, 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14"
        );
        assert_eq!(
            shown(&c, CiteStyle::Riskreg),
            "Register of Risks, 16 December 2024 · 9. Human trafficking · p. 209 (PDF p. 217) · ¶9.14"
        );
        assert_eq!(shown(&c, CiteStyle::Short), "ROR ¶9.14, p. 209");
    }
}
