-- Retention deletes a tenant's oldest records; search by tenant narrows the same way.
CREATE INDEX login_records_tenant_instant ON login_records (tenant_id, instant, id);
