//! Some banks' report engines embed their TrueType font as a CID font (Type0, Identity-H)
//! without a `/ToUnicode` map: only the font program's own `cmap` says which character each
//! glyph is, so that `cmap` is what we read them by. Every layout set in the embedded font
//! must parse exactly as it does with the `/ToUnicode` map.

use ledgerlens_fixtures::layout::Typeface;
use ledgerlens_fixtures::pdf::{GlyphUnicode, TextEncoding};
use ledgerlens_fixtures::{generate_spec, layouts, random_layout, LayoutSpec};

mod support;

fn parse(spec: &LayoutSpec, seed: u64) -> Result<String, String> {
    let (pdf, truth) = generate_spec(spec, seed).map_err(|e| e.to_string())?;
    let has_to_unicode = pdf.windows(b"/ToUnicode".len()).any(|w| w == b"/ToUnicode");
    assert_eq!(
        has_to_unicode,
        spec.glyph_unicode == GlyphUnicode::ToUnicodeMap,
        "{}: the PDF's /ToUnicode does not follow the spec",
        spec.name
    );
    support::read_pdf(pdf, &truth.bank)
}

/// Layouts in the embedded font: the hand-written ones, and random seeds that draw it.
fn embedded_font_layouts() -> Vec<(String, LayoutSpec, u64)> {
    let hand_written = layouts()
        .into_iter()
        .filter(|spec| spec.typeface == Typeface::DejaVuEmbedded)
        .map(|spec| (spec.name.to_string(), spec, 7));
    let random = [0, 18, 19, 20, 27]
        .into_iter()
        .map(|seed| (format!("random seed {seed}"), random_layout(seed), seed));
    hand_written.chain(random).collect()
}

#[test]
fn embedded_font_without_to_unicode_parses_as_with_it() {
    let specs = embedded_font_layouts();
    assert!(specs.len() > 3, "too few layouts in the embedded font");
    let mut wrong = Vec::new();
    for (label, base, seed) in specs {
        assert_eq!(base.typeface, Typeface::DejaVuEmbedded, "{label}");
        for encoding in [
            TextEncoding::CellStrings,
            TextEncoding::KernedArrays {
                spaces_as_offsets: true,
            },
            TextEncoding::GlyphsPlaced,
        ] {
            let with_map = LayoutSpec {
                encoding,
                glyph_unicode: GlyphUnicode::ToUnicodeMap,
                ..base.clone()
            };
            let without_map = LayoutSpec {
                glyph_unicode: GlyphUnicode::ProgramCmapOnly,
                ..with_map.clone()
            };
            let want = parse(&with_map, seed);
            let got = parse(&without_map, seed);
            if want.is_err() || want != got {
                wrong.push(format!(
                    "{label} under {encoding:?}: with /ToUnicode {}, without {}",
                    outline(&want),
                    outline(&got)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A reading's first lines or its error, enough to see what went wrong.
fn outline(reading: &Result<String, String>) -> String {
    match reading {
        Ok(text) => format!("{:?}", text.lines().take(8).collect::<Vec<_>>()),
        Err(kind) => format!("error {kind}"),
    }
}
