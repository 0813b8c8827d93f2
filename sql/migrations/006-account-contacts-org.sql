-- Issue 14: a link between an account and a contact carries their
-- organization, and composite keys to (organization_id, id) of both ends
-- make a link across organizations impossible, so the linkage can read
-- this table alone. Every key leads with the organization.
-- A link whose account and contact are in different organizations is not
-- valid data (the API never wrote one, and never showed one): such rows
-- are deleted, before the others take their account's organization.
DELETE j FROM account_contacts j
  JOIN accounts a ON a.id = j.account_id
  JOIN contacts c ON c.id = j.contact_id
  WHERE a.organization_id <> c.organization_id;
ALTER TABLE account_contacts
  DROP FOREIGN KEY fk_ac_account,
  DROP FOREIGN KEY fk_ac_contact;
ALTER TABLE account_contacts
  ADD COLUMN organization_id INT UNSIGNED NOT NULL FIRST;
UPDATE account_contacts j JOIN accounts a ON a.id = j.account_id
  SET j.organization_id = a.organization_id;
ALTER TABLE account_contacts
  DROP PRIMARY KEY,
  DROP KEY ix_ac_contact,
  ADD PRIMARY KEY (organization_id, account_id, contact_id),
  ADD KEY ix_ac_contact (organization_id, contact_id, account_id),
  ADD CONSTRAINT fk_ac_account FOREIGN KEY (organization_id, account_id)
    REFERENCES accounts (organization_id, id) ON DELETE CASCADE,
  ADD CONSTRAINT fk_ac_contact FOREIGN KEY (organization_id, contact_id)
    REFERENCES contacts (organization_id, id) ON DELETE CASCADE;
