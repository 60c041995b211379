-- Retention deletes identifiers past their expiry (two-factor ids never completed,
-- trust tokens and trust ids, change-password ids) by this index.
CREATE INDEX identifiers_expiry ON identifiers (expires_at);
