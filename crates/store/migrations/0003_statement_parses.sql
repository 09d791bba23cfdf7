-- The engine's reading of an accepted statement (JSON), written with the statement at upload so
-- the processing job does not fetch and parse the file a second time. As personal as the file:
-- removed when the statement is settled by its job and when its session is deleted. Statements
-- without a row (uploaded before this table existed) are parsed from the file instead.
CREATE TABLE statement_parses (
    statement_id TEXT PRIMARY KEY REFERENCES statements(id),
    session_id TEXT NOT NULL,
    parse TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX statement_parses_by_session ON statement_parses (session_id);
