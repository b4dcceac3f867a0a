-- A cache as the first schema (version 1) wrote it, with data in every table.
-- The migration test opens it with the current code.
CREATE TABLE messages (
  user    TEXT    NOT NULL,
  id      TEXT    NOT NULL,
  date    INTEGER NOT NULL,
  expires INTEGER NOT NULL DEFAULT 0,
  read    INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  type    TEXT    NOT NULL,
  tags    TEXT    NOT NULL DEFAULT '',
  json    TEXT,
  UNIQUE (user, id));
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id   TEXT    NOT NULL UNIQUE,
  user       TEXT    NOT NULL,
  type       TEXT    NOT NULL,
  message_id TEXT    NOT NULL,
  ts         INTEGER NOT NULL,
  props      TEXT    NOT NULL DEFAULT '{}');
CREATE TABLE sync_state (
  user   TEXT PRIMARY KEY,
  cursor TEXT);
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);

INSERT INTO messages (user, id, date, expires, read, deleted, type, tags, json) VALUES
  ('alice', 'v1-old', 1716000000, 0, 1, 0, 'simple', 'Offers',
   '{"_id":"v1-old","date":1716000000,"wzrk_id":"w1","isRead":true,"msg":{"type":"simple","tags":["Offers"],"content":[{"title":{"text":"From version 1"}}]}}'),
  ('alice', 'v1-new', 1716100000, 0, 0, 0, 'carousel', 'News' || char(31) || 'Offers',
   '{"_id":"v1-new","date":1716100000,"msg":{"type":"carousel","tags":["News","Offers"],"content":[{"title":{"text":"Slide A"}},{"title":{"text":"Slide B"}}]}}'),
  ('alice', 'v1-gone', 1716050000, 0, 0, 1, 'simple', '', NULL),
  ('bob', 'v1-bob', 1716200000, 0, 0, 0, 'simple', '',
   '{"_id":"v1-bob","date":1716200000,"msg":{"type":"simple","content":[{"title":{"text":"Bob''s"}}]}}');

INSERT INTO outbox (event_id, user, type, message_id, ts, props) VALUES
  ('11111111-1111-4111-8111-111111111111', 'alice', 'read', 'v1-old', 1716000100, '{}'),
  ('22222222-2222-4222-8222-222222222222', 'alice', 'deleted', 'v1-gone', 1716050100, '{}');

INSERT INTO sync_state (user, cursor) VALUES ('alice', 'cursor-from-v1');
