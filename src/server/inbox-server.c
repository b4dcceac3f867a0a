/* inbox-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "inbox-json-budget.h"
#include "inbox-payload.h"
#include "inbox-server-listener.h"
#include "inbox-server.h"

struct _InboxServer
{
  GObject              parent_instance;

  SoupServer          *server;
  InboxServerListener *listener;
  InboxServerStore    *store;
  char                *media_dir;
  char                *media_real; /* its real path, links followed, once it exists */
  char                *admin_hash; /* of the admin token: the token itself is not kept */
};

G_DEFINE_FINAL_TYPE (InboxServer, inbox_server, G_TYPE_OBJECT)

static void
inbox_server_finalize (GObject *object)
{
  InboxServer *self = (InboxServer *) object;

  g_clear_object (&self->listener);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->store);
  g_clear_pointer (&self->media_dir, g_free);
  g_clear_pointer (&self->media_real, g_free);
  g_clear_pointer (&self->media_real, g_free);
  g_clear_pointer (&self->admin_hash, g_free);

  G_OBJECT_CLASS (inbox_server_parent_class)->finalize (object);
}

static void
inbox_server_class_init (InboxServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = inbox_server_finalize;
}

static void
inbox_server_init (InboxServer *self)
{
}

/* Every error body: {"error": "<code>", "message": "<sentence>"} */
static char *
error_json (const char *code,
            const char *message)
{
  GString *body = g_string_new ("{\"error\":");

  inbox_server_append_json_string (body, code);
  g_string_append (body, ",\"message\":");
  inbox_server_append_json_string (body, message);
  g_string_append (body, "}\n");
  return g_string_free (body, FALSE);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *code,
             const char        *message)
{
  char *body = error_json (code, message);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

/* An answer given from the request's headers: its body is never read. */
static void
refuse (InboxServer       *self,
        SoupServerMessage *msg,
        guint              status,
        const char        *code,
        const char        *message,
        gboolean           body_started)
{
  g_autofree char *body = error_json (code, message);

  inbox_server_listener_refuse (self->listener, msg, status, body, body_started);
}

static void
reply_gerror (SoupServerMessage *msg,
              const GError      *error)
{
  if (g_error_matches (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST))
    reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
  else if (g_error_matches (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_NOT_FOUND))
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
  else if (g_error_matches (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_CONFLICT))
    reply_error (msg, SOUP_STATUS_CONFLICT, "conflict", error->message);
  else
    {
      g_warning ("%s", error->message);
      reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", "The server could not do that; it says why in its log");
    }
}

/* An object node that owns its one new object (json_node_init_object
 * would take a second reference). */
static JsonNode *
object_node_new (void)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, json_object_new ());
  return node;
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  gsize length;
  char *text = json_to_string (node, FALSE);

  length = strlen (text);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || header[7] == '\0')
    return NULL;
  return header + 7;
}

static gboolean
is_admin (InboxServer       *self,
          SoupServerMessage *msg)
{
  const char *token = bearer_token (msg);
  g_autofree char *hash = NULL;

  if (token == NULL)
    return FALSE;
  hash = inbox_server_hash_token (token);
  return g_str_equal (hash, self->admin_hash);
}

static gsize
body_cap (const char *path)
{
  if (g_str_equal (path, "/v1/inbox/events"))
    return INBOX_SERVER_EVENTS_MAX_BYTES;
  if (g_str_equal (path, "/v1/campaigns"))
    return INBOX_SERVER_CAMPAIGN_MAX_BYTES;
  return INBOX_SERVER_OTHER_MAX_BYTES;
}

static char *
too_large_text (const char *path)
{
  return g_strdup_printf ("The request body is larger than the %zu bytes %s takes", body_cap (path), path);
}

/* A body without a declared length (chunked) is kept here, up to its cap:
 * past it the request is answered 413 and its connection closed. */
typedef struct {
  InboxServer *self;
  char        *path;
  GByteArray  *data;
  gsize        cap;
  gboolean     too_large;
} Body;

static void
body_free (Body *body)
{
  g_byte_array_unref (body->data);
  g_free (body->path);
  g_free (body);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              Body              *body)
{
  gsize size = g_bytes_get_size (chunk);
  g_autofree char *text = NULL;

  if (body->too_large)
    return;
  if (body->data->len + size <= body->cap)
    {
      g_byte_array_append (body->data, g_bytes_get_data (chunk, NULL), size);
      return;
    }

  body->too_large = TRUE;
  g_byte_array_set_size (body->data, 0);
  text = too_large_text (body->path);
  refuse (body->self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", text, TRUE);
}

/* Who a request comes from, found from its headers before its body. */
typedef enum {
  NEEDS_NOTHING,
  NEEDS_USER,
  NEEDS_ADMIN,
} Needs;

static Needs
path_needs (const char *path)
{
  if (g_str_equal (path, "/v1/inbox") || g_str_equal (path, "/v1/inbox/events"))
    return NEEDS_USER;
  if (g_str_equal (path, "/v1/users") || g_str_has_prefix (path, "/v1/campaigns"))
    return NEEDS_ADMIN;
  return NEEDS_NOTHING;
}

typedef struct {
  gint64  id;
  char   *name;
} User;

static void
user_free (User *user)
{
  g_free (user->name);
  g_free (user);
}

/* Before the body is read: who asks (401 without a valid token), then how
 * much it says it sends (413 past the cap). Either answer closes the
 * connection without reading the body. A body without a declared length is
 * counted as it comes. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  InboxServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  const char *token = bearer_token (msg);
  Body *body;

  switch (path_needs (path))
    {
    case NEEDS_USER:
      {
        g_autofree char *name = NULL;
        g_autoptr(GError) error = NULL;
        gint64 id = token != NULL ? inbox_server_store_lookup_token (self->store, token, &name, &error) : 0;
        User *user;

        /* the database failed: the token may well be good, so not a 401
         * (which signs the app out) but a 500 (which it retries) */
        if (error != NULL)
          {
            g_warning ("%s", error->message);
            refuse (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                    "The server could not do that; it says why in its log", FALSE);
            return;
          }
        if (id == 0)
          {
            refuse (self, msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                    token == NULL ? "The request has no user token" : "The token is not valid", FALSE);
            return;
          }
        user = g_new0 (User, 1);
        user->id = id;
        user->name = g_steal_pointer (&name);
        g_object_set_data_full (G_OBJECT (msg), "inbox-user", user, (GDestroyNotify) user_free);
      }
      break;

    case NEEDS_ADMIN:
      if (!is_admin (self, msg))
        {
          refuse (self, msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "This needs the admin token", FALSE);
          return;
        }
      break;

    case NEEDS_NOTHING:
    default:
      break;
    }

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) body_cap (path))
    {
      g_autofree char *text = too_large_text (path);

      refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", text, FALSE);
      return;
    }
  if (encoding != SOUP_ENCODING_CHUNKED)
    return;

  body = g_new0 (Body, 1);
  body->self = self;
  body->path = g_strdup (path);
  body->data = g_byte_array_new ();
  body->cap = body_cap (path);
  g_object_set_data_full (G_OBJECT (msg), "inbox-body", body, (GDestroyNotify) body_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), body);
}

/* The request body as JSON, or NULL with the answer already set. */
static JsonNode *
read_json_body (SoupServerMessage *msg,
                const char        *path)
{
  Body *chunked = g_object_get_data (G_OBJECT (msg), "inbox-body");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  bytes = chunked != NULL ? g_bytes_new (chunked->data->data, chunked->data->len)
                          : soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (bytes, &length);
  if (length > body_cap (path))
    {
      g_autofree char *text = too_large_text (path);

      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", text);
      return NULL;
    }
  if (length == 0)
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "The request has no body: a JSON object was expected");
      return NULL;
    }
  if (!g_utf8_validate (data, length, NULL) ||
      !inbox_payload_check_depth (data, length, INBOX_PAYLOAD_MAX_DEPTH, &error))
    {
      g_autofree char *text = g_strdup_printf ("The body is not JSON: %s",
                                               error != NULL ? error->message : "it is not UTF-8");
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", text);
      return NULL;
    }
  /* json-glib's tree costs about 100 bytes a value, however small */
  if (!inbox_json_check_budget (data, length, INBOX_JSON_REQUEST_MAX_VALUES, &error))
    {
      g_autofree char *text = g_strdup_printf ("The body is too large to read: %s", error->message);

      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", text);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      g_autofree char *text = g_strdup_printf ("The body is not JSON: %s", error->message);

      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", text);
      return NULL;
    }
  /* json-glib takes blank data for an empty document, with no root */
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "The body is JSON but not an object");
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

static void
handle_inbox (InboxServer       *self,
              SoupServerMessage *msg,
              gint64             user_id,
              const char        *user_name,
              GHashTable        *query)
{
  const char *since_text = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  g_autoptr(GError) error = NULL;
  gint64 since = -1;
  guint64 limit = INBOX_SERVER_PAGE_DEFAULT;
  GString *body;

  if (since_text != NULL && !g_ascii_string_to_signed (since_text, 10, 0, G_MAXINT64, &since, NULL))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "since: not a cursor this server gave out");
      return;
    }
  if (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, INBOX_SERVER_PAGE_MAX, &limit, NULL))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "limit: a number from 1 to 1000 was expected");
      return;
    }

  body = inbox_server_store_inbox_page (self->store, user_id, user_name, since, limit,
                                     g_get_real_time () / G_USEC_PER_SEC, &error);
  if (body == NULL)
    {
      reply_gerror (msg, error);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body->str, body->len);
  g_string_free (body, FALSE);
}

static void
handle_events (InboxServer       *self,
               SoupServerMessage *msg,
               const char        *path,
               gint64             user_id)
{
  g_autoptr(JsonNode) root = read_json_body (msg, path);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *events;
  guint accepted, duplicates;

  if (root == NULL)
    return;

  events = json_object_get_member (json_node_get_object (root), "events");
  if (events == NULL || !JSON_NODE_HOLDS_ARRAY (events))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "events: an array of events was expected");
      return;
    }

  if (!inbox_server_store_record_events (self->store, user_id, json_node_get_array (events),
                                      &accepted, &duplicates, &error))
    {
      reply_gerror (msg, error);
      return;
    }

  answer = object_node_new ();
  json_object_set_int_member (json_node_get_object (answer), "accepted", accepted);
  json_object_set_int_member (json_node_get_object (answer), "duplicates", duplicates);
  reply_json (msg, SOUP_STATUS_OK, answer);
}

static void
handle_users (InboxServer       *self,
              SoupServerMessage *msg,
              const char        *path)
{
  g_autoptr(JsonNode) root = read_json_body (msg, path);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) segments = g_ptr_array_new ();
  g_autofree char *token = NULL;
  JsonObject *request;
  JsonNode *user, *list;

  if (root == NULL)
    return;
  request = json_node_get_object (root);

  user = json_object_get_member (request, "user");
  if (user == NULL || json_node_get_value_type (user) != G_TYPE_STRING || *json_node_get_string (user) == '\0')
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "user: a non-empty string was expected");
      return;
    }
  list = json_object_get_member (request, "segments");
  if (list != NULL && !JSON_NODE_HOLDS_ARRAY (list))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "segments: an array of strings was expected");
      return;
    }
  for (guint i = 0; list != NULL && i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *segment = json_array_get_element (json_node_get_array (list), i);

      if (json_node_get_value_type (segment) != G_TYPE_STRING)
        {
          g_autofree char *text = g_strdup_printf ("segments[%u]: a string was expected", i);
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", text);
          return;
        }
      g_ptr_array_add (segments, (gpointer) json_node_get_string (segment));
    }
  g_ptr_array_add (segments, NULL);

  token = inbox_server_store_create_user (self->store, json_node_get_string (user),
                                       (const char * const *) segments->pdata, FALSE, &error);
  if (token == NULL)
    {
      reply_gerror (msg, error);
      return;
    }

  answer = object_node_new ();
  json_object_set_string_member (json_node_get_object (answer), "user", json_node_get_string (user));
  json_object_set_string_member (json_node_get_object (answer), "token", token);
  reply_json (msg, SOUP_STATUS_CREATED, answer);
}

static gboolean
check_target (JsonNode  *node,
              GError   **error)
{
  JsonObject *target;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                           "target: an object with users, segment or all was expected");
      return FALSE;
    }
  target = json_node_get_object (node);
  if (json_object_get_size (target) != 1)
    {
      g_set_error_literal (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                           "target: exactly one of users, segment or all was expected");
      return FALSE;
    }

  if ((member = json_object_get_member (target, "users")) != NULL)
    {
      JsonArray *users = JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;

      if (users == NULL || json_array_get_length (users) == 0)
        {
          g_set_error_literal (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                               "target.users: a non-empty array of user names was expected");
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (users); i++)
        if (json_node_get_value_type (json_array_get_element (users, i)) != G_TYPE_STRING)
          {
            g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                         "target.users[%u]: a user name was expected", i);
            return FALSE;
          }
      return TRUE;
    }
  if ((member = json_object_get_member (target, "segment")) != NULL)
    {
      if (json_node_get_value_type (member) == G_TYPE_STRING)
        return TRUE;
      g_set_error_literal (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                           "target.segment: a segment name was expected");
      return FALSE;
    }
  if ((member = json_object_get_member (target, "all")) != NULL &&
      json_node_get_value_type (member) == G_TYPE_BOOLEAN && json_node_get_boolean (member))
    return TRUE;

  g_set_error_literal (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                       "target: exactly one of users, segment or all (true) was expected");
  return FALSE;
}

/* The operator's members, but never over the server's own fields. */
static void
copy_member (JsonObject *from,
             const char *name,
             JsonNode   *node,
             gpointer    user_data)
{
  JsonObject *to = user_data;

  if (!json_object_has_member (to, name) && !g_str_equal (name, "isRead") && !g_str_equal (name, "wzrk_ttl"))
    json_object_set_member (to, name, json_node_copy (node));
}

static char *
publish_at (InboxServer  *self,
            JsonNode     *request_node,
            gint64        now,
            guint        *delivered,
            GError      **error)
{
  JsonObject *request = JSON_NODE_HOLDS_OBJECT (request_node) ? json_node_get_object (request_node) : NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonNode) message_node = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc (now);
  g_autofree char *campaign_id = NULL, *random_part = NULL, *day_text = NULL, *wzrk_id = NULL, *json = NULL;
  g_autoptr(GError) local_error = NULL;
  InboxPayloadItem *item;
  JsonNode *given, *ttl;
  gint64 expires = 0;

  if (request == NULL)
    {
      g_set_error_literal (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST, "The campaign is not a JSON object");
      return NULL;
    }
  if (!check_target (json_object_get_member (request, "target"), error))
    return NULL;

  ttl = json_object_get_member (request, "ttl_seconds");
  if (ttl != NULL)
    {
      /* bounded, so that now + ttl cannot overflow */
      if (json_node_get_value_type (ttl) != G_TYPE_INT64 ||
          json_node_get_int (ttl) <= 0 || json_node_get_int (ttl) > INBOX_SERVER_TTL_MAX)
        {
          g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                       "ttl_seconds: a whole number of seconds from 1 to %d (ten years) was expected",
                       INBOX_SERVER_TTL_MAX);
          return NULL;
        }
      expires = now + json_node_get_int (ttl);
    }

  given = json_object_get_member (request, "message");
  if (given == NULL || !JSON_NODE_HOLDS_OBJECT (given))
    {
      g_set_error_literal (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                           "message: an object with msg was expected");
      return NULL;
    }

  /* the server's own fields first; what the operator gave may not override them */
  random_part = inbox_server_random_hex (8);
  campaign_id = g_strdup_printf ("%" G_GINT64_FORMAT "_%s", now, random_part);
  day_text = g_date_time_format (day, "%Y%m%d");
  wzrk_id = g_strdup_printf ("%s_%s", campaign_id, day_text);
  message = json_object_new ();
  json_object_set_string_member (message, "_id", campaign_id);
  json_object_set_int_member (message, "date", now);
  json_object_set_string_member (message, "wzrk_id", wzrk_id);
  if (expires > 0)
    json_object_set_int_member (message, "wzrk_ttl", expires);
  json_object_foreach_member (json_node_get_object (given), copy_member, message);
  if (!json_object_has_member (message, "wzrk_pivot"))
    json_object_set_string_member (message, "wzrk_pivot", "wzrk_default");

  message_node = json_node_init_object (json_node_alloc (), message);
  json = json_to_string (message_node, FALSE);

  /* the app's own parser decides what is a message */
  items = inbox_payload_parse (json, strlen (json), now, INBOX_PAYLOAD_FLAGS_QUIET, &local_error);
  if (items == NULL || items->len != 1)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                   "message: %s", local_error != NULL ? local_error->message : "not one message");
      return NULL;
    }
  item = g_ptr_array_index (items, 0);
  if (item->error != NULL)
    {
      g_set_error (error, INBOX_SERVER_ERROR, INBOX_SERVER_ERROR_BAD_REQUEST,
                   "message: %s", item->error->message);
      return NULL;
    }

  if (!inbox_server_store_publish (self->store, campaign_id, json_object_get_object_member (request, "target"),
                                json, now, expires, delivered, error))
    return NULL;

  return g_steal_pointer (&campaign_id);
}

/**
 * inbox_server_publish:
 * @request: the body of `POST /v1/campaigns`
 *
 * Returns: (transfer full): the new campaign's id, or NULL with the reason
 */
char *
inbox_server_publish (InboxServer  *self,
                      JsonNode     *request,
                      guint        *delivered,
                      GError      **error)
{
  g_return_val_if_fail (INBOX_IS_SERVER (self), NULL);

  return publish_at (self, request, g_get_real_time () / G_USEC_PER_SEC, delivered, error);
}

static void
handle_publish (InboxServer       *self,
                SoupServerMessage *msg,
                const char        *path)
{
  g_autoptr(JsonNode) root = read_json_body (msg, path);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *campaign_id = NULL;
  guint delivered;

  if (root == NULL)
    return;

  campaign_id = inbox_server_publish (self, root, &delivered, &error);
  if (campaign_id == NULL)
    {
      reply_gerror (msg, error);
      return;
    }

  answer = object_node_new ();
  json_object_set_string_member (json_node_get_object (answer), "campaign_id", campaign_id);
  json_object_set_int_member (json_node_get_object (answer), "delivered", delivered);
  reply_json (msg, SOUP_STATUS_CREATED, answer);
}

static void
handle_campaign (InboxServer       *self,
                 SoupServerMessage *msg,
                 const char        *campaign_id)
{
  g_autoptr(JsonNode) campaign = NULL;
  g_autoptr(GError) error = NULL;

  campaign = inbox_server_store_get_campaign (self->store, campaign_id, &error);
  if (campaign == NULL)
    reply_gerror (msg, error);
  else
    reply_json (msg, SOUP_STATUS_OK, campaign);
}

/* A plain file name in the media folder: no folders, no dot files. */
static gboolean
is_media_name (const char *name)
{
  return *name != '\0' && *name != '.' && strchr (name, '/') == NULL && strchr (name, '\\') == NULL &&
         g_utf8_validate (name, -1, NULL);
}

/* The file behind /media/@name: a regular file whose real path, links
 * followed, is inside the media folder. Returns: an open descriptor, or -1. */
static int
open_media (InboxServer *self,
            const char  *name,
            GStatBuf    *st)
{
  g_autofree char *path = NULL;
  g_autofree char *real = NULL;
  int fd;

  if (self->media_dir == NULL || !is_media_name (name))
    return -1;
  if (self->media_real == NULL)
    self->media_real = realpath (self->media_dir, NULL);
  if (self->media_real == NULL)
    return -1;

  path = g_build_filename (self->media_real, name, NULL);
  real = realpath (path, NULL);
  if (real == NULL || !g_str_has_prefix (real, self->media_real) ||
      real[strlen (self->media_real)] != G_DIR_SEPARATOR)
    return -1;

  fd = open (real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return -1;
  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode))
    {
      close (fd);
      return -1;
    }
  return fd;
}

static void
handle_media (InboxServer       *self,
              SoupServerMessage *msg,
              const char        *name)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *etag = NULL, *content_type = NULL, *mime = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *if_none_match;
  GStatBuf st;
  int fd;

  fd = open_media (self, name, &st);
  if (fd < 0)
    {
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "There is no such media");
      return;
    }

  etag = g_strdup_printf ("\"%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x\"",
                          (gint64) st.st_size, (gint64) st.st_mtime);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "public, max-age=3600");

  if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  if (if_none_match != NULL && (g_str_equal (if_none_match, "*") || strstr (if_none_match, etag) != NULL))
    {
      close (fd);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  /* mapped, not read: a large file costs no memory of its own per request */
  mapped = g_mapped_file_new_from_fd (fd, FALSE, NULL);
  close (fd);
  if (mapped == NULL)
    {
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "There is no such media");
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);

  content_type = g_content_type_guess (name, g_bytes_get_data (bytes, NULL),
                                       MIN (g_bytes_get_size (bytes), 4096), NULL);
  mime = g_content_type_get_mime_type (content_type);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, mime != NULL ? mime : "application/octet-stream", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static gboolean
method_is (SoupServerMessage *msg,
           const char        *method)
{
  if (g_str_equal (soup_server_message_get_method (msg), method))
    return TRUE;

  reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", "That method is not allowed here");
  return FALSE;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  InboxServer *self = user_data;

  /* the early handler may have answered already (401, 413) */
  if (soup_server_message_get_status (msg) != 0)
    return;

  if (g_str_has_prefix (path, "/media/"))
    {
      if (g_str_equal (soup_server_message_get_method (msg), "HEAD") || method_is (msg, "GET"))
        handle_media (self, msg, path + strlen ("/media/"));
      return;
    }

  switch (path_needs (path))
    {
    case NEEDS_USER:
      {
        User *user = g_object_get_data (G_OBJECT (msg), "inbox-user");

        if (user == NULL) /* the early handler finds it, or answers */
          reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "The request has no user token");
        else if (g_str_equal (path, "/v1/inbox"))
          {
            if (method_is (msg, "GET"))
              handle_inbox (self, msg, user->id, user->name, query);
          }
        else if (method_is (msg, "POST"))
          handle_events (self, msg, path, user->id);
      }
      return;

    case NEEDS_ADMIN:
      if (g_str_equal (path, "/v1/users"))
        {
          if (method_is (msg, "POST"))
            handle_users (self, msg, path);
        }
      else if (g_str_equal (path, "/v1/campaigns"))
        {
          if (method_is (msg, "POST"))
            handle_publish (self, msg, path);
        }
      else if (g_str_has_prefix (path, "/v1/campaigns/") && path[strlen ("/v1/campaigns/")] != '\0')
        {
          if (method_is (msg, "GET"))
            handle_campaign (self, msg, path + strlen ("/v1/campaigns/"));
        }
      else
        reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "There is nothing at this address");
      return;

    case NEEDS_NOTHING:
    default:
      break;
    }

  reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "There is nothing at this address");
}

/**
 * inbox_server_new:
 * @media_dir: (nullable): the folder `GET /media/<name>` serves
 * @admin_token: the operator's token (only its hash is kept)
 */
InboxServer *
inbox_server_new (InboxServerStore *store,
                  const char       *media_dir,
                  const char       *admin_token)
{
  InboxServer *self;

  g_return_val_if_fail (INBOX_IS_SERVER_STORE (store), NULL);
  g_return_val_if_fail (admin_token != NULL && *admin_token != '\0', NULL);

  self = g_object_new (INBOX_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->media_dir = g_strdup (media_dir);
  self->admin_hash = inbox_server_hash_token (admin_token);
  self->server = soup_server_new ("server-header", "app-inbox-server/" PACKAGE_VERSION " ", NULL);
  self->listener = inbox_server_listener_new (self->server);
  soup_server_add_early_handler (self->server, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  return self;
}

/**
 * inbox_server_listen:
 * @address: `HOST:PORT` (`[::1]:PORT` for IPv6); port 0 takes a free one
 */
gboolean
inbox_server_listen (InboxServer  *self,
                     const char   *address,
                     GError      **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autofree char *host = NULL;
  const char *colon = strrchr (address, ':');
  guint64 port;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen %s: HOST:PORT was expected (such as 127.0.0.1:8080)", address);
      return FALSE;
    }
  host = g_strndup (address, colon - address);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      memmove (host, host + 1, strlen (host));
      host[strlen (host) - 1] = '\0';
    }

  socket_address = g_inet_socket_address_new_from_string (host, port);
  if (socket_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen %s: “%s” is not an IP address", address, host);
      return FALSE;
    }

  return inbox_server_listener_listen (self->listener, socket_address, error);
}

/**
 * inbox_server_accept_stream:
 * @stream: one client's connection, already open
 *
 * Serves HTTP on @stream as if it had come through the listener (the fuzz
 * target feeds requests this way, without a socket). The answers are written
 * to @stream as the main context runs.
 */
gboolean
inbox_server_accept_stream (InboxServer  *self,
                            GIOStream    *stream,
                            GError      **error)
{
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new_from_string ("127.0.0.1", 8080);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new_from_string ("127.0.0.1", 40000);

  g_return_val_if_fail (INBOX_IS_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_IO_STREAM (stream), FALSE);

  return soup_server_accept_iostream (self->server, stream, local, remote, error);
}

/**
 * inbox_server_set_limits:
 * @max_connections: open connections at most; 0 keeps the default (1024,
 *   and 64 below the descriptor limit)
 * @read_timeout_ms: how long a client has to send its whole request; 0
 *   keeps the default (15 s)
 * @write_timeout_ms: how long a client may take no part of the answer; 0
 *   keeps the default (60 s)
 */
void
inbox_server_set_limits (InboxServer *self,
                         guint        max_connections,
                         guint        read_timeout_ms,
                         guint        write_timeout_ms)
{
  g_return_if_fail (INBOX_IS_SERVER (self));

  inbox_server_listener_set_limits (self->listener, max_connections, read_timeout_ms, write_timeout_ms);
}

guint
inbox_server_get_max_connections (InboxServer *self)
{
  g_return_val_if_fail (INBOX_IS_SERVER (self), 0);

  return inbox_server_listener_get_max_connections (self->listener);
}

/* Returns: (transfer full): such as http://127.0.0.1:8080/ */
char *
inbox_server_get_base_url (InboxServer *self)
{
  g_autoptr(GSocketAddress) address = inbox_server_listener_get_address (self->listener);
  g_autofree char *host = NULL;
  GInetAddress *inet;

  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  host = g_inet_address_to_string (inet);
  return g_strdup_printf (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "http://[%s]:%u/" : "http://%s:%u/",
                          host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

/* Media paths in the demo payload are relative to it: here they become the
 * server's own /media/ URLs. */
static void
rewrite_media_url (JsonObject *object,
                   const char *member,
                   const char *base_url)
{
  const char *url;
  g_autofree char *scheme = NULL;

  if (object == NULL || !json_object_has_member (object, member) ||
      json_node_get_value_type (json_object_get_member (object, member)) != G_TYPE_STRING)
    return;

  url = json_object_get_string_member (object, member);
  scheme = g_uri_parse_scheme (url);
  if (scheme == NULL)
    {
      g_autofree char *name = g_path_get_basename (url);
      g_autofree char *absolute = g_strconcat (base_url, "media/", name, NULL);

      json_object_set_string_member (object, member, absolute);
    }
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
copy_demo_media (const char  *from,
                 const char  *to,
                 GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;
  if (g_mkdir_with_parents (to, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Could not create the media folder %s: %s", to, g_strerror (errno));
      return FALSE;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GFile) source = g_file_new_build_filename (from, name, NULL);
      g_autoptr(GFile) target = g_file_new_build_filename (to, name, NULL);

      if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * inbox_server_seed_demo:
 * @demo_dir: the bundled demo: inbox.json and its media/ folder
 * @token: (out): the demo user's token (a new one each time)
 *
 * Creates the user `demo` and publishes each message of the demo inbox as a
 * campaign to it, newest first in the file's order.
 */
gboolean
inbox_server_seed_demo (InboxServer  *self,
                        const char   *demo_dir,
                        char        **token,
                        GError      **error)
{
  g_autofree char *payload = g_build_filename (demo_dir, "inbox.json", NULL);
  g_autofree char *media = g_build_filename (demo_dir, "media", NULL);
  g_autofree char *base_url = inbox_server_get_base_url (self);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *demo_token = NULL;
  JsonArray *messages;
  JsonObject *root;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (self->media_dir == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--demo needs a --media folder");
      return FALSE;
    }
  if (!copy_demo_media (media, self->media_dir, error))
    return FALSE;
  if (!json_parser_load_from_file (parser, payload, error))
    return FALSE;

  root = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  if (root == NULL || !json_object_has_member (root, "inbox_notifs"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not a sync response", payload);
      return FALSE;
    }

  demo_token = inbox_server_store_create_user (self->store, "demo", NULL, TRUE, error);
  if (demo_token == NULL)
    return FALSE;

  messages = json_object_get_array_member (root, "inbox_notifs");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *given = json_array_get_object_element (messages, i);
      JsonObject *msg = object_member (given, "msg");
      JsonArray *content = msg != NULL && json_object_has_member (msg, "content")
                             ? json_object_get_array_member (msg, "content") : NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) request = NULL;
      g_autoptr(JsonNode) copy = NULL;
      g_autofree char *campaign_id = NULL;
      guint delivered;

      for (guint j = 0; content != NULL && j < json_array_get_length (content); j++)
        {
          JsonObject *item = json_array_get_object_element (content, j);

          rewrite_media_url (object_member (item, "media"), "url", base_url);
          rewrite_media_url (object_member (item, "media"), "poster", base_url);
          rewrite_media_url (object_member (item, "icon"), "url", base_url);
        }

      copy = object_node_new ();
      json_object_set_member (json_node_get_object (copy), "msg", json_node_copy (json_object_get_member (given, "msg")));
      if (json_object_has_member (given, "wzrk_pivot"))
        json_object_set_member (json_node_get_object (copy), "wzrk_pivot",
                                json_node_copy (json_object_get_member (given, "wzrk_pivot")));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "target");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "users");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "demo");
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_value (builder, g_steal_pointer (&copy));
      json_builder_end_object (builder);
      request = json_builder_get_root (builder);

      /* a second apart, so the inbox shows them in the file's order */
      campaign_id = publish_at (self, request, now - i, &delivered, error);
      if (campaign_id == NULL)
        {
          g_prefix_error (error, "%s, message %u: ", payload, i);
          return FALSE;
        }
    }

  *token = g_steal_pointer (&demo_token);
  return TRUE;
}
