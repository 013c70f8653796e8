-- Presenced schema, version 2 (SQLite): subscriptions and their delivery positions.
CREATE TABLE subscriptions (
    id                 TEXT PRIMARY KEY,
    account_id         INTEGER NOT NULL,
    owner_extension_id INTEGER NOT NULL,
    client_id          TEXT    NOT NULL,
    expiration_time    INTEGER NOT NULL,
    document           TEXT    NOT NULL,
    position           INTEGER NOT NULL
);
CREATE INDEX subscriptions_owner ON subscriptions (owner_extension_id, client_id);
CREATE INDEX presence_events_created ON presence_events (created_at);
