//! Every rahasya test vector of the research digest (§4.4 V1–V3 and the §6.1 ciphertext hashes),
//! reproduced byte for byte, intermediate values included.

use super::*;
use ring::digest::{digest, SHA256};

fn hex(s: &str) -> Vec<u8> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    decode_hex(&compact).expect("test hex")
}

fn b64(s: &str) -> Vec<u8> {
    STANDARD.decode(s).expect("test base64")
}

fn xored(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

const MINIMAL_XML: &[u8] = include_bytes!("../../tests/data/minimal_deposit.xml");

#[test]
fn w_prefix_is_244_bytes() {
    assert_eq!(w_spki_prefix().len(), W_SPKI_PREFIX_LEN);
}

// ---- V1: variant X, RFC 7748 §6.1 keys -------------------------------------------------------

const V1_FIU_PRIVATE: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const V1_FIU_PUBLIC: &str = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const V1_FIU_SPKI: &str = "MCowBQYDK2VuAyEAhSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";
const V1_FIP_PRIVATE: &str = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const V1_FIP_PUBLIC: &str = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const V1_N_FIU: &str = "2OZz6xYAnS6a83WcOZFLQH/0YVcl1vWE+zespfGAWFo=";
const V1_N_FIP: &str = "WY9hFnr4WLFd9mVvItMIdBjFygVDpPpoi/BZ3Z3lBfY=";
const V1_ENCRYPTED: &str = "iR+7QsQW3owPCNRJqXxaQu9Ern98ncpiCZS/m0p7";

#[test]
fn v1_variant_x() {
    let fiu = PrivateKey::x_from_bytes(&hex(V1_FIU_PRIVATE)).unwrap();
    let fip = PrivateKey::x_from_bytes(&hex(V1_FIP_PRIVATE)).unwrap();
    let fiu_public = fiu.public_key().unwrap();
    let fip_public = fip.public_key().unwrap();
    assert_eq!(
        fiu_public,
        PublicKey::X(hex(V1_FIU_PUBLIC).try_into().unwrap())
    );
    assert_eq!(
        fip_public,
        PublicKey::X(hex(V1_FIP_PUBLIC).try_into().unwrap())
    );
    // The SPKI, the raw hex and the PEM-wrapped SPKI all name the same key.
    assert_eq!(STANDARD.encode(fiu_public.to_der()), V1_FIU_SPKI);
    assert_eq!(PublicKey::parse(V1_FIU_SPKI).unwrap(), fiu_public);
    assert_eq!(PublicKey::parse(V1_FIU_PUBLIC).unwrap(), fiu_public);
    assert_eq!(
        PublicKey::parse(&fiu_public.to_key_value()).unwrap(),
        fiu_public
    );

    let shared = fiu.agree(&fip_public).unwrap();
    assert_eq!(
        shared.to_vec(),
        hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
    );
    assert_eq!(fip.agree(&fiu_public).unwrap(), shared);
    assert_eq!(
        xored(&b64(V1_N_FIU), &b64(V1_N_FIP)),
        hex("816912fd6cf8c59fc70510f31b4243346731ab5266720fec70c7f5786c655dac")
    );
    let (salt, iv) = salt_and_iv(&b64(V1_N_FIU), &b64(V1_N_FIP)).unwrap();
    assert_eq!(iv.to_vec(), hex("66720fec70c7f5786c655dac"));
    assert_eq!(
        session_key(&shared, &salt).to_vec(),
        hex("3b434ed3f93ce5ef1115a89955a50c0fa3ef09f449a842fed3bf81c2939f4261")
    );

    // FIP side encrypts to the exact published ciphertext; FIU side decrypts it.
    let fip_key_value = fip_public.to_key_value();
    let encrypted =
        encrypt_fi(&fip, V1_N_FIP, V1_FIU_SPKI, V1_N_FIU, br#"{"hello":"AA"}"#).unwrap();
    assert_eq!(encrypted, V1_ENCRYPTED);
    let plain = decrypt_fi(&fiu, V1_N_FIU, &fip_key_value, V1_N_FIP, V1_ENCRYPTED).unwrap();
    assert_eq!(plain, br#"{"hello":"AA"}"#);
    // Raw 64-hex peer key works too.
    let plain = decrypt_fi(&fiu, V1_N_FIU, V1_FIP_PUBLIC, V1_N_FIP, V1_ENCRYPTED).unwrap();
    assert_eq!(plain.len(), 14);
}

// ---- V2: variant W, synthetic ----------------------------------------------------------------

const V2_D_FIU: &str = "0510c2150f85c6772f9478294b0c810665d1ce918531187fe33f772ace2d2791";
const V2_D_FIP: &str = "0b6429a38e73466f85e42ad383e713d9e8dff814cdda27a705056bc4c2fd1aee";
const V2_FIP_KEY_VALUE: &str = "MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAAQ/mbxPB1f3S9PI/QkunYma/WRVOJTrKM88fjdUwOGv9EIxvvNZW9n8bBL76f/I4UjFkXAoyUaFLV+7uEQdDfKQ";
const V2_N_FIU: &str = "ub9VloSkAGsnG8Thh8YR0rVaku7gPV/jA4jIQHYU/ts=";
const V2_N_FIP: &str = "0PfDZLRESDvij+sBV2sqRqM710xGpLT5nv3UX05Kkqw=";
const V2_ENCRYPTED: &str = "ijNaXMtNizBpcVlGXql4ZRb9Ey1lcVVwihdoOfhm";

#[test]
fn v2_variant_w_synthetic() {
    let fiu = PrivateKey::w_from_be_bytes(&hex(V2_D_FIU)).unwrap();
    let fip = PrivateKey::w_from_be_bytes(&hex(V2_D_FIP)).unwrap();
    let fiu_public = fiu.public_key().unwrap();
    let fip_public = fip.public_key().unwrap();
    assert_eq!(
        fiu_public,
        PublicKey::W {
            x: hex("01c205b67eee18db52c3c87c44dd0bde76d0c0927c5228db8ee687e0907e160e")
                .try_into()
                .unwrap(),
            y: hex("29ba8b3783245dbf3abf1ffe9aa7f36973aeeed5872ad4e02989b13ddcd8608c")
                .try_into()
                .unwrap(),
        }
    );
    assert_eq!(
        fip_public,
        PublicKey::W {
            x: hex("3f99bc4f0757f74bd3c8fd092e9d899afd64553894eb28cf3c7e3754c0e1aff4")
                .try_into()
                .unwrap(),
            y: hex("4231bef3595bd9fc6c12fbe9ffc8e148c5917028c946852d5fbbb8441d0df290")
                .try_into()
                .unwrap(),
        }
    );
    // Byte-for-byte the published KeyValue, with and without PEM armour.
    assert_eq!(STANDARD.encode(fip_public.to_der()), V2_FIP_KEY_VALUE);
    assert_eq!(PublicKey::parse(V2_FIP_KEY_VALUE).unwrap(), fip_public);
    assert_eq!(
        PublicKey::parse(&fip_public.to_key_value()).unwrap(),
        fip_public
    );
    // The raw 65-byte point (04 || x || y) is the same key.
    let der = fip_public.to_der();
    let point = STANDARD.encode(&der[W_SPKI_PREFIX_LEN..]);
    assert_eq!(PublicKey::parse(&point).unwrap(), fip_public);
    assert_eq!(
        fip_public.to_key_value(),
        format!("-----BEGIN PUBLIC KEY-----{V2_FIP_KEY_VALUE}-----END PUBLIC KEY-----")
    );

    let shared = fiu.agree(&fip_public).unwrap();
    assert_eq!(
        shared.to_vec(),
        hex("60eb160fa7b623e283af5dc1da465d7d8f6bcad0a7f12901dd86794f9ecc6214")
    );
    assert_eq!(fip.agree(&fiu_public).unwrap(), shared);
    assert_eq!(
        xored(&b64(V2_N_FIU), &b64(V2_N_FIP)),
        hex("694896f230e04850c5942fe0d0ad3b94166145a2a699eb1a9d751c1f385e6c77")
    );
    let (salt, iv) = salt_and_iv(&b64(V2_N_FIU), &b64(V2_N_FIP)).unwrap();
    assert_eq!(iv.to_vec(), hex("a699eb1a9d751c1f385e6c77"));
    assert_eq!(
        session_key(&shared, &salt).to_vec(),
        hex("132df5047c6ea9d7e270b007263fdb0790510d22abee0229d02b2a8a10b4d7be")
    );
    let fiu_key_value = fiu_public.to_key_value();
    let encrypted = encrypt_fi(
        &fip,
        V2_N_FIP,
        &fiu_key_value,
        V2_N_FIU,
        br#"{"hello":"AA"}"#,
    )
    .unwrap();
    assert_eq!(encrypted, V2_ENCRYPTED);
    let plain = decrypt_fi(&fiu, V2_N_FIU, V2_FIP_KEY_VALUE, V2_N_FIP, V2_ENCRYPTED).unwrap();
    assert_eq!(plain, br#"{"hello":"AA"}"#);
}

#[test]
fn v2_scalars_are_sha256_of_labels_mod_n() {
    // The digest says how V2 was made; checking it keeps the vector honest. n > 2^252, and the
    // hashes' reductions here need at most 15 subtractions of n.
    let n = weierstrass::ORDER_BE;
    for (label, expected) in [
        ("ledgerlens-aa-test-fiu", V2_D_FIU),
        ("ledgerlens-aa-test-fip", V2_D_FIP),
    ] {
        let mut value: [u8; 32] = digest(&SHA256, label.as_bytes())
            .as_ref()
            .try_into()
            .unwrap();
        while value >= n {
            let mut borrow = 0i16;
            for i in (0..32).rev() {
                let d = value[i] as i16 - n[i] as i16 - borrow;
                borrow = (d < 0) as i16;
                value[i] = d.rem_euclid(256) as u8;
            }
        }
        assert_eq!(value.to_vec(), hex(expected), "{label}");
    }
    for (label, expected) in [("fiu-nonce", V2_N_FIU), ("fip-nonce", V2_N_FIP)] {
        assert_eq!(STANDARD.encode(digest(&SHA256, label.as_bytes())), expected);
    }
}

// ---- V3: variant W, BouncyCastle ciphertext from ProjectEKA ----------------------------------

#[test]
fn v3_variant_w_bouncycastle() {
    let receiver_private = b64("DrDDUf+HIXB59/ym4GxrM/TfeULHyiUVzHWkq9rFkJI=");
    let receiver = PrivateKey::w_from_be_bytes(&receiver_private).unwrap();
    let mut sender_der = w_spki_prefix();
    sender_der.extend(hex(
        "04 5fa6471b87463a675c5c724e03da934a2d0d83c0b3b123d6cedaccbcce56c9e3
            7f75c49a7060d1b64939e63fd730cf4f95ef807799b732925e49d60b17b4d7be",
    ));
    // ProjectEKA sends the SPKI without PEM armour.
    let sender_key_value = STANDARD.encode(&sender_der);
    let sender = PublicKey::parse(&sender_key_value).unwrap();
    assert_eq!(sender.variant(), Variant::W);
    let sender_nonce = "xXrM6PfCsBX0Q238uxZCP8YBpPXxsiZvbE++jX5GV5c=";
    let receiver_nonce = "pk5xT1Xk+KUlf/LC1LZawKECPNvOvIzhZNEyIdh7oJE=";

    let shared = receiver.agree(&sender).unwrap();
    assert_eq!(
        shared.to_vec(),
        hex("2f8bb69847023db91b38b48da1864e440c5880a474bc5401bd13fccb7ee8d4bb")
    );
    let (salt, iv) = salt_and_iv(&b64(receiver_nonce), &b64(sender_nonce)).unwrap();
    assert_eq!(iv.to_vec(), hex("3f0eaa8e089e8caca63df706"));
    assert_eq!(
        session_key(&shared, &salt).to_vec(),
        hex("598c2a25c221a4ba3001653008a13a1a0df60e5566225844800f45751861f75c")
    );
    let plain = decrypt_fi(
        &receiver,
        receiver_nonce,
        &sender_key_value,
        sender_nonce,
        "cMTT+FiiDMVXdK1nbBXmnNXP2doSbWQ11Sl8rs1d5SzVDA==",
    )
    .unwrap();
    assert_eq!(plain, br#""This is a string""#);
}

// ---- §6.1: the minimal DEPOSIT document encrypted with V1's and V2's keys ----------------------

#[test]
fn minimal_xml_ciphertext_hashes() {
    assert_eq!(MINIMAL_XML.len(), 822);
    let v1_fip = PrivateKey::x_from_bytes(&hex(V1_FIP_PRIVATE)).unwrap();
    let v1 = STANDARD
        .decode(encrypt_fi(&v1_fip, V1_N_FIP, V1_FIU_SPKI, V1_N_FIU, MINIMAL_XML).unwrap())
        .unwrap();
    assert_eq!(
        digest(&SHA256, &v1).as_ref(),
        hex("45201696b533ac51f074bcda4102e23bf3581cb714673c8463978149b979baa9").as_slice()
    );
    let v2_fip = PrivateKey::w_from_be_bytes(&hex(V2_D_FIP)).unwrap();
    let v2_fiu = PrivateKey::w_from_be_bytes(&hex(V2_D_FIU)).unwrap();
    let v2_fiu_key = v2_fiu.public_key().unwrap().to_key_value();
    let v2 = STANDARD
        .decode(encrypt_fi(&v2_fip, V2_N_FIP, &v2_fiu_key, V2_N_FIU, MINIMAL_XML).unwrap())
        .unwrap();
    assert_eq!(
        digest(&SHA256, &v2).as_ref(),
        hex("013d447e1b546ef38e4c8322d4c75d546958dc26b534eb3869d52472b4909f32").as_slice()
    );
}

// ---- behaviour beyond the vectors -------------------------------------------------------------

#[test]
fn round_trip_with_fresh_keys_both_variants() {
    let rng = ring::rand::SystemRandom::new();
    for variant in [Variant::W, Variant::X] {
        let fiu = FiKeys::generate(variant, &rng).unwrap();
        let fip = FiKeys::generate(variant, &rng).unwrap();
        let expiry = chrono::DateTime::parse_from_rfc3339("2025-01-02T10:06:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let fiu_material = fiu.key_material(expiry);
        let fip_material = fip.key_material(expiry);
        assert_eq!(
            fiu_material.dh_public_key.expiry,
            "2025-01-02T10:06:00.000Z"
        );
        let encrypted = encrypt_fi(
            &fip.private,
            &fip_material.nonce,
            &fiu_material.dh_public_key.key_value,
            &fiu_material.nonce,
            MINIMAL_XML,
        )
        .unwrap();
        assert_eq!(fiu.decrypt(&fip_material, &encrypted).unwrap(), MINIMAL_XML);
        // Serialises with the ReBIT member names.
        let json = serde_json::to_value(&fiu_material).unwrap();
        assert!(json["DHPublicKey"]["KeyValue"].is_string());
        assert!(json["Nonce"].is_string());
    }
}

#[test]
fn tampering_and_mismatches_fail_cleanly() {
    let fiu = PrivateKey::x_from_bytes(&hex(V1_FIU_PRIVATE)).unwrap();
    let fip_public = PrivateKey::x_from_bytes(&hex(V1_FIP_PRIVATE))
        .unwrap()
        .public_key()
        .unwrap()
        .to_key_value();
    let mut bad = b64(V1_ENCRYPTED);
    bad[0] ^= 1;
    assert_eq!(
        decrypt_fi(&fiu, V1_N_FIU, &fip_public, V1_N_FIP, &STANDARD.encode(bad)),
        Err(CryptoError::DecryptFailed)
    );
    // Wrong nonce length (the spec's UUID-as-nonce example).
    assert!(matches!(
        decrypt_fi(
            &fiu,
            "MzllMTA4ZmUtOTI0My00MWU4",
            &fip_public,
            V1_N_FIP,
            V1_ENCRYPTED
        ),
        Err(CryptoError::InvalidNonce(_))
    ));
    // Our X key against a W peer.
    assert!(matches!(
        decrypt_fi(&fiu, V1_N_FIU, V2_FIP_KEY_VALUE, V1_N_FIP, V1_ENCRYPTED),
        Err(CryptoError::VariantMismatch {
            ours: Variant::X,
            theirs: Variant::W
        })
    ));
    // A W point moved off the curve.
    let mut der = b64(V2_FIP_KEY_VALUE);
    let last = der.len() - 1;
    der[last] ^= 1;
    assert!(matches!(
        PublicKey::parse(&STANDARD.encode(der)),
        Err(CryptoError::InvalidKey(_))
    ));
    assert!(matches!(
        PublicKey::parse("not a key!"),
        Err(CryptoError::Base64(_))
    ));
    assert!(matches!(
        PublicKey::parse("AAAA"),
        Err(CryptoError::InvalidKey(_))
    ));
}

#[test]
fn unwraps_one_base64_layer() {
    let wrapped = STANDARD.encode(MINIMAL_XML).into_bytes();
    assert_eq!(unwrap_document(wrapped), MINIMAL_XML);
    assert_eq!(unwrap_document(MINIMAL_XML.to_vec()), MINIMAL_XML);
}
