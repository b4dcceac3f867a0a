/* app-inbox-commands.c
 *
 * The command line's one-shot commands, run before the application
 * registers: --version, --check and --render need no cache and no window;
 * --server/--user/--token-file set the account and go on; --list prints the
 * cache (after a sync with --sync).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "app-inbox"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include <adwaita.h>

#include "app-inbox-check.h"
#include "app-inbox-commands.h"
#include "app-inbox-list.h"
#include "inbox-preview.h"
#include "inbox-render.h"

/* Every option of the command line. */
const GOptionEntry app_inbox_option_entries[] = {
  { "check", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Validate a payload file (a message, an array or a sync response) and exit"), N_("FILE") },
  { "render", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Render the messages of a payload file to a PNG (with --output) and exit"), N_("FILE") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, NULL, N_("Where --render writes its PNG"), N_("OUT.png") },
  { "width", 0, 0, G_OPTION_ARG_INT, NULL, N_("The width --render lays the cards out at (default 480)"), N_("PX") },
  { "dark", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Render in the dark style"), NULL },
  { "rtl", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Render right to left"), NULL },
  { "include-expired", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --render: draw expired messages too, marked (the inbox leaves them out)"), NULL },
  { "now", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64, NULL, "The time relative dates are counted from", "EPOCH" },
  { "preview", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Show the messages of a payload file in a window, with no server and no cache"), N_("FILE") },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Once the messages and their media are shown, save the window to a PNG and quit"), N_("OUT.png") },
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The inbox server (with --user and --token-file): set the account and go on"), N_("URL") },
  { "user", 0, 0, G_OPTION_ARG_STRING, NULL, N_("The user whose inbox to show"), N_("NAME") },
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("A file holding the user's token; it goes to the keyring"), N_("FILE") },
  { "no-keyring", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Keep the token in memory only, not in the keyring (for demos and scripts)"), NULL },
  { "list", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the cached inbox (id, type, date, read, tags, title), newest first, and exit"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --list or --check: print JSON"), NULL },
  { "sync", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --list: start a session and sync first"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  /* only for `--check --json FILE`, where --check would take --json for its file */
  { G_OPTION_REMAINING, 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

/* The messages of @filename the inbox would show, newest first; the
 * others (invalid, or expired unless @include_expired) said on stderr.
 * Returns NULL (and says why) when the file cannot be read. */
static GPtrArray *
load_payload_file (const char *filename,
                   gint64      now,
                   gboolean    include_expired,
                   gboolean   *left_out)
{
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *messages;

  messages = inbox_preview_read_file (filename, now, include_expired, report, left_out, &error);
  fputs (report->str, stderr);
  if (messages == NULL)
    g_printerr ("app-inbox: %s\n", error->message);

  return messages;
}

/* A media cache that reads paths relative to the payload file and keeps
 * downloads in a folder of this process's. */
InboxMediaCache *
app_inbox_media_for_file (const char  *filename,
                          char       **temp_dir)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (filename);
  g_autoptr(GFile) base = g_file_get_parent (file);
  g_autofree char *downloads = NULL;
  InboxMediaCache *media;

  if (*temp_dir == NULL)
    *temp_dir = g_dir_make_tmp ("app-inbox-XXXXXX", NULL);
  downloads = g_build_filename (*temp_dir != NULL ? *temp_dir : g_get_tmp_dir (), "media", NULL);

  media = inbox_media_cache_new (downloads);
  inbox_media_cache_set_base (media, base);
  return media;
}

static int
render (GVariantDict *options,
        const char   *filename)
{
  g_autoptr(InboxMediaCache) media = NULL;
  g_autofree char *temp_dir = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean left_out;
  int width = 480;

  if (!g_variant_dict_lookup (options, "output", "^ay", &output))
    {
      g_printerr ("app-inbox: --render needs --output OUT.png\n");
      return 2;
    }
  g_variant_dict_lookup (options, "width", "i", &width);
  g_variant_dict_lookup (options, "now", "x", &now);
  if (width < 200 || width > 4000)
    {
      g_printerr ("app-inbox: --width must be between 200 and 4000 pixels\n");
      return 2;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("app-inbox: --render needs a display (run it under xvfb-run)\n");
      return 2;
    }
  adw_init ();
  if (g_variant_dict_contains (options, "rtl"))
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  inbox_render_setup_settings (g_variant_dict_contains (options, "dark"));

  /* what the inbox shows at @now: the expired ones are left out */
  messages = load_payload_file (filename, now, g_variant_dict_contains (options, "include-expired"), &left_out);
  if (messages == NULL)
    return 2;

  if (messages->len == 0)
    {
      g_printerr (left_out ? "app-inbox: %s: nothing to draw: every message was left out (see above)\n"
                           : "app-inbox: %s: nothing to draw: the file holds no message\n", filename);
      return left_out ? 1 : 2;
    }

  media = app_inbox_media_for_file (filename, &temp_dir);
  if (!inbox_render_messages_to_png (messages, media, now, width, output, &error))
    {
      g_printerr ("app-inbox: %s\n", error->message);
      return 2;
    }

  if (temp_dir != NULL)
    inbox_media_cache_remove_dir (temp_dir);
  return left_out ? 1 : 0;
}

/* --server URL --user NAME --token-file FILE: the new account, its token in
 * the keyring (or in memory, said on stderr). Returns -1 to go on. */
static int
set_account (InboxClient  *client,
             GVariantDict *options)
{
  InboxAccount *account = inbox_client_get_account (client);
  g_autofree char *server = NULL, *user = NULL, *token_file = NULL, *token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_variant_dict_lookup (options, "server", "s", &server) ||
      !g_variant_dict_lookup (options, "user", "s", &user) ||
      !g_variant_dict_lookup (options, "token-file", "^ay", &token_file))
    {
      g_printerr ("app-inbox: --server, --user and --token-file go together\n");
      return 2;
    }
  if (!g_file_get_contents (token_file, &token, NULL, &error))
    {
      g_printerr ("app-inbox: %s\n", error->message);
      return 2;
    }
  g_strstrip (token);

  inbox_account_set_async (account, server, user, token, NULL, app_inbox_store_result_cb, &result);
  explicit_bzero (token, strlen (token));
  if (!inbox_account_set_finish (account, app_inbox_wait_for (&result), &error))
    {
      g_printerr ("app-inbox: %s\n", error->message);
      return 2;
    }
  if (inbox_account_get_keyring_error (account) != NULL)
    g_printerr ("app-inbox: %s\n", inbox_account_get_keyring_error (account)->message);

  return -1;
}

/* The schema is installed with the app; a build run in place may lack it. */
GSettings *
app_inbox_lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed: using defaults", APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

/* The user's inbox, its account remembered in @settings if there are any. */
InboxClient *
app_inbox_new_client (GSettings *settings,
                      gboolean   use_keyring)
{
  return g_object_new (INBOX_TYPE_CLIENT,
                       "application-id", APPLICATION_ID,
                       "settings", settings,
                       "use-keyring", use_keyring,
                       NULL);
}

/**
 * app_inbox_run_file_command:
 * @options: the command line
 *
 * --version, --check and --render, and what is not an option.
 *
 * Returns: the exit status, or -1 to go on
 */
int
app_inbox_run_file_command (GVariantDict *options)
{
  g_autofree char *check = NULL;
  g_autofree char *render_file = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("app-inbox %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "check", "^ay", &check))
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      gboolean json = g_variant_dict_contains (options, "json");

      /* `--check --json FILE`: --check took --json for its file */
      if (g_str_equal (check, "--json"))
        {
          g_auto(GStrv) remaining = NULL;

          if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining) ||
              remaining[0] == NULL || remaining[1] != NULL)
            {
              g_printerr ("app-inbox: --check --json takes one FILE\n");
              return 2;
            }
          g_free (check);
          check = g_strdup (remaining[0]);
          json = TRUE;
        }
      else if (g_variant_dict_contains (options, G_OPTION_REMAINING))
        {
          g_printerr ("app-inbox: --check takes one FILE\n");
          return 2;
        }

      g_variant_dict_lookup (options, "now", "x", &now);
      return app_inbox_check_file_full (check, now, json ? APP_INBOX_CHECK_FLAGS_JSON : APP_INBOX_CHECK_FLAGS_NONE,
                                        stdout, stderr);
    }

  if (g_variant_dict_contains (options, G_OPTION_REMAINING))
    {
      g_auto(GStrv) remaining = NULL;

      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining);
      g_printerr ("app-inbox: “%s”: not an option (see --help)\n", remaining != NULL && remaining[0] != NULL ? remaining[0] : "");
      return 2;
    }

  if (g_variant_dict_lookup (options, "render", "^ay", &render_file))
    return render (options, render_file);

  return -1;
}

/**
 * app_inbox_run_account_command:
 * @options: the command line
 * @client: the user's inbox, not started
 *
 * --server/--user/--token-file and --list, and options that go only with
 * another.
 *
 * Returns: the exit status, or -1 to go on
 */
int
app_inbox_run_account_command (GVariantDict *options,
                               InboxClient  *client)
{
  if (g_variant_dict_contains (options, "server") || g_variant_dict_contains (options, "user") ||
      g_variant_dict_contains (options, "token-file"))
    {
      int status = set_account (client, options);

      if (status >= 0)
        return status;
    }

  if (g_variant_dict_contains (options, "list"))
    {
      g_autofree char *path = inbox_client_dup_cache_path (client);

      return app_inbox_list (inbox_client_get_account (client), path, g_variant_dict_contains (options, "sync"),
                             g_variant_dict_contains (options, "json"), stdout, stderr);
    }
  if (g_variant_dict_contains (options, "json") || g_variant_dict_contains (options, "sync"))
    {
      g_printerr ("app-inbox: --json and --sync go with --list\n");
      return 2;
    }

  if (g_variant_dict_contains (options, "include-expired"))
    {
      g_printerr ("app-inbox: --include-expired goes with --render\n");
      return 2;
    }

  return -1;
}
