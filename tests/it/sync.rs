//! `riskreg sync` against a local HTTP server on loopback: conditional
//! downloads, bad responses, retries, the lock file, `--discover`, and the
//! incremental index that follows.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use riskreg::render::json::{BuildOut, DiscoverOut, SyncOut};

use crate::support::{make_pdf, Workdir};

#[derive(Clone)]
enum Route {
    Pdf {
        body: Vec<u8>,
        etag: String,
    },
    Html,
    /// Promises `claimed` bytes, sends `body`, then hangs up.
    Truncated {
        body: Vec<u8>,
        claimed: usize,
    },
    /// Answers 500 this many times, then serves the PDF.
    Flaky {
        failures: usize,
        body: Vec<u8>,
    },
    /// A PDF header, then bytes for ever.
    Endless,
    /// Promises a PDF, sends its first bytes, then nothing (for 30 s).
    Stall,
    Page(String),
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    /// (path, status) of every request served.
    log: Vec<(String, u16)>,
}

struct Server {
    port: u16,
    state: Arc<Mutex<State>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let s = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || serve(stream, &s));
            }
        });
        Server { port, state }
    }

    fn route(&self, path: &str, r: Route) {
        self.state.lock().unwrap().routes.insert(path.to_string(), r);
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn statuses(&self, path: &str) -> Vec<u16> {
        self.state.lock().unwrap().log.iter().filter(|(p, _)| p == path).map(|(_, s)| *s).collect()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap_or("/").to_string();
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("if-none-match") {
                if_none_match = Some(v.trim().to_string());
            }
        }
    }
    let route = {
        let mut st = state.lock().unwrap();
        let r = st.routes.get(&path).cloned();
        if let Some(Route::Flaky { failures, body }) = &r {
            if *failures > 0 {
                st.routes.insert(path.clone(), Route::Flaky { failures: failures - 1, body: body.clone() });
            }
        }
        r
    };
    let mut out = stream;
    let mut respond = |status: u16, headers: &str, body: &[u8]| {
        state.lock().unwrap().log.push((path.clone(), status));
        let _ = write!(out, "HTTP/1.1 {status} X\r\n{headers}Connection: close\r\n\r\n");
        let _ = out.write_all(body);
    };
    match route {
        None => respond(404, "Content-Length: 9\r\n", b"not found"),
        Some(Route::Pdf { body, etag }) => {
            if if_none_match.as_deref() == Some(etag.as_str()) {
                respond(304, &format!("ETag: {etag}\r\n"), b"");
            } else {
                respond(
                    200,
                    &format!("ETag: {etag}\r\nContent-Type: application/pdf\r\nContent-Length: {}\r\n", body.len()),
                    &body,
                );
            }
        }
        Some(Route::Html) => {
            let body = b"<html><body>Please log in</body></html>";
            respond(200, &format!("Content-Type: text/html\r\nContent-Length: {}\r\n", body.len()), body);
        }
        Some(Route::Truncated { body, claimed }) => respond(200, &format!("Content-Length: {claimed}\r\n"), &body),
        Some(Route::Flaky { failures, body }) => {
            if failures > 0 {
                respond(500, "Content-Length: 5\r\n", b"oops!");
            } else {
                respond(200, &format!("Content-Length: {}\r\n", body.len()), &body);
            }
        }
        Some(Route::Endless) => {
            respond(200, "Content-Type: application/pdf\r\n", b"%PDF-1.7\n");
            let chunk = vec![b'x'; 64 * 1024];
            // Bounded: stops by itself after 64 MB if the client never hangs up.
            for _ in 0..1024 {
                if out.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        Some(Route::Stall) => {
            respond(200, "Content-Type: application/pdf\r\nContent-Length: 100000\r\n", b"%PDF-1.7\n");
            let _ = out.flush();
            std::thread::sleep(std::time::Duration::from_secs(30));
        }
        Some(Route::Page(html)) => {
            respond(200, &format!("Content-Type: text/html\r\nContent-Length: {}\r\n", html.len()), html.as_bytes())
        }
    }
}

fn entry(id: &str, url: &str, extra: &str) -> String {
    format!("[[doc]]\nid = \"{id}\"\ntitle = \"Doc {id}\"\npublisher = \"Ofcom\"\nurl = \"{url}\"\ndate = \"2025-01-01\"\n{extra}\n")
}

fn sync(w: &Workdir, args: &[&str]) -> (i32, SyncOut) {
    let mut a = vec!["sync", "--allow-http", "--json"];
    a.extend_from_slice(args);
    let r = w.run(&a);
    (r.code, r.json())
}

fn outcome(out: &SyncOut, id: &str) -> (String, Option<String>) {
    let i = out.items.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("{id} missing: {out:?}"));
    (i.outcome.clone(), i.reason.clone())
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn issue_5_sync_downloads_then_revalidates_then_fetches_only_what_changed() {
    let server = Server::start();
    let a = make_pdf("A", &["1. Alpha\n1.1 Alpha guidance about zebras."]);
    let b = make_pdf("B", &["1. Beta\n1.1 Beta guidance about yaks."]);
    server.route("/a.pdf", Route::Pdf { body: a, etag: "\"a1\"".into() });
    server.route("/b.pdf", Route::Pdf { body: b, etag: "\"b1\"".into() });
    let w = Workdir::empty();
    let manifest = entry("a", &server.url("/a.pdf?v=1"), "version = \"1\"") + &entry("b", &server.url("/b.pdf"), "");
    std::fs::write(w.corpus().join("sources.toml"), manifest).unwrap();

    // Plain http is refused unless asked for.
    let r = w.run(&["sync"]).code(2);
    assert!(r.stdout.contains("plain http is refused; use https, or --allow-http"), "{}", r.stdout);

    let (code, out) = sync(&w, &[]);
    assert_eq!(code, 0);
    assert_eq!((outcome(&out, "a").0.as_str(), outcome(&out, "b").0.as_str()), ("new", "new"));
    assert_eq!(files_in(&w.corpus().join("official")), ["a-v1.pdf", "b.pdf"]);
    let lock = riskreg::sync::LockFile::load(&w.corpus()).unwrap();
    let a_lock = lock.files.iter().find(|f| f.id == "a").unwrap();
    assert_eq!(
        (a_lock.path.as_str(), a_lock.etag.as_deref(), a_lock.version.as_deref()),
        ("official/a-v1.pdf", Some("\"a1\""), Some("1"))
    );
    assert_eq!(a_lock.sha256.len(), 64);
    let b1 = build(&w);
    assert_eq!((b1.added, b1.extracted), (2, 2));

    // Nothing changed upstream: one small 304 each, nothing written, nothing re-indexed.
    let (_, out) = sync(&w, &[]);
    assert_eq!(outcome(&out, "a").0, "unchanged");
    assert_eq!(server.statuses("/a.pdf"), [200, 304]);
    let b = build(&w);
    assert!(b.up_to_date, "{b:?}");

    // b changes upstream: only b is fetched, and only b is re-read.
    server.route(
        "/b.pdf",
        Route::Pdf { body: make_pdf("B", &["1. Beta\n1.1 Beta guidance about llamas."]), etag: "\"b2\"".into() },
    );
    let (_, out) = sync(&w, &[]);
    assert_eq!((outcome(&out, "a").0.as_str(), outcome(&out, "b").0.as_str()), ("unchanged", "changed"));
    let b2 = build(&w);
    assert_eq!((b2.changed, b2.unchanged, b2.extracted), (1, 1, 1), "{b2:?}");
    let r = w.run(&["search", "llamas"]).ok();
    assert!(r.stdout.contains("Doc b"), "{}", r.stdout);

    // --dry-run writes nothing (and asks nothing: a is as the lock records it).
    let before = std::fs::read_to_string(w.corpus().join("sources.lock")).unwrap();
    let (_, out) = sync(&w, &["--dry-run"]);
    assert_eq!(outcome(&out, "a").0, "would_check");
    assert_eq!(std::fs::read_to_string(w.corpus().join("sources.lock")).unwrap(), before);
}

fn build(w: &Workdir) -> BuildOut {
    let r = w.run(&["index", "--json"]);
    assert_eq!(r.code, 0, "{r:?}");
    r.json()
}

#[test]
fn issue_5_bad_responses_give_clear_errors_or_a_retry_and_leave_no_partial_file() {
    let server = Server::start();
    let good = make_pdf("Good", &["1. Good\n1.1 Fine."]);
    server.route("/html.pdf", Route::Html);
    server.route("/short.pdf", Route::Truncated { body: good[..good.len() / 2].to_vec(), claimed: good.len() });
    server.route("/flaky.pdf", Route::Flaky { failures: 1, body: good.clone() });
    server.route("/endless.pdf", Route::Endless);
    let w = Workdir::empty();
    let manifest = ["html", "short", "flaky", "endless", "missing"]
        .iter()
        .map(|id| entry(id, &server.url(&format!("/{id}.pdf")), ""))
        .collect::<String>();
    std::fs::write(w.corpus().join("sources.toml"), manifest).unwrap();

    let (code, out) = sync(&w, &["--max-mb", "2"]);
    assert_eq!(code, 1, "some failed, one succeeded: {out:?}");
    let (o, why) = outcome(&out, "html");
    assert_eq!(o, "failed");
    assert!(why.unwrap().ends_with("/html.pdf: the server sent something that is not a PDF (it starts \"<html\")"));
    let (o, why) = outcome(&out, "short");
    assert_eq!(o, "failed");
    let why = why.unwrap();
    assert!(why.contains("the download is incomplete") || why.contains("broke off"), "{why}");
    assert!(why.ends_with("(gave up after 4 attempts)"), "{why}");
    assert_eq!(outcome(&out, "flaky").0, "new");
    assert_eq!(server.statuses("/flaky.pdf"), [500, 200]);
    let (o, why) = outcome(&out, "endless");
    assert_eq!(o, "failed");
    assert!(why.unwrap().ends_with("the download is larger than the 2.0 MB cap"));
    let (o, why) = outcome(&out, "missing");
    assert_eq!(o, "failed");
    assert!(why.unwrap().ends_with("/missing.pdf: the server answered HTTP 404"));

    // Only the complete PDF is in corpus/official — no partial or temporary file.
    assert_eq!(files_in(&w.corpus().join("official")), ["flaky.pdf"]);
}

#[test]
fn issue_5_discover_proposes_new_publications_and_newer_versions() {
    let server = Server::start();
    let page = r#"<html><body><ul>
      <li><a href="/siteassets/illegal-harms/updates/register-of-risks.pdf?v=419946">Register of Risks (Updated) &bull; PDF &bull; 4.47 MB &bull; 25 June 2026</a></li>
      <li><a href="/siteassets/illegal-harms/register-of-risks.pdf?v=419942">Register of Risks (superseded) &bull; PDF &bull; 5.69 MB &bull; 7 February 2025</a></li>
      <li><a href="/siteassets/illegal-harms/new-guidance-on-widgets.pdf?v=420100">Guidance on widgets &bull; PDF &bull; 1.2 MB &bull; 1 July 2026</a></li>
      <li><a href="/about">About us</a></li>
    </ul></body></html>"#;
    server.route("/listing", Route::Page(page.to_string()));
    let w = Workdir::empty();
    let base = format!("http://127.0.0.1:{}", server.port);
    let manifest = format!(
        "[[doc]]\nid = \"ror\"\ntitle = \"Register of Risks\"\npublisher = \"Ofcom\"\nurl = \"{base}/siteassets/illegal-harms/register-of-risks.pdf?v=419942\"\ndate = \"2024-12-16\"\nversion = \"419942\"\n"
    );
    std::fs::write(w.corpus().join("sources.toml"), &manifest).unwrap();

    let r = w.run(&["sync", "--allow-http", "--discover", &server.url("/listing"), "--json"]).ok();
    let out: DiscoverOut = r.json();
    assert_eq!(out.links, 3);
    let got: Vec<(String, Option<String>, Option<String>, String)> =
        out.proposals.iter().map(|p| (p.id.clone(), p.supersedes.clone(), p.version.clone(), p.date.clone())).collect();
    assert_eq!(
        got,
        [
            ("ror-2026".to_string(), Some("ror".to_string()), Some("419946".to_string()), "2026-06-25".to_string()),
            ("new-guidance-on-widgets".to_string(), None, Some("420100".to_string()), "2026-07-01".to_string()),
        ]
    );
    assert_eq!(out.proposals[0].url, format!("{base}/siteassets/illegal-harms/updates/register-of-risks.pdf?v=419946"));

    // --write adds them, linked, and the manifest still loads.
    w.run(&["sync", "--allow-http", "--discover", &server.url("/listing"), "--write"]).ok();
    let m = riskreg::corpus::Manifest::load(&w.corpus()).unwrap();
    assert_eq!(m.get("ror-2026").unwrap().supersedes.as_deref(), Some("ror"));
    assert_eq!(m.superseded_by("ror").unwrap().id, "ror-2026");
    // Run again: nothing more to add.
    let out: DiscoverOut =
        w.run(&["sync", "--allow-http", "--discover", &server.url("/listing"), "--json"]).ok().json();
    assert!(out.proposals.is_empty(), "{:?}", out.proposals);
}

#[test]
fn issue_15_13_dry_run_asks_nothing_and_offline_sync_fails_fast_one_line_each() {
    // Nothing listens on the port these URLs name.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let w = Workdir::empty();
    let url = |id: &str| format!("http://127.0.0.1:{port}/files/{id}.pdf");
    let toml: String = ["a", "b", "c"].iter().map(|id| entry(id, &url(id), "")).collect();
    std::fs::write(w.corpus().join("sources.toml"), toml).unwrap();
    std::fs::create_dir_all(w.corpus().join("official")).unwrap();
    let a = make_pdf("A", &["1. A\n1.1 Alpha."]);
    std::fs::write(w.corpus().join("official/a.pdf"), &a).unwrap();
    let lock = format!(
        "[[file]]\nid = \"a\"\nurl = \"{}\"\npath = \"official/a.pdf\"\nsize = {}\nsha256 = \"{}\"\nfetched = \"2026-01-05T10:00:00Z\"\n",
        url("a"),
        a.len(),
        riskreg::corpus::sha256_hex(&a)
    );
    std::fs::write(w.corpus().join("sources.lock"), lock).unwrap();
    std::fs::write(w.corpus().join("official/b.pdf"), b"%PDF-1.4 not what the lock says").unwrap();

    let r = w.run(&["sync", "--allow-http", "--dry-run"]).ok();
    assert_eq!(
        r.stdout,
        "would check a: official/a.pdf, downloaded 2026-01-05 (asks the server whether it changed)\n\
         would fetch b: official/b.pdf: not as sources.lock records it\n\
         would fetch c: official/c.pdf: not downloaded yet\n\
         dry run: 0 new, 0 changed, 0 unchanged, 0 failed, 2 would be fetched, 1 checked; nothing was asked of the network\n"
    );

    let started = std::time::Instant::now();
    let r = w.run(&["sync", "--allow-http"]).code(2);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(
        r.stdout,
        format!(
            "failed     a: cannot reach 127.0.0.1:{port}: connection refused (offline?)\n\
             failed     b: not tried: 127.0.0.1:{port} could not be reached\n\
             failed     c: not tried: 127.0.0.1:{port} could not be reached\n\
             0 new, 0 changed, 0 unchanged, 3 failed\n"
        )
    );
}

/// Issue 14 (10): a manifest version that would lead out of
/// `corpus/official/` is refused by name before anything is fetched or written.
#[test]
fn a_version_that_leads_out_of_the_official_folder_is_refused() {
    let w = crate::support::Workdir::sample(&["ror"]);
    let path = w.corpus().join("sources.toml");
    let text =
        std::fs::read_to_string(&path).unwrap().replacen("version = \"419942\"", "version = \"1/../../../escaped\"", 1);
    std::fs::write(&path, text).unwrap();
    for args in [&["sync", "--dry-run"][..], &["index"][..]] {
        let r = w.run(args).code(2);
        assert!(
            r.stderr.contains(
                "entry \"ror\": field \"version\": \"1/../../../escaped\" may contain only A-Z, a-z, 0-9, '.', '_' and '-', and not start with '.'"
            ),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert!(!w.path().join("escaped").exists() && !w.corpus().join("official").exists());
}

/// Issue 14 (10): the lock file's names are checked as the manifest's are.
#[test]
fn a_lock_file_entry_that_leads_out_of_the_official_folder_is_refused() {
    let w = crate::support::Workdir::sample(&["ror"]);
    std::fs::write(
        w.corpus().join("sources.lock"),
        "[[file]]\nid = \"ror\"\nurl = \"https://example.org/ror.pdf\"\nversion = \"419942\"\n\
         path = \"official/../../escaped.pdf\"\nsize = 1\nsha256 = \"00\"\nfetched = \"2025-02-03T10:00:00Z\"\n",
    )
    .unwrap();
    let r = w.run(&["sync", "--dry-run"]).code(2);
    assert_eq!(
        r.stderr,
        format!(
            "riskreg: {}: entry \"ror\": id, version and path must be plain names under official/ (A-Z, a-z, 0-9, '.', '_', '-'); found path \"official/../../escaped.pdf\"\n",
            w.corpus().join("sources.lock").display()
        )
    );
}

/// Issue 14 (12): `sync --dry-run` exits non-zero when an entry would fail.
#[test]
fn a_dry_run_with_failing_entries_exits_non_zero() {
    let w = crate::support::Workdir::sample(&["ror"]);
    let path = w.corpus().join("sources.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let one_plain = text.replacen("url = \"https://", "url = \"http://", 1);
    std::fs::write(&path, &one_plain).unwrap();
    let r = w.run(&["sync", "--dry-run"]).code(1);
    assert!(r.stdout.contains("http://"), "{}", r.stdout);
    let all_plain = text.replace("url = \"https://", "url = \"http://");
    std::fs::write(&path, all_plain).unwrap();
    w.run(&["sync", "--dry-run"]).code(2);
    // Allowed: nothing fails.
    w.run(&["sync", "--dry-run", "--allow-http"]).ok();
}

#[test]
fn issue_14_9_a_stalled_download_is_given_up_and_leaves_nothing() {
    let server = Server::start();
    server.route("/slow.pdf", Route::Stall);
    let w = Workdir::empty();
    std::fs::write(w.corpus().join("sources.toml"), entry("slow", &server.url("/slow.pdf"), "")).unwrap();
    let (code, out) = sync(&w, &["--stall-timeout", "1"]);
    assert_eq!(code, 2, "its one entry failed: {out:?}");
    let (o, why) = outcome(&out, "slow");
    assert_eq!(o, "failed");
    let why = why.unwrap();
    assert!(
        why.ends_with("/slow.pdf: the download stalled: nothing for 1 s after 9 bytes (gave up after 4 attempts)"),
        "{why}"
    );
    assert_eq!(server.statuses("/slow.pdf"), [200, 200, 200, 200]);
    assert_eq!(files_in(&w.corpus().join("official")), Vec::<String>::new(), "no partial file is left");
    // The option is checked.
    let r = w.run(&["sync", "--stall-timeout", "0"]).code(2);
    assert!(r.stderr.contains("--stall-timeout"), "{}", r.stderr);
}

#[test]
fn issue_14_9_an_interrupted_sync_removes_its_partial_download() {
    use std::os::unix::process::ExitStatusExt;
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let server = Server::start();
        server.route("/slow.pdf", Route::Stall);
        let w = Workdir::empty();
        std::fs::write(w.corpus().join("sources.toml"), entry("slow", &server.url("/slow.pdf"), "")).unwrap();
        let official = w.corpus().join("official");
        let mut child = w.cmd(&["sync", "--allow-http"]).spawn().unwrap();
        let started = std::time::Instant::now();
        while files_in(&official) != [".slow.pdf.part"] {
            assert!(started.elapsed().as_secs() < 20, "no partial download appeared: {:?}", files_in(&official));
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if started.elapsed().as_secs() > 40 {
                let _ = child.kill();
                panic!("sync did not stop on signal {signal}");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert_eq!(status.signal(), Some(signal), "ended as the signal ends it: {status:?}");
        assert_eq!(files_in(&official), Vec::<String>::new(), "signal {signal}: the partial download is removed");
    }
}

#[test]
fn issue_14_9_a_partial_download_left_by_a_killed_sync_is_removed_next_time() {
    let server = Server::start();
    server.route("/a.pdf", Route::Pdf { body: make_pdf("A", &["1. Alpha\n1.1 Alpha."]), etag: "\"a\"".into() });
    let w = Workdir::empty();
    std::fs::write(w.corpus().join("sources.toml"), entry("a", &server.url("/a.pdf"), "")).unwrap();
    let official = w.corpus().join("official");
    std::fs::create_dir_all(&official).unwrap();
    // One left by a sync killed an hour ago, one being written right now.
    let old = std::fs::File::create(official.join(".b.pdf.part")).unwrap();
    old.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600)).unwrap();
    std::fs::write(official.join(".c.pdf.part"), b"%PDF-1.7").unwrap();
    let (code, out) = sync(&w, &[]);
    assert_eq!(code, 0, "{out:?}");
    assert_eq!(files_in(&official), [".c.pdf.part", "a.pdf"]);
}

#[test]
fn issue_14_9_a_failed_secure_connection_is_not_retried() {
    // A server that does not speak TLS on an https address: the handshake
    // fails, once, and is not tried again as a passing failure would be.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(Mutex::new(0usize));
    let count = connections.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            *count.lock().unwrap() += 1;
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        }
    });
    let w = Workdir::empty();
    let url = format!("https://127.0.0.1:{port}/a.pdf");
    std::fs::write(w.corpus().join("sources.toml"), entry("a", &url, "")).unwrap();
    let (code, out) = sync(&w, &[]);
    assert_eq!(code, 2, "its one entry failed: {out:?}");
    let (o, why) = outcome(&out, "a");
    assert_eq!(o, "failed");
    let why = why.unwrap();
    assert!(why.starts_with(&format!("{url}: the secure connection failed (")), "{why}");
    assert!(why.ends_with("); not retried"), "{why}");
    assert_eq!(*connections.lock().unwrap(), 1, "asked once");
}

#[test]
fn issue_14_11_a_download_that_does_not_open_as_a_pdf_replaces_nothing() {
    let server = Server::start();
    // Starts like a PDF, is not one.
    server.route("/w.pdf", Route::Truncated { body: b"%PDF-1.7\n<html>Please log in</html>\n".to_vec(), claimed: 36 });
    let w = Workdir::empty();
    std::fs::create_dir_all(w.corpus().join("sample")).unwrap();
    let standin = make_pdf("Widget Guidance", &["1. Widgets\n1.1 Guidance about walruses."]);
    std::fs::write(w.corpus().join("sample/w.pdf"), &standin).unwrap();
    std::fs::write(w.corpus().join("sources.toml"), entry("w", &server.url("/w.pdf"), "sample = \"sample/w.pdf\""))
        .unwrap();
    let (code, out) = sync(&w, &[]);
    assert_eq!(code, 2, "its one entry failed: {out:?}");
    let (o, why) = outcome(&out, "w");
    assert_eq!(o, "failed");
    let why = why.unwrap();
    assert!(why.contains("/w.pdf: the download does not open as a PDF ("), "{why}");
    assert_eq!(server.statuses("/w.pdf"), [200], "not retried: the server will send the same");
    assert_eq!(files_in(&w.corpus().join("official")), Vec::<String>::new(), "nothing replaced, nothing left");
    assert_eq!(std::fs::read(w.corpus().join("sample/w.pdf")).unwrap(), standin);
    // The stand-in is what the index holds.
    let b = build(&w);
    assert_eq!((b.documents, b.failures.len()), (1, 0), "{b:?}");
}
