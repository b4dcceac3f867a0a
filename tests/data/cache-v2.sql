-- A cache as schema version 2 wrote it (before search), with messages in
-- German and Arabic, a button, tags and a deletion marker. The search test
-- opens it with the current code: the migration makes every message
-- searchable.
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
INSERT INTO schema_version (version) VALUES (2);
ALTER TABLE messages ADD COLUMN received INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_list ON messages (user, deleted, date DESC, id, expires, read, type, tags);
CREATE INDEX outbox_user ON outbox (user, seq);

INSERT INTO messages (user, id, date, expires, read, deleted, type, tags, json, received) VALUES
  ('alice', 'v2-de', 1716000000, 0, 1, 0, 'simple', 'Angebote',
   '{"_id":"v2-de","date":1716000000,"msg":{"type":"simple","tags":["Angebote"],"content":[{"title":{"text":"Über den Wolken"},"message":{"text":"Straßenfest in Köln"},"action":{"hasLinks":true,"links":[{"type":"url","text":"Jetzt buchen","url":{"desktop":{"text":"https://example.com/de"}}}]}}]}}',
   1716000000),
  ('alice', 'v2-ar', 1716100000, 0, 0, 0, 'carousel', 'عروض',
   '{"_id":"v2-ar","date":1716100000,"msg":{"type":"carousel","tags":["عروض"],"content":[{"title":{"text":"عرض خاص"}},{"title":{"text":"الشريحة الثانية"},"message":{"text":"مَرْحَبًا بكم في متجرنا"}}]}}',
   1716100000),
  ('alice', 'v2-gone', 1716050000, 0, 0, 1, 'simple', '', NULL, 1716050000),
  ('alice', 'v2-broken', 1716060000, 0, 0, 0, 'simple', '', '{"_id":"v2-broken", "msg": [', 1716060000),
  ('bob', 'v2-bob', 1716200000, 0, 0, 0, 'simple', '',
   '{"_id":"v2-bob","date":1716200000,"msg":{"type":"simple","content":[{"title":{"text":"Über Bob"}}]}}',
   1716200000);

INSERT INTO sync_state (user, cursor) VALUES ('alice', 'cursor-from-v2');
