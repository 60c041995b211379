-- Every read and claim of an identifier is by its key, so the table is stored as that
-- key's b-tree: writing one is one b-tree fewer than a rowid table and its key index.
CREATE TABLE identifiers_by_key (
    kind TEXT NOT NULL,
    id_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, id_hash)
) WITHOUT ROWID;
INSERT INTO identifiers_by_key (kind, id_hash, user_id, expires_at, data, attempts)
    SELECT kind, id_hash, user_id, expires_at, data, attempts FROM identifiers;
DROP TABLE identifiers;
ALTER TABLE identifiers_by_key RENAME TO identifiers;
CREATE INDEX identifiers_user ON identifiers (user_id, kind);
CREATE INDEX identifiers_expiry ON identifiers (expires_at);
