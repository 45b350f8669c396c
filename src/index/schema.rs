//! The tantivy schema: which fields a chunk has and how each is indexed.

use crate::structure::LabelSource;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

/// Bumped whenever the schema or the meaning of a field changes; an index
/// of another version is rebuilt.
/// (4: a page's footnotes are a second value of its chunks' body; chunks borrow the end
/// of a sentence from the next page; snippet breaks are stored; `contents`
/// is indexed. 6: acronyms in `riskreg.json`, definitions in `terms.json`.)
pub const SCHEMA_VERSION: u32 = 6;

/// Stemmed English analyzer (tantivy's built-in `en_stem`).
pub const STEMMED: &str = "en_stem";
/// Lower-cased, unstemmed analyzer (tantivy's built-in `default`).
pub const EXACT: &str = "default";

/// Handles to every field, built once per open index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub doc: Field,
    pub doc_title: Field,
    /// The title a citation line shows.
    pub doc_short_title: Field,
    pub version: Field,
    pub date: Field,
    /// 1 for the current edition, 0 for a superseded one.
    pub current: Field,
    /// Chapter number ("9", "A12"; "" for none).
    pub chapter: Field,
    pub chapter_ordinal: Field,
    /// A number unique to each chapter in one index generation (fast), for grouping.
    pub chapter_id: Field,
    pub chapter_heading: Field,
    pub chapter_title: Field,
    pub chapter_parent: Field,
    pub chapter_start: Field,
    pub chapter_end: Field,
    pub chapter_start_pdf: Field,
    pub chapter_end_pdf: Field,
    /// Printed page as a number, when it is one (for `page:200..230`).
    pub page: Field,
    pub page_label: Field,
    /// Where the printed label came from: "printed", "label" or "physical".
    pub page_source: Field,
    pub pdf_page: Field,
    /// 1 on a table-of-contents page.
    pub contents: Field,
    /// Paragraph numbers in the chunk (starting or running on).
    pub para: Field,
    /// JSON `[[offset, "9.14"], …]`: where each paragraph starts in `body`.
    pub para_offsets: Field,
    pub continues: Field,
    /// Byte offset in `body` where words borrowed from the next page begin.
    pub tail_start: Field,
    /// The printed label of the page those words are on ("" when none).
    pub tail_page: Field,
    /// JSON `[offset, …]`: where a paragraph or heading begins in `body`.
    pub breaks: Field,
    /// The page's text is `body`'s first value; the notes at its foot (those
    /// of this chunk), if any, its second: searched with the text (a phrase
    /// never runs from one value into the next), never shown as it.
    /// JSON `[["180", "9.41" | null, "text"], …]`: each note's number, the
    /// paragraph its marker is in, and its text.
    pub notes_json: Field,
    pub body: Field,
    pub body_exact: Field,
    pub file: Field,
}

fn text(tokenizer: &str, positions: bool) -> TextOptions {
    let record = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record))
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let num = || NumericOptions::default();
    let fields = Fields {
        doc: b.add_text_field("doc", STRING | STORED | FAST),
        doc_title: b.add_text_field("doc_title", text(STEMMED, true) | STORED),
        doc_short_title: b.add_text_field("doc_short_title", STORED),
        version: b.add_text_field("version", STRING | STORED | FAST),
        date: b.add_text_field("date", STRING | STORED),
        current: b.add_u64_field("current", num().set_indexed().set_fast()),
        chapter: b.add_text_field("chapter", STRING | STORED | FAST),
        chapter_ordinal: b.add_u64_field("chapter_ordinal", STORED),
        chapter_id: b.add_u64_field("chapter_id", FAST | STORED),
        chapter_heading: b.add_text_field("chapter_heading", STORED),
        chapter_title: b.add_text_field("chapter_title", text(STEMMED, true) | STORED),
        chapter_parent: b.add_text_field("chapter_parent", STORED),
        chapter_start: b.add_text_field("chapter_start", STORED),
        chapter_end: b.add_text_field("chapter_end", STORED),
        chapter_start_pdf: b.add_u64_field("chapter_start_pdf", STORED),
        chapter_end_pdf: b.add_u64_field("chapter_end_pdf", STORED),
        page: b.add_u64_field("page", INDEXED | FAST | STORED),
        page_label: b.add_text_field("page_label", STRING | STORED),
        page_source: b.add_text_field("page_source", STORED),
        pdf_page: b.add_u64_field("pdf_page", INDEXED | FAST | STORED),
        contents: b.add_u64_field("contents", INDEXED | FAST),
        para: b.add_text_field("para", STRING | STORED),
        para_offsets: b.add_text_field("para_offsets", STORED),
        continues: b.add_text_field("continues", STORED),
        tail_start: b.add_u64_field("tail_start", STORED),
        tail_page: b.add_text_field("tail_page", STORED),
        breaks: b.add_text_field("breaks", STORED),
        notes_json: b.add_text_field("notes_json", STORED),
        body: b.add_text_field("body", text(STEMMED, true) | STORED),
        body_exact: b.add_text_field("body_exact", text(EXACT, true)),
        file: b.add_text_field("file", STORED),
    };
    (b.build(), fields)
}

/// How `page_source` is stored (as the JSON spells it).
pub fn label_source_name(s: LabelSource) -> &'static str {
    match s {
        LabelSource::Printed => "printed",
        LabelSource::Label => "label",
        LabelSource::Physical => "physical",
    }
}

/// A stored `page_source` read back; `None` for a value this version does
/// not write.
pub fn label_source_from_name(s: &str) -> Option<LabelSource> {
    [LabelSource::Printed, LabelSource::Label, LabelSource::Physical].into_iter().find(|l| label_source_name(*l) == s)
}
