-- Retention walks an application's refresh tokens in the order they were issued and
-- deletes the expired ones; this index gives that order (and still serves revocation by
-- application, which the index it replaces was for).
DROP INDEX refresh_tokens_application;
CREATE INDEX refresh_tokens_issued ON refresh_tokens (application_id, insert_instant, id);

-- A retired value is kept only to catch the reuse of its token; once the token is gone
-- (expiry, logout, revocation, reuse, its user's deletion) it has nothing to protect.
DELETE FROM retired_refresh_tokens r
    WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.id = r.refresh_token_id);
ALTER TABLE retired_refresh_tokens
    ADD CONSTRAINT retired_refresh_tokens_token
    FOREIGN KEY (refresh_token_id) REFERENCES refresh_tokens (id) ON DELETE CASCADE;
CREATE INDEX retired_refresh_tokens_token ON retired_refresh_tokens (refresh_token_id);
