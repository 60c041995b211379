-- The number of records per tenant, application and UTC day, kept by triggers; it
-- replaces the per-tenant totals of 0003. A search's total reads whole days from here
-- and counts only the partial days at either end of its window in the records
-- themselves, so an application's month costs a few thousand rows, not tens of
-- thousands. `application_id` is '' for records without an application; `day` is the
-- instant floored to a day (also for instants before 1970).
DROP TRIGGER login_records_counted_on_insert;
DROP TRIGGER login_records_counted_on_delete;
DROP TABLE login_record_totals;
CREATE TABLE login_record_days (
    tenant_id TEXT NOT NULL,
    application_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, application_id, day)
) WITHOUT ROWID;
INSERT INTO login_record_days (tenant_id, application_id, day, total)
    SELECT tenant_id, COALESCE(application_id, ''),
           CASE WHEN instant >= 0 THEN instant / 86400000 ELSE (instant + 1) / 86400000 - 1 END,
           COUNT(*)
    FROM login_records GROUP BY 1, 2, 3;
CREATE TRIGGER login_records_counted_on_insert AFTER INSERT ON login_records
BEGIN
    INSERT INTO login_record_days (tenant_id, application_id, day, total)
        VALUES (NEW.tenant_id, COALESCE(NEW.application_id, ''),
                CASE WHEN NEW.instant >= 0 THEN NEW.instant / 86400000
                     ELSE (NEW.instant + 1) / 86400000 - 1 END,
                1)
        ON CONFLICT (tenant_id, application_id, day) DO UPDATE SET total = total + 1;
END;
-- A day whose records are all gone (retention) leaves no row behind.
CREATE TRIGGER login_records_counted_on_delete AFTER DELETE ON login_records
BEGIN
    UPDATE login_record_days SET total = total - 1
        WHERE tenant_id = OLD.tenant_id AND application_id = COALESCE(OLD.application_id, '')
          AND day = CASE WHEN OLD.instant >= 0 THEN OLD.instant / 86400000
                         ELSE (OLD.instant + 1) / 86400000 - 1 END;
    DELETE FROM login_record_days
        WHERE tenant_id = OLD.tenant_id AND application_id = COALESCE(OLD.application_id, '')
          AND day = CASE WHEN OLD.instant >= 0 THEN OLD.instant / 86400000
                         ELSE (OLD.instant + 1) / 86400000 - 1 END
          AND total = 0;
END;
