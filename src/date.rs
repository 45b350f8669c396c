//! Calendar dates without a date crate: today's date (or the one
//! `SOURCE_DATE_EPOCH` fixes, so that output carrying a date can be
//! reproduced and tested), and the ways a citation writes an ISO date.

use std::time::{SystemTime, UNIX_EPOCH};

/// The months as a written date names them.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Seconds since 1970 now, or `SOURCE_DATE_EPOCH` when it is set to a
/// number (the reproducible-builds convention for "pretend it is then").
fn epoch_seconds() -> u64 {
    if let Some(s) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<u64>().ok()) {
        return s;
    }
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Today as YYYY-MM-DD (UTC).
pub fn today() -> String {
    let (y, m, d) = civil_from_days((epoch_seconds() / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Now as an RFC 3339 UTC timestamp, `2025-11-28T10:00:00Z`.
pub fn now_rfc3339() -> String {
    let secs = epoch_seconds();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// "2024-12-16" (or an RFC 3339 timestamp) → (2024, 12, 16), when it is a date.
pub fn parse(date: &str) -> Option<(u32, u32, u32)> {
    let date = date.get(..10)?;
    let mut parts = date.split('-');
    let year = parts.next().filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))?.parse().ok()?;
    let month: u32 = parts.next().filter(|m| m.len() == 2)?.parse().ok()?;
    let day: u32 = parts.next().filter(|d| d.len() == 2)?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// "2024-12-16" → "December 2024".
pub fn month_year(date: &str) -> Option<String> {
    let (y, m, _) = parse(date)?;
    Some(format!("{} {y}", MONTHS[m as usize - 1]))
}

/// "2024-12-16" → "16 December 2024", as a UK citation writes a full date.
pub fn long(date: &str) -> Option<String> {
    let (y, m, d) = parse(date)?;
    Some(format!("{d} {} {y}", MONTHS[m as usize - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        for (days, want) in
            [(0, (1970, 1, 1)), (19_723, (2024, 1, 1)), (20_420, (2025, 11, 28)), (11_016, (2000, 2, 29))]
        {
            assert_eq!(civil_from_days(days), want, "{days}");
        }
    }

    #[test]
    fn written_dates() {
        assert_eq!(month_year("2024-12-16").as_deref(), Some("December 2024"));
        assert_eq!(long("2024-12-16").as_deref(), Some("16 December 2024"));
        assert_eq!(long("2025-02-03T10:00:00Z").as_deref(), Some("3 February 2025"));
        assert_eq!(month_year("2024-13-01"), None);
        assert_eq!(long("16/12/2024"), None);
    }
}
