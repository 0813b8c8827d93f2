-- Issue 14: the index a contacts list sorted by createdAt walks also holds the
-- id (the walk's order, made explicit) and lastName, so that a lastName filter
-- on that walk is tested on the index entries alone and the page's ids come
-- from the index (sql/plan.c walk_covers; the descriptor res_contacts.c names
-- the columns).
ALTER TABLE contacts DROP INDEX ix_contacts_org_created,
  ADD INDEX ix_contacts_org_created (organization_id, created_at, id, last_name);
