//! The one way riskreg links to a page of a PDF: the file's absolute path
//! with `#page=N` (the PDF open-parameters fragment that viewers and
//! browsers follow), or as a `file://` URL where a URL is needed (Markdown,
//! a terminal hyperlink).

use std::path::{Path, PathBuf};

/// The absolute path of `file` (relative to the corpus folder), `.` and
/// `..` taken out but symlinks left alone: what the user would type.
pub fn absolute(corpus: &Path, file: &str) -> PathBuf {
    absolute_path(corpus, Path::new(file))
}

/// [`absolute`] for a path as the system names it (which may not be UTF-8).
pub fn absolute_path(corpus: &Path, file: &Path) -> PathBuf {
    let p = corpus.join(file);
    if p.is_absolute() {
        return normalize(&p);
    }
    match std::env::current_dir() {
        Ok(cwd) => normalize(&cwd.join(p)),
        Err(_) => p,
    }
}

/// `a/./b/../c` → `a/c`, lexically.
fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Where links in an output point: the files in a corpus folder on this
/// machine (the command line), or the server's own `/pdf/{doc}` (the web
/// page and its API, whose users cannot open the server's files).
#[derive(Debug, Clone, Copy)]
pub enum LinkBase<'a> {
    Corpus(&'a Path),
    Server,
}

impl LinkBase<'_> {
    /// The document's file (no page).
    pub fn file(&self, doc: &str, file: &str) -> String {
        match self {
            LinkBase::Corpus(corpus) => absolute(corpus, file).display().to_string(),
            LinkBase::Server => format!("/pdf/{doc}"),
        }
    }

    /// The page as a URL a terminal hyperlink can carry: `file://…` for a
    /// corpus file, the server's own path otherwise.
    pub fn url(&self, doc: &str, file: &str, pdf_page: u32) -> String {
        match self {
            LinkBase::Corpus(corpus) => file_url(corpus, file, pdf_page),
            LinkBase::Server => self.page(doc, file, pdf_page),
        }
    }

    /// The link to a physical page of a document.
    pub fn page(&self, doc: &str, file: &str, pdf_page: u32) -> String {
        match self {
            LinkBase::Corpus(corpus) => pdf_path(corpus, file, pdf_page),
            LinkBase::Server => format!("/pdf/{doc}#page={pdf_page}"),
        }
    }
}

/// `/home/me/riskreg/corpus/sample/ror.pdf#page=217`
pub fn pdf_path(corpus: &Path, file: &str, pdf_page: u32) -> String {
    format!("{}#page={pdf_page}", absolute(corpus, file).display())
}

/// `file:///home/me/riskreg/corpus/sample/ror.pdf#page=217`, the path
/// percent-encoded where a URL may not carry it as it is (spaces, `#`, `%`,
/// non-ASCII).
pub fn file_url(corpus: &Path, file: &str, pdf_page: u32) -> String {
    path_url(&absolute(corpus, file), pdf_page)
}

/// An absolute path and a page as a `file://` URL (see [`file_url`]).
pub fn path_url(path: &Path, pdf_page: u32) -> String {
    let mut url = String::from("file://");
    // The system's own bytes, so a name that is not UTF-8 still opens.
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{url}#page={pdf_page}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        let corpus = Path::new("/srv/my corpus/./x/..");
        assert_eq!(pdf_path(corpus, "sample/ror.pdf", 217), "/srv/my corpus/sample/ror.pdf#page=217");
        assert_eq!(file_url(corpus, "a#b é.pdf", 3), "file:///srv/my%20corpus/a%23b%20%C3%A9.pdf#page=3");
        let rel = absolute(Path::new("./corpus/../corpus"), "ror.pdf");
        assert!(rel.is_absolute() && rel.ends_with("corpus/ror.pdf") && !rel.to_string_lossy().contains(".."));
    }
}
