//! The text sink pdf-extract draws each glyph into: decides where lines and
//! word spaces fall from glyph positions.
//!
//! pdf-extract's own `PlainTextOutput` measures the font size as the square
//! root of a product that is negative when a producer flips the y axis (as
//! browser print engines and some PDF libraries do); every comparison then
//! fails and wrapped lines run together ("closely atrequests"). This sink
//! measures size from the matrix determinant, so flipped and rotated text
//! behave. Raised small digits (footnote markers) are written as Unicode
//! superscript digits ("violence⁹"), so that `structure` can tell a marker
//! from a number in the sentence; other raised small glyphs are set apart
//! from the word before them.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// Collects one page's text.
#[derive(Debug, Default)]
pub struct TextSink {
    pub text: String,
    page_height: f64,
    last_end: f64,
    last_y: f64,
    last_size: f64,
    /// Size and baseline of the last glyph that was not raised and small:
    /// what a superscript is measured against, over a run of several.
    base_size: f64,
    base_y: f64,
    first_char: bool,
    any: bool,
}

impl TextSink {
    pub fn new() -> TextSink {
        TextSink::default()
    }
}

impl OutputDev for TextSink {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let mut size = font_size.abs() * scale;
        if !size.is_finite() || size <= 0.0 {
            size = font_size.abs().max(1.0);
        }
        // Top-down page coordinates, then measured along the text's own
        // baseline (x) and across it (y), so that rotated text (vertical
        // table headers) is not cut into one line per glyph.
        let (px, py) = (trm.m31, self.page_height - trm.m32);
        let len = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let (ux, uy) = if len > 0.0 && len.is_finite() { (trm.m11 / len, -trm.m12 / len) } else { (1.0, 0.0) };
        let (x, y) = (px * ux + py * uy, -px * uy + py * ux);
        let raised_small = self.any && size < 0.8 * self.base_size && y - self.base_y < -0.15 * self.base_size;
        let mut newline = false;
        if self.first_char && self.any {
            let dy = y - self.last_y;
            let line = size.max(self.last_size);
            if dy.abs() > 0.5 * line && !raised_small {
                self.text.push('\n');
                newline = true;
            } else if (x > self.last_end + 0.1 * size || x < self.last_end - size || (raised_small && !is_digits(ch)))
                && !self.text.ends_with([' ', '\n'])
            {
                self.text.push(' ');
            }
        }
        if raised_small && !newline && is_digits(ch) {
            self.text.extend(ch.chars().map(superscript));
        } else {
            self.text.push_str(ch);
        }
        if !raised_small || newline {
            self.base_size = size;
            self.base_y = y;
        }
        self.first_char = false;
        self.any = true;
        self.last_y = y;
        self.last_size = size;
        self.last_end = x + width * size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// The superscript form of an ASCII digit.
fn superscript(d: char) -> char {
    match d {
        '1' => '\u{b9}',
        '2' => '\u{b2}',
        '3' => '\u{b3}',
        d => char::from_u32(0x2070 + d.to_digit(10).unwrap_or(0)).unwrap_or(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws `glyphs` (char, x, y from the bottom, font size, rotated by 90°?)
    /// on a 800-high page, each glyph its own word, 0.5 em wide.
    fn draw(glyphs: &[(&str, f64, f64, f64, bool)]) -> String {
        let mut s = TextSink::new();
        let mb = MediaBox { llx: 0.0, lly: 0.0, urx: 600.0, ury: 800.0 };
        s.begin_page(1, &mb, None).unwrap();
        for (ch, x, y, size, rotated) in glyphs {
            let trm = if *rotated {
                Transform::row_major(0.0, 1.0, -1.0, 0.0, *x, *y)
            } else {
                Transform::row_major(1.0, 0.0, 0.0, 1.0, *x, *y)
            };
            s.begin_word().unwrap();
            s.output_character(&trm, 0.5, 0.0, *size, ch).unwrap();
        }
        s.text
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn sink_table() {
        let cases: Vec<(Vec<(&str, f64, f64, f64, bool)>, &str)> = vec![
            // adjacent glyphs join, a gap makes a space
            (vec![("a", 100.0, 700.0, 10.0, false), ("b", 105.0, 700.0, 10.0, false)], "ab"),
            (vec![("a", 100.0, 700.0, 10.0, false), ("b", 110.0, 700.0, 10.0, false)], "a b"),
            // the next line down starts a new line
            (vec![("a", 100.0, 700.0, 10.0, false), ("b", 100.0, 686.0, 10.0, false)], "a\nb"),
            // a raised small footnote marker is a superscript, over all its digits
            (vec![("e", 100.0, 700.0, 10.0, false), ("9", 105.0, 704.0, 6.0, false)], "e⁹"),
            (
                vec![
                    ("e", 100.0, 700.0, 10.0, false),
                    ("1", 105.0, 704.0, 6.0, false),
                    ("8", 108.0, 704.0, 6.0, false),
                    ("0", 111.0, 704.0, 6.0, false),
                    ("O", 118.0, 700.0, 10.0, false),
                ],
                "e¹⁸⁰ O",
            ),
            // other raised small glyphs are set apart
            (vec![("e", 100.0, 700.0, 10.0, false), ("*", 105.0, 704.0, 6.0, false)], "e *"),
            // small text on a line of its own is not raised
            (vec![("e", 100.0, 700.0, 10.0, false), ("1", 100.0, 650.0, 6.0, false)], "e\n1"),
            // text rotated by 90° reads along its own baseline
            (vec![("a", 100.0, 300.0, 10.0, true), ("b", 100.0, 305.0, 10.0, true)], "ab"),
        ];
        for (glyphs, want) in cases {
            assert_eq!(draw(&glyphs), want, "{glyphs:?}");
        }
    }
}
