/* inbox-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-json.h"

static void
append_path (GString             *out,
             const InboxJsonPath *path)
{
  if (path == NULL)
    return;

  append_path (out, path->parent);
  if (path->member == NULL)
    g_string_append_printf (out, "[%u]", path->index);
  else if (out->len == 0)
    g_string_append (out, path->member);
  else
    g_string_append_printf (out, ".%s", path->member);
}

/* "msg.content[1].media" (with @member: "msg.content[1].media.url"). */
char *
inbox_json_path_to_string (const InboxJsonPath *path,
                           const char          *member)
{
  GString *out = g_string_new (NULL);
  InboxJsonPath last = INBOX_JSON_MEMBER (path, member);

  append_path (out, member != NULL ? &last : path);
  return g_string_free (out, FALSE);
}

/* "<path>[.member]: <what>", for warnings and errors. */
char *
inbox_json_path_printf (const InboxJsonPath *path,
                        const char          *member,
                        const char          *format,
                        ...)
{
  g_autofree char *where = inbox_json_path_to_string (path, member);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  return g_strconcat (where, ": ", what, NULL);
}

/* "a string", "a number", …: the shape of a node as a sentence part. */
const char *
inbox_json_describe (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return "a number";
    default:
      return "a value";
    }
}

static JsonNode *
lookup (JsonObject *object,
        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
wrong_type (const InboxJsonPath *path,
            const char  *member,
            const char  *expected,
            JsonNode    *node,
            GError     **error)
{
  g_autofree char *full = inbox_json_path_to_string (path, member);

  g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
               "%s: expected %s, got %s", full, expected, inbox_json_describe (node));
  return FALSE;
}

gboolean
inbox_json_get_string (JsonObject  *object,
                       const char  *member,
                       const InboxJsonPath *path,
                       const char **out,
                       GError     **error)
{
  JsonNode *node = lookup (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (path, member, "a string", node, error);

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
inbox_json_get_object (JsonObject  *object,
                       const char  *member,
                       const InboxJsonPath *path,
                       JsonObject **out,
                       GError     **error)
{
  JsonNode *node = lookup (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (path, member, "an object", node, error);

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
inbox_json_get_array (JsonObject  *object,
                      const char  *member,
                      const InboxJsonPath *path,
                      JsonArray  **out,
                      GError     **error)
{
  JsonNode *node = lookup (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (path, member, "an array", node, error);

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
inbox_json_get_boolean (JsonObject  *object,
                        const char  *member,
                        const InboxJsonPath *path,
                        gboolean     fallback,
                        gboolean    *out,
                        GError     **error)
{
  JsonNode *node = lookup (object, member);

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (path, member, "a boolean", node, error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Integers, and numbers written with a fraction of zero (1716400000.0). */
gboolean
inbox_json_get_int64 (JsonObject  *object,
                      const char  *member,
                      const InboxJsonPath *path,
                      gboolean    *present,
                      gint64      *out,
                      GError     **error)
{
  JsonNode *node = lookup (object, member);
  GType type;

  *out = 0;
  *present = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return wrong_type (path, member, "an integer", node, error);

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      if (value != (double) (gint64) value || value > 9.2e18 || value < -9.2e18)
        {
          g_autofree char *full = inbox_json_path_to_string (path, member);

          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                       "%s: expected an integer, got a number with a fraction (%.17g)", full, value);
          return FALSE;
        }
      *out = (gint64) value;
    }
  else
    {
      return wrong_type (path, member, "an integer", node, error);
    }

  *present = TRUE;
  return TRUE;
}

/* The `text` of a `{ "text": … }` member. */
gboolean
inbox_json_get_text (JsonObject  *object,
                     const char  *member,
                     const InboxJsonPath *path,
                     const char **out,
                     GError     **error)
{
  InboxJsonPath full = INBOX_JSON_MEMBER (path, member);
  JsonObject *text_object;

  *out = NULL;
  if (!inbox_json_get_object (object, member, path, &text_object, error))
    return FALSE;
  if (text_object == NULL)
    return TRUE;

  return inbox_json_get_string (text_object, "text", &full, out, error);
}

/* A URL object { desktop, android, ios: {text} }: the desktop client takes
 * desktop, else android, else ios. Empty texts count as absent. Returns NULL
 * with no error when there is none. */
char *
inbox_json_pick_url (JsonObject  *object,
                     const char  *member,
                     const InboxJsonPath *path,
                     GError     **error)
{
  static const char * const platforms[] = { "desktop", "android", "ios" };
  InboxJsonPath full = INBOX_JSON_MEMBER (path, member);
  JsonObject *url_object;
  char *chosen = NULL;

  if (!inbox_json_get_object (object, member, path, &url_object, error))
    return NULL;
  if (url_object == NULL)
    return NULL;

  /* Every platform is checked for its shape, the first non-empty one wins. */
  for (guint i = 0; i < G_N_ELEMENTS (platforms); i++)
    {
      const char *text;

      if (!inbox_json_get_text (url_object, platforms[i], &full, &text, error))
        {
          g_free (chosen);
          return NULL;
        }
      if (chosen == NULL && text != NULL)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (text));

          if (*stripped != '\0')
            chosen = g_steal_pointer (&stripped);
        }
    }

  return chosen;
}

/* "#RGB", "#RRGGBB" or "#AARRGGBB" (Android's order, alpha first) to
 * "#rrggbbaa", the form GTK parses; NULL for anything else. */
char *
inbox_json_parse_color (const char *str)
{
  g_autofree char *hex = NULL;
  size_t len;

  if (str == NULL)
    return NULL;

  hex = g_ascii_strdown (str, -1);
  g_strstrip (hex);
  if (hex[0] != '#')
    return NULL;

  len = strlen (hex + 1);
  for (size_t i = 1; i <= len; i++)
    if (!g_ascii_isxdigit (hex[i]))
      return NULL;

  switch (len)
    {
    case 3:
      return g_strdup_printf ("#%c%c%c%c%c%cff",
                              hex[1], hex[1], hex[2], hex[2], hex[3], hex[3]);
    case 6:
      return g_strdup_printf ("#%sff", hex + 1);
    case 8:
      return g_strdup_printf ("#%.6s%.2s", hex + 3, hex + 1);
    default:
      return NULL;
    }
}
