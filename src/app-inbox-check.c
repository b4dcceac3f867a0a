/* app-inbox-check.c
 *
 * Validates a payload file without a display and without the cache: one line
 * per message, "<_id or #index>: ok (<type>[, expired][, <warning>]...)" or
 * "<_id or #index>: invalid: <field path>: <reason>".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-inbox-check.h"
#include "inbox-payload.h"

/* Control characters in ids and reasons are escaped: one message, one line. */
static char *
printable (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
print_item (InboxPayloadItem *item,
            gint64            now,
            FILE             *out)
{
  g_autofree char *label = item->id != NULL ? printable (item->id)
                                            : g_strdup_printf ("#%u", item->index);
  g_autoptr(GString) line = g_string_new (NULL);

  if (item->message == NULL)
    {
      g_autofree char *reason = printable (item->error->message);

      fprintf (out, "%s: invalid: %s\n", label, reason);
      return;
    }

  g_string_append_printf (line, "%s: ok (%s", label,
                          inbox_template_to_string (inbox_message_get_template (item->message)));
  if (inbox_message_is_expired (item->message, now))
    g_string_append (line, ", expired");
  for (const char * const *w = inbox_message_get_warnings (item->message); *w != NULL; w++)
    {
      g_autofree char *warning = printable (*w);

      g_string_append_printf (line, ", %s", warning);
    }
  g_string_append (line, ")");

  fprintf (out, "%s\n", line->str);
}

/**
 * app_inbox_check_file:
 *
 * Returns: APP_INBOX_CHECK_VALID when every message is valid,
 *   APP_INBOX_CHECK_INVALID when any is not, APP_INBOX_CHECK_UNREADABLE when
 *   the file cannot be read or is not JSON (said on @err).
 */
int
app_inbox_check_file (const char *filename,
                      gint64      now,
                      FILE       *out,
                      FILE       *err)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all_valid = TRUE;

  items = inbox_payload_parse_file (filename, now, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  if (items == NULL)
    {
      g_autofree char *reason = printable (error->message);

      fprintf (err, "app-inbox: %s\n", reason);
      return APP_INBOX_CHECK_UNREADABLE;
    }

  for (guint i = 0; i < items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);

      print_item (item, now, out);
      all_valid = all_valid && item->message != NULL;
    }

  if (items->len == 0)
    fprintf (err, "app-inbox: %s: no messages\n", filename);

  fflush (out);
  return all_valid ? APP_INBOX_CHECK_VALID : APP_INBOX_CHECK_INVALID;
}
