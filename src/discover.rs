//! `riskreg sync --discover URL`: read a publication listing page of the
//! regulator's form and propose manifest entries for what the manifest lacks
//! or holds only in an older version.
//!
//! A listing link reads `Title (Updated) • PDF • 4.47 MB • 25 June 2026`, or
//! the older `Title (PDF, 660.05 KB)`; its URL may carry a `?v=` version
//! token, and "(superseded)" or "DRAFT" may mark it.

use scraper::{Html, Selector};

use crate::corpus::{Manifest, SourceEntry};

/// One PDF link found on a listing page.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub title: String,
    pub url: String,
    /// "updated", "superseded", "draft", "issued", or "".
    pub status: String,
    pub size: Option<String>,
    /// YYYY-MM-DD, when the link gives a date.
    pub date: Option<String>,
    pub version: Option<String>,
}

/// A manifest entry to add.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub entry: SourceEntry,
    /// Why: "not in the manifest", "newer version of ror (419942 → 419946)".
    pub reason: String,
}

/// A listing page's HTML and the address its relative links resolve
/// against: fetched when `source` is a URL, read when it is a saved file.
/// A saved page's links resolve against the site of the manifest's
/// publications (its first entry's URL).
pub fn fetch_listing(source: &str, allow_http: bool, manifest: &Manifest) -> crate::error::Result<(String, String)> {
    if source.contains("://") {
        return Ok((crate::sync::fetch_text(source, allow_http, MAX_LISTING_BYTES)?, source.to_string()));
    }
    let html = std::fs::read_to_string(source).map_err(|e| crate::error::Error::io(std::path::Path::new(source), e))?;
    let base = manifest.docs.first().map(|d| site_of(&d.url)).unwrap_or_default();
    Ok((html, base))
}

/// Largest listing page read, in bytes.
const MAX_LISTING_BYTES: u64 = 20 * 1024 * 1024;

/// "https://www.example.org/a/b.pdf?v=1" → "https://www.example.org/".
fn site_of(url: &str) -> String {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            format!("{}{host}/", &url[..i + 3])
        }
        None => String::new(),
    }
}

/// Who publishes what the listing proposes: the manifest's publisher (its
/// first entry's).
pub fn publisher(manifest: &Manifest) -> String {
    manifest.docs.first().map(|d| d.publisher.clone()).unwrap_or_default()
}

/// Every PDF link on the page, with what its text says.
pub fn parse_listing(html: &str, base_url: &str) -> Vec<Listed> {
    let doc = Html::parse_document(html);
    let links = Selector::parse("a[href]").expect("valid selector");
    let mut out = Vec::new();
    for a in doc.select(&links) {
        let href = a.value().attr("href").unwrap_or("").trim();
        let text: String = a.text().collect::<Vec<_>>().join(" ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let path = href.split(['?', '#']).next().unwrap_or("");
        if !path.to_ascii_lowercase().ends_with(".pdf") || text.is_empty() {
            continue;
        }
        out.push(parse_link_text(&text, &absolute(base_url, href)));
    }
    out
}

/// "Register of Risks (Updated) • PDF • 4.47 MB • 25 June 2026" → its parts.
pub fn parse_link_text(text: &str, url: &str) -> Listed {
    let parts: Vec<&str> = text.split('•').map(str::trim).collect();
    let mut title = parts[0].to_string();
    let mut size = None;
    let mut date = None;
    for p in &parts[1..] {
        if let Some(d) = parse_long_date(p) {
            date = Some(d);
        } else if p.ends_with("KB") || p.ends_with("MB") || p.ends_with("GB") {
            size = Some(p.to_string());
        }
    }
    // Old style: "Title (PDF, 660.05 KB)".
    if let Some(i) = title.find("(PDF") {
        let inner =
            title[i..].trim_matches(['(', ')']).trim_start_matches("PDF").trim_start_matches(',').trim().to_string();
        if !inner.is_empty() {
            size = Some(inner);
        }
        title = title[..i].trim().to_string();
    }
    let mut status = String::new();
    for (marker, name) in [("(updated)", "updated"), ("(superseded)", "superseded"), ("(issued)", "issued")] {
        if let Some(i) = title.to_lowercase().find(marker) {
            status = name.to_string();
            title = format!("{}{}", &title[..i], &title[i + marker.len()..]).trim().to_string();
        }
    }
    if title.starts_with("DRAFT") || title.contains(" DRAFT") {
        status = "draft".into();
    }
    let version = url
        .split_once("?v=")
        .or_else(|| url.split_once("&v="))
        .map(|(_, v)| v.split(['&', '#']).next().unwrap_or("").to_string());
    Listed { title, url: url.to_string(), status, size, date, version: version.filter(|v| !v.is_empty()) }
}

fn absolute(base: &str, href: &str) -> String {
    if href.starts_with("https://") || href.starts_with("http://") {
        return href.to_string();
    }
    let (scheme_host, _) = match base.find("://").and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j)) {
        Some(k) => (&base[..k], &base[k..]),
        None => (base, ""),
    };
    if href.starts_with('/') {
        return format!("{scheme_host}{href}");
    }
    let dir = base.rsplit_once('/').map(|(d, _)| d).unwrap_or(base);
    format!("{dir}/{href}")
}

/// "25 June 2026" → "2026-06-25".
pub fn parse_long_date(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() != 3 {
        return None;
    }
    let day: u32 = words[0].parse().ok()?;
    let month =
        MONTHS.iter().position(|m| words[1].eq_ignore_ascii_case(m) || m[..3].eq_ignore_ascii_case(words[1]))? + 1;
    let year: u32 = words[2].parse().ok()?;
    let date = format!("{year:04}-{month:02}-{day:02}");
    crate::corpus::is_calendar_date(&date).then_some(date)
}

fn url_path(url: &str) -> &str {
    let no_query = url.split(['?', '#']).next().unwrap_or(url);
    match no_query.find("://") {
        Some(i) => no_query[i + 3..].split_once('/').map(|(_, p)| p).unwrap_or(""),
        None => no_query,
    }
}

fn file_stem(url: &str) -> String {
    url_path(url).rsplit('/').next().unwrap_or("").trim_end_matches(".pdf").to_string()
}

fn normal(title: &str) -> String {
    crate::text::words(title).join(" ")
}

/// Compare a listing with the manifest: links for publications it lacks,
/// and newer versions of those it has (linked by `supersedes`).
pub fn propose(manifest: &Manifest, listed: &[Listed], publisher: &str) -> Vec<Proposal> {
    let mut out: Vec<Proposal> = Vec::new();
    let mut taken: std::collections::HashSet<String> = manifest.docs.iter().map(|d| d.id.clone()).collect();
    for l in listed {
        let known_url = manifest.docs.iter().any(|d| d.url == l.url) || out.iter().any(|p| p.entry.url == l.url);
        if known_url {
            continue;
        }
        // The same publication: the same file name, or the same title.
        let stem = file_stem(&l.url);
        let same: Vec<&SourceEntry> = manifest
            .docs
            .iter()
            .filter(|d| file_stem(&d.url) == stem || normal(&d.title) == normal(&l.title))
            .collect();
        // The newest edition the manifest has of it: the one nothing supersedes.
        let newest =
            same.iter().find(|d| !same.iter().any(|o| o.supersedes.as_deref() == Some(d.id.as_str()))).copied();
        let number = |v: &Option<String>| v.as_deref().and_then(|v| v.parse::<u64>().ok());
        let (id, supersedes, reason) = match newest {
            Some(old) => {
                let newer = match (number(&l.version), number(&old.version)) {
                    (Some(a), Some(b)) => a > b,
                    _ => l.date.as_deref().is_some_and(|d| d > old.date.as_str()),
                };
                if !newer || l.status == "superseded" {
                    continue;
                }
                let year = l.date.as_deref().map(|d| &d[..4]).unwrap_or("new");
                let id = crate::corpus::unique_id(&format!("{}-{year}", base_id(&old.id)), &mut taken);
                let reason = format!(
                    "newer version of {} ({} → {})",
                    old.id,
                    old.version.as_deref().unwrap_or(&old.date),
                    l.version.as_deref().or(l.date.as_deref()).unwrap_or("?")
                );
                (id, Some(old.id.clone()), reason)
            }
            None => (
                crate::corpus::unique_id(&crate::text::slug(&stem), &mut taken),
                None,
                "not in the manifest".to_string(),
            ),
        };
        let mut note = Vec::new();
        if !l.status.is_empty() {
            note.push(format!("listed as {}", l.status));
        }
        if let Some(s) = &l.size {
            note.push(format!("size {s}"));
        }
        out.push(Proposal {
            entry: SourceEntry {
                id,
                title: l.title.clone(),
                short_title: None,
                publisher: publisher.to_string(),
                url: l.url.clone(),
                date: l.date.clone().unwrap_or_default(),
                version: l.version.clone(),
                supersedes,
                sample: None,
                kind: None,
                note: (!note.is_empty()).then(|| note.join("; ")),
            },
            reason,
        });
    }
    out
}

/// "ror-2025" → "ror"; "ror" → "ror".
fn base_id(id: &str) -> &str {
    match id.rsplit_once('-') {
        Some((base, tail)) if tail.len() == 4 && tail.chars().all(|c| c.is_ascii_digit()) => base,
        _ => id,
    }
}

/// A proposal as a `[[doc]]` table for `sources.toml`.
pub fn to_toml(p: &Proposal) -> String {
    let e = &p.entry;
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = format!(
        "# {}\n[[doc]]\nid = {}\ntitle = {}\npublisher = {}\nurl = {}\n",
        p.reason,
        q(&e.id),
        q(&e.title),
        q(&e.publisher),
        q(&e.url)
    );
    if !e.date.is_empty() {
        out.push_str(&format!("date = {}\n", q(&e.date)));
    }
    if let Some(v) = &e.version {
        out.push_str(&format!("version = {}\n", q(v)));
    }
    if let Some(s) = &e.supersedes {
        out.push_str(&format!("supersedes = {}\n", q(s)));
    }
    if let Some(n) = &e.note {
        out.push_str(&format!("note = {}\n", q(n)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_listing_resolves_links_against_the_manifests_site() {
        assert_eq!(site_of("https://www.example.org/a/b.pdf?v=1"), "https://www.example.org/");
        assert_eq!(site_of("not a url"), "");
        let manifest = Manifest::from_str(
            "[[doc]]\nid = \"a\"\ntitle = \"A\"\npublisher = \"Regulator\"\nurl = \"https://reg.example/x/a.pdf\"\ndate = \"2024-01-02\"\n",
            std::path::Path::new("/nonexistent"),
            "sources.toml",
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("riskreg-discover-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("listing.html");
        std::fs::write(&file, "<a href=\"/docs/b.pdf\">B guidance • PDF • 1 MB • 3 March 2025</a>").unwrap();
        let (html, base) = fetch_listing(file.to_str().unwrap(), false, &manifest).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(base, "https://reg.example/");
        let listed = parse_listing(&html, &base);
        assert_eq!(listed[0].url, "https://reg.example/docs/b.pdf");
        assert_eq!(publisher(&manifest), "Regulator");
        let e = fetch_listing("http://reg.example/listing", false, &manifest).unwrap_err();
        assert_eq!(
            e.to_string(),
            "http://reg.example/listing: plain http is refused; use https, or --allow-http for a trusted mirror"
        );
    }

    #[test]
    fn link_texts() {
        let l = parse_link_text(
            "Register of Risks (Updated) • PDF • 4.47 MB • 25 June 2026",
            "https://x.org/a/updates/register-of-risks.pdf?v=419946",
        );
        assert_eq!(
            (l.title.as_str(), l.status.as_str(), l.size.as_deref(), l.date.as_deref(), l.version.as_deref()),
            ("Register of Risks", "updated", Some("4.47 MB"), Some("2026-06-25"), Some("419946"))
        );
        let l = parse_link_text(
            "DRAFT Illegal content Codes of Practice for search services (PDF, 660.05 KB)",
            "https://x.org/c.pdf?v=392428",
        );
        assert_eq!(
            (l.title.as_str(), l.status.as_str(), l.size.as_deref()),
            ("DRAFT Illegal content Codes of Practice for search services", "draft", Some("660.05 KB"))
        );
        let l = parse_link_text(
            "Register of Risks (superseded) • PDF • 5.69 MB • 7 February 2025",
            "https://x.org/r.pdf?v=419942",
        );
        assert_eq!((l.status.as_str(), l.date.as_deref()), ("superseded", Some("2025-02-07")));
        assert_eq!(parse_long_date("31 February 2025"), None);
        assert_eq!(absolute("https://x.org/a/b/page", "/c/d.pdf"), "https://x.org/c/d.pdf");
        assert_eq!(absolute("https://x.org/a/b/page", "d.pdf"), "https://x.org/a/b/d.pdf");
    }
}
