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
  g_clear_pointer (&item->json, json_object_unref);
  g_free (item);
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The scanner's syntax errors are "line L, column C: …": say what they are. */
static void
prefix_scan_error (GError **error)
{
  if (error != NULL && *error != NULL && !g_str_has_prefix ((*error)->message, "too deeply nested"))
    g_prefix_error (error, "not JSON: ");
}

/**
 * inbox_payload_check_depth:
 *
 * Walks the bytes once and refuses what json-glib must not be given or would
 * read differently from the text: nesting deeper than @max_depth, anything
 * but strict JSON (RFC 8259), data after the document, duplicate keys,
 * U+0000 and lone surrogates in strings, integers outside int64 and numbers
 * beyond a double. The error (INBOX_PAYLOAD_ERROR_NOT_JSON) names the line
 * and column, and the key path for the last ones.
 */
gboolean
inbox_payload_check_depth (const char  *data,
                           gsize        length,
                           guint        max_depth,
                           GError     **error)
{
  InboxJsonScan scan;
  gboolean ok;

  ok = inbox_json_scan (data, length, max_depth, NULL, &scan, error);
  if (ok && scan.first != NULL)
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON, scan.first->message);
      ok = FALSE;
    }
  inbox_json_scan_clear (&scan);

  return ok;
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

/* The _id to name an invalid message by: a usable string, or NULL. */
static char *
usable_id (JsonObject   *object,
           const GError *problem)
{
  JsonNode *node = json_object_get_member (object, "_id");
  const char *id;

  /* the scan found something wrong with the _id itself (U+0000, a lone
   * surrogate, a second _id): what json-glib kept is not it */
  if (problem != NULL && (g_str_has_prefix (problem->message, "_id:") ||
                          g_str_has_prefix (problem->message, "_id.") ||
                          g_str_has_prefix (problem->message, "_id[")))
    return NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  id = json_node_get_string (node);
  if (*id == '\0' || !g_utf8_validate (id, -1, NULL))
    return NULL;

  return g_strdup (id);
}

/* Android's CTInboxMessage.getData() is CTMessageDAO.toJSON(): `id` for
 * `_id`, `msg`, `isRead`, `date`, `wzrk_ttl`, `tags` at the top level (from
 * msg.tags), `wzrk_id` and `wzrkParams` (every wzrk_* field). A message in
 * that shape has `id` and no `_id`. */
static gboolean
is_get_data_shape (JsonObject *object)
{
  return !json_object_has_member (object, "_id") && json_object_has_member (object, "id");
}

/* The same message in the wire format. */
static JsonObject *
from_get_data (JsonObject *object)
{
  JsonObject *wire = json_object_new ();
  JsonNode *tags = json_object_get_member (object, "tags");
  JsonNode *params = json_object_get_member (object, "wzrkParams");
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (g_str_equal (key, "id"))
        json_object_set_member (wire, "_id", json_node_copy (value));
      else if (g_str_equal (key, "msg") && JSON_NODE_HOLDS_OBJECT (value) && tags != NULL &&
               !json_object_has_member (json_node_get_object (value), "tags"))
        {
          JsonObject *msg = json_object_new ();
          JsonObjectIter msg_iter;
          const char *msg_key;
          JsonNode *msg_value;

          json_object_iter_init (&msg_iter, json_node_get_object (value));
          while (json_object_iter_next (&msg_iter, &msg_key, &msg_value))
            json_object_set_member (msg, msg_key, json_node_copy (msg_value));
          json_object_set_member (msg, "tags", json_node_copy (tags));
          json_object_set_object_member (wire, "msg", msg);
        }
      else if (!g_str_equal (key, "tags") && !g_str_equal (key, "wzrkParams"))
        json_object_set_member (wire, key, json_node_copy (value));
    }

  if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
    {
      json_object_iter_init (&iter, json_node_get_object (params));
      while (json_object_iter_next (&iter, &key, &value))
        if (g_str_has_prefix (key, "wzrk_") && !json_object_has_member (wire, key))
          json_object_set_member (wire, key, json_node_copy (value));
    }

  return wire;
}

static InboxPayloadItem *
parse_one (JsonNode          *node,
           guint              index,
           const char        *raw,
           gsize              raw_length,
           const GError      *problem,
           gint64             now,
           InboxPayloadFlags  flags)
{
  InboxPayloadItem *item = g_new0 (InboxPayloadItem, 1);
  JsonObject *object;

  item->index = index;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (&item->error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                   "expected a message object, got %s", inbox_json_describe (node));
      return item;
    }

  object = json_node_get_object (node);
  item->id = usable_id (object, problem);

  /* what json-glib read is not what the bytes say: not a message */
  if (problem != NULL)
    {
      item->error = g_error_copy (problem);
      return item;
    }

  if ((flags & INBOX_PAYLOAD_FLAGS_ANY_SHAPE) != 0 && is_get_data_shape (object))
    {
      /* stored as the wire message it stands for */
      item->get_data = TRUE;
      item->json = from_get_data (object);
      g_clear_pointer (&item->id, g_free);
      item->id = usable_id (item->json, NULL);
      item->message = inbox_message_new_from_json (item->json, NULL, 0, now, &item->error);
    }
  else
    {
      item->json = json_object_ref (object);
      item->message = inbox_message_new_from_json (object, raw, raw_length, now, &item->error);
    }

  if (item->message != NULL && (flags & INBOX_PAYLOAD_FLAGS_QUIET) == 0)
    {
      const char *type_name = inbox_message_get_type_name (item->message);
      InboxTemplate ignored;

      if (!inbox_template_from_string (type_name, &ignored))
        log_unknown_template_once (type_name != NULL ? type_name : "(none)");
    }

  return item;
}

/* One message, in either shape: what a developer's file may be when it is
 * neither an envelope nor an array. */
static gboolean
is_message_like (JsonObject *object)
{
  return json_object_has_member (object, "_id") || json_object_has_member (object, "msg") ||
         json_object_has_member (object, "id");
}

/* "a, b, c" (the first few keys, in order), or "none" */
static char *
describe_keys (JsonObject *object)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GList) keys = json_object_get_members (object);
  guint n = 0;

  for (GList *l = keys; l != NULL; l = l->next, n++)
    {
      if (n == 5)
        {
          g_string_append (out, ", …");
          break;
        }
      if (n > 0)
        g_string_append (out, ", ");
      for (const char *p = l->data; *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
        else
          g_string_append_c (out, *p);
    }

  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : g_strdup ("none");
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
  g_auto(InboxJsonScan) scan = { 0 };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array = NULL;
  JsonNode *root;
  const char *envelope = "array";
  gboolean any_shape = (flags & INBOX_PAYLOAD_FLAGS_ANY_SHAPE) != 0;
  guint n;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!check_utf8 (data, length, error))
    return NULL;
  if (!inbox_json_scan (data, length, INBOX_PAYLOAD_MAX_DEPTH, "inbox_notifs", &scan, error))
    {
      prefix_scan_error (error);
      return NULL;
    }

  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON, "too large");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_autofree char *reason = NULL;

      /* strict JSON that json-glib refuses: what the scan found explains it
       * (a high surrogate followed by another escape) */
      if (scan.first != NULL)
        reason = g_strdup (scan.first->message);
      else
        reason = describe_parse_error (local_error->message);

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
           (json_object_has_member (json_node_get_object (root), "inbox_notifs") ||
            (any_shape && json_object_has_member (json_node_get_object (root), "inbox_notifs_v2"))))
    {
      JsonNode *notifs;

      if (!json_object_has_member (json_node_get_object (root), "inbox_notifs"))
        {
          /* the spans of the V2 envelope's messages */
          envelope = "inbox_notifs_v2";
          inbox_json_scan_clear (&scan);
          if (!inbox_json_scan (data, length, INBOX_PAYLOAD_MAX_DEPTH, envelope, &scan, error))
            {
              prefix_scan_error (error);
              return NULL;
            }
        }
      else
        envelope = "inbox_notifs";
      notifs = json_object_get_member (json_node_get_object (root), envelope);

      /* around the messages, a problem is the whole payload's */
      if (scan.problem != NULL)
        {
          g_set_error_literal (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD, scan.problem->message);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_ARRAY (notifs))
        {
          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD,
                       "%s: expected an array, got %s", envelope, inbox_json_describe (notifs));
          return NULL;
        }
      array = json_node_get_array (notifs);
    }
  else if (JSON_NODE_HOLDS_OBJECT (root) && any_shape && !is_message_like (json_node_get_object (root)))
    {
      g_autofree char *keys = describe_keys (json_node_get_object (root));

      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD,
                   "not a payload: an object with none of inbox_notifs, inbox_notifs_v2, _id or msg "
                   "(a message) or id (a message from Android's getData()); its keys: %s", keys);
      return NULL;
    }
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      gsize start = 0, end = length;
      InboxPayloadItem *item;

      while (start < end && is_space (data[start]))
        start++;
      while (end > start && is_space (data[end - 1]))
        end--;
      item = parse_one (root, 0, data + start, end - start, scan.problem, now, flags);
      item->envelope = "message";
      g_ptr_array_add (items, item);
      return g_steal_pointer (&items);
    }
  else
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD,
                   "expected a message, an array of messages or a sync response, got %s",
                   inbox_json_describe (root));
      return NULL;
    }

  /* The scan decodes keys as json-glib does and refuses duplicates, so it
   * finds the very elements json-glib gives; should that ever fail, nothing
   * is stored rather than bytes that were not validated. */
  n = json_array_get_length (array);
  if (scan.spans->len != n)
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON,
                   "not JSON: the pre-scan found %u messages where the parser found %u", scan.spans->len, n);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      const InboxJsonSpan *span = &g_array_index (scan.spans, InboxJsonSpan, i);

      InboxPayloadItem *item = parse_one (json_array_get_element (array, i), i,
                                          data + span->start, span->end - span->start,
                                          span->problem, now, flags);

      item->envelope = envelope;
      g_ptr_array_add (items, item);
    }

  return g_steal_pointer (&items);
}

/* As inbox_payload_parse() with INBOX_PAYLOAD_FLAGS_ANY_SHAPE; errors name
 * the file. */
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
  items = inbox_payload_parse (data != NULL ? data : "", length, now,
                               flags | INBOX_PAYLOAD_FLAGS_ANY_SHAPE, &local_error);
  if (items == NULL)
    {
      g_autofree char *display = g_filename_display_name (filename);

      g_set_error (error, local_error->domain, local_error->code,
                   "%s: %s", display, local_error->message);
      return NULL;
    }

  return items;
}
