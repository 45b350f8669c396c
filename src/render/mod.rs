//! Everything riskreg prints: human text, JSON and Markdown, and the
//! progress bar. The only module that writes to stdout or stderr (besides
//! `main` printing a final error).

pub mod human;
pub mod json;
pub mod md;
pub mod progress;

use std::io::{self, IsTerminal, Write};

/// Whether to colour output.
pub fn use_color(choice: crate::cli::ColorChoice) -> bool {
    match choice {
        crate::cli::ColorChoice::Always => true,
        crate::cli::ColorChoice::Never => false,
        crate::cli::ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Write a whole output at once to stdout.
pub fn emit(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// A message for the user on stderr (progress notes, warnings).
pub fn note(text: &str) {
    let _ = writeln!(io::stderr(), "{text}");
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
