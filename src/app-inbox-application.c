/* app-inbox-application.c
 *
 * The command line and the windows. The one-shot commands (--check,
 * --render, --list …) run before the application registers
 * (app-inbox-commands.c); --preview shows a payload file in a window over an
 * in-memory cache; a plain launch shows the user's InboxClient in an
 * InboxWindow once its cache is open. The client decides everything else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "app-inbox"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "app-inbox-application.h"
#include "app-inbox-commands.h"
#include "inbox-client-private.h"
#include "inbox-preferences-window.h"
#include "inbox-preview.h"
#include "inbox-render.h"
#include "inbox-window.h"

struct _AppInboxApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *preview_file;
  char           *screenshot;
  char           *temp_dir;
  int             exit_status;

  InboxClient    *client;         /* the user's inbox: it decides what is shown */
  gboolean        activated;
  gboolean        held;           /* while the cache opens, before any window */
  InboxWindow    *window;         /* the main window, while it is open */
  InboxPreview   *preview;        /* --preview: the window follows the file */
  gboolean        screenshot_taken;
};

G_DEFINE_FINAL_TYPE (AppInboxApplication, app_inbox_application, ADW_TYPE_APPLICATION)

static int
app_inbox_application_handle_local_options (GApplication *application,
                                            GVariantDict *options)
{
  AppInboxApplication *self = APP_INBOX_APPLICATION (application);
  int status;

  if ((status = app_inbox_run_file_command (options)) >= 0)
    return status;

  self->settings = app_inbox_lookup_settings ();
  self->client = app_inbox_new_client (self->settings, !g_variant_dict_contains (options, "no-keyring"));
  if ((status = app_inbox_run_account_command (options, self->client)) >= 0)
    return status;

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
take_screenshot (AppInboxApplication *self,
                 InboxWindow         *window)
{
  if (self->screenshot == NULL || self->screenshot_taken || window == NULL)
    return;

  self->screenshot_taken = TRUE;
  inbox_render_window_to_png_async (GTK_WINDOW (window), self->screenshot, screenshot_saved_cb, g_object_ref (self));
}

/* What the session's first sync left on screen, or the page that waits for
 * the user (sign-in) or says why nothing can be shown. */
static void
client_settled_cb (AppInboxApplication *self)
{
  InboxClientState state = inbox_client_get_state (self->client);

  if (state == INBOX_CLIENT_STATE_NEEDS_SIGN_IN || state == INBOX_CLIENT_STATE_ERROR)
    take_screenshot (self, self->window);
}

static void
preview_loaded_cb (InboxPreview        *preview,
                   GParamSpec          *pspec,
                   AppInboxApplication *self)
{
  /* --screenshot: the file as it was at launch, once it is on screen */
  take_screenshot (self, inbox_preview_get_window (preview));
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
  g_autoptr(InboxMediaCache) media = app_inbox_media_for_file (self->preview_file, &self->temp_dir);
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->preview_file);
  InboxWindow *window = inbox_preview_window_new (GTK_APPLICATION (self), media, self->settings);

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
window_destroyed_cb (InboxWindow         *window,
                     AppInboxApplication *self)
{
  if (self->window == window)
    self->window = NULL;
}

/* The window, once the cache is open (it opens while GTK starts, so that
 * the first frame does not wait for both one after the other). */
static void
show_main_window (AppInboxApplication *self)
{
  if (self->window != NULL || !self->activated ||
      inbox_client_get_state (self->client) == INBOX_CLIENT_STATE_LOADING)
    return;

  self->window = inbox_window_new (GTK_APPLICATION (self), self->client, self->settings);
  g_signal_connect (self->window, "destroy", G_CALLBACK (window_destroyed_cb), self);
  gtk_window_present (GTK_WINDOW (self->window));
  if (self->held)
    {
      /* the window keeps the application now */
      self->held = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  client_settled_cb (self);
}

static void
state_changed_cb (AppInboxApplication *self)
{
  show_main_window (self);
  client_settled_cb (self);
}

static void
sync_finished_cb (AppInboxApplication *self)
{
  take_screenshot (self, self->window);
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

  /* shown now, or as soon as the cache is open */
  self->activated = TRUE;
  show_main_window (self);
}

static void
app_inbox_application_startup (GApplication *application)
{
  AppInboxApplication *self = APP_INBOX_APPLICATION (application);

  if (self->client == NULL)
    {
      self->settings = app_inbox_lookup_settings ();
      self->client = app_inbox_new_client (self->settings, TRUE);
    }
  g_signal_connect_object (self->client, "notify::state", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "sync-finished", G_CALLBACK (sync_finished_cb), self, G_CONNECT_SWAPPED);
  if (self->preview_file == NULL)
    {
      /* no window until the cache is open: hold on until there is one */
      self->held = TRUE;
      g_application_hold (application);
      inbox_client_start (self->client);
    }

  G_APPLICATION_CLASS (app_inbox_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", (const char *[]) { "<Primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", (const char *[]) { "<Primary>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", (const char *[]) { "<Primary>comma", NULL });
}

static void
app_inbox_application_shutdown (GApplication *application)
{
  AppInboxApplication *self = APP_INBOX_APPLICATION (application);

  if (self->client != NULL)
    inbox_client_stop (self->client);
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (application);
    }

  G_APPLICATION_CLASS (app_inbox_application_parent_class)->shutdown (application);

  if (self->temp_dir != NULL)
    inbox_media_cache_remove_dir (self->temp_dir);
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
      inbox_view_commit_deletes (inbox_window_get_view (l->data));

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

  /* everything else is gone already; the keyring may say no */
  if (!inbox_client_sign_out_finish (self->client, result, &error) && self->window != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    inbox_window_add_toast (self->window, error->message);
}

/* Preferences → Sign Out: the client forgets the user and asks for a sign-in. */
static void
sign_out_cb (AppInboxApplication *self,
             GtkWidget           *preferences)
{
  inbox_client_sign_out_async (self->client, NULL, signed_out_cb, g_object_ref (self));
  gtk_window_destroy (GTK_WINDOW (preferences));
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
  g_clear_object (&self->preview);
  g_clear_object (&self->client);
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
  g_application_add_main_option_entries (G_APPLICATION (self), app_inbox_option_entries);
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
