//! The parent half of the worker protocol: spawn `riskreg __extract-worker`
//! on one file, read its JSON lines page by page, enforce the time limits,
//! and when the worker dies, restart it after the page that killed it (or
//! retry that page with the fallback extractor first).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::worker::Msg;
use super::{engine, finish, page_span, precheck, ExtractError, ExtractOptions, RawDocument, RawPage, WORKER_ARG};

/// Reads one PDF: every physical page's text and label, the outline and the
/// title, in a worker process (see `worker.rs`) that is killed when over its
/// time limits and restarted after a page that killed it. Safe to call from
/// several threads at once.
///
/// `Ok` always has `pages.len() == page_count`; pages that could not be read
/// have empty text, extractor "none" and a warning naming them. `Err` is for
/// files that cannot be read at all, with a one-sentence reason.
pub fn extract_document(path: &Path, opts: &ExtractOptions) -> Result<RawDocument, ExtractError> {
    let fail = |reason: String| ExtractError { path: path.to_path_buf(), reason };
    precheck(path).map_err(fail)?;

    let started = Instant::now();
    let page_timeout = Duration::from_secs_f64(opts.page_timeout_seconds.max(0.1));
    let mut meta: Option<engine::Meta> = None;
    let mut pages: Vec<Option<RawPage>> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut next = 1u32;
    let mut fallback_first = false;
    let mut with_meta = true;
    let mut spawns = 0u32;

    loop {
        spawns += 1;
        let file_deadline = started
            + Duration::from_secs_f64(
                opts.base_seconds.max(0.1)
                    + opts.seconds_per_page.max(0.0) * meta.as_ref().map_or(0, |m| m.page_count) as f64,
            );
        let mut cmd = Command::new(&opts.worker_exe);
        cmd.arg(WORKER_ARG)
            .arg(path)
            .arg("--from")
            .arg(next.to_string())
            .arg("--mem")
            .arg(opts.memory_limit.to_string());
        if fallback_first {
            cmd.arg("--fallback-first");
        }
        if !with_meta || meta.is_some() {
            cmd.arg("--no-meta");
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| fail(format!("the extraction worker could not be started: {e}")))?;
        let (tx, rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().expect("piped stdout");
        let out_thread = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().expect("piped stderr");
        let err_thread = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = (&mut stderr).take(1 << 20).read_to_end(&mut buf);
            // Drain the rest so the worker never blocks on a full pipe.
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
            String::from_utf8_lossy(&buf).into_owned()
        });

        // What the worker was doing when it stopped.
        let mut current: Option<(u32, &'static str)> = None;
        let mut candidate: Option<(u32, String)> = None;
        let mut done = false;
        let mut timed_out: Option<String> = None;
        let mut last = Instant::now();
        let mut file_deadline = file_deadline;
        loop {
            let deadline = (last + page_timeout).min(file_deadline);
            let wait = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok(line) => {
                    last = Instant::now();
                    let Ok(msg) = serde_json::from_str::<Msg>(&line) else {
                        continue;
                    };
                    match msg {
                        Msg::Header { meta: m, .. } => {
                            if meta.is_none() {
                                pages = vec![None; m.page_count as usize];
                                warnings.extend(m.warnings.iter().cloned());
                                file_deadline = started
                                    + Duration::from_secs_f64(
                                        opts.base_seconds.max(0.1)
                                            + opts.seconds_per_page.max(0.0) * m.page_count as f64,
                                    );
                                meta = Some(m);
                            }
                        }
                        Msg::Error { reason } => {
                            if meta.is_none() {
                                kill(&mut child);
                                let _ = out_thread.join();
                                let _ = err_thread.join();
                                return Err(fail(reason));
                            }
                        }
                        Msg::Begin { page, extractor } => current = Some((page, engine::extractor_name(&extractor))),
                        Msg::Candidate { page, text, .. } => candidate = Some((page, text)),
                        Msg::Page { page, text, extractor, warning } => {
                            if let Some(slot) = pages.get_mut(page as usize - 1) {
                                *slot = Some(RawPage {
                                    number: page,
                                    text,
                                    label: None,
                                    extractor: engine::extractor_name(&extractor),
                                });
                            }
                            warnings.extend(warning);
                            current = None;
                            candidate = None;
                            next = page + 1;
                            fallback_first = false;
                        }
                        Msg::Done => done = true,
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    kill(&mut child);
                    timed_out = Some(if Instant::now() >= file_deadline {
                        format!(
                            "ran out of the time allowed for the file ({})",
                            fmt_secs((file_deadline - started).as_secs_f64())
                        )
                    } else {
                        format!("took longer than {}", fmt_secs(page_timeout.as_secs_f64()))
                    });
                    break;
                }
            }
        }
        let status = child.wait().ok();
        let _ = out_thread.join();
        let stderr_text = err_thread.join().unwrap_or_default();
        if done {
            break;
        }
        let cause = timed_out.clone().unwrap_or_else(|| describe_exit(status, &stderr_text, opts.memory_limit));

        let Some(m) = meta.as_ref() else {
            if with_meta {
                // Opening died: try once more without outline and labels.
                with_meta = false;
                warnings.push(format!("the outline, page labels and title could not be read: the reader {cause}"));
                continue;
            }
            return Err(fail(format!("damaged beyond repair: the reader {cause} while opening it")));
        };
        let count = m.page_count;
        if next > count {
            break; // every page arrived; only the goodbye was lost
        }
        if Instant::now() >= file_deadline || spawns > 2 * count + 4 {
            warnings.push(format!("{}: not read: the worker {cause}", page_span(next, count)));
            break;
        }
        let p = current.map_or(next, |(p, _)| p);
        match current {
            Some((_, engine::PDF_EXTRACT)) if !(fallback_first && p == next) => {
                warnings.push(format!("page {p}: pdf-extract {cause}; retried with pdf_oxide"));
                next = p;
                fallback_first = true;
            }
            _ => {
                let slot = &mut pages[p as usize - 1];
                match candidate.take().filter(|(cp, _)| *cp == p) {
                    Some((_, text)) => {
                        let ex = current.map_or(engine::PDF_OXIDE, |(_, e)| e);
                        warnings.push(format!("page {p}: {ex} {cause}; kept pdf-extract's text"));
                        *slot = Some(RawPage { number: p, text, label: None, extractor: engine::PDF_EXTRACT });
                    }
                    None => {
                        let ex = current.map_or("?", |(_, e)| e);
                        warnings.push(format!("page {p}: the extractor ({ex}) {cause} — page skipped"));
                        *slot = Some(RawPage { number: p, text: String::new(), label: None, extractor: engine::NONE });
                    }
                }
                next = p + 1;
                fallback_first = false;
                if next > count {
                    break;
                }
            }
        }
    }

    let meta = meta.expect("a header was read");
    Ok(finish(path, meta, pages, warnings))
}
fn kill(child: &mut Child) {
    let _ = child.kill();
}

fn fmt_secs(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s")
    }
}

/// "crashed (signal 6, stack overflow)" and the like.
fn describe_exit(status: Option<std::process::ExitStatus>, stderr: &str, mem: u64) -> String {
    use std::os::unix::process::ExitStatusExt;
    let hint = if stderr.contains("overflowed its stack") {
        Some("stack overflow".to_string())
    } else if stderr.contains("memory allocation") || stderr.contains("capacity overflow") {
        Some(format!("out of memory, cap {} MiB", mem >> 20))
    } else {
        None
    };
    match status {
        Some(s) if s.signal().is_some() => {
            let sig = s.signal().unwrap_or(0);
            match hint {
                Some(h) => format!("crashed (signal {sig}, {h})"),
                None => format!("crashed (signal {sig})"),
            }
        }
        Some(s) => match (s.code(), hint) {
            (Some(c), Some(h)) => format!("crashed (exit code {c}, {h})"),
            (Some(c), None) => format!("stopped unexpectedly (exit code {c})"),
            _ => "stopped unexpectedly".into(),
        },
        None => "stopped unexpectedly".into(),
    }
}

/// Whether a file opens as a PDF, asked of a worker process (so that no
/// file can take the caller down with it): its page count, or why not.
/// Reads no page's text; gives up after `page_timeout_seconds`.
pub fn probe(path: &Path, opts: &ExtractOptions) -> Result<u32, ExtractError> {
    let fail = |reason: String| ExtractError { path: path.to_path_buf(), reason };
    precheck(path).map_err(fail)?;
    let mut child = Command::new(&opts.worker_exe)
        .arg(WORKER_ARG)
        .arg(path)
        // Past any last page: the worker answers with the document's header, then stops.
        .arg("--from")
        .arg(u32::MAX.to_string())
        .arg("--mem")
        .arg(opts.memory_limit.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| fail(format!("the extraction worker could not be started: {e}")))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        if let Some(Ok(line)) = BufReader::new(stdout).lines().next() {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(Duration::from_secs_f64(opts.page_timeout_seconds.max(0.1)));
    let _ = child.kill();
    let status = child.wait().ok();
    match first.map(|line| serde_json::from_str::<Msg>(&line)) {
        Ok(Ok(Msg::Header { meta, .. })) => Ok(meta.page_count),
        Ok(Ok(Msg::Error { reason })) => Err(fail(reason)),
        Ok(_) => Err(fail("the PDF reader answered something unexpected".to_string())),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(fail(format!("opening it took longer than {} s", opts.page_timeout_seconds)))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(fail(match status {
            Some(s) => format!("the PDF reader stopped on it ({s})"),
            None => "the PDF reader stopped on it".to_string(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_exit_names_the_cause() {
        assert_eq!(describe_exit(None, "", 1 << 30), "stopped unexpectedly");
        use std::os::unix::process::ExitStatusExt;
        let s = std::process::ExitStatus::from_raw(6);
        assert_eq!(
            describe_exit(Some(s), "thread 'main' has overflowed its stack", 1 << 30),
            "crashed (signal 6, stack overflow)"
        );
        assert_eq!(
            describe_exit(Some(s), "memory allocation of 5 bytes failed", 1 << 30),
            "crashed (signal 6, out of memory, cap 1024 MiB)"
        );
    }
}
