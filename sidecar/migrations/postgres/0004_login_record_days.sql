-- The number of records per tenant, application and UTC day, kept by statement-level
-- triggers; it replaces the per-tenant totals of 0003. A search's total reads whole days
-- from here and counts only the partial days at either end of its window in the records
-- themselves, so an application's month costs a few thousand rows, not tens of
-- thousands. `application_id` is '' for records without an application; `day` is the
-- instant floored to a day (also for instants before 1970).
DROP TRIGGER login_records_counted_on_insert ON login_records;
DROP TRIGGER login_records_counted_on_delete ON login_records;
DROP FUNCTION login_records_count_inserted();
DROP FUNCTION login_records_count_deleted();
DROP TABLE login_record_totals;

CREATE FUNCTION login_record_day(instant BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN instant >= 0 THEN instant / 86400000 ELSE (instant + 1) / 86400000 - 1 END
$$;
CREATE TABLE login_record_days (
    tenant_id TEXT NOT NULL,
    application_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, application_id, day)
);
INSERT INTO login_record_days (tenant_id, application_id, day, total)
    SELECT tenant_id, COALESCE(application_id, ''), login_record_day(instant), COUNT(*)
    FROM login_records GROUP BY 1, 2, 3;

CREATE FUNCTION login_records_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO login_record_days (tenant_id, application_id, day, total)
        SELECT tenant_id, COALESCE(application_id, ''), login_record_day(instant), COUNT(*)
        FROM inserted_records GROUP BY 1, 2, 3
        ON CONFLICT (tenant_id, application_id, day)
        DO UPDATE SET total = login_record_days.total + EXCLUDED.total;
    RETURN NULL;
END
$$;
-- A day whose records are all gone (retention) leaves no row behind.
CREATE FUNCTION login_records_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH removed AS (
        SELECT tenant_id, COALESCE(application_id, '') AS application_id,
               login_record_day(instant) AS day, COUNT(*) AS total
        FROM deleted_records GROUP BY 1, 2, 3
    )
    UPDATE login_record_days AS t SET total = t.total - removed.total
        FROM removed
        WHERE t.tenant_id = removed.tenant_id AND t.application_id = removed.application_id
          AND t.day = removed.day;
    DELETE FROM login_record_days AS t
        USING (SELECT DISTINCT tenant_id, COALESCE(application_id, '') AS application_id,
                      login_record_day(instant) AS day
               FROM deleted_records) AS emptied
        WHERE t.tenant_id = emptied.tenant_id AND t.application_id = emptied.application_id
          AND t.day = emptied.day AND t.total = 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER login_records_counted_on_insert AFTER INSERT ON login_records
    REFERENCING NEW TABLE AS inserted_records
    FOR EACH STATEMENT EXECUTE FUNCTION login_records_count_inserted();
CREATE TRIGGER login_records_counted_on_delete AFTER DELETE ON login_records
    REFERENCING OLD TABLE AS deleted_records
    FOR EACH STATEMENT EXECUTE FUNCTION login_records_count_deleted();
