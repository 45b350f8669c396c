//! Issue 16: `riskreg verify` checks the citations in a draft, and `riskreg
//! refs` follows the references the documents make.

use std::collections::HashMap;

use riskreg::render::json::VerifyOut;

use crate::support::{root, sample_index};

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    cites: Vec<String>,
}

/// What `verify --json` found on each line, as "DOC KIND VALUE".
fn found_by_line(out: &VerifyOut) -> HashMap<String, Vec<String>> {
    let mut by: HashMap<String, Vec<String>> = HashMap::new();
    for c in &out.citations {
        for p in &c.pins {
            let doc = c.doc.clone().unwrap_or_else(|| "?".into());
            by.entry(c.line.clone()).or_default().push(format!("{doc} {} {}", p.kind, p.value));
        }
    }
    by
}

#[test]
fn issue_16_finding_citations_precision_and_recall_on_hand_written_drafts() {
    let w = sample_index();
    let text = std::fs::read_to_string(root().join("tests/drafts/finding.toml")).unwrap();
    let cases: Cases = toml::from_str(&text).unwrap();
    assert!(cases.case.len() >= 40, "the set must hold at least 40 passages");
    let draft = w.path().join("finding.txt");
    std::fs::write(&draft, cases.case.iter().map(|c| format!("{}\n", c.text)).collect::<String>()).unwrap();
    let r = w.run(&["verify", draft.to_str().unwrap(), "--json"]);
    assert!(r.code == 0 || r.code == 1, "{r:?}");
    let out: VerifyOut = r.json();
    let found = found_by_line(&out);
    let (mut tp, mut found_n, mut expected_n) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for (i, case) in cases.case.iter().enumerate() {
        let got = found.get(&(i + 1).to_string()).cloned().unwrap_or_default();
        let mut left = got.clone();
        for want in &case.cites {
            match left.iter().position(|g| g == want) {
                Some(k) => {
                    left.remove(k);
                    tp += 1;
                }
                None => misses.push(format!("line {}: missed {want:?} in {:?}", i + 1, case.text)),
            }
        }
        for extra in left {
            misses.push(format!("line {}: found {extra:?} not in {:?}", i + 1, case.text));
        }
        found_n += got.len();
        expected_n += case.cites.len();
    }
    let precision = tp as f64 / found_n as f64;
    let recall = tp as f64 / expected_n as f64;
    eprintln!(
        "citation finding on {} passages: {tp} right of {found_n} found, {expected_n} expected: precision {precision:.3}, recall {recall:.3}",
        cases.case.len()
    );
    for m in &misses {
        eprintln!("  {m}");
    }
    assert!(precision >= 0.95 && recall >= 0.95, "precision {precision:.3}, recall {recall:.3}\n{}", misses.join("\n"));
}
