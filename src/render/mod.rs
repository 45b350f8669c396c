//! Everything riskreg prints: human text, JSON, Markdown, CSV and records
//! for reference managers, and the progress bar. The only module that
//! writes to stdout or stderr (besides `main` printing a final error).

pub mod cite;
pub mod csv;
pub mod export;
pub mod human;
pub mod json;
pub mod link;
pub mod md;
pub mod progress;
pub mod refs;
pub mod term;
pub mod watch;
pub mod xref;

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::search::Citation;

/// Whether to colour highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    Always,
    Never,
}

/// Whether to colour output now.
pub fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The citation to copy: `Register of Risks (sample), 16 December 2024 ·
/// 9. Human trafficking · p. 209 · ¶9.14` — the edition's date, the printed
/// page (`pp. 220–221` for a passage over a page break, `p. 213, fn 180` for
/// a note at the foot). The physical page is left out: a reader of the
/// letter holds the printed document. See [`citation_shown`].
pub fn citation_line(c: &Citation) -> String {
    line(c, false)
}

/// The citation as riskreg prints it: [`citation_line`] with the physical
/// page after the printed one, `p. 209 (PDF p. 217)`, for finding it in a
/// PDF viewer.
pub fn citation_shown(c: &Citation) -> String {
    line(c, true)
}

fn line(c: &Citation, with_pdf: bool) -> String {
    let mut s = c.doc_short_title.clone();
    if let Some(date) = c.date.as_deref().and_then(crate::date::long) {
        s.push_str(&format!(", {date}"));
    }
    s.push_str(&format!(" · {} · ", chapter_display(c)));
    let note = c.footnote.as_ref().map(|n| format!(", fn {n}")).unwrap_or_default();
    let (last_label, last_pdf) = match &c.page_end {
        Some((label, pdf)) => (label.as_str(), *pdf),
        None => (c.page.as_str(), c.pdf_page),
    };
    if c.page_source == crate::structure::LabelSource::Physical {
        // The page prints no number and the PDF gives it no label: a bare
        // `p. N` would name a number nobody can find on the page.
        s.push_str(&format!("{}{note}", pdf_range(c.pdf_page, last_pdf)));
    } else {
        s.push_str(&format!("{}{note}", page_range(&c.page, if last_label.is_empty() { &c.page } else { last_label })));
        let printed_is_pdf = c.page == c.pdf_page.to_string() && last_label == last_pdf.to_string();
        if with_pdf && !printed_is_pdf {
            s.push_str(&format!(" ({})", pdf_range(c.pdf_page, last_pdf)));
        }
    }
    if let Some(p) = &c.paragraph {
        s.push_str(&format!(" · ¶{p}"));
    }
    s
}

/// The chapter as a citation names it: its heading, or "Front matter".
pub fn chapter_display(c: &Citation) -> &str {
    if c.chapter_heading.is_empty() {
        "Front matter"
    } else {
        &c.chapter_heading
    }
}

/// `--quiet`: nothing on stdout, no notes or progress on stderr; errors
/// still reach stderr (from `main`). Set once, before any output.
static QUIET: AtomicBool = AtomicBool::new(false);
/// `--no-pager` clears it.
static PAGER: AtomicBool = AtomicBool::new(true);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

pub fn set_pager(allowed: bool) {
    PAGER.store(allowed, Ordering::Relaxed);
}

/// Write a whole output at once to stdout.
pub fn emit(text: &str) -> io::Result<()> {
    if quiet() {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Like [`emit`], but an output taller than the terminal goes through
/// `$PAGER` (`less` when unset; `LESS=FRX` unless set, so that colour shows
/// and a short text is not held), as `git` and `bat` do. Not on a pipe, not
/// with `--no-pager`, and straight to stdout when the pager cannot start.
pub fn emit_paged(text: &str) -> io::Result<()> {
    if quiet() || !PAGER.load(Ordering::Relaxed) || !io::stdout().is_terminal() {
        return emit(text);
    }
    let height = terminal_size::terminal_size().map_or(24, |(_, h)| h.0 as usize);
    if text.lines().count() < height {
        return emit(text);
    }
    let pager = std::env::var("PAGER").ok().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "less".into());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else { return emit(text) };
    let mut cmd = std::process::Command::new(program);
    cmd.args(words).stdin(std::process::Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let Ok(mut child) = cmd.spawn() else { return emit(text) };
    if let Some(mut stdin) = child.stdin.take() {
        // The reader quitting early (q in less) is not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait()?;
    Ok(())
}

/// A message for the user on stderr (progress notes, warnings); none with `--quiet`.
pub fn note(text: &str) {
    if !quiet() {
        let _ = writeln!(io::stderr(), "{text}");
    }
}

/// "1 warning", "2 warnings", "1,234 pages": a count and its noun, in the
/// singular for one.
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", thousands(n))
    }
}

/// "1,234"
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "pp. 207–224", or "p. 12" for a single page.
pub fn page_range(start: &str, end: &str) -> String {
    if start == end {
        format!("p. {start}")
    } else {
        format!("pp. {start}–{end}")
    }
}

/// "PDF pp. 215–232", or "PDF p. 4" for a single page.
pub fn pdf_range(start: u32, end: u32) -> String {
    format!("PDF {}", page_range(&start.to_string(), &end.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(page_range("207", "224"), "pp. 207–224");
        assert_eq!(page_range("iv", "iv"), "p. iv");
        assert_eq!(pdf_range(4, 4), "PDF p. 4");
        assert_eq!(pdf_range(215, 232), "PDF pp. 215–232");
    }
}
