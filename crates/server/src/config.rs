//! Runtime settings of `serve` and `worker`, with the defaults a zero-configuration start uses.

use ledgerlens_store::{ObjectsConfig, StoreConfig, StoreError};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: String,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    /// Where uploaded files live; `None` keeps them in `<data_dir>/objects`. Processes on several
    /// machines need a shared bucket here (and a shared PostgreSQL).
    pub objects: Option<ObjectsConfig>,
    /// PostgreSQL schema to use (isolates test runs); `None` uses the default search path.
    pub pg_schema: Option<String>,
    /// Processing workers inside `serve` (0: leave processing to `ledgerlens worker`).
    pub workers: usize,
    /// Upper bound of a request body; a bigger upload gets 413 FILE_TOO_LARGE.
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// How long a claimed job stays ours without a heartbeat.
    pub job_lease: Duration,
    pub job_max_attempts: i64,
    /// First retry delay of a failed job; doubles per attempt.
    pub job_retry_base: Duration,
    pub webhook_max_attempts: i64,
    pub webhook_retry_base: Duration,
    pub webhook_timeout: Duration,
    /// Validity of signed report/PDF links (the docs promise one hour).
    pub link_ttl: Duration,
    /// Accepted clock skew of the ACCESS_TOKEN layer's TIMESTAMP.
    pub access_token_skew: Duration,
    /// Fault injection for crash tests: a processing job holds its lease this long before writing.
    pub fault_job_delay: Duration,
    /// How often idle workers look for work.
    pub poll_interval: Duration,
    /// Lets an upload's `file_url` reach loopback, private, link-local and other non-public
    /// addresses (a lender's own internal storage). Off: such URLs answer INVALID_FILE_URL.
    pub file_url_allow_private: bool,
    /// Upper bound of a whole `file_url` download (connect, redirects, body).
    pub file_url_timeout: Duration,
    /// Lets webhook URLs reach loopback and private addresses (also allowed by
    /// `file_url_allow_private`). Off: refused at registration and at delivery.
    pub webhook_allow_private: bool,
    /// Key of PDF passwords at rest (64 hex digits or base64 of 32 bytes); `None` uses
    /// `<data_dir>/secrets.key`, created on first start. From LEDGERLENS_SECRETS_KEY only (a flag
    /// would show in the process list).
    pub secrets_key: Option<String>,
    /// The key before a rotation, still accepted for reading (LEDGERLENS_SECRETS_KEY_PREVIOUS).
    pub secrets_key_previous: Option<String>,
    /// 401/403 answers allowed per client address and per presented API key in one
    /// `throttle_window`; more answer 429 until the window ends.
    pub auth_failure_limit: u32,
    /// Wrong PDF passwords allowed per session in one `throttle_window`.
    pub password_failure_limit: u32,
    pub throttle_window: Duration,
    /// Largest body of a route that takes no file (413 REQUEST_TOO_LARGE beyond).
    pub json_body_limit: usize,
    /// Largest top-level JSON or form field of such a body, serialized (400 beyond).
    pub json_field_limit: usize,
    /// Memory PDF parses may use together (default: half the machine's memory).
    pub parse_memory_budget: u64,
    /// Memory one parse is assumed to take at most; parses at once = budget / this.
    pub parse_memory_per_document: u64,
    /// How long an upload waits for a parse slot before 503 SERVER_BUSY.
    pub parse_queue_wait: Duration,
    /// Sessions older than this are deleted (files, results, notifications); `None` keeps them
    /// until deleted through the API. BankConnect keeps statements 30 days.
    pub retention: Option<Duration>,
    /// How often the retention sweep and the AA DataLife sweep run.
    pub retention_check_interval: Duration,
    /// How often stored files no statement names are looked for and deleted.
    pub orphan_sweep_interval: Duration,
    /// Files younger than this are never swept (an upload writes its file before its row).
    pub orphan_min_age: Duration,
    /// A request's line and headers must arrive within this, counted from when the connection is
    /// ready for a request (so it also closes keep-alive connections that send nothing).
    pub header_read_timeout: Duration,
    /// A connection with no request in progress and no byte moving for this long is closed.
    pub idle_timeout: Duration,
    /// Open connections at most (lowered to fit the descriptor limit).
    pub max_connections: usize,
    /// Open connections from one remote address at most.
    pub max_connections_per_ip: usize,
    /// The address borrowers and lenders reach us at ("https://bc.lender.in"), for the links we
    /// hand out; `None` builds them from the request (see `trust_forwarded_headers`).
    pub public_url: Option<String>,
    /// Believe X-Forwarded-Proto/Host: only behind a proxy that sets them itself.
    pub trust_forwarded_headers: bool,
    /// Origins whose browser pages may call the API (CORS); `*` allows any; empty: none.
    pub cors_allowed_origins: Vec<String>,
    /// Bearer token `/metrics` requires (LEDGERLENS_METRICS_TOKEN); `None`: loopback peers only.
    pub metrics_token: Option<String>,
    /// Where `ledgerlens worker` serves `/metrics` (LEDGERLENS_METRICS_LISTEN); `None`: nowhere.
    pub metrics_listen: Option<String>,
}

impl ServerConfig {
    pub fn new(listen: &str, data_dir: PathBuf, database_url: Option<String>) -> ServerConfig {
        ServerConfig {
            listen: listen.to_owned(),
            data_dir,
            database_url,
            objects: None,
            pg_schema: None,
            workers: 2,
            max_body_bytes: 40 * 1024 * 1024,
            request_timeout: Duration::from_secs(120),
            // Renewed every second by the heartbeat; a crashed worker's job is free again
            // within 5 s.
            job_lease: Duration::from_secs(5),
            job_max_attempts: 5,
            job_retry_base: Duration::from_secs(2),
            webhook_max_attempts: 8,
            webhook_retry_base: Duration::from_secs(5),
            webhook_timeout: Duration::from_secs(10),
            link_ttl: Duration::from_secs(3600),
            access_token_skew: Duration::from_secs(300),
            fault_job_delay: Duration::ZERO,
            poll_interval: Duration::from_millis(200),
            file_url_allow_private: false,
            file_url_timeout: Duration::from_secs(30),
            webhook_allow_private: false,
            secrets_key: None,
            secrets_key_previous: None,
            auth_failure_limit: 20,
            password_failure_limit: 5,
            throttle_window: Duration::from_secs(60),
            json_body_limit: 1024 * 1024,
            json_field_limit: 64 * 1024,
            parse_memory_budget: ledgerlens_processing::parse_budget::default_budget(),
            // The reader admits 256 MiB of inflated streams; decoded pages and rows come on top.
            parse_memory_per_document: 512 * 1024 * 1024,
            parse_queue_wait: Duration::from_secs(10),
            retention: None,
            retention_check_interval: Duration::from_secs(600),
            orphan_sweep_interval: Duration::from_secs(3600),
            orphan_min_age: Duration::from_secs(3600),
            header_read_timeout: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(60),
            max_connections: 4096,
            max_connections_per_ip: 256,
            public_url: None,
            trust_forwarded_headers: false,
            cors_allowed_origins: Vec::new(),
            metrics_token: None,
            metrics_listen: None,
        }
    }

    /// Reads the optional tuning variables (`LEDGERLENS_*`) over the defaults.
    pub fn with_env_overrides(mut self) -> ServerConfig {
        let millis = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        if let Some(d) = millis("LEDGERLENS_JOB_LEASE_MS") {
            self.job_lease = d;
        }
        if let Some(d) = millis("LEDGERLENS_JOB_RETRY_BASE_MS") {
            self.job_retry_base = d;
        }
        if let Some(d) = millis("LEDGERLENS_WEBHOOK_RETRY_BASE_MS") {
            self.webhook_retry_base = d;
        }
        if let Some(d) = millis("LEDGERLENS_FAULT_JOB_DELAY_MS") {
            self.fault_job_delay = d;
        }
        if let Some(d) = millis("LEDGERLENS_POLL_INTERVAL_MS") {
            self.poll_interval = d;
        }
        if let Some(d) = millis("LEDGERLENS_FILE_URL_TIMEOUT_MS") {
            self.file_url_timeout = d;
        }
        let count = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u32>().ok())
        };
        if let Some(n) = count("LEDGERLENS_AUTH_FAILURE_LIMIT") {
            self.auth_failure_limit = n;
        }
        if let Some(n) = count("LEDGERLENS_PASSWORD_FAILURE_LIMIT") {
            self.password_failure_limit = n;
        }
        if let Some(d) = millis("LEDGERLENS_THROTTLE_WINDOW_MS") {
            self.throttle_window = d;
        }
        let bytes = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
        };
        if let Some(n) = bytes("LEDGERLENS_JSON_BODY_LIMIT_BYTES") {
            self.json_body_limit = n;
        }
        if let Some(n) = bytes("LEDGERLENS_JSON_FIELD_LIMIT_BYTES") {
            self.json_field_limit = n;
        }
        if let Some(n) = bytes("LEDGERLENS_PARSE_MEMORY_BUDGET_BYTES") {
            self.parse_memory_budget = u64::try_from(n).unwrap_or(u64::MAX);
        }
        if let Some(d) = millis("LEDGERLENS_PARSE_QUEUE_WAIT_MS") {
            self.parse_queue_wait = d;
        }
        // Days, as BankConnect states its own (30); 0 or unset keeps sessions.
        if let Some(days) = count("LEDGERLENS_RETENTION_DAYS").filter(|d| *d > 0) {
            self.retention = Some(Duration::from_secs(u64::from(days) * 86_400));
        }
        let secret = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(key) = secret("LEDGERLENS_SECRETS_KEY") {
            self.secrets_key = Some(key);
        }
        if let Some(key) = secret("LEDGERLENS_SECRETS_KEY_PREVIOUS") {
            self.secrets_key_previous = Some(key);
        }
        if let Some(token) = secret("LEDGERLENS_METRICS_TOKEN") {
            self.metrics_token = Some(token.trim().to_owned());
        }
        if let Some(listen) = secret("LEDGERLENS_METRICS_LISTEN") {
            self.metrics_listen = Some(listen);
        }
        if let Some(url) = secret("LEDGERLENS_PUBLIC_URL") {
            self.public_url = Some(url);
        }
        if let Ok(flag) = std::env::var("LEDGERLENS_TRUST_FORWARDED_HEADERS") {
            self.trust_forwarded_headers = matches!(
                flag.trim().to_ascii_lowercase().as_str(),
                "1" | "true" | "yes" | "on"
            );
        }
        if let Ok(origins) = std::env::var("LEDGERLENS_CORS_ALLOWED_ORIGINS") {
            self.cors_allowed_origins = origins
                .split(',')
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect();
        }
        if let Ok(schema) = std::env::var("LEDGERLENS_DATABASE_SCHEMA") {
            self.pg_schema = Some(schema).filter(|s| !s.trim().is_empty());
        }
        self
    }

    /// Whether webhooks may reach loopback and private addresses.
    pub fn webhooks_may_reach_private(&self) -> bool {
        self.webhook_allow_private || self.file_url_allow_private
    }

    /// What the processing loops need of this configuration.
    pub fn processing_settings(&self) -> ledgerlens_processing::Settings {
        ledgerlens_processing::Settings {
            job_lease: self.job_lease,
            job_retry_base: self.job_retry_base,
            poll_interval: self.poll_interval,
            fault_job_delay: self.fault_job_delay,
            webhook_max_attempts: self.webhook_max_attempts,
            webhook_retry_base: self.webhook_retry_base,
            webhook_timeout: self.webhook_timeout,
            webhooks_may_reach_private: self.webhooks_may_reach_private(),
            orphan_min_age: self.orphan_min_age,
            orphan_sweep_interval: self.orphan_sweep_interval,
            job_max_attempts: self.job_max_attempts,
            retention: self.retention,
            retention_check_interval: self.retention_check_interval,
        }
    }

    pub fn store_config(&self) -> Result<StoreConfig, StoreError> {
        // Before anything is created in it: the data dir holds the database, PDFs and keys.
        crate::secrets::harden_data_dir(&self.data_dir)
            .map_err(|e| StoreError::Config(format!("securing the data dir: {e}")))?;
        let mut config = StoreConfig::for_data_dir(&self.data_dir, self.database_url.as_deref())?;
        config.pg_schema = self.pg_schema.clone();
        if let Some(objects) = &self.objects {
            config.objects = objects.clone();
        }
        Ok(config)
    }
}
