/* inbox-server-store.c: the interface of the server's stores, and what
 * they share (tokens, event checks, JSON answers)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-server-store"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "inbox-server-pg.h"
#include "inbox-server-sqlite.h"
#include "inbox-server-store.h"

G_DEFINE_INTERFACE (InboxServerStore, inbox_server_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (inbox-server-error-quark, inbox_server_error)

static void
inbox_server_store_default_init (InboxServerStoreInterface *iface)
{
}

/**
 * inbox_server_store_is_uri:
 * @location: what `--db` says
 *
 * Returns: whether @location names a PostgreSQL database
 * (`postgresql://…` or `postgres://…`) rather than a SQLite file
 */
gboolean
inbox_server_store_is_uri (const char *location)
{
  return g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://");
}

/**
 * inbox_server_store_open:
 * @location: a SQLite file (created if missing) or a PostgreSQL URI
 * @password: (nullable): the database password, when it is not in the URI
 *   or `PGPASSFILE`
 *
 * Opens the store and brings its schema to the current version.
 *
 * Returns: (transfer full): the store, or NULL with the reason (which never
 *   holds the password)
 */
InboxServerStore *
inbox_server_store_open (const char  *location,
                         const char  *password,
                         GError     **error)
{
  if (inbox_server_store_is_uri (location))
    return INBOX_SERVER_STORE (inbox_server_pg_new (location, password, error));

  if (password != NULL)
    {
      g_set_error_literal (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_FAILED,
                           "A password is for a PostgreSQL database (postgresql://…), not a SQLite file");
      return NULL;
    }
  return INBOX_SERVER_STORE (inbox_server_sqlite_new (location, error));
}

/**
 * inbox_server_store_redact:
 * @location: what `--db` says
 *
 * Returns: (transfer full): @location as it may be logged: a URI without
 *   its password
 */
char *
inbox_server_store_redact (const char *location)
{
  if (inbox_server_store_is_uri (location))
    return inbox_server_pg_redact (location);
  return g_strdup (location);
}

/**
 * inbox_server_store_create_user:
 * @replace_token: an existing user gets a new token instead of a conflict
 *
 * Returns: (transfer full): the user's new token; only its hash is stored
 */
char *
inbox_server_store_create_user (InboxServerStore    *self,
                                const char          *name,
                                const char * const  *segments,
                                gboolean             replace_token,
                                GError             **error)
{
  g_return_val_if_fail (INBOX_IS_SERVER_STORE (self), NULL);

  /* the same answer from both stores: PostgreSQL would fail on a long key */
  if (strlen (name) > INBOX_SERVER_KEY_MAX)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                   "user: at most %d bytes", INBOX_SERVER_KEY_MAX);
      return NULL;
    }
  for (guint i = 0; segments != NULL && segments[i] != NULL; i++)
    if (strlen (segments[i]) > INBOX_SERVER_KEY_MAX)
      {
        g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                     "segments[%u]: at most %d bytes", i, INBOX_SERVER_KEY_MAX);
        return NULL;
      }

  return INBOX_SERVER_STORE_GET_IFACE (self)->create_user (self, name, segments, replace_token, error);
}

/* Returns: the user's id; 0 when no user has @token (@error unset) or
 * when the store could not tell (@error set: not the client's fault, so
 * never a 401) */
gint64
inbox_server_store_lookup_token (InboxServerStore  *self,
                                 const char        *token,
                                 char             **name,
                                 GError           **error)
{
  g_return_val_if_fail (INBOX_IS_SERVER_STORE (self), 0);

  return INBOX_SERVER_STORE_GET_IFACE (self)->lookup_token (self, token, name, error);
}

/**
 * inbox_server_store_publish:
 * @target: `{"users": [...]}`, `{"segment": "..."}` or `{"all": true}`, checked
 * @message_json: the message as delivered (with its _id, date, wzrk_*)
 *
 * Stores the campaign and delivers it to its users, all in one transaction:
 * an unknown user in the list delivers nothing.
 */
gboolean
inbox_server_store_publish (InboxServerStore  *self,
                            const char        *campaign_id,
                            JsonObject        *target,
                            const char        *message_json,
                            gint64             now,
                            gint64             expires,
                            guint             *delivered,
                            GError           **error)
{
  g_return_val_if_fail (INBOX_IS_SERVER_STORE (self), FALSE);

  return INBOX_SERVER_STORE_GET_IFACE (self)->publish (self, campaign_id, target, message_json,
                                                       now, expires, delivered, error);
}

/**
 * inbox_server_store_inbox_page:
 * @since: the cursor the client has, or -1 for everything live
 *
 * Returns: (transfer full): the body of a `GET /v1/inbox` answer
 */
GString *
inbox_server_store_inbox_page (InboxServerStore  *self,
                               gint64             user_id,
                               const char        *user_name,
                               gint64             since,
                               guint              limit,
                               gint64             now,
                               GError           **error)
{
  g_return_val_if_fail (INBOX_IS_SERVER_STORE (self), NULL);

  return INBOX_SERVER_STORE_GET_IFACE (self)->inbox_page (self, user_id, user_name, since, limit, now, error);
}

/**
 * inbox_server_store_record_events:
 *
 * Stores the events of one request in one transaction. An event id the user
 * already sent is a duplicate: counted as such, applied once only.
 */
gboolean
inbox_server_store_record_events (InboxServerStore  *self,
                                  gint64             user_id,
                                  JsonArray         *events,
                                  guint             *accepted,
                                  guint             *duplicates,
                                  GError           **error)
{
  g_return_val_if_fail (INBOX_IS_SERVER_STORE (self), FALSE);

  *accepted = *duplicates = 0;
  if (!inbox_server_check_events (events, error))
    return FALSE;
  return INBOX_SERVER_STORE_GET_IFACE (self)->record_events (self, user_id, events, accepted, duplicates, error);
}

/* Returns: (transfer full): the campaign as JSON, with its counts */
JsonNode *
inbox_server_store_get_campaign (InboxServerStore  *self,
                                 const char        *campaign_id,
                                 GError           **error)
{
  g_return_val_if_fail (INBOX_IS_SERVER_STORE (self), NULL);

  return INBOX_SERVER_STORE_GET_IFACE (self)->get_campaign (self, campaign_id, error);
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

static const char * const event_types[] = {
  "read", "unread", "deleted", "Notification Viewed", "Notification Clicked", NULL
};

/* Checks every event before any is stored: a bad one refuses the request. */
gboolean
inbox_server_check_events (JsonArray  *events,
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
      if (strlen (json_object_get_string_member (event, "event_id")) > INBOX_SERVER_KEY_MAX)
        {
          g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                       "events[%u].event_id: at most %d bytes", i, INBOX_SERVER_KEY_MAX);
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

/**
 * inbox_server_campaign_json:
 * @counts: delivered, viewed, clicked, read, deleted
 *
 * Returns: (transfer full): the answer of `GET /v1/campaigns/<id>`
 */
JsonNode *
inbox_server_campaign_json (const char   *campaign_id,
                            gint64        created,
                            gint64        expires,
                            const char   *target_json,
                            const char   *message_json,
                            const gint64  counts[5])
{
  static const char * const names[5] = { "delivered", "viewed", "clicked", "read", "deleted" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "campaign_id");
  json_builder_add_string_value (builder, campaign_id);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, created);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_int_value (builder, expires);
  json_builder_set_member_name (builder, "target");
  json_builder_add_value (builder, json_from_string (target_json, NULL));
  json_builder_set_member_name (builder, "message");
  json_builder_add_value (builder, json_from_string (message_json, NULL));
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (builder, names[i]);
      json_builder_add_int_value (builder, counts[i]);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
