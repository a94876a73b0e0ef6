//! HTTP dates (RFC 9110 §5.6.7), as `Retry-After` may carry them.
//!
//! Written here rather than taken from the `httpdate` crate: it is one header's three fixed
//! formats, and the client crates' dependency count is a target of the benchmarks (issue 6).
//! The tests check it against `chrono`'s formatting.

use std::time::{Duration, SystemTime};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SHORT_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Parses the three forms a recipient must accept, all in GMT:
///
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (what servers send today);
/// - RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit years 70–99 are 19xx, the rest
///   20xx);
/// - asctime: `Sun Nov  6 08:49:37 1994`.
///
/// Returns `None` for anything else, including impossible dates (30 Feb) and dates before
/// 1970. The weekday name must be a valid one but is not checked against the date.
pub(crate) fn parse(value: &str) -> Option<SystemTime> {
    let fields: Vec<&str> = value.split_ascii_whitespace().collect();
    let (year, month, day, time) = match fields.as_slice() {
        [weekday, day, month, year, time, "GMT"] => {
            SHORT_DAYS
                .contains(&weekday.strip_suffix(',')?)
                .then_some(())?;
            (
                four_digits(year)?,
                month_number(month)?,
                two_digits(day)?,
                *time,
            )
        }
        [weekday, date, time, "GMT"] => {
            LONG_DAYS
                .contains(&weekday.strip_suffix(',')?)
                .then_some(())?;
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            let year = two_digits(year)?;
            let year = year + if year >= 70 { 1900 } else { 2000 };
            (year, month_number(month)?, two_digits(day)?, *time)
        }
        [weekday, month, day, time, year] => {
            SHORT_DAYS.contains(weekday).then_some(())?;
            let day = match day.len() {
                1 => digits(day)?,
                _ => two_digits(day)?,
            };
            (four_digits(year)?, month_number(month)?, day, *time)
        }
        _ => return None,
    };
    let mut clock = time.split(':');
    let (hour, minute, second) = (clock.next()?, clock.next()?, clock.next()?);
    if clock.next().is_some() {
        return None;
    }
    let (hour, minute, second) = (two_digits(hour)?, two_digits(minute)?, two_digits(second)?);
    if hour > 23 || minute > 59 || second > 60 || year < 1970 {
        return None;
    }
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_since_epoch(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn two_digits(s: &str) -> Option<u64> {
    (s.len() == 2).then(|| digits(s))?
}

fn four_digits(s: &str) -> Option<u64> {
    (s.len() == 4).then(|| digits(s))?
}

/// 1 for January.
fn month_number(s: &str) -> Option<u64> {
    MONTHS.iter().position(|m| *m == s).map(|i| i as u64 + 1)
}

fn is_leap(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Leap years in `[1, year)`.
fn leap_years_before(year: u64) -> u64 {
    let y = year - 1;
    y / 4 - y / 100 + y / 400
}

/// Days from 1970-01-01 to the given date (`year` ≥ 1970, a valid month and day).
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    let whole_years = 365 * (year - 1970) + leap_years_before(year) - leap_years_before(1970);
    let whole_months: u64 = (1..month).map(|m| days_in_month(year, m)).sum();
    whole_years + whole_months + day - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn secs(value: &str) -> Option<u64> {
        parse(value).map(|t| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs())
    }

    #[test]
    fn the_three_forms_of_rfc_9110() {
        // RFC 9110 §5.6.7's own example, 784111777 seconds after the epoch.
        assert_eq!(secs("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(secs("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(secs("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
        assert_eq!(secs("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(secs("Friday, 01-Jan-27 00:00:00 GMT"), Some(1_798_761_600));
        assert_eq!(secs("Fri, 31 Dec 9999 23:59:59 GMT"), Some(253_402_300_799));
        assert_eq!(secs("Thu, 29 Feb 2024 12:00:00 GMT"), Some(1_709_208_000));
    }

    #[test]
    fn rejects_what_is_not_an_http_date() {
        for bad in [
            "",
            "120",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 30 Feb 2024 08:49:37 GMT",
            "Sun, 29 Feb 2023 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37:01 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 06-Nov-94-1 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    /// Every form of many instants from 1970 to 2100, written by chrono, parses back.
    #[test]
    fn agrees_with_chrono() {
        let mut t: i64 = 0;
        while t < 4_102_444_800 {
            let when = DateTime::<Utc>::from_timestamp(t, 0).unwrap();
            let expected = Some(t as u64);
            let imf = when.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            assert_eq!(secs(&imf), expected, "{imf}");
            let asctime = when.format("%a %b %e %H:%M:%S %Y").to_string();
            assert_eq!(secs(&asctime), expected, "{asctime}");
            if (1970..2070).contains(&when.format("%Y").to_string().parse::<i32>().unwrap()) {
                let rfc850 = when.format("%A, %d-%b-%y %H:%M:%S GMT").to_string();
                assert_eq!(secs(&rfc850), expected, "{rfc850}");
            }
            // A prime step of about 10 days walks every month, weekday and time of day.
            t += 863_987;
        }
    }
}
