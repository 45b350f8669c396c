//! `--open`: the PDF at a page, in the viewer the system opens PDFs with.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::render;

/// The system's opener: `open` on macOS, `xdg-open` elsewhere.
fn opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

/// Hand `file#page=N` (as a `file://` URL) to the system's opener. Viewers
/// that read the fragment open at the page; the note names the page for
/// those that do not.
pub fn pdf(file: &Path, pdf_page: u32) -> Result<()> {
    if !file.is_file() {
        return Err(Error::Usage(format!("cannot open {}: the file is not there (run riskreg index)", file.display())));
    }
    let url = render::link::path_url(file, pdf_page);
    let program = opener();
    let status = Command::new(program).arg(&url).stdin(Stdio::null()).stdout(Stdio::null()).status();
    match status {
        Ok(s) if s.success() => {
            render::note(&format!("opened {} at PDF page {pdf_page}", file.display()));
            Ok(())
        }
        Ok(s) => Err(Error::Usage(format!(
            "{program} could not open {url} ({s}); open {} at PDF page {pdf_page} yourself",
            file.display()
        ))),
        Err(_) => Err(Error::Usage(format!(
            "no program to open PDFs with ({program} is not installed); open {} at PDF page {pdf_page} yourself",
            file.display()
        ))),
    }
}
