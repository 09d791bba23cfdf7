//! A bounded fuzz run: statements mutated the way broken and hostile files are (bit flips,
//! truncation, deleted or repeated chunks, injected PDF tokens) must each yield a statement or
//! a documented error code — never a panic or a hang.
//!
//! `LEDGERLENS_FUZZ_CASES` sets the number of mutants (default 240). The mutations are seeded,
//! so a failure names a case that reproduces.

use ledgerlens_fixtures::{encrypted, generate, Encryption};
use ledgerlens_pdf::Limits;
use ledgerlens_statement::{parse_pdf, ParseOptions};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&[u8]] = &[
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b")",
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b" 0 R",
    b"/Length 99999999",
    b"/Count 2000000000",
    b"/Filter /FlateDecode",
    b"-1",
    b"1e308",
    b"/Type /Page",
    b"/Kids [3 0 R 3 0 R]",
    b"xref",
    b"trailer",
    b"startxref",
    b"%%EOF",
    b"BT",
    b"ET",
    b"Tj",
    b"TJ",
    b"q q q q q",
    b"/Encrypt 9 0 R",
];

fn mutate(base: &[u8], rng: &mut SplitMix) -> Vec<u8> {
    let mut data = base.to_vec();
    for _ in 0..=rng.below(4) {
        if data.is_empty() {
            break;
        }
        match rng.below(5) {
            0 => {
                for _ in 0..=rng.below(64) {
                    let i = rng.below(data.len());
                    data[i] ^= 1 << rng.below(8);
                }
            }
            1 => data.truncate(rng.below(data.len())),
            2 => {
                let start = rng.below(data.len());
                let end = (start + rng.below(4096)).min(data.len());
                data.drain(start..end);
            }
            3 => {
                let start = rng.below(data.len());
                let end = (start + rng.below(4096)).min(data.len());
                let chunk = data[start..end].to_vec();
                let at = rng.below(data.len());
                data.splice(at..at, chunk);
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(data.len());
                data.splice(at..at, token.iter().copied());
            }
        }
    }
    data
}

#[test]
fn mutated_statements_never_panic_or_hang() {
    let cases: usize = std::env::var("LEDGERLENS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(240);
    let aes = encrypted("axis_style", 3, Encryption::Aes256)
        .expect("qpdf encrypts (apt-get install qpdf)");
    let bases: Vec<(&str, Vec<u8>, Option<String>)> = vec![
        (
            "hdfc_classic",
            generate("hdfc_classic", 1).expect("fixture").0,
            None,
        ),
        (
            "icici_style",
            generate("icici_style", 2).expect("fixture").0,
            None,
        ),
        (
            "union_embedded_font",
            generate("union_embedded_font", 3).expect("fixture").0,
            None,
        ),
        ("axis_style+aes256", aes.pdf, Some(aes.user_password)),
    ];
    let limits = Limits {
        max_duration: Duration::from_secs(20),
        ..Limits::default()
    };
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut slowest = Duration::ZERO;
    let mut rng = SplitMix(0x5EED);
    for case in 0..cases {
        let (name, base, password) = &bases[case % bases.len()];
        let mutant = mutate(base, &mut rng);
        let options = ParseOptions {
            password: password.clone(),
            limits: limits.clone(),
            ..ParseOptions::default()
        };
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| parse_pdf(mutant, &options)));
        let elapsed = started.elapsed();
        slowest = slowest.max(elapsed);
        let outcome = match result {
            Ok(Ok(_)) => "parsed".to_owned(),
            Ok(Err(e)) => format!("{:?}", e.kind()),
            Err(_) => panic!("case {case} ({name}) panicked"),
        };
        assert!(
            elapsed < Duration::from_secs(30),
            "case {case} ({name}) took {elapsed:?}"
        );
        *outcomes.entry(outcome).or_default() += 1;
    }
    println!("{cases} mutated statements, slowest {slowest:?}: {outcomes:?}");
    assert!(outcomes
        .keys()
        .all(|k| k == "parsed" || k.chars().all(|c| c.is_ascii_alphabetic())));
}
