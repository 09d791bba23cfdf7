//! The BankConnect-compatible HTTP service of ledgerlens.
//!
//! `serve` runs the API and a pool of processing workers; `worker` runs only the workers, against
//! the same database, so processing scales out by starting more of them.

pub mod aa_recurring;
pub mod aa_routes;
pub mod app;
pub mod auth;
pub mod body_limits;
pub mod config;
pub mod console;
pub mod errors;
pub mod file_url;
pub mod first_run;
pub mod forms;
pub mod health;
pub mod http_contract;
pub mod journey;
pub mod legacy;
pub mod links;
pub mod listener;
pub mod metrics;
pub mod reports;
pub mod secrets;
pub mod session_access;
pub mod session_request;
pub mod session_routes;
pub mod state;
pub mod throttle;
pub mod upload;

pub use config::ServerConfig;
/// The type of `ServerConfig::objects`, re-exported so the CLI needs no direct store dependency.
pub use ledgerlens_store::{ObjectsConfig, S3Config};

use anyhow::Context;
use ledgerlens_processing::aa_flow;
use ledgerlens_processing::parse_budget::ParseBudget;
use ledgerlens_processing::Processing;
use ledgerlens_store::Store;
use state::AppState;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Logs to stderr; `RUST_LOG` filters (default: info). `LEDGERLENS_LOG_FORMAT=json` writes one
/// JSON object a line, with the fields of the enclosing spans (`request_id`, `job`).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let json = std::env::var("LEDGERLENS_LOG_FORMAT").is_ok_and(|f| f.trim() == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_span_list(true)
            .try_init()
    } else {
        builder.try_init()
    };
}

/// The object store answers, and stored PDF passwords are sealed under the current key.
async fn check_and_reseal(store: &Store, secrets: &secrets::SecretBox) -> anyhow::Result<usize> {
    store
        .objects()
        .check()
        .await
        .context("checking the object store (a probe file could not be written and deleted)")?;
    secrets::reseal_pdf_passwords(store, secrets)
        .await
        .context("encrypting stored PDF passwords under the current secrets key")
}

pub async fn open_state(config: &ServerConfig) -> anyhow::Result<AppState> {
    let store_config = config.store_config().context("preparing the data dir")?;
    // Keys first: a refused key must not leave a database pool closing in the background.
    let ttl = i64::try_from(config.link_ttl.as_secs()).unwrap_or(3600);
    let links = links::LinkSigner::load_or_create(&config.data_dir, ttl)
        .context("loading the link signing key")?;
    let secrets = secrets::SecretBox::load(
        &config.data_dir,
        config.secrets_key.as_deref(),
        config.secrets_key_previous.as_deref(),
    )
    .context("loading the secrets key (LEDGERLENS_SECRETS_KEY or <data dir>/secrets.key)")?;
    let store = Store::open(&store_config)
        .await
        .context("opening the database and the object store")?;
    let checked = check_and_reseal(&store, &secrets).await;
    let resealed = match checked {
        Ok(resealed) => resealed,
        Err(refused) => {
            // Closed before the error returns, so a retry finds no pool still winding down.
            store.close().await;
            return Err(refused);
        }
    };
    if resealed > 0 {
        tracing::info!(
            resealed,
            "stored PDF passwords encrypted under the current key"
        );
    }
    let secrets = Arc::new(secrets);
    let aa_fetches: Arc<aa_flow::LocalFetches> = Arc::default();
    let metrics: Arc<metrics::Metrics> = Arc::default();
    let parse_budget = Arc::new(ParseBudget::new(
        config.parse_memory_budget,
        config.parse_memory_per_document,
        config.parse_queue_wait,
    ));
    let processing = Processing {
        store: store.clone(),
        settings: Arc::new(config.processing_settings()),
        parse_budget: parse_budget.clone(),
        secrets: secrets.clone(),
        observer: metrics.clone(),
        aa_fetches: aa_fetches.clone(),
    };
    Ok(AppState {
        store,
        config: Arc::new(config.clone()),
        links: Arc::new(links),
        secrets,
        readiness: Arc::default(),
        throttle: Arc::new(throttle::Throttle::new(config)),
        parse_budget,
        file_urls: Arc::new(file_url::FileUrlFetcher::new(
            config.file_url_allow_private,
            config.file_url_timeout,
        )),
        metrics,
        aa_fetches,
        processing,
    })
}

/// Spawns the processing loops (ledgerlens-processing: `processing_workers` job loops, the
/// housekeeping loops, the AA DataLife sweep and webhook delivery); they stop when `shutdown`
/// flips.
pub fn spawn_workers(
    state: &AppState,
    processing_workers: usize,
    shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinSet<()> {
    ledgerlens_processing::worker::spawn_workers(&state.processing, processing_workers, shutdown)
}

/// A running server: its address, and a handle to stop it.
pub struct RunningServer {
    pub addr: std::net::SocketAddr,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
        // Its AA fetches end with it; their leases run out and another server takes them over.
        self.state.aa_fetches.abort_all();
    }
}

/// Binds, starts workers, and serves in the background.
pub async fn start(config: ServerConfig) -> anyhow::Result<RunningServer> {
    let state = open_state(&config).await?;
    aa_flow::install_from_env().await?;
    aa_flow::resume_in_flight(&state.processing).await;
    let listener = TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    let addr = listener.local_addr()?;
    let (shutdown, shutdown_rx) = watch::channel(false);
    let mut workers = spawn_workers(&state, config.workers, shutdown_rx.clone());
    if aa_flow::runtime().is_some() {
        workers.spawn(aa_flow::takeover_loop(
            state.processing.clone(),
            shutdown_rx.clone(),
        ));
    }
    let router = app::router(state.clone());
    let limits = listener::ConnectionLimits {
        header_read_timeout: config.header_read_timeout,
        idle_timeout: config.idle_timeout,
        max_connections: config.max_connections,
        max_connections_per_ip: config.max_connections_per_ip,
    }
    .within_descriptor_limit(listener::raise_descriptor_limit());
    let grace = config.request_timeout;
    let task = tokio::spawn(async move {
        listener::serve(listener, router, limits, shutdown_rx, grace).await;
        while workers.join_next().await.is_some() {}
    });
    Ok(RunningServer {
        addr,
        state,
        shutdown,
        task,
    })
}

/// `ledgerlens serve`: runs until Ctrl-C / SIGTERM.
pub async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    let server = start(config).await?;
    announce_dev_client(&server).await?;
    tracing::info!(addr = %server.addr, "ledgerlens listening");
    if server.state.config.file_url_allow_private {
        tracing::warn!("uploads' file_url may reach loopback and private addresses");
    }
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.stop().await;
    Ok(())
}

/// Prints the address and the walkthrough; on a fresh database also creates a development client
/// and prints its credentials (stdout only: see `first_run`).
async fn announce_dev_client(server: &RunningServer) -> anyhow::Result<()> {
    let created = if server.state.store.count_clients().await? == 0 {
        Some(
            server
                .state
                .store
                .create_client("development", false)
                .await?,
        )
    } else {
        None
    };
    let first = created.as_ref().map(|c| first_run::FirstCredentials {
        client_id: &c.client_id,
        api_key: &c.api_key,
        server_hash: &c.server_hash,
    });
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "ledgerlens".to_owned());
    let base = server
        .state
        .config
        .public_url
        .as_deref()
        .map(|u| u.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{}", server.addr));
    let today = chrono::Utc::now().date_naive();
    let text = first_run::announcement(&base, &exe, first.as_ref(), today);
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// `ledgerlens worker`: processing and webhook workers only, until Ctrl-C / SIGTERM.
pub async fn run_worker(config: ServerConfig) -> anyhow::Result<()> {
    let state = open_state(&config).await?;
    let (shutdown, shutdown_rx) = watch::channel(false);
    if let Some(listen) = config.metrics_listen.as_deref() {
        let addr = metrics::serve_standalone(state.clone(), listen, shutdown_rx.clone()).await?;
        tracing::info!(%addr, "metrics at /metrics");
    }
    let mut workers = spawn_workers(&state, config.workers.max(1), shutdown_rx);
    tracing::info!(workers = config.workers.max(1), "ledgerlens worker started");
    shutdown_signal().await;
    let _ = shutdown.send(true);
    while workers.join_next().await.is_some() {}
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}

/// `ledgerlens clients …` against the data dir / database of `config`.
pub mod clients_cli {
    use super::*;

    pub async fn create(
        config: &ServerConfig,
        name: &str,
        access_token: bool,
    ) -> anyhow::Result<serde_json::Value> {
        let store = Store::open(&config.store_config()?).await?;
        let credentials = store.create_client(name, access_token).await?;
        Ok(serde_json::to_value(credentials)?)
    }

    pub async fn list(config: &ServerConfig) -> anyhow::Result<serde_json::Value> {
        let store = Store::open(&config.store_config()?).await?;
        Ok(serde_json::to_value(store.list_clients().await?)?)
    }

    pub async fn revoke(config: &ServerConfig, client_id: &str) -> anyhow::Result<bool> {
        let store = Store::open(&config.store_config()?).await?;
        Ok(store.revoke_client(client_id).await?)
    }
}
