/* inbox-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-cache"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "inbox-cache.h"
#include "inbox-content.h"
#include "inbox-link.h"
#include "inbox-search.h"

struct _InboxCache
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;     /* SQL text → sqlite3_stmt, prepared once */
  GRecMutex   lock;           /* one operation (and transaction) at a time */
  GError     *recovery_error; /* set when a damaged file was moved aside */
  int         schema_version;

  InboxCacheQueryHook query_hook;  /* tests */
  gpointer            query_hook_data;
};

G_DEFINE_FINAL_TYPE (InboxCache, inbox_cache, G_TYPE_OBJECT)
G_DEFINE_QUARK (inbox-cache-error-quark, inbox_cache_error)

/* Each step takes the schema from the version before it to its own number.
 * Step 1 is the first released schema; never edit a released step, add one. */
static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE messages ("
  "  user    TEXT    NOT NULL,"
  "  id      TEXT    NOT NULL,"
  "  date    INTEGER NOT NULL,"
  "  expires INTEGER NOT NULL DEFAULT 0,"
  "  read    INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  type    TEXT    NOT NULL,"
  "  tags    TEXT    NOT NULL DEFAULT '',"
  "  json    TEXT,"
  "  UNIQUE (user, id));"
  "CREATE TABLE outbox ("
  "  seq        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  event_id   TEXT    NOT NULL UNIQUE,"
  "  user       TEXT    NOT NULL,"
  "  type       TEXT    NOT NULL,"
  "  message_id TEXT    NOT NULL,"
  "  ts         INTEGER NOT NULL,"
  "  props      TEXT    NOT NULL DEFAULT '{}');"
  "CREATE TABLE sync_state ("
  "  user   TEXT PRIMARY KEY,"
  "  cursor TEXT);"
  "CREATE TABLE schema_version (version INTEGER NOT NULL);"
  "INSERT INTO schema_version (version) VALUES (0);",

  /* 2: when each message arrived, and an index that answers the list alone */
  "ALTER TABLE messages ADD COLUMN received INTEGER NOT NULL DEFAULT 0;"
  "UPDATE messages SET received = date;"
  "CREATE INDEX messages_list ON messages (user, deleted, date DESC, id, expires, read, type, tags);"
  "CREATE INDEX outbox_user ON outbox (user, seq);",

  /* 3: search. The searchable text of each message in columns of its own
   * (filled from the stored JSON by fill_search_text()), a stable rowid
   * (docid) for the FTS5 external-content index over them, and triggers
   * that keep the index in step inside every transaction that writes a
   * message. A tombstone's text is empty. The rows copied over are indexed
   * (by 'rebuild') before their text is filled in. */
  "CREATE TABLE messages_v3 ("
  "  docid    INTEGER PRIMARY KEY,"
  "  user     TEXT    NOT NULL,"
  "  id       TEXT    NOT NULL,"
  "  date     INTEGER NOT NULL,"
  "  expires  INTEGER NOT NULL DEFAULT 0,"
  "  read     INTEGER NOT NULL DEFAULT 0,"
  "  deleted  INTEGER NOT NULL DEFAULT 0,"
  "  type     TEXT    NOT NULL,"
  "  tags     TEXT    NOT NULL DEFAULT '',"
  "  json     TEXT,"
  "  received INTEGER NOT NULL DEFAULT 0,"
  "  title    TEXT    NOT NULL DEFAULT '',"
  "  body     TEXT    NOT NULL DEFAULT '',"
  "  buttons  TEXT    NOT NULL DEFAULT '',"
  "  UNIQUE (user, id));"
  "INSERT INTO messages_v3 (user, id, date, expires, read, deleted, type, tags, json, received) "
  "  SELECT user, id, date, expires, read, deleted, type, tags, json, received FROM messages ORDER BY rowid;"
  "DROP TABLE messages;"
  "ALTER TABLE messages_v3 RENAME TO messages;"
  "CREATE INDEX messages_list ON messages (user, deleted, date DESC, id, expires, read, type, tags);"
  "CREATE VIRTUAL TABLE messages_fts USING fts5 ("
  "  title, body, buttons, tags,"
  "  content = 'messages', content_rowid = 'docid',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
  "  INSERT INTO messages_fts (rowid, title, body, buttons, tags)"
  "  VALUES (new.docid, new.title, new.body, new.buttons, new.tags);"
  "END;"
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, title, body, buttons, tags)"
  "  VALUES ('delete', old.docid, old.title, old.body, old.buttons, old.tags);"
  "END;"
  "CREATE TRIGGER messages_fts_update AFTER UPDATE OF title, body, buttons, tags ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, title, body, buttons, tags)"
  "  VALUES ('delete', old.docid, old.title, old.body, old.buttons, old.tags);"
  "  INSERT INTO messages_fts (rowid, title, body, buttons, tags)"
  "  VALUES (new.docid, new.title, new.body, new.buttons, new.tags);"
  "END;"
  "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');",
};

/* What a step needs besides its SQL, run in the same transaction after it. */
static gboolean fill_search_text (InboxCache *self, GError **error);

static gboolean (* const migration_code[]) (InboxCache *, GError **) = {
  NULL,
  NULL,
  fill_search_text,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migration_code) == INBOX_CACHE_SCHEMA_VERSION);

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == INBOX_CACHE_SCHEMA_VERSION);

/* Tags are stored joined by the ASCII unit separator. */
#define TAG_SEPARATOR "\x1f"

void
inbox_outbox_event_free (InboxOutboxEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->event_id);
  g_free (event->type);
  g_free (event->message_id);
  g_free (event->props);
  g_free (event);
}

static void
inbox_cache_finalize (GObject *object)
{
  InboxCache *self = (InboxCache *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_error (&self->recovery_error);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (inbox_cache_parent_class)->finalize (object);
}

static void
inbox_cache_class_init (InboxCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inbox_cache_finalize;
}

static void
finalize_statement (gpointer statement)
{
  sqlite3_finalize (statement);
}

static void
inbox_cache_init (InboxCache *self)
{
  g_rec_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            finalize_statement);
}

static gboolean
is_damage (int code)
{
  code &= 0xff;
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

static gboolean
sqlite_error (sqlite3     *db,
              int          code,
              GError     **error,
              const char  *format,
              ...) G_GNUC_PRINTF (4, 5);

/* Fails with what we were doing and what SQLite said. */
static gboolean
sqlite_error (sqlite3     *db,
              int          code,
              GError     **error,
              const char  *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_FULL,
                 "%s: the disk is full, nothing was written", what);
  else
    g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_FAILED,
                 "%s: %s", what, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (code));
  return FALSE;
}

static sqlite3_stmt *
prepare (InboxCache  *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (self->query_hook != NULL)
    self->query_hook (sql, self->query_hook_data);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite_error (self->db, rc, error, "Could not prepare a cache query");
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static gboolean
exec (InboxCache  *self,
      const char  *sql,
      GError     **error)
{
  int rc;

  if (self->query_hook != NULL)
    self->query_hook (sql, self->query_hook_data);
  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return sqlite_error (self->db, rc, error, "Cache statement failed");
  return TRUE;
}

static gboolean
begin (InboxCache  *self,
       GError     **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (InboxCache  *self,
        GError     **error)
{
  int rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite_error (self->db, rc, error, "Could not save to the cache");
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (InboxCache *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Returns the schema version, 0 for an empty database, -1 for a database
 * that is not ours (tables, but no schema_version). */
static int
read_schema_version (InboxCache  *self,
                     int         *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1, n_tables = 0;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT count(*), (SELECT count(*) FROM sqlite_schema WHERE name = 'schema_version') "
                           "FROM sqlite_schema WHERE type = 'table'", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      n_tables = sqlite3_column_int (stmt, 0);
      version = sqlite3_column_int (stmt, 1) > 0 ? -2 : (n_tables == 0 ? 0 : -1);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  *rc_out = rc;

  if (rc != SQLITE_OK || version != -2)
    return version;

  rc = sqlite3_prepare_v2 (self->db, "SELECT max(version) FROM schema_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      version = sqlite3_column_int (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  *rc_out = rc;

  return version;
}

static gboolean
migrate (InboxCache  *self,
         int          from,
         GError     **error)
{
  if (!begin (self, error))
    return FALSE;

  for (int version = from + 1; version <= INBOX_CACHE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = g_strdup_printf ("UPDATE schema_version SET version = %d", version);
      int rc = sqlite3_exec (self->db, migrations[version - 1], NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        rc = sqlite3_exec (self->db, set_version, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          sqlite_error (self->db, rc, error, "Could not update the cache %s to version %d",
                        self->path, version);
          rollback (self);
          return FALSE;
        }
      if (migration_code[version - 1] != NULL && !migration_code[version - 1] (self, error))
        {
          g_prefix_error (error, "Could not update the cache %s to version %d: ", self->path, version);
          rollback (self);
          return FALSE;
        }
    }

  if (!commit (self, error))
    return FALSE;

  self->schema_version = INBOX_CACHE_SCHEMA_VERSION;
  return TRUE;
}

/* Opens self->path and brings it to the current schema. On failure *damaged
 * says whether the file itself is the problem (then it may be moved aside). */
static gboolean
open_database (InboxCache  *self,
               gboolean    *damaged,
               GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *check = NULL;
  int rc, version;

  *damaged = FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      *damaged = is_damage (rc);
      return sqlite_error (self->db, rc, error, "Could not open the cache %s", self->path);
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);
  /* Reads through a memory map: the integrity check at open takes less than
   * half the time it takes through read() calls. Writes nothing. */
  sqlite3_exec (self->db, "PRAGMA mmap_size = 268435456", NULL, NULL, NULL);

  /* Nothing here writes until the file is known to be ours: a damaged or
   * foreign file is moved aside exactly as it was found.
   *
   * quick_check reads every page but skips the index cross-checks of
   * integrity_check: a damaged page is found, at a fraction of the cost. */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      check = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      *damaged = is_damage (rc);
      return sqlite_error (self->db, rc, error, "Could not check the cache %s", self->path);
    }
  if (g_strcmp0 (check, "ok") != 0)
    {
      *damaged = TRUE;
      g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_DAMAGED,
                   "The cache %s failed its integrity check: %s", self->path, check);
      return FALSE;
    }

  version = read_schema_version (self, &rc);
  if (rc != SQLITE_OK)
    {
      *damaged = is_damage (rc);
      return sqlite_error (self->db, rc, error, "Could not read the cache %s", self->path);
    }
  if (version < 0)
    {
      *damaged = TRUE;
      g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_DAMAGED,
                   "%s is a database, but not an App Inbox cache", self->path);
      return FALSE;
    }
  if (version > INBOX_CACHE_SCHEMA_VERSION)
    {
      g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_TOO_NEW,
                   "The cache %s has schema version %d, newer than this App Inbox knows (%d); "
                   "it was left as it is", self->path, version, INBOX_CACHE_SCHEMA_VERSION);
      return FALSE;
    }

  /* Only now that the file is known to be ours does anything write to it. */
  rc = sqlite3_exec (self->db,
                     "PRAGMA journal_mode = WAL;"
                     "PRAGMA synchronous = NORMAL;"
                     "PRAGMA foreign_keys = ON;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      *damaged = is_damage (rc);
      return sqlite_error (self->db, rc, error, "Could not open the cache %s", self->path);
    }

  self->schema_version = version;
  if (version < INBOX_CACHE_SCHEMA_VERSION)
    return migrate (self, version, error);

  return TRUE;
}

/* Renames the damaged file (and its WAL and shared-memory files) out of the
 * way; never deletes it. Returns the new name. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = NULL;
  static const char * const companions[] = { "-wal", "-shm" };

  for (guint attempt = 0; aside == NULL || g_file_test (aside, G_FILE_TEST_EXISTS); attempt++)
    {
      g_free (aside);
      aside = attempt == 0 ? g_strdup_printf ("%s.damaged-%s", path, stamp)
                           : g_strdup_printf ("%s.damaged-%s-%u", path, stamp, attempt);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "The cache %s is damaged and could not be moved to %s: %s",
                   path, aside, g_strerror (saved_errno));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (aside, companions[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  return g_steal_pointer (&aside);
}

/* $XDG_DATA_HOME/app-inbox/inbox.sqlite */
char *
inbox_cache_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "app-inbox", "inbox.sqlite", NULL);
}

/**
 * inbox_cache_new:
 * @path: the database file, its folder made when missing; or
 *   INBOX_CACHE_IN_MEMORY for a cache that writes nothing to disk
 *
 * Opens the cache, creating or migrating it. A file that does not open as a
 * database or fails its integrity check is moved aside (never deleted) and a
 * fresh cache is made: inbox_cache_get_recovery_error() then says where the
 * old one went. Blocks: call it from a thread, or use inbox_cache_new_async().
 *
 * Returns: (transfer full) (nullable): the cache, or %NULL with @error.
 */
InboxCache *
inbox_cache_new (const char  *path,
                 GError     **error)
{
  g_autoptr(InboxCache) self = NULL;
  g_autoptr(GError) open_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *aside = NULL;
  gboolean damaged;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (!g_str_equal (path, INBOX_CACHE_IN_MEMORY) && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create the cache folder %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (INBOX_TYPE_CACHE, NULL);
  self->path = g_strdup (path);

  if (open_database (self, &damaged, &open_error))
    return g_steal_pointer (&self);

  if (!damaged || g_str_equal (path, INBOX_CACHE_IN_MEMORY))
    {
      g_propagate_error (error, g_steal_pointer (&open_error));
      return NULL;
    }

  g_hash_table_remove_all (self->statements);
  sqlite3_close (self->db);
  self->db = NULL;

  aside = move_aside (path, error);
  if (aside == NULL)
    return NULL;

  g_set_error (&self->recovery_error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_DAMAGED,
               "%s; it was moved to %s and a new cache was started",
               open_error->message, aside);
  g_message ("%s", self->recovery_error->message);

  if (!open_database (self, &damaged, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
new_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  InboxCache *cache = inbox_cache_new (task_data, &error);

  if (cache == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cache, g_object_unref);
}

void
inbox_cache_new_async (const char          *path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_cache_new_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, new_thread);
}

InboxCache *
inbox_cache_new_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
inbox_cache_get_path (InboxCache *self)
{
  g_return_val_if_fail (INBOX_IS_CACHE (self), NULL);

  return self->path;
}

/* Non-NULL when the file found at open was damaged: says where it went. */
const GError *
inbox_cache_get_recovery_error (InboxCache *self)
{
  g_return_val_if_fail (INBOX_IS_CACHE (self), NULL);

  return self->recovery_error;
}

/* For tests: @hook is called with the SQL of each statement the cache runs
 * from now on, in the thread that runs it, under the cache's lock. */
void
inbox_cache_set_query_hook (InboxCache          *self,
                            InboxCacheQueryHook  hook,
                            gpointer             user_data)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_if_fail (INBOX_IS_CACHE (self));

  locker = g_rec_mutex_locker_new (&self->lock);
  self->query_hook = hook;
  self->query_hook_data = user_data;
}

int
inbox_cache_get_schema_version (InboxCache *self)
{
  g_return_val_if_fail (INBOX_IS_CACHE (self), 0);

  return self->schema_version;
}

static gboolean
step_done (InboxCache    *self,
           sqlite3_stmt  *stmt,
           GError       **error,
           const char    *what)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_error (self->db, rc, error, "%s", what);
  return TRUE;
}

static gboolean
purge_expired (InboxCache  *self,
               const char  *user,
               gint64       now,
               GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "DELETE FROM messages WHERE user = ?1 AND expires > 0 AND expires <= ?2", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  return step_done (self, stmt, error, "Could not remove expired messages");
}

static char *
join_tags (InboxMessage *message)
{
  const char * const *tags = inbox_message_get_tags (message);
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (tags[i], TAG_SEPARATOR, -1);
      g_autofree char *clean = g_strjoinv ("", parts);

      if (joined->len > 0)
        g_string_append (joined, TAG_SEPARATOR);
      g_string_append (joined, clean);
    }

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* The searchable text of a message whose content is at hand: the titles,
 * the message texts (of every slide) and the button labels, each part a
 * line, as the search index takes it (inbox_search_normalize()). */
static void
search_text_of (InboxMessage  *message,
                char         **title,
                char         **body,
                char         **buttons)
{
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autoptr(GString) texts = g_string_new (NULL);
  g_autoptr(GString) labels = g_string_new (NULL);
  struct { GString *to; const char *text; } parts[2];

  for (guint i = 0; i < inbox_message_get_n_contents (message); i++)
    {
      InboxContent *content = inbox_message_get_content (message, i);

      parts[0].to = titles;
      parts[0].text = inbox_content_get_title (content);
      parts[1].to = texts;
      parts[1].text = inbox_content_get_message (content);
      for (guint j = 0; j < G_N_ELEMENTS (parts); j++)
        if (parts[j].text != NULL && *parts[j].text != '\0')
          g_string_append_printf (parts[j].to, "%s%s", parts[j].to->len > 0 ? "\n" : "", parts[j].text);

      for (guint j = 0; j < inbox_content_get_n_links (content); j++)
        {
          InboxLink *link = inbox_content_get_link (content, j);
          const char *text = link != NULL ? inbox_link_get_text (link) : NULL;

          if (text != NULL && *text != '\0')
            g_string_append_printf (labels, "%s%s", labels->len > 0 ? "\n" : "", text);
        }
    }

  *title = inbox_search_normalize (titles->str, NULL);
  *body = inbox_search_normalize (texts->str, NULL);
  *buttons = inbox_search_normalize (labels->str, NULL);
}

static char *
stored_json_cb (gpointer     user_data,
                const char  *id,
                GError     **error)
{
  return g_strdup (user_data);
}

/* Migration 3: the searchable text of every stored message, from its JSON
 * (the triggers index it). A message whose JSON no longer parses stays
 * unsearchable; the list still shows what it can of it. */
static gboolean
fill_search_text (InboxCache  *self,
                  GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "SELECT docid, id, type, json FROM messages WHERE deleted = 0 AND json IS NOT NULL",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 5);

      for (int i = 0; i < 4; i++)
        row[i] = g_strdup ((const char *) sqlite3_column_text (stmt, i));
      g_ptr_array_add (rows, row);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_error (self->db, rc, error, "Could not read the stored messages");

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      g_autoptr(InboxMessage) message = NULL;
      g_autoptr(GError) load_error = NULL;
      g_autofree char *title = NULL, *body = NULL, *buttons = NULL;
      InboxTemplate template_ = INBOX_TEMPLATE_SIMPLE;

      inbox_template_from_string (row[2], &template_);
      message = inbox_message_new_lazy (row[1], 0, 0, FALSE, template_, NULL,
                                        stored_json_cb, g_strdup (row[3]), g_free);
      if (!inbox_message_load (message, &load_error))
        {
          g_message ("Message %s is not searchable: %s", row[1], load_error->message);
          continue;
        }

      search_text_of (message, &title, &body, &buttons);
      rc = sqlite3_prepare_v2 (self->db, "UPDATE messages SET title = ?2, body = ?3, buttons = ?4 WHERE docid = ?1",
                               -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_int64 (stmt, 1, g_ascii_strtoll (row[0], NULL, 10));
          sqlite3_bind_text (stmt, 2, title, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, body, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, buttons, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return sqlite_error (self->db, rc, error, "Could not index message %s", row[1]);
    }

  return TRUE;
}

static gboolean
apply_message (InboxCache    *self,
               const char    *user,
               InboxMessage  *message,
               gint64         now,
               GHashTable    *changed,
               GError       **error)
{
  g_autofree char *json = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *title = NULL, *body = NULL, *buttons = NULL;
  const char *id = inbox_message_get_id (message);
  sqlite3_stmt *stmt;

  if (inbox_message_is_expired (message, now))
    {
      /* An already expired message is not stored; a copy we hold goes too. */
      stmt = prepare (self, "DELETE FROM messages WHERE user = ?1 AND id = ?2 AND deleted = 0", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error, "Could not remove an expired message"))
        return FALSE;
      if (sqlite3_changes (self->db) > 0 && changed != NULL)
        g_hash_table_add (changed, g_strdup (id));
      return TRUE;
    }

  json = inbox_message_to_json (message, error);
  if (json == NULL)
    return FALSE;
  tags = join_tags (message);
  search_text_of (message, &title, &body, &buttons);

  /* Upsert by (user, _id): a newer or equal copy replaces content and expiry;
   * a local read or delete is never undone. */
  stmt = prepare (self,
                  "INSERT INTO messages (user, id, date, expires, read, deleted, type, tags, json, received, "
                  "                      title, body, buttons) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                  "ON CONFLICT (user, id) DO UPDATE SET "
                  "  date = excluded.date, expires = excluded.expires, type = excluded.type, "
                  "  tags = excluded.tags, json = excluded.json, "
                  "  title = excluded.title, body = excluded.body, buttons = excluded.buttons, "
                  "  read = (messages.read OR excluded.read) "
                  "WHERE messages.deleted = 0 AND excluded.date >= messages.date",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, inbox_message_get_date (message));
  sqlite3_bind_int64 (stmt, 4, inbox_message_get_expires (message));
  sqlite3_bind_int (stmt, 5, inbox_message_get_read (message));
  sqlite3_bind_text (stmt, 6, inbox_template_to_string (inbox_message_get_template (message)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, tags, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, now);
  sqlite3_bind_text (stmt, 10, title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, buttons, -1, SQLITE_STATIC);

  if (!step_done (self, stmt, error, "Could not store a message"))
    {
      g_prefix_error (error, "%s: ", id);
      return FALSE;
    }

  if (sqlite3_changes (self->db) > 0 && changed != NULL)
    g_hash_table_add (changed, g_strdup (id));

  return TRUE;
}

static gboolean
apply_deleted (InboxCache   *self,
               const char   *user,
               const char   *id,
               GHashTable   *changed,
               GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "UPDATE messages SET deleted = 1, json = NULL, title = '', body = '', buttons = '', tags = '' "
                  "WHERE user = ?1 AND id = ?2 AND deleted = 0",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error, "Could not delete a message"))
    return FALSE;

  if (sqlite3_changes (self->db) > 0 && changed != NULL)
    g_hash_table_add (changed, g_strdup (id));
  return TRUE;
}

static gboolean
set_cursor (InboxCache  *self,
            const char  *user,
            const char  *cursor,
            GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO sync_state (user, cursor) VALUES (?1, ?2) "
                  "ON CONFLICT (user) DO UPDATE SET cursor = excluded.cursor",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cursor, -1, SQLITE_STATIC);
  return step_done (self, stmt, error, "Could not store the sync cursor");
}

/**
 * inbox_cache_apply:
 * @messages: (element-type InboxMessage): valid messages, as parsed
 * @deleted_ids: (nullable): ids deleted elsewhere
 * @cursor: (nullable): the sync cursor to keep with this batch
 * @changed_ids: (out) (optional) (element-type utf8): ids whose stored row changed
 *
 * Applies a batch in one transaction: all of it or, on any error, none.
 * Expired messages are purged on the way.
 */
gboolean
inbox_cache_apply (InboxCache          *self,
                   const char          *user,
                   GPtrArray           *messages,
                   const char * const  *deleted_ids,
                   const char          *cursor,
                   gint64               now,
                   GHashTable         **changed_ids,
                   GError             **error)
{
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (INBOX_IS_CACHE (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!begin (self, error))
    return FALSE;

  if (!purge_expired (self, user, now, error))
    goto failed;

  for (guint i = 0; messages != NULL && i < messages->len; i++)
    if (!apply_message (self, user, g_ptr_array_index (messages, i), now, changed, error))
      goto failed;

  for (guint i = 0; deleted_ids != NULL && deleted_ids[i] != NULL; i++)
    if (!apply_deleted (self, user, deleted_ids[i], changed, error))
      goto failed;

  if (cursor != NULL && !set_cursor (self, user, cursor, error))
    goto failed;

  if (!commit (self, error))
    return FALSE;

  if (changed_ids != NULL)
    *changed_ids = g_steal_pointer (&changed);
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

typedef struct {
  InboxCache *cache;
  char       *user;
} LoadContext;

static void
load_context_clear (gpointer data)
{
  LoadContext *context = data;

  g_clear_object (&context->cache);
  g_clear_pointer (&context->user, g_free);
}

static void
load_context_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, load_context_clear);
}

static char *
load_json_cb (gpointer     user_data,
              const char  *id,
              GError     **error)
{
  LoadContext *context = user_data;

  return inbox_cache_load_json (context->cache, context->user, id, error);
}

/**
 * inbox_cache_load_list:
 *
 * Purges expired messages, then reads the list columns of the user's live
 * messages, newest first. The messages parse their stored JSON only when
 * their content is first asked for.
 *
 * Returns: (transfer full) (element-type InboxMessage): the messages
 */
GPtrArray *
inbox_cache_load_list (InboxCache  *self,
                       const char  *user,
                       gint64       now,
                       GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  LoadContext *context;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (INBOX_IS_CACHE (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->lock);

  if (!purge_expired (self, user, now, error))
    return NULL;

  stmt = prepare (self,
                  "SELECT id, date, expires, read, type, tags FROM messages "
                  "WHERE user = ?1 AND deleted = 0 ORDER BY date DESC, id",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);

  context = g_atomic_rc_box_new0 (LoadContext);
  context->cache = g_object_ref (self);
  context->user = g_strdup (user);

  messages = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *tags_text = (const char *) sqlite3_column_text (stmt, 5);
      g_auto(GStrv) tags = NULL;
      InboxTemplate template_;

      inbox_template_from_string ((const char *) sqlite3_column_text (stmt, 4), &template_);
      if (tags_text != NULL && *tags_text != '\0')
        tags = g_strsplit (tags_text, TAG_SEPARATOR, -1);

      g_ptr_array_add (messages,
                       inbox_message_new_lazy ((const char *) sqlite3_column_text (stmt, 0),
                                               sqlite3_column_int64 (stmt, 1),
                                               sqlite3_column_int64 (stmt, 2),
                                               sqlite3_column_int (stmt, 3),
                                               template_,
                                               (const char * const *) tags,
                                               load_json_cb,
                                               g_atomic_rc_box_acquire (context),
                                               load_context_unref));
    }
  sqlite3_reset (stmt);
  load_context_unref (context);

  if (rc != SQLITE_DONE)
    {
      sqlite_error (self->db, rc, error, "Could not read the inbox from %s", self->path);
      return NULL;
    }

  return g_steal_pointer (&messages);
}

/**
 * inbox_cache_load_json:
 *
 * Returns: (transfer full): the stored JSON of a live message, or %NULL
 *   with INBOX_CACHE_ERROR_NOT_FOUND when there is none.
 */
char *
inbox_cache_load_json (InboxCache  *self,
                       const char  *user,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  char *json = NULL;
  int rc;

  g_return_val_if_fail (INBOX_IS_CACHE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT json FROM messages WHERE user = ?1 AND id = ?2 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite_error (self->db, rc, error, "Could not read message %s", id);
      return NULL;
    }
  if (json == NULL)
    g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND,
                 "Message %s is not in the cache", id);

  return json;
}

/**
 * inbox_cache_search:
 * @search: the words to look for
 *
 * The live messages of @user whose title, message text (of any slide),
 * button labels or tags have every word of @search as a prefix of one of
 * theirs, case and diacritics folded. Blocks: call it from a thread.
 *
 * Returns: (transfer full) (element-type utf8): their ids, newest first
 *   (none for a search without words)
 */
GPtrArray *
inbox_cache_search (InboxCache   *self,
                    const char   *user,
                    InboxSearch  *search,
                    GError      **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (INBOX_IS_CACHE (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (INBOX_IS_SEARCH (search), NULL);

  if (inbox_search_get_n_words (search) == 0)
    return g_steal_pointer (&ids);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = prepare (self,
                  /* the full-text query once, then its rows: never one
                   * full-text query per message */
                  "SELECT id FROM messages "
                  "WHERE docid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?2) "
                  "AND user = ?1 AND deleted = 0 "
                  "ORDER BY date DESC, id",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, inbox_search_get_expression (search), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      sqlite_error (self->db, rc, error, "Could not search for “%s”", inbox_search_get_text (search));
      return NULL;
    }

  return g_steal_pointer (&ids);
}

static gboolean
insert_event (InboxCache  *self,
              const char  *user,
              const char  *type,
              const char  *message_id,
              const char  *props,
              gint64       now,
              GError     **error)
{
  g_autofree char *event_id = g_uuid_string_random ();
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO outbox (event_id, user, type, message_id, ts, props) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, event_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, message_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, props != NULL ? props : "{}", -1, SQLITE_STATIC);
  return step_done (self, stmt, error, "Could not queue an event for the server");
}

/* Reads (read, deleted) of a message; FALSE with NOT_FOUND when absent. */
static gboolean
lookup_state (InboxCache  *self,
              const char  *user,
              const char  *id,
              gboolean    *read,
              gboolean    *deleted,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "SELECT read, deleted FROM messages WHERE user = ?1 AND id = ?2", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *read = sqlite3_column_int (stmt, 0);
      *deleted = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND,
                   "Message %s is not in the cache", id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return sqlite_error (self->db, rc, error, "Could not read message %s", id);

  return TRUE;
}

/**
 * inbox_cache_set_read:
 *
 * Sets the read state and queues a `read` or `unread` event for the server,
 * in one transaction. Setting the state it already has writes nothing.
 */
gboolean
inbox_cache_set_read (InboxCache  *self,
                      const char  *user,
                      const char  *id,
                      gboolean     read,
                      gint64       now,
                      GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean was_read, deleted;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (INBOX_IS_CACHE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;

  if (!lookup_state (self, user, id, &was_read, &deleted, error))
    goto failed;
  if (deleted)
    {
      g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND,
                   "Message %s was deleted", id);
      goto failed;
    }
  if (!was_read == !read)
    {
      rollback (self);
      return TRUE;
    }

  stmt = prepare (self, "UPDATE messages SET read = ?3 WHERE user = ?1 AND id = ?2", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, !!read);
  if (!step_done (self, stmt, error, "Could not change the read state") ||
      !insert_event (self, user, read ? "read" : "unread", id, NULL, now, error))
    goto failed;

  return commit (self, error);

failed:
  rollback (self);
  return FALSE;
}

/**
 * inbox_cache_delete_message:
 *
 * Deletes a message for good, keeping a marker so that a re-delivery does
 * not bring it back, and queues a `deleted` event, in one transaction.
 */
gboolean
inbox_cache_delete_message (InboxCache  *self,
                            const char  *user,
                            const char  *id,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean read, deleted;

  g_return_val_if_fail (INBOX_IS_CACHE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;

  if (!lookup_state (self, user, id, &read, &deleted, error))
    goto failed;
  if (deleted)
    {
      rollback (self);
      return TRUE;
    }

  if (!apply_deleted (self, user, id, NULL, error) ||
      !insert_event (self, user, "deleted", id, NULL, now, error))
    goto failed;

  return commit (self, error);

failed:
  rollback (self);
  return FALSE;
}

/* Checks that every id of @ids names a live message of @user, and collects
 * the ids (each once) whose state @wanted does not hold yet: (read, deleted)
 * are compared with @read for a read change, or with deleted for a delete. */
static GPtrArray *
ids_to_change (InboxCache          *self,
               const char          *user,
               const char * const  *ids,
               gboolean             for_delete,
               gboolean             read,
               GError             **error)
{
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      gboolean was_read, deleted;

      if (!g_hash_table_add (seen, (gpointer) ids[i]))
        continue;
      if (!lookup_state (self, user, ids[i], &was_read, &deleted, error))
        return NULL;
      if (deleted && !for_delete)
        {
          g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND,
                       "Message %s was deleted", ids[i]);
          return NULL;
        }
      if (for_delete ? !deleted : !was_read != !read)
        g_ptr_array_add (todo, (gpointer) ids[i]);
    }

  return g_steal_pointer (&todo);
}

/**
 * inbox_cache_set_read_many:
 * @ids: (array zero-terminated=1): the messages
 * @changed: (out) (optional) (transfer container) (element-type utf8): the
 *   ids whose state changed (borrowed from @ids)
 *
 * inbox_cache_set_read() for several messages in one transaction: every
 * change and its `read` or `unread` event, or, when any id is not a live
 * message of @user or a write fails, none of them.
 */
gboolean
inbox_cache_set_read_many (InboxCache          *self,
                           const char          *user,
                           const char * const  *ids,
                           gboolean             read,
                           gint64               now,
                           GPtrArray          **changed,
                           GError             **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) todo = NULL;

  g_return_val_if_fail (INBOX_IS_CACHE (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;

  todo = ids_to_change (self, user, ids, FALSE, read, error);
  if (todo == NULL)
    goto failed;

  for (guint i = 0; i < todo->len; i++)
    {
      const char *id = g_ptr_array_index (todo, i);
      sqlite3_stmt *stmt = prepare (self, "UPDATE messages SET read = ?3 WHERE user = ?1 AND id = ?2", error);

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, !!read);
      if (!step_done (self, stmt, error, "Could not change the read state") ||
          !insert_event (self, user, read ? "read" : "unread", id, NULL, now, error))
        goto failed;
    }

  if (!commit (self, error))
    return FALSE;

  if (changed != NULL)
    *changed = g_steal_pointer (&todo);
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

/**
 * inbox_cache_delete_many:
 * @ids: (array zero-terminated=1): the messages
 * @changed: (out) (optional) (transfer container) (element-type utf8): the
 *   ids that were deleted now (borrowed from @ids)
 *
 * inbox_cache_delete_message() for several messages in one transaction:
 * every delete and its `deleted` event, or, when any id is not a message of
 * @user or a write fails, none of them. An id deleted before is skipped.
 */
gboolean
inbox_cache_delete_many (InboxCache          *self,
                         const char          *user,
                         const char * const  *ids,
                         gint64               now,
                         GPtrArray          **changed,
                         GError             **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) todo = NULL;

  g_return_val_if_fail (INBOX_IS_CACHE (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;

  todo = ids_to_change (self, user, ids, TRUE, FALSE, error);
  if (todo == NULL)
    goto failed;

  for (guint i = 0; i < todo->len; i++)
    {
      const char *id = g_ptr_array_index (todo, i);

      if (!apply_deleted (self, user, id, NULL, error) ||
          !insert_event (self, user, "deleted", id, NULL, now, error))
        goto failed;
    }

  if (!commit (self, error))
    return FALSE;

  if (changed != NULL)
    *changed = g_steal_pointer (&todo);
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

/* Queues an analytics event (Notification Viewed / Clicked). */
gboolean
inbox_cache_add_event (InboxCache  *self,
                       const char  *user,
                       const char  *type,
                       const char  *message_id,
                       const char  *props,
                       gint64       now,
                       GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (INBOX_IS_CACHE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  return insert_event (self, user, type, message_id, props, now, error);
}

/**
 * inbox_cache_peek_outbox:
 *
 * Returns: (transfer full) (element-type InboxOutboxEvent): up to @limit
 *   pending events of @user, oldest first; they stay until removed.
 */
GPtrArray *
inbox_cache_peek_outbox (InboxCache  *self,
                         const char  *user,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (INBOX_IS_CACHE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = prepare (self,
                  "SELECT seq, event_id, type, message_id, ts, props FROM outbox "
                  "WHERE user = ?1 ORDER BY seq LIMIT ?2",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) inbox_outbox_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      InboxOutboxEvent *event = g_new0 (InboxOutboxEvent, 1);

      event->seq = sqlite3_column_int64 (stmt, 0);
      event->event_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      event->type = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      event->message_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      event->ts = sqlite3_column_int64 (stmt, 4);
      event->props = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      sqlite_error (self->db, rc, error, "Could not read the outbox");
      return NULL;
    }

  return g_steal_pointer (&events);
}

/* Removes events the server has accepted. */
gboolean
inbox_cache_remove_outbox (InboxCache          *self,
                           const char * const  *event_ids,
                           GError             **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (INBOX_IS_CACHE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;

  for (guint i = 0; event_ids != NULL && event_ids[i] != NULL; i++)
    {
      stmt = prepare (self, "DELETE FROM outbox WHERE event_id = ?1", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, event_ids[i], -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error, "Could not remove a sent event"))
        goto failed;
    }

  return commit (self, error);

failed:
  rollback (self);
  return FALSE;
}

/* The user's sync cursor, or NULL (no error) before the first sync. */
char *
inbox_cache_get_cursor (InboxCache  *self,
                        const char  *user,
                        GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  char *cursor = NULL;
  int rc;

  g_return_val_if_fail (INBOX_IS_CACHE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT cursor FROM sync_state WHERE user = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    cursor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    sqlite_error (self->db, rc, error, "Could not read the sync cursor");

  return cursor;
}

/**
 * inbox_cache_forget_user:
 *
 * Removes everything of @user: messages, tombstones, cursor and the events
 * not yet sent (signing out), in one transaction.
 */
gboolean
inbox_cache_forget_user (InboxCache  *self,
                         const char  *user,
                         GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  static const char * const statements[] = {
    "DELETE FROM messages WHERE user = ?1",
    "DELETE FROM outbox WHERE user = ?1",
    "DELETE FROM sync_state WHERE user = ?1",
  };

  g_return_val_if_fail (INBOX_IS_CACHE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      sqlite3_stmt *stmt = prepare (self, statements[i], error);

      if (stmt == NULL)
        {
          rollback (self);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error, "Could not remove the account's messages"))
        {
          rollback (self);
          return FALSE;
        }
    }
  return commit (self, error);
}
