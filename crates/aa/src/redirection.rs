//! Web redirection between the FIU and the AA's consent page (Sahamati redirection standard,
//! digest §2.10): the FIU sends the browser with `fi`, `reqdate` and `ecreq`; the AA sends it
//! back with `fi`, `resdate` and `ecres`.
//!
//! * `fi` = standard base64 of the sender's entity id XORed with the date's bytes (cycled);
//! * the date is UTC `ddMMyyyyHHmmss` plus the first digit of the milliseconds (15 chars);
//! * `ecreq`/`ecres` = URL-safe base64 (padded) of AES-256-CBC/PKCS#5 with a zero IV, the key
//!   PBKDF2-HMAC-SHA256(the secret the AA shares with the FIU, salt = the date's bytes, 65536
//!   iterations, 32 bytes), over a form-encoded body.
//!
//! The result is only a hint for the FIU: the signed consent status call decides.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use std::num::NonZeroU32;

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

/// How old a `reqdate`/`resdate` may be (and how far in the future, for clock drift).
pub const MAX_AGE_SECONDS: i64 = 180;
const ITERATIONS: u32 = 65_536;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RedirectError {
    #[error("the {0} parameter is missing")]
    Missing(&'static str),
    #[error("the date {0:?} is not ddMMyyyyHHmmss plus a digit")]
    BadDate(String),
    #[error("the date is too far from now")]
    Stale,
    #[error("the {0} parameter is not base64")]
    NotBase64(&'static str),
    /// Wrong key (secret or date) or a damaged message: PKCS#5 padding does not check out.
    #[error("the {0} parameter does not decrypt with the shared secret")]
    Undecryptable(&'static str),
    #[error("the {0} parameter names entity {1:?}, expected {2:?}")]
    WrongEntity(&'static str, String, String),
    #[error("the {0} field is missing from the decrypted message")]
    MissingField(&'static str),
    /// The answer is genuine but not to our request (another `txnid` or session).
    #[error("the answer's {0} is not the one we sent")]
    Mismatch(&'static str),
}

/// `ddMMyyyyHHmmss` + the first digit of the milliseconds, in UTC.
pub fn format_date(at: DateTime<Utc>) -> String {
    format!(
        "{}{}",
        at.format("%d%m%Y%H%M%S"),
        at.timestamp_subsec_millis() / 100
    )
}

pub fn parse_date(date: &str) -> Result<DateTime<Utc>, RedirectError> {
    let bad = || RedirectError::BadDate(date.to_owned());
    if date.len() != 15 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (whole, tenth) = date.split_at(14);
    let naive = NaiveDateTime::parse_from_str(whole, "%d%m%Y%H%M%S").map_err(|_| bad())?;
    let tenth: i64 = tenth.parse().map_err(|_| bad())?;
    Ok(Utc.from_utc_datetime(&naive) + chrono::Duration::milliseconds(tenth * 100))
}

/// Standard base64 of `id` XOR the date's bytes (cycled).
pub fn xor_entity(id: &str, date: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(xor(id.as_bytes(), date.as_bytes()))
}

/// The entity id carried in an `fi` parameter.
pub fn unxor_entity(fi: &str, date: &str) -> Result<String, RedirectError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(fi.trim())
        .map_err(|_| RedirectError::NotBase64("fi"))?;
    Ok(String::from_utf8_lossy(&xor(&bytes, date.as_bytes())).into_owned())
}

fn xor(data: &[u8], key: &[u8]) -> Vec<u8> {
    if key.is_empty() {
        return data.to_vec();
    }
    data.iter()
        .zip(key.iter().cycle())
        .map(|(d, k)| d ^ k)
        .collect()
}

fn key(secret: &str, date: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        NonZeroU32::new(ITERATIONS).unwrap_or(NonZeroU32::MIN),
        date.as_bytes(),
        secret.as_bytes(),
        &mut key,
    );
    key
}

/// `ecreq`/`ecres`: AES-256-CBC (zero IV, PKCS#5) of `plaintext`, URL-safe base64 with padding.
pub fn encrypt(secret: &str, date: &str, plaintext: &str) -> String {
    let ciphertext = Encryptor::new(&key(secret, date).into(), &[0u8; 16].into())
        .encrypt_padded_vec_mut::<Pkcs7>(plaintext.as_bytes());
    base64::engine::general_purpose::URL_SAFE.encode(ciphertext)
}

/// The plaintext of an `ecreq`/`ecres`; `what` names the parameter in errors. Padding is
/// optional on input (some senders strip it).
pub fn decrypt(
    secret: &str,
    date: &str,
    what: &'static str,
    ciphertext: &str,
) -> Result<String, RedirectError> {
    let trimmed = ciphertext.trim().trim_end_matches('=');
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .map_err(|_| RedirectError::NotBase64(what))?;
    let plain = Decryptor::new(&key(secret, date).into(), &[0u8; 16].into())
        .decrypt_padded_vec_mut::<Pkcs7>(&bytes)
        .map_err(|_| RedirectError::Undecryptable(what))?;
    String::from_utf8(plain).map_err(|_| RedirectError::Undecryptable(what))
}

/// What the FIU tells the AA's page (`ecreq`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectRequest {
    pub txnid: String,
    /// Opaque FIU state, echoed back.
    pub sessionid: String,
    /// The customer's AA handle.
    pub userid: String,
    /// Where the AA sends the browser back.
    pub redirect: String,
    /// Consent handle(s), comma-separated.
    pub srcref: String,
}

/// What the AA's page tells the FIU (`ecres`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectResponse {
    pub txnid: String,
    pub sessionid: String,
    pub userid: String,
    /// `S` when at least one consent was approved, else `F`.
    pub status: String,
    /// `0` success, `1` rejected, `2` consent not found, `3` invalid request, … (§2.10).
    pub errorcode: String,
    pub srcref: Option<String>,
}

impl RedirectResponse {
    pub fn approved(&self) -> bool {
        self.status == "S"
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

fn fields(plain: &str) -> std::collections::HashMap<String, String> {
    url::form_urlencoded::parse(plain.as_bytes())
        .into_owned()
        .collect()
}

fn field(
    map: &std::collections::HashMap<String, String>,
    name: &'static str,
) -> Result<String, RedirectError> {
    map.get(name)
        .cloned()
        .ok_or(RedirectError::MissingField(name))
}

/// The query parameters `fi`, `reqdate`, `ecreq` for the AA's page.
pub fn request_params(
    fiu_id: &str,
    secret: &str,
    request: &RedirectRequest,
    now: DateTime<Utc>,
) -> Vec<(&'static str, String)> {
    let date = format_date(now);
    let plain = form(&[
        ("txnid", &request.txnid),
        ("sessionid", &request.sessionid),
        ("userid", &request.userid),
        ("redirect", &request.redirect),
        ("srcref", &request.srcref),
    ]);
    vec![
        ("fi", xor_entity(fiu_id, &date)),
        ("reqdate", date.clone()),
        ("ecreq", encrypt(secret, &date, &plain)),
    ]
}

/// The query parameters `fi`, `resdate`, `ecres` for the FIU's return address.
pub fn response_params(
    aa_id: &str,
    secret: &str,
    response: &RedirectResponse,
    now: DateTime<Utc>,
) -> Vec<(&'static str, String)> {
    let date = format_date(now);
    let mut pairs = vec![
        ("txnid", response.txnid.as_str()),
        ("sessionid", response.sessionid.as_str()),
        ("userid", response.userid.as_str()),
        ("status", response.status.as_str()),
        ("errorcode", response.errorcode.as_str()),
    ];
    if let Some(srcref) = &response.srcref {
        pairs.push(("srcref", srcref));
    }
    vec![
        ("fi", xor_entity(aa_id, &date)),
        ("resdate", date.clone()),
        ("ecres", encrypt(secret, &date, &form(&pairs))),
    ]
}

/// Checks the date (within `max_age` of `now`, either way) and that `fi` names
/// `expected_entity`.
fn check_envelope(
    fi: Option<&str>,
    date: &str,
    expected_entity: &str,
    now: DateTime<Utc>,
    max_age: chrono::Duration,
) -> Result<(), RedirectError> {
    let at = parse_date(date)?;
    if (now - at).abs() > max_age {
        return Err(RedirectError::Stale);
    }
    let fi = fi.ok_or(RedirectError::Missing("fi"))?;
    let named = unxor_entity(fi, date)?;
    if named != expected_entity {
        return Err(RedirectError::WrongEntity(
            "fi",
            named,
            expected_entity.to_owned(),
        ));
    }
    Ok(())
}

/// The AA's side: opens `ecreq` from the FIU `fiu_id` (query parameters as received).
/// `max_age` is [`MAX_AGE_SECONDS`] when the browser arrives; a page that carries the request
/// on to its form may allow the user longer.
pub fn open_request(
    fiu_id: &str,
    secret: &str,
    fi: Option<&str>,
    reqdate: Option<&str>,
    ecreq: Option<&str>,
    now: DateTime<Utc>,
    max_age: chrono::Duration,
) -> Result<RedirectRequest, RedirectError> {
    let date = reqdate.ok_or(RedirectError::Missing("reqdate"))?;
    check_envelope(fi, date, fiu_id, now, max_age)?;
    let plain = decrypt(
        secret,
        date,
        "ecreq",
        ecreq.ok_or(RedirectError::Missing("ecreq"))?,
    )?;
    let map = fields(&plain);
    Ok(RedirectRequest {
        txnid: field(&map, "txnid")?,
        sessionid: field(&map, "sessionid")?,
        userid: field(&map, "userid")?,
        redirect: field(&map, "redirect")?,
        srcref: field(&map, "srcref")?,
    })
}

/// The FIU's side: opens `ecres` from the AA `aa_id`.
pub fn open_response(
    aa_id: &str,
    secret: &str,
    fi: Option<&str>,
    resdate: Option<&str>,
    ecres: Option<&str>,
    now: DateTime<Utc>,
) -> Result<RedirectResponse, RedirectError> {
    let date = resdate.ok_or(RedirectError::Missing("resdate"))?;
    check_envelope(
        fi,
        date,
        aa_id,
        now,
        chrono::Duration::seconds(MAX_AGE_SECONDS),
    )?;
    let plain = decrypt(
        secret,
        date,
        "ecres",
        ecres.ok_or(RedirectError::Missing("ecres"))?,
    )?;
    let map = fields(&plain);
    Ok(RedirectResponse {
        txnid: field(&map, "txnid")?,
        sessionid: field(&map, "sessionid")?,
        userid: field(&map, "userid").unwrap_or_default(),
        status: field(&map, "status")?,
        errorcode: field(&map, "errorcode").unwrap_or_default(),
        srcref: map.get("srcref").cloned(),
    })
}

#[cfg(test)]
mod tests;
