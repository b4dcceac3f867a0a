/* app-inbox-application.c
 *
 * The command line and the windows: --check and --render run before the
 * application registers (no window, no cache), and so does --list (the
 * cache, and a sync with --sync); --preview shows a payload file in a
 * window over an in-memory cache; a plain launch shows the user's cached
 * inbox and starts a session, whose start syncs with the server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "app-inbox"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "app-inbox-application.h"
#include "app-inbox-check.h"
#include "app-inbox-list.h"
#include "inbox-account.h"
#include "inbox-payload.h"
#include "inbox-preferences-window.h"
#include "inbox-preview.h"
#include "inbox-render.h"
#include "inbox-session.h"
#include "inbox-sign-in.h"
#include "inbox-store.h"
#include "inbox-sync.h"
#include "inbox-window.h"

struct _AppInboxApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *preview_file;
  char           *screenshot;
  char           *temp_dir;
  int             exit_status;

  /* the user's store, opened while GTK starts */
  InboxStore     *store;
  GError         *open_error;
  gboolean        opening;
  gboolean        activated;

  /* the server side: who, when, and the syncing */
  InboxAccount   *account;
  InboxSession   *session;
  InboxSync      *sync;
  InboxWindow    *window;         /* the main window, while it is open */
  InboxPreview   *preview;        /* --preview: the window follows the file */
  GCancellable   *cancellable;
  gboolean        screenshot_taken;
};

G_DEFINE_FINAL_TYPE (AppInboxApplication, app_inbox_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
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

/* The schema is installed with the app; a build run in place may lack it. */
static GSettings *
lookup_settings (void)
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
static InboxMediaCache *
media_for_file (AppInboxApplication *self,
                const char          *filename)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (filename);
  g_autoptr(GFile) base = g_file_get_parent (file);
  g_autofree char *downloads = NULL;
  InboxMediaCache *media;

  if (self->temp_dir == NULL)
    self->temp_dir = g_dir_make_tmp ("app-inbox-XXXXXX", NULL);
  downloads = g_build_filename (self->temp_dir != NULL ? self->temp_dir : g_get_tmp_dir (), "media", NULL);

  media = inbox_media_cache_new (downloads);
  inbox_media_cache_set_base (media, base);
  return media;
}

static int
render (AppInboxApplication *self,
        GVariantDict        *options,
        const char          *filename)
{
  g_autoptr(InboxMediaCache) media = NULL;
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

  media = media_for_file (self, filename);
  if (!inbox_render_messages_to_png (messages, media, now, width, output, &error))
    {
      g_printerr ("app-inbox: %s\n", error->message);
      return 2;
    }

  return left_out ? 1 : 0;
}

/* --server URL --user NAME --token-file FILE: the new account, its token in
 * the keyring (or in memory, said on stderr). Returns -1 to go on. */
static int
set_account (AppInboxApplication *self,
             GVariantDict        *options)
{
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

  inbox_account_set_async (self->account, server, user, token, NULL, app_inbox_store_result_cb, &result);
  explicit_bzero (token, strlen (token));
  if (!inbox_account_set_finish (self->account, app_inbox_wait_for (&result), &error))
    {
      g_printerr ("app-inbox: %s\n", error->message);
      return 2;
    }
  if (inbox_account_get_keyring_error (self->account) != NULL)
    g_printerr ("app-inbox: %s\n", inbox_account_get_keyring_error (self->account)->message);

  return -1;
}

static int
app_inbox_application_handle_local_options (GApplication *application,
                                            GVariantDict *options)
{
  AppInboxApplication *self = APP_INBOX_APPLICATION (application);
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
    return render (self, options, render_file);

  self->settings = lookup_settings ();
  self->account = inbox_account_new (self->settings);
  inbox_account_set_memory_only (self->account, g_variant_dict_contains (options, "no-keyring"));
  if (g_variant_dict_contains (options, "server") || g_variant_dict_contains (options, "user") ||
      g_variant_dict_contains (options, "token-file"))
    {
      int status = set_account (self, options);

      if (status >= 0)
        return status;
    }

  if (g_variant_dict_contains (options, "list"))
    {
      g_autofree char *path = inbox_cache_default_path ();

      return app_inbox_list (self->account, path, g_variant_dict_contains (options, "sync"),
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

  g_variant_dict_lookup (options, "screenshot", "^ay", &self->screenshot);
  if (g_variant_dict_lookup (options, "preview", "^ay", &self->preview_file))
    {
      /* a preview is its own process: another file may be open elsewhere */
      g_application_set_flags (application, g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
screenshot_saved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AppInboxApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!inbox_render_window_to_png_finish (GTK_WINDOW (source), result, &error))
    {
      g_printerr ("app-inbox: %s\n", error->message);
      self->exit_status = 1;
    }
  else
    {
      g_print ("app-inbox: the window is in %s\n", self->screenshot);
    }

  gtk_window_close (GTK_WINDOW (source));
}

/* --screenshot: once the window has what it will show, save it and quit. */
static void
take_screenshot_when_ready (AppInboxApplication *self,
                            InboxWindow         *window)
{
  if (self->screenshot == NULL || self->screenshot_taken)
    return;

  self->screenshot_taken = TRUE;
  inbox_render_window_to_png_async (GTK_WINDOW (window), self->screenshot, screenshot_saved_cb, g_object_ref (self));
}

static void
preview_loaded_cb (InboxPreview        *preview,
                   GParamSpec          *pspec,
                   AppInboxApplication *self)
{
  /* --screenshot: the file as it was at launch, once it is on screen */
  take_screenshot_when_ready (self, inbox_preview_get_window (preview));
}

static void
preview_window_destroyed_cb (InboxWindow         *window,
                             AppInboxApplication *self)
{
  g_clear_object (&self->preview);
}

static void
open_preview (AppInboxApplication *self)
{
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(InboxMediaCache) media = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  InboxWindow *window;

  cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, &error);
  g_assert_no_error (error);
  store = inbox_store_new (cache, "preview");
  media = media_for_file (self, self->preview_file);

  window = inbox_window_new (GTK_APPLICATION (self), store, media, self->settings);
  file = g_file_new_for_commandline_arg (self->preview_file);
  self->preview = inbox_preview_new (window, file);
  g_signal_connect (window, "destroy", G_CALLBACK (preview_window_destroyed_cb), self);
  g_signal_connect (self->preview, "notify::n-loads", G_CALLBACK (preview_loaded_cb), self);

  /* saving the file in an editor shows it again; a screenshot is of the
   * file as it was */
  inbox_preview_set_following (self->preview, self->screenshot == NULL);
  inbox_preview_reload (self->preview);
  gtk_window_present (GTK_WINDOW (window));
}

static void
reloaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(InboxWindow) window = user_data;
  g_autoptr(GError) error = NULL;

  if (!inbox_store_load_finish (INBOX_STORE (source), result, &error))
    inbox_window_show_error (window, error->message);
  else
    inbox_window_show_error (window, NULL);
}

/* Try Again: sync now, or read the cache again when there is no server. */
static void
retry_cb (InboxWindow         *window,
          AppInboxApplication *self)
{
  if (self->sync != NULL)
    inbox_sync_start (self->sync);
  else
    inbox_store_load_async (inbox_window_get_store (window), NULL, reloaded_cb, g_object_ref (window));
}

/* No more syncs for this account (signing in anew, out, or quitting). */
static void
stop_syncing (AppInboxApplication *self)
{
  if (self->sync == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->sync, self);
  inbox_sync_stop (self->sync);
  g_clear_object (&self->sync);
}

static void
sync_started_cb (InboxSync           *sync,
                 AppInboxApplication *self)
{
  if (self->window != NULL)
    inbox_window_set_syncing (self->window, TRUE);
}

static void
sync_finished_cb (InboxSync           *sync,
                  const GError        *error,
                  AppInboxApplication *self)
{
  if (self->window == NULL)
    return;

  inbox_window_set_syncing (self->window, FALSE);
  if (error == NULL)
    inbox_window_set_offline (self->window, NULL);
  else if (g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_UNAUTHORIZED))
    {
      g_autofree char *reason = g_strdup_printf (_("The server no longer accepts the token of %s: enter a new one"),
                                                 inbox_account_get_user (self->account));

      inbox_sync_stop (sync);
      inbox_window_show_sign_in (self->window, inbox_account_get_server_url (self->account),
                                 inbox_account_get_user (self->account), reason);
    }
  else if (g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE) ||
           g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE))
    inbox_window_set_offline (self->window, error->message);
  else
    inbox_window_add_toast (self->window, error->message);

  /* --screenshot: what the session's first sync left on screen */
  take_screenshot_when_ready (self, self->window);
}

static void
session_started_cb (InboxSession        *session,
                    AppInboxApplication *self)
{
  if (self->sync != NULL)
    inbox_sync_start (self->sync);
}

/* Any input to the window is activity: after the timeout it starts a session. */
static void
activity_cb (AppInboxApplication *self)
{
  if (self->sync != NULL)
    inbox_session_activity (self->session);
}

static void
watch_activity (AppInboxApplication *self,
                GtkWidget           *window)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (activity_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (click, "pressed", G_CALLBACK (activity_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (scroll, "scroll", G_CALLBACK (activity_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (activity_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (window, key);
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (click));
  gtk_widget_add_controller (window, scroll);
  gtk_widget_add_controller (window, motion);
}

/* The account is complete: sessions begin, and each one syncs. */
static void
start_syncing (AppInboxApplication *self)
{
  stop_syncing (self);

  self->sync = inbox_sync_new (self->store, inbox_account_get_server_url (self->account),
                               inbox_account_get_token (self->account));
  inbox_sync_set_session (self->sync, self->session);
  g_signal_connect (self->sync, "started", G_CALLBACK (sync_started_cb), self);
  g_signal_connect (self->sync, "finished", G_CALLBACK (sync_finished_cb), self);

  if (inbox_account_get_keyring_error (self->account) != NULL && self->window != NULL)
    inbox_window_add_toast (self->window, _("No keyring: the token is kept until you quit"));

  inbox_session_start (self->session);
}

static void
token_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AppInboxApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (!inbox_account_load_token_finish (self->account, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      reason = g_strdup_printf (_("The keyring could not be read (%s): enter the token to go on"), error->message);
    }
  if (self->window == NULL)
    return;

  if (inbox_account_get_token (self->account) != NULL)
    {
      start_syncing (self);
      return;
    }

  if (reason == NULL)
    reason = g_strdup_printf (_("No token is saved for %s: enter it to go on"), inbox_account_get_user (self->account));
  inbox_window_show_sign_in (self->window, inbox_account_get_server_url (self->account),
                             inbox_account_get_user (self->account), reason);
  take_screenshot_when_ready (self, self->window);
}

/* After the window shows: the token, then the first session; or sign-in. */
static void
begin_account (AppInboxApplication *self)
{
  const char *server = inbox_account_get_server_url (self->account);
  const char *user = inbox_account_get_user (self->account);

  if (*server == '\0' || *user == '\0')
    {
      inbox_window_show_sign_in (self->window, server, user, NULL);
      take_screenshot_when_ready (self, self->window);
      return;
    }

  if (inbox_account_get_token (self->account) != NULL)
    start_syncing (self);
  else
    inbox_account_load_token_async (self->account, self->cancellable, token_loaded_cb, g_object_ref (self));
}

static void show_main_window (AppInboxApplication *self);

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AppInboxApplication) self = user_data;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  InboxWindow *old = self->window;

  store = inbox_sign_in_finish (self->account, result, &error);
  if (store == NULL)
    {
      if (self->window != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        inbox_window_set_sign_in_error (self->window, error->message);
      return;
    }

  /* the signed-in user's messages, in a window of their own */
  g_set_object (&self->store, store);
  g_clear_error (&self->open_error);
  self->window = NULL;
  if (old != NULL)
    {
      inbox_window_commit_deletes (old);
      gtk_window_destroy (GTK_WINDOW (old));
    }
  show_main_window (self);
}

static void
sign_in_cb (InboxWindow         *window,
            const char          *server_url,
            const char          *user,
            const char          *token,
            AppInboxApplication *self)
{
  g_autofree char *path = self->store != NULL ? g_strdup (inbox_cache_get_path (inbox_store_get_cache (self->store)))
                                              : inbox_cache_default_path ();

  stop_syncing (self);
  inbox_sign_in_async (self->account, path, server_url, user, token, self->cancellable,
                       signed_in_cb, g_object_ref (self));
}

static void
window_destroyed_cb (InboxWindow         *window,
                     AppInboxApplication *self)
{
  if (self->window == window)
    self->window = NULL;
}

static void
show_main_window (AppInboxApplication *self)
{
  g_autofree char *media_dir = inbox_media_cache_default_dir ();
  g_autoptr(InboxMediaCache) media = inbox_media_cache_new (media_dir);
  InboxWindow *window;

  if (self->store == NULL)
    {
      /* nothing to show but why: an empty in-memory store under the error */
      g_autoptr(InboxCache) memory = inbox_cache_new (INBOX_CACHE_IN_MEMORY, NULL);
      g_autoptr(InboxStore) empty = inbox_store_new (memory, "none");

      window = inbox_window_new (GTK_APPLICATION (self), empty, media, self->settings);
      inbox_window_show_error (window, self->open_error != NULL ? self->open_error->message : _("The inbox could not be opened"));
      gtk_window_present (GTK_WINDOW (window));
      take_screenshot_when_ready (self, window);
      return;
    }

  window = inbox_window_new (GTK_APPLICATION (self), self->store, media, self->settings);
  self->window = window;
  g_signal_connect (window, "retry", G_CALLBACK (retry_cb), self);
  g_signal_connect (window, "sign-in", G_CALLBACK (sign_in_cb), self);
  g_signal_connect (window, "destroy", G_CALLBACK (window_destroyed_cb), self);
  watch_activity (self, GTK_WIDGET (window));
  inbox_window_set_loaded (window, TRUE);
  if (inbox_cache_get_recovery_error (inbox_store_get_cache (self->store)) != NULL)
    inbox_window_add_toast (window, inbox_cache_get_recovery_error (inbox_store_get_cache (self->store))->message);
  gtk_window_present (GTK_WINDOW (window));
  begin_account (self);
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AppInboxApplication) self = user_data;

  self->store = inbox_store_open_finish (result, &self->open_error);
  self->opening = FALSE;
  if (self->activated)
    show_main_window (self);
  g_application_release (G_APPLICATION (self));
}

/* The cache opens and the list is read in a thread while GTK starts, so
 * that the first frame does not wait for both one after the other. */
static void
start_opening (AppInboxApplication *self)
{
  g_autofree char *path = inbox_cache_default_path ();
  const char *user = inbox_account_get_user (self->account);

  self->opening = TRUE;
  g_application_hold (G_APPLICATION (self));
  inbox_store_open_async (path, *user != '\0' ? user : "default", NULL,
                          store_opened_cb, g_object_ref (self));
}

static void
app_inbox_application_activate (GApplication *application)
{
  AppInboxApplication *self = APP_INBOX_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->preview_file != NULL)
    {
      open_preview (self);
      return;
    }

  /* shown now, or as soon as the store is open */
  self->activated = TRUE;
  if (!self->opening)
    show_main_window (self);
}

static void
app_inbox_application_startup (GApplication *application)
{
  AppInboxApplication *self = APP_INBOX_APPLICATION (application);

  if (self->account == NULL)
    {
      self->settings = lookup_settings ();
      self->account = inbox_account_new (self->settings);
    }
  self->cancellable = g_cancellable_new ();
  self->session = inbox_session_new (INBOX_SESSION_DEFAULT_TIMEOUT);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "session-timeout", self->session, "timeout", G_SETTINGS_BIND_GET);
  g_signal_connect (self->session, "started", G_CALLBACK (session_started_cb), self);
  if (self->preview_file == NULL)
    start_opening (self);

  G_APPLICATION_CLASS (app_inbox_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", (const char *[]) { "<Primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", (const char *[]) { "<Primary>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", (const char *[]) { "<Primary>comma", NULL });
}

/* The folder of this process's downloads, and what is in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

static void
app_inbox_application_shutdown (GApplication *application)
{
  AppInboxApplication *self = APP_INBOX_APPLICATION (application);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  stop_syncing (self);

  G_APPLICATION_CLASS (app_inbox_application_parent_class)->shutdown (application);

  if (self->temp_dir != NULL)
    remove_tree (self->temp_dir);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* closing, not destroying: deletions behind Undo toasts are written */
  for (GList *l = windows; l != NULL; l = l->next)
    if (INBOX_IS_WINDOW (l->data))
      inbox_window_commit_deletes (l->data);

  g_application_quit (G_APPLICATION (app));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The App Inbox developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("App Inbox"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Rich messages from the apps you use, in one inbox"),
                         NULL);
}

static void
signed_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AppInboxApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* the settings and memory are clear already; the keyring may say no */
  if (!inbox_account_sign_out_finish (self->account, result, &error) && self->window != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    inbox_window_add_toast (self->window, error->message);
}

/* Preferences → Sign Out: the token leaves the keyring, the account's
 * messages and the media the cache, and the window asks for a sign-in. */
static void
sign_out_cb (AppInboxApplication *self,
             GtkWidget           *preferences)
{
  g_autofree char *user = g_strdup (inbox_account_get_user (self->account));
  g_autofree char *media_dir = inbox_media_cache_default_dir ();
  g_autoptr(GError) error = NULL;

  stop_syncing (self);

  inbox_account_sign_out_async (self->account, self->cancellable, signed_out_cb, g_object_ref (self));
  if (self->store != NULL)
    {
      if ((!inbox_cache_forget_user (inbox_store_get_cache (self->store), user, &error) ||
           !inbox_store_load (self->store, &error)) && self->window != NULL)
        inbox_window_add_toast (self->window, error->message);
    }
  remove_tree (media_dir);

  gtk_window_destroy (GTK_WINDOW (preferences));
  if (self->window != NULL)
    inbox_window_show_sign_in (self->window, inbox_account_get_server_url (self->account), NULL, NULL);
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  AppInboxApplication *self = user_data;
  GtkWidget *preferences;

  if (self->settings == NULL)
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (INBOX_IS_WINDOW (window))
        inbox_window_add_toast (INBOX_WINDOW (window), _("Preferences need the app to be installed"));
      return;
    }

  preferences = inbox_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                              self->settings);
  g_signal_connect_object (preferences, "sign-out", G_CALLBACK (sign_out_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb },
  { "about", about_action_cb },
  { "preferences", preferences_action_cb },
};

static void
app_inbox_application_finalize (GObject *object)
{
  AppInboxApplication *self = (AppInboxApplication *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->preview);
  g_clear_object (&self->account);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->open_error);
  g_clear_pointer (&self->preview_file, g_free);
  g_clear_pointer (&self->screenshot, g_free);
  g_clear_pointer (&self->temp_dir, g_free);

  G_OBJECT_CLASS (app_inbox_application_parent_class)->finalize (object);
}

static void
app_inbox_application_class_init (AppInboxApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = app_inbox_application_finalize;
  app_class->handle_local_options = app_inbox_application_handle_local_options;
  app_class->activate = app_inbox_application_activate;
  app_class->startup = app_inbox_application_startup;
  app_class->shutdown = app_inbox_application_shutdown;
}

static void
app_inbox_application_init (AppInboxApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("An inbox of rich messages from the apps you use."));
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
}

/* What main() returns once the application has run (--screenshot may fail). */
int
app_inbox_application_get_exit_status (AppInboxApplication *self)
{
  g_return_val_if_fail (APP_INBOX_IS_APPLICATION (self), 1);

  return self->exit_status;
}

AppInboxApplication *
app_inbox_application_new (void)
{
  return g_object_new (APP_INBOX_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/appinbox/AppInbox",
                       NULL);
}
