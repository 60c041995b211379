-- One row that the readiness check rewrites every second: a committed write is the only
-- proof that the database still accepts writes (a full disk, a read-only file or a
-- PostgreSQL standby still answer SELECT 1).
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    instant BIGINT NOT NULL
);
INSERT INTO heartbeat (id, instant) VALUES (1, 0);
