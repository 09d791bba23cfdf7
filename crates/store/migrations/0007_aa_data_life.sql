-- When an Account Aggregator session's FI data must be gone: the consent's DataLife counted
-- from the fetch (ReBIT: how long the FIU may keep and process the data). INF consents get no
-- row. The sweep deletes the session (files, parses, results) once expires_at has passed; kept
-- in the database so the deadline survives restarts. Times in ms.
CREATE TABLE aa_data_life (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    consent_id TEXT NOT NULL,
    data_life_unit TEXT NOT NULL,
    data_life_value BIGINT NOT NULL,
    fetched_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX aa_data_life_by_expiry ON aa_data_life (expires_at);
