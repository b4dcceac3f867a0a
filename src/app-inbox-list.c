/* app-inbox-list.c: the cached inbox of the current user on stdout,
 * newest first, with an optional sync before it (no display needed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "app-inbox"

#include "config.h"

#include <glib/gi18n.h>

#include "app-inbox-list.h"
#include "inbox-store.h"
#include "inbox-sync.h"

/* For the command line, before any main loop runs: the callback keeps the
 * result, and app_inbox_wait_for() turns the default context until it has. */
void
app_inbox_store_result_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
app_inbox_wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static char *
format_date (gint64 date)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (date);

  return time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("");
}

static const char *
first_title (InboxMessage *message)
{
  InboxContent *content = inbox_message_get_n_contents (message) > 0 ? inbox_message_get_content (message, 0) : NULL;
  const char *title = content != NULL ? inbox_content_get_title (content) : NULL;

  return title != NULL ? title : "";
}

static void
print_text (InboxStore *store,
            FILE       *out)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *date = format_date (inbox_message_get_date (message));
      g_autofree char *tags = g_strjoinv (",", (char **) inbox_message_get_tags (message));
      g_autofree char *title = NULL;
      g_autoptr(GError) error = NULL;

      if (!inbox_message_load (message, &error))
        title = g_strdup_printf ("(unreadable: %s)", error->message);
      else
        title = g_strdup (first_title (message));
      /* one message a line: tabs and newlines in a title would break it */
      g_strdelimit (title, "\t\n\r", ' ');

      fprintf (out, "%s\t%s\t%s\t%s\t%s\t%s\n",
               inbox_message_get_id (message),
               inbox_message_get_type_name (message),
               date,
               inbox_message_get_read (message) ? "read" : "unread",
               *tags != '\0' ? tags : "-",
               title);
    }
}

static void
print_json (InboxStore *store,
            FILE       *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (store), i);
      gboolean loaded = inbox_message_load (message, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, inbox_message_get_id (message));
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, inbox_message_get_type_name (message));
      json_builder_set_member_name (builder, "date");
      json_builder_add_int_value (builder, inbox_message_get_date (message));
      json_builder_set_member_name (builder, "read");
      json_builder_add_boolean_value (builder, inbox_message_get_read (message));
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (const char * const *tag = inbox_message_get_tags (message); *tag != NULL; tag++)
        json_builder_add_string_value (builder, *tag);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, loaded ? first_title (message) : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  fprintf (out, "%s\n", text);
}

/**
 * app_inbox_list:
 *
 * Returns: the exit status: 0, 1 when the sync or the cache failed (the
 *   reason on @err), 2 when there is no account to list
 */
int
app_inbox_list (InboxAccount *account,
                const char   *cache_path,
                gboolean      sync,
                gboolean      json,
                FILE         *out,
                FILE         *err)
{
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *user = inbox_account_get_user (account);

  if (*user == '\0')
    {
      fprintf (err, _("app-inbox: there is no account yet: give --server, --user and --token-file\n"));
      return 2;
    }

  cache = inbox_cache_new (cache_path, &error);
  if (cache == NULL)
    {
      fprintf (err, "app-inbox: %s\n", error->message);
      return 1;
    }
  store = inbox_store_new (cache, user);

  if (sync)
    {
      g_autoptr(GAsyncResult) loaded = NULL, synced = NULL;
      g_autoptr(InboxSync) syncer = NULL;

      if (inbox_account_get_token (account) == NULL)
        {
          inbox_account_load_token_async (account, NULL, app_inbox_store_result_cb, &loaded);
          if (!inbox_account_load_token_finish (account, app_inbox_wait_for (&loaded), &error))
            {
              fprintf (err, _("app-inbox: could not read the token of %s: %s\n"), user, error->message);
              return 1;
            }
        }
      if (inbox_account_get_token (account) == NULL)
        {
          fprintf (err, _("app-inbox: the keyring holds no token for %s at %s: give --token-file\n"),
                   user, inbox_account_get_server_url (account));
          return 1;
        }

      syncer = inbox_sync_new (store, inbox_account_get_server_url (account), inbox_account_get_token (account));
      inbox_sync_run_async (syncer, NULL, app_inbox_store_result_cb, &synced);
      if (!inbox_sync_run_finish (syncer, app_inbox_wait_for (&synced), &error))
        {
          fprintf (err, _("app-inbox: the sync failed: %s\n"), error->message);
          return 1;
        }
    }
  else if (!inbox_store_load (store, &error))
    {
      fprintf (err, "app-inbox: %s\n", error->message);
      return 1;
    }

  if (json)
    print_json (store, out);
  else
    print_text (store, out);
  return 0;
}
