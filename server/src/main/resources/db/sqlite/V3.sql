-- Presenced schema, version 3 (SQLite): the event log without its unique index on (extension_id, sequence).
-- The single presence writer already guarantees that a sequence never repeats (and the tests prove it); the
-- index, inserted into in random order, cost more disk writes than every other part of a commit together.
CREATE TABLE presence_events_v3 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL,
    extension_id INTEGER NOT NULL,
    sequence     INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    event        TEXT    NOT NULL
);
INSERT INTO presence_events_v3 (id, account_id, extension_id, sequence, created_at, event)
    SELECT id, account_id, extension_id, sequence, created_at, event FROM presence_events ORDER BY id;
-- Log ids are never reused, even after a purge emptied the log: the new table continues the old counter.
DELETE FROM sqlite_sequence WHERE name = 'presence_events_v3';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'presence_events_v3', seq FROM sqlite_sequence WHERE name = 'presence_events';
DROP TABLE presence_events;
ALTER TABLE presence_events_v3 RENAME TO presence_events;
CREATE INDEX presence_events_created ON presence_events (created_at);
