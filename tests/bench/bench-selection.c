/* bench-selection.c: bulk actions on a large selection
 *
 * Prints, from one run, the time each step takes with 10,000 messages as a
 * ratio to the same with 100 (each up to the next painted frame of the
 * window; medians of 5), and to the time the window takes to list the
 * 10,000 (window shown to its first frame with cards):
 * - Ctrl+A then Delete (the messages leave the list, an Undo toast shows),
 * - Undo of that delete (all of them back),
 * - the delete written as when the window closes (one transaction, on the
 *   main thread; when the toast goes it is written in a worker thread),
 * - Mark All as Read, and its Undo.
 * Linear cost gives 100× on the first line of each; what matters is that no
 * step costs the square, and that the 10,000-message steps stay in the
 * order of the listing's time (a frame or two, not a frozen window).
 * Nothing is asserted. Needs a display (xvfb-run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <adwaita.h>

#include "inbox-client-private.h"
#include "inbox-message-row.h"
#include "inbox-render.h"
#include "inbox-view-private.h"
#include "inbox-window.h"
#include "test-util.h"

#define NOW ((gint64) 1764340000)
#define RUNS 5

typedef struct {
  double list;
  double delete;
  double undo_delete;
  double commit;
  double read;
  double undo_read;
} Times;

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_paints)
{
  (*n_paints)++;
}

/* Until the window has painted one more frame. */
static void
next_frame (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  guint n_paints = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_paints);

  gtk_widget_queue_draw (window);
  while (n_paints == 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
}

static gboolean
has_cards (GtkWidget *widget)
{
  if (INBOX_IS_MESSAGE_ROW (widget) && gtk_widget_get_mapped (widget) &&
      inbox_message_row_get_template (INBOX_MESSAGE_ROW (widget)) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_cards (child))
      return TRUE;
  return FALSE;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* One action on the view, up to the next frame. */
static double
timed (InboxWindow *window,
       const char  *action)
{
  gint64 start = g_get_monotonic_time ();

  if (!gtk_widget_activate_action (GTK_WIDGET (inbox_window_get_view (window)), action, NULL))
    g_error ("No action %s", action);
  next_frame (GTK_WIDGET (window));
  return seconds_since (start);
}

static double
timed_undo (InboxWindow *window)
{
  return timed (window, "inbox.undo-last-delete");
}

static void
measure (guint  n,
         Times *times)
{
  double list[RUNS], del[RUNS], undo_del[RUNS], read[RUNS], undo_read[RUNS];
  g_autofree char *json = test_util_messages_json (n, "bench", NOW);
  g_autoptr(GPtrArray) messages = test_util_parse_messages (json, NOW);
  g_autoptr(InboxMediaCache) media = inbox_media_cache_new (g_get_tmp_dir ());
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(InboxClient) client = NULL;
  g_autoptr(GError) error = NULL;
  InboxWindow *window = NULL;
  InboxView *view;
  guint unread;
  gint64 start;

  cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, &error);
  g_assert_no_error (error);
  inbox_cache_apply (cache, "bench", messages, NULL, NULL, NOW, NULL, &error);
  g_assert_no_error (error);
  store = inbox_store_new (cache, "bench");
  inbox_store_load (store, &error);
  g_assert_no_error (error);
  unread = inbox_store_get_unread_count (store);
  client = inbox_client_new_for_store (store, media, TRUE);
  inbox_client_set_state (client, INBOX_CLIENT_STATE_READY, NULL);

  for (guint run = 0; run < RUNS; run++)
    {
      /* listing: a new window to its first frame with cards */
      if (window != NULL)
        gtk_window_destroy (GTK_WINDOW (window));
      window = inbox_window_new (NULL, client, NULL);
      gtk_window_set_default_size (GTK_WINDOW (window), 600, 800);
      start = g_get_monotonic_time ();
      gtk_window_present (GTK_WINDOW (window));
      while (!has_cards (GTK_WIDGET (window)))
        g_main_context_iteration (NULL, TRUE);
      next_frame (GTK_WIDGET (window));
      list[run] = seconds_since (start);
      view = inbox_window_get_view (window);
      inbox_read_tracker_set_active (inbox_view_get_read_tracker (view), FALSE);

      /* Ctrl+A, Delete, Undo */
      del[run] = timed (window, "inbox.select-all");
      del[run] += timed (window, "inbox.delete-selected");
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
      undo_del[run] = timed_undo (window);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n);

      /* Mark All as Read, Undo */
      read[run] = timed (window, "inbox.mark-all-read");
      g_assert_cmpuint (inbox_store_get_unread_count (store), ==, 0);
      undo_read[run] = timed_undo (window);
      g_assert_cmpuint (inbox_store_get_unread_count (store), ==, unread);
    }

  /* the delete written, once */
  timed (window, "inbox.select-all");
  timed (window, "inbox.delete-selected");
  start = g_get_monotonic_time ();
  inbox_view_commit_deletes (inbox_window_get_view (window));
  times->commit = seconds_since (start);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));

  times->list = test_util_median (list, RUNS);
  times->delete = test_util_median (del, RUNS);
  times->undo_delete = test_util_median (undo_del, RUNS);
  times->read = test_util_median (read, RUNS);
  times->undo_read = test_util_median (undo_read, RUNS);
}

static void
print_step (const char *what,
            double      small,
            double      large,
            double      list)
{
  printf ("%-34s %8.1f ms (100: %6.2f ms)  10k/100 %7.1f×  ÷ listing %5.2f\n",
          what, large * 1000, small * 1000, large / small, large / list);
}

int
main (int   argc,
      char *argv[])
{
  Times small, large;

  if (!gtk_init_check ())
    {
      g_printerr ("bench-selection needs a display: run it under xvfb-run\n");
      return 1;
    }
  adw_init ();
  inbox_render_setup_settings (FALSE);

  measure (100, &small);
  measure (10000, &large);

  printf ("listing 10,000 messages: %.1f ms (100: %.1f ms)\n", large.list * 1000, small.list * 1000);
  print_step ("select all + delete", small.delete, large.delete, large.list);
  print_step ("undo the delete", small.undo_delete, large.undo_delete, large.list);
  print_step ("delete written at close (sync)", small.commit, large.commit, large.list);
  print_step ("mark all as read", small.read, large.read, large.list);
  print_step ("undo mark all as read", small.undo_read, large.undo_read, large.list);

  return 0;
}
