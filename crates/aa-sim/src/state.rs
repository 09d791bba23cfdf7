//! The simulator's memory: consents, FI sessions, seen txnids and the notification log.

use crate::config::{Faults, SimAccount, SimConfig};
use chrono::{DateTime, Datelike, Timelike, Utc};
use ledgerlens_aa::crypto::KeyMaterial;
use ledgerlens_aa::jws::RsaSigner;
use ledgerlens_fixtures::StatementTruth;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ConsentState {
    Pending,
    Active,
    Rejected,
    Paused,
    Revoked,
    Expired,
}

impl ConsentState {
    /// The artefact/notification spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Active => "ACTIVE",
            Self::Rejected => "REJECTED",
            Self::Paused => "PAUSED",
            Self::Revoked => "REVOKED",
            Self::Expired => "EXPIRED",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Consent {
    pub handle: String,
    pub id: Option<String>,
    pub ver: String,
    /// The `ConsentDetail` as requested.
    pub detail: Map<String, Value>,
    pub state: ConsentState,
    pub accounts: Vec<SimAccount>,
    pub signed_consent: Option<String>,
    pub created: DateTime<Utc>,
    /// When each FI request under this consent was accepted (Frequency accounting).
    pub uses: Vec<DateTime<Utc>>,
    pub customer_id: String,
}

impl Consent {
    pub fn mobile(&self) -> String {
        let digits: String = self
            .customer_id
            .split('@')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if digits.is_empty() {
            "9999999999".into()
        } else {
            digits
        }
    }
}

#[derive(Debug, Clone)]
pub struct FiSession {
    pub id: String,
    pub consent_handle: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub fiu_key: KeyMaterial,
    pub ready_at: DateTime<Utc>,
    /// Accounts with whether their FIP refused.
    pub accounts: Vec<(SimAccount, bool)>,
    pub faults: Faults,
    pub fetches: u32,
}

/// One notification sent to the FIU and how it answered (tests read it via `/_sim/notifications`).
#[derive(Debug, Clone, Serialize)]
pub struct SentNotification {
    pub path: String,
    pub body: Value,
    pub http_status: Option<u16>,
    pub answer: Option<Value>,
    /// The FIU's `x-jws-signature` on its answer verified with the FIU's key.
    pub answer_signed: bool,
}

#[derive(Default)]
pub struct Store {
    pub consents: HashMap<String, Consent>,
    pub handle_by_id: HashMap<String, String>,
    pub sessions: HashMap<String, FiSession>,
    pub txnids: HashSet<String>,
    pub notifications: Vec<SentNotification>,
}

impl Store {
    pub fn consent_by_id(&mut self, id: &str) -> Option<&mut Consent> {
        let handle = self.handle_by_id.get(id)?.clone();
        self.consents.get_mut(&handle)
    }
}

/// A generated account: its PDF and the truth the FI document is written from.
pub type Statement = Arc<(Vec<u8>, StatementTruth)>;

pub struct Sim {
    pub config: SimConfig,
    pub faults: Mutex<Faults>,
    pub store: Mutex<Store>,
    /// Signs with a key that is not the AA's but claims its kid (the bad-signature fault).
    pub forger: RsaSigner,
    pub http: reqwest::Client,
    pub base_url: String,
    fiu_base_url: Mutex<Option<String>>,
    statements: Mutex<HashMap<String, Statement>>,
}

impl Sim {
    pub fn new(config: SimConfig, base_url: String) -> Sim {
        let forger = RsaSigner::from_pkcs8_der(
            config.aa_signer.kid(),
            include_bytes!("../keys/issuer.pk8.der"),
        )
        .expect("the committed issuer key is valid PKCS#8");
        Sim {
            faults: Mutex::new(config.faults.clone()),
            fiu_base_url: Mutex::new(config.fiu_base_url.clone()),
            config,
            store: Mutex::new(Store::default()),
            forger,
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            base_url,
            statements: Mutex::new(HashMap::new()),
        }
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn faults(&self) -> Faults {
        self.faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.faults.lock().unwrap_or_else(|e| e.into_inner()) = faults;
    }

    /// Where notifications go; tests set it once the FIU's port is known.
    pub fn fiu_base_url(&self) -> Option<String> {
        self.fiu_base_url
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_fiu_base_url(&self, url: Option<String>) {
        *self.fiu_base_url.lock().unwrap_or_else(|e| e.into_inner()) =
            url.map(|u| u.trim_end_matches('/').to_owned());
    }

    /// The signer for AA messages, honouring the bad-signature fault.
    pub fn signer(&self) -> &RsaSigner {
        if self.faults().bad_signature {
            &self.forger
        } else {
            &self.config.aa_signer
        }
    }

    pub fn account(&self, link_ref: &str) -> Option<SimAccount> {
        self.config
            .accounts
            .iter()
            .find(|a| a.link_ref == link_ref)
            .cloned()
    }

    /// The account's statement, generated once per process.
    pub fn statement(&self, account: &SimAccount) -> Result<Statement, String> {
        if let Some(cached) = self
            .statements
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&account.link_ref)
        {
            return Ok(cached.clone());
        }
        let generated = Arc::new(crate::fi_data::statement(account)?);
        self.statements
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(account.link_ref.clone(), generated.clone());
        Ok(generated)
    }

    /// Timestamps as the faults want them: an hour old under `stale_timestamp`.
    pub fn now_for_peer(&self) -> DateTime<Utc> {
        let now = Utc::now();
        if self.faults().stale_timestamp {
            now - chrono::Duration::hours(1)
        } else {
            now
        }
    }
}

/// Uses of a consent within the calendar unit of `at` (Frequency counts calendar units, not
/// rolling windows: digest §3.5).
pub fn uses_in_unit(uses: &[DateTime<Utc>], unit: &str, at: DateTime<Utc>) -> usize {
    let key = |t: DateTime<Utc>| -> (i32, u32, u32, u32) {
        match unit.to_ascii_uppercase().as_str() {
            "HOUR" => (t.year(), t.month(), t.day(), t.hour()),
            "DAY" => (t.year(), t.month(), t.day(), 0),
            "MONTH" => (t.year(), t.month(), 0, 0),
            "YEAR" => (t.year(), 0, 0, 0),
            _ => (0, 0, 0, 0),
        }
    };
    uses.iter().filter(|u| key(**u) == key(at)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_counts_calendar_units() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let uses = [t("2026-11-30T23:00:00Z"), t("2026-12-01T01:00:00Z")];
        assert_eq!(uses_in_unit(&uses, "MONTH", t("2026-12-05T00:00:00Z")), 1);
        assert_eq!(uses_in_unit(&uses, "YEAR", t("2026-12-05T00:00:00Z")), 2);
        assert_eq!(uses_in_unit(&uses, "DAY", t("2026-12-01T05:00:00Z")), 1);
        assert_eq!(uses_in_unit(&uses, "HOUR", t("2026-12-01T02:00:00Z")), 0);
    }
}
