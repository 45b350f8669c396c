//! Pagination: turns a parsed document into positioned text and rules, page
//! by page, honouring the planned start and end page of every chapter.
//!
//! Coordinates are PDF points with the origin at the top left (krilla's
//! convention); `y` of a text op is its baseline.

use std::collections::BTreeMap;

use super::metrics::Metrics;
use super::prose::{hash, subheadings, Prose, Rng};
use super::source::{Block, Chap, DocSrc, Style, Topic};

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const LEFT: f32 = 72.0;
pub const RIGHT: f32 = PAGE_W - 72.0;
pub const WIDTH: f32 = RIGHT - LEFT;
pub const HEADER_Y: f32 = 44.0;
pub const BODY_TOP: f32 = 76.0;
pub const BODY_BOTTOM: f32 = 778.0;
pub const FOOTER_Y: f32 = 808.0;
const INDENT: f32 = 46.0;
const SIZE: f32 = 10.0;
const LEAD: f32 = 14.0;
const PARA_GAP: f32 = 6.0;
const NOTE_SIZE: f32 = 8.0;
const NOTE_LEAD: f32 = 10.0;
const NOTE_INDENT: f32 = 22.0;
const SUP_SIZE: f32 = 6.5;
const SUP_RISE: f32 = 3.6;
const CONTENTS_LEAD: f32 = 15.0;
const CONTENTS_HEAD: f32 = 34.0;

#[derive(Debug, Clone)]
pub enum Op {
    Text { x: f32, y: f32, size: f32, bold: bool, s: String },
    Line { x1: f32, y1: f32, x2: f32, y2: f32, w: f32 },
    Rect { x: f32, y: f32, w: f32, h: f32 },
}

#[derive(Debug, Clone, Default)]
pub struct PageOut {
    pub label: String,
    pub cover: bool,
    pub body: Vec<Op>,
    /// Footnotes: number and wrapped lines.
    pub notes: Vec<(u32, Vec<String>)>,
    pub notes_h: f32,
}

#[derive(Debug, Clone)]
pub struct Mark {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

#[derive(Debug, Clone)]
pub struct LaidOut {
    pub pages: Vec<PageOut>,
    pub marks: Vec<Mark>,
    /// Paragraph number -> physical page index where it starts.
    pub paras: BTreeMap<String, usize>,
    /// Index of the chapter's first and last physical page, by heading.
    pub extents: Vec<(String, usize, usize)>,
    /// Physical pages where a chapter heading follows other text on the page.
    pub midpage: Vec<(String, usize)>,
    pub hyphens: Vec<(String, usize)>,
    pub footnotes: u32,
}

/// Lower-case roman numeral, as front-matter page labels print it.
pub fn roman(n: usize) -> String {
    riskreg::roman::to_roman(n as u32)
}

struct Word {
    s: String,
    note: Option<(u32, String)>,
    brk: bool,
}

struct LineItem {
    h: f32,
    ops: Vec<Op>,
    notes: Vec<(u32, String)>,
}

pub struct Fonts<'a> {
    pub regular: &'a Metrics,
    pub bold: &'a Metrics,
}

struct Layouter<'a> {
    doc: &'a DocSrc,
    topics: &'a BTreeMap<String, Topic>,
    f: Fonts<'a>,
    pages: Vec<PageOut>,
    y: f32,
    fn_no: u32,
    out_marks: Vec<Mark>,
    paras: BTreeMap<String, usize>,
    extents: Vec<(String, usize, usize)>,
    midpage: Vec<(String, usize)>,
    hyphens: Vec<(String, usize)>,
    /// Vertical limit on the current page as a fraction of the body (fill).
    frac: f32,
}

impl<'a> Layouter<'a> {
    fn label(&self, idx: usize) -> String {
        if idx < self.doc.front {
            roman(idx + 1)
        } else {
            (idx - self.doc.front + 1).to_string()
        }
    }

    fn new_page(&mut self) {
        let label = self.label(self.pages.len());
        self.pages.push(PageOut { label, ..Default::default() });
        self.y = BODY_TOP;
    }

    fn cur(&self) -> usize {
        self.pages.len() - 1
    }

    fn limit(&self) -> f32 {
        let full = BODY_BOTTOM - self.pages.last().unwrap().notes_h;
        BODY_TOP + (full - BODY_TOP) * self.frac
    }

    fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        if bold {
            self.f.bold.width(s, size)
        } else {
            self.f.regular.width(s, size)
        }
    }

    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut cur = String::new();
        for w in text.split_whitespace() {
            let cand = if cur.is_empty() { w.to_string() } else { format!("{cur} {w}") };
            if !cur.is_empty() && self.width(&cand, size, bold) > width * 0.97 {
                lines.push(std::mem::take(&mut cur));
                cur = w.to_string();
            } else {
                cur = cand;
            }
        }
        if !cur.is_empty() {
            lines.push(cur);
        }
        lines
    }

    fn note_height(&self, pending_first: bool, text: &str) -> f32 {
        let n = self.wrap(text, NOTE_SIZE, false, WIDTH - NOTE_INDENT).len();
        n as f32 * NOTE_LEAD + 2.0 + if pending_first { 10.0 } else { 0.0 }
    }

    /// Split paragraph text into words, assigning footnote numbers from `fn_no`.
    fn words(text: &str, fn_no: &mut u32) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
        let mut rest = text;
        loop {
            let (before, after) = match rest.find("[fn:") {
                Some(i) => (&rest[..i], Some(&rest[i + 4..])),
                None => (rest, None),
            };
            for w in before.split_whitespace() {
                let mut parts = w.split("{-}").peekable();
                while let Some(p) = parts.next() {
                    if parts.peek().is_some() {
                        words.push(Word { s: format!("{p}-"), note: None, brk: true });
                    } else {
                        words.push(Word { s: p.to_string(), note: None, brk: false });
                    }
                }
            }
            let Some(after) = after else { break };
            let end = after.find(']').expect("unterminated [fn:");
            *fn_no += 1;
            let note = after[..end].trim().to_string();
            words.last_mut().expect("footnote with no word before it").note = Some((*fn_no, note));
            rest = &after[end + 1..];
        }
        words
    }

    /// Lay a paragraph out into lines. `number` goes at the left margin.
    #[allow(clippy::too_many_arguments)]
    fn para_lines(
        &self,
        fn_no: &mut u32,
        number: Option<&str>,
        text: &str,
        indent: f32,
        size: f32,
        bold: bool,
        lead: f32,
    ) -> Vec<LineItem> {
        let words = Self::words(text, fn_no);
        let width = WIDTH - indent;
        let space = self.width(" ", size, bold);
        let wlen = |w: &Word| {
            self.width(&w.s, size, bold)
                + w.note.as_ref().map_or(0.0, |(n, _)| self.width(&n.to_string(), SUP_SIZE, false))
        };
        // Greedy line breaking.
        let mut lines: Vec<Vec<&Word>> = vec![Vec::new()];
        let mut x = 0.0;
        let mut forced = false;
        for w in &words {
            let wl = wlen(w);
            let cur = lines.last().unwrap();
            if forced || (!cur.is_empty() && x + space + wl > width * 0.97) {
                lines.push(Vec::new());
                x = 0.0;
            }
            let cur = lines.last_mut().unwrap();
            if !cur.is_empty() {
                x += space;
            }
            x += wl;
            cur.push(w);
            forced = w.brk;
        }
        let base = size * 0.95;
        lines
            .into_iter()
            .enumerate()
            .map(|(i, ws)| {
                let mut ops = Vec::new();
                if i == 0 {
                    if let Some(n) = number {
                        ops.push(Op::Text { x: LEFT, y: base, size, bold: true, s: n.to_string() });
                    }
                }
                let mut notes = Vec::new();
                let mut seg = String::new();
                let mut seg_x = LEFT + indent;
                for (k, w) in ws.iter().enumerate() {
                    if k > 0 {
                        seg.push(' ');
                    }
                    seg.push_str(&w.s);
                    if let Some((n, t)) = &w.note {
                        let sw = self.width(&seg, size, bold);
                        ops.push(Op::Text { x: seg_x, y: base, size, bold, s: std::mem::take(&mut seg) });
                        let ns = n.to_string();
                        ops.push(Op::Text {
                            x: seg_x + sw,
                            y: base - SUP_RISE,
                            size: SUP_SIZE,
                            bold: false,
                            s: ns.clone(),
                        });
                        seg_x += sw + self.width(&ns, SUP_SIZE, false);
                        notes.push((*n, t.clone()));
                    }
                }
                if !seg.is_empty() {
                    ops.push(Op::Text { x: seg_x, y: base, size, bold, s: seg });
                }
                LineItem { h: lead, ops, notes }
            })
            .collect()
    }

    fn lines_height(&self, lines: &[LineItem]) -> f32 {
        let mut first = self.pages.last().unwrap().notes.is_empty();
        let mut h = 0.0;
        for l in lines {
            h += l.h;
            for (_, t) in &l.notes {
                h += self.note_height(first, t);
                first = false;
            }
        }
        h
    }

    fn fits(&self, lines: &[LineItem], extra: f32) -> bool {
        self.y + extra + self.lines_height(lines) <= self.limit()
    }

    fn place(&mut self, line: LineItem) {
        let mut first = self.pages.last().unwrap().notes.is_empty();
        let mut need = line.h;
        for (_, t) in &line.notes {
            need += self.note_height(first, t);
            first = false;
        }
        if self.y + need > self.limit() {
            self.new_page();
        }
        let y0 = self.y;
        let page = self.pages.last_mut().unwrap();
        for op in line.ops {
            page.body.push(match op {
                Op::Text { x, y, size, bold, s } => Op::Text { x, y: y + y0, size, bold, s },
                other => other,
            });
        }
        for (n, t) in line.notes {
            let first = page.notes.is_empty();
            let lines = self_wrap(self.f.regular, &t);
            page.notes_h += lines.len() as f32 * NOTE_LEAD + 2.0 + if first { 10.0 } else { 0.0 };
            page.notes.push((n, lines));
        }
        self.y += line.h;
    }

    fn place_all(&mut self, lines: Vec<LineItem>) {
        for l in lines {
            self.place(l);
        }
    }

    /// A single-line bold heading; keeps room for three lines after it.
    fn heading(&mut self, text: &str, size: f32, before: f32, after: f32, keep: bool) -> (usize, f32) {
        let mut size = size;
        while self.width(text, size, true) > WIDTH && size > 9.0 {
            size -= 0.5;
        }
        assert!(self.width(text, size, true) <= WIDTH, "heading too long: {text}");
        let h = size * 1.5;
        let at_top = self.y <= BODY_TOP + 0.1;
        let before = if at_top { 0.0 } else { before };
        if keep && self.y + before + h + after + 3.0 * LEAD > self.limit() {
            self.new_page();
        } else {
            self.y += before;
        }
        let y = self.y;
        self.pages.last_mut().unwrap().body.push(Op::Text {
            x: LEFT,
            y: y + size,
            size,
            bold: true,
            s: text.to_string(),
        });
        self.y += h + after;
        (self.cur(), y)
    }

    fn table(&mut self, rows: &[Vec<String>]) {
        let cols = rows[0].len();
        let col_w = WIDTH / cols as f32;
        let size = 8.5;
        let lead = 11.0;
        let pad = 4.0;
        self.y += 4.0;
        for (r, row) in rows.iter().enumerate() {
            let bold = r == 0;
            let cells: Vec<Vec<String>> = (0..cols)
                .map(|c| self.wrap(row.get(c).map(String::as_str).unwrap_or(""), size, bold, col_w - 2.0 * pad))
                .collect();
            let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = n as f32 * lead + 2.0 * pad;
            let need = if r == 0 { h * 2.0 } else { h };
            if self.y + need > self.limit() {
                self.new_page();
            }
            let y0 = self.y;
            let page = self.pages.last_mut().unwrap();
            if r == 0 {
                page.body.push(Op::Rect { x: LEFT, y: y0, w: WIDTH, h });
            }
            for (c, lines) in cells.into_iter().enumerate() {
                for (i, l) in lines.into_iter().enumerate() {
                    page.body.push(Op::Text {
                        x: LEFT + c as f32 * col_w + pad,
                        y: y0 + pad + i as f32 * lead + size,
                        size,
                        bold,
                        s: l,
                    });
                }
            }
            // Rules: top (first row or after a page break), bottom, verticals.
            page.body.push(Op::Line { x1: LEFT, y1: y0, x2: RIGHT, y2: y0, w: if r <= 1 { 0.8 } else { 0.4 } });
            page.body.push(Op::Line { x1: LEFT, y1: y0 + h, x2: RIGHT, y2: y0 + h, w: 0.4 });
            for c in 0..=cols {
                let x = LEFT + c as f32 * col_w;
                page.body.push(Op::Line { x1: x, y1: y0, x2: x, y2: y0 + h, w: 0.4 });
            }
            self.y += h;
        }
        self.y += 10.0;
    }

    fn prose(&self, chap: &Chap, salt: &str) -> Prose<'a> {
        let topic =
            self.topics.get(&chap.topic).unwrap_or_else(|| panic!("unknown topic {} in {}", chap.topic, chap.heading));
        Prose {
            topic,
            style: self.doc.style,
            rng: Rng::new(hash(&format!("{}/{}/{}/{salt}", self.doc.seed, self.doc.id, chap.heading))),
        }
    }

    /// Paragraph with its number (if the chapter is numbered); returns lines.
    fn numbered(&self, fn_no: &mut u32, num: Option<&str>, text: &str) -> Vec<LineItem> {
        match num {
            Some(n) => self.para_lines(fn_no, Some(n), text, INDENT, SIZE, false, LEAD),
            None => self.para_lines(fn_no, None, text, 0.0, SIZE, false, LEAD),
        }
    }

    fn chapter(&mut self, chap: &Chap, plan: (usize, usize), next_midpage: bool, counter: &mut (String, u32)) {
        if chap.midpage {
            self.midpage.push((chap.heading.clone(), self.cur()));
        } else {
            self.new_page();
        }
        assert_eq!(
            self.cur(),
            plan.0,
            "{}: \"{}\" planned to start on physical page {} but starts on {}",
            self.doc.id,
            chap.heading,
            plan.0 + 1,
            self.cur() + 1
        );
        if !chap.section {
            *counter = (chap.number.clone().unwrap_or_default(), 0);
        }
        let (level, size, before) = if chap.section { (2, 12.0, 10.0) } else { (1, 14.0, 22.0) };
        let (page, y) = self.heading(&chap.heading, size, before, 6.0, true);
        assert_eq!(page, plan.0, "heading of {} moved to the next page", chap.heading);
        self.out_marks.push(Mark { level, title: chap.heading.clone(), page, y });
        let numbered = chap.number.is_some() || chap.section;
        let next_num = |counter: &mut (String, u32)| -> Option<String> {
            if numbered {
                counter.1 += 1;
                Some(format!("{}.{}", counter.0, counter.1))
            } else {
                None
            }
        };
        let mut pad_prose = self.prose(chap, "pad");
        for (bi, block) in chap.blocks.iter().enumerate() {
            let next_is_bullet = matches!(chap.blocks.get(bi + 1), Some(Block::Bullet(_)));
            match block {
                Block::Para(t) => {
                    let num = next_num(counter);
                    let mut f = self.fn_no;
                    let lines = self.numbered(&mut f, num.as_deref(), t);
                    self.fn_no = f;
                    let start = if self.fits(&lines[..1], 0.0) { self.cur() } else { self.cur() + 1 };
                    if let Some(n) = &num {
                        self.paras.insert(n.clone(), start);
                    }
                    if t.contains("{-}") {
                        self.hyphens.push((num.clone().unwrap_or_default(), start));
                    }
                    self.place_all(lines);
                    self.y += PARA_GAP;
                }
                Block::Bullet(t) => {
                    let mut f = self.fn_no;
                    let ind = if numbered { INDENT } else { 0.0 };
                    let mut lines = self.para_lines(&mut f, None, t, ind + 12.0, SIZE, false, LEAD);
                    self.fn_no = f;
                    lines[0].ops.insert(
                        0,
                        Op::Text { x: LEFT + ind + 2.0, y: SIZE * 0.95, size: SIZE, bold: false, s: "•".into() },
                    );
                    self.place_all(lines);
                    self.y += if next_is_bullet { 2.0 } else { PARA_GAP };
                }
                Block::Sub(t) => {
                    self.heading(t, 10.5, 6.0, 2.0, true);
                }
                Block::Table(rows) => self.table(rows),
                Block::Pad(n) => {
                    for _ in 0..*n {
                        let t = pad_prose.paragraph();
                        let num = next_num(counter);
                        let mut f = self.fn_no;
                        let lines = self.numbered(&mut f, num.as_deref(), &t);
                        self.fn_no = f;
                        self.place_all(lines);
                        self.y += PARA_GAP;
                    }
                }
                Block::PageBreak => self.new_page(),
                Block::ExpectPage(p) => {
                    let label = self.pages.last().unwrap().label.clone();
                    assert_eq!(label, p.to_string(), "{}: {}: expected printed page", self.doc.id, chap.heading);
                }
            }
        }
        // Fill to the planned end page.
        let end = plan.1;
        let subs = subheadings(self.doc.style);
        let mut fill = self.prose(chap, "fill");
        let mut unit = 0usize;
        let mut table_done = chap.blocks.iter().any(|b| matches!(b, Block::Table(_)));
        loop {
            let cur = self.cur();
            assert!(
                cur <= end,
                "{}: \"{}\" overflows its planned end (physical page {})",
                self.doc.id,
                chap.heading,
                end + 1
            );
            unit += 1;
            let sub = if unit % 5 == 1 && (unit > 1 || chap.blocks.is_empty()) {
                Some(subs[(unit / 5 + hash(&chap.heading) as usize) % subs.len()])
            } else {
                None
            };
            let want_table = !table_done && unit == 3 && self.doc.style == Style::Risk && chap.number.is_some();
            let text = fill.paragraph();
            let text = if unit % 7 == 3 {
                let note = fill.footnote();
                // Attach the note after the first sentence.
                match text.find(". ") {
                    Some(i) => format!("{}.[fn: {note}] {}", &text[..i], &text[i + 2..]),
                    None => format!("{text}[fn: {note}]"),
                }
            } else {
                text
            };
            let num_peek = if numbered { Some(format!("{}.{}", counter.0, counter.1 + 1)) } else { None };
            let mut f = self.fn_no;
            let lines = self.numbered(&mut f, num_peek.as_deref(), &text);
            if cur == end {
                self.frac = if next_midpage { 0.5 } else { 1.0 };
                let extra = sub.map_or(0.0, |_| 10.5 * 1.5 + 8.0) + if want_table { 200.0 } else { 0.0 };
                let ok = self.fits(&lines, extra);
                if !ok {
                    self.frac = 1.0;
                    break;
                }
            }
            if let Some(s) = sub {
                self.heading(s, 10.5, 6.0, 2.0, true);
            }
            if want_table {
                table_done = true;
                let rows = fill.table();
                self.table(&rows);
            }
            next_num(counter);
            self.fn_no = f;
            // Re-lay in case a heading or table moved us to a new page.
            self.place_all(lines);
            self.y += PARA_GAP;
            self.frac = 1.0;
        }
        self.extents.push((chap.heading.clone(), plan.0, self.cur()));
        assert_eq!(self.cur(), end, "{}: \"{}\" ends early", self.doc.id, chap.heading);
    }
}

fn self_wrap(m: &Metrics, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
        let cand = if cur.is_empty() { w.to_string() } else { format!("{cur} {w}") };
        if !cur.is_empty() && m.width(&cand, NOTE_SIZE) > (WIDTH - NOTE_INDENT) * 0.97 {
            lines.push(std::mem::take(&mut cur));
            cur = w.to_string();
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Planned (start, end) physical page of each chapter, in order.
fn plan(doc: &DocSrc, contents_pages: usize) -> Vec<(usize, usize)> {
    let mut out = vec![(0usize, 0usize); doc.chapters.len()];
    let front: Vec<usize> = (0..doc.chapters.len()).filter(|&i| doc.chapters[i].front).collect();
    let body: Vec<usize> = (0..doc.chapters.len()).filter(|&i| !doc.chapters[i].front).collect();
    // Front chapters share the pages after the contents.
    let runs = |idxs: &[usize], first: usize, out: &mut Vec<(usize, usize)>, stop: Option<usize>| {
        let mut cur = first;
        let mut i = 0;
        while i < idxs.len() {
            // Collect a run of unranged chapters up to the next ranged one.
            let mut j = i;
            while j < idxs.len() && doc.chapters[idxs[j]].range.is_none() {
                j += 1;
            }
            let limit = if j < idxs.len() {
                let (s, _) = doc.chapters[idxs[j]].range.unwrap();
                Some(doc.front + s - 1)
            } else {
                stop
            };
            let run = &idxs[i..j];
            let consumed = |c: &Chap, p: usize| p - usize::from(c.midpage);
            let known: usize =
                run.iter().filter_map(|&k| doc.chapters[k].pages.map(|p| consumed(&doc.chapters[k], p))).sum();
            let autos = run.iter().filter(|&&k| doc.chapters[k].pages.is_none()).count();
            let (share, extra) = match limit {
                Some(l) => {
                    let avail = l.checked_sub(cur).expect("plan: ranged chapter too early");
                    let rem = avail
                        .checked_sub(known)
                        .unwrap_or_else(|| panic!("{}: plan overflows before page {}", doc.id, l));
                    match rem.checked_div(autos) {
                        Some(each) => (each, rem % autos),
                        None => {
                            assert_eq!(rem, 0, "{}: fixed chapters leave {rem} pages unused", doc.id);
                            (0, 0)
                        }
                    }
                }
                None => (8, 0),
            };
            let mut a = 0;
            for &k in run {
                let c = &doc.chapters[k];
                let p = match c.pages {
                    Some(p) => consumed(c, p),
                    None => {
                        a += 1;
                        share + usize::from(a <= extra)
                    }
                };
                assert!(p >= 1 || c.midpage, "{}: {} gets no pages", doc.id, c.heading);
                let start = if c.midpage { cur - 1 } else { cur };
                let end = cur + p - 1;
                out[k] = (start, end);
                cur = end + 1;
            }
            if j < idxs.len() {
                let c = &doc.chapters[idxs[j]];
                let (s, e) = c.range.unwrap();
                out[idxs[j]] = (doc.front + s - 1, doc.front + e - 1);
                cur = doc.front + e;
            }
            i = j + 1;
        }
    };
    runs(&front, 1 + contents_pages, &mut out, Some(doc.front));
    runs(&body, doc.front, &mut out, None);
    out
}

fn contents_per_page() -> usize {
    ((BODY_BOTTOM - BODY_TOP - CONTENTS_HEAD) / CONTENTS_LEAD) as usize
}

pub fn layout(doc: &DocSrc, topics: &BTreeMap<String, Topic>, f: Fonts<'_>) -> LaidOut {
    let entries = doc.chapters.len();
    let contents_pages = entries.div_ceil(contents_per_page());
    let plans = plan(doc, contents_pages);
    let mut l = Layouter {
        doc,
        topics,
        f,
        pages: Vec::new(),
        y: BODY_TOP,
        fn_no: 0,
        out_marks: Vec::new(),
        paras: BTreeMap::new(),
        extents: Vec::new(),
        midpage: Vec::new(),
        hyphens: Vec::new(),
        frac: 1.0,
    };
    l.new_page();
    l.pages[0].cover = true;
    for _ in 0..contents_pages {
        l.new_page();
    }
    let mut counter = (String::new(), 0u32);
    for (i, chap) in doc.chapters.iter().enumerate() {
        let next_mid = doc.chapters.get(i + 1).is_some_and(|c| c.midpage);
        if !chap.front && i > 0 && doc.chapters[i - 1].front {
            assert_eq!(l.pages.len(), doc.front, "{}: front matter is not {} pages", doc.id, doc.front);
        }
        l.chapter(chap, plans[i], next_mid, &mut counter);
    }
    // Cover.
    cover(&mut l);
    // Contents pages.
    let marks = l.out_marks.clone();
    let mut p = 1;
    let mut y = BODY_TOP;
    l.pages[p].body.push(Op::Text { x: LEFT, y: y + 14.0, size: 14.0, bold: true, s: "Contents".into() });
    y += CONTENTS_HEAD;
    let dot = l.width(".", SIZE, false);
    for (k, m) in marks.iter().enumerate() {
        if k > 0 && k % contents_per_page() == 0 {
            p += 1;
            y = BODY_TOP + CONTENTS_HEAD;
        }
        let label = l.pages[m.page].label.clone();
        let indent = if m.level == 2 { 16.0 } else { 0.0 };
        let head = format!("{} ", m.title);
        let avail = WIDTH - indent - l.width(&head, SIZE, false) - l.width(&format!(" {label}"), SIZE, false);
        let n = ((avail / dot) as usize).max(3);
        let s = format!("{head}{} {label}", ".".repeat(n));
        l.pages[p].body.push(Op::Text { x: LEFT + indent, y: y + SIZE, size: SIZE, bold: false, s });
        y += CONTENTS_LEAD;
    }
    LaidOut {
        footnotes: l.fn_no,
        pages: l.pages,
        marks,
        paras: l.paras,
        extents: l.extents,
        midpage: l.midpage,
        hyphens: l.hyphens,
    }
}

fn cover(l: &mut Layouter<'_>) {
    let doc = l.doc;
    let mut ops = Vec::new();
    let mut y = 190.0;
    for line in l.wrap(&doc.title, 26.0, true, WIDTH) {
        ops.push(Op::Text { x: LEFT, y, size: 26.0, bold: true, s: line });
        y += 34.0;
    }
    y += 30.0;
    ops.push(Op::Rect { x: LEFT, y, w: WIDTH, h: 50.0 });
    ops.push(Op::Text {
        x: LEFT + 14.0,
        y: y + 33.0,
        size: 22.0,
        bold: true,
        s: "Sample — not the regulator's text".into(),
    });
    y += 100.0;
    ops.push(Op::Text { x: LEFT, y, size: 14.0, bold: false, s: "Ofcom".into() });
    y += 22.0;
    ops.push(Op::Text { x: LEFT, y, size: 12.0, bold: false, s: format!("Published {}", doc.date_text) });
    y += 60.0;
    let note = "This is a stand-in written for the riskreg project. Its structure (chapter titles, page ranges and numbering) follows the regulator's publication, but every sentence is our own and it must not be quoted or relied on as guidance. The official document is listed in corpus/sources.toml.";
    for line in l.wrap(note, 10.0, false, WIDTH) {
        ops.push(Op::Text { x: LEFT, y, size: 10.0, bold: false, s: line });
        y += 14.0;
    }
    l.pages[0].body = ops;
}

pub fn note_lines_x() -> (f32, f32) {
    (LEFT, LEFT + NOTE_INDENT)
}

pub fn note_metrics() -> (f32, f32) {
    (NOTE_SIZE, NOTE_LEAD)
}
