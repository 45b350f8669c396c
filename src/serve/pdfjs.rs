//! The PDF viewer: our page (`/viewer?doc=ror&page=217&search=…`) around
//! PDF.js's viewer components, and the vendored PDF.js files it loads
//! (`vendor/pdfjs/`, see its README), all compiled into the binary so the
//! viewer works offline. The PDF.js files are served under their version,
//! so they can be cached for good.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The vendored `pdfjs-dist` release: part of every `/static/pdfjs/` address.
pub const VERSION: &str = "6.5.438";

const HTML: &str = include_str!("viewer.html");
const CSS: &str = include_str!("viewer.css");
const JS: &str = include_str!("viewer.js");

/// The viewer's own files, each with its content type.
const VENDORED: &[(&str, &[u8], &str)] = &[
    ("pdf.min.mjs", include_bytes!("vendor/pdfjs/pdf.min.mjs"), "text/javascript; charset=utf-8"),
    ("pdf.worker.min.mjs", include_bytes!("vendor/pdfjs/pdf.worker.min.mjs"), "text/javascript; charset=utf-8"),
    ("pdf_viewer.mjs", include_bytes!("vendor/pdfjs/pdf_viewer.mjs"), "text/javascript; charset=utf-8"),
    ("pdf_viewer.css", include_bytes!("vendor/pdfjs/pdf_viewer.css"), "text/css; charset=utf-8"),
    ("loading-icon.gif", include_bytes!("vendor/pdfjs/loading-icon.gif"), "image/gif"),
];

/// The page: scripts, styles and the worker from this server only; the
/// PDF is fetched from it, pictures in it are drawn from blobs.
const CSP: &str = "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; \
                   img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

fn asset(body: &'static [u8], content_type: &'static str, cache: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    r
}

pub async fn viewer() -> Response {
    asset(HTML.as_bytes(), "text/html; charset=utf-8", "no-cache")
}

pub async fn viewer_js() -> Response {
    asset(JS.as_bytes(), "text/javascript; charset=utf-8", "no-cache")
}

pub async fn viewer_css() -> Response {
    asset(CSS.as_bytes(), "text/css; charset=utf-8", "no-cache")
}

/// `/static/pdfjs/{VERSION}/{file}`: a vendored file, cached for good (a
/// new release has a new address).
pub async fn vendored(Path((version, file)): Path<(String, String)>) -> Response {
    match VENDORED.iter().find(|(name, _, _)| *name == file) {
        Some((_, body, content_type)) if version == VERSION => {
            asset(body, content_type, "public, max-age=31536000, immutable")
        }
        _ => super::api::ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no such file: /static/pdfjs/{version}/{file} (this server has PDF.js {VERSION})"),
        )
        .into_response(),
    }
}

/// `/static/pdfjs/{VERSION}/images/{file}`: the stylesheet names its image
/// relative to itself.
pub async fn vendored_image(Path((version, file)): Path<(String, String)>) -> Response {
    vendored(Path((version, file))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_files_are_the_release_named() {
        let viewer = VENDORED.iter().find(|(n, _, _)| *n == "pdf_viewer.mjs").unwrap().1;
        let text = String::from_utf8_lossy(viewer);
        assert!(text.contains(&format!("pdfjsVersion = {VERSION}\n")), "pdf_viewer.mjs is not PDF.js {VERSION}");
        assert!(include_str!("vendor/pdfjs/README.md").contains(&format!("**{VERSION}**")));
        // The page and its script load the files by this release's address.
        assert!(HTML.contains(&format!("/static/pdfjs/{VERSION}/pdf_viewer.css")));
        assert!(JS.contains(&format!("\"/static/pdfjs/{VERSION}\"")));
    }
}
