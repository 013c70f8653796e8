-- Presenced schema, version 1 (PostgreSQL).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('id', 100000000), ('directory_revision', 0);

CREATE TABLE accounts (
    id          BIGINT PRIMARY KEY,
    name        TEXT    NOT NULL,
    main_number TEXT    NOT NULL,
    revision    BIGINT NOT NULL
);
CREATE INDEX accounts_revision ON accounts (revision);

CREATE TABLE extensions (
    id               BIGINT PRIMARY KEY,
    account_id       BIGINT NOT NULL REFERENCES accounts (id),
    extension_number TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    type             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    role             TEXT    NOT NULL,
    departments      TEXT    NOT NULL,
    password_hash    TEXT,
    revision         BIGINT NOT NULL,
    UNIQUE (account_id, extension_number)
);
CREATE INDEX extensions_revision ON extensions (revision);

CREATE TABLE apps (
    client_id   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    permissions TEXT NOT NULL
);

CREATE TABLE jwt_credentials (
    id           TEXT PRIMARY KEY,
    extension_id BIGINT NOT NULL REFERENCES extensions (id),
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    revoked      BIGINT NOT NULL
);

CREATE TABLE sessions (
    session_id         TEXT PRIMARY KEY,
    access_hash        TEXT    NOT NULL UNIQUE,
    refresh_hash       TEXT    NOT NULL UNIQUE,
    client_id          TEXT    NOT NULL,
    account_id         BIGINT NOT NULL,
    extension_id       BIGINT NOT NULL,
    scope              TEXT    NOT NULL,
    access_expires_at  BIGINT NOT NULL,
    refresh_expires_at BIGINT NOT NULL,
    endpoint_id        TEXT    NOT NULL
);
CREATE INDEX sessions_refresh_expiry ON sessions (refresh_expires_at);

CREATE TABLE ws_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT    NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE presence (
    extension_id BIGINT PRIMARY KEY,
    sequence     BIGINT NOT NULL,
    state        TEXT    NOT NULL
);

CREATE TABLE presence_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   BIGINT NOT NULL,
    extension_id BIGINT NOT NULL,
    sequence     BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    event        TEXT    NOT NULL,
    UNIQUE (extension_id, sequence)
);
