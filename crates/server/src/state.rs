use crate::config::ServerConfig;
use crate::file_url::FileUrlFetcher;
use crate::links::LinkSigner;
use ledgerlens_store::Store;
use std::sync::Arc;

/// Shared by every handler and worker.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ServerConfig>,
    pub links: Arc<LinkSigner>,
    /// Slots for PDF parses, bounded by the memory budget.
    pub parse_budget: Arc<ledgerlens_processing::parse_budget::ParseBudget>,
    /// Failed-attempt counters (authentication, PDF passwords).
    pub throttle: Arc<crate::throttle::Throttle>,
    /// The last readiness probe (reused briefly).
    pub readiness: Arc<crate::health::Readiness>,
    /// Encrypts PDF passwords for the database.
    pub secrets: Arc<crate::secrets::SecretBox>,
    /// Downloads the statements uploads name by `file_url`.
    pub file_urls: Arc<FileUrlFetcher>,
    /// This process's request, job, parse and webhook counters (`/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// This server's AA fetches and the name its fetch leases carry.
    pub aa_fetches: Arc<ledgerlens_processing::aa_flow::LocalFetches>,
    /// The job loop's and parses' context: the same store, parse budget, secrets and metrics.
    pub processing: ledgerlens_processing::Processing,
}
