/* test-e2e.c: the app's model against the real app-inbox-server: a
 * campaign shows at the next session only; read, delete and analytics
 * reach the campaign's counts; a second device sees the delete; the
 * command line lists what was synced
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-sign-in.h"
#include "inbox-sync.h"
#include "test-util.h"

#define ADMIN "e2e-admin"

typedef struct {
  InboxCache   *cache;
  InboxStore   *store;
  InboxSync    *sync;
  InboxSession *session;
  guint         syncs;
  GError       *error;
} Device;

typedef struct {
  char       *dir;
  TestServer *server;
  char       *token;
  gint64      now;
  Device      phone;
  Device      laptop;
} Fixture;

static gint64
fake_now (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

static void
finished_cb (InboxSync    *sync,
             const GError *error,
             Device       *device)
{
  device->syncs++;
  g_clear_error (&device->error);
  device->error = error != NULL ? g_error_copy (error) : NULL;
}

static void
session_started_cb (InboxSession *session,
                    Device       *device)
{
  inbox_sync_start (device->sync);
}

static void
device_init (Fixture    *f,
             Device     *device,
             const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.sqlite", f->dir, name);
  g_autoptr(GError) error = NULL;

  device->cache = inbox_cache_new (path, &error);
  g_assert_no_error (error);
  device->store = inbox_store_new (device->cache, "alice");
  inbox_store_set_clock (device->store, fake_now, f);
  device->sync = inbox_sync_new (device->store, f->server->url, f->token);
  device->session = inbox_session_new (INBOX_SESSION_DEFAULT_TIMEOUT);
  inbox_session_set_clock (device->session, fake_now, f);
  inbox_sync_set_session (device->sync, device->session);
  g_signal_connect (device->sync, "finished", G_CALLBACK (finished_cb), device);
  g_signal_connect (device->session, "started", G_CALLBACK (session_started_cb), device);
}

static void
device_clear (Device *device)
{
  g_clear_object (&device->sync);
  g_clear_object (&device->session);
  g_clear_object (&device->store);
  g_clear_object (&device->cache);
  g_clear_error (&device->error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_util_make_tmpdir ();
  f->server = test_server_start (f->dir, ADMIN, FALSE);
  f->token = test_util_create_user (f->server->url, ADMIN, "alice", NULL);
  g_free (test_util_create_user (f->server->url, ADMIN, "bob", NULL));
  f->now = g_get_real_time () / G_USEC_PER_SEC;
  device_init (f, &f->phone, "phone");
  device_init (f, &f->laptop, "laptop");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  device_clear (&f->phone);
  device_clear (&f->laptop);
  g_clear_pointer (&f->server, test_server_free);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->token);
}

/* Turns the loop until the device's sync count reaches @count. */
static void
wait_syncs (Device *device,
            guint   count)
{
  while (device->syncs < count)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (device->error);
}

static gboolean
has (Device     *device,
     const char *id)
{
  return inbox_store_lookup (device->store, id, NULL) != NULL;
}

/* Published mid-session: shown at the next session, not before. */
static void
test_e2e_next_session (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *first = NULL, *second = NULL;

  first = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "First", NULL);
  inbox_session_start (f->phone.session);
  wait_syncs (&f->phone, 1);
  g_assert_true (has (&f->phone, first));

  /* the campaign goes out while the user is active: nothing fetches it */
  second = test_util_publish (f->server->url, ADMIN, "{\"all\": true}", "Second", NULL);
  for (guint minute = 1; minute <= 60; minute += 5)
    {
      f->now += 5 * 60;
      g_assert_false (inbox_session_activity (f->phone.session));
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (f->phone.syncs, ==, 1);
  g_assert_false (has (&f->phone, second));

  /* 20 idle minutes, then a click: a new session, and the sync with it */
  f->now += 21 * 60;
  g_assert_true (inbox_session_activity (f->phone.session));
  wait_syncs (&f->phone, 2);
  g_assert_true (has (&f->phone, second));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->phone.store)), ==, 2);
}

/* What the user does reaches the campaign's counts; the other device sees it. */
static void
test_e2e_actions_reach_server (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *read_id = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\", \"bob\"]}", "Read me", NULL);
  g_autofree char *gone_id = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "Delete me", NULL);
  InboxMessage *to_read, *to_delete;
  guint delivered;

  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, read_id, "delivered"), ==, 2);

  inbox_session_start (f->phone.session);
  inbox_session_start (f->laptop.session);
  wait_syncs (&f->phone, 1);
  wait_syncs (&f->laptop, 1);
  g_assert_true (has (&f->laptop, gone_id));

  to_read = inbox_store_lookup (f->phone.store, read_id, NULL);
  to_delete = inbox_store_lookup (f->phone.store, gone_id, NULL);
  g_assert_true (inbox_store_record_viewed (f->phone.store, to_read, NULL));
  g_assert_true (inbox_store_set_read (f->phone.store, to_read, TRUE, NULL));
  g_assert_true (inbox_store_record_clicked (f->phone.store, to_read, "Go", NULL));
  g_assert_true (inbox_store_delete (f->phone.store, to_delete, NULL));
  g_assert_false (has (&f->phone, gone_id));

  /* nothing reaches the server until a session syncs */
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, read_id, "read"), ==, 0);
  f->now += 30 * 60;
  inbox_session_activity (f->phone.session);
  wait_syncs (&f->phone, 2);

  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, read_id, "read"), ==, 1);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, read_id, "viewed"), ==, 1);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, read_id, "clicked"), ==, 1);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, gone_id, "deleted"), ==, 1);

  /* again: nothing counted twice */
  f->now += 30 * 60;
  inbox_session_activity (f->phone.session);
  wait_syncs (&f->phone, 3);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, read_id, "viewed"), ==, 1);

  /* the laptop's next session: deleted there too, read there too */
  f->now += 30 * 60;
  inbox_session_activity (f->laptop.session);
  wait_syncs (&f->laptop, 2);
  g_assert_false (has (&f->laptop, gone_id));
  g_assert_true (inbox_message_get_read (inbox_store_lookup (f->laptop.store, read_id, NULL)));

  /* and Bob's copy of the read campaign is untouched */
  g_free (test_util_publish (f->server->url, ADMIN, "{\"users\": [\"bob\"]}", "Bob only", &delivered));
  g_assert_cmpuint (delivered, ==, 1);
}

/* The server going away mid-session: offline, cache kept, then back. */
static void
test_e2e_server_killed (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "Kept", NULL);
  InboxMessage *message;

  inbox_session_start (f->phone.session);
  wait_syncs (&f->phone, 1);
  message = inbox_store_lookup (f->phone.store, id, NULL);
  g_assert_true (inbox_store_set_read (f->phone.store, message, TRUE, NULL));

  test_server_kill (f->server);
  inbox_sync_set_backoff (f->phone.sync, 5, 10);
  f->now += 30 * 60;
  inbox_session_activity (f->phone.session);
  while (f->phone.syncs < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (f->phone.error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE);
  g_assert_true (has (&f->phone, id));
  g_assert_cmpuint (inbox_sync_get_retry_delay (f->phone.sync), >, 0);
  inbox_sync_stop (f->phone.sync);
}

static InboxStore *
sign_in (InboxAccount *account,
         const char   *path,
         const char   *url,
         const char   *user,
         const char   *token,
         GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inbox_sign_in_async (account, path, url, user, token, NULL, test_util_result_cb, &result);
  return inbox_sign_in_finish (account, test_util_wait_result (&result), error);
}

/* Signing in is proved by a first sync before anything is kept. */
static void
test_e2e_sign_in (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.appinbox.AppInbox");
  g_autoptr(InboxAccount) account = NULL;
  g_autofree char *path = g_build_filename (f->dir, "sign-in.sqlite", NULL);
  g_autofree char *id = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "Welcome", NULL);
  g_autofree char *user = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_settings_set_string (settings, "server-url", "");
  g_settings_set_string (settings, "user", "");
  account = inbox_account_new (settings);

  /* a wrong token: said, and nothing kept */
  store = sign_in (account, path, f->server->url, "alice", "not-the-token", &error);
  g_assert_null (store);
  g_assert_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "The server did not accept this token for alice");
  g_assert_cmpstr (inbox_account_get_user (account), ==, "");
  g_clear_error (&error);

  /* nobody there: offline, nothing kept */
  store = sign_in (account, path, "http://127.0.0.1:9", "alice", f->token, &error);
  g_assert_null (store);
  g_assert_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);

  store = sign_in (account, path, "http://inbox.example.com", "alice", f->token, &error);
  g_assert_error (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_BAD_URL);
  g_clear_error (&error);
  store = sign_in (account, path, f->server->url, " ", f->token, &error);
  g_assert_error (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_EMPTY);
  g_clear_error (&error);
  user = g_settings_get_string (settings, "user");
  g_assert_cmpstr (user, ==, "");

  /* the right one: the store is synced and the account kept */
  store = sign_in (account, path, f->server->url, "alice", f->token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (inbox_store_get_user (store), ==, "alice");
  g_assert_nonnull (inbox_store_lookup (store, id, NULL));
  g_assert_true (inbox_account_is_complete (account));
  g_free (user);
  user = g_settings_get_string (settings, "user");
  g_assert_cmpstr (user, ==, "alice");
}

/* Runs the app binary with @home as its data and cache; returns its stdout. */
static char *
run_app (Fixture    *f,
         const char *home,
         int         expected_status,
         char      **err,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  va_list args;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  g_ptr_array_add (argv, (gpointer) g_getenv ("APP_INBOX"));
  va_start (args, err);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  app = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (app, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (app), ==, expected_status);
  return out;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* One cache, two users: each sees only their own messages. */
static void
test_e2e_switch_user (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *home = g_build_filename (f->dir, "home", NULL);
  g_autofree char *alice_file = g_build_filename (f->dir, "alice-token", NULL);
  g_autofree char *bob_file = g_build_filename (f->dir, "bob-token", NULL);
  g_autofree char *bob_token = test_util_create_user (f->server->url, ADMIN, "bob2", NULL);
  g_autofree char *for_alice = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "Alice's", NULL);
  g_autofree char *for_bob = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"bob2\"]}", "Bob's", NULL);
  g_autofree char *a = NULL, *b = NULL, *again = NULL, *e1 = NULL, *e2 = NULL, *e3 = NULL;

  g_assert_true (g_file_set_contents (alice_file, f->token, -1, NULL));
  g_assert_true (g_file_set_contents (bob_file, bob_token, -1, NULL));

  a = run_app (f, home, 0, &e1, "--server", f->server->url, "--user", "alice", "--token-file", alice_file,
               "--list", "--sync", NULL);
  b = run_app (f, home, 0, &e2, "--server", f->server->url, "--user", "bob2", "--token-file", bob_file,
               "--list", "--sync", NULL);
  g_assert_cmpuint (count_lines (a), ==, 1);
  g_assert_nonnull (strstr (a, for_alice));
  g_assert_cmpuint (count_lines (b), ==, 1);
  g_assert_nonnull (strstr (b, for_bob));

  /* back to alice, from the cache alone: Bob's message is kept but not hers */
  again = run_app (f, home, 0, &e3, "--server", f->server->url, "--user", "alice", "--token-file", alice_file,
                   "--list", NULL);
  g_assert_cmpstr (again, ==, a);
}

/* app-inbox --list --sync --json prints what the server has for the user. */
static void
test_e2e_command_line (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "On the command line", NULL);
  g_autofree char *token_file = g_build_filename (f->dir, "token", NULL);
  g_autofree char *home = g_build_filename (f->dir, "home", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) app = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *first;

  g_assert_true (g_file_set_contents (token_file, f->token, -1, NULL));
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("APP_INBOX"), "--server", f->server->url,
                                     "--user", "alice", "--token-file", token_file, "--list", "--sync", "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (app, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (app), ==, 0);
  /* no keyring here: it says so, and the token is nowhere in what it prints */
  g_assert_nonnull (strstr (err, "keyring"));
  g_assert_null (strstr (err, f->token));
  g_assert_null (strstr (out, f->token));

  list = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (first, "type"), ==, "simple");
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "On the command line");
  g_assert_false (json_object_get_boolean_member (first, "read"));

  /* a wrong token: a non-zero exit that says why */
  {
    g_autoptr(GSubprocess) refused = NULL;
    g_autofree char *out2 = NULL, *err2 = NULL;

    g_assert_true (g_file_set_contents (token_file, "wrong", -1, NULL));
    refused = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("APP_INBOX"), "--server", f->server->url,
                                           "--user", "alice", "--token-file", token_file, "--list", "--sync", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (refused, NULL, NULL, &out2, &err2, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (refused), ==, 1);
    g_assert_nonnull (strstr (err2, "did not accept the token"));
  }
}

/* The app as run-demo runs it: signed in from the command line, it opens the
 * cache, shows its window once the cache is open, syncs, and --screenshot
 * saves what the first sync left on screen (the app must not quit while the
 * cache is still opening). */
static void
test_e2e_app_window (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *home = g_build_filename (f->dir, "home", NULL);
  g_autofree char *token_file = g_build_filename (f->dir, "alice-token", NULL);
  g_autofree char *png = g_build_filename (f->dir, "window.png", NULL);
  g_autofree char *published = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "For the window", NULL);
  g_autofree char *out = NULL, *listed = NULL, *err2 = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* a window needs a display: tools/run-tests runs every suite under xvfb-run */
  g_assert_nonnull (g_getenv ("DISPLAY"));

  g_assert_true (g_file_set_contents (token_file, f->token, -1, NULL));
  {
    /* a window wants a session bus of its own (this suite has none) */
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr(GSubprocess) app = NULL;
    g_autoptr(GError) error = NULL;

    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
    g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
    g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
    g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
    if (g_getenv ("ASAN_OPTIONS") != NULL)
      {
        /* a window under the sanitizers: the font and GL caches GTK keeps for
         * the life of the process are named in tests/lsan.supp, as in the
         * widgets pass (full stacks, so that the names are found) */
        g_autofree char *supp = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "lsan.supp", NULL);
        g_autofree char *lsan = g_strdup_printf ("suppressions=%s:print_suppressions=0", supp);
        g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":fast_unwind_on_malloc=0", NULL);

        g_subprocess_launcher_setenv (launcher, "LSAN_OPTIONS", lsan, TRUE);
        g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
      }
    app = g_subprocess_launcher_spawn (launcher, &error, "dbus-run-session", "--", g_getenv ("APP_INBOX"),
                                       "--server", f->server->url, "--user", "alice", "--token-file", token_file,
                                       "--no-keyring", "--screenshot", png, NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (app, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (app));
    g_assert_cmpint (g_subprocess_get_exit_status (app), ==, 0);
  }
  g_assert_nonnull (strstr (out, png));
  g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpint (memcmp (contents, "\x89PNG", 4), ==, 0);

  /* the window's sync left the message in the cache */
  listed = run_app (f, home, 0, &err2, "--server", f->server->url, "--user", "alice", "--token-file", token_file,
                    "--no-keyring", "--list", NULL);
  g_assert_nonnull (strstr (listed, published));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/e2e/next-session", Fixture, NULL, fixture_set_up, test_e2e_next_session, fixture_tear_down);
  g_test_add ("/e2e/actions-reach-server", Fixture, NULL, fixture_set_up, test_e2e_actions_reach_server, fixture_tear_down);
  g_test_add ("/e2e/server-killed", Fixture, NULL, fixture_set_up, test_e2e_server_killed, fixture_tear_down);
  g_test_add ("/e2e/command-line", Fixture, NULL, fixture_set_up, test_e2e_command_line, fixture_tear_down);
  g_test_add ("/e2e/switch-user", Fixture, NULL, fixture_set_up, test_e2e_switch_user, fixture_tear_down);
  g_test_add ("/e2e/sign-in", Fixture, NULL, fixture_set_up, test_e2e_sign_in, fixture_tear_down);
  g_test_add ("/e2e/app-window", Fixture, NULL, fixture_set_up, test_e2e_app_window, fixture_tear_down);

  return g_test_run ();
}
