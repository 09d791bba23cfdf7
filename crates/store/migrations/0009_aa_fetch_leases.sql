-- Which process runs an AA session's FI fetch: a lease like a job's (owner, random token,
-- expiry in ms), renewed while the fetch runs. Several `serve` processes share one database;
-- a fetch whose process died is taken over by another once its lease has expired, and every
-- write the fetch makes to its row needs the token, so a process that lost the lease stops.
ALTER TABLE aa_sessions ADD COLUMN lease_owner TEXT;
ALTER TABLE aa_sessions ADD COLUMN lease_token TEXT;
ALTER TABLE aa_sessions ADD COLUMN lease_until BIGINT;
