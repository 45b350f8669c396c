//! Repairs for damage the readers do not survive on their own.
//!
//! One pattern seen in real files: every stream closed by `endstrea` (the
//! keyword cut one byte short). lopdf's cross-reference rebuild then runs each
//! stream on to the next full `endstream` keyword, swallowing the objects in
//! between (a page's content stream among them), and pdf-extract cannot open
//! the file at all. Restoring the keyword and letting lopdf rebuild the
//! cross-reference table and write the file anew gives every reader a clean
//! copy.
//!
//! Another: a dictionary or array nested tens of thousands deep (in a page's
//! resources, say). Every reader parses nesting by recursion and runs out of
//! stack on it. `flatten_deep_nesting` finds such a structure with a plain
//! byte scan and overwrites it with `null` and spaces, byte for byte, so the
//! cross-reference offsets stay right and only that one value is lost.
//!
//! And a page tree that lists a page twice, or lists one of its own
//! ancestors as a kid: the readers count such a page (or a whole branch)
//! again, so the document seems to have pages a viewer does not show.
//! `page_tree` walks the tree as a viewer does, each node and each page
//! once; `rebuild_page_tree` writes a copy whose tree is that flat list.
//!
//! The byte-level repairs parse PDF no further than keywords and brackets.

use lopdf::{Dictionary, Document, Object, ObjectId};
use memchr::memmem;
use std::collections::HashSet;

/// Deeper than this, a dictionary or array is damage, not structure: real
/// documents nest a handful of levels.
pub const MAX_NESTING: usize = 64;

const CUT: &[u8] = b"endstrea";

/// The bytes with every `endstrea` keyword that starts a line but lacks its
/// final `m` restored, and how many were restored; `None` when there are none.
pub fn restore_endstream(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let cut_at = |i: usize| i > 0 && matches!(bytes[i - 1], b'\r' | b'\n') && bytes.get(i + CUT.len()) != Some(&b'm');
    let hits: Vec<usize> = memmem::find_iter(bytes, CUT).filter(|&i| cut_at(i)).collect();
    if hits.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() + hits.len());
    let mut from = 0;
    for &i in &hits {
        out.extend_from_slice(&bytes[from..i + CUT.len()]);
        out.push(b'm');
        from = i + CUT.len();
    }
    out.extend_from_slice(&bytes[from..]);
    Some((out, hits.len()))
}

/// A repaired copy of `bytes` when they show damage this module knows, with a
/// sentence saying what was repaired; `None` when there is nothing to repair
/// or the repaired copy cannot be loaded either.
pub fn repair(bytes: &[u8]) -> Option<(Vec<u8>, String)> {
    let (restored, n) = restore_endstream(bytes)?;
    // Offsets moved by one byte per keyword: rebuild the table by scanning.
    let options = lopdf::LoadOptions { force_reconstruct: true, ..Default::default() };
    let mut doc = lopdf::Document::load_mem_with_options(&restored, options).ok()?;
    if doc.get_pages().is_empty() {
        return None;
    }
    let mut clean = Vec::with_capacity(restored.len());
    doc.save_to(&mut clean).ok()?;
    let s = if n == 1 { "" } else { "s" };
    Some((
        clean,
        format!(
            "repaired: {n} stream{s} ended with a truncated `endstrea` keyword; the file was read from a rebuilt copy"
        ),
    ))
}

/// The bytes with every dictionary or array that opens deeper than
/// [`MAX_NESTING`] levels overwritten by `null` and spaces (the same length,
/// so offsets hold), and how many were overwritten; `None` when there are
/// none. Strings, comments and stream data are stepped over.
pub fn flatten_deep_nesting(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let cuts = deep_spans(bytes);
    if cuts.is_empty() {
        return None;
    }
    let mut out = bytes.to_vec();
    for &(start, end) in &cuts {
        let span = &mut out[start..end];
        span.fill(b' ');
        span[..4].copy_from_slice(b"null");
    }
    Some((out, cuts.len()))
}

/// Byte ranges of the values that open at depth `MAX_NESTING + 1`.
fn deep_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let n = b.len();
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < n {
        match b[i] {
            b'%' => {
                while i < n && !matches!(b[i], b'\r' | b'\n') {
                    i += 1;
                }
                continue;
            }
            b'(' => {
                i = skip_literal_string(b, i);
                continue;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                depth += 1;
                if depth == MAX_NESTING + 1 && open.is_none() {
                    open = Some(i);
                }
                i += 2;
                continue;
            }
            b'<' => {
                // A hex string.
                i = memchr::memchr(b'>', &b[i..]).map_or(n, |j| i + j + 1);
                continue;
            }
            b'[' => {
                depth += 1;
                if depth == MAX_NESTING + 1 && open.is_none() {
                    open = Some(i);
                }
            }
            b'>' | b']' => {
                let width = if b[i] == b'>' && b.get(i + 1) == Some(&b'>') { 2 } else { 1 };
                if depth == MAX_NESTING + 1 {
                    if let Some(start) = open.take() {
                        cuts.push((start, i + width));
                    }
                }
                depth = depth.saturating_sub(1);
                i += width;
                continue;
            }
            b's' if b[i..].starts_with(b"stream") && keyword_at(b, i, 6) => {
                // Stream data is opaque: go on after its `endstream`.
                match memmem::find(&b[i + 6..], b"endstream") {
                    Some(j) => i += 6 + j + 9,
                    None => break,
                }
                continue;
            }
            b'e' if b[i..].starts_with(b"endobj") => {
                // An object ends: whatever is still open was cut short.
                if let Some(start) = open.take() {
                    cuts.push((start, i));
                }
                depth = 0;
                i += 6;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(start) = open {
        cuts.push((start, n));
    }
    // A span shorter than `null` cannot be overwritten by it (never happens
    // for a real cut, which holds at least its brackets and a value).
    cuts.retain(|(s, e)| e - s >= 4);
    cuts
}

/// After a literal string that opens at `i` (nested parentheses, escapes).
fn skip_literal_string(b: &[u8], mut i: usize) -> usize {
    let mut level = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' => level += 1,
            b')' => {
                level -= 1;
                if level == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// `len` bytes at `i` form a keyword: delimited on both sides.
fn keyword_at(b: &[u8], i: usize, len: usize) -> bool {
    let before = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\r' | b'\n' | b'>');
    let after = matches!(b.get(i + len), Some(b'\r' | b'\n'));
    before && after
}

/// The pages a viewer shows, in order, each once, with inheritable
/// attributes each page takes from its ancestors; and how many times the
/// walk met a node it had met before (0 for a sound tree).
pub struct PageTree {
    pub pages: Vec<(ObjectId, Dictionary)>,
    pub repeats: usize,
}

/// Keys a page inherits from the /Pages nodes above it.
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// Walks the page tree from the catalog: depth first, kids in order, every
/// node and page visited once (a cycle or a repeated kid is skipped and
/// counted), at most 256 levels deep.
pub fn page_tree(doc: &Document) -> Option<PageTree> {
    let root = doc.catalog().ok()?.get(b"Pages").ok()?.as_reference().ok()?;
    let mut seen = HashSet::new();
    let mut out = PageTree { pages: Vec::new(), repeats: 0 };
    walk(doc, root, &Dictionary::new(), 0, &mut seen, &mut out);
    Some(out)
}

fn walk(
    doc: &Document,
    id: ObjectId,
    inherited: &Dictionary,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    out: &mut PageTree,
) {
    if !seen.insert(id) {
        out.repeats += 1;
        return;
    }
    let Ok(node) = doc.get_dictionary(id) else { return };
    let is_branch = node.get(b"Kids").is_ok() && !node.has_type(b"Page");
    if !is_branch {
        let mut page = node.clone();
        for key in INHERITED {
            if !page.has(key) {
                if let Ok(v) = inherited.get(key) {
                    page.set(key.to_vec(), v.clone());
                }
            }
        }
        out.pages.push((id, page));
        return;
    }
    if depth >= 256 {
        return;
    }
    let mut passed = inherited.clone();
    for key in INHERITED {
        if let Ok(v) = node.get(key) {
            passed.set(key.to_vec(), v.clone());
        }
    }
    let kids = match node.get(b"Kids") {
        Ok(Object::Array(k)) => k.clone(),
        Ok(Object::Reference(r)) => doc.get_object(*r).and_then(Object::as_array).cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    for kid in kids {
        if let Ok(kid) = kid.as_reference() {
            walk(doc, kid, &passed, depth + 1, seen, out);
        }
    }
}

/// A copy of the document whose page tree is one /Pages node listing every
/// page a viewer shows, each once (inherited attributes copied onto each
/// page), with a sentence saying what was repaired; `None` when the tree is
/// sound or the copy cannot be written.
pub fn rebuild_page_tree(doc: &Document) -> Option<(Vec<u8>, String)> {
    let tree = page_tree(doc)?;
    if tree.repeats == 0 || tree.pages.is_empty() {
        return None;
    }
    let mut doc = doc.clone();
    let root = doc.catalog().ok()?.get(b"Pages").ok()?.as_reference().ok()?;
    let n = tree.pages.len();
    for (id, mut page) in tree.pages.iter().cloned() {
        page.set("Parent", Object::Reference(root));
        *doc.get_object_mut(id).ok()? = Object::Dictionary(page);
    }
    let kids: Vec<Object> = tree.pages.iter().map(|(id, _)| Object::Reference(*id)).collect();
    let node = doc.get_dictionary_mut(root).ok()?;
    node.set("Kids", Object::Array(kids));
    node.set("Count", Object::Integer(n as i64));
    let mut clean = Vec::new();
    doc.save_to(&mut clean).ok()?;
    let times = if tree.repeats == 1 { "once".to_string() } else { format!("{} times", tree.repeats) };
    Some((
        clean,
        format!(
            "repaired: the page tree lists a page or one of its own branches again ({times}); \
             read as a viewer shows it, {n} pages, each once"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_endstream_table() {
        type Case = (&'static [u8], Option<(&'static [u8], usize)>);
        let cases: [Case; 6] = [
            (b"stream\r\nxx\r\nendstream\rendobj", None),
            (b"stream\r\nxx\r\nendstrea\rendobj", Some((b"stream\r\nxx\r\nendstream\rendobj", 1))),
            (b"a\nendstrea\nendobj\nb\nendstrea", Some((b"a\nendstream\nendobj\nb\nendstream", 2))),
            // Inside a line (stream data, a string): left alone.
            (b"(endstrea) Tj", None),
            (b"xendstrea\n", None),
            (b"", None),
        ];
        for (input, want) in cases {
            let got = restore_endstream(input);
            assert_eq!(got.as_ref().map(|(b, n)| (b.as_slice(), *n)), want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn deep_nesting_is_flattened_in_place() {
        let deep = |levels: usize| format!("{}1{}", "<< /A ".repeat(levels), " >>".repeat(levels));
        let shallow = format!("1 0 obj << /R {} /F 2 0 R >> endobj", deep(10));
        assert_eq!(flatten_deep_nesting(shallow.as_bytes()), None);

        let file = format!("1 0 obj << /R << /ZZ {} >> /F 2 0 R >> endobj\n2 0 obj (x) endobj", deep(70_000));
        let (out, n) = flatten_deep_nesting(file.as_bytes()).expect("flattened");
        assert_eq!(n, 1);
        assert_eq!(out.len(), file.len());
        let text = String::from_utf8(out).unwrap();
        // The levels up to the limit stay; the value below them is null.
        assert!(text.starts_with("1 0 obj << /R << /ZZ << /A "), "{}", &text[..60]);
        assert!(text.contains("/A null "));
        assert_eq!(text.matches("<<").count(), MAX_NESTING, "the levels up to the limit");
        assert!(text.ends_with(">> /F 2 0 R >> endobj\n2 0 obj (x) endobj"));

        // Brackets inside strings, comments and streams are not nesting.
        let quiet = format!(
            "1 0 obj ({}) endobj % {}\n2 0 obj << /Length 9 >>\nstream\n{}\nendstream\nendobj",
            "<<".repeat(100),
            "[".repeat(100),
            "<<".repeat(100)
        );
        assert_eq!(flatten_deep_nesting(quiet.as_bytes()), None);
        // Cut short: the object is closed by endobj.
        let cut = format!("1 0 obj {} endobj", "[".repeat(100));
        let (out, _) = flatten_deep_nesting(cut.as_bytes()).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("null"));
    }

    #[test]
    fn an_intact_file_is_not_repaired() {
        assert!(repair(b"%PDF-1.4\n1 0 obj<</Length 2>>stream\nxx\nendstream\nendobj\n").is_none());
    }
}
