//! The digest's §5.5 vectors (verify, and any one-byte change fails) and sign/verify round trips
//! with a test-only RSA key (tests/data/jws_test_key.pk8.der, generated for these tests).

use super::*;

const N: &str = "4SSJECut-QkMWYk8oTurAWFE3Y-1lzUjRvl8d9vIFo-s8fT2XCu13wp70fTseAecnTLui3qnfXP2e-NCb22kV_Mhuv2Az3k967iu38goBtTSUDy2ts6YdNS6FvgN9CJZL-wkkyQk9ltes7PV0Y9fBUU7rMdKyf9JhyHqZNg7zDF-FNhMRNaJT85KIUfh7KWgGKOjTfXbQFHZJyv7U_ZwPnf2rMBevPIKGxq924pDwnY214glf_CdErMAgMo16U5qtxHVqSZFnUl_mhhUgEVoe4_lYqpXARJ0bvAJOluYZVwwaUx4ir1X52x8RyCBNZr2HYNAmeX40ToyIPapUxWNBw";
const HEADER_B64: &str =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImxlZGdlcmxlbnMtdGVzdC0xIiwiYjY0IjpmYWxzZSwiY3JpdCI6WyJiNjQiXX0";
const BODY_1: &str = r#"{"ver":"2.0.0","timestamp":"2025-01-01T00:00:00.000Z","txnid":"0b811819-9044-4856-b0ee-8c88035f8858","ConsentHandle":"39e108fe-9243-11e8-b9f2-0256d88baae8"}"#;
const JWS_1: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImxlZGdlcmxlbnMtdGVzdC0xIiwiYjY0IjpmYWxzZSwiY3JpdCI6WyJiNjQiXX0..XWis-6dn0Zy-L2tDcXaZzuCcF3O5xh2_WdGaKN_NZfZ1njGv2g-cZ9gmlapsYDwXu7tfYfhclSY3K3xDp10t8COcJNORJcIH9GAFdXchHMQRiQzCy43XSmklxRUGRn6lJsrSfeugJmLjaJguSMRzfh-zDZClQ5MyBS93eygr2Yw06Emu2J6RP9fkow6C-zaNiBf6an-Adrv0SJY1Tkw0geQ1jfq_Tvla6NZqCc7kBs5kT5VNxi8iBWJU-sddnvqqKLf2aqhzc6SGrloLbBXwCL0A5WpCXwBZ3yqVfab2UX-9Z4Po2UqNSUS1SO7lhKLGU3jtrth0FdLqztoS2FGY-A";
const PATH_2: &str = "/FI/fetch/caa2f259-2dc2-4075-87aa-6d81018b6183";
const JWS_2: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImxlZGdlcmxlbnMtdGVzdC0xIiwiYjY0IjpmYWxzZSwiY3JpdCI6WyJiNjQiXX0..vFEpC5ZIO8Hy9FNAQiT-QdJ36CvQbh1KDKv5eo6plN3GpAe2aeS_kKOFNp9J0YcHjKHHIWN5FPkxSbBlMEfwRnT7eYmCLlPbEFZB0rUEiPRNiFAfkl4OT81urrWVEqSitpbP8L00Ak9HFeDXqOj67tE0J9AgA0vvR_aS88dOo4eCkL8vLFu6D_8FQudeMrgX-pWga_e-YZdAiM1Apy_Pyh_8aksDFmULfvcGsJvrMyK2k2zyb0B0yRfdRGbZE28lCIj9itprfhMBD18IHyVTfOo1PONGN68Df_zSgNMAIqMwwwOZVjIRDxZl98Z2NIm3rVFGqMApNFfDu5INGiVFJw";
const PAYLOAD_3: &str = r#"{"consentStart":"2025-01-01T00:00:00.000Z","consentExpiry":"2025-02-01T00:00:00.000Z","consentMode":"VIEW","fetchType":"ONETIME"}"#;
const TOKEN_3: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImxlZGdlcmxlbnMtdGVzdC0xIiwiYjY0IjpmYWxzZSwiY3JpdCI6WyJiNjQiXX0.eyJjb25zZW50U3RhcnQiOiIyMDI1LTAxLTAxVDAwOjAwOjAwLjAwMFoiLCJjb25zZW50RXhwaXJ5IjoiMjAyNS0wMi0wMVQwMDowMDowMC4wMDBaIiwiY29uc2VudE1vZGUiOiJWSUVXIiwiZmV0Y2hUeXBlIjoiT05FVElNRSJ9.A-f4O5tuHjs8hBLwQg1j7XSohw7czZaB1U6vksAxmrRK4DckSfEaLVGmDu_lCK8uHRbk3NUqPBhIIR_On-wy1loGPW9pMaSWSp-wgKfhwsa2YQKYwACOe1eiLZy0HFLZLXp6ioqlDquAyRGfLLmWh8pvDqcvkyp2UY9QpcLPrZSQYz9aAlCcnk-l32vAU5Tax1O0317Iwv7U44fR4dPSHa3TKffGvsZg7RCLJFdvYAGqf1tMgy5Rh7Cm90YC-ttOBin_eeK9QvbS5Zzt3OX9QtDwbdAOIhFdh3QXRqimiSaOtXmTTPeTDkgQR2KWWJgMW98lFnu0SOXuPTosANQcaQ";

const TEST_KEY: &[u8] = include_bytes!("../../tests/data/jws_test_key.pk8.der");

fn digest_key() -> RsaPublicKey {
    RsaPublicKey::from_jwk(&serde_json::json!({
        "kty": "RSA", "kid": "ledgerlens-test-1", "n": N, "e": "AQAB", "alg": "RS256", "use": "sig"
    }))
    .unwrap()
}

fn flip(s: &str, index: usize) -> String {
    let mut bytes = s.as_bytes().to_vec();
    bytes[index] ^= 0x01;
    String::from_utf8(bytes).unwrap()
}

#[test]
fn vector_1_detached_body() {
    let key = digest_key();
    let header = verify_detached(JWS_1, BODY_1.as_bytes(), &key).unwrap();
    assert_eq!(header.kid.as_deref(), Some("ledgerlens-test-1"));
    for i in [0, 40, BODY_1.len() - 1] {
        assert_eq!(
            verify_detached(JWS_1, flip(BODY_1, i).as_bytes(), &key),
            Err(JwsError::BadSignature),
            "body byte {i}"
        );
    }
    // A trailing newline is a different body.
    let with_newline = format!("{BODY_1}\n");
    assert!(verify_detached(JWS_1, with_newline.as_bytes(), &key).is_err());
}

#[test]
fn vector_2_detached_path() {
    let key = digest_key();
    verify_detached(JWS_2, PATH_2.as_bytes(), &key).unwrap();
    assert!(verify_detached(JWS_2, flip(PATH_2, 5).as_bytes(), &key).is_err());
    // Signatures are not interchangeable between payloads.
    assert!(verify_detached(JWS_1, PATH_2.as_bytes(), &key).is_err());
}

#[test]
fn vector_3_signed_consent() {
    let key = digest_key();
    let (header, payload) = verify_compact(TOKEN_3, &key).unwrap();
    assert_eq!(header.alg, "RS256");
    assert_eq!(payload, PAYLOAD_3.as_bytes());
    assert_eq!(
        consent_digital_signature(TOKEN_3),
        TOKEN_3.rsplit('.').next()
    );
    // Tamper with the payload segment (re-encoded so it still decodes).
    let tampered_payload = PAYLOAD_3.replace("VIEW", "STORE");
    let parts: Vec<&str> = TOKEN_3.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(tampered_payload),
        parts[2]
    );
    assert_eq!(verify_compact(&tampered, &key), Err(JwsError::BadSignature));
}

#[test]
fn header_byte_changes_fail() {
    let key = digest_key();
    // Every character of the header segment, flipped one at a time, must fail (either the
    // header no longer decodes/parses/passes the profile, or the signature breaks).
    for i in 0..HEADER_B64.len() {
        let jws = flip(JWS_1, i);
        assert!(
            verify_detached(&jws, BODY_1.as_bytes(), &key).is_err(),
            "header byte {i}"
        );
    }
    // A different kid than the sender's registered key is refused before any RSA work.
    let mut other = key.clone();
    other.kid = Some("someone-else".into());
    assert!(matches!(
        verify_detached(JWS_1, BODY_1.as_bytes(), &other),
        Err(JwsError::KidMismatch { .. })
    ));
}

#[test]
fn profile_violations_are_rejected() {
    let key = digest_key();
    let header = |json: &str| URL_SAFE_NO_PAD.encode(json);
    let sig = JWS_1.rsplit('.').next().unwrap();
    let cases = [
        (
            header(r#"{"alg":"RS256","kid":"ledgerlens-test-1"}"#),
            JwsError::NotUnencoded,
        ),
        (
            header(r#"{"alg":"none","kid":"ledgerlens-test-1","b64":false,"crit":["b64"]}"#),
            JwsError::Algorithm("none".into()),
        ),
        (
            header(r#"{"alg":"RS256","b64":false,"crit":["b64","exp"]}"#),
            JwsError::UnknownCritical("exp".into()),
        ),
    ];
    for (h, expected) in cases {
        assert_eq!(
            verify_detached(&format!("{h}..{sig}"), BODY_1.as_bytes(), &key),
            Err(expected)
        );
    }
    assert!(matches!(
        verify_detached(&format!("{HEADER_B64}.e30.{sig}"), BODY_1.as_bytes(), &key),
        Err(JwsError::Malformed(_))
    ));
    assert!(matches!(
        verify_detached("abc", BODY_1.as_bytes(), &key),
        Err(JwsError::Malformed(_))
    ));
}

#[test]
fn round_trip_with_our_key() {
    let signer = RsaSigner::from_pkcs8_der("ledgerlens-test-1", TEST_KEY).unwrap();
    let public = signer.public_key();
    let jws = signer.sign_detached(BODY_1.as_bytes()).unwrap();
    // Same header bytes as the digest's vectors (member order matters to the signature).
    assert!(jws.starts_with(&format!("{HEADER_B64}..")));
    verify_detached(&jws, BODY_1.as_bytes(), &public).unwrap();
    assert_eq!(
        verify_detached(&jws, flip(BODY_1, 10).as_bytes(), &public),
        Err(JwsError::BadSignature)
    );
    // Our key cannot pass for the digest's key.
    assert_eq!(
        verify_detached(&jws, BODY_1.as_bytes(), &digest_key()),
        Err(JwsError::BadSignature)
    );
    let token = signer.sign_compact(PAYLOAD_3.as_bytes()).unwrap();
    let (_, payload) = verify_compact(&token, &public).unwrap();
    assert_eq!(payload, PAYLOAD_3.as_bytes());
    // RS256 PKCS#1 v1.5 is deterministic.
    assert_eq!(signer.sign_detached(BODY_1.as_bytes()).unwrap(), jws);
}

#[test]
fn conventional_rfc7515_consent_is_accepted_too() {
    let signer = RsaSigner::from_pkcs8_der("k", TEST_KEY).unwrap();
    let header = signer.header_b64();
    let payload_b64 = URL_SAFE_NO_PAD.encode(PAYLOAD_3);
    let sig = signer.sign_input(&header, payload_b64.as_bytes()).unwrap();
    let token = format!("{header}.{payload_b64}.{sig}");
    let (_, payload) = verify_compact(&token, &signer.public_key()).unwrap();
    assert_eq!(payload, PAYLOAD_3.as_bytes());
}

#[test]
fn loads_pem_keys() {
    use base64::engine::general_purpose::STANDARD;
    let body = STANDARD.encode(TEST_KEY);
    let wrapped: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        wrapped.join("\n")
    );
    let signer = RsaSigner::from_pkcs8_pem("k", &pem).unwrap();
    assert_eq!(signer.kid(), "k");
    assert!(format!("{signer:?}").contains("redacted"));
    assert!(RsaSigner::from_pkcs8_pem(
        "k",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"
    )
    .is_err());
}

#[test]
fn jwt_and_jwk_round_trip() {
    let signer = RsaSigner::from_pkcs8_der("ledgerlens-test-1", TEST_KEY).unwrap();
    let claims = serde_json::json!({"azp": "FIU-1", "exp": 1, "roles": ["FIU"]});
    let token = signer.sign_jwt(&claims).unwrap();
    let published = RsaPublicKey::from_jwk(&signer.public_key().to_jwk()).unwrap();
    assert_eq!(published, signer.public_key());
    assert_eq!(verify_jwt(&token, &published).unwrap(), claims);
    let tampered = token.replacen('.', ".e", 1);
    assert!(verify_jwt(&tampered, &published).is_err());
    assert_eq!(
        verify_jwt(&token, &digest_key()),
        Err(JwsError::BadSignature)
    );
}
