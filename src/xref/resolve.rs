//! A pinpoint resolved against the indexed documents: which pages it means,
//! or why it means none.

use super::find::Pin;
use super::Kind;

/// A numbered paragraph's first and last physical page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParaSpan {
    pub number: String,
    pub page: u32,
    pub end_page: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorKind {
    Table,
    Measure,
    Footnote,
}

/// Something labelled that a reference can point at besides paragraphs,
/// pages and chapters: a table's caption, a measure's code, a note.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    pub kind: AnchorKind,
    /// "9.1", "ICU C1", "180".
    pub label: String,
    /// Physical page.
    pub page: u32,
}

/// A chapter, as resolution needs it.
#[derive(Debug, Clone)]
pub struct LibChapter {
    pub number: String,
    pub heading: String,
    pub level: u32,
    pub pdf_start: u32,
    pub pdf_end: u32,
}

/// One indexed document's structure.
#[derive(Debug, Clone)]
pub struct LibraryDoc {
    pub id: String,
    pub chapters: Vec<LibChapter>,
    /// Printed label of each physical page.
    pub page_labels: Vec<String>,
    pub paragraphs: Vec<ParaSpan>,
    pub anchors: Vec<Anchor>,
}

/// Every indexed document, in the order of [`super::Names`].
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub docs: Vec<LibraryDoc>,
}

/// Where a reference leads.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    pub doc: String,
    /// "¶9.14", "chapter 9. Human trafficking", "Table 9.1", "p. 209".
    pub label: String,
    /// First and last physical page.
    pub page: u32,
    pub end_page: u32,
    /// Printed labels of those pages.
    pub printed: String,
    pub printed_end: String,
}

/// Why a reference leads nowhere.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Unresolved {
    pub reason: String,
}

impl LibraryDoc {
    fn label(&self, physical: u32) -> String {
        self.page_labels.get(physical as usize - 1).cloned().unwrap_or_else(|| physical.to_string())
    }

    /// Physical page of a printed label.
    pub fn page(&self, printed: &str) -> Option<u32> {
        self.page_labels.iter().position(|l| l.eq_ignore_ascii_case(printed)).map(|i| i as u32 + 1)
    }

    pub fn paragraph(&self, number: &str) -> Option<&ParaSpan> {
        self.paragraphs.iter().find(|p| p.number == number)
    }

    fn chapter(&self, kind: Kind, value: &str) -> Option<&LibChapter> {
        let by_number = |n: &str| {
            let mut found: Vec<&LibChapter> =
                self.chapters.iter().filter(|c| c.number.eq_ignore_ascii_case(n)).collect();
            found.sort_by_key(|c| c.level);
            found.first().copied()
        };
        let by_heading = |word: &str| {
            self.chapters.iter().find(|c| {
                let h = c.heading.to_lowercase();
                h.strip_prefix(word).and_then(|r| r.strip_prefix(' ')).is_some_and(|r| {
                    r.split(|c: char| !c.is_alphanumeric()).next().is_some_and(|n| n.eq_ignore_ascii_case(value))
                })
            })
        };
        match kind {
            Kind::Annex => by_number(value).or_else(|| by_number(&format!("A{value}"))).or_else(|| by_heading("annex")),
            Kind::Section => by_heading("section").or_else(|| by_number(value)),
            _ => by_number(value),
        }
    }

    fn anchor(&self, kind: AnchorKind, label: &str) -> Option<&Anchor> {
        self.anchors.iter().find(|a| a.kind == kind && a.label.eq_ignore_ascii_case(label))
    }

    fn target(&self, label: String, page: u32, end_page: u32) -> Target {
        Target {
            doc: self.id.clone(),
            label,
            page,
            end_page,
            printed: self.label(page),
            printed_end: self.label(end_page),
        }
    }

    /// One value of a pinpoint in this document.
    fn one(&self, kind: Kind, value: &str) -> Result<Target, String> {
        match kind {
            Kind::Para => match self.paragraph(value) {
                Some(p) => Ok(self.target(format!("¶{value}"), p.page, p.end_page)),
                None if self.paragraphs.is_empty() => Err(format!("{} has no numbered paragraphs", self.id)),
                None => Err(format!("{} has no paragraph {value}", self.id)),
            },
            Kind::Page => match self.page(value) {
                Some(p) => Ok(self.target(format!("p. {value}"), p, p)),
                None => Err(format!(
                    "{} has no page {value} (its pages are {}–{})",
                    self.id,
                    self.page_labels.first().map_or("", String::as_str),
                    self.page_labels.last().map_or("", String::as_str)
                )),
            },
            Kind::Chapter | Kind::Annex | Kind::Section => match self.chapter(kind, value) {
                Some(c) => Ok(self.target(
                    if c.heading.is_empty() { format!("{} {value}", kind.name()) } else { c.heading.clone() },
                    c.pdf_start,
                    c.pdf_end,
                )),
                None => Err(format!("{} has no {} {value}", self.id, kind.name())),
            },
            Kind::Table | Kind::Measure | Kind::Footnote => {
                let ak = match kind {
                    Kind::Table => AnchorKind::Table,
                    Kind::Measure => AnchorKind::Measure,
                    _ => AnchorKind::Footnote,
                };
                // "ICU C7.3(b)" is inside measure "ICU C7.3", itself inside "ICU C7".
                let mut v = value.split('(').next().unwrap_or(value).to_string();
                loop {
                    if let Some(a) = self.anchor(ak, &v) {
                        let label = match kind {
                            Kind::Table => format!("Table {}", a.label),
                            Kind::Footnote => format!("fn {}", a.label),
                            _ => a.label.clone(),
                        };
                        return Ok(self.target(label, a.page, a.page));
                    }
                    match v.rfind('.') {
                        Some(dot) if kind == Kind::Measure => v.truncate(dot),
                        _ => break,
                    }
                }
                let what = match kind {
                    Kind::Measure => "measure",
                    Kind::Footnote => "footnote",
                    _ => "table",
                };
                Err(format!("{} has no {what} {value}", self.id))
            }
        }
    }
}

/// Resolve one pinpoint in the document `doc` (an index into `lib.docs`).
/// A measure code that the document does not define is looked for in the
/// others (codes are unique across the Codes). A range resolves when both
/// ends do, to the pages from the first's start to the last's end.
pub fn resolve(lib: &Library, doc: usize, pin: &Pin) -> Result<Target, Unresolved> {
    let d = &lib.docs[doc];
    let one = |v: &str| -> Result<Target, String> {
        match d.one(pin.kind, v) {
            Err(e) if pin.kind == Kind::Measure => {
                lib.docs.iter().find_map(|other| other.one(pin.kind, v).ok()).ok_or(e)
            }
            r => r,
        }
    };
    let first = one(&pin.from).map_err(|reason| Unresolved { reason })?;
    match &pin.to {
        None => Ok(first),
        Some(to) => {
            let last = one(to).map_err(|reason| Unresolved { reason })?;
            let label = match pin.kind {
                Kind::Para => format!("¶¶{}–{}", pin.from, to),
                Kind::Page => format!("pp. {}–{}", pin.from, to),
                _ => format!("{}–{}", first.label, last.label),
            };
            if last.end_page < first.page {
                return Err(Unresolved { reason: format!("{label} runs backwards") });
            }
            Ok(Target { label, end_page: last.end_page, printed_end: last.printed_end, ..first })
        }
    }
}
