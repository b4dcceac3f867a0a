/* test-client.c: InboxClient, the inbox's one state machine, against the
 * real server: no account → sign-in; a refused sign-in keeps nothing; a good
 * one gives the user's synced messages; a dead server → offline with the
 * reason, and Try Again once it is back → ready; sign-out → sign-in again,
 * the messages gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "inbox-client-private.h"
#include "test-util.h"

#define ADMIN "client-test-admin-token"

typedef struct {
  char       *dir;
  TestServer *server;
  char       *token;
  GPtrArray  *states;    /* each state the client went through, in order */
} Fixture;

static void
state_cb (InboxClient *client,
          GParamSpec  *pspec,
          Fixture     *f)
{
  g_ptr_array_add (f->states, g_strdup (g_enum_get_value (g_type_class_peek (INBOX_TYPE_CLIENT_STATE),
                                                          inbox_client_get_state (client))->value_nick));
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static InboxClient *
new_client (Fixture *f)
{
  g_autofree char *data = g_build_filename (f->dir, "data", NULL);
  g_autofree char *cache = g_build_filename (f->dir, "cache", NULL);
  InboxClient *client = g_object_new (INBOX_TYPE_CLIENT,
                                      "application-id", "org.example.ClientTest",
                                      "data-dir", data,
                                      "cache-dir", cache,
                                      "use-keyring", FALSE,
                                      NULL);

  g_signal_connect (client, "notify::state", G_CALLBACK (state_cb), f);
  return client;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_util_make_tmpdir ();
  f->server = test_server_start (f->dir, ADMIN, FALSE);
  f->token = test_util_create_user (f->server->url, ADMIN, "alice", NULL);
  f->states = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, test_server_free);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->token);
  g_ptr_array_unref (f->states);
}

static void
wait_state (InboxClient      *client,
            InboxClientState  state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (inbox_client_get_state (client) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_not_syncing (InboxClient *client)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (inbox_client_get_syncing (client))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
sign_in (InboxClient  *client,
         const char   *server_url,
         const char   *user,
         const char   *token,
         GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inbox_client_sign_in_async (client, server_url, user, token, NULL, test_util_result_cb, &result);
  return inbox_client_sign_in_finish (client, test_util_wait_result (&result), error);
}

/* No account: the cache opens, then the client asks for a sign-in, with no
 * reason to give; the folders follow the application id's properties. */
static void
test_client_no_account (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(InboxClient) client = new_client (f);
  g_autofree char *cache_path = NULL;

  g_assert_cmpint (inbox_client_get_state (client), ==, INBOX_CLIENT_STATE_LOADING);
  g_assert_null (inbox_client_get_store (client));
  inbox_client_start (client);
  wait_state (client, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);

  g_assert_null (inbox_client_get_sign_in_reason (client));
  g_assert_nonnull (inbox_client_get_store (client));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox_client_get_store (client))), ==, 0);
  g_assert_cmpstr (inbox_client_get_user (client), ==, "");
  g_assert_cmpstr (inbox_client_get_application_id (client), ==, "org.example.ClientTest");
  cache_path = inbox_client_dup_cache_path (client);
  g_assert_true (g_str_has_prefix (cache_path, f->dir));
  g_assert_true (g_file_test (cache_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (f->states->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->states, 0), ==, "needs-sign-in");
}

/* A refused sign-in keeps nothing; a good one brings the user's messages,
 * already synced, and sessions begin. */
static void
test_client_sign_in (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(InboxClient) client = new_client (f);
  g_autofree char *first = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "First", NULL);
  g_autofree char *second = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "Second", NULL);
  g_autoptr(GError) error = NULL;
  guint unread_notifies = 0;

  inbox_client_start (client);
  wait_state (client, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);

  g_assert_false (sign_in (client, f->server->url, "alice", "not-the-token", &error));
  g_assert_nonnull (error);
  g_assert_cmpint (inbox_client_get_state (client), ==, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);
  g_assert_cmpstr (inbox_client_get_user (client), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox_client_get_store (client))), ==, 0);
  g_clear_error (&error);

  g_signal_connect_swapped (client, "notify::unread-count", G_CALLBACK (count_cb), &unread_notifies);
  g_assert_true (sign_in (client, f->server->url, "alice", f->token, &error));
  g_assert_no_error (error);
  g_assert_cmpint (inbox_client_get_state (client), ==, INBOX_CLIENT_STATE_READY);
  g_assert_cmpstr (inbox_client_get_user (client), ==, "alice");
  g_assert_cmpstr (inbox_client_get_server_url (client), ==, f->server->url);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox_client_get_store (client))), ==, 2);
  g_assert_nonnull (inbox_store_lookup (inbox_client_get_store (client), first, NULL));
  g_assert_nonnull (inbox_store_lookup (inbox_client_get_store (client), second, NULL));
  g_assert_cmpuint (inbox_client_get_unread_count (client), ==, 2);
  g_assert_cmpuint (unread_notifies, >, 0);
  wait_not_syncing (client);
}

/* The server goes: offline, with the reason; it comes back on the same
 * address: Try Again makes the client ready, with what was published in
 * between. */
static void
test_client_offline_and_back (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(InboxClient) client = new_client (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (f->server->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *listen = g_strdup_printf ("--listen=127.0.0.1:%d", g_uri_get_port (uri));
  g_autofree char *later = NULL;
  const char *extra[] = { listen, NULL };

  inbox_client_start (client);
  wait_state (client, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);
  g_assert_true (sign_in (client, f->server->url, "alice", f->token, &error));
  wait_not_syncing (client);

  test_server_kill (f->server);
  g_clear_pointer (&f->server, test_server_free);
  inbox_client_sync_now (client);
  wait_state (client, INBOX_CLIENT_STATE_OFFLINE);
  g_assert_nonnull (inbox_client_get_offline_reason (client));
  g_assert_nonnull (strstr (inbox_client_get_offline_reason (client), "127.0.0.1"));

  f->server = test_server_start_limited (f->dir, ADMIN, FALSE, 0, extra);
  later = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "Later", NULL);
  inbox_client_sync_now (client);
  wait_state (client, INBOX_CLIENT_STATE_READY);
  g_assert_null (inbox_client_get_offline_reason (client));
  g_assert_nonnull (inbox_store_lookup (inbox_client_get_store (client), later, NULL));
}

/* Sign-out: sign-in again, the user's messages and the media folder gone,
 * the server address kept for the next sign-in. */
static void
test_client_sign_out (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(InboxClient) client = new_client (f);
  g_autofree char *first = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "First", NULL);
  g_autofree char *media = g_build_filename (f->dir, "cache", "media", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  inbox_client_start (client);
  wait_state (client, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);
  g_assert_true (sign_in (client, f->server->url, "alice", f->token, &error));
  wait_not_syncing (client);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox_client_get_store (client))), ==, 1);
  g_assert_cmpint (g_mkdir_with_parents (media, 0700), ==, 0);

  inbox_client_sign_out_async (client, NULL, test_util_result_cb, &result);
  g_assert_cmpint (inbox_client_get_state (client), ==, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);
  g_assert_true (inbox_client_sign_out_finish (client, test_util_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox_client_get_store (client))), ==, 0);
  g_assert_cmpstr (inbox_client_get_user (client), ==, "");
  g_assert_cmpstr (inbox_client_get_server_url (client), ==, f->server->url);
  g_assert_false (g_file_test (media, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (inbox_client_get_unread_count (client), ==, 0);
}

/* A cache that cannot be opened: the error state with the reason, and Try
 * Again opens it once it can be. */
static void
test_client_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *data_dir = g_build_filename (f->dir, "data", NULL);
  g_autoptr(InboxClient) client = NULL;

  /* a file where the folder should be */
  g_assert_true (g_file_set_contents (data_dir, "not a folder", -1, NULL));
  client = new_client (f);
  inbox_client_start (client);
  wait_state (client, INBOX_CLIENT_STATE_ERROR);
  g_assert_nonnull (inbox_client_get_error_message (client));
  g_assert_nonnull (inbox_client_get_store (client));

  g_assert_cmpint (g_unlink (data_dir), ==, 0);
  inbox_client_sync_now (client);
  wait_state (client, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);
  g_assert_null (inbox_client_get_error_message (client));
}

/* A refused sign-in while signed in leaves the client as it was: still
 * signed in as before, and still syncing. */
static void
test_client_sign_in_refused_keeps_syncing (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(InboxClient) client = new_client (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *later = NULL;

  inbox_client_start (client);
  wait_state (client, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);
  g_assert_true (sign_in (client, f->server->url, "alice", f->token, &error));
  wait_not_syncing (client);

  g_assert_false (sign_in (client, f->server->url, "alice", "wrong-token", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (inbox_client_get_state (client), ==, INBOX_CLIENT_STATE_READY);
  g_assert_cmpstr (inbox_client_get_user (client), ==, "alice");
  wait_not_syncing (client);

  later = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "Later", NULL);
  inbox_client_sync_now (client);
  while (inbox_store_lookup (inbox_client_get_store (client), later, NULL) == NULL)
    g_main_context_iteration (NULL, TRUE);
  wait_not_syncing (client);

  /* stopped (the host app quits): Try Again does nothing any more */
  inbox_client_stop (client);
  inbox_client_sync_now (client);
  g_assert_false (inbox_client_get_syncing (client));
}

static void
notice_cb (InboxClient *client,
           const char  *text,
           GPtrArray   *heard)
{
  g_ptr_array_add (heard, g_strdup (text));
}

/* What the client says before anyone listens (a cache it had to rebuild, as
 * it opens) is said again to the first listener. */
static void
test_client_notices_kept (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *data_dir = g_build_filename (f->dir, "data", NULL);
  g_autofree char *cache_path = g_build_filename (data_dir, "inbox.sqlite", NULL);
  g_autoptr(GPtrArray) heard = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(InboxClient) client = NULL;

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (cache_path, "this is not a database, not even close to one", -1, NULL));
  client = new_client (f);
  inbox_client_start (client);
  wait_state (client, INBOX_CLIENT_STATE_NEEDS_SIGN_IN);

  g_signal_connect (client, "notice", G_CALLBACK (notice_cb), heard);
  inbox_client_flush_notices (client);
  g_assert_cmpuint (heard->len, ==, 1);
  inbox_client_flush_notices (client);
  g_assert_cmpuint (heard->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/client/no-account", test_client_no_account);
  ADD ("/client/sign-in", test_client_sign_in);
  ADD ("/client/offline-and-back", test_client_offline_and_back);
  ADD ("/client/sign-out", test_client_sign_out);
  ADD ("/client/error", test_client_error);
  ADD ("/client/sign-in-refused-keeps-syncing", test_client_sign_in_refused_keeps_syncing);
  ADD ("/client/notices-kept", test_client_notices_kept);
#undef ADD

  return g_test_run ();
}
