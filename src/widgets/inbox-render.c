/* inbox-render.c
 *
 * Lays widgets out in a window of their own at a given width, waits until
 * their media has settled, and renders them through the window's renderer
 * (widget paintable → snapshot → gsk_renderer_render_texture). With the cairo
 * renderer, animations off, a fixed font and scale 1, the same input gives
 * the same pixels, which is what the screenshot tests and --render rely on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-render"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "inbox-message-row.h"
#include "inbox-render.h"
#include "inbox-style.h"

#define SETTLE_TIMEOUT_SEC 15

/* Fixed font and hinting, no animations; light or dark. */
void
inbox_render_setup_settings (gboolean dark)
{
  GtkSettings *settings = gtk_settings_get_default ();

  g_object_set (settings,
                "gtk-enable-animations", FALSE,
                "gtk-font-name", "Cantarell 11",
                "gtk-xft-antialias", 1,
                "gtk-xft-hinting", 1,
                "gtk-xft-hintstyle", "hintslight",
                "gtk-xft-rgba", "none",
                "gtk-xft-dpi", 96 * 1024,
                "gtk-cursor-blink", FALSE,
                NULL);
  inbox_style_load_css ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* A message the inbox would no longer show (--include-expired): a tag on
 * the card's top edge, near its end corner (the left one under
 * right-to-left). It straddles the edge, so it covers no text (a card has
 * 12 px of padding) and the card keeps the size it has in the inbox; the
 * card moves down by half the tag. */
static GtkWidget *
mark_expired (GtkWidget    *row,
              InboxMessage *message)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *tag = gtk_label_new (_("Expired"));
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (inbox_message_get_expires (message));
  g_autofree char *description = NULL;

  gtk_widget_add_css_class (tag, "expired-tag");
  gtk_widget_set_halign (tag, GTK_ALIGN_END);
  gtk_widget_set_valign (tag, GTK_ALIGN_START);
  if (when != NULL)
    {
      g_autofree char *date = g_date_time_format (when, "%c");

      /* Translators: the accessible description of the "Expired" tag; %s is a date and time */
      description = g_strdup_printf (_("Expired on %s"), date);
      gtk_accessible_update_property (GTK_ACCESSIBLE (tag), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
    }

  gtk_widget_set_margin_top (row, 9);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), row);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), tag);
  return overlay;
}

/**
 * inbox_render_build_list:
 * @messages: (element-type InboxMessage): newest first
 * @now: what relative dates are counted from; a message expired by then
 *   is tagged "Expired" (the inbox leaves those out: whoever passes one
 *   here means to show it)
 *
 * The cards as the inbox list shows them: 12 px apart, on the window's
 * background.
 *
 * Returns: (transfer floating): the list
 */
GtkWidget *
inbox_render_build_list (GPtrArray       *messages,
                         InboxMediaCache *media,
                         gint64           now)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (box, "inbox-list");
  for (guint i = 0; i < messages->len; i++)
    {
      GtkWidget *row = inbox_message_row_new ();

      InboxMessage *message = g_ptr_array_index (messages, i);

      gtk_widget_add_css_class (row, "inbox-render");
      inbox_message_row_bind (INBOX_MESSAGE_ROW (row), message, media, now);
      if (inbox_message_is_expired (message, now))
        row = mark_expired (row, message);
      gtk_box_append (GTK_BOX (box), row);
    }

  return box;
}

/* Whether @widget or anything inside it still waits for media. */
static gboolean
is_loading (GtkWidget *widget)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "loading");
  gboolean loading = FALSE;

  if (pspec != NULL && pspec->value_type == G_TYPE_BOOLEAN)
    {
      g_object_get (widget, "loading", &loading, NULL);
      if (loading)
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (is_loading (child))
      return TRUE;

  return FALSE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_paints)
{
  (*n_paints)++;
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for media to arrive and then for two frames to be laid out and
 * painted, so that what is snapshot is what the screen shows. */
static gboolean
settle (GtkWidget *widget,
        GError   **error)
{
  gboolean timed_out = FALSE;
  guint n_paints = 0;
  GdkFrameClock *clock;
  gulong handler;
  guint deadline;

  deadline = g_timeout_add_seconds (SETTLE_TIMEOUT_SEC, deadline_cb, &timed_out);

  /* media loads in threads and arrives through the main loop */
  while (!timed_out && (is_loading (widget) || !gtk_widget_get_mapped (widget)))
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    {
      clock = gtk_widget_get_frame_clock (widget);
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_paints);
      gtk_widget_queue_resize (widget);
      while (!timed_out && n_paints < 2)
        {
          gtk_widget_queue_draw (widget);
          g_main_context_iteration (NULL, TRUE);
        }
      g_signal_handler_disconnect (clock, handler);
    }

  if (timed_out)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "The widgets did not settle within %d seconds (media still loading?)", SETTLE_TIMEOUT_SEC);
      return FALSE;
    }

  g_source_remove (deadline);
  return TRUE;
}

/**
 * inbox_render_widget:
 * @widget: (transfer floating): what to render; it is put in a window of its
 *   own, which is destroyed afterwards
 * @width: the width in pixels; the height is what @widget needs at it
 * @prepare: (nullable): a last change before the picture (a carousel page)
 *
 * Returns: (transfer full): the picture, or %NULL with @error
 */
GdkTexture *
inbox_render_widget (GtkWidget              *widget,
                     int                     width,
                     InboxRenderPrepareFunc  prepare,
                     gpointer                prepare_data,
                     GError                **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkWidget *window, *frame;
  GdkTexture *texture = NULL;
  int height = 0;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  /* the window's background under the cards */
  frame = adw_bin_new ();
  gtk_widget_add_css_class (frame, "background");
  adw_bin_set_child (ADW_BIN (frame), widget);

  window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), frame);

  /* a height of 1 asks for the least the content needs at this width, and
   * the window grows with it as media arrives */
  gtk_window_set_default_size (GTK_WINDOW (window), width, 1);
  gtk_window_present (GTK_WINDOW (window));

  if (!settle (frame, error))
    {
      gtk_window_destroy (GTK_WINDOW (window));
      return NULL;
    }

  if (prepare != NULL)
    {
      prepare (widget, prepare_data);
      if (!settle (frame, error))
        {
          gtk_window_destroy (GTK_WINDOW (window));
          return NULL;
        }
    }

  /* A window grows through a round trip to the X server: until it has the
   * height the content needs, ask again and wait. One that was once taller
   * does not always shrink back: the picture is cut to the content. */
  for (guint attempt = 0; ; attempt++)
    {
      gtk_widget_measure (frame, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
      if (gtk_widget_get_height (frame) >= height)
        break;

      if (attempt == 50)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "The window did not grow to %d pixels (it is %d)", height, gtk_widget_get_height (frame));
          gtk_window_destroy (GTK_WINDOW (window));
          return NULL;
        }

      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      if (!settle (frame, error))
        {
          gtk_window_destroy (GTK_WINDOW (window));
          return NULL;
        }
    }

  if (height <= 0 || gtk_widget_get_width (frame) <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Nothing was drawn: the widgets take no space");
      gtk_window_destroy (GTK_WINDOW (window));
      return NULL;
    }

  paintable = gtk_widget_paintable_new (frame);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (frame), gtk_widget_get_height (frame));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

  if (node == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Nothing was drawn");
  else
    texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                           &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (frame), height));

  g_clear_object (&paintable);
  gtk_window_destroy (GTK_WINDOW (window));
  return texture;
}

/* Written whole or not at all: a reader never sees half a file, and a
 * failed write leaves what was there. */
static gboolean
save_png (GdkTexture  *texture,
          const char  *output,
          GError     **error)
{
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (output, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s: %s", output, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* --render: the messages as the list shows them, to a PNG file. */
gboolean
inbox_render_messages_to_png (GPtrArray       *messages,
                              InboxMediaCache *media,
                              gint64           now,
                              int              width,
                              const char      *output,
                              GError         **error)
{
  g_autoptr(GdkTexture) texture = NULL;

  texture = inbox_render_widget (inbox_render_build_list (messages, media, now), width, NULL, NULL, error);
  if (texture == NULL)
    return FALSE;

  return save_png (texture, output, error);
}

typedef struct {
  char  *output;
  guint  source;
  guint  n_paints;
  gulong paint_handler;
  gint64 deadline;
} WindowShot;

static void
window_shot_free (WindowShot *shot)
{
  g_clear_handle_id (&shot->source, g_source_remove);
  g_free (shot->output);
  g_free (shot);
}

static void
shot_after_paint_cb (GdkFrameClock *clock,
                     GTask         *task)
{
  WindowShot *shot = g_task_get_task_data (task);

  shot->n_paints++;
}

static gboolean
shot_poll_cb (gpointer user_data)
{
  GTask *task = user_data;
  WindowShot *shot = g_task_get_task_data (task);
  GtkWidget *window = g_task_get_source_object (task);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  int width, height;

  if (g_get_monotonic_time () > shot->deadline)
    {
      shot->source = 0;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "The window did not settle within %d seconds", SETTLE_TIMEOUT_SEC);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  if (!gtk_widget_get_mapped (window) || is_loading (window))
    {
      /* what arrives now changes the picture: the frames count again */
      shot->n_paints = 0;
      return G_SOURCE_CONTINUE;
    }

  if (shot->paint_handler == 0)
    {
      shot->paint_handler = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                                              G_CALLBACK (shot_after_paint_cb), task);
      gtk_widget_queue_draw (window);
      return G_SOURCE_CONTINUE;
    }
  if (shot->n_paints < 2)
    {
      gtk_widget_queue_draw (window);
      return G_SOURCE_CONTINUE;
    }

  g_signal_handler_disconnect (gtk_widget_get_frame_clock (window), shot->paint_handler);
  shot->source = 0;

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* GTK 4.8's widget paintable draws nothing while a relayout is pending:
   * not ready yet, look again after the next frames */
  if (node == NULL)
    {
      shot->n_paints = 0;
      shot->source = g_timeout_add_full (G_PRIORITY_LOW, 20, shot_poll_cb, task, NULL);
      g_clear_object (&paintable);
      return G_SOURCE_REMOVE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (!save_png (texture, shot->output, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);

  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/**
 * inbox_render_window_to_png_async:
 *
 * Once the window is shown, its media has settled and two frames have been
 * painted, saves what it shows to @output (--screenshot).
 */
void
inbox_render_window_to_png_async (GtkWindow           *window,
                                  const char          *output,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (window, NULL, callback, user_data);
  WindowShot *shot = g_new0 (WindowShot, 1);

  shot->output = g_strdup (output);
  shot->deadline = g_get_monotonic_time () + SETTLE_TIMEOUT_SEC * G_USEC_PER_SEC;
  g_task_set_source_tag (task, inbox_render_window_to_png_async);
  g_task_set_task_data (task, shot, (GDestroyNotify) window_shot_free);
  /* below the redraw and the rows' idle checks: on a busy machine a poll
   * that is always due would otherwise starve them, and nothing would
   * settle */
  shot->source = g_timeout_add_full (G_PRIORITY_LOW, 20, shot_poll_cb, task, NULL);
}

gboolean
inbox_render_window_to_png_finish (GtkWindow     *window,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, window), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
