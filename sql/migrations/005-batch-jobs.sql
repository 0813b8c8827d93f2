-- Issue 15: asynchronous batch jobs (API.md section 9). A job keeps the
-- request body in parts of at most 1 MiB (a 16 MiB body in one value would
-- pass max_allowed_packet), who asked (owner_id + organization_id rebuild
-- the request's permissions), a lease (runner_token, lease_until, renewed
-- per chunk), its attempts, and chunks_done: the chunk's own transaction
-- advances it, so no chunk is ever committed twice. The counters make the
-- summary when the job ends.
ALTER TABLE async_operations
  ADD COLUMN runner_token  BIGINT UNSIGNED NULL,
  ADD COLUMN runner_pid    INT UNSIGNED NULL,
  ADD COLUMN lease_until   DATETIME NULL,
  ADD COLUMN attempts      SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN chunks_done   INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN record_count  INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN read_count    INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN write_count   INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN error_count   INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN create_count  INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN update_count  INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN aggregate_ms  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD KEY ix_async_lease (status, lease_until),
  ADD KEY ix_async_updated (updated_at);
CREATE TABLE async_operation_data (
  operation_id  INT UNSIGNED NOT NULL,
  seq           INT UNSIGNED NOT NULL,
  part          MEDIUMBLOB NOT NULL,
  PRIMARY KEY (operation_id, seq),
  CONSTRAINT fk_async_data_op FOREIGN KEY (operation_id) REFERENCES async_operations (id)
    ON DELETE CASCADE
) ENGINE=InnoDB;
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
