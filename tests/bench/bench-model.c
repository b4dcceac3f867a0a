/* bench-model.c: ingest, open and memory figures for the model layer
 *
 * Prints, from one run, on 10,000 generated messages of all four templates:
 * - ingest (parse + validate + store) as a ratio to json-glib parsing the
 *   same bytes alone (target at most 2.0);
 * - opening the cache and having the store's list model ready (target under
 *   50 ms), and its ratio to the same with 1,000 messages;
 * - peak RSS with 10,000 messages loaded (measured in a fresh process).
 * Times are medians of several runs. Nothing here passes or fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "inbox-store.h"
#include "test-util.h"

#define NOW ((gint64) 1716500000)
#define RUNS 7



static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_json_glib (const char *json)
{
  double runs[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      JsonParser *parser = json_parser_new_immutable ();

      /* parsed and freed: ingest frees its parse tree too */
      json_parser_load_from_data (parser, json, -1, &error);
      g_assert_no_error (error);
      g_object_unref (parser);
      runs[r] = ms_since (start);
    }

  return test_util_median (runs, RUNS);
}

static double
time_ingest (const char *dir,
             const char *json)
{
  double runs[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      g_autofree char *path = g_strdup_printf ("%s/ingest-%u.sqlite", dir, r);
      g_autoptr(InboxCache) cache = NULL;
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;

      cache = inbox_cache_new (path, &error);
      g_assert_no_error (error);

      start = g_get_monotonic_time ();
      items = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
      g_assert_no_error (error);
      messages = g_ptr_array_new_full (items->len, g_object_unref);
      for (guint i = 0; i < items->len; i++)
        {
          InboxPayloadItem *item = g_ptr_array_index (items, i);

          if (item->message != NULL)
            g_ptr_array_add (messages, g_object_ref (item->message));
        }
      g_clear_pointer (&items, g_ptr_array_unref);
      inbox_cache_apply (cache, "alice", messages, NULL, NULL, NOW, NULL, &error);
      g_assert_no_error (error);
      runs[r] = ms_since (start);
      g_assert_cmpuint (messages->len, ==, 10000);
    }

  return test_util_median (runs, RUNS);
}

static char *
make_cache (const char *dir,
            guint       count)
{
  g_autofree char *json = test_util_messages_json (count, "bench", NOW);
  g_autoptr(GPtrArray) messages = test_util_parse_messages (json, NOW);
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_strdup_printf ("%s/open-%u.sqlite", dir, count);

  cache = inbox_cache_new (path, &error);
  g_assert_no_error (error);
  inbox_cache_apply (cache, "alice", messages, NULL, NULL, NOW, NULL, &error);
  g_assert_no_error (error);

  return path;
}

static double
time_open (const char *path,
           guint       expected)
{
  double runs[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(InboxCache) cache = NULL;
      g_autoptr(InboxStore) store = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      cache = inbox_cache_new (path, &error);
      g_assert_no_error (error);
      store = inbox_store_new (cache, "alice");
      inbox_store_load (store, &error);
      g_assert_no_error (error);
      runs[r] = ms_since (start);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, expected);
    }

  return test_util_median (runs, RUNS);
}

/* VmHWM: this process's own peak (getrusage's ru_maxrss carries the
 * parent's peak across fork and exec). */
static double
status_mib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return 0;

  return g_ascii_strtod (line + strlen (field), NULL) / 1024.0;
}

static double
peak_rss_mib (void)
{
  return status_mib ("VmHWM:");
}

/* `bench-model --rss DB [--parse-all]`: open, load, report peak RSS. */
static int
rss_mode (const char *path,
          gboolean    parse_all)
{
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  cache = inbox_cache_new (path, &error);
  g_assert_no_error (error);
  store = inbox_store_new (cache, "alice");
  inbox_store_load (store, &error);
  g_assert_no_error (error);

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  if (parse_all)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (store), i);

          g_assert_true (inbox_message_load (message, NULL));
          g_assert_cmpuint (inbox_message_get_n_contents (message), >, 0);
        }
    }

  /* peak, then what of the resident memory is the process's own (the rest
   * is the database file's pages, mapped read-only and shared) */
  printf ("%.1f %.1f\n", peak_rss_mib (), status_mib ("RssAnon:"));
  return 0;
}

/* Runs this program again with @mode_args; returns the peak RSS it reports
 * (and its own resident memory in @anon). A fresh process per figure, so
 * that one measurement's peak is not another's. */
static double
child_rss (const char *self,
           const char *mode,
           const char *path,
           gboolean    parse_all,
           double     *anon)
{
  const char *argv[] = { self, mode, path, parse_all ? "--parse-all" : NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  char *rest;
  double peak;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  peak = g_ascii_strtod (out, &rest);
  *anon = g_ascii_strtod (rest, NULL);
  return peak;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path_10k = NULL;
  g_autofree char *path_1k = NULL;
  g_autofree char *self = NULL;
  double parse_ms, ingest_ms, open_10k, open_1k;
  double rss_base, rss_list, rss_all, anon_base, anon_list, anon_all;

  if (argc >= 3 && g_str_equal (argv[1], "--rss"))
    return rss_mode (argv[2], argc >= 4 && g_str_equal (argv[3], "--parse-all"));
  if (argc >= 2 && g_str_equal (argv[1], "--rss-baseline"))
    {
      G_GNUC_UNUSED g_autoptr(GObject) touch = g_object_new (G_TYPE_OBJECT, NULL);

      printf ("%.1f %.1f\n", peak_rss_mib (), status_mib ("RssAnon:"));
      return 0;
    }

  self = g_canonicalize_filename (argv[0], NULL);
  dir = test_util_make_tmpdir ();
  json = test_util_messages_json (10000, "bench", NOW);

  printf ("# model benchmark: 10,000 generated messages (all four templates), %.1f MiB of JSON\n",
          strlen (json) / 1048576.0);

  parse_ms = time_json_glib (json);
  ingest_ms = time_ingest (dir, json);
  printf ("ingest (parse + validate + store): %.1f ms; json-glib parse alone: %.1f ms; "
          "ratio %.2f (target <= 2.0)\n", ingest_ms, parse_ms, ingest_ms / parse_ms);

  path_10k = make_cache (dir, 10000);
  path_1k = make_cache (dir, 1000);
  open_10k = time_open (path_10k, 10000);
  open_1k = time_open (path_1k, 1000);
  printf ("open cache + list model ready: 10,000 messages %.1f ms (target < 50 ms); "
          "1,000 messages %.1f ms; ratio 10k/1k %.2f\n", open_10k, open_1k, open_10k / open_1k);

  rss_base = child_rss (self, "--rss-baseline", NULL, FALSE, &anon_base);
  rss_list = child_rss (self, "--rss", path_10k, FALSE, &anon_list);
  rss_all = child_rss (self, "--rss", path_10k, TRUE, &anon_all);
  printf ("peak RSS: process baseline %.1f MiB; 10,000 messages loaded %.1f MiB (ratio %.2f, "
          "of which %.1f MiB the process's own, the rest the mapped database file); "
          "after parsing every message's content %.1f MiB (ratio %.2f, own %.1f MiB)\n",
          rss_base, rss_list, rss_list / rss_base, anon_list, rss_all, rss_all / rss_base, anon_all);

  test_util_rm_rf (dir);
  return 0;
}
