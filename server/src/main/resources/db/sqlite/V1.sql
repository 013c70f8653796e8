-- Presenced schema, version 1 (SQLite).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('id', 100000000), ('directory_revision', 0);

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    main_number TEXT    NOT NULL,
    revision    INTEGER NOT NULL
);
CREATE INDEX accounts_revision ON accounts (revision);

CREATE TABLE extensions (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    extension_number TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    type             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    role             TEXT    NOT NULL,
    departments      TEXT    NOT NULL,
    password_hash    TEXT,
    revision         INTEGER NOT NULL,
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
    extension_id INTEGER NOT NULL REFERENCES extensions (id),
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    revoked      INTEGER NOT NULL
);

CREATE TABLE sessions (
    session_id         TEXT PRIMARY KEY,
    access_hash        TEXT    NOT NULL UNIQUE,
    refresh_hash       TEXT    NOT NULL UNIQUE,
    client_id          TEXT    NOT NULL,
    account_id         INTEGER NOT NULL,
    extension_id       INTEGER NOT NULL,
    scope              TEXT    NOT NULL,
    access_expires_at  INTEGER NOT NULL,
    refresh_expires_at INTEGER NOT NULL,
    endpoint_id        TEXT    NOT NULL
);
CREATE INDEX sessions_refresh_expiry ON sessions (refresh_expires_at);

CREATE TABLE ws_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE presence (
    extension_id INTEGER PRIMARY KEY,
    sequence     INTEGER NOT NULL,
    state        TEXT    NOT NULL
);

CREATE TABLE presence_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL,
    extension_id INTEGER NOT NULL,
    sequence     INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    event        TEXT    NOT NULL,
    UNIQUE (extension_id, sequence)
);
