-- Retention walks an application's refresh tokens in the order they were issued and
-- deletes the expired ones; this index gives that order (and still serves revocation by
-- application, which the index it replaces was for).
DROP INDEX refresh_tokens_application;
CREATE INDEX refresh_tokens_issued ON refresh_tokens (application_id, insert_instant, id);

-- A retired value is kept only to catch the reuse of its token; once the token is gone
-- (expiry, logout, revocation, reuse, its user's deletion) it has nothing to protect.
-- SQLite adds a foreign key only by rebuilding the table.
CREATE TABLE retired_refresh_tokens_of_live_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    refresh_token_id TEXT NOT NULL REFERENCES refresh_tokens (id) ON DELETE CASCADE
);
INSERT INTO retired_refresh_tokens_of_live_tokens (token_hash, refresh_token_id)
    SELECT token_hash, refresh_token_id FROM retired_refresh_tokens r
    WHERE EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.id = r.refresh_token_id);
DROP TABLE retired_refresh_tokens;
ALTER TABLE retired_refresh_tokens_of_live_tokens RENAME TO retired_refresh_tokens;
CREATE INDEX retired_refresh_tokens_token ON retired_refresh_tokens (refresh_token_id);
