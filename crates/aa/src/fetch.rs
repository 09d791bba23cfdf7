//! Opening an `/FI/fetch` response: every account's `encryptedFI` decrypted with our key
//! material for that FI request and read as a DEPOSIT document. Digest §2.5 and §4.3.
//!
//! Each account succeeds or fails on its own: one FIP's bad key or one corrupt document must not
//! cost the lender the other accounts of the session.

use crate::crypto::{self, CryptoError, FiKeys, KeyMaterial};
use crate::fi::{self, DepositAccount, FiError};
use serde::Deserialize;

/// The `/FI/fetch` response body (same in 1.1.2 and 2.0.0).
#[derive(Debug, Clone, Deserialize)]
pub struct FiFetchResponse {
    pub ver: String,
    #[serde(default)]
    pub timestamp: String,
    pub txnid: String,
    #[serde(rename = "FI", default)]
    pub fi: Vec<FipData>,
}

/// One FIP's entry; the same FIP may appear in several entries, each with its own key material.
#[derive(Debug, Clone, Deserialize)]
pub struct FipData {
    #[serde(rename = "fipID", alias = "fipId", default)]
    pub fip_id: String,
    #[serde(default)]
    pub data: Vec<EncryptedAccount>,
    #[serde(rename = "KeyMaterial", default)]
    pub key_material: Option<KeyMaterial>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EncryptedAccount {
    #[serde(rename = "linkRefNumber", default)]
    pub link_ref_number: Option<String>,
    #[serde(rename = "maskedAccNumber", default)]
    pub masked_acc_number: Option<String>,
    #[serde(rename = "encryptedFI", default)]
    pub encrypted_fi: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpenError {
    /// Empty `encryptedFI` or key material: the 1.1.2 form of "not yet delivered".
    #[error("the AA returned no data for this account (not delivered yet)")]
    NotDelivered,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Fi(#[from] FiError),
}

/// One account of the response, opened.
#[derive(Debug)]
pub struct OpenedAccount {
    pub fip_id: String,
    pub link_ref_number: Option<String>,
    pub masked_acc_number: Option<String>,
    pub result: Result<OpenedDocument, OpenError>,
}

#[derive(Debug)]
pub struct OpenedDocument {
    /// The decrypted document, for storage under the consent's DataLife.
    pub plaintext: Vec<u8>,
    pub account: DepositAccount,
}

/// Decrypts and parses every account of the response with `keys` (the key pair and nonce sent
/// in the FI request this response answers).
pub fn open(keys: &FiKeys, response: &FiFetchResponse) -> Vec<OpenedAccount> {
    response
        .fi
        .iter()
        .flat_map(|fip| {
            fip.data.iter().map(move |entry| OpenedAccount {
                fip_id: fip.fip_id.clone(),
                link_ref_number: entry.link_ref_number.clone(),
                masked_acc_number: entry.masked_acc_number.clone(),
                result: open_one(keys, fip.key_material.as_ref(), entry),
            })
        })
        .collect()
}

fn open_one(
    keys: &FiKeys,
    material: Option<&KeyMaterial>,
    entry: &EncryptedAccount,
) -> Result<OpenedDocument, OpenError> {
    let ciphertext = entry
        .encrypted_fi
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or(OpenError::NotDelivered)?;
    let material = material
        .filter(|m| !m.dh_public_key.key_value.trim().is_empty() && !m.nonce.trim().is_empty())
        .ok_or(OpenError::NotDelivered)?;
    let plaintext = crypto::unwrap_document(keys.decrypt(material, ciphertext)?);
    let mut account = fi::parse(&plaintext)?;
    if let (Some(outer), Some(inner)) = (&entry.masked_acc_number, &account.masked_acc_number) {
        if outer.trim() != inner.trim() {
            account.warnings.push(format!(
                "the AA labelled this document {outer:?} but it is for account {inner:?}"
            ));
        }
    }
    Ok(OpenedDocument { plaintext, account })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{PrivateKey, Variant};
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use ring::rand::SystemRandom;

    const SAMPLE: &[u8] = include_bytes!("../tests/data/deposit_sample.xml");
    const DIALECT_B: &[u8] = include_bytes!("../tests/data/deposit_dialect_b.json");

    /// What an FIP does: fresh key and nonce, encrypt for the FIU's published key material.
    fn fip_entry(
        fiu: &KeyMaterial,
        variant: Variant,
        documents: &[(&str, &[u8])],
    ) -> serde_json::Value {
        let rng = SystemRandom::new();
        let fip = FiKeys::generate(variant, &rng).unwrap();
        let expiry = chrono::Utc::now() + chrono::Duration::hours(1);
        let material = fip.key_material(expiry);
        let data: Vec<serde_json::Value> = documents
            .iter()
            .map(|(masked, doc)| {
                let encrypted = crypto::encrypt_fi(
                    &fip.private,
                    &material.nonce,
                    &fiu.dh_public_key.key_value,
                    &fiu.nonce,
                    doc,
                )
                .unwrap();
                serde_json::json!({"linkRefNumber": "LRN", "maskedAccNumber": masked, "encryptedFI": encrypted})
            })
            .collect();
        serde_json::json!({"fipID": "FIP-SIM-1", "data": data, "KeyMaterial": material})
    }

    #[test]
    fn opens_every_account_independently() {
        let rng = SystemRandom::new();
        let fiu = FiKeys::generate(Variant::W, &rng).unwrap();
        let fiu_material = fiu.key_material(chrono::Utc::now() + chrono::Duration::hours(1));
        let good = fip_entry(
            &fiu_material,
            Variant::W,
            &[("XXXXXXXX4020", SAMPLE), ("XXXX9999", DIALECT_B)],
        );
        // Base64-wrapped plaintext (rahasya REST style) opens too.
        let wrapped = STANDARD.encode(SAMPLE);
        let wrapped_entry = fip_entry(
            &fiu_material,
            Variant::W,
            &[("XXXXXXXX4020", wrapped.as_bytes())],
        );
        let mut tampered = fip_entry(&fiu_material, Variant::W, &[("XXXXXXXX4020", SAMPLE)]);
        let ciphertext = tampered["data"][0]["encryptedFI"]
            .as_str()
            .unwrap()
            .to_owned();
        // Another first character (keys are random: the ciphertext may well start with "A").
        let other = if ciphertext.starts_with('A') {
            "B"
        } else {
            "A"
        };
        tampered["data"][0]["encryptedFI"] = format!("{other}{}", &ciphertext[1..]).into();
        // An FIP on the other variant (it encrypted for an X25519 key) cannot agree a key with
        // our W key.
        let x_fiu = FiKeys::generate(Variant::X, &rng).unwrap();
        let x_material = x_fiu.key_material(chrono::Utc::now() + chrono::Duration::hours(1));
        let other_variant = fip_entry(&x_material, Variant::X, &[("XXXXXXXX4020", SAMPLE)]);
        let body = serde_json::json!({
            "ver": "2.0.0", "timestamp": "2025-01-01T10:07:00.400Z",
            "txnid": "3dd436f8-0747-4a8f-9001-375e419430be",
            "FI": [good, wrapped_entry, tampered, other_variant,
                   {"fipID": "FIP-SIM-2", "data": [{"linkRefNumber": "L2", "maskedAccNumber": "XX77", "encryptedFI": ""}],
                    "KeyMaterial": {}}]
        });
        let response: FiFetchResponse = serde_json::from_value(body).unwrap();
        let opened = open(&fiu, &response);
        assert_eq!(opened.len(), 6);

        let first = opened[0].result.as_ref().unwrap();
        assert_eq!(first.plaintext, SAMPLE);
        assert_eq!(first.account.transactions.as_ref().unwrap().list.len(), 4);
        assert!(first.account.warnings.is_empty());
        // The AA's label and the document disagree: reported, not fatal.
        let second = opened[1].result.as_ref().unwrap();
        assert!(second
            .account
            .warnings
            .iter()
            .any(|w| w.contains("XXXX9999")));
        assert_eq!(opened[2].result.as_ref().unwrap().plaintext, SAMPLE);
        assert_eq!(
            opened[3].result.as_ref().unwrap_err(),
            &OpenError::Crypto(CryptoError::DecryptFailed)
        );
        assert!(matches!(
            opened[4].result,
            Err(OpenError::Crypto(CryptoError::VariantMismatch { .. }))
        ));
        assert_eq!(
            opened[5].result.as_ref().unwrap_err(),
            &OpenError::NotDelivered
        );
        assert_eq!(opened[5].fip_id, "FIP-SIM-2");
    }

    #[test]
    fn reads_the_digests_fetch_example_shape() {
        // §2.5's body, with a real V2 key and ciphertext, `Parameters: null` and `params: "None"`.
        let body = r#"{"ver":"2.0.0","timestamp":"2025-01-01T10:07:00.400Z","txnid":"3dd436f8-0747-4a8f-9001-375e419430be",
          "FI":[{"fipID":"FIP-1","data":[{"linkRefNumber":"XXXX-XXXX-XXXX","maskedAccNumber":"XXXXXXXX4020",
            "encryptedFI":"ijNaXMtNizBpcVlGXql4ZRb9Ey1lcVVwihdoOfhm"}],
            "KeyMaterial":{"cryptoAlg":"ECDH","curve":"Curve25519","params":"None",
              "DHPublicKey":{"expiry":"2025-01-01T11:07:00.000Z","Parameters":null,
                "KeyValue":"-----BEGIN PUBLIC KEY-----MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAAQ/mbxPB1f3S9PI/QkunYma/WRVOJTrKM88fjdUwOGv9EIxvvNZW9n8bBL76f/I4UjFkXAoyUaFLV+7uEQdDfKQ-----END PUBLIC KEY-----"},
              "Nonce":"0PfDZLRESDvij+sBV2sqRqM710xGpLT5nv3UX05Kkqw="}}]}"#;
        let response: FiFetchResponse = serde_json::from_str(body).unwrap();
        let d_fiu = "0510c2150f85c6772f9478294b0c810665d1ce918531187fe33f772ace2d2791";
        let bytes: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&d_fiu[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        let private = PrivateKey::w_from_be_bytes(&bytes).unwrap();
        let keys = FiKeys {
            public: private.public_key().unwrap(),
            private,
            nonce: STANDARD
                .decode("ub9VloSkAGsnG8Thh8YR0rVaku7gPV/jA4jIQHYU/ts=")
                .unwrap()
                .try_into()
                .unwrap(),
        };
        let opened = open(&keys, &response);
        // V2's plaintext is {"hello":"AA"}: decrypted fine, and not a DEPOSIT document.
        assert_eq!(
            opened[0].result.as_ref().unwrap_err(),
            &OpenError::Fi(FiError::NoAccount)
        );
    }
}
