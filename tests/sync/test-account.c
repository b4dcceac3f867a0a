/* test-account.c: the account in GSettings, the token in the keyring
 *
 * Run twice: under run-with-keyring (a real Secret Service) with --keyring,
 * and with no session bus at all with --no-keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "inbox-account.h"

#define SCHEMA "io.github.appinbox.AppInbox"
#define SERVER "https://inbox.example.com"
#define TOKEN  "t0ken-that-must-not-leak-4f9a"

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static gboolean
set_account (InboxAccount *account,
             const char   *server,
             const char   *user,
             const char   *token,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inbox_account_set_async (account, server, user, token, NULL, result_cb, &result);
  return inbox_account_set_finish (account, wait_for (&result), error);
}

static gboolean
load_token (InboxAccount *account,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inbox_account_load_token_async (account, NULL, result_cb, &result);
  return inbox_account_load_token_finish (account, wait_for (&result), error);
}

static gboolean
sign_out (InboxAccount *account,
          GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inbox_account_sign_out_async (account, NULL, result_cb, &result);
  return inbox_account_sign_out_finish (account, wait_for (&result), error);
}

/* No file under the test's folders holds the token. */
static void
assert_token_in_no_file (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_token_in_no_file (path);
      else if (g_file_get_contents (path, &contents, &length, NULL))
        g_assert_null (g_strstr_len (contents, length, TOKEN));
    }
}

static GSettings *
settings (void)
{
  return g_settings_new (SCHEMA);
}

static void
test_account_urls (void)
{
  const char *good[] = { "https://inbox.example.com", "https://inbox.example.com:8443/base/", "http://127.0.0.1:8080",
                         "http://127.5.6.7/", "http://[::1]:9000", "http://localhost:1234" };
  const struct { const char *url; int code; const char *says; } bad[] = {
    { "", INBOX_ACCOUNT_ERROR_EMPTY, "empty" },
    { "http://inbox.example.com", INBOX_ACCOUNT_ERROR_BAD_URL, "plain http" },
    { "http://192.168.1.5", INBOX_ACCOUNT_ERROR_BAD_URL, "plain http" },
    { "ftp://inbox.example.com", INBOX_ACCOUNT_ERROR_BAD_URL, "not an http" },
    { "inbox.example.com", INBOX_ACCOUNT_ERROR_BAD_URL, "not a server address" },
    { "https://", INBOX_ACCOUNT_ERROR_BAD_URL, "not a server address" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (inbox_account_check_url (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (inbox_account_check_url (bad[i].url, &error));
      g_assert_error (error, INBOX_ACCOUNT_ERROR, bad[i].code);
      if (strstr (error->message, bad[i].says) == NULL)
        g_error ("“%s” does not say %s", error->message, bad[i].says);
    }
}

static void
test_account_refuses (void)
{
  g_autoptr(GSettings) s = settings ();
  g_autoptr(InboxAccount) account = inbox_account_new (s);
  g_autoptr(GError) error = NULL;

  g_assert_false (set_account (account, "http://inbox.example.com", "alice", TOKEN, &error));
  g_assert_error (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_BAD_URL);
  g_clear_error (&error);
  g_assert_false (set_account (account, SERVER, "  ", TOKEN, &error));
  g_assert_error (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (set_account (account, SERVER, "alice", "", &error));
  g_assert_error (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_EMPTY);
  g_assert_false (inbox_account_is_complete (account));
}

/* A real keyring keeps the token across runs; sign-out clears it. */
static void
test_account_keyring (void)
{
  g_autoptr(GSettings) s = settings ();
  g_autoptr(InboxAccount) first = inbox_account_new (s);
  g_autoptr(InboxAccount) second = NULL, third = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (set_account (first, SERVER, "alice", TOKEN, &error));
  g_assert_no_error (error);
  g_assert_null (inbox_account_get_keyring_error (first));
  {
    g_autofree char *user = g_settings_get_string (s, "user");
    g_assert_cmpstr (user, ==, "alice");
  }

  /* the next run: settings give server and user, the keyring the token */
  second = inbox_account_new (s);
  g_assert_cmpstr (inbox_account_get_server_url (second), ==, SERVER);
  g_assert_null (inbox_account_get_token (second));
  g_assert_true (load_token (second, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (inbox_account_get_token (second), ==, TOKEN);
  g_assert_true (inbox_account_is_complete (second));

  g_assert_true (sign_out (second, &error));
  g_assert_no_error (error);
  {
    g_autofree char *user = g_settings_get_string (s, "user");
    g_assert_cmpstr (user, ==, "");
  }
  g_assert_null (inbox_account_get_token (second));

  /* signed in as alice again: the keyring has nothing for her now */
  g_settings_set_string (s, "user", "alice");
  third = inbox_account_new (s);
  g_assert_true (load_token (third, &error));
  g_assert_null (inbox_account_get_token (third));

  assert_token_in_no_file (g_get_user_config_dir ());
}

/* No keyring: the account works for this run, says why, writes no token. */
static void
test_account_no_keyring (void)
{
  g_autoptr(GSettings) s = settings ();
  g_autoptr(InboxAccount) account = inbox_account_new (s);
  g_autoptr(InboxAccount) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  g_assert_true (set_account (account, SERVER, "alice", TOKEN, &error));
  g_assert_no_error (error);
  g_assert_nonnull (inbox_account_get_keyring_error (account));
  g_assert_nonnull (strstr (inbox_account_get_keyring_error (account)->message, "until App Inbox quits"));
  g_assert_cmpstr (inbox_account_get_token (account), ==, TOKEN);
  g_assert_true (inbox_account_is_complete (account));

  /* the held token still serves when asked again */
  g_assert_true (load_token (account, &error));
  g_assert_cmpstr (inbox_account_get_token (account), ==, TOKEN);

  /* the next run has no token, and says there is no keyring to ask */
  next = inbox_account_new (s);
  g_assert_false (load_token (next, &error));
  g_assert_nonnull (error);
  g_assert_null (inbox_account_get_token (next));

  config = g_build_filename (g_get_user_config_dir (), NULL);
  assert_token_in_no_file (config);
}

/* --no-keyring: memory only, nothing asked of the keyring, nothing said. */
static void
test_account_memory_only (void)
{
  g_autoptr(GSettings) s = settings ();
  g_autoptr(InboxAccount) account = inbox_account_new (s);
  g_autoptr(InboxAccount) next = NULL;
  g_autoptr(GError) error = NULL;

  inbox_account_set_memory_only (account, TRUE);
  g_assert_true (set_account (account, SERVER, "memo", TOKEN, &error));
  g_assert_no_error (error);
  g_assert_null (inbox_account_get_keyring_error (account));
  g_assert_cmpstr (inbox_account_get_token (account), ==, TOKEN);

  /* with a keyring there, it still holds nothing for memo */
  next = inbox_account_new (s);
  g_assert_cmpstr (inbox_account_get_user (next), ==, "memo");
  if (load_token (next, &error))
    g_assert_null (inbox_account_get_token (next));
  g_clear_error (&error);
  assert_token_in_no_file (g_get_user_config_dir ());
}

int
main (int   argc,
      char *argv[])
{
  gboolean keyring = argc > 1 && g_str_equal (argv[argc - 1], "--keyring");
  g_autofree char *home = g_dir_make_tmp ("app-inbox-account-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);

  /* settings go to a key file in a folder of this test's, so that it can
   * be searched for the token */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  if (argc > 1 && (g_str_equal (argv[argc - 1], "--keyring") || g_str_equal (argv[argc - 1], "--no-keyring")))
    argc--;
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account/urls", test_account_urls);
  g_test_add_func ("/account/refuses", test_account_refuses);
  g_test_add_func ("/account/memory-only", test_account_memory_only);
  if (keyring)
    g_test_add_func ("/account/keyring", test_account_keyring);
  else
    g_test_add_func ("/account/no-keyring", test_account_no_keyring);

  return g_test_run ();
}
