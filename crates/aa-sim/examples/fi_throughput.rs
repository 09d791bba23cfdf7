//! FI documents decrypted and parsed per second: the simulator's DEPOSIT documents (six months
//! of a fixture account), encrypted for a fresh FIU key as an FIP would, then opened the way
//! the FIU does (ECDH + HKDF + AES-GCM, XML parse, conversion to the statement model).
//!
//! `cargo run --release -p ledgerlens-aa-sim --example fi_throughput`

use chrono::{Duration, Utc};
use ledgerlens_aa::crypto::{encrypt_fi, FiKeys, Variant};
use ledgerlens_aa_sim::config::default_accounts;
use ledgerlens_aa_sim::fi_data::{deposit_xml, statement, Disclosure};
use std::time::Instant;

fn main() {
    let account = &default_accounts()[0];
    let (_, truth) = statement(account).expect("fixture statement");
    let xml = deposit_xml(
        account,
        &truth,
        "9876543210",
        &Disclosure {
            from: truth.identity.from_date,
            to: truth.identity.to_date,
            profile: true,
            summary: true,
            transactions: true,
            empty_transactions: false,
        },
    );
    let rng = ring::rand::SystemRandom::new();
    for variant in [Variant::W, Variant::X] {
        let fiu = FiKeys::generate(variant, &rng).expect("keys");
        let fiu_material = fiu.key_material(Utc::now() + Duration::hours(1));
        let n = 200;
        let documents: Vec<_> = (0..n)
            .map(|_| {
                let fip = FiKeys::generate(variant, &rng).expect("keys");
                let material = fip.key_material(Utc::now() + Duration::hours(1));
                let encrypted = encrypt_fi(
                    &fip.private,
                    &material.nonce,
                    &fiu_material.dh_public_key.key_value,
                    &fiu_material.nonce,
                    xml.as_bytes(),
                )
                .expect("encrypt");
                (material, encrypted)
            })
            .collect();
        let started = Instant::now();
        let mut rows = 0;
        for (material, encrypted) in &documents {
            let plaintext = fiu.decrypt(material, encrypted).expect("decrypt");
            let account = ledgerlens_aa::fi::parse(&plaintext).expect("parse");
            rows += ledgerlens_aa::convert::to_parsed_statement(&account)
                .transactions
                .len();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "variant {variant:?}: {n} documents ({} bytes, {} transactions each) in {secs:.3} s = {:.0} documents/s",
            xml.len(),
            rows / n,
            n as f64 / secs
        );
    }
}
