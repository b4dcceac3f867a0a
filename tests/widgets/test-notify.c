/* test-notify.c: the view's notifier, in a window of an application, against
 * the real server. The user reads old messages at the bottom of "All", then
 * looks at another tab and away from the window; a sync brings a new message,
 * whose notification (through a fake sink) is activated with the
 * application's action: the view shows "All" again, scrolled to the new
 * message. And the app's setting: the Preferences switch turns the window's
 * notifier off and on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "inbox-client-private.h"
#include "inbox-notifier-private.h"
#include "inbox-preferences-window.h"
#include "inbox-view-private.h"
#include "inbox-window.h"
#include "test-util.h"

#define ADMIN "notify-view-admin-token"
#define N_OLD 30

/* Turns the main context until @check holds, for at most 20 s. */
static void
wait_until (gboolean (*check) (gpointer data),
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!check (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
settled (gpointer data)
{
  InboxView *view = data;

  return !inbox_client_get_syncing (inbox_view_get_client (view)) &&
         !inbox_notifier_is_pending (inbox_view_get_notifier (view));
}

static gboolean
needs_sign_in (gpointer data)
{
  return inbox_client_get_state (data) == INBOX_CLIENT_STATE_NEEDS_SIGN_IN;
}

/* The scrolled window of the tab of all messages. */
static GtkWidget *
all_scrolled (InboxView *view)
{
  GtkWidget *tab = adw_view_stack_get_child_by_name (inbox_view_get_view_stack (view), "all");

  return gtk_stack_get_child_by_name (GTK_STACK (tab), "list");
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  InboxView  *view;
  const char *title;
} OnScreen;

/* A card with @title is wholly inside the visible part of "All", which is
 * the tab shown. */
static gboolean
title_on_screen (gpointer data)
{
  OnScreen *on_screen = data;
  GtkWidget *scrolled = all_scrolled (on_screen->view);
  GtkWidget *label;
  graphene_rect_t bounds;

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (inbox_view_get_view_stack (on_screen->view)), "all") != 0)
    return FALSE;
  label = find_label (scrolled, on_screen->title);
  return label != NULL && gtk_widget_compute_bounds (label, scrolled, &bounds) &&
         bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled);
}

static gboolean
scrolled_to_bottom (gpointer data)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (all_scrolled (data)));
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (gtk_adjustment_get_page_size (adjustment) <= 0 || bottom <= 0)
    return FALSE;
  /* GtkListView corrects its estimate as rows are made: again until it holds */
  if (gtk_adjustment_get_value (adjustment) < bottom - 1)
    {
      gtk_adjustment_set_value (adjustment, bottom);
      return FALSE;
    }
  return TRUE;
}

static void
test_notify_activate_reveals (void)
{
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autoptr(TestServer) server = test_server_start (dir, ADMIN, FALSE);
  g_autofree char *token = test_util_create_user (server->url, ADMIN, "alice", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);
  g_autoptr(GtkApplication) app = gtk_application_new ("org.example.NotifyViewTest", G_APPLICATION_NON_UNIQUE);
  g_autoptr(InboxClient) client = NULL;
  g_autoptr(TestSink) sink = test_sink_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *expected = NULL;
  const char *tags[] = { "News", NULL };
  InboxNotifier *notifier;
  GtkWidget *window;
  InboxView *view;

  for (guint i = N_OLD; i > 0; i--)
    {
      g_autofree char *title = g_strdup_printf ("Old %u", i);
      g_autofree char *id = test_util_publish (server->url, ADMIN, "{\"users\": [\"alice\"]}", title, NULL);
    }

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  client = g_object_new (INBOX_TYPE_CLIENT,
                         "application-id", "org.example.NotifyViewTest",
                         "data-dir", data_dir,
                         "cache-dir", cache_dir,
                         "use-keyring", FALSE,
                         NULL);
  window = gtk_application_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 600);
  view = INBOX_VIEW (inbox_view_new (client));
  inbox_view_set_tags (view, tags);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));

  /* the notifier follows the window */
  notifier = inbox_view_get_notifier (view);
  g_assert_true (inbox_notifier_get_client (notifier) == client);
  g_assert_cmpint (inbox_notifier_get_window_active (notifier), ==, gtk_window_is_active (GTK_WINDOW (window)));
  inbox_notifier_set_sink (notifier, INBOX_NOTIFICATION_SINK (sink));

  wait_until (needs_sign_in, client);
  inbox_client_sign_in_async (client, server->url, "alice", token, NULL, test_util_result_cb, &result);
  inbox_client_sign_in_finish (client, test_util_wait_result (&result), &error);
  g_assert_no_error (error);
  wait_until (settled, view);
  g_assert_cmpuint (sink->sent->len, ==, 0);

  /* reading the oldest, then on the News tab, then in another window */
  wait_until (scrolled_to_bottom, view);
  adw_view_stack_set_visible_child_name (inbox_view_get_view_stack (view), "tag-0");
  inbox_notifier_set_window_active (notifier, FALSE);

  fresh = test_util_publish (server->url, ADMIN, "{\"users\": [\"alice\"]}", "Fresh offer", NULL);
  inbox_client_sync_now (client);
  wait_until (settled, view);
  expected = g_strdup_printf ("Fresh offer|Body|%s", fresh);
  g_assert_cmpuint (sink->sent->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (sink->sent, 0), ==, expected);
  adw_view_stack_set_visible_child_name (inbox_view_get_view_stack (view), "all");
  g_assert_false (title_on_screen (&(OnScreen) { view, "Fresh offer" }));
  adw_view_stack_set_visible_child_name (inbox_view_get_view_stack (view), "tag-0");

  /* the notification's default action, as the desktop activates it */
  g_action_group_activate_action (G_ACTION_GROUP (app), INBOX_NOTIFIER_ACTION, g_variant_new_string (fresh));
  wait_until (title_on_screen, &(OnScreen) { view, "Fresh offer" });

  /* a message the inbox does not hold: nothing to show */
  g_assert_false (inbox_view_reveal_message (view, "no-such-message"));

  inbox_client_stop (client);
  gtk_window_destroy (GTK_WINDOW (window));
  test_util_rm_rf (dir);
}

static GtkWidget *
find_switch (GtkWidget *widget)
{
  if (GTK_IS_SWITCH (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_switch (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Preferences → Notifications: the key, and the window's notifier with it. */
static void
test_notify_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.appinbox.AppInbox");
  g_autoptr(InboxCache) cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, NULL);
  g_autoptr(InboxStore) store = inbox_store_new (cache, "tester");
  g_autoptr(InboxMediaCache) media = inbox_media_cache_new (g_get_tmp_dir ());
  g_autoptr(InboxClient) client = inbox_client_new_for_store (store, media, TRUE);
  InboxWindow *window = inbox_window_new (NULL, client, settings);
  InboxNotifier *notifier = inbox_view_get_notifier (inbox_window_get_view (window));
  GtkWidget *preferences = inbox_preferences_window_new (GTK_WINDOW (window), settings);
  GtkWidget *toggle = find_switch (preferences);

  g_assert_nonnull (toggle);
  g_assert_true (g_settings_get_boolean (settings, "notifications"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_true (inbox_notifier_get_enabled (notifier));

  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notifications"));
  g_assert_false (inbox_notifier_get_enabled (notifier));

  g_settings_set_boolean (settings, "notifications", TRUE);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_true (inbox_notifier_get_enabled (notifier));

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/notify/activate-reveals", test_notify_activate_reveals);
  g_test_add_func ("/notify/setting", test_notify_setting);

  return g_test_run ();
}
