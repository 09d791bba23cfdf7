-- One row rewritten by every readiness check (/readyz): a real write, so readiness reflects
-- whether the database can take writes (a full disk, a read-only file), not only whether it
-- answers a SELECT.
CREATE TABLE readiness_probe (
    id TEXT PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
