/* test-notify.c: InboxNotifier against the real server, with a fake sink
 * and the store's clock: the messages of a sign-in are not announced; a sync
 * that brings one new message gives its title and text; three give "3 new
 * messages" and the newest one's title (one more, expired by the client's
 * clock, does not count); a message without a title is "New message"; nothing while the window is active, with
 * notifications off, or when a sync brings nothing new; the notification is
 * taken back when the window becomes active. And without a sink: through a
 * GApplication on a bus of the test's own to a fake notification daemon,
 * whose "default" action comes back as message-activated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-client-private.h"
#include "inbox-notifier-private.h"
#include "test-util.h"

#define ADMIN "notify-test-admin-token"

/* --- the fixture: alice signed in, her client watched --- */

typedef struct {
  char          *dir;
  TestServer    *server;
  char          *token;
  InboxClient   *client;
  InboxNotifier *notifier;
  TestSink      *sink;
  gint64         now;        /* the client's clock; 0: the real one */
  gint64         published;  /* the second of the last message published */
} Fixture;

static gint64
fixture_now (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now != 0 ? f->now : g_get_real_time () / G_USEC_PER_SEC;
}

static void
wait_not_syncing (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (inbox_client_get_syncing (f->client))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* One sync, and whatever notification it makes made (or given up). */
static void
sync_and_settle (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  wait_not_syncing (f);
  inbox_client_sync_now (f->client);
  g_assert_true (inbox_client_get_syncing (f->client));
  while (inbox_client_get_syncing (f->client) || inbox_notifier_is_pending (f->notifier))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (inbox_client_get_state (f->client), ==, INBOX_CLIENT_STATE_READY);
}

/* A message for alice (@msg, its msg object), a second after the one before
 * (the server dates messages to the second, and the newest is the one with
 * the latest date). */
static char *
publish_msg (Fixture    *f,
             const char *msg,
             guint       ttl)
{
  g_autofree char *url = g_strconcat (f->server->url, "v1/campaigns", NULL);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_real_time () / G_USEC_PER_SEC <= f->published)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  f->published = g_get_real_time () / G_USEC_PER_SEC;

  body = g_strdup_printf ("{\"target\": {\"users\": [\"alice\"]}, \"ttl_seconds\": %u, \"message\": {\"msg\": %s}}",
                          ttl, msg);
  answer = test_util_http_json ("POST", url, ADMIN, body, 201);
  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "campaign_id"));
}

/* A simple message with @title, and "Text of @title" as its text. */
static char *
publish (Fixture    *f,
         const char *title,
         guint       ttl)
{
  g_autofree char *msg = g_strdup_printf ("{\"type\": \"simple\", \"content\": [{\"title\": {\"text\": \"%s\"}, "
                                          "\"message\": {\"text\": \"Text of %s\"}}]}",
                                          title, title);

  return publish_msg (f, msg, ttl);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = test_util_make_tmpdir ();
  f->server = test_server_start (f->dir, ADMIN, FALSE);
  f->token = test_util_create_user (f->server->url, ADMIN, "alice", NULL);
  data_dir = g_build_filename (f->dir, "data", NULL);
  cache_dir = g_build_filename (f->dir, "cache", NULL);
  f->client = g_object_new (INBOX_TYPE_CLIENT,
                            "application-id", "org.example.NotifyTest",
                            "data-dir", data_dir,
                            "cache-dir", cache_dir,
                            "use-keyring", FALSE,
                            NULL);
  f->sink = test_sink_new ();
  f->notifier = inbox_notifier_new (f->client);
  inbox_notifier_set_sink (f->notifier, INBOX_NOTIFICATION_SINK (f->sink));

  /* what she had before signing in comes with the sign-in: not new */
  before = publish (f, "Before", 86400);
  inbox_client_start (f->client);
  while (inbox_client_get_state (f->client) != INBOX_CLIENT_STATE_NEEDS_SIGN_IN)
    g_main_context_iteration (NULL, TRUE);
  inbox_client_sign_in_async (f->client, f->server->url, "alice", f->token, NULL, test_util_result_cb, &result);
  inbox_client_sign_in_finish (f->client, test_util_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (inbox_store_lookup (inbox_client_get_store (f->client), before, NULL));
  inbox_store_set_clock (inbox_client_get_store (f->client), fixture_now, f);
  /* the session that began with it syncs once */
  wait_not_syncing (f);
  while (inbox_notifier_is_pending (f->notifier))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->sink->sent->len, ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  inbox_client_stop (f->client);
  g_clear_object (&f->notifier);
  g_clear_object (&f->client);
  g_clear_object (&f->sink);
  g_clear_pointer (&f->server, test_server_free);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->token);
}

static const char *
sent (Fixture *f,
      guint    index)
{
  g_assert_cmpuint (index, <, f->sink->sent->len);
  return g_ptr_array_index (f->sink->sent, index);
}

/* One new message: its title and text, and its id for the action. */
static void
test_notify_one (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = publish (f, "Spring sale", 86400);
  g_autofree char *expected = g_strdup_printf ("Spring sale|Text of Spring sale|%s", id);

  sync_and_settle (f);
  g_assert_cmpuint (f->sink->sent->len, ==, 1);
  g_assert_cmpstr (sent (f, 0), ==, expected);

  /* the next sync brings nothing new: nothing more */
  sync_and_settle (f);
  g_assert_cmpuint (f->sink->sent->len, ==, 1);

  /* the user comes back: the notification is taken back */
  g_assert_cmpuint (f->sink->withdrawn, ==, 0);
  inbox_notifier_set_window_active (f->notifier, TRUE);
  g_assert_cmpuint (f->sink->withdrawn, ==, 1);
}

/* Three new ones (and one the client's clock says has expired): how many,
 * and the newest one's title. */
static void
test_notify_several (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *first = publish (f, "First", 86400);
  g_autofree char *second = publish (f, "Second", 86400);
  g_autofree char *short_lived = publish (f, "Short-lived", 3600);
  g_autofree char *third = publish (f, "Third", 86400);
  g_autofree char *expected = g_strdup_printf ("3 new messages|Third|%s", third);

  /* two hours on: the short-lived one has expired for the client */
  f->now = g_get_real_time () / G_USEC_PER_SEC + 7200;
  sync_and_settle (f);
  g_assert_null (inbox_store_lookup (inbox_client_get_store (f->client), short_lived, NULL));
  g_assert_nonnull (inbox_store_lookup (inbox_client_get_store (f->client), first, NULL));
  g_assert_cmpuint (f->sink->sent->len, ==, 1);
  g_assert_cmpstr (sent (f, 0), ==, expected);
}

/* A carousel of pictures has no title: one is "New message", no text; with
 * another, the count and no text. */
static void
test_notify_untitled (Fixture       *f,
                      gconstpointer  data)
{
  static const char pictures[] =
    "{\"type\": \"carousel-image\", \"content\": ["
    "{\"media\": {\"url\": \"https://media.example.com/a.png\", \"content_type\": \"image/png\"}},"
    "{\"media\": {\"url\": \"https://media.example.com/b.png\", \"content_type\": \"image/png\"}}]}";
  g_autofree char *id = publish_msg (f, pictures, 86400);
  g_autofree char *expected = g_strdup_printf ("New message|(none)|%s", id);
  g_autofree char *older = NULL;
  g_autofree char *newer = NULL;

  sync_and_settle (f);
  g_assert_cmpuint (f->sink->sent->len, ==, 1);
  g_assert_cmpstr (sent (f, 0), ==, expected);

  older = publish (f, "Titled", 86400);
  newer = publish_msg (f, pictures, 86400);
  g_free (expected);
  expected = g_strdup_printf ("2 new messages|(none)|%s", newer);
  sync_and_settle (f);
  g_assert_cmpuint (f->sink->sent->len, ==, 2);
  g_assert_cmpstr (sent (f, 1), ==, expected);
}

/* A new message read on another device already is not announced. */
static void
test_notify_read (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = publish (f, "Read elsewhere", 86400);
  g_autofree char *url = g_strconcat (f->server->url, "v1/inbox/events", NULL);
  g_autofree char *event = NULL;
  guint status = 0;
  g_autoptr(GBytes) answer = NULL;

  /* read on another device */
  event = g_strdup_printf ("{\"events\": [{\"event_id\": \"other-device-1\", \"type\": \"read\", "
                           "\"message_id\": \"%s\", \"ts\": %" G_GINT64_FORMAT ", \"props\": {}}]}", id,
                           g_get_real_time () / G_USEC_PER_SEC);
  answer = test_util_http ("POST", url, f->token, event, strlen (event), &status);
  g_assert_cmpuint (status, ==, 200);

  sync_and_settle (f);
  g_assert_nonnull (inbox_store_lookup (inbox_client_get_store (f->client), id, NULL));
  g_assert_cmpuint (f->sink->sent->len, ==, 0);
}

/* The window is the active one: the user sees them come; nothing. */
static void
test_notify_window_active (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = publish (f, "Seen arriving", 86400);
  g_autofree char *later = NULL;
  g_autofree char *expected = NULL;

  inbox_notifier_set_window_active (f->notifier, TRUE);
  sync_and_settle (f);
  g_assert_nonnull (inbox_store_lookup (inbox_client_get_store (f->client), id, NULL));
  g_assert_cmpuint (f->sink->sent->len, ==, 0);

  /* in the background again: what comes next, and only that */
  inbox_notifier_set_window_active (f->notifier, FALSE);
  later = publish (f, "Later", 86400);
  expected = g_strdup_printf ("Later|Text of Later|%s", later);
  sync_and_settle (f);
  g_assert_cmpuint (f->sink->sent->len, ==, 1);
  g_assert_cmpstr (sent (f, 0), ==, expected);
}

/* Notifications off: nothing; on again: the next new one. */
static void
test_notify_disabled (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = publish (f, "Quiet", 86400);
  g_autofree char *later = NULL;

  inbox_notifier_set_enabled (f->notifier, FALSE);
  sync_and_settle (f);
  g_assert_nonnull (inbox_store_lookup (inbox_client_get_store (f->client), id, NULL));
  g_assert_cmpuint (f->sink->sent->len, ==, 0);

  inbox_notifier_set_enabled (f->notifier, TRUE);
  later = publish (f, "Loud", 86400);
  sync_and_settle (f);
  g_assert_cmpuint (f->sink->sent->len, ==, 1);
  g_assert_true (g_str_has_prefix (sent (f, 0), "Loud|"));
}

/* --- a notification daemon of the test's own (org.freedesktop.Notifications) --- */

static const char daemon_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "<signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "</interface></node>";

typedef struct {
  GPtrArray *notified;   /* "summary|body|action,label,…" */
  guint      closed;
  gboolean   owned;
} FakeDaemon;

static void
daemon_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  FakeDaemon *daemon = user_data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;
      g_autofree const char **actions = NULL;
      g_autofree char *joined = NULL;

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, NULL, NULL, &summary, &body, &actions, NULL, NULL);
      joined = g_strjoinv (",", (char **) actions);
      g_ptr_array_add (daemon->notified, g_strdup_printf ("%s|%s|%s", summary, body, joined));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", daemon->notified->len));
    }
  else if (g_str_equal (method, "CloseNotification"))
    {
      daemon->closed++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(['body', 'actions'],)"));
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "fake", "test", "1", "1.2"));
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((FakeDaemon *) user_data)->owned = TRUE;
}

static void
activated_cb (InboxNotifier  *notifier,
              const char     *message_id,
              char          **activated)
{
  g_free (*activated);
  *activated = g_strdup (message_id);
}

static void
wait_for_count (guint *count,
                guint  at_least)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*count < at_least)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* No sink: a GNotification of the application, through the desktop's
 * daemon; its default action is the message. */
static void
test_notify_application (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (daemon_xml, NULL);
  static const GDBusInterfaceVTable vtable = { daemon_method_cb, NULL, NULL, { NULL } };
  FakeDaemon daemon = { g_ptr_array_new_with_free_func (g_free), 0, FALSE };
  g_autoptr(GDBusConnection) daemon_bus = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *activated = NULL;
  g_autoptr(GVariant) ping = NULL;
  guint owner, registration;

  g_test_dbus_up (bus);
  daemon_bus = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (daemon_bus, "/org/freedesktop/Notifications",
                                                    node->interfaces[0], &vtable, &daemon, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (daemon_bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                        name_acquired_cb, NULL, &daemon, NULL);
  while (!daemon.owned)
    g_main_context_iteration (NULL, TRUE);

  /* the desktop's daemon, not org.gtk.Notifications nor the portal */
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  app = g_application_new ("org.example.NotifyTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  inbox_notifier_set_sink (f->notifier, NULL);
  inbox_notifier_set_application (f->notifier, app);
  g_signal_connect (f->notifier, "message-activated", G_CALLBACK (activated_cb), &activated);

  id = publish (f, "Over the bus", 86400);
  sync_and_settle (f);
  wait_for_count (&daemon.notified->len, 1);
  g_assert_cmpuint (daemon.notified->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (daemon.notified, 0), ==, "Over the bus|Text of Over the bus|default,");
  g_assert_nonnull (g_action_map_lookup_action (G_ACTION_MAP (app), INBOX_NOTIFIER_ACTION));

  /* clicked: the daemon says so, the application runs the action */
  g_dbus_connection_emit_signal (daemon_bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", 1, "default"), &error);
  g_assert_no_error (error);
  while (activated == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (activated, ==, id);

  /* a second one, then the user comes back: it is closed */
  g_free (id);
  id = publish (f, "Second", 86400);
  sync_and_settle (f);
  wait_for_count (&daemon.notified->len, 2);
  /* the daemon's answer (the id to close) has reached the application: a
   * ping of the daemon is answered after it */
  ping = g_dbus_connection_call_sync (g_application_get_dbus_connection (app), "org.freedesktop.Notifications",
                                      "/org/freedesktop/Notifications", "org.freedesktop.DBus.Peer", "Ping",
                                      NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  inbox_notifier_set_window_active (f->notifier, TRUE);
  wait_for_count (&daemon.closed, 1);

  /* the action goes with the notifier's application */
  inbox_notifier_set_application (f->notifier, NULL);
  g_assert_null (g_action_map_lookup_action (G_ACTION_MAP (app), INBOX_NOTIFIER_ACTION));

  g_clear_object (&app);
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (daemon_bus, registration);
  g_dbus_connection_close_sync (daemon_bus, NULL, NULL);
  g_clear_object (&daemon_bus);
  g_ptr_array_unref (daemon.notified);
  g_test_dbus_down (bus);
  g_unsetenv ("GNOTIFICATION_BACKEND");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/notify/one", test_notify_one);
  ADD ("/notify/several", test_notify_several);
  ADD ("/notify/untitled", test_notify_untitled);
  ADD ("/notify/read", test_notify_read);
  ADD ("/notify/window-active", test_notify_window_active);
  ADD ("/notify/disabled", test_notify_disabled);
  ADD ("/notify/application", test_notify_application);
#undef ADD

  return g_test_run ();
}
