//! `riskreg refs` and `riskreg verify` for people: printed from the same
//! reports their `--json` prints.

use super::human::one_line;
use super::json::{CheckedOut, ReferenceOut, RefsOut, VerifyOut};

fn source(r: &ReferenceOut, with_doc: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(title) = with_doc {
        s.push_str(title);
        s.push_str(" · ");
    }
    s.push_str(&format!("p. {}", r.page));
    if let Some(p) = &r.paragraph {
        s.push_str(&format!(" · ¶{p}"));
    }
    s
}

fn lead(r: &ReferenceOut) -> String {
    match (&r.target, &r.unresolved) {
        (Some(t), _) => t.citation.clone(),
        (None, Some(why)) => format!("leads nowhere: {why}"),
        (None, None) => "leads nowhere".into(),
    }
}

/// `riskreg refs`: what the place refers to, and what refers to it.
/// `title` gives a document's citation title by id.
pub fn refs(out: &RefsOut, heading: &str, title: &dyn Fn(&str) -> String) -> String {
    let mut s = format!("{heading}\n\n");
    if out.refers_to.is_empty() {
        s.push_str("refers to nothing\n");
    } else {
        s.push_str(&format!("refers to ({}):\n", out.refers_to.len()));
        for r in &out.refers_to {
            s.push_str(&format!("  {}  “{}”  →  {}\n", source(r, None), one_line(&r.text), lead(r)));
        }
    }
    if out.referred_to_by.is_empty() {
        s.push_str("referred to by nothing\n");
    } else {
        s.push_str(&format!("referred to by ({}):\n", out.referred_to_by.len()));
        for r in &out.referred_to_by {
            s.push_str(&format!("  {}  “{}”\n", source(r, Some(&title(&r.doc))), one_line(&r.text)));
        }
    }
    s
}

/// `riskreg show`: the references on the page, after its text.
pub fn on_page(refs: &[ReferenceOut]) -> String {
    if refs.is_empty() {
        return String::new();
    }
    let mut s = format!("\nReferences on this page ({}):\n", refs.len());
    for r in refs {
        s.push_str(&format!("  “{}”  →  {}\n", one_line(&r.text), lead(r)));
    }
    s
}

/// One line per citation in the draft, then the count.
pub fn verify(out: &VerifyOut) -> String {
    let mut s = String::new();
    for c in &out.citations {
        s.push_str(&checked_line(&out.file, c));
        s.push('\n');
    }
    if out.citations.is_empty() {
        s.push_str(&format!("{}: no citations of indexed documents found\n", out.file));
    } else {
        s.push_str(&format!(
            "{} checked: {} ok, {} with problems\n",
            if out.citations.len() == 1 {
                "1 citation".to_string()
            } else {
                format!("{} citations", out.citations.len())
            },
            out.ok,
            out.problems
        ));
    }
    if let Some(f) = &out.fixed {
        s.push_str(&format!("corrected copy written to {f}\n"));
    }
    s
}

fn checked_line(file: &str, c: &CheckedOut) -> String {
    let doc = c.doc.as_deref().map(|d| format!(" [{d}]")).unwrap_or_default();
    let mut s = format!("{file}:{}:{}: {}{doc}: ", c.line, c.column, one_line(&c.text));
    if c.problems.is_empty() {
        s.push_str("ok");
    } else {
        s.push_str(&c.problems.iter().map(|p| one_line(p)).collect::<Vec<_>>().join("; "));
        if let Some(f) = &c.fix {
            s.push_str(&format!(" (fix: {})", one_line(f)));
        }
    }
    s
}
