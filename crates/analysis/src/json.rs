//! serde_json's pretty layout (`serde_json::to_vec_pretty`: two-space indent, `"key": value`,
//! empty containers as `{}` and `[]`) written straight into a buffer. The long per-row sections
//! of the Insights document are written from the enrichment with these instead of being built
//! as `serde_json::Value` first (every object key hashed, every string copied), and the whole
//! document is written with them: serde_json looks each byte of every string up in its escape
//! table one at a time.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;

/// `value` at `depth` exactly as serde_json's pretty writer writes it.
pub fn write_value(out: &mut Vec<u8>, value: &Value, depth: usize) -> serde_json::Result<()> {
    match value {
        Value::Object(map) => {
            let mut object = Object::begin(out, depth);
            for (key, child) in map {
                write_value(object.key(key), child, depth + 1)?;
            }
            object.end();
        }
        Value::Array(items) => {
            let mut array = Array::begin(out, depth);
            for child in items {
                write_value(array.item(), child, depth + 1)?;
            }
            array.end();
        }
        Value::String(text) => write_str(out, text),
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => serde_json::to_writer(&mut *out, number)?,
    }
    Ok(())
}

/// Two spaces per level, copied at once (two at a time was a third of writing a row).
pub fn indent(out: &mut Vec<u8>, depth: usize) {
    const SPACES: &[u8; 64] = &[b' '; 64];
    let mut left = 2 * depth;
    while left > 0 {
        let now = left.min(SPACES.len());
        out.extend_from_slice(&SPACES[..now]);
        left -= now;
    }
}

/// An object being written at `depth`: `key` starts each entry, `end` closes it.
pub struct Object<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
    empty: bool,
}

impl<'a> Object<'a> {
    pub fn begin(out: &'a mut Vec<u8>, depth: usize) -> Object<'a> {
        out.push(b'{');
        Object {
            out,
            depth,
            empty: true,
        }
    }

    /// Writes `"key": ` on its own line and gives the buffer for the value.
    pub fn key(&mut self, key: &str) -> &mut Vec<u8> {
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        indent(self.out, self.depth + 1);
        write_str(self.out, key);
        self.out.extend_from_slice(b": ");
        self.out
    }

    /// [`Object::key`] for a field name that JSON does not escape (the typed writers' names),
    /// copied as it is.
    pub fn field(&mut self, name: &'static str) -> &mut Vec<u8> {
        debug_assert!(next_escaped(name.as_bytes(), 0).is_none(), "{name}");
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        indent(self.out, self.depth + 1);
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
        self.out
    }

    pub fn end(self) {
        if !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(b'}');
    }
}

/// An array being written at `depth`: `item` starts each element, `end` closes it.
pub struct Array<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
    empty: bool,
}

impl<'a> Array<'a> {
    pub fn begin(out: &'a mut Vec<u8>, depth: usize) -> Array<'a> {
        out.push(b'[');
        Array {
            out,
            depth,
            empty: true,
        }
    }

    pub fn item(&mut self) -> &mut Vec<u8> {
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        indent(self.out, self.depth + 1);
        self.out
    }

    pub fn end(self) {
        if !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(b']');
    }
}

/// `x` as `Value::from(x)` writes it (null when it is not finite).
pub fn write_f64(out: &mut Vec<u8>, x: f64) -> serde_json::Result<()> {
    match serde_json::Number::from_f64(x) {
        Some(number) => serde_json::to_writer(&mut *out, &number),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// An amount as [`crate::output::money`] gives it: rounded to paise, a float.
pub fn write_money(out: &mut Vec<u8>, value: Decimal) -> serde_json::Result<()> {
    match value.round_dp(2).to_f64() {
        Some(x) => write_f64(out, x),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// `text` as a JSON string, escaped as serde_json escapes it: a quote and a backslash after a
/// backslash, the control characters as `\b \t \n \f \r` or `\u00xx`, nothing else.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run_start = 0;
    while let Some(at) = next_escaped(bytes, run_start) {
        out.extend_from_slice(&bytes[run_start..at]);
        let byte = bytes[at];
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xF)],
                ]);
            }
        }
        run_start = at + 1;
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'"');
}

/// The first byte from `from` on that JSON escapes: below 0x20, a quote or a backslash.
fn next_escaped(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let escaped = |byte: u8| byte < 0x20 || byte == b'"' || byte == b'\\';
    let mut at = from;
    // Eight bytes at a time while none of them is escaped. Each test is exact for "some byte of
    // the word": a borrow only carries past a byte that matched.
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_ne_bytes(word);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let found = ((word.wrapping_sub(ONES * 0x20) & !word)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash))
            & HIGHS;
        if found != 0 {
            break;
        }
        at += 8;
    }
    bytes
        .get(at..)?
        .iter()
        .position(|&byte| escaped(byte))
        .map(|offset| at + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        for b in 0u8..0x80 {
            for at in 0..19 {
                let mut text: String = "NEFT-é/₹ 12,345".chars().cycle().take(18).collect();
                text.insert(
                    text.char_indices().nth(at).map_or(text.len(), |(i, _)| i),
                    char::from(b),
                );
                texts.push(text);
            }
        }
        texts.extend(["", "\"\"\\\u{7f}\u{1f}x", "a\u{0}b\u{8}\u{c}\r\n\t"].map(String::from));
        for text in &texts {
            let mut written = Vec::new();
            write_str(&mut written, text);
            let expected = serde_json::to_vec(text).unwrap_or_default();
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected),
                "{text:?}"
            );
        }
    }

    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        let value = serde_json::json!({
            "session_id": null,
            "empty": {},
            "list": [],
            "accounts": [{
                "account_id": "a\"1\n",
                "rows": [
                    {"note": "UPI/1\nX \\ \u{1}", "amount": 1.5, "n": 3, "meta": {"a": [1, [], {}]}},
                    {"note": "two", "amount": -0.25, "flag": true, "off": false, "big": 1e300},
                ],
            }],
        });
        let mut written = Vec::new();
        write_value(&mut written, &value, 0).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&serde_json::to_vec_pretty(&value).unwrap_or_default())
        );
    }
}
