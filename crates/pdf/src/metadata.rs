//! Document information the fraud checks compare against what banks' generators write.

use hayro_syntax::object::{Array, Dict, String as PdfString};
use hayro_syntax::Pdf;
use serde::Serialize;

/// The Info dictionary, decoded, plus structural facts about the file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocumentMetadata {
    pub producer: Option<String>,
    pub creator: Option<String>,
    pub author: Option<String>,
    pub title: Option<String>,
    pub subject: Option<String>,
    pub keywords: Option<String>,
    pub creation_date: Option<PdfDate>,
    pub modification_date: Option<PdfDate>,
    pub page_count: usize,
    /// Times the file was appended to after it was first written (edits leave such traces,
    /// and so do signatures).
    pub incremental_updates: usize,
    /// How many of those appended revisions add a digital signature, a document timestamp
    /// or signature validation data (DSS): what banks' signing steps append after rendering.
    pub signature_updates: usize,
    /// The signing times (`/M`) those revisions record, as written, and those of the
    /// signatures the document's form still holds after a rewrite merged its revisions.
    pub signing_times: Vec<PdfDate>,
    /// Appended revisions that do not sign but come before a revision that does: the file
    /// the signer signed already held them (a bank's stamper appending page labels or a note
    /// before its signing step), so they are no change made after the signing.
    pub updates_signed_over: usize,
}

/// A PDF date with its UTC offset, as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PdfDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub utc_offset_minutes: i16,
}

impl PdfDate {
    /// RFC 3339, e.g. `2024-01-05T10:32:11+05:30`.
    pub fn to_rfc3339(&self) -> String {
        let sign = if self.utc_offset_minutes < 0 {
            '-'
        } else {
            '+'
        };
        let offset = self.utc_offset_minutes.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            sign,
            offset / 60,
            offset % 60
        )
    }

    /// Seconds since the Unix epoch, for ordering and differences.
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        days * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.utc_offset_minutes) * 60
    }
}

// Howard Hinnant's days-from-civil; avoids a date crate dependency in the PDF layer.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn read(pdf: &Pdf) -> DocumentMetadata {
    let info = pdf.metadata();
    let date = |d: &Option<hayro_syntax::object::DateTime>| {
        d.as_ref().map(|d| PdfDate {
            year: d.year,
            month: d.month,
            day: d.day,
            hour: d.hour,
            minute: d.minute,
            second: d.second,
            utc_offset_minutes: i16::from(d.utc_offset_hour) * 60
                + i16::from(d.utc_offset_minute) * i16::from(d.utc_offset_hour.signum()),
        })
    };
    DocumentMetadata {
        producer: info.producer.as_deref().map(decode_text_string),
        creator: info.creator.as_deref().map(decode_text_string),
        author: info.author.as_deref().map(decode_text_string),
        title: info.title.as_deref().map(decode_text_string),
        subject: info.subject.as_deref().map(decode_text_string),
        keywords: info.keywords.as_deref().map(decode_text_string),
        creation_date: date(&info.creation_date),
        modification_date: date(&info.modification_date),
        page_count: pdf.pages().len(),
        incremental_updates: 0,
        signature_updates: 0,
        signing_times: Vec::new(),
        updates_signed_over: 0,
    }
}

/// Parses a PDF date string strictly (ISO 32000-1 7.9.4): `D:` (also tolerated missing),
/// `YYYY[MM[DD[HH[mm[SS]]]]]`, then an optional zone `Z`, `Z00'00'` or `+HH'mm'` with either
/// apostrophe or both left out. Anything else (a date in another syntax, trailing text) is
/// None: a date read leniently from a form it does not have (`D:2024-05-01` read as 1
/// January) would be a false date. A date without a zone is read as UTC.
pub fn parse_pdf_date(text: &str) -> Option<PdfDate> {
    let text = text.trim();
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if !(4..=14).contains(&digits) || digits % 2 != 0 {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u16> { text.get(from..to)?.parse().ok() };
    let part = |from: usize, default: u16| -> Option<u16> {
        if from < digits {
            number(from, from + 2)
        } else {
            Some(default)
        }
    };
    let year = number(0, 4)?;
    let month = part(4, 1)?;
    let day = part(6, 1)?;
    let hour = part(8, 0)?;
    let minute = part(10, 0)?;
    let second = part(12, 0)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // A leap second is written 60.
    if second > 60 {
        return None;
    }
    let zone = &text[digits..];
    let utc_offset_minutes = match zone.as_bytes().first() {
        None => 0,
        Some(b'Z') => {
            let rest = zone[1..].trim_end_matches('\'');
            if !rest.is_empty() && rest != "00'00" && rest != "0000" {
                return None;
            }
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let rest: String = zone[1..].chars().filter(|c| *c != '\'').collect();
            if !(rest.len() == 2 || rest.len() == 4) || !rest.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i16 = rest[..2].parse().ok()?;
            let minutes: i16 = if rest.len() == 4 {
                rest[2..].parse().ok()?
            } else {
                0
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 60 + minutes;
            if sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        Some(_) => return None,
    };
    Some(PdfDate {
        year,
        month: month as u8,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second.min(59) as u8,
        utc_offset_minutes,
    })
}

/// The literal string after `key` (`/ModDate (D:...)`) in a dictionary's text.
fn literal_after(text: &[u8], key: &'static [u8]) -> Option<String> {
    find_all(text, key).find_map(|at| {
        let rest = &text[at + key.len()..];
        // The key itself, not a longer name that starts with it.
        if rest.first().is_some_and(u8::is_ascii_alphanumeric) {
            return None;
        }
        let spaces = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let rest = rest.get(spaces..)?.strip_prefix(b"(")?;
        let end = rest.iter().take(64).position(|&b| b == b')')?;
        Some(String::from_utf8_lossy(&rest[..end]).into_owned())
    })
}

/// The object number of the last `/Info N G R` the file writes (the last trailer's).
fn info_object(bytes: &[u8]) -> Option<u64> {
    find_all(bytes, b"/Info")
        .filter_map(|at| {
            let rest = &bytes[at + b"/Info".len()..];
            let text = String::from_utf8_lossy(rest.get(..32).unwrap_or(rest));
            let mut words = text.split_ascii_whitespace();
            let number = words.next()?.parse::<u64>().ok()?;
            words.next()?.parse::<u64>().ok()?;
            (words.next()?.starts_with('R')).then_some(number)
        })
        .last()
}

/// Replaces the Info dictionary's dates by a strict reading of the strings it writes in the
/// clear (an unencrypted file whose Info dictionary is not in a compressed object stream):
/// a date that does not have the PDF form is no date. Other files keep the reader's dates.
pub(crate) fn read_dates_strictly(bytes: &[u8], metadata: &mut DocumentMetadata) {
    let Some(info) = info_object(bytes).and_then(|number| object_body(bytes, number)) else {
        return;
    };
    if let Some(text) = literal_after(info, b"/CreationDate") {
        metadata.creation_date = parse_pdf_date(&text);
    }
    if let Some(text) = literal_after(info, b"/ModDate") {
        metadata.modification_date = parse_pdf_date(&text);
    }
}

/// Appended revisions that only sign the file, as [`signature_revisions`] reads them.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct SigningRevisions {
    /// Revisions that add a signature or document timestamp (a `/ByteRange` dictionary) or
    /// validation data (`/DSS`).
    pub signatures: usize,
    /// The signing times (`/M`) they record.
    pub times: Vec<PdfDate>,
    /// Revisions that do not sign, appended before the last one that does.
    pub signed_over: usize,
}

/// The appended revisions that sign the file. `updates` is [`count_incremental_updates`]'s
/// count.
pub(crate) fn signature_revisions(bytes: &[u8], updates: usize) -> SigningRevisions {
    let ends: Vec<usize> = find_all(bytes, b"startxref").collect();
    if updates == 0 || ends.len() < updates + 1 {
        return SigningRevisions::default();
    }
    let mut signatures = 0;
    let mut times = Vec::new();
    let mut unsigned_pending = 0;
    let mut signed_over = 0;
    for pair in ends[ends.len() - updates - 1..].windows(2) {
        let revision = &bytes[pair[0]..pair[1]];
        let signs = find_all(revision, b"/ByteRange").next().is_some()
            || find_all(revision, b"/DSS").next().is_some();
        if !signs {
            unsigned_pending += 1;
            continue;
        }
        signed_over += std::mem::take(&mut unsigned_pending);
        signatures += 1;
        times.extend(find_all(revision, b"/M").filter_map(|at| {
            let rest = &revision[at + 2..];
            if rest.first().is_some_and(u8::is_ascii_alphanumeric) {
                return None;
            }
            let spaces = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let rest = rest.get(spaces..)?.strip_prefix(b"(")?;
            let end = rest.iter().take(64).position(|&b| b == b')')?;
            parse_pdf_date(&String::from_utf8_lossy(&rest[..end]))
        }));
    }
    SigningRevisions {
        signatures,
        times,
        signed_over,
    }
}

/// Signature fields a document's form may hold before the walk gives up (a form is a tree:
/// a malformed one may loop).
const MAX_FORM_FIELDS: usize = 4_096;

/// The signing times (`/M`) of the signatures the document's form holds (Catalog /AcroForm
/// /Fields and their /Kids, each signature field's value): a file re-serialised into one
/// revision (qpdf, a linearizer, a viewer's "save as") keeps its signatures' dictionaries
/// although the appended revisions that carried them are gone, and with them the times
/// [`signature_revisions`] reads.
pub(crate) fn signature_field_times(pdf: &Pdf) -> Vec<PdfDate> {
    let xref = pdf.xref();
    let fields = xref
        .get::<Dict<'_>>(xref.root_id())
        .and_then(|catalog| catalog.get::<Dict<'_>>(b"AcroForm".as_slice()))
        .and_then(|form| form.get::<Array<'_>>(b"Fields".as_slice()));
    let Some(fields) = fields else {
        return Vec::new();
    };
    let mut pending: Vec<Dict<'_>> = fields.iter::<Dict<'_>>().collect();
    let mut times = Vec::new();
    let mut visited = 0;
    while let Some(field) = pending.pop() {
        visited += 1;
        if visited > MAX_FORM_FIELDS {
            break;
        }
        if let Some(kids) = field.get::<Array<'_>>(b"Kids".as_slice()) {
            pending.extend(kids.iter::<Dict<'_>>());
        }
        let signed_at = field
            .get::<Dict<'_>>(b"V".as_slice())
            .filter(|value| value.contains_key(b"ByteRange".as_slice()))
            .and_then(|value| value.get::<PdfString<'_>>(b"M".as_slice()))
            .and_then(|time| {
                parse_pdf_date(&std::string::String::from_utf8_lossy(time.as_bytes()))
            });
        times.extend(signed_at);
    }
    times
}

/// Decodes a PDF text string: UTF-16BE with a byte-order mark, UTF-8 with one (PDF 2.0), else
/// PDFDocEncoding.
pub fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

fn pdf_doc_char(byte: u8) -> char {
    // PDFDocEncoding equals Latin-1 except in 0x18..0x1F and 0x80..0xA0.
    const HIGH: [char; 33] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚',
        '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}', '€',
    ];
    match byte {
        0x80..=0xA0 => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

pub(crate) fn has_encrypt_dictionary(bytes: &[u8]) -> bool {
    find_all(bytes, b"/Encrypt").next().is_some()
}

/// Where each `/Encrypt N G R` reference stands: (start, end, object number).
fn encrypt_references(bytes: &[u8]) -> Vec<(usize, usize, u64)> {
    find_all(bytes, b"/Encrypt")
        .filter_map(|at| {
            let mut i = at + b"/Encrypt".len();
            let mut numbers = [0u64; 2];
            for number in &mut numbers {
                let spaces = bytes[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                let digits = bytes[i + spaces..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if spaces == 0 || digits == 0 || digits > 10 {
                    return None;
                }
                let text = std::str::from_utf8(&bytes[i + spaces..i + spaces + digits]).ok()?;
                *number = text.parse().ok()?;
                i += spaces + digits;
            }
            let spaces = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            (bytes.get(i + spaces) == Some(&b'R')).then_some((at, i + spaces + 1, numbers[0]))
        })
        .collect()
}

/// The body of object `number` (between `N G obj` and `endobj`), found by a scan of the bytes:
/// the encryption dictionary is never inside a compressed object stream.
fn object_body(bytes: &[u8], number: u64) -> Option<&[u8]> {
    // Found by its " 0 obj" (one scan like the others here), then its number before it.
    let digits = number.to_string();
    let start = find_all(bytes, b" 0 obj")
        .filter(|&at| {
            at >= digits.len()
                && &bytes[at - digits.len()..at] == digits.as_bytes()
                && (at == digits.len() || !bytes[at - digits.len() - 1].is_ascii_digit())
        })
        .map(|at| at + b" 0 obj".len())
        .last()?;
    let end = find_all(&bytes[start..], b"endobj").next()? + start;
    Some(&bytes[start..end])
}

/// True when the file's encryption covers embedded files only: the dictionary names a filter
/// for them (`/EFF`) and leaves streams and strings in the clear (`/Identity`, or no filter).
pub(crate) fn encrypts_attachments_only(bytes: &[u8]) -> bool {
    let Some(&(_, _, number)) = encrypt_references(bytes).last() else {
        return false;
    };
    let Some(dictionary) = object_body(bytes, number) else {
        return false;
    };
    // Names may be written without spaces between them ("/StmF/Identity").
    let text = String::from_utf8_lossy(dictionary).replace('/', " /");
    let words: Vec<&str> = text
        .split(|c: char| c.is_ascii_whitespace() || "<>[]".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let value_of = |key: &str| {
        words
            .iter()
            .position(|w| *w == key)
            .and_then(|k| words.get(k + 1).copied())
    };
    let clear = |key: &str| value_of(key).is_none_or(|v| v == "/Identity");
    value_of("/EFF").is_some() && clear("/StmF") && clear("/StrF")
}

/// The file with every `/Encrypt N G R` reference overwritten by spaces (offsets unchanged).
pub(crate) fn without_encrypt_reference(mut bytes: Vec<u8>) -> Vec<u8> {
    for (start, end, _) in encrypt_references(&bytes) {
        bytes[start..end].fill(b' ');
    }
    bytes
}

/// Each save that appends to a file adds a new cross-reference section ending in `startxref`.
/// A linearised file legitimately has two from its first write.
pub(crate) fn count_incremental_updates(bytes: &[u8]) -> usize {
    let sections = find_all(bytes, b"startxref").count();
    let head = &bytes[..bytes.len().min(1024)];
    let linearized = find_all(head, b"/Linearized").next().is_some();
    let first_write = if linearized { 2 } else { 1 };
    sections.saturating_sub(first_write)
}

/// A complete PDF ends with `%%EOF` (writers may add a little padding after it); a file cut
/// short in transfer does not.
pub(crate) fn ends_without_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    !bytes.is_empty() && find_all(tail, b"%%EOF").next().is_none()
}

/// Every position where `needle` starts, overlapping ones included (each search resumes one
/// byte after the last match). memchr's vectorised search: a byte-by-byte filter cost about
/// ten instructions per byte (the Info dates' scans of an 850 KiB statement: 15.9 M -> 0.9 M).
fn find_all<'h>(haystack: &'h [u8], needle: &'static [u8]) -> impl Iterator<Item = usize> + 'h {
    let finder = memchr::memmem::Finder::new(needle);
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + finder.find(haystack.get(from..)?)?;
        from = at + 1;
        Some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_encrypt(dictionary: &str) -> Vec<u8> {
        format!(
            "%PDF-1.7\n7 0 obj\n{dictionary}\nendobj\ntrailer\n<< /Size 8 /Root 1 0 R \
             /Encrypt 7 0 R >>\nstartxref\n0\n%%EOF\n"
        )
        .into_bytes()
    }

    #[test]
    fn encryption_of_attachments_alone_is_told_from_the_usual_kind() {
        let attachments = "<< /Filter /Standard /V 4 /R 4 /CF << /StdCF << /CFM /AESV2 >> >> \
                           /StmF /Identity /StrF /Identity /EFF /StdCF >>";
        assert!(encrypts_attachments_only(&with_encrypt(attachments)));
        let compact = "<</Filter/Standard/V 4/R 4/CF<</StdCF<</CFM/AESV2>>>>/EFF/StdCF>>";
        assert!(encrypts_attachments_only(&with_encrypt(compact)));
        let everything = "<< /Filter /Standard /V 4 /R 4 /CF << /StdCF << /CFM /AESV2 >> >> \
                          /StmF /StdCF /StrF /StdCF /EFF /StdCF >>";
        assert!(!encrypts_attachments_only(&with_encrypt(everything)));
        let classic = "<< /Filter /Standard /V 2 /R 3 /Length 128 >>";
        assert!(!encrypts_attachments_only(&with_encrypt(classic)));
    }

    #[test]
    fn the_encrypt_reference_is_blanked_in_place() {
        let bytes = with_encrypt("<< /EFF /StdCF >>");
        let cleared = without_encrypt_reference(bytes.clone());
        assert_eq!(cleared.len(), bytes.len());
        assert!(!String::from_utf8_lossy(&cleared).contains("/Encrypt"));
        assert!(String::from_utf8_lossy(&cleared).contains("/Root 1 0 R"));
    }

    #[test]
    fn decodes_utf16_and_pdfdoc() {
        assert_eq!(
            decode_text_string(&[0xFE, 0xFF, 0x00, b'A', 0x20, 0xB9]),
            "A₹"
        );
        assert_eq!(decode_text_string(b"iText\xae 5"), "iText® 5");
        assert_eq!(decode_text_string(&[0x84]), "—");
    }

    #[test]
    fn counts_appended_sections() {
        let once = b"%PDF-1.4\n...startxref\n10\n%%EOF";
        let twice = b"%PDF-1.4\n...startxref\n10\n%%EOF\n...startxref\n99\n%%EOF";
        assert_eq!(count_incremental_updates(once), 0);
        assert_eq!(count_incremental_updates(twice), 1);
        assert!(!ends_without_eof_marker(twice));
        assert!(!ends_without_eof_marker(b"%PDF-1.4\n...%%EOF\r\n\0\0"));
        assert!(ends_without_eof_marker(
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 ob"
        ));
    }

    #[test]
    fn dates_are_read_strictly() {
        let ist = parse_pdf_date("D:20240501103000+05'30'").expect("IST");
        for same in [
            "D:20240501050000Z",
            "D:20240501050000+00'00'",
            "D:20240501050000Z00'00'",
            "D:20240501103000+0530",
            "D:20240501103000+05'30",
            "20240501103000+05'30'",
        ] {
            let date = parse_pdf_date(same).unwrap_or_else(|| panic!("{same}"));
            assert_eq!(date.unix_seconds(), ist.unix_seconds(), "{same}");
        }
        assert_eq!(
            parse_pdf_date("D:202405011030+05'30'").map(|d| (d.hour, d.minute, d.second)),
            Some((10, 30, 0))
        );
        assert_eq!(
            parse_pdf_date("D:20240501103000").map(|d| d.utc_offset_minutes),
            Some(0)
        );
        for wrong in [
            "D:2024-05-01T10:30:00+05:30",
            "5/1/2024 10:30:00 AM",
            "D:191240501103000",
            "D:20241301103000",
            "D:20240501103000+05'30' extra",
            "",
        ] {
            assert_eq!(parse_pdf_date(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn signing_revisions_are_told_from_edits() {
        let base = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\nstartxref\n10\n%%EOF\n".to_vec();
        let signed = [
            base.clone(),
            b"9 0 obj\n<< /Type /Sig /M (D:20240501103500+05'30') /ByteRange [0 1 2 3] >>\nendobj\nstartxref\n99\n%%EOF\n".to_vec(),
            b"12 0 obj\n<< /Type /Catalog /DSS 13 0 R >>\nendobj\nstartxref\n199\n%%EOF\n".to_vec(),
            b"3 0 obj\n<< /Type /Page /Contents 14 0 R >>\nendobj\nstartxref\n299\n%%EOF\n".to_vec(),
        ]
        .concat();
        let updates = count_incremental_updates(&signed);
        assert_eq!(updates, 3);
        let found = signature_revisions(&signed, updates);
        assert_eq!(found.signatures, 2);
        assert_eq!(found.times.len(), 1);
        assert_eq!((found.times[0].hour, found.times[0].minute), (10, 35));
        // The page revision comes after the signatures: nothing signed over it.
        assert_eq!(found.signed_over, 0);
        assert_eq!(signature_revisions(&base, 0), SigningRevisions::default());
        // A stamper's revision before the signature: the signer signed over it.
        let stamped_then_signed = [
            base.clone(),
            b"12 0 obj\n<< /Type /Catalog /PageLabels 13 0 R >>\nendobj\nstartxref\n99\n%%EOF\n".to_vec(),
            b"9 0 obj\n<< /Type /Sig /M (D:20240501103500+05'30') /ByteRange [0 1 2 3] >>\nendobj\nstartxref\n199\n%%EOF\n".to_vec(),
        ]
        .concat();
        let found = signature_revisions(&stamped_then_signed, 2);
        assert_eq!((found.signatures, found.signed_over), (1, 1));
    }

    #[test]
    fn signatures_kept_through_a_rewrite_give_their_signing_times() {
        // One revision (a rewrite merged the signing updates) whose form still holds the
        // bank's signature, under a field's kid, and an unsigned field.
        let mut pdf = ledgerlens_fixtures::pdf::RawPdf::new("1.7");
        pdf.object(b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 8 0 R] >> >>");
        pdf.object(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        pdf.object(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>");
        pdf.stream("", b"");
        pdf.object(b"<< /T (Group) /Kids [6 0 R] >>");
        pdf.object(b"<< /FT /Sig /T (Signature1) /V 7 0 R /Parent 5 0 R >>");
        pdf.object(
            b"<< /Type /Sig /M (D:20240612093000+05'30') /ByteRange [0 10 20 30] /Contents <00> >>",
        );
        pdf.object(b"<< /FT /Tx /T (Note) /V (D:20240101000000) >>");
        let document = crate::open(pdf.finish(), None, &crate::Limits::default()).expect("opens");
        let metadata = &document.metadata;
        assert_eq!(metadata.incremental_updates, 0);
        assert_eq!(metadata.signature_updates, 0);
        assert_eq!(metadata.signing_times.len(), 1);
        assert_eq!(
            (
                metadata.signing_times[0].day,
                metadata.signing_times[0].hour
            ),
            (12, 9)
        );
    }

    #[test]
    fn info_dates_are_replaced_by_their_strict_reading() {
        let mut metadata = DocumentMetadata {
            creation_date: parse_pdf_date("D:20240101000000-05'00'"),
            ..DocumentMetadata::default()
        };
        let bytes = b"%PDF-1.4\n5 0 obj\n<< /CreationDate (D:2024-05-01T10:30:00+05:30) /ModDate (D:20240501103000+05'30') >>\nendobj\ntrailer\n<< /Info 5 0 R >>";
        read_dates_strictly(bytes, &mut metadata);
        assert_eq!(metadata.creation_date, None);
        assert_eq!(metadata.modification_date.map(|d| d.day), Some(1));
    }

    #[test]
    fn dates_order_across_offsets() {
        let ist = PdfDate {
            year: 2024,
            month: 1,
            day: 5,
            hour: 10,
            minute: 30,
            second: 0,
            utc_offset_minutes: 330,
        };
        let utc = PdfDate {
            year: 2024,
            month: 1,
            day: 5,
            hour: 5,
            minute: 0,
            second: 0,
            utc_offset_minutes: 0,
        };
        assert_eq!(ist.unix_seconds(), utc.unix_seconds());
        assert_eq!(ist.to_rfc3339(), "2024-01-05T10:30:00+05:30");
    }
}
