/* bench-window.c: the window with a large inbox
 *
 * Prints, from one run:
 * - the time from process start to the first painted frame of the window
 *   with 10,000 cached messages, as a ratio to the same with an empty inbox
 *   (target at most 1.3); medians of 9 fresh processes each;
 * - scrolling a 10,000-message list from top to bottom: the most message
 *   widgets alive at once against the most on screen (target at most 3×);
 * - peak RSS of the 10,000-message window, less the empty inbox's (target at
 *   most 30 MiB).
 * Nothing is asserted. Needs a display (xvfb-run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <adwaita.h>

#include "inbox-client-private.h"
#include "inbox-message-row.h"
#include "inbox-render.h"
#include "inbox-window.h"
#include "test-util.h"

#define NOW ((gint64) 1764340000)
#define RUNS 9
#define SCROLL_STEPS 400

static gint64 process_start;
static GMainLoop *loop;

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

/* --- the child: one window, one measurement --- */

typedef struct {
  InboxWindow *window;
  InboxStore  *store;
  gboolean     loaded;
  gboolean     scroll;
  GtkWidget   *scrolled;
  GtkWidget   *list;
  guint        max_live;
  guint        max_on_screen;
  guint        on_screen_unbuilt;
  guint        steps;
} Child;

static void
count_rows (Child *c)
{
  guint live = 0, on_screen = 0, unbuilt = 0;
  double height = gtk_widget_get_height (c->scrolled);

  for (GtkWidget *item = gtk_widget_get_first_child (c->list); item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      graphene_rect_t bounds;

      gboolean visible;

      if (row == NULL || !INBOX_IS_MESSAGE_ROW (row) || inbox_message_row_get_message (INBOX_MESSAGE_ROW (row)) == NULL)
        continue;

      visible = gtk_widget_get_mapped (row) && gtk_widget_compute_bounds (row, c->scrolled, &bounds) &&
                bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < height;

      /* a live message widget: a row with its card built */
      if (inbox_message_row_get_template (INBOX_MESSAGE_ROW (row)) == NULL)
        {
          unbuilt += visible;
          continue;
        }
      live++;
      on_screen += visible;
    }

  c->on_screen_unbuilt = unbuilt;
  c->max_live = MAX (c->max_live, live);
  c->max_on_screen = MAX (c->max_on_screen, on_screen);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Child         *c)
{
  GtkAdjustment *adjustment;

  if (!c->loaded)
    return;

  if (c->scrolled == NULL || c->list == NULL)
    {
      c->list = find_type (GTK_WIDGET (c->window), GTK_TYPE_LIST_VIEW);
      c->scrolled = c->list != NULL ? gtk_widget_get_ancestor (c->list, GTK_TYPE_SCROLLED_WINDOW) : NULL;
    }

  if (!c->scroll)
    {
      /* the first frame that shows what the user came for: the visible
       * cards (or the empty state) */
      if (c->list != NULL && g_list_model_get_n_items (G_LIST_MODEL (c->store)) > 0)
        {
          count_rows (c);
          if (c->max_on_screen == 0 || c->on_screen_unbuilt > 0)
            return;
        }

      printf ("%.3f %.1f\n", (g_get_monotonic_time () - process_start) / 1000.0, status_mib ("VmHWM:"));
      fflush (stdout);
      g_signal_handlers_disconnect_by_func (clock, after_paint_cb, c);
      g_main_loop_quit (loop);
      return;
    }

  if (c->scrolled == NULL || c->list == NULL)
    return;

  count_rows (c);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (c->scrolled));

  /* each position gets its cards built (and counted) before the next */
  if (c->on_screen_unbuilt > 0)
    {
      gtk_widget_queue_draw (GTK_WIDGET (c->window));
      return;
    }

  if (c->steps > SCROLL_STEPS)
    {
      printf ("%u %u %u %.1f\n", c->max_live, c->max_on_screen, c->steps - 1, status_mib ("VmHWM:"));
      fflush (stdout);
      g_signal_handlers_disconnect_by_func (clock, after_paint_cb, c);
      g_main_loop_quit (loop);
      return;
    }

  /* from the top to the very bottom in even steps of a few screens each */
  gtk_adjustment_set_value (adjustment, (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment))
                                        * c->steps / SCROLL_STEPS);
  c->steps++;
  gtk_widget_queue_draw (GTK_WIDGET (c->window));
}

static void
realize_cb (GtkWidget *window,
            Child     *c)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), c);
}

/* As the app does: the store opens in a thread while GTK starts, and the
 * window comes when both are ready. */
static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Child *c = user_data;
  g_autoptr(InboxMediaCache) media = NULL;
  g_autoptr(InboxClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *media_dir = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "screens", NULL);
  g_autoptr(GFile) base = g_file_new_for_path (media_dir);

  c->store = inbox_store_open_finish (result, &error);
  g_assert_no_error (error);
  media = inbox_media_cache_new (g_get_tmp_dir ());
  inbox_media_cache_set_base (media, base);

  client = inbox_client_new_for_store (c->store, media, TRUE);
  c->window = inbox_window_new (NULL, client, NULL);
  c->loaded = TRUE;
  gtk_window_set_default_size (GTK_WINDOW (c->window), 480, 800);
  g_signal_connect (c->window, "realize", G_CALLBACK (realize_cb), c);
  gtk_window_present (GTK_WINDOW (c->window));
}

static int
child_main (const char *path,
            gboolean    scroll)
{
  Child c = { 0 };

  inbox_store_open_async (path, "alice", NULL, opened_cb, &c);
  gtk_init ();
  adw_init ();
  inbox_render_setup_settings (FALSE);
  c.scroll = scroll;
  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  return 0;
}

/* --- the parent --- */

/* Messages with local pictures, so that no network is touched. */
static char *
make_cache (const char *dir,
            guint       count)
{
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_strdup_printf ("%s/window-%u.sqlite", dir, count);

  test_util_media_url = "../media/landscape.png";
  json = test_util_messages_json (count, "bench", NOW);
  messages = test_util_parse_messages (json, NOW);

  cache = inbox_cache_new (path, &error);
  g_assert_no_error (error);
  inbox_cache_apply (cache, "alice", messages, NULL, NULL, NOW, NULL, &error);
  g_assert_no_error (error);
  return path;
}

static char *
run_child (const char *self,
           const char *mode,
           const char *path)
{
  const char *argv[] = { self, mode, path, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  return out;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *full = NULL;
  g_autofree char *scroll = NULL;
  double empty_ms[RUNS], full_ms[RUNS], rss = 0, empty_rss = 0;
  guint live = 0, on_screen = 0, steps = 0;
  double scroll_rss = 0;

  process_start = g_get_monotonic_time ();
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (argc == 3 && g_str_equal (argv[1], "--first-frame"))
    return child_main (argv[2], FALSE);
  if (argc == 3 && g_str_equal (argv[1], "--scroll"))
    return child_main (argv[2], TRUE);

  self = g_canonicalize_filename (argv[0], NULL);
  dir = test_util_make_tmpdir ();
  empty = make_cache (dir, 0);
  full = make_cache (dir, 10000);

  printf ("# window benchmark: 10,000 cached messages of all four templates, a 480×800 window\n");
  for (guint r = 0; r < RUNS; r++)
    {
      g_autofree char *a = run_child (self, "--first-frame", empty);
      g_autofree char *b = run_child (self, "--first-frame", full);
      char *rest, *empty_rest;

      empty_ms[r] = g_ascii_strtod (a, &empty_rest);
      empty_rss = MAX (empty_rss, g_ascii_strtod (empty_rest, NULL));
      full_ms[r] = g_ascii_strtod (b, &rest);
      rss = MAX (rss, g_ascii_strtod (rest, NULL));
    }
  qsort (empty_ms, RUNS, sizeof (double), (GCompareFunc) compare_doubles);
  qsort (full_ms, RUNS, sizeof (double), (GCompareFunc) compare_doubles);
  printf ("first frame from process start: empty inbox %.1f ms, 10,000 messages %.1f ms; "
          "ratio %.2f (target <= 1.3)\n", empty_ms[RUNS / 2], full_ms[RUNS / 2], full_ms[RUNS / 2] / empty_ms[RUNS / 2]);

  scroll = run_child (self, "--scroll", full);
  if (sscanf (scroll, "%u %u %u %lf", &live, &on_screen, &steps, &scroll_rss) == 4)
    printf ("scrolling top to bottom in %u steps: at most %u message widgets alive, at most %u on screen; "
            "ratio %.2f (target <= 3)\n", steps, live, on_screen, (double) live / MAX (on_screen, 1));
  printf ("peak RSS: empty inbox %.1f MiB; first frame with 10,000 messages %.1f MiB; after scrolling through all "
          "of them %.1f MiB\n", empty_rss, rss, scroll_rss);
  printf ("resident memory of 10,000 messages: %.1f MiB more than the empty inbox at the first frame, %.1f MiB after "
          "scrolling (target <= 30)\n", rss - empty_rss, scroll_rss - empty_rss);

  test_util_rm_rf (dir);
  return 0;
}
