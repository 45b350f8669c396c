//! Parser for the generator's source text (`corpus/text/<doc>.txt`) and the
//! topic vocabularies (`corpus/text/topics.txt`).
//!
//! Document files are line based. Directives start with `@`; `### Heading`
//! is a plain bold sub-heading; `- item` is a bullet; `| a | b |` rows sit
//! between `@table` and `@endtable` (first row is the header); every other
//! non-empty line is one paragraph. Inline: `[fn: text]` puts a footnote
//! marker at that point; `{-}` inside a word forces a hyphenated line break.
//! `#` at line start is a comment.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Style {
    Risk,
    Judgement,
    Decision,
    Measure,
    Method,
}

#[derive(Debug, Clone)]
pub struct DocSrc {
    pub id: String,
    pub title: String,
    pub short: String,
    pub date_text: String,
    /// Number of front-matter pages, the cover included.
    pub front: usize,
    pub labels: bool,
    pub outline: bool,
    pub style: Style,
    pub seed: u64,
    pub chapters: Vec<Chap>,
}

#[derive(Debug, Clone)]
pub struct Chap {
    pub heading: String,
    /// "9", "A12"; None for unnumbered (front-matter) chapters.
    pub number: Option<String>,
    pub front: bool,
    /// A level-2 section inside the preceding chapter (vol3).
    pub section: bool,
    pub topic: String,
    /// Printed (arabic) start and end page.
    pub range: Option<(usize, usize)>,
    pub pages: Option<usize>,
    pub midpage: bool,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(String),
    Sub(String),
    Bullet(String),
    Table(Vec<Vec<String>>),
    Pad(usize),
    PageBreak,
    ExpectPage(usize),
}

fn chap(doc: &mut DocSrc) -> &mut Chap {
    doc.chapters.last_mut().expect("directive before @chapter")
}

pub fn parse_doc(text: &str) -> DocSrc {
    let mut doc = DocSrc {
        id: String::new(),
        title: String::new(),
        short: String::new(),
        date_text: String::new(),
        front: 4,
        labels: true,
        outline: true,
        style: Style::Risk,
        seed: 1,
        chapters: Vec::new(),
    };
    let mut table: Option<Vec<Vec<String>>> = None;
    for (lineno, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let ctx = || format!("line {}: {line}", lineno + 1);
        if line.is_empty() || line.starts_with('#') && !line.starts_with("###") {
            continue;
        }
        if let Some(rows) = table.as_mut() {
            if line == "@endtable" {
                let rows = table.take().unwrap();
                doc.chapters.last_mut().expect("table outside chapter").blocks.push(Block::Table(rows));
            } else {
                let cells = line.trim_matches('|').split('|').map(|c| c.trim().to_string()).collect();
                rows.push(cells);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix('@') {
            let (key, val) = match rest.split_once(' ') {
                Some((k, v)) => (k, v.trim()),
                None => (rest, ""),
            };
            match key {
                "doc" => doc.id = val.to_string(),
                "title" => doc.title = val.to_string(),
                "short" => doc.short = val.to_string(),
                "date" => doc.date_text = val.to_string(),
                "front" => doc.front = val.parse().unwrap_or_else(|_| panic!("{}", ctx())),
                "labels" => doc.labels = val == "yes",
                "outline" => doc.outline = val == "yes",
                "seed" => doc.seed = val.parse().unwrap_or_else(|_| panic!("{}", ctx())),
                "style" => {
                    doc.style = match val {
                        "risk" => Style::Risk,
                        "judgement" => Style::Judgement,
                        "decision" => Style::Decision,
                        "measure" => Style::Measure,
                        "method" => Style::Method,
                        _ => panic!("unknown style: {}", ctx()),
                    }
                }
                "chapter" | "frontchapter" | "section" => {
                    let number = if key == "chapter" {
                        let (n, _) = val.split_once(". ").unwrap_or_else(|| panic!("{}", ctx()));
                        Some(n.to_string())
                    } else {
                        None
                    };
                    let topic = doc.chapters.last().map(|c| c.topic.clone()).unwrap_or_else(|| "general".to_string());
                    doc.chapters.push(Chap {
                        heading: val.to_string(),
                        number,
                        front: key == "frontchapter",
                        section: key == "section",
                        topic,
                        range: None,
                        pages: None,
                        midpage: false,
                        blocks: Vec::new(),
                    });
                }
                "topic" => chap(&mut doc).topic = val.to_string(),
                "range" => {
                    let (a, b) = val.split_once(' ').unwrap_or_else(|| panic!("{}", ctx()));
                    chap(&mut doc).range = Some((a.parse().unwrap(), b.parse().unwrap()));
                }
                "pages" => chap(&mut doc).pages = Some(val.parse().unwrap()),
                "midpage" => chap(&mut doc).midpage = true,
                "pad" => {
                    let n = val.parse().unwrap_or_else(|_| panic!("{}", ctx()));
                    chap(&mut doc).blocks.push(Block::Pad(n))
                }
                "pagebreak" => chap(&mut doc).blocks.push(Block::PageBreak),
                "expect-page" => {
                    let n = val.parse().unwrap_or_else(|_| panic!("{}", ctx()));
                    chap(&mut doc).blocks.push(Block::ExpectPage(n))
                }
                "table" => table = Some(Vec::new()),
                _ => panic!("unknown directive: {}", ctx()),
            }
            continue;
        }
        let chap = doc.chapters.last_mut().unwrap_or_else(|| panic!("text before @chapter: {}", ctx()));
        if let Some(h) = line.strip_prefix("### ") {
            chap.blocks.push(Block::Sub(h.trim().to_string()));
        } else if let Some(b) = line.strip_prefix("- ") {
            chap.blocks.push(Block::Bullet(b.trim().to_string()));
        } else {
            chap.blocks.push(Block::Para(line.to_string()));
        }
    }
    assert!(table.is_none(), "unterminated @table");
    doc
}

/// Per-topic word lists used by the padding generator.
#[derive(Debug, Clone, Default)]
pub struct Topic {
    pub lists: BTreeMap<String, Vec<String>>,
}

impl Topic {
    pub fn list(&self, key: &str) -> &[String] {
        self.lists.get(key).map(|v| v.as_slice()).unwrap_or(&[])
    }
}

/// `[name]` starts a topic; `key: a; b; c` lines add lists.
pub fn parse_topics(text: &str) -> BTreeMap<String, Topic> {
    let mut out: BTreeMap<String, Topic> = BTreeMap::new();
    let mut cur: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            cur = Some(name.to_string());
            out.entry(name.to_string()).or_default();
            continue;
        }
        let (key, vals) = line.split_once(':').unwrap_or_else(|| panic!("topics: bad line {line}"));
        let name = cur.clone().expect("topics: list before [topic]");
        let items = vals.split(';').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        out.get_mut(&name).unwrap().lists.insert(key.trim().to_string(), items);
    }
    out
}
