/* bench-sync.c: the sync and the server, as ratios measured in one run
 *
 * - Sync of 10,000 messages from app-inbox-server into an empty cache
 *   (pages of 1,000: HTTP, parse, one transaction), as a ratio to ingesting
 *   the same messages from a file (parse + one transaction).
 * - The server's GET /v1/inbox (a page of 200, through its database) under
 *   load from wrk in a second process, as a ratio to the same server
 *   serving the same bytes as a static file from /media/.
 * Nothing here passes or fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsoup/soup.h>
#include <stdio.h>

#include "inbox-sync.h"
#include "test-util.h"

#define ADMIN    "bench-admin"
#define MESSAGES 10000
#define RUNS     5




/* 10,000 campaigns of the four templates, through the admin API. */
static void
publish_all (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *endpoint = g_strconcat (url, "v1/campaigns", NULL);
  const char *templates[] = { "simple", "message-icon", "carousel", "carousel-image" };

  for (guint i = 0; i < MESSAGES; i++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("POST", endpoint);
      g_autoptr(GBytes) body = NULL, answer = NULL;
      g_autoptr(GError) error = NULL;
      const char *type = templates[i % 4];
      gboolean carousel = g_str_has_prefix (type, "carousel");
      g_autofree char *json = g_strdup_printf (
        "{\"target\": {\"users\": [\"bench\"]}, \"ttl_seconds\": 864000, \"message\": {\"wzrk_pivot\": \"p%u\","
        " \"msg\": {\"type\": \"%s\", \"bg\": \"#FFF8E1\", \"orientation\": \"l\", \"tags\": [\"Offers\"], \"content\": ["
        "{\"title\": {\"text\": \"Message %u\", \"color\": \"#3E2723\"}, \"message\": {\"text\": \"Half price on every"
        " second coffee until Sunday, in every shop of the chain.\", \"color\": \"#5D4037\"},"
        " \"media\": {\"url\": \"https://media.example.com/%u.png\", \"content_type\": \"image/png\", \"alt_text\": \"A picture\"},"
        " \"icon\": {\"url\": \"https://media.example.com/icon.png\"}, \"action\": {\"hasUrl\": true,"
        " \"url\": {\"desktop\": {\"text\": \"https://example.com/%u\"}}, \"hasLinks\": true, \"links\": ["
        "{\"type\": \"url\", \"text\": \"See offer\", \"url\": {\"desktop\": {\"text\": \"https://example.com/o\"}}}]}}%s]}}}",
        i, type, i, i, i,
        carousel ? ", {\"title\": {\"text\": \"Two\"}, \"media\": {\"url\": \"https://media.example.com/2.png\","
                   " \"content_type\": \"image/png\"}, \"action\": {\"hasUrl\": true, \"url\": {\"desktop\": {\"text\": \"https://example.com/2\"}}}}"
                 : "");

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", "Bearer " ADMIN);
      body = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (message, "application/json", body);
      answer = soup_session_send_and_read (session, message, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, 201);
    }
}

/* Every message of the user, as one sync response, the way the app gets them. */
static char *
all_pages (const char *url,
           const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GString) merged = g_string_new ("{\"user\": \"bench\", \"cursor\": \"x\", \"more\": false, \"deleted\": [], \"inbox_notifs\": [");
  g_autofree char *cursor = NULL;
  gboolean more = TRUE, first = TRUE;

  while (more)
    {
      g_autofree char *page_url = cursor != NULL ? g_strdup_printf ("%sv1/inbox?limit=1000&since=%s", url, cursor)
                                                 : g_strdup_printf ("%sv1/inbox?limit=1000", url);
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      g_autoptr(SoupMessage) message = soup_message_new ("GET", page_url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;
      JsonArray *notifs;

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
      body = soup_session_send_and_read (session, message, NULL, &error);
      g_assert_no_error (error);
      root = json_from_string (g_bytes_get_data (body, NULL), &error);
      g_assert_no_error (error);
      notifs = json_object_get_array_member (json_node_get_object (root), "inbox_notifs");
      for (guint i = 0; i < json_array_get_length (notifs); i++)
        {
          g_autofree char *text = json_to_string (json_array_get_element (notifs, i), FALSE);

          if (!first)
            g_string_append_c (merged, ',');
          first = FALSE;
          g_string_append (merged, text);
        }
      more = json_object_get_boolean_member (json_node_get_object (root), "more");
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (json_node_get_object (root), "cursor"));
    }

  g_string_append (merged, "]}");
  return g_string_free (g_steal_pointer (&merged), FALSE);
}

static double
time_sync (const char *dir,
           const char *url,
           const char *token,
           guint       run)
{
  g_autofree char *path = g_strdup_printf ("%s/sync-%u.sqlite", dir, run);
  g_autoptr(InboxCache) cache = inbox_cache_new (path, NULL);
  g_autoptr(InboxStore) store = inbox_store_new (cache, "bench");
  g_autoptr(InboxSync) sync = inbox_sync_new (store, url, token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  inbox_sync_set_page_limit (sync, 1000);
  start = g_get_monotonic_time ();
  inbox_sync_run_async (sync, NULL, test_util_result_cb, &result);
  test_util_wait_result (&result);
  g_assert_true (inbox_sync_run_finish (sync, result, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, MESSAGES);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The baseline: the same messages from a file, parsed and stored at once. */
static double
time_file (const char *dir,
           const char *file,
           guint       run)
{
  g_autofree char *path = g_strdup_printf ("%s/file-%u.sqlite", dir, run);
  g_autoptr(InboxCache) cache = inbox_cache_new (path, NULL);
  g_autoptr(InboxStore) store = inbox_store_new (cache, "bench");
  g_autoptr(GPtrArray) items = NULL, messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  items = inbox_payload_parse_file (file, g_get_real_time () / G_USEC_PER_SEC, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (messages, g_object_ref (((InboxPayloadItem *) g_ptr_array_index (items, i))->message));
  g_assert_true (inbox_store_merge (store, messages, NULL, "x", &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, MESSAGES);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Requests a second from wrk, or -1 without wrk. */
static double
wrk_rate (const char *url,
          const char *token)
{
  g_autofree char *header = token != NULL ? g_strconcat ("Authorization: Bearer ", token, NULL) : g_strdup ("X-Bench: 1");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "wrk", "-t2", "-c16", "-d5s", "-H", header, url, NULL };
  const char *line;
  int status;

  if (g_find_program_in_path ("wrk") == NULL)
    return -1;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &error))
    return -1;
  line = strstr (out, "Requests/sec:");
  return line != NULL ? g_ascii_strtod (line + strlen ("Requests/sec:"), NULL) : -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autoptr(TestServer) server = NULL;
  g_autofree char *token = NULL, *merged = NULL, *file = NULL, *page_url = NULL, *static_url = NULL;
  g_autofree char *page_file = NULL;
  double sync_ms[RUNS], file_ms[RUNS];
  double inbox_rate, static_rate;
  gint64 start;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  server = test_server_start (dir, ADMIN, FALSE);
  token = test_util_create_user (server->url, ADMIN, "bench", NULL);
  start = g_get_monotonic_time ();
  publish_all (server->url);
  printf ("Published %d campaigns through the admin API in %.1f s\n", MESSAGES,
          (g_get_monotonic_time () - start) / 1e6);

  merged = all_pages (server->url, token);
  file = g_build_filename (dir, "inbox.json", NULL);
  g_assert_true (g_file_set_contents (file, merged, -1, NULL));
  printf ("The same messages as one file: %.1f MiB\n", strlen (merged) / 1048576.0);

  for (guint r = 0; r < RUNS; r++)
    {
      sync_ms[r] = time_sync (dir, server->url, token, r);
      file_ms[r] = time_file (dir, file, r);
    }
  printf ("\nSync of %d messages into an empty cache (median of %d):\n", MESSAGES, RUNS);
  printf ("  from the server, pages of 1000:  %8.0f ms\n", test_util_median (sync_ms, RUNS));
  printf ("  from a file (parse + store):     %8.0f ms\n", test_util_median (file_ms, RUNS));
  printf ("  ratio sync / file:               %8.2f\n", test_util_median (sync_ms, RUNS) / test_util_median (file_ms, RUNS));

  /* the static copy of one page, served by the same server */
  page_url = g_strdup_printf ("%sv1/inbox?limit=200", server->url);
  {
    g_autoptr(GBytes) body = NULL;
    guint status;

    body = test_util_http ("GET", page_url, token, NULL, 0, &status);
    page_file = g_build_filename (dir, "server-media", "page.json", NULL);
    g_assert_true (g_file_set_contents (page_file, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL));
    printf ("\nGET /v1/inbox?limit=200: %zu bytes a page\n", g_bytes_get_size (body));
  }
  static_url = g_strdup_printf ("%smedia/page.json", server->url);
  inbox_rate = wrk_rate (page_url, token);
  static_rate = wrk_rate (static_url, NULL);
  if (inbox_rate < 0 || static_rate < 0)
    printf ("  wrk is not installed (apt-get install wrk): no throughput figures\n");
  else
    {
      printf ("  /v1/inbox under wrk (2 threads, 16 connections, 5 s): %8.0f requests/s\n", inbox_rate);
      printf ("  the same bytes as a static file from /media/:          %8.0f requests/s\n", static_rate);
      printf ("  ratio inbox / static:                                  %8.2f\n", inbox_rate / static_rate);
    }

  g_clear_pointer (&server, test_server_free);
  test_util_rm_rf (dir);
  return 0;
}
