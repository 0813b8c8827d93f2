-- Issue 10 (section 3.2, RFC 9700): token families and the failure counters
-- of the token endpoint. Tokens issued before it each form their own family.
ALTER TABLE oauth_tokens ADD COLUMN family BINARY(32) NOT NULL,
  ADD KEY ix_oauth_tokens_family (family);
UPDATE oauth_tokens SET family = token_hash;
CREATE TABLE oauth_failures (
  key_hash      BINARY(32) NOT NULL PRIMARY KEY,
  window_start  DATETIME(6) NOT NULL,
  failures      INT UNSIGNED NOT NULL,
  KEY ix_oauth_failures_start (window_start)
) ENGINE=InnoDB;
