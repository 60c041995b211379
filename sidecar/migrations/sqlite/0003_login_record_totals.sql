-- The number of records per tenant, kept by triggers: an unfiltered search with
-- retrieveTotal reads it instead of counting every record (tens of milliseconds at a
-- million rows). The triggers run inside the writing statement's transaction.
CREATE TABLE login_record_totals (
    tenant_id TEXT PRIMARY KEY,
    total INTEGER NOT NULL
);
INSERT INTO login_record_totals (tenant_id, total)
    SELECT tenant_id, COUNT(*) FROM login_records GROUP BY tenant_id;
CREATE TRIGGER login_records_counted_on_insert AFTER INSERT ON login_records
BEGIN
    INSERT INTO login_record_totals (tenant_id, total) VALUES (NEW.tenant_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET total = total + 1;
END;
CREATE TRIGGER login_records_counted_on_delete AFTER DELETE ON login_records
BEGIN
    UPDATE login_record_totals SET total = total - 1 WHERE tenant_id = OLD.tenant_id;
END;
