//! The BankConnect contract, read from the published docs (shared/spec) and compared with what
//! the server answers: key paths, JSON types (int vs float included), string formats (dates,
//! months, UUIDs) and key order.
//!
//! The docs' samples are hand-edited JSON: rows elided with `....`, trailing commas, missing
//! commas and, in the Insights sample, a missing `]`. `lenient_json` repairs exactly those
//! defects token by token so the samples can be used as they are published.
#![allow(dead_code)]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// `shared/spec`, beside the repository (the layout CI uses). `None` when absent.
pub fn spec_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: the BankConnect docs are not at {} (CI keeps shared/ beside the repository)",
            dir.display()
        );
        None
    }
}

/// Every ```json block of a markdown file, with the line its fence opens on.
pub fn json_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (number, line) in markdown.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match current.take() {
            None if fence && line.trim_start().starts_with("```json") => {
                current = Some((number + 1, String::new()));
            }
            None => {}
            Some(block) if fence => blocks.push(block),
            Some((start, mut text)) => {
                text.push_str(line);
                text.push('\n');
                current = Some((start, text));
            }
        }
    }
    blocks
}

fn tokens(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            // `//...` comments stand for elided rows in some samples.
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if c == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(bytes.len());
            out.push(&text[i..end]);
            i = end;
        } else if b"{}[],:".contains(&c) {
            out.push(&text[i..i + 1]);
            i += 1;
        } else {
            let mut j = i;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !b"{}[],:\"".contains(&bytes[j])
            {
                j += 1;
            }
            out.push(&text[i..j]);
            i = j;
        }
    }
    out
}

/// Parses a docs sample, repairing elisions, stray/missing commas and unclosed arrays.
pub fn lenient_json(text: &str) -> Option<Value> {
    // A sample that starts at its first key lost its opening brace (upload-status.md).
    let wrapped;
    let text = if text.trim_start().starts_with(['{', '[']) {
        text
    } else {
        wrapped = format!("{{{text}}}");
        &wrapped
    };
    let toks: Vec<&str> = tokens(text)
        .into_iter()
        .filter(|t| !t.chars().all(|c| c == '.'))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut stack: Vec<char> = Vec::new();
    let mut value_ended = false;
    let close = |open: char| if open == '{' { '}' } else { ']' };
    for (i, tok) in toks.iter().enumerate() {
        match *tok {
            // Commas are re-inserted where a value ends and another begins.
            "," => {}
            "}" | "]" => {
                let want = if *tok == "}" { '{' } else { '[' };
                while let Some(open) = stack.last().copied().filter(|o| *o != want) {
                    stack.pop();
                    out.push(close(open));
                }
                if stack.pop().is_some() {
                    out.push_str(tok);
                }
                value_ended = true;
            }
            ":" => {
                out.push(':');
                value_ended = false;
            }
            _ => {
                let is_key = tok.starts_with('"') && toks.get(i + 1) == Some(&":");
                // A key inside an array means the sample forgot to close that array.
                if is_key {
                    while stack.last() == Some(&'[') {
                        stack.pop();
                        out.push(']');
                    }
                }
                if value_ended {
                    out.push(',');
                }
                if *tok == "{" || *tok == "[" {
                    stack.extend(tok.chars());
                    out.push_str(tok);
                    value_ended = false;
                } else {
                    out.push_str(tok);
                    value_ended = !is_key;
                }
            }
        }
    }
    while let Some(open) = stack.pop() {
        out.push(close(open));
    }
    serde_json::from_str(&out).ok()
}

/// Seed 001's samples, which pandoc wrote as grid-table boxes (`+---+` / `| \"key\": … |`),
/// with the `## ` section each sits in. Boxes that do not hold JSON are left out.
pub fn grid_samples(text: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut cells: Option<Vec<String>> = None;
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            if !title.contains("following table") {
                section = title.trim().to_owned();
            }
        }
        if line.starts_with("+---") {
            match cells.take() {
                None => cells = Some(Vec::new()),
                Some(box_lines) => {
                    let joined = box_lines.join(" ");
                    let mut unescaped = String::with_capacity(joined.len());
                    let mut chars = joined.chars();
                    while let Some(c) = chars.next() {
                        // pandoc escapes \" \[ \] \_ …; a trailing \ is a hard line break.
                        if c == '\\' {
                            if let Some(next) = chars.next() {
                                unescaped.push(next);
                            }
                        } else {
                            unescaped.push(c);
                        }
                    }
                    if unescaped.trim_start().starts_with('{') {
                        if let Some(value) = lenient_json(&unescaped) {
                            out.push((section.clone(), value));
                        }
                    }
                }
            }
            continue;
        }
        if let Some(box_lines) = cells.as_mut() {
            let cell = line.trim();
            let cell = cell.strip_prefix('|').unwrap_or(cell);
            let cell = cell.strip_suffix('|').unwrap_or(cell).trim();
            let cell = cell.strip_suffix('\\').unwrap_or(cell);
            box_lines.push(cell.to_owned());
        }
    }
    out
}

/// The kind a strictly typed client decodes: ints and floats apart.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_index(abbrev: &str) -> Option<usize> {
    MONTHS.iter().position(|m| *m == abbrev)
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// "Aug-2025" / "Aug-25" as (year, month) for ordering; None for other keys.
pub fn month_key(key: &str) -> Option<(i32, usize)> {
    let (mon, year) = key.split_once('-')?;
    let month = month_index(mon)?;
    let year: i32 = if digits(year, 4) {
        year.parse().ok()?
    } else if digits(year, 2) {
        2000 + year.parse::<i32>().ok()?
    } else {
        return None;
    };
    Some((year, month))
}

/// The format family of a string, for the strings whose format a client parses.
pub fn format_of(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    let parts: Vec<&str> = s.split('-').collect();
    if s.len() == 10 && b[4] == b'-' && b[7] == b'-' && digits(&s[..4], 4) {
        return Some("YYYY-MM-DD");
    }
    if s.len() == 19 && b[4] == b'-' && b[10] == b' ' && b[13] == b':' {
        return Some("YYYY-MM-DD HH:MM:SS");
    }
    // Longer times: the docs write two forms with microseconds (fetch-data.md's
    // "…T06:48:43.660968Z", upload-status.md's "… 06:48:43.660968+00:00"), and a client parses
    // each with its own pattern, so they are told apart.
    if s.len() > 19 && b.get(4) == Some(&b'-') && matches!(b.get(10), Some(b'T' | b' ')) {
        let micros = b.get(19) == Some(&b'.') && s.get(20..26).is_some_and(|f| digits(f, 6));
        return Some(match (b[10], micros, s.get(26..).unwrap_or_default()) {
            (b'T', true, "Z") => "YYYY-MM-DDTHH:MM:SS.ffffffZ",
            (b' ', true, "+00:00") => "YYYY-MM-DD HH:MM:SS.ffffff+00:00",
            (b'T', _, _) => "ISO-8601 (other)",
            _ => "date-time (other)",
        });
    }
    if s.len() == 10 && b[2] == b'/' && b[5] == b'/' {
        return Some("DD/MM/YYYY");
    }
    if parts.len() == 3
        && digits(parts[0], 2)
        && month_index(parts[1]).is_some()
        && digits(parts[2], 2)
    {
        return Some("DD-Mon-YY");
    }
    if parts.len() == 3
        && digits(parts[0], 2)
        && month_index(parts[1]).is_some()
        && digits(parts[2], 4)
    {
        return Some("DD-Mon-YYYY");
    }
    if parts.len() == 2 && month_index(parts[0]).is_some() && digits(parts[1], 4) {
        return Some("Mon-YYYY");
    }
    if parts.len() == 2 && month_index(parts[0]).is_some() && digits(parts[1], 2) {
        return Some("Mon-YY");
    }
    if s.len() == 36 && parts.len() == 5 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Some("UUID");
    }
    None
}

/// What one normalised key path holds across a document (array elements merged).
#[derive(Debug, Default, Clone)]
pub struct PathInfo {
    pub kinds: BTreeSet<&'static str>,
    pub formats: BTreeSet<&'static str>,
    /// For objects: keys in document order (month keys normalised, duplicates dropped).
    pub keys: Vec<String>,
    /// For objects keyed by months: whether every instance was chronological.
    pub months_chronological: Option<bool>,
}

fn normalise_key(key: &str) -> String {
    if month_key(key).is_some() {
        "{month}".to_owned()
    } else {
        key.to_owned()
    }
}

pub fn collect(value: &Value) -> BTreeMap<String, PathInfo> {
    let mut paths = BTreeMap::new();
    walk(value, String::new(), &mut paths);
    paths
}

fn walk(value: &Value, path: String, paths: &mut BTreeMap<String, PathInfo>) {
    let info = paths.entry(path.clone()).or_default();
    info.kinds.insert(kind(value));
    match value {
        Value::String(s) => {
            if let Some(f) = format_of(s) {
                info.formats.insert(f);
            }
        }
        Value::Object(map) => {
            for key in map.keys() {
                let key = normalise_key(key);
                if !info.keys.contains(&key) {
                    info.keys.push(key);
                }
            }
            let months: Vec<(i32, usize)> = map.keys().filter_map(|k| month_key(k)).collect();
            if !months.is_empty() {
                let sorted = months.windows(2).all(|w| w[0] < w[1]);
                info.months_chronological =
                    Some(info.months_chronological.unwrap_or(true) && sorted);
            }
            for (key, child) in map {
                walk(child, format!("{path}.{}", normalise_key(key)), paths);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, format!("{path}[]"), paths);
            }
        }
        _ => {}
    }
}

/// The comparison of one response with its documented sample.
#[derive(Debug, Default)]
pub struct Report {
    pub name: String,
    pub paths_total: usize,
    pub paths_matched: usize,
    pub missing: Vec<String>,
    pub type_checked: usize,
    pub type_mismatches: Vec<String>,
    pub format_checked: usize,
    pub format_mismatches: Vec<String>,
    pub order_checked: usize,
    pub order_mismatches: Vec<String>,
}

impl Report {
    pub fn print(&self) {
        println!(
            "[contract] {}: key paths {}/{}, types {}/{}, formats {}/{}, key order {}/{}",
            self.name,
            self.paths_matched,
            self.paths_total,
            self.type_checked - self.type_mismatches.len(),
            self.type_checked,
            self.format_checked - self.format_mismatches.len(),
            self.format_checked,
            self.order_checked - self.order_mismatches.len(),
            self.order_checked,
        );
        for (label, list) in [
            ("type", &self.type_mismatches),
            ("format", &self.format_mismatches),
            ("order", &self.order_mismatches),
        ] {
            for line in list {
                println!("[contract]   {label}: {line}");
            }
        }
        let shown: Vec<&String> = self.missing.iter().take(400).collect();
        if !shown.is_empty() {
            println!(
                "[contract]   missing ({}, first {}): {shown:?}",
                self.missing.len(),
                shown.len()
            );
        }
    }
}

/// Compares `actual` with the documented `sample`. Nulls in the sample say "nullable" and do not
/// fix a type; an int where the sample has a float (or the reverse) is a mismatch.
pub fn compare(name: &str, sample: &Value, actual: &Value) -> Report {
    let want = collect(sample);
    let have = collect(actual);
    let mut report = Report {
        name: name.to_owned(),
        paths_total: want.len(),
        ..Report::default()
    };
    for (path, w) in &want {
        let Some(h) = have.get(path) else {
            report.missing.push(path.clone());
            continue;
        };
        report.paths_matched += 1;
        let w_kinds: BTreeSet<_> = w.kinds.iter().filter(|k| **k != "null").collect();
        let h_kinds: BTreeSet<_> = h.kinds.iter().filter(|k| **k != "null").collect();
        if !w_kinds.is_empty() && !h_kinds.is_empty() {
            report.type_checked += 1;
            if !h_kinds.is_subset(&w_kinds) {
                report
                    .type_mismatches
                    .push(format!("{path}: docs {w_kinds:?}, server {h_kinds:?}"));
            }
        }
        if !w.formats.is_empty() && !h.kinds.iter().all(|k| *k == "null") {
            report.format_checked += 1;
            if !h.formats.is_subset(&w.formats) || h.formats.is_empty() {
                report.format_mismatches.push(format!(
                    "{path}: docs {:?}, server {:?}",
                    w.formats, h.formats
                ));
            }
        }
        if w.keys.len() > 1 && !h.keys.is_empty() {
            report.order_checked += 1;
            let ours: Vec<&String> = h.keys.iter().filter(|k| w.keys.contains(k)).collect();
            let theirs: Vec<&String> = w.keys.iter().filter(|k| h.keys.contains(k)).collect();
            if ours != theirs {
                report
                    .order_mismatches
                    .push(format!("{path}: docs {theirs:?}, server {ours:?}"));
            }
        }
        // Month-keyed objects: the docs list months oldest first.
        if w.months_chronological.is_some() && h.months_chronological.is_some() {
            report.order_checked += 1;
            if h.months_chronological == Some(false) {
                report
                    .order_mismatches
                    .push(format!("{path}: month keys not chronological"));
            }
        }
    }
    report
}

/// rest-api.md's samples by the entity endpoint they document (`entity/<entity_id>/X/`),
/// leaving out the sections the page comments out.
pub fn entity_samples(spec: &std::path::Path) -> Vec<(String, Value)> {
    let path = spec.join("finbox-docs/session-flow/rest-api.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut out = Vec::new();
    let (mut endpoint, mut commented, mut block): (Option<String>, bool, Option<String>) =
        (None, false, None);
    for line in text.lines() {
        if let Some(body) = block.as_mut() {
            if line.trim_start().starts_with("```") {
                if let (Some(name), false) = (endpoint.clone(), commented) {
                    let parsed = lenient_json(body)
                        .unwrap_or_else(|| panic!("rest-api.md: {name} sample does not parse"));
                    out.push((name, parsed));
                }
                block = None;
            } else {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        if line.contains("<!--") {
            commented = true;
        }
        if line.contains("-->") {
            commented = false;
        }
        if let Some(rest) = line.split("entity/`<entity_id>`/").nth(1) {
            endpoint = rest.split('/').next().map(str::to_owned);
        }
        if line.trim_start().starts_with("```json") {
            block = Some(String::new());
        }
    }
    out
}
