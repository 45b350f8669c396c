//! Issue 15 (exports): `search --format md|csv|csl-json|ris` through the
//! real binary on the sample corpus, the date fixed by `SOURCE_DATE_EPOCH`.
//! The expected outputs are exact; `CORPUS` stands for the index's corpus
//! folder, which differs per run.

use crate::support::{sample_index, Run};

/// 30 November 2026, 09:33:20 UTC.
const EPOCH: &str = "1796000000";

const QUERY: &str = "\"debt bondage\"";

fn export(args: &[&str]) -> Run {
    let w = sample_index();
    let mut all = vec!["search", QUERY];
    all.extend_from_slice(args);
    Run::from(w.cmd(&all).env("SOURCE_DATE_EPOCH", EPOCH).output().expect("riskreg runs"))
}

/// The expected text with `CORPUS` replaced by the sample index's corpus
/// folder (an absolute temporary path that needs no percent-encoding).
fn expected(template: &str) -> String {
    let corpus = sample_index().corpus();
    let corpus = corpus.to_str().unwrap();
    assert!(corpus.starts_with('/') && corpus.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)));
    template.replace("CORPUS", corpus)
}

#[test]
fn markdown_of_passages_is_a_memo_list() {
    let out = export(&["-n", "2", "--format", "md"]).ok().stdout;
    assert_eq!(out, expected(MD_PASSAGES));
}

#[test]
fn markdown_of_chapters_is_the_regulators_chapter_list() {
    let out = export(&["--by", "chapter", "--format", "md"]).ok().stdout;
    assert_eq!(out, expected(MD_CHAPTERS));
}

#[test]
fn markdown_heading_names_the_editions_searched() {
    let out = export(&["-n", "1", "--format", "md", "--as-of", "2025-03-01"]).ok().stdout;
    let second = out.lines().nth(2).unwrap_or_default();
    assert_eq!(second, "30 November 2026 · 1 of 24 matching passages · editions in force on 1 March 2025");
    let out = export(&["-n", "1", "--format", "md", "--all-versions"]).ok().stdout;
    assert!(out.lines().nth(2).unwrap_or_default().ends_with(" · all editions, superseded ones included"), "{out}");
}

#[test]
fn csv_has_a_row_of_citation_fields_per_passage() {
    let out = export(&["-n", "2", "--format", "csv"]).ok().stdout;
    assert_eq!(out, expected(CSV_PASSAGES));
    // Chapters: one row each, chapter_pages their range.
    let out = export(&["-n", "2", "--by", "chapter", "--format", "csv"]).ok().stdout;
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(rows[2].starts_with("2,icjg,Illegal Content Judgements Guidance (ICJG) (sample),"), "{out}");
    assert!(rows[2].contains(",A12,A12. Human trafficking,pp. 415–420,420,426,,A12.34,,"), "{out}");
    // Nothing found: the header alone, exit 1, as --json prints an empty list.
    let r = sample_index().run(&["search", "zzzqqqxx", "--format", "csv"]).code(1);
    assert_eq!(r.stdout, format!("{}\n", riskreg::render::csv::COLUMNS.join(",")));
}

#[test]
fn csl_json_has_one_item_per_edition_with_the_pinpoints_found() {
    let items: serde_json::Value = export(&["-n", "3", "--format", "csl-json"]).ok().json();
    let items = items.as_array().expect("an array of items");
    assert_eq!(items.len(), 2, "{items:?}");
    let ror = &items[0];
    assert_eq!(ror["id"], "ror-419942");
    assert_eq!(ror["type"], "report");
    assert_eq!(ror["title"], "Register of Risks (sample)");
    assert!(ror.get("title-short").is_none(), "{ror}");
    assert_eq!(ror["author"], serde_json::json!([{"literal": "Ofcom"}]));
    assert_eq!(ror["publisher"], "Ofcom");
    assert_eq!(ror["issued"], serde_json::json!({"date-parts": [[2024, 12, 16]]}));
    let url = ror["URL"].as_str().unwrap();
    assert!(url.starts_with("https://") && url.ends_with("?v=419942"), "{url}");
    assert_eq!(ror["note"], "riskreg search \"debt bondage\" (30 November 2026): p. 212 ¶9.34; p. 223 ¶9.95");
    assert_eq!(ror.as_object().unwrap().len(), 8, "{ror}");
    let icjg = &items[1];
    assert_eq!(icjg["id"], "icjg");
    assert_eq!(icjg["title"], "Illegal Content Judgements Guidance (ICJG) (sample)");
    assert_eq!(icjg["title-short"], "Illegal Content Judgements Guidance (sample)");
    assert_eq!(icjg["note"], "riskreg search \"debt bondage\" (30 November 2026): p. 420 ¶A12.34");
}

#[test]
fn ris_has_one_record_per_edition_in_crlf_lines() {
    let out = export(&["-n", "3", "--format", "ris"]).ok().stdout;
    assert!(!out.replace("\r\n", "").contains('\n'), "every line ends in CR LF");
    let manifest = riskreg::corpus::Manifest::load(&sample_index().corpus()).unwrap();
    let url = |id: &str| manifest.docs.iter().find(|d| d.id == id).unwrap().url.clone();
    let want = RIS
        .replace("ROR_URL", &url("ror"))
        .replace("ICJG_URL", &url("icjg"))
        // Every tag has its space after the dash, `ER` too (kept out of the source: trailing space).
        .replace("ER  -\n", "ER  - \n")
        .replace('\n', "\r\n");
    assert_eq!(out, want);
}

#[test]
fn exports_refuse_json_beside_them() {
    for f in ["csv", "csl-json", "ris"] {
        let r = sample_index().run(&["search", "fraud", "--json", "--format", f]).code(2);
        assert_eq!(r.stderr, format!("riskreg: --json and --format {f} ask for two formats; give one\n"));
    }
}

const MD_PASSAGES: &str = r#"# riskreg search: "debt bondage"

30 November 2026 · 2 of 24 matching passages · current editions

1. [Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 212 · ¶9.34](file://CORPUS/sample/ror.pdf#page=220)

   > ¶9.34 …groups may find it easier to keep victims in **debt bondage** without being noticed. The risk of modern slavery tends to be higher on services with payment features, particularly where nobody acts on the same contact details across many recruitment adverts.…
   >
   > ¶9.34 …rely on direct messaging to keep victims in **debt bondage**, and may move the conversation to a less moderated space once contact has been made.
   >
   > ¶9.36 …exploiters may find it easier to keep victims in **debt bondage** without being noticed. Smaller services are not immune: according to survivor testimony gathered by support services, labour exploiters will move to whichever service offers listings and…

2. [Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 223 · ¶9.95](file://CORPUS/sample/ror.pdf#page=231)

   > ¶9.95 …may find it easier to keep victims in **debt bondage** without being noticed. The risk of trafficking for forced labour tends to be higher on services with user groups, particularly where nobody acts on job offers with unrealistic pay and no skills required. Our…
   >
   > ¶9.97 …rely on payment features to keep victims in **debt bondage**, and may move the conversation to a less moderated space once contact has been made. Where a service combines user groups with payment features, organised crime groups may find it easier to keep victims…
   >
   > ¶9.98 …of user groups on their service. The risk of **debt bondage** tends to be higher on services with direct messaging, particularly where nobody acts on travel and housing paid in advance by the employer. Where a service combines listings and recruitment adverts…

"#;

const MD_CHAPTERS: &str = r#"# riskreg search: "debt bondage"

30 November 2026 · 4 matching chapters · current editions

1. [Register of Risks (sample), 9. Human trafficking, pp. 207–224](file://CORPUS/sample/ror.pdf#page=215)
2. [Illegal Content Judgements Guidance (sample), A12. Human trafficking, pp. 415–420](file://CORPUS/sample/icjg.pdf#page=421)
3. [Illegal Content Judgements Guidance (sample), 11. Human trafficking, pp. 166–168](file://CORPUS/sample/icjg.pdf#page=172)
4. [Volume 3: Transparency and trust (sample), Unlawful immigration and human trafficking, pp. 61–64](file://CORPUS/sample/vol3.pdf#page=65)
"#;

const CSV_PASSAGES: &str = r#"rank,doc,doc_title,short_title,version,date,current,chapter,chapter_heading,chapter_pages,page,pdf_page,page_end,paragraph,footnote,file,link,citation,snippet
1,ror,Register of Risks (sample),Register of Risks (sample),419942,2024-12-16,true,9,9. Human trafficking,pp. 207–224,212,220,,9.34,,sample/ror.pdf,CORPUS/sample/ror.pdf#page=220,"Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 212 · ¶9.34","…groups may find it easier to keep victims in debt bondage without being noticed. The risk of modern slavery tends to be higher on services with payment features, particularly where nobody acts on the same contact details across many recruitment adverts.…"
2,ror,Register of Risks (sample),Register of Risks (sample),419942,2024-12-16,true,9,9. Human trafficking,pp. 207–224,223,231,,9.95,,sample/ror.pdf,CORPUS/sample/ror.pdf#page=231,"Register of Risks (sample), 16 December 2024 · 9. Human trafficking · p. 223 · ¶9.95","…may find it easier to keep victims in debt bondage without being noticed. The risk of trafficking for forced labour tends to be higher on services with user groups, particularly where nobody acts on job offers with unrealistic pay and no skills required. Our…"
"#;

const RIS: &str = r#"TY  - RPRT
AU  - Ofcom,
TI  - Register of Risks (sample)
PY  - 2024
DA  - 2024/12/16
PB  - Ofcom
UR  - ROR_URL
N1  - riskreg search "debt bondage" (30 November 2026): p. 212 ¶9.34; p. 223 ¶9.95
ER  -
TY  - RPRT
AU  - Ofcom,
TI  - Illegal Content Judgements Guidance (ICJG) (sample)
ST  - Illegal Content Judgements Guidance (sample)
PY  - 2024
DA  - 2024/12/16
PB  - Ofcom
UR  - ICJG_URL
N1  - riskreg search "debt bondage" (30 November 2026): p. 420 ¶A12.34
ER  -
"#;
