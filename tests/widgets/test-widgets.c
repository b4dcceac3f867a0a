/* test-widgets.c: what the widgets do, without comparing pixels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "inbox-animation.h"
#include "inbox-carousel.h"
#include "inbox-carousel-message.h"
#include "inbox-icon-message.h"
#include "inbox-image-carousel-message.h"
#include "inbox-message-private.h"
#include "inbox-link-row.h"
#include "inbox-media-view.h"
#include "inbox-message-row.h"
#include "inbox-payload.h"
#include "inbox-preferences-window.h"
#include "inbox-render.h"
#include "inbox-simple-message.h"
#include "inbox-style.h"
#include "inbox-client-private.h"
#include "inbox-view-private.h"
#include "inbox-window.h"
#include "test-util.h"

#define NOW ((gint64) 1764340000)

/* --- helpers --- */

static char *
data_path (const char *dir,
           const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", dir, name, NULL);
}

static InboxMessage *
load_message (const char *dir,
              const char *name)
{
  g_autofree char *path = data_path (dir, name);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (items, 0);
  g_assert_no_error (item->error);
  return g_object_ref (item->message);
}

static InboxMessage *
message_from_json (const char *json)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  items = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (items, 0);
  g_assert_no_error (item->error);
  return g_object_ref (item->message);
}

static InboxMediaCache *
test_media (void)
{
  g_autofree char *dir = data_path ("screens", NULL);
  g_autoptr(GFile) base = g_file_new_for_path (dir);
  InboxMediaCache *media = inbox_media_cache_new (g_get_tmp_dir ());

  inbox_media_cache_set_base (media, base);
  return media;
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
row_settled (gpointer row)
{
  return gtk_widget_get_mapped (row) && !inbox_message_row_get_loading (row);
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_paints)
{
  (*n_paints)++;
}

typedef struct {
  guint *n_paints;
  guint  wanted;
} PaintWait;

static gboolean
painted_enough (gpointer data)
{
  PaintWait *wait = data;

  return *wait->n_paints >= wait->wanted;
}

/* Until the window has laid out and painted twice more: allocations are
 * done. Each frame is asked for: an idle window paints nothing. */
static void
wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint n_paints = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_paints);

  for (guint i = 1; i <= 2; i++)
    {
      PaintWait wait = { &n_paints, i };

      gtk_widget_queue_draw (widget);
      test_util_wait_for (painted_enough, &wait);
    }
  g_signal_handler_disconnect (clock, handler);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint msec)
{
  gboolean done = FALSE;

  g_timeout_add (msec, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type,
             const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A row in a window of its own, shown and settled. */
static GtkWidget *
show_row (InboxMessage    *message,
          InboxMediaCache *media,
          GtkWidget      **window_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = inbox_message_row_new ();

  inbox_message_row_bind (INBOX_MESSAGE_ROW (row), message, media, NOW);
  gtk_window_set_child (GTK_WINDOW (window), row);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 600);
  gtk_window_present (GTK_WINDOW (window));
  test_util_wait_for (row_settled, row);
  wait_painted (window);

  *window_out = window;
  return row;
}

/* --- the factory --- */

/* A screen reader hears each card's template, title, read state and time. */
static void
test_row_accessible (void)
{
  g_autoptr(InboxMediaCache) media = test_media ();
  g_autoptr(InboxMessage) message = load_message ("screens", "no-media.json");
  GtkWidget *window, *row;
  char *problem;

  row = show_row (message, media, &window);
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                "Message: Plain words. Unread. 25 Nov");
  if (problem != NULL)
    g_error ("%s", problem);

  inbox_message_set_read (message, TRUE);
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                "Message: Plain words. Read. 25 Nov");
  if (problem != NULL)
    g_error ("%s", problem);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_row_picks_template (void)
{
  static const struct {
    const char *file;
    const char *type_name;
  } cases[] = {
    { "simple.json", "InboxSimpleMessage" },
    { "message-icon.json", "InboxIconMessage" },
    { "carousel.json", "InboxCarouselMessage" },
    { "carousel-image.json", "InboxImageCarouselMessage" },
  };
  g_autoptr(InboxMediaCache) media = test_media ();
  GtkWidget *row = g_object_ref_sink (inbox_message_row_new ());
  g_autoptr(InboxMessage) unknown = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(InboxMessage) message = load_message ("screens", cases[i].file);

      /* the same row, recycled for each type, as the list view does */
      inbox_message_row_bind (INBOX_MESSAGE_ROW (row), message, media, NOW);
      g_assert_cmpstr (G_OBJECT_TYPE_NAME (inbox_message_row_get_template (INBOX_MESSAGE_ROW (row))), ==,
                       cases[i].type_name);
      g_assert_true (inbox_message_row_get_message (INBOX_MESSAGE_ROW (row)) == message);
    }

  unknown = message_from_json ("{\"_id\":\"u\",\"msg\":{\"type\":\"poll\",\"content\":[{\"title\":{\"text\":\"?\"}}]}}");
  inbox_message_row_bind (INBOX_MESSAGE_ROW (row), unknown, media, NOW);
  g_assert_true (INBOX_IS_SIMPLE_MESSAGE (inbox_message_row_get_template (INBOX_MESSAGE_ROW (row))));

  g_object_unref (row);
}

/* --- the carousel --- */

static const char *
title_text (GtkWidget *widget)
{
  GtkWidget *label = find_widget (widget, GTK_TYPE_LABEL, "title");

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

typedef struct {
  GtkWidget  *widget;
  const char *expected;
} TitleWait;

static gboolean
title_is (gpointer data)
{
  TitleWait *wait = data;

  return g_strcmp0 (title_text (wait->widget), wait->expected) == 0;
}

static void
test_carousel_updates_text (void)
{
  g_autoptr(InboxMediaCache) media = test_media ();
  g_autoptr(InboxMessage) message = load_message ("screens", "carousel.json");
  GtkWidget *window, *row, *carousel;
  gboolean previous, next;
  TitleWait wait;

  row = show_row (message, media, &window);
  carousel = find_widget (row, INBOX_TYPE_CAROUSEL, NULL);
  g_assert_nonnull (carousel);
  g_assert_cmpuint (inbox_carousel_get_n_pages (INBOX_CAROUSEL (carousel)), ==, 3);
  g_assert_cmpstr (title_text (row), ==, "First slide");

  inbox_carousel_next (INBOX_CAROUSEL (carousel));
  wait = (TitleWait) { row, "Second slide" };
  test_util_wait_for (title_is, &wait);
  g_assert_cmpuint (inbox_carousel_get_page (INBOX_CAROUSEL (carousel)), ==, 1);

  inbox_carousel_scroll_to (INBOX_CAROUSEL (carousel), 2, FALSE);
  wait = (TitleWait) { row, "Third slide" };
  test_util_wait_for (title_is, &wait);

  inbox_carousel_previous (INBOX_CAROUSEL (carousel));
  wait = (TitleWait) { row, "Second slide" };
  test_util_wait_for (title_is, &wait);

  /* keyboard focus shows both arrows in the middle */
  gtk_widget_grab_focus (carousel);
  spin (50);
  g_assert_true (inbox_carousel_get_arrows_visible (INBOX_CAROUSEL (carousel), &previous, &next));
  g_assert_true (previous);
  g_assert_true (next);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_carousel_single_page_no_arrows (void)
{
  g_autoptr(InboxMediaCache) media = test_media ();
  g_autoptr(InboxMessage) message = NULL;
  GtkWidget *window, *row, *carousel;
  gboolean previous, next;

  message = message_from_json ("{\"_id\":\"one\",\"msg\":{\"type\":\"carousel-image\",\"content\":"
                               "[{\"media\":{\"url\":\"../media/slide-1.png\"}}]}}");
  row = show_row (message, media, &window);
  carousel = find_widget (row, INBOX_TYPE_CAROUSEL, NULL);
  gtk_widget_grab_focus (carousel);
  spin (50);

  g_assert_false (inbox_carousel_get_arrows_visible (INBOX_CAROUSEL (carousel), &previous, &next));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* --- media --- */

static void
test_broken_media (void)
{
  g_autoptr(InboxMediaCache) media = test_media ();
  g_autoptr(InboxMessage) message = load_message ("screens", "broken-media.json");
  GtkWidget *window, *row, *view, *label;

  row = show_row (message, media, &window);
  view = find_widget (row, INBOX_TYPE_MEDIA_VIEW, NULL);
  g_assert_true (inbox_media_view_get_broken (INBOX_MEDIA_VIEW (view)));
  /* the alt text stands in for the picture */
  label = find_widget (view, GTK_TYPE_LABEL, "caption");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "A chart of last month's sales");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_file_urls (void)
{
  g_autoptr(InboxMediaCache) media = inbox_media_cache_new (g_get_tmp_dir ());
  g_autoptr(InboxMessage) message = NULL;
  GtkWidget *window, *row, *view;

  /* without a base folder (a synced inbox) local paths and file: are refused */
  message = message_from_json ("{\"_id\":\"f\",\"msg\":{\"type\":\"simple\",\"content\":"
                               "[{\"media\":{\"url\":\"file:///etc/hostname\"}}]}}");
  row = show_row (message, media, &window);
  view = find_widget (row, INBOX_TYPE_MEDIA_VIEW, NULL);
  g_assert_true (inbox_media_view_get_broken (INBOX_MEDIA_VIEW (view)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_gif_stops_when_hidden (void)
{
  g_autoptr(InboxMediaCache) media = test_media ();
  g_autoptr(InboxMessage) message = load_message ("screens", "gif.json");
  GtkWidget *window, *row, *view;
  GdkPaintable *paintable;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  row = show_row (message, media, &window);
  view = find_widget (row, INBOX_TYPE_MEDIA_VIEW, NULL);
  paintable = inbox_media_view_get_paintable (INBOX_MEDIA_VIEW (view));
  g_assert_true (INBOX_IS_ANIMATION (paintable));
  g_assert_true (inbox_animation_get_playing (INBOX_ANIMATION (paintable)));

  gtk_widget_set_visible (window, FALSE);
  g_assert_false (inbox_animation_get_playing (INBOX_ANIMATION (paintable)));
  gtk_widget_set_visible (window, TRUE);
  test_util_wait_for (is_mapped, view);
  g_assert_true (inbox_animation_get_playing (INBOX_ANIMATION (paintable)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

static void
test_video_and_audio (void)
{
  g_autoptr(InboxMediaCache) media = test_media ();
  g_autoptr(InboxMessage) video = load_message ("screens", "video.json");
  g_autoptr(InboxMessage) audio = load_message ("screens", "audio.json");
  GtkWidget *window, *row, *view, *stack;
  GdkPaintable *poster;

  /* a video shows its poster under a play button until played */
  row = show_row (video, media, &window);
  view = find_widget (row, INBOX_TYPE_MEDIA_VIEW, NULL);
  g_assert_false (inbox_media_view_get_broken (INBOX_MEDIA_VIEW (view)));
  stack = find_widget (view, GTK_TYPE_STACK, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "poster");
  poster = inbox_media_view_get_paintable (INBOX_MEDIA_VIEW (view));
  g_assert_nonnull (poster);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (poster), ==, 320);
  g_assert_nonnull (find_widget (view, GTK_TYPE_BUTTON, "osd"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* audio gets a player */
  row = show_row (audio, media, &window);
  view = find_widget (row, INBOX_TYPE_MEDIA_VIEW, NULL);
  stack = find_widget (view, GTK_TYPE_STACK, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "audio");
  g_assert_nonnull (gtk_media_controls_get_media_stream (GTK_MEDIA_CONTROLS (gtk_stack_get_visible_child (GTK_STACK (stack)))));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* --- app-inbox --render --- */

static int
run_render (const char * const *args,
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
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_render_command (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-inbox-render-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autofree char *mixed = data_path (".", "mixed.json");
  g_autofree char *simple = data_path ("screens", "simple.json");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *err3 = NULL;

  /* invalid messages are left out, said on stderr, and the status says so */
  g_assert_cmpint (run_render ((const char *[]) { "--render", mixed, "--output", out, NULL }, &err), ==, 1);
  g_assert_nonnull (strstr (err, "bad-1: left out: msg.content[0].media.url: expected a string, got a number"));
  texture = gdk_texture_new_from_filename (out, NULL);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 480);
  g_clear_object (&texture);

  g_assert_cmpint (run_render ((const char *[]) { "--render", simple, "--output", out, "--width", "360",
                                                  "--dark", "--rtl", NULL }, &err2), ==, 0);
  texture = gdk_texture_new_from_filename (out, NULL);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 360);

  g_assert_cmpint (run_render ((const char *[]) { "--render", simple, NULL }, &err3), ==, 2);
  g_assert_nonnull (strstr (err3, "--output"));

  g_unlink (out);
  g_rmdir (dir);
}

/* --- the window --- */

typedef struct {
  char          *dir;
  InboxCache    *cache;
  InboxStore    *store;
  InboxClient   *client;
  InboxWindow   *window;
  InboxView     *view;
  gint64         now;
  GPtrArray     *opened;
  GHashTable    *kv;
  int            clicks;
  int            last_slide;
  int            last_button;
} WindowFixture;

static gint64
fake_now (gpointer data)
{
  return ((WindowFixture *) data)->now;
}

static void
uri_cb (GtkWidget  *widget,
        const char *uri,
        gpointer    data)
{
  g_ptr_array_add (((WindowFixture *) data)->opened, g_strdup (uri));
}

static void
button_activated_cb (InboxView     *view,
                     InboxMessage  *message,
                     GHashTable    *kv,
                     WindowFixture *f)
{
  g_clear_pointer (&f->kv, g_hash_table_unref);
  f->kv = g_hash_table_ref (kv);
}

static void
message_clicked_cb (InboxView     *view,
                    InboxMessage  *message,
                    int            slide,
                    int            button,
                    WindowFixture *f)
{
  f->clicks++;
  f->last_slide = slide;
  f->last_button = button;
}

/* The app's window over the fixture's client, as the app makes it. */
static void
open_window (WindowFixture *f,
             GSettings     *settings)
{
  f->window = inbox_window_new (NULL, f->client, settings);
  f->view = inbox_window_get_view (f->window);
  inbox_view_set_uri_func (f->view, uri_cb, f);
  g_signal_connect (f->view, "button-activated", G_CALLBACK (button_activated_cb), f);
  g_signal_connect (f->view, "message-clicked", G_CALLBACK (message_clicked_cb), f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 480, 700);
}

static void
window_setup (WindowFixture *f,
              gconstpointer  data)
{
  g_autoptr(InboxMediaCache) media = test_media ();
  g_autoptr(GError) error = NULL;

  f->cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, &error);
  g_assert_no_error (error);
  f->store = inbox_store_new (f->cache, "tester");
  f->now = NOW;
  inbox_store_set_clock (f->store, fake_now, f);
  f->opened = g_ptr_array_new_with_free_func (g_free);

  f->client = inbox_client_new_for_store (f->store, media, TRUE);
  open_window (f, NULL);
}

static void
window_teardown (WindowFixture *f,
                 gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->client);
  g_clear_object (&f->store);
  g_clear_object (&f->cache);
  g_clear_pointer (&f->opened, g_ptr_array_unref);
  g_clear_pointer (&f->kv, g_hash_table_unref);
}

static void
add_messages (WindowFixture *f,
              ...)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, f);
  for (InboxMessage *m = va_arg (args, InboxMessage *); m != NULL; m = va_arg (args, InboxMessage *))
    g_ptr_array_add (messages, m);
  va_end (args);

  inbox_store_merge (f->store, messages, NULL, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
has_rows (gpointer window)
{
  GtkWidget *row = find_widget (window, INBOX_TYPE_MESSAGE_ROW, NULL);

  return row != NULL && row_settled (row);
}

/* Whether every row with any part on screen has its card built. */
static gboolean
visible_cards_built (gpointer window)
{
  GtkWidget *list = find_widget (window, GTK_TYPE_LIST_VIEW, NULL);
  GtkWidget *scrolled = list != NULL ? gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW) : NULL;

  if (list == NULL || scrolled == NULL)
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
    }

  return TRUE;
}

static void
show_window (WindowFixture *f)
{
  if (inbox_client_get_state (f->client) == INBOX_CLIENT_STATE_LOADING)
    inbox_client_set_state (f->client, INBOX_CLIENT_STATE_READY, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  test_util_wait_for (is_mapped, f->window);
  if (g_list_model_get_n_items (G_LIST_MODEL (f->store)) > 0)
    test_util_wait_for (has_rows, f->window);

  /* rows come into place over a few frames: until a painted frame shows
   * every card on screen built, with its media */
  for (guint frames = 0; ; frames++)
    {
      wait_painted (GTK_WIDGET (f->window));
      if (g_list_model_get_n_items (G_LIST_MODEL (f->store)) == 0 || visible_cards_built (f->window))
        break;
      g_assert_cmpuint (frames, <, 500);
    }
}

static GPtrArray *
events_of (WindowFixture *f,
           const char    *type)
{
  g_autoptr(GPtrArray) all = inbox_cache_peek_outbox (f->cache, "tester", 100, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) inbox_outbox_event_free);

  for (guint i = 0; i < all->len; i++)
    {
      InboxOutboxEvent *event = g_ptr_array_index (all, i);

      if (g_str_equal (event->type, type))
        g_ptr_array_add (found, g_ptr_array_steal_index (all, i--));
    }

  return found;
}

typedef struct {
  GdkClipboard *clipboard;
  char         *text;
  gboolean      done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  ClipboardRead *read = data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static void
test_buttons (WindowFixture *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) clicked = NULL;
  ClipboardRead read = { 0 };
  InboxLinkRow *links;

  add_messages (f, load_message (".", "simple.json"), NULL);
  show_window (f);

  links = INBOX_LINK_ROW (find_widget (GTK_WIDGET (f->window), INBOX_TYPE_LINK_ROW, NULL));
  g_assert_cmpuint (inbox_link_row_get_n_links (links), ==, 3);

  /* url: opens its link (ios, the only one it has) */
  g_signal_emit_by_name (inbox_link_row_get_button (links, 0), "clicked");
  g_assert_cmpuint (f->opened->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->opened, 0), ==, "https://example.com/ios-only");
  g_assert_cmpint (f->clicks, ==, 1);
  g_assert_cmpint (f->last_button, ==, 0);

  /* copy: to the clipboard, opens nothing */
  g_signal_emit_by_name (inbox_link_row_get_button (links, 1), "clicked");
  read.clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  gdk_clipboard_read_text_async (read.clipboard, NULL, clipboard_read_cb, &read);
  test_util_wait_for (clipboard_done, &read);
  g_assert_cmpstr (read.text, ==, "COFFEE2");
  g_free (read.text);
  g_assert_cmpuint (f->opened->len, ==, 1);

  /* slot 3 holds the rfp link: an empty slot, no button, and clicking it
   * through the action does nothing (docs/rules.md, "Button slots") */
  g_assert_false (GTK_IS_BUTTON (inbox_link_row_get_button (links, 2)));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "1712000000_1716400000", 0, 2);
  g_assert_cmpuint (f->opened->len, ==, 1);
  g_assert_cmpint (f->clicks, ==, 2);
  g_assert_cmpint (f->last_button, ==, 1);

  /* one Clicked event: the repeats within 5 s are dropped */
  clicked = events_of (f, "Notification Clicked");
  g_assert_cmpuint (clicked->len, ==, 1);
  g_assert_nonnull (strstr (((InboxOutboxEvent *) g_ptr_array_index (clicked, 0))->props, "\"wzrk_c2a\":\"See offer\""));
  g_assert_nonnull (strstr (((InboxOutboxEvent *) g_ptr_array_index (clicked, 0))->props, "\"wzrk_id\":\"1712000000_20240522\""));

  /* the card itself opens the card's link, and counts again after 5 s */
  f->now += 6;
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "1712000000_1716400000", 0, -1);
  g_assert_cmpuint (f->opened->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->opened, 1), ==, "https://example.com/offer");
  g_clear_pointer (&clicked, g_ptr_array_unref);
  clicked = events_of (f, "Notification Clicked");
  g_assert_cmpuint (clicked->len, ==, 2);
  g_assert_null (strstr (((InboxOutboxEvent *) g_ptr_array_index (clicked, 1))->props, "wzrk_c2a"));

  /* kv: the map to the app, opens nothing (a message with kv in slot 2) */
  add_messages (f,
                message_from_json ("{\"_id\":\"kv\",\"msg\":{\"type\":\"simple\",\"content\":[{\"action\":{"
                                   "\"hasLinks\":true,\"links\":[{\"type\":\"rfp\",\"text\":\"Allow\"},"
                                   "{\"type\":\"kv\",\"text\":\"Later\",\"kv\":{\"later\":\"1\"}}]}}]}}"),
                NULL);
  /* a click comes from its card, which has its content loaded */
  g_assert_true (inbox_message_load (inbox_store_lookup (f->store, "kv", NULL), NULL));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "kv", 0, 1);
  g_assert_nonnull (f->kv);
  g_assert_cmpuint (g_hash_table_size (f->kv), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (f->kv, "later"), ==, "1");
  g_assert_cmpuint (f->opened->len, ==, 2);
  g_assert_cmpint (f->last_button, ==, 1);
}

static void
test_links_refused (WindowFixture *f,
                    gconstpointer  data)
{
  static const char * const schemes[] = { "myapp", NULL };

  add_messages (f,
                message_from_json ("{\"_id\":\"js\",\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"t\"},"
                                   "\"action\":{\"hasUrl\":true,\"url\":{\"desktop\":{\"text\":\"javascript:alert(1)\"}}}}]}}"),
                message_from_json ("{\"_id\":\"file\",\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"t\"},"
                                   "\"action\":{\"hasUrl\":true,\"url\":{\"desktop\":{\"text\":\"file:///etc/passwd\"}}}}]}}"),
                message_from_json ("{\"_id\":\"app\",\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"t\"},"
                                   "\"action\":{\"hasUrl\":true,\"url\":{\"desktop\":{\"text\":\"myapp://deals\"}}}}]}}"),
                NULL);
  show_window (f);

  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "js", 0, -1);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "file", 0, -1);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "app", 0, -1);
  g_assert_cmpuint (f->opened->len, ==, 0);

  g_assert_true (inbox_view_is_link_allowed (f->view, "https://example.com"));
  g_assert_true (inbox_view_is_link_allowed (f->view, "HTTP://example.com"));
  g_assert_true (inbox_view_is_link_allowed (f->view, "mailto:a@example.com"));
  g_assert_false (inbox_view_is_link_allowed (f->view, "data:text/html,x"));
  g_assert_false (inbox_view_is_link_allowed (f->view, "no scheme"));

  /* an app scheme from the settings is opened */
  inbox_view_set_allowed_schemes (f->view, schemes);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "app", 0, -1);
  g_assert_cmpuint (f->opened->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->opened, 0), ==, "myapp://deals");
}

static gint64 fake_monotonic;

static gint64
fake_monotonic_now (gpointer data)
{
  return fake_monotonic;
}

static void
test_read_on_view (WindowFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) viewed = NULL;
  InboxReadTracker *tracker = inbox_view_get_read_tracker (f->view);
  InboxMessage *top, *partly, *bottom;

  /* a short message on top, a tall one only partly on screen under it, and
   * one far below */
  add_messages (f,
                message_from_json ("{\"_id\":\"top\",\"date\":1764340000,\"msg\":{\"type\":\"simple\",\"content\":"
                                   "[{\"title\":{\"text\":\"On top\"}}]}}"),
                load_message ("screens", "long-text.json"),
                message_from_json ("{\"_id\":\"below\",\"date\":1000,\"msg\":{\"type\":\"simple\",\"content\":"
                                   "[{\"title\":{\"text\":\"Far below\"}}]}}"),
                NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 480, 500);

  /* the test's clock from the start: time moves only when the test says */
  fake_monotonic = 1000000;
  inbox_read_tracker_set_clock (tracker, fake_monotonic_now, NULL);
  show_window (f);

  top = inbox_store_lookup (f->store, "top", NULL);
  partly = inbox_store_lookup (f->store, "long", NULL);
  bottom = inbox_store_lookup (f->store, "below", NULL);
  g_assert_false (inbox_message_get_read (top));

  inbox_read_tracker_tick (tracker);
  fake_monotonic += 1900000;
  inbox_read_tracker_tick (tracker);
  g_assert_false (inbox_message_get_read (top));

  fake_monotonic += 100000;
  inbox_read_tracker_tick (tracker);
  g_assert_true (inbox_message_get_read (top));
  /* less than half on screen, or not at all: not read */
  g_assert_false (inbox_message_get_read (partly));
  g_assert_false (inbox_message_get_read (bottom));

  viewed = events_of (f, "Notification Viewed");
  g_assert_cmpuint (viewed->len, ==, 1);
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (viewed, 0))->message_id, ==, "top");
  g_clear_pointer (&viewed, g_ptr_array_unref);
  viewed = events_of (f, "read");
  g_assert_cmpuint (viewed->len, ==, 1);

  /* marked unread by the user while on screen: that stands, however long it
   * stays there */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.mark-unread", "s", "top");
  g_assert_false (inbox_message_get_read (top));
  for (guint i = 0; i < 20; i++)
    {
      fake_monotonic += 250000;
      inbox_read_tracker_tick (tracker);
    }
  g_assert_false (inbox_message_get_read (top));

  /* off the screen (the window not mapped: the tracker sees no row) and
   * back: 2 s on screen read it again */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  inbox_read_tracker_tick (tracker);
  gtk_widget_set_visible (GTK_WIDGET (f->window), TRUE);
  show_window (f);
  inbox_read_tracker_tick (tracker);
  fake_monotonic += 2000000;
  inbox_read_tracker_tick (tracker);
  g_assert_true (inbox_message_get_read (top));
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = find_button (child, label)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_delete_undo (WindowFixture *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) deleted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *gone = NULL;

  add_messages (f, load_message ("screens", "read.json"), load_message ("screens", "no-media.json"), NULL);
  show_window (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);

  /* off the list at once, still on disk while Undo is offered */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.delete", "s", "read");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  json = inbox_cache_load_json (f->cache, "tester", "read", &error);
  g_assert_no_error (error);

  /* the toast's own Undo button, as a user clicks it */
  {
    GtkWidget *undo;

    wait_painted (GTK_WIDGET (f->window));
    undo = find_button (GTK_WIDGET (f->window), "_Undo");
    g_assert_nonnull (undo);
    g_assert_true (gtk_widget_is_sensitive (undo));
    g_signal_emit_by_name (undo, "clicked");
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  g_assert_cmpstr (inbox_message_get_id (g_list_model_get_item (G_LIST_MODEL (f->store), 0)), ==, "read");
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (f->store), 0));

  /* deleted again, and written when the toast goes (or the window closes) */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.delete", "s", "read");
  inbox_view_commit_deletes (f->view);
  gone = inbox_cache_load_json (f->cache, "tester", "read", &error);
  g_assert_null (gone);
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  deleted = events_of (f, "deleted");
  g_assert_cmpuint (deleted->len, ==, 1);
}

static void
test_mark_read_unread (WindowFixture *f,
                       gconstpointer  data)
{
  InboxMessage *message;

  add_messages (f, load_message ("screens", "no-media.json"), NULL);
  show_window (f);
  message = inbox_store_lookup (f->store, "no-media", NULL);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Inbox (1)");

  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.mark-read", "s", "no-media");
  g_assert_true (inbox_message_get_read (message));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Inbox");

  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.mark-unread", "s", "no-media");
  g_assert_false (inbox_message_get_read (message));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Inbox (1)");
}

static void
test_states (WindowFixture *f,
             gconstpointer  data)
{
  static const char * const tags[] = { "Offers", "News", NULL };

  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_LOADING, NULL);
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "loading");
  show_window (f);
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "empty");

  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_ERROR, "The server could not be reached");
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "error");

  add_messages (f, load_message ("screens", "no-media.json"), NULL);
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "messages");
  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_OFFLINE, "no route to host");
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "messages");

  /* tabs: All plus one per tag */
  inbox_view_set_tags (f->view, tags);
  g_assert_nonnull (find_widget (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
    adw_view_stack_get_pages (ADW_VIEW_STACK (find_widget (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK, NULL))))), ==, 3);
}


static gboolean
page_is_sign_in (gpointer view)
{
  return g_strcmp0 (inbox_view_get_visible_page (view), "sign-in") == 0;
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_get_sensitive (widget);
}

/* Sign-in, as a user meets it: a client with no account asks for one; the
 * reason the client gives is shown; the three fields typed in go to the
 * client, the button is busy until the server answers, and a server that
 * cannot be reached says so on the page. */
static void
test_sign_in (WindowFixture *f,
              gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("test-sign-in-XXXXXX", NULL);
  GtkWidget *view, *server_row, *user_row, *token_row, *button, *error_label, *focus;

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->client);
  f->client = g_object_new (INBOX_TYPE_CLIENT, "data-dir", dir, "cache-dir", dir, "use-keyring", FALSE, NULL);
  open_window (f, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  test_util_wait_for (page_is_sign_in, f->view);
  test_util_wait_for (is_mapped, f->window);

  view = GTK_WIDGET (inbox_view_get_sign_in_view (f->view));
  server_row = find_widget (view, ADW_TYPE_ENTRY_ROW, NULL);
  user_row = find_widget (gtk_widget_get_next_sibling (server_row), ADW_TYPE_ENTRY_ROW, NULL);
  token_row = find_widget (view, ADW_TYPE_PASSWORD_ENTRY_ROW, NULL);
  button = find_button (view, "_Sign In");
  error_label = find_widget (view, GTK_TYPE_LABEL, "error");
  g_assert_nonnull (user_row);
  g_assert_nonnull (error_label);

  /* no account yet: nothing to explain, the keyboard in the first field */
  g_assert_false (gtk_widget_get_visible (error_label));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == server_row || gtk_widget_is_ancestor (focus, server_row));

  /* the reason the client gives */
  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_NEEDS_SIGN_IN, "No token is saved for alice");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, "No token is saved for alice");

  /* no token, no sign-in */
  gtk_editable_set_text (GTK_EDITABLE (server_row), "http://127.0.0.1:9");
  gtk_editable_set_text (GTK_EDITABLE (user_row), "alice");
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_editable_set_text (GTK_EDITABLE (token_row), "s3cret");
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");

  /* busy until answered; then the reason it failed, and nothing kept */
  g_assert_false (gtk_widget_get_sensitive (button));
  test_util_wait_for (is_sensitive, button);
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "sign-in");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "127.0.0.1:9"));
  g_assert_cmpstr (inbox_client_get_user (f->client), ==, "");

  /* once the client is ready, the inbox */
  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_READY, NULL);
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_clear_object (&f->client);
  inbox_media_cache_remove_dir (dir);
}

/* Offline with nothing saved: the error page says why, with Try Again. */
static void
test_offline_empty (WindowFixture *f,
                    gconstpointer  data)
{
  show_window (f);
  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_OFFLINE, "Could not reach http://127.0.0.1:9: Connection refused");
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "error");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (gtk_widget_get_ancestor (
                     find_button (GTK_WIDGET (f->window), "_Try Again"), ADW_TYPE_STATUS_PAGE))),
                   ==, "Could not reach http://127.0.0.1:9: Connection refused");

  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_READY, NULL);
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "empty");
}

static GtkWidget *
find_label_text (GtkWidget  *root,
                 const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return child;
      if ((found = find_label_text (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static InboxMessage *
message_with_link (const char *id,
                   const char *uri)
{
  g_autofree char *json = g_strdup_printf ("{\"_id\":\"%s\",\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"t\"},"
                                           "\"action\":{\"hasUrl\":true,\"url\":{\"desktop\":{\"text\":\"%s\"}}}}]}}",
                                           id, uri);

  return message_from_json (json);
}

/* The app schemes written straight into GSettings, past the preferences'
 * check: file and javascript stay refused where links are opened (a toast
 * and a log line), the app scheme listed with them opens. */
static void
test_links_settings_written_straight (WindowFixture *f,
                                      gconstpointer  data)
{
  static const char * const written[] = { "file", "JavaScript", "data", "myapp", NULL };
  g_autoptr(GSettings) settings = g_settings_new ("io.github.appinbox.AppInbox");

  g_assert_true (g_settings_set_strv (settings, "allowed-schemes", written));
  gtk_window_destroy (GTK_WINDOW (f->window));
  open_window (f, settings);

  add_messages (f,
                message_with_link ("file", "file:///etc/passwd"),
                message_with_link ("js", "javascript:alert(1)"),
                message_with_link ("data", "data:text/html,<script>alert(1)</script>"),
                message_with_link ("app", "myapp://deals"),
                NULL);
  show_window (f);

  g_test_expect_message ("inbox-view", G_LOG_LEVEL_MESSAGE, "Refused to open file:///etc/passwd*");
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "file", 0, -1);
  g_test_assert_expected_messages ();
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->window), "Links of the kind “file” are not opened"));

  g_test_expect_message ("inbox-view", G_LOG_LEVEL_MESSAGE, "Refused to open javascript:alert(1)*");
  g_test_expect_message ("inbox-view", G_LOG_LEVEL_MESSAGE, "Refused to open data:text/html*");
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "js", 0, -1);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "data", 0, -1);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (f->opened->len, ==, 0);
  g_assert_false (inbox_view_is_link_allowed (f->view, "FILE:///etc/passwd"));

  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "app", 0, -1);
  g_assert_cmpuint (f->opened->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->opened, 0), ==, "myapp://deals");

  /* the same when the settings change under a running window */
  g_assert_true (g_settings_set_strv (settings, "allowed-schemes", (const char * const []) { "javascript", NULL }));
  g_assert_false (inbox_view_is_link_allowed (f->view, "javascript:alert(1)"));
  g_assert_false (inbox_view_is_link_allowed (f->view, "myapp://deals"));
  g_settings_reset (settings, "allowed-schemes");
}

static guint
n_tabs (InboxWindow *window)
{
  GtkWidget *stack = find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL);

  return g_list_model_get_n_items (G_LIST_MODEL (adw_view_stack_get_pages (ADW_VIEW_STACK (stack))));
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.appinbox.AppInbox");
  g_autoptr(InboxCache) cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, NULL);
  g_autoptr(InboxStore) store = inbox_store_new (cache, "tester");
  g_autoptr(InboxMediaCache) media = test_media ();
  g_autoptr(InboxClient) client = inbox_client_new_for_store (store, media, TRUE);
  g_auto(GStrv) tags = NULL;
  g_auto(GStrv) schemes = NULL;
  InboxWindow *window;
  GtkWidget *preferences;
  GtkWidget *tags_row, *schemes_row;

  window = inbox_window_new (NULL, client, settings);
  g_assert_cmpuint (n_tabs (window), ==, 1);

  preferences = inbox_preferences_window_new (GTK_WINDOW (window), settings);
  tags_row = find_widget (preferences, ADW_TYPE_ENTRY_ROW, NULL);
  g_assert_nonnull (tags_row);
  schemes_row = gtk_widget_get_ancestor (tags_row, ADW_TYPE_PREFERENCES_GROUP);
  schemes_row = find_widget (gtk_widget_get_next_sibling (schemes_row), ADW_TYPE_ENTRY_ROW, NULL);
  g_assert_nonnull (schemes_row);

  /* typed, applied, tidied; the window follows at once */
  gtk_editable_set_text (GTK_EDITABLE (tags_row), " Offers, news,, offers ,Updates");
  g_signal_emit_by_name (tags_row, "apply");
  tags = g_settings_get_strv (settings, "tags");
  g_assert_cmpstrv (tags, ((const char * const []) { "Offers", "news", "Updates", NULL }));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tags_row)), ==, "Offers, news, Updates");
  g_assert_cmpuint (n_tabs (window), ==, 4);

  /* schemes: lower case, no colon, and never the dangerous ones */
  gtk_editable_set_text (GTK_EDITABLE (schemes_row), "MyApp:, javascript, ftp, not a scheme");
  g_signal_emit_by_name (schemes_row, "apply");
  schemes = g_settings_get_strv (settings, "allowed-schemes");
  g_assert_cmpstrv (schemes, ((const char * const []) { "myapp", "ftp", NULL }));
  g_assert_true (inbox_view_is_link_allowed (inbox_window_get_view (window), "myapp://x"));
  g_assert_false (inbox_view_is_link_allowed (inbox_window_get_view (window), "javascript:x"));

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

/* The account: server and user shown; Sign Out asks first, then says so. */
static void
test_preferences_account (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.appinbox.AppInbox");
  GtkWidget *preferences, *button, *dialog = NULL;
  GtkWindow *toplevel;
  guint sign_outs = 0;

  g_settings_set_string (settings, "server-url", "https://inbox.example.com");
  g_settings_set_string (settings, "user", "alice");
  preferences = inbox_preferences_window_new (NULL, settings);
  g_signal_connect (preferences, "sign-out", G_CALLBACK (count_cb), &sign_outs);

  g_assert_nonnull (find_label_text (preferences, "https://inbox.example.com"));
  g_assert_nonnull (find_label_text (preferences, "alice"));

  button = find_button (preferences, "_Sign Out…");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");

  /* a confirmation, whose cancel does nothing */
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Sign Out alice?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_cmpuint (sign_outs, ==, 0);

  g_signal_emit_by_name (button, "clicked");
  dialog = NULL;
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "sign-out");
  g_assert_cmpuint (sign_outs, ==, 1);

  /* signed out: the row says so and cannot sign out again */
  g_settings_set_string (settings, "user", "");
  g_assert_nonnull (find_label_text (preferences, "Not signed in"));
  g_assert_false (gtk_widget_is_sensitive (button));

  toplevel = GTK_WINDOW (preferences);
  gtk_window_destroy (toplevel);
}

static InboxMessage *
message_tagged (const char *id,
                const char *tag)
{
  g_autofree char *json = g_strdup_printf ("{\"_id\":\"%s\",\"date\":1764300000,"
                                           "\"msg\":{\"tags\":[\"%s\"],\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"%s\"},"
                                           "\"action\":{\"hasUrl\":true,\"url\":{\"desktop\":{\"text\":\"https://example.com/%s\"}}}}]}}",
                                           id, tag, id, id);

  return message_from_json (json);
}

static gboolean
switcher_bar_revealed (gpointer view)
{
  return adw_view_switcher_bar_get_reveal (inbox_view_get_switcher_bar (view));
}

static gboolean
switcher_bar_hidden (gpointer view)
{
  return !adw_view_switcher_bar_get_reveal (inbox_view_get_switcher_bar (view));
}

static gboolean
clicked_once (gpointer data)
{
  return ((WindowFixture *) data)->clicks >= 1;
}

static gboolean
opened_once (gpointer data)
{
  return ((WindowFixture *) data)->opened->len >= 1;
}

/* What a host app sets on the view: the tabs with their unread badges, the
 * first tab's title, the empty state's words, and links left to it. */
static void
test_view_host_properties (WindowFixture *f,
                           gconstpointer  data)
{
  static const char * const tags[] = { "Offers", "News", NULL };
  AdwViewStack *stack = inbox_view_get_view_stack (f->view);
  g_autoptr(GtkSelectionModel) pages = NULL;
  g_autoptr(AdwViewStackPage) first = NULL;
  GtkWidget *empty_title;

  /* the empty state says what the host app wants */
  inbox_view_set_empty_title (f->view, "Nothing from Example Shop");
  inbox_view_set_empty_description (f->view, "Offers will show up here");
  show_window (f);
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "empty");
  empty_title = find_label_text (GTK_WIDGET (f->view), "Nothing from Example Shop");
  g_assert_nonnull (empty_title);
  g_assert_true (gtk_widget_is_drawable (empty_title));
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "Offers will show up here"));

  /* tabs set by the host app, each with its unread count */
  inbox_view_set_first_tab_title (f->view, "Everything");
  inbox_view_set_tags (f->view, tags);
  add_messages (f, message_tagged ("o1", "Offers"), message_tagged ("o2", "Offers"),
                message_tagged ("n1", "News"), NULL);
  pages = adw_view_stack_get_pages (stack);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 3);
  first = g_list_model_get_item (G_LIST_MODEL (pages), 0);
  g_assert_cmpstr (adw_view_stack_page_get_title (first), ==, "Everything");
  g_assert_cmpuint (inbox_view_get_badge (f->view, 0), ==, 3);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 2);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 2), ==, 1);

  /* too narrow for the tabs in the header bar: they show at the bottom */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 700);
  test_util_wait_for (switcher_bar_revealed, f->view);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  test_util_wait_for (switcher_bar_hidden, f->view);

  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.mark-read", "s", "o1");
  g_assert_cmpuint (inbox_view_get_badge (f->view, 0), ==, 2);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 1);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 2), ==, 1);

  /* links left to the host app: nothing opened, the click still told (a
   * click from code on a message whose card was never built: its content is
   * loaded first, in the store's thread) */
  add_messages (f, message_tagged ("n2", "News"), NULL);
  g_assert_false (inbox_message_is_loaded (inbox_store_lookup (f->store, "n2", NULL)));
  inbox_view_set_open_links (f->view, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "n2", 0, -1);
  test_util_wait_for (clicked_once, f);
  g_assert_cmpuint (f->opened->len, ==, 0);
  g_assert_cmpint (f->clicks, ==, 1);
  /* n1's card may not be built yet either (a busy machine): its link opens
   * once its content is in */
  inbox_view_set_open_links (f->view, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.click", "(sii)", "n1", 0, -1);
  test_util_wait_for (opened_once, f);
  g_assert_cmpuint (f->opened->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->opened, 0), ==, "https://example.com/n1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("test-widgets needs a display: run it under xvfb-run (tools/run-tests does)\n");
      return 1;
    }
  adw_init ();
  inbox_render_setup_settings (FALSE);

  g_test_add_func ("/widgets/row-picks-template", test_row_picks_template);
  g_test_add_func ("/widgets/row-accessible", test_row_accessible);
  g_test_add_func ("/widgets/carousel/updates-text", test_carousel_updates_text);
  g_test_add_func ("/widgets/carousel/single-page-no-arrows", test_carousel_single_page_no_arrows);
  g_test_add_func ("/widgets/media/broken", test_broken_media);
  g_test_add_func ("/widgets/media/no-file-urls", test_no_file_urls);
  g_test_add_func ("/widgets/media/gif-stops-when-hidden", test_gif_stops_when_hidden);
  g_test_add_func ("/widgets/media/video-and-audio", test_video_and_audio);
  g_test_add_func ("/widgets/render-command", test_render_command);
  g_test_add_func ("/widgets/preferences", test_preferences);
  g_test_add_func ("/widgets/preferences-account", test_preferences_account);

#define ADD(path, func) \
  g_test_add (path, WindowFixture, NULL, window_setup, func, window_teardown)

  ADD ("/window/buttons", test_buttons);
  ADD ("/window/links-refused", test_links_refused);
  ADD ("/window/links-settings-written-straight", test_links_settings_written_straight);
  ADD ("/window/read-on-view", test_read_on_view);
  ADD ("/window/delete-undo", test_delete_undo);
  ADD ("/window/mark-read-unread", test_mark_read_unread);
  ADD ("/window/states", test_states);
  ADD ("/window/sign-in", test_sign_in);
  ADD ("/window/offline-empty", test_offline_empty);
  ADD ("/window/view-host-properties", test_view_host_properties);

#undef ADD

  return g_test_run ();
}
