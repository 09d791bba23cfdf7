//! Background work: the processing job loop and the webhook delivery loop. Both run inside
//! `serve` and in `ledgerlens worker` processes against the same database.

use crate::accounts::{build_accounts, compute_document, set_document, AccountView};
use crate::Processing;
use ledgerlens_contract::engine::insights_json;
use ledgerlens_contract::errors::statement_error_code;
use ledgerlens_contract::webhooks::EntityStatementNotification;
use ledgerlens_statement::{ParsedStatement, StatementError};
use ledgerlens_store::jobs::{JobKind, JobLease};
use ledgerlens_store::statements::{
    AccountResult, StatementResult, StatementRow, STATUS_PROCESSING,
};
use ledgerlens_store::webhooks::NewWebhook;
use ledgerlens_store::StoreError;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Why a job attempt did not finish.
#[derive(Debug, thiserror::Error)]
enum JobError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Transient(String),
    /// Put back without spending an attempt (its inputs are not ready); not a failure.
    #[error("deferred")]
    Deferred,
}

/// Spawns `processing_workers` job loops and one webhook loop; they stop when `shutdown` flips.
pub fn spawn_workers(
    state: &Processing,
    processing_workers: usize,
    shutdown: watch::Receiver<bool>,
) -> JoinSet<()> {
    let mut set = JoinSet::new();
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "local".to_owned());
    for n in 0..processing_workers {
        let worker_name = format!(
            "{host}:{}:{n}:{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        );
        set.spawn(job_loop(state.clone(), worker_name, shutdown.clone()));
    }
    set.spawn(orphan_sweep_loop(state.clone(), shutdown.clone()));
    if let Some(retention) = state.settings.retention {
        set.spawn(retention_loop(state.clone(), retention, shutdown.clone()));
    }
    set.spawn(aa_data_life_loop(state.clone(), shutdown.clone()));
    set.spawn(expiry_loop(state.clone(), shutdown.clone()));
    set.spawn(webhook_loop(state.clone(), shutdown));
    set
}

/// Announces sessions that expired before processing was requested (SESSION_EXPIRY_NOTIFICATION
/// of upload-status.md), checking every 25 polling intervals (5 s by default).
async fn expiry_loop(state: Processing, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        if let Err(e) = announce_expired_sessions(&state).await {
            tracing::warn!(error = %e, "could not announce expired sessions");
        }
        tokio::select! {
            _ = tokio::time::sleep(state.settings.poll_interval * 25) => {}
            _ = shutdown.changed() => {}
        }
    }
}

async fn announce_expired_sessions(state: &Processing) -> Result<(), StoreError> {
    for session in state.store.expired_sessions_to_announce(50).await? {
        let Some(client) = state.store.client_by_id(&session.client_id).await? else {
            continue;
        };
        let Some(url) = client.webhook_url.clone() else {
            continue;
        };
        let statements = state.store.statements(&session.id).await?;
        let results = state.store.statement_results(&session.id).await?;
        let accounts = build_accounts(&session, &statements, &results);
        let mut payload = crate::notifications::upload_completion_payload(&session, &accounts);
        // The same body as the completion notification (the docs give one sample for both
        // events); the message is not documented for expiry.
        "SESSION_EXPIRY_NOTIFICATION".clone_into(&mut payload.event_name);
        "Session Expired".clone_into(&mut payload.message);
        state
            .store
            .enqueue_webhook(&NewWebhook {
                client_id: client.id.clone(),
                session_id: Some(session.id.clone()),
                event_name: "SESSION_EXPIRY_NOTIFICATION".to_owned(),
                unique_key: format!("SESSION_EXPIRY_NOTIFICATION:{}", session.id),
                url,
                secret: client.webhook_secret.clone(),
                payload: payload_text(&payload),
                max_attempts: state.settings.webhook_max_attempts,
            })
            .await?;
    }
    Ok(())
}

/// Removes stored files no statement names (see `Store::sweep_orphan_files`), at start and then
/// every `orphan_sweep_interval`.
async fn orphan_sweep_loop(state: Processing, mut shutdown: watch::Receiver<bool>) {
    let min_age = millis(state.settings.orphan_min_age);
    while !*shutdown.borrow() {
        match state.store.sweep_orphan_files(min_age).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "orphaned files deleted"),
            Err(e) => tracing::warn!(error = %e, "orphaned file sweep failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(state.settings.orphan_sweep_interval) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Deletes sessions older than `retention` (files, parses, results, notifications), as the
/// API's delete does: BankConnect keeps statements 30 days. Every process runs it; deleting an
/// already deleted session is a no-op.
async fn retention_loop(
    state: Processing,
    retention: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let period = state.settings.retention_check_interval;
    while !*shutdown.borrow() {
        let cutoff = ledgerlens_store::now_ms().saturating_sub(millis(retention));
        match state.store.sessions_created_before(cutoff, 100).await {
            Ok(expired) => {
                for (client_id, session_id) in expired {
                    match state.store.delete_session(&client_id, &session_id).await {
                        Ok(_) => {
                            tracing::info!(session = %session_id, "session deleted after the retention period")
                        }
                        Err(e) => {
                            tracing::warn!(session = %session_id, error = %e, "could not delete an expired session")
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not list expired sessions"),
        }
        tokio::select! {
            _ = tokio::time::sleep(period) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Deletes Account Aggregator sessions whose consent's DataLife has run out
/// (`aa_flow::sweep_expired_aa_data`), at start and then every `retention_check_interval`.
/// Runs whether or not this process has AA settings: data fetched earlier still expires.
async fn aa_data_life_loop(state: Processing, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        match crate::aa_flow::sweep_expired_aa_data(&state, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "AA data past its DataLife deleted"),
            Err(e) => tracing::warn!(error = %e, "AA DataLife sweep failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(state.settings.retention_check_interval) => {}
            _ = shutdown.changed() => {}
        }
    }
}

async fn idle(state: &Processing, shutdown: &mut watch::Receiver<bool>) {
    tokio::select! {
        _ = tokio::time::sleep(state.settings.poll_interval) => {}
        _ = shutdown.changed() => {}
    }
}

async fn job_loop(state: Processing, worker: String, mut shutdown: watch::Receiver<bool>) {
    let lease_ms = millis(state.settings.job_lease);
    while !*shutdown.borrow() {
        match state.store.claim_job(&worker, lease_ms).await {
            Ok(Some(lease)) => run_job(&state, lease).await,
            Ok(None) => idle(&state, &mut shutdown).await,
            Err(e) => {
                tracing::warn!(error = %e, "could not claim a job");
                idle(&state, &mut shutdown).await;
            }
        }
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Runs one claimed job inside a `job` span, so every line it logs names the job and its subject
/// (the statement or session id that the accepting request logged with its `request_id`).
async fn run_job(state: &Processing, lease: JobLease) {
    use tracing::Instrument;
    let span = tracing::info_span!("job", job = %lease.job_id, kind = lease.kind.as_str(), subject = %lease.subject_id);
    run_job_in_span(state, lease).instrument(span).await
}

async fn run_job_in_span(state: &Processing, lease: JobLease) {
    let started = Instant::now();
    let mut heartbeat = spawn_heartbeat(state, &lease);
    let work = async {
        match lease.kind {
            JobKind::ProcessStatement => process_statement(state, &lease).await,
            JobKind::FinalizeSession => finalize_session(state, &lease).await,
        }
    };
    // The heartbeat ends only when another worker has taken the job over: this attempt stops
    // there, as its writes could not commit anyway (the completion checks the lease token).
    let outcome = tokio::select! {
        outcome = work => outcome,
        _ = &mut heartbeat => Err(JobError::Store(StoreError::LeaseLost)),
    };
    heartbeat.abort();
    let elapsed_ms = started.elapsed().as_millis();
    let recorded = match outcome {
        Ok(()) => {
            tracing::info!(job = %lease.job_id, kind = lease.kind.as_str(), attempt = lease.attempts, elapsed_ms, "job done");
            "done"
        }
        Err(JobError::Store(StoreError::LeaseLost)) => {
            tracing::warn!(job = %lease.job_id, "lost the job lease; another worker owns the job now");
            "lease_lost"
        }
        Err(JobError::Deferred) => "deferred",
        Err(e) => {
            let backoff = retry_delay(state.settings.job_retry_base, lease.attempts);
            record_failure(state, &lease, &e.to_string(), backoff).await
        }
    };
    state
        .observer
        .record_job(lease.kind.as_str(), recorded, started.elapsed());
}

/// Records a failed attempt. When the store cannot take even that (a full disk), it is tried
/// again every second while the lease lasts: otherwise the job would sit claimed until its lease
/// expires, long after the store has recovered.
/// Returns the outcome for the metrics: `failed` (retried later), `dead` or `lease_lost`.
async fn record_failure(
    state: &Processing,
    lease: &JobLease,
    error: &str,
    backoff: i64,
) -> &'static str {
    let until = Instant::now() + state.settings.job_lease;
    loop {
        match state.store.fail_job(lease, error, backoff).await {
            Ok(dead) => {
                tracing::warn!(job = %lease.job_id, error, dead, retry_in_ms = backoff, "job failed");
                return if dead { "dead" } else { "failed" };
            }
            Err(StoreError::LeaseLost) => {
                tracing::warn!(job = %lease.job_id, "lost the job lease while recording a failure");
                return "lease_lost";
            }
            Err(e) if Instant::now() + Duration::from_secs(1) < until => {
                tracing::warn!(job = %lease.job_id, error = %e, "could not record a job failure; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => {
                tracing::warn!(job = %lease.job_id, error = %e, "could not record a job failure; the lease will expire");
                return "failed";
            }
        }
    }
}

/// Exponential backoff: base, 2×base, 4×base… capped at ten minutes.
pub fn retry_delay(base: Duration, attempt: i64) -> i64 {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    millis(base).saturating_mul(1_i64 << exponent).min(600_000)
}

/// Renews the lease five times per lease period, so four beats in a row may fail (a busy
/// database, a starved runtime) before another worker can take the job over; a short lease then
/// means a quick recovery from a crash without a second worker running a live job.
fn spawn_heartbeat(state: &Processing, lease: &JobLease) -> tokio::task::JoinHandle<()> {
    let (store, lease, period) = (
        state.store.clone(),
        lease.clone(),
        state.settings.job_lease / 5,
    );
    let lease_ms = millis(state.settings.job_lease);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(period).await;
            if let Err(e) = store.heartbeat(&lease, lease_ms).await {
                tracing::warn!(job = %lease.job_id, error = %e, "heartbeat failed");
                if matches!(e, StoreError::LeaseLost) {
                    return;
                }
            }
        }
    })
}

/// The statement as the engine read it: the parse stored at upload when there is a usable one,
/// otherwise (statements uploaded before parses were stored, or an unreadable one) the file,
/// fetched and parsed again.
async fn statement_parse(
    state: &Processing,
    statement: &StatementRow,
    key: &str,
) -> Result<Result<ParsedStatement, StatementError>, JobError> {
    if let Some(text) = state.store.statement_parse(&statement.id).await? {
        // Decoding a large parse is CPU work too, if far less than parsing the PDF.
        let decoded = tokio::task::spawn_blocking(move || crate::stored_parse::decode(&text))
            .await
            .map_err(|e| JobError::Transient(format!("decoding the stored parse stopped: {e}")))?;
        match decoded {
            Some(parsed) => return Ok(Ok(parsed)),
            None => {
                tracing::warn!(statement = %statement.id, "the stored parse is unusable; parsing the file")
            }
        }
    }
    let bytes = state.store.objects().get(key).await?;
    Ok(crate::parse_budget::parse_for_job(
        state,
        bytes,
        state.secrets.reveal(statement.pdf_password.as_deref()),
        statement.bank_name.clone(),
    )
    .await)
}

/// Extracts the statement's transactions and stores them with the job's completion.
async fn process_statement(state: &Processing, lease: &JobLease) -> Result<(), JobError> {
    let statement = state.store.statement_by_id(&lease.subject_id).await?;
    let Some(statement) = statement.filter(|s| s.status == STATUS_PROCESSING) else {
        // Already settled (or its session was deleted): nothing left to do.
        return Ok(state.store.complete_job(lease).await?.commit().await?);
    };
    let Some(key) = statement.object_key.clone() else {
        return Ok(state.store.complete_job(lease).await?.commit().await?);
    };
    let parsed = statement_parse(state, &statement, &key).await?;
    if !state.settings.fault_job_delay.is_zero() {
        tokio::time::sleep(state.settings.fault_job_delay).await;
    }
    let entity_hook = entity_webhook_target(state, &statement).await?;
    let mut tx = state.store.complete_job(lease).await?;
    if let Some((entity, url, secret)) = entity_hook {
        // webhook.md: {entity_id, statement_id, link_id, progress, reason} once the statement
        // is extracted or has failed.
        let (progress, reason) = match &parsed {
            Ok(_) => ("completed", String::new()),
            Err(e) => ("failed", e.to_string()),
        };
        let payload = EntityStatementNotification {
            entity_id: entity.id.clone(),
            statement_id: statement.id.clone(),
            link_id: entity.link_id.clone(),
            progress: progress.to_owned(),
            reason,
        };
        tx.enqueue_webhook(&NewWebhook {
            client_id: statement.client_id.clone(),
            session_id: Some(entity.id.clone()),
            event_name: "ENTITY_STATEMENT_NOTIFICATION".to_owned(),
            unique_key: format!("ENTITY_STATEMENT_NOTIFICATION:{}", statement.id),
            url,
            secret,
            payload: payload_text(&payload),
            max_attempts: state.settings.webhook_max_attempts,
        })
        .await?;
    }
    match parsed {
        Ok(parsed) => {
            let insights = insights_json(&parsed, &statement.id);
            let input = crate::enrichment::statement_input(&statement.id, &parsed);
            let enrichment = match crate::enrichment::encode_input(&input) {
                Ok(text) => Some(text),
                Err(e) => {
                    tracing::warn!(statement = %statement.id, error = %e, "could not encode the enrichment input");
                    None
                }
            };
            let result = StatementResult {
                statement_id: statement.id.clone(),
                insights: insights.to_string(),
                transaction_count: i64::try_from(parsed.transactions.len()).unwrap_or(i64::MAX),
                reconciled: parsed.reconciliation.reconciled,
                enrichment,
            };
            let from = parsed
                .transactions
                .first()
                .map(|t| t.date.date().to_string());
            let to = parsed
                .transactions
                .last()
                .map(|t| t.date.date().to_string());
            tx.save_statement_result(&result, from.as_deref(), to.as_deref())
                .await?;
        }
        Err(e) => {
            tx.fail_statement(
                &statement.id,
                statement_error_code(e.kind()),
                &e.to_string(),
            )
            .await?
        }
    }
    tx.commit().await?;
    Ok(())
}

/// An entity, its client's webhook URL and secret.
type EntityHook = (
    ledgerlens_store::sessions::SessionRow,
    String,
    Option<String>,
);

/// Where a legacy entity's statement notification goes: the entity and the client's webhook
/// URL and secret, when the client registered one for manual uploads (`webhook_mode` 1; mode 0
/// is net banking only, which this server does not do).
async fn entity_webhook_target(
    state: &Processing,
    statement: &ledgerlens_store::statements::StatementRow,
) -> Result<Option<EntityHook>, JobError> {
    let Some(entity) = state
        .store
        .session_by_id(&statement.session_id)
        .await?
        .filter(|s| s.kind == ledgerlens_store::sessions::KIND_ENTITY && s.deleted_at.is_none())
    else {
        return Ok(None);
    };
    let Some(client) = state.store.client_by_id(&statement.client_id).await? else {
        return Ok(None);
    };
    let url = client
        .webhook_url
        .clone()
        .filter(|_| client.webhook_mode.is_some_and(|m| m & 1 == 1));
    Ok(url.map(|url| (entity, url, client.webhook_secret.clone())))
}

/// Enriches every account of the session (CPU-bound: off the async runtime).
async fn enrich_accounts(
    session: ledgerlens_store::sessions::SessionRow,
    mut accounts: Vec<AccountView>,
    results: Vec<StatementResult>,
) -> Result<Vec<AccountView>, JobError> {
    tokio::task::spawn_blocking(move || {
        for account in accounts.iter_mut() {
            if let Some(document) = compute_document(&session, account, &results) {
                set_document(account, document);
            }
        }
        accounts
    })
    .await
    .map_err(|e| JobError::Transient(format!("enrichment stopped: {e}")))
}

/// Once every statement is settled: enrich each account, mark the session processed and queue
/// its notification.
async fn finalize_session(state: &Processing, lease: &JobLease) -> Result<(), JobError> {
    let session = state.store.session_by_id(&lease.subject_id).await?;
    let Some(session) = session.filter(|s| s.deleted_at.is_none()) else {
        return Ok(state.store.complete_job(lease).await?.commit().await?);
    };
    let statements = state.store.statements(&session.id).await?;
    if statements.iter().any(|s| s.status == STATUS_PROCESSING) {
        state.store.defer_job(lease, 300).await?;
        return Err(JobError::Deferred);
    }
    let results = state.store.statement_results(&session.id).await?;
    let accounts = build_accounts(&session, &statements, &results);
    let accounts = enrich_accounts(session.clone(), accounts, results).await?;
    let client = state
        .store
        .client_by_id(&session.client_id)
        .await?
        .ok_or_else(|| JobError::Transient("client vanished".into()))?;
    let mut tx = state.store.complete_job(lease).await?;
    for account in &accounts {
        let Some(document) = &account.document else {
            continue;
        };
        let document = serde_json::to_string(document)
            .map_err(|e| JobError::Transient(format!("encoding the account enrichment: {e}")))?;
        tx.save_account_result(&AccountResult {
            session_id: session.id.clone(),
            account_id: account.account_id.clone(),
            statement_ids: account.processed_ids().to_vec(),
            document,
        })
        .await?;
    }
    tx.mark_session_processed(&session.id).await?;
    if let Some(url) = client
        .webhook_url
        .clone()
        .filter(|_| client.webhook_mode.is_some_and(|m| m & 1 == 1))
    {
        // The upload completion notification (upload-status.md), then the enrichment one.
        if session.kind == ledgerlens_store::sessions::KIND_SESSION {
            let completion = crate::notifications::upload_completion_payload(&session, &accounts);
            tx.enqueue_webhook(&NewWebhook {
                client_id: client.id.clone(),
                session_id: Some(session.id.clone()),
                event_name: "SESSION_REQUIREMENT_COMPLETION_NOTIFICATION".to_owned(),
                unique_key: format!("SESSION_REQUIREMENT_COMPLETION_NOTIFICATION:{}", session.id),
                url: url.clone(),
                secret: client.webhook_secret.clone(),
                payload: payload_text(&completion),
                max_attempts: state.settings.webhook_max_attempts,
            })
            .await?;
        }
        let payload = crate::notifications::enrichment_payload(&session.id, &accounts);
        tx.enqueue_webhook(&NewWebhook {
            client_id: client.id.clone(),
            session_id: Some(session.id.clone()),
            event_name: "ENRICHMENT_NOTIFICATION".to_owned(),
            unique_key: format!("ENRICHMENT_NOTIFICATION:{}", session.id),
            url,
            secret: client.webhook_secret.clone(),
            payload: payload_text(&payload),
            max_attempts: state.settings.webhook_max_attempts,
        })
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A webhook body as JSON text. The payload types (ledgerlens_contract::webhooks) hold only
/// strings, booleans and lists of them, which always serialise: the fallback is never taken.
fn payload_text<T: serde::Serialize>(payload: &T) -> String {
    serde_json::to_string(payload).unwrap_or_else(|e| {
        tracing::error!(error = %e, "webhook payload did not serialise");
        String::from("{}")
    })
}

async fn webhook_loop(state: Processing, mut shutdown: watch::Receiver<bool>) {
    // The file_url address policy: resolved addresses and every redirect are checked.
    let allow_private = state.settings.webhooks_may_reach_private;
    let http = match crate::outbound::guarded_client(allow_private, state.settings.webhook_timeout)
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the webhook HTTP client; webhooks stay queued");
            return;
        }
    };
    // Longer than one attempt can take (the client's whole-request timeout), and short, so a
    // delivery whose worker died is picked up again within seconds.
    let lease_ms = millis(state.settings.webhook_timeout + Duration::from_secs(5));
    while !*shutdown.borrow() {
        match state.store.claim_webhook(lease_ms).await {
            Ok(Some(delivery)) => deliver(&state, &http, delivery).await,
            Ok(None) => idle(&state, &mut shutdown).await,
            Err(e) => {
                tracing::warn!(error = %e, "could not claim a webhook");
                idle(&state, &mut shutdown).await;
            }
        }
    }
}

async fn deliver(
    state: &Processing,
    http: &reqwest::Client,
    delivery: ledgerlens_store::webhooks::WebhookDelivery,
) {
    let started = Instant::now();
    let allow_private = state.settings.webhooks_may_reach_private;
    // Checked again at delivery: the URL may predate the policy, or its host now resolve
    // elsewhere. IP-literal hosts never reach the guarded resolver, so they are checked here.
    let refused = url::Url::parse(&delivery.url)
        .map_err(|_| "not a URL")
        .and_then(|u| crate::outbound::check_target(&u, allow_private))
        .err();
    if let Some(reason) = refused {
        tracing::warn!(webhook = %delivery.id, reason, "webhook_url refused at delivery");
        state.observer.record_webhook_attempt(false);
        let error = format!("webhook_url refused: {reason}");
        let retry_in = retry_delay(state.settings.webhook_retry_base, delivery.attempts);
        if let Err(e) = state
            .store
            .finish_webhook_attempt(&delivery, None, Some(&error), 0, retry_in)
            .await
        {
            tracing::warn!(error = %e, "could not record a webhook attempt");
        }
        return;
    }
    let mut request = http
        .post(&delivery.url)
        .header("content-type", "application/json")
        .body(delivery.payload.clone());
    if let Some(secret) = &delivery.secret {
        request = request.header("x-secret-key", secret);
    }
    let (status, error) = match request.send().await {
        Ok(response)
            if !allow_private
                && response
                    .remote_addr()
                    .is_some_and(|a| crate::outbound::is_forbidden(a.ip())) =>
        {
            (
                None,
                Some("webhook_url reached a refused address".to_owned()),
            )
        }
        Ok(response) if response.status().is_success() => (Some(response.status().as_u16()), None),
        Ok(response) => (
            Some(response.status().as_u16()),
            Some(format!("receiver answered {}", response.status())),
        ),
        // Without the URL: its query may carry a token.
        Err(e) => (None, Some(e.without_url().to_string())),
    };
    let duration = millis(started.elapsed());
    let retry_in = retry_delay(state.settings.webhook_retry_base, delivery.attempts);
    tracing::info!(webhook = %delivery.id, attempt = delivery.attempts, status = ?status, ok = error.is_none(), "webhook attempt");
    state.observer.record_webhook_attempt(error.is_none());
    if let Err(e) = state
        .store
        .finish_webhook_attempt(&delivery, status, error.as_deref(), duration, retry_in)
        .await
    {
        tracing::warn!(error = %e, "could not record a webhook attempt");
    }
}
