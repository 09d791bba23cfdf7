//! `mode=aa` sessions: the lender is its own FIU. Configuration from the environment, the
//! consent → FI request → FI fetch → statements flow, and what the FIU keeps per session.
//!
//! One AA per process, installed at start-up (`install_from_env`) or by a test (`install`):
//! session validation (which has no state) asks [`available_for`] whether `mode=aa` is enabled.
//! The per-session AA bookkeeping (consent handle, redirection txnid, FI session and its keys)
//! is kept in memory and written through to the database (`aa_sessions`, the keys sealed with
//! the secrets key) at every step; at start [`resume_in_flight`] reloads consents still awaited.
//!
//! Several `serve` processes may share one database. A fetch runs in the process that claims
//! it with a lease in `aa_sessions` (the job queue's pattern: a conditional UPDATE with a random
//! token and an expiry), renewed while it runs; every write it makes to the row needs the token.
//! A fetch whose process died is taken over by another process ([`takeover_loop`]) only once its
//! lease has expired; a process that lost its lease (taken over, or the session deleted) stops
//! its fetch before it stores anything.

use crate::Processing;
use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ledgerlens_aa::client::{
    ClientError, ConsentRequest, FiSession, FiuClient, FiuConfig, HandleStatus,
};
use ledgerlens_aa::consent::{ConsentArtefact, FetchType, UnitValue};
use ledgerlens_aa::crypto::Variant;
use ledgerlens_aa::crypto::{FiKeys, PrivateKey};
use ledgerlens_aa::fetch::OpenedAccount;
use ledgerlens_aa::fi::{ist_end_of_day, ist_midnight};
use ledgerlens_aa::jws::{RsaPublicKey, RsaSigner};
use ledgerlens_aa::messages::WireVersion;
use ledgerlens_store::aa_consents::{AaConsent, AaDataLife, AaFetchLease, AaSessionRow};
use ledgerlens_store::jobs::{JobKind, NewJob};
use ledgerlens_store::sessions::SessionRow;
use ledgerlens_store::statements::NewStatement;
use ledgerlens_store::{new_id, sha256_hex, StoreError};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// BankConnect's statement failure when the FIP sends nothing usable (fetch-data.md).
pub const NO_TRANSACTIONS_FROM_AA: &str = "NO_TRANSACTIONS_FROM_AA";
pub const NO_TRANSACTIONS_MESSAGE: &str = "Not able to fetch transactions from Account Aggregator";

/// Everything needed to talk to one AA as one FIU. Secrets are never printed (`Debug` redacts).
#[derive(Clone)]
pub struct AaSettings {
    pub fiu: FiuConfig,
    pub signing_key_pkcs8: Vec<u8>,
    pub signing_kid: String,
    /// The AA's signing key (its Central Registry `certificate`).
    pub aa_key: RsaPublicKey,
    /// The token issuer's key, to check `aa_api_key` on callbacks (None: not checked).
    pub issuer_key: Option<RsaPublicKey>,
    /// Where the user approves: `{webview}/{consentHandle}?redirect=…`.
    pub webview_url: String,
    /// The AA handle suffix: customer id = `<mobile>@<suffix>`.
    pub handle_suffix: String,
    /// Banks (FinBox ids) reachable through this AA; None: every bank.
    pub banks: Option<HashSet<String>>,
    /// The `DataLife` our consents ask for (LEDGERLENS_AA_DATA_LIFE, default one month). What
    /// the signed artefact says is what is honoured.
    pub data_life: UnitValue,
    /// The secret the AA shares with us for the web redirection (`ecreq`/`ecres`); None: the
    /// simulator's clear shortcut (`{webview}/{handle}?redirect=`).
    pub redirect_secret: Option<String>,
}

impl std::fmt::Debug for AaSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AaSettings")
            .field("fiu", &self.fiu)
            .field("signing_kid", &self.signing_kid)
            .field("signing_key", &"<redacted>")
            .field("webview_url", &self.webview_url)
            .field("banks", &self.banks)
            .field("data_life", &self.data_life)
            .field(
                "redirect_secret",
                &self.redirect_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AaStage {
    AwaitingConsent,
    Rejected,
    Fetching,
    Done,
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct AaSession {
    pub session_id: String,
    pub client_id: String,
    pub handle: String,
    pub consent_id: Option<String>,
    pub stage: AaStage,
    pub fi: Option<FiSession>,
    /// The `txnid` of our web redirection request: the AA's `ecres` must carry it back.
    pub redirect_txnid: Option<String>,
}

pub struct AaRuntime {
    pub settings: AaSettings,
    pub client: FiuClient,
    /// Signs our answers to the AA's callbacks.
    pub signer: RsaSigner,
    sessions: Mutex<HashMap<String, AaSession>>,
}

/// One server's AA fetches: its lease owner name and the fetch tasks it runs, which stop with
/// it (as they would with its process). Kept per server, not in the process-wide runtime, so
/// two servers in one process (tests) are two owners.
pub struct LocalFetches {
    pub owner: String,
    tasks: Mutex<Vec<tokio::task::AbortHandle>>,
}

impl Default for LocalFetches {
    fn default() -> LocalFetches {
        LocalFetches {
            owner: format!(
                "{}:{}:{}",
                std::env::var("HOSTNAME").unwrap_or_else(|_| "local".to_owned()),
                std::process::id(),
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            ),
            tasks: Mutex::new(Vec::new()),
        }
    }
}

impl LocalFetches {
    /// Runs a fetch in the background, remembered until the server stops.
    pub fn spawn<F>(&self, fetch: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let handle = tokio::spawn(fetch).abort_handle();
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        tasks.retain(|h| !h.is_finished());
        tasks.push(handle);
    }

    /// Stops every fetch of this server where it is, leases untouched: like the process dying,
    /// another process takes them over when their leases expire.
    pub fn abort_all(&self) {
        for task in self
            .tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            task.abort();
        }
    }
}

static RUNTIME: OnceLock<Arc<AaRuntime>> = OnceLock::new();

pub fn runtime() -> Option<&'static Arc<AaRuntime>> {
    RUNTIME.get()
}

/// Whether `mode=aa` works for `bank` (the catalogue's `is_aa_available`).
pub fn available_for(bank: &str) -> bool {
    runtime().is_some_and(|rt| {
        rt.settings
            .banks
            .as_ref()
            .is_none_or(|banks| banks.contains(&bank.to_ascii_lowercase()))
    })
}

impl AaRuntime {
    pub fn new(settings: AaSettings) -> anyhow::Result<AaRuntime> {
        let signer = || {
            RsaSigner::from_pkcs8_der(&settings.signing_kid, &settings.signing_key_pkcs8)
                .context("LEDGERLENS_AA_SIGNING_KEY is not an RSA PKCS#8 key")
        };
        let client = FiuClient::new(settings.fiu.clone(), signer()?, settings.aa_key.clone());
        Ok(AaRuntime {
            signer: signer()?,
            client,
            settings,
            sessions: Mutex::new(HashMap::new()),
        })
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, AaSession>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn session(&self, session_id: &str) -> Option<AaSession> {
        self.sessions().get(session_id).cloned()
    }

    pub fn session_by_handle(&self, handle: &str) -> Option<AaSession> {
        self.sessions()
            .values()
            .find(|s| s.handle == handle)
            .cloned()
    }

    pub fn session_by_fi_session(&self, fi_session: &str) -> Option<AaSession> {
        self.sessions()
            .values()
            .find(|s| s.fi.as_ref().is_some_and(|f| f.session_id == fi_session))
            .cloned()
    }

    fn update(&self, session_id: &str, change: impl FnOnce(&mut AaSession)) {
        if let Some(s) = self.sessions().get_mut(session_id) {
            change(s);
        }
    }

    /// Moves the session to Fetching unless it already left AwaitingConsent (notifications and
    /// the browser's return both trigger the fetch; in this process only the first one goes
    /// on to claim it in the database). A session this process does not hold (its journey ran
    /// on another) goes on too: the database's claim decides.
    fn claim_fetch(&self, session_id: &str) -> bool {
        let mut sessions = self.sessions();
        match sessions.get_mut(session_id) {
            Some(s) if s.stage == AaStage::AwaitingConsent => {
                s.stage = AaStage::Fetching;
                true
            }
            Some(_) => false,
            None => true,
        }
    }

    /// Forgets a session (deleted): its FI keys leave this process's memory.
    pub fn forget(&self, session_id: &str) {
        self.sessions().remove(session_id);
    }

    /// A recurring pull's session: its consent is known and its FI request already accepted.
    pub fn track_pull(&self, session: &SessionRow, consent_id: &str, fi: FiSession) {
        self.sessions().insert(
            session.id.clone(),
            AaSession {
                session_id: session.id.clone(),
                client_id: session.client_id.clone(),
                // Never a real handle: consent notifications find the journey's session.
                handle: format!("pull:{}", session.id),
                consent_id: Some(consent_id.to_owned()),
                stage: AaStage::Fetching,
                fi: Some(fi),
                redirect_txnid: None,
            },
        );
    }

    pub fn mark_rejected(&self, session_id: &str) {
        self.update(session_id, |s| {
            if s.stage == AaStage::AwaitingConsent {
                s.stage = AaStage::Rejected;
            }
        });
    }
}

pub fn install(runtime: AaRuntime) -> bool {
    RUNTIME.set(Arc::new(runtime)).is_ok()
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// A secret from `NAME` or from the file named by `NAME_FILE`.
fn env_secret(name: &str) -> anyhow::Result<Option<String>> {
    if let Some(v) = env(name) {
        return Ok(Some(v));
    }
    match env(&format!("{name}_FILE")) {
        Some(path) => Ok(Some(
            std::fs::read_to_string(&path)
                .with_context(|| format!("reading {name}_FILE"))?
                .trim()
                .to_owned(),
        )),
        None => Ok(None),
    }
}

/// Reads `LEDGERLENS_AA_*` (README "Connecting to an Account Aggregator"). Nothing set: AA
/// stays disabled (`mode=aa` answers MODE_NOT_ENABLED). The AA's key comes from
/// `LEDGERLENS_AA_PUBLIC_KEY` (a JWK file) or the registry at `LEDGERLENS_AA_REGISTRY_URL`.
pub async fn settings_from_env() -> anyhow::Result<Option<AaSettings>> {
    let Some(base) = env("LEDGERLENS_AA_BASE_URL") else {
        return Ok(None);
    };
    let base = base.trim_end_matches('/').to_owned();
    let aa_id = env("LEDGERLENS_AA_ID").unwrap_or_else(|| "AA-SIM".into());
    let fiu_id = env("LEDGERLENS_AA_FIU_ID").context("LEDGERLENS_AA_FIU_ID is required")?;
    let key_path = env("LEDGERLENS_AA_SIGNING_KEY")
        .context("LEDGERLENS_AA_SIGNING_KEY (PKCS#8 file) is required")?;
    let key_bytes = std::fs::read(&key_path).context("reading LEDGERLENS_AA_SIGNING_KEY")?;
    let signing_key_pkcs8 = match std::str::from_utf8(&key_bytes) {
        Ok(pem) if pem.contains("-----BEGIN") => pem_body(pem)?,
        _ => key_bytes,
    };
    let version = match env("LEDGERLENS_AA_VERSION").as_deref() {
        Some("1.1.2") => WireVersion::V1_1_2,
        _ => WireVersion::V2_0_0,
    };
    let http = reqwest::Client::new();
    let registry = env("LEDGERLENS_AA_REGISTRY_URL");
    let aa_key = match (env("LEDGERLENS_AA_PUBLIC_KEY"), &registry) {
        (Some(path), _) => {
            let jwk: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)
                .context("LEDGERLENS_AA_PUBLIC_KEY is not a JWK")?;
            RsaPublicKey::from_jwk(&jwk)?
        }
        (None, Some(cr)) => {
            let entry: serde_json::Value = http
                .get(format!(
                    "{}/v2/entityInfo/AA/{aa_id}",
                    cr.trim_end_matches('/')
                ))
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            RsaPublicKey::from_jwk(&entry["entityinfo"]["certificate"])
                .context("the registry entry has no usable certificate")?
        }
        (None, None) => anyhow::bail!("set LEDGERLENS_AA_PUBLIC_KEY or LEDGERLENS_AA_REGISTRY_URL"),
    };
    let issuer_key = match env("LEDGERLENS_AA_ISSUER_JWKS_URL") {
        Some(url) => {
            let jwks: serde_json::Value = http
                .get(url)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            Some(
                RsaPublicKey::from_jwk(&jwks["keys"][0])
                    .context("the issuer JWKS has no RSA key")?,
            )
        }
        None => None,
    };
    Ok(Some(AaSettings {
        fiu: FiuConfig {
            aa_base_url: base.clone(),
            aa_id,
            fiu_id,
            version,
            token_url: env("LEDGERLENS_AA_TOKEN_URL"),
            client_secret: env_secret("LEDGERLENS_AA_CLIENT_SECRET")?,
            static_token: env_secret("LEDGERLENS_AA_TOKEN")?,
            key_variant: match env("LEDGERLENS_AA_KEY_VARIANT").as_deref() {
                Some("x" | "X" | "x25519") => Variant::X,
                _ => Variant::W,
            },
        },
        signing_key_pkcs8,
        signing_kid: env("LEDGERLENS_AA_SIGNING_KID").unwrap_or_else(|| "fiu-1".into()),
        aa_key,
        issuer_key,
        webview_url: env("LEDGERLENS_AA_WEBVIEW_URL").unwrap_or_else(|| format!("{base}/webview")),
        handle_suffix: env("LEDGERLENS_AA_HANDLE_SUFFIX").unwrap_or_else(|| "aa-sim".into()),
        banks: env("LEDGERLENS_AA_BANKS").map(|b| {
            b.split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        }),
        redirect_secret: env_secret("LEDGERLENS_AA_REDIRECT_SECRET")?,
        data_life: match env("LEDGERLENS_AA_DATA_LIFE") {
            Some(spec) => parse_data_life(&spec).context("LEDGERLENS_AA_DATA_LIFE")?,
            None => UnitValue {
                unit: "MONTH".into(),
                value: 1,
            },
        },
    }))
}

/// `DAY:7`, `MONTH:1`, `YEAR:1` or `INF` (ReBIT `DataLife`; INF carries value 0).
pub fn parse_data_life(spec: &str) -> anyhow::Result<UnitValue> {
    let (unit, value) = spec.split_once(':').unwrap_or((spec, "0"));
    let unit = unit.trim().to_ascii_uppercase();
    anyhow::ensure!(
        ["DAY", "MONTH", "YEAR", "INF"].contains(&unit.as_str()),
        "DataLife unit {unit:?} is not DAY, MONTH, YEAR or INF"
    );
    let value: u32 = value
        .trim()
        .parse()
        .with_context(|| format!("DataLife {spec:?} is not UNIT:NUMBER"))?;
    let value = if unit == "INF" { 0 } else { value };
    Ok(UnitValue { unit, value })
}

/// When FI data fetched at `fetched` must be gone under `life`; None for INF (kept until the
/// lender deletes the session). A unit ReBIT does not define counts as days: deleting early is
/// the safe side of a consent.
pub fn data_life_expiry(life: &UnitValue, fetched: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let months = |n: u32| fetched.checked_add_months(chrono::Months::new(n));
    let expiry = match life.unit.to_ascii_uppercase().as_str() {
        "INF" => return None,
        "MONTH" => months(life.value),
        "YEAR" => months(life.value.saturating_mul(12)),
        _ => fetched.checked_add_signed(Duration::days(i64::from(life.value))),
    };
    // Beyond chrono's range: the furthest representable instant, still a deadline.
    Some(expiry.unwrap_or(DateTime::<Utc>::MAX_UTC))
}

/// Deletes the sessions whose FI data outlived its DataLife at `now` (the worker passes the
/// wall clock; tests pass a later one): the decrypted FI documents, the statements' parses,
/// identities and results, as the API's delete does, so the API answers SESSION_DELETED (410)
/// for them. The deadlines are in the database, so a restart misses none. Returns how many
/// sessions were deleted.
pub async fn sweep_expired_aa_data(
    state: &Processing,
    now: DateTime<Utc>,
) -> Result<usize, ledgerlens_store::StoreError> {
    let mut deleted = 0;
    loop {
        let expired = state
            .store
            .aa_data_expired(now.timestamp_millis(), 100)
            .await?;
        if expired.is_empty() {
            return Ok(deleted);
        }
        for (client_id, session_id) in expired {
            if state.store.delete_session(&client_id, &session_id).await? {
                tracing::info!(session = %session_id, "AA data deleted: the consent's DataLife expired");
                deleted += 1;
            }
        }
    }
}

fn pem_body(pem: &str) -> anyhow::Result<Vec<u8>> {
    use base64::Engine;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    Ok(base64::engine::general_purpose::STANDARD.decode(body.trim())?)
}

/// Installs the AA from the environment when configured (called once by `start`).
pub async fn install_from_env() -> anyhow::Result<()> {
    if runtime().is_some() {
        return Ok(());
    }
    if let Some(settings) = settings_from_env().await? {
        tracing::info!(aa = %settings.fiu.aa_id, fiu = %settings.fiu.fiu_id, "Account Aggregator enabled");
        install(AaRuntime::new(settings)?);
    }
    Ok(())
}

/// The session's statement window as the FI data range: `from_date` 00:00 IST to the end of
/// `to_date` (never in the future), `from` at most 14 months back (FinBox clamps silently).
pub fn data_range(session: &SessionRow, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let parse = |d: &Option<String>| d.as_deref().and_then(|s| s.parse::<NaiveDate>().ok());
    let today = now.date_naive();
    let to_day = parse(&session.to_date).unwrap_or(today);
    let to = ist_end_of_day(to_day).min(now);
    let earliest = today
        .checked_sub_months(chrono::Months::new(14))
        .unwrap_or(today);
    let from_day = parse(&session.from_date).unwrap_or(earliest).max(earliest);
    (ist_midnight(from_day), to)
}

/// Creates the consent for a session and returns the URL of the AA's approval page.
pub async fn start_consent(
    state: &Processing,
    rt: &AaRuntime,
    session: &SessionRow,
    mobile: &str,
    return_url: &str,
) -> Result<String, ClientError> {
    let now = Utc::now();
    let (from, to) = data_range(session, now);
    let mut request = ConsentRequest::one_time_statement(
        &format!("{mobile}@{}", rt.settings.handle_suffix),
        from,
        to,
        now,
    );
    if let Some(terms) = recurring_terms(session) {
        terms.make_periodic(&mut request, now);
    }
    request.mobile = Some(mobile.to_owned());
    request.data_life = rt.settings.data_life.clone();
    let handle = rt.client.create_consent(&request).await?;
    let webview = rt.settings.webview_url.trim_end_matches('/');
    let (url, redirect_txnid) = match &rt.settings.redirect_secret {
        Some(secret) => {
            // Sahamati web redirection: the request travels encrypted (digest §2.10).
            let txnid = uuid::Uuid::new_v4().to_string();
            let params = ledgerlens_aa::redirection::request_params(
                &rt.settings.fiu.fiu_id,
                secret,
                &ledgerlens_aa::redirection::RedirectRequest {
                    txnid: txnid.clone(),
                    sessionid: session.id.clone(),
                    userid: request.customer_id.clone(),
                    redirect: return_url.to_owned(),
                    srcref: handle.clone(),
                },
                now,
            );
            let mut url =
                url::Url::parse(webview).map_err(|e| ClientError::Malformed(e.to_string()))?;
            url.query_pairs_mut().extend_pairs(params);
            (url, Some(txnid))
        }
        None => {
            let mut url = url::Url::parse(&format!("{webview}/{handle}"))
                .map_err(|e| ClientError::Malformed(e.to_string()))?;
            url.query_pairs_mut().append_pair("redirect", return_url);
            (url, None)
        }
    };
    rt.sessions().insert(
        session.id.clone(),
        AaSession {
            session_id: session.id.clone(),
            client_id: session.client_id.clone(),
            handle: handle.clone(),
            consent_id: None,
            stage: AaStage::AwaitingConsent,
            fi: None,
            redirect_txnid,
        },
    );
    persist(state, rt, &session.id).await;
    Ok(url.to_string())
}

/// Runs the fetch once per session, in the background: consent status → artefact → FI
/// request → fetch (waiting out `DataFetchRequestInProgress`) → statements → processing.
pub fn spawn_fetch(state: Processing, session_id: String) {
    let Some(rt) = runtime() else { return };
    if !rt.claim_fetch(&session_id) {
        return;
    }
    let local = state.aa_fetches.clone();
    local.spawn(async move {
        let Some(lease) = claim(&state, rt, &session_id).await else {
            return;
        };
        let outcome = leased(&state, &lease, fetch(&state, rt, &session_id, &lease)).await;
        finish(&state, rt, &session_id, &lease, outcome).await;
    });
}

fn lease_ms(state: &Processing) -> i64 {
    i64::try_from(state.settings.job_lease.as_millis()).unwrap_or(i64::MAX)
}

/// Claims the session's fetch for this server and loads its row (handle, consent, FI session
/// and keys, as the last holder left them) into memory. None: another process holds it, it
/// has ended, or the session is deleted.
pub async fn claim(state: &Processing, rt: &AaRuntime, session_id: &str) -> Option<AaFetchLease> {
    let lease = match state
        .store
        .claim_aa_fetch(session_id, &state.aa_fetches.owner, lease_ms(state))
        .await
    {
        Ok(Some(lease)) => lease,
        Ok(None) => {
            tracing::debug!(session = %session_id, "AA fetch held elsewhere or ended");
            return None;
        }
        Err(e) => {
            tracing::warn!(session = %session_id, error = %e, "could not claim the AA fetch");
            return None;
        }
    };
    match state.store.aa_session(session_id).await {
        Ok(Some(row)) => load_row(state, rt, row),
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(session = %session_id, error = %e, "could not read the AA session")
        }
    }
    Some(lease)
}

/// Runs `fetch` while renewing its lease (three times a lease). None when the lease was lost
/// (another process took the fetch over, or the session was deleted): `fetch` is dropped where
/// it is, before it stores anything more.
pub async fn leased<F>(
    state: &Processing,
    lease: &AaFetchLease,
    fetch: F,
) -> Option<anyhow::Result<()>>
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    let lease_ms = lease_ms(state);
    let every = std::time::Duration::from_millis(u64::try_from(lease_ms / 3).unwrap_or(1).max(20));
    tokio::pin!(fetch);
    loop {
        tokio::select! {
            outcome = &mut fetch => return Some(outcome),
            _ = tokio::time::sleep(every) => match state.store.renew_aa_fetch(lease, lease_ms).await {
                Ok(()) => {}
                Err(StoreError::LeaseLost) => return None,
                // A database hiccup: the fetch goes on; its writes still need the lease.
                Err(e) => tracing::warn!(session = %lease.session_id, error = %e, "could not renew the AA fetch's lease"),
            },
        }
    }
}

/// Records how a fetch ended (the FI keys and the lease are dropped with it). A fetch that lost
/// its lease records nothing: the row is its new holder's (or its session is deleted).
pub async fn finish(
    state: &Processing,
    rt: &AaRuntime,
    session_id: &str,
    lease: &AaFetchLease,
    outcome: Option<anyhow::Result<()>>,
) {
    let lost = |why: &str| {
        tracing::info!(session = %session_id, why, "AA fetch stopped: its lease was lost (taken over or session deleted)");
    };
    let stage = match &outcome {
        None => return lost("lease not renewed"),
        Some(Ok(())) => AaStage::Done,
        Some(Err(e)) if is_lease_lost(e) => return lost("write refused"),
        Some(Err(e)) => {
            tracing::warn!(session = %session_id, error = %e, "AA fetch failed");
            AaStage::Failed(e.to_string())
        }
    };
    rt.update(session_id, |s| s.stage = stage);
    if let Err(e) = persist_leased(state, rt, session_id, lease).await {
        if !is_lease_lost(&e) {
            tracing::warn!(session = %session_id, error = %e, "could not record the AA fetch's end");
        }
    }
}

/// Whether an error means the fetch is not ours any more: its lease is gone or its session was
/// deleted under it.
fn is_lease_lost(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<StoreError>(),
        Some(StoreError::LeaseLost | StoreError::SessionDeleted)
    )
}

impl AaStage {
    fn as_str(&self) -> &'static str {
        match self {
            AaStage::AwaitingConsent => "awaiting_consent",
            AaStage::Rejected => "rejected",
            AaStage::Fetching => "fetching",
            AaStage::Done => "done",
            AaStage::Failed(_) => "failed",
        }
    }

    fn from_row(stage: &str, failure: Option<String>) -> AaStage {
        match stage {
            "awaiting_consent" => AaStage::AwaitingConsent,
            "rejected" => AaStage::Rejected,
            "fetching" => AaStage::Fetching,
            "done" => AaStage::Done,
            _ => AaStage::Failed(failure.unwrap_or_default()),
        }
    }
}

/// An FI request's key material as one string: variant, scalar and nonce, base64.
fn keys_to_text(keys: &FiKeys) -> String {
    use base64::Engine;
    let mut bytes = vec![match keys.private.variant() {
        Variant::W => b'W',
        Variant::X => b'X',
    }];
    bytes.extend_from_slice(&keys.private.to_bytes());
    bytes.extend_from_slice(&keys.nonce);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn keys_from_text(text: &str) -> anyhow::Result<FiKeys> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(text)?;
    anyhow::ensure!(
        bytes.len() == 1 + 32 + 32,
        "stored FI keys have the wrong length"
    );
    let private = match bytes[0] {
        b'W' => PrivateKey::w_from_be_bytes(&bytes[1..33])?,
        b'X' => PrivateKey::x_from_bytes(&bytes[1..33])?,
        other => anyhow::bail!("stored FI keys of unknown variant {other}"),
    };
    let mut nonce = [0u8; 32];
    nonce.copy_from_slice(&bytes[33..]);
    Ok(FiKeys {
        public: private.public_key()?,
        private,
        nonce,
    })
}

/// Writes the session's AA state through to the database while no fetch holds it (consent
/// created, declined, a pull recorded). A failure is logged, not fatal: the journey goes on,
/// only a restart would lose it.
pub async fn persist(state: &Processing, rt: &AaRuntime, session_id: &str) {
    let Some(row) = row_of(state, rt, session_id) else {
        return;
    };
    if let Err(e) = state.store.put_aa_session(&row).await {
        tracing::warn!(session = %session_id, error = %e, "could not record the AA session");
    }
}

/// The lease holder's write; an error ([`StoreError::LeaseLost`]) when the lease is gone, which
/// stops the fetch.
pub async fn persist_leased(
    state: &Processing,
    rt: &AaRuntime,
    session_id: &str,
    lease: &AaFetchLease,
) -> anyhow::Result<()> {
    let Some(row) = row_of(state, rt, session_id) else {
        return Ok(());
    };
    state.store.update_aa_session_leased(&row, lease).await?;
    Ok(())
}

fn row_of(state: &Processing, rt: &AaRuntime, session_id: &str) -> Option<AaSessionRow> {
    let s = rt.session(session_id)?;
    let in_flight = matches!(s.stage, AaStage::AwaitingConsent | AaStage::Fetching);
    let fi_keys = match (&s.fi, in_flight) {
        (Some(fi), true) => match state.secrets.seal(&keys_to_text(&fi.keys)) {
            Ok(sealed) => Some(sealed),
            Err(e) => {
                tracing::warn!(session = %session_id, error = %e, "could not seal FI keys");
                None
            }
        },
        _ => None,
    };
    Some(AaSessionRow {
        session_id: s.session_id.clone(),
        client_id: s.client_id.clone(),
        handle: s.handle.clone(),
        consent_id: s.consent_id.clone(),
        stage: s.stage.as_str().to_owned(),
        failure: match &s.stage {
            AaStage::Failed(why) => Some(why.clone()),
            _ => None,
        },
        redirect_txnid: s.redirect_txnid.clone(),
        fi_session_id: s.fi.as_ref().map(|f| f.session_id.clone()),
        fi_keys,
        lease_owner: None,
    })
}

/// A decline (the return page or a REJECTED notification), recorded.
pub async fn reject(state: &Processing, rt: &AaRuntime, session_id: &str) {
    rt.mark_rejected(session_id);
    persist(state, rt, session_id).await;
}

/// A week: consents and FI sessions older than that have expired at any AA.
fn in_flight_since() -> i64 {
    ledgerlens_store::now_ms().saturating_sub(7 * 86_400_000)
}

/// A row of `aa_sessions` into this process's memory (replacing what it held), its FI keys
/// opened. An interrupted fetch without its FI request starts again from the consent.
fn load_row(state: &Processing, rt: &AaRuntime, row: AaSessionRow) {
    let fi = match (&row.fi_session_id, &row.fi_keys) {
        (Some(id), Some(sealed)) => match state
            .secrets
            .open(sealed)
            .map_err(anyhow::Error::msg)
            .and_then(|t| keys_from_text(&t))
        {
            Ok(keys) => Some(FiSession {
                session_id: id.clone(),
                keys,
            }),
            Err(e) => {
                tracing::warn!(session = %row.session_id, error = %e, "stored FI keys unusable");
                None
            }
        },
        _ => None,
    };
    let stage = AaStage::from_row(&row.stage, row.failure.clone());
    rt.sessions().insert(
        row.session_id.clone(),
        AaSession {
            session_id: row.session_id,
            client_id: row.client_id,
            handle: row.handle,
            consent_id: row.consent_id,
            stage,
            fi,
            redirect_txnid: row.redirect_txnid,
        },
    );
}

/// The session's AA state, from memory or else from the database (its journey began on another
/// process sharing the database, or before a restart).
pub async fn session_state(
    state: &Processing,
    rt: &AaRuntime,
    session_id: &str,
) -> Option<AaSession> {
    if let Some(s) = rt.session(session_id) {
        return Some(s);
    }
    let found = state.store.aa_session(session_id).await;
    if !load_found(state, rt, found) {
        return None;
    }
    rt.session(session_id)
}

/// Loads a session row read from the database into memory; false when there was none or it
/// could not be read (logged without the session's data).
fn load_found(
    state: &Processing,
    rt: &AaRuntime,
    found: Result<Option<AaSessionRow>, StoreError>,
) -> bool {
    match found {
        Ok(Some(row)) => {
            load_row(state, rt, row);
            true
        }
        Ok(None) => false,
        Err(e) => {
            tracing::warn!(error = %e, "could not read an AA session");
            false
        }
    }
}

/// [`session_state`] by consent handle (a consent notification).
pub async fn session_state_by_handle(
    state: &Processing,
    rt: &AaRuntime,
    handle: &str,
) -> Option<AaSession> {
    if let Some(s) = rt.session_by_handle(handle) {
        return Some(s);
    }
    let found = state.store.aa_session_by_handle(handle).await;
    if !load_found(state, rt, found) {
        return None;
    }
    rt.session_by_handle(handle)
}

/// At start: the AA sessions the database says are in flight are loaded into memory, so a
/// borrower's return or the AA's notification finds them; fetches nobody holds a live lease
/// on are taken over ([`take_over_unowned`]). A fetch another process is running stays its own.
pub async fn resume_in_flight(state: &Processing) {
    let Some(rt) = runtime() else { return };
    let rows = match state
        .store
        .aa_sessions_in(&["awaiting_consent", "fetching"], in_flight_since())
        .await
    {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the AA sessions in flight");
            return;
        }
    };
    let in_flight = rows.len();
    for row in rows {
        load_row(state, rt, row);
    }
    let resumed = take_over_unowned(state).await;
    tracing::info!(in_flight, resumed, "AA sessions reloaded");
}

/// Claims the fetches whose lease is missing or expired (their process stopped or died) and
/// runs them here: with the stored FI session and keys when the FI request was made, from the
/// consent otherwise. Returns how many were claimed.
pub async fn take_over_unowned(state: &Processing) -> usize {
    let Some(rt) = runtime() else { return 0 };
    let candidates = match state.store.aa_fetches_unowned(in_flight_since(), 20).await {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(error = %e, "could not look for AA fetches to take over");
            return 0;
        }
    };
    let mut claimed = 0;
    for session_id in candidates {
        let Some(lease) = claim(state, rt, &session_id).await else {
            continue;
        };
        claimed += 1;
        tracing::info!(session = %session_id, "AA fetch taken over");
        let state = state.clone();
        let local = state.aa_fetches.clone();
        local.spawn(async move {
            let ready = rt
                .session(&session_id)
                .is_some_and(|s| s.fi.is_some() && s.consent_id.is_some());
            let outcome = if ready {
                leased(
                    &state,
                    &lease,
                    resume_fetch(&state, rt, &session_id, &lease),
                )
                .await
            } else {
                leased(&state, &lease, fetch(&state, rt, &session_id, &lease)).await
            };
            finish(&state, rt, &session_id, &lease, outcome).await;
        });
    }
    claimed
}

/// Every half lease (at least every 100 ms), until shutdown: fetches whose process died are
/// taken over soon after their lease expires.
pub async fn takeover_loop(state: Processing, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let every = (state.settings.job_lease / 2).max(std::time::Duration::from_millis(100));
    while !*shutdown.borrow() {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        take_over_unowned(&state).await;
    }
}

/// An FI fetch whose request was made before its process stopped: the same FI session and keys.
async fn resume_fetch(
    state: &Processing,
    rt: &AaRuntime,
    session_id: &str,
    lease: &AaFetchLease,
) -> anyhow::Result<()> {
    let aa = rt
        .session(session_id)
        .context("no AA state for the session")?;
    let (Some(consent_id), Some(fi)) = (aa.consent_id, aa.fi) else {
        anyhow::bail!("the interrupted fetch has no consent or FI session");
    };
    let session = state
        .store
        .session_by_id(session_id)
        .await?
        .context("the session is gone")?;
    let artefact = rt.client.fetch_artefact(&consent_id).await?;
    fetch_and_process(state, rt, &session, &artefact, &fi, lease).await
}

async fn fetch(
    state: &Processing,
    rt: &AaRuntime,
    session_id: &str,
    lease: &AaFetchLease,
) -> anyhow::Result<()> {
    let aa = rt
        .session(session_id)
        .context("no AA state for the session")?;
    let session = state
        .store
        .session_by_id(session_id)
        .await?
        .context("the session is gone")?;
    let consent_id = wait_for_approval(rt, &aa.handle).await?;
    rt.update(session_id, |s| s.consent_id = Some(consent_id.clone()));
    persist_leased(state, rt, session_id, lease).await?;
    let artefact = rt.client.fetch_artefact(&consent_id).await?;
    if artefact.status.as_deref().is_some_and(|s| s != "ACTIVE") {
        record_no_data(
            state,
            &session,
            &format!("consent is {:?}", artefact.status),
        )
        .await?;
        return request_processing(state, &session).await;
    }
    let (from, to) = data_range(&session, Utc::now());
    let from = from.max(artefact.detail.fi_data_from);
    let to = to.min(artefact.detail.fi_data_to);
    if let Some(terms) = recurring_terms(&session) {
        keep_recurring_consent(state, &session, &artefact, &terms).await?;
    }
    let fi = rt.client.request_fi(&artefact, from, to).await?;
    rt.update(session_id, |s| s.fi = Some(fi.clone()));
    persist_leased(state, rt, session_id, lease).await?;
    fetch_and_process(state, rt, &session, &artefact, &fi, lease).await
}

/// FI fetch → statements (or NO_TRANSACTIONS_FROM_AA) → the session's processing job. The
/// data's deletion deadline (the artefact's DataLife from now) is recorded before anything is
/// stored, so no crash can leave FI data without one. The lease is renewed (checked) before
/// anything is stored: a fetch another process took over meanwhile stores nothing.
pub async fn fetch_and_process(
    state: &Processing,
    rt: &AaRuntime,
    session: &SessionRow,
    artefact: &ConsentArtefact,
    fi: &FiSession,
    lease: &AaFetchLease,
) -> anyhow::Result<()> {
    let fetched = fetch_when_ready(rt, fi).await;
    state.store.renew_aa_fetch(lease, lease_ms(state)).await?;
    match fetched {
        Ok(accounts) => {
            let life = artefact
                .detail
                .data_life
                .clone()
                .unwrap_or_else(|| rt.settings.data_life.clone());
            let fetched = Utc::now();
            if let Some(expires) = data_life_expiry(&life, fetched) {
                state
                    .store
                    .insert_aa_data_life(&AaDataLife {
                        session_id: session.id.clone(),
                        client_id: session.client_id.clone(),
                        consent_id: artefact.consent_id.clone(),
                        unit: life.unit.clone(),
                        value: i64::from(life.value),
                        fetched_at: fetched.timestamp_millis(),
                        expires_at: expires.timestamp_millis(),
                    })
                    .await?;
            }
            ingest(state, session, &accounts).await?
        }
        Err(e) => record_no_data(state, session, &e.to_string()).await?,
    }
    request_processing(state, session).await
}

/// The recurring terms a session asked for (`aa_journey_mode` with a frequency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringTerms {
    pub tenure_months: i64,
    pub unit: String,
    pub value: i64,
}

pub fn recurring_terms(session: &SessionRow) -> Option<RecurringTerms> {
    let params: serde_json::Value = serde_json::from_str(&session.params).ok()?;
    params["aa_journey_mode"].as_str()?;
    Some(RecurringTerms {
        tenure_months: params["aa_recurring_tenure_month"].as_i64().unwrap_or(12),
        unit: params["aa_recurring_frequency_unit"].as_str()?.to_owned(),
        value: params["aa_recurring_frequency_value"].as_i64()?,
    })
}

impl RecurringTerms {
    /// The consent's `Frequency`. ReBIT has no WEEK unit: weekly uses are granted per month
    /// (four weeks fit in every month), so a lender never gets fewer pulls than asked.
    pub fn aa_frequency(&self) -> UnitValue {
        let value = |v: i64| u32::try_from(v).unwrap_or(1).max(1);
        match self.unit.as_str() {
            "week" => UnitValue {
                unit: "MONTH".into(),
                value: value(self.value.saturating_mul(4)),
            },
            unit => UnitValue {
                unit: unit.to_ascii_uppercase(),
                value: value(self.value),
            },
        }
    }

    /// PERIODIC monitoring consent (purpose 104) for the tenure; its FI range runs to the
    /// consent's expiry so later pulls can ask for data that does not exist yet.
    fn make_periodic(&self, request: &mut ConsentRequest, now: DateTime<Utc>) {
        let months = u32::try_from(self.tenure_months.clamp(1, 84)).unwrap_or(12);
        let expiry = now
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(now + Duration::days(365));
        request.purpose_code = "104".into();
        request.purpose_text = "Account monitoring".into();
        request.fetch_type = FetchType::Periodic;
        request.consent_expiry = expiry;
        request.fi_to = expiry;
        request.frequency = self.aa_frequency();
    }
}

/// The calendar unit a use falls in, as the AA counts Frequency (calendar units in UTC, not
/// rolling windows: digest §3.5).
pub fn frequency_period(unit: &str, at: DateTime<Utc>) -> String {
    let format = match unit.to_ascii_uppercase().as_str() {
        "HOUR" => "%Y-%m-%dT%H",
        "DAY" => "%Y-%m-%d",
        "MONTH" => "%Y-%m",
        "YEAR" => "%Y",
        _ => return "all".into(),
    };
    at.format(format).to_string()
}

/// Records the recurring consent for later pulls and counts this first FI request as a use.
async fn keep_recurring_consent(
    state: &Processing,
    session: &SessionRow,
    artefact: &ConsentArtefact,
    terms: &RecurringTerms,
) -> anyhow::Result<()> {
    let signed = artefact
        .detail
        .frequency
        .clone()
        .unwrap_or_else(|| terms.aa_frequency());
    let consent = AaConsent {
        consent_id: artefact.consent_id.clone(),
        client_id: session.client_id.clone(),
        session_id: session.id.clone(),
        bank_name: session.bank_name.clone(),
        masked_account_number: artefact
            .detail
            .accounts
            .iter()
            .find_map(|a| a.masked_acc_number.clone()),
        tenure_month_count: Some(terms.tenure_months),
        frequency_unit: terms.unit.clone(),
        frequency_value: terms.value,
        aa_frequency_unit: signed.unit.clone(),
        aa_frequency_value: i64::from(signed.value),
        fi_data_from: artefact.detail.fi_data_from.timestamp_millis(),
        fi_data_to: artefact.detail.fi_data_to.timestamp_millis(),
        consent_expiry: artefact.detail.consent_expiry.timestamp_millis(),
    };
    state.store.insert_aa_consent(&consent).await?;
    let period = frequency_period(&consent.aa_frequency_unit, Utc::now());
    state
        .store
        .claim_aa_consent_use(&consent.consent_id, &period)
        .await?;
    Ok(())
}

async fn wait_for_approval(rt: &AaRuntime, handle: &str) -> anyhow::Result<String> {
    for _ in 0..120 {
        match rt.client.consent_status(handle).await? {
            HandleStatus::Approved(id) => return Ok(id),
            HandleStatus::Pending => {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await
            }
            other => anyhow::bail!("consent ended {other:?}"),
        }
    }
    anyhow::bail!("consent still pending after a minute")
}

async fn fetch_when_ready(
    rt: &AaRuntime,
    fi: &FiSession,
) -> Result<Vec<OpenedAccount>, ClientError> {
    let mut waited = 0;
    loop {
        match rt.client.fetch_fi(fi).await {
            Err(e) if e.aa_code() == Some("DataFetchRequestInProgress") && waited < 120 => {
                waited += 1;
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            other => return other,
        }
    }
}

async fn request_processing(state: &Processing, session: &SessionRow) -> anyhow::Result<()> {
    let job = NewJob::now(
        JobKind::FinalizeSession,
        &session.id,
        state.settings.job_max_attempts,
    );
    state
        .store
        .request_processing(&session.client_id, &session.id, job)
        .await?;
    Ok(())
}

/// A failed statement with NO_TRANSACTIONS_FROM_AA: the session reports why there is no data.
async fn record_no_data(
    state: &Processing,
    session: &SessionRow,
    reason: &str,
) -> anyhow::Result<()> {
    tracing::debug!(session = %session.id, reason, "no FI data");
    let id = new_id();
    let statement = failed_statement(
        session,
        &id,
        &sha256_hex(format!("aa-none:{}:{id}", session.id).as_bytes()),
    );
    state.store.insert_statement(&statement, None).await?;
    Ok(())
}

fn failed_statement(session: &SessionRow, id: &str, content_sha256: &str) -> NewStatement {
    NewStatement {
        id: id.to_owned(),
        client_id: session.client_id.clone(),
        session_id: session.id.clone(),
        content_sha256: content_sha256.to_owned(),
        accepted: false,
        object_key: None,
        file_name: None,
        bank_name: session.bank_name.clone(),
        pdf_password: None,
        source: "aa".to_owned(),
        account_id: None,
        account_number: None,
        identity: None,
        page_count: None,
        from_date: None,
        to_date: None,
        error_code: Some(NO_TRANSACTIONS_FROM_AA.to_owned()),
        error_message: Some(NO_TRANSACTIONS_MESSAGE.to_owned()),
        parse: None,
    }
}

/// Every delivered account becomes a statement with `source` "aa", queued for the same
/// processing job as an uploaded PDF (its parse is stored, so the job never reads the file).
async fn ingest(
    state: &Processing,
    session: &SessionRow,
    accounts: &[OpenedAccount],
) -> anyhow::Result<()> {
    let mut delivered = 0;
    for account in accounts {
        let document = match &account.result {
            Ok(d) if !d.account.has_no_transactions() => d,
            Ok(_) => {
                record_no_data(state, session, "the FIP sent no transactions").await?;
                continue;
            }
            Err(e) => {
                record_no_data(state, session, &e.to_string()).await?;
                continue;
            }
        };
        let parsed = ledgerlens_aa::convert::to_parsed_statement(&document.account);
        let id = new_id();
        let bank = parsed
            .bank
            .as_ref()
            .map(|b| b.bank.id.to_ascii_lowercase())
            .or_else(|| session.bank_name.clone())
            .unwrap_or_default();
        let account_id = crate::intake::account_id_for(
            session,
            &bank,
            parsed.identity.account_number.as_deref(),
            &id,
        );
        let view = crate::intake::accepted_view(&parsed, &id, &account_id, &bank);
        let object_key = format!("{}/{}/{id}.xml", session.client_id, session.id);
        state
            .store
            .objects()
            .put(&object_key, bytes::Bytes::from(document.plaintext.clone()))
            .await?;
        let statement = NewStatement {
            accepted: true,
            object_key: Some(object_key),
            file_name: Some(format!(
                "aa_{}.xml",
                account.link_ref_number.as_deref().unwrap_or("account")
            )),
            bank_name: Some(bank),
            account_id: Some(account_id),
            account_number: parsed.identity.account_number.clone(),
            identity: Some(view.identity.to_string()),
            page_count: Some(0),
            from_date: view.from_date.map(|d| d.to_string()),
            to_date: view.to_date.map(|d| d.to_string()),
            error_code: None,
            error_message: None,
            parse: Some(crate::stored_parse::encode(&parsed)?),
            ..failed_statement(session, &id, &sha256_hex(&document.plaintext))
        };
        let job = NewJob::now(
            JobKind::ProcessStatement,
            &id,
            state.settings.job_max_attempts,
        );
        match state.store.insert_statement(&statement, Some(&job)).await {
            Ok(()) => delivered += 1,
            Err(e) => {
                // Refused (the session was deleted meanwhile, or the document is already
                // stored): the FI document just written must not outlive the refusal.
                if let Some(key) = &statement.object_key {
                    if let Err(e) = state.store.objects().delete(key).await {
                        tracing::warn!(error = %e, "could not delete a refused FI document");
                    }
                }
                if !matches!(e, StoreError::Duplicate) {
                    return Err(e.into());
                }
            }
        }
    }
    tracing::info!(session = %session.id, delivered, "AA statements queued");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn session(from: Option<&str>, to: Option<&str>) -> SessionRow {
        SessionRow {
            id: "s".into(),
            client_id: "c".into(),
            kind: "session".into(),
            link_id: None,
            from_date: from.map(str::to_owned),
            to_date: to.map(str::to_owned),
            bank_name: None,
            is_single_account: false,
            params: "{}".into(),
            expires_at: None,
            processing_requested_at: None,
            processing_completed_at: None,
            deleted_at: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn frequency_counts_calendar_units_and_weeks_become_months() {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 17, 30, 0).unwrap();
        assert_eq!(frequency_period("DAY", at), "2026-12-05");
        assert_eq!(frequency_period("hour", at), "2026-12-05T17");
        assert_eq!(frequency_period("MONTH", at), "2026-12");
        assert_eq!(frequency_period("YEAR", at), "2026");
        assert_eq!(frequency_period("INF", at), "all");
        let terms = |unit: &str, value| RecurringTerms {
            tenure_months: 12,
            unit: unit.into(),
            value,
        };
        assert_eq!(
            terms("week", 2).aa_frequency(),
            UnitValue {
                unit: "MONTH".into(),
                value: 8
            }
        );
        assert_eq!(
            terms("day", 3).aa_frequency(),
            UnitValue {
                unit: "DAY".into(),
                value: 3
            }
        );
    }

    #[test]
    fn stored_fi_keys_give_back_the_same_key_pair_and_nonce() {
        let rng = ring::rand::SystemRandom::new();
        for variant in [Variant::W, Variant::X] {
            let keys = FiKeys::generate(variant, &rng).unwrap();
            let back = keys_from_text(&keys_to_text(&keys)).unwrap();
            assert_eq!(back.private, keys.private);
            assert_eq!(back.public.to_key_value(), keys.public.to_key_value());
            assert_eq!(back.nonce, keys.nonce);
        }
        assert!(keys_from_text("V0FB").is_err());
    }

    #[test]
    fn data_life_counts_from_the_fetch_and_inf_never_expires() {
        let fetched = Utc.with_ymd_and_hms(2026, 1, 31, 12, 0, 0).unwrap();
        let life = |spec: &str| parse_data_life(spec).unwrap();
        assert_eq!(
            data_life_expiry(&life("DAY:7"), fetched),
            Some(Utc.with_ymd_and_hms(2026, 2, 7, 12, 0, 0).unwrap())
        );
        // Calendar months, clamped to the month's last day.
        assert_eq!(
            data_life_expiry(&life("month:1"), fetched),
            Some(Utc.with_ymd_and_hms(2026, 2, 28, 12, 0, 0).unwrap())
        );
        assert_eq!(
            data_life_expiry(&life("YEAR:2"), fetched),
            Some(Utc.with_ymd_and_hms(2028, 1, 31, 12, 0, 0).unwrap())
        );
        assert_eq!(data_life_expiry(&life("DAY:0"), fetched), Some(fetched));
        assert_eq!(life("INF").value, 0);
        assert_eq!(data_life_expiry(&life("INF"), fetched), None);
        assert!(parse_data_life("WEEK:1").is_err());
        assert!(parse_data_life("DAY:x").is_err());
    }

    #[test]
    fn data_range_is_ist_days_clamped_to_14_months_and_now() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 10, 0, 0).unwrap();
        let (from, to) = data_range(&session(Some("2026-06-01"), Some("2026-11-30")), now);
        assert_eq!(from, Utc.with_ymd_and_hms(2026, 5, 31, 18, 30, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2026, 11, 30, 18, 29, 59).unwrap());
        let (from, to) = data_range(&session(Some("2020-01-01"), Some("2026-12-05")), now);
        assert_eq!(from, Utc.with_ymd_and_hms(2025, 10, 4, 18, 30, 0).unwrap());
        assert_eq!(to, now);
    }
}
