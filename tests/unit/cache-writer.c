/* cache-writer.c: a process for the kill tests to SIGKILL
 *
 *   cache-writer DB FIRST-GENERATION
 *
 * Applies batches of 10,000 messages to the user "alice" for ever, each
 * generation labelled "odd" or "even" (msg.custom_kv label), and queues one
 * outbox event after each batch. It says on stdout what it is about to do and
 * what it has done: "begin N", "committed N", "event N".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "inbox-cache.h"
#include "test-util.h"

#define BATCH 10000
#define NOW ((gint64) 1716500000)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(GPtrArray) odd = NULL;
  g_autoptr(GPtrArray) even = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *odd_json = NULL;
  g_autofree char *even_json = NULL;
  guint64 generation;

  if (argc != 3)
    {
      fprintf (stderr, "usage: cache-writer DB FIRST-GENERATION\n");
      return 2;
    }

  generation = g_ascii_strtoull (argv[2], NULL, 10);
  odd_json = test_util_messages_json (BATCH, "odd", NOW);
  even_json = test_util_messages_json (BATCH, "even", NOW);
  odd = test_util_parse_messages (odd_json, NOW);
  even = test_util_parse_messages (even_json, NOW);

  cache = inbox_cache_new (argv[1], &error);
  if (cache == NULL)
    {
      fprintf (stderr, "cache-writer: %s\n", error->message);
      return 1;
    }

  for (;; generation++)
    {
      g_autofree char *props = g_strdup_printf ("{\"generation\":%" G_GUINT64_FORMAT "}", generation);

      printf ("begin %" G_GUINT64_FORMAT "\n", generation);
      fflush (stdout);

      if (!inbox_cache_apply (cache, "alice", generation % 2 ? odd : even, NULL, NULL, NOW, NULL, &error))
        {
          fprintf (stderr, "cache-writer: %s\n", error->message);
          return 1;
        }
      printf ("committed %" G_GUINT64_FORMAT "\n", generation);
      fflush (stdout);

      if (!inbox_cache_add_event (cache, "alice", "Notification Viewed", "msg-000000", props, NOW, &error))
        {
          fprintf (stderr, "cache-writer: %s\n", error->message);
          return 1;
        }
      printf ("event %" G_GUINT64_FORMAT "\n", generation);
      fflush (stdout);
    }
}
