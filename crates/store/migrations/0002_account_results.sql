-- One row per bank account of a processed session: the enrichment (crates/analysis) over all of
-- the account's statements, written by the job that finalises the session.
CREATE TABLE account_results (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    account_id TEXT NOT NULL,
    -- The statement ids the document was computed from, sorted, comma-separated: a reader
    -- whose account holds other statements knows the document is stale.
    statement_ids TEXT NOT NULL,
    -- JSON: the Insights `data` sections plus the account's validation codes.
    document TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, account_id)
);
