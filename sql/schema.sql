-- Schema of the API's database (MariaDB 10.5+, InnoDB, utf8mb4).
-- Column names are snake_case; the resource descriptors in src/res_*.c map
-- them to the API's camelCase names. All DATETIME values are UTC.

SET NAMES utf8mb4;
SET FOREIGN_KEY_CHECKS = 0;

CREATE TABLE organizations (
  id           INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name         VARCHAR(255) NOT NULL,
  description  TEXT NULL,
  enabled      TINYINT(1) NOT NULL DEFAULT 1,
  created_at   DATETIME NOT NULL,
  updated_at   DATETIME NOT NULL,
  UNIQUE KEY uq_organizations_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE business_units (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id  INT UNSIGNED NOT NULL,
  parent_id        INT UNSIGNED NULL,
  name             VARCHAR(255) NOT NULL,
  phone            VARCHAR(100) NULL,
  email            VARCHAR(255) NULL,
  fax              VARCHAR(100) NULL,
  website          VARCHAR(255) NULL,
  created_at       DATETIME NOT NULL,
  updated_at       DATETIME NOT NULL,
  KEY ix_business_units_org (organization_id, id),
  CONSTRAINT fk_bu_org FOREIGN KEY (organization_id) REFERENCES organizations (id),
  CONSTRAINT fk_bu_parent FOREIGN KEY (parent_id) REFERENCES business_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
  id                INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id   INT UNSIGNED NOT NULL,
  business_unit_id  INT UNSIGNED NOT NULL,
  username          VARCHAR(255) NOT NULL,
  email             VARCHAR(255) NOT NULL,
  name_prefix       VARCHAR(255) NULL,
  first_name        VARCHAR(255) NULL,
  middle_name       VARCHAR(255) NULL,
  last_name         VARCHAR(255) NULL,
  name_suffix       VARCHAR(255) NULL,
  birthday          DATE NULL,
  enabled           TINYINT(1) NOT NULL DEFAULT 1,
  last_login        DATETIME NULL,
  login_count       INT UNSIGNED NOT NULL DEFAULT 0,
  password_hash     VARCHAR(255) NULL,
  created_at        DATETIME NOT NULL,
  updated_at        DATETIME NOT NULL,
  UNIQUE KEY uq_users_username (username),
  UNIQUE KEY uq_users_email (email),
  KEY ix_users_org (organization_id, id),
  CONSTRAINT fk_users_org FOREIGN KEY (organization_id) REFERENCES organizations (id),
  CONSTRAINT fk_users_bu FOREIGN KEY (business_unit_id) REFERENCES business_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Organizations a user may act in (an API key names one of them).
CREATE TABLE user_organizations (
  user_id          INT UNSIGNED NOT NULL,
  organization_id  INT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, organization_id),
  KEY ix_uo_org (organization_id),
  CONSTRAINT fk_uo_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_uo_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
) ENGINE=InnoDB;

CREATE TABLE user_business_units (
  user_id           INT UNSIGNED NOT NULL,
  business_unit_id  INT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, business_unit_id),
  KEY ix_ubu_bu (business_unit_id, user_id),
  CONSTRAINT fk_ubu_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_ubu_bu FOREIGN KEY (business_unit_id) REFERENCES business_units (id)
) ENGINE=InnoDB;

-- userroles; a NULL organization_id means the role is shared by all organizations.
CREATE TABLE roles (
  id                  INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id     INT UNSIGNED NULL,
  role                VARCHAR(255) NOT NULL,
  label               VARCHAR(255) NOT NULL,
  extend_description  TEXT NULL,
  created_at          DATETIME NOT NULL,
  updated_at          DATETIME NOT NULL,
  UNIQUE KEY uq_roles_role (role),
  KEY ix_roles_org (organization_id),
  CONSTRAINT fk_roles_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_roles (
  user_id  INT UNSIGNED NOT NULL,
  role_id  INT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, role_id),
  KEY ix_ur_role (role_id, user_id),
  CONSTRAINT fk_ur_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_ur_role FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Per-role permissions: one row per (role, resource type, permission).
-- Levels in order of reach (the ENUM's order is compared: level + 0);
-- 'global' also writes the records every organization shares.
CREATE TABLE role_permissions (
  role_id      INT UNSIGNED NOT NULL,
  entity_type  VARCHAR(64) NOT NULL,
  permission   ENUM('VIEW','CREATE','EDIT','DELETE') NOT NULL,
  level        ENUM('none','user','business_unit','division','organization','global') NOT NULL,
  PRIMARY KEY (role_id, entity_type, permission),
  CONSTRAINT fk_rp_role FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE countries (
  iso2_code   CHAR(2) NOT NULL PRIMARY KEY,
  iso3_code   CHAR(3) NOT NULL,
  name        VARCHAR(255) NOT NULL,
  created_at  DATETIME NOT NULL,
  updated_at  DATETIME NOT NULL,
  UNIQUE KEY uq_countries_iso3 (iso3_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE contacts (
  id                        INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id           INT UNSIGNED NOT NULL,
  owner_id                  INT UNSIGNED NOT NULL,
  assigned_to_id            INT UNSIGNED NULL,
  reports_to_id             INT UNSIGNED NULL,
  country_code              CHAR(2) NULL,
  name_prefix               VARCHAR(255) NULL,
  first_name                VARCHAR(255) NULL,
  middle_name               VARCHAR(255) NULL,
  last_name                 VARCHAR(255) NULL,
  name_suffix               VARCHAR(255) NULL,
  gender                    ENUM('male','female') NULL,
  birthday                  DATE NULL,
  description               TEXT NULL,
  job_title                 VARCHAR(255) NULL,
  email                     VARCHAR(255) NULL,
  phone                     VARCHAR(100) NULL,
  fax                       VARCHAR(100) NULL,
  skype                     VARCHAR(255) NULL,
  twitter                   VARCHAR(255) NULL,
  last_contacted_date       DATETIME NULL,
  last_contacted_date_in    DATETIME NULL,
  last_contacted_date_out   DATETIME NULL,
  times_contacted           INT UNSIGNED NOT NULL DEFAULT 0,
  times_contacted_in        INT UNSIGNED NOT NULL DEFAULT 0,
  times_contacted_out       INT UNSIGNED NOT NULL DEFAULT 0,
  created_at                DATETIME NOT NULL,
  updated_at                DATETIME NOT NULL,
  KEY ix_contacts_org (organization_id, id),
  KEY ix_contacts_org_last_name (organization_id, last_name),  -- filters by lastName
  KEY ix_contacts_owner (owner_id),
  CONSTRAINT fk_contacts_org FOREIGN KEY (organization_id) REFERENCES organizations (id),
  CONSTRAINT fk_contacts_owner FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT fk_contacts_assigned FOREIGN KEY (assigned_to_id) REFERENCES users (id),
  CONSTRAINT fk_contacts_reports FOREIGN KEY (reports_to_id) REFERENCES contacts (id),
  CONSTRAINT fk_contacts_country FOREIGN KEY (country_code) REFERENCES countries (iso2_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE accounts (
  id                        INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id           INT UNSIGNED NOT NULL,
  owner_id                  INT UNSIGNED NOT NULL,
  default_contact_id        INT UNSIGNED NULL,
  name                      VARCHAR(255) NOT NULL,
  description               TEXT NULL,
  annual_revenue            DECIMAL(19,4) NULL,
  employees_count           INT NULL,
  last_contacted_date       DATETIME NULL,
  last_contacted_date_in    DATETIME NULL,
  last_contacted_date_out   DATETIME NULL,
  times_contacted           INT UNSIGNED NOT NULL DEFAULT 0,
  times_contacted_in        INT UNSIGNED NOT NULL DEFAULT 0,
  times_contacted_out       INT UNSIGNED NOT NULL DEFAULT 0,
  created_at                DATETIME NOT NULL,
  updated_at                DATETIME NOT NULL,
  KEY ix_accounts_org (organization_id, id),
  KEY ix_accounts_owner (owner_id),
  CONSTRAINT fk_accounts_org FOREIGN KEY (organization_id) REFERENCES organizations (id),
  CONSTRAINT fk_accounts_owner FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT fk_accounts_contact FOREIGN KEY (default_contact_id) REFERENCES contacts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A link carries the organization of both ends: the composite keys make a
-- link between records of two organizations impossible (migration 006), so
-- the linkage reads this table alone (src/sql/linkage.c). Every key leads
-- with the organization, which every statement on the table binds; the
-- referenced keys are ix_accounts_org and ix_contacts_org.
CREATE TABLE account_contacts (
  organization_id  INT UNSIGNED NOT NULL,
  account_id       INT UNSIGNED NOT NULL,
  contact_id       INT UNSIGNED NOT NULL,
  PRIMARY KEY (organization_id, account_id, contact_id),
  KEY ix_ac_contact (organization_id, contact_id, account_id),
  CONSTRAINT fk_ac_account FOREIGN KEY (organization_id, account_id)
    REFERENCES accounts (organization_id, id) ON DELETE CASCADE,
  CONSTRAINT fk_ac_contact FOREIGN KEY (organization_id, contact_id)
    REFERENCES contacts (organization_id, id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE calls (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id  INT UNSIGNED NOT NULL,
  owner_id         INT UNSIGNED NOT NULL,
  contact_id       INT UNSIGNED NULL,
  account_id       INT UNSIGNED NULL,
  subject          VARCHAR(255) NOT NULL,
  phone_number     VARCHAR(255) NOT NULL,
  notes            TEXT NULL,
  call_date_time   DATETIME NOT NULL,
  direction        ENUM('incoming','outgoing') NOT NULL,
  duration         INT UNSIGNED NULL,
  created_at       DATETIME NOT NULL,
  updated_at       DATETIME NOT NULL,
  KEY ix_calls_org (organization_id, id),
  KEY ix_calls_org_time (organization_id, call_date_time),  -- filters and sorts by callDateTime
  KEY ix_calls_contact (contact_id),
  KEY ix_calls_account (account_id),
  CONSTRAINT fk_calls_org FOREIGN KEY (organization_id) REFERENCES organizations (id),
  CONSTRAINT fk_calls_owner FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT fk_calls_contact FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT fk_calls_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE async_operations (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id  INT UNSIGNED NOT NULL,
  owner_id         INT UNSIGNED NOT NULL,
  status           ENUM('new','running','failed','success','cancelled') NOT NULL DEFAULT 'new',
  progress         DECIMAL(5,4) NULL,
  entity_type      VARCHAR(64) NOT NULL,
  elapsed_time     INT UNSIGNED NOT NULL DEFAULT 0,
  summary          TEXT NULL,
  created_at       DATETIME NOT NULL,
  updated_at       DATETIME NOT NULL,
  -- The job (migration 005): who runs it (a random token per lease, the
  -- runner's pid for operators), until when (renewed per chunk; an expired
  -- lease is taken over by apictl batch-worker), how often it was started,
  -- how many chunks of 100 records are committed (advanced by each chunk's
  -- own transaction), and the counters of the summary.
  runner_token     BIGINT UNSIGNED NULL,
  runner_pid       INT UNSIGNED NULL,
  lease_until      DATETIME NULL,
  attempts         SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  chunks_done      INT UNSIGNED NOT NULL DEFAULT 0,
  record_count     INT UNSIGNED NOT NULL DEFAULT 0,
  read_count       INT UNSIGNED NOT NULL DEFAULT 0,
  write_count      INT UNSIGNED NOT NULL DEFAULT 0,
  error_count      INT UNSIGNED NOT NULL DEFAULT 0,
  create_count     INT UNSIGNED NOT NULL DEFAULT 0,
  update_count     INT UNSIGNED NOT NULL DEFAULT 0,
  aggregate_ms     BIGINT UNSIGNED NOT NULL DEFAULT 0,
  KEY ix_async_org (organization_id, id),
  KEY ix_async_lease (status, lease_until),
  KEY ix_async_updated (updated_at),
  CONSTRAINT fk_async_org FOREIGN KEY (organization_id) REFERENCES organizations (id),
  CONSTRAINT fk_async_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A job's request body, in parts of at most 1 MiB (one 16 MiB value would
-- not pass max_allowed_packet); deleted when the job ends.
CREATE TABLE async_operation_data (
  operation_id  INT UNSIGNED NOT NULL,
  seq           INT UNSIGNED NOT NULL,
  part          MEDIUMBLOB NOT NULL,
  PRIMARY KEY (operation_id, seq),
  CONSTRAINT fk_async_data_op FOREIGN KEY (operation_id) REFERENCES async_operations (id)
    ON DELETE CASCADE
) ENGINE=InnoDB;

-- The errors of a job (GET /api/asyncoperations/{id}/errors): pointer into
-- the original body.
CREATE TABLE async_operation_errors (
  id            INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  operation_id  INT UNSIGNED NOT NULL,
  status        SMALLINT UNSIGNED NOT NULL,
  title         VARCHAR(255) NOT NULL,
  detail        TEXT NULL,
  pointer       VARCHAR(255) NULL,
  KEY ix_async_errors_op (operation_id, id),
  CONSTRAINT fk_async_errors_op FOREIGN KEY (operation_id) REFERENCES async_operations (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- WSSE API keys: the key itself must be kept, since the server recomputes the digest.
CREATE TABLE api_keys (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id          INT UNSIGNED NOT NULL,
  organization_id  INT UNSIGNED NOT NULL,
  api_key          CHAR(40) CHARACTER SET ascii NOT NULL,
  enabled          TINYINT(1) NOT NULL DEFAULT 1,
  created_at       DATETIME NOT NULL,
  UNIQUE KEY uq_api_keys_key (api_key),
  KEY ix_api_keys_user (user_id),
  CONSTRAINT fk_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_keys_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
) ENGINE=InnoDB;

-- Used WSSE nonces (section 3.1): one row per (nonce, Created) pair that
-- authenticated a request; nonce_hash is the first 16 bytes of SHA-256 of
-- the nonce's decoded bytes, created the second of its Created. InnoDB,
-- clustered by created: inserts land at the new end, and expired rows are
-- purged from the old end in small batches (src/auth.c, apictl purge), so
-- the buffer pool only needs the two ends however many rows are live (7.2
-- million at 2,000 requests/s over wsse.lifetime). It survives restarts and
-- replicates (Galera too); nothing is configured on the server.
-- recorded_by: bytes unique to the request that recorded the pair (see
-- src/core/uniq.c), so that
-- an INSERT resent after a lost connection tells its own first send from a
-- replay.
CREATE TABLE wsse_nonces (
  created     DATETIME NOT NULL,
  nonce_hash  BINARY(16) NOT NULL,
  recorded_by BINARY(8) NOT NULL,
  PRIMARY KEY (created, nonce_hash)
) ENGINE=InnoDB;

-- Indexes for the filters and sorts clients use most (section 6): every
-- list is scoped by organization, so each starts with organization_id.
CREATE INDEX ix_contacts_org_first_name ON contacts (organization_id, first_name);
-- The createdAt walk also holds the id (its order) and lastName (issue 14:
-- a lastName filter on the walk is tested on the entries alone, migration 007).
CREATE INDEX ix_contacts_org_created ON contacts (organization_id, created_at, id, last_name);
CREATE INDEX ix_contacts_org_email ON contacts (organization_id, email);
CREATE INDEX ix_accounts_org_name ON accounts (organization_id, name);
CREATE INDEX ix_accounts_org_created ON accounts (organization_id, created_at);
CREATE INDEX ix_calls_org_created ON calls (organization_id, created_at);
CREATE INDEX ix_users_org_last_name ON users (organization_id, last_name);
-- Covers a lastName filter sorted by createdAt (issue 14: sql/plan.c reads the
-- ids from it alone, owner included for the user and unit levels).
CREATE INDEX ix_contacts_org_last_name_created
  ON contacts (organization_id, last_name, created_at, owner_id);

-- OAuth 2.0 clients (section 3.2): each belongs to a user and acts in one of
-- the user's organizations. Only an argon2id hash of the secret is kept.
CREATE TABLE oauth_clients (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id          INT UNSIGNED NOT NULL,
  organization_id  INT UNSIGNED NOT NULL,
  client_id        VARCHAR(64) CHARACTER SET ascii NOT NULL,
  secret_hash      VARCHAR(255) CHARACTER SET ascii NOT NULL,
  enabled          TINYINT(1) NOT NULL DEFAULT 1,
  created_at       DATETIME NOT NULL,
  UNIQUE KEY uq_oauth_clients_client_id (client_id),
  KEY ix_oauth_clients_user (user_id),
  CONSTRAINT fk_oc_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_oc_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
) ENGINE=InnoDB;

-- Access and refresh tokens, stored only as SHA-256 of the token. InnoDB:
-- tokens must survive a database restart, unlike WSSE nonces. family: the
-- hash of the first access token of the grant the token descends from
-- (rotations inherit it), so reuse of a rotated refresh token revokes them all.
CREATE TABLE oauth_tokens (
  token_hash       BINARY(32) NOT NULL PRIMARY KEY,
  kind             ENUM('access','refresh') NOT NULL,
  client_id        INT UNSIGNED NOT NULL,
  user_id          INT UNSIGNED NOT NULL,
  organization_id  INT UNSIGNED NOT NULL,
  expires_at       DATETIME NOT NULL,
  revoked          TINYINT(1) NOT NULL DEFAULT 0,
  created_at       DATETIME NOT NULL,
  family           BINARY(32) NOT NULL,
  KEY ix_oauth_tokens_expiry (expires_at),
  KEY ix_oauth_tokens_client (client_id),
  KEY ix_oauth_tokens_family (family),
  CONSTRAINT fk_ot_client FOREIGN KEY (client_id) REFERENCES oauth_clients (id) ON DELETE CASCADE,
  CONSTRAINT fk_ot_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_ot_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
) ENGINE=InnoDB;

-- Failed authentications at the token endpoint (section 3.2), one row per
-- username or client: key_hash is SHA-256 of "user:" or "client:" and the
-- utf8mb4_unicode_ci weight of the name (every spelling MariaDB takes for
-- the same name counts together). A row counts for oauth.failure_window
-- seconds from window_start; older rows are ignored and purged (oauth.c,
-- apictl purge). InnoDB: shared by every process and host, replicated.
CREATE TABLE oauth_failures (
  key_hash      BINARY(32) NOT NULL PRIMARY KEY,
  window_start  DATETIME(6) NOT NULL,
  failures      INT UNSIGNED NOT NULL,
  KEY ix_oauth_failures_start (window_start)
) ENGINE=InnoDB;

CREATE TABLE schema_migrations (
  version     VARCHAR(64) NOT NULL PRIMARY KEY,
  applied_at  DATETIME NOT NULL
) ENGINE=InnoDB;
INSERT INTO schema_migrations VALUES ('000-initial', UTC_TIMESTAMP());
INSERT INTO schema_migrations VALUES ('002-oauth-guarding', UTC_TIMESTAMP());
INSERT INTO schema_migrations VALUES ('003-wsse-nonce-store', UTC_TIMESTAMP());
INSERT INTO schema_migrations VALUES ('001-global-level', UTC_TIMESTAMP());
INSERT INTO schema_migrations VALUES ('004-list-indexes', UTC_TIMESTAMP());
INSERT INTO schema_migrations VALUES ('005-batch-jobs', UTC_TIMESTAMP());
INSERT INTO schema_migrations VALUES ('006-account-contacts-org', UTC_TIMESTAMP());
INSERT INTO schema_migrations VALUES ('007-contacts-created-walk', UTC_TIMESTAMP());

SET FOREIGN_KEY_CHECKS = 1;
