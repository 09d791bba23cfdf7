//! FI data encryption between FIP and FIU: the "rahasya" scheme (ECDH on Curve25519, HKDF-SHA256,
//! AES-256-GCM), in both key-agreement variants (research digest §4).
//!
//! Decrypting (FIU side), given our key pair and the nonce we sent in `/FI/request`, plus the FIP's
//! `KeyMaterial` and `encryptedFI` from `/FI/fetch`:
//! 1. both nonces are 32 bytes; `xored = N_fiu XOR N_fip`; salt = first 20 bytes, iv = last 12;
//! 2. `shared = ECDH(ours, theirs)` per variant, 32 bytes;
//! 3. `key = HKDF-SHA256(ikm = shared, salt, info = "", 32)`;
//! 4. AES-256-GCM with the tag in the last 16 bytes of the ciphertext, no AAD.
//!
//! The variant is chosen by the peer key's *encoding*, never by `curve`/`cryptoAlg` labels, which
//! say "Curve25519" for both (digest §4.2).

mod curve;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Utc};
use curve::{weierstrass, Fe};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::hkdf;
use ring::rand::SecureRandom;
use serde::{Deserialize, Serialize};

/// Length of both nonces in the scheme.
pub const NONCE_LEN: usize = 32;
const SALT_LEN: usize = 20;
const IV_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// The two incompatible ways ecosystem libraries do "Curve25519" ECDH.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Variant {
    /// BouncyCastle short-Weierstrass curve25519 (rahasya `/ecc/v1`): explicit-parameter SPKI
    /// keys, unclamped scalars, shared secret = big-endian x. What most sample traffic uses.
    W,
    /// RFC 7748 X25519 (rahasya `/x25519/v1`): OID 1.3.101.110 SPKI or raw 32-byte keys.
    X,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    /// Unparsable, unknown-encoding, off-curve or small-order public key (maps to `InvalidKey`).
    #[error("invalid key: {0}")]
    InvalidKey(String),
    #[error("invalid nonce: {0}")]
    InvalidNonce(String),
    /// Our key and the peer's belong to different variants: no shared secret can be agreed.
    #[error("key agreement variant mismatch: our key is {ours:?}, the peer's is {theirs:?}")]
    VariantMismatch { ours: Variant, theirs: Variant },
    #[error("{0} is not base64")]
    Base64(&'static str),
    /// Wrong key, wrong nonce or tampered ciphertext: GCM does not say which.
    #[error("decryption failed (authentication tag mismatch)")]
    DecryptFailed,
    #[error("the system random number generator failed")]
    Random,
}

type Result<T> = std::result::Result<T, CryptoError>;

/// DER prefix of a variant-W SubjectPublicKeyInfo (explicit curve25519 domain parameters, up to
/// the BIT STRING header); the uncompressed point `04 || x || y` follows.
const W_SPKI_PREFIX_HEX: &str = concat!(
    "308201313081ea06072a8648ce3d02013081de020101302b06072a8648ce3d01010220",
    "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed3044",
    "04202aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa984914a144",
    "04207b425ed097b425ed097b425ed097b425ed097b425ed097b4260b5e9c7710c864",
    "044104",
    "2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad245a",
    "20ae19a1b8a086b4e01edd2c7748d14c923d4d7e6d7c61b229e9c5a27eced3d9",
    "02201000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed",
    "020108034200",
);
const W_SPKI_PREFIX_LEN: usize = 244;
/// DER prefix of an X25519 SubjectPublicKeyInfo (OID 1.3.101.110), followed by the 32-byte key.
const X_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
];

fn w_spki_prefix() -> Vec<u8> {
    decode_hex(W_SPKI_PREFIX_HEX).unwrap_or_default()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Standard base64 first (what the spec says), then the URL-safe and unpadded forms some
/// implementations emit; whitespace (line-wrapped PEM bodies) is ignored.
pub(crate) fn decode_base64_lenient(s: &str, what: &'static str) -> Result<Vec<u8>> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(&compact).ok())
        .ok_or(CryptoError::Base64(what))
}

/// A peer's (or our) public key in either variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// Affine point, big-endian coordinates.
    W { x: [u8; 32], y: [u8; 32] },
    /// RFC 7748 u-coordinate, little-endian.
    X([u8; 32]),
}

impl PublicKey {
    pub fn variant(&self) -> Variant {
        match self {
            Self::W { .. } => Variant::W,
            Self::X(_) => Variant::X,
        }
    }

    /// Reads `DHPublicKey.KeyValue` in any encoding seen in the wild and decides the variant from
    /// it: explicit-parameter SPKI or a raw `04||x||y` point → W; X25519 SPKI, 32 raw bytes or 64
    /// hex characters → X. PEM armour and whitespace are optional.
    pub fn parse(key_value: &str) -> Result<PublicKey> {
        let body = strip_pem(key_value);
        // Hex first: 64 hex characters are also valid base64 (of 48 bytes).
        if body.len() == 64 {
            if let Some(raw) = decode_hex(&body) {
                return Self::from_der_or_raw(&raw);
            }
        }
        let der = decode_base64_lenient(&body, "DHPublicKey.KeyValue")?;
        Self::from_der_or_raw(&der)
    }

    fn from_der_or_raw(bytes: &[u8]) -> Result<PublicKey> {
        let prefix = w_spki_prefix();
        let point = if bytes.len() == W_SPKI_PREFIX_LEN + 65 && bytes.starts_with(&prefix) {
            Some(&bytes[W_SPKI_PREFIX_LEN..])
        } else if bytes.len() == 65 && bytes[0] == 0x04 {
            Some(bytes)
        } else {
            None
        };
        if let Some(point) = point {
            return Self::w_from_point(point);
        }
        let raw = if bytes.len() == 44 && bytes.starts_with(&X_SPKI_PREFIX) {
            &bytes[12..]
        } else if bytes.len() == 32 {
            bytes
        } else if bytes.first() == Some(&0x30) {
            // Some other SPKI: most likely a named curve (P-256, say) no AA uses with this scheme.
            return Err(CryptoError::InvalidKey(
                "SubjectPublicKeyInfo is neither explicit-parameter curve25519 nor X25519".into(),
            ));
        } else {
            return Err(CryptoError::InvalidKey(format!(
                "unrecognised public key encoding ({} bytes)",
                bytes.len()
            )));
        };
        let mut u = [0u8; 32];
        u.copy_from_slice(raw);
        Ok(PublicKey::X(u))
    }

    /// `04 || x || y`, checked to lie on the curve so a crafted point cannot leak key bits.
    fn w_from_point(point: &[u8]) -> Result<PublicKey> {
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        x.copy_from_slice(&point[1..33]);
        y.copy_from_slice(&point[33..65]);
        let (fx, fy) = match (Fe::from_be_bytes(&x), Fe::from_be_bytes(&y)) {
            (Some(fx), Some(fy)) => (fx, fy),
            _ => return Err(CryptoError::InvalidKey("coordinate not below p".into())),
        };
        if !weierstrass::on_curve(fx, fy) {
            return Err(CryptoError::InvalidKey("point is not on curve25519".into()));
        }
        Ok(PublicKey::W { x, y })
    }

    /// DER SubjectPublicKeyInfo.
    pub fn to_der(&self) -> Vec<u8> {
        match self {
            Self::W { x, y } => {
                let mut der = w_spki_prefix();
                der.push(0x04);
                der.extend_from_slice(x);
                der.extend_from_slice(y);
                der
            }
            Self::X(u) => {
                let mut der = X_SPKI_PREFIX.to_vec();
                der.extend_from_slice(u);
                der
            }
        }
    }

    /// `KeyValue` as rahasya emits it: PEM armour around base64 on one line (W) or a wrapped
    /// PEM (X); both parse here and in rahasya.
    pub fn to_key_value(&self) -> String {
        let b64 = STANDARD.encode(self.to_der());
        match self {
            Self::W { .. } => format!("-----BEGIN PUBLIC KEY-----{b64}-----END PUBLIC KEY-----"),
            Self::X(_) => format!("-----BEGIN PUBLIC KEY-----\n{b64}\n-----END PUBLIC KEY-----"),
        }
    }
}

fn strip_pem(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // Drop every "-----…-----" marker, whatever its label (PUBLIC KEY, EC PUBLIC KEY, …).
    while let Some(start) = rest.find("-----") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 5..];
        match after.find("-----") {
            Some(end) => rest = &after[end + 5..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    // Literal "\n" escapes appear when PEM was pasted into JSON twice-encoded.
    out.replace("\\n", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Our private key. Debug output never shows the scalar.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    variant: Variant,
    /// W: big-endian scalar in [1, n-1]; X: the 32 raw bytes (clamped at use, per RFC 7748).
    scalar: [u8; 32],
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({:?}, <redacted>)", self.variant)
    }
}

impl PrivateKey {
    /// A variant-W scalar as a big-endian integer; a leading sign byte (Java `BigInteger`
    /// encoding, as ProjectEKA stores keys) and shorter encodings are accepted.
    pub fn w_from_be_bytes(bytes: &[u8]) -> Result<PrivateKey> {
        let significant: &[u8] = {
            let first_nonzero = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
            &bytes[first_nonzero..]
        };
        if significant.len() > 32 {
            return Err(CryptoError::InvalidKey(
                "scalar longer than 32 bytes".into(),
            ));
        }
        let mut scalar = [0u8; 32];
        scalar[32 - significant.len()..].copy_from_slice(significant);
        if significant.is_empty() || scalar >= weierstrass::ORDER_BE {
            return Err(CryptoError::InvalidKey(
                "scalar outside [1, n-1] for curve25519".into(),
            ));
        }
        Ok(PrivateKey {
            variant: Variant::W,
            scalar,
        })
    }

    /// An X25519 private key as its 32 raw bytes.
    pub fn x_from_bytes(bytes: &[u8]) -> Result<PrivateKey> {
        let scalar: [u8; 32] = bytes
            .try_into()
            .map_err(|_| CryptoError::InvalidKey("X25519 private key must be 32 bytes".into()))?;
        Ok(PrivateKey {
            variant: Variant::X,
            scalar,
        })
    }

    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// The raw scalar bytes (W: big-endian; X: RFC 7748 bytes), for storing the key.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.scalar
    }

    pub fn public_key(&self) -> Result<PublicKey> {
        match self.variant {
            Variant::W => {
                let (x, y) = weierstrass::public_point(&self.scalar)
                    .ok_or_else(|| CryptoError::InvalidKey("scalar gives infinity".into()))?;
                Ok(PublicKey::W {
                    x: x.to_be_bytes(),
                    y: y.to_be_bytes(),
                })
            }
            Variant::X => {
                let mut nine = [0u8; 32];
                nine[0] = 9;
                curve::x25519(&self.scalar, &nine)
                    .map(PublicKey::X)
                    .ok_or_else(|| CryptoError::InvalidKey("degenerate X25519 key".into()))
            }
        }
    }

    /// Fresh random key of the given variant.
    pub fn generate(variant: Variant, rng: &dyn SecureRandom) -> Result<PrivateKey> {
        match variant {
            Variant::X => {
                let mut bytes = [0u8; 32];
                rng.fill(&mut bytes).map_err(|_| CryptoError::Random)?;
                Self::x_from_bytes(&bytes)
            }
            // Rejection sampling below 2^253 gives a uniform scalar in [1, n-1] (n ≈ 2^252, so
            // about half the draws are kept).
            Variant::W => loop {
                let mut bytes = [0u8; 32];
                rng.fill(&mut bytes).map_err(|_| CryptoError::Random)?;
                bytes[0] &= 0x1f;
                if let Ok(key) = Self::w_from_be_bytes(&bytes) {
                    return Ok(key);
                }
            },
        }
    }

    /// The 32-byte ECDH shared secret with `peer`, per the variant.
    pub fn agree(&self, peer: &PublicKey) -> Result<[u8; 32]> {
        match (self.variant, peer) {
            (Variant::W, PublicKey::W { x, .. }) => {
                let fx = Fe::from_be_bytes(x)
                    .ok_or_else(|| CryptoError::InvalidKey("coordinate not below p".into()))?;
                weierstrass::shared_x(&self.scalar, fx)
                    .map(Fe::to_be_bytes)
                    .ok_or_else(|| CryptoError::InvalidKey("shared point is infinity".into()))
            }
            (Variant::X, PublicKey::X(u)) => curve::x25519(&self.scalar, u)
                .ok_or_else(|| CryptoError::InvalidKey("small-order X25519 peer key".into())),
            (ours, peer) => Err(CryptoError::VariantMismatch {
                ours,
                theirs: peer.variant(),
            }),
        }
    }
}

/// A fresh 32-byte nonce.
pub fn generate_nonce(rng: &dyn SecureRandom) -> Result<[u8; NONCE_LEN]> {
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill(&mut nonce).map_err(|_| CryptoError::Random)?;
    Ok(nonce)
}

/// Salt and IV from the two nonces: XOR, then the first 20 bytes and the last 12.
pub fn salt_and_iv(our_nonce: &[u8], their_nonce: &[u8]) -> Result<([u8; SALT_LEN], [u8; IV_LEN])> {
    for (nonce, whose) in [(our_nonce, "ours"), (their_nonce, "the peer's")] {
        if nonce.len() != NONCE_LEN {
            return Err(CryptoError::InvalidNonce(format!(
                "{whose} is {} bytes, not {NONCE_LEN}",
                nonce.len()
            )));
        }
    }
    let mut xored = [0u8; NONCE_LEN];
    for (i, byte) in xored.iter_mut().enumerate() {
        *byte = our_nonce[i] ^ their_nonce[i];
    }
    let mut salt = [0u8; SALT_LEN];
    let mut iv = [0u8; IV_LEN];
    salt.copy_from_slice(&xored[..SALT_LEN]);
    iv.copy_from_slice(&xored[SALT_LEN..]);
    Ok((salt, iv))
}

struct KeyLen(usize);

impl hkdf::KeyType for KeyLen {
    fn len(&self) -> usize {
        self.0
    }
}

/// HKDF-SHA256(ikm = shared, salt, empty info) → 32-byte AES-256 key.
pub fn session_key(shared: &[u8; 32], salt: &[u8]) -> [u8; 32] {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(shared);
    let mut key = [0u8; 32];
    // 32 bytes is far below HKDF's 255·32 limit, so expand/fill cannot fail.
    if let Ok(okm) = prk.expand(&[], KeyLen(32)) {
        let _ = okm.fill(&mut key);
    }
    key
}

fn aead_key(key: &[u8; 32]) -> Result<LessSafeKey> {
    UnboundKey::new(&AES_256_GCM, key)
        .map(LessSafeKey::new)
        .map_err(|_| CryptoError::InvalidKey("AES-256 key".into()))
}

/// Raw-byte decryption: `ciphertext` is ciphertext || 16-byte tag.
pub fn decrypt_raw(
    ours: &PrivateKey,
    our_nonce: &[u8],
    theirs: &PublicKey,
    their_nonce: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>> {
    let (salt, iv) = salt_and_iv(our_nonce, their_nonce)?;
    let shared = ours.agree(theirs)?;
    let key = aead_key(&session_key(&shared, &salt))?;
    if ciphertext.len() < TAG_LEN {
        return Err(CryptoError::DecryptFailed);
    }
    let mut buf = ciphertext.to_vec();
    let plain_len = key
        .open_in_place(Nonce::assume_unique_for_key(iv), Aad::empty(), &mut buf)
        .map_err(|_| CryptoError::DecryptFailed)?
        .len();
    buf.truncate(plain_len);
    Ok(buf)
}

/// Raw-byte encryption (the FIP / simulator side): returns ciphertext || tag.
pub fn encrypt_raw(
    ours: &PrivateKey,
    our_nonce: &[u8],
    theirs: &PublicKey,
    their_nonce: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let (salt, iv) = salt_and_iv(our_nonce, their_nonce)?;
    let shared = ours.agree(theirs)?;
    let key = aead_key(&session_key(&shared, &salt))?;
    let mut buf = plaintext.to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(iv), Aad::empty(), &mut buf)
        .map_err(|_| CryptoError::DecryptFailed)?;
    Ok(buf)
}

/// Decrypts one `encryptedFI` with the wire encodings: our nonce as sent in `/FI/request`, the
/// FIP's `KeyValue` and `Nonce` from `/FI/fetch`. Returns the plaintext bytes (see
/// [`unwrap_document`] for the base64 layer some pipelines add).
pub fn decrypt_fi(
    ours: &PrivateKey,
    our_nonce_b64: &str,
    their_key_value: &str,
    their_nonce_b64: &str,
    encrypted_fi_b64: &str,
) -> Result<Vec<u8>> {
    let our_nonce = decode_base64_lenient(our_nonce_b64, "our Nonce")?;
    let their_nonce = decode_base64_lenient(their_nonce_b64, "KeyMaterial.Nonce")?;
    let theirs = PublicKey::parse(their_key_value)?;
    let ciphertext = decode_base64_lenient(encrypted_fi_b64, "encryptedFI")?;
    decrypt_raw(ours, &our_nonce, &theirs, &their_nonce, &ciphertext)
}

/// The mirror of [`decrypt_fi`]: base64 `encryptedFI` of `plaintext` for the peer's key.
pub fn encrypt_fi(
    ours: &PrivateKey,
    our_nonce_b64: &str,
    their_key_value: &str,
    their_nonce_b64: &str,
    plaintext: &[u8],
) -> Result<String> {
    let our_nonce = decode_base64_lenient(our_nonce_b64, "our Nonce")?;
    let their_nonce = decode_base64_lenient(their_nonce_b64, "KeyMaterial.Nonce")?;
    let theirs = PublicKey::parse(their_key_value)?;
    let ciphertext = encrypt_raw(ours, &our_nonce, &theirs, &their_nonce, plaintext)?;
    Ok(STANDARD.encode(ciphertext))
}

/// Some pipelines (rahasya's REST decrypt, CERTI) hand back the document base64-encoded once
/// more: when the bytes start like neither XML nor JSON, try one base64 decode.
pub fn unwrap_document(plaintext: Vec<u8>) -> Vec<u8> {
    let looks_like_document = |bytes: &[u8]| {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != 0xef && *b != 0xbb && *b != 0xbf);
        matches!(
            start.map(|i| bytes[i]),
            Some(b'<') | Some(b'{') | Some(b'[')
        )
    };
    if looks_like_document(&plaintext) {
        return plaintext;
    }
    match std::str::from_utf8(&plaintext)
        .ok()
        .and_then(|s| decode_base64_lenient(s, "document").ok())
    {
        Some(decoded) if looks_like_document(&decoded) => decoded,
        _ => plaintext,
    }
}

/// ReBIT `KeyMaterial`, as sent in `/FI/request` and received from `/FI/fetch`. Reading is
/// liberal (1.1.2 AAs send `{}` for accounts not yet delivered, `Parameters` may be `null`):
/// missing members read as empty and fail later, at decryption, with a precise error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyMaterial {
    #[serde(rename = "cryptoAlg", default)]
    pub crypto_alg: String,
    #[serde(default)]
    pub curve: String,
    #[serde(default)]
    pub params: String,
    #[serde(rename = "DHPublicKey", default)]
    pub dh_public_key: DhPublicKey,
    #[serde(rename = "Nonce", default)]
    pub nonce: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DhPublicKey {
    #[serde(default)]
    pub expiry: String,
    /// Sent as "" by most FIUs, `null` by some FIPs.
    #[serde(rename = "Parameters", default)]
    pub parameters: Option<String>,
    #[serde(rename = "KeyValue", default)]
    pub key_value: String,
}

/// Everything an FIU keeps for one FI request: the key pair and the nonce it sent.
#[derive(Debug, Clone)]
pub struct FiKeys {
    pub private: PrivateKey,
    pub public: PublicKey,
    pub nonce: [u8; NONCE_LEN],
}

impl FiKeys {
    /// Fresh key pair and nonce (one per FI request, so a leaked key exposes one response).
    pub fn generate(variant: Variant, rng: &dyn SecureRandom) -> Result<FiKeys> {
        let private = PrivateKey::generate(variant, rng)?;
        let public = private.public_key()?;
        let nonce = generate_nonce(rng)?;
        Ok(FiKeys {
            private,
            public,
            nonce,
        })
    }

    /// The `KeyMaterial` to publish, with the labels each variant's libraries expect
    /// (rahasya: `ECDH`/`Curve25519` for W, `X25519`/"" for X) and an expiry in the
    /// `…SSSZ` form rahasya's decrypt endpoint insists on.
    pub fn key_material(&self, expiry: DateTime<Utc>) -> KeyMaterial {
        let (crypto_alg, curve) = match self.public.variant() {
            Variant::W => ("ECDH", "Curve25519"),
            Variant::X => ("X25519", "X25519"),
        };
        KeyMaterial {
            crypto_alg: crypto_alg.into(),
            curve: curve.into(),
            params: "cipher=AES/GCM/NoPadding;KeyPairGenerator=ECDH".into(),
            dh_public_key: DhPublicKey {
                expiry: expiry.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                parameters: Some(String::new()),
                key_value: self.public.to_key_value(),
            },
            nonce: STANDARD.encode(self.nonce),
        }
    }

    /// Decrypts one account's `encryptedFI` with the FIP's key material.
    pub fn decrypt(&self, theirs: &KeyMaterial, encrypted_fi_b64: &str) -> Result<Vec<u8>> {
        decrypt_fi(
            &self.private,
            &STANDARD.encode(self.nonce),
            &theirs.dh_public_key.key_value,
            &theirs.nonce,
            encrypted_fi_b64,
        )
    }
}

#[cfg(test)]
mod tests;
