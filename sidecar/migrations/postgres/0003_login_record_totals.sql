-- The number of records per tenant, kept by statement-level triggers (one update per
-- statement, however many rows it wrote): an unfiltered search with retrieveTotal reads
-- it instead of counting every record.
CREATE TABLE login_record_totals (
    tenant_id TEXT PRIMARY KEY,
    total BIGINT NOT NULL
);
INSERT INTO login_record_totals (tenant_id, total)
    SELECT tenant_id, COUNT(*) FROM login_records GROUP BY tenant_id;

CREATE FUNCTION login_records_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO login_record_totals (tenant_id, total)
        SELECT tenant_id, COUNT(*) FROM inserted_records GROUP BY tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET total = login_record_totals.total + EXCLUDED.total;
    RETURN NULL;
END
$$;
CREATE FUNCTION login_records_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE login_record_totals AS t SET total = t.total - d.removed
        FROM (SELECT tenant_id, COUNT(*) AS removed FROM deleted_records GROUP BY tenant_id) AS d
        WHERE t.tenant_id = d.tenant_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER login_records_counted_on_insert AFTER INSERT ON login_records
    REFERENCING NEW TABLE AS inserted_records
    FOR EACH STATEMENT EXECUTE FUNCTION login_records_count_inserted();
CREATE TRIGGER login_records_counted_on_delete AFTER DELETE ON login_records
    REFERENCING OLD TABLE AS deleted_records
    FOR EACH STATEMENT EXECUTE FUNCTION login_records_count_deleted();
