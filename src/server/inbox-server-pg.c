/* inbox-server-pg.c
 *
 * One libpq connection per server process, used from the main loop's
 * thread, as the SQLite store is: a request's queries run one after the
 * other while the loop waits, bounded by statement_timeout and
 * lock_timeout (set on every connection), so a slow or locked database
 * costs a request a 500 after seconds, never a hung process. The
 * listener's deadlines are absolute times, so they still hold once the
 * loop runs again.
 *
 * Several processes on one database stay right because every rule is the
 * database's own, never a check in the process:
 *
 * - Revisions are per user: `users.rev` is the last one that user's
 *   deliveries took. A transaction that changes a user's deliveries first
 *   takes that user's row lock (`SELECT … FOR UPDATE`, or the UPDATE of
 *   `users.rev` itself), and gives out `rev + 1`, `rev + 2`, … under it. A
 *   second writer for the same user, in any process, waits for the lock and
 *   then reads the committed counter, so a user's revisions are given out
 *   in commit order: a client that has seen revision N never later finds a
 *   new row below N. (A global sequence would not do: nextval() is not
 *   transactional, so a transaction holding 11 may commit before the one
 *   holding 10, and a client that synced in between would skip 10.) The
 *   unique index on (user_id, rev) is the last word.
 * - A publish locks its users in id order (so two publishes never wait on
 *   each other in a cycle) and stores the campaign and every delivery in
 *   one transaction: all its users or none.
 * - An event is stored with INSERT … ON CONFLICT (user_id, event_id) DO
 *   NOTHING: the primary key decides what is a duplicate, whichever process
 *   got it first; a second insert of the same id waits for the first
 *   transaction and then inserts nothing.
 * - User tokens are looked up in the database on every request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-server-pg"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include <libpq-fe.h>

#include "inbox-server-pg.h"

struct _InboxServerPg
{
  GObject  parent_instance;

  PGconn  *conn;
  char    *where;    /* the URI without its password, for messages */
  gint64   wait_us;  /* how long a statement may take, seen from here; 0: no limit */
  gboolean broken;   /* a statement outlived wait_us: the connection is dropped */
};

static void inbox_server_pg_store_init (InboxServerStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InboxServerPg, inbox_server_pg, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (INBOX_TYPE_SERVER_STORE,
                                                      inbox_server_pg_store_init))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Any number that is the same in every process: it names the lock that
 * lets one process at a time bring the schema up to date. */
#define MIGRATION_LOCK "7236514419"

/* migrations[i] takes the schema from version i to i + 1 (the one row of
 * schema_version). */
static const char schema_1[] =
  "CREATE TABLE users ("
  "  id BIGSERIAL PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  token_hash TEXT NOT NULL UNIQUE,"
  "  rev BIGINT NOT NULL DEFAULT 0);"
  "CREATE TABLE segments ("
  "  user_id BIGINT NOT NULL REFERENCES users (id),"
  "  segment TEXT NOT NULL,"
  "  PRIMARY KEY (user_id, segment));"
  "CREATE INDEX segments_segment ON segments (segment, user_id);"
  "CREATE TABLE campaigns ("
  "  id TEXT PRIMARY KEY,"
  "  created BIGINT NOT NULL,"
  "  expires BIGINT NOT NULL,"
  "  target TEXT NOT NULL,"
  "  message TEXT NOT NULL,"
  "  delivered BIGINT NOT NULL);"
  "CREATE TABLE deliveries ("
  "  user_id BIGINT NOT NULL REFERENCES users (id),"
  "  msg_id TEXT NOT NULL,"
  "  campaign_id TEXT NOT NULL REFERENCES campaigns (id),"
  "  rev BIGINT NOT NULL,"
  "  is_read BOOLEAN NOT NULL DEFAULT FALSE,"
  "  deleted BOOLEAN NOT NULL DEFAULT FALSE,"
  "  PRIMARY KEY (user_id, msg_id));"
  "CREATE UNIQUE INDEX deliveries_rev ON deliveries (user_id, rev);"
  "CREATE INDEX deliveries_campaign ON deliveries (campaign_id);"
  "CREATE TABLE events ("
  "  user_id BIGINT NOT NULL REFERENCES users (id),"
  "  event_id TEXT NOT NULL,"
  "  type TEXT NOT NULL,"
  "  message_id TEXT NOT NULL,"
  "  campaign_id TEXT,"
  "  ts BIGINT NOT NULL,"
  "  props TEXT NOT NULL,"
  "  PRIMARY KEY (user_id, event_id));"
  "CREATE INDEX events_campaign ON events (campaign_id, type);";

static const char * const migrations[] = { schema_1 };

static gboolean
pg_error (InboxServerPg  *self,
          PGresult       *result,
          GError        **error,
          const char     *what)
{
  const char *message = result != NULL ? PQresultErrorMessage (result) : "";

  if (*message == '\0')
    message = PQerrorMessage (self->conn);
  g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
               "%s: %s", what, *message != '\0' ? message : "the database gave no reason");
  /* libpq's messages end in a newline */
  if (error != NULL && *error != NULL)
    g_strchomp ((*error)->message);
  return FALSE;
}

/* PQexecParams, with a deadline of this side's own. statement_timeout is
 * the database's: a backend that is stuck, or a proxy or pooler that holds
 * the connection while the database behind it is gone, would otherwise
 * hold the process's main loop for good. Past the deadline the connection
 * is dropped (the database rolls back what it had begun) and opened again
 * for a later request; the statement is not sent again.
 *
 * Returns: the last result, or NULL (the reason in PQerrorMessage, or
 * self->broken) */
static PGresult *
exec_params (InboxServerPg       *self,
             const char          *sql,
             int                  n_params,
             const char * const  *params)
{
  gint64 deadline = g_get_monotonic_time () + self->wait_us;
  PGresult *last = NULL, *result;

  if (!PQsendQueryParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0))
    return NULL;

  for (;;)
    {
      while (PQisBusy (self->conn))
        {
          struct pollfd fd = { PQsocket (self->conn), POLLIN, 0 };
          gint64 left = deadline - g_get_monotonic_time ();
          int n;

          if (self->wait_us > 0 && left <= 0)
            {
              g_warning ("The database %s has not answered in %" G_GINT64_FORMAT " s: its connection is dropped",
                         self->where, self->wait_us / G_USEC_PER_SEC);
              self->broken = TRUE;
              PQclear (last);
              return NULL;
            }
          n = poll (&fd, 1, self->wait_us > 0 ? (int) MIN (left / 1000 + 1, G_MAXINT) : -1);
          if (n < 0 && errno != EINTR)
            break;
          if (n > 0 && !PQconsumeInput (self->conn))
            break;
        }
      result = PQgetResult (self->conn);
      if (result == NULL)
        break;
      PQclear (last);
      last = result;
      if (PQstatus (self->conn) == CONNECTION_BAD)
        break;
    }
  return last;
}

/* Every value is bound as text, never pasted into the SQL.
 *
 * A connection the database closed (a restart, a failover, an
 * administrator's pg_terminate_backend) shows only when a statement fails.
 * Outside a transaction nothing was done yet, so the statement is sent
 * again once on a new connection; inside one the transaction fails, and the
 * next request finds a new connection (ensure_connected). */
static PGresult *
query (InboxServerPg       *self,
       const char          *sql,
       int                  n_params,
       const char * const  *params,
       GError             **error,
       const char          *what)
{
  gboolean idle;
  PGresult *result;
  ExecStatusType status;

  if (self->broken)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                   "%s: the database did not answer in time", what);
      return NULL;
    }

  idle = PQtransactionStatus (self->conn) == PQTRANS_IDLE;
  result = exec_params (self, sql, n_params, params);
  status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && idle && !self->broken &&
      PQstatus (self->conn) == CONNECTION_BAD)
    {
      PQclear (result);
      PQreset (self->conn);
      if (PQstatus (self->conn) == CONNECTION_OK)
        g_message ("Connected again to %s", self->where);
      result = exec_params (self, sql, n_params, params);
      status = PQresultStatus (result);
    }

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  if (self->broken)
    g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                 "%s: the database did not answer in time", what);
  else
    pg_error (self, result, error, what);
  PQclear (result);
  return NULL;
}

static gboolean
exec (InboxServerPg  *self,
      const char     *sql,
      GError        **error)
{
  g_autoptr(PGresult) result = query (self, sql, 0, NULL, error, sql);

  return result != NULL;
}

static guint
changes (PGresult *result)
{
  return (guint) g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
}

static gint64
value_int64 (PGresult *result,
             int       row,
             int       column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static void
rollback (InboxServerPg *self)
{
  /* a dropped connection has nothing to roll back: the database did */
  if (!self->broken)
    PQclear (exec_params (self, "ROLLBACK", 0, NULL));
}

static gboolean
begin (InboxServerPg  *self,
       GError        **error)
{
  return exec (self, "BEGIN", error);
}

static gboolean
commit (InboxServerPg  *self,
        GError        **error)
{
  if (exec (self, "COMMIT", error))
    return TRUE;
  rollback (self);
  return FALSE;
}

/* A connection the database closed (a restart, a failover) is opened
 * again before the next request, not left broken for good. */
static gboolean
ensure_connected (InboxServerPg  *self,
                  GError        **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK && !self->broken)
    return TRUE;

  self->broken = FALSE;
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    return pg_error (self, NULL, error, "The database is out of reach");
  g_message ("Connected again to %s", self->where);
  return TRUE;
}

static char *
inbox_server_pg_create_user (InboxServerStore    *store,
                             const char          *name,
                             const char * const  *segments,
                             gboolean             replace_token,
                             GError             **error)
{
  InboxServerPg *self = INBOX_SERVER_PG (store);
  g_autofree char *token = inbox_server_random_hex (32);
  g_autofree char *hash = inbox_server_hash_token (token);
  g_autoptr(PGresult) user = NULL;
  const char *params[2] = { name, hash };
  const char *user_id;

  if (!ensure_connected (self, error) || !begin (self, error))
    return NULL;

  user = query (self, replace_token
                        ? "INSERT INTO users (name, token_hash) VALUES ($1, $2) "
                          "ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash RETURNING id"
                        : "INSERT INTO users (name, token_hash) VALUES ($1, $2) "
                          "ON CONFLICT (name) DO NOTHING RETURNING id",
                2, params, error, "Could not add the user");
  if (user == NULL || PQntuples (user) == 0)
    {
      rollback (self);
      if (user != NULL)
        g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_CONFLICT,
                     "There is already a user named “%s”", name);
      return NULL;
    }
  user_id = PQgetvalue (user, 0, 0);

  for (guint i = 0; segments != NULL && segments[i] != NULL; i++)
    {
      const char *segment_params[2] = { user_id, segments[i] };
      g_autoptr(PGresult) result = query (self, "INSERT INTO segments (user_id, segment) VALUES ($1, $2) "
                                                "ON CONFLICT DO NOTHING",
                                          2, segment_params, error, "Could not add the user's segments");
      if (result == NULL)
        {
          rollback (self);
          return NULL;
        }
    }

  if (!commit (self, error))
    return NULL;
  return g_steal_pointer (&token);
}

static gint64
inbox_server_pg_lookup_token (InboxServerStore  *store,
                              const char        *token,
                              char             **name,
                              GError           **error)
{
  InboxServerPg *self = INBOX_SERVER_PG (store);
  g_autofree char *hash = inbox_server_hash_token (token);
  const char *params[1] = { hash };
  g_autoptr(PGresult) result = NULL;

  if (!ensure_connected (self, error))
    return 0;
  result = query (self, "SELECT id, name FROM users WHERE token_hash = $1", 1, params, error, "Could not look up a token");
  if (result == NULL)
    return 0;
  if (PQntuples (result) == 0)
    return 0;
  if (name != NULL)
    *name = g_strdup (PQgetvalue (result, 0, 1));
  return value_int64 (result, 0, 0);
}

static gboolean
inbox_server_pg_publish (InboxServerStore  *store,
                         const char        *campaign_id,
                         JsonObject        *target,
                         const char        *message_json,
                         gint64             now,
                         gint64             expires,
                         guint             *delivered,
                         GError           **error)
{
  InboxServerPg *self = INBOX_SERVER_PG (store);
  g_autoptr(JsonNode) target_node = json_node_init_object (json_node_alloc (), target);
  g_autofree char *target_json = json_to_string (target_node, FALSE);
  g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now);
  g_autofree char *expires_text = g_strdup_printf ("%" G_GINT64_FORMAT, expires);
  g_autofree char *delivered_text = NULL;
  const char *campaign_params[5] = { campaign_id, now_text, expires_text, target_json, message_json };
  g_autoptr(PGresult) campaign = NULL, counted = NULL;

  *delivered = 0;
  if (!ensure_connected (self, error) || !begin (self, error))
    return FALSE;

  campaign = query (self, "INSERT INTO campaigns (id, created, expires, target, message, delivered) "
                          "VALUES ($1, $2, $3, $4, $5, 0)",
                    5, campaign_params, error, "Could not store the campaign");
  if (campaign == NULL)
    goto fail;

  if (json_object_has_member (target, "users"))
    {
      JsonArray *users = json_object_get_array_member (target, "users");
      g_autoptr(JsonNode) users_node = json_node_init_array (json_node_alloc (), users);
      g_autofree char *users_json = json_to_string (users_node, FALSE);
      const char *lock_params[1] = { users_json };
      g_autoptr(PGresult) locked = NULL;

      /* all the listed users' rows, in id order, before any is written */
      locked = query (self, "SELECT id FROM users WHERE name IN (SELECT json_array_elements_text ($1::json)) "
                            "ORDER BY id FOR UPDATE",
                      1, lock_params, error, "Could not find the campaign's users");
      if (locked == NULL)
        goto fail;

      for (guint i = 0; i < json_array_get_length (users); i++)
        {
          const char *name = json_array_get_string_element (users, i);
          const char *params[2] = { campaign_id, name };
          g_autoptr(PGresult) result = NULL;

          result = query (self, "WITH u AS (UPDATE users SET rev = rev + 1 WHERE name = $2 RETURNING id, rev) "
                                "INSERT INTO deliveries (user_id, msg_id, campaign_id, rev) "
                                "SELECT id, $1, $1, rev FROM u ON CONFLICT DO NOTHING",
                          2, params, error, "Could not deliver the campaign");
          if (result == NULL)
            goto fail;
          if (changes (result) == 0)
            {
              g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                           "target.users[%u]: there is no user named “%s” (or it is listed twice)", i, name);
              goto fail;
            }
          (*delivered)++;
        }
    }
  else
    {
      gboolean segment = json_object_has_member (target, "segment");
      const char *params[2] = { campaign_id, segment ? json_object_get_string_member (target, "segment") : NULL };
      g_autoptr(PGresult) result = NULL;

      /* the users' rows are locked in id order (the sort comes before
       * the lock), each takes its next revision, each gets a delivery */
      result = query (self, segment
                              ? "WITH t AS (SELECT id FROM users WHERE id IN "
                                "             (SELECT user_id FROM segments WHERE segment = $2) "
                                "           ORDER BY id FOR UPDATE), "
                                "     u AS (UPDATE users SET rev = users.rev + 1 FROM t WHERE users.id = t.id "
                                "           RETURNING users.id, users.rev) "
                                "INSERT INTO deliveries (user_id, msg_id, campaign_id, rev) "
                                "SELECT id, $1, $1, rev FROM u"
                              : "WITH t AS (SELECT id FROM users ORDER BY id FOR UPDATE), "
                                "     u AS (UPDATE users SET rev = users.rev + 1 FROM t WHERE users.id = t.id "
                                "           RETURNING users.id, users.rev) "
                                "INSERT INTO deliveries (user_id, msg_id, campaign_id, rev) "
                                "SELECT id, $1, $1, rev FROM u",
                      segment ? 2 : 1, params, error, "Could not deliver the campaign");
      if (result == NULL)
        goto fail;
      *delivered = changes (result);
    }

  delivered_text = g_strdup_printf ("%u", *delivered);
  counted = query (self, "UPDATE campaigns SET delivered = $2 WHERE id = $1",
                   2, (const char *[]) { campaign_id, delivered_text }, error, "Could not count the deliveries");
  if (counted == NULL)
    goto fail;

  if (commit (self, error))
    return TRUE;
  *delivered = 0;
  return FALSE;

fail:
  rollback (self);
  *delivered = 0;
  return FALSE;
}

static GString *
inbox_server_pg_inbox_page (InboxServerStore  *store,
                            gint64             user_id,
                            const char        *user_name,
                            gint64             since,
                            guint              limit,
                            gint64             now,
                            GError           **error)
{
  InboxServerPg *self = INBOX_SERVER_PG (store);
  g_autoptr(GString) body = g_string_sized_new (4096);
  g_autoptr(GString) deleted = g_string_new ("[");
  g_autoptr(PGresult) result = NULL;
  g_autofree char *user_text = g_strdup_printf ("%" G_GINT64_FORMAT, user_id);
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (since, 0));
  g_autofree char *limit_text = g_strdup_printf ("%u", limit + 1);
  const char *params[3] = { user_text, cursor_text, limit_text };
  gint64 cursor = MAX (since, 0);
  gboolean more = FALSE, first = TRUE;
  int rows;

  if (!ensure_connected (self, error))
    return NULL;
  result = query (self,
                  "SELECT d.rev, d.msg_id, d.is_read, d.deleted, c.expires, c.message "
                  "FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id "
                  "WHERE d.user_id = $1 AND d.rev > $2 ORDER BY d.rev LIMIT $3",
                  3, params, error, "Could not read the inbox");
  if (result == NULL)
    return NULL;

  rows = PQntuples (result);
  if ((guint) rows > limit)
    {
      more = TRUE;
      rows = limit;
    }

  g_string_append (body, "{\"inbox_notifs\":[");
  for (int row = 0; row < rows; row++)
    {
      const char *message;
      gint64 expires;

      cursor = value_int64 (result, row, 0);
      expires = value_int64 (result, row, 4);
      if (*PQgetvalue (result, row, 3) == 't')
        {
          if (since >= 0)
            {
              if (deleted->len > 1)
                g_string_append_c (deleted, ',');
              inbox_server_append_json_string (deleted, PQgetvalue (result, row, 1));
            }
          continue;
        }
      if (expires > 0 && expires <= now)
        continue;

      /* the stored message is an object: isRead goes in as its first member */
      message = PQgetvalue (result, row, 5);
      if (!first)
        g_string_append_c (body, ',');
      first = FALSE;
      g_string_append (body, *PQgetvalue (result, row, 2) == 't' ? "{\"isRead\":true," : "{\"isRead\":false,");
      g_string_append (body, message + 1);
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

/* read, unread and deleted change the delivery, with the user's next
 * revision (so the user's other devices hear of it). */
static gboolean
apply_state (InboxServerPg  *self,
             const char     *user_text,
             const char     *type,
             const char     *message_id,
             gint64         *rev,
             GError        **error)
{
  g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, *rev + 1);
  const char *params[3] = { user_text, message_id, next };
  g_autoptr(PGresult) result = NULL;
  const char *sql;

  if (g_str_equal (type, "read"))
    sql = "UPDATE deliveries SET is_read = TRUE, rev = $3 WHERE user_id = $1 AND msg_id = $2 AND NOT is_read AND NOT deleted";
  else if (g_str_equal (type, "unread"))
    sql = "UPDATE deliveries SET is_read = FALSE, rev = $3 WHERE user_id = $1 AND msg_id = $2 AND is_read AND NOT deleted";
  else if (g_str_equal (type, "deleted"))
    sql = "UPDATE deliveries SET deleted = TRUE, rev = $3 WHERE user_id = $1 AND msg_id = $2 AND NOT deleted";
  else
    return TRUE;

  result = query (self, sql, 3, params, error, "Could not apply an event");
  if (result == NULL)
    return FALSE;
  if (changes (result) > 0)
    (*rev)++;
  return TRUE;
}

static gboolean
inbox_server_pg_record_events (InboxServerStore  *store,
                               gint64             user_id,
                               JsonArray         *events,
                               guint             *accepted,
                               guint             *duplicates,
                               GError           **error)
{
  InboxServerPg *self = INBOX_SERVER_PG (store);
  g_autofree char *user_text = g_strdup_printf ("%" G_GINT64_FORMAT, user_id);
  const char *user_params[1] = { user_text };
  g_autoptr(PGresult) locked = NULL;
  gint64 rev, rev_before;

  if (!ensure_connected (self, error) || !begin (self, error))
    return FALSE;

  /* the user's row lock: held until the commit, so the revisions below
   * are the user's next ones whichever process writes next */
  locked = query (self, "SELECT rev FROM users WHERE id = $1 FOR UPDATE",
                  1, user_params, error, "Could not lock the user");
  if (locked == NULL)
    goto fail;
  if (PQntuples (locked) != 1)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED, "The user %s is gone", user_text);
      goto fail;
    }
  rev = rev_before = value_int64 (locked, 0, 0);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonNode *props = json_object_get_member (event, "props");
      g_autofree char *props_json = props != NULL ? json_to_string (props, FALSE) : g_strdup ("{}");
      g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (event, "ts"));
      const char *type = json_object_get_string_member (event, "type");
      const char *message_id = json_object_get_string_member (event, "message_id");
      const char *params[6] = {
        user_text, json_object_get_string_member (event, "event_id"), type, message_id, ts, props_json
      };
      g_autoptr(PGresult) result = NULL;

      result = query (self,
                      "INSERT INTO events (user_id, event_id, type, message_id, campaign_id, ts, props) "
                      "VALUES ($1, $2, $3, $4, "
                      "  (SELECT campaign_id FROM deliveries WHERE user_id = $1 AND msg_id = $4), $5, $6) "
                      "ON CONFLICT (user_id, event_id) DO NOTHING",
                      6, params, error, "Could not store an event");
      if (result == NULL)
        goto fail;
      if (changes (result) == 0)
        {
          (*duplicates)++;
          continue;
        }

      (*accepted)++;
      if (!apply_state (self, user_text, type, message_id, &rev, error))
        goto fail;
    }

  if (rev != rev_before)
    {
      g_autofree char *rev_text = g_strdup_printf ("%" G_GINT64_FORMAT, rev);
      g_autoptr(PGresult) result = query (self, "UPDATE users SET rev = $2 WHERE id = $1",
                                          2, (const char *[]) { user_text, rev_text },
                                          error, "Could not keep the user's revision");
      if (result == NULL)
        goto fail;
    }

  if (commit (self, error))
    return TRUE;
  *accepted = *duplicates = 0;
  return FALSE;

fail:
  rollback (self);
  *accepted = *duplicates = 0;
  return FALSE;
}

static JsonNode *
inbox_server_pg_get_campaign (InboxServerStore  *store,
                              const char        *campaign_id,
                              GError           **error)
{
  InboxServerPg *self = INBOX_SERVER_PG (store);
  const char *params[1] = { campaign_id };
  g_autoptr(PGresult) result = NULL;
  gint64 counts[5];

  /* a path may quote any bytes; the database takes only UTF-8 */
  if (!g_utf8_validate (campaign_id, -1, NULL))
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_NOT_FOUND,
                   "There is no campaign with that id");
      return NULL;
    }
  if (!ensure_connected (self, error))
    return NULL;

  /* one statement: the counts of one snapshot */
  result = query (self,
                  "SELECT created, expires, target, message, delivered, "
                  "  (SELECT COUNT (*) FROM events WHERE campaign_id = $1 AND type = 'Notification Viewed'), "
                  "  (SELECT COUNT (*) FROM events WHERE campaign_id = $1 AND type = 'Notification Clicked'), "
                  "  (SELECT COUNT (*) FROM deliveries WHERE campaign_id = $1 AND is_read), "
                  "  (SELECT COUNT (*) FROM deliveries WHERE campaign_id = $1 AND deleted) "
                  "FROM campaigns WHERE id = $1",
                  1, params, error, "Could not read the campaign");
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_NOT_FOUND,
                   "There is no campaign “%s”", campaign_id);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    counts[i] = value_int64 (result, 0, 4 + i);
  return inbox_server_campaign_json (campaign_id, value_int64 (result, 0, 0), value_int64 (result, 0, 1),
                                     PQgetvalue (result, 0, 2), PQgetvalue (result, 0, 3), counts);
}

static void
inbox_server_pg_store_init (InboxServerStoreInterface *iface)
{
  iface->create_user = inbox_server_pg_create_user;
  iface->lookup_token = inbox_server_pg_lookup_token;
  iface->publish = inbox_server_pg_publish;
  iface->inbox_page = inbox_server_pg_inbox_page;
  iface->record_events = inbox_server_pg_record_events;
  iface->get_campaign = inbox_server_pg_get_campaign;
}

static void
inbox_server_pg_finalize (GObject *object)
{
  InboxServerPg *self = (InboxServerPg *) object;

  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->where, g_free);

  G_OBJECT_CLASS (inbox_server_pg_parent_class)->finalize (object);
}

static void
inbox_server_pg_class_init (InboxServerPgClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = inbox_server_pg_finalize;
}

static void
inbox_server_pg_init (InboxServerPg *self)
{
}

/* libpq's notices (such as "relation already exists, skipping") are not
 * the server's business. */
static void
ignore_notice (void       *arg,
               const char *message)
{
}

/* The passwords @uri spells out, as they are written in it (its user
 * information's, its password and sslpassword parameters'): what libpq's
 * message about a URI it cannot read may quote. */
static GPtrArray *
uri_secrets (const char *uri)
{
  GPtrArray *secrets = g_ptr_array_new_with_free_func (g_free);
  const char *start = strstr (uri, "://");
  const char *query;

  if (start == NULL)
    return secrets;
  start += 3;

  /* libpq reads user information up to the first @ before any /; a
   * password with an @ of its own (not written %40) runs to the last, and
   * libpq may quote any part of it between two @ */
  for (const char *p = start, *colon = NULL, *last = NULL; ; p++)
    {
      if (*p == '\0' || *p == '/')
        {
          if (last != NULL)
            {
              g_autofree char *password = g_strndup (colon + 1, last - colon - 1);
              g_auto(GStrv) parts = g_strsplit (password, "@", -1);

              g_ptr_array_add (secrets, g_steal_pointer (&password));
              for (guint i = 0; parts[i] != NULL; i++)
                if (*parts[i] != '\0')
                  g_ptr_array_add (secrets, g_strdup (parts[i]));
            }
          break;
        }
      if (*p == ':' && colon == NULL)
        colon = p;
      if (*p == '@' && colon != NULL && p > colon + 1)
        last = p;
    }

  query = strchr (start, '?');
  if (query != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (query + 1, "&", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          const char *equals = strchr (pairs[i], '=');

          if (equals != NULL && equals[1] != '\0' &&
              (g_str_has_prefix (pairs[i], "password=") || g_str_has_prefix (pairs[i], "sslpassword=")))
            g_ptr_array_add (secrets, g_strdup (equals + 1));
        }
    }
  return secrets;
}

/* libpq's reason for refusing @uri, with every password in it masked:
 * libpq quotes the part it could not read, which may be the password
 * (`invalid percent-encoded token: "…"`), or the whole URI. */
static char *
uri_parse_error (const char *uri,
                 const char *reason)
{
  g_autoptr(GPtrArray) secrets = uri_secrets (uri);
  g_autoptr(GString) out = g_string_new (reason);

  for (guint i = 0; i < secrets->len; i++)
    g_string_replace (out, g_ptr_array_index (secrets, i), "********", 0);
  return g_strchomp (g_string_free (g_steal_pointer (&out), FALSE));
}

/* Brings the schema up to date, one version at a time, in one
 * transaction. The transaction's advisory lock lets one process at a time
 * do it: processes started together on an empty database create it once. */
static gboolean
migrate (InboxServerPg  *self,
         GError        **error)
{
  g_autoptr(PGresult) result = NULL;
  gint64 version;

  /* as long as it takes: a process started while another brings the
   * schema up to date waits for it, however long that is, rather than
   * give up after lock_timeout; a migration of a large table is not cut
   * short by statement_timeout (nor by the deadline of exec_params, not
   * set yet) */
  if (!begin (self, error) ||
      !exec (self, "SET LOCAL lock_timeout = 0", error) ||
      !exec (self, "SET LOCAL statement_timeout = 0", error) ||
      !exec (self, "SELECT pg_advisory_xact_lock (" MIGRATION_LOCK ")", error) ||
      !exec (self, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", error))
    goto fail;
  result = query (self, "SELECT version FROM schema_version", 0, NULL, error, "Could not read the schema version");
  if (result == NULL)
    goto fail;
  version = PQntuples (result) > 0 ? value_int64 (result, 0, 0) : 0;
  if (PQntuples (result) == 0 && !exec (self, "INSERT INTO schema_version (version) VALUES (0)", error))
    goto fail;

  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                   "The database %s has schema version %" G_GINT64_FORMAT "; this app-inbox-server knows up to %u",
                   self->where, version, (guint) G_N_ELEMENTS (migrations));
      goto fail;
    }
  for (; version < (gint64) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *set_version = g_strdup_printf ("UPDATE schema_version SET version = %" G_GINT64_FORMAT,
                                                      version + 1);
      g_autoptr(PGresult) step = PQexec (self->conn, migrations[version]);

      if (PQresultStatus (step) != PGRES_COMMAND_OK)
        {
          g_autofree char *what = g_strdup_printf ("Could not bring the database to schema version %" G_GINT64_FORMAT,
                                                   version + 1);
          pg_error (self, step, error, what);
          goto fail;
        }
      if (!exec (self, set_version, error))
        goto fail;
    }

  return commit (self, error);

fail:
  rollback (self);
  return FALSE;
}

/**
 * inbox_server_pg_new:
 * @uri: `postgresql://[user@][host][:port]/dbname[?param=value…]`
 * @password: (nullable): the password, when neither the URI nor
 *   `PGPASSFILE` (or `~/.pgpass`) has it
 *
 * Connects and brings the schema up to date.
 */
InboxServerPg *
inbox_server_pg_new (const char  *uri,
                     const char  *password,
                     GError     **error)
{
  g_autoptr(InboxServerPg) self = g_object_new (INBOX_TYPE_SERVER_PG, NULL);
  g_autofree char *options = NULL;
  /* the server's defaults first: what the URI says overrides them, and a
   * password given apart overrides the URI's */
  const char *keywords[] = {
    "application_name", "connect_timeout", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "options", "client_encoding", "dbname", "password", NULL
  };
  const char *values[G_N_ELEMENTS (keywords)] = {
    "app-inbox-server", "10", "30", "10",
    "3", "30000", NULL, "UTF8", uri, password, NULL
  };
  PQconninfoOption *parsed;
  char *parse_error = NULL;

  /* no request waits on the database for more than a few seconds */
  options = g_strdup ("-c statement_timeout=10000 -c lock_timeout=5000 "
                      "-c idle_in_transaction_session_timeout=60000");
  values[6] = options;
  self->where = inbox_server_pg_redact (uri);

  /* libpq's own message about a URI it cannot read may quote its password */
  parsed = PQconninfoParse (uri, &parse_error);
  if (parsed == NULL)
    {
      g_autofree char *reason = uri_parse_error (uri, parse_error != NULL ? parse_error : "out of memory");

      PQfreemem (parse_error);
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                   "Could not open the database: --db is not a connection URI libpq can read: %s", reason);
      return NULL;
    }
  PQconninfoFree (parsed);

  self->conn = PQconnectdbParams (keywords, values, TRUE);
  if (self->conn == NULL)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                   "Could not open the database %s: out of memory", self->where);
      return NULL;
    }
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *reason = g_strchomp (g_strdup (PQerrorMessage (self->conn)));

      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                   "Could not open the database %s: %s", self->where, reason);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);

  if (!migrate (self, error))
    {
      g_prefix_error (error, "Could not set up the database %s: ", self->where);
      return NULL;
    }

  /* this side's deadline: the connection's statement_timeout (the
   * server's default or the URI's options), and 5 s for the answer to
   * come back */
  {
    g_autoptr(PGresult) timeout = PQexec (self->conn, "SELECT setting FROM pg_settings WHERE name = 'statement_timeout'");
    gint64 ms = PQresultStatus (timeout) == PGRES_TUPLES_OK && PQntuples (timeout) == 1
                  ? g_ascii_strtoll (PQgetvalue (timeout, 0, 0), NULL, 10) : 0;

    self->wait_us = ms > 0 ? (ms + 5000) * 1000 : 0;
  }

  return g_steal_pointer (&self);
}

/**
 * inbox_server_pg_redact:
 * @uri: a PostgreSQL connection URI
 *
 * Returns: (transfer full): where @uri leads, without its password: what
 *   the server may write in its log
 */
char *
inbox_server_pg_redact (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  GString *out = g_string_new (NULL);

  if (options == NULL)
    {
      g_string_append (out, "(a connection URI libpq cannot read)");
      return g_string_free (out, FALSE);
    }
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    {
      if (option->val == NULL || *option->val == '\0' || g_str_equal (option->keyword, "password") ||
          strchr (option->dispchar, '*') != NULL || strchr (option->dispchar, 'D') != NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s=%s", option->keyword, option->val);
    }
  PQconninfoFree (options);
  return g_string_free (out, FALSE);
}
