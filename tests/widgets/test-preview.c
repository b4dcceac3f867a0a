/* test-preview.c: --preview follows its file; --render and --preview show
 * what the inbox shows (no expired messages)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <sys/wait.h>

#include "inbox-client-private.h"
#include "inbox-message-row.h"
#include "inbox-preview.h"
#include "inbox-render.h"
#include "inbox-window.h"

#define NOW ((gint64) 1764340000)
#define N_FILLERS 30

/* --- helpers --- */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; fails after @msec. Returns how
 * long it took, in milliseconds. */
#define wait_for(condition, data, msec) \
  wait_for_at (condition, data, msec, G_STRLOC ": " #condition)

static gint64
wait_for_at (Condition   condition,
             gpointer    data,
             guint       msec,
             const char *what)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (msec, timeout_cb, &timed_out);
  gint64 start = g_get_monotonic_time ();

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("%s did not happen within %u ms", what, msec);
  g_source_remove (source);
  return (g_get_monotonic_time () - start) / 1000;
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_paints)
{
  (*n_paints)++;
}

static gboolean
painted_twice (gpointer data)
{
  return *(guint *) data >= 2;
}

/* Until the window has laid out and painted twice more. */
static void
wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint n_paints = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_paints);

  gtk_widget_queue_draw (widget);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  while (n_paints < 2)
    {
      gtk_widget_queue_draw (widget);
      wait_for (painted_twice, &n_paints, 10000);
    }
  g_signal_handler_disconnect (clock, handler);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A mapped label showing @text (exactly, or containing it) with some part
 * inside @area. */
static GtkLabel *
find_label (GtkWidget  *widget,
            GtkWidget  *area,
            const char *text,
            gboolean    exact)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      (exact ? g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text)
             : strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL))
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (widget, area, &bounds) &&
          bounds.origin.y < gtk_widget_get_height (area) && bounds.origin.y + bounds.size.height > 0 &&
          bounds.size.width > 0 && bounds.size.height > 0)
        return GTK_LABEL (widget);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, area, text, exact);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The first filler whose title is wholly on screen, and where it is. */
static int
first_filler_on_screen (GtkWidget *window,
                        GtkWidget *area,
                        double    *y)
{
  for (guint i = 0; i < N_FILLERS; i++)
    {
      g_autofree char *title = g_strdup_printf ("Filler %02u", i);
      GtkLabel *label = find_label (window, area, title, TRUE);
      graphene_rect_t bounds;

      if (label != NULL && gtk_widget_compute_bounds (GTK_WIDGET (label), area, &bounds) && bounds.origin.y >= 0)
        {
          *y = bounds.origin.y;
          return i;
        }
    }

  return -1;
}

static char *
message_json (const char *id,
              gint64      date,
              const char *title,
              gint64      ttl)
{
  g_autofree char *expiry = ttl != 0 ? g_strdup_printf ("\"wzrk_ttl\": %" G_GINT64_FORMAT ", ", ttl) : g_strdup ("");

  return g_strdup_printf ("{\"_id\": \"%s\", \"date\": %" G_GINT64_FORMAT ", %s\"isRead\": true,\n"
                          " \"msg\": {\"type\": \"simple\", \"content\": [{\"title\": {\"text\": \"%s\"},\n"
                          "   \"message\": {\"text\": \"The body of %s, which says a little more.\"}}]}}",
                          id, date, expiry, title, title);
}

/* A payload of the messages named in @ids (“A”, “B”), newest first by
 * their place in @ids, and N_FILLERS fillers; @b_after puts B after that
 * many fillers. */
static char *
payload (const char *a_title,
         gboolean    with_b,
         guint       b_after)
{
  g_autofree char *a = message_json ("A", NOW - 60, a_title, 0);
  g_autoptr(GString) json = g_string_new ("[\n");
  gint64 date = NOW - 60;

  g_string_append (json, a);
  for (guint i = 0; i <= N_FILLERS; i++)
    {
      if (with_b && i == b_after)
        {
          g_autofree char *b = message_json ("B", --date, "Message B", 0);

          g_string_append_printf (json, ",\n%s", b);
        }
      if (i < N_FILLERS)
        {
          g_autofree char *id = g_strdup_printf ("F%02u", i);
          g_autofree char *title = g_strdup_printf ("Filler %02u", i);
          g_autofree char *filler = message_json (id, --date, title, 0);

          g_string_append_printf (json, ",\n%s", filler);
        }
    }
  g_string_append (json, "\n]\n");

  return g_string_free (g_steal_pointer (&json), FALSE);
}

/* As an editor that saves to a new file and renames it over the old one. */
static void
write_by_rename (const char *path,
                 const char *contents)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *temp = g_build_filename (dir, ".payload.json.swp", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (temp, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (temp, path), ==, 0);
}

/* As an editor that writes the file in place. */
static void
write_in_place (const char *path,
                const char *contents)
{
  FILE *file = fopen (path, "w");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs (contents, file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* --- the window follows the file --- */

typedef struct {
  InboxPreview *preview;
  guint         n_loads;
} LoadWait;

static gboolean
loaded_again (gpointer data)
{
  LoadWait *wait = data;

  return inbox_preview_get_n_loads (wait->preview) > wait->n_loads;
}

typedef struct {
  GtkWidget  *window;
  GtkWidget  *area;
  const char *text;
  gboolean    exact;
} LabelWait;

static gboolean
label_on_screen (gpointer data)
{
  LabelWait *wait = data;

  return find_label (wait->window, wait->area, wait->text, wait->exact) != NULL;
}

static gboolean
label_gone (gpointer data)
{
  return !label_on_screen (data);
}

static gboolean
has_preview_error (gpointer window)
{
  return inbox_window_get_preview_error (window) != NULL;
}

static gboolean
no_preview_error (gpointer window)
{
  return inbox_window_get_preview_error (window) == NULL;
}

/* Every row with a part on screen has its card, and no row near the screen
 * is still loading its content (a card built late changes the heights the
 * scroll position is measured by). */
static gboolean
rows_built (gpointer window)
{
  GtkWidget *list = find_widget (window, GTK_TYPE_LIST_VIEW);
  GtkWidget *scrolled = list != NULL ? gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW) : NULL;

  if (scrolled == NULL)
    return FALSE;

  for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      graphene_rect_t bounds;

      if (row == NULL || !INBOX_IS_MESSAGE_ROW (row) || !gtk_widget_get_mapped (row) ||
          !gtk_widget_compute_bounds (row, scrolled, &bounds))
        continue;
      if (bounds.origin.y < gtk_widget_get_height (scrolled) && bounds.origin.y + bounds.size.height > 0 &&
          (inbox_message_row_get_template (INBOX_MESSAGE_ROW (row)) == NULL ||
           inbox_message_row_get_loading (INBOX_MESSAGE_ROW (row))))
        return FALSE;
      if (inbox_message_row_get_loading (INBOX_MESSAGE_ROW (row)))
        return FALSE;
    }

  return TRUE;
}

static void
settle (GtkWidget *window)
{
  /* rows load their content in a worker: a paint may bring rows into view
   * that were not there to wait for, so until a paint leaves every row on
   * screen built */
  do
    {
      wait_for (rows_built, window, 10000);
      wait_painted (window);
    }
  while (!rows_built (window));
}

static void
test_preview_follows_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-inbox-preview-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "payload.json", NULL);
  g_autofree char *media_dir = g_build_filename (dir, "media", NULL);
  g_autofree char *first = payload ("Message A", FALSE, 0);
  g_autofree char *with_b = payload ("Message A", TRUE, 6);
  g_autofree char *edited = payload ("Message A, edited", TRUE, 6);
  g_autofree char *without_b = payload ("Message A, edited", FALSE, 0);
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(InboxMediaCache) media = NULL;
  g_autoptr(InboxClient) client = NULL;
  g_autoptr(InboxPreview) preview = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = NULL;
  InboxWindow *window;
  GtkWidget *list, *scrolled;
  GtkAdjustment *vadjustment;
  LoadWait load;
  LabelWait label;
  const char *shown;
  double top_y, y;
  int top;
  gint64 took;
  char *comma;

  write_by_rename (path, first);

  cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, &error);
  g_assert_no_error (error);
  store = inbox_store_new (cache, "preview");
  media = inbox_media_cache_new (media_dir);
  client = inbox_client_new_for_store (store, media, FALSE);
  window = inbox_window_new (NULL, client, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 600);
  file = g_file_new_for_path (path);
  preview = inbox_preview_new (window, file);
  inbox_preview_set_following (preview, TRUE);

  /* the first read: A on screen */
  load = (LoadWait) { preview, 0 };
  inbox_preview_reload (preview);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (loaded_again, &load, 10000);
  g_assert_null (inbox_preview_get_error (preview));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1 + N_FILLERS);
  g_assert_cmpstr (inbox_view_get_visible_page (inbox_window_get_view (window)), ==, "messages");
  list = find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list);
  scrolled = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  label = (LabelWait) { GTK_WIDGET (window), scrolled, "Message A", TRUE };
  wait_for (label_on_screen, &label, 10000);
  settle (GTK_WIDGET (window));

  /* scrolled down a little, A just out of sight */
  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment), >, 600);
  gtk_adjustment_set_value (vadjustment, 400);
  settle (GTK_WIDGET (window));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 400);
  top = first_filler_on_screen (GTK_WIDGET (window), scrolled, &top_y);
  g_assert_cmpint (top, >, 0);
  g_assert_false (label_on_screen (&label));

  /* saved by rename with B among the messages on screen: B shows within a
   * second or two, and the list stays where it was scrolled to */
  write_by_rename (path, with_b);
  label.text = "Message B";
  took = wait_for (label_on_screen, &label, 3000);
  g_test_message ("B on screen %" G_GINT64_FORMAT " ms after the save", took);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2 + N_FILLERS);
  settle (GTK_WIDGET (window));
  g_assert_cmpint (first_filler_on_screen (GTK_WIDGET (window), scrolled, &y), ==, top);
  g_assert_cmpfloat (fabs (y - top_y), <, 1);
  g_assert_true (label_on_screen (&label));

  /* written in place, and broken: line 3, column 1 has a stray character.
   * The error shows with its line and column, the messages stay */
  broken = g_strdup (with_b);
  comma = strchr (broken, '\n');
  comma = strchr (comma + 1, '\n');
  g_assert_nonnull (comma);
  comma[1] = '@';
  write_in_place (path, broken);
  wait_for (has_preview_error, window, 3000);
  shown = inbox_window_get_preview_error (window);
  g_test_message ("the bar says: %s", shown);
  g_assert_nonnull (strstr (shown, "payload.json"));
  g_assert_nonnull (strstr (shown, "line 3, column 1"));
  g_assert_cmpstr (shown, ==, inbox_preview_get_error (preview));
  settle (GTK_WIDGET (window));
  /* the user sees it: the bar's label is on screen */
  g_assert_nonnull (find_label (GTK_WIDGET (window), GTK_WIDGET (window), "line 3, column 1", FALSE));
  g_assert_nonnull (find_label (GTK_WIDGET (window), GTK_WIDGET (window), "Not updated: the file has an error", TRUE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2 + N_FILLERS);
  g_assert_true (label_on_screen (&label));
  g_assert_cmpstr (inbox_view_get_visible_page (inbox_window_get_view (window)), ==, "messages");

  /* fixed: the bar goes, and the edit shows */
  write_by_rename (path, edited);
  wait_for (no_preview_error, window, 3000);
  g_assert_null (inbox_preview_get_error (preview));
  settle (GTK_WIDGET (window));
  g_assert_null (find_label (GTK_WIDGET (window), GTK_WIDGET (window), "line 3, column 1", FALSE));
  /* the same row at the top, where it was (GTK 4.8 estimates the heights
   * of rows never shown, so the adjustment's value is not what to compare) */
  g_assert_cmpint (first_filler_on_screen (GTK_WIDGET (window), scrolled, &y), ==, top);
  g_assert_cmpfloat (fabs (y - top_y), <, 1);
  g_assert_true (label_on_screen (&label));
  /* A is off screen: its content is not loaded until asked for */
  g_assert_true (inbox_message_load (inbox_store_lookup (store, "A", NULL), NULL));
  g_assert_cmpstr (inbox_content_get_title (inbox_message_get_content (inbox_store_lookup (store, "A", NULL), 0)), ==,
                   "Message A, edited");

  /* a message taken out goes; put back, it returns */
  write_by_rename (path, without_b);
  wait_for (label_gone, &label, 3000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1 + N_FILLERS);
  g_assert_null (inbox_store_lookup (store, "B", NULL));
  write_by_rename (path, edited);
  wait_for (label_on_screen, &label, 3000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2 + N_FILLERS);
  g_assert_nonnull (inbox_store_lookup (store, "B", NULL));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (media_dir);
  g_rmdir (dir);
}

/* --- what the inbox shows: no expired messages --- */

/* Runs app-inbox; its stderr in @err. */
static int
run_app (const char * const *args,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("APP_INBOX"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_nonnull (g_ptr_array_index (argv, 0));
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

typedef struct {
  int     width, height;
  guchar *pixels;   /* RGBA */
} Picture;

static Picture
load_picture (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
  Picture picture;

  g_assert_no_error (error);
  picture.width = gdk_texture_get_width (texture);
  picture.height = gdk_texture_get_height (texture);
  picture.pixels = g_malloc ((gsize) picture.width * picture.height * 4);
  gdk_texture_download (texture, picture.pixels, picture.width * 4);
  return picture;
}

static gboolean
same_picture (const Picture *a,
              const Picture *b)
{
  return a->width == b->width && a->height == b->height &&
         memcmp (a->pixels, b->pixels, (gsize) a->width * a->height * 4) == 0;
}

/* Pixels of the tag's colour (libadwaita's light warning_bg_color, #e5a50a;
 * gdk_texture_download gives B, G, R, A on little-endian machines). */
static guint
tag_pixels (const Picture *picture)
{
  guint n = 0;

  for (gsize i = 0; i < (gsize) picture->width * picture->height; i++)
    {
      const guchar *p = picture->pixels + i * 4;

      if (ABS (p[2] - 0xe5) <= 6 && ABS (p[1] - 0xa5) <= 6 && ABS (p[0] - 0x0a) <= 6)
        n++;
    }

  return n;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_render_leaves_out_expired (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-inbox-expired-XXXXXX", NULL);
  g_autofree char *both = g_build_filename (dir, "both.json", NULL);
  g_autofree char *live = g_build_filename (dir, "live.json", NULL);
  g_autofree char *both_png = g_build_filename (dir, "both.png", NULL);
  g_autofree char *live_png = g_build_filename (dir, "live.png", NULL);
  g_autofree char *marked_png = g_build_filename (dir, "marked.png", NULL);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, NOW);
  /* one live (expires tomorrow), one expired a minute ago, one that never expires */
  g_autofree char *live_json = message_json ("live-1", NOW - 3600, "Live offer", NOW + 86400);
  g_autofree char *expired_json = message_json ("expired-1", NOW - 600, "Flash sale", NOW - 60);
  g_autofree char *forever_json = message_json ("forever-1", NOW - 7200, "No expiry", 0);
  g_autofree char *both_text = g_strdup_printf ("[%s,\n%s,\n%s]\n", live_json, expired_json, forever_json);
  g_autofree char *live_text = g_strdup_printf ("[%s,\n%s]\n", live_json, forever_json);
  g_autofree char *err = NULL, *err_live = NULL, *err_marked = NULL;
  Picture both_picture, live_picture, marked_picture;

  write_file (both, both_text);
  write_file (live, live_text);

  /* left out, and named with when it expired */
  g_assert_cmpint (run_app ((const char *[]) { "--render", both, "--output", both_png, "--now", now, NULL }, &err), ==, 0);
  g_test_message ("stderr: %s", err);
  g_assert_nonnull (strstr (err, "app-inbox: expired-1: left out: expired at 2025-11-28T14:25:40Z (wzrk_ttl 1764339940)\n"));
  g_assert_null (strstr (err, "live-1"));
  g_assert_null (strstr (err, "forever-1"));

  /* the same picture as the payload without it */
  g_assert_cmpint (run_app ((const char *[]) { "--render", live, "--output", live_png, "--now", now, NULL }, &err_live), ==, 0);
  g_assert_cmpstr (err_live, ==, "");
  both_picture = load_picture (both_png);
  live_picture = load_picture (live_png);
  g_assert_true (same_picture (&both_picture, &live_picture));
  g_assert_cmpuint (tag_pixels (&both_picture), ==, 0);

  /* --include-expired: drawn, tagged, and said */
  g_assert_cmpint (run_app ((const char *[]) { "--render", both, "--output", marked_png, "--now", now,
                                               "--include-expired", NULL }, &err_marked), ==, 0);
  g_assert_nonnull (strstr (err_marked, "app-inbox: expired-1: drawn, marked expired: expired at 2025-11-28T14:25:40Z"));
  marked_picture = load_picture (marked_png);
  g_assert_cmpint (marked_picture.width, ==, live_picture.width);
  g_assert_cmpint (marked_picture.height, >, live_picture.height + 50);
  g_assert_cmpuint (tag_pixels (&marked_picture), >, 100);

  g_free (both_picture.pixels);
  g_free (live_picture.pixels);
  g_free (marked_picture.pixels);
  g_unlink (both);
  g_unlink (live);
  g_unlink (both_png);
  g_unlink (live_png);
  g_unlink (marked_png);
  g_rmdir (dir);
}

/* --render of a file whose every message is left out: said, nothing
 * written, and no crash (a window of no height) */
static void
test_render_nothing_left (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-inbox-nothing-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.json", NULL);
  g_autofree char *png = g_build_filename (dir, "out.png", NULL);
  g_autofree char *err = NULL, *err_empty = NULL;

  write_file (bad, "[{\"_id\": \"x\", \"msg\": 5}]\n");
  write_file (empty, "[]\n");

  g_assert_cmpint (run_app ((const char *[]) { "--render", bad, "--output", png, NULL }, &err), ==, 1);
  g_assert_nonnull (strstr (err, "x: left out: msg: expected an object, got a number"));
  g_assert_nonnull (strstr (err, "nothing to draw: every message was left out"));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));

  g_assert_cmpint (run_app ((const char *[]) { "--render", empty, "--output", png, NULL }, &err_empty), ==, 2);
  g_assert_nonnull (strstr (err_empty, "nothing to draw: the file holds no message"));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));

  g_unlink (bad);
  g_unlink (empty);
  g_rmdir (dir);
}

/* --preview: the expired message is not in the window, and is named */
static void
test_preview_leaves_out_expired (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-inbox-expired-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "payload.json", NULL);
  g_autofree char *media_dir = g_build_filename (dir, "media", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *live_json = message_json ("live-1", now - 3600, "Live offer", now + 86400);
  g_autofree char *expired_json = message_json ("expired-1", now - 600, "Flash sale", now - 60);
  g_autofree char *text = g_strdup_printf ("[%s,\n%s]\n", live_json, expired_json);
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(InboxMediaCache) media = NULL;
  g_autoptr(InboxClient) client = NULL;
  g_autoptr(InboxPreview) preview = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  InboxWindow *window;
  LoadWait load;

  write_file (path, text);
  cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, &error);
  g_assert_no_error (error);
  store = inbox_store_new (cache, "preview");
  media = inbox_media_cache_new (media_dir);
  client = inbox_client_new_for_store (store, media, FALSE);
  window = inbox_window_new (NULL, client, NULL);
  file = g_file_new_for_path (path);
  preview = inbox_preview_new (window, file);
  load = (LoadWait) { preview, 0 };
  inbox_preview_reload (preview);
  wait_for (loaded_again, &load, 10000);
  g_assert_null (inbox_preview_get_error (preview));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_nonnull (inbox_store_lookup (store, "live-1", NULL));
  gtk_window_destroy (GTK_WINDOW (window));

  /* the app says which, and --include-expired is for --render */
  g_assert_cmpint (run_app ((const char *[]) { "--preview", path, "--include-expired", NULL }, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--include-expired goes with --render"));

  g_unlink (path);
  g_rmdir (media_dir);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("test-preview needs a display: run it under xvfb-run (tools/run-tests does)\n");
      return 1;
    }
  adw_init ();
  inbox_render_setup_settings (FALSE);

  g_test_add_func ("/preview/follows-file", test_preview_follows_file);
  g_test_add_func ("/preview/leaves-out-expired", test_preview_leaves_out_expired);
  g_test_add_func ("/render/leaves-out-expired", test_render_leaves_out_expired);
  g_test_add_func ("/render/nothing-left", test_render_nothing_left);

  return g_test_run ();
}
