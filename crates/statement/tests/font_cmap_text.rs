//! Fonts with no `/ToUnicode` map are read through their embedded TrueType program's own
//! Unicode `cmap`: a CID font whose codes reach their glyphs through a `CIDToGIDMap` stream,
//! and a symbolic simple TrueType font whose codes pick glyphs through the program's `cmap`.

use ledgerlens_fixtures::pdf::{EmbeddedFont, RawPdf};
use ledgerlens_pdf::{open, Limits};

/// A one-page PDF drawing `content` with `fonts` (resource name, object body), the font
/// program stored as object 3, the fonts from object 6 on and `extra` objects after them.
fn pdf_with_fonts(
    program: &[u8],
    fonts: &[(&str, String)],
    extra: &[Vec<u8>],
    content: &str,
) -> Vec<u8> {
    let mut pdf = RawPdf::new("1.4");
    pdf.object(b"<< /Type /Catalog /Pages 2 0 R >>");
    pdf.object(b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>");
    pdf.stream("", program);
    let first_font = 6;
    let resources: String = fonts
        .iter()
        .enumerate()
        .map(|(index, (name, _))| format!("/{name} {} 0 R ", first_font + index))
        .collect();
    let page = format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << {resources}>> >> /Contents 5 0 R >>"
    );
    pdf.object(page.as_bytes());
    pdf.stream("", content.as_bytes());
    for (_, body) in fonts {
        pdf.object(body.as_bytes());
    }
    for body in extra {
        pdf.object(body);
    }
    pdf.finish()
}

/// The page's words, in reading order.
fn words(pdf: Vec<u8>) -> Vec<String> {
    let limits = Limits {
        threads: 1,
        ..Limits::default()
    };
    let document = open(pdf, None, &limits).expect("opens");
    document.pages[0]
        .runs
        .iter()
        .map(|run| run.text.clone())
        .collect()
}

/// The words of a page that draws "Balance 1,234.00" in a CID font and "Café Paid" in a
/// simple TrueType font, both embedding `program` (DejaVu Sans, glyph ids from `face`).
fn balance_and_cafe(program: &[u8], face: &EmbeddedFont) -> Vec<String> {
    // CID font: codes are CIDs 1, 2, 3... in order of first use, mapped to the glyphs by a
    // CIDToGIDMap stream (as subsetting producers renumber them); no ToUnicode.
    let text = "Balance 1,234.00";
    let mut used: Vec<char> = Vec::new();
    for ch in text.chars() {
        if !used.contains(&ch) {
            used.push(ch);
        }
    }
    let cid_of = |ch: char| used.iter().position(|&c| c == ch).map_or(0, |i| i + 1);
    let mut cid_to_gid = vec![0u8, 0u8];
    for &ch in &used {
        cid_to_gid.extend_from_slice(&face.glyph_id(ch).to_be_bytes());
    }
    let hex: String = text
        .chars()
        .map(|ch| format!("{:04X}", cid_of(ch)))
        .collect();
    // Objects 6 and 7 are the fonts, 8 the map.
    let mut map_stream = format!("<< /Length {} >>\nstream\n", cid_to_gid.len()).into_bytes();
    map_stream.extend_from_slice(&cid_to_gid);
    map_stream.extend_from_slice(b"\nendstream");
    let cid_font = "<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H \
         /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
         /FontDescriptor << /Type /FontDescriptor /FontName /DejaVuSans /Flags 4 \
         /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 760 /Descent -240 /CapHeight 730 \
         /StemV 80 /FontFile2 3 0 R >> /DW 600 \
         /CIDToGIDMap 8 0 R >>] >>"
        .to_string();
    // Symbolic simple TrueType font, no /Encoding: codes pick glyphs through the program's
    // cmap, and DejaVu's has a (1,0) Mac Roman subtable, so code 0xE9 draws MacRoman's 'È'.
    // The text follows the glyph drawn (the standard encoding would name code 0xE9 Oslash).
    let simple_font = "<< /Type /Font /Subtype /TrueType /BaseFont /DejaVuSans \
         /FontDescriptor << /Type /FontDescriptor /FontName /DejaVuSans /Flags 4 \
         /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 760 /Descent -240 /CapHeight 730 \
         /StemV 80 /FontFile2 3 0 R >> >>"
        .to_string();
    let content = format!(
        "BT /F1 10 Tf 100 700 Td <{hex}> Tj ET\nBT /F2 10 Tf 100 650 Td (Caf\\351 Paid) Tj ET"
    );
    let pdf = pdf_with_fonts(
        program,
        &[("F1", cid_font), ("F2", simple_font)],
        &[map_stream],
        &content,
    );
    words(pdf)
}

#[test]
fn fonts_without_to_unicode_are_read_through_the_program_cmap() {
    let Ok(face) = EmbeddedFont::load_dejavu_sans() else {
        eprintln!("DejaVuSans.ttf missing; skipped");
        return;
    };
    assert_eq!(
        balance_and_cafe(&face.file_bytes, &face),
        ["Balance", "1,234.00", "CafÈ", "Paid"]
    );
}

/// The program with its `cmap` table's tag renamed, as if a subsetter had dropped it (the
/// renamed tag keeps the table directory sorted).
fn without_cmap(program: &[u8]) -> Vec<u8> {
    let mut bytes = program.to_vec();
    let tables = usize::from(u16::from_be_bytes([bytes[4], bytes[5]]));
    for record in 0..tables {
        let at = 12 + 16 * record;
        if &bytes[at..at + 4] == b"cmap" {
            bytes[at + 3] = b'q';
        }
    }
    bytes
}

#[test]
fn a_cid_font_whose_cmap_was_dropped_is_read_by_its_glyph_names() {
    let Ok(face) = EmbeddedFont::load_dejavu_sans() else {
        eprintln!("DejaVuSans.ttf missing; skipped");
        return;
    };
    let program = without_cmap(&face.file_bytes);
    assert_ne!(program, face.file_bytes, "DejaVu Sans has a cmap to drop");
    // DejaVu's `post` table names its glyphs ("B", "comma", "one"...).
    assert_eq!(
        balance_and_cafe(&program, &face)[..2],
        ["Balance", "1,234.00"]
    );
}
