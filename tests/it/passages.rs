//! Issue 12: the quoted passage is what the page says, under the right ¶ —
//! sentences over a page break, footnotes and sub-headings apart, a ¶ per
//! snippet, Contents pages as navigation, numbering checks. On the sample
//! corpus and on PDFs made here, through the real binary.

use riskreg::render::json::SearchOut;
use serde_json::Value;

use crate::support::{make_pdf, sample_index, Run, Workdir};

fn search(args: &[&str]) -> Run {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    sample_index().run(&all)
}

fn show_json(doc: &str, pdf_page: u32) -> Value {
    sample_index().run(&["show", doc, "--pdf-page", &pdf_page.to_string(), "--json"]).ok().json()
}

/// The sample generator's sub-headings, of every style of document.
fn sub_headings() -> Vec<&'static str> {
    use crate::corpus::gen::{prose::subheadings, source::Style};
    [Style::Risk, Style::Judgement, Style::Decision, Style::Measure, Style::Method]
        .into_iter()
        .flat_map(|s| subheadings(s).iter().copied())
        .collect()
}

/// The wording of the generator's footnotes.
const NOTE_WORDING: &[&str] =
    &["the sample cites no real study", "see the evidence annex to this sample", "is described here for illustration"];

#[test]
fn a_sentence_over_a_page_break_is_found_and_cited_with_both_pages() {
    let q = "\"human trafficking comes mainly from law enforcement intelligence\" doc:ror page:220..221";
    let out: SearchOut = search(&[q, "--json"]).ok().json();
    assert_eq!(out.results.len(), 1);
    let c = &out.results[0].citation;
    assert_eq!(c.text, "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · pp. 220–221 · ¶9.82");
    assert_eq!(
        (c.page.as_str(), c.page_end.as_deref(), c.pdf_page, c.pdf_page_end),
        ("220", Some("221"), 228, Some(229))
    );
    let s = &out.results[0].snippets[0];
    assert!(
        s.text.contains("Our evidence on human trafficking comes mainly from law enforcement intelligence"),
        "{s:?}"
    );
    assert_eq!(s.paragraph.as_deref(), Some("9.82"));

    // Words that are only on the next page are that page's hit, not a
    // second, two-page one from the page before.
    let q = "\"from law enforcement intelligence on trafficking networks\" doc:ror page:220..221";
    let out: SearchOut = search(&[q, "--json"]).ok().json();
    let cited: Vec<&str> = out.results.iter().map(|r| r.citation.text.as_str()).collect();
    assert_eq!(cited, ["Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 221 · ¶9.82"]);
    assert_eq!(out.total, 1);

    // `show` prints the page's own text, not the words borrowed from the next.
    let page = show_json("ror", 228);
    let text = page["sections"][0]["text"].as_str().unwrap();
    assert!(text.ends_with("Our evidence on human trafficking comes mainly"), "{text}");
}

#[test]
fn para_n_is_cited_and_shown_from_that_paragraph() {
    let out: SearchOut = search(&["para:9.14 doc:ror", "--json"]).ok().json();
    let r = &out.results[0];
    assert_eq!(r.citation.text, "Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 209 · ¶9.14");
    assert_eq!(r.snippets[0].paragraph.as_deref(), Some("9.14"));
    // The passage starts where ¶9.14 does; its number is the snippet's ¶, not its text.
    assert!(r.snippets[0].text.starts_with("Case studies from anti-slavery charities describe"), "{:?}", r.snippets[0]);
}

/// Every snippet of the top 20 for two queries is found on its page under
/// the ¶ it is cited with; a hit whose snippets come from several
/// paragraphs names each.
#[test]
fn each_snippet_is_cited_by_the_paragraph_it_is_in() {
    let mut checked = 0;
    let mut multi = 0;
    for q in ["human trafficking", "sexual exploitation of adults"] {
        let out: SearchOut = search(&[q, "--json", "--limit", "20"]).ok().json();
        assert_eq!(out.results.len(), 20);
        for r in &out.results {
            let c = &r.citation;
            assert_eq!(c.paragraph, r.snippets[0].paragraph, "{}: the citation's ¶ is its first passage's", c.text);
            let paras: std::collections::BTreeSet<_> = r.snippets.iter().filter_map(|s| s.paragraph.clone()).collect();
            multi += usize::from(paras.len() > 1);
            if c.page_end.is_some() || c.footnote.is_some() {
                continue;
            }
            let page = show_json(&c.doc, c.pdf_page);
            for s in &r.snippets {
                let core = s.text.trim_matches('…').trim();
                let found = paragraphs_of(&page, core);
                assert!(!found.is_empty(), "{}: snippet not on its page: {core}", c.text);
                // Above the page's first paragraph, the one carried on from
                // the page before; else exactly the one it stands under.
                assert!(
                    found.contains(&None) || found.contains(&s.paragraph),
                    "{}: cited ¶{:?}, stands under {found:?}: {core}",
                    c.text,
                    s.paragraph
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 100, "{checked} snippets checked");
    assert!(multi >= 10, "{multi} hits with passages from several paragraphs");
}

/// The paragraphs under which `core` stands on the page (`None` for above
/// the page's first numbered paragraph); empty when it is not there. The
/// sample's sentences recur, so a passage may stand in several places.
fn paragraphs_of(page: &Value, core: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for section in page["sections"].as_array().unwrap() {
        let mut flat = String::new();
        let mut starts: Vec<(usize, String)> = Vec::new();
        for line in section["text"].as_str().unwrap().lines() {
            let first = line.split(' ').next().unwrap_or("");
            let numbered = first.split_once('.').is_some_and(|(a, b)| {
                let a = a.trim_start_matches(|c: char| c.is_ascii_uppercase());
                !a.is_empty() && !b.is_empty() && (a.to_string() + b).chars().all(|c| c.is_ascii_digit())
            });
            if numbered {
                starts.push((flat.len(), first.to_string()));
            }
            flat.push_str(line);
            flat.push(' ');
        }
        for (at, _) in flat.match_indices(core) {
            out.push(starts.iter().rev().find(|(o, _)| *o <= at).map(|(_, n)| n.clone()));
        }
    }
    out
}

#[test]
fn snippets_hold_no_footnote_and_no_sub_heading() {
    for q in ["human trafficking", "sexual exploitation of adults"] {
        let out: SearchOut = search(&[q, "--json", "--limit", "20"]).ok().json();
        for r in &out.results {
            for s in &r.snippets {
                let t = &s.text;
                for note in NOTE_WORDING {
                    assert!(!t.contains(note), "{q}: footnote text in {}: {t}", r.citation.text);
                }
                // A footnote marker: a bare two- or three-digit number.
                assert!(
                    !t.split(' ').any(|w| (2..=3).contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit())),
                    "{q}: a footnote number in {}: {t}",
                    r.citation.text
                );
                // A sub-heading run into the text under it: "Evidence 9.50",
                // "How the harm manifests online Services that…".
                for h in sub_headings() {
                    for (i, _) in t.match_indices(&format!("{h} ")) {
                        let next = t[i + h.len() + 1..].chars().next();
                        assert!(
                            !next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()),
                            "{q}: sub-heading {h:?} in {}: {t}",
                            r.citation.text
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn footnotes_are_apart_from_the_text_and_cited_by_number() {
    // `show`: the body without the note or its marker; the note listed apart.
    let page = show_json("ror", 221);
    let body = page["sections"][0]["text"].as_str().unwrap().replace('\n', " ");
    assert!(body.contains("with little effort and at scale. Our evidence on human trafficking"), "{body}");
    assert!(!body.contains("National Referral Mechanism statistics; the sample"), "{body}");
    assert_eq!(
        page["footnotes"],
        serde_json::json!([{"number": "180", "text": "This point draws on National Referral Mechanism statistics; the sample cites no real study."}])
    );
    let human = sample_index().run(&["show", "ror", "213"]).ok().stdout;
    assert!(
        human.ends_with(
            "[Notes at the foot of the page]\nfn 180: This point draws on National Referral Mechanism statistics; the sample cites no real study.\n"
        ),
        "{human}"
    );

    // A note is searchable, and cited by page and number.
    let out: SearchOut =
        search(&["\"draws on National Referral Mechanism statistics\" doc:ror page:213", "--json"]).ok().json();
    let cited: Vec<&str> = out.results.iter().map(|r| r.citation.text.as_str()).collect();
    assert_eq!(cited, ["Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 213, fn 180 · ¶9.41"]);
    assert_eq!(out.results[0].citation.footnote.as_deref(), Some("180"));
    assert_eq!(out.results[0].snippets[0].footnote.as_deref(), Some("180"));
    let human = search(&["\"draws on National Referral Mechanism statistics\" doc:ror page:213"]).ok().stdout;
    assert!(human.contains("\n   fn 180  This point draws on National Referral Mechanism statistics;"), "{human}");
    // The marker is not a word of the page.
    let r = search(&["180 doc:ror page:213"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

/// `toc rag` is the document's own Contents page, entry by entry.
#[test]
fn toc_matches_the_contents_page_entry_by_entry() {
    let contents = sample_index().run(&["show", "rag", "ii"]).ok().stdout;
    let listed: Vec<(String, String)> = contents
        .lines()
        .filter_map(|l| {
            let (heading, page) = l.split_once(" ..")?;
            Some((heading.trim().to_string(), page.trim_start_matches('.').trim().to_string()))
        })
        .collect();
    assert_eq!(listed.len(), 8, "{contents}");
    let toc: Value = sample_index().run(&["toc", "rag", "--json"]).ok().json();
    let got: Vec<(String, String)> = toc["toc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["heading"].as_str().unwrap().to_string(), c["printed_start"].as_str().unwrap().to_string()))
        .filter(|(h, _)| !h.is_empty())
        .collect();
    assert_eq!(got, listed);
    // ¶7.1 is cited under chapter 7 on its page.
    let out: SearchOut = search(&["doc:rag para:7.1", "--json"]).ok().json();
    assert_eq!(
        out.results[0].citation.text,
        "Risk Assessment Guidance (sample), 16 December 2024 · 7. Risk Level Tables · p. 39 · ¶7.1"
    );
}

/// No Contents page among the top 20 of 20 topical queries, though the
/// Contents pages match most of them (`chapter:contents` finds them).
#[test]
fn no_contents_page_in_the_top_20_of_topical_queries() {
    let queries = [
        "human trafficking",
        "sexual exploitation of adults",
        "terrorism",
        "grooming",
        "fraud",
        "child sexual abuse material",
        "harassment stalking threats",
        "hate",
        "drugs and psychoactive substances",
        "firearms",
        "encouraging or assisting suicide",
        "foreign interference",
        "extreme pornography",
        "intimate image abuse",
        "proceeds of crime",
        "controlling or coercive behaviour",
        "unlawful immigration",
        "animal cruelty",
        "risk assessment",
        "content moderation",
    ];
    let mut contents_matching = 0;
    for q in queries {
        let asked = search(&[&format!("chapter:contents {q}"), "--json", "--limit", "50"]);
        let contents: Vec<(String, u32)> = if asked.code == 0 {
            let out: SearchOut = asked.json();
            out.results.iter().map(|r| (r.citation.doc.clone(), r.citation.pdf_page)).collect()
        } else {
            Vec::new()
        };
        contents_matching += usize::from(!contents.is_empty());
        let out: SearchOut = search(&[q, "--json", "--limit", "20"]).ok().json();
        for r in &out.results {
            assert!(!contents.contains(&(r.citation.doc.clone(), r.citation.pdf_page)), "{q}: {}", r.citation.text);
        }
    }
    assert!(contents_matching >= 15, "only {contents_matching} of the queries match a Contents page");
}

/// Paragraph numbering that jumps, starts again or goes backwards is
/// reported by `inspect` and `index`, naming the document and page.
#[test]
fn numbering_faults_are_reported_with_document_and_page() {
    let w = Workdir::empty();
    let pdf = make_pdf(
        "Numbering faults",
        &[
            "1. Scope\n1.1 This guidance covers services.\n1.2 It applies from today.",
            "1.4 A paragraph after a gap.\n1.3 One that goes backwards.",
            "2. Method\n2.1 The method has steps.\n2.3 Another gap.",
            "2.1 The numbering starts again.",
        ],
    );
    std::fs::create_dir_all(w.corpus()).unwrap();
    std::fs::write(w.corpus().join("faults.pdf"), pdf).unwrap();
    let want = [
        "p. 2 (PDF p. 2): ¶1.4 follows ¶1.2: ¶1.3 missing",
        "p. 2 (PDF p. 2): ¶1.3 follows ¶1.4: numbering goes backwards",
        "p. 3 (PDF p. 3): ¶2.3 follows ¶2.1: ¶2.2 missing",
        "p. 4 (PDF p. 4): ¶2.1 follows ¶2.3: numbering starts again",
    ];
    let inspect = w.run(&["inspect", "corpus/faults.pdf"]).ok().stdout;
    for line in want {
        assert!(inspect.contains(line), "inspect does not say {line:?}:\n{inspect}");
    }
    let index = w.run(&["index"]);
    let said = format!("{}{}", index.stdout, index.stderr);
    for line in want {
        assert!(said.contains(&format!("faults.pdf: {line}")), "index does not say {line:?}:\n{said}");
    }
}
