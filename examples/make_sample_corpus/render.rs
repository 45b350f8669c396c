//! Writes a laid-out document with krilla: embedded subset TrueType fonts
//! (krilla writes the ToUnicode maps), outline, page labels and metadata.
//! Content-stream order per page: header, body, footnotes, footer.

use std::num::NonZeroU32;

use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

use super::layout::{
    note_lines_x, note_metrics, LaidOut, Op, BODY_BOTTOM, FOOTER_Y, HEADER_Y, LEFT, PAGE_H, PAGE_W, RIGHT,
};
use super::source::DocSrc;

pub const SAMPLE_MARK: &str = "Sample — not the regulator's text";

pub struct FontPair {
    pub regular: Font,
    pub bold: Font,
    pub regular_metrics: &'static super::metrics::Metrics,
}

fn fill(grey: u8) -> Fill {
    Fill { paint: rgb::Color::new(grey, grey, grey).into(), opacity: NormalizedF32::ONE, rule: Default::default() }
}

fn text(s: &mut Surface<'_>, fonts: &FontPair, x: f32, y: f32, size: f32, bold: bool, t: &str) {
    let font = if bold { fonts.bold.clone() } else { fonts.regular.clone() };
    s.draw_text(Point::from_xy(x, y), font, size, t, false, TextDirection::Auto);
}

fn line(s: &mut Surface<'_>, x1: f32, y1: f32, x2: f32, y2: f32, w: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(x1, y1);
    pb.line_to(x2, y2);
    if let Some(path) = pb.finish() {
        s.set_fill(None);
        s.set_stroke(Some(Stroke { paint: rgb::Color::new(40, 40, 40).into(), width: w, ..Default::default() }));
        s.draw_path(&path);
        s.set_stroke(None);
        s.set_fill(Some(fill(0)));
    }
}

fn rect(s: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(x, y);
    pb.line_to(x + w, y);
    pb.line_to(x + w, y + h);
    pb.line_to(x, y + h);
    pb.close();
    if let Some(path) = pb.finish() {
        s.set_stroke(None);
        s.set_fill(Some(fill(226)));
        s.draw_path(&path);
        s.set_fill(Some(fill(0)));
    }
}

pub fn render(doc: &DocSrc, laid: &LaidOut, fonts: &FontPair) -> Vec<u8> {
    let settings = SerializeSettings::default();
    let mut document = Document::new_with(settings);
    let header = format!("{} — Sample, not the regulator's text", doc.short);
    let (note_x, note_text_x) = note_lines_x();
    let (note_size, note_lead) = note_metrics();

    for (idx, page) in laid.pages.iter().enumerate() {
        let mut ps = PageSettings::from_wh(PAGE_W, PAGE_H).unwrap();
        if doc.labels {
            let (style, n) = if idx < doc.front {
                (NumberingStyle::LowerRoman, idx + 1)
            } else {
                (NumberingStyle::Arabic, idx - doc.front + 1)
            };
            ps = ps.with_page_label(PageLabel::new(Some(style), None, NonZeroU32::new(n as u32)));
        }
        let mut p = document.start_page_with(ps);
        let mut s = p.surface();
        s.set_fill(Some(fill(0)));
        if !page.cover {
            s.set_fill(Some(fill(90)));
            text(&mut s, fonts, LEFT, HEADER_Y, 8.5, false, &header);
            s.set_fill(Some(fill(0)));
            line(&mut s, LEFT, HEADER_Y + 6.0, RIGHT, HEADER_Y + 6.0, 0.5);
        }
        for op in &page.body {
            match op {
                Op::Text { x, y, size, bold, s: t } => text(&mut s, fonts, *x, *y, *size, *bold, t),
                Op::Line { x1, y1, x2, y2, w } => line(&mut s, *x1, *y1, *x2, *y2, *w),
                Op::Rect { x, y, w, h } => rect(&mut s, *x, *y, *w, *h),
            }
        }
        if !page.notes.is_empty() {
            let mut y = BODY_BOTTOM - page.notes_h + 10.0;
            line(&mut s, LEFT, y - 6.0, LEFT + 120.0, y - 6.0, 0.5);
            for (n, lines) in &page.notes {
                for (i, l) in lines.iter().enumerate() {
                    if i == 0 {
                        text(&mut s, fonts, note_x, y + note_size, note_size, false, &n.to_string());
                    }
                    text(&mut s, fonts, note_text_x, y + note_size, note_size, false, l);
                    y += note_lead;
                }
                y += 2.0;
            }
        }
        if !page.cover {
            let w = fonts.regular_metrics.width(&page.label, 9.0);
            text(&mut s, fonts, (PAGE_W - w) / 2.0, FOOTER_Y, 9.0, false, &page.label);
        }
        s.finish();
        p.finish();
    }

    if doc.outline {
        let mut outline = Outline::new();
        let mut pending: Option<OutlineNode> = None;
        for m in &laid.marks {
            let node = OutlineNode::new(m.title.clone(), XyzDestination::new(m.page, Point::from_xy(LEFT, m.y)));
            if m.level == 1 {
                if let Some(done) = pending.take() {
                    outline.push_child(done);
                }
                pending = Some(node);
            } else {
                pending.as_mut().expect("level-2 mark before any chapter").push_child(node);
            }
        }
        if let Some(done) = pending.take() {
            outline.push_child(done);
        }
        document.set_outline(outline);
    }

    let date =
        DateTime::new(2026).month(1).day(15).hour(12).minute(0).second(0).utc_offset_hour(0).utc_offset_minute(0);
    let metadata = Metadata::new()
        .title(format!("{} ({SAMPLE_MARK})", doc.title))
        .description(format!(
            "{SAMPLE_MARK}. A stand-in for the regulator's publication \"{}\", written for the riskreg project: same structure, our own words.",
            doc.title
        ))
        .keywords(vec![
            "sample".to_string(),
            "not the regulator's text".to_string(),
            "riskreg".to_string(),
            "Online Safety Act".to_string(),
        ])
        .authors(vec!["riskreg project (sample corpus)".to_string()])
        .creator("riskreg make-sample-corpus".to_string())
        .language("en-GB".to_string())
        .document_id(format!("riskreg-sample-{}", doc.id))
        .creation_date(date);
    document.set_metadata(metadata);
    document.finish().expect("krilla failed to write the PDF")
}
