/* inbox-payload.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-payload"

#include <stdio.h>
#include <string.h>

#include "inbox-json.h"
#include "inbox-payload.h"

void
inbox_payload_item_free (InboxPayloadItem *item)
{
  if (item == NULL)
    return;

  g_clear_pointer (&item->id, g_free);
  g_clear_object (&item->message);
  g_clear_error (&item->error);
  g_free (item);
}

/**
 * inbox_payload_check_depth:
 *
 * Walks the bytes once and refuses nesting deeper than @max_depth, naming the
 * line and column where it goes too deep. It does not otherwise validate.
 */
gboolean
inbox_payload_check_depth (const char  *data,
                           gsize        length,
                           guint        max_depth,
                           GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0, line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          else if (c == '\n')
            line++, line_start = i + 1;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON,
                           "too deeply nested: line %u, column %" G_GSIZE_FORMAT ": more than %u levels",
                           line, i - line_start + 1, max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case '\n':
          line++;
          line_start = i + 1;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

/* JSON is UTF-8 text: say where it stops being that. */
static gboolean
check_utf8 (const char  *data,
            gsize        length,
            GError     **error)
{
  const char *end = NULL;
  guint line = 1;
  const char *line_start = data;

  if (length > G_MAXSSIZE || g_utf8_validate_len (data, length, &end))
    return TRUE;

  for (const char *p = data; p < end; p++)
    if (*p == '\n')
      line++, line_start = p + 1;

  g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON,
               "not JSON: line %u, column %ld: not UTF-8 text (byte 0x%02x)",
               line, (long) g_utf8_strlen (line_start, end - line_start) + 1, (guchar) *end);
  return FALSE;
}

/* json-glib says "<data>:3:11: Parse error: unexpected …"; we say
 * "line 3, column 11: unexpected …". */
static char *
describe_parse_error (const char *message)
{
  unsigned int line, column;
  int consumed = 0;
  const char *rest;

  if (!g_str_has_prefix (message, "<data>:") ||
      sscanf (message + strlen ("<data>:"), "%u:%u: %n", &line, &column, &consumed) < 2 ||
      consumed == 0)
    return g_strdup (message);

  rest = message + strlen ("<data>:") + consumed;
  if (g_str_has_prefix (rest, "Parse error: "))
    rest += strlen ("Parse error: ");

  return g_strdup_printf ("line %u, column %u: %s", line, column, rest);
}

/* An unknown template is logged once per name for the whole process. */
static void
log_unknown_template_once (const char *type_name)
{
  static GHashTable *logged;
  G_LOCK_DEFINE_STATIC (logged);
  gboolean first;

  G_LOCK (logged);
  if (logged == NULL)
    logged = g_hash_table_new (g_str_hash, g_str_equal);
  first = !g_hash_table_contains (logged, type_name);
  if (first)
    g_hash_table_add (logged, g_strdup (type_name));
  G_UNLOCK (logged);

  if (first)
    g_warning ("Unknown message template \"%s\": shown as simple", type_name);
}

static InboxPayloadItem *
parse_one (JsonNode          *node,
           guint              index,
           gint64             now,
           InboxPayloadFlags  flags)
{
  InboxPayloadItem *item = g_new0 (InboxPayloadItem, 1);
  JsonObject *object;
  const char *id;

  item->index = index;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (&item->error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                   "expected a message object, got %s", inbox_json_describe (node));
      return item;
    }

  object = json_node_get_object (node);
  id = json_object_get_string_member_with_default (object, "_id", NULL);
  if (id != NULL && *id != '\0')
    item->id = g_strdup (id);

  item->message = inbox_message_new_from_json (object, now, &item->error);

  if (item->message != NULL && (flags & INBOX_PAYLOAD_FLAGS_QUIET) == 0)
    {
      const char *type_name = inbox_message_get_type_name (item->message);
      InboxTemplate ignored;

      if (!inbox_template_from_string (type_name, &ignored))
        log_unknown_template_once (type_name != NULL ? type_name : "(none)");
    }

  return item;
}

/**
 * inbox_payload_parse:
 * @now: the time of arrival, for messages without a `date`
 *
 * Returns: (transfer full) (element-type InboxPayloadItem): one item per
 *   message, valid or not, in payload order; %NULL with @error when the data
 *   is not JSON (INBOX_PAYLOAD_ERROR_NOT_JSON, with line and column) or not a
 *   payload (INBOX_PAYLOAD_ERROR_NOT_PAYLOAD).
 */
GPtrArray *
inbox_payload_parse (const char         *data,
                     gsize               length,
                     gint64              now,
                     InboxPayloadFlags   flags,
                     GError            **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) inbox_payload_item_free);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!check_utf8 (data, length, error) ||
      !inbox_payload_check_depth (data, length, INBOX_PAYLOAD_MAX_DEPTH, error))
    return NULL;

  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON, "too large");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_autofree char *reason = describe_parse_error (local_error->message);

      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON,
                   "not JSON: %s", reason);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON,
                           "empty: no JSON value");
      return NULL;
    }

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      array = json_node_get_array (root);
    }
  else if (JSON_NODE_HOLDS_OBJECT (root) &&
           json_object_has_member (json_node_get_object (root), "inbox_notifs"))
    {
      JsonNode *notifs = json_object_get_member (json_node_get_object (root), "inbox_notifs");

      if (!JSON_NODE_HOLDS_ARRAY (notifs))
        {
          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD,
                       "inbox_notifs: expected an array, got %s", inbox_json_describe (notifs));
          return NULL;
        }
      array = json_node_get_array (notifs);
    }
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      g_ptr_array_add (items, parse_one (root, 0, now, flags));
      return g_steal_pointer (&items);
    }
  else
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD,
                   "expected a message, an array of messages or a sync response, got %s",
                   inbox_json_describe (root));
      return NULL;
    }

  for (guint i = 0, n = json_array_get_length (array); i < n; i++)
    g_ptr_array_add (items, parse_one (json_array_get_element (array, i), i, now, flags));

  return g_steal_pointer (&items);
}

/* As inbox_payload_parse(); errors name the file. */
GPtrArray *
inbox_payload_parse_file (const char         *filename,
                          gint64              now,
                          InboxPayloadFlags   flags,
                          GError            **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *items;
  const char *data;
  gsize length;

  mapped = g_mapped_file_new (filename, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  length = g_mapped_file_get_length (mapped);
  data = g_mapped_file_get_contents (mapped);
  items = inbox_payload_parse (data != NULL ? data : "", length, now, flags, &local_error);
  if (items == NULL)
    {
      g_autofree char *display = g_filename_display_name (filename);

      g_set_error (error, local_error->domain, local_error->code,
                   "%s: %s", display, local_error->message);
      return NULL;
    }

  return items;
}
