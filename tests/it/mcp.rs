//! `riskreg mcp` (issue 18): the real binary spoken to as an assistant
//! speaks to it, JSON-RPC lines on its stdin and stdout; every line it
//! writes must be a protocol message, and no answer may take forever.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::{root, sample_index, Workdir};

/// How long one answer may take (a missing index is built first).
const WAIT: Duration = Duration::from_secs(180);

/// A running `riskreg mcp`, with what it wrote to stderr.
struct Mcp {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    next_id: u64,
}

impl Mcp {
    fn start(w: &Workdir) -> Mcp {
        let mut child = w
            .cmd(&["mcp"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("riskreg mcp starts");
        let stdin = child.stdin.take();
        let (tx, lines) = std::sync::mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let (log, err) = (stderr.clone(), child.stderr.take().unwrap());
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                log.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        Mcp { child, stdin, lines, stderr, next_id: 1 }
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Whether stderr says `needle` within a few seconds (it is read by a
    /// thread of its own, which may lag behind stdout).
    fn logged(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.log().contains(needle) {
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{message}").and_then(|()| stdin.flush()).expect("riskreg mcp reads its stdin");
    }

    /// The next line on stdout, which must be one JSON-RPC message.
    fn next_message(&self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match self.lines.recv_timeout(left) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => panic!("no answer within {WAIT:?}\nstderr:\n{}", self.log()),
            Err(RecvTimeoutError::Disconnected) => panic!("riskreg mcp closed its stdout\nstderr:\n{}", self.log()),
        };
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!("stdout carried a line that is not JSON ({e}): {line}\nstderr:\n{}", self.log())
        });
        assert_eq!(v["jsonrpc"], "2.0", "not a JSON-RPC message: {line}");
        v
    }

    /// Send a request; its response (`result` or `error`), skipping any
    /// notifications the server sends meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self.next_message(deadline);
            if v["id"] == id {
                return v;
            }
            assert!(v.get("id").is_none() || v.get("method").is_some(), "an answer to another request: {v}");
        }
    }

    /// `initialize`, then `notifications/initialized`: the handshake.
    fn initialize(&mut self) -> Value {
        let r = self.request(
            "initialize",
            json!({ "protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": { "name": "riskreg-tests", "version": "1" } }),
        );
        self.send(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        r
    }

    /// `tools/call`: the result (a tool's answer or its error result).
    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let r = self.request("tools/call", json!({ "name": tool, "arguments": arguments }));
        assert!(r.get("error").is_none(), "{tool}: a protocol error: {r}\nstderr:\n{}", self.log());
        r["result"].clone()
    }

    /// A call that must succeed: its structured content, checked against its
    /// text (the same JSON, for clients that read only text).
    fn answer(&mut self, tool: &str, arguments: Value) -> Value {
        let r = self.call(tool, arguments.clone());
        assert_eq!(r["isError"], false, "{tool} {arguments}: {r}");
        let text: Value = serde_json::from_str(r["content"][0]["text"].as_str().unwrap()).unwrap();
        assert_eq!(text, r["structuredContent"], "{tool}: the text and the structured content differ");
        r["structuredContent"].clone()
    }

    /// Close stdin, as an assistant does when it is done: the server must end, with 0.
    fn finish(mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "riskreg mcp did not end when its stdin closed\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Mcp {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What the command line prints for `args` with `--json`, parsed.
fn cli_json(w: &Workdir, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let r = w.run(&all);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}\n{}", r.stdout, r.stderr))
}

fn started(w: &Workdir) -> Mcp {
    let mut s = Mcp::start(w);
    let init = s.initialize();
    assert_eq!(init["result"]["serverInfo"]["name"], "riskreg", "{init}");
    assert!(init["result"]["capabilities"]["tools"].is_object(), "{init}");
    s
}

#[test]
fn issue_18_the_tools_are_listed_with_what_they_return() {
    let mut s = started(sample_index());
    let list = s.request("tools/list", json!({}));
    let tools = list["result"]["tools"].as_array().unwrap_or_else(|| panic!("{list}"));
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["search", "show_page", "toc", "list_documents", "verify_citations", "define"]);
    let tool = |name: &str| tools.iter().find(|t| t["name"] == name).unwrap();
    for t in tools {
        let description = t["description"].as_str().unwrap();
        assert!(description.contains("Returns the JSON of `riskreg "), "{t}");
        assert_eq!(t["inputSchema"]["type"], "object", "{t}");
        assert_eq!(t["annotations"]["readOnlyHint"], true, "{t}");
    }
    // The tools that return the documents' text say it is the regulator's, quoted.
    for name in ["search", "show_page"] {
        assert!(tool(name)["description"].as_str().unwrap().contains("the regulator's own, quoted word for word"));
    }
    let search = &tool("search")["inputSchema"];
    assert_eq!(search["required"], json!(["query"]), "{search}");
    assert_eq!(search["properties"]["by"]["enum"], json!(["passage", "chapter"]), "{search}");
    for arg in ["doc", "limit", "offset", "as_of", "all_versions"] {
        assert!(search["properties"][arg]["description"].is_string(), "{arg}: {search}");
    }
    assert_eq!(tool("show_page")["inputSchema"]["required"], json!(["doc"]));
    assert_eq!(tool("verify_citations")["inputSchema"]["required"], json!(["text"]));
    assert_eq!(s.finish(), 0);
}

#[test]
fn issue_18_search_by_chapter_finds_the_four_human_trafficking_chapters() {
    let w = sample_index();
    let mut s = started(w);
    let out = s.answer("search", json!({ "query": "human trafficking", "by": "chapter", "limit": 4 }));
    let mut got: Vec<(String, String, String)> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let c = &r["citation"];
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("doc"), s("chapter_heading"), s("chapter_pages"))
        })
        .collect();
    got.sort();
    let row = |d: &str, h: &str, p: &str| (d.to_string(), h.to_string(), p.to_string());
    assert_eq!(
        got,
        [
            row("icjg", "11. Human trafficking", "pp. 166–168"),
            row("icjg", "A12. Human trafficking", "pp. 415–420"),
            row("ror", "9. Human trafficking", "pp. 207–224"),
            row("vol3", "Unlawful immigration and human trafficking", "pp. 61–64"),
        ]
    );
    // The citation to paste, and the rest of `--json`, exactly as the command line gives them.
    let first = &out["results"][0]["citation"];
    assert_eq!(first["text"], "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 213 · ¶9.41");
    let cli = cli_json(w, &["search", "human trafficking", "--by", "chapter", "--limit", "4"]);
    assert_eq!(out, cli);

    // Passages, a document filter, and the exact page of a phrase.
    let out = s.answer("search", json!({ "query": "\"advertisements for overseas modelling work\"", "doc": "ror" }));
    assert_eq!(out["total"], 1, "{out}");
    assert_eq!(
        out["results"][0]["citation"]["text"],
        "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14"
    );
    assert_eq!(out, cli_json(w, &["search", "\"advertisements for overseas modelling work\"", "--doc", "ror"]));
    // Nothing found is an answer, not an error.
    let out = s.answer("search", json!({ "query": "zebrafish" }));
    assert_eq!((out["total"].clone(), out["results"].clone()), (json!(0), json!([])));
    assert_eq!(s.finish(), 0);
}

#[test]
fn issue_18_show_page_toc_and_list_documents_answer_as_the_command_line() {
    let w = sample_index();
    let mut s = started(w);
    let page = s.answer("show_page", json!({ "doc": "ror", "page": "209" }));
    assert_eq!((page["page"].clone(), page["pdf_page"].clone()), (json!("209"), json!(217)));
    let text = page["sections"][0]["text"].as_str().unwrap();
    assert!(text.contains("advertisements for overseas modelling work"), "{page}");
    assert_eq!(page, cli_json(w, &["show", "ror", "209"]));
    // The same page by the number a PDF viewer shows.
    assert_eq!(s.answer("show_page", json!({ "doc": "ror", "pdf_page": 217 })), page);

    let toc = s.answer("toc", json!({ "doc": "icjg" }));
    assert!(
        toc["toc"].as_array().unwrap().iter().any(|c| c["heading"] == "A12. Human trafficking"
            && (c["printed_start"].as_str(), c["printed_end"].as_str()) == (Some("415"), Some("420"))),
        "{toc}"
    );
    assert_eq!(toc, cli_json(w, &["toc", "icjg"]));

    let docs = s.answer("list_documents", json!({}));
    let ids: Vec<&str> = docs["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["cop-u2u", "icjg", "rag", "ror", "vol3"]);
    assert_eq!(docs, cli_json(w, &["docs"]));
    assert_eq!(s.finish(), 0);
}

#[test]
fn issue_18_verify_citations_reports_a_draft_as_verify_json_does() {
    let w = sample_index();
    let draft = "Dear Sirs,\nThe Register of Risks, para 9.14, p. 209, is relevant.\nSee also ROR para 9.14, p. 210.\n";
    let mut s = started(w);
    let out = s.answer("verify_citations", json!({ "text": draft }));
    assert_eq!((out["ok"].clone(), out["problems"].clone()), (json!(1), json!(1)), "{out}");
    let wrong = &out["citations"][1];
    assert_eq!(wrong["line"], "3", "{out}");
    assert_eq!(wrong["problems"], json!(["para 9.14 is on p. 209, not p. 210"]), "{out}");
    assert_eq!(wrong["fix"], "para 9.14, p. 209", "{out}");
    // The report `riskreg verify --json` writes for the same text in a file.
    std::fs::write(w.path().join("mcp-draft.txt"), draft).unwrap();
    let mut cli = cli_json(w, &["verify", "mcp-draft.txt"]);
    assert_eq!(cli["file"], "mcp-draft.txt");
    cli["file"] = json!("draft");
    assert_eq!(out, cli);
    assert_eq!(s.finish(), 0);
}

#[test]
fn issue_18_define_answers_as_define_json_does() {
    let w = sample_index();
    let mut s = started(w);
    let out = s.answer("define", json!({ "term": "CSAM" }));
    let first = &out["definitions"][0];
    assert_eq!(first["kind"], "glossary", "{out}");
    assert_eq!(
        first["citation"]["text"],
        "Illegal Content Judgements Guidance (sample), 16 December 2024 · A22. Glossary · p. 448 · ¶A22.2"
    );
    assert_eq!(out, cli_json(w, &["define", "CSAM"]));
    // Not defined: an answer with the nearest terms, not an error.
    let none = s.answer("define", json!({ "term": "moderater" }));
    assert_eq!(none["definitions"], json!([]));
    assert!(none["suggestions"].as_array().unwrap().iter().any(|t| t == "moderator"), "{none}");
    assert_eq!(s.finish(), 0);
}

#[test]
fn issue_18_a_bad_call_is_an_error_result_with_the_command_lines_message() {
    let w = sample_index();
    let mut s = started(w);
    // An unknown document: the message and kind `--json` gives, as a tool error.
    let cli = w.run(&["search", "trafficking", "--doc", "nope", "--json"]).code(2);
    let cli: Value = serde_json::from_str(&cli.stdout).unwrap();
    assert!(cli["error"].as_str().unwrap().starts_with("unknown document \"nope\": the indexed documents are "));
    let r = s.call("search", json!({ "query": "trafficking", "doc": "nope" }));
    assert_eq!(r["isError"], true, "{r}");
    assert_eq!(r["content"][0]["text"], cli["error"], "{r}");
    assert_eq!(r["structuredContent"], cli, "{r}");
    for (tool, args, cmd) in [
        ("toc", json!({ "doc": "nope" }), vec!["toc", "nope"]),
        ("show_page", json!({ "doc": "ror", "page": "9999" }), vec!["show", "ror", "9999"]),
        ("search", json!({ "query": "\"never closed" }), vec!["search", "\"never closed"]),
    ] {
        let r = s.call(tool, args);
        let cli = cli_json(w, &cmd);
        assert_eq!((r["isError"].clone(), r["structuredContent"].clone()), (json!(true), cli), "{tool}");
    }
    // Arguments that do not fit the schema are named, for the assistant to correct.
    let r = s.call("search", json!({ "q": "trafficking" }));
    assert_eq!(r["isError"], true, "{r}");
    let text = r["content"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("search: the arguments do not fit the tool's schema: unknown field `q`"), "{text}");
    let r = s.call("show_page", json!({ "doc": "ror" }));
    assert_eq!(
        r["content"][0]["text"],
        "say which page: `page` as printed on it (e.g. \"209\"), or `pdf_page` as a PDF viewer counts"
    );
    // A tool that does not exist is a protocol error.
    let r = s.request("tools/call", json!({ "name": "translate", "arguments": { "term": "user" } }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert!(r["error"]["message"].as_str().unwrap().starts_with("no tool is called \"translate\""), "{r}");
    // None of it stopped the server.
    assert_eq!(
        s.answer("search", json!({ "query": "debt bondage", "limit": 1 }))["results"][0]["citation"]["doc"],
        "ror"
    );
    assert_eq!(s.finish(), 0);
}

#[test]
fn issue_18_a_new_index_generation_is_answered_without_restart() {
    let w = Workdir::sample(&["vol3"]);
    w.run(&["index"]).ok();
    let mut s = started(&w);
    let ids = |docs: &Value| -> Vec<String> {
        docs["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&s.answer("list_documents", json!({}))), ["vol3"]);
    let r = s.call("toc", json!({ "doc": "added-later" }));
    assert_eq!(r["isError"], true, "{r}");

    std::fs::create_dir_all(w.corpus().join("extra")).unwrap();
    std::fs::copy(root().join("corpus/sample/rag.pdf"), w.corpus().join("extra/added-later.pdf")).unwrap();
    w.run(&["index"]).ok();
    assert_eq!(ids(&s.answer("list_documents", json!({}))), ["added-later", "vol3"]);
    let toc = s.answer("toc", json!({ "doc": "added-later" }));
    assert_eq!(toc["id"], "added-later", "{toc}");
    let found = s.answer("search", json!({ "query": "risk assessment", "doc": "added-later", "limit": 1 }));
    assert_eq!(found["results"][0]["citation"]["doc"], "added-later", "{found}");
    assert!(s.logged("serving the new index generation gen-"), "{}", s.log());
    assert_eq!(s.finish(), 0);
}

#[test]
fn issue_18_a_missing_index_is_built_first_and_stdout_stays_the_protocols() {
    let w = Workdir::sample(&["vol3"]);
    let mut s = started(&w);
    // The build was announced on stderr; stdout held nothing but the answer (`next_message` checks).
    assert!(s.logged("no index in "), "{}", s.log());
    let out = s.answer("search", json!({ "query": "human trafficking", "by": "chapter" }));
    assert_eq!(out["results"][0]["citation"]["chapter_heading"], "Unlawful immigration and human trafficking");
    assert_eq!(s.finish(), 0);
}
