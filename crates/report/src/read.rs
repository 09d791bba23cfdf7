//! Lenient readers over the Insights JSON: a missing or odd field becomes an empty cell, never
//! a panic, because the report must render whatever the processing produced.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// A JSON number (or numeric string) as Decimal, through its text so 0.1 stays 0.1.
pub fn decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .ok()
            .or_else(|| n.as_f64().and_then(Decimal::from_f64)),
        Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
    .map(|d| d.normalize())
}

pub fn field_decimal(object: &Value, key: &str) -> Option<Decimal> {
    object.get(key).and_then(decimal)
}

pub fn field_str<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub fn array<'a>(object: &'a Value, key: &str) -> &'a [Value] {
    object
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The date forms the Insights sections use: "2025-08-11 00:00:00", "2025-08-11",
/// "11-Aug-25" (top credits/debits) and "11-Aug-2025".
pub fn date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.date())
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%d-%b-%y"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%d-%b-%Y"))
        .ok()
}

pub fn field_date(object: &Value, key: &str) -> Option<NaiveDate> {
    field_str(object, key).and_then(date)
}

/// Month keys: "Aug-2025" (monthly analysis) and "Aug-25" (EOD balances).
pub fn month(key: &str) -> Option<NaiveDate> {
    let key = key.trim();
    NaiveDate::parse_from_str(&format!("01-{key}"), "%d-%b-%Y")
        .ok()
        .filter(|_| key.len() == 8)
        .or_else(|| NaiveDate::parse_from_str(&format!("01-{key}"), "%d-%b-%y").ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_date_forms_of_insights() {
        let expected = NaiveDate::from_ymd_opt(2025, 8, 11);
        assert_eq!(date("2025-08-11 00:00:00"), expected);
        assert_eq!(date("2025-08-11"), expected);
        assert_eq!(date("11-Aug-25"), expected);
        assert_eq!(date("nonsense"), None);
    }

    #[test]
    fn reads_both_month_key_forms() {
        let expected = NaiveDate::from_ymd_opt(2025, 8, 1);
        assert_eq!(month("Aug-2025"), expected);
        assert_eq!(month("Aug-25"), expected);
        assert_eq!(month("Months_order"), None);
    }

    #[test]
    fn decimals_keep_their_printed_value() {
        assert_eq!(decimal(&json!(0.1)), Decimal::from_str("0.1").ok());
        assert_eq!(decimal(&json!("12.50")), Decimal::from_str("12.5").ok());
        assert_eq!(decimal(&json!(null)), None);
    }
}
