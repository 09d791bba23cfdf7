//! Real statements come from many PDF producers, and each writes the same page differently:
//! kerned glyph arrays, a word or a glyph at a time, a flipped and condensed text space, bold
//! drawn twice, text in column order, pages inside a form, rotated or with a shifted origin.
//! Every hand-written layout is rendered under every encoding the generator knows
//! (crates/fixtures `TextEncoding`) and must parse exactly as it does with one string per cell.

use ledgerlens_fixtures::pdf::TextEncoding;
use ledgerlens_fixtures::{generate_spec, layouts, random_layout, LayoutSpec};

mod support;

fn parse(spec: &LayoutSpec, seed: u64) -> Result<String, String> {
    let (pdf, truth) = generate_spec(spec, seed).map_err(|e| e.to_string())?;
    support::read_pdf(pdf, &truth.bank).map(|text| without_undecided_count(&text))
}

/// The warning counting runs of narration lines no evidence assigned, with its count taken
/// out: glyphs placed on a screen's pixel grid move every gap by up to a pixel, so how many
/// runs the gaps decide may differ by encoding; that the reader warns, and every row, may not.
fn without_undecided_count(text: &str) -> String {
    const UNDECIDED: &str = " runs of wrapped narration lines between two dated rows";
    text.lines()
        .map(|line| match line.find(UNDECIDED) {
            Some(at) => {
                let start = line[..at]
                    .trim_end_matches(|c: char| c.is_ascii_digit())
                    .len();
                format!("{}N{}", &line[..start], &line[at..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first line where two readings differ, with its neighbours.
fn first_difference(want: &str, got: &str) -> String {
    let (want, got): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let at = want
        .iter()
        .zip(&got)
        .position(|(a, b)| a != b)
        .unwrap_or(want.len().min(got.len()));
    format!(
        "line {at}: want {:?}, got {:?}",
        want.get(at).copied().unwrap_or("<end>"),
        got.get(at).copied().unwrap_or("<end>")
    )
}

/// Each layout (labelled, with the seed its statement is synthesised from) under every encoding.
fn check_every_encoding(specs: Vec<(String, LayoutSpec, u64)>) -> Vec<String> {
    let mut wrong = Vec::new();
    for (label, base, seed) in specs {
        let plain = parse(&base, seed);
        for encoding in TextEncoding::all() {
            let spec = LayoutSpec {
                encoding,
                ..base.clone()
            };
            let got = parse(&spec, seed);
            match (&plain, &got) {
                (Ok(want), Ok(got)) if want == got => {}
                (Ok(want), Ok(got)) => wrong.push(format!(
                    "{label} under {encoding:?}: {}",
                    first_difference(want, got)
                )),
                _ => wrong.push(format!(
                    "{label} under {encoding:?}: {:?} vs {:?}",
                    plain.as_ref().err(),
                    got.as_ref().err()
                )),
            }
        }
    }
    wrong
}

#[test]
fn every_encoding_of_every_hand_written_layout_parses_as_one_string_per_cell() {
    let specs = layouts()
        .into_iter()
        .map(|spec| (spec.name.to_string(), spec, 7))
        .collect();
    let wrong = check_every_encoding(specs);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Random layouts' seeds: a few fixed ones, or `LEDGERLENS_ENCODING_SEEDS` ("11,18,31") or
/// `LEDGERLENS_ENCODING_SEED_RANGE` ("0-99") to look further.
fn random_seeds() -> Vec<u64> {
    std::env::var("LEDGERLENS_ENCODING_SEEDS")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|s| s.trim().parse().ok())
                .collect()
        })
        .or_else(|| {
            let range = std::env::var("LEDGERLENS_ENCODING_SEED_RANGE").ok()?;
            let (first, last) = range.split_once('-')?;
            Some((first.parse().ok()?..=last.parse().ok()?).collect())
        })
        .unwrap_or_else(|| vec![3, 11, 25, 42])
}

#[test]
fn every_encoding_of_random_layouts_parses_as_one_string_per_cell() {
    let specs = random_seeds()
        .into_iter()
        .map(|seed| (format!("random seed {seed}"), random_layout(seed), seed))
        .collect();
    let wrong = check_every_encoding(specs);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
