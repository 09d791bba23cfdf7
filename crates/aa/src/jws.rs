//! Detached JWS with unencoded payload (RFC 7515 appendix F + RFC 7797), as every AA API message
//! carries in `x-jws-signature`, and verification of the AA-signed consent artefact
//! (`signedConsent`). Research digest §5.
//!
//! Done by hand because off-the-shelf JOSE libraries either refuse `b64:false` in compact form or
//! sign the wrong bytes. The signing input is always `ASCII(header_b64) || "." || payload bytes`,
//! with the payload exactly as sent on the wire: never re-serialise before verifying.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{self, RsaKeyPair, RsaPublicKeyComponents};
use serde::Deserialize;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwsError {
    /// Not `header..signature` (detached) or `header.payload.signature` (compact).
    #[error("malformed JWS: {0}")]
    Malformed(&'static str),
    #[error("JWS header is not valid JSON: {0}")]
    Header(String),
    /// The AA profile requires `b64: false`; anything else would change the signed bytes.
    #[error("JWS header must carry \"b64\": false")]
    NotUnencoded,
    #[error("JWS header marks {0:?} critical, which this implementation does not understand")]
    UnknownCritical(String),
    #[error("JWS algorithm {0:?} is not accepted (RS256 only)")]
    Algorithm(String),
    /// The header names another key than the one we hold for the sender.
    #[error("JWS kid {found:?} does not match the sender's key {expected:?}")]
    KidMismatch { expected: String, found: String },
    /// Maps to `SignatureDoesNotMatch`.
    #[error("JWS signature does not match")]
    BadSignature,
    #[error("invalid RSA key: {0}")]
    Key(String),
    #[error("signing failed")]
    Signing,
}

type Result<T> = std::result::Result<T, JwsError>;

/// The protected header members the profile uses; others are ignored but stay signed (the
/// received base64 header is verified as is).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Header {
    pub alg: String,
    #[serde(default)]
    pub kid: Option<String>,
    #[serde(default)]
    pub b64: Option<bool>,
    #[serde(default)]
    pub crit: Option<Vec<String>>,
}

/// An RSA public key as published in the Central Registry (`certificate` JWK).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    pub kid: Option<String>,
    /// Big-endian modulus and exponent.
    pub n: Vec<u8>,
    pub e: Vec<u8>,
}

impl RsaPublicKey {
    /// From the JWK members `n` and `e` (base64url, unpadded).
    pub fn from_jwk_parts(kid: Option<&str>, n: &str, e: &str) -> Result<RsaPublicKey> {
        let decode = |s: &str, what: &str| {
            decode_b64url(s).map_err(|_| JwsError::Key(format!("JWK {what} is not base64url")))
        };
        Ok(RsaPublicKey {
            kid: kid.map(str::to_owned),
            n: decode(n, "n")?,
            e: decode(e, "e")?,
        })
    }

    /// From a JWK object (`{"kty":"RSA","n":…,"e":…,"kid":…}`).
    pub fn from_jwk(jwk: &serde_json::Value) -> Result<RsaPublicKey> {
        if jwk
            .get("kty")
            .and_then(|v| v.as_str())
            .is_some_and(|k| k != "RSA")
        {
            return Err(JwsError::Key("JWK kty is not RSA".into()));
        }
        let member = |name: &'static str| {
            jwk.get(name)
                .and_then(|v| v.as_str())
                .ok_or_else(|| JwsError::Key(format!("JWK has no {name}")))
        };
        Self::from_jwk_parts(
            jwk.get("kid").and_then(|v| v.as_str()),
            member("n")?,
            member("e")?,
        )
    }

    /// The JWK to publish (CR `certificate`, simulator registry entries).
    pub fn to_jwk(&self) -> serde_json::Value {
        let mut jwk = serde_json::json!({
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "n": URL_SAFE_NO_PAD.encode(&self.n),
            "e": URL_SAFE_NO_PAD.encode(&self.e),
        });
        if let Some(kid) = &self.kid {
            jwk["kid"] = kid.clone().into();
        }
        jwk
    }

    fn verify_raw(&self, message: &[u8], sig: &[u8]) -> Result<()> {
        RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        }
        .verify(&signature::RSA_PKCS1_2048_8192_SHA256, message, sig)
        .map_err(|_| JwsError::BadSignature)
    }
}

/// Our signing key (RS256), loaded from PKCS#8.
pub struct RsaSigner {
    kid: String,
    key: RsaKeyPair,
    rng: SystemRandom,
}

impl std::fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RsaSigner(kid={:?}, <private key redacted>)", self.kid)
    }
}

impl RsaSigner {
    /// PKCS#8 DER (`openssl genpkey -algorithm RSA -outform DER`).
    pub fn from_pkcs8_der(kid: &str, der: &[u8]) -> Result<RsaSigner> {
        let key = RsaKeyPair::from_pkcs8(der).map_err(|e| JwsError::Key(e.to_string()))?;
        Ok(RsaSigner {
            kid: kid.to_owned(),
            key,
            rng: SystemRandom::new(),
        })
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pkcs8_pem(kid: &str, pem: &str) -> Result<RsaSigner> {
        let der = crate::crypto::decode_base64_lenient(&strip_armour(pem), "PEM")
            .map_err(|_| JwsError::Key("PEM body is not base64".into()))?;
        Self::from_pkcs8_der(kid, &der)
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public half, e.g. to publish as the CR `certificate` JWK.
    pub fn public_key(&self) -> RsaPublicKey {
        let components: RsaPublicKeyComponents<Vec<u8>> = self.key.public().into();
        RsaPublicKey {
            kid: Some(self.kid.clone()),
            n: components.n,
            e: components.e,
        }
    }

    /// The protected header, compact JSON in the member order Finvu and the digest vectors use.
    fn header_b64(&self) -> String {
        let header = serde_json::json!({
            "alg": "RS256",
            "kid": self.kid,
            "b64": false,
            "crit": ["b64"],
        });
        URL_SAFE_NO_PAD.encode(header.to_string())
    }

    fn sign_input(&self, header_b64: &str, payload: &[u8]) -> Result<String> {
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &self.rng,
                &signing_input(header_b64, payload),
                &mut sig,
            )
            .map_err(|_| JwsError::Signing)?;
        Ok(URL_SAFE_NO_PAD.encode(sig))
    }

    /// `x-jws-signature` for a body (or, for 1.1.2 GETs, the request path) exactly as sent.
    pub fn sign_detached(&self, payload: &[u8]) -> Result<String> {
        let header = self.header_b64();
        let sig = self.sign_input(&header, payload)?;
        Ok(format!("{header}..{sig}"))
    }

    /// A `signedConsent`-style compact token: the middle segment carries the payload in
    /// base64url, the signature covers the raw payload (what AAs do, digest §3.2).
    pub fn sign_compact(&self, payload: &[u8]) -> Result<String> {
        let header = self.header_b64();
        let sig = self.sign_input(&header, payload)?;
        Ok(format!(
            "{header}.{}.{sig}",
            URL_SAFE_NO_PAD.encode(payload)
        ))
    }
}

impl RsaSigner {
    /// A conventional (RFC 7515, `b64` payload) RS256 JWT, as the token service issues for
    /// `client_api_key` / `aa_api_key`.
    pub fn sign_jwt(&self, claims: &serde_json::Value) -> Result<String> {
        let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": self.kid});
        let header_b64 = URL_SAFE_NO_PAD.encode(header.to_string());
        let claims_b64 = URL_SAFE_NO_PAD.encode(claims.to_string());
        let sig = self.sign_input(&header_b64, claims_b64.as_bytes())?;
        Ok(format!("{header_b64}.{claims_b64}.{sig}"))
    }
}

/// Verifies a conventional RS256 JWT's signature and returns its claims (expiry and audience
/// checks are the caller's: they depend on whose token it should be).
pub fn verify_jwt(token: &str, key: &RsaPublicKey) -> Result<serde_json::Value> {
    let mut parts = token.trim().split('.');
    let (Some(header_b64), Some(claims_b64), Some(sig_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed("expected header.claims.signature"));
    };
    let raw = decode_b64url(header_b64).map_err(|_| JwsError::Malformed("header not base64url"))?;
    let header: Header =
        serde_json::from_slice(&raw).map_err(|e| JwsError::Header(e.to_string()))?;
    if header.alg != "RS256" {
        return Err(JwsError::Algorithm(header.alg));
    }
    let sig = decode_b64url(sig_b64).map_err(|_| JwsError::Malformed("signature not base64url"))?;
    key.verify_raw(&signing_input(header_b64, claims_b64.as_bytes()), &sig)?;
    let claims =
        decode_b64url(claims_b64).map_err(|_| JwsError::Malformed("claims not base64url"))?;
    serde_json::from_slice(&claims).map_err(|e| JwsError::Header(e.to_string()))
}

fn strip_armour(pem: &str) -> String {
    pem.lines()
        .filter(|line| !line.trim_start().starts_with("-----"))
        .collect()
}

/// Padding and the standard alphabet are tolerated: some signers emit them.
fn decode_b64url(s: &str) -> std::result::Result<Vec<u8>, ()> {
    let trimmed = s.trim().trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed.replace('+', "-").replace('/', "_")))
        .map_err(|_| ())
}

fn signing_input(header_b64: &str, payload: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(header_b64.len() + 1 + payload.len());
    input.extend_from_slice(header_b64.as_bytes());
    input.push(b'.');
    input.extend_from_slice(payload);
    input
}

/// Header checks of §5.2: JSON, `b64: false`, only `b64` critical, RS256, and the kid (when both
/// the header and our copy of the sender's key name one).
fn check_header(header_b64: &str, key: &RsaPublicKey) -> Result<Header> {
    let raw = decode_b64url(header_b64).map_err(|_| JwsError::Malformed("header not base64url"))?;
    let header: Header =
        serde_json::from_slice(&raw).map_err(|e| JwsError::Header(e.to_string()))?;
    if header.b64 != Some(false) {
        return Err(JwsError::NotUnencoded);
    }
    if let Some(unknown) = header.crit.iter().flatten().find(|name| *name != "b64") {
        return Err(JwsError::UnknownCritical(unknown.clone()));
    }
    if header.alg != "RS256" {
        return Err(JwsError::Algorithm(header.alg.clone()));
    }
    if let (Some(expected), Some(found)) = (&key.kid, &header.kid) {
        if expected != found {
            return Err(JwsError::KidMismatch {
                expected: expected.clone(),
                found: found.clone(),
            });
        }
    }
    Ok(header)
}

/// Verifies an `x-jws-signature` over `payload` (the body bytes as received, or the 1.1.2 path).
pub fn verify_detached(jws: &str, payload: &[u8], key: &RsaPublicKey) -> Result<Header> {
    let mut parts = jws.trim().split('.');
    let (Some(header_b64), Some(middle), Some(sig_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed("expected header..signature"));
    };
    if !middle.is_empty() {
        return Err(JwsError::Malformed(
            "detached JWS has a non-empty payload part",
        ));
    }
    let header = check_header(header_b64, key)?;
    let sig = decode_b64url(sig_b64).map_err(|_| JwsError::Malformed("signature not base64url"))?;
    key.verify_raw(&signing_input(header_b64, payload), &sig)?;
    Ok(header)
}

/// Verifies a compact `signedConsent` and returns its header and decoded payload. The RFC 7797
/// input (raw payload) is what AAs sign; the standard RFC 7515 input (`header.payload_b64`) is
/// tried second so an AA that signs conventionally is still accepted (digest §5.3).
pub fn verify_compact(token: &str, key: &RsaPublicKey) -> Result<(Header, Vec<u8>)> {
    let mut parts = token.trim().split('.');
    let (Some(header_b64), Some(payload_b64), Some(sig_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed("expected header.payload.signature"));
    };
    let header = check_header(header_b64, key)?;
    let payload =
        decode_b64url(payload_b64).map_err(|_| JwsError::Malformed("payload not base64url"))?;
    let sig = decode_b64url(sig_b64).map_err(|_| JwsError::Malformed("signature not base64url"))?;
    key.verify_raw(&signing_input(header_b64, &payload), &sig)
        .or_else(|_| key.verify_raw(&signing_input(header_b64, payload_b64.as_bytes()), &sig))?;
    Ok((header, payload))
}

/// `Consent.digitalSignature` for `/FI/request`: the third segment of `signedConsent`, verbatim.
pub fn consent_digital_signature(signed_consent: &str) -> Option<&str> {
    let mut parts = signed_consent.trim().split('.');
    let (_, _, sig, None) = (parts.next()?, parts.next()?, parts.next()?, parts.next()) else {
        return None;
    };
    (!sig.is_empty()).then_some(sig)
}

#[cfg(test)]
mod tests;
