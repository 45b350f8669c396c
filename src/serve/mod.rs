//! `riskreg serve`: the search as a web page and a JSON API.
//!
//! - `api` — the routes, their parameters, limits and JSON errors;
//! - `state` — the open index, swapped for a newer generation when a rebuild
//!   lands (checked before every request);
//! - `page` — the web page, compiled into the binary;
//! - `pdfjs` — the PDF viewer page and the PDF.js files it runs on
//!   (`vendor/pdfjs/`), compiled in too.
//!
//! Searches run on tokio's blocking pool, at most `2 × cores` at once, each
//! under a time limit; of those, at most half the cores' worth may be costly
//! ones (fuzzy or prefix terms). Connections are bounded too (`Connections`:
//! how many at once, and how long one may take to send a request head; at
//! the cap a new connection displaces the oldest that has sent no whole
//! head, so half-sent or idle ones cannot keep requests out). Loopback is the default address; another
//! must be asked for with `--addr`. A request is answered only when its
//! `Host` names the server (`host`: against DNS rebinding).

pub mod api;
pub mod host;
mod page;
mod pdfjs;
pub mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::index::open::OpenIndex;

/// How `riskreg serve` was asked to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The corpus's vocabulary as read at start (`None`: no file); read
    /// again, before a request, whenever the file changes.
    pub vocabulary: Option<crate::vocab::Vocabulary>,
    /// Where `/api/harms` finds its list, and the order of its documents.
    pub harms: Harms,
    /// `HOST:PORT` to listen on; port 0 picks a free port.
    pub addr: String,
    pub index_dir: PathBuf,
    pub corpus_dir: PathBuf,
    /// The most a request may take, waiting for a search slot included.
    pub timeout: Duration,
    /// Say where it listens as a line of JSON on stdout too.
    pub json: bool,
    /// Names besides the bound address that requests may use (`--allow-host`).
    pub allow_hosts: Vec<String>,
    pub connections: Connections,
}

/// What `GET /api/harms` answers from besides the vocabulary (`state::Live`).
#[derive(Debug, Clone)]
pub struct Harms {
    /// Where the vocabulary file is (or would be): read again when it
    /// changes, and named in the message when there is none.
    pub file: PathBuf,
    /// The manifest's document ids, in its order: the order of each harm's chapters.
    pub order: Vec<String>,
}

/// What one client's connections may hold: a bounded number of them, none
/// for long without sending a request.
#[derive(Debug, Clone, Copy)]
pub struct Connections {
    /// Connections served at once; the next ones wait to be accepted.
    pub max: usize,
    /// A request head not received whole in this time (half sent, or a
    /// kept-alive connection left idle) closes its connection.
    pub header_timeout: Duration,
}

/// Serve until Ctrl-C or SIGTERM.
pub fn run(config: Config, opened: OpenIndex) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("riskreg-serve")
        .build()
        .map_err(Error::Server)?;
    rt.block_on(serve(config, opened))
}

/// What the start-up line says about who can reach the server.
pub fn reach_note(addr: &SocketAddr) -> String {
    if addr.ip().is_loopback() {
        format!("loopback only; use --addr 0.0.0.0:{} to serve other machines", addr.port())
    } else {
        "reachable from other machines, as --addr asked: anyone who can reach it can read every indexed document".into()
    }
}

async fn serve(config: Config, opened: OpenIndex) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr.as_str())
        .await
        .map_err(|source| Error::Bind { addr: config.addr.clone(), source })?;
    let local = listener.local_addr().map_err(|source| Error::Bind { addr: config.addr.clone(), source })?;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let app = Arc::new(api::App {
        index: state::IndexState::new(
            config.index_dir.clone(),
            opened,
            config.harms.file.clone(),
            config.vocabulary.clone(),
        ),
        corpus: config.corpus_dir.clone(),
        permits: Arc::new(tokio::sync::Semaphore::new(2 * cores)),
        // Half the cores at most for fuzzy and prefix searches: the others
        // keep answering cheap ones however many costly ones arrive.
        costly: Arc::new(tokio::sync::Semaphore::new((cores / 2).max(1))),
        hosts: host::Hosts::new(local, &config.allow_hosts),
        harms: config.harms.clone(),
        timeout: config.timeout,
    });
    crate::render::note(&format!("serving {} on http://{local} ({})", config.index_dir.display(), reach_note(&local)));
    if config.json {
        let line = serde_json::json!({ "listening": format!("http://{local}"), "index": config.index_dir });
        let _ = crate::render::emit(&format!("{line}\n"));
    }
    accept(listener, api::router(app), config.connections).await;
    crate::render::note("stopped");
    Ok(())
}

/// How long the requests in flight are given to finish once asked to stop.
const DRAIN: Duration = Duration::from_secs(30);

/// A connection that has not sent a whole request head yet: at the cap,
/// the oldest of these is closed to make room for a new one.
#[derive(Default)]
struct Fresh {
    started: std::sync::atomic::AtomicBool,
    close: tokio::sync::Notify,
}

/// The fresh connections, oldest first (a connection leaves once it has
/// ended or sent a request head, when the list is next looked through).
#[derive(Default)]
struct FreshList(std::sync::Mutex<std::collections::VecDeque<std::sync::Weak<Fresh>>>);

impl FreshList {
    fn add(&self, fresh: &Arc<Fresh>, max: usize) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if list.len() >= 2 * max {
            list.retain(|w| w.upgrade().is_some_and(|f| !f.started.load(std::sync::atomic::Ordering::Relaxed)));
        }
        list.push_back(Arc::downgrade(fresh));
    }

    /// Ask the oldest fresh connection to close; false when there is none.
    fn close_oldest(&self) -> bool {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(w) = list.pop_front() {
            if let Some(f) = w.upgrade().filter(|f| !f.started.load(std::sync::atomic::Ordering::Relaxed)) {
                f.close.notify_one();
                return true;
            }
        }
        false
    }

    /// Ask every fresh connection to close (the server is stopping: they
    /// have no request to finish).
    fn close_all(&self) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for f in list.drain(..).filter_map(|w| w.upgrade()) {
            f.close.notify_one();
        }
    }
}

/// Accept connections until Ctrl-C or SIGTERM, each served over HTTP/1.1
/// under `limits`, then let the ones in flight finish. Each connection
/// holds one of `limits.max` slots. At the cap, a new connection closes the
/// oldest one that has not yet sent a whole request head (half sent, or
/// silent), so a pile of those cannot keep real requests out; when every
/// connection has sent one, the new one waits for a slot. The head timeout
/// closes the rest of the silent ones.
async fn accept(listener: tokio::net::TcpListener, router: axum::Router, limits: Connections) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use std::sync::atomic::Ordering;
    use tower::ServiceExt;

    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max));
    let fresh_list = FreshList::default();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors, or a connection reset before it was
                // taken: wait a moment rather than spin, and go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(tokio::sync::TryAcquireError::Closed) => break,
            Err(tokio::sync::TryAcquireError::NoPermits) => {
                fresh_list.close_oldest();
                tokio::select! {
                    slot = slots.clone().acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break,
                    },
                    () = &mut stop => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let fresh = Arc::new(Fresh::default());
        fresh_list.add(&fresh, limits.max);
        let seen = fresh.clone();
        let service = router.clone().map_request(move |req| {
            seen.started.store(true, Ordering::Relaxed);
            req
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            loop {
                tokio::select! {
                    _ = &mut conn => break,
                    // Dropping the connection closes it: it has no request.
                    () = fresh.close.notified() => if !fresh.started.load(Ordering::Relaxed) { break },
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    fresh_list.close_all();
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(DRAIN) => crate::render::note("stopping: requests still running were cut off"),
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    crate::render::note("stopping: finishing the requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_up_line_says_who_can_reach_the_server() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(reach_note(&local), "loopback only; use --addr 0.0.0.0:8080 to serve other machines");
        let v6: SocketAddr = "[::1]:9000".parse().unwrap();
        assert!(reach_note(&v6).starts_with("loopback only"));
        let wide: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(reach_note(&wide).starts_with("reachable from other machines"));
    }
}
