//! Processing: what happens to a statement after the HTTP layer has accepted it.
//!
//! This crate owns the work between the statement engine (ledgerlens-statement), the enrichment
//! (ledgerlens-analysis) and the store (ledgerlens-store), the way meilisearch's index-scheduler
//! owns indexing behind its HTTP routes:
//!
//! - [`stored_parse`]: the engine's reading of an upload, kept from upload to processing so the
//!   job need not parse the file again;
//! - [`intake`]: a statement accepted into a session or entity (uploaded or fetched from an
//!   Account Aggregator): the account it is filed under and what the answers show of it;
//! - [`parse_budget`]: the memory budget that bounds PDF parses at once, for uploads and jobs;
//! - [`enrichment`]: the enrichment input stored with each processed statement, and the
//!   orchestration that enriches an account over all of its statements;
//! - [`accounts`]: a session's processed statements grouped into bank accounts, each with its
//!   status, its merged transactions and its enrichment attached;
//! - [`worker`]: the durable job loop (statement extraction, session finalisation), the
//!   housekeeping loops (orphaned files, retention, expired sessions) and webhook delivery;
//! - [`notifications`]: the webhook bodies, and the upload-status view they share with the
//!   polling routes;
//! - [`aa_flow`]: `mode=aa` sessions, where the lender is its own FIU: the consent → FI request
//!   → FI fetch → statements flow, its leases across processes, and the consent DataLife;
//! - [`outbound`]: which addresses outbound requests (webhooks, `file_url` downloads) may reach.
//!
//! Everything here runs against a [`Processing`] context: the store, the [`Settings`] the
//! server derives from its configuration, the parse budget, and two small seams back into the
//! process that runs it ([`Secrets`] to seal and open what is stored encrypted, [`Observer`] to
//! count).
//!
//! It must not know HTTP serving: no routes, status codes, headers, request extractors or error
//! bodies. The server (ledgerlens-server) authenticates, validates and translates; it calls into
//! this crate and serialises what comes back. Anything shaped by the wire contract comes from
//! ledgerlens-contract, never from the server.

pub mod aa_flow;
pub mod accounts;
pub mod enrichment;
pub mod intake;
pub mod notifications;
pub mod outbound;
pub mod parse_budget;
pub mod stored_parse;
pub mod worker;

use ledgerlens_store::Store;
use std::sync::Arc;
use std::time::Duration;

/// The processing settings, taken from the server's configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a claimed job is owned before another worker may take it over.
    pub job_lease: Duration,
    /// The first retry delay of a failed job (doubled each attempt).
    pub job_retry_base: Duration,
    /// How often idle loops look for work.
    pub poll_interval: Duration,
    /// Test-only: a pause inside every statement job (kill -9 tests).
    pub fault_job_delay: Duration,
    pub webhook_max_attempts: i64,
    pub webhook_retry_base: Duration,
    /// Bounds one delivery attempt.
    pub webhook_timeout: Duration,
    /// Whether webhooks may reach loopback and private addresses.
    pub webhooks_may_reach_private: bool,
    /// Stored files younger than this are never swept as orphans.
    pub orphan_min_age: Duration,
    pub orphan_sweep_interval: Duration,
    /// Attempts a job gets before it is dead.
    pub job_max_attempts: i64,
    /// Sessions older than this are deleted; `None` keeps them.
    pub retention: Option<Duration>,
    pub retention_check_interval: Duration,
}

/// The secrets key: PDF passwords and AA FI keys are stored encrypted under it.
pub trait Secrets: Send + Sync {
    /// The plaintext of an optional stored value; `None` when absent or unreadable.
    fn reveal(&self, stored: Option<&str>) -> Option<String>;
    /// Encrypts `plaintext` for the database; the error says why it could not.
    fn seal(&self, plaintext: &str) -> Result<String, String>;
    /// The plaintext of a stored value; the error says why it could not be opened.
    fn open(&self, stored: &str) -> Result<String, String>;
}

/// Counts what processing does (the server exports it as metrics).
pub trait Observer: Send + Sync {
    fn record_job(&self, kind: &str, outcome: &str, elapsed: Duration);
    fn record_parse(&self, source: &str, pages: Option<usize>, elapsed: Duration);
    fn record_webhook_attempt(&self, ok: bool);
}

/// What the processing loops and parses run against; cheap to clone.
#[derive(Clone)]
pub struct Processing {
    pub store: Store,
    pub settings: Arc<Settings>,
    /// Slots for PDF parses, bounded by the memory budget.
    pub parse_budget: Arc<parse_budget::ParseBudget>,
    pub secrets: Arc<dyn Secrets>,
    pub observer: Arc<dyn Observer>,
    /// This process's AA fetches and the name its fetch leases carry.
    pub aa_fetches: Arc<aa_flow::LocalFetches>,
}
