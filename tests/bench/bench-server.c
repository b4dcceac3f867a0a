/* bench-server.c: the server on SQLite, on PostgreSQL with one process and
 * on PostgreSQL with two processes, in one run (under
 * tests/sync/with-postgres), printed as ratios to SQLite:
 *
 * - publishing 10,000 campaigns (each to one of 100 users) from 4 clients
 *   at once, spread over the processes;
 * - GET /v1/inbox (a page of 50 of a user's 100 messages, each request a
 *   different user) under wrk, 16 connections spread over the processes.
 *
 * BENCH_CAMPAIGNS and BENCH_SECONDS (wrk's duration) make a shorter run.
 * Nothing here passes or fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsoup/soup.h>
#include <stdio.h>

#include "test-util.h"

#define ADMIN    "bench-admin"
#define USERS    100
#define CLIENTS  4

typedef struct {
  const char *name;
  gboolean    postgres;
  guint       processes;
  double      publish_s;
  double      inbox_rate;
} Config;

typedef struct {
  char  **urls;      /* one a process */
  guint   n_urls;
  guint   client;
  guint   campaigns;
} Publisher;

static gpointer
publish_thread (gpointer data)
{
  Publisher *publisher = data;
  g_autoptr(SoupSession) session = soup_session_new ();

  for (guint i = publisher->client; i < publisher->campaigns; i += CLIENTS)
    {
      g_autofree char *endpoint = g_strconcat (publisher->urls[i % publisher->n_urls], "v1/campaigns", NULL);
      g_autoptr(SoupMessage) message = soup_message_new ("POST", endpoint);
      g_autoptr(GBytes) body = NULL, answer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = g_strdup_printf (
        "{\"target\": {\"users\": [\"user%u\"]}, \"ttl_seconds\": 864000, \"message\": {"
        " \"msg\": {\"type\": \"simple\", \"bg\": \"#FFF8E1\", \"orientation\": \"l\", \"tags\": [\"Offers\"], \"content\": ["
        "{\"title\": {\"text\": \"Message %u\"}, \"message\": {\"text\": \"Half price on every second coffee until Sunday.\"},"
        " \"action\": {\"hasUrl\": true, \"url\": {\"desktop\": {\"text\": \"https://example.com/%u\"}}}}]}}}",
        i % USERS, i, i);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", "Bearer " ADMIN);
      body = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (message, "application/json", body);
      answer = soup_session_send_and_read (session, message, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, 201);
    }
  return NULL;
}

/* A wrk script that asks for a different user's inbox each request */
static char *
write_wrk_script (const char  *dir,
                  char       **tokens)
{
  g_autofree char *path = g_build_filename (dir, "inbox.lua", NULL);
  GString *lua = g_string_new ("local tokens = {");

  for (guint i = 0; i < USERS; i++)
    g_string_append_printf (lua, "%s\"%s\"", i > 0 ? "," : "", tokens[i]);
  g_string_append (lua,
                   "}\nlocal n = 0\n"
                   "request = function()\n"
                   "  n = n + 1\n"
                   "  return wrk.format(\"GET\", \"/v1/inbox?limit=50\", "
                   "{[\"Authorization\"] = \"Bearer \" .. tokens[(n % #tokens) + 1]})\n"
                   "end\n");
  g_assert_true (g_file_set_contents (path, lua->str, -1, NULL));
  g_string_free (lua, TRUE);
  return g_steal_pointer (&path);
}

/* Requests a second from wrk, one wrk a process at once (16 connections
 * in all), or -1 without wrk. */
static double
wrk_rate (char       **urls,
          guint        n_urls,
          const char  *script,
          const char  *seconds)
{
  g_autofree char *duration = g_strdup_printf ("-d%ss", seconds);
  g_autofree char *connections = g_strdup_printf ("-c%u", 16 / n_urls);
  GSubprocess *wrk[2] = { NULL, NULL };
  double total = 0;

  if (g_find_program_in_path ("wrk") == NULL)
    return -1;
  for (guint i = 0; i < n_urls; i++)
    {
      g_autoptr(GError) error = NULL;

      wrk[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                 "wrk", n_urls == 1 ? "-t2" : "-t1", connections, duration, "-s", script, urls[i], NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < n_urls; i++)
    {
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      const char *line;

      g_subprocess_communicate_utf8 (wrk[i], NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      line = strstr (out, "Requests/sec:");
      g_assert_nonnull (line);
      g_assert_null (strstr (out, "Non-2xx"));
      total += g_ascii_strtod (line + strlen ("Requests/sec:"), NULL);
      g_object_unref (wrk[i]);
    }
  return total;
}

static void
run (Config     *config,
     guint       campaigns,
     const char *seconds)
{
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autofree char *script = NULL;
  TestServer *servers[2] = { NULL, NULL };
  char *urls[2] = { NULL, NULL };
  char *tokens[USERS];
  Publisher publishers[CLIENTS];
  GThread *threads[CLIENTS];
  gint64 start;

  g_setenv ("INBOX_TEST_DB", config->postgres ? "postgres" : "sqlite", TRUE);
  for (guint i = 0; i < config->processes; i++)
    {
      servers[i] = test_server_start (dir, ADMIN, FALSE);
      urls[i] = servers[i]->url;
    }
  for (guint i = 0; i < USERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i);

      tokens[i] = test_util_create_user (urls[i % config->processes], ADMIN, name, NULL);
    }

  start = g_get_monotonic_time ();
  for (guint c = 0; c < CLIENTS; c++)
    {
      publishers[c] = (Publisher) { urls, config->processes, c, campaigns };
      threads[c] = g_thread_new ("publish", publish_thread, &publishers[c]);
    }
  for (guint c = 0; c < CLIENTS; c++)
    g_thread_join (threads[c]);
  config->publish_s = (g_get_monotonic_time () - start) / 1e6;

  script = write_wrk_script (dir, tokens);
  config->inbox_rate = wrk_rate (urls, config->processes, script, seconds);

  printf ("  %-24s publish %6.1f s (%6.0f campaigns/s), GET /v1/inbox %7.0f requests/s\n",
          config->name, config->publish_s, campaigns / config->publish_s, config->inbox_rate);
  fflush (stdout);

  for (guint i = 0; i < config->processes; i++)
    test_server_free (servers[i]);
  for (guint i = 0; i < USERS; i++)
    g_free (tokens[i]);
  test_util_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  Config configs[] = {
    { "SQLite", FALSE, 1, 0, 0 },
    { "PostgreSQL, 1 process", TRUE, 1, 0, 0 },
    { "PostgreSQL, 2 processes", TRUE, 2, 0, 0 },
  };
  const char *campaigns_text = g_getenv ("BENCH_CAMPAIGNS");
  const char *seconds = g_getenv ("BENCH_SECONDS") != NULL ? g_getenv ("BENCH_SECONDS") : "5";
  guint campaigns = campaigns_text != NULL ? (guint) g_ascii_strtoull (campaigns_text, NULL, 10) : 10000;

  if (g_getenv ("INBOX_TEST_PG_HOST") == NULL)
    g_error ("bench-server runs under tests/sync/with-postgres");
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);

  printf ("The server: %u campaigns from %d clients to %d users, then GET /v1/inbox?limit=50 under wrk for %s s\n",
          campaigns, CLIENTS, USERS, seconds);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    run (&configs[i], campaigns, seconds);

  printf ("\nAs ratios to SQLite (above 1: faster):\n");
  printf ("  %-24s %8s %14s\n", "", "publish", "GET /v1/inbox");
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      if (configs[0].inbox_rate > 0)
        printf ("  %-24s %8.2f %14.2f\n", configs[i].name, configs[0].publish_s / configs[i].publish_s,
                configs[i].inbox_rate / configs[0].inbox_rate);
      else
        printf ("  %-24s %8.2f %14s\n", configs[i].name, configs[0].publish_s / configs[i].publish_s,
                "(no wrk)");
    }
  return 0;
}
