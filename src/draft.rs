//! Draft letters for `riskreg verify`: a `.txt` or `.md` file, a Word `.docx`, or stdin
//! read into numbered lines (a text file's lines; a `.docx`'s body paragraphs, then its
//! footnotes and endnotes), and a corrected copy in the same format written from
//! byte-range edits of those lines. IO only to read the input; nothing is printed or
//! written to disk here.
//!
//! A `.docx` is a zip: `word/document.xml` (and `footnotes.xml`, `endnotes.xml`) are
//! parsed with quick-xml, keeping where in the XML each `<w:t>` (and each `<w:tab/>`,
//! `<w:br/>`, …) lies, so that a fix rewrites only the text elements it touches and every
//! other byte of the part, and every other zip entry (raw-copied), stays as it was.

use std::io::{Cursor, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

use crate::error::{Error, Result};

/// The largest draft read (a file, or stdin), in bytes.
pub const MAX_DRAFT_BYTES: u64 = 50 * 1024 * 1024;
/// The most one XML part of a `.docx` may unpack to: the guard against a zip bomb.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

const STDIN_NAME: &str = "<stdin>";
/// An OLE compound file: a Word 97–2003 `.doc`, or an encrypted `.docx`.
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const W_NS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const DOCUMENT: &str = "word/document.xml";
const FOOTNOTES: &str = "word/footnotes.xml";
const ENDNOTES: &str = "word/endnotes.xml";

/// What a draft is, which decides how it is read and written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    /// UTF-8 (or UTF-16 with a byte-order mark) text: `.txt`, `.md`, anything not Word.
    Text,
    /// A Word `.docx` (also `.docm`, `.dotx`, `.dotm`).
    Docx,
}

impl DraftKind {
    /// By the file's name alone: Word's extensions are `Docx`, anything else `Text`.
    pub fn of_path(path: &Path) -> DraftKind {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if ["docx", "docm", "dotx", "dotm"].contains(&ext.as_str()) {
            DraftKind::Docx
        } else {
            DraftKind::Text
        }
    }
}

/// Which part of a document a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A text file's lines; a `.docx`'s body paragraphs (table cells included).
    Body,
    /// The footnote with this id (`w:id` in `word/footnotes.xml`).
    Footnote(u32),
    /// The endnote with this id (`w:id` in `word/endnotes.xml`).
    Endnote(u32),
}

/// One line of a draft: a line of a text file, or one `<w:p>` of a `.docx`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLine {
    /// The text, without its line ending; in a `.docx`, `<w:tab/>` is `\t` and a break
    /// a space.
    pub text: String,
    pub part: Part,
    /// 1-based: the line number in a text file; the paragraph number in a `.docx`'s body;
    /// the paragraph within its note.
    pub number: usize,
}

impl DraftLine {
    /// Where the line is, as a report prints it after `file:`: `12` for line or body
    /// paragraph 12, `fn 3.1` for footnote 3's first paragraph, `en 2.1` for an endnote's.
    pub fn place(&self) -> String {
        match self.part {
            Part::Body => self.number.to_string(),
            Part::Footnote(id) => format!("fn {id}.{}", self.number),
            Part::Endnote(id) => format!("en {id}.{}", self.number),
        }
    }
}

/// A draft letter read into lines, with what is needed to write a fixed copy.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The name as given; `<stdin>` for `-`.
    pub name: String,
    pub kind: DraftKind,
    pub lines: Vec<DraftLine>,
    source: Source,
}

/// One change to a draft: bytes `start..end` of `lines[line].text` become `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// An index into [`Draft::lines`].
    pub line: usize,
    /// Byte offsets in that line's text.
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

#[derive(Debug, Clone)]
enum Source {
    Text { encoding: Encoding, endings: Vec<&'static str> },
    Docx(Box<Docx>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8 { bom: bool },
    Utf16 { big_endian: bool },
}

#[derive(Debug, Clone)]
struct Docx {
    /// The whole file: every entry but the edited parts is raw-copied from it.
    bytes: Vec<u8>,
    parts: Vec<XmlPart>,
    /// For each line: which part, and which paragraph in it.
    at: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
struct XmlPart {
    entry: &'static str,
    xml: String,
    paras: Vec<Para>,
}

/// A paragraph's text and where each piece of it lies in the XML.
#[derive(Debug, Clone)]
struct Para {
    part: Part,
    number: usize,
    text: String,
    segs: Vec<Seg>,
}

/// A piece of a paragraph's text (`at`, bytes of [`Para::text`]) and the XML it came from.
#[derive(Debug, Clone)]
struct Seg {
    at: Range<usize>,
    node: Node,
}

#[derive(Debug, Clone)]
enum Node {
    /// A `<w:t>` element: `elem` is all of it, from `<w:t` to `</w:t>`.
    Text { elem: Range<usize>, start_tag: Range<usize>, end_tag: Range<usize>, preserve: bool },
    /// A one-character element: `<w:tab/>`, `<w:br/>`, `<w:noBreakHyphen/>`, …; `t_name`
    /// is the name a `<w:t>` beside it takes (its prefix kept).
    Mark { elem: Range<usize>, t_name: String },
}

fn fail(name: &str, reason: impl Into<String>) -> Error {
    Error::Draft { path: PathBuf::from(name), reason: reason.into() }
}

/// Write a corrected copy whole or not at all: a temporary file beside it,
/// renamed over it (so `--in-place` never leaves half a draft).
pub fn write_copy(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.riskreg-tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Reads a draft: `-` is stdin. A Word extension, or a zip's magic bytes, make it a `.docx`.
pub fn read(path: &Path) -> Result<Draft> {
    let (name, bytes) = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_DRAFT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(Path::new(STDIN_NAME), e))?;
        ("-".to_string(), bytes)
    } else {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        let name = path.display().to_string();
        if meta.is_file() && meta.len() > MAX_DRAFT_BYTES {
            return Err(too_big(&name));
        }
        let mut bytes = Vec::new();
        file.take(MAX_DRAFT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
        (name, bytes)
    };
    let kind = if bytes.starts_with(ZIP_MAGIC) { DraftKind::Docx } else { DraftKind::of_path(path) };
    from_bytes(&name, kind, bytes)
}

fn too_big(name: &str) -> Error {
    fail(name, "larger than 50 MB, the most riskreg reads as a draft letter")
}

/// Reads a draft already in memory; `name` is what errors and reports call it.
pub fn from_bytes(name: &str, kind: DraftKind, bytes: Vec<u8>) -> Result<Draft> {
    let name = if name == "-" { STDIN_NAME } else { name };
    if bytes.len() as u64 > MAX_DRAFT_BYTES {
        return Err(too_big(name));
    }
    if bytes.starts_with(CFB_MAGIC) {
        // Word keeps an encrypted .docx inside an OLE container, beside an
        // `EncryptedPackage` stream; any other OLE file Word writes is a .doc.
        let marker: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        return Err(if memchr::memmem::find(&bytes, &marker).is_some() {
            fail(name, "the .docx is password-protected; save a copy without the password and check that")
        } else {
            fail(name, "a Word 97–2003 .doc; save it as .docx")
        });
    }
    let (lines, source) = match kind {
        DraftKind::Text => {
            if bytes.starts_with(ZIP_MAGIC) {
                return Err(fail(name, "a zip file, not text; a Word draft must be named .docx"));
            }
            if bytes.starts_with(b"{\\rtf") {
                return Err(fail(name, "an RTF file, not plain text; save it as .docx or as plain text"));
            }
            if bytes.starts_with(b"%PDF-") {
                return Err(fail(name, "a PDF, not a draft letter; check the .docx, .txt or .md it was made from"));
            }
            read_text(name, &bytes)?
        }
        DraftKind::Docx => read_docx(name, bytes)?,
    };
    Ok(Draft { name: name.to_string(), kind, lines, source })
}

// ---------------------------------------------------------------- text

fn read_text(name: &str, bytes: &[u8]) -> Result<(Vec<DraftLine>, Source)> {
    let (encoding, text) = if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        (Encoding::Utf8 { bom: true }, utf8(name, rest)?)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (Encoding::Utf16 { big_endian: false }, utf16(name, rest, u16::from_le_bytes)?)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (Encoding::Utf16 { big_endian: true }, utf16(name, rest, u16::from_be_bytes)?)
    } else {
        (Encoding::Utf8 { bom: false }, utf8(name, bytes)?)
    };
    let mut lines = Vec::new();
    let mut endings = Vec::new();
    let mut rest = text.as_str();
    while !rest.is_empty() {
        // A line ends at LF, CRLF, or a lone CR (old Mac files).
        let (line, ending, next) = match rest.find(['\r', '\n']) {
            Some(i) if rest[i..].starts_with("\r\n") => (&rest[..i], "\r\n", &rest[i + 2..]),
            Some(i) if rest[i..].starts_with('\r') => (&rest[..i], "\r", &rest[i + 1..]),
            Some(i) => (&rest[..i], "\n", &rest[i + 1..]),
            None => (rest, "", ""),
        };
        lines.push(DraftLine { text: line.to_string(), part: Part::Body, number: lines.len() + 1 });
        endings.push(ending);
        rest = next;
    }
    Ok((lines, Source::Text { encoding, endings }))
}

fn utf8(name: &str, bytes: &[u8]) -> Result<String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            // The part before the bad byte is valid, so it counts lines as `read_text` does.
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let line = line_breaks(good) + 1;
            let column = good.len() - good.rfind(['\r', '\n']).map_or(0, |i| i + 1) + 1;
            Err(fail(
                name,
                format!(
                    "line {line} is not UTF-8 (the byte 0x{:02X} at column {column}); save the draft as UTF-8 text",
                    bytes[e.valid_up_to()]
                ),
            ))
        }
    }
}

/// How many line ends (LF, CRLF or a lone CR) a text holds.
fn line_breaks(text: &str) -> usize {
    text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count()
}

fn utf16(name: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String> {
    let pairs = bytes.chunks_exact(2);
    let odd = !pairs.remainder().is_empty();
    let mut out = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(pairs.map(|p| unit([p[0], p[1]]))) {
        match c {
            Ok(c) => out.push(c),
            Err(_) => return Err(bad_utf16(name, &out)),
        }
    }
    if odd {
        return Err(bad_utf16(name, &out));
    }
    Ok(out)
}

fn bad_utf16(name: &str, decoded: &str) -> Error {
    let line = line_breaks(decoded) + 1;
    fail(name, format!("line {line} is not valid UTF-16; save the draft as UTF-8 text"))
}

fn write_text(lines: &[String], encoding: Encoding, endings: &[&str]) -> Vec<u8> {
    let mut text = String::new();
    for (line, ending) in lines.iter().zip(endings) {
        text.push_str(line);
        text.push_str(ending);
    }
    match encoding {
        Encoding::Utf8 { bom } => {
            let mut out = if bom { UTF8_BOM.to_vec() } else { Vec::new() };
            out.extend_from_slice(text.as_bytes());
            out
        }
        Encoding::Utf16 { big_endian } => {
            let unit = if big_endian { u16::to_be_bytes } else { u16::to_le_bytes };
            let mut out = unit(0xFEFF).to_vec();
            out.extend(text.encode_utf16().flat_map(unit));
            out
        }
    }
}

// ---------------------------------------------------------------- docx: reading

fn read_docx(name: &str, bytes: Vec<u8>) -> Result<(Vec<DraftLine>, Source)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..]))
        .map_err(|_| fail(name, "not a Word .docx (it is not a zip archive); save it from Word as .docx"))?;
    let mut parts = Vec::new();
    for (entry, kind) in [(DOCUMENT, PartKind::Body), (FOOTNOTES, PartKind::Footnotes), (ENDNOTES, PartKind::Endnotes)]
    {
        match read_entry(name, &mut zip, entry)? {
            Some(xml) => {
                let paras = parse_part(name, entry, &xml, kind)?;
                parts.push(XmlPart { entry, xml, paras });
            }
            None if kind == PartKind::Body => {
                return Err(fail(
                    name,
                    "not a Word .docx (the zip holds no word/document.xml); save it from Word as .docx",
                ))
            }
            None => {}
        }
    }
    drop(zip);
    let mut lines = Vec::new();
    let mut at = Vec::new();
    for (p, part) in parts.iter().enumerate() {
        for (i, para) in part.paras.iter().enumerate() {
            lines.push(DraftLine { text: para.text.clone(), part: para.part, number: para.number });
            at.push((p, i));
        }
    }
    Ok((lines, Source::Docx(Box::new(Docx { bytes, parts, at }))))
}

fn read_entry(name: &str, zip: &mut zip::ZipArchive<Cursor<&[u8]>>, entry: &str) -> Result<Option<String>> {
    let Some(index) = zip.index_for_name(entry) else { return Ok(None) };
    let file = zip.by_index(index).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m) if m == zip::result::ZipError::PASSWORD_REQUIRED => {
            fail(name, "the .docx is password-protected; save a copy without the password and check that")
        }
        zip::result::ZipError::InvalidPassword => {
            fail(name, "the .docx is password-protected; save a copy without the password and check that")
        }
        e => fail(name, format!("{entry} cannot be unpacked ({e}); open the file in Word and save it again")),
    })?;
    let mut buf = Vec::new();
    file.take(MAX_PART_BYTES + 1).read_to_end(&mut buf).map_err(|e| {
        fail(name, format!("{entry} cannot be unpacked ({e}); the file is damaged: open it in Word and save it again"))
    })?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(fail(name, format!("{entry} unpacks to more than 64 MB, too much for a letter; it is not read")));
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| fail(name, format!("{entry} is not UTF-8 XML; open the file in Word and save it again")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Body,
    Footnotes,
    Endnotes,
}

/// What an open element is, while a part is parsed.
enum Frame {
    /// A paragraph being read (its index is on `PartReader::open`).
    Para,
    Run,
    /// A `<w:t>` whose text goes to paragraph `para`.
    Text {
        para: usize,
        start: usize,
        start_tag_end: usize,
        preserve: bool,
        text_start: usize,
    },
    /// A `<w:tab>`-like element written with an end tag.
    Mark {
        para: usize,
        start: usize,
        ch: char,
        t_name: String,
    },
    /// A footnote or endnote (kept or not).
    Note,
    /// `mc:Fallback`: a copy of content already read from `mc:Choice`.
    Fallback,
    Other,
}

/// Where a paragraph's text comes from inside a part.
struct PartReader {
    kind: PartKind,
    paras: Vec<Para>,
    open: Vec<usize>,
    /// The note being read (`None` outside one, or in a separator); always `Body` in the body.
    note: Option<Part>,
    note_paras: usize,
    body_paras: usize,
    fallback: usize,
    /// How many `<w:t>` or mark elements are open: anything inside one is not text of its
    /// own (so no two pieces of text ever overlap in the XML).
    leaf: usize,
}

impl PartReader {
    fn open_para(&mut self) -> Option<usize> {
        let part = self.note?;
        let number = if part == Part::Body {
            self.body_paras += 1;
            self.body_paras
        } else {
            self.note_paras += 1;
            self.note_paras
        };
        self.paras.push(Para { part, number, text: String::new(), segs: Vec::new() });
        Some(self.paras.len() - 1)
    }
}

fn is_w(ns: &ResolveResult) -> bool {
    matches!(ns, ResolveResult::Bound(Namespace(n)) if W_NS.contains(n))
}

/// The character a one-character element stands for in a run.
fn mark_char(local: &str) -> Option<char> {
    match local {
        "tab" | "ptab" => Some('\t'),
        "br" | "cr" => Some(' '),
        "noBreakHyphen" => Some('-'),
        _ => None,
    }
}

fn t_name_beside(e: &BytesStart) -> String {
    match e.name().prefix() {
        Some(p) => format!("{}:t", p.as_ref()),
        None => "t".to_string(),
    }
}

fn has_preserve(e: &BytesStart) -> bool {
    e.attributes().flatten().any(|a| a.key.as_ref() == "xml:space" && a.value == "preserve")
}

/// A note's id when it is one to read: not a separator (`w:type`), id above 0.
fn note_id(e: &BytesStart) -> Option<u32> {
    let mut id = None;
    for a in e.attributes().flatten() {
        match a.key.local_name().as_ref() {
            "type" => return None,
            "id" => id = a.value.trim().parse::<u32>().ok(),
            _ => {}
        }
    }
    id.filter(|id| *id > 0)
}

fn line_and_column(xml: &str, pos: usize) -> (usize, usize) {
    let mut pos = pos.min(xml.len());
    while !xml.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &xml[..pos];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
    (line, column)
}

fn malformed(name: &str, entry: &str, xml: &str, pos: usize, what: impl std::fmt::Display) -> Error {
    let (line, column) = line_and_column(xml, pos);
    fail(
        name,
        format!(
            "{entry} is not well-formed XML at line {line}, column {column} ({what}); open the file in Word and save it again"
        ),
    )
}

fn parse_part(name: &str, entry: &str, xml: &str, kind: PartKind) -> Result<Vec<Para>> {
    let mut reader = NsReader::from_str(xml);
    let mut r = PartReader {
        kind,
        paras: Vec::new(),
        open: Vec::new(),
        note: (kind == PartKind::Body).then_some(Part::Body),
        note_paras: 0,
        body_paras: 0,
        fallback: 0,
        leaf: 0,
    };
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(x) => x,
            Err(e) => return Err(malformed(name, entry, xml, reader.error_position() as usize, e)),
        };
        let after = reader.buffer_position() as usize;
        let ns = match &event {
            Event::Start(e) | Event::Empty(e) => reader.resolver().resolve_element(e.name()).0,
            _ => ResolveResult::Unbound,
        };
        match event {
            Event::Start(e) => {
                let frame = start_frame(&mut r, &stack, &ns, &e, before, after);
                if matches!(frame, Frame::Text { .. } | Frame::Mark { .. }) {
                    r.leaf += 1;
                }
                stack.push(frame);
            }
            Event::Empty(e) => empty_element(&mut r, &stack, &ns, &e, before, after),
            Event::End(_) => match stack.pop() {
                Some(Frame::Para) => {
                    r.open.pop();
                }
                Some(Frame::Text { para, start, start_tag_end, preserve, text_start }) => {
                    r.leaf -= 1;
                    let text_end = r.paras[para].text.len();
                    if text_end > text_start {
                        r.paras[para].segs.push(Seg {
                            at: text_start..text_end,
                            node: Node::Text {
                                elem: start..after,
                                start_tag: start..start_tag_end,
                                end_tag: before..after,
                                preserve,
                            },
                        });
                    }
                }
                Some(Frame::Mark { para, start, ch, t_name }) => {
                    r.leaf -= 1;
                    push_mark(&mut r.paras[para], ch, start..after, t_name);
                }
                Some(Frame::Note) => r.note = None,
                Some(Frame::Fallback) => r.fallback -= 1,
                Some(Frame::Run | Frame::Other) | None => {}
            },
            Event::Text(t) => {
                if let Some(Frame::Text { para, .. }) = stack.last() {
                    r.paras[*para].text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(Frame::Text { para, .. }) = stack.last() {
                    r.paras[*para].text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) => {
                if let Some(Frame::Text { para, .. }) = stack.last() {
                    let c = match g.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => match &*g.xml10_content() {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            other => {
                                return Err(malformed(name, entry, xml, before, format!("unknown entity &{other};")))
                            }
                        },
                        Err(e) => return Err(malformed(name, entry, xml, before, e)),
                    };
                    r.paras[*para].text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(malformed(name, entry, xml, xml.len(), "it ends before its elements are closed"));
    }
    Ok(r.paras)
}

fn push_mark(para: &mut Para, ch: char, elem: Range<usize>, t_name: String) {
    let start = para.text.len();
    para.text.push(ch);
    para.segs.push(Seg { at: start..para.text.len(), node: Node::Mark { elem, t_name } });
}

/// The paragraph a run's content goes to, when the run is the element just opened.
fn run_para(r: &PartReader, stack: &[Frame]) -> Option<usize> {
    match stack.last() {
        Some(Frame::Run) if r.fallback == 0 => r.open.last().copied(),
        _ => None,
    }
}

fn start_frame(
    r: &mut PartReader,
    stack: &[Frame],
    ns: &ResolveResult,
    e: &BytesStart,
    before: usize,
    after: usize,
) -> Frame {
    let local = e.local_name();
    let local = local.as_ref();
    if matches!(ns, ResolveResult::Bound(Namespace(n)) if *n == MC_NS) && local == "Fallback" {
        r.fallback += 1;
        return Frame::Fallback;
    }
    if r.fallback > 0 || r.leaf > 0 || !is_w(ns) {
        return Frame::Other;
    }
    match local {
        "p" => match r.open_para() {
            Some(i) => {
                r.open.push(i);
                Frame::Para
            }
            None => Frame::Other,
        },
        "r" => Frame::Run,
        "t" => match run_para(r, stack) {
            Some(para) => Frame::Text {
                para,
                start: before,
                start_tag_end: after,
                preserve: has_preserve(e),
                text_start: r.paras[para].text.len(),
            },
            None => Frame::Other,
        },
        "footnote" if r.kind == PartKind::Footnotes => {
            r.note = note_id(e).map(Part::Footnote);
            r.note_paras = 0;
            Frame::Note
        }
        "endnote" if r.kind == PartKind::Endnotes => {
            r.note = note_id(e).map(Part::Endnote);
            r.note_paras = 0;
            Frame::Note
        }
        _ => match (mark_char(local), run_para(r, stack)) {
            (Some(ch), Some(para)) => Frame::Mark { para, start: before, ch, t_name: t_name_beside(e) },
            _ => Frame::Other,
        },
    }
}

fn empty_element(r: &mut PartReader, stack: &[Frame], ns: &ResolveResult, e: &BytesStart, before: usize, after: usize) {
    if r.fallback > 0 || r.leaf > 0 || !is_w(ns) {
        return;
    }
    let local = e.local_name();
    match local.as_ref() {
        // An empty paragraph is still a line.
        "p" => {
            r.open_para();
        }
        local => {
            if let (Some(ch), Some(para)) = (mark_char(local), run_para(r, stack)) {
                push_mark(&mut r.paras[para], ch, before..after, t_name_beside(e));
            }
        }
    }
}

// ---------------------------------------------------------------- edits

impl Draft {
    /// The corrected file, in the draft's own format: a text file with its encoding and
    /// line endings, a `.docx` with only the touched `<w:t>` elements rewritten.
    pub fn with_edits(&self, edits: &[Edit]) -> Result<Vec<u8>> {
        let by_line = self.check_edits(edits)?;
        match &self.source {
            Source::Text { encoding, endings } => {
                let lines: Vec<String> = self
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(i, line)| {
                        let mut text = line.text.clone();
                        for e in by_line.get(&i).into_iter().flatten().rev() {
                            text.replace_range(e.start..e.end, &e.replacement);
                        }
                        text
                    })
                    .collect();
                Ok(write_text(&lines, *encoding, endings))
            }
            Source::Docx(docx) => self.docx_with_edits(docx, &by_line),
        }
    }

    /// The edits by line, each line's sorted by where they start; an error for an edit
    /// outside its line, or two that overlap.
    fn check_edits<'e>(&self, edits: &'e [Edit]) -> Result<std::collections::BTreeMap<usize, Vec<&'e Edit>>> {
        let mut by_line: std::collections::BTreeMap<usize, Vec<&Edit>> = std::collections::BTreeMap::new();
        for e in edits {
            let Some(line) = self.lines.get(e.line) else {
                return Err(fail(
                    &self.name,
                    format!("a fix is for line index {}, but the draft has {} lines", e.line, self.lines.len()),
                ));
            };
            let text = &line.text;
            if e.start > e.end || e.end > text.len() || !text.is_char_boundary(e.start) || !text.is_char_boundary(e.end)
            {
                return Err(fail(
                    &self.name,
                    format!(
                        "a fix at {} is for bytes {}..{}, which are not a stretch of that line's text",
                        line.place(),
                        e.start,
                        e.end
                    ),
                ));
            }
            if self.kind == DraftKind::Docx {
                if let Some(c) = e.replacement.chars().find(|c| *c < ' ' || matches!(c, '\u{FFFE}' | '\u{FFFF}')) {
                    return Err(fail(
                        &self.name,
                        format!(
                            "a fix at {} holds the character U+{:04X}, which a .docx paragraph cannot carry",
                            line.place(),
                            c as u32
                        ),
                    ));
                }
            }
            by_line.entry(e.line).or_default().push(e);
        }
        for (i, list) in by_line.iter_mut() {
            list.sort_by_key(|e| (e.start, e.end));
            for pair in list.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if b.start < a.end || b.start == a.start {
                    return Err(fail(
                        &self.name,
                        format!(
                            "two fixes at {} overlap (bytes {}..{} and {}..{})",
                            self.lines[*i].place(),
                            a.start,
                            a.end,
                            b.start,
                            b.end
                        ),
                    ));
                }
            }
        }
        Ok(by_line)
    }

    fn docx_with_edits(&self, docx: &Docx, by_line: &std::collections::BTreeMap<usize, Vec<&Edit>>) -> Result<Vec<u8>> {
        if by_line.is_empty() {
            return Ok(docx.bytes.clone());
        }
        let mut splices: Vec<Vec<(Range<usize>, String)>> = vec![Vec::new(); docx.parts.len()];
        for (line, edits) in by_line {
            let (p, i) = docx.at[*line];
            let part = &docx.parts[p];
            let para = &part.paras[i];
            let place = self.lines[*line].place();
            splices[p].extend(para_splices(&self.name, &place, &part.xml, para, edits)?);
        }
        let mut new_parts: Vec<(&str, String)> = Vec::new();
        for (part, mut list) in docx.parts.iter().zip(splices) {
            if list.is_empty() {
                continue;
            }
            list.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
            // Pieces never nest (see `PartReader::leaf`); checked all the same, as
            // overlapping splices would corrupt the part.
            if list.windows(2).any(|w| w[1].0.end > w[0].0.start) {
                return Err(fail(
                    &self.name,
                    format!("{} could not be rewritten: its text elements overlap", part.entry),
                ));
            }
            let mut xml = part.xml.clone();
            for (range, with) in list {
                xml.replace_range(range, &with);
            }
            new_parts.push((part.entry, xml));
        }
        let write_err = |e: &dyn std::fmt::Display| fail(&self.name, format!("cannot write the fixed copy ({e})"));
        let mut zip = zip::ZipArchive::new(Cursor::new(&docx.bytes[..])).map_err(|e| write_err(&e))?;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(docx.bytes.len() + 1024)));
        for index in 0..zip.len() {
            let file = zip.by_index_raw(index).map_err(|e| write_err(&e))?;
            let entry_name = file.name().map_err(|e| write_err(&e))?.into_owned();
            match new_parts.iter().find(|(entry, _)| *entry == entry_name) {
                Some((_, xml)) => {
                    let options = file.options();
                    drop(file);
                    out.start_file(entry_name, options).map_err(|e| write_err(&e))?;
                    out.write_all(xml.as_bytes()).map_err(|e| write_err(&e))?;
                }
                None => out.raw_copy_file(file).map_err(|e| write_err(&e))?,
            }
        }
        out.set_raw_comment(zip.comment().into()).map_err(|e| write_err(&e))?;
        Ok(out.finish().map_err(|e| write_err(&e))?.into_inner())
    }
}

/// The new text of one paragraph's pieces after its edits, as replacements of XML byte
/// ranges. The replacement goes into the piece where the edit starts; the text it covers
/// is taken out of the pieces after it.
fn para_splices(
    name: &str,
    place: &str,
    xml: &str,
    para: &Para,
    edits: &[&Edit],
) -> Result<Vec<(Range<usize>, String)>> {
    let segs = &para.segs;
    let mut cur: Vec<String> = segs.iter().map(|s| para.text[s.at.clone()].to_string()).collect();
    let mut removed = vec![false; segs.len()];
    let mut before = vec![String::new(); segs.len()];
    let mut after = vec![String::new(); segs.len()];
    let is_text = |i: usize| matches!(segs[i].node, Node::Text { .. });
    // From the end of the paragraph, so that the offsets of the edits before stay right.
    for e in edits.iter().rev() {
        let (s, end) = (e.start, e.end);
        for (i, seg) in segs.iter().enumerate() {
            if seg.at.start < end && seg.at.end > s {
                if is_text(i) {
                    let a = s.max(seg.at.start) - seg.at.start;
                    let b = end.min(seg.at.end) - seg.at.start;
                    cur[i].replace_range(a..b, "");
                } else {
                    removed[i] = true;
                }
            }
        }
        if e.replacement.is_empty() {
            continue;
        }
        let r = &e.replacement;
        if let Some(i) = (0..segs.len()).find(|&i| is_text(i) && segs[i].at.start <= s && s < segs[i].at.end) {
            cur[i].insert_str(s - segs[i].at.start, r);
        } else if let Some(i) = (0..segs.len()).find(|&i| is_text(i) && segs[i].at.end == s) {
            cur[i].insert_str(s - segs[i].at.start, r);
        } else if let Some(i) = (0..segs.len()).find(|&i| segs[i].at.start == s) {
            before[i].insert_str(0, r);
        } else if let Some(i) = (0..segs.len()).rev().find(|&i| segs[i].at.end == s) {
            after[i].push_str(r);
        } else {
            return Err(fail(name, format!("a fix at {place} has no text run to go into (the paragraph is empty)")));
        }
    }
    let mut out = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        match &seg.node {
            Node::Text { elem, start_tag, end_tag, preserve } => {
                if cur[i] == para.text[seg.at.clone()] {
                    continue;
                }
                let tag = &xml[start_tag.clone()];
                let tag = if *preserve || !needs_preserve(&cur[i]) { tag.to_string() } else { with_preserve(tag) };
                out.push((elem.clone(), format!("{tag}{}{}", escape(&cur[i]), &xml[end_tag.clone()])));
            }
            Node::Mark { elem, t_name } => {
                if !removed[i] && before[i].is_empty() && after[i].is_empty() {
                    continue;
                }
                let kept = if removed[i] { "" } else { &xml[elem.clone()] };
                out.push((elem.clone(), format!("{}{kept}{}", new_t(t_name, &before[i]), new_t(t_name, &after[i]))));
            }
        }
    }
    Ok(out)
}

/// Whether Word would lose some of this text's spaces without `xml:space="preserve"`.
fn needs_preserve(text: &str) -> bool {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    text.starts_with(ws) || text.ends_with(ws) || text.contains("  ") || text.contains(['\t', '\n', '\r'])
}

/// A `<w:t …>` start tag with `xml:space="preserve"` (any other `xml:space` dropped).
fn with_preserve(tag: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(tag);
    if let Ok(Event::Start(e)) = reader.read_event() {
        let mut out = format!("<{}", e.name().as_ref());
        for a in e.attributes().flatten() {
            if a.key.as_ref() == "xml:space" {
                continue;
            }
            let value = a.value.replace('"', "&quot;");
            out.push_str(&format!(" {}=\"{value}\"", a.key.as_ref()));
        }
        out.push_str(" xml:space=\"preserve\">");
        return out;
    }
    format!("{} xml:space=\"preserve\">", tag.trim_end_matches('>'))
}

fn new_t(t_name: &str, text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let space = if needs_preserve(text) { " xml:space=\"preserve\"" } else { "" };
    format!("<{t_name}{space}>{}</{t_name}>", escape(text))
}

/// Text as XML character data; line ends and tabs as references, so that they survive
/// the parser's normalisation.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use zip::write::SimpleFileOptions;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                     xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>"#;

    fn document() -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>See the Register of Ri</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>sks, p. 20</w:t></w:r><w:r><w:t xml:space="preserve">9 </w:t></w:r><w:r><w:t>¶9.14.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>
<w:p><w:r><w:t>Smith</w:t><w:tab/><w:t>&amp; Jones ‘quoted’ &#8212; A&lt;B</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell one</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>cell</w:t><w:br/><w:t>two</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:ins w:id="5" w:author="A"><w:r><w:t xml:space="preserve">kept </w:t></w:r></w:ins><w:del w:id="6" w:author="A"><w:r><w:delText>gone </w:delText></w:r></w:del><w:r><w:t>non</w:t><w:noBreakHyphen/><w:t>breaking</w:t></w:r></w:p>
<w:p/>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>in a box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>in a box</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after the box</w:t></w:r></w:p>
<w:p><w:r><w:tab/><w:t>indented</w:t><w:br/></w:r></w:p>
<w:sectPr/></w:body></w:document>"#
        )
    }

    fn footnotes() -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteReference/></w:r><w:r><w:t xml:space="preserve"> Ofcom, Illegal Content Judgements Guidance, para 3.</w:t></w:r></w:p><w:p><w:r><w:t>Second para.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        )
    }

    const STYLES: &str =
        "<?xml version=\"1.0\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>";

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in entries {
            let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            w.start_file(*name, options).unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn sample_docx() -> Vec<u8> {
        let (doc, notes) = (document(), footnotes());
        zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("word/document.xml", doc.as_bytes()),
            ("word/styles.xml", STYLES.as_bytes()),
            ("word/footnotes.xml", notes.as_bytes()),
            ("word/media/image1.png", &[0x89, b'P', b'N', b'G', 0, 1, 2, 3, 255]),
        ])
    }

    fn texts(d: &Draft) -> Vec<String> {
        d.lines.iter().map(|l| l.text.clone()).collect()
    }

    fn err(r: Result<Draft>) -> String {
        r.unwrap_err().to_string()
    }

    /// `lines` with `edits` applied as plain strings: what a re-read fixed copy must hold.
    fn edited(lines: &[String], edits: &[Edit]) -> Vec<String> {
        let mut out = lines.to_vec();
        let mut sorted = edits.to_vec();
        sorted.sort_by_key(|e| std::cmp::Reverse((e.line, e.start)));
        for e in sorted {
            out[e.line].replace_range(e.start..e.end, &e.replacement);
        }
        out
    }

    fn edit(d: &Draft, line: usize, find: &str, replacement: &str) -> Edit {
        let start = d.lines[line].text.find(find).unwrap_or_else(|| panic!("{find:?} not in line {line}"));
        Edit { line, start, end: start + find.len(), replacement: replacement.to_string() }
    }

    fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>, Vec<u8>)> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut raw = Vec::new();
                let name = {
                    let mut f = zip.by_index_raw(i).unwrap();
                    f.read_to_end(&mut raw).unwrap();
                    f.name().unwrap().into_owned()
                };
                let mut plain = Vec::new();
                zip.by_index(i).unwrap().read_to_end(&mut plain).unwrap();
                (name, raw, plain)
            })
            .collect()
    }

    #[test]
    fn a_docx_is_read_paragraph_by_paragraph_then_its_notes() {
        let d = from_bytes("letter.docx", DraftKind::Docx, sample_docx()).unwrap();
        assert_eq!(d.name, "letter.docx");
        assert_eq!(d.kind, DraftKind::Docx);
        assert_eq!(
            texts(&d),
            [
                "See the Register of Risks, p. 209 ¶9.14.",
                "Smith\t& Jones ‘quoted’ — A<B",
                "cell one",
                "cell two",
                "kept non-breaking",
                "",
                "after the box",
                "in a box",
                "\tindented ",
                " Ofcom, Illegal Content Judgements Guidance, para 3.",
                "Second para.",
            ]
        );
        let places: Vec<String> = d.lines.iter().map(DraftLine::place).collect();
        assert_eq!(places, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "fn 1.1", "fn 1.2"]);
        assert_eq!(d.lines[9].part, Part::Footnote(1));
        let en = DraftLine { text: String::new(), part: Part::Endnote(2), number: 1 };
        assert_eq!(en.place(), "en 2.1");
    }

    #[test]
    fn every_text_element_is_found_where_it_lies() {
        let d = from_bytes("letter.docx", DraftKind::Docx, sample_docx()).unwrap();
        let Source::Docx(docx) = &d.source else { panic!("not a docx") };
        for part in &docx.parts {
            for para in &part.paras {
                let mut joined = String::new();
                for seg in &para.segs {
                    assert_eq!(seg.at.start, joined.len());
                    joined.push_str(&para.text[seg.at.clone()]);
                    match &seg.node {
                        Node::Text { elem, start_tag, end_tag, .. } => {
                            assert!(part.xml[start_tag.clone()].starts_with("<w:t"), "{:?}", &part.xml[elem.clone()]);
                            assert!(part.xml[start_tag.clone()].ends_with('>'));
                            assert_eq!(&part.xml[end_tag.clone()], "</w:t>");
                            assert_eq!((elem.start, elem.end), (start_tag.start, end_tag.end));
                        }
                        Node::Mark { elem, t_name } => {
                            assert!(
                                part.xml[elem.clone()].starts_with("<w:") && part.xml[elem.clone()].ends_with("/>")
                            );
                            assert_eq!(t_name, "w:t");
                        }
                    }
                }
                assert_eq!(joined, para.text);
            }
        }
    }

    #[test]
    fn a_fixed_docx_reads_back_as_the_edited_text_and_keeps_every_other_entry() {
        let original = sample_docx();
        let d = from_bytes("letter.docx", DraftKind::Docx, original.clone()).unwrap();
        let edits = vec![
            // Over three runs, and two in one line.
            edit(&d, 0, "Register of Risks", "Register of Risks (December 2024)"),
            edit(&d, 0, "p. 209 ", "p. 210 "),
            // Entities and a smart quote around it, and a tab taken out.
            edit(&d, 1, "\t& Jones", " and Jones"),
            edit(&d, 1, "A<B", "A&B <ok>"),
            // Text that gains a leading space, and one put before a break.
            edit(&d, 2, "cell", ""),
            Edit { line: 3, start: 4, end: 4, replacement: "!".into() },
            edit(&d, 4, "-", " – "),
            Edit { line: 8, start: 0, end: 0, replacement: "¶ ".into() },
            Edit { line: 8, start: 10, end: 10, replacement: ".".into() },
            edit(&d, 9, "para 3.", "para 3.4."),
        ];
        let fixed = d.with_edits(&edits).unwrap();
        let again = from_bytes("fixed.docx", DraftKind::Docx, fixed.clone()).unwrap();
        assert_eq!(texts(&again), edited(&texts(&d), &edits));
        assert_eq!(texts(&again)[0], "See the Register of Risks (December 2024), p. 210 ¶9.14.");
        assert_eq!(texts(&again)[1], "Smith and Jones ‘quoted’ — A&B <ok>");
        let places: Vec<String> = again.lines.iter().map(DraftLine::place).collect();
        let before: Vec<String> = d.lines.iter().map(DraftLine::place).collect();
        assert_eq!(places, before);

        let (old, new) = (entries(&original), entries(&fixed));
        let names = |e: &[(String, Vec<u8>, Vec<u8>)]| e.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&old), names(&new));
        for (o, n) in old.iter().zip(&new) {
            if o.0 == "word/document.xml" || o.0 == "word/footnotes.xml" {
                continue;
            }
            assert_eq!((&o.1, &o.2), (&n.1, &n.2), "{} changed", o.0);
        }
        let xml = String::from_utf8(new[1].2.clone()).unwrap();
        // Only the touched elements change: the formatting runs and table stay.
        assert!(xml.contains(r#"<w:t>See the Register of Risks (December 2024)</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">, p. 210 </w:t></w:r><w:r><w:t xml:space="preserve"></w:t></w:r>"#), "{xml}");
        assert!(
            xml.contains(r#"<w:t>Smith and Jones</w:t><w:t xml:space="preserve"> ‘quoted’ — A&amp;B &lt;ok&gt;</w:t>"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<w:t xml:space="preserve"> one</w:t>"#), "{xml}");
        assert!(xml.contains("<w:t>cell!</w:t><w:br/><w:t>two</w:t>"), "{xml}");
        assert!(xml.contains(r#"<w:t xml:space="preserve">non – </w:t><w:t>breaking</w:t>"#), "{xml}");
        assert!(
            xml.contains(
                r#"<w:r><w:t xml:space="preserve">¶ </w:t><w:tab/><w:t>indented</w:t><w:br/><w:t>.</w:t></w:r>"#
            ),
            "{xml}"
        );
        assert!(xml.contains("<w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"));
        let old_xml = String::from_utf8(old[1].2.clone()).unwrap();
        let (from, to) = ("<w:p><w:r><mc:AlternateContent>", "after the box</w:t></w:r></w:p>");
        let boxed = &old_xml[old_xml.find(from).unwrap()..old_xml.find(to).unwrap() + to.len()];
        assert!(xml.contains(boxed), "{xml}");
    }

    #[test]
    fn no_edits_give_the_same_file() {
        let original = sample_docx();
        let d = from_bytes("letter.docx", DraftKind::Docx, original.clone()).unwrap();
        assert_eq!(d.with_edits(&[]).unwrap(), original);
    }

    /// A small deterministic generator, so that the property test needs no crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    #[test]
    fn any_set_of_edits_reads_back_as_the_edited_text() {
        let d = from_bytes("letter.docx", DraftKind::Docx, sample_docx()).unwrap();
        let pieces = ["", "x", " ", "  a ", "&", "<b>", "‘q’", "para 9.14", "—"];
        let mut rng = Lcg(7);
        for round in 0..300 {
            let mut edits = Vec::new();
            for (line, l) in d.lines.iter().enumerate() {
                if l.text.is_empty() || rng.next(3) == 0 {
                    continue;
                }
                let bounds: Vec<usize> = (0..=l.text.len()).filter(|i| l.text.is_char_boundary(*i)).collect();
                let mut at = 0;
                for _ in 0..1 + rng.next(3) {
                    if at > l.text.len() {
                        break;
                    }
                    let rest = &bounds[bounds.iter().position(|b| *b >= at).unwrap()..];
                    if rest.len() < 2 {
                        break;
                    }
                    let start = rest[rng.next(rest.len() - 1)];
                    let after: Vec<usize> = bounds.iter().copied().filter(|b| *b >= start).collect();
                    let end = after[rng.next(after.len().min(6))];
                    edits.push(Edit { line, start, end, replacement: pieces[rng.next(pieces.len())].to_string() });
                    at = end + 1;
                }
            }
            let fixed = d.with_edits(&edits).unwrap_or_else(|e| panic!("round {round}: {e} for {edits:?}"));
            let again = from_bytes("fixed.docx", DraftKind::Docx, fixed).unwrap();
            assert_eq!(texts(&again), edited(&texts(&d), &edits), "round {round}: {edits:?}");
        }
    }

    #[test]
    fn overlapping_or_stray_edits_are_refused() {
        let d = from_bytes("letter.docx", DraftKind::Docx, sample_docx()).unwrap();
        let e = |line, start, end, r: &str| Edit { line, start, end, replacement: r.into() };
        let cases = [
            (vec![e(0, 4, 12, "a"), e(0, 10, 14, "b")], "letter.docx: two fixes at 1 overlap (bytes 4..12 and 10..14)"),
            (vec![e(9, 3, 3, "a"), e(9, 3, 5, "b")], "letter.docx: two fixes at fn 1.1 overlap (bytes 3..3 and 3..5)"),
            (vec![e(99, 0, 1, "a")], "letter.docx: a fix is for line index 99, but the draft has 11 lines"),
            (
                vec![e(1, 25, 26, "a")],
                "letter.docx: a fix at 2 is for bytes 25..26, which are not a stretch of that line's text",
            ),
            (
                vec![e(2, 0, 4, "a\nb")],
                "letter.docx: a fix at 3 holds the character U+000A, which a .docx paragraph cannot carry",
            ),
            (vec![e(5, 0, 0, "new")], "letter.docx: a fix at 6 has no text run to go into (the paragraph is empty)"),
        ];
        for (edits, message) in cases {
            assert_eq!(d.with_edits(&edits).unwrap_err().to_string(), message);
        }
        // Touching is not overlapping.
        assert!(d.with_edits(&[e(0, 0, 3, "Read"), e(0, 3, 3, "!"), e(0, 4, 7, "a")]).is_ok());
    }

    #[test]
    fn text_keeps_its_line_endings_bom_and_final_newline() {
        let cases: [&[u8]; 5] = [
            b"Dear Sir,\r\nSee ror p. 209.\r\nYours\r\n",
            b"Dear Sir,\nSee ror p. 209.\nYours",
            b"\xEF\xBB\xBFDear Sir,\r\nSee ror p. 209.\nYours\n",
            b"Dear Sir,\n\nSee ror p. 209.\n",
            b"Dear Sir,\rSee ror p. 209.\r\rYours\r",
        ];
        for bytes in cases {
            let d = from_bytes("letter.md", DraftKind::Text, bytes.to_vec()).unwrap();
            assert_eq!(d.lines[0].text, "Dear Sir,");
            let line = d.lines.iter().position(|l| l.text.contains("209")).unwrap();
            let fixed = d.with_edits(&[edit(&d, line, "209", "210")]).unwrap();
            let want = String::from_utf8_lossy(bytes).replace("209", "210");
            assert_eq!(String::from_utf8_lossy(&fixed), want);
            assert_eq!(d.with_edits(&[]).unwrap(), bytes);
        }
        let d = from_bytes("a.txt", DraftKind::Text, b"one\r\ntwo".to_vec()).unwrap();
        assert_eq!(texts(&d), ["one", "two"]);
        assert_eq!((d.lines[1].number, d.lines[1].place(), d.lines[1].part), (2, "2".to_string(), Part::Body));
        assert!(from_bytes("-", DraftKind::Text, Vec::new()).unwrap().lines.is_empty());
        assert_eq!(from_bytes("-", DraftKind::Text, Vec::new()).unwrap().name, "<stdin>");
    }

    #[test]
    fn utf16_text_is_read_and_written_back_as_utf16() {
        for big_endian in [false, true] {
            let unit = if big_endian { u16::to_be_bytes } else { u16::to_le_bytes };
            let encode = |s: &str| -> Vec<u8> {
                let mut v = unit(0xFEFF).to_vec();
                v.extend(s.encode_utf16().flat_map(unit));
                v
            };
            let d = from_bytes("a.txt", DraftKind::Text, encode("para ‘9.14’\r\nnext\r\n")).unwrap();
            assert_eq!(texts(&d), ["para ‘9.14’", "next"]);
            let fixed = d.with_edits(&[edit(&d, 0, "9.14", "9.15")]).unwrap();
            assert_eq!(fixed, encode("para ‘9.15’\r\nnext\r\n"));
        }
        let mut bad = vec![0xFF, 0xFE];
        bad.extend("a\nb\n".encode_utf16().flat_map(u16::to_le_bytes));
        bad.extend([0x00, 0xD8, b'c', 0]);
        assert_eq!(
            err(from_bytes("a.txt", DraftKind::Text, bad)),
            "a.txt: line 3 is not valid UTF-16; save the draft as UTF-8 text"
        );
        let mut odd = vec![0xFE, 0xFF];
        odd.extend("a\r\nb\rc".encode_utf16().flat_map(u16::to_be_bytes));
        odd.push(b'd');
        assert_eq!(
            err(from_bytes("a.txt", DraftKind::Text, odd)),
            "a.txt: line 3 is not valid UTF-16; save the draft as UTF-8 text"
        );
    }

    #[test]
    fn each_error_says_what_is_wrong_and_what_to_do() {
        let mut doc = CFB_MAGIC.to_vec();
        doc.resize(1024, 0);
        let mut encrypted = doc.clone();
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let no_document = zip_of(&[("[Content_Types].xml", CONTENT_TYPES.as_bytes())]);
        let broken = |xml: &str| zip_of(&[("word/document.xml", xml.as_bytes())]);
        let cases: Vec<(Result<Draft>, &str)> = vec![
            (
                from_bytes("letter.doc", DraftKind::Text, doc.clone()),
                "letter.doc: a Word 97–2003 .doc; save it as .docx",
            ),
            (from_bytes("letter.docx", DraftKind::Docx, doc), "letter.docx: a Word 97–2003 .doc; save it as .docx"),
            (
                from_bytes("letter.docx", DraftKind::Docx, encrypted),
                "letter.docx: the .docx is password-protected; save a copy without the password and check that",
            ),
            (
                from_bytes("letter.docx", DraftKind::Docx, b"Dear Sir".to_vec()),
                "letter.docx: not a Word .docx (it is not a zip archive); save it from Word as .docx",
            ),
            (
                from_bytes("letter.docx", DraftKind::Docx, no_document),
                "letter.docx: not a Word .docx (the zip holds no word/document.xml); save it from Word as .docx",
            ),
            (
                from_bytes(
                    "letter.docx",
                    DraftKind::Docx,
                    broken(&format!("<w:document {W}>\n<w:body><w:p></w:body>")),
                ),
                "letter.docx: word/document.xml is not well-formed XML at line 2, column 14 (ill-formed document: \
                 expected `</w:p>`, but `</w:body>` was found); open the file in Word and save it again",
            ),
            (
                from_bytes("letter.docx", DraftKind::Docx, broken(&format!("<w:document {W}><w:body><w:p>"))),
                "letter.docx: word/document.xml is not well-formed XML at line 1, column 168 (it ends before its \
                 elements are closed); open the file in Word and save it again",
            ),
            (
                from_bytes(
                    "letter.docx",
                    DraftKind::Docx,
                    broken(&format!(
                        "<w:document {W}><w:body><w:p><w:r><w:t>a &nbsp; b</w:t></w:r></w:p></w:body></w:document>"
                    )),
                ),
                "letter.docx: word/document.xml is not well-formed XML at line 1, column 180 (unknown entity &nbsp;); \
                 open the file in Word and save it again",
            ),
            (
                from_bytes("letter.docx", DraftKind::Docx, zip_of(&[("word/document.xml", b"\xFF\xFE<")])),
                "letter.docx: word/document.xml is not UTF-8 XML; open the file in Word and save it again",
            ),
            (
                from_bytes("letter.txt", DraftKind::Text, b"Dear Sir,\nSee p. 209 \xE9t\xE9\n".to_vec()),
                "letter.txt: line 2 is not UTF-8 (the byte 0xE9 at column 12); save the draft as UTF-8 text",
            ),
            (
                from_bytes("letter.txt", DraftKind::Text, sample_docx()),
                "letter.txt: a zip file, not text; a Word draft must be named .docx",
            ),
            (
                from_bytes("letter.doc", DraftKind::Text, b"{\\rtf1\\ansi Dear Sir}".to_vec()),
                "letter.doc: an RTF file, not plain text; save it as .docx or as plain text",
            ),
            (
                from_bytes("letter.txt", DraftKind::Text, b"%PDF-1.7\n".to_vec()),
                "letter.txt: a PDF, not a draft letter; check the .docx, .txt or .md it was made from",
            ),
            (
                from_bytes("-", DraftKind::Text, vec![b'a'; MAX_DRAFT_BYTES as usize + 1]),
                "<stdin>: larger than 50 MB, the most riskreg reads as a draft letter",
            ),
        ];
        for (got, want) in cases {
            let e = got.unwrap_err();
            assert_eq!(e.to_string(), want);
            assert_eq!(e.kind(), crate::error::Kind::BadRequest);
        }
    }

    #[test]
    fn a_doc_file_is_named_as_one() {
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        bytes.extend(b"Microsoft Word 97-2003 document");
        let e = from_bytes("Letter to Ofcom.doc", DraftKind::of_path(Path::new("Letter to Ofcom.doc")), bytes);
        assert_eq!(err(e), "Letter to Ofcom.doc: a Word 97–2003 .doc; save it as .docx");
    }

    #[test]
    fn a_zip_bomb_is_not_unpacked() {
        let mut xml = format!("<w:document {W}><w:body><w:p><w:r><w:t>").into_bytes();
        xml.resize(MAX_PART_BYTES as usize + 10, b'a');
        let bomb = zip_of(&[("word/document.xml", &xml)]);
        assert!(bomb.len() < 1024 * 1024);
        assert_eq!(
            err(from_bytes("letter.docx", DraftKind::Docx, bomb)),
            "letter.docx: word/document.xml unpacks to more than 64 MB, too much for a letter; it is not read"
        );
    }

    #[test]
    fn files_are_read_by_name_and_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("Letter.DOCX");
        std::fs::write(&docx, sample_docx()).unwrap();
        let disguised = dir.path().join("letter.txt");
        std::fs::write(&disguised, sample_docx()).unwrap();
        let md = dir.path().join("letter.md");
        std::fs::write(&md, "# Dear Sir\r\n\r\nSee **ror** p. 209.\r\n").unwrap();
        let d = read(&docx).unwrap();
        assert_eq!((d.kind, d.lines.len(), d.name.as_str()), (DraftKind::Docx, 11, docx.to_str().unwrap()));
        assert_eq!(read(&disguised).unwrap().kind, DraftKind::Docx);
        let d = read(&md).unwrap();
        assert_eq!(
            (d.kind, texts(&d)),
            (DraftKind::Text, vec!["# Dear Sir".into(), "".into(), "See **ror** p. 209.".into()])
        );
        let missing = dir.path().join("nope.docx");
        assert_eq!(err(read(&missing)), format!("{}: No such file or directory (os error 2)", missing.display()));
        assert_eq!(DraftKind::of_path(Path::new("a.docm")), DraftKind::Docx);
        assert_eq!(DraftKind::of_path(Path::new("-")), DraftKind::Text);
    }

    #[test]
    fn text_inside_text_is_not_read_twice() {
        let xml = format!(
            "<w:document {W}><w:body><w:p><w:r><w:t>a<w:r><w:t>b</w:t><w:tab/></w:r><w:p><w:r><w:t>c</w:t></w:r></w:p>d</w:t></w:r></w:p></w:body></w:document>"
        );
        let d = from_bytes("x.docx", DraftKind::Docx, zip_of(&[("word/document.xml", xml.as_bytes())])).unwrap();
        assert_eq!(texts(&d), ["ad"]);
        let fixed = d.with_edits(&[Edit { line: 0, start: 0, end: 2, replacement: "e".into() }]).unwrap();
        assert_eq!(texts(&from_bytes("x.docx", DraftKind::Docx, fixed).unwrap()), ["e"]);
    }

    #[test]
    fn damaged_input_is_an_error_never_a_panic() {
        let good = sample_docx();
        for cut in (0..good.len()).step_by(7) {
            let _ = from_bytes("x.docx", DraftKind::Docx, good[..cut].to_vec());
            let mut flipped = good.clone();
            flipped[cut] ^= 0x5A;
            let _ = from_bytes("x.docx", DraftKind::Docx, flipped);
        }
        let xml = document();
        for cut in (0..xml.len()).filter(|i| xml.is_char_boundary(*i)).step_by(3) {
            let bytes = zip_of(&[("word/document.xml", &xml.as_bytes()[..cut])]);
            if let Ok(d) = from_bytes("x.docx", DraftKind::Docx, bytes) {
                for (i, l) in d.lines.iter().enumerate() {
                    if !l.text.is_empty() {
                        let _ = d.with_edits(&[Edit { line: i, start: 0, end: 1, replacement: "Z".into() }]);
                    }
                }
            }
            let mut mangled = xml.clone();
            mangled.replace_range(cut..cut, "<");
            let _ = from_bytes("x.docx", DraftKind::Docx, zip_of(&[("word/document.xml", mangled.as_bytes())]));
        }
    }
}
