/* inbox-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-message"

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

  /* Full content */
  guint                 loaded : 1;
  char                 *type_name;
  char                 *bg;
  InboxOrientation      orientation;
  GHashTable           *custom_kv;
  JsonObject           *wzrk_fields;
  GPtrArray            *contents;
  GStrv                 warnings;
  char                 *raw;           /* the bytes as received, when known */
  JsonObject           *json;          /* as parsed, when the bytes are not known */

  InboxMessageLoadFunc  load_func;
  gpointer              load_data;
  GDestroyNotify        load_data_destroy;
};

G_DEFINE_FINAL_TYPE (InboxMessage, inbox_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DATE,
  PROP_EXPIRES,
  PROP_READ,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
inbox_message_finalize (GObject *object)
{
  InboxMessage *self = (InboxMessage *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->type_name, g_free);
  g_clear_pointer (&self->bg, g_free);
  g_clear_pointer (&self->custom_kv, g_hash_table_unref);
  g_clear_pointer (&self->wzrk_fields, json_object_unref);
  g_clear_pointer (&self->contents, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_strfreev);
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

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATE] =
    g_param_spec_int64 ("date", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES] =
    g_param_spec_int64 ("expires", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ] =
    g_param_spec_boolean ("read", NULL, NULL, FALSE,
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
read_custom_kv (InboxMessage  *self,
                JsonObject    *msg,
                GPtrArray     *warnings,
                GError       **error)
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
read_wzrk_fields (InboxMessage *self,
                  JsonObject   *object)
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
read_contents (InboxMessage  *self,
               JsonObject    *msg,
               GPtrArray     *warnings,
               GError       **error)
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
 * not hold. */
static gboolean
read_body (InboxMessage  *self,
           JsonObject    *object,
           GError       **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  const char *type, *bg, *orientation;
  JsonObject *msg;

  if (!inbox_json_get_object (object, "msg", NULL, &msg, error))
    return FALSE;
  if (msg == NULL)
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID, "msg: missing");
      return FALSE;
    }

  if (!inbox_json_get_string (msg, "type", &msg_path, &type, error) ||
      !inbox_json_get_string (msg, "bg", &msg_path, &bg, error) ||
      !inbox_json_get_string (msg, "orientation", &msg_path, &orientation, error))
    return FALSE;

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

  if (self->tags == NULL && !read_tags (msg, &self->tags, error))
    return FALSE;

  if (!read_custom_kv (self, msg, warnings, error) ||
      !read_contents (self, msg, warnings, error))
    return FALSE;

  read_wzrk_fields (self, object);

  g_ptr_array_add (warnings, NULL);
  self->warnings = (GStrv) g_ptr_array_free (g_steal_pointer (&warnings), FALSE);
  self->loaded = TRUE;
  return TRUE;
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

  if (!read_body (self, object, error))
    return NULL;

  if (raw != NULL)
    self->raw = g_strndup (raw, raw_length);
  else
    self->json = json_object_ref (object);
  return g_steal_pointer (&self);
}

/**
 * inbox_message_new_lazy:
 * @load_func: gives the stored JSON when the full content is first needed
 *
 * A message made from list columns alone.
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

/**
 * inbox_message_load:
 *
 * Parses the full content if it is not parsed yet. The getters of full
 * content call it; call it directly to learn why a stored message cannot be
 * shown.
 */
gboolean
inbox_message_load (InboxMessage  *self,
                    GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_auto(InboxJsonScan) scan = { 0 };
  g_autofree char *raw = NULL;
  InboxTemplate template_;
  JsonNode *root;

  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);

  if (self->loaded)
    return TRUE;

  raw = self->load_func (self->load_data, self->id, error);
  if (raw == NULL)
    return FALSE;

  /* read as it was validated when it came: strictly */
  if (!inbox_json_scan (raw, strlen (raw), INBOX_JSON_MAX_DEPTH, NULL, &scan, error))
    {
      g_prefix_error (error, "stored message %s: not JSON: ", self->id);
      return FALSE;
    }
  if (scan.problem != NULL)
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                   "stored message %s: %s", self->id, scan.problem->message);
      return FALSE;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, raw, -1, error))
    {
      g_prefix_error (error, "stored message %s: ", self->id);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                   "stored message %s: not a JSON object", self->id);
      return FALSE;
    }

  /* The list columns stay authoritative (the read state is local). */
  template_ = self->template_;
  if (!read_body (self, json_node_get_object (root), error))
    {
      g_prefix_error (error, "stored message %s: ", self->id);
      g_clear_pointer (&self->custom_kv, g_hash_table_unref);
      g_clear_pointer (&self->contents, g_ptr_array_unref);
      g_clear_pointer (&self->type_name, g_free);
      g_clear_pointer (&self->bg, g_free);
      self->template_ = template_;
      return FALSE;
    }
  self->template_ = template_;

  return TRUE;
}

static gboolean
ensure_loaded (InboxMessage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->loaded)
    return TRUE;

  if (!inbox_message_load (self, &error))
    {
      g_debug ("%s", error->message);
      return FALSE;
    }

  return TRUE;
}

const char *
inbox_message_get_id (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return self->id;
}

gint64
inbox_message_get_date (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), 0);

  return self->date;
}

/* The expiry moment in epoch seconds; 0 for never. */
gint64
inbox_message_get_expires (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), 0);

  return self->expires;
}

gboolean
inbox_message_is_expired (InboxMessage *self,
                          gint64        now)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);

  return self->expires > 0 && self->expires <= now;
}

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

/* The template it is shown with: an unknown msg.type is shown as simple. */
InboxTemplate
inbox_message_get_template (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), INBOX_TEMPLATE_SIMPLE);

  return self->template_;
}

const char * const *
inbox_message_get_tags (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return (const char * const *) self->tags;
}

/* Tags match case-insensitively (docs/format.md section 4). */
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

gboolean
inbox_message_is_loaded (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), FALSE);

  return self->loaded;
}

/* msg.type as written, NULL when absent. */
const char *
inbox_message_get_type_name (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return ensure_loaded (self) ? self->type_name : NULL;
}

/* "#rrggbbaa", or NULL for the theme's card colour. */
const char *
inbox_message_get_bg (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return ensure_loaded (self) ? self->bg : NULL;
}

InboxOrientation
inbox_message_get_orientation (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), INBOX_ORIENTATION_NATURAL);

  return ensure_loaded (self) ? self->orientation : INBOX_ORIENTATION_NATURAL;
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

  return ensure_loaded (self) ? self->custom_kv : NULL;
}

/* Every top-level wzrk_* member, verbatim, for analytics events. */
JsonObject *
inbox_message_get_wzrk_fields (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return ensure_loaded (self) ? self->wzrk_fields : NULL;
}

/* 1 for simple and message-icon, a slide each for carousels; 0 only when a
 * stored message cannot be parsed. */
guint
inbox_message_get_n_contents (InboxMessage *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), 0);

  return ensure_loaded (self) ? self->contents->len : 0;
}

InboxContent *
inbox_message_get_content (InboxMessage *self,
                           guint         index)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  if (!ensure_loaded (self) || index >= self->contents->len)
    g_return_val_if_reached (NULL);

  return g_ptr_array_index (self->contents, index);
}

/* What was valid but not used as written (unknown template, bad colour,
 * buttons not shown …), as "<field path>: <what>". */
const char * const *
inbox_message_get_warnings (InboxMessage *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (INBOX_IS_MESSAGE (self), NULL);

  return ensure_loaded (self) ? (const char * const *) self->warnings : none;
}

/**
 * inbox_message_to_json:
 *
 * Returns: (transfer full): the message as received, unknown fields kept,
 *   or %NULL with @error when a stored message cannot be read back.
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
 * @difference: (out) (optional): what differs first, when they differ
 *
 * Whether two messages say the same: list columns, every field of the full
 * content (contents, buttons, maps, wzrk_* fields, warnings) and the JSON
 * they are stored as. Both are loaded when they are not yet.
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

  SAME_STRING ("msg.type", a->type_name, b->type_name);
  SAME_STRING ("msg.bg", a->bg, b->bg);
  SAME_INT ("msg.orientation", a->orientation, b->orientation);
  if (!string_maps_equal (a->custom_kv, b->custom_kv))
    return differs (difference, "msg.custom_kv");

  wzrk_a = a->wzrk_fields;
  wzrk_b = b->wzrk_fields;
  {
    g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), wzrk_a);
    g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), wzrk_b);

    if (!json_node_equal (node_a, node_b))
      return differs (difference, "wzrk_* fields");
  }

  warnings_a = (const char * const *) a->warnings;
  warnings_b = (const char * const *) b->warnings;
  if (!g_strv_equal (warnings_a, warnings_b))
    return differs (difference, "warnings");

  SAME_INT ("number of contents", a->contents->len, b->contents->len);
  for (guint i = 0; i < a->contents->len; i++)
    if (!contents_equal (g_ptr_array_index (a->contents, i), g_ptr_array_index (b->contents, i), difference))
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
