//! References in text: the regulator's own ("see paragraph 9.14", "Annex A12
//! of the ICJG", "ICU C7.3") and a draft's citations of the regulator
//! ("Register of Risks, para 9.14, p. 209"). One finder serves both: `index`
//! keeps what each document refers to, `verify` checks what a draft cites.
//!
//! Pure: text and the documents' names in, [`Mention`]s out (`find`);
//! mentions and the documents' structure in, targets out (`resolve`).

mod find;
mod names;
mod resolve;

pub use find::{find, Carry, Mention, Pin};
pub use names::{edition_fits, DocName, NameHit, Names};
pub use resolve::{resolve, Anchor, AnchorKind, LibChapter, Library, LibraryDoc, ParaSpan, Target, Unresolved};

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Para,
    Page,
    Chapter,
    Annex,
    Section,
    Table,
    Measure,
    Footnote,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Para => "para",
            Kind::Page => "page",
            Kind::Chapter => "chapter",
            Kind::Annex => "annex",
            Kind::Section => "section",
            Kind::Table => "table",
            Kind::Measure => "measure",
            Kind::Footnote => "footnote",
        }
    }

    /// How a citation writes it before the value ("para 9.14", "p. 209").
    pub fn written(self, range: bool) -> &'static str {
        match (self, range) {
            (Kind::Para, false) => "para",
            (Kind::Para, true) => "paras",
            (Kind::Page, false) => "p.",
            (Kind::Page, true) => "pp.",
            (Kind::Chapter, _) => "chapter",
            (Kind::Annex, _) => "Annex",
            (Kind::Section, _) => "Section",
            (Kind::Table, _) => "Table",
            (Kind::Measure, _) => "",
            (Kind::Footnote, _) => "footnote",
        }
    }
}
