//! HTML building blocks of the console: escaping, Indian number formats and the page frame.

use rust_decimal::Decimal;
use std::fmt::Write;

/// Escapes text for HTML element content and double-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query value.
pub fn url_value(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Groups digits the Indian way: 12,34,567.
fn indian_digits(digits: &str) -> String {
    if digits.len() <= 3 {
        return digits.to_owned();
    }
    let (head, last3) = digits.split_at(digits.len() - 3);
    let mut groups: Vec<&str> = Vec::new();
    let mut rest = head;
    while rest.len() > 2 {
        let (front, pair) = rest.split_at(rest.len() - 2);
        groups.push(pair);
        rest = front;
    }
    groups.push(rest);
    groups.reverse();
    format!("{},{last3}", groups.join(","))
}

/// An amount with two decimals, Indian grouping and a leading minus: "-1,23,456.70".
pub fn inr(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let text = format!("{:.2}", rounded.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{fraction}", indian_digits(whole))
}

/// [`inr`] of a JSON number (the Insights figures are floats); blank when absent.
pub fn inr_value(value: Option<&serde_json::Value>) -> String {
    value.and_then(decimal_of).map(inr).unwrap_or_default()
}

/// A JSON number as an exact decimal of what it prints (0.1 stays 0.1).
pub fn decimal_of(value: &serde_json::Value) -> Option<Decimal> {
    match value {
        serde_json::Value::Number(n) => n.to_string().parse::<Decimal>().ok().or_else(|| {
            n.as_f64()
                .and_then(|f| Decimal::from_f64_retain(f).map(|d| d.round_dp(2)))
        }),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Short figures for axes and tooltips: ₹950, ₹2.5K, ₹1.2L, ₹3.4Cr.
pub fn inr_short(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    let (scaled, unit) = if v >= 1e7 {
        (v / 1e7, "Cr")
    } else if v >= 1e5 {
        (v / 1e5, "L")
    } else if v >= 1e3 {
        (v / 1e3, "K")
    } else {
        (v, "")
    };
    let figure = if unit.is_empty() {
        format!("{scaled:.0}")
    } else {
        let text = format!("{scaled:.1}");
        text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
    };
    format!("{sign}₹{figure}{unit}")
}

/// Who is signed in, for the page header.
pub struct Chrome<'a> {
    pub who: &'a str,
    pub csrf: &'a str,
}

/// The page frame: header with sign-out (a POST carrying the CSRF token), then `body`.
pub fn page(title: &str, chrome: Option<&Chrome>, body: &str) -> String {
    let header = match chrome {
        Some(c) => format!(
            "<header class=\"top\"><a class=\"brand\" href=\"/console/\">ledgerlens console</a><nav><span class=\"who\">{}</span><form method=\"post\" action=\"/console/sign-out\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button type=\"submit\" class=\"link\">Sign out</button></form></nav></header>",
            esc(c.who),
            esc(c.csrf)
        ),
        None => "<header class=\"top\"><span class=\"brand\">ledgerlens console</span></header>".into(),
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} · ledgerlens</title><link rel=\"stylesheet\" href=\"/console/console.css\"></head><body>{header}<main>{body}</main></body></html>",
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().expect("decimal")
    }

    #[test]
    fn amounts_keep_their_sign_and_indian_grouping() {
        assert_eq!(inr(d("1234567.8")), "12,34,567.80");
        assert_eq!(inr(d("-1000")), "-1,000.00");
        assert_eq!(inr(d("999")), "999.00");
        assert_eq!(inr(d("-0.001")), "0.00");
        assert_eq!(inr(d("123456789012.5")), "1,23,45,67,89,012.50");
    }

    #[test]
    fn short_figures_use_lakh_and_crore() {
        assert_eq!(inr_short(950.0), "₹950");
        assert_eq!(inr_short(2500.0), "₹2.5K");
        assert_eq!(inr_short(150000.0), "₹1.5L");
        assert_eq!(inr_short(-30_000_000.0), "-₹3Cr");
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">O'Neil & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;"
        );
        assert_eq!(url_value("a b&c"), "a%20b%26c");
    }

    #[test]
    fn json_numbers_become_the_decimals_they_print() {
        assert_eq!(decimal_of(&serde_json::json!(0.1)), Some(d("0.1")));
        assert_eq!(decimal_of(&serde_json::json!(-2500)), Some(d("-2500")));
        assert_eq!(decimal_of(&serde_json::json!(null)), None);
    }
}
