-- Authlet sidecar schema (PostgreSQL): the SQLite schema with PostgreSQL types. Flags
-- are 0/1 BIGINTs on both databases so the same statements decode alike. Instants are epoch milliseconds; ids are UUID text.
-- Secrets (tokens, identifiers, recovery codes) are stored only as SHA-256 hex.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
    email TEXT,
    email_key TEXT,
    username TEXT,
    username_key TEXT,
    active BIGINT NOT NULL,
    verified BIGINT NOT NULL,
    expiry BIGINT,
    password_scheme TEXT,
    password_factor BIGINT,
    password_salt TEXT,
    password_hash TEXT,
    password_change_required BIGINT NOT NULL DEFAULT 0,
    password_change_reason TEXT,
    password_last_update_instant BIGINT,
    insert_instant BIGINT NOT NULL,
    last_update_instant BIGINT NOT NULL,
    last_login_instant BIGINT,
    profile TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email_key);
CREATE UNIQUE INDEX users_tenant_username ON users (tenant_id, username_key);

CREATE TABLE registrations (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '[]',
    verified BIGINT NOT NULL,
    insert_instant BIGINT NOT NULL,
    last_login_instant BIGINT,
    profile TEXT NOT NULL DEFAULT '{}',
    UNIQUE (user_id, application_id)
);

CREATE TABLE two_factor_methods (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    secret TEXT NOT NULL,
    -- The last TOTP time step accepted, so a code cannot be replayed.
    last_used_step BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, id)
);

CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    insert_instant BIGINT NOT NULL,
    last_used_instant BIGINT NOT NULL,
    auth_time BIGINT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_application ON refresh_tokens (application_id);

-- Values a one-time-use token had before rotation: presenting one again is reuse,
-- which revokes the whole family (the refresh_tokens row).
CREATE TABLE retired_refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    refresh_token_id TEXT NOT NULL
);

-- Short-lived opaque identifiers: twoFactorId, changePasswordId, one-time passwords,
-- two-factor trust ids.
CREATE TABLE identifiers (
    kind TEXT NOT NULL,
    id_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    attempts BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, id_hash)
);
CREATE INDEX identifiers_user ON identifiers (user_id, kind);

CREATE TABLE failed_logins (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    count BIGINT NOT NULL,
    last_failure_instant BIGINT NOT NULL,
    locked_until BIGINT
);

CREATE TABLE login_records (
    id BIGSERIAL PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    application_id TEXT,
    application_name TEXT,
    login_id TEXT NOT NULL,
    instant BIGINT NOT NULL,
    ip_address TEXT
);
CREATE INDEX login_records_instant ON login_records (instant, id);
CREATE INDEX login_records_user ON login_records (user_id, instant);
CREATE INDEX login_records_application ON login_records (application_id, instant);
