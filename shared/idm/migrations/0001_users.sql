-- Up Migration
-- Identities (ORIGINAL §7.1). E-mails are unique regardless of case: Ana@x.ro and ana@x.ro are one person.
CREATE TABLE users (
  id     bigserial    PRIMARY KEY,
  email  varchar(255) NOT NULL,
  parola varchar(255) NOT NULL,
  rol    varchar(50)  NOT NULL CHECK (rol IN ('admin', 'owner-event', 'client', 'serviciu_clienti'))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Down Migration
DROP TABLE users;
