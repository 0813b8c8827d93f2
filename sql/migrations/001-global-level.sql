-- Section 4: the access level `global`, above `organization`, needed to
-- create, change or delete the records every organization shares (shared
-- userroles, countries). No existing role gets it: grant it to a shared
-- role with `apictl role grant ROLE TYPE PERMISSION global`.
ALTER TABLE role_permissions
  MODIFY level ENUM('none','user','business_unit','division','organization','global') NOT NULL;
