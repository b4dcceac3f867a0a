/* bench-search.c: search against listing, on 10,000 messages
 *
 * Prints, from one run, the time to the first result list of a search (the
 * store's search in its worker thread, then the store's messages that
 * matched, in order: what a tab's list shows) divided by the time to list
 * the same 10,000 messages unfiltered (the store's load in its worker
 * thread, the list model filled): target at most 1.5, for each query, from
 * a word every message has to one none has. Times are medians of several
 * runs. Nothing here passes or fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "inbox-store.h"
#include "test-util.h"

#define NOW ((gint64) 1716500000)
#define COUNT 10000
#define RUNS 9

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_list (InboxStore *store)
{
  double runs[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      GAsyncResult *result = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      inbox_store_load_async (store, NULL, test_util_result_cb, &result);
      test_util_wait_result (&result);
      g_assert_true (inbox_store_load_finish (store, result, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, COUNT);
      runs[r] = ms_since (start);
      g_object_unref (result);
    }

  return test_util_median (runs, RUNS);
}

static double
time_search (InboxStore *store,
             const char *text,
             guint      *n_found)
{
  g_autoptr(InboxSearch) search = inbox_search_new (text);
  double runs[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      GAsyncResult *result = NULL;
      g_autoptr(GHashTable) ids = NULL;
      g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      inbox_store_search_async (store, search, NULL, test_util_result_cb, &result);
      test_util_wait_result (&result);
      ids = inbox_store_search_finish (store, result, &error);
      g_assert_no_error (error);

      /* the first result list: the store's messages that matched, in order */
      for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (store)); i < n; i++)
        {
          g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (store), i);

          if (g_hash_table_contains (ids, inbox_message_get_id (message)))
            g_ptr_array_add (shown, g_steal_pointer (&message));
        }
      runs[r] = ms_since (start);
      *n_found = shown->len;
      g_object_unref (result);
    }

  return test_util_median (runs, RUNS);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const queries[] = {
    "message",          /* every message */
    "m",                /* a one-letter prefix: every message */
    "offers",           /* a tag: a third */
    "body 1234",        /* two words: one message */
    "slide 2 wrap",     /* three words: the carousels */
    "nothing",          /* none */
  };
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "inbox.sqlite", NULL);
  g_autofree char *json = test_util_messages_json (COUNT, "Bench", NOW);
  g_autoptr(GPtrArray) messages = test_util_parse_messages (json, NOW);
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  double list_ms, worst = 0;

  cache = inbox_cache_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (inbox_cache_apply (cache, "bench", messages, NULL, NULL, NOW, NULL, &error));
  g_assert_no_error (error);
  store = inbox_store_new (cache, "bench");

  list_ms = time_list (store);
  printf ("# list %u messages unfiltered: %.2f ms\n", COUNT, list_ms);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      guint n_found = 0;
      double search_ms = time_search (store, queries[i], &n_found);

      printf ("# search \"%s\": %u found, first result list in %.2f ms, ratio %.2f\n",
              queries[i], n_found, search_ms, search_ms / list_ms);
      worst = MAX (worst, search_ms / list_ms);
    }

  printf ("search-to-list ratio (worst query, 10,000 messages): %.2f (target <= 1.5)\n", worst);

  g_clear_object (&store);
  g_clear_object (&cache);
  test_util_rm_rf (dir);
  return 0;
}
