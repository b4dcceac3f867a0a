/* test-tokens.c: the server's tokens and ids come from the kernel's secure
 * generator. GLib's (g_random_*, GRand) is a Mersenne Twister: 624 outputs,
 * such as campaign ids that every recipient sees, rebuild it, and with it
 * the next user's token. This program puts its own g_random_* and g_rand_*
 * in front of GLib's and counts every call the token code makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "inbox-server.h"

static guint prng_calls;

/* These replace GLib's for the code linked into this program (the server
 * library is linked in statically). Each call gives another number. */
guint32 g_random_int (void) { return ++prng_calls * 2654435761u; }
gint32 g_random_int_range (gint32 begin, gint32 end) { prng_calls++; return begin; }
gdouble g_random_double (void) { prng_calls++; return 0.5; }
gdouble g_random_double_range (gdouble begin, gdouble end) { prng_calls++; return begin; }
void g_random_set_seed (guint32 seed) { prng_calls++; }
guint32 g_rand_int (GRand *rand_) { return ++prng_calls * 2654435761u; }
gint32 g_rand_int_range (GRand *rand_, gint32 begin, gint32 end) { prng_calls++; return begin; }

static gboolean
is_hex (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isxdigit (*text) || g_ascii_isupper (*text))
      return FALSE;
  return TRUE;
}

static void
test_tokens_secure (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-inbox-tokens-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "server.sqlite", NULL);
  g_autoptr(InboxServerStore) db = NULL;
  g_autoptr(InboxServer) server = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;

  db = inbox_server_store_open (path, NULL, &error);
  g_assert_no_error (error);
  server = inbox_server_new (db, NULL, "admin");

  prng_calls = 0;
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i);
      char *token = inbox_server_store_create_user (db, name, NULL, FALSE, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (token), ==, 64); /* 256 bits */
      g_assert_true (is_hex (token));
      g_assert_true (g_hash_table_add (seen, token));
    }
  g_assert_cmpuint (prng_calls, ==, 0);

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(JsonNode) request = json_from_string ("{\"target\": {\"all\": true}, \"message\": {\"msg\": "
                                                      "{\"type\": \"simple\", \"content\": [{\"title\": {\"text\": \"T\"}}]}}}",
                                                      &error);
      char *campaign_id;
      const char *random_part;
      guint delivered;

      g_assert_no_error (error);
      campaign_id = inbox_server_publish (server, request, &delivered, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (delivered, ==, 20);
      random_part = strchr (campaign_id, '_');
      g_assert_nonnull (random_part);
      g_assert_cmpuint (strlen (random_part + 1), ==, 16); /* 64 bits */
      g_assert_true (is_hex (random_part + 1));
      g_assert_true (g_hash_table_add (seen, campaign_id));
    }

  g_assert_cmpuint (prng_calls, ==, 0);

  /* and the replacement does count what this program calls */
  g_random_int ();
  g_assert_cmpuint (prng_calls, ==, 1);

  g_clear_object (&server);
  g_clear_object (&db);
  for (const char * const *suffix = (const char *[]) { "", "-wal", "-shm", NULL }; *suffix != NULL; suffix++)
    {
      g_autofree char *file = g_strconcat (path, *suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tokens/secure", test_tokens_secure);

  return g_test_run ();
}
