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

typedef struct {
  gsize start;
  gsize end;
} Span;

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One walk over the bytes, before json-glib sees them: refuses nesting
 * deeper than @max_depth (json-glib recurses and would overflow the stack),
 * naming the line and column; and, when @spans is given, notes where each
 * message's bytes are (the elements of a top-level array, or of the
 * "inbox_notifs" array of a top-level object), so that a message is stored
 * exactly as it was received. It does not otherwise validate. */
static gboolean
scan (const char  *data,
      gsize        length,
      guint        max_depth,
      GArray      *spans,
      GError     **error)
{
  gboolean in_string = FALSE, string_is_key = FALSE, expecting_key = FALSE;
  gboolean in_notifs = FALSE, expecting_element = FALSE;
  guint depth = 0, line = 1, element_depth = 0;
  gsize line_start = 0, key_start = 0, element_start = 0;
  gboolean last_key_is_notifs = FALSE;
  char root = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              if (string_is_key)
                last_key_is_notifs = (i - key_start == strlen ("inbox_notifs") &&
                                      memcmp (data + key_start, "inbox_notifs", i - key_start) == 0);
              string_is_key = FALSE;
            }
          else if (c == '\n')
            line++, line_start = i + 1;
          continue;
        }

      if (is_space (c))
        {
          if (c == '\n')
            line++, line_start = i + 1;
          continue;
        }

      if (root == 0)
        root = c;

      /* the first byte of a message */
      if (expecting_element && depth == element_depth && c != ']')
        {
          element_start = i;
          expecting_element = FALSE;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          if (root == '{' && depth == 1 && expecting_key)
            {
              string_is_key = TRUE;
              key_start = i + 1;
              expecting_key = FALSE;
            }
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
          if (depth == 1 && c == '[')
            {
              element_depth = 1;
              expecting_element = TRUE;
            }
          else if (depth == 1 && c == '{')
            {
              expecting_key = TRUE;
            }
          else if (depth == 2 && c == '[' && root == '{' && last_key_is_notifs)
            {
              in_notifs = TRUE;
              element_depth = 2;
              expecting_element = TRUE;
            }
          break;

        case ',':
        case ']':
        case '}':
          if (spans != NULL && element_depth > 0 && depth == element_depth &&
              (c == ',' || c == ']') && !expecting_element &&
              (element_depth == 1 || in_notifs))
            {
              Span span = { element_start, i };

              while (span.end > span.start && is_space (data[span.end - 1]))
                span.end--;
              g_array_append_val (spans, span);
            }
          if (c == ',')
            {
              if (depth == element_depth && (element_depth == 1 || in_notifs))
                expecting_element = TRUE;
              if (root == '{' && depth == 1)
                expecting_key = TRUE;
              break;
            }
          if (depth == element_depth && (element_depth == 1 || in_notifs))
            {
              in_notifs = FALSE;
              element_depth = 0;
              expecting_element = FALSE;
            }
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
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
  return scan (data, length, max_depth, NULL, error);
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
           const char        *raw,
           gsize              raw_length,
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

  item->message = inbox_message_new_from_json (object, raw, raw_length, now, &item->error);

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
  return inbox_payload_parse_full (data, length, now, flags, NULL, error);
}

/**
 * inbox_payload_parse_full:
 * @root: (out) (optional): the whole document, for the members of a sync
 *   response around its messages (cursor, more, deleted)
 *
 * As inbox_payload_parse().
 */
GPtrArray *
inbox_payload_parse_full (const char         *data,
                          gsize               length,
                          gint64              now,
                          InboxPayloadFlags   flags,
                          JsonNode          **root_out,
                          GError            **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) inbox_payload_item_free);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  JsonArray *array = NULL;
  JsonNode *root;
  guint n;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!check_utf8 (data, length, error) ||
      !scan (data, length, INBOX_PAYLOAD_MAX_DEPTH, spans, error))
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
  if (root_out != NULL)
    *root_out = json_node_ref (root);

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
      gsize start = 0, end = length;

      while (start < end && is_space (data[start]))
        start++;
      while (end > start && is_space (data[end - 1]))
        end--;
      g_ptr_array_add (items, parse_one (root, 0, data + start, end - start, now, flags));
      return g_steal_pointer (&items);
    }
  else
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD,
                   "expected a message, an array of messages or a sync response, got %s",
                   inbox_json_describe (root));
      return NULL;
    }

  /* The scan found each message's bytes; should it ever disagree with the
   * parser, the messages are stored as the parser read them instead. */
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      const Span *span = spans->len == n ? &g_array_index (spans, Span, i) : NULL;

      g_ptr_array_add (items, parse_one (json_array_get_element (array, i), i,
                                         span != NULL ? data + span->start : NULL,
                                         span != NULL ? span->end - span->start : 0,
                                         now, flags));
    }

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
