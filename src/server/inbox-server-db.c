/* inbox-server-db.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-server-db"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <sqlite3.h>

#include "inbox-server-db.h"

struct _InboxServerDb
{
  GObject     parent_instance;

  sqlite3    *db;
  GHashTable *statements; /* SQL text → statement, prepared once */
  gint64      rev;        /* the last revision given out */
};

G_DEFINE_FINAL_TYPE (InboxServerDb, inbox_server_db, G_TYPE_OBJECT)

G_DEFINE_QUARK (inbox-server-error-quark, inbox_server_error)

static const char schema[] =
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

static void
inbox_server_db_finalize (GObject *object)
{
  InboxServerDb *self = (InboxServerDb *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (g_steal_pointer (&self->db));

  G_OBJECT_CLASS (inbox_server_db_parent_class)->finalize (object);
}

static void
inbox_server_db_class_init (InboxServerDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = inbox_server_db_finalize;
}

static void
finalize_statement (gpointer statement)
{
  sqlite3_finalize (statement);
}

static void
inbox_server_db_init (InboxServerDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
}

static gboolean
db_error (InboxServerDb  *self,
          GError        **error,
          const char     *what)
{
  g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
               "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

/* Every statement is prepared once, with its values bound, never pasted. */
static sqlite3_stmt *
prepare (InboxServerDb  *self,
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
exec (InboxServerDb  *self,
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
begin (InboxServerDb  *self,
       GError        **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (InboxServerDb  *self,
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
rollback (InboxServerDb *self,
          gint64         rev_before)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->rev = rev_before;
}

InboxServerDb *
inbox_server_db_new (const char  *path,
                     GError     **error)
{
  g_autoptr(InboxServerDb) self = g_object_new (INBOX_TYPE_SERVER_DB, NULL);
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
      sqlite3_exec (self->db, schema, NULL, NULL, NULL) != SQLITE_OK)
    {
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

char *
inbox_server_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/**
 * inbox_server_random_hex:
 * @n_bytes: how many random bytes (at most 64)
 *
 * Tokens and ids that must not be guessed come from the kernel's secure
 * generator, never from GLib's (a Mersenne Twister, rebuilt from 624
 * outputs).
 *
 * Returns: (transfer full): 2 × @n_bytes lower-case hex digits
 */
char *
inbox_server_random_hex (gsize n_bytes)
{
  guint8 bytes[64];
  gsize got = 0;
  GString *hex;

  g_return_val_if_fail (n_bytes > 0 && n_bytes <= sizeof bytes, NULL);

  while (got < n_bytes)
    {
      ssize_t n = getrandom (bytes + got, n_bytes - got, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("The kernel's random generator failed: %s", g_strerror (errno));
      got += n;
    }

  hex = g_string_sized_new (2 * n_bytes);
  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  explicit_bzero (bytes, sizeof bytes);
  return g_string_free (hex, FALSE);
}

/**
 * inbox_server_db_create_user:
 * @replace_token: an existing user gets a new token instead of a conflict
 *
 * Returns: (transfer full): the user's new token; only its hash is stored
 */
char *
inbox_server_db_create_user (InboxServerDb       *self,
                             const char          *name,
                             const char * const  *segments,
                             gboolean             replace_token,
                             GError             **error)
{
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
gint64
inbox_server_db_lookup_token (InboxServerDb  *self,
                              const char     *token,
                              char          **name)
{
  g_autofree char *hash = inbox_server_hash_token (token);
  sqlite3_stmt *stmt = prepare (self, "SELECT id, name FROM users WHERE token_hash = ?1", NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      if (name != NULL)
        *name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return id;
}

/* Adds one delivery per user id that @stmt_select gives (bound by the caller). */
static gboolean
deliver_selected (InboxServerDb  *self,
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
 * inbox_server_db_publish:
 * @target: `{"users": [...]}`, `{"segment": "..."}` or `{"all": true}`, checked
 * @message_json: the message as delivered (with its _id, date, wzrk_*)
 *
 * Stores the campaign and delivers it to its users, all in one transaction:
 * an unknown user in the list delivers nothing.
 */
gboolean
inbox_server_db_publish (InboxServerDb  *self,
                         const char     *campaign_id,
                         JsonObject     *target,
                         const char     *message_json,
                         gint64          now,
                         gint64          expires,
                         guint          *delivered,
                         GError        **error)
{
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

void
inbox_server_append_json_string (GString    *out,
                                 const char *str)
{
  g_autofree char *valid = NULL;

  /* what a request's path quotes may be any bytes: the answer stays JSON */
  if (!g_utf8_validate (str, -1, NULL))
    str = valid = g_utf8_make_valid (str, -1);

  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

/**
 * inbox_server_db_inbox_page:
 * @since: the cursor the client has, or -1 for everything live
 *
 * Returns: (transfer full): the body of a `GET /v1/inbox` answer
 */
GString *
inbox_server_db_inbox_page (InboxServerDb  *self,
                            gint64          user_id,
                            const char     *user_name,
                            gint64          since,
                            guint           limit,
                            gint64          now,
                            GError        **error)
{
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

static const char * const event_types[] = {
  "read", "unread", "deleted", "Notification Viewed", "Notification Clicked", NULL
};

/* Checks every event before any is stored: a bad one refuses the request. */
static gboolean
check_events (JsonArray  *events,
              GError    **error)
{
  guint n = json_array_get_length (events);

  if (n > INBOX_SERVER_EVENTS_MAX)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                   "events: %u events, at most %d a request", n, INBOX_SERVER_EVENTS_MAX);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      JsonObject *event;
      JsonNode *member;
      const char *field = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                       "events[%u]: not an object", i);
          return FALSE;
        }
      event = json_node_get_object (node);

      for (const char * const *name = (const char *[]) { "event_id", "type", "message_id", NULL }; *name; name++)
        {
          member = json_object_get_member (event, *name);
          if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING ||
              *json_node_get_string (member) == '\0')
            {
              field = *name;
              break;
            }
        }
      if (field == NULL)
        {
          member = json_object_get_member (event, "ts");
          if (member == NULL || json_node_get_value_type (member) != G_TYPE_INT64)
            field = "ts";
          else if (json_node_get_int (member) < 0 || json_node_get_int (member) > INBOX_SERVER_TS_MAX)
            {
              g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                           "events[%u].ts: epoch seconds from 0 to %" G_GINT64_FORMAT " were expected",
                           i, (gint64) INBOX_SERVER_TS_MAX);
              return FALSE;
            }
        }
      if (field == NULL)
        {
          member = json_object_get_member (event, "props");
          if (member != NULL && !JSON_NODE_HOLDS_OBJECT (member))
            field = "props";
        }
      if (field != NULL)
        {
          g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                       "events[%u].%s: missing or of the wrong type", i, field);
          return FALSE;
        }
      if (!g_strv_contains (event_types, json_object_get_string_member (event, "type")))
        {
          g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                       "events[%u].type: “%s” is not an event type", i,
                       json_object_get_string_member (event, "type"));
          return FALSE;
        }
    }

  return TRUE;
}

/* read, unread and deleted change the delivery (with a new revision, so
 * the user's other devices hear of it). */
static gboolean
apply_state (InboxServerDb  *self,
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
 * inbox_server_db_record_events:
 *
 * Stores the events of one request in one transaction. An event id the user
 * already sent is a duplicate: counted as such, applied once only.
 */
gboolean
inbox_server_db_record_events (InboxServerDb  *self,
                               gint64          user_id,
                               JsonArray      *events,
                               guint          *accepted,
                               guint          *duplicates,
                               GError        **error)
{
  gint64 rev_before = self->rev;

  *accepted = *duplicates = 0;
  if (!check_events (events, error))
    return FALSE;
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
count (InboxServerDb *self,
       const char    *sql,
       const char    *campaign_id)
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
JsonNode *
inbox_server_db_get_campaign (InboxServerDb  *self,
                              const char     *campaign_id,
                              GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) target = NULL, message = NULL;
  sqlite3_stmt *stmt;
  gint64 created, expires, delivered;

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
  target = json_from_string ((const char *) sqlite3_column_text (stmt, 2), NULL);
  message = json_from_string ((const char *) sqlite3_column_text (stmt, 3), NULL);
  delivered = sqlite3_column_int64 (stmt, 4);
  sqlite3_reset (stmt);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "campaign_id");
  json_builder_add_string_value (builder, campaign_id);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, created);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_int_value (builder, expires);
  json_builder_set_member_name (builder, "target");
  json_builder_add_value (builder, g_steal_pointer (&target));
  json_builder_set_member_name (builder, "message");
  json_builder_add_value (builder, g_steal_pointer (&message));
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "delivered");
  json_builder_add_int_value (builder, delivered);
  json_builder_set_member_name (builder, "viewed");
  json_builder_add_int_value (builder, count (self, "SELECT COUNT (*) FROM events WHERE campaign_id = ?1 AND type = 'Notification Viewed'", campaign_id));
  json_builder_set_member_name (builder, "clicked");
  json_builder_add_int_value (builder, count (self, "SELECT COUNT (*) FROM events WHERE campaign_id = ?1 AND type = 'Notification Clicked'", campaign_id));
  json_builder_set_member_name (builder, "read");
  json_builder_add_int_value (builder, count (self, "SELECT COUNT (*) FROM deliveries WHERE campaign_id = ?1 AND is_read = 1", campaign_id));
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_int_value (builder, count (self, "SELECT COUNT (*) FROM deliveries WHERE campaign_id = ?1 AND deleted = 1", campaign_id));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
