-- Presenced schema, version 2 (PostgreSQL): subscriptions and their delivery positions.
CREATE TABLE subscriptions (
    id                 TEXT PRIMARY KEY,
    account_id         BIGINT NOT NULL,
    owner_extension_id BIGINT NOT NULL,
    client_id          TEXT    NOT NULL,
    expiration_time    BIGINT NOT NULL,
    document           TEXT    NOT NULL,
    position           BIGINT NOT NULL
);
CREATE INDEX subscriptions_owner ON subscriptions (owner_extension_id, client_id);
CREATE INDEX presence_events_created ON presence_events (created_at);
