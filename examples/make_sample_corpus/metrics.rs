//! Just enough TrueType parsing to measure text: `cmap` (format 4) and `hmtx`.
//! The layout uses these advances to break lines; krilla does the real shaping.

pub struct Metrics {
    units_per_em: f32,
    advances: Vec<u16>,
    /// (end, start, delta, range_offset, position of the idRangeOffset entry)
    segments: Vec<(u16, u16, i16, u16, usize)>,
    data: &'static [u8],
}

fn u16_at(d: &[u8], o: usize) -> u16 {
    u16::from_be_bytes([d[o], d[o + 1]])
}
fn u32_at(d: &[u8], o: usize) -> u32 {
    u32::from_be_bytes([d[o], d[o + 1], d[o + 2], d[o + 3]])
}

impl Metrics {
    pub fn parse(data: &'static [u8]) -> Metrics {
        let num_tables = u16_at(data, 4) as usize;
        let table = |tag: &[u8; 4]| -> usize {
            (0..num_tables)
                .map(|i| 12 + 16 * i)
                .find(|&rec| &data[rec..rec + 4] == tag)
                .map(|rec| u32_at(data, rec + 8) as usize)
                .unwrap_or_else(|| panic!("font lacks {:?} table", std::str::from_utf8(tag)))
        };
        let head = table(b"head");
        let hhea = table(b"hhea");
        let hmtx = table(b"hmtx");
        let cmap = table(b"cmap");
        let units_per_em = u16_at(data, head + 18) as f32;
        let n_hmetrics = u16_at(data, hhea + 34) as usize;
        let advances = (0..n_hmetrics).map(|i| u16_at(data, hmtx + 4 * i)).collect();

        // Find the Windows Unicode BMP subtable (3,1), format 4.
        let n_sub = u16_at(data, cmap + 2) as usize;
        let sub = (0..n_sub)
            .map(|i| cmap + 4 + 8 * i)
            .find(|&r| u16_at(data, r) == 3 && u16_at(data, r + 2) == 1)
            .map(|r| cmap + u32_at(data, r + 4) as usize)
            .expect("font lacks a (3,1) cmap");
        assert_eq!(u16_at(data, sub), 4, "expected cmap format 4");
        let seg_x2 = u16_at(data, sub + 6) as usize;
        let ends = sub + 14;
        let starts = ends + seg_x2 + 2;
        let deltas = starts + seg_x2;
        let offsets = deltas + seg_x2;
        let segments = (0..seg_x2 / 2)
            .map(|i| {
                (
                    u16_at(data, ends + 2 * i),
                    u16_at(data, starts + 2 * i),
                    u16_at(data, deltas + 2 * i) as i16,
                    u16_at(data, offsets + 2 * i),
                    offsets + 2 * i,
                )
            })
            .collect();
        Metrics { units_per_em, advances, segments, data }
    }

    fn glyph(&self, c: char) -> u16 {
        let c = c as u32;
        if c > 0xFFFF {
            return 0;
        }
        let c = c as u16;
        for &(end, start, delta, range_offset, pos) in &self.segments {
            if c <= end {
                if c < start {
                    return 0;
                }
                if range_offset == 0 {
                    return (c as i32 + delta as i32) as u16;
                }
                let addr = pos + range_offset as usize + 2 * (c - start) as usize;
                let g = u16_at(self.data, addr);
                return if g == 0 { 0 } else { (g as i32 + delta as i32) as u16 };
            }
        }
        0
    }

    /// Advance width of `s` at `size` points (no kerning).
    pub fn width(&self, s: &str, size: f32) -> f32 {
        let units: u32 = s
            .chars()
            .map(|c| {
                let g = self.glyph(c) as usize;
                let i = g.min(self.advances.len() - 1);
                self.advances[i] as u32
            })
            .sum();
        units as f32 * size / self.units_per_em
    }
}
