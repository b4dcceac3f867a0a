/* inbox-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-message"

#include "inbox-content-private.h"
#include "inbox-json.h"
#include "inbox-message-private.h"

struct _InboxMessage
{
  GObject               parent_instance;

  /* List columns */
  char                 *id;
  gint64                date;
  gint64                expires;
  InboxTemplate         template_;
  GStrv                 tags;
  guint                 read : 1;

  /* Full content: always there for a parsed message; for a lazy one, once
   * loaded, until nobody holds it (main thread only) */
  InboxMessageBody     *body;
  GError               *load_error;    /* a load finished, but failed */
  guint                 loaded : 1;    /* body or load_error is set */
  guint                 pinned : 1;    /* loaded on purpose: kept */
  guint                 requested : 1; /* in a batch on its way */
  guint                 holds;         /* how many want the content kept */
  char                 *raw;           /* the bytes as received, when known */
  JsonObject           *json;          /* as parsed, when the bytes are not known */

  /* immutable once made: the worker thread reads them */
  InboxMessageLoadFunc  load_func;
  gpointer              load_data;
  GDestroyNotify        load_data_destroy;
};

struct _InboxMessageBody
{
  InboxTemplate         template_;     /* from msg.type */
  char                 *type_name;
  char                 *bg;
  InboxOrientation      orientation;
  GHashTable           *custom_kv;
  JsonObject           *wzrk_fields;
  GPtrArray            *contents;
  GStrv                 warnings;
  GStrv                 tags;          /* only when asked for */
};

void
inbox_message_body_free (InboxMessageBody *body)
{
  if (body == NULL)
    return;

  g_free (body->type_name);
  g_free (body->bg);
  g_clear_pointer (&body->custom_kv, g_hash_table_unref);
  g_clear_pointer (&body->wzrk_fields, json_object_unref);
  g_clear_pointer (&body->contents, g_ptr_array_unref);
  g_strfreev (body->warnings);
  g_strfreev (body->tags);
  g_free (body);
}

/**
 * InboxMessage:
 *
 * One inbox message (docs/format.md): immutable once parsed, except for its
 * read state, which only the store changes.
 *
 * A message listed by an #InboxStore has its list columns at once (id,
 * date, expiry, read state, template, tags); its full content (the items
 * and buttons, the colours, `custom_kv`, the `wzrk_*` fields) once it is
 * loaded: see inbox_message_is_loaded(). Getters never do I/O.
 */
G_DEFINE_FINAL_TYPE (InboxMessage, inbox_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DATE,
  PROP_EXPIRES,
  PROP_READ,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
inbox_message_finalize (GObject *object)
{
  InboxMessage *self = (InboxMessage *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->body, inbox_message_body_free);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->json, json_object_unref);
  g_clear_pointer (&self->raw, g_free);
  if (self->load_data_destroy != NULL)
    g_clear_pointer (&self->load_data, self->load_data_destroy);

  G_OBJECT_CLASS (inbox_message_parent_class)->finalize (object);
}

static void
inbox_message_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  InboxMessage *self = INBOX_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_DATE:
      g_value_set_int64 (value, self->date);
      break;
    case PROP_EXPIRES:
      g_value_set_int64 (value, self->expires);
      break;
    case PROP_READ:
      g_value_set_boolean (value, self->read);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_message_class_init (InboxMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inbox_message_finalize;
  object_class->get_property = inbox_message_get_property;

  /**
   * InboxMessage:id:
   *
   * The message's `_id`.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxMessage:date:
   *
   * When the message was sent, in seconds since the epoch.
   */
  properties[PROP_DATE] =
    g_param_spec_int64 ("date", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxMessage:expires:
   *
   * The expiry moment in seconds since the epoch; 0 for never.
   */
  properties[PROP_EXPIRES] =
    g_param_spec_int64 ("expires", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxMessage:read:
   *
   * Whether the message has been read. It changes only through the store
   * (inbox_store_set_read() and its kin), which writes it to disk first.
   */
  properties[PROP_READ] =
    g_param_spec_boolean ("read", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxMessage:loaded:
   *
   * Whether the full content is at hand (inbox_message_is_loaded()).
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_message_init (InboxMessage *self)
{
}

static const InboxJsonPath msg_path = INBOX_JSON_MEMBER (NULL, "msg");

static gboolean
read_tags (JsonObject  *msg,
           GStrv       *out,
           GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *tags;
  guint n;

  if (!inbox_json_get_array (msg, "tags", &msg_path, &tags, error))
    return FALSE;

  n = tags != NULL ? json_array_get_length (tags) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (tags, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                       "msg.tags[%u]: expected a string, got %s", i, inbox_json_describe (node));
          return FALSE;
        }
      /* the cache keeps tags in one column, joined by U+001F */
      for (const char *p = json_node_get_string (node); *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          {
            g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                         "msg.tags[%u]: a control character (U+%04X) in a tag", i, (guchar) *p);
            return FALSE;
          }
      if (*json_node_get_string (node) != '\0')
        g_strv_builder_add (builder, json_node_get_string (node));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* A custom_kv value (docs/rules.md, "custom_kv"): `value` must be an
 * object, as both SDKs need it (Android's constructor stops, iOS drops the
 * message); its `text` is a string, or a number or boolean written as text
 * with a warning; without a usable text the pair is ignored with a warning,
 * as iOS does. */
static gboolean
read_custom_kv_text (JsonObject          *pair,
                     const InboxJsonPath *path,
                     GPtrArray           *warnings,
                     char               **text_out,
                     GError             **error)
{
  InboxJsonPath value_path = INBOX_JSON_MEMBER (path, "value");
  JsonObject *value;
  JsonNode *text;

  *text_out = NULL;
  if (!inbox_json_get_object (pair, "value", path, &value, error))
    return FALSE;

  text = value != NULL ? json_object_get_member (value, "text") : NULL;
  if (text == NULL || JSON_NODE_HOLDS_NULL (text))
    {
      g_ptr_array_add (warnings, inbox_json_path_printf (&value_path, NULL, "no text, the pair is ignored"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (text))
    {
      g_ptr_array_add (warnings, inbox_json_path_printf (&value_path, "text", "%s, not text: the pair is ignored",
                                                         inbox_json_describe (text)));
      return TRUE;
    }

  switch (json_node_get_value_type (text))
    {
    case G_TYPE_STRING:
      *text_out = g_strdup (json_node_get_string (text));
      return TRUE;
    case G_TYPE_BOOLEAN:
      *text_out = g_strdup (json_node_get_boolean (text) ? "true" : "false");
      break;
    case G_TYPE_INT64:
      *text_out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (text));
      break;
    default:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        *text_out = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (text)));
      }
      break;
    }

  g_ptr_array_add (warnings, inbox_json_path_printf (&value_path, "text", "%s, not text: used as \"%s\"",
                                                     inbox_json_describe (text), *text_out));
  return TRUE;
}

static gboolean
read_custom_kv (InboxMessageBody  *self,
                JsonObject        *msg,
                GPtrArray         *warnings,
                GError           **error)
{
  JsonArray *pairs;
  guint n;

  self->custom_kv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!inbox_json_get_array (msg, "custom_kv", &msg_path, &pairs, error))
    return FALSE;

  n = pairs != NULL ? json_array_get_length (pairs) : 0;
  for (guint i = 0; i < n; i++)
    {
      InboxJsonPath pairs_path = INBOX_JSON_MEMBER (&msg_path, "custom_kv");
      InboxJsonPath path = INBOX_JSON_ELEMENT (&pairs_path, i);
      JsonNode *node = json_array_get_element (pairs, i);
      g_autofree char *text = NULL;
      const char *key;
      JsonObject *pair;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *where = inbox_json_path_to_string (&path, NULL);

          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                       "%s: expected an object, got %s", where, inbox_json_describe (node));
          return FALSE;
        }

      pair = json_node_get_object (node);
      if (!inbox_json_get_string (pair, "key", &path, &key, error) ||
          !read_custom_kv_text (pair, &path, warnings, &text, error))
        return FALSE;

      if (key == NULL || *key == '\0')
        g_ptr_array_add (warnings, inbox_json_path_printf (&path, NULL, "a pair without a key, ignored"));
      else if (text != NULL)
        g_hash_table_insert (self->custom_kv, g_strdup (key), g_steal_pointer (&text));
    }

  return TRUE;
}

static void
read_wzrk_fields (InboxMessageBody *self,
                  JsonObject       *object)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  self->wzrk_fields = json_object_new ();
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, "wzrk_"))
      json_object_set_member (self->wzrk_fields, key, json_node_copy (value));
}

static gboolean
read_contents (InboxMessageBody  *self,
               JsonObject        *msg,
               GPtrArray         *warnings,
               GError           **error)
{
  JsonArray *content;
  guint n, used;

  if (!inbox_json_get_array (msg, "content", &msg_path, &content, error))
    return FALSE;
  if (content == NULL || json_array_get_length (content) == 0)
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                           content == NULL ? "msg.content: missing" : "msg.content: empty, a message needs at least one item");
      return FALSE;
    }

  n = json_array_get_length (content);
  used = (self->template_ == INBOX_TEMPLATE_SIMPLE || self->template_ == INBOX_TEMPLATE_ICON) ? 1 : n;
  if (used < n)
    g_ptr_array_add (warnings, g_strdup_printf ("msg.content: %u items, %s shows the first only",
                                                n, inbox_template_to_string (self->template_)));

  self->contents = g_ptr_array_new_full (used, g_object_unref);
  for (guint i = 0; i < used; i++)
    {
      InboxJsonPath content_path = INBOX_JSON_MEMBER (&msg_path, "content");
      InboxJsonPath path = INBOX_JSON_ELEMENT (&content_path, i);
      JsonNode *node = json_array_get_element (content, i);
      InboxContent *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *where = inbox_json_path_to_string (&path, NULL);

          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                       "%s: expected an object, got %s", where, inbox_json_describe (node));
          return FALSE;
        }

      item = inbox_content_new_from_json (json_node_get_object (node), &path, self->template_, warnings, error);
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (self->contents, item);

      if ((self->template_ == INBOX_TEMPLATE_CAROUSEL || self->template_ == INBOX_TEMPLATE_IMAGE_CAROUSEL) &&
          inbox_content_get_media_url (item) == NULL)
        g_ptr_array_add (warnings, inbox_json_path_printf (&path, NULL, "a carousel slide without an image"));
    }

  if (self->template_ == INBOX_TEMPLATE_ICON &&
      inbox_content_get_icon_url (g_ptr_array_index (self->contents, 0)) == NULL)
    g_ptr_array_add (warnings, g_strdup ("msg.content[0].icon: message-icon without an icon"));

  return TRUE;
}

/* Everything under "msg", and the wzrk_* fields: what the list columns do
 * not hold (and the tags, when @with_tags). Touches no message: safe in any
 * thread. */
static InboxMessageBody *
read_body (JsonObject  *object,
           gboolean     with_tags,
           GError     **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(InboxMessageBody) self = NULL;
  const char *type, *bg, *orientation;
  JsonObject *msg;

  if (!inbox_json_get_object (object, "msg", NULL, &msg, error))
    return NULL;
  if (msg == NULL)
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID, "msg: missing");
      return NULL;
    }

  if (!inbox_json_get_string (msg, "type", &msg_path, &type, error) ||
      !inbox_json_get_string (msg, "bg", &msg_path, &bg, error) ||
      !inbox_json_get_string (msg, "orientation", &msg_path, &orientation, error))
    return NULL;

  self = g_new0 (InboxMessageBody, 1);
  self->template_ = INBOX_TEMPLATE_SIMPLE;

  self->type_name = g_strdup (type);
  if (!inbox_template_from_string (type, &self->template_))
    g_ptr_array_add (warnings, type != NULL
                     ? g_strdup_printf ("msg.type: unknown template \"%s\", shown as simple", type)
                     : g_strdup ("msg.type: missing, shown as simple"));

  self->bg = inbox_json_parse_color (bg);
  if (bg != NULL && *bg != '\0' && self->bg == NULL)
    g_ptr_array_add (warnings, g_strdup_printf ("msg.bg: \"%s\" is not a colour, theme colour used", bg));

  if (orientation != NULL && g_ascii_strcasecmp (orientation, "l") == 0)
    self->orientation = INBOX_ORIENTATION_LANDSCAPE;
  else if (orientation != NULL && g_ascii_strcasecmp (orientation, "p") == 0)
    self->orientation = INBOX_ORIENTATION_SQUARE;
  else
    self->orientation = INBOX_ORIENTATION_NATURAL;

  if (with_tags && !read_tags (msg, &self->tags, error))
    return NULL;

  if (!read_custom_kv (self, msg, warnings, error) ||
      !read_contents (self, msg, warnings, error))
    return NULL;

  read_wzrk_fields (self, object);

  g_ptr_array_add (warnings, NULL);
  self->warnings = (GStrv) g_ptr_array_free (g_steal_pointer (&warnings), FALSE);
  return g_steal_pointer (&self);
}

/**
 * inbox_message_new_from_json:
 * @object: one message in the wire format
 * @raw: (nullable): the bytes @object was parsed from, kept as they are for
 *   storage (unknown fields and all); %NULL to have @object written out
 * @now: the time of arrival, used when `date` is absent
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error
 *   (INBOX_PAYLOAD_ERROR_INVALID) naming the field path and the problem.
 */
InboxMessage *
inbox_message_new_from_json (JsonObject  *object,
                             const char  *raw,
                             gsize        raw_length,
                             gint64       now,
                             GError     **error)
{
  g_autoptr(InboxMessage) self = NULL;
  const char *id;
  gboolean present, read;
  gint64 date, ttl;

  g_return_val_if_fail (object != NULL, NULL);

  if (!inbox_json_get_string (object, "_id", NULL, &id, error))
    return NULL;
  if (id == NULL || *id == '\0')
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                           id == NULL ? "_id: missing" : "_id: empty");
      return NULL;
    }
  /* inbox_payload_parse() refuses lone surrogates before: this is for
   * objects built otherwise */
  if (!g_utf8_validate (id, -1, NULL))
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                           "_id: not valid UTF-8");
      return NULL;
    }

  self = g_object_new (INBOX_TYPE_MESSAGE, NULL);
  self->id = g_strdup (id);

  if (!inbox_json_get_int64 (object, "date", NULL, &present, &date, error))
    return NULL;
  self->date = present ? date : now;

  if (!inbox_json_get_int64 (object, "wzrk_ttl", NULL, &present, &ttl, error))
    return NULL;
  self->expires = MAX (ttl, 0);

  if (!inbox_json_get_boolean (object, "isRead", NULL, FALSE, &read, error))
    return NULL;
  self->read = !!read;

  self->body = read_body (object, TRUE, error);
  if (self->body == NULL)
    return NULL;
  self->template_ = self->body->template_;
  self->tags = g_steal_pointer (&self->body->tags);
  self->loaded = TRUE;

  if (raw != NULL)
    self->raw = g_strndup (raw, raw_length);
  else
    self->json = json_object_ref (object);
  return g_steal_pointer (&self);
}

/**
 * inbox_message_new_lazy: (skip)
 * @load_func: gives the stored JSON when the full content is loaded; called
 *   in a worker thread, so it must be thread-safe
 *
 * A message made from list columns alone. Its content getters answer once
 * the content is loaded (inbox_message_is_loaded()); they never call
 * @load_func themselves.
 */
InboxMessage *
inbox_message_new_lazy (const char           *id,
                        gint64                date,
                        gint64                expires,
                        gboolean              read,
                        InboxTemplate         template_,
                        const char * const   *tags,
                        InboxMessageLoadFunc  load_func,
                        gpointer              load_data,
                        GDestroyNotify        load_data_destroy)
{
  InboxMessage *self;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (load_func != NULL, NULL);

  self = g_object_new (INBOX_TYPE_MESSAGE, NULL);
  self->id = g_strdup (id);
  self->date = date;
  self->expires = MAX (expires, 0);
  self->read = !!read;
  self->template_ = template_;
  self->tags = g_strdupv ((GStrv) (tags != NULL ? tags : (const char * const[]) { NULL }));
  self->load_func = load_func;
  self->load_data = load_data;
  self->load_data_destroy = load_data_destroy;

  return self;
}

/* Reads the stored JSON through the load function and parses it, strictly,
 * as it was validated when it came. Reads only what does not change after
 * construction (id, template, load function): safe in any thread. */
static InboxMessageBody *
read_stored_body (InboxMessage  *self,
                  GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_auto(InboxJsonScan) scan = { 0 };
  g_autofree char *raw = NULL;
  InboxMessageBody *body;
  JsonNode *root;

  raw = self->load_func (self->load_data, self->id, error);
  if (raw == NULL)
    return NULL;

  if (!inbox_json_scan (raw, strlen (raw), INBOX_JSON_MAX_DEPTH, NULL, &scan, error))
    {
      g_prefix_error (error, "stored message %s: not JSON: ", self->id);
      return NULL;
    }
  if (scan.problem != NULL)
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                   "stored message %s: %s", self->id, scan.problem->message);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, raw, -1, error))
    {
      g_prefix_error (error, "stored message %s: ", self->id);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                   "stored message %s: not a JSON object", self->id);
      return NULL;
    }

  /* the list columns stay authoritative (the template shown, the tags) */
  body = read_body (json_node_get_object (root), FALSE, error);
  if (body == NULL)
    g_prefix_error (error, "stored message %s: ", self->id);
  return body;
}

static void
set_loaded (InboxMessage *self,
            gboolean      loaded)
{
  if (self->loaded == (guint) !!loaded)
    return;

  self->loaded = !!loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/**
 * inbox_message_load:
 * @self: a message
 * @error: return location for an error
 *
 * Reads and parses the full content now, if it is not at hand, and keeps it
 * for the life of the message. This blocks on the cache: call it off the
 * main thread (a command-line tool, a test), never while showing a list;
 * there, use inbox_store_load_content_async(). Call it also to learn why a
 * stored message cannot be shown: a message whose content failed to load
 * counts as loaded, its getters giving empty values.
 *
 * Returns: %TRUE when the content is at hand, %FALSE with @error set
 */
gboolean
inbox_message_load (InboxMessage  *self,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  InboxMessageBody *body;

  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);

  self->pinned = TRUE;
  if (self->body != NULL)
    return TRUE;
  if (self->load_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->load_error));
      return FALSE;
    }

  /* a failure counts as loaded too: the getters then answer empty */
  body = read_stored_body (self, &local_error);
  if (body == NULL)
    {
      self->load_error = g_error_copy (local_error);
      set_loaded (self, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->body = body;
  set_loaded (self, TRUE);
  return TRUE;
}

/* Internal: for a worker thread. */
InboxMessageBody *
inbox_message_read_body (InboxMessage  *self,
                         GError       **error)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);
  g_return_val_if_fail (self->load_func != NULL, NULL);

  return read_stored_body (self, error);
}

/* Internal, main thread: gives @self the content read in a thread, or the
 * reason it could not be. Content nobody holds any more (the row that asked
 * has gone) is dropped unless @keep. */
void
inbox_message_attach_body (InboxMessage     *self,
                           InboxMessageBody *body,
                           const GError     *error,
                           gboolean          keep)
{
  g_autoptr(InboxMessageBody) owned = body;

  g_return_if_fail (INBOX_IS_MESSAGE (self));
  g_return_if_fail (body != NULL || error != NULL);

  self->requested = FALSE;
  if (keep)
    self->pinned = TRUE;
  if (self->body != NULL || (!self->pinned && self->holds == 0))
    return;

  g_clear_error (&self->load_error);
  if (owned != NULL)
    self->body = g_steal_pointer (&owned);
  else
    self->load_error = g_error_copy (error);
  set_loaded (self, TRUE);
}

/* Internal: whether the content is still to be read (a lazy message whose
 * content is not at hand). */
gboolean
inbox_message_needs_load (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);

  return !self->loaded && self->load_func != NULL;
}

/* Internal, main thread: one more wants the content kept once loaded (a
 * row showing the message). */
void
inbox_message_hold_content (InboxMessage *self)
{
  g_return_if_fail (INBOX_IS_MESSAGE (self));

  self->holds++;
}

/* Internal, main thread: when the last one lets go, the content of a lazy
 * message goes too (it is read again when next needed), unless it was
 * loaded on purpose. */
void
inbox_message_release_content (InboxMessage *self)
{
  g_return_if_fail (INBOX_IS_MESSAGE (self));
  g_return_if_fail (self->holds > 0);

  if (--self->holds > 0 || self->pinned || self->load_func == NULL || !self->loaded)
    return;

  g_clear_pointer (&self->body, inbox_message_body_free);
  g_clear_error (&self->load_error);
  set_loaded (self, FALSE);
}

/* Internal, main thread: the messages asked for in one main-loop turn, read
 * together in one worker thread. */
static GPtrArray *pending;
static guint pending_source;

typedef struct {
  GPtrArray *messages;
  GPtrArray *bodies;     /* InboxMessageBody or NULL, one per message */
  GPtrArray *errors;     /* GError or NULL, one per message */
  gboolean   keep;
} Batch;

static void
free_error (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->messages);
  g_ptr_array_unref (batch->bodies);
  g_ptr_array_unref (batch->errors);
  g_free (batch);
}

static void
batch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Batch *batch = task_data;

  for (guint i = 0; i < batch->messages->len; i++)
    {
      GError *error = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_ptr_array_add (batch->bodies, read_stored_body (g_ptr_array_index (batch->messages, i), &error));
      g_ptr_array_add (batch->errors, error);
    }

  g_task_return_boolean (task, TRUE);
}

static void
batch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  Batch *batch = g_task_get_task_data (G_TASK (result));

  /* the results are attached whatever came of the caller's cancellable:
   * they are read already */
  for (guint i = 0; i < batch->messages->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (batch->messages, i);

      if (i < batch->bodies->len)
        inbox_message_attach_body (message, g_steal_pointer (&g_ptr_array_index (batch->bodies, i)),
                                   g_ptr_array_index (batch->errors, i), batch->keep);
      else
        message->requested = FALSE;
    }

  /* the messages are let go here, on the main thread: the worker may hold the
   * task (and so the batch) last, and a message's last unref must not run
   * there */
  g_ptr_array_set_size (batch->messages, 0);

  if (g_task_return_error_if_cancelled (outer))
    return;
  g_task_return_boolean (outer, TRUE);
}

/* Internal, main thread: reads and parses the content of those of
 * @messages that need it in a worker thread, then attaches it here before
 * @callback runs. With @keep, the content stays for the life of each
 * message; without, only while someone holds it. */
void
inbox_message_load_contents_async (GPtrArray           *messages,
                                   gboolean             keep,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  Batch *batch;

  g_return_if_fail (messages != NULL);

  outer = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (outer, inbox_message_load_contents_async);

  batch = g_new0 (Batch, 1);
  batch->messages = g_ptr_array_new_with_free_func (g_object_unref);
  batch->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) inbox_message_body_free);
  batch->errors = g_ptr_array_new_with_free_func (free_error);
  batch->keep = keep;
  for (guint i = 0; i < messages->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (messages, i);

      g_return_if_fail (INBOX_IS_MESSAGE (message));
      if (keep && message->body != NULL)
        message->pinned = TRUE;
      if (inbox_message_needs_load (message))
        {
          message->requested = TRUE;
          g_ptr_array_add (batch->messages, g_object_ref (message));
        }
    }

  if (batch->messages->len == 0)
    {
      batch_free (batch);
      g_task_return_boolean (outer, TRUE);
      return;
    }

  task = g_task_new (NULL, cancellable, batch_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, batch_thread);
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);
  g_task_run_in_thread (task, batch_thread);
}

gboolean
inbox_message_load_contents_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
pending_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  inbox_message_load_contents_finish (result, NULL);
}

static gboolean
flush_pending_cb (gpointer user_data)
{
  g_autoptr(GPtrArray) batch = g_steal_pointer (&pending);

  pending_source = 0;
  for (guint i = 0; i < batch->len; i++)
    ((InboxMessage *) g_ptr_array_index (batch, i))->requested = FALSE;
  inbox_message_load_contents_async (batch, FALSE, NULL, pending_done_cb, NULL);
  return G_SOURCE_REMOVE;
}

/* Internal, main thread: asks for the content of @self to be read in a
 * worker thread; everything asked for in the same main-loop turn goes as
 * one batch (the flush runs after the rows' checks, before a redraw).
 * #InboxMessage:loaded says when it is there. Hold it first, or it is
 * dropped on arrival. */
void
inbox_message_request_content (InboxMessage *self)
{
  g_return_if_fail (INBOX_IS_MESSAGE (self));

  if (!inbox_message_needs_load (self) || self->requested)
    return;

  self->requested = TRUE;
  if (pending == NULL)
    pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (pending, g_object_ref (self));
  if (pending_source == 0)
    {
      pending_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 15, flush_pending_cb, NULL, NULL);
      g_source_set_name_by_id (pending_source, "[inbox-message] load contents");
    }
}

/* Whether the getters may answer: the content is at hand, or its load
 * failed (then they give empty values, quietly). A getter never reads the
 * cache: asking before the content is loaded is a programming error. */
static gboolean
has_content (InboxMessage *self,
             const char   *getter)
{
  if (G_LIKELY (self->body != NULL))
    return TRUE;

  if (!self->loaded)
    g_critical ("%s: the content of message %s is not loaded: content getters do no I/O; "
                "load it first (inbox_store_load_content_async(), or inbox_message_load() "
                "off the main thread)", getter, self->id);
  return FALSE;
}

/**
 * inbox_message_get_id:
 * @self: a message
 *
 * A list column: there without loading the content.
 *
 * Returns: the message's `_id`
 */
const char *
inbox_message_get_id (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return self->id;
}

/**
 * inbox_message_get_date:
 * @self: a message
 *
 * A list column: there without loading the content.
 *
 * Returns: when the message was sent, in seconds since the epoch (the
 *   time of arrival when the payload has no `date`)
 */
gint64
inbox_message_get_date (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), 0);

  return self->date;
}

/**
 * inbox_message_get_expires:
 * @self: a message
 *
 * A list column: there without loading the content.
 *
 * Returns: the expiry moment in seconds since the epoch (`wzrk_ttl`); 0
 *   for never
 */
gint64
inbox_message_get_expires (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), 0);

  return self->expires;
}

/**
 * inbox_message_is_expired:
 * @self: a message
 * @now: the current time, in seconds since the epoch
 *
 * Whether the message has expired.
 *
 * Returns: whether the message's expiry moment has come at @now
 */
gboolean
inbox_message_is_expired (InboxMessage *self,
                          gint64        now)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);

  return self->expires > 0 && self->expires <= now;
}

/**
 * inbox_message_get_read:
 * @self: a message
 *
 * A list column: there without loading the content. It changes only
 * through the store (inbox_store_set_read() and its kin).
 *
 * Returns: whether the message has been read (#InboxMessage:read)
 */
gboolean
inbox_message_get_read (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);

  return self->read;
}

/* For the store alone, which writes the change to the cache first: the read
 * state changes only through inbox_store_set_read() and its kin. */
void
inbox_message_set_read (InboxMessage *self,
                        gboolean      read)
{
  g_return_if_fail (INBOX_IS_MESSAGE (self));

  read = !!read;
  if (self->read == (guint) read)
    return;

  self->read = read;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ]);
}

/**
 * inbox_message_get_template:
 * @self: a message
 *
 * A list column: there without loading the content.
 *
 * Returns: the template it is shown with: an unknown `msg.type` is shown
 *   as %INBOX_TEMPLATE_SIMPLE
 */
InboxTemplate
inbox_message_get_template (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), INBOX_TEMPLATE_SIMPLE);

  return self->template_;
}

/**
 * inbox_message_get_tags:
 * @self: a message
 *
 * A list column: there without loading the content.
 *
 * Returns: (transfer none) (array zero-terminated=1): the message's tags,
 *   as written (`msg.tags`), empty ones left out
 */
const char * const *
inbox_message_get_tags (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return (const char * const *) self->tags;
}

/**
 * inbox_message_has_tag:
 * @self: a message
 * @tag: a tag
 *
 * Tags match case-insensitively (docs/format.md section 4).
 *
 * Returns: whether @self has @tag
 */
gboolean
inbox_message_has_tag (InboxMessage *self,
                       const char   *tag)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  wanted = g_utf8_casefold (tag, -1);
  for (guint i = 0; self->tags != NULL && self->tags[i] != NULL; i++)
    {
      g_autofree char *folded = g_utf8_casefold (self->tags[i], -1);

      if (g_str_equal (folded, wanted))
        return TRUE;
    }

  return FALSE;
}

/**
 * inbox_message_is_loaded:
 * @self: a message
 *
 * Whether the full content is at hand, so that the content getters
 * (inbox_message_get_content(), inbox_message_get_custom_kv(), …) answer.
 * A message parsed from JSON always has it. A message listed by a store has
 * only its list columns (id, date, expiry, read state, template, tags) until
 * its content is loaded: the list loads it for the cards it shows (and lets
 * it go with them); a host app loads it with inbox_store_load_content_async().
 * Also %TRUE when loading was tried and failed: then the getters give empty
 * values and inbox_message_load() says why.
 *
 * Returns: whether the content getters may be called
 */
gboolean
inbox_message_is_loaded (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);

  return self->loaded;
}

/**
 * inbox_message_get_type_name:
 * @self: a message whose content is loaded (inbox_message_is_loaded())
 *
 * The template's name as the payload wrote it.
 *
 * Returns: (nullable): `msg.type` as written, %NULL when absent
 */
const char *
inbox_message_get_type_name (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return has_content (self, G_STRFUNC) ? self->body->type_name : NULL;
}

/**
 * inbox_message_get_bg:
 * @self: a message whose content is loaded (inbox_message_is_loaded())
 *
 * The card's background colour.
 *
 * Returns: (nullable): the card's background (`msg.bg`) as "#rrggbbaa", or
 *   %NULL for the theme's card colour
 */
const char *
inbox_message_get_bg (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return has_content (self, G_STRFUNC) ? self->body->bg : NULL;
}

/**
 * inbox_message_get_orientation:
 * @self: a message whose content is loaded (inbox_message_is_loaded())
 *
 * The shape the media is shown in (16:9, 1:1 or natural).
 *
 * Returns: how the media is shaped (`msg.orientation`)
 */
InboxOrientation
inbox_message_get_orientation (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), INBOX_ORIENTATION_NATURAL);

  return has_content (self, G_STRFUNC) ? self->body->orientation : INBOX_ORIENTATION_NATURAL;
}

/**
 * inbox_message_get_custom_kv:
 * @self: a message
 *
 * The message's `msg.custom_kv` as a string → string map: each pair's `key`
 * to its `value.text` (a number or boolean written as text; pairs without a
 * key or text are left out, with a warning, see
 * inbox_message_get_warnings()). From Python it is a `dict`.
 *
 * Returns: (transfer none) (nullable) (element-type utf8 utf8): the map, or
 *   %NULL when the content is not loaded or the stored message cannot be
 *   parsed
 */
GHashTable *
inbox_message_get_custom_kv (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return has_content (self, G_STRFUNC) ? self->body->custom_kv : NULL;
}

/**
 * inbox_message_get_wzrk_fields:
 * @self: a message whose content is loaded (inbox_message_is_loaded())
 *
 * The fields that go with the Viewed and Clicked events.
 *
 * Returns: (transfer none) (nullable): every top-level `wzrk_*` member,
 *   verbatim, as sent with the analytics events
 */
JsonObject *
inbox_message_get_wzrk_fields (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return has_content (self, G_STRFUNC) ? self->body->wzrk_fields : NULL;
}

/**
 * inbox_message_get_n_contents:
 * @self: a message whose content is loaded (inbox_message_is_loaded())
 *
 * How many content items (slides) the message has.
 *
 * Returns: how many content items: 1 for simple and message-icon, a slide
 *   each for the carousels; 0 when the stored message cannot be parsed
 */
guint
inbox_message_get_n_contents (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), 0);

  return has_content (self, G_STRFUNC) ? self->body->contents->len : 0;
}

/**
 * inbox_message_get_content:
 * @self: a message whose content is loaded
 * @index: which content item, below inbox_message_get_n_contents()
 *
 * One content item (a slide of a carousel).
 *
 * Returns: (transfer none) (nullable): the content item, owned by @self
 */
InboxContent *
inbox_message_get_content (InboxMessage *self,
                           guint         index)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  if (!has_content (self, G_STRFUNC))
    return NULL;
  if (index >= self->body->contents->len)
    g_return_val_if_reached (NULL);

  return g_ptr_array_index (self->body->contents, index);
}

/**
 * inbox_message_get_warnings:
 * @self: a message whose content is loaded (inbox_message_is_loaded())
 *
 * What the parser noted about the message.
 *
 * Returns: (transfer none) (array zero-terminated=1): what was valid but
 *   not used as written (unknown template, bad colour, buttons not shown
 *   …), each as "<field path>: <what>"
 */
const char * const *
inbox_message_get_warnings (InboxMessage *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return has_content (self, G_STRFUNC) ? (const char * const *) self->body->warnings : none;
}

/**
 * inbox_message_to_json:
 * @self: a message
 * @error: return location for an error
 *
 * For a message listed from the cache this reads its stored JSON: call it
 * off the main thread.
 *
 * Returns: (transfer full): the message as received, unknown fields kept,
 *   or %NULL with @error when a stored message cannot be read back
 */
char *
inbox_message_to_json (InboxMessage  *self,
                       GError       **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  if (self->raw != NULL)
    return g_strdup (self->raw);
  if (self->json == NULL)
    return self->load_func (self->load_data, self->id, error);

  node = json_node_init_object (json_node_alloc (), self->json);
  return inbox_json_to_string (node);
}

static gboolean
differs (char       **difference,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
differs (char       **difference,
         const char  *format,
         ...)
{
  va_list args;

  if (difference != NULL)
    {
      va_start (args, format);
      *difference = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return FALSE;
}

static gboolean
string_maps_equal (GHashTable *a,
                   GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (a == NULL || b == NULL)
    return a == b;
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gpointer other;

      if (!g_hash_table_lookup_extended (b, key, NULL, &other) || g_strcmp0 (value, other) != 0)
        return FALSE;
    }

  return TRUE;
}

#define SAME_STRING(what, x, y) \
  G_STMT_START { \
    const char *x_ = (x), *y_ = (y); \
    if (g_strcmp0 (x_, y_) != 0) \
      return differs (difference, "%s: \"%s\" and \"%s\"", what, \
                      x_ != NULL ? x_ : "(null)", y_ != NULL ? y_ : "(null)"); \
  } G_STMT_END

#define SAME_INT(what, x, y) \
  G_STMT_START { \
    gint64 x_ = (x), y_ = (y); \
    if (x_ != y_) \
      return differs (difference, "%s: %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT, what, x_, y_); \
  } G_STMT_END

static gboolean
links_equal (InboxLink  *a,
             InboxLink  *b,
             char      **difference)
{
  SAME_INT ("link type", inbox_link_get_link_type (a), inbox_link_get_link_type (b));
  SAME_STRING ("link text", inbox_link_get_text (a), inbox_link_get_text (b));
  SAME_STRING ("link color", inbox_link_get_color (a), inbox_link_get_color (b));
  SAME_STRING ("link bg", inbox_link_get_bg (a), inbox_link_get_bg (b));
  SAME_STRING ("link url", inbox_link_get_url (a), inbox_link_get_url (b));
  SAME_STRING ("link copyText", inbox_link_get_copy_text (a), inbox_link_get_copy_text (b));
  if (!string_maps_equal (inbox_link_get_kv (a), inbox_link_get_kv (b)))
    return differs (difference, "link kv");
  return TRUE;
}

static gboolean
contents_equal (InboxContent  *a,
                InboxContent  *b,
                char         **difference)
{
  SAME_STRING ("title", inbox_content_get_title (a), inbox_content_get_title (b));
  SAME_STRING ("title color", inbox_content_get_title_color (a), inbox_content_get_title_color (b));
  SAME_STRING ("message", inbox_content_get_message (a), inbox_content_get_message (b));
  SAME_STRING ("message color", inbox_content_get_message_color (a), inbox_content_get_message_color (b));
  SAME_INT ("media kind", inbox_content_get_media_kind (a), inbox_content_get_media_kind (b));
  SAME_STRING ("media url", inbox_content_get_media_url (a), inbox_content_get_media_url (b));
  SAME_STRING ("media type", inbox_content_get_media_type (a), inbox_content_get_media_type (b));
  SAME_STRING ("media poster", inbox_content_get_media_poster (a), inbox_content_get_media_poster (b));
  SAME_STRING ("media alt text", inbox_content_get_media_alt_text (a), inbox_content_get_media_alt_text (b));
  SAME_STRING ("icon url", inbox_content_get_icon_url (a), inbox_content_get_icon_url (b));
  SAME_STRING ("icon alt text", inbox_content_get_icon_alt_text (a), inbox_content_get_icon_alt_text (b));
  SAME_STRING ("url", inbox_content_get_url (a), inbox_content_get_url (b));
  SAME_INT ("number of buttons", inbox_content_get_n_links (a), inbox_content_get_n_links (b));

  for (guint i = 0; i < inbox_content_get_n_links (a); i++)
    {
      InboxLink *link_a = inbox_content_get_link (a, i);
      InboxLink *link_b = inbox_content_get_link (b, i);

      if (link_a == NULL || link_b == NULL)
        {
          if (link_a != link_b)
            return differs (difference, "button slot %u: empty in one only", i + 1);
        }
      else if (!links_equal (link_a, link_b, difference))
        return FALSE;
      SAME_STRING ("button slot type", inbox_content_get_slot_type (a, i), inbox_content_get_slot_type (b, i));
      SAME_STRING ("button slot label", inbox_content_get_slot_label (a, i), inbox_content_get_slot_label (b, i));
    }

  return TRUE;
}

/**
 * inbox_message_equal:
 * @a: a message
 * @b: another message
 * @difference: (out) (optional): what differs first, when they differ
 *
 * Whether two messages say the same: list columns, every field of the full
 * content (contents, buttons, maps, wzrk_* fields, warnings) and the JSON
 * they are stored as. Both are loaded (inbox_message_load()) when they are
 * not yet, so this blocks: for tests and tools.
 *
 * Returns: whether @a and @b say the same
 */
gboolean
inbox_message_equal (InboxMessage  *a,
                     InboxMessage  *b,
                     char         **difference)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json_a = NULL;
  g_autofree char *json_b = NULL;
  JsonObject *wzrk_a, *wzrk_b;
  const char * const *tags_a, * const *tags_b;
  const char * const *warnings_a, * const *warnings_b;

  g_return_val_if_fail (INBOX_IS_MESSAGE (a), FALSE);
  g_return_val_if_fail (INBOX_IS_MESSAGE (b), FALSE);

  SAME_STRING ("_id", a->id, b->id);
  SAME_INT ("date", a->date, b->date);
  SAME_INT ("expires", a->expires, b->expires);
  SAME_INT ("read", a->read, b->read);
  SAME_INT ("template", a->template_, b->template_);

  tags_a = inbox_message_get_tags (a);
  tags_b = inbox_message_get_tags (b);
  if (!g_strv_equal (tags_a, tags_b))
    return differs (difference, "tags");

  if (!inbox_message_load (a, &error) || !inbox_message_load (b, &error))
    return differs (difference, "not loaded: %s", error->message);

  SAME_STRING ("msg.type", a->body->type_name, b->body->type_name);
  SAME_STRING ("msg.bg", a->body->bg, b->body->bg);
  SAME_INT ("msg.orientation", a->body->orientation, b->body->orientation);
  if (!string_maps_equal (a->body->custom_kv, b->body->custom_kv))
    return differs (difference, "msg.custom_kv");

  wzrk_a = a->body->wzrk_fields;
  wzrk_b = b->body->wzrk_fields;
  {
    g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), wzrk_a);
    g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), wzrk_b);

    if (!json_node_equal (node_a, node_b))
      return differs (difference, "wzrk_* fields");
  }

  warnings_a = (const char * const *) a->body->warnings;
  warnings_b = (const char * const *) b->body->warnings;
  if (!g_strv_equal (warnings_a, warnings_b))
    return differs (difference, "warnings");

  SAME_INT ("number of contents", a->body->contents->len, b->body->contents->len);
  for (guint i = 0; i < a->body->contents->len; i++)
    if (!contents_equal (g_ptr_array_index (a->body->contents, i), g_ptr_array_index (b->body->contents, i),
                         difference))
      return FALSE;

  json_a = inbox_message_to_json (a, &error);
  if (json_a != NULL)
    json_b = inbox_message_to_json (b, &error);
  if (json_a == NULL || json_b == NULL)
    return differs (difference, "no JSON: %s", error->message);
  if (!g_str_equal (json_a, json_b))
    return differs (difference, "stored JSON: %s and %s", json_a, json_b);

  return TRUE;
}
