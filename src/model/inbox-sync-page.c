/* inbox-sync-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-payload.h"
#include "inbox-json-budget.h"
#include "inbox-sync-page.h"
#include "inbox-sync.h"

void
inbox_sync_page_free (InboxSyncPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_clear_pointer (&page->deleted, g_ptr_array_unref);
  g_free (page->cursor);
  g_free (page);
}

/**
 * inbox_sync_page_parse:
 * @body: the whole answer
 * @user: the user whose inbox was asked for; a page that names another is
 *   refused (a page that names none is taken)
 * @limit: the `limit` of the request (at least 1): a page holding more
 *   messages is refused
 * @now: epoch seconds, for the messages' expiry
 *
 * Checks every member the API gives a page: an object with `cursor`
 * (string), `more` (boolean), `inbox_notifs` (array of at most @limit
 * messages), optional `user` and `deleted` (array of ids). Each message is
 * validated on its own: an invalid one is an item with its error, not a
 * failure of the page.
 *
 * Returns: (transfer full) (nullable): the page, or %NULL with @error set
 *   (INBOX_SYNC_ERROR_BAD_RESPONSE, naming the member and the limit)
 */
InboxSyncPage *
inbox_sync_page_parse (GBytes      *body,
                       const char  *user,
                       guint        limit,
                       gint64       now,
                       GError     **error)
{
  g_autoptr(InboxSyncPage) page = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonArray *deleted;
  const char *text;
  gsize length;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  page = g_new0 (InboxSyncPage, 1);
  text = g_bytes_get_data (body, &length);
  if (text == NULL)
    text = "";

  /* a tree of its values costs about 100 bytes each, however small they are */
  if (!inbox_json_check_budget (text, length, INBOX_JSON_PAGE_MAX_VALUES, &local_error))
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent a page that is too large to read: %s"), local_error->message);
      return NULL;
    }
  page->items = inbox_payload_parse_full (text, length, now, INBOX_PAYLOAD_FLAGS_QUIET, &root, &local_error);
  if (page->items == NULL)
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent a page that does not parse: %s"), local_error->message);
      return NULL;
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent a page that is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  member = json_object_get_member (object, "user");
  if (member != NULL && (json_node_get_value_type (member) != G_TYPE_STRING ||
                         g_strcmp0 (json_node_get_string (member), user) != 0))
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent the inbox of another user than %s"), user != NULL ? user : "(none)");
      return NULL;
    }

  member = json_object_get_member (object, "cursor");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent a page without a cursor"));
      return NULL;
    }
  page->cursor = g_strdup (json_node_get_string (member));

  member = json_object_get_member (object, "more");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent a page without “more”"));
      return NULL;
    }
  page->more = json_node_get_boolean (member);

  /* without it, the payload parser took the page itself for one message */
  member = json_object_get_member (object, "inbox_notifs");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent a page without “inbox_notifs”"));
      return NULL;
    }
  if (page->items->len > limit)
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent a page of %u messages, more than the %u asked for"),
                   page->items->len, limit);
      return NULL;
    }

  page->deleted = g_ptr_array_new_with_free_func (g_free);
  member = json_object_get_member (object, "deleted");
  if (member == NULL)
    return g_steal_pointer (&page);
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                   _("The server sent a page whose “deleted” is not a list"));
      return NULL;
    }
  deleted = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (deleted); i++)
    {
      JsonNode *id = json_array_get_element (deleted, i);

      if (json_node_get_value_type (id) != G_TYPE_STRING)
        {
          g_set_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                       _("The server sent a page whose deleted[%u] is not an id"), i);
          return NULL;
        }
      g_ptr_array_add (page->deleted, g_strdup (json_node_get_string (id)));
    }

  return g_steal_pointer (&page);
}
