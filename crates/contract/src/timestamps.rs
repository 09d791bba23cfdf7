//! Every timestamp the API writes, in the forms the docs' samples show. The docs use three, each
//! on its own fields, and a strict client parses each field with its own pattern:
//!
//! | form | fields (doc) |
//! |---|---|
//! | `2025-11-13 06:48:44` ([`date_time`]) | accounts' `created_at`/`last_updated_at`, `session_expiry_timestamp` (upload-status.md, fetch-data.md); transactions' `date`, `start_date`/`end_date`, statement_stats; legacy `date_time`, `updated_at` |
//! | `2025-11-13T06:48:43.660968Z` ([`iso_micros_z`]) | a statement's `created_at` in session_status/ (fetch-data.md); legacy `accounts[].last_updated` (rest-api.md) |
//! | `2025-11-13 06:48:43.660968+00:00` ([`micros_offset`]) | a statement's `created_at` in session_upload_status/ and SESSION_REQUIREMENT_COMPLETION_NOTIFICATION (upload-status.md) |
//!
//! The service keeps times in milliseconds since the epoch (UTC); microseconds print as
//! `…000`. A time outside chrono's range prints as an empty string, as seed 001's skeleton does.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// `"2023-11-05 00:00:00"`.
pub const DATE_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
const ISO_MICROS_Z: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";
const MICROS_OFFSET: &str = "%Y-%m-%d %H:%M:%S%.6f+00:00";

fn utc(ms: i64, format: &str) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.format(format).to_string())
}

/// `"2025-11-13 06:48:44"` from milliseconds since the epoch.
pub fn date_time(ms: i64) -> String {
    utc(ms, DATE_TIME_FORMAT)
}

/// `"2025-11-13T06:48:43.660968Z"` from milliseconds since the epoch.
pub fn iso_micros_z(ms: i64) -> String {
    utc(ms, ISO_MICROS_Z)
}

/// `"2025-11-13 06:48:43.660968+00:00"` from milliseconds since the epoch.
pub fn micros_offset(ms: i64) -> String {
    utc(ms, MICROS_OFFSET)
}

/// A transaction's time, `"2025-11-13 00:00:00"`.
pub fn naive_date_time(t: &NaiveDateTime) -> String {
    t.format(DATE_TIME_FORMAT).to_string()
}

/// A day at midnight, `"2025-11-13 00:00:00"` (statement_stats' from_date/to_date).
pub fn day_start(d: NaiveDate) -> String {
    format!("{d} 00:00:00")
}

/// The form of a statement's `created_at`, which differs between the two status answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementCreatedAt {
    /// session_status/ (fetch-data.md).
    IsoZ,
    /// session_upload_status/ and its webhook (upload-status.md).
    Offset,
}

impl StatementCreatedAt {
    pub fn format(self, ms: i64) -> String {
        match self {
            Self::IsoZ => iso_micros_z(ms),
            Self::Offset => micros_offset(ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2025-11-13 06:48:43.660 UTC.
    const MS: i64 = 1_763_016_523_660;

    #[test]
    fn the_three_documented_forms() {
        assert_eq!(date_time(MS), "2025-11-13 06:48:43");
        assert_eq!(iso_micros_z(MS), "2025-11-13T06:48:43.660000Z");
        assert_eq!(micros_offset(MS), "2025-11-13 06:48:43.660000+00:00");
        assert_eq!(StatementCreatedAt::IsoZ.format(MS), iso_micros_z(MS));
        assert_eq!(StatementCreatedAt::Offset.format(MS), micros_offset(MS));
        let day = NaiveDate::from_ymd_opt(2025, 11, 13).expect("date");
        assert_eq!(day_start(day), "2025-11-13 00:00:00");
        let t = day.and_hms_opt(6, 48, 44).expect("time");
        assert_eq!(naive_date_time(&t), "2025-11-13 06:48:44");
    }

    #[test]
    fn a_time_out_of_range_is_empty() {
        assert_eq!(date_time(i64::MAX), "");
        assert_eq!(micros_offset(i64::MIN), "");
    }
}
