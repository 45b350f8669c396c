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

/// Precision and recall of `verify`'s citation finding on one set of passages.
fn measure(file: &str) -> (f64, f64, usize, Vec<String>) {
    let w = sample_index();
    let text = std::fs::read_to_string(root().join("tests/drafts").join(file)).unwrap();
    let cases: Cases = toml::from_str(&text).unwrap();
    // One draft, the passages in order; a passage may hold several lines.
    let mut draft = String::new();
    let mut lines = Vec::new();
    let mut next = 1;
    for c in &cases.case {
        let n = c.text.lines().count().max(1);
        lines.push(next..next + n);
        next += n;
        draft.push_str(&c.text);
        draft.push('\n');
    }
    let path = w.path().join(file.replace(".toml", ".txt"));
    std::fs::write(&path, draft).unwrap();
    let r = w.run(&["verify", path.to_str().unwrap(), "--json"]);
    assert!(r.code == 0 || r.code == 1, "{r:?}");
    let found = found_by_line(&r.json());
    let (mut tp, mut found_n, mut expected_n) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for (case, range) in cases.case.iter().zip(&lines) {
        let got: Vec<String> =
            range.clone().flat_map(|l| found.get(&l.to_string()).cloned().unwrap_or_default()).collect();
        let mut left = got.clone();
        for want in &case.cites {
            match left.iter().position(|g| g == want) {
                Some(k) => {
                    left.remove(k);
                    tp += 1;
                }
                None => misses.push(format!("missed {want:?} in {:?}", case.text)),
            }
        }
        for extra in left {
            misses.push(format!("found {extra:?} not in {:?}", case.text));
        }
        found_n += got.len();
        expected_n += case.cites.len();
    }
    let precision = tp as f64 / found_n as f64;
    let recall = tp as f64 / expected_n as f64;
    eprintln!(
        "{file}: {} passages, {tp} right of {found_n} found, {expected_n} expected: precision {precision:.3}, recall {recall:.3}",
        cases.case.len()
    );
    (precision, recall, cases.case.len(), misses)
}

#[test]
fn issue_16_finding_citations_precision_and_recall_on_hand_written_drafts() {
    for file in ["finding.toml", "heldout.toml"] {
        let (precision, recall, passages, misses) = measure(file);
        assert!(passages >= 30, "{file}: too few passages");
        assert!(
            precision >= 0.95 && recall >= 0.95,
            "{file}: precision {precision:.3}, recall {recall:.3}\n{}",
            misses.join("\n")
        );
    }
}

/// A draft with right and wrong citations of every form `verify` reads.
const DRAFT: &str = "The Register of Risks, para 9.14, p. 209, describes recruiters who \"confiscated the passports of the young people\".
See Register of Risks, paragraph 9.14, page 215.
Recruiters \"confiscated the passports of the young people\" (ROR ¶9.16).
The ICJG, para 11.99, is said to cover this.
Chapter 9 of the Register of Risks (pp. 207–220) covers trafficking.
See Annex A12 of the Illegal Content Judgements Guidance; ibid para A12.3.
icjg ¶11.2 and ror pp. 207–224 are the key passages.
Register of Risks, p. 999.
Ibid, paras 9.12–9.15.
As chapter 9 explains, the risk is real, and footnote 4 above says why.
Register of Risks (March 2023), para 9.14.
Volume 3, Section 5, and measure ICU C9 of the Codes of Practice.
Section 5 of the Online Safety Act 2023 and paragraph 3 of our terms are not checked.
";

const REPORT: &str = "draft.txt:1:24: para 9.14, p. 209 [ror]: ok
draft.txt:2:24: paragraph 9.14, page 215 [ror]: para 9.14 is on p. 209, not p. 215 (fix: paragraph 9.14, page 209)
draft.txt:3:65: ¶9.16 [ror]: the quotation is at ¶9.14 (p. 209), not para 9.16 (fix: ¶9.14)
draft.txt:4:11: para 11.99 [icjg]: icjg has no paragraph 11.99
draft.txt:5:1: Chapter 9 of the Register of Risks (pp. 207–220) [ror]: chapter 9 is pp. 207–224, not pp. 207–220 (fix: Chapter 9 of the Register of Risks (pp. 207–224))
draft.txt:6:5: Annex A12 [icjg]: ok
draft.txt:6:64: para A12.3 [icjg]: ok
draft.txt:7:6: ¶11.2 [icjg]: ok
draft.txt:7:20: pp. 207–224 [ror]: ok
draft.txt:8:20: p. 999 [ror]: ror has no page 999 (its pages are i–316)
draft.txt:9:7: paras 9.12–9.15 [ror]: ok
draft.txt:10:4: chapter 9: names no document: name it before the citation, or write \"ibid\"
draft.txt:11:33: para 9.14 [ror]: no March 2023 edition of Register of Risks is indexed (indexed: 16 December 2024)
draft.txt:12:11: Section 5 [vol3]: ok
draft.txt:12:26: measure ICU C9 [cop-u2u]: ok
15 citations checked: 8 ok, 7 with problems
";

#[test]
fn issue_16_verify_reports_each_citation_with_its_problem_and_fix() {
    let w = sample_index();
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.txt");
    std::fs::write(&draft, DRAFT).unwrap();
    let r = w.cmd(&["verify", "draft.txt"]).current_dir(dir.path()).output().unwrap();
    let r = crate::support::Run::from(r).code(1);
    assert_eq!(r.stdout, REPORT);

    // JSON: the same findings, each pinpoint with where it leads.
    let r =
        crate::support::Run::from(w.cmd(&["verify", "draft.txt", "--json"]).current_dir(dir.path()).output().unwrap())
            .code(1);
    let out: VerifyOut = r.json();
    assert_eq!((out.citations.len(), out.ok, out.problems), (15, 8, 7));
    let first = &out.citations[0];
    assert_eq!((first.line.as_str(), first.column, first.status.as_str()), ("1", 24, "ok"));
    let t = first.pins[0].target.as_ref().unwrap();
    assert_eq!((t.label.as_str(), t.page.as_str(), t.pdf_page), ("¶9.14", "209", 217));
    assert_eq!(t.citation, "Register of Risks (sample) · ¶9.14 · p. 209");
    assert_eq!(out.citations[1].fix.as_deref(), Some("paragraph 9.14, page 209"));

    // --fix writes the corrected draft beside it; the draft itself is untouched.
    let r =
        crate::support::Run::from(w.cmd(&["verify", "draft.txt", "--fix"]).current_dir(dir.path()).output().unwrap())
            .code(1);
    assert_eq!(r.stdout, format!("{REPORT}corrected copy written to draft.fixed.txt\n"));
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), DRAFT);
    let fixed = std::fs::read_to_string(dir.path().join("draft.fixed.txt")).unwrap();
    let want = DRAFT
        .replace("paragraph 9.14, page 215", "paragraph 9.14, page 209")
        .replace("(ROR ¶9.16)", "(ROR ¶9.14)")
        .replace("(pp. 207–220)", "(pp. 207–224)");
    assert_eq!(fixed, want);
    // … and the corrected draft has only the problems no fix can mend.
    let r = crate::support::Run::from(w.cmd(&["verify", "draft.fixed.txt"]).current_dir(dir.path()).output().unwrap())
        .code(1);
    assert!(r.stdout.ends_with("15 citations checked: 11 ok, 4 with problems\n"), "{}", r.stdout);

    // --in-place corrects the draft itself; from standard input, --fix writes the draft to stdout.
    let copy = dir.path().join("copy.txt");
    std::fs::write(&copy, "See Register of Risks, paragraph 9.14, page 215.\n").unwrap();
    crate::support::Run::from(w.cmd(&["verify", "copy.txt", "--in-place"]).current_dir(dir.path()).output().unwrap())
        .code(1);
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), "See Register of Risks, paragraph 9.14, page 209.\n");
    let mut c = w.cmd(&["verify", "-", "--fix"]);
    c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"ROR para 9.14, p. 210.\n").unwrap();
    let r = crate::support::Run::from(child.wait_with_output().unwrap()).code(1);
    assert_eq!(r.stdout, "ROR para 9.14, p. 209.\n");
    assert!(
        r.stderr.contains(
            "<stdin>:1:5: para 9.14, p. 210 [ror]: para 9.14 is on p. 209, not p. 210 (fix: para 9.14, p. 209)"
        ),
        "{}",
        r.stderr
    );

    // All well: exit 0.
    std::fs::write(&copy, "Register of Risks, para 9.14, p. 209.\n").unwrap();
    let r = crate::support::Run::from(w.cmd(&["verify", "copy.txt"]).current_dir(dir.path()).output().unwrap()).ok();
    assert_eq!(r.stdout, "copy.txt:1:20: para 9.14, p. 209 [ror]: ok\n1 citation checked: 1 ok, 0 with problems\n");
}

#[test]
fn issue_16_verify_refuses_what_it_cannot_read_by_name() {
    let w = sample_index();
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("old.doc");
    std::fs::write(&doc, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]).unwrap();
    let r = w.run(&["verify", doc.to_str().unwrap()]).code(2);
    assert_eq!(r.stderr, format!("riskreg: {}: a Word 97–2003 .doc; save it as .docx\n", doc.display()));
    let r = w.run(&["verify", "-", "--in-place"]).code(2);
    assert_eq!(r.stderr, "riskreg: --in-place needs a file; a draft read from standard input has none\n");
}

/// A minimal Word document: one paragraph per line (each split over two
/// runs, as Word does), and one footnote.
fn docx(paragraphs: &[&str], footnote: &str) -> Vec<u8> {
    use std::io::Write;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let runs = |t: &str| {
        let cut = t.char_indices().nth(t.chars().count() / 2).map_or(0, |(i, _)| i);
        format!(
            "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            esc(&t[..cut]),
            esc(&t[cut..])
        )
    };
    let ns = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let body: String = paragraphs.iter().map(|p| format!("<w:p>{}</w:p>", runs(p))).collect();
    let document = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document {ns}><w:body>{body}</w:body></w:document>");
    let notes = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:footnotes {ns}><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id=\"1\"><w:p>{}</w:p></w:footnote></w:footnotes>",
        runs(footnote)
    );
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in
        [("[Content_Types].xml", types.to_string()), ("word/document.xml", document), ("word/footnotes.xml", notes)]
    {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn issue_16_verify_reads_and_corrects_a_word_draft() {
    let w = sample_index();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.docx");
    std::fs::write(
        &path,
        docx(
            &["Dear Sirs,", "The Register of Risks, para 9.14, p. 215, is relevant.", "Yours faithfully"],
            "ICJG, Annex A12, pp. 415–420.",
        ),
    )
    .unwrap();
    let r =
        crate::support::Run::from(w.cmd(&["verify", "letter.docx", "--fix"]).current_dir(dir.path()).output().unwrap())
            .code(1);
    assert_eq!(
        r.stdout,
        "letter.docx:2:24: para 9.14, p. 215 [ror]: para 9.14 is on p. 209, not p. 215 (fix: para 9.14, p. 209)\n\
         letter.docx:fn 1.1:7: Annex A12, pp. 415–420 [icjg]: ok\n\
         2 citations checked: 1 ok, 1 with problems\n\
         corrected copy written to letter.fixed.docx\n"
    );
    // The corrected copy is a Word document whose citations all hold.
    let r =
        crate::support::Run::from(w.cmd(&["verify", "letter.fixed.docx"]).current_dir(dir.path()).output().unwrap())
            .ok();
    assert_eq!(
        r.stdout,
        "letter.fixed.docx:2:24: para 9.14, p. 209 [ror]: ok\n\
         letter.fixed.docx:fn 1.1:7: Annex A12, pp. 415–420 [icjg]: ok\n\
         2 citations checked: 2 ok, 0 with problems\n"
    );
}

#[test]
fn issue_16_references_of_every_kind_resolve_within_and_across_documents() {
    let w = crate::support::Workdir::sample(&[]);
    let r = w.run(&["index"]).ok();
    assert!(
        r.stdout.contains("\nreferences: 39 found, 1 leading nowhere (riskreg refs DOC --unresolved lists them)\n"),
        "{}",
        r.stdout
    );
    // Every reference each document makes, as (document, text, where it leads).
    let mut all = Vec::new();
    for doc in ["ror", "icjg", "vol3", "cop-u2u", "rag"] {
        let out: riskreg::render::json::RefsOut = w.run(&["refs", doc, "--json"]).ok().json();
        for r in out.refers_to {
            let lead = r.target.map_or_else(|| format!("nowhere: {}", r.unresolved.unwrap()), |t| t.citation);
            all.push((doc.to_string(), r.text, lead));
        }
    }
    let expect = |doc: &str, text: &str, lead: &str| {
        assert!(
            all.iter().any(|(d, t, l)| d == doc && t == text && l == lead),
            "no {doc} reference {text:?} leading to {lead:?} in\n{all:#?}"
        );
    };
    // A paragraph, a range and a chapter of the same document.
    expect("ror", "paragraph 9.14", "Register of Risks (sample) · ¶9.14 · p. 209");
    expect("ror", "paragraphs 9.2 to 9.5", "Register of Risks (sample) · ¶¶9.2–9.5 · p. 207");
    expect("ror", "Chapter 8", "Register of Risks (sample) · 8. Sexual exploitation of adults · pp. 196–206");
    // Another document's chapter and paragraph, by title and by abbreviation.
    expect(
        "ror",
        "Chapter 11 of the Illegal Content Judgements Guidance",
        "Illegal Content Judgements Guidance (sample) · 11. Human trafficking · pp. 166–168",
    );
    expect("vol3", "ICJG, para 11.2", "Illegal Content Judgements Guidance (sample) · ¶11.2 · p. 166");
    expect("rag", "Register of Risks, paras 9.7–9.13", "Register of Risks (sample) · ¶¶9.7–9.13 · pp. 207–208");
    expect("rag", "Table 10.1 of the Register of Risks", "Register of Risks (sample) · Table 10.1 · p. 225");
    // An annex; a volume's section (with its sections' pages); a table; a measure code; a note.
    expect("icjg", "Annex A12", "Illegal Content Judgements Guidance (sample) · A12. Human trafficking · pp. 415–420");
    expect(
        "icjg",
        "Volume 3, Section 5",
        "Volume 3: Transparency and trust (sample) · 5. Illegal content judgements: our decisions by kind of harm · pp. 36–71",
    );
    expect("ror", "Table 10.1", "Register of Risks (sample) · Table 10.1 · p. 225");
    expect("ror", "measure ICU C9", "Illegal Content Codes of Practice (U2U) (sample) · ICU C9 · p. 16");
    expect("cop-u2u", "ICU C1", "Illegal Content Codes of Practice (U2U) (sample) · ICU C1 · p. 16");
    expect("ror", "footnote 180", "Register of Risks (sample) · fn 180 · p. 213");
    // One leads nowhere, and says why.
    expect("ror", "paragraph 21.3", "nowhere: ror has no paragraph 21.3");
    let r = w.run(&["refs", "ror", "--unresolved"]).ok();
    assert_eq!(
        r.stdout,
        "Register of Risks (sample) (ror)\n\nrefers to (1):\n  p. 312 · ¶20.1  “paragraph 21.3”  →  leads nowhere: ror has no paragraph 21.3\nreferred to by nothing\n"
    );

    // Both directions: what ¶9.14 is cited by, from its own document and another.
    let r = w.run(&["refs", "ror", "¶9.14"]).ok();
    assert_eq!(
        r.stdout,
        "Register of Risks (sample) · ¶9.14 · p. 209\n\nrefers to nothing\nreferred to by (2):\n  \
         Illegal Content Judgements Guidance (sample) · p. 445 · ¶A21.2  “paragraph 9.14 of the Register of Risks”\n  \
         Register of Risks (sample) · p. 225 · ¶10.2  “paragraph 9.14”\n"
    );
    // … and what a paragraph cites, in its own document and others.
    let r = w.run(&["refs", "icjg", "¶A21.2"]).ok();
    assert_eq!(
        r.stdout,
        "Illegal Content Judgements Guidance (sample) · ¶A21.2 · p. 445\n\nrefers to (2):\n  \
         p. 445 · ¶A21.2  “paragraph 9.14 of the Register of Risks”  →  Register of Risks (sample) · ¶9.14 · p. 209\n  \
         p. 445 · ¶A21.2  “Volume 3, Section 5”  →  Volume 3: Transparency and trust (sample) · 5. Illegal content judgements: our decisions by kind of harm · pp. 36–71\n\
         referred to by nothing\n"
    );
    // A paragraph that is not there is an error naming it; a place nothing refers to exits 1.
    let r = w.run(&["refs", "ror", "¶21.3"]).code(2);
    assert!(r.stderr.contains("ror has no paragraph 21.3"), "{}", r.stderr);
    w.run(&["refs", "ror", "¶9.20"]).code(1);

    // `show` lists a page's references with where each leads (text and JSON).
    let r = w.run(&["show", "ror", "225"]).ok();
    assert!(
        r.stdout.contains("\nReferences on this page (7):\n  “paragraphs 9.2 to 9.5”  →  Register of Risks (sample) · ¶¶9.2–9.5 · p. 207\n"),
        "{}",
        r.stdout
    );
    let page: riskreg::render::json::PageOut = w.run(&["show", "ror", "225", "--json"]).ok().json();
    let table = page.references.iter().find(|r| r.text == "Table 10.1").unwrap();
    let t = table.target.as_ref().unwrap();
    assert_eq!((t.doc.as_str(), t.page.as_str(), t.pdf_page), ("ror", "225", 233));
    assert!(t.pdf_link.as_deref().unwrap().ends_with("corpus/sample/ror.pdf#page=233"));
}

/// Two editions of one document, the older superseded.
fn editions() -> crate::support::Workdir {
    let w = crate::support::Workdir::empty();
    std::fs::create_dir_all(w.corpus().join("sample")).unwrap();
    let v1 = ["1. Scope\n1.1 Services must assess the risk of widget fraud.\n1.2 Records are kept.\n2. Old rules\n2.1 The zanzibar procedure applies."];
    let v2 = ["1. Scope\n1.1 Services must assess the risk of widget fraud.\n1.2 Records are kept for five years."];
    std::fs::write(w.corpus().join("sample/g.pdf"), crate::support::make_pdf("Widget Guidance", &v1)).unwrap();
    std::fs::write(w.corpus().join("sample/g-2026.pdf"), crate::support::make_pdf("Widget Guidance", &v2)).unwrap();
    let entry = |id: &str, date: &str, v: &str, sup: &str| {
        format!(
            "[[doc]]\nid = \"{id}\"\ntitle = \"Widget Guidance\"\npublisher = \"Ofcom\"\nurl = \"https://example.org/w.pdf?v={v}\"\ndate = \"{date}\"\nversion = \"{v}\"\n{sup}sample = \"sample/{id}.pdf\"\n\n"
        )
    };
    let manifest = entry("g", "2024-12-16", "100", "") + &entry("g-2026", "2026-06-25", "200", "supersedes = \"g\"\n");
    std::fs::write(w.corpus().join("sources.toml"), manifest).unwrap();
    w.run(&["index"]).ok();
    w
}

#[test]
fn issue_16_verify_says_which_edition_is_in_force() {
    let w = editions();
    std::fs::write(
        w.path().join("e.txt"),
        "Widget Guidance (December 2024), para 1.2.\nWidget Guidance, para 1.2.\nWidget Guidance, para 2.1.\n",
    )
    .unwrap();
    let r = w.run(&["verify", "e.txt"]).code(1);
    assert_eq!(
        r.stdout,
        "e.txt:1:34: para 1.2 [g]: cites the 16 December 2024 edition of Widget Guidance, which the 25 June 2026 edition (g-2026) replaces\n\
         e.txt:2:18: para 1.2 [g-2026]: ok\n\
         e.txt:3:18: para 2.1 [g-2026]: g-2026 has no paragraph 2.1 (the 16 December 2024 edition, g, has it on p. 1)\n\
         3 citations checked: 1 ok, 2 with problems\n"
    );
}
