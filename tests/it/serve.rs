//! `riskreg serve` over a real socket: the real binary on port 0, a small
//! HTTP/1.1 client written here, and the page in headless Chromium.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use riskreg::render::json::{PageOut, SearchOut};
use serde_json::Value;

use crate::support::{root, sample_index, skip, Workdir};

/// A running `riskreg serve`, stopped (SIGTERM, then kill) when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(w: &Workdir, extra: &[&str]) -> Server {
        Server::start_at(w, "127.0.0.1:0", extra)
    }

    fn start_at(w: &Workdir, addr: &str, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--addr", addr];
        args.extend_from_slice(extra);
        let mut child =
            w.cmd(&args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("riskreg serve starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let pipe = child.stderr.take().unwrap();
        let log = stderr.clone();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                log.lock().unwrap().push_str(&format!("{line}\n"));
                if let Some(rest) = line.split(" on http://").nth(1).filter(|_| line.starts_with("serving ")) {
                    let addr = rest.split_whitespace().next().unwrap_or_default().to_string();
                    if let Some(tx) = tx.take() {
                        let _ = tx.send((addr, line.clone()));
                    }
                }
            }
        });
        let (addr, line) = match rx.recv_timeout(Duration::from_secs(300)) {
            Ok(found) => found,
            Err(_) => {
                let _ = child.kill();
                panic!("riskreg serve never said where it listens\n{}", stderr.lock().unwrap());
            }
        };
        assert!(line.contains("(loopback only; use --addr 0.0.0.0:"), "start-up line: {line}");
        Server { child, addr: addr.parse().unwrap_or_else(|e| panic!("address {addr}: {e}")), stderr }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn get(&self, target: &str) -> Resp {
        request(self.addr, "GET", target)
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// SIGTERM, and wait for a graceful exit.
    fn stop(mut self) -> std::process::ExitStatus {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "riskreg serve did not stop on SIGTERM\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One HTTP answer.
#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        assert!(
            self.header("content-type").is_some_and(|c| c.starts_with("application/json")),
            "not JSON ({:?}): {}",
            self.header("content-type"),
            self.text()
        );
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", self.text()))
    }

    fn typed<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("strict JSON parse failed ({e}): {}", self.text()))
    }

    /// An error answer: this status, a JSON body with an "error" message.
    #[track_caller]
    fn error(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "want {status}, got {}: {}", self.status, self.text());
        let v = self.json();
        assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()), "no error message: {v}");
        v
    }

    #[track_caller]
    fn ok(&self) -> &Resp {
        assert_eq!(self.status, 200, "want 200: {}", self.text());
        self
    }
}

/// A minimal HTTP/1.1 client: one request per connection.
fn request(addr: SocketAddr, method: &str, target: &str) -> Resp {
    raw_request(addr, &format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"))
}

/// A GET with this Host header (`None`: none, in HTTP/1.0).
fn get_as(addr: SocketAddr, host: Option<&str>, target: &str) -> Resp {
    match host {
        Some(h) => raw_request(addr, &format!("GET {target} HTTP/1.1\r\nHost: {h}\r\nConnection: close\r\n\r\n")),
        None => raw_request(addr, &format!("GET {target} HTTP/1.0\r\n\r\n")),
    }
}

/// The request exactly as written, on a connection of its own.
fn raw_request(addr: SocketAddr, head: &str) -> Resp {
    let method = head.split(' ').next().unwrap_or_default();
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    parse_response(&raw, method == "HEAD")
}

/// A POST with this Host, content type (`None`: none) and body. The body is
/// written from a thread of its own, so a server that answers before reading
/// all of it (a body over its limit) cannot stall the client.
fn post_as(addr: SocketAddr, host: &str, target: &str, content_type: Option<&str>, body: Vec<u8>) -> Resp {
    let mut head = format!("POST {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if let Some(t) = content_type {
        head.push_str(&format!("Content-Type: {t}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let mut w = s.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        // The server may answer and close before it has read everything.
        let _ = w.write_all(&body);
    });
    let mut raw = Vec::new();
    let read = s.read_to_end(&mut raw);
    let _ = writer.join();
    if raw.is_empty() {
        panic!("no answer: {read:?}");
    }
    parse_response(&raw, false)
}

/// `POST /api/verify` with a pasted draft, as the web page sends it.
fn post_draft(s: &Server, text: &str) -> Resp {
    let body = serde_json::to_vec(&serde_json::json!({ "text": text })).unwrap();
    post_as(s.addr, &s.addr.to_string(), "/api/verify", Some("application/json"), body)
}

fn parse_response(raw: &[u8], head: bool) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end: {:?}", String::from_utf8_lossy(raw)));
    let head_text = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head_text.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if !head && headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Resp { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = data.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).split(';').next().unwrap().trim(), 16).unwrap();
        data = &data[end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// Issue 14, point 6: a request addressed to another name (DNS rebinding) is
/// refused, `/healthz` included; the bound address, localhost and each
/// `--allow-host` name are answered.
#[test]
fn issue_14_a_request_for_another_host_is_refused() {
    let s = sample_server();
    let port = s.addr.port();
    for target in ["/api/search?q=risk", "/healthz", "/api/docs", "/", "/pdf/ror"] {
        let e = get_as(s.addr, Some("evil.example"), target).error(421);
        assert_eq!(
            e["error"],
            format!(
                "this server does not answer to the name \"evil.example\" (it answers to {} or localhost); if \
                 it is served under that name, start it with --allow-host evil.example",
                s.addr
            ),
            "{target}"
        );
    }
    let r = get_as(s.addr, Some(&format!("evil.example:{port}")), "/healthz");
    assert!(r.error(421)["error"].as_str().unwrap().contains("--allow-host evil.example"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let e = get_as(s.addr, None, "/healthz").error(421);
    assert!(e["error"].as_str().unwrap().starts_with("the request has no Host header"), "{e}");
    for ok in [format!("127.0.0.1:{port}"), "127.0.0.1".into(), format!("localhost:{port}"), "LocalHost".into()] {
        get_as(s.addr, Some(&ok), "/api/search?q=risk").ok();
    }

    // Behind a proxy: the names it forwards, and still the address itself.
    let s = Server::start(sample_index(), &["--allow-host", "Riskreg.Example.org", "--allow-host", "search.internal"]);
    for ok in ["riskreg.example.org", "riskreg.example.org:443", "search.internal", "127.0.0.1"] {
        get_as(s.addr, Some(ok), "/healthz").ok();
    }
    get_as(s.addr, Some("evil.example"), "/healthz").error(421);
    let r = sample_index().run(&["serve", "--allow-host", "https://x.org/"]).code(2);
    assert!(r.stderr.contains("--allow-host https://x.org/: give a host name"), "{}", r.stderr);
}

/// Issue 14, point 4: a query whose fuzzy and prefix terms would cost
/// seconds is refused before it runs, with a message saying what to do, by
/// the server and the command line alike.
#[test]
fn issue_14_costly_queries_are_refused_with_a_message() {
    let s = sample_server();
    let many: Vec<String> = ["a", "b", "c", "d", "e", "f", "g", "h", "i"].iter().map(|c| format!("{c}{c}*")).collect();
    let cases: [(String, &str); 3] = [
        (
            "risk a~2".into(),
            "invalid query: a fuzzy word needs at least 5 letters for ~2 (3 for ~1); type more of the word, use ~1, \
             or leave off the ~",
        ),
        (
            "ab~1 OR risk".into(),
            "invalid query: a fuzzy word needs at least 3 letters; type more of the word, or leave off the ~",
        ),
        (
            many.join(" OR "),
            "the query has 9 fuzzy or prefix terms (word~, word*); at most 8 are accepted: use fewer, or plain words \
             (they match other forms of the word already)",
        ),
    ];
    for (q, message) in &cases {
        let target = format!("/api/search?q={}", q.replace(' ', "+").replace('~', "%7E"));
        let e = s.get(&target).error(400);
        assert_eq!(e["error"], *message, "{q}");
        let r = sample_index().run(&["search", q]).code(2);
        assert!(r.stderr.starts_with(&format!("riskreg: {message}")), "{q}: {}", r.stderr);
    }
    // The column of a short fuzzy word, as for any bad query.
    assert_eq!(s.get("/api/search?q=risk+a%7E2").error(400)["column"], 6);
    // Issue 14's query: 66 one- and two-letter words within two edits.
    let letters: Vec<String> = ('a'..='z').map(|c| format!("{c}~2")).collect();
    let e = s.get(&format!("/api/search?q={}", letters.join("+OR+"))).error(400);
    assert!(e["error"].as_str().unwrap().contains("at least 5 letters for ~2"), "{e}");
    // Up to the bounds, it is answered.
    let eight = "risks~2 OR harms~1 OR groom* OR recruit* OR abuse~ OR fraud* OR threat~2 OR scams~1";
    let out: SearchOut = s.get(&format!("/api/search?q={}", eight.replace(' ', "+").replace('~', "%7E"))).ok().typed();
    assert!(out.total > 0);
}

/// The command line and the API find pages with the same lookup and say the
/// same thing when there is none; the API adds the status code that fits.
#[test]
fn issue_13_cli_and_api_give_the_same_messages() {
    let s = sample_server();
    let w = sample_index();
    let cases: [(&[&str], &str, u16, &str); 5] = [
        (
            &["show", "ror", "9999"],
            "/api/page/ror/9999",
            404,
            "ror has no printed page \"9999\"; its printed pages run i–316; ask for a PDF page (1–324) for a physical page",
        ),
        (&["show", "ror", "--pdf-page", "999"], "/api/page/ror?pdf_page=999", 404, "ror has no PDF page 999; its PDF pages run 1–324"),
        (
            &["toc", "nope"],
            "/api/toc/nope",
            404,
            "unknown document \"nope\": the indexed documents are cop-u2u, icjg, rag, ror, vol3",
        ),
        (
            &["search", "trafficking", "--doc", "nope"],
            "/api/search?q=trafficking&doc=nope",
            400,
            "unknown document \"nope\": the indexed documents are cop-u2u, icjg, rag, ror, vol3",
        ),
        (
            &["search", "trafficking", "--as-of", "2025-01-01", "--limit", "0"],
            "/api/search?q=trafficking&as_of=2025-01-01&limit=0",
            400,
            "limit 0: say a number from 1 to 1000",
        ),
    ];
    for (args, target, status, message) in cases {
        let e = s.get(target).error(status);
        assert_eq!(e["error"], message, "{target}");
        if args.contains(&"--limit") {
            // clap checks --limit before riskreg sees it; the range is the same.
            let r = w.run(args).code(2);
            assert!(r.stderr.contains("0 is not in 1..=1000"), "{}", r.stderr);
        } else {
            let r = w.run(args).code(2);
            assert_eq!(r.stderr, format!("riskreg: {message}\n"), "{args:?}");
        }
    }
}

/// A server of its own on the shared sample index (starting one takes
/// milliseconds; a shared one would outlive the test binary).
fn sample_server() -> Server {
    Server::start(sample_index(), &[])
}

#[test]
fn search_api_matches_the_cli_schema_and_finds_the_chapters() {
    let s = sample_server();
    let r = s.get("/api/search?q=human+trafficking&by=chapter");
    r.ok();
    let out: SearchOut = r.typed();
    assert_eq!(out.mode, "chapters");
    assert_eq!(out.query, "human trafficking");
    let got: Vec<(String, String, String)> = out
        .results
        .iter()
        .take(4)
        .map(|r| (r.citation.doc.clone(), r.citation.chapter_heading.clone(), r.citation.chapter_pages.clone()))
        .collect();
    // The four human trafficking chapters are the first four, in some order
    // (the order is the CLI's: the whole answer is compared with it below).
    let want = [
        ("ror", "9. Human trafficking", "pp. 207–224"),
        ("icjg", "11. Human trafficking", "pp. 166–168"),
        ("icjg", "A12. Human trafficking", "pp. 415–420"),
        ("vol3", "Unlawful immigration and human trafficking", "pp. 61–64"),
    ];
    for w in want {
        assert!(
            got.iter().any(|g| (g.0.as_str(), g.1.as_str(), g.2.as_str()) == w),
            "{w:?} not in the first four: {got:?}"
        );
    }
    let ror = out.results.iter().find(|r| r.citation.doc == "ror").unwrap();
    assert_eq!((ror.citation.chapter_pdf_start, ror.citation.chapter_pdf_end), (215, 232));
    assert!(r.header("x-riskreg-generation").is_some_and(|g| g.starts_with("gen-")));

    // Exactly what `riskreg search --json` prints for the same question.
    let cli = sample_index().run(&["search", "human trafficking", "--by", "chapter", "--json"]).ok();
    let mut cli: Value = serde_json::from_str(&cli.stdout).unwrap();
    // Links differ on purpose: the server's own /pdf/{doc}, the files on this machine.
    for r in cli["results"].as_array_mut().unwrap() {
        let c = &mut r["citation"];
        let local =
            format!("{}#page={}", sample_index().corpus().join(c["file"].as_str().unwrap()).display(), c["pdf_page"]);
        assert_eq!(c["pdf_link"], local.as_str());
        c["pdf_link"] = format!("/pdf/{}#page={}", c["doc"].as_str().unwrap(), c["pdf_page"]).into();
    }
    assert_eq!(r.json(), cli);

    // An exact phrase lands on its page and paragraph.
    let r = s.get("/api/search?q=%22advertisements%20for%20overseas%20modelling%20work%22");
    let out: SearchOut = r.ok().typed();
    assert_eq!(out.mode, "passages");
    let c = &out.results[0].citation;
    assert_eq!(
        (c.doc.as_str(), c.page.as_str(), c.pdf_page, c.paragraph.as_deref()),
        ("ror", "209", 217, Some("9.14"))
    );
    assert_eq!(c.text, "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14");

    // Filters: doc, limit (capped), all_versions.
    let out: SearchOut = s.get("/api/search?q=trafficking&doc=ICJG&limit=3").ok().typed();
    assert!(out.results.len() <= 3 && !out.results.is_empty());
    assert!(out.results.iter().all(|r| r.citation.doc == "icjg"));
    let out: SearchOut = s.get("/api/search?q=the&limit=100000&all_versions=true").ok().typed();
    assert_eq!(out.results.len(), riskreg::search::MAX_LIMIT.min(out.total), "{}", out.total);
    let out: SearchOut = s.get("/api/search?q=zzyzzyxq").ok().typed();
    assert_eq!((out.total, out.results.len()), (0, 0));
}

/// Issue 17: the API says what the vocabulary also searched, takes `exact`,
/// and offers a better spelling, as the command line does.
#[test]
fn issue_17_the_api_says_also_searched_and_did_you_mean() {
    let s = sample_server();
    let out: SearchOut = s.get("/api/search?q=cyberstalking&by=chapter").ok().typed();
    assert_eq!(out.also_searched, ["stalking", "harassment"]);
    assert_eq!(out.results[0].citation.chapter_heading, "4. Harassment, stalking, threats and abuse");
    let out: SearchOut = s.get("/api/search?q=cyberstalking&exact=true").ok().typed();
    assert_eq!((out.total, out.also_searched.len(), out.did_you_mean.as_deref()), (0, 0, None));
    let out: SearchOut = s.get("/api/search?q=trafficing").ok().typed();
    assert_eq!((out.total, out.did_you_mean.as_deref()), (0, Some("trafficking")));
    assert_eq!(s.get("/api/search?q=x&exact=perhaps").error(400)["error"], "exact=perhaps: say true or false");
    // `harm:` keeps to the harm's chapters, and an unknown harm is a bad request.
    let out: SearchOut = s.get("/api/search?q=harm:%22human%20trafficking%22&by=chapter").ok().typed();
    let mut got: Vec<&str> = out.results.iter().map(|r| r.citation.chapter_pages.as_str()).collect();
    got.sort();
    assert_eq!(got, ["pp. 166–168", "pp. 207–224", "pp. 415–420", "pp. 61–64"]);
    let out: SearchOut = s.get("/api/search?q=%22buying%20firearms%22&by=chapter").ok().typed();
    assert_eq!(out.searched_instead.as_deref(), Some("buying firearms"));
    assert_eq!(out.results[0].citation.chapter_heading, "16. Firearms, knives and other weapons");
    let e = s.get("/api/search?q=harm:weather").error(400);
    assert!(e["error"].as_str().unwrap().starts_with("no kind of harm is called \"weather\""), "{e}");
}

/// The server reads the vocabulary file again when it changes, and takes a
/// new generation's acronyms with it: no restart for either. A file with a
/// mistake is reported and the vocabulary before it kept.
#[test]
fn issue_17_the_server_follows_the_vocabulary_file_and_new_acronyms() {
    let w = Workdir::sample(&["vol3"]);
    w.run(&["index"]).ok();
    let s = Server::start(&w, &[]);
    let also = |q: &str| -> Vec<String> {
        let out: SearchOut = s.get(&format!("/api/search?q={q}")).typed();
        out.also_searched
    };
    assert!(also("narwhal").is_empty());
    let file = w.corpus().join("vocabulary.toml");
    let before = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{before}\n[[same]]\nterms = [\"narwhal\", \"human trafficking\"]\n")).unwrap();
    assert_eq!(also("narwhal"), ["human trafficking"]);
    // A mistake: said once on stderr, the vocabulary before it still used.
    std::fs::write(&file, format!("{before}\n[[same]]\nterms = [\"narwhal\", \"human trafficking\"]\ntoo = 1\n"))
        .unwrap();
    assert_eq!(also("narwhal"), ["human trafficking"]);
    assert!(s.log().contains("vocabulary.toml: [[same]]"), "{}", s.log());
    assert!(s.log().contains("still using the vocabulary read before"), "{}", s.log());
    // A new generation: the acronym a new document defines is searched both ways.
    assert!(also("WOB").is_empty());
    let pdf = crate::support::make_pdf(
        "Widgets",
        &["1. Widgets\n1.1 The Widget Oversight Board (WOB) reviews every widget before sale."],
    );
    std::fs::write(w.corpus().join("widgets.pdf"), pdf).unwrap();
    w.run(&["index"]).ok();
    assert_eq!(also("WOB"), ["Widget Oversight Board"]);
    assert_eq!(s.stop().code(), Some(0));
}

#[test]
fn api_errors_are_json_with_proper_status_codes() {
    let s = sample_server();
    // A bad query points at the column, as the command line does.
    let e = s.get("/api/search?q=%22debt%20bondage").error(400);
    assert!(e["error"].as_str().unwrap().contains("invalid query"), "{e}");
    assert!(e["column"].as_u64().is_some(), "{e}");
    assert_eq!(e["query"], "\"debt bondage");
    // Unknown document: the message lists the valid ids.
    let e = s.get("/api/search?q=trafficking&doc=nope").error(400);
    let m = e["error"].as_str().unwrap();
    assert!(m.contains("nope") && m.contains("ror") && m.contains("icjg"), "{m}");
    s.get("/api/search?q=doc:nope%20trafficking").error(400);
    // Missing, over-long, malformed parameters.
    s.get("/api/search").error(400);
    s.get("/api/search?q=%20%20").error(400);
    let long = "a".repeat(501);
    let e = s.get(&format!("/api/search?q={long}")).error(400);
    assert!(e["error"].as_str().unwrap().contains("at most 500"), "{e}");
    s.get(&format!("/api/search?q={}", "a".repeat(500))).ok();
    let e = s.get(&format!("/api/search?q=x&pad={}", "b".repeat(3000))).error(414);
    assert!(e["error"].as_str().unwrap().contains("2048"), "{e}");
    s.get("/api/search?q=x&limit=abc").error(400);
    s.get("/api/search?q=x&limit=0").error(400);
    s.get("/api/search?q=x&by=sideways").error(400);
    s.get("/api/search?q=x&all_versions=perhaps").error(400);
    // Unknown routes and methods.
    let e = s.get("/nope").error(404);
    assert!(e["error"].as_str().unwrap().contains("/api/search"), "{e}");
    s.get("/api/").error(404);
    s.get("/api/toc/nope").error(404);
    s.get("/api/page/ror/99999").error(404);
    s.get("/api/page/ror?pdf_page=0").error(404);
    s.get("/api/page/ror?pdf_page=x").error(400);
    s.get("/api/page/ror").error(400);
    request(s.addr, "POST", "/api/search?q=x").error(405);
    request(s.addr, "DELETE", "/pdf/ror").error(405);
    // Every answer says not to sniff.
    assert_eq!(s.get("/nope").header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn docs_toc_page_and_health() {
    let s = sample_server();
    let h = s.get("/healthz");
    let h = h.ok().json();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["documents"], 5);
    assert!(h["generation"].as_str().unwrap().starts_with("gen-"), "{h}");

    let docs = s.get("/api/docs").ok().json();
    let cli: Value = serde_json::from_str(&sample_index().run(&["docs", "--json"]).ok().stdout).unwrap();
    assert_eq!(docs, cli);
    let ids: Vec<&str> = docs["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    for id in ["ror", "icjg", "vol3", "cop-u2u", "rag"] {
        assert!(ids.contains(&id), "{ids:?}");
    }

    let toc = s.get("/api/toc/ror").ok().json();
    assert_eq!(toc["id"], "ror");
    let chapters = toc["toc"].as_array().unwrap();
    assert!(chapters.iter().any(|c| c["heading"] == "9. Human trafficking" && c["printed_start"] == "207"), "{toc}");

    let page: PageOut = s.get("/api/page/ror/209").ok().typed();
    assert_eq!((page.page.as_str(), page.pdf_page, page.pdf_link.as_deref()), ("209", 217, Some("/pdf/ror#page=217")));
    assert!(page.sections.iter().any(|p| p.text.contains("advertisements for overseas modelling work")), "{page:?}");
    let by_pdf: PageOut = s.get("/api/page/ror?pdf_page=217").ok().typed();
    assert_eq!(by_pdf.page, "209");
    s.get("/api/page/ror/209?pdf_page=217").error(400);
}

#[test]
fn pdfs_are_served_by_id_only() {
    let s = sample_server();
    let r = s.get("/pdf/ror");
    r.ok();
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(r.body.starts_with(b"%PDF"), "not a PDF");
    assert_eq!(r.body, std::fs::read(sample_index().corpus().join("sample/ror.pdf")).unwrap());
    assert_eq!(s.get("/pdf/ICJG").status, 200);
    for attempt in [
        "/pdf/..%2f..%2fetc%2fpasswd",
        "/pdf/../../etc/passwd",
        "/pdf/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/pdf/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/pdf/..",
        "/pdf/%2e%2e",
        "/pdf/sample%2fror.pdf",
        "/pdf/sample/ror.pdf",
        "/pdf/ror.pdf",
        "/pdf/%2fetc%2fpasswd",
        "/pdf/%00",
        "/pdf/ror%00",
        "/pdf/",
        "/static/../Cargo.toml",
        "/static/..%2f..%2fCargo.toml",
        "/corpus/sample/ror.pdf",
        "/sources.toml",
    ] {
        let r = s.get(attempt);
        assert_eq!(r.status, 404, "{attempt} answered {}: {}", r.status, r.text());
        assert!(!r.body.starts_with(b"%PDF") && !r.text().contains("root:"), "{attempt} leaked a file");
        r.json();
    }
}

/// Issue 14 item 8: a PDF whose name is not UTF-8 is served by its id.
#[test]
fn issue_14_8_a_pdf_whose_name_is_not_utf8_is_served() {
    use std::os::unix::ffi::OsStrExt;
    let w = Workdir::empty();
    let name = std::ffi::OsStr::from_bytes(b"guidance-\xff.pdf");
    let pdf = crate::support::make_pdf("Odd", &["1. Odd names\n1.1 Guidance about narwhals."]);
    std::fs::write(w.corpus().join(name), &pdf).unwrap();
    w.run(&["index"]).ok();
    let s = Server::start(&w, &[]);
    let out: SearchOut = s.get("/api/search?q=narwhals").ok().typed();
    let link = &out.results[0].citation.pdf_link;
    let r = s.get(link.split('#').next().unwrap());
    assert_eq!((r.status, r.body == pdf), (200, true), "{link}: {}", r.status);
}

#[test]
fn the_page_is_self_contained() {
    let s = sample_server();
    let r = s.get("/");
    r.ok();
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let csp = r.header("content-security-policy").expect("CSP");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    let html = r.text();
    assert!(html.contains("<script src=\"/static/page.js\" defer></script>"));
    assert!(html.contains("name=\"viewport\"") && html.contains("autofocus"));
    // Nothing from elsewhere: no absolute URLs in the page, its style or script.
    let js = s.get("/static/page.js");
    let css = s.get("/static/page.css");
    assert!(js.ok().header("content-type").unwrap().starts_with("text/javascript"));
    assert!(css.ok().header("content-type").unwrap().starts_with("text/css"));
    for (name, text) in [("html", html), ("js", js.text()), ("css", css.text())] {
        assert!(
            !text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"),
            "{name} loads from elsewhere"
        );
    }
    // PDF text only ever goes in as text.
    assert!(
        !js.text().contains("innerHTML")
            && !js.text().contains("insertAdjacentHTML")
            && !js.text().contains("document.write")
    );
}

#[test]
fn a_slow_query_is_cut_off() {
    let s = Server::start(sample_index(), &["--timeout-ms", "0"]);
    let e = s.get("/api/search?q=human+trafficking&by=chapter").error(503);
    assert!(e["error"].as_str().unwrap().contains("took longer than 0 ms"), "{e}");
    let status = s.stop();
    assert!(status.success(), "{status:?}");
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let s = sample_server();
    s.get("/healthz").ok();
    let log_before = s.log();
    let status = s.stop();
    assert!(status.success(), "exit {status:?}");
    assert!(log_before.contains("serving "), "{log_before}");
}

#[test]
fn a_bad_address_is_refused_with_a_message() {
    let w = sample_index();
    let r = w.run(&["serve", "--addr", "127.0.0.1:notaport"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("cannot listen on 127.0.0.1:notaport"), "{}", r.stderr);
    let r = w.run(&["serve", "--addr", "70000"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("70000: not a port (0-65535)"), "{}", r.stderr);
}

/// Issue 15: `--addr PORT` alone listens on that port of this machine only.
#[test]
fn a_bare_port_is_this_machine_only() {
    let w = sample_index();
    let s = Server::start_at(w, "0", &[]);
    assert!(s.addr.ip().is_loopback(), "{}", s.addr);
    s.get("/healthz").ok();
    assert!(s.stop().success());
}

#[test]
fn a_rebuild_is_served_without_restart_and_no_request_fails() {
    let w = Workdir::sample(&["vol3"]);
    w.run(&["index"]).ok();
    let s = Server::start(&w, &[]);
    let addr = s.addr;
    let gen0 = s.get("/healthz").ok().json()["generation"].as_str().unwrap().to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..3)
        .map(|i| {
            let (stop, done, failures) = (stop.clone(), done.clone(), failures.clone());
            std::thread::spawn(move || {
                let targets =
                    ["/api/search?q=trafficking&by=chapter", "/healthz", "/api/docs", "/api/search?q=immigration"];
                let mut n = i;
                while !stop.load(Ordering::Relaxed) {
                    let t = targets[n % targets.len()];
                    let r = request(addr, "GET", t);
                    if r.status != 200 {
                        failures.lock().unwrap().push(format!("{t}: {} {}", r.status, r.text()));
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
            })
        })
        .collect();

    // Two rebuilds while the clients run: the first adds a document (and
    // deletes the generation the server started on), the second removes it.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::create_dir_all(w.corpus().join("extra")).unwrap();
    std::fs::copy(root().join("corpus/sample/rag.pdf"), w.corpus().join("extra/added-later.pdf")).unwrap();
    w.run(&["index"]).ok();
    let gen1 = s.get("/healthz").ok().json()["generation"].as_str().unwrap().to_string();
    assert_ne!(gen0, gen1, "the server still serves the old generation\n{}", s.log());
    let docs = s.get("/api/docs").ok().json();
    assert!(docs["documents"].as_array().unwrap().iter().any(|d| d["id"] == "added-later"), "{docs}");
    std::fs::remove_file(w.corpus().join("extra/added-later.pdf")).unwrap();
    w.run(&["index"]).ok();
    let gen2 = s.get("/healthz").ok().json()["generation"].as_str().unwrap().to_string();
    assert_ne!(gen1, gen2, "{}", s.log());
    let docs = s.get("/api/docs").ok().json();
    assert!(!docs["documents"].as_array().unwrap().iter().any(|d| d["id"] == "added-later"), "{docs}");
    std::thread::sleep(Duration::from_millis(300));

    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    let n = done.load(Ordering::Relaxed);
    assert!(
        failures.is_empty(),
        "{} of {n} requests failed during the rebuilds: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(n > 20, "only {n} requests were made");
    assert!(s.log().contains(&format!("serving the new index generation {gen2}")), "{}", s.log());
}

/// A one-page PDF whose title and text carry HTML and script payloads.
fn hostile_pdf(path: &Path) {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};

    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let lines = [
        "Hostile test notes",
        "1.1 This page tests escaping: <script>alert(1)</script> must show as text.",
        "1.2 An image tag <img src=x onerror=alert(1)> must show as text too, onerror and all.",
        "1.3 Quotes \" ' and ampersands &amp; and </blockquote></li> stay text as well.",
    ];
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 11.into()]),
        Operation::new("TL", vec![16.into()]),
        Operation::new("Td", vec![56.into(), 760.into()]),
    ];
    for l in lines {
        ops.push(Operation::new("Tj", vec![Object::string_literal(l)]));
        ops.push(Operation::new("T*", vec![]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops }.encode().unwrap();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let info_id =
        doc.add_object(dictionary! { "Title" => Object::string_literal("<img src=x onerror=alert(1)> Hostile notes") });
    doc.trailer.set("Info", info_id);
    doc.save(path).unwrap();
}

fn hostile_workdir() -> Workdir {
    let w = Workdir::empty();
    hostile_pdf(&w.corpus().join("hostile.pdf"));
    w
}

#[test]
fn hostile_pdf_text_comes_back_as_json_text() {
    let w = hostile_workdir();
    // No index yet: serve builds it first, and says so.
    let s = Server::start(&w, &[]);
    assert!(s.log().contains("no index in"), "{}", s.log());
    let r = s.get("/api/search?q=escaping");
    let out: SearchOut = r.ok().typed();
    assert_eq!(r.header("content-type"), Some("application/json"));
    let text: String = out.results.iter().flat_map(|r| r.snippets.iter().map(|s| s.text.clone())).collect();
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    let out: SearchOut = s.get("/api/search?q=onerror").ok().typed();
    let text: String = out.results.iter().flat_map(|r| r.snippets.iter().map(|s| s.text.clone())).collect();
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    let docs = s.get("/api/docs").ok().json();
    assert_eq!(docs["documents"][0]["display_title"], "<img src=x onerror=alert(1)> Hostile notes", "{docs}");
}

/// Issue 17: a corpus without a vocabulary file has no list of harms: the
/// API says so with a 404 and the command line's message.
#[test]
fn issue_17_no_vocabulary_no_harms_with_the_cli_message() {
    let w = hostile_workdir();
    w.run(&["index"]).ok();
    let s = Server::start(&w, &[]);
    let e = s.get("/api/harms").error(404);
    let message = format!(
        "no list of harms: {} names the kinds of harm and their common names (see corpus/README.md)",
        w.corpus().join("vocabulary.toml").display()
    );
    assert_eq!(e["error"], message.as_str());
    let r = w.run(&["harms"]).code(2);
    assert_eq!(r.stderr, format!("riskreg: {message}\n"));
}

/// Issue 17: the API's answer to a defined term carries its definition,
/// exactly as `riskreg search --json` does; another query's is null.
#[test]
fn search_api_carries_the_definition_of_a_defined_term() {
    let s = sample_server();
    let r = s.get("/api/search?q=CSAM&by=passage");
    let api: Value = r.ok().json();
    let d = &api["definition"];
    assert_eq!(d["term"], "Child sexual abuse material (CSAM)");
    assert_eq!(d["kind"], "glossary");
    assert_eq!(
        d["citation"]["text"],
        "Illegal Content Judgements Guidance (sample), 16 December 2024 · A22. Glossary · p. 448 · ¶A22.2"
    );
    assert_eq!(d["citation"]["pdf_link"], "/pdf/icjg#page=454");
    let cli = sample_index().run(&["search", "CSAM", "--by", "passage", "--json"]).ok();
    let mut cli: Value = serde_json::from_str(&cli.stdout).unwrap();
    let serve_link = |c: &mut Value| {
        c["pdf_link"] = format!("/pdf/{}#page={}", c["doc"].as_str().unwrap(), c["pdf_page"]).into();
    };
    for r in cli["results"].as_array_mut().unwrap() {
        serve_link(&mut r["citation"]);
    }
    serve_link(&mut cli["definition"]["citation"]);
    assert_eq!(api, cli);
    let other: Value = s.get("/api/search?q=human+trafficking").ok().json();
    assert_eq!(other["definition"], Value::Null);
}

/// The page in Debian's headless Chromium, driven by tests/browser/run.mjs.
#[test]
fn the_page_works_in_a_browser() {
    let browser_dir = root().join("tests/browser");
    let chromium = Path::new("/usr/bin/chromium");
    let node_ok = std::process::Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!chromium.exists()).then_some("/usr/bin/chromium (apt-get install chromium)"),
        (!browser_dir.join("node_modules/playwright-core").exists())
            .then_some("tests/browser/node_modules (npm ci in tests/browser)"),
        (!node_ok).then_some("node"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        skip(&format!("these are missing: {} (.ci/run installs them)", missing.join(", ")));
        return;
    }
    let sample = sample_server();
    let hostile = hostile_workdir();
    hostile.run(&["index"]).ok();
    let hs = Server::start(&hostile, &[]);
    let shots = std::env::var_os("RISKREG_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| hostile.path().join("screenshots"));
    let out = std::process::Command::new("node")
        .arg(browser_dir.join("run.mjs"))
        .arg(sample.url())
        .arg(hs.url())
        .arg(&shots)
        .current_dir(&browser_dir)
        .stdin(Stdio::null())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("browser test: ok"),
        "browser test failed ({:?})\nstdout:\n{stdout}\nstderr:\n{stderr}\nserver:\n{}",
        out.status,
        sample.log()
    );
    for shot in [
        "laptop-chapters.png",
        "laptop-passage.png",
        "phone-chapters.png",
        "hostile.png",
        "references.png",
        "verify.png",
        "phone-verify.png",
        "also-searched.png",
        "definition.png",
        "laptop-landing.png",
        "laptop-results.png",
        "laptop-viewer.png",
        "laptop-harms.png",
        "phone-landing.png",
        "phone-results.png",
        "phone-viewer.png",
    ] {
        assert!(shots.join(shot).exists(), "no screenshot {shot}");
    }
}

/// Issue 15 (7): `serve --json` says where it listens as one line of JSON
/// on stdout, for a script that asked for port 0.
#[test]
fn serve_json_prints_where_it_listens() {
    let w = sample_index();
    let mut child = w
        .cmd(&["serve", "--addr", "127.0.0.1:0", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("riskreg serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    let url = v["listening"].as_str().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{line}");
    assert_eq!(v["index"].as_str(), Some(w.index().to_str().unwrap()));
    let addr: std::net::SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    let r = request(addr, "GET", "/healthz");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(r.status, 200);
}

/// Issue 16: `POST /api/verify` checks a pasted draft and answers with
/// exactly the report of `riskreg verify --json` (links to the server's own
/// /pdf/), within the body limit, for JSON only, under the Host check.
#[test]
fn issue_16_references_on_result_pages_for_linking_snippets() {
    let s = sample_server();
    // A passage that quotes a reference: its page's references include the
    // very words of the snippet, with where they lead.
    let hit = s.get("/api/search?q=%22a+public+post+draws+interest%22&by=passage&limit=1").ok().json();
    let c = &hit["results"][0]["citation"];
    let (doc, pdf_page) = (c["doc"].as_str().unwrap().to_string(), c["pdf_page"].as_u64().unwrap());
    assert_eq!((doc.as_str(), pdf_page), ("ror", 233), "{hit}");
    let snippet = hit["results"][0]["snippets"][0]["text"].as_str().unwrap();
    assert!(snippet.contains("paragraphs 9.2 to 9.5"), "{snippet}");

    let r = s.get("/api/references?pages=ror:233,icjg:451,ror:233");
    r.ok();
    assert!(r.header("x-riskreg-generation").is_some_and(|g| g.starts_with("gen-")));
    let out: riskreg::render::json::PageReferencesOut = r.typed();
    let asked: Vec<(&str, u32)> = out.pages.iter().map(|p| (p.doc.as_str(), p.pdf_page)).collect();
    assert_eq!(asked, [("ror", 233), ("icjg", 451)], "each page once, in the order asked");
    let on_233: Vec<(&str, Option<&str>)> = out.pages[0]
        .references
        .iter()
        .map(|r| (r.text.as_str(), r.target.as_ref().and_then(|t| t.pdf_link.as_deref())))
        .collect();
    assert!(on_233.contains(&("paragraphs 9.2 to 9.5", Some("/pdf/ror#page=215"))), "{on_233:?}");
    assert!(on_233.contains(&("paragraph 9.14", Some("/pdf/ror#page=217"))), "{on_233:?}");
    let cited = out.pages[1].references.iter().find(|r| r.text == "paragraph 9.14 of the Register of Risks");
    let cited = cited.unwrap_or_else(|| panic!("icjg p. 451 cites ror ¶9.14: {:?}", out.pages[1]));
    assert_eq!(cited.target.as_ref().unwrap().citation, "Register of Risks (sample) · ¶9.14 · p. 209");
    assert_eq!(cited.paragraph.as_deref(), Some("A21.2"));

    // The same list as the page view gives for that page.
    let page = s.get("/api/page/ror?pdf_page=233").ok().json();
    assert_eq!(serde_json::to_value(&out.pages[0].references).unwrap(), page["references"]);

    // Asked wrongly: a clear 400 or 404, as JSON.
    let e = s.get("/api/references").error(400);
    assert_eq!(
        e["error"],
        "say which pages: /api/references?pages=ror:217,icjg:451 (document:PDF page, comma-separated)"
    );
    let e = s.get("/api/references?pages=ror:two").error(400);
    assert!(e["error"].as_str().unwrap().starts_with("ror:two: say which pages"), "{e}");
    let e = s.get("/api/references?pages=nosuch:3").error(404);
    assert!(e["error"].as_str().unwrap().contains("nosuch"), "{e}");
    let e = s.get("/api/references?pages=ror:99999").error(404);
    assert!(e["error"].as_str().unwrap().starts_with("ror: no PDF page 99999 (it has "), "{e}");
    let many: Vec<String> = (1..=101).map(|n| format!("ror:{n}")).collect();
    let e = s.get(&format!("/api/references?pages={}", many.join(","))).error(400);
    assert_eq!(e["error"], "101 pages asked for; at most 100 at once");
}

#[test]
fn issue_16_verify_api_checks_a_pasted_draft() {
    let s = sample_server();
    let draft = "Dear colleague,\n\
                 Recruiters advertise overseas work (Register of Risks, para 9.14, p. 209).\n\
                 The same is said at Register of Risks, para 9.14, p. 215.\n";
    let r = post_draft(&s, draft);
    r.ok();
    assert!(r.header("x-riskreg-generation").is_some_and(|g| g.starts_with("gen-")));
    let out: riskreg::render::json::VerifyOut = r.typed();
    assert_eq!(out.file, "pasted draft");
    assert_eq!((out.citations.len(), out.ok, out.problems, out.fixed.as_deref()), (2, 1, 1, None), "{out:?}");
    let (good, bad) = (&out.citations[0], &out.citations[1]);
    assert_eq!((good.line.as_str(), good.status.as_str()), ("2", "ok"), "{good:?}");
    assert_eq!(good.doc.as_deref(), Some("ror"));
    assert!(good.problems.is_empty() && good.fix.is_none(), "{good:?}");
    let para = good.pins.iter().find(|p| p.kind == "para").expect("a para pinpoint");
    assert_eq!(para.value, "9.14");
    let t = para.target.as_ref().expect("para 9.14 resolves");
    assert_eq!((t.doc.as_str(), t.page.as_str(), t.pdf_page), ("ror", "209", 217));
    assert_eq!(t.pdf_link.as_deref(), Some("/pdf/ror#page=217"));
    assert_eq!((bad.line.as_str(), bad.status.as_str()), ("3", "problem"), "{bad:?}");
    assert_eq!(good.text, "para 9.14, p. 209");
    assert_eq!(good.column, "Recruiters advertise overseas work (Register of Risks, ".chars().count() + 1);
    assert_eq!(bad.text, "para 9.14, p. 215");
    assert_eq!(bad.column, "The same is said at Register of Risks, ".chars().count() + 1);
    assert_eq!(bad.doc.as_deref(), Some("ror"));
    assert_eq!(bad.problems, ["para 9.14 is on p. 209, not p. 215"]);
    assert_eq!(bad.fix.as_deref(), Some("para 9.14, p. 209"));
    let pins: Vec<(&str, &str, Option<&str>)> = bad
        .pins
        .iter()
        .map(|p| (p.kind.as_str(), p.value.as_str(), p.target.as_ref().and_then(|t| t.pdf_link.as_deref())))
        .collect();
    assert_eq!(pins, [("para", "9.14", Some("/pdf/ror#page=217")), ("page", "215", Some("/pdf/ror#page=223"))]);

    // The command line's report of the same draft, but for its name and links.
    let file = sample_index().path().join("pasted-draft.txt");
    std::fs::write(&file, draft).unwrap();
    let cli = sample_index().run(&["verify", file.to_str().unwrap(), "--json"]);
    assert_eq!(cli.code, 1, "{cli:?}");
    let mut cli: Value = serde_json::from_str(&cli.stdout).unwrap();
    cli["file"] = "pasted draft".into();
    for c in cli["citations"].as_array_mut().unwrap() {
        for p in c["pins"].as_array_mut().unwrap() {
            let t = &mut p["target"];
            if t.is_object() {
                t["pdf_link"] = format!("/pdf/{}#page={}", t["doc"].as_str().unwrap(), t["pdf_page"]).into();
            }
        }
    }
    assert_eq!(r.json(), cli);

    // No citations: an empty report, not an error.
    let out: riskreg::render::json::VerifyOut = post_draft(&s, "Nothing cited here.").ok().typed();
    assert_eq!((out.citations.len(), out.ok, out.problems), (0, 0, 0));

    // Too large a body: 413, JSON, saying the limit.
    let big = format!("Register of Risks, para 9.14, p. 209. {}", "x".repeat(1024 * 1024));
    let e = post_draft(&s, &big).error(413);
    assert!(e["error"].as_str().unwrap().contains("at most 1048576 bytes"), "{e}");
    // Not JSON: 415; JSON of the wrong shape: 400.
    let host = s.addr.to_string();
    let e = post_as(s.addr, &host, "/api/verify", Some("text/plain"), draft.as_bytes().to_vec()).error(415);
    assert!(e["error"].as_str().unwrap().contains("application/json"), "{e}");
    post_as(s.addr, &host, "/api/verify", None, draft.as_bytes().to_vec()).error(415);
    let e = post_as(s.addr, &host, "/api/verify", Some("application/json"), b"{\"draft\": \"x\"}".to_vec()).error(400);
    assert!(e["error"].as_str().unwrap().contains("{\"text\""), "{e}");
    post_as(s.addr, &host, "/api/verify", Some("application/json; charset=utf-8"), b"not json".to_vec()).error(400);
    post_as(s.addr, &host, "/api/verify", Some("application/json; charset=utf-8"), b"{\"text\": \"\"}".to_vec()).ok();
    // Only POST, only there; and the Host check holds for it too.
    s.get("/api/verify").error(405);
    post_as(s.addr, &host, "/api/search?q=x", Some("application/json"), b"{}".to_vec()).error(405);
    let body = serde_json::to_vec(&serde_json::json!({ "text": draft })).unwrap();
    post_as(s.addr, "evil.example", "/api/verify", Some("application/json"), body).error(421);
    // The page answers at /verify too.
    let page = s.get("/verify");
    assert!(page.ok().text().contains("id=\"verify-view\""));
}

/// At the cap, a new connection closes the oldest one that has not sent a
/// whole request head: a pile of them cannot keep a request out even when
/// the head timeout is long.
#[test]
fn issue_14_5_at_the_cap_a_new_request_displaces_a_silent_connection() {
    let s = Server::start(sample_index(), &["--max-connections", "20", "--header-timeout", "600"]);
    let held: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut c = TcpStream::connect(s.addr).expect("connect");
            if i % 2 == 0 {
                c.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
            }
            c
        })
        .collect();
    // With the old accept loop this waited out the 600 s head timeout.
    let (tx, rx) = std::sync::mpsc::channel();
    let addr = s.addr;
    std::thread::spawn(move || {
        let _ = tx.send(request(addr, "GET", "/healthz"));
    });
    let r = rx.recv_timeout(Duration::from_secs(120)).expect("/healthz answered while 300 silent connections wait");
    assert_eq!(r.status, 200, "{}", r.text());
    // The oldest silent connections were the ones closed.
    let mut first = &held[0];
    first.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut got = Vec::new();
    match first.read_to_end(&mut got) {
        Ok(_) => assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got)),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "the oldest is still open: {e}"),
    }
    assert_eq!(s.stop().code(), Some(0));
}

#[test]
fn issue_14_5_half_sent_and_idle_connections_cannot_hold_the_server() {
    let s = Server::start(sample_index(), &["--max-connections", "20", "--header-timeout", "1"]);
    // Ten times the cap of connections, each with half a request head.
    let mut held: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut c = TcpStream::connect(s.addr).expect("connect");
            c.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
            c
        })
        .collect();
    // The health check still answers: it waits its turn, and turns come
    // round as the half-sent requests are timed out.
    let r = s.get("/healthz");
    assert_eq!(r.status, 200, "{}", r.text());
    // Every half-sent request's connection was closed by the server, with
    // nothing answered to a request that never arrived whole.
    for (i, c) in held.iter_mut().enumerate() {
        c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut got = Vec::new();
        match c.read_to_end(&mut got) {
            Ok(_) => assert!(
                got.is_empty() || String::from_utf8_lossy(&got).starts_with("HTTP/1.1 408"),
                "connection {i}: {}",
                String::from_utf8_lossy(&got)
            ),
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "connection {i} still open: {e}"),
        }
    }
    // A kept-alive connection left idle after its answer is closed too.
    let mut idle = TcpStream::connect(s.addr).unwrap();
    idle.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr).as_bytes()).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut got = Vec::new();
    idle.read_to_end(&mut got).expect("closed by the server, not by the read timeout");
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"), "{}", String::from_utf8_lossy(&got));
    // The options are checked.
    let r = sample_index().run(&["serve", "--max-connections", "0"]).code(2);
    assert!(r.stderr.contains("--max-connections"), "{}", r.stderr);
    assert_eq!(s.stop().code(), Some(0));
}

/// Issue 17 (a page in `serve`): `GET /api/harms` is what `riskreg harms
/// --json` prints (with the server's PDF links), `?harm=` one row, and a harm
/// the vocabulary does not know a 404 with the command line's message.
#[test]
fn issue_17_the_harms_api_answers_as_riskreg_harms() {
    let s = sample_server();
    let w = sample_index();
    let local_to_server = |v: &mut Value| {
        for h in v["harms"].as_array_mut().unwrap() {
            for c in h["chapters"].as_array_mut().unwrap() {
                let doc = c["doc"].as_str().unwrap().to_string();
                assert!(c["pdf_link"].as_str().unwrap().ends_with(&format!("#page={}", c["pdf_start"])), "{c}");
                c["pdf_link"] = format!("/pdf/{doc}#page={}", c["pdf_start"]).into();
            }
        }
    };
    let all = s.get("/api/harms");
    let mut cli: Value = serde_json::from_str(&w.run(&["harms", "--json"]).ok().stdout).unwrap();
    local_to_server(&mut cli);
    assert_eq!(all.ok().json(), cli);
    assert_eq!(all.json()["harms"].as_array().unwrap().len(), 17);
    assert!(all.header("x-riskreg-generation").is_some_and(|g| g.starts_with("gen-")));

    let one: riskreg::render::json::HarmsOut = s.get("/api/harms?harm=human+trafficking").ok().typed();
    assert_eq!(one.harms.len(), 1);
    let rows: Vec<(&str, &str, &str, &str)> = one.harms[0]
        .chapters
        .iter()
        .map(|c| (c.doc.as_str(), c.heading.as_str(), c.pages.as_str(), c.pdf_link.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("vol3", "Unlawful immigration and human trafficking", "pp. 61–64", "/pdf/vol3#page=65"),
            ("ror", "9. Human trafficking", "pp. 207–224", "/pdf/ror#page=215"),
            ("icjg", "11. Human trafficking", "pp. 166–168", rows[2].3),
            ("icjg", "A12. Human trafficking", "pp. 415–420", rows[3].3),
        ]
    );
    // A common name finds the same row.
    let slavery: riskreg::render::json::HarmsOut = s.get("/api/harms?harm=modern%20slavery").ok().typed();
    assert_eq!(slavery.harms[0].name, "Human trafficking");

    let e = s.get("/api/harms?harm=weather").error(404);
    let r = w.run(&["harms", "weather"]).code(2);
    assert_eq!(r.stderr, format!("riskreg: {}\n", e["error"].as_str().unwrap()));
    assert!(e["error"]
        .as_str()
        .unwrap()
        .starts_with("no kind of harm is called \"weather\"; the vocabulary lists: Terrorism;"));
}

/// Issue 18: `offset` pages through results as `search --offset` does:
/// the next ones, none twice, the same total, the same bound and message.
#[test]
fn issue_18_offset_pages_through_results_as_the_cli_does() {
    let s = sample_server();
    let key = |o: &SearchOut| -> Vec<String> { o.results.iter().map(|r| r.citation.text.clone()).collect() };
    let first: SearchOut = s.get("/api/search?q=human+trafficking&by=passage&limit=20").ok().typed();
    let next: SearchOut = s.get("/api/search?q=human+trafficking&by=passage&limit=20&offset=20").ok().typed();
    let both: SearchOut = s.get("/api/search?q=human+trafficking&by=passage&limit=40").ok().typed();
    assert!(first.total > 20 && first.total == next.total, "{} {}", first.total, next.total);
    assert_eq!(next.results.len(), (first.total - 20).min(20));
    assert_eq!([key(&first), key(&next)].concat(), key(&both));
    // Chapters page the same way.
    let ch: SearchOut = s.get("/api/search?q=trafficking&by=chapter&limit=2").ok().typed();
    let ch2: SearchOut = s.get("/api/search?q=trafficking&by=chapter&limit=2&offset=2").ok().typed();
    let ch_both: SearchOut = s.get("/api/search?q=trafficking&by=chapter&limit=4").ok().typed();
    let heads =
        |o: &SearchOut| -> Vec<String> { o.results.iter().map(|r| r.citation.chapter_heading.clone()).collect() };
    assert_eq!([heads(&ch), heads(&ch2)].concat(), heads(&ch_both));

    // The same answer as `riskreg search --offset 20 --json`, links aside.
    let cli = sample_index()
        .run(&["search", "human trafficking", "--by", "passage", "--limit", "20", "--offset", "20", "--json"])
        .ok();
    let cli: SearchOut = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(key(&cli), key(&next));
    assert_eq!(cli.total, next.total);

    // Past the bound, or not a number: the command line's message.
    let e = s.get("/api/search?q=trafficking&offset=10001").error(400);
    assert_eq!(e["error"], "offset 10001: say a number from 0 to 10000");
    let r = sample_index().run(&["search", "trafficking", "--offset", "10001"]).code(2);
    assert_eq!(r.stderr, "riskreg: offset 10001: say a number from 0 to 10000\n");
    let e = s.get("/api/search?q=trafficking&offset=ten").error(400);
    assert_eq!(e["error"], "offset=ten: say a number from 0 to 10000");
    // Past the end: no results, the total still said.
    let far: SearchOut = s.get("/api/search?q=human+trafficking&by=passage&offset=9000").ok().typed();
    assert_eq!((far.results.len(), far.total), (0, first.total));
}

/// Issue 18: the PDF viewer and PDF.js come from this server, offline:
/// the right types, cached for good under their version; the page's views
/// are addresses the server answers with the page.
#[test]
fn issue_18_the_viewer_and_pdfjs_are_served_from_here() {
    let s = sample_server();
    let v = s.get("/viewer?doc=ror&page=217&search=trafficking");
    assert!(v.ok().header("content-type").unwrap().starts_with("text/html"));
    let csp = v.header("content-security-policy").unwrap();
    assert!(csp.contains("worker-src 'self'") && !csp.contains("unsafe"), "{csp}");
    let html = v.text();
    assert!(html.contains("<script type=\"module\" src=\"/static/viewer.js\"></script>"), "{html}");
    for (path, kind) in [
        ("/static/pdfjs/6.5.438/pdf.min.mjs", "text/javascript"),
        ("/static/pdfjs/6.5.438/pdf.worker.min.mjs", "text/javascript"),
        ("/static/pdfjs/6.5.438/pdf_viewer.mjs", "text/javascript"),
        ("/static/pdfjs/6.5.438/pdf_viewer.css", "text/css"),
        ("/static/pdfjs/6.5.438/images/loading-icon.gif", "image/gif"),
    ] {
        let r = s.get(path);
        assert!(r.ok().header("content-type").unwrap().starts_with(kind), "{path}");
        assert_eq!(r.header("cache-control"), Some("public, max-age=31536000, immutable"), "{path}");
        assert!(r.body.len() > 1000, "{path}");
    }
    let e = s.get("/static/pdfjs/1.0.0/pdf.min.mjs").error(404);
    assert_eq!(e["error"], "no such file: /static/pdfjs/1.0.0/pdf.min.mjs (this server has PDF.js 6.5.438)");
    s.get("/static/pdfjs/6.5.438/viewer.html").error(404);
    // Our viewer's own files load nothing from elsewhere and never parse text as HTML.
    let js = s.get("/static/viewer.js");
    let css = s.get("/static/viewer.css");
    assert!(js.ok().header("content-type").unwrap().starts_with("text/javascript"));
    assert!(css.ok().header("content-type").unwrap().starts_with("text/css"));
    for text in [html, js.text(), css.text()] {
        assert!(!text.contains("http://") && !text.contains("https://"), "{text}");
    }
    assert!(!js.text().contains("innerHTML"));
    // Every view of the page has an address that reloads it.
    for path in ["/", "/verify", "/harms", "/doc/ror", "/doc/ror/page/215"] {
        let r = s.get(path);
        assert!(r.ok().text().contains("<script src=\"/static/page.js\" defer></script>"), "{path}");
    }
    // The API's list of itself names /api/harms.
    let e = s.get("/api/nothing").error(404);
    assert!(e["error"].as_str().unwrap().contains("/api/harms"), "{e}");
}
