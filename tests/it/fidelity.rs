//! Citation fidelity on real documents riskreg was never tuned on
//! (`../shared/fidelity/`): every phrase cited on the page it is printed on,
//! every chapter starting where it starts, every document with the pages a
//! viewer shows. Strict, as `../shared/fidelity/score` is: both `PDF p.` and
//! `p.` must be right (`p.` only where the page prints a number).

use crate::support::{shared, Workdir};
use std::collections::BTreeMap;

/// What the truth file says, and what riskreg answered, for one document.
#[derive(Default)]
struct Tally {
    pages_ok: Option<bool>,
    phrases: (u32, u32),
    chapters: (u32, u32),
}

/// Targets: page counts all right; phrases ≥ 100 of 101; chapters ≥ 95%.
#[test]
fn citations_hold_on_unseen_documents() {
    let Some(dir) = shared("fidelity") else {
        return;
    };
    let w = Workdir::empty();
    for entry in std::fs::read_dir(dir.join("pdfs")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, w.corpus().join(path.file_name().unwrap())).unwrap();
    }
    let r = w.run(&["index"]);
    assert!(r.code <= 1, "index failed\n{}\n{}", r.stdout, r.stderr);
    let docs: serde_json::Value = w.run(&["docs", "--json"]).ok().json();
    let by_file: BTreeMap<String, &serde_json::Value> = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string(), d))
        .collect();

    let truth = std::fs::read_to_string(dir.join("truth.tsv")).unwrap();
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut tocs: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let mut misses = Vec::new();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    for row in truth.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        let (file, kind, text, physical, printed) = (f[0], f[1], f[2], f[3], f[4]);
        let t = tally.entry(file.to_string()).or_default();
        let Some(doc) = by_file.get(file) else {
            misses.push(format!("{file}: not indexed"));
            continue;
        };
        let id = doc["id"].as_str().unwrap();
        let (got_pdf, got_printed) = match kind {
            "pages" => {
                let ok = doc["pages"] == physical.parse::<u64>().unwrap_or(0);
                t.pages_ok = Some(ok);
                if !ok {
                    misses.push(format!("{file}: {} pages, a viewer shows {physical}", doc["pages"]));
                }
                continue;
            }
            "phrase" => {
                let q = format!("\"{text}\"");
                let out: serde_json::Value =
                    w.run(&["search", &q, &format!("doc:{id}"), "--limit", "1", "--json"]).json();
                let c = &out["results"][0]["citation"];
                (c["pdf_page"].to_string(), c["page"].as_str().unwrap_or_default().to_string())
            }
            _ => {
                let toc = tocs.entry(id.to_string()).or_insert_with(|| {
                    let v: serde_json::Value = w.run(&["toc", id, "--json"]).ok().json();
                    v["toc"].as_array().unwrap().clone()
                });
                let want: String = norm(text).chars().take(40).collect();
                let hit = toc.iter().find(|e| {
                    let numbered =
                        norm(&format!("{} {}", e["number"].as_str().unwrap_or(""), e["title"].as_str().unwrap_or("")));
                    numbered.contains(&want) || norm(e["heading"].as_str().unwrap_or("")).contains(&want)
                });
                match hit {
                    Some(e) => (e["pdf_start"].to_string(), e["printed_start"].as_str().unwrap_or("").to_string()),
                    None => ("none".to_string(), String::new()),
                }
            }
        };
        let ok = got_pdf == physical && (printed.is_empty() || got_printed == printed);
        let slot = if kind == "phrase" { &mut t.phrases } else { &mut t.chapters };
        slot.0 += u32::from(ok);
        slot.1 += 1;
        if !ok {
            misses.push(format!(
                "{file}: {kind} '{text}': want p. {printed} (PDF p. {physical}), got p. {got_printed} (PDF p. {got_pdf})"
            ));
        }
    }

    println!("{:<55} {:>5} {:>9} {:>9}", "document", "pages", "phrases", "chapters");
    let (mut pages, mut phrases, mut chapters) = ((0, 0), (0, 0), (0, 0));
    for (file, t) in &tally {
        let p = t.pages_ok.unwrap_or(false);
        pages = (pages.0 + u32::from(p), pages.1 + 1);
        phrases = (phrases.0 + t.phrases.0, phrases.1 + t.phrases.1);
        chapters = (chapters.0 + t.chapters.0, chapters.1 + t.chapters.1);
        println!(
            "{file:<55} {:>5} {:>4}/{:<4} {:>4}/{:<4}",
            if p { "ok" } else { "WRONG" },
            t.phrases.0,
            t.phrases.1,
            t.chapters.0,
            t.chapters.1
        );
    }
    println!("page counts right: {}/{}", pages.0, pages.1);
    println!("phrases cited on the right page: {}/{} strict", phrases.0, phrases.1);
    println!("chapters with the right first page: {}/{} strict", chapters.0, chapters.1);
    for m in &misses {
        println!("miss: {m}");
    }
    assert_eq!(pages.0, pages.1, "every document has the pages a viewer shows\n{}", misses.join("\n"));
    // The damage and the disagreement are said, once, by file.
    let warnings = |file: &str| -> Vec<String> {
        let path = w.corpus().join(file);
        let v: serde_json::Value = w.run(&["inspect", path.to_str().unwrap(), "--json"]).ok().json();
        v["warnings"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
    };
    let said = |file: &str, start: &str| {
        let w = warnings(file);
        assert_eq!(w.iter().filter(|x| x.starts_with(start)).count(), 1, "{file}: {w:?}");
    };
    said("labels_contradict_roman.pdf", "/PageLabels say ii for the page that prints 2 (PDF p. 2); citing the printed");
    said("labels_contradict_offset.pdf", "/PageLabels say 6 for the page that prints 2 (PDF p. 2); citing the printed");
    said("pagetree_cycle.pdf", "repaired: the page tree lists a page or one of its own branches again");
    said("deep_dictionary.pdf", "repaired: a value nested deeper than 64 levels could not be read and became null");
    assert!(phrases.0 + 1 >= phrases.1, "phrases: {}/{}\n{}", phrases.0, phrases.1, misses.join("\n"));
    assert!(chapters.0 * 100 >= chapters.1 * 95, "chapters: {}/{}\n{}", chapters.0, chapters.1, misses.join("\n"));
}
