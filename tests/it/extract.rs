//! Extraction (PDF → pages) against real and hostile PDFs, measured against
//! poppler's reference text. Prints a per-file table (run with --nocapture).

use crate::support::{make_pdf, shared};
use riskreg::extract::{extract_document, ExtractOptions, RawDocument};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn opts() -> ExtractOptions {
    ExtractOptions::with_worker(env!("CARGO_BIN_EXE_riskreg"))
}

fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    v.sort();
    v
}

/// Lower-cased alphanumeric runs, after NFKC (as clean text will do: "ﬁ" →
/// "fi"), on both our text and the reference.
fn tokens(s: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.nfkc() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// "violence9" → "violence", "9": a footnote marker glued to a word.
fn split_footnotes(toks: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        let digits = t.chars().rev().take_while(|c| c.is_ascii_digit()).count();
        let letters = t.chars().count() - digits;
        if (1..=3).contains(&digits) && letters >= 3 && t.chars().take(letters).all(|c| c.is_alphabetic()) {
            let cut = t.char_indices().nth(letters).unwrap().0;
            out.push(t[..cut].to_string());
            out.push(t[cut..].to_string());
        } else {
            out.push(t);
        }
    }
    out
}

fn bag(t: &[String]) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for x in t {
        *m.entry(x.as_str()).or_insert(0) += 1;
    }
    m
}

/// (recall, ref tokens, our tokens, glued tokens) for one page.
fn page_score(ours: &[String], reference: &[String]) -> (f64, usize, usize, usize) {
    let r = bag(reference);
    let o = bag(ours);
    let hit: usize = r.iter().map(|(k, n)| (*n).min(*o.get(k).unwrap_or(&0))).sum();
    let recall = if reference.is_empty() { 1.0 } else { hit as f64 / reference.len() as f64 };
    let pairs: HashSet<String> = reference.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect();
    let glued = ours.iter().filter(|t| !r.contains_key(t.as_str()) && pairs.contains(t.as_str())).count();
    (recall, reference.len(), ours.len(), glued)
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

struct FileScore {
    name: String,
    pages: u32,
    ref_pages: Option<usize>,
    secs: f64,
    median_recall: f64,
    min_recall: f64,
    glued_raw: usize,
    glued_split: usize,
    tokens: usize,
    median_recall_split: f64,
    fallback_pages: usize,
    none_pages: usize,
}

fn score(doc: &RawDocument, reference: Option<&str>, secs: f64, name: &str) -> FileScore {
    let ref_pages: Option<Vec<&str>> = reference.map(|r| {
        let mut parts: Vec<&str> = r.split('\x0c').collect();
        if parts.last() == Some(&"") {
            parts.pop();
        }
        parts
    });
    let mut recalls = Vec::new();
    let mut recalls_split = Vec::new();
    let (mut glued_raw, mut glued_split, mut total) = (0, 0, 0);
    if let Some(rp) = &ref_pages {
        for (i, page) in doc.pages.iter().enumerate() {
            let Some(rtext) = rp.get(i) else { continue };
            let rt = tokens(rtext);
            if rt.is_empty() {
                continue;
            }
            let ot = tokens(&page.text);
            let (rec, _, n, g) = page_score(&ot, &rt);
            let (rec_s, _, _, g_s) = page_score(&split_footnotes(ot), &split_footnotes(rt));
            recalls.push(rec);
            recalls_split.push(rec_s);
            glued_raw += g;
            glued_split += g_s;
            total += n;
        }
    }
    let min_recall = recalls.iter().cloned().fold(f64::NAN, f64::min);
    FileScore {
        name: name.to_string(),
        pages: doc.page_count,
        ref_pages: ref_pages.map(|p| p.len()),
        secs,
        median_recall: median(&mut recalls),
        min_recall,
        glued_raw,
        glued_split,
        tokens: total,
        median_recall_split: median(&mut recalls_split),
        fallback_pages: doc.pages.iter().filter(|p| p.extractor == "pdf_oxide").count(),
        none_pages: doc.pages.iter().filter(|p| p.extractor == "none").count(),
    }
}

#[test]
fn real_pdfs_meet_targets() {
    let Some(dir) = shared("real-pdfs") else {
        return;
    };
    let o = opts();
    let files = pdfs_in(&dir);
    // Two files at a time, as ingest does on this 2-core machine.
    let started = Instant::now();
    let results: Vec<(PathBuf, Result<RawDocument, String>, f64)> = {
        let queue = std::sync::Mutex::new(files.iter().enumerate().collect::<Vec<_>>());
        let out = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| loop {
                    let Some((i, f)) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let t = Instant::now();
                    let r = extract_document(f, &o).map_err(|e| e.to_string());
                    out.lock().unwrap().push((i, f.clone(), r, t.elapsed().as_secs_f64()));
                });
            }
        });
        let mut v = out.into_inner().unwrap();
        v.sort_by_key(|x| x.0);
        v.into_iter().map(|(_, f, r, t)| (f, r, t)).collect()
    };
    let wall = started.elapsed().as_secs_f64();

    let mut scores = Vec::new();
    let mut total_pages = 0u32;
    let mut failures = Vec::new();
    println!(
        "{:<55} {:>5} {:>5} {:>7} {:>7} {:>7} {:>7} {:>6} {:>6} {:>4} {:>4}",
        "file", "pages", "ref", "pg/s", "medrec", "minrec", "medrecS", "glued%", "gluS%", "oxi", "none"
    );
    for (path, r, secs) in &results {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let stem = name.trim_end_matches(".pdf");
        let reference = std::fs::read_to_string(dir.join("reference").join(format!("{stem}.txt"))).ok();
        match r {
            Err(e) => {
                assert!(e.contains(&name), "error does not name the file: {e}");
                println!("{name:<55} ERROR {e}");
                failures.push(name.clone());
            }
            Ok(doc) => {
                assert_eq!(doc.pages.len() as u32, doc.page_count, "{name}");
                total_pages += doc.page_count;
                let s = score(doc, reference.as_deref(), *secs, &name);
                println!(
                    "{:<55} {:>5} {:>5} {:>7.0} {:>7.4} {:>7.4} {:>7.4} {:>6.3} {:>6.3} {:>4} {:>4}",
                    s.name,
                    s.pages,
                    s.ref_pages.map_or("-".into(), |n| n.to_string()),
                    s.pages as f64 / s.secs,
                    s.median_recall,
                    s.min_recall,
                    s.median_recall_split,
                    100.0 * s.glued_raw as f64 / s.tokens.max(1) as f64,
                    100.0 * s.glued_split as f64 / s.tokens.max(1) as f64,
                    s.fallback_pages,
                    s.none_pages,
                );
                for w in &doc.warnings {
                    println!("    warning: {w}");
                }
                scores.push(s);
            }
        }
    }
    let tokens: usize = scores.iter().map(|s| s.tokens).sum();
    let glued_raw: usize = scores.iter().map(|s| s.glued_raw).sum();
    let glued_split: usize = scores.iter().map(|s| s.glued_split).sum();
    let mut per_file: Vec<f64> = scores.iter().filter(|s| !s.median_recall.is_nan()).map(|s| s.median_recall).collect();
    let corpus_median = median(&mut per_file);
    println!(
        "total: {total_pages} pages in {wall:.1} s = {:.0} pages/s (2 files at a time); median of per-file median recall {corpus_median:.4}; glued {:.3}% raw, {:.3}% with footnote markers split; failed: {failures:?}",
        total_pages as f64 / wall,
        100.0 * glued_raw as f64 / tokens.max(1) as f64,
        100.0 * glued_split as f64 / tokens.max(1) as f64,
    );

    // Targets, for files the reference reads. Known gaps, each with its reason
    // (see the closing note of issue 3); they must still be read, not fail.
    const KNOWN_GAPS: &[(&str, &str)] = &[
        (
            "kampo.pdf",
            "vertical Japanese: pdftotext prints a character per line, so word tokens cannot match (character recall is 0.95)",
        ),
        (
            "Cabinet_Office_-_Wikipedia.corrupt.pdf",
            "deliberately corrupted; the reference itself holds only a few garbled words per page",
        ),
    ];
    for s in &scores {
        if let Some(rp) = s.ref_pages {
            if s.median_recall.is_nan() {
                continue; // the reference holds no text for this file
            }
            assert_eq!(s.pages as usize, rp, "{}: page count differs from the reference", s.name);
            if let Some((_, why)) = KNOWN_GAPS.iter().find(|(n, _)| *n == s.name) {
                println!("known gap: {}: median recall {:.3}: {why}", s.name, s.median_recall);
                continue;
            }
            assert!(s.median_recall >= 0.90, "{}: median recall {:.3} below 0.90", s.name, s.median_recall);
        }
    }
    assert!(corpus_median >= 0.995, "median recall {corpus_median:.4} below 0.995");
    assert!(
        (glued_split as f64) < 0.002 * tokens as f64,
        "glued words {glued_split} of {tokens} tokens (footnote markers split)"
    );
}

fn children_max_rss_bytes() -> u64 {
    // SAFETY: getrusage fills the struct it is given.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru);
        ru.ru_maxrss as u64 * 1024
    }
}

#[test]
fn hostile_pdfs_are_survived() {
    let Some(dir) = shared("hostile-pdfs") else {
        return;
    };
    let o = opts();
    for path in pdfs_in(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let t = Instant::now();
        let r = extract_document(&path, &o);
        let secs = t.elapsed().as_secs_f64();
        match &r {
            Ok(doc) => {
                println!("{name}: read {} pages in {secs:.1} s", doc.page_count);
                for p in &doc.pages {
                    println!("    page {} ({}): {} chars", p.number, p.extractor, p.text.len());
                }
                for w in &doc.warnings {
                    println!("    warning: {w}");
                }
                assert_eq!(doc.pages.len() as u32, doc.page_count);
                let limit = o.base_seconds + o.seconds_per_page * doc.page_count as f64 + 5.0;
                assert!(secs < limit, "{name}: {secs:.1} s over its limit {limit:.0} s");
            }
            Err(e) => {
                println!("{name}: {e} ({secs:.1} s)");
                assert!(e.to_string().contains(&name));
                assert!(secs < o.base_seconds + 5.0, "{name}: {secs:.1} s");
            }
        }
        if name.starts_with("adv_") {
            let doc = r.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
            let p2 = &doc.pages[1];
            assert!(p2.text.split_whitespace().count() >= 5, "{name}: second page not read: {:?}", p2.text);
        }
        match name.as_str() {
            "bad_empty.pdf" => assert_eq!(r.unwrap_err().reason, "empty file"),
            "bad_garbage.pdf" => assert!(r.unwrap_err().reason.starts_with("not a PDF")),
            "bad_nomediabox.pdf" | "bad_xref_shift.pdf" => {
                let doc = r.unwrap();
                assert!(doc.pages.iter().any(|p| p.text.split_whitespace().count() >= 5), "{name}");
            }
            _ => {}
        }
    }
    let rss = children_max_rss_bytes();
    println!("peak RSS of any worker: {} MiB", rss >> 20);
    assert!(rss < 1 << 30, "a worker used {} MiB", rss >> 20);
}

#[test]
fn truncated_stream_keywords_are_repaired() {
    let Some(dir) = shared("real-pdfs") else {
        return;
    };
    // Every stream in this file ends with `endstrea`; its cross-reference table is broken too.
    let doc = extract_document(&dir.join("issue-146-broken-xref-and-streams.pdf"), &opts()).unwrap();
    assert_eq!(doc.page_count, 7);
    assert!(
        doc.warnings.iter().any(|w| w.contains("35 streams ended with a truncated `endstrea` keyword")),
        "{:?}",
        doc.warnings
    );
    assert!(doc.pages[0].text.contains("Landsat8 卫星遥感数据预处理方法"), "{:?}", doc.pages[0].text);
    assert!(doc.pages.iter().all(|p| p.text.chars().filter(|c| c.is_alphanumeric()).count() > 200));
}

#[test]
fn encrypted_with_empty_password_are_read() {
    let Some(dir) = shared("real-pdfs") else {
        return;
    };
    for name in ["kampo.pdf", "encryption_nocopy.pdf"] {
        let doc = extract_document(&dir.join(name), &opts()).unwrap();
        assert_eq!(doc.page_count, 1);
        assert!(
            doc.pages[0].text.chars().filter(|c| c.is_alphanumeric()).count() > 50,
            "{name}: {:?}",
            doc.pages[0].text
        );
    }
}

#[test]
fn page_labels_from_real_files() {
    let Some(dir) = shared("real-pdfs") else {
        return;
    };
    let labels = |name: &str| -> Vec<Option<String>> {
        let doc = extract_document(&dir.join(name), &opts()).unwrap();
        doc.pages.iter().map(|p| p.label.clone()).collect()
    };
    let l = labels("pagelabels.pdf");
    assert_eq!(l, ["iii", "iv", "1", "2", "1"].map(|s| Some(s.to_string())));
    let l = labels("govdocs1-050734-USDA-pp67-90.pdf");
    assert_eq!(l.first().cloned().flatten().as_deref(), Some("71"));
    assert_eq!(l.last().cloned().flatten().as_deref(), Some("92"));
    let l = labels("GeoTopo-komprimiert.pdf");
    assert_eq!(l[..3], ["i", "ii", "iii"].map(|s| Some(s.to_string())));
    assert_eq!(l.last().cloned().flatten().as_deref(), Some("114"));
    // Malformed /PageLabels still give the one page a label, not an error
    // (pinned, so that a change in how they are read is noticed).
    let l = labels("bad-PageLabels.pdf");
    assert_eq!(l, [Some("X3".to_string())]);
    let l = labels("multicolumn.pdf");
    assert_eq!(l, vec![None, None, None]);
}

#[test]
fn outline_and_title_from_real_files() {
    let Some(dir) = shared("real-pdfs") else {
        return;
    };
    let doc = extract_document(&dir.join("adoption_statutory_guidance_2013.pdf"), &opts()).unwrap();
    println!("title {:?}; {} outline entries; first {:?}", doc.title, doc.outline.len(), doc.outline.first());
    assert!(doc.outline.len() >= 300, "{}", doc.outline.len());
    assert!(doc.outline.iter().all(|e| e.page >= 1 && e.page <= doc.page_count && e.level >= 1));
    assert_eq!(doc.outline[0].level, 1);
    // document order: top-level entries' pages never go backwards
    let top: Vec<u32> = doc.outline.iter().filter(|e| e.level == 1).map(|e| e.page).collect();
    assert!(top.windows(2).all(|w| w[0] <= w[1]), "{top:?}");
    let doc = extract_document(&dir.join("CA1989_Transitions_Guidance.pdf"), &opts()).unwrap();
    assert!(doc.outline.iter().any(|e| e.level >= 2));
    let doc = extract_document(&dir.join("i1040nr.pdf"), &opts()).unwrap();
    assert!(doc.outline.is_empty());
}

#[test]
fn damaged_copies_give_clean_errors_or_text() {
    let text = "1. Scope\n1.1 A page of ordinary guidance text that damage may garble.\n1.2 And a second paragraph.";
    let bytes = make_pdf("Damaged", &[text, text, text]);
    let tmp = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for frac in [1, 10, 33, 50, 90, 99] {
        cases.push((format!("trunc{frac}.pdf"), bytes[..bytes.len() * frac / 100].to_vec()));
    }
    let mut seed = 0x2545F4914F6CDD1Du64;
    for k in 0..6 {
        let mut b = bytes.clone();
        for _ in 0..(20 * (k + 1)) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let i = (seed as usize) % b.len();
            b[i] ^= (seed >> 32) as u8 | 1;
        }
        cases.push((format!("flip{k}.pdf"), b));
    }
    let o = opts();
    for (name, b) in cases {
        let p = tmp.path().join(&name);
        std::fs::write(&p, &b).unwrap();
        let t = Instant::now();
        match extract_document(&p, &o) {
            Ok(doc) => {
                assert_eq!(doc.pages.len() as u32, doc.page_count);
                println!("{name}: {} pages, {} warnings", doc.page_count, doc.warnings.len());
            }
            Err(e) => {
                assert!(!e.reason.is_empty() && !e.reason.contains('\n'));
                println!("{name}: {}", e.reason);
            }
        }
        assert!(t.elapsed().as_secs_f64() < 60.0, "{name}");
    }
}

/// Compares the three extractors on the real set: recall, glued words and
/// time per extractor. `cargo test --test it extract::compare -- --ignored --nocapture`
/// (EXTRACT_ONLY=name.pdf to look at one file's pages).
/// Ignored in CI on purpose: it is a measurement that prints figures (it runs
/// every extractor in-process on every real file, minutes), not a check; the
/// checks on the same files are the other tests in this module.
#[test]
#[ignore]
fn compare_extractors() {
    let Some(dir) = shared("real-pdfs") else {
        return;
    };
    let only = std::env::var("EXTRACT_ONLY").ok();
    for path in pdfs_in(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        let stem = name.trim_end_matches(".pdf");
        let reference = std::fs::read_to_string(dir.join("reference").join(format!("{stem}.txt"))).unwrap_or_default();
        let rp: Vec<&str> = reference.split('\x0c').collect();
        for ex in ["pdf-extract", "pdf_oxide", "lopdf"] {
            let t = Instant::now();
            let Ok(pages) = riskreg::extract::extract_pages_with(&path, ex) else {
                println!("{name:<55} {ex:<12} cannot open");
                continue;
            };
            let secs = t.elapsed().as_secs_f64();
            let (mut recalls, mut glued, mut total, mut errors) = (Vec::new(), 0, 0, 0);
            for (i, p) in pages.iter().enumerate() {
                let text = p.as_deref().unwrap_or_else(|_| {
                    errors += 1;
                    ""
                });
                if only.is_some() {
                    println!("--- {ex} page {} ---\n{}", i + 1, text.chars().take(1500).collect::<String>());
                }
                let rt = tokens(rp.get(i).unwrap_or(&""));
                if rt.is_empty() {
                    continue;
                }
                let ot = split_footnotes(tokens(text));
                let (r, _, n, g) = page_score(&ot, &split_footnotes(rt));
                recalls.push(r);
                glued += g;
                total += n;
            }
            println!(
                "{name:<55} {ex:<12} {:>4} pages {:>6.0} pg/s recall {:.4} glued {:.3}% errors {errors}",
                pages.len(),
                pages.len() as f64 / secs,
                median(&mut recalls),
                100.0 * glued as f64 / total.max(1) as f64
            );
        }
    }
}

#[test]
fn time_limits_cut_a_slow_page_and_a_slow_file() {
    let Some(dir) = shared("hostile-pdfs") else {
        return;
    };
    let file = dir.join("adv_many_ops.pdf");
    // One page over its limit: killed, skipped, the next page read.
    let mut o = opts();
    o.page_timeout_seconds = 0.5;
    let t = Instant::now();
    let doc = extract_document(&file, &o).unwrap();
    println!("{:?} in {:.1} s", doc.warnings, t.elapsed().as_secs_f64());
    assert_eq!(doc.pages.len(), 2);
    assert_eq!(doc.pages[0].extractor, "none");
    assert!(
        doc.warnings.iter().any(|w| w.starts_with("page 1:") && w.contains("took longer than")),
        "{:?}",
        doc.warnings
    );
    assert!(doc.pages[1].text.contains("second page"));
    assert!(t.elapsed().as_secs_f64() < 5.0);
    // The whole file over its limit: the rest is reported, not silently lost.
    let mut o = opts();
    o.base_seconds = 0.5;
    o.seconds_per_page = 0.0;
    let doc = extract_document(&file, &o).unwrap();
    println!("{:?}", doc.warnings);
    assert_eq!(doc.pages.len(), 2);
    assert!(doc.warnings.iter().any(|w| w.contains("time allowed for the file")), "{:?}", doc.warnings);
}

#[test]
fn missing_file_is_named() {
    let e = extract_document(Path::new("/nonexistent/riskreg-test.pdf"), &opts()).unwrap_err();
    assert!(e.reason.starts_with("cannot be read"), "{}", e.reason);
    assert!(e.to_string().contains("riskreg-test.pdf"));
}

#[test]
fn encrypted_with_a_user_password_is_reported() {
    use lopdf::{Document, EncryptionState, EncryptionVersion, Object, Permissions, StringFormat};
    let mut doc = Document::load_mem(&make_pdf("Locked", &["1. Secret\n1.1 Text behind a password."])).unwrap();
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(vec![1u8; 16], StringFormat::Literal),
            Object::String(vec![2u8; 16], StringFormat::Literal),
        ]),
    );
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "secret",
        key_length: 128,
        permissions: Permissions::all(),
    };
    let state = EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("locked.pdf");
    doc.save(&path).unwrap();
    let e = extract_document(&path, &opts()).unwrap_err();
    assert_eq!(e.reason, "encrypted (a password is required)");
}
