//! Roman numerals, as front matter is numbered: value and formatting.

/// The value of a roman numeral (either case), if it is one.
pub fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    if s != lower && s != s.to_ascii_uppercase() {
        return None;
    }
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in lower.chars().rev() {
        let v = match c {
            'i' => 1,
            'v' => 5,
            'x' => 10,
            'l' => 50,
            'c' => 100,
            'd' => 500,
            'm' => 1000,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    // Only canonical numerals: round-trip.
    (to_roman(total) == lower).then_some(total)
}

/// Lower-case roman numeral of n; above 3999 the m repeats (capped, so an
/// absurd value never builds a megabyte string).
pub fn to_roman(n: u32) -> String {
    let mut n = n.min(100_000);
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        let cases = [
            ("i", Some(1)),
            ("iv", Some(4)),
            ("viii", Some(8)),
            ("XIV", Some(14)),
            ("mcmxc", Some(1990)),
            ("iiii", None),
            ("vx", None),
            ("Iv", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(roman_value(input), want, "{input:?}");
        }
        assert_eq!(to_roman(49), "xlix");
        assert_eq!(to_roman(2024), "mmxxiv");
    }
}
