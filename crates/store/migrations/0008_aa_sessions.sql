-- The FIU's bookkeeping of each mode=aa session (consent handle, consent id, the web
-- redirection's txnid, the FI session and its key material), so a restart neither loses
-- consents in flight nor the keys an FI response is encrypted for. Times in ms.
CREATE TABLE aa_sessions (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    handle TEXT NOT NULL,
    consent_id TEXT,
    -- awaiting_consent, rejected, fetching, done, failed
    stage TEXT NOT NULL,
    failure TEXT,
    redirect_txnid TEXT,
    fi_session_id TEXT,
    -- The FI request's private key and nonce, sealed with the server's secrets key; cleared
    -- when the fetch ends.
    fi_keys TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX aa_sessions_by_stage ON aa_sessions (stage);
