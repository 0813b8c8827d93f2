-- Issue 14: a lastName filter sorted by createdAt reads its ids from one
-- index (sql/plan.c), owner included for the user and unit access levels.
-- The descriptor res_contacts.c names it in FORCE INDEX.
CREATE INDEX ix_contacts_org_last_name_created
  ON contacts (organization_id, last_name, created_at, owner_id);
