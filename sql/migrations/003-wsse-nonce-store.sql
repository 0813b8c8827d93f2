-- Issue 12: the WSSE nonce store moves from a MEMORY table (full at about
-- 180,000 nonces after a restart, emptied by every restart, not replicated)
-- to InnoDB clustered by Created, keyed on (Created second, SHA-256 prefix
-- of the decoded nonce) as section 3.1 allows. The old rows hashed the
-- nonce's text and cannot be converted: nonces used in the last
-- wsse.lifetime before this migration are forgotten, as they were at every
-- restart of the old store (migrate with the service stopped, or accept it).
-- recorded_by: random bytes of the request that recorded the pair, so that
-- an INSERT resent after a lost connection tells its own first send from a
-- replay.
DROP TABLE IF EXISTS wsse_nonces;
CREATE TABLE wsse_nonces (
  created     DATETIME NOT NULL,
  nonce_hash  BINARY(16) NOT NULL,
  recorded_by BINARY(8) NOT NULL,
  PRIMARY KEY (created, nonce_hash)
) ENGINE=InnoDB;
