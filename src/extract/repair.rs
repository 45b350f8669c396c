//! Repairs for damage the readers do not survive on their own.
//!
//! One pattern seen in real files: every stream closed by `endstrea` (the
//! keyword cut one byte short). lopdf's cross-reference rebuild then runs each
//! stream on to the next full `endstream` keyword, swallowing the objects in
//! between (a page's content stream among them), and pdf-extract cannot open
//! the file at all. Restoring the keyword and letting lopdf rebuild the
//! cross-reference table and write the file anew gives every reader a clean
//! copy. Nothing here parses PDF beyond finding the keyword.

use memchr::memmem;

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
    fn an_intact_file_is_not_repaired() {
        assert!(repair(b"%PDF-1.4\n1 0 obj<</Length 2>>stream\nxx\nendstream\nendobj\n").is_none());
    }
}
