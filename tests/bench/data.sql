-- Benchmark data set for `make bench`, on top of sql/seed.sql: 100,000
-- more contacts, 20,000 accounts and 1,000,000 calls in organization 1, made in SQL with the
-- Sequence engine (a few seconds, no client round trips per row).
SET NAMES utf8mb4;
SET time_zone = '+00:00';
SET unique_checks = 0;
SET foreign_key_checks = 0;

INSERT INTO contacts (organization_id, owner_id, assigned_to_id, country_code, first_name,
                      last_name, gender, email, phone, description, created_at, updated_at)
SELECT 1, 5 + MOD(seq * 7, 30), IF(MOD(seq, 3) = 0, NULL, 5 + MOD(seq * 11, 30)),
       ELT(1 + MOD(seq, 5), 'US', 'DE', 'FR', 'GB', 'UA'),
       ELT(1 + MOD(seq * 13, 12), 'Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Felix', 'Grace',
           'Hugo', 'Iris', 'Jack', 'Kate', 'Liam'),
       CONCAT(ELT(1 + MOD(seq * 17, 10), 'Smith', 'Jones', 'Brown', 'Taylor', 'Wilson', 'Davies',
                  'Evans', 'Thomas', 'Johnson', 'Roberts'), '-', seq),
       IF(MOD(seq, 2) = 0, 'female', 'male'),
       CONCAT('bench', seq, '@example.com'), CONCAT('+1-555-', LPAD(MOD(seq, 10000), 4, '0')),
       IF(MOD(seq, 4) = 0, NULL, 'Benchmark contact'),
       '2017-01-01 00:00:00' + INTERVAL seq MINUTE, '2017-01-01 00:00:00' + INTERVAL seq MINUTE
FROM seq_1_to_100000;

-- 20,000 accounts with about five contacts each.
SET @a0 = (SELECT MAX(id) FROM accounts);
INSERT INTO accounts (organization_id, owner_id, name, annual_revenue, employees_count,
                      created_at, updated_at)
SELECT 1, 5 + MOD(seq * 7, 30), CONCAT('Bench account ', seq), seq * 10.5, MOD(seq, 500),
       '2017-01-01 00:00:00' + INTERVAL seq MINUTE, '2017-01-01 00:00:00' + INTERVAL seq MINUTE
FROM seq_1_to_20000;

INSERT INTO account_contacts (organization_id, account_id, contact_id)
SELECT 1, a.id, c.id FROM contacts c
JOIN accounts a ON a.id = @a0 + 1 + MOD(c.id, 20000)
WHERE c.id > 1000 AND c.organization_id = 1;

INSERT INTO calls (organization_id, owner_id, contact_id, account_id, subject, phone_number, notes,
                   call_date_time, direction, duration, created_at, updated_at)
SELECT 1, 5 + MOD(seq * 7, 30), 1000 + MOD(seq, 100000), NULL,
       ELT(1 + MOD(seq, 6), 'Follow-up', 'Renewal', 'Support', 'Demo', 'Pricing', 'Check-in'),
       CONCAT('+1-555-', LPAD(MOD(seq, 10000), 4, '0')), NULL,
       '2017-01-01 00:00:00' + INTERVAL seq * 7 MINUTE,
       IF(MOD(seq, 2) = 0, 'incoming', 'outgoing'), MOD(seq * 37, 3600),
       '2017-01-01 00:00:00' + INTERVAL seq * 7 MINUTE,
       '2017-01-01 00:00:00' + INTERVAL seq * 7 MINUTE
FROM seq_1_to_1000000;

SET unique_checks = 1;
SET foreign_key_checks = 1;
ANALYZE TABLE contacts, calls, account_contacts;
