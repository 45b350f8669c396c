//! The outline (bookmarks) and /Info /Title, read with lopdf 0.47.

use super::OutlineEntry;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Decodes a PDF text string: UTF-16BE with BOM, UTF-8 with BOM, else
/// PDFDocEncoding. Control characters other than tab/newline become spaces.
pub fn decode_text(bytes: &[u8]) -> String {
    let s = if bytes.len() >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF {
        let units: Vec<u16> = bytes[2..].chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE {
        // Not allowed by the spec, but seen in the wild.
        let units: Vec<u16> = bytes[2..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(&bytes[3..]).into_owned()
    } else {
        bytes.iter().map(|&b| pdfdoc_char(b)).collect()
    };
    s.chars()
        .filter(|&c| c != '\u{FEFF}')
        .map(|c| if c.is_control() && c != '\n' && c != '\t' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn pdfdoc_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{2022}', '\u{2020}', '\u{2021}', '\u{2026}', '\u{2014}', '\u{2013}', '\u{0192}', '\u{2044}', '\u{2039}',
        '\u{203A}', '\u{2212}', '\u{2030}', '\u{201E}', '\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}', '\u{201A}',
        '\u{2122}', '\u{FB01}', '\u{FB02}', '\u{0141}', '\u{0152}', '\u{0160}', '\u{0178}', '\u{017D}', '\u{0131}',
        '\u{0142}', '\u{0153}', '\u{0161}', '\u{017E}', '\u{FFFD}',
    ];
    const LOW: [char; 8] =
        ['\u{02D8}', '\u{02C7}', '\u{02C6}', '\u{02D9}', '\u{02DD}', '\u{02DB}', '\u{02DA}', '\u{02DC}'];
    match b {
        0x18..=0x1F => LOW[(b - 0x18) as usize],
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        0xA0 => '\u{20AC}',
        _ => b as char,
    }
}

/// /Info /Title, decoded; `None` when absent or blank.
pub fn read_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let title = match info.get(b"Title").ok()? {
        Object::String(b, _) => decode_text(b),
        Object::Reference(id) => match doc.get_object(*id).ok()? {
            Object::String(b, _) => decode_text(b),
            _ => return None,
        },
        _ => return None,
    };
    (!title.is_empty()).then_some(title)
}

struct Resolver<'a> {
    doc: &'a Document,
    page_of: HashMap<ObjectId, u32>,
    page_count: u32,
    names: Option<HashMap<Vec<u8>, Object>>,
}

fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..16 {
        match obj {
            Object::Reference(id) => obj = doc.get_object(*id).ok()?,
            _ => return Some(obj),
        }
    }
    None
}

impl<'a> Resolver<'a> {
    /// Named destinations from the catalog's /Dests dictionary and the
    /// /Names /Dests name tree, built on first use.
    fn named(&mut self, name: &[u8]) -> Option<Object> {
        if self.names.is_none() {
            let mut map = HashMap::new();
            if let Ok(cat) = self.doc.catalog() {
                if let Some(Object::Dictionary(d)) = cat.get(b"Dests").ok().and_then(|o| deref(self.doc, o)) {
                    for (k, v) in d.iter() {
                        map.insert(k.clone(), v.clone());
                    }
                }
                if let Some(Object::Dictionary(names)) = cat.get(b"Names").ok().and_then(|o| deref(self.doc, o)) {
                    if let Ok(tree) = names.get(b"Dests") {
                        let mut seen = HashSet::new();
                        walk_name_tree(self.doc, tree, 0, &mut seen, &mut map);
                    }
                }
            }
            self.names = Some(map);
        }
        self.names.as_ref().and_then(|m| m.get(name)).cloned()
    }

    fn dest_page(&mut self, dest: &Object, depth: u32) -> Option<u32> {
        if depth > 8 {
            return None;
        }
        let dest = deref(self.doc, dest)?.clone();
        match dest {
            Object::Array(items) => match items.first()? {
                Object::Reference(id) => self.page_of.get(id).copied(),
                // Some producers write a 0-based page index.
                Object::Integer(i) if *i >= 0 && (*i as u64) < self.page_count as u64 => Some(*i as u32 + 1),
                _ => None,
            },
            Object::Name(n) | Object::String(n, _) => {
                let target = self.named(&n)?;
                self.dest_page(&target, depth + 1)
            }
            Object::Dictionary(d) => self.dest_page(d.get(b"D").ok()?, depth + 1),
            _ => None,
        }
    }

    fn entry_page(&mut self, item: &Dictionary) -> Option<u32> {
        if let Ok(dest) = item.get(b"Dest") {
            return self.dest_page(dest, 0);
        }
        let action = deref(self.doc, item.get(b"A").ok()?)?.as_dict().ok()?.clone();
        if action.get(b"S").ok()?.as_name().ok()? != b"GoTo" {
            return None;
        }
        self.dest_page(action.get(b"D").ok()?, 0)
    }
}

fn walk_name_tree(
    doc: &Document,
    node: &Object,
    depth: u32,
    seen: &mut HashSet<ObjectId>,
    out: &mut HashMap<Vec<u8>, Object>,
) {
    if depth > 32 || out.len() > 1_000_000 {
        return;
    }
    if let Object::Reference(id) = node {
        if !seen.insert(*id) {
            return;
        }
    }
    let Some(Object::Dictionary(d)) = deref(doc, node) else {
        return;
    };
    if let Some(Object::Array(items)) = d.get(b"Names").ok().and_then(|o| deref(doc, o)) {
        for pair in items.chunks(2) {
            if let [Object::String(k, _), v] = pair {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    if let Some(Object::Array(kids)) = d.get(b"Kids").ok().and_then(|o| deref(doc, o)) {
        for kid in kids {
            walk_name_tree(doc, kid, depth + 1, seen, out);
        }
    }
}

/// The outline in document order. Entries that point at no page of this
/// document are skipped (counted in a warning); cycles are cut.
pub fn read_outline(doc: &Document, pages: &BTreeMap<u32, ObjectId>, warnings: &mut Vec<String>) -> Vec<OutlineEntry> {
    let mut out = Vec::new();
    let Ok(catalog) = doc.catalog() else {
        return out;
    };
    let Some(Object::Dictionary(root)) = catalog.get(b"Outlines").ok().and_then(|o| deref(doc, o)) else {
        return out;
    };
    let mut r = Resolver {
        doc,
        page_of: pages.iter().map(|(n, id)| (*id, *n)).collect(),
        page_count: pages.len() as u32,
        names: None,
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut found: Vec<(u32, String, Option<u32>)> = Vec::new();
    let mut cut = false;
    // Explicit stack of (node, level): pre-order, children before siblings.
    let mut stack: Vec<(ObjectId, u32)> = Vec::new();
    if let Ok(Object::Reference(first)) = root.get(b"First") {
        stack.push((*first, 1));
    }
    while let Some((id, level)) = stack.pop() {
        if !seen.insert(id) || seen.len() > 200_000 {
            cut = true;
            continue;
        }
        let Ok(item) = doc.get_dictionary(id) else {
            continue;
        };
        if let Ok(Object::Reference(next)) = item.get(b"Next") {
            stack.push((*next, level));
        }
        if level < 64 {
            if let Ok(Object::Reference(first)) = item.get(b"First") {
                stack.push((*first, level + 1));
            }
        }
        let title = match item.get(b"Title").ok().and_then(|o| deref(doc, o)) {
            Some(Object::String(b, _)) => decode_text(b),
            _ => String::new(),
        };
        found.push((level, title, r.entry_page(item)));
    }
    let (kept, skipped) = resolve_parents(found);
    out = kept;
    if let Some((count, first)) = skipped {
        warnings.push(format!(
            "{count} outline entries point at no page of this document and were skipped (the first: {first:?})"
        ));
    }
    if cut {
        warnings.push("the outline loops back on itself; the loop was cut".into());
    }
    out
}

/// Entries in document order with their page, if any. An entry with no
/// destination of its own but with children that have one (a heading that
/// only groups) takes its first child's page; other entries without a page
/// are dropped and counted (with the first one's title).
pub fn resolve_parents(found: Vec<(u32, String, Option<u32>)>) -> (Vec<OutlineEntry>, Option<(usize, String)>) {
    let mut out = Vec::new();
    let mut skipped: Option<(usize, String)> = None;
    for i in 0..found.len() {
        let (level, ref title, page) = found[i];
        let page = page.or_else(|| found[i + 1..].iter().take_while(|(l, _, _)| *l > level).find_map(|(_, _, p)| *p));
        match page {
            Some(page) => out.push(OutlineEntry { level, title: title.clone(), page }),
            None => match &mut skipped {
                Some((n, _)) => *n += 1,
                None => skipped = Some((1, title.clone())),
            },
        }
    }
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_parents_table() {
        let e = |level: u32, title: &str, page: u32| OutlineEntry { level, title: title.into(), page };
        let f = |level: u32, title: &str, page: Option<u32>| (level, title.to_string(), page);
        let cases = vec![
            (vec![f(1, "A", Some(1)), f(1, "B", Some(3))], vec![e(1, "A", 1), e(1, "B", 3)], None),
            // a grouping heading takes its first child's page
            (
                vec![f(1, "Part", None), f(2, "Ch 1", None), f(3, "S 1", Some(4)), f(2, "Ch 2", Some(9))],
                vec![e(1, "Part", 4), e(2, "Ch 1", 4), e(3, "S 1", 4), e(2, "Ch 2", 9)],
                None,
            ),
            // a link elsewhere with no children is dropped and counted
            (
                vec![f(1, "web", None), f(1, "A", Some(2)), f(1, "web2", None)],
                vec![e(1, "A", 2)],
                Some((2, "web".to_string())),
            ),
            // a sibling's page is not borrowed
            (vec![f(2, "x", None), f(1, "A", Some(2))], vec![e(1, "A", 2)], Some((1, "x".to_string()))),
        ];
        for (input, want, skipped) in cases {
            assert_eq!(resolve_parents(input.clone()), (want, skipped), "{input:?}");
        }
    }

    #[test]
    fn decode_text_table() {
        let cases: &[(&[u8], &str)] = &[
            (b"Plain title", "Plain title"),
            (b"  padded \x00 ", "padded"),
            (&[0xFE, 0xFF, 0x00, 0x41, 0x00, 0xE9], "A\u{e9}"),
            (&[0xFE, 0xFF, 0x04, 0x1F], "\u{41F}"),
            (&[0xEF, 0xBB, 0xBF, 0xC3, 0xA9], "\u{e9}"),
            (&[0x8D, b'q', 0x8E, 0x93], "\u{201C}q\u{201D}\u{FB01}"),
            (&[0x84, 0xA0], "\u{2014}\u{20AC}"),
            (&[0xE9], "\u{e9}"),
            (b"a\x01b", "a b"),
        ];
        for (bytes, want) in cases {
            assert_eq!(decode_text(bytes), *want, "{bytes:?}");
        }
    }
}
