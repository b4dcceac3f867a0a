/* inbox-preview.c
 *
 * The messages of a payload file as the inbox shows them (--render and
 * --preview): the valid ones, newest first, without those that have
 * expired; what is left out and why said line by line for the terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-preview"

#include "config.h"

#include "inbox-payload.h"
#include "inbox-preview.h"

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  InboxMessage *x = *(InboxMessage **) a, *y = *(InboxMessage **) b;
  gint64 dx = inbox_message_get_date (x), dy = inbox_message_get_date (y);

  if (dx != dy)
    return dx > dy ? -1 : 1;
  return g_strcmp0 (inbox_message_get_id (x), inbox_message_get_id (y));
}

static char *
format_moment (gint64 epoch)
{
  g_autoptr(GDateTime) moment = g_date_time_new_from_unix_utc (epoch);

  return moment != NULL ? g_date_time_format_iso8601 (moment) : g_strdup_printf ("%" G_GINT64_FORMAT, epoch);
}

/**
 * inbox_preview_read_file:
 * @now: the moment expiry is judged at
 * @include_expired: whether expired messages are kept (and said so) or
 *   left out (and said so)
 * @report: where the lines for the terminal go: each warning, each message
 *   left out and why, each expired one and when it expired
 * @left_out: (out): whether an invalid message was left out
 *
 * The messages of a payload file as the inbox shows them, newest first.
 * The file is read whole first (not mapped: an editor may truncate it while
 * it is read). Runs in any thread.
 *
 * Returns: (transfer container) (element-type InboxMessage): the messages,
 *   or %NULL when the file cannot be read or is not a payload at all
 */
GPtrArray *
inbox_preview_read_file (const char  *filename,
                         gint64       now,
                         gboolean     include_expired,
                         GString     *report,
                         gboolean    *left_out,
                         GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  GPtrArray *messages;
  gsize length = 0;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (report != NULL, NULL);

  *left_out = FALSE;
  if (!g_file_get_contents (filename, &data, &length, error))
    return NULL;

  /* the warnings are said here, per message, rather than logged */
  items = inbox_payload_parse (data, length, now, INBOX_PAYLOAD_FLAGS_QUIET, &local_error);
  if (items == NULL)
    {
      g_autofree char *display = g_filename_display_name (filename);

      g_set_error (error, local_error->domain, local_error->code, "%s: %s", display, local_error->message);
      return NULL;
    }

  messages = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);

      if (item->message != NULL)
        {
          const char *id = inbox_message_get_id (item->message);

          for (const char * const *w = inbox_message_get_warnings (item->message); *w != NULL; w++)
            g_string_append_printf (report, "app-inbox: %s: %s\n", id, *w);

          if (inbox_message_is_expired (item->message, now))
            {
              gint64 expires = inbox_message_get_expires (item->message);
              g_autofree char *when = format_moment (expires);

              /* the inbox never shows it: neither does the preview */
              g_string_append_printf (report, "app-inbox: %s: %s: expired at %s (wzrk_ttl %" G_GINT64_FORMAT ")\n",
                                      id, include_expired ? "drawn, marked expired" : "left out",
                                      when, expires);
              if (!include_expired)
                continue;
            }

          g_ptr_array_add (messages, g_object_ref (item->message));
          continue;
        }

      *left_out = TRUE;
      if (item->id != NULL)
        g_string_append_printf (report, "app-inbox: %s: left out: %s\n", item->id, item->error->message);
      else
        g_string_append_printf (report, "app-inbox: #%u: left out: %s\n", item->index, item->error->message);
    }

  g_ptr_array_sort (messages, compare_newest_first);
  return messages;
}
