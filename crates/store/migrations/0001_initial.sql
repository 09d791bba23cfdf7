-- Portable between SQLite and PostgreSQL: TEXT and BIGINT only; times are Unix milliseconds,
-- booleans 0/1, JSON documents TEXT.

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- SHA-256 of the API key: the key itself is shown once, at creation.
    api_key_hash TEXT NOT NULL UNIQUE,
    server_hash_hash TEXT NOT NULL,
    -- Key of the optional ACCESS_TOKEN layer (HMAC of TIMESTAMP); an HMAC key must be kept usable.
    access_secret TEXT,
    require_access_token BIGINT NOT NULL DEFAULT 0,
    webhook_url TEXT,
    webhook_mode BIGINT,
    webhook_secret TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Sessions of the session flow and entities of the legacy API share one table (kind tells).
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    kind TEXT NOT NULL,
    link_id TEXT,
    from_date TEXT,
    to_date TEXT,
    bank_name TEXT,
    is_single_account BIGINT NOT NULL DEFAULT 0,
    params TEXT NOT NULL,
    expires_at BIGINT,
    processing_requested_at BIGINT,
    processing_completed_at BIGINT,
    deleted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_client ON sessions (client_id, kind, created_at);
CREATE INDEX sessions_by_link ON sessions (client_id, link_id);

CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    -- The content hash for accepted statements, NULL for rejected ones: the same file may be
    -- retried after a wrong password, but an accepted file is a STATEMENT_DUPLICATE.
    dedupe_key TEXT,
    content_sha256 TEXT NOT NULL,
    object_key TEXT,
    file_name TEXT,
    bank_name TEXT,
    pdf_password TEXT,
    source TEXT NOT NULL,
    account_id TEXT,
    account_number TEXT,
    identity TEXT,
    page_count BIGINT,
    from_date TEXT,
    to_date TEXT,
    status TEXT NOT NULL,
    identity_status TEXT NOT NULL,
    transaction_status TEXT NOT NULL,
    processing_status TEXT NOT NULL,
    fraud_status TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (session_id, dedupe_key)
);
CREATE INDEX statements_by_session ON statements (session_id, created_at);

-- One row per processed statement; written in the same transaction that completes its job.
CREATE TABLE statement_results (
    statement_id TEXT PRIMARY KEY REFERENCES statements(id),
    session_id TEXT NOT NULL,
    insights TEXT NOT NULL,
    transaction_count BIGINT NOT NULL,
    reconciled BIGINT NOT NULL,
    enrichment TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX statement_results_by_session ON statement_results (session_id);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    unique_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_token TEXT,
    lease_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at);

CREATE TABLE webhook_outbox (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    session_id TEXT,
    event_name TEXT NOT NULL,
    unique_key TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    secret TEXT,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_token TEXT,
    lease_until BIGINT,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_at);

CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY,
    outbox_id TEXT NOT NULL REFERENCES webhook_outbox(id),
    attempt BIGINT NOT NULL,
    attempted_at BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_by_outbox ON webhook_attempts (outbox_id, attempt);
