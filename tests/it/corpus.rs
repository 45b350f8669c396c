//! Manifest and sample-corpus tests.
//!
//! The sample PDFs are read back with lopdf, independently of krilla, and
//! checked against the layout contract; the generator is re-run in memory and
//! must reproduce the committed files byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lopdf::{Document, Object, ObjectId};
use riskreg::corpus::{Manifest, ALLOWED_FIELDS};

#[path = "../../examples/make_sample_corpus/mod.rs"]
pub(crate) mod gen;

const SAMPLE_MARK: &str = "Sample — not the regulator's text";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn load(id: &str) -> Document {
    let path = corpus_dir().join("sample").join(format!("{id}.pdf"));
    Document::load(&path).unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
}

// ---------------------------------------------------------------- helpers

/// Decode a PDF text string: UTF-16BE with BOM, else PDFDocEncoding (ASCII here).
fn text_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).map(|(_, o)| o).unwrap_or(obj)
}

/// Physical page number (1-based) of each page object.
fn page_numbers(doc: &Document) -> BTreeMap<ObjectId, u32> {
    doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect()
}

/// Outline entries in reading order: (level, title, physical page).
fn outline(doc: &Document) -> Option<Vec<(u32, String, u32)>> {
    let catalog = doc.catalog().unwrap();
    let root = deref(doc, catalog.get(b"Outlines").ok()?).as_dict().unwrap();
    let pages = page_numbers(doc);
    let mut out = Vec::new();
    fn walk(
        doc: &Document,
        pages: &BTreeMap<ObjectId, u32>,
        first: Option<&Object>,
        level: u32,
        out: &mut Vec<(u32, String, u32)>,
    ) {
        let mut cur = first.map(|o| deref(doc, o));
        while let Some(Object::Dictionary(item)) = cur {
            let title = text_string(deref(doc, item.get(b"Title").unwrap()).as_str().unwrap());
            let dest = deref(doc, item.get(b"Dest").expect("outline item without /Dest"));
            let page_ref = dest.as_array().unwrap()[0].as_reference().unwrap();
            out.push((level, title, pages[&page_ref]));
            walk(doc, pages, item.get(b"First").ok(), level + 1, out);
            cur = item.get(b"Next").ok().map(|o| deref(doc, o));
        }
    }
    walk(doc, &pages, root.get(b"First").ok(), 1, &mut out);
    Some(out)
}

fn roman(n: u32, upper: bool) -> String {
    let s = riskreg::roman::to_roman(n);
    if upper {
        s.to_uppercase()
    } else {
        s
    }
}

/// Page labels from the /PageLabels number tree, one per physical page;
/// None when the document has no /PageLabels.
fn page_labels(doc: &Document) -> Option<Vec<String>> {
    let catalog = doc.catalog().unwrap();
    let tree = deref(doc, catalog.get(b"PageLabels").ok()?).as_dict().unwrap();
    // Collect (start index, label dict) from /Nums, following /Kids.
    fn collect(doc: &Document, node: &lopdf::Dictionary, out: &mut Vec<(i64, lopdf::Dictionary)>) {
        if let Ok(nums) = node.get(b"Nums") {
            let nums = deref(doc, nums).as_array().unwrap();
            for pair in nums.chunks(2) {
                let start = pair[0].as_i64().unwrap();
                let dict = deref(doc, &pair[1]).as_dict().unwrap().clone();
                out.push((start, dict));
            }
        }
        if let Ok(kids) = node.get(b"Kids") {
            for kid in deref(doc, kids).as_array().unwrap() {
                collect(doc, deref(doc, kid).as_dict().unwrap(), out);
            }
        }
    }
    let mut ranges = Vec::new();
    collect(doc, tree, &mut ranges);
    ranges.sort_by_key(|(s, _)| *s);
    let n = doc.get_pages().len() as i64;
    let mut labels = Vec::new();
    for i in 0..n {
        let (start, dict) = ranges.iter().rev().find(|(s, _)| *s <= i).expect("no label range");
        let st = dict.get(b"St").ok().and_then(|o| o.as_i64().ok()).unwrap_or(1);
        let prefix = dict.get(b"P").ok().map(|p| text_string(deref(doc, p).as_str().unwrap())).unwrap_or_default();
        let value = (st + i - start) as u32;
        let num = match dict.get(b"S").ok().map(|s| s.as_name().unwrap()) {
            Some(b"D") => value.to_string(),
            Some(b"r") => roman(value, false),
            Some(b"R") => roman(value, true),
            None => String::new(),
            Some(other) => panic!("label style {:?} not expected", String::from_utf8_lossy(other)),
        };
        labels.push(prefix + &num);
    }
    Some(labels)
}

fn info_title(doc: &Document) -> String {
    let info = deref(doc, doc.trailer.get(b"Info").expect("no /Info")).as_dict().unwrap();
    text_string(deref(doc, info.get(b"Title").unwrap()).as_str().unwrap())
}

/// Text lines of one physical page (1-based), via lopdf's ToUnicode-aware extractor.
fn page_lines(doc: &Document, page: u32) -> Vec<String> {
    doc.extract_text(&[page]).unwrap().lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// The printed page number of every page, read from its footer (last line).
fn footer_labels(doc: &Document) -> Vec<String> {
    let n = doc.get_pages().len() as u32;
    (1..=n)
        .map(|p| if p == 1 { "i".to_string() } else { page_lines(doc, p).last().cloned().unwrap_or_default() })
        .collect()
}

/// Start and end printed page of an outline entry (end = the page before
/// the next entry in reading order).
fn outline_range(entries: &[(u32, String, u32)], labels: &[String], title: &str) -> (String, String) {
    let i = entries.iter().position(|(_, t, _)| t == title).unwrap_or_else(|| panic!("no outline entry {title:?}"));
    let start = &labels[entries[i].2 as usize - 1];
    let next_page = entries[i + 1].2;
    let end = &labels[next_page as usize - 2];
    (start.clone(), end.clone())
}

// ------------------------------------------------------------ expectations

struct Expect {
    id: &'static str,
    pages: usize,
    front: u32,
    labels: bool,
    outline: bool,
    ranges: &'static [(&'static str, &'static str, &'static str)],
}

const EXPECT: &[Expect] = &[
    Expect {
        id: "ror",
        pages: 324,
        front: 8,
        labels: true,
        outline: true,
        ranges: &[("8. Sexual exploitation of adults", "196", "206"), ("9. Human trafficking", "207", "224")],
    },
    Expect {
        id: "icjg",
        pages: 455,
        front: 6,
        labels: true,
        outline: true,
        ranges: &[
            ("9. Sexual exploitation of adults", "151", "157"),
            ("10. Unlawful immigration", "158", "165"),
            ("11. Human trafficking", "166", "168"),
            ("A10. Sexual exploitation of adults", "401", "404"),
            ("A11. Unlawful immigration", "405", "414"),
            ("A12. Human trafficking", "415", "420"),
        ],
    },
    Expect {
        id: "vol3",
        pages: 83,
        front: 4,
        labels: true,
        outline: true,
        ranges: &[
            ("Sexual exploitation of adults", "53", "56"),
            ("Extreme pornography", "57", "60"),
            ("Unlawful immigration and human trafficking", "61", "64"),
        ],
    },
    Expect { id: "cop-u2u", pages: 53, front: 5, labels: true, outline: true, ranges: &[] },
    Expect { id: "rag", pages: 49, front: 6, labels: false, outline: false, ranges: &[] },
];

fn expected_label(front: u32, physical: u32) -> String {
    if physical <= front {
        roman(physical, false)
    } else {
        (physical - front).to_string()
    }
}

// ------------------------------------------------------------------ tests

#[test]
fn sample_pdfs_match_layout_contract() {
    for e in EXPECT {
        let doc = load(e.id);
        let n = doc.get_pages().len();
        assert_eq!(n, e.pages, "{}: page count", e.id);

        // Metadata and cover say it is a sample.
        let title = info_title(&doc);
        assert!(title.ends_with(&format!("({SAMPLE_MARK})")), "{}: Info Title {title:?}", e.id);
        let cover = page_lines(&doc, 1).join("\n");
        assert!(cover.contains(SAMPLE_MARK), "{}: cover text:\n{cover}", e.id);

        // Page labels: present and correct, or absent.
        let labels = page_labels(&doc);
        let expected: Vec<String> = (1..=n as u32).map(|p| expected_label(e.front, p)).collect();
        if e.labels {
            assert_eq!(labels.as_ref(), Some(&expected), "{}: /PageLabels", e.id);
        } else {
            assert!(labels.is_none(), "{}: must have no /PageLabels", e.id);
        }

        // Footers carry the printed page number on every page but the cover.
        assert_eq!(footer_labels(&doc), expected, "{}: footers", e.id);

        // Running header on every page but the cover.
        for p in [2, n as u32 / 2, n as u32] {
            let first = page_lines(&doc, p).first().cloned().unwrap_or_default();
            assert!(first.ends_with(" — Sample, not the regulator's text"), "{} p.{p}: header {first:?}", e.id);
        }

        // Outline present (chapters, one level except vol3) or absent.
        let entries = outline(&doc);
        if !e.outline {
            assert!(entries.is_none(), "{}: must have no outline", e.id);
            continue;
        }
        let entries = entries.expect("outline");
        assert!(entries.len() > 5, "{}: outline too short", e.id);
        let max_level = entries.iter().map(|(l, _, _)| *l).max().unwrap();
        assert_eq!(max_level, if e.id == "vol3" { 2 } else { 1 }, "{}: outline depth", e.id);
        // Every outline entry matches a bold heading line on its page.
        for (_, t, p) in &entries {
            assert!(page_lines(&doc, *p).iter().any(|l| l == t), "{}: heading {t:?} not on page {p}", e.id);
        }
        for (title, start, end) in e.ranges {
            let got = outline_range(&entries, &expected, title);
            assert_eq!(got, (start.to_string(), end.to_string()), "{}: range of {title:?}", e.id);
        }
    }
}

#[test]
fn ror_outline_is_the_seventeen_harms_in_order() {
    let doc = load("ror");
    let entries = outline(&doc).unwrap();
    let titles: Vec<&str> = entries.iter().map(|(_, t, _)| t.as_str()).collect();
    let harms = [
        "1. Terrorism",
        "2. Child sexual exploitation and abuse (CSEA)",
        "3. Hate",
        "4. Harassment, stalking, threats and abuse",
        "5. Controlling or coercive behaviour",
        "6. Intimate image abuse",
        "7. Extreme pornography",
        "8. Sexual exploitation of adults",
        "9. Human trafficking",
        "10. Unlawful immigration",
        "11. Fraud and financial services offences",
        "12. Proceeds of crime",
        "13. Drugs and psychoactive substances",
        "14. Firearms, knives and other weapons",
        "15. Encouraging or assisting suicide",
        "16. Foreign interference",
        "17. Animal cruelty",
    ];
    let body: Vec<&str> = titles.iter().copied().filter(|t| t.contains(". ")).take(17).collect();
    assert_eq!(body, harms);
    // Printed 209 is physical 217 (eight front-matter pages).
    assert_eq!(page_labels(&doc).unwrap()[216], "209");
}

#[test]
fn anchors_for_tests_hold() {
    // ror 9.14 on printed 209 = PDF page 217, with the unique phrase.
    let ror = load("ror");
    let text = page_lines(&ror, 217).join(" ");
    assert!(text.contains("9.14"), "ror p.217: {text}");
    let i = text.find("9.14").unwrap();
    assert!(text[i..].contains("advertisements for overseas modelling work"), "ror p.217: {text}");
    // icjg A12.3 on printed 415 (PDF 421).
    let icjg = load("icjg");
    assert_eq!(page_labels(&icjg).unwrap()[420], "415");
    assert!(page_lines(&icjg, 421).iter().any(|l| l.starts_with("A12.3")));
    // vol3: "human trafficking" inside its section.
    let vol3 = load("vol3");
    let labels = page_labels(&vol3).unwrap();
    let p61 = labels.iter().position(|l| l == "61").unwrap() as u32 + 1;
    assert!(page_lines(&vol3, p61).join(" ").contains("human trafficking"));
    // rag: the method chapter heading exists as its own line, with no outline.
    let rag = load("rag");
    let n = rag.get_pages().len() as u32;
    let found = (1..=n).any(|p| page_lines(&rag, p).iter().any(|l| l == "2. The four-step risk assessment method"));
    assert!(found, "rag: no chapter 2 heading line");

    // rag: paragraph 2.19 (first assessment for a new service) is hand-written.
    let rag_built = gen::build("rag");
    let p219 = rag_built.laid.paras["2.19"] as u32 + 1;
    let text = page_lines(&rag, p219).join(" ");
    let i = text.find("2.19").expect("2.19 on its page");
    assert!(text[i..].contains("A new service must complete its first assessment"), "rag p.{p219}: {text}");

    // The generator's own record agrees.
    let b = gen::build("ror");
    assert_eq!(b.laid.paras["9.14"], 216);
    assert!(!b.laid.midpage.is_empty());
    assert!(b.laid.hyphens.iter().any(|(n, _)| n.starts_with("9.")));
}

#[test]
fn unique_anchor_phrase_appears_once() {
    let mut hits = 0;
    for (id, _) in gen::DOCS {
        let doc = load(id);
        let n = doc.get_pages().len() as u32;
        for p in 1..=n {
            hits += page_lines(&doc, p).join(" ").matches("advertisements for overseas modelling work").count();
        }
    }
    assert_eq!(hits, 1);
}

#[test]
fn generator_reproduces_committed_pdfs() {
    for (id, _) in gen::DOCS {
        let built = gen::build(id);
        let committed = std::fs::read(corpus_dir().join("sample").join(format!("{id}.pdf"))).unwrap();
        if built.pdf != committed {
            let why = if same_after_inflating(&built.pdf, &committed) {
                "only the deflate-compressed bytes differ (the flate2 backend chosen by the \
                 dependency graph changed)"
            } else {
                "the content differs"
            };
            panic!("{id}.pdf differs from the generator's output: {why}; run `just sample-corpus`");
        }
    }
    // And build_all writes the same bytes to a directory.
    let tmp = tempfile::tempdir().unwrap();
    let written = gen::build_all(tmp.path()).unwrap();
    assert_eq!(written.len(), gen::DOCS.len());
    let a = std::fs::read(tmp.path().join("rag.pdf")).unwrap();
    let b = std::fs::read(corpus_dir().join("sample/rag.pdf")).unwrap();
    assert!(a == b);
}

/// True when two PDFs have the same objects once every stream is inflated.
fn same_after_inflating(a: &[u8], b: &[u8]) -> bool {
    let (Ok(a), Ok(b)) = (Document::load_mem(a), Document::load_mem(b)) else {
        return false;
    };
    if a.objects.len() != b.objects.len() {
        return false;
    }
    // The XMP packet's InstanceID is a hash of the file bytes, so it is skipped.
    let norm = |o: &Object| -> Object {
        match o {
            Object::Stream(st) if st.dict.has_type(b"Metadata") => Object::Null,
            Object::Stream(st) => {
                let mut dict = st.dict.clone();
                dict.remove(b"Length");
                dict.remove(b"Filter");
                let content = st.decompressed_content().unwrap_or_else(|_| st.content.clone());
                Object::Stream(lopdf::Stream::new(dict, content))
            }
            other => other.clone(),
        }
    };
    a.objects.iter().all(|(id, oa)| b.objects.get(id).is_some_and(|ob| norm(oa) == norm(ob)))
}

// --------------------------------------------------------------- manifest

#[test]
fn manifest_lists_official_sources_and_samples() {
    let m = Manifest::load(&corpus_dir()).unwrap();
    for id in [
        "overview",
        "summary",
        "vol1",
        "vol2",
        "vol3",
        "ror",
        "ror-2026",
        "rag",
        "rag-2026",
        "icjg",
        "icjg-2026",
        "rkrg",
        "rkrg-2026",
        "enf",
        "pubpriv",
        "scope",
        "cop-u2u",
        "cop-u2u-2026",
        "cop-search",
    ] {
        let e = m.get(id).unwrap_or_else(|| panic!("manifest lacks {id}"));
        assert_eq!(e.publisher, "Ofcom");
        assert!(e.url.starts_with("https://"), "{id}");
        assert!(!e.title.contains("(Updated)"), "{id}");
    }
    for (id, _) in gen::DOCS {
        let e = m.get(id).unwrap();
        assert_eq!(e.sample.as_deref(), Some(Path::new(&format!("sample/{id}.pdf"))));
        assert!(corpus_dir().join(e.sample.as_ref().unwrap()).is_file());
    }
    assert_eq!(m.superseded_by("ror").unwrap().id, "ror-2026");
    assert_eq!(m.superseded_by("icjg").unwrap().id, "icjg-2026");
    assert_eq!(m.get("ror-2026").unwrap().version.as_deref(), Some("419946"));
    assert!(m.get("ror-2026").unwrap().url.contains("?v=419946"));
    // A missing manifest is an empty one.
    let tmp = tempfile::tempdir().unwrap();
    assert!(Manifest::load(tmp.path()).unwrap().docs.is_empty());
}

const BASE: &str = r#"id = "ror"
title = "Register of Risks"
publisher = "Ofcom"
url = "https://www.ofcom.org.uk/ror.pdf"
date = "2024-12-16""#;

fn load_err(dir: &Path, toml: &str) -> String {
    std::fs::write(dir.join("sources.toml"), toml).unwrap();
    Manifest::load(dir).expect_err(toml).to_string()
}

#[test]
fn manifest_errors_name_file_entry_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = dir.join("sources.toml").display().to_string();
    let doc = |body: &str| format!("[[doc]]\n{body}\n");
    let cases = [
        (
            doc(&format!("{BASE}\npages = 3")),
            format!("{file}: entry \"ror\": field \"pages\": unknown field (allowed: {})", ALLOWED_FIELDS.join(", ")),
        ),
        (
            format!("{}{}", doc(BASE), doc(BASE)),
            format!("{file}: entry 2: field \"id\": duplicate id \"ror\" (already used by entry 1)"),
        ),
        (
            doc(&BASE.replace("2024-12-16", "2024-13-40")),
            format!("{file}: entry \"ror\": field \"date\": \"2024-13-40\" is not a date (expected YYYY-MM-DD)"),
        ),
        (
            doc(&BASE.replace("2024-12-16", "2025-02-29")),
            format!("{file}: entry \"ror\": field \"date\": \"2025-02-29\" is not a date (expected YYYY-MM-DD)"),
        ),
        (
            doc(&format!("{BASE}\nsupersedes = \"ror-2019\"")),
            format!("{file}: entry \"ror\": field \"supersedes\": \"ror-2019\" names no entry in this manifest"),
        ),
        (
            doc(&format!("{BASE}\nsample = \"sample/missing.pdf\"")),
            format!(
                "{file}: entry \"ror\": field \"sample\": file {} does not exist",
                dir.join("sample/missing.pdf").display()
            ),
        ),
        (
            doc(&BASE.replace("publisher = \"Ofcom\"\n", "")),
            format!("{file}: entry \"ror\": field \"publisher\": missing required field"),
        ),
        (doc(&BASE.replace("id = \"ror\"\n", "")), format!("{file}: entry 1: field \"id\": missing required field")),
        (
            "[[doc]]\nid = \"ror\"\ntitle = \"Register\ndate = \"2024-12-16\"\n".to_string(),
            format!("{file}: TOML syntax error on line 3: invalid basic string, expected `\"`"),
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(load_err(dir, &input), expected, "input:\n{input}");
    }
    // A sample that exists is accepted and kept as written.
    std::fs::create_dir_all(dir.join("sample")).unwrap();
    std::fs::write(dir.join("sample/x.pdf"), b"%PDF-1.7").unwrap();
    std::fs::write(dir.join("sources.toml"), doc(&format!("{BASE}\nsample = \"sample/x.pdf\""))).unwrap();
    let m = Manifest::load(dir).unwrap();
    assert_eq!(m.docs[0].sample.as_deref(), Some(Path::new("sample/x.pdf")));
}

#[test]
fn a_benchmark_variant_keeps_its_models_shape_with_other_prose() {
    let model = load("cop-u2u");
    let variant = Document::load_mem(&gen::build_variant("cop-u2u", 7).pdf).unwrap();
    let n = model.get_pages().len();
    assert_eq!(variant.get_pages().len(), n);
    assert_eq!(page_labels(&variant), page_labels(&model));
    assert_eq!(outline(&variant), outline(&model));
    assert!(info_title(&variant).contains("(variant 7)"), "{}", info_title(&variant));
    let differing = (1..=n as u32).filter(|&p| page_lines(&variant, p) != page_lines(&model, p)).count();
    assert!(differing * 4 > n * 3, "only {differing} of {n} pages differ from the model");
}

/// Issue 12: every note the generator set at a page's foot is set apart by
/// ingest, and no other line is taken for one.
#[test]
fn every_footnote_of_the_sample_is_set_apart() {
    let w = crate::support::Workdir::empty();
    let mut total = 0;
    for (id, _) in gen::DOCS {
        let placed = gen::build(id).laid.footnotes;
        let path = corpus_dir().join("sample").join(format!("{id}.pdf"));
        let r = w.run(&["inspect", &path.display().to_string(), "--json"]).ok();
        let out: serde_json::Value = r.json();
        assert_eq!(out["footnotes"], placed, "{id}");
        total += placed;
    }
    assert!(total > 100, "{total} notes in the sample");
}
