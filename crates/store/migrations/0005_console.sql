-- The analyst console (crates/server/src/console): its users, each belonging to one client and
-- seeing only that client's sessions, and its signed-in browser sessions.
CREATE TABLE console_users (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    -- Unique across clients: the sign-in form asks for a user name only.
    username TEXT NOT NULL UNIQUE,
    -- Argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);

-- One row per signed-in browser. The cookie carries a random token; only its SHA-256 is kept.
-- user_id is NULL for a sign-in with the client's API key.
CREATE TABLE console_sessions (
    token_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    user_id TEXT,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_by_user ON console_sessions (user_id);
