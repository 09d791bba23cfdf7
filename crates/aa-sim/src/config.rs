//! What the simulator plays: its own identities and keys, the FIU it serves, the accounts its
//! FIPs hold, and the faults to inject.

use ledgerlens_aa::crypto::Variant;
use ledgerlens_aa::jws::{RsaPublicKey, RsaSigner};
use serde::{Deserialize, Serialize};

/// Simulator-only keys, committed so a demo needs no setup. Never use them anywhere real.
const AA_KEY: &[u8] = include_bytes!("../keys/aa.pk8.der");
const ISSUER_KEY: &[u8] = include_bytes!("../keys/issuer.pk8.der");
/// The demo FIU's key: `serve` uses it when no signing key is configured, so the simulator
/// trusts it by default.
pub const DEMO_FIU_KEY: &[u8] = include_bytes!("../keys/fiu-demo.pk8.der");
pub const DEMO_FIU_KID: &str = "fiu-demo-1";

/// One account an FIP of the simulator holds: its statement comes from the fixture generator,
/// so the same account exists as a PDF and as FI data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SimAccount {
    pub fip_id: String,
    pub link_ref: String,
    /// Fixture layout (also the bank: `hdfc_classic` → hdfc).
    pub layout: String,
    pub seed: u64,
    /// Statement length ending this month.
    pub months: u32,
}

/// Faults to inject; all off by default. Set at start-up (flags) or live via
/// `POST /_sim/faults`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Approval (page or headless) turns into a rejection.
    pub reject: bool,
    /// Right after approval the consent is revoked (REVOKED notification follows ACTIVE).
    pub revoke: bool,
    /// Right after approval the consent expires.
    pub expire: bool,
    /// Right after approval the consent is paused.
    pub pause: bool,
    /// Link reference numbers whose FIP refuses (FIStatus DENIED); "*" denies all.
    pub denied_accounts: Vec<String>,
    /// `/FI/fetch` answers 410 DataGone.
    pub data_gone: bool,
    /// `/FI/fetch` answers 404 NoDataFound.
    pub no_data: bool,
    /// The FI session ends FAILED.
    pub session_failed: bool,
    /// The FIP sends accounts with an empty Transactions element.
    pub no_transactions: bool,
    /// Milliseconds before FI data is READY (fetching earlier → 403 DataFetchRequestInProgress).
    pub fi_delay_ms: u64,
    /// Milliseconds added before every AA API answer.
    pub response_delay_ms: u64,
    /// Responses, notifications and the consent artefact are signed with a key that is not
    /// the AA's.
    pub bad_signature: bool,
    /// Responses and notifications carry a timestamp an hour old.
    pub stale_timestamp: bool,
    /// Every notification is sent twice.
    pub duplicate_notifications: bool,
    /// The artefact is signed with this `DataLife` (`DAY:1`, `INF`, …) instead of the one the
    /// FIU asked for, as if the user had shortened it: the FIU must honour what was signed.
    pub data_life: Option<String>,
}

impl Faults {
    pub fn denies(&self, link_ref: &str) -> bool {
        self.denied_accounts
            .iter()
            .any(|d| d == "*" || d == link_ref)
    }

    /// `name` or `name=value` as given on the command line.
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let (name, value) = spec.split_once('=').unwrap_or((spec, ""));
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("fault {name} needs a number of milliseconds"))
        };
        match name.trim() {
            "reject" => self.reject = true,
            "revoke" => self.revoke = true,
            "expire" => self.expire = true,
            "pause" => self.pause = true,
            "denied_accounts" | "deny" => self
                .denied_accounts
                .push(if value.is_empty() { "*" } else { value }.to_owned()),
            "data_gone" => self.data_gone = true,
            "no_data" => self.no_data = true,
            "session_failed" => self.session_failed = true,
            "no_transactions" => self.no_transactions = true,
            "fi_delay_ms" => self.fi_delay_ms = number()?,
            "response_delay_ms" => self.response_delay_ms = number()?,
            "bad_signature" => self.bad_signature = true,
            "stale_timestamp" => self.stale_timestamp = true,
            "duplicate_notifications" => self.duplicate_notifications = true,
            "data_life" => {
                data_life_json(value)?;
                self.data_life = Some(value.to_owned());
            }
            other => return Err(format!("unknown fault {other:?}")),
        }
        Ok(())
    }
}

/// `UNIT:VALUE` (or `INF`) as the artefact's `DataLife` object.
pub fn data_life_json(spec: &str) -> Result<serde_json::Value, String> {
    let (unit, value) = spec.split_once(':').unwrap_or((spec, "0"));
    let unit = unit.trim().to_ascii_uppercase();
    if !["DAY", "MONTH", "YEAR", "INF"].contains(&unit.as_str()) {
        return Err(format!(
            "data_life unit {unit:?} is not DAY, MONTH, YEAR or INF"
        ));
    }
    let value: u32 = value
        .trim()
        .parse()
        .map_err(|_| format!("data_life {spec:?} needs UNIT:NUMBER"))?;
    Ok(serde_json::json!({"unit": unit, "value": value}))
}

pub struct SimConfig {
    pub aa_id: String,
    pub fiu_id: String,
    /// Client secret the FIU presents to the token service.
    pub fiu_secret: String,
    pub fiu_key: RsaPublicKey,
    /// Where the FIU's `/Consent/Notification` and `/FI/Notification` live (no trailing `/`).
    /// None: notifications are not sent (the FIU polls).
    pub fiu_base_url: Option<String>,
    pub aa_signer: RsaSigner,
    pub issuer: RsaSigner,
    pub fip_variant: Variant,
    pub accounts: Vec<SimAccount>,
    pub faults: Faults,
    /// Fake OTP the approval page accepts (and shows: this is a simulator).
    pub otp: String,
    /// The secret this AA shares with the FIU for the web redirection's `ecreq`/`ecres`.
    pub redirect_secret: String,
}

impl SimConfig {
    /// The demo identities and three accounts at two FIPs.
    pub fn demo() -> SimConfig {
        let fiu_signer = RsaSigner::from_pkcs8_der(DEMO_FIU_KID, DEMO_FIU_KEY)
            .expect("the committed demo FIU key is valid PKCS#8");
        SimConfig {
            aa_id: "AA-SIM".into(),
            fiu_id: "FIU-LEDGERLENS".into(),
            fiu_secret: "fiu-sim-secret".into(),
            fiu_key: fiu_signer.public_key(),
            fiu_base_url: None,
            aa_signer: RsaSigner::from_pkcs8_der("aa-sim-1", AA_KEY)
                .expect("the committed AA key is valid PKCS#8"),
            issuer: RsaSigner::from_pkcs8_der("sahamati-sim-1", ISSUER_KEY)
                .expect("the committed issuer key is valid PKCS#8"),
            fip_variant: Variant::W,
            accounts: default_accounts(),
            faults: Faults::default(),
            otp: "123456".into(),
            redirect_secret: "fiu-sim-redirect-secret".into(),
        }
    }
}

pub fn default_accounts() -> Vec<SimAccount> {
    vec![
        SimAccount {
            fip_id: "FIP-SIM-1".into(),
            link_ref: "LRN-SIM-0001".into(),
            layout: "hdfc_classic".into(),
            seed: 11,
            months: 6,
        },
        SimAccount {
            fip_id: "FIP-SIM-1".into(),
            link_ref: "LRN-SIM-0002".into(),
            layout: "icici_style".into(),
            seed: 12,
            months: 6,
        },
        SimAccount {
            fip_id: "FIP-SIM-2".into(),
            link_ref: "LRN-SIM-0003".into(),
            layout: "sbi_style".into(),
            seed: 13,
            months: 6,
        },
    ]
}
