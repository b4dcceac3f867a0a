/* inbox-server-sqlite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-server-sqlite"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "inbox-server-sqlite.h"

struct _InboxServerSqlite
{
  GObject     parent_instance;

  sqlite3    *db;
  GHashTable *statements; /* SQL text → statement, prepared once */
  gint64      rev;        /* the last revision given out */
};

static void inbox_server_sqlite_store_init (InboxServerStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InboxServerSqlite, inbox_server_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (INBOX_TYPE_SERVER_STORE,
                                                      inbox_server_sqlite_store_init))

/* migrations[i] takes the schema from version i to i + 1 (PRAGMA
 * user_version). Version 1 is the schema from before the versions, so it
 * creates only what is missing. */
static const char schema_1[] =
  "CREATE TABLE IF NOT EXISTS users ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  token_hash TEXT NOT NULL UNIQUE);"
  "CREATE TABLE IF NOT EXISTS segments ("
  "  user_id INTEGER NOT NULL REFERENCES users (id),"
  "  segment TEXT NOT NULL,"
  "  PRIMARY KEY (user_id, segment));"
  "CREATE TABLE IF NOT EXISTS campaigns ("
  "  id TEXT PRIMARY KEY,"
  "  created INTEGER NOT NULL,"
  "  expires INTEGER NOT NULL,"
  "  target TEXT NOT NULL,"
  "  message TEXT NOT NULL,"
  "  delivered INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS deliveries ("
  "  user_id INTEGER NOT NULL REFERENCES users (id),"
  "  msg_id TEXT NOT NULL,"
  "  campaign_id TEXT NOT NULL REFERENCES campaigns (id),"
  "  rev INTEGER NOT NULL,"
  "  is_read INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (user_id, msg_id));"
  "CREATE INDEX IF NOT EXISTS deliveries_rev ON deliveries (user_id, rev);"
  "CREATE INDEX IF NOT EXISTS deliveries_campaign ON deliveries (campaign_id);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  user_id INTEGER NOT NULL REFERENCES users (id),"
  "  event_id TEXT NOT NULL,"
  "  type TEXT NOT NULL,"
  "  message_id TEXT NOT NULL,"
  "  campaign_id TEXT,"
  "  ts INTEGER NOT NULL,"
  "  props TEXT NOT NULL,"
  "  PRIMARY KEY (user_id, event_id));"
  "CREATE INDEX IF NOT EXISTS events_campaign ON events (campaign_id, type);";

static const char * const migrations[] = { schema_1 };

static gboolean
db_error (InboxServerSqlite  *self,
          GError        **error,
          const char     *what)
{
  g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
               "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

/* Every statement is prepared once, with its values bound, never pasted. */
static sqlite3_stmt *
prepare (InboxServerSqlite  *self,
         const char     *sql,
         GError        **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      db_error (self, error, "Could not prepare a query");
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static gboolean
exec (InboxServerSqlite  *self,
      const char     *sql,
      GError        **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return db_error (self, error, sql);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
begin (InboxServerSqlite  *self,
       GError        **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (InboxServerSqlite  *self,
        gint64          rev_before,
        GError        **error)
{
  if (exec (self, "COMMIT", error))
    return TRUE;

  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->rev = rev_before;
  return FALSE;
}

static void
rollback (InboxServerSqlite *self,
          gint64         rev_before)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->rev = rev_before;
}

/**
 * inbox_server_sqlite_create_user:
 * @replace_token: an existing user gets a new token instead of a conflict
 *
 * Returns: (transfer full): the user's new token; only its hash is stored
 */
static char *
inbox_server_sqlite_create_user (InboxServerStore    *store,
                                 const char          *name,
                                 const char * const  *segments,
                                 gboolean            replace_token,
                                 GError              **error)
{
  InboxServerSqlite *self = INBOX_SERVER_SQLITE (store);
  g_autofree char *token = inbox_server_random_hex (32);
  g_autofree char *hash = inbox_server_hash_token (token);
  sqlite3_stmt *stmt;
  gint64 user_id;
  int rc;

  if (!begin (self, error))
    return NULL;

  stmt = prepare (self, replace_token
                          ? "INSERT INTO users (name, token_hash) VALUES (?1, ?2) "
                            "ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash RETURNING id"
                          : "INSERT INTO users (name, token_hash) VALUES (?1, ?2) RETURNING id",
                  error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_CONFLICT,
                     "There is already a user named “%s”", name);
      else
        db_error (self, error, "Could not add the user");
      sqlite3_reset (stmt);
      goto fail;
    }
  user_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  for (guint i = 0; segments != NULL && segments[i] != NULL; i++)
    {
      stmt = prepare (self, "INSERT OR IGNORE INTO segments (user_id, segment) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, user_id);
      sqlite3_bind_text (stmt, 2, segments[i], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          db_error (self, error, "Could not add the user's segments");
          goto fail;
        }
    }

  if (!commit (self, self->rev, error))
    return NULL;
  return g_steal_pointer (&token);

fail:
  rollback (self, self->rev);
  return NULL;
}

/* Returns: the user's id, or 0 when no user has @token */
static gint64
inbox_server_sqlite_lookup_token (InboxServerStore    *store,
                                  const char          *token,
                                  char               **name,
                                  GError             **error)
{
  InboxServerSqlite *self = INBOX_SERVER_SQLITE (store);
  g_autofree char *hash = inbox_server_hash_token (token);
  sqlite3_stmt *stmt = prepare (self, "SELECT id, name FROM users WHERE token_hash = ?1", error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      if (name != NULL)
        *name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    db_error (self, error, "Could not look up a token");
  sqlite3_reset (stmt);
  return id;
}

/* Adds one delivery per user id that @stmt_select gives (bound by the caller). */
static gboolean
deliver_selected (InboxServerSqlite  *self,
                  sqlite3_stmt   *select,
                  const char     *campaign_id,
                  guint          *delivered,
                  GError        **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (select);
  if (rc != SQLITE_DONE)
    return db_error (self, error, "Could not find the campaign's users");

  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *insert = prepare (self,
                                      "INSERT OR IGNORE INTO deliveries (user_id, msg_id, campaign_id, rev) "
                                      "VALUES (?1, ?2, ?2, ?3)", error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, g_array_index (ids, gint64, i));
      sqlite3_bind_text (insert, 2, campaign_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 3, ++self->rev);
      if (sqlite3_step (insert) != SQLITE_DONE)
        return db_error (self, error, "Could not deliver the campaign");
      *delivered += sqlite3_changes (self->db);
    }

  return TRUE;
}

/**
 * inbox_server_sqlite_publish:
 * @target: `{"users": [...]}`, `{"segment": "..."}` or `{"all": true}`, checked
 * @message_json: the message as delivered (with its _id, date, wzrk_*)
 *
 * Stores the campaign and delivers it to its users, all in one transaction:
 * an unknown user in the list delivers nothing.
 */
static gboolean
inbox_server_sqlite_publish (InboxServerStore    *store,
                             const char          *campaign_id,
                             JsonObject          *target,
                             const char          *message_json,
                             gint64              now,
                             gint64              expires,
                             guint               *delivered,
                             GError              **error)
{
  InboxServerSqlite *self = INBOX_SERVER_SQLITE (store);
  g_autoptr(JsonNode) target_node = json_node_init_object (json_node_alloc (), target);
  g_autofree char *target_json = json_to_string (target_node, FALSE);
  gint64 rev_before = self->rev;
  sqlite3_stmt *stmt;

  *delivered = 0;
  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO campaigns (id, created, expires, target, message, delivered) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, 0)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, expires);
  sqlite3_bind_text (stmt, 4, target_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, message_json, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      db_error (self, error, "Could not store the campaign");
      goto fail;
    }

  if (json_object_has_member (target, "users"))
    {
      JsonArray *users = json_object_get_array_member (target, "users");

      for (guint i = 0; i < json_array_get_length (users); i++)
        {
          const char *name = json_array_get_string_element (users, i);
          guint before = *delivered;

          stmt = prepare (self, "SELECT id FROM users WHERE name = ?1", error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
          if (!deliver_selected (self, stmt, campaign_id, delivered, error))
            goto fail;
          if (*delivered == before)
            {
              g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                           "target.users[%u]: there is no user named “%s” (or it is listed twice)", i, name);
              goto fail;
            }
        }
    }
  else if (json_object_has_member (target, "segment"))
    {
      stmt = prepare (self, "SELECT user_id FROM segments WHERE segment = ?1 ORDER BY user_id", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, json_object_get_string_member (target, "segment"), -1, SQLITE_TRANSIENT);
      if (!deliver_selected (self, stmt, campaign_id, delivered, error))
        goto fail;
    }
  else
    {
      stmt = prepare (self, "SELECT id FROM users ORDER BY id", error);
      if (stmt == NULL || !deliver_selected (self, stmt, campaign_id, delivered, error))
        goto fail;
    }

  stmt = prepare (self, "UPDATE campaigns SET delivered = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, *delivered);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      db_error (self, error, "Could not count the deliveries");
      goto fail;
    }

  return commit (self, rev_before, error);

fail:
  rollback (self, rev_before);
  *delivered = 0;
  return FALSE;
}

/**
 * inbox_server_sqlite_inbox_page:
 * @since: the cursor the client has, or -1 for everything live
 *
 * Returns: (transfer full): the body of a `GET /v1/inbox` answer
 */
static GString *
inbox_server_sqlite_inbox_page (InboxServerStore    *store,
                                gint64              user_id,
                                const char          *user_name,
                                gint64              since,
                                guint               limit,
                                gint64              now,
                                GError              **error)
{
  InboxServerSqlite *self = INBOX_SERVER_SQLITE (store);
  g_autoptr(GString) body = g_string_sized_new (4096);
  g_autoptr(GString) deleted = g_string_new ("[");
  sqlite3_stmt *stmt;
  gint64 cursor = MAX (since, 0);
  guint scanned = 0;
  gboolean more = FALSE, first = TRUE;
  int rc;

  stmt = prepare (self,
                  "SELECT d.rev, d.msg_id, d.is_read, d.deleted, c.expires, c.message "
                  "FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id "
                  "WHERE d.user_id = ?1 AND d.rev > ?2 ORDER BY d.rev LIMIT ?3",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_int64 (stmt, 2, cursor);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);

  g_string_append (body, "{\"inbox_notifs\":[");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *message;
      gint64 expires;

      if (++scanned > limit)
        {
          more = TRUE;
          break;
        }

      cursor = sqlite3_column_int64 (stmt, 0);
      expires = sqlite3_column_int64 (stmt, 4);
      if (sqlite3_column_int (stmt, 3))
        {
          if (since >= 0)
            {
              if (deleted->len > 1)
                g_string_append_c (deleted, ',');
              inbox_server_append_json_string (deleted, (const char *) sqlite3_column_text (stmt, 1));
            }
          continue;
        }
      if (expires > 0 && expires <= now)
        continue;

      /* the stored message is an object: isRead goes in as its first member */
      message = (const char *) sqlite3_column_text (stmt, 5);
      if (!first)
        g_string_append_c (body, ',');
      first = FALSE;
      g_string_append (body, sqlite3_column_int (stmt, 2) ? "{\"isRead\":true," : "{\"isRead\":false,");
      g_string_append (body, message + 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      db_error (self, error, "Could not read the inbox");
      return NULL;
    }

  g_string_append_c (deleted, ']');
  g_string_append (body, "],\"deleted\":");
  g_string_append_len (body, deleted->str, deleted->len);
  g_string_append (body, ",\"user\":");
  inbox_server_append_json_string (body, user_name);
  g_string_append_printf (body, ",\"cursor\":\"%" G_GINT64_FORMAT "\",\"more\":%s}",
                          cursor, more ? "true" : "false");
  return g_steal_pointer (&body);
}

/* read, unread and deleted change the delivery (with a new revision, so
 * the user's other devices hear of it). */
static gboolean
apply_state (InboxServerSqlite  *self,
             gint64          user_id,
             const char     *type,
             const char     *message_id,
             GError        **error)
{
  const char *sql;
  sqlite3_stmt *stmt;

  if (g_str_equal (type, "read"))
    sql = "UPDATE deliveries SET is_read = 1, rev = ?3 WHERE user_id = ?1 AND msg_id = ?2 AND is_read = 0 AND deleted = 0";
  else if (g_str_equal (type, "unread"))
    sql = "UPDATE deliveries SET is_read = 0, rev = ?3 WHERE user_id = ?1 AND msg_id = ?2 AND is_read = 1 AND deleted = 0";
  else if (g_str_equal (type, "deleted"))
    sql = "UPDATE deliveries SET deleted = 1, rev = ?3 WHERE user_id = ?1 AND msg_id = ?2 AND deleted = 0";
  else
    return TRUE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, self->rev + 1);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return db_error (self, error, "Could not apply an event");
  if (sqlite3_changes (self->db) > 0)
    self->rev++;
  return TRUE;
}

/**
 * inbox_server_sqlite_record_events:
 *
 * Stores the events of one request in one transaction. An event id the user
 * already sent is a duplicate: counted as such, applied once only.
 */
static gboolean
inbox_server_sqlite_record_events (InboxServerStore    *store,
                                   gint64              user_id,
                                   JsonArray           *events,
                                   guint               *accepted,
                                   guint               *duplicates,
                                   GError              **error)
{
  InboxServerSqlite *self = INBOX_SERVER_SQLITE (store);
  gint64 rev_before = self->rev;

  if (!begin (self, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonNode *props = json_object_get_member (event, "props");
      g_autofree char *props_json = props != NULL ? json_to_string (props, FALSE) : g_strdup ("{}");
      const char *type = json_object_get_string_member (event, "type");
      const char *message_id = json_object_get_string_member (event, "message_id");
      sqlite3_stmt *stmt;

      stmt = prepare (self,
                      "INSERT OR IGNORE INTO events (user_id, event_id, type, message_id, campaign_id, ts, props) "
                      "VALUES (?1, ?2, ?3, ?4, "
                      "  (SELECT campaign_id FROM deliveries WHERE user_id = ?1 AND msg_id = ?4), ?5, ?6)",
                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, user_id);
      sqlite3_bind_text (stmt, 2, json_object_get_string_member (event, "event_id"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, type, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, message_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, json_object_get_int_member (event, "ts"));
      sqlite3_bind_text (stmt, 6, props_json, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          db_error (self, error, "Could not store an event");
          goto fail;
        }
      if (sqlite3_changes (self->db) == 0)
        {
          (*duplicates)++;
          continue;
        }

      (*accepted)++;
      if (!apply_state (self, user_id, type, message_id, error))
        goto fail;
    }

  return commit (self, rev_before, error);

fail:
  rollback (self, rev_before);
  *accepted = *duplicates = 0;
  return FALSE;
}

static gint64
count (InboxServerSqlite *self,
       const char        *sql,
       const char        *campaign_id)
{
  sqlite3_stmt *stmt = prepare (self, sql, NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* Returns: (transfer full): the campaign as JSON, with its counts */
static JsonNode *
inbox_server_sqlite_get_campaign (InboxServerStore    *store,
                                  const char          *campaign_id,
                                  GError             **error)
{
  InboxServerSqlite *self = INBOX_SERVER_SQLITE (store);
  g_autofree char *target = NULL, *message = NULL;
  sqlite3_stmt *stmt;
  gint64 created, expires, counts[5];

  stmt = prepare (self, "SELECT created, expires, target, message, delivered FROM campaigns WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_NOT_FOUND,
                   "There is no campaign “%s”", campaign_id);
      return NULL;
    }
  created = sqlite3_column_int64 (stmt, 0);
  expires = sqlite3_column_int64 (stmt, 1);
  target = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  message = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  counts[0] = sqlite3_column_int64 (stmt, 4);
  sqlite3_reset (stmt);

  counts[1] = count (self, "SELECT COUNT (*) FROM events WHERE campaign_id = ?1 AND type = 'Notification Viewed'", campaign_id);
  counts[2] = count (self, "SELECT COUNT (*) FROM events WHERE campaign_id = ?1 AND type = 'Notification Clicked'", campaign_id);
  counts[3] = count (self, "SELECT COUNT (*) FROM deliveries WHERE campaign_id = ?1 AND is_read = 1", campaign_id);
  counts[4] = count (self, "SELECT COUNT (*) FROM deliveries WHERE campaign_id = ?1 AND deleted = 1", campaign_id);

  return inbox_server_campaign_json (campaign_id, created, expires, target, message, counts);
}

static void
inbox_server_sqlite_store_init (InboxServerStoreInterface *iface)
{
  iface->create_user = inbox_server_sqlite_create_user;
  iface->lookup_token = inbox_server_sqlite_lookup_token;
  iface->publish = inbox_server_sqlite_publish;
  iface->inbox_page = inbox_server_sqlite_inbox_page;
  iface->record_events = inbox_server_sqlite_record_events;
  iface->get_campaign = inbox_server_sqlite_get_campaign;
}

static void
inbox_server_sqlite_finalize (GObject *object)
{
  InboxServerSqlite *self = (InboxServerSqlite *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (g_steal_pointer (&self->db));

  G_OBJECT_CLASS (inbox_server_sqlite_parent_class)->finalize (object);
}

static void
inbox_server_sqlite_class_init (InboxServerSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = inbox_server_sqlite_finalize;
}

static void
finalize_statement (gpointer statement)
{
  sqlite3_finalize (statement);
}

static void
inbox_server_sqlite_init (InboxServerSqlite *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
}

/* Brings the schema from the file's PRAGMA user_version to the current
 * one, one step at a time, in one transaction. A file from before the
 * versions (0, its tables there) takes step 1 as a no-op. */
static gboolean
migrate (InboxServerSqlite  *self,
         const char         *path,
         GError            **error)
{
  sqlite3_stmt *stmt;
  int version;

  if (!begin (self, error))
    return FALSE;
  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      db_error (self, error, "Could not read the schema version");
      goto fail;
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                   "The database %s has schema version %d; this app-inbox-server knows up to %d",
                   path, version, (int) G_N_ELEMENTS (migrations));
      goto fail;
    }
  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (sqlite3_exec (self->db, migrations[version], NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (self->db, set_version, NULL, NULL, NULL) != SQLITE_OK)
        {
          g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                       "Could not bring the database %s to schema version %d: %s",
                       path, version + 1, sqlite3_errmsg (self->db));
          goto fail;
        }
    }

  return commit (self, self->rev, error);

fail:
  rollback (self, self->rev);
  return FALSE;
}

InboxServerSqlite *
inbox_server_sqlite_new (const char  *path,
                         GError     **error)
{
  g_autoptr(InboxServerSqlite) self = g_object_new (INBOX_TYPE_SERVER_SQLITE, NULL);
  sqlite3_stmt *stmt;

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                   "Could not open the database %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                              "PRAGMA foreign_keys = ON;", NULL, NULL, NULL) != SQLITE_OK ||
      !migrate (self, path, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                     "Could not set up the database %s: %s", path, sqlite3_errmsg (self->db));
      return NULL;
    }

  stmt = prepare (self, "SELECT COALESCE (MAX (rev), 0) FROM deliveries", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      db_error (self, error, "Could not read the last revision");
      return NULL;
    }
  self->rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return g_steal_pointer (&self);
}
