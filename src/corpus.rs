//! The manifest of official sources (`corpus/sources.toml`) and its validation.
//!
//! The manifest lists every official publication riskreg knows about, one
//! `[[doc]]` table each. An entry may point at a bundled stand-in PDF
//! (`sample = "sample/ror.pdf"`, relative to the corpus directory) and may
//! name the older edition it replaces (`supersedes = "ror"`).
//!
//! Loading validates the whole file and reports the first problem as one
//! sentence naming the file, the entry and the field.

use std::collections::{HashMap, HashSet};

use sha2::Digest;
use std::path::{Path, PathBuf};

/// The fields a `[[doc]]` table may carry, in the order they are documented.
pub const ALLOWED_FIELDS: &[&str] =
    &["id", "title", "short_title", "publisher", "url", "date", "version", "supersedes", "sample", "kind", "note"];

const REQUIRED_FIELDS: &[&str] = &["id", "title", "publisher", "url", "date"];

/// The parsed manifest: its entries in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    pub docs: Vec<SourceEntry>,
}

/// One official publication.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEntry {
    /// Stable short id, lowercase `[a-z0-9-]`.
    pub id: String,
    /// Official title.
    pub title: String,
    /// The title as a citation line shows it ("Register of Risks"), when the
    /// official one is too long for that.
    pub short_title: Option<String>,
    pub publisher: String,
    /// Full official https URL (with `?v=` where known).
    pub url: String,
    /// Publication date, `YYYY-MM-DD`, checked to be a real calendar date.
    pub date: String,
    /// The `?v=` version token, where the URL has one.
    pub version: Option<String>,
    /// Id of the older edition this entry replaces.
    pub supersedes: Option<String>,
    /// Path of the bundled stand-in, as written, relative to the corpus dir.
    pub sample: Option<PathBuf>,
    pub kind: Option<String>,
    pub note: Option<String>,
}

/// A problem with the manifest: one sentence naming the file, the entry
/// (by id, or `entry N` when it has no id) and the field.
pub type ManifestError = crate::entry_error::EntryError;

impl Manifest {
    /// Read and validate `corpus_dir/sources.toml`. A missing file gives an
    /// empty manifest.
    pub fn load(corpus_dir: &Path) -> Result<Manifest, ManifestError> {
        let path = corpus_dir.join("sources.toml");
        let label = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => Manifest::from_str(&text, corpus_dir, &label),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => {
                Err(ManifestError { file: label, entry: None, field: None, detail: format!("cannot be read ({e})") })
            }
        }
    }

    /// Parse and validate manifest text. `corpus_dir` resolves `sample`
    /// paths; `file_label` names the file in error messages.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, corpus_dir: &Path, file_label: &str) -> Result<Manifest, ManifestError> {
        let err = |entry: Option<String>, field: Option<&str>, detail: String| {
            ManifestError::new(file_label, entry, field, detail)
        };
        let table = ManifestError::parse_toml(text, file_label)?;

        for key in table.keys() {
            if key != "doc" {
                return Err(err(None, None, format!("unknown top-level key \"{key}\" (expected only [[doc]] tables)")));
            }
        }

        let items: Vec<toml::Value> = match table.get("doc") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a.clone(),
            Some(_) => return Err(err(None, None, "\"doc\" must be an array of [[doc]] tables".to_string())),
        };

        let mut docs: Vec<SourceEntry> = Vec::with_capacity(items.len());
        let mut first_index: HashMap<String, usize> = HashMap::new();

        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let toml::Value::Table(t) = item else {
                return Err(err(Some(format!("entry {n}")), None, "is not a table (write it as [[doc]])".to_string()));
            };
            // Name the entry by its id when it has a usable one.
            let entry_name = match t.get("id") {
                Some(toml::Value::String(s)) if !s.is_empty() => format!("entry \"{s}\""),
                _ => format!("entry {n}"),
            };
            let e = |field: Option<&str>, detail: String| err(Some(entry_name.clone()), field, detail);

            for key in t.keys() {
                if !ALLOWED_FIELDS.contains(&key.as_str()) {
                    return Err(e(Some(key), format!("unknown field (allowed: {})", ALLOWED_FIELDS.join(", "))));
                }
            }
            for key in REQUIRED_FIELDS {
                if !t.contains_key(*key) {
                    return Err(e(Some(key), "missing required field".to_string()));
                }
            }
            let get = |key: &str| -> Result<Option<String>, ManifestError> {
                match t.get(key) {
                    None => Ok(None),
                    Some(toml::Value::String(s)) => {
                        if s.trim().is_empty() {
                            Err(e(Some(key), "is empty".to_string()))
                        } else {
                            Ok(Some(s.clone()))
                        }
                    }
                    Some(v) => Err(e(Some(key), format!("expected a string, found {}", v.type_str()))),
                }
            };
            let id = get("id")?.unwrap_or_default();
            let title = get("title")?.unwrap_or_default();
            let short_title = get("short_title")?;
            let publisher = get("publisher")?.unwrap_or_default();
            let url = get("url")?.unwrap_or_default();
            let date = get("date")?.unwrap_or_default();
            let version = get("version")?;
            let supersedes = get("supersedes")?;
            let sample = get("sample")?;
            let kind = get("kind")?;
            let note = get("note")?;

            if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(e(Some("id"), format!("\"{id}\" may contain only a-z, 0-9 and '-'")));
            }
            // The version becomes part of a file name (`official/ror-v419942.pdf`):
            // nothing in it may lead out of that folder.
            if let Some(v) = &version {
                let safe = v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
                if !safe || v.starts_with('.') {
                    return Err(e(
                        Some("version"),
                        format!("\"{v}\" may contain only A-Z, a-z, 0-9, '.', '_' and '-', and not start with '.'"),
                    ));
                }
            }
            if let Some(&first) = first_index.get(&id) {
                return Err(err(
                    Some(format!("entry {n}")),
                    Some("id"),
                    format!("duplicate id \"{id}\" (already used by entry {first})"),
                ));
            }
            first_index.insert(id.clone(), n);

            // Plain http is allowed here (a local mirror); `riskreg sync`
            // refuses it unless told --allow-http.
            if !url.starts_with("https://") && !url.starts_with("http://") {
                return Err(e(Some("url"), format!("\"{url}\" is not an http(s) URL")));
            }
            if !is_calendar_date(&date) {
                return Err(e(Some("date"), format!("\"{date}\" is not a date (expected YYYY-MM-DD)")));
            }
            if supersedes.as_deref() == Some(id.as_str()) {
                return Err(e(Some("supersedes"), "an entry cannot supersede itself".to_string()));
            }
            let sample = match sample {
                None => None,
                Some(s) => {
                    let rel = PathBuf::from(&s);
                    if rel.is_absolute() {
                        return Err(e(Some("sample"), format!("\"{s}\" must be relative to the corpus directory")));
                    }
                    let full = corpus_dir.join(&rel);
                    if !full.is_file() {
                        return Err(e(Some("sample"), format!("file {} does not exist", full.display())));
                    }
                    Some(rel)
                }
            };

            docs.push(SourceEntry {
                id,
                title,
                short_title,
                publisher,
                url,
                date,
                version,
                supersedes,
                sample,
                kind,
                note,
            });
        }

        // Cross-entry check: `supersedes` must name an entry of this file.
        for doc in &docs {
            if let Some(old) = &doc.supersedes {
                if !first_index.contains_key(old) {
                    return Err(err(
                        Some(format!("entry \"{}\"", doc.id)),
                        Some("supersedes"),
                        format!("\"{old}\" names no entry in this manifest"),
                    ));
                }
            }
        }
        // And no two entries may supersede the same one.
        let mut by_old: HashMap<&str, &str> = HashMap::new();
        for doc in &docs {
            if let Some(old) = &doc.supersedes {
                if let Some(prev) = by_old.insert(old.as_str(), doc.id.as_str()) {
                    return Err(err(
                        Some(format!("entry \"{}\"", doc.id)),
                        Some("supersedes"),
                        format!("\"{old}\" is already superseded by entry \"{prev}\""),
                    ));
                }
            }
        }

        Ok(Manifest { docs })
    }

    /// Add `[[doc]]` tables (TOML text, one per entry) to the end of
    /// `corpus_dir/sources.toml`, under a comment naming `by`. Only a
    /// manifest that still validates is written, and it replaces the old
    /// file by rename.
    pub fn append(corpus_dir: &Path, by: &str, tables: &[String]) -> Result<Manifest, ManifestError> {
        let path = corpus_dir.join("sources.toml");
        let label = path.display().to_string();
        let fail = |what: &str, e: std::io::Error| ManifestError {
            file: label.clone(),
            entry: None,
            field: None,
            detail: format!("cannot be {what} ({e})"),
        };
        let mut text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(fail("read", e)),
        };
        text.push_str(&format!("\n# --- added by {by} ---\n"));
        for t in tables {
            text.push('\n');
            text.push_str(t);
        }
        let manifest = Manifest::from_str(&text, corpus_dir, &label)?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, &text).map_err(|e| fail("written", e))?;
        std::fs::rename(&tmp, &path).map_err(|e| fail("written", e))?;
        Ok(manifest)
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&SourceEntry> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// The entry whose `supersedes` names `id`, i.e. the newer edition.
    pub fn superseded_by(&self, id: &str) -> Option<&SourceEntry> {
        self.docs.iter().find(|d| d.supersedes.as_deref() == Some(id))
    }
}

/// The folder of the corpus where `riskreg sync` keeps official copies.
pub const OFFICIAL_DIR: &str = "official";

impl SourceEntry {
    /// Where the official copy of this publication is kept, relative to the
    /// corpus folder: `official/<id>.pdf`, or `official/<id>-v<version>.pdf`
    /// when the URL has a version token.
    pub fn official_path(&self) -> String {
        match &self.version {
            Some(v) => format!("{OFFICIAL_DIR}/{}-v{}.pdf", self.id, v),
            None => format!("{OFFICIAL_DIR}/{}.pdf", self.id),
        }
    }

    /// Whether a corpus file (relative path, '/' separators) is this
    /// publication: its bundled stand-in or an official copy.
    pub fn is_file(&self, rel: &str) -> bool {
        self.sample.as_ref().is_some_and(|s| {
            s.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/") == rel
        }) || rel == format!("{OFFICIAL_DIR}/{}.pdf", self.id)
            || rel == self.official_path()
    }
}

/// A document's identity for incremental builds and sync: the lower-case
/// hex sha256 of its bytes.
/// What `riskreg sync` wrote about each download (`sync` owns the format).
pub const LOCK_FILE: &str = "sources.lock";

/// When each official copy was downloaded: its path (relative to the
/// corpus folder) → the RFC 3339 time in `sources.lock`. Empty when there
/// is no lock file or it cannot be read (`riskreg sync` reports that).
pub fn fetched_times(corpus_dir: &Path) -> std::collections::HashMap<String, String> {
    let Ok(text) = std::fs::read_to_string(corpus_dir.join(LOCK_FILE)) else { return Default::default() };
    let Ok(lock) = text.parse::<toml::Table>() else { return Default::default() };
    let files = lock.get("file").and_then(|f| f.as_array()).cloned().unwrap_or_default();
    files
        .iter()
        .filter_map(|f| Some((f.get("path")?.as_str()?.to_string(), f.get("fetched")?.as_str()?.to_string())))
        .collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

/// The SHA-256 of everything `reader` yields, read in chunks (never whole),
/// and how many bytes that was.
pub fn sha256_reader(mut reader: impl std::io::Read) -> std::io::Result<(String, u64)> {
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex(&hasher.finalize()), total))
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `base`, or `base-2`, `base-3`… — the first id not yet taken (then taken).
pub fn unique_id(base: &str, taken: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// True when `s` is `YYYY-MM-DD` and a real date in the Gregorian calendar.
pub fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    if y == 0 || !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap => 29,
        _ => 28,
    };
    d <= days
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[doc]]
id = "ror"
title = "Register of Risks"
publisher = "Ofcom"
url = "https://example.org/ror.pdf"
date = "2024-12-16"

[[doc]]
id = "ror-2026"
title = "Register of Risks"
publisher = "Ofcom"
url = "https://example.org/updates/ror.pdf?v=1"
date = "2026-06-25"
version = "1"
supersedes = "ror"
"#;

    fn parse(text: &str) -> Result<Manifest, ManifestError> {
        Manifest::from_str(text, Path::new("/nonexistent-corpus"), "corpus/sources.toml")
    }

    fn entry(fields: &str) -> String {
        format!("[[doc]]\n{fields}\n")
    }

    const BASE: &str = "id = \"ror\"\ntitle = \"T\"\npublisher = \"Ofcom\"\nurl = \"https://example.org/a.pdf\"\ndate = \"2024-12-16\"";

    #[test]
    fn good_manifest_parses() {
        let m = parse(GOOD).unwrap();
        assert_eq!(m.docs.len(), 2);
        assert_eq!(m.get("ror").unwrap().date, "2024-12-16");
        assert_eq!(m.superseded_by("ror").unwrap().id, "ror-2026");
        assert!(m.superseded_by("ror-2026").is_none());
        assert_eq!(m.get("ror-2026").unwrap().version.as_deref(), Some("1"));
        assert_eq!(parse("").unwrap(), Manifest::default());
    }

    #[test]
    fn a_version_cannot_lead_out_of_the_official_folder() {
        for bad in ["1/../../../escaped", "..", ".hidden", "a b"] {
            let text = GOOD.replacen("version = \"1\"", &format!("version = {bad:?}"), 1);
            let e = parse(&text).unwrap_err().to_string();
            assert!(e.contains("may contain only A-Z, a-z, 0-9"), "{bad}: {e}");
        }
        assert!(parse(&GOOD.replacen("version = \"1\"", "version = \"419942.b_2-x\"", 1)).is_ok());
    }

    #[test]
    fn official_paths_and_ids() {
        let m = parse(GOOD).unwrap();
        assert_eq!(m.get("ror").unwrap().official_path(), "official/ror.pdf");
        assert_eq!(m.get("ror-2026").unwrap().official_path(), "official/ror-2026-v1.pdf");
        assert!(m.get("ror-2026").unwrap().is_file("official/ror-2026.pdf"));
        assert!(!m.get("ror").unwrap().is_file("official/ror-2026.pdf"));
        let mut taken: HashSet<String> = ["ror".to_string()].into();
        assert_eq!(unique_id("ror", &mut taken), "ror-2");
        assert_eq!(unique_id("ror", &mut taken), "ror-3");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // Streamed in chunks, over a chunk boundary, it is the same digest.
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(sha256_reader(&big[..]).unwrap(), (sha256_hex(&big), big.len() as u64));
    }

    #[test]
    fn calendar_dates() {
        for good in ["2024-02-29", "2000-02-29", "2026-12-31", "2025-01-01"] {
            assert!(is_calendar_date(good), "{good}");
        }
        for bad in [
            "2024-13-40",
            "2025-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
            "2024-00-10",
            "2024-01-00",
            "0000-01-01",
            "2024-01-0a",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
    }

    #[test]
    fn error_messages() {
        let allowed = ALLOWED_FIELDS.join(", ");
        let cases: Vec<(String, String)> = vec![
            (
                entry(&format!("{BASE}\ncolour = \"red\"")),
                format!("corpus/sources.toml: entry \"ror\": field \"colour\": unknown field (allowed: {allowed})"),
            ),
            (
                format!("{}{}", entry(BASE), entry(BASE)),
                "corpus/sources.toml: entry 2: field \"id\": duplicate id \"ror\" (already used by entry 1)".to_string(),
            ),
            (
                entry(&BASE.replace("2024-12-16", "2024-13-40")),
                "corpus/sources.toml: entry \"ror\": field \"date\": \"2024-13-40\" is not a date (expected YYYY-MM-DD)".to_string(),
            ),
            (
                entry(&BASE.replace("2024-12-16", "16 Dec 2024")),
                "corpus/sources.toml: entry \"ror\": field \"date\": \"16 Dec 2024\" is not a date (expected YYYY-MM-DD)".to_string(),
            ),
            (
                entry(&format!("{BASE}\nsupersedes = \"nope\"")),
                "corpus/sources.toml: entry \"ror\": field \"supersedes\": \"nope\" names no entry in this manifest".to_string(),
            ),
            (
                entry(&format!("{BASE}\nsample = \"sample/ror.pdf\"")),
                "corpus/sources.toml: entry \"ror\": field \"sample\": file /nonexistent-corpus/sample/ror.pdf does not exist".to_string(),
            ),
            (
                entry(&BASE.replace("url = \"https://example.org/a.pdf\"\n", "")),
                "corpus/sources.toml: entry \"ror\": field \"url\": missing required field".to_string(),
            ),
            (
                entry(&BASE.replace("id = \"ror\"\n", "")),
                "corpus/sources.toml: entry 1: field \"id\": missing required field".to_string(),
            ),
            (
                entry(&BASE.replace("date = \"2024-12-16\"", "date = 2024-12-16")),
                "corpus/sources.toml: entry \"ror\": field \"date\": expected a string, found datetime".to_string(),
            ),
            (
                entry(&BASE.replace("id = \"ror\"", "id = \"RoR\"")),
                "corpus/sources.toml: entry \"RoR\": field \"id\": \"RoR\" may contain only a-z, 0-9 and '-'".to_string(),
            ),
            (
                entry(&BASE.replace("https://", "ftp://")),
                "corpus/sources.toml: entry \"ror\": field \"url\": \"ftp://example.org/a.pdf\" is not an http(s) URL".to_string(),
            ),
            (
                "[[doc]]\nid = \"ror\"\ntitle = \"unterminated\n".to_string(),
                "corpus/sources.toml: TOML syntax error on line 3: invalid basic string, expected `\"`".to_string(),
            ),
            (
                "[docs]\nid = \"x\"\n".to_string(),
                "corpus/sources.toml: unknown top-level key \"docs\" (expected only [[doc]] tables)".to_string(),
            ),
        ];
        for (input, expected) in cases {
            let got = parse(&input).expect_err(&input).to_string();
            assert_eq!(got, expected, "input:\n{input}");
        }
    }
}
