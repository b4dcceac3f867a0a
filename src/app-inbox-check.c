/* app-inbox-check.c
 *
 * Validates a payload file without a display and without the cache: one line
 * per message, "<_id or #index>: ok (<type>[, expired][, <warning>]...)" or
 * "<_id or #index>: invalid: <field path>: <reason>", then for a valid one a
 * line per thing Android or iOS does otherwise ("  android: no buttons
 * (…)"). With --json, one JSON document instead (docs/check-json.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "app-inbox-check.h"
#include "inbox-payload.h"
#include "inbox-platform.h"

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

/* "msg.content[0].title.color: …" → path "msg.content[0].title.color" and
 * the rest; a text that does not start with a path has the path "". */
static void
split_path (const char  *text,
            char       **path,
            char       **message)
{
  const char *colon = strstr (text, ": ");

  if (colon != NULL && colon > text && memchr (text, ' ', colon - text) == NULL)
    {
      *path = g_strndup (text, colon - text);
      *message = g_strdup (colon + 2);
    }
  else
    {
      *path = g_strdup ("");
      *message = g_strdup (text);
    }
}

/* What the desktop shows: the labels of the slots that hold a button. */
static GStrv
desktop_buttons (InboxMessage *message)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  InboxTemplate template_ = inbox_message_get_template (message);
  InboxContent *content;

  if (template_ == INBOX_TEMPLATE_SIMPLE || template_ == INBOX_TEMPLATE_ICON)
    {
      content = inbox_message_get_content (message, 0);
      for (guint i = 0; i < inbox_content_get_n_links (content); i++)
        if (inbox_content_get_link (content, i) != NULL)
          g_strv_builder_add (builder, inbox_link_get_text (inbox_content_get_link (content, i)));
    }

  return g_strv_builder_end (builder);
}

static const char *
desktop_card_link (InboxMessage *message)
{
  return inbox_content_get_url (inbox_message_get_content (message, 0));
}

static char *
quoted_list (const char * const *labels)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; labels[i] != NULL; i++)
    {
      g_autofree char *label = printable (labels[i]);

      g_string_append_printf (out, "%s\"%s\"", i > 0 ? ", " : "", label);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
print_platform_line (FILE          *out,
                     InboxPlatform  platform,
                     const char    *what,
                     const char    *reason)
{
  g_autofree char *printable_what = printable (what);
  g_autofree char *printable_reason = reason != NULL ? printable (reason) : NULL;

  if (printable_reason != NULL)
    fprintf (out, "  %s: %s (%s)\n", inbox_platform_to_string (platform), printable_what, printable_reason);
  else
    fprintf (out, "  %s: %s\n", inbox_platform_to_string (platform), printable_what);
}

/* One line per thing the platform does otherwise than App Inbox. */
static void
print_platform_differences (InboxPayloadItem *item,
                            gint64            now,
                            FILE             *out)
{
  InboxMessage *message = item->message;
  gboolean desktop_shown = !inbox_message_is_expired (message, now);
  g_auto(GStrv) buttons = desktop_buttons (message);
  gint64 expires = inbox_message_get_expires (message);

  for (guint p = 0; p < INBOX_N_PLATFORMS; p++)
    {
      g_autoptr(InboxPlatformPrediction) prediction = inbox_platform_predict (item->json, p, now);

      if (!prediction->shown)
        {
          if (desktop_shown)
            print_platform_line (out, p, "not shown", prediction->shown_reason);
          continue;
        }
      if (!desktop_shown)
        print_platform_line (out, p, "shown", "not expired there");

      if (g_strcmp0 (prediction->template_name,
                     inbox_template_to_string (inbox_message_get_template (message))) != 0)
        {
          g_autofree char *what = g_strdup_printf ("shown as %s", prediction->template_name);

          print_platform_line (out, p, what, prediction->template_reason);
        }

      if (g_strcmp0 (prediction->card_link, desktop_card_link (message)) != 0)
        {
          g_autofree char *what = prediction->card_link != NULL
                                  ? g_strdup_printf ("card link %s", prediction->card_link)
                                  : g_strdup ("no card link");

          print_platform_line (out, p, what, prediction->card_link_reason);
        }

      if (!g_strv_equal ((const char * const *) prediction->buttons, (const char * const *) buttons))
        {
          g_autofree char *list = quoted_list ((const char * const *) prediction->buttons);
          g_autofree char *what = prediction->buttons[0] == NULL ? g_strdup ("no buttons")
                                                                 : g_strdup_printf ("buttons %s", list);

          print_platform_line (out, p, what,
                               prediction->buttons_reason != NULL ? prediction->buttons_reason
                                                                  : "by index, whatever their type");
        }

      if (prediction->expiry == INBOX_EXPIRY_AFTER_ARRIVAL && expires <= 0)
        print_platform_line (out, p, "expires 24 h after arrival", prediction->expires_reason);
      else if (prediction->expiry == INBOX_EXPIRY_AT && prediction->expires != expires)
        {
          g_autofree char *what = g_strdup_printf ("expires at %" G_GINT64_FORMAT, prediction->expires);

          print_platform_line (out, p, what, prediction->expires_reason);
        }
      else if (prediction->expiry == INBOX_EXPIRY_NEVER && expires > 0)
        print_platform_line (out, p, "never expires", prediction->expires_reason);

      for (guint i = 0; prediction->notes[i] != NULL; i++)
        print_platform_line (out, p, prediction->notes[i], NULL);
    }
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
  print_platform_differences (item, now, out);
}

/* --check --json: docs/check-json.md and docs/check.schema.json */

static void
add_path_message (JsonBuilder *builder,
                  const char  *text)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  split_path (text, &path, &message);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_expires (JsonBuilder *builder,
             InboxExpiry  expiry,
             gint64       expires)
{
  json_builder_set_member_name (builder, "expires");
  if (expiry == INBOX_EXPIRY_AT)
    json_builder_add_int_value (builder, expires);
  else
    json_builder_add_string_value (builder, expiry == INBOX_EXPIRY_NEVER ? "never" : "24h-after-arrival");
}

static void
add_platform (JsonBuilder             *builder,
              InboxPlatformPrediction *prediction)
{
  json_builder_set_member_name (builder, inbox_platform_to_string (prediction->platform));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shown");
  json_builder_add_boolean_value (builder, prediction->shown);
  if (!prediction->shown)
    add_nullable_string (builder, "reason", prediction->shown_reason);
  add_nullable_string (builder, "template", prediction->template_name);
  add_nullable_string (builder, "card_link", prediction->card_link);
  json_builder_set_member_name (builder, "buttons");
  json_builder_begin_array (builder);
  for (guint i = 0; prediction->buttons[i] != NULL; i++)
    json_builder_add_string_value (builder, prediction->buttons[i]);
  json_builder_end_array (builder);
  add_expires (builder, prediction->expiry, prediction->expires);
  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; prediction->notes[i] != NULL; i++)
    json_builder_add_string_value (builder, prediction->notes[i]);
  for (const char *reason = prediction->buttons_reason; reason != NULL; reason = NULL)
    {
      g_autofree char *note = g_strdup_printf ("buttons: %s", reason);

      json_builder_add_string_value (builder, note);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_item (JsonBuilder      *builder,
          InboxPayloadItem *item,
          gint64            now)
{
  InboxMessage *message = item->message;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, item->index);
  add_nullable_string (builder, "id", item->id);
  json_builder_set_member_name (builder, "shape");
  json_builder_add_string_value (builder, item->get_data ? "getData" : "wire");
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, message != NULL);
  if (message == NULL)
    {
      json_builder_set_member_name (builder, "error");
      add_path_message (builder, item->error->message);
    }

  add_nullable_string (builder, "template",
                       message != NULL ? inbox_template_to_string (inbox_message_get_template (message)) : NULL);
  json_builder_set_member_name (builder, "expired");
  json_builder_add_boolean_value (builder, message != NULL && inbox_message_is_expired (message, now));
  if (message != NULL)
    add_expires (builder, inbox_message_get_expires (message) > 0 ? INBOX_EXPIRY_AT : INBOX_EXPIRY_NEVER,
                 inbox_message_get_expires (message));
  else
    {
      json_builder_set_member_name (builder, "expires");
      json_builder_add_null_value (builder);
    }
  add_nullable_string (builder, "card_link", message != NULL ? desktop_card_link (message) : NULL);

  json_builder_set_member_name (builder, "buttons");
  json_builder_begin_array (builder);
  if (message != NULL && (inbox_message_get_template (message) == INBOX_TEMPLATE_SIMPLE ||
                          inbox_message_get_template (message) == INBOX_TEMPLATE_ICON))
    {
      InboxContent *content = inbox_message_get_content (message, 0);

      for (guint i = 0; i < inbox_content_get_n_links (content); i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "slot");
          json_builder_add_int_value (builder, i + 1);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, inbox_content_get_slot_label (content, i));
          add_nullable_string (builder, "type", inbox_content_get_slot_type (content, i));
          json_builder_set_member_name (builder, "shown");
          json_builder_add_boolean_value (builder, inbox_content_get_link (content, i) != NULL);
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  if (message != NULL)
    for (const char * const *w = inbox_message_get_warnings (message); *w != NULL; w++)
      add_path_message (builder, *w);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "platforms");
  if (item->json != NULL)
    {
      json_builder_begin_object (builder);
      for (guint p = 0; p < INBOX_N_PLATFORMS; p++)
        {
          g_autoptr(InboxPlatformPrediction) prediction = inbox_platform_predict (item->json, p, now);

          add_platform (builder, prediction);
        }
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);
}

static void
print_json (GPtrArray *items,
            gint64     now,
            FILE      *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "envelope");
  json_builder_add_string_value (builder, items->len > 0
                                          ? ((InboxPayloadItem *) g_ptr_array_index (items, 0))->envelope
                                          : "array");
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    add_item (builder, g_ptr_array_index (items, i), now);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  fprintf (out, "%s\n", text);
}

/**
 * app_inbox_check_file:
 *
 * As app_inbox_check_file_full() without flags.
 */
int
app_inbox_check_file (const char *filename,
                      gint64      now,
                      FILE       *out,
                      FILE       *err)
{
  return app_inbox_check_file_full (filename, now, APP_INBOX_CHECK_FLAGS_NONE, out, err);
}

/**
 * app_inbox_check_file_full:
 * @flags: APP_INBOX_CHECK_FLAGS_JSON for one JSON document on @out
 *
 * Returns: APP_INBOX_CHECK_VALID when every message is valid,
 *   APP_INBOX_CHECK_INVALID when any is not, APP_INBOX_CHECK_UNREADABLE when
 *   the file cannot be read, is not JSON or is no payload (said on @err,
 *   also with --json).
 */
int
app_inbox_check_file_full (const char          *filename,
                           gint64               now,
                           AppInboxCheckFlags   flags,
                           FILE                *out,
                           FILE                *err)
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

      if ((flags & APP_INBOX_CHECK_FLAGS_JSON) == 0)
        print_item (item, now, out);
      all_valid = all_valid && item->message != NULL;
    }

  if ((flags & APP_INBOX_CHECK_FLAGS_JSON) != 0)
    print_json (items, now, out);

  if (items->len == 0)
    fprintf (err, "app-inbox: %s: no messages\n", filename);

  fflush (out);
  return all_valid ? APP_INBOX_CHECK_VALID : APP_INBOX_CHECK_INVALID;
}
