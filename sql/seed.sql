-- Demo data for the API's database. Applied right after schema.sql on an empty
-- database:  mariadb DBNAME < sql/seed.sql
--
-- Everything is deterministic: fixed UTC timestamps, and bulk rows generated
-- from the Sequence engine (seq_A_to_B) with MOD()/ELT() expressions.
--
-- Layout (ids):
--   organizations   1 Acme Inc, 2 Globex Corp, 3 Initech Ltd (disabled)
--   business_units  org 1: 1..4, org 2: 5..6, org 3: 7
--   users           1 admin (org 1, also member of org 2), 2 globex_admin,
--                   3 disabled_user (org 1, enabled = 0), 4 initech_admin,
--                   5..34 org 1, 35..50 org 2,
--                   51..57 org 1 and 58..60 org 2: the access-control demo
--                   users (manager, sales, viewer, teamlead, hr, sales_manager,
--                   basic_user; globex_manager, globex_sales, globex_viewer),
--                   see the last section
--   roles           1..2 shared (ADMINISTRATOR: organization level on
--                   everything), 3..5 org 1 (MANAGER division, SALES user,
--                   VIEWER view-only), 6 org 2 (GLOBEX_MANAGER), 7..8 org 2
--                   (GLOBEX_SALES, GLOBEX_VIEWER), 9..10 org 1 (TEAM_LEAD
--                   business_unit, HR users at division), 11 shared
--                   (PLATFORM_ADMIN: global on userroles and countries,
--                   held by admin alone)
--   contacts        1..60 org 1, 61..80 org 2
--   accounts        1..25 org 1, 26..35 org 2
--   calls           1..120 org 1, 121..150 org 2
-- async_operations, api_keys and wsse_nonces are left empty.

SET NAMES utf8mb4;
SET time_zone = '+00:00';

-- ---------------------------------------------------------------------------
-- Organizations
-- ---------------------------------------------------------------------------
INSERT INTO organizations (id, name, description, enabled, created_at, updated_at) VALUES
  (1, 'Acme Inc',    'Main demo organization: widgets, gadgets and everything in between.', 1,
      '2016-01-01 08:00:00', '2016-01-01 08:00:00'),
  (2, 'Globex Corp', NULL, 1, '2016-01-05 09:30:00', '2016-02-10 12:00:00'),
  (3, 'Initech Ltd', 'Disabled organization (kept for tests of disabled tenants).', 0,
      '2016-01-10 10:00:00', '2016-06-30 17:45:00');

-- ---------------------------------------------------------------------------
-- Business units (a parent always belongs to the same organization)
-- ---------------------------------------------------------------------------
INSERT INTO business_units (id, organization_id, parent_id, name, phone, email, fax, website, created_at, updated_at) VALUES
  (1, 1, NULL, 'Acme HQ',         '+1-212-555-0100', 'hq@acme.example.com',       '+1-212-555-0199', 'https://www.acme.example.com',
      '2016-01-01 08:00:00', '2016-01-01 08:00:00'),
  (2, 1, 1,    'Acme Sales',      '+1-212-555-0110', 'sales@acme.example.com',    NULL, NULL,
      '2016-01-02 09:00:00', '2016-03-01 10:00:00'),
  (3, 1, 1,    'Acme Support',    '+1-212-555-0120', 'support@acme.example.com',  NULL, 'https://support.acme.example.com',
      '2016-01-02 09:05:00', '2016-01-02 09:05:00'),
  (4, 1, 2,    'Acme Sales West', '+1-415-555-0130', NULL,                        NULL, NULL,
      '2016-01-15 11:00:00', '2016-01-15 11:00:00'),
  (5, 2, NULL, 'Globex Main',     '+1-312-555-0140', 'info@globex.example.com',   '+1-312-555-0149', 'https://www.globex.example.com',
      '2016-01-05 09:30:00', '2016-01-05 09:30:00'),
  (6, 2, 5,    'Globex Research', NULL,              'research@globex.example.com', NULL, NULL,
      '2016-01-20 14:00:00', '2016-01-20 14:00:00'),
  (7, 3, NULL, 'Initech Main',    '+1-512-555-0150', NULL,                        NULL, NULL,
      '2016-01-10 10:00:00', '2016-01-10 10:00:00');

-- ---------------------------------------------------------------------------
-- Users: the four named users
-- ---------------------------------------------------------------------------
INSERT INTO users (id, organization_id, business_unit_id, username, email,
                   name_prefix, first_name, middle_name, last_name, name_suffix,
                   birthday, enabled, last_login, login_count, password_hash,
                   created_at, updated_at) VALUES
  (1, 1, 1, 'admin',         'admin@example.com',
      NULL, 'John', NULL, 'Doe', NULL, '1980-04-01', 1, '2016-09-19 11:01:31', 12, NULL,
      '2016-01-01 08:00:00', '2016-09-19 11:01:31'),
  (2, 2, 5, 'globex_admin',  'globex_admin@example.com',
      'Mr.', 'Hank', NULL, 'Scorpio', NULL, '1962-07-14', 1, '2016-09-15 08:12:45', 31, NULL,
      '2016-01-05 09:30:00', '2016-09-15 08:12:45'),
  (3, 1, 2, 'disabled_user', 'disabled_user@example.com',
      NULL, 'Wile', 'E.', 'Coyote', NULL, NULL, 0, '2016-03-02 16:20:00', 3, NULL,
      '2016-02-01 09:00:00', '2016-04-01 09:00:00'),
  (4, 3, 7, 'initech_admin', 'initech_admin@example.com',
      NULL, 'Bill', NULL, 'Lumbergh', NULL, '1965-11-02', 1, '2016-06-30 17:40:00', 57, NULL,
      '2016-01-10 10:00:00', '2016-06-30 17:45:00');

-- Users 5..50: 30 in org 1 (ids 5..34, units 1..4), 16 in org 2 (ids 35..50,
-- units 5/6). Odd s: male first names, even s: female first names.
INSERT INTO users (id, organization_id, business_unit_id, username, email,
                   name_prefix, first_name, middle_name, last_name, name_suffix,
                   birthday, enabled, last_login, login_count, password_hash,
                   created_at, updated_at)
SELECT s + 4, org, bu, uname,
       CONCAT(uname, '@', IF(org = 1, 'acme.example.com', 'globex.example.com')),
       CASE WHEN MOD(s, 7) = 0 THEN 'Dr.'
            WHEN MOD(s, 3) = 0 THEN IF(MOD(s, 2) = 1, 'Mr.', 'Ms.') END,
       fn,
       IF(MOD(s, 4) = 2, ELT(MOD(s, 5) + 1, 'Marie', 'Ann', 'Lee', 'Rose', 'Jean'), NULL),
       ln,
       IF(MOD(s, 10) = 1, ELT(MOD(s DIV 10, 3) + 1, 'Jr.', 'Sr.', 'III'), NULL),
       IF(MOD(s, 6) = 5, NULL, DATE_ADD('1958-01-01', INTERVAL MOD(s * 1237, 14000) DAY)),
       1,
       IF(MOD(s, 8) = 6, NULL, DATE_ADD('2016-09-01 07:00:00', INTERVAL MOD(s * 7919, 25000) MINUTE)),
       IF(MOD(s, 8) = 6, 0, 1 + MOD(s * 13, 90)),
       NULL,
       created, DATE_ADD(created, INTERVAL MOD(s * 3, 40) DAY)
FROM (
  SELECT s, org, fn, ln,
         IF(org = 1, ELT(MOD(s, 4) + 1, 1, 2, 3, 4), IF(MOD(s, 2) = 0, 5, 6)) AS bu,
         LOWER(REPLACE(CONCAT(fn, '.', ln), '''', '')) AS uname,
         DATE_ADD('2016-02-01 09:00:00', INTERVAL s * 3001 MINUTE) AS created
  FROM (
    SELECT seq AS s,
           IF(seq <= 30, 1, 2) AS org,
           IF(MOD(seq, 2) = 1,
              ELT((seq + 1) DIV 2, 'James', 'Robert', 'Michael', 'William', 'David', 'Richard',
                  'Joseph', 'Thomas', 'Charles', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Steven',
                  'Paul', 'Andrew', 'Joshua', 'Kevin', 'Brian', 'George', 'Timothy', 'Ronald', 'Jason'),
              ELT(seq DIV 2, 'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara',
                  'Susan', 'Jessica', 'Sarah', 'Karen', 'Lisa', 'Nancy', 'Betty', 'Sandra',
                  'Ashley', 'Emily', 'Donna', 'Michelle', 'Carol', 'Amanda', 'Melissa', 'Deborah',
                  'Stephanie')) AS fn,
           ELT(seq, 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis',
               'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson',
               'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris',
               'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King',
               'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson',
               'Baker', 'Hall', 'Rivera', 'O''Connor') AS ln
    FROM seq_1_to_46
  ) n
) u
ORDER BY s;

-- ---------------------------------------------------------------------------
-- Organization memberships: every user in their own organization, plus the
-- admin (user 1) also in Globex Corp (org 2).
-- ---------------------------------------------------------------------------
INSERT INTO user_organizations (user_id, organization_id)
SELECT id, organization_id FROM users ORDER BY id;
INSERT INTO user_organizations (user_id, organization_id) VALUES (1, 2);

-- ---------------------------------------------------------------------------
-- Business unit memberships: every user in their own unit; admin also in
-- Acme Sales (2); users 7,14,...,49 also in a second unit of their org.
-- ---------------------------------------------------------------------------
INSERT INTO user_business_units (user_id, business_unit_id)
SELECT id, business_unit_id FROM users ORDER BY id;
INSERT INTO user_business_units (user_id, business_unit_id) VALUES (1, 2);
INSERT INTO user_business_units (user_id, business_unit_id)
SELECT id, IF(organization_id = 1, MOD(business_unit_id, 4) + 1, 11 - business_unit_id)
FROM users
WHERE id >= 5 AND MOD(id, 7) = 0
ORDER BY id;

-- ---------------------------------------------------------------------------
-- Roles (organization_id NULL = shared by all organizations)
-- ---------------------------------------------------------------------------
INSERT INTO roles (id, organization_id, role, label, extend_description, created_at, updated_at) VALUES
  (1, NULL, 'ROLE_ADMINISTRATOR',  'Administrator',
      'Full access to every resource of the organization.', '2016-01-01 08:00:00', '2016-01-01 08:00:00'),
  (2, NULL, 'ROLE_USER',           'User',           NULL, '2016-01-01 08:00:00', '2016-01-01 08:00:00'),
  (3, 1,    'ROLE_MANAGER',        'Sales Manager',
      'Manages accounts, contacts and calls of the whole division.', '2016-01-03 10:00:00', '2016-02-01 10:00:00'),
  (4, 1,    'ROLE_SALES',          'Sales Rep',      NULL, '2016-01-03 10:05:00', '2016-01-03 10:05:00'),
  (5, 1,    'ROLE_VIEWER',         'Viewer',
      'Read-only access.', '2016-01-03 10:10:00', '2016-01-03 10:10:00'),
  (6, 2,    'ROLE_GLOBEX_MANAGER', 'Globex Manager', NULL, '2016-01-06 09:00:00', '2016-01-06 09:00:00');

-- ---------------------------------------------------------------------------
-- User roles. Named users first; bulk users get an org-specific role
-- (org 1: 3/4/5, org 2: 6) and/or the shared ROLE_USER (2).
-- ---------------------------------------------------------------------------
INSERT INTO user_roles (user_id, role_id) VALUES
  (1, 1), (1, 2),
  (2, 1),
  (3, 2),
  (4, 1);

INSERT INTO user_roles (user_id, role_id)
SELECT id, role_id FROM (
  -- org-specific role
  SELECT id, IF(organization_id = 1, ELT(MOD(id, 5) + 1, 4, 4, 3, 5, 2),
                                     IF(MOD(id, 3) = 0, 6, 2)) AS role_id
  FROM users WHERE id >= 5
  UNION
  -- shared ROLE_USER for every other user
  SELECT id, 2 FROM users WHERE id >= 5 AND MOD(id, 2) = 0
) r
ORDER BY id, role_id;

-- ---------------------------------------------------------------------------
-- Role permissions
--   ADMINISTRATOR: all types x all permissions at 'organization'
--   MANAGER / GLOBEX_MANAGER: accounts/contacts/calls x all at 'division',
--                             other types VIEW at 'organization'
--   SALES: accounts/contacts/calls x all at 'user', other types VIEW 'organization'
--   VIEWER: all types VIEW at 'organization'
--   USER: users VIEW at 'organization'
-- ---------------------------------------------------------------------------
INSERT INTO role_permissions (role_id, entity_type, permission, level)
SELECT r.id, t.entity_type, p.permission,
       CASE WHEN r.role IN ('ROLE_ADMINISTRATOR', 'ROLE_VIEWER') THEN 'organization'
            WHEN t.entity_type NOT IN ('accounts', 'contacts', 'calls') THEN 'organization'
            WHEN r.role = 'ROLE_SALES' THEN 'user'
            ELSE 'division' END
FROM roles r
CROSS JOIN (SELECT ELT(seq, 'organizations', 'businessunits', 'users', 'userroles', 'countries',
                            'accounts', 'contacts', 'calls', 'asyncoperations') AS entity_type
            FROM seq_1_to_9) t
CROSS JOIN (SELECT ELT(seq, 'VIEW', 'CREATE', 'EDIT', 'DELETE') AS permission
            FROM seq_1_to_4) p
WHERE r.role = 'ROLE_ADMINISTRATOR'
   OR (r.role IN ('ROLE_MANAGER', 'ROLE_GLOBEX_MANAGER', 'ROLE_SALES')
       AND (t.entity_type IN ('accounts', 'contacts', 'calls') OR p.permission = 'VIEW'))
   OR (r.role = 'ROLE_VIEWER' AND p.permission = 'VIEW')
ORDER BY r.id, t.entity_type, p.permission;

INSERT INTO role_permissions (role_id, entity_type, permission, level) VALUES
  (2, 'users', 'VIEW', 'organization');

-- ---------------------------------------------------------------------------
-- Countries (ISO 3166-1 alpha-2 / alpha-3)
-- ---------------------------------------------------------------------------
INSERT INTO countries (iso2_code, iso3_code, name, created_at, updated_at) VALUES
  ('AU', 'AUS', 'Australia',      '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('BR', 'BRA', 'Brazil',         '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('CA', 'CAN', 'Canada',         '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('CH', 'CHE', 'Switzerland',    '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('CI', 'CIV', 'Côte d''Ivoire', '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('CN', 'CHN', 'China',          '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('DE', 'DEU', 'Germany',        '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('ES', 'ESP', 'Spain',          '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('FR', 'FRA', 'France',         '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('GB', 'GBR', 'United Kingdom', '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('IN', 'IND', 'India',          '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('IT', 'ITA', 'Italy',          '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('JP', 'JPN', 'Japan',          '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('KR', 'KOR', 'South Korea',    '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('MX', 'MEX', 'Mexico',         '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('NL', 'NLD', 'Netherlands',    '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('PL', 'POL', 'Poland',         '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('SE', 'SWE', 'Sweden',         '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('UA', 'UKR', 'Ukraine',        '2016-01-01 00:00:00', '2016-01-01 00:00:00'),
  ('US', 'USA', 'United States',  '2016-01-01 00:00:00', '2016-01-01 00:00:00');

-- ---------------------------------------------------------------------------
-- Contacts: id 1 (Jerry Coleman, org 1) explicitly
-- ---------------------------------------------------------------------------
INSERT INTO contacts (id, organization_id, owner_id, assigned_to_id, reports_to_id, country_code,
                      name_prefix, first_name, middle_name, last_name, name_suffix, gender, birthday,
                      description, job_title, email, phone, fax, skype, twitter,
                      created_at, updated_at) VALUES
  (1, 1, 1, 1, NULL, 'US',
      'Mr.', 'Jerry', NULL, 'Coleman', NULL, 'male', '1975-03-10',
      'Key decision maker at Acme Widgets; renewal due in Q4.', 'Purchasing Director',
      'jerry.coleman@example.com', '+1-212-555-0175', NULL, 'live:jerry.coleman', '@jcoleman',
      '2016-02-15 10:30:00', '2016-09-01 12:00:00');

-- Contacts 2..60 (org 1) and 61..80 (org 2). Owners / assignees are users
-- of the same organization (org 1: 1, 5..34; org 2: 2, 35..50).
-- Ids 17,34,51,68 have no last name; 19,38,57,76 have no first name.
INSERT INTO contacts (id, organization_id, owner_id, assigned_to_id, reports_to_id, country_code,
                      name_prefix, first_name, middle_name, last_name, name_suffix, gender, birthday,
                      description, job_title, email, phone, fax, skype, twitter,
                      created_at, updated_at)
SELECT c, org,
       IF(org = 1, IF(MOD(c, 5) = 0, 1, 5 + MOD(c * 7, 30)),
                   IF(MOD(c, 4) = 0, 2, 35 + MOD(c * 3, 16))),
       IF(MOD(c, 6) = 3, NULL, IF(org = 1, 5 + MOD(c * 11, 30), 35 + MOD(c * 5, 16))),
       NULL,
       IF(MOD(c, 5) = 2, NULL,
          ELT(1 + MOD(c * 3, 20), 'US', 'DE', 'FR', 'GB', 'UA', 'JP', 'CA', 'BR', 'IN', 'CN',
                                  'IT', 'ES', 'NL', 'PL', 'SE', 'CH', 'AU', 'MX', 'KR', 'CI')),
       CASE WHEN MOD(c, 13) = 0 THEN 'Dr.'
            WHEN MOD(c, 3) = 0 AND gender IS NOT NULL THEN IF(gender = 'male', 'Mr.', 'Mrs.') END,
       fn,
       IF(MOD(c, 5) = 1, ELT(1 + MOD(c, 4), 'J.', 'A.', 'M.', 'R.'), NULL),
       ln,
       IF(MOD(c, 23) = 0 AND MOD(c, 2) = 1, 'Jr.', NULL),
       gender,
       IF(MOD(c, 4) = 3, NULL, DATE_ADD('1950-01-01', INTERVAL MOD(c * 1543, 17000) DAY)),
       IF(MOD(c, 3) = 0, NULL,
          CONCAT('Met at ', ELT(1 + MOD(c, 5), 'the 2016 trade show', 'a partner webinar',
                                'a customer referral', 'the Berlin conference', 'an inbound web inquiry'),
                 '; prefers ', ELT(1 + MOD(c, 3), 'email', 'phone calls', 'morning meetings'), '.')),
       IF(MOD(c, 7) = 6, NULL,
          ELT(1 + MOD(c * 3, 12), 'Chief Executive Officer', 'Sales Director', 'Purchasing Manager',
              'Account Manager', 'Office Manager', 'IT Director', 'Procurement Specialist',
              'Marketing Manager', 'Chief Financial Officer', 'Operations Manager', 'Buyer',
              'Geschäftsführer')),
       IF(MOD(c, 8) = 5, NULL,
          CONCAT(handle, '@', ELT(1 + MOD(c, 6), 'example.com', 'example.net', 'example.org',
                                  'mail.example.com', 'corp.example.net', 'example.co.uk'))),
       IF(MOD(c, 10) = 7, NULL,
          CONCAT('+1-', ELT(1 + MOD(c, 5), '212', '415', '312', '617', '206'),
                 '-555-01', LPAD(MOD(c * 37, 100), 2, '0'))),
       IF(MOD(c, 6) = 1,
          CONCAT('+1-', ELT(1 + MOD(c, 5), '212', '415', '312', '617', '206'),
                 '-555-02', LPAD(MOD(c * 37, 100), 2, '0')), NULL),
       IF(MOD(c, 4) = 1, CONCAT('live:', handle), NULL),
       IF(MOD(c, 5) = 3, CONCAT('@', LEFT(REPLACE(handle, '.', '_'), 15)), NULL),
       created, DATE_ADD(created, INTERVAL MOD(c * 5, 60) DAY)
FROM (
  SELECT n.*,
         REPLACE(REPLACE(REPLACE(REPLACE(LOWER(CONCAT_WS('.', fn, ln)),
                 'ü', 'u'), 'ë', 'e'), 'é', 'e'), '''', '') AS handle
  FROM (
    SELECT seq AS c,
           IF(seq <= 60, 1, 2) AS org,
           IF(MOD(seq, 9) = 4, NULL, IF(MOD(seq, 2) = 1, 'male', 'female')) AS gender,
           IF(MOD(seq, 19) = 0, NULL,
              IF(MOD(seq, 2) = 1,
                 ELT(1 + MOD(seq DIV 2, 25), 'Aaron', 'Adam', 'Alan', 'Albert', 'Benjamin', 'Bruce',
                     'Carl', 'Christopher', 'Dennis', 'Douglas', 'Edward', 'Eric', 'Frank', 'Gary',
                     'Gregory', 'Harold', 'Henry', 'Jack', 'Jacob', 'José', 'Keith', 'Lawrence',
                     'Nathan', 'Patrick', 'Samuel'),
                 ELT(1 + MOD(seq DIV 2, 25), 'Alice', 'Amy', 'Angela', 'Anna', 'Brenda', 'Catherine',
                     'Christine', 'Diane', 'Emma', 'Evelyn', 'Frances', 'Grace', 'Hannah', 'Helen',
                     'Janet', 'Julia', 'Katherine', 'Laura', 'Megan', 'Nicole', 'Olivia', 'Rachel',
                     'Sophia', 'Victoria', 'Zoë'))) AS fn,
           IF(MOD(seq, 17) = 0, NULL,
              ELT(1 + MOD(seq * 7, 40), 'Abbott', 'Barnes', 'Bennett', 'Brooks', 'Carter', 'Collins',
                  'Cooper', 'Cox', 'Diaz', 'Edwards', 'Evans', 'Fisher', 'Foster', 'Gray', 'Hughes',
                  'Howard', 'Jenkins', 'Kelly', 'Kim', 'Long', 'Morgan', 'Müller', 'Murphy', 'O''Brien',
                  'Parker', 'Peterson', 'Powell', 'Price', 'Reed', 'Richardson', 'Ross', 'Russell',
                  'Sanders', 'Schmidt', 'Stewart', 'Sullivan', 'Tanaka', 'Turner', 'Ward', 'Watson')) AS ln,
           DATE_ADD('2016-03-01 09:00:00', INTERVAL seq * 1297 MINUTE) AS created
    FROM seq_2_to_80
  ) n
) x
ORDER BY c;

-- Reporting lines (always to another contact of the same organization).
UPDATE contacts SET reports_to_id = 1 WHERE id IN (2, 3);
UPDATE contacts
   SET reports_to_id = IF(organization_id = 1, 1 + MOD(id, 10), 61 + MOD(id, 5))
 WHERE MOD(id, 7) = 0;

-- ---------------------------------------------------------------------------
-- Accounts: id 1 (Acme Widgets, org 1) explicitly
-- ---------------------------------------------------------------------------
INSERT INTO accounts (id, organization_id, owner_id, default_contact_id, name, description,
                      annual_revenue, employees_count, created_at, updated_at) VALUES
  (1, 1, 1, 1, 'Acme Widgets', 'Long-standing customer; buys widgets in bulk every quarter.',
      1200.5, 50, '2016-01-20 10:00:00', '2016-08-15 16:30:00');

-- Accounts 2..25 (org 1) and 26..35 (org 2). The default contact is the
-- first contact linked to the account in account_contacts below (NULL for
-- ids divisible by 4).
INSERT INTO accounts (id, organization_id, owner_id, default_contact_id, name, description,
                      annual_revenue, employees_count, created_at, updated_at)
SELECT a, org,
       IF(org = 1, IF(MOD(a, 4) = 0, 1, 5 + MOD(a * 11, 30)),
                   IF(MOD(a, 3) = 0, 2, 35 + MOD(a * 5, 16))),
       IF(MOD(a, 4) = 0, NULL, IF(org = 1, 2 + MOD(5 * a, 59), 61 + MOD(3 * a, 20))),
       ELT(a - 1, 'Northwind Traders', 'Contoso Ltd', 'Fabrikam Inc', 'Adventure Works',
           'Tailspin Toys', 'Wide World Importers', 'Litware Inc', 'Proseware Inc',
           'Blue Yonder Airlines', 'Coho Winery', 'Fourth Coffee', 'Lucerne Publishing',
           'Margie''s Travel', 'Alpine Ski House', 'Woodgrove Bank', 'Trey Research',
           'Graphic Design Institute', 'Humongous Insurance', 'City Power & Light',
           'Consolidated Messenger', 'Southridge Video', 'Wingtip Toys', 'Müller & Söhne GmbH',
           'A. Datum Corporation',
           -- org 2
           'Relecloud', 'Tailwind Traders', 'VanArsdel Ltd', 'Munson''s Pickles and Preserves',
           'Bellows College', 'First Up Consultants', 'Best For You Organics', 'Nod Publishers',
           'Lamna Healthcare', 'Fincher Architects'),
       IF(MOD(a, 3) = 2, NULL,
          CONCAT(ELT(1 + MOD(a, 6), 'Wholesale', 'Retail', 'Manufacturing', 'Logistics',
                     'Consulting', 'Healthcare'),
                 ' customer since ', 2010 + MOD(a, 6), '.')),
       IF(MOD(a, 5) = 3, NULL, (1000 + MOD(a * 7919, 99000)) * 100 + MOD(a * 37, 100) / 4),
       IF(MOD(a, 6) = 4, NULL, 5 + MOD(a * 211, 2000)),
       created, DATE_ADD(created, INTERVAL MOD(a * 7, 90) DAY)
FROM (
  SELECT seq AS a,
         IF(seq <= 25, 1, 2) AS org,
         DATE_ADD('2016-01-20 10:00:00', INTERVAL seq * 2 DAY) AS created
  FROM seq_2_to_35
) x
ORDER BY a;

-- ---------------------------------------------------------------------------
-- Account <-> contact links (same organization only).
-- Account 1: contacts 1,2,3; contact 1 also in account 2.
-- Other accounts: 1..4 contacts (org 1: 2..60, org 2: 61..80).
-- ---------------------------------------------------------------------------
INSERT INTO account_contacts (organization_id, account_id, contact_id) VALUES
  (1, 1, 1), (1, 1, 2), (1, 1, 3),
  (1, 2, 1);

INSERT INTO account_contacts (organization_id, account_id, contact_id)
SELECT a.organization_id, a.id,
       IF(a.organization_id = 1, 2 + MOD(5 * a.id + 7 * k.seq, 59), 61 + MOD(3 * a.id + 5 * k.seq, 20))
FROM accounts a
JOIN seq_0_to_3 k ON k.seq < 1 + MOD(a.id, 4)
WHERE a.id >= 2
ORDER BY a.id, k.seq;

-- ---------------------------------------------------------------------------
-- Calls: id 1 explicitly
-- ---------------------------------------------------------------------------
INSERT INTO calls (id, organization_id, owner_id, contact_id, account_id, subject, phone_number,
                   notes, call_date_time, direction, duration, created_at, updated_at) VALUES
  (1, 1, 1, 1, 1, 'Discuss the renewal', '+1-212-555-0175',
      'Jerry wants a 3-year renewal with a volume discount; send a quote by Friday.',
      '2016-09-20 14:00:00', 'outgoing', 300, '2016-09-20 14:10:00', '2016-09-20 14:10:00');

-- Calls 2..120 (org 1) and 121..150 (org 2).
-- MOD(id,10) in (0,3,6): contact only; (1,4,7): account only;
-- (2,5,8): account plus its first linked contact; 9: neither.
-- The phone number is the contact's phone when there is one.
INSERT INTO calls (id, organization_id, owner_id, contact_id, account_id, subject, phone_number,
                   notes, call_date_time, direction, duration, created_at, updated_at)
SELECT x.x, x.org, x.owner, x.contact_id, x.account_id,
       ELT(1 + MOD(x.x, 12), 'Introductory call', 'Follow-up on proposal', 'Pricing question',
           'Quarterly review', 'Product demo', 'Support escalation', 'Contract negotiation',
           'Order status inquiry', 'Renewal reminder', 'Invoice clarification',
           'Onboarding check-in', 'Feedback on delivery'),
       COALESCE(ct.phone,
                CONCAT('+1-', ELT(1 + MOD(x.x, 5), '212', '415', '312', '617', '206'),
                       '-555-03', LPAD(MOD(x.x * 37, 100), 2, '0'))),
       IF(MOD(x.x, 4) = 1, NULL,
          ELT(1 + MOD(x.x, 8), 'Left a voicemail.', 'Asked for an updated quote.',
              'Happy with the last delivery.', 'Wants a demo for the new team.',
              'Budget approved for next quarter.', 'Complained about invoice #4471; escalated.',
              'Call back next week.', 'Discussed the “premium” support plan.')),
       x.cdt,
       IF(MOD(x.x, 3) = 0, 'incoming', 'outgoing'),
       IF(MOD(x.x, 7) = 3, NULL, 15 + MOD(x.x * 97, 1800)),
       DATE_ADD(x.cdt, INTERVAL 1 HOUR), DATE_ADD(x.cdt, INTERVAL 1 HOUR)
FROM (
  SELECT i.x, i.org, i.owner, i.cdt,
         IF(i.kind IN (1, 2), i.acc, NULL) AS account_id,
         CASE WHEN i.kind = 0 THEN IF(i.org = 1, 1 + MOD(i.x * 7, 60), 61 + MOD(i.x * 3, 20))
              WHEN i.kind = 2 THEN IF(i.acc = 1, 1,
                                      IF(i.org = 1, 2 + MOD(5 * i.acc, 59), 61 + MOD(3 * i.acc, 20)))
         END AS contact_id
  FROM (
    SELECT seq AS x,
           IF(seq <= 120, 1, 2) AS org,
           IF(seq <= 120, IF(MOD(seq, 6) = 0, 1, 5 + MOD(seq * 13, 30)),
                          IF(MOD(seq, 5) = 0, 2, 35 + MOD(seq * 7, 16))) AS owner,
           -- 0: contact only, 1: account only, 2: both, 3: neither
           ELT(1 + MOD(seq, 10), 0, 1, 2, 0, 1, 2, 0, 1, 2, 3) AS kind,
           IF(seq <= 120, 1 + MOD(seq * 3, 25), 26 + MOD(seq, 10)) AS acc,
           DATE_ADD(DATE_ADD('2016-06-01 00:00:00', INTERVAL MOD(seq * 37, 140) DAY),
                    INTERVAL 480 * 60 + MOD(seq * 53, 600) * 60 + MOD(seq * 17, 60) SECOND) AS cdt
    FROM seq_2_to_150
  ) i
) x
LEFT JOIN contacts ct ON ct.id = x.contact_id
ORDER BY x.x;

-- ---------------------------------------------------------------------------
-- Contacting activity of contacts and accounts, derived from the calls.
-- ---------------------------------------------------------------------------
UPDATE contacts c
LEFT JOIN (
  SELECT contact_id,
         COUNT(*) AS n,
         SUM(direction = 'incoming') AS n_in,
         SUM(direction = 'outgoing') AS n_out,
         MAX(call_date_time) AS last_all,
         MAX(IF(direction = 'incoming', call_date_time, NULL)) AS last_in,
         MAX(IF(direction = 'outgoing', call_date_time, NULL)) AS last_out
  FROM calls
  WHERE contact_id IS NOT NULL
  GROUP BY contact_id
) s ON s.contact_id = c.id
SET c.times_contacted         = COALESCE(s.n, 0),
    c.times_contacted_in      = COALESCE(s.n_in, 0),
    c.times_contacted_out     = COALESCE(s.n_out, 0),
    c.last_contacted_date     = s.last_all,
    c.last_contacted_date_in  = s.last_in,
    c.last_contacted_date_out = s.last_out;

UPDATE accounts a
LEFT JOIN (
  SELECT account_id,
         COUNT(*) AS n,
         SUM(direction = 'incoming') AS n_in,
         SUM(direction = 'outgoing') AS n_out,
         MAX(call_date_time) AS last_all,
         MAX(IF(direction = 'incoming', call_date_time, NULL)) AS last_in,
         MAX(IF(direction = 'outgoing', call_date_time, NULL)) AS last_out
  FROM calls
  WHERE account_id IS NOT NULL
  GROUP BY account_id
) s ON s.account_id = a.id
SET a.times_contacted         = COALESCE(s.n, 0),
    a.times_contacted_in      = COALESCE(s.n_in, 0),
    a.times_contacted_out     = COALESCE(s.n_out, 0),
    a.last_contacted_date     = s.last_all,
    a.last_contacted_date_in  = s.last_in,
    a.last_contacted_date_out = s.last_out;

-- ---------------------------------------------------------------------------
-- Access-control demo (section 4): named users per access level in both
-- active organizations, their roles, and a few records they own.
--   org 1 units: 1 Acme HQ > 2 Acme Sales > 4 Acme Sales West; 1 > 3 Support
--   51 manager        unit 2  ROLE_MANAGER: division (units 2, 4) on accounts,
--                             contacts, calls
--   52 sales          unit 4  ROLE_SALES: user level (own records only)
--   53 viewer         unit 3  ROLE_VIEWER: VIEW at organization level, nothing else
--   54 teamlead       unit 2  ROLE_TEAM_LEAD: business_unit (unit 2 only) on
--                             accounts, contacts, calls and users; no userroles
--   55 hr             unit 2  ROLE_HR: users at division (units 2, 4); no
--                             accounts, contacts or calls
--   56 sales_manager  unit 3  ROLE_SALES + ROLE_MANAGER: the higher (division) wins
--   57 basic_user     unit 3  ROLE_USER only: users VIEW, no contacts at all
--   org 2 units: 5 Globex Main > 6 Globex Research
--   58 globex_manager unit 5  ROLE_GLOBEX_MANAGER: division (units 5, 6)
--   59 globex_sales   unit 6  ROLE_GLOBEX_SALES: user level; users VIEW at user
--                             level (unit-owned: acts as business_unit, unit 6)
--   60 globex_viewer  unit 5  ROLE_GLOBEX_VIEWER: VIEW at organization level
-- ---------------------------------------------------------------------------
INSERT INTO users (id, organization_id, business_unit_id, username, email,
                   first_name, last_name, enabled, login_count, created_at, updated_at) VALUES
  (51, 1, 2, 'manager',        'manager@acme.example.com',        'Morgan', 'Manager',  1, 0,
      '2016-05-01 09:00:00', '2016-05-01 09:00:00'),
  (52, 1, 4, 'sales',          'sales@acme.example.com',          'Sam',    'Seller',   1, 0,
      '2016-05-01 09:05:00', '2016-05-01 09:05:00'),
  (53, 1, 3, 'viewer',         'viewer@acme.example.com',         'Vera',   'Viewer',   1, 0,
      '2016-05-01 09:10:00', '2016-05-01 09:10:00'),
  (54, 1, 2, 'teamlead',       'teamlead@acme.example.com',       'Terry',  'Lead',     1, 0,
      '2016-05-01 09:15:00', '2016-05-01 09:15:00'),
  (55, 1, 2, 'hr',             'hr@acme.example.com',             'Harper', 'Ross',     1, 0,
      '2016-05-01 09:20:00', '2016-05-01 09:20:00'),
  (56, 1, 3, 'sales_manager',  'sales_manager@acme.example.com',  'Dana',   'Double',   1, 0,
      '2016-05-01 09:25:00', '2016-05-01 09:25:00'),
  (57, 1, 3, 'basic_user',     'basic_user@acme.example.com',     'Billie', 'Basic',    1, 0,
      '2016-05-01 09:30:00', '2016-05-01 09:30:00'),
  (58, 2, 5, 'globex_manager', 'globex_manager@globex.example.com', 'Gus',  'Manning',  1, 0,
      '2016-05-02 09:00:00', '2016-05-02 09:00:00'),
  (59, 2, 6, 'globex_sales',   'globex_sales@globex.example.com', 'Gina',   'Sellers',  1, 0,
      '2016-05-02 09:05:00', '2016-05-02 09:05:00'),
  (60, 2, 5, 'globex_viewer',  'globex_viewer@globex.example.com', 'Glen',  'Watcher',  1, 0,
      '2016-05-02 09:10:00', '2016-05-02 09:10:00');

INSERT INTO user_organizations (user_id, organization_id)
SELECT id, organization_id FROM users WHERE id BETWEEN 51 AND 60 ORDER BY id;
INSERT INTO user_business_units (user_id, business_unit_id)
SELECT id, business_unit_id FROM users WHERE id BETWEEN 51 AND 60 ORDER BY id;

INSERT INTO roles (id, organization_id, role, label, extend_description, created_at, updated_at) VALUES
  (7,  2, 'ROLE_GLOBEX_SALES',  'Globex Sales Rep', NULL, '2016-01-06 09:05:00', '2016-01-06 09:05:00'),
  (8,  2, 'ROLE_GLOBEX_VIEWER', 'Globex Viewer',    'Read-only access.', '2016-01-06 09:10:00', '2016-01-06 09:10:00'),
  (9,  1, 'ROLE_TEAM_LEAD',     'Team Lead',
      'Accounts, contacts, calls and users of the own business unit.', '2016-01-03 10:15:00', '2016-01-03 10:15:00'),
  (10, 1, 'ROLE_HR',            'Human Resources',
      'Users of the own division; no customer data.', '2016-01-03 10:20:00', '2016-01-03 10:20:00');

INSERT INTO user_roles (user_id, role_id) VALUES
  (51, 3), (52, 4), (53, 5), (54, 9), (55, 10), (56, 3), (56, 4), (57, 2),
  (58, 6), (59, 7), (60, 8);

-- The platform operator (section 4): the records every organization shares
-- (shared roles, countries) are written only at the level global, which
-- only a shared role can carry. admin alone holds it; globex_admin's
-- ROLE_ADMINISTRATOR stops at its organization.
INSERT INTO roles (id, organization_id, role, label, extend_description, created_at, updated_at) VALUES
  (11, NULL, 'ROLE_PLATFORM_ADMIN', 'Platform Administrator',
      'Manages the roles and countries shared by every organization.',
      '2016-01-01 08:00:00', '2016-01-01 08:00:00');
INSERT INTO user_roles (user_id, role_id) VALUES (1, 11);
INSERT INTO role_permissions (role_id, entity_type, permission, level)
SELECT 11, t.entity_type, p.permission, 'global'
FROM (SELECT 'userroles' AS entity_type UNION ALL SELECT 'countries') t
CROSS JOIN (SELECT ELT(seq, 'VIEW', 'CREATE', 'EDIT', 'DELETE') AS permission
            FROM seq_1_to_4) p
ORDER BY t.entity_type, p.permission;

-- GLOBEX_SALES: like SALES, but users VIEW at user level.
-- GLOBEX_VIEWER: every type VIEW at organization level.
-- TEAM_LEAD: accounts/contacts/calls all at business_unit, users VIEW at
--   business_unit, userroles VIEW none (an explicit row), other types VIEW
--   at user level (organization-owned or shared: the whole organization).
-- HR: users VIEW/CREATE/EDIT at division, businessunits/userroles/
--   organizations/countries VIEW at organization; nothing else.
INSERT INTO role_permissions (role_id, entity_type, permission, level)
SELECT r.id, t.entity_type, p.permission,
       CASE WHEN r.id = 8 THEN 'organization'
            WHEN r.id = 7 AND t.entity_type IN ('accounts', 'contacts', 'calls', 'users',
                                                'asyncoperations') THEN 'user'
            WHEN r.id = 7 THEN 'organization'
            WHEN r.id = 9 AND t.entity_type IN ('accounts', 'contacts', 'calls', 'users') THEN 'business_unit'
            WHEN r.id = 9 AND t.entity_type = 'userroles' THEN 'none'
            WHEN r.id = 9 THEN 'user'
            WHEN r.id = 10 AND t.entity_type = 'users' THEN 'division'
            ELSE 'organization' END
FROM roles r
CROSS JOIN (SELECT ELT(seq, 'organizations', 'businessunits', 'users', 'userroles', 'countries',
                            'accounts', 'contacts', 'calls', 'asyncoperations') AS entity_type
            FROM seq_1_to_9) t
CROSS JOIN (SELECT ELT(seq, 'VIEW', 'CREATE', 'EDIT', 'DELETE') AS permission
            FROM seq_1_to_4) p
WHERE (r.id IN (7, 9) AND (t.entity_type IN ('accounts', 'contacts', 'calls') OR p.permission = 'VIEW'))
   OR (r.id = 8 AND p.permission = 'VIEW')
   OR (r.id = 10 AND ((t.entity_type = 'users' AND p.permission <> 'DELETE')
                      OR (t.entity_type IN ('businessunits', 'userroles', 'organizations', 'countries')
                          AND p.permission = 'VIEW')))
ORDER BY r.id, t.entity_type, p.permission;

-- Records of the demo users (ids outside the explicit rows 1 of each type).
UPDATE contacts SET owner_id = 52 WHERE id IN (4, 9, 14, 32);
UPDATE contacts SET owner_id = 51 WHERE id = 24;
UPDATE contacts SET owner_id = 54 WHERE id = 29;
UPDATE contacts SET owner_id = 56 WHERE id = 33;
UPDATE contacts SET owner_id = 59 WHERE id IN (62, 67);
UPDATE contacts SET owner_id = 58 WHERE id = 72;
UPDATE accounts SET owner_id = 52 WHERE id IN (6, 11);
UPDATE accounts SET owner_id = 51 WHERE id = 16;
UPDATE accounts SET owner_id = 59 WHERE id = 27;
UPDATE calls SET owner_id = 52 WHERE id IN (7, 10, 13, 19);
UPDATE calls SET owner_id = 51 WHERE id = 25;
UPDATE calls SET owner_id = 54 WHERE id = 31;
UPDATE calls SET owner_id = 59 WHERE id IN (122, 127);
UPDATE calls SET owner_id = 58 WHERE id = 133;
