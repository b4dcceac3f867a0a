/* test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "test-util.h"

const char *test_util_media_url = NULL;

static const char * const templates[] = { "simple", "message-icon", "carousel", "carousel-image" };

/* One message of template index % 4, about 1 KiB, with every kind of field. */
void
test_util_append_message (GString    *out,
                          guint       index,
                          const char *label,
                          gint64      date,
                          gint64      ttl)
{
  const char *type = templates[index % G_N_ELEMENTS (templates)];
  guint n_items = index % 4 >= 2 ? 3 : 1;

  g_string_append_printf (out,
                          "{\"_id\":\"msg-%06u\",\"date\":%" G_GINT64_FORMAT ",\"wzrk_ttl\":%" G_GINT64_FORMAT ","
                          "\"wzrk_id\":\"campaign-%u\",\"wzrk_pivot\":\"wzrk_default\",\"isRead\":%s,"
                          "\"msg\":{\"type\":\"%s\",\"bg\":\"#FFF8E1\",\"orientation\":\"%s\","
                          "\"tags\":[\"%s\"],\"custom_kv\":[{\"key\":\"label\",\"value\":{\"text\":\"%s\"}}],"
                          "\"content\":[",
                          index, date, ttl, index % 97, index % 5 == 0 ? "true" : "false",
                          type, index % 2 ? "l" : "p", index % 3 == 0 ? "Offers" : "News", label);

  for (guint item = 0; item < n_items; item++)
    {
      g_autofree char *media = test_util_media_url != NULL
        ? g_strdup (test_util_media_url)
        : g_strdup_printf ("https://media.example.com/%u/%u.png", index, item);

      g_string_append_printf (out,
                            "%s{\"title\":{\"text\":\"%s title %u.%u\",\"color\":\"#3E2723\"},"
                            "\"message\":{\"text\":\"Message body %u, slide %u, a sentence long enough to wrap "
                            "over two lines in a card of the inbox.\",\"color\":\"#5D4037\"},"
                            "\"media\":{\"url\":\"%s\",\"content_type\":\"image/png\","
                            "\"alt_text\":\"Picture %u\"},"
                            "\"icon\":{\"url\":\"https://media.example.com/icon/%u.png\",\"alt_text\":\"Icon\"},"
                            "\"action\":{\"hasUrl\":true,\"url\":{\"desktop\":{\"text\":\"https://example.com/%u/%u\"}},"
                            "\"hasLinks\":true,\"links\":[{\"type\":\"url\",\"text\":\"Open\",\"color\":\"#FFFFFF\","
                            "\"bg\":\"#6D4C41\",\"url\":{\"android\":{\"text\":\"https://example.com/b/%u\"}}},"
                            "{\"type\":\"copy\",\"text\":\"Copy\",\"copyText\":{\"text\":\"CODE%u\"}}]}}",
                            item == 0 ? "" : ",", label, index, item, index, item, media, index,
                            index, index, item, index, index);
    }

  g_string_append (out, "]}}");
}

/* A sync response of @count messages, dates descending from @first_date. */
char *
test_util_messages_json (guint       count,
                         const char *label,
                         gint64      first_date)
{
  GString *out = g_string_new ("{\"user\":\"alice\",\"cursor\":\"c\",\"more\":false,\"inbox_notifs\":[");

  for (guint i = 0; i < count; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      test_util_append_message (out, i, label, first_date - i, 0);
    }
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
}

/* Every message of @json, all of them expected to be valid. */
GPtrArray *
test_util_parse_messages (const char *json,
                          gint64      now)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *messages;

  items = inbox_payload_parse (json, strlen (json), now, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);

  messages = g_ptr_array_new_full (items->len, g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);

      g_assert_no_error (item->error);
      g_ptr_array_add (messages, g_object_ref (item->message));
    }

  return messages;
}

/* A small simple message. @tags_json is a JSON array or NULL. */
InboxMessage *
test_util_message (const char *id,
                   gint64      date,
                   gint64      ttl,
                   gboolean    read,
                   const char *tags_json,
                   const char *title)
{
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  json = g_strdup_printf ("{\"_id\":\"%s\",\"date\":%" G_GINT64_FORMAT ",\"wzrk_ttl\":%" G_GINT64_FORMAT ","
                          "\"wzrk_id\":\"w-%s\",\"isRead\":%s,\"msg\":{\"type\":\"simple\",\"tags\":%s,"
                          "\"content\":[{\"title\":{\"text\":\"%s\"}}]}}",
                          id, date, ttl, id, read ? "true" : "false", tags_json ? tags_json : "[]", title);
  messages = test_util_parse_messages (json, date);

  return g_object_ref (g_ptr_array_index (messages, 0));
}

char *
test_util_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("app-inbox-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
test_util_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          test_util_rm_rf (child);
        }
    }

  g_remove (path);
}
