//! `riskreg sync`: fetch the official publications the manifest lists into
//! `corpus/official/`, and record what was fetched in `corpus/sources.lock`.
//! Never touches the index.
//!
//! Each download is conditional (ETag / Last-Modified from the lock file), is
//! checked (status 200, a `%PDF-` header, the size cap, the promised length,
//! and that it opens as a PDF, in the extraction worker) and is written to a
//! temporary file that is renamed into place, so an interrupted download
//! never leaves a partial PDF (SIGINT and SIGTERM remove it; one left by a
//! killed process is removed by the next sync). A download that stalls is
//! given up after `stall`. Transient failures
//! (connection errors, 429, 5xx) are retried with backoff.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::{Manifest, SourceEntry};
use crate::error::{Error, Result};
use crate::extract::ExtractOptions;

pub use crate::corpus::LOCK_FILE;
pub use crate::corpus::OFFICIAL_DIR;

#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub corpus_dir: PathBuf,
    /// Report what would be fetched; write nothing.
    pub dry_run: bool,
    /// Allow plain-http URLs (for a local mirror or tests).
    pub allow_http: bool,
    /// Only these manifest ids (all when empty).
    pub only: Vec<String>,
    /// Largest PDF accepted, in bytes.
    pub max_bytes: u64,
    /// Attempts per file (the first one included).
    pub attempts: u32,
    /// Pause before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Time allowed for one whole download.
    pub timeout: Duration,
    /// A download that sends nothing for this long is given up (and tried
    /// again, as any transient failure is).
    pub stall: Duration,
    /// How a download is checked to open as a PDF before it replaces
    /// anything (the extraction worker, with its limits).
    pub extract: ExtractOptions,
}

impl SyncOptions {
    pub fn new(corpus_dir: PathBuf) -> SyncOptions {
        SyncOptions {
            corpus_dir,
            dry_run: false,
            allow_http: false,
            only: Vec::new(),
            max_bytes: 200 * 1024 * 1024,
            attempts: 4,
            backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(300),
            stall: Duration::from_secs(60),
            extract: ExtractOptions::default(),
        }
    }
}

/// One downloaded publication, as `sources.lock` records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locked {
    pub id: String,
    pub url: String,
    pub version: Option<String>,
    /// Relative to the corpus folder.
    pub path: String,
    pub size: u64,
    pub sha256: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// UTC, RFC 3339.
    pub fetched: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    #[serde(default, rename = "file")]
    pub files: Vec<Locked>,
}

impl LockFile {
    pub fn load(corpus_dir: &Path) -> Result<LockFile> {
        let path = corpus_dir.join(LOCK_FILE);
        let lock: LockFile = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| Error::LockFile { path: path.clone(), reason: e.message().to_string() })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(LockFile::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        // Its names reach file paths: each must stay a plain name under official/.
        for f in &lock.files {
            let plain = |s: &str| {
                !s.is_empty()
                    && !s.starts_with('.')
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            };
            let file = f.path.strip_prefix(&format!("{OFFICIAL_DIR}/")).unwrap_or("");
            if !plain(&f.id) || !f.version.as_deref().is_none_or(plain) || !plain(file) {
                return Err(Error::LockFile {
                    path,
                    reason: format!(
                        "entry \"{}\": id, version and path must be plain names under {OFFICIAL_DIR}/ (A-Z, a-z, 0-9, '.', '_', '-'); found path \"{}\"",
                        f.id, f.path
                    ),
                });
            }
        }
        Ok(lock)
    }

    fn save(&self, corpus_dir: &Path) -> Result<()> {
        let path = corpus_dir.join(LOCK_FILE);
        let mut text = String::from("# Written by `riskreg sync`: what was downloaded, from where, and its hash.\n\n");
        text.push_str(
            &toml::to_string(self).map_err(|e| Error::LockFile { path: path.clone(), reason: e.to_string() })?,
        );
        write_atomic(&path, text.as_bytes())
    }

    fn get(&self, id: &str) -> Option<&Locked> {
        self.files.iter().find(|f| f.id == id)
    }
}

/// What happened to one publication.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    New,
    Changed,
    Unchanged,
    /// `--dry-run`: would be fetched (why: not downloaded yet, or the file
    /// differs from what the lock file records).
    WouldFetch(String),
    /// `--dry-run`: downloaded as the lock file records; a real sync asks
    /// the server whether it changed.
    WouldCheck(String),
    Failed(String),
}

#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// (id, outcome) in manifest order.
    pub items: Vec<(String, Outcome)>,
}

impl SyncReport {
    pub fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.items.iter().filter(|(_, o)| f(o)).count()
    }
}

pub enum SyncEvent<'a> {
    Started { total: usize },
    Done { id: &'a str },
}

/// The HTTP client of every fetch riskreg makes (sync, `sync --discover`):
/// rustls, a time limit for the whole request, and riskreg's user agent.
/// Statuses are answers, not errors: the caller decides.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .timeout_connect(Some(Duration::from_secs(20)))
        .user_agent(concat!("riskreg/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Refuse what is not https, unless plain http was allowed (a trusted
/// mirror); `Err` is the reason, in one sentence.
pub fn check_scheme(url: &str, allow_http: bool) -> std::result::Result<(), String> {
    if url.starts_with("http://") && !allow_http {
        return Err(format!("{url}: plain http is refused; use https, or --allow-http for a trusted mirror"));
    }
    if !url.starts_with("https://") && !url.starts_with("http://") {
        return Err(format!("{url}: not an http(s) URL"));
    }
    Ok(())
}

/// A web page as text (a listing page for `sync --discover`), at most
/// `max_bytes` long.
pub fn fetch_text(url: &str, allow_http: bool, max_bytes: u64) -> Result<String> {
    check_scheme(url, allow_http).map_err(|reason| Error::Fetch {
        url: url.to_string(),
        reason: reason.strip_prefix(&format!("{url}: ")).unwrap_or(&reason).to_string(),
    })?;
    let fail = |reason: String| Error::Fetch { url: url.to_string(), reason };
    let mut resp = agent(Duration::from_secs(60)).get(url).call().map_err(|e| fail(e.to_string()))?;
    if resp.status() != 200 {
        return Err(fail(format!("the server answered {}", resp.status())));
    }
    resp.body_mut().with_config().limit(max_bytes).read_to_string().map_err(|e| fail(e.to_string()))
}

pub fn sync(opts: &SyncOptions, on_event: &dyn Fn(SyncEvent)) -> Result<SyncReport> {
    let manifest = Manifest::load(&opts.corpus_dir)?;
    for id in &opts.only {
        if manifest.get(id).is_none() {
            let ids: Vec<&str> = manifest.docs.iter().map(|d| d.id.as_str()).collect();
            return Err(Error::Usage(format!("unknown document \"{id}\": the manifest lists {}", ids.join(", "))));
        }
    }
    let mut lock = LockFile::load(&opts.corpus_dir)?;
    let entries: Vec<&SourceEntry> =
        manifest.docs.iter().filter(|d| opts.only.is_empty() || opts.only.contains(&d.id)).collect();
    on_event(SyncEvent::Started { total: entries.len() });
    if opts.dry_run {
        // From the manifest and the lock file alone: no request is made.
        let mut report = SyncReport::default();
        for entry in entries {
            report.items.push((entry.id.clone(), plan(opts, entry, lock.get(&entry.id))));
            on_event(SyncEvent::Done { id: &entry.id });
        }
        return Ok(report);
    }
    let agent = agent(opts.timeout);
    // Hosts that could not be reached: not asked again in this run.
    let mut unreachable: Vec<String> = Vec::new();
    let dir = opts.corpus_dir.join(OFFICIAL_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    interrupt::watch();
    remove_stale_parts(&dir, opts.stall);
    let mut report = SyncReport::default();
    for entry in entries {
        let host = host_of(&entry.url);
        let fetched = if unreachable.contains(&host) {
            Err(Failure::Final(format!("not tried: {host} could not be reached")))
        } else {
            fetch_one(&agent, opts, entry, lock.get(&entry.id))
        };
        let outcome = match fetched {
            Ok((outcome, Some(record))) => {
                lock.files.retain(|f| f.id != entry.id);
                lock.files.push(record);
                outcome
            }
            Ok((outcome, None)) => outcome,
            Err(Failure::Unreachable(reason)) => {
                unreachable.push(host);
                Outcome::Failed(reason)
            }
            Err(Failure::Transient(reason) | Failure::Final(reason)) => Outcome::Failed(reason),
        };
        report.items.push((entry.id.clone(), outcome));
        on_event(SyncEvent::Done { id: &entry.id });
        if !opts.dry_run {
            // Saved after every file, so an interrupted sync keeps what it fetched.
            lock.files.sort_by(|a, b| a.id.cmp(&b.id));
            lock.save(&opts.corpus_dir)?;
        }
    }
    Ok(report)
}

/// What `sync` would do for one publication, from the manifest and the
/// lock file, without asking the server.
fn plan(opts: &SyncOptions, entry: &SourceEntry, locked: Option<&Locked>) -> Outcome {
    if let Err(reason) = check_scheme(&entry.url, opts.allow_http) {
        return Outcome::Failed(reason);
    }
    let rel = entry.official_path();
    let dest = opts.corpus_dir.join(&rel);
    match locked {
        Some(l) if l.url == entry.url && l.path == rel && file_sha256(&dest).as_deref() == Some(l.sha256.as_str()) => {
            Outcome::WouldCheck(format!("{rel}, downloaded {}", l.fetched.get(..10).unwrap_or(&l.fetched)))
        }
        Some(l) if l.url != entry.url => Outcome::WouldFetch(format!("{rel}: sources.toml names a new URL")),
        _ if dest.exists() => Outcome::WouldFetch(format!("{rel}: not as sources.lock records it")),
        _ => Outcome::WouldFetch(format!("{rel}: not downloaded yet")),
    }
}

/// "www.example.org" from "https://www.example.org/a.pdf".
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest).to_string()
}

/// Fetch one publication. `Err` is why it failed, in one sentence.
fn fetch_one(
    agent: &ureq::Agent,
    opts: &SyncOptions,
    entry: &SourceEntry,
    locked: Option<&Locked>,
) -> std::result::Result<(Outcome, Option<Locked>), Failure> {
    let url = entry.url.as_str();
    check_scheme(url, opts.allow_http).map_err(Failure::Final)?;
    let rel = entry.official_path();
    let dest = opts.corpus_dir.join(&rel);
    // Conditional only when the file we have is the one the lock describes.
    let have =
        locked.filter(|l| l.url == url && l.path == rel && file_sha256(&dest).as_deref() == Some(l.sha256.as_str()));

    let existed = dest.exists();
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_fetch(agent, opts, url, have, &dest) {
            Ok(Fetched::NotModified) => return Ok((Outcome::Unchanged, None)),
            Ok(Fetched::Body { size, sha256, etag, last_modified }) => {
                let outcome = match locked {
                    Some(l) if l.sha256 == sha256 => Outcome::Unchanged,
                    Some(_) => Outcome::Changed,
                    None if existed => Outcome::Changed,
                    None => Outcome::New,
                };
                let record = Locked {
                    id: entry.id.clone(),
                    url: url.to_string(),
                    version: entry.version.clone(),
                    path: rel.clone(),
                    size,
                    sha256,
                    etag,
                    last_modified,
                    fetched: now_rfc3339(),
                };
                return Ok((outcome, Some(record)));
            }
            Err(Failure::Transient(reason)) if attempt < opts.attempts => {
                std::thread::sleep(opts.backoff * 2u32.pow(attempt - 1));
                let _ = reason;
            }
            Err(Failure::Transient(reason)) => {
                return Err(Failure::Final(format!("{reason} (gave up after {attempt} attempts)")))
            }
            Err(f) => return Err(f),
        }
    }
}

enum Fetched {
    NotModified,
    Body { size: u64, sha256: String, etag: Option<String>, last_modified: Option<String> },
}

enum Failure {
    Transient(String),
    Final(String),
    /// The host cannot be reached at all (no network, no such host): not
    /// retried, and no other file is asked of it in this run.
    Unreachable(String),
}

/// A request that failed before any answer: is the host out of reach?
fn request_failure(url: &str, e: ureq::Error) -> Failure {
    use std::io::ErrorKind as K;
    let host = host_of(url);
    match &e {
        ureq::Error::HostNotFound => Failure::Unreachable(format!("cannot reach {host}: no such host (offline?)")),
        ureq::Error::ConnectionFailed => Failure::Unreachable(format!("cannot reach {host}: no connection (offline?)")),
        // The system's resolver failing comes as a plain I/O error; std words it so.
        ureq::Error::Io(io) if io.to_string().contains("failed to lookup address") => {
            Failure::Unreachable(format!("cannot reach {host}: no such host (offline?)"))
        }
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                K::ConnectionRefused | K::NetworkUnreachable | K::HostUnreachable | K::AddrNotAvailable
            ) =>
        {
            Failure::Unreachable(format!("cannot reach {host}: {} (offline?)", io.kind()))
        }
        // A certificate that does not check out, or a server that does not
        // speak TLS, will not be better on a second try. rustls reports
        // both through the connection's reads, as data it cannot accept.
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) | ureq::Error::TlsRequired => {
            Failure::Final(format!("{url}: the secure connection failed ({e}); not retried"))
        }
        ureq::Error::Io(io) if url.starts_with("https:") && io.kind() == K::InvalidData => {
            Failure::Final(format!("{url}: the secure connection failed ({io}); not retried"))
        }
        _ => Failure::Transient(format!("{url}: {e}")),
    }
}

fn try_fetch(
    agent: &ureq::Agent,
    opts: &SyncOptions,
    url: &str,
    have: Option<&Locked>,
    dest: &Path,
) -> std::result::Result<Fetched, Failure> {
    let mut req = agent.get(url);
    if let Some(l) = have {
        if let Some(etag) = &l.etag {
            req = req.header("If-None-Match", etag);
        }
        if let Some(lm) = &l.last_modified {
            req = req.header("If-Modified-Since", lm);
        }
    }
    let resp = req.call().map_err(|e| request_failure(url, e))?;
    let status = resp.status().as_u16();
    match status {
        304 if have.is_some() => return Ok(Fetched::NotModified),
        200 => {}
        429 | 500..=599 => return Err(Failure::Transient(format!("{url}: the server answered HTTP {status}"))),
        _ => return Err(Failure::Final(format!("{url}: the server answered HTTP {status}"))),
    }
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let etag = header("etag");
    let last_modified = header("last-modified");
    let promised: Option<u64> = header("content-length").and_then(|v| v.parse().ok());
    if let Some(n) = promised {
        if n > opts.max_bytes {
            return Err(Failure::Final(format!("{url}: {} is larger than the {} cap", mb(n), mb(opts.max_bytes))));
        }
    }

    let dir = dest.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}.part", dest.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    let _part = interrupt::Part::new(&tmp);
    let chunks = body_chunks(resp.into_body(), opts.max_bytes + 1);
    let result = (|| -> std::result::Result<(u64, String), Failure> {
        let mut file = std::fs::File::create(&tmp).map_err(|e| Failure::Final(format!("{}: {e}", tmp.display())))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut head = Vec::with_capacity(5);
        loop {
            let chunk = match chunks.recv_timeout(opts.stall) {
                Ok(Ok(chunk)) if chunk.is_empty() => break,
                Ok(Ok(chunk)) => chunk,
                Ok(Err(e)) if size > opts.max_bytes || e.to_string().contains("limit") => {
                    return Err(Failure::Final(format!(
                        "{url}: the download is larger than the {} cap",
                        mb(opts.max_bytes)
                    )))
                }
                Ok(Err(e)) => {
                    return Err(Failure::Transient(format!("{url}: the download broke off after {size} bytes ({e})")))
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    return Err(Failure::Transient(format!(
                        "{url}: the download stalled: nothing for {} s after {size} bytes",
                        opts.stall.as_secs()
                    )))
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Failure::Transient(format!("{url}: the download broke off after {size} bytes")))
                }
            };
            let n = chunk.len();
            if head.len() < 5 {
                head.extend_from_slice(&chunk[..n.min(5 - head.len())]);
                if head.len() == 5 && &head[..] != b"%PDF-" {
                    return Err(Failure::Final(format!(
                        "{url}: the server sent something that is not a PDF (it starts {:?})",
                        String::from_utf8_lossy(&head)
                    )));
                }
            }
            size += n as u64;
            if size > opts.max_bytes {
                return Err(Failure::Final(format!(
                    "{url}: the download is larger than the {} cap",
                    mb(opts.max_bytes)
                )));
            }
            hasher.update(&chunk);
            std::io::Write::write_all(&mut file, &chunk)
                .map_err(|e| Failure::Final(format!("{}: {e}", tmp.display())))?;
        }
        if head.len() < 5 {
            return Err(Failure::Final(format!("{url}: the server sent something that is not a PDF ({size} bytes)")));
        }
        if let Some(n) = promised {
            if n != size {
                return Err(Failure::Transient(format!("{url}: the download is incomplete ({size} of {n} bytes)")));
            }
        }
        file.sync_all().map_err(|e| Failure::Final(format!("{}: {e}", tmp.display())))?;
        drop(file);
        // A body that starts like a PDF but is not one (an error page, a
        // truncated copy) must not replace the copy or the stand-in we have.
        match crate::extract::probe(&tmp, &opts.extract) {
            Ok(0) => return Err(Failure::Final(format!("{url}: the download is a PDF without pages"))),
            Ok(_) => {}
            Err(e) => return Err(Failure::Final(format!("{url}: the download does not open as a PDF ({})", e.reason))),
        }
        Ok((size, crate::corpus::hex(&hasher.finalize())))
    })();
    match result {
        Ok((size, sha256)) => {
            std::fs::rename(&tmp, dest).map_err(|e| Failure::Final(format!("{}: {e}", dest.display())))?;
            Ok(Fetched::Body { size, sha256, etag, last_modified })
        }
        Err(f) => {
            let _ = std::fs::remove_file(&tmp);
            Err(f)
        }
    }
}

/// The body, read on a thread of its own and handed over in chunks (an
/// empty one at the end), so that a server that stops sending can be given
/// up on: the reader waits with a time limit, which a blocking read cannot.
/// A thread left waiting on a stalled server ends with the request's own
/// time limit.
fn body_chunks(body: ureq::Body, limit: u64) -> std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>> {
    let (tx, rx) = std::sync::mpsc::sync_channel(4);
    std::thread::spawn(move || {
        let mut reader = body.into_with_config().limit(limit).reader();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let sent = match reader.read(&mut buf) {
                Ok(0) => {
                    let _ = tx.send(Ok(Vec::new()));
                    return;
                }
                Ok(n) => tx.send(Ok(buf[..n].to_vec())),
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            };
            if sent.is_err() {
                return;
            }
        }
    });
    rx
}

/// Removes the partial downloads (`.NAME.pdf.part`) an earlier sync left
/// behind when it was killed, those not written to for longer than a stall.
fn remove_stale_parts(dir: &Path, stall: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with('.') && name.ends_with(".part")) {
            continue;
        }
        let idle = e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        if idle.is_some_and(|idle| idle > stall) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// What an interrupted sync leaves: nothing. While a download is written,
/// its temporary file is known here; SIGINT, SIGTERM or SIGHUP remove it,
/// then end the process as the signal would have.
mod interrupt {
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, OnceLock};

    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

    static PART: Mutex<Option<PathBuf>> = Mutex::new(None);
    static WATCHING: OnceLock<()> = OnceLock::new();

    pub fn watch() {
        WATCHING.get_or_init(|| {
            // Without the handler, an interrupted download leaves its
            // temporary file, which the next sync removes.
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    if let Some(part) = PART.lock().unwrap_or_else(|p| p.into_inner()).take() {
                        let _ = std::fs::remove_file(part);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
        });
    }

    /// The temporary file being written, for as long as this lives.
    pub struct Part;

    impl Part {
        pub fn new(path: &Path) -> Part {
            *PART.lock().unwrap_or_else(|p| p.into_inner()) = Some(path.to_path_buf());
            Part
        }
    }

    impl Drop for Part {
        fn drop(&mut self) {
            *PART.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
    }
}

fn mb(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1_048_576.0)
}

fn file_sha256(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(crate::corpus::hex(&Sha256::digest(&bytes)))
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

pub use crate::date::now_rfc3339;
