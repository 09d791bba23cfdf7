//! `serve`, `worker` and `clients`: the service commands. The logic lives in ledgerlens-server;
//! this module only maps flags and environment variables onto its configuration.

use anyhow::Context;
use clap::{Args, Subcommand};
use ledgerlens_server::{ObjectsConfig, ServerConfig};
use std::path::PathBuf;
use std::process::ExitCode;

#[path = "users.rs"]
mod users;

#[derive(Subcommand)]
pub enum ServiceCommand {
    /// Run the BankConnect-compatible HTTP API (with processing workers).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LEDGERLENS_LISTEN", default_value = "127.0.0.1:8000")]
        listen: String,
        #[command(flatten)]
        storage: StorageArgs,
        /// Processing workers inside this process (0: leave processing to `ledgerlens worker`).
        #[arg(long, env = "LEDGERLENS_WORKERS", default_value_t = 2)]
        workers: usize,
        /// Let uploads' `file_url` reach loopback, private and link-local addresses (a lender's
        /// own internal storage); refused by default.
        #[arg(
            long,
            env = "LEDGERLENS_FILE_URL_ALLOW_PRIVATE",
            value_parser = clap::builder::BoolishValueParser::new()
        )]
        file_url_allow_private: bool,
        /// Let webhook URLs reach loopback, private and link-local addresses (also allowed by
        /// --file-url-allow-private); refused by default, at registration and at delivery.
        #[arg(
            long,
            env = "LEDGERLENS_WEBHOOK_ALLOW_PRIVATE",
            value_parser = clap::builder::BoolishValueParser::new()
        )]
        webhook_allow_private: bool,
        #[command(flatten)]
        connections: ConnectionArgs,
        #[command(flatten)]
        public: PublicArgs,
    },
    /// Run processing and webhook workers only, against the same database as `serve`.
    Worker {
        #[command(flatten)]
        storage: StorageArgs,
        /// Processing workers in this process (at least 1).
        #[arg(long, env = "LEDGERLENS_WORKERS", default_value_t = 2)]
        workers: usize,
        /// Let webhook deliveries reach loopback and private addresses, as `serve
        /// --webhook-allow-private` (workers deliver webhooks too).
        #[arg(
            long,
            env = "LEDGERLENS_WEBHOOK_ALLOW_PRIVATE",
            value_parser = clap::builder::BoolishValueParser::new()
        )]
        webhook_allow_private: bool,
        /// Serve Prometheus metrics at http://ADDR/metrics (loopback peers only unless
        /// LEDGERLENS_METRICS_TOKEN is set).
        #[arg(long, env = "LEDGERLENS_METRICS_LISTEN")]
        metrics_listen: Option<String>,
    },
    /// Manage API clients (tenants).
    Clients {
        #[command(subcommand)]
        action: ClientsAction,
    },
    /// Manage the analyst console's users (each sees one client's sessions at /console/).
    Users {
        #[command(subcommand)]
        action: users::UsersAction,
    },
}

#[derive(Args)]
pub struct StorageArgs {
    /// Directory for the embedded SQLite database and uploaded files.
    #[arg(long, env = "LEDGERLENS_DATA_DIR", default_value = "./ledgerlens-data")]
    data_dir: PathBuf,
    /// postgres://… to use PostgreSQL instead of the embedded SQLite file.
    #[arg(long, env = "LEDGERLENS_DATABASE_URL")]
    database_url: Option<String>,
    /// s3://bucket[/prefix] to keep uploaded files in an S3-compatible bucket instead of the data
    /// dir; endpoint, region and credentials come from the standard AWS_* variables.
    #[arg(long, env = "LEDGERLENS_OBJECT_STORE")]
    object_store: Option<String>,
}

impl StorageArgs {
    /// An empty value means "not set", like an unset variable, so deployment templates can leave
    /// it blank.
    fn objects(&self) -> anyhow::Result<Option<ObjectsConfig>> {
        let Some(url) = self
            .object_store
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        else {
            return Ok(None);
        };
        let config =
            ObjectsConfig::from_url(url).context("--object-store / LEDGERLENS_OBJECT_STORE")?;
        Ok(Some(config))
    }
}

/// Connection limits of `serve`; unset values keep the defaults.
#[derive(Args)]
pub struct ConnectionArgs {
    /// Seconds a client has to send a request's headers, from when the connection is ready for
    /// a request (also closes keep-alive connections that send nothing) [default: 15].
    #[arg(long, env = "LEDGERLENS_HEADER_READ_TIMEOUT")]
    header_read_timeout: Option<u64>,
    /// Seconds without a request in progress and without a byte moving before a connection is
    /// closed [default: 60].
    #[arg(long, env = "LEDGERLENS_IDLE_TIMEOUT")]
    idle_timeout: Option<u64>,
    /// Open connections at most, lowered to fit the descriptor limit [default: 4096].
    #[arg(long, env = "LEDGERLENS_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Open connections from one remote address at most [default: 256].
    #[arg(long, env = "LEDGERLENS_MAX_CONNECTIONS_PER_IP")]
    max_connections_per_ip: Option<usize>,
}

impl ConnectionArgs {
    fn apply(&self, config: &mut ServerConfig) {
        use std::time::Duration;
        if let Some(secs) = self.header_read_timeout {
            config.header_read_timeout = Duration::from_secs(secs.max(1));
        }
        if let Some(secs) = self.idle_timeout {
            config.idle_timeout = Duration::from_secs(secs.max(1));
        }
        if let Some(n) = self.max_connections {
            config.max_connections = n;
        }
        if let Some(n) = self.max_connections_per_ip {
            config.max_connections_per_ip = n;
        }
    }
}

/// How the service is reached from outside: links it hands out, proxies, browsers.
#[derive(Args)]
pub struct PublicArgs {
    /// The public base URL of the API (e.g. https://bc.lender.in) for the links handed to
    /// borrowers and lenders; without it links follow the request's Host header.
    #[arg(long, env = "LEDGERLENS_PUBLIC_URL")]
    public_url: Option<String>,
    /// Trust X-Forwarded-Proto/X-Forwarded-Host (only behind a proxy that sets them).
    #[arg(
        long,
        env = "LEDGERLENS_TRUST_FORWARDED_HEADERS",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    trust_forwarded_headers: bool,
    /// Origins allowed to call the API from a browser (CORS), comma-separated; `*` for any.
    #[arg(long, env = "LEDGERLENS_CORS_ALLOWED_ORIGINS", value_delimiter = ',')]
    cors_allowed_origins: Vec<String>,
}

impl PublicArgs {
    fn apply(self, config: &mut ServerConfig) {
        if let Some(url) = self.public_url.filter(|u| !u.trim().is_empty()) {
            config.public_url = Some(url);
        }
        config.trust_forwarded_headers |= self.trust_forwarded_headers;
        let origins: Vec<String> = self
            .cors_allowed_origins
            .into_iter()
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        if !origins.is_empty() {
            config.cors_allowed_origins = origins;
        }
    }
}

#[derive(Subcommand)]
pub enum ClientsAction {
    /// Create a client; prints {client_id, api_key, server_hash} (secrets are shown only once).
    Create {
        /// A name for the client (the lender), shown by `clients list`.
        #[arg(long)]
        name: String,
        /// Also require ACCESS_TOKEN + TIMESTAMP headers (prints the access secret).
        #[arg(long)]
        access_token: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// List clients (no secrets).
    List {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Revoke a client: its keys stop working at once.
    Revoke {
        /// The client_id `clients create` printed (see `clients list`).
        client_id: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

fn config(listen: &str, storage: StorageArgs, workers: usize) -> anyhow::Result<ServerConfig> {
    let objects = storage.objects()?;
    let mut config =
        ServerConfig::new(listen, storage.data_dir, storage.database_url).with_env_overrides();
    config.objects = objects;
    config.workers = workers;
    Ok(config)
}

pub fn run(command: ServiceCommand) -> ExitCode {
    ledgerlens_server::init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: ServiceCommand) -> anyhow::Result<ExitCode> {
    match command {
        ServiceCommand::Serve {
            listen,
            storage,
            workers,
            file_url_allow_private,
            webhook_allow_private,
            connections,
            public,
        } => {
            let mut config = config(&listen, storage, workers)?;
            config.file_url_allow_private = file_url_allow_private;
            config.webhook_allow_private = webhook_allow_private;
            connections.apply(&mut config);
            public.apply(&mut config);
            ledgerlens_server::serve(config).await?;
        }
        ServiceCommand::Worker {
            storage,
            workers,
            webhook_allow_private,
            metrics_listen,
        } => {
            let mut config = config("", storage, workers)?;
            config.webhook_allow_private = webhook_allow_private;
            if let Some(listen) = metrics_listen.filter(|l| !l.trim().is_empty()) {
                config.metrics_listen = Some(listen);
            }
            ledgerlens_server::run_worker(config).await?;
        }
        ServiceCommand::Clients { action } => return clients(action).await,
        ServiceCommand::Users { action } => return users::run(action).await,
    }
    Ok(ExitCode::SUCCESS)
}

async fn clients(action: ClientsAction) -> anyhow::Result<ExitCode> {
    use ledgerlens_server::clients_cli;
    match action {
        ClientsAction::Create {
            name,
            access_token,
            storage,
        } => {
            let created =
                clients_cli::create(&config("", storage, 0)?, &name, access_token).await?;
            println!("{}", serde_json::to_string_pretty(&created)?);
        }
        ClientsAction::List { storage } => {
            require_existing_database(&storage)?;
            let mut listed = clients_cli::list(&config("", storage, 0)?).await?;
            iso_created_at(&mut listed);
            println!("{}", serde_json::to_string_pretty(&listed)?);
        }
        ClientsAction::Revoke { client_id, storage } => {
            require_existing_database(&storage)?;
            if !clients_cli::revoke(&config("", storage, 0)?, &client_id).await? {
                eprintln!("error: no active client {client_id}");
                return Ok(ExitCode::from(2));
            }
            println!("{{\"client_id\": \"{client_id}\", \"revoked\": true}}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Listing or revoking against a data dir that holds no database is a mistake (a typo, a
/// relative path from another directory): say so instead of creating an empty one.
fn require_existing_database(storage: &StorageArgs) -> anyhow::Result<()> {
    if storage
        .database_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty())
    {
        return Ok(());
    }
    let file = storage.data_dir.join(SQLITE_FILE);
    if file.is_file() {
        return Ok(());
    }
    anyhow::bail!(
        "no ledgerlens database in {} (expected {}); give the --data-dir (or LEDGERLENS_DATA_DIR) that `serve` uses, or --database-url",
        storage.data_dir.display(),
        file.display()
    )
}

/// The embedded database's file name inside the data dir (ledgerlens-store's choice).
const SQLITE_FILE: &str = "ledgerlens.sqlite3";

/// `created_at` as RFC 3339 (UTC) instead of the stored Unix milliseconds.
fn iso_created_at(listed: &mut serde_json::Value) {
    for client in listed.as_array_mut().into_iter().flatten() {
        let iso = client["created_at"]
            .as_i64()
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        if let Some(iso) = iso {
            client["created_at"] = serde_json::Value::String(iso);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_at_becomes_rfc3339() {
        let mut listed =
            serde_json::json!([{"client_id": "c", "created_at": 1_764_892_800_000_i64}]);
        iso_created_at(&mut listed);
        assert_eq!(listed[0]["created_at"], "2025-12-05T00:00:00Z");
    }
}
