//! Signed, expiring, tenant-scoped download links (statement PDFs, reports).
//!
//! A link carries the tenant, the object and an expiry, signed with a server key; it needs no
//! API key, so it can be handed to a browser, yet only works for that tenant's object until it
//! expires. The key lives in the data dir (`link-signing.key`) or in LEDGERLENS_LINK_KEY, so
//! every process of one deployment signs and checks alike.

use crate::auth::hmac_hex;
use std::path::Path;
use subtle::ConstantTimeEq;

/// The link-signing key's file in the data dir.
pub const KEY_FILE: &str = "link-signing.key";

pub struct LinkSigner {
    key: Vec<u8>,
    ttl_secs: i64,
}

/// What a valid link grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkGrant {
    pub client_id: String,
    pub object_id: String,
}

impl LinkSigner {
    pub fn load_or_create(data_dir: &Path, ttl_secs: i64) -> std::io::Result<LinkSigner> {
        if let Ok(key) = std::env::var("LEDGERLENS_LINK_KEY") {
            if !key.trim().is_empty() {
                return Ok(LinkSigner {
                    key: key.trim().as_bytes().to_vec(),
                    ttl_secs,
                });
            }
        }
        let path = data_dir.join(KEY_FILE);
        // Created 0600; an existing key readable by group or others is refused, since whoever
        // reads it can forge links to any tenant's files.
        let key = crate::secrets::read_or_create_key_file(&path, || {
            format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            )
        })
        .map_err(std::io::Error::other)?;
        Ok(LinkSigner {
            key: key.into_bytes(),
            ttl_secs,
        })
    }

    fn signature(&self, client_id: &str, object_id: &str, expires: i64) -> String {
        hmac_hex(
            &self.key,
            format!("{client_id}\n{object_id}\n{expires}").as_bytes(),
        )
    }

    /// Query string for `object_id` of `client_id`, valid for the configured time.
    pub fn sign(&self, client_id: &str, object_id: &str) -> String {
        let expires = ledgerlens_store::now_ms() / 1000 + self.ttl_secs;
        format!(
            "client={client_id}&expires={expires}&signature={}",
            self.signature(client_id, object_id, expires)
        )
    }

    /// The per-session token of the hosted journey link: it grants uploading to that one session
    /// (while the session accepts uploads), so the page never needs the client's API key.
    pub fn journey_token(&self, session_id: &str) -> String {
        hmac_hex(&self.key, format!("journey\n{session_id}").as_bytes())
    }

    pub fn journey_token_matches(&self, session_id: &str, token: &str) -> bool {
        let expected = self.journey_token(session_id);
        bool::from(expected.as_bytes().ct_eq(token.as_bytes()))
    }

    pub fn verify(
        &self,
        object_id: &str,
        client_id: &str,
        expires: i64,
        signature: &str,
    ) -> Option<LinkGrant> {
        if expires < ledgerlens_store::now_ms() / 1000 {
            return None;
        }
        let expected = self.signature(client_id, object_id, expires);
        bool::from(expected.as_bytes().ct_eq(signature.as_bytes())).then(|| LinkGrant {
            client_id: client_id.to_owned(),
            object_id: object_id.to_owned(),
        })
    }
}
