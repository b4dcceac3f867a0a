/* inbox-media-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-media-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-animation.h"
#include "inbox-media-view.h"

/* Narrower than this (an icon is 68 px), a picture that cannot be shown
 * shows its symbol alone: its text would be cut off on both sides. */
#define BROKEN_TEXT_MIN_WIDTH 160

struct _InboxMediaView
{
  GtkWidget         parent_instance;

  GtkStack         *stack;
  GtkPicture       *picture;
  GtkOverlay       *video_overlay;
  GtkPicture       *poster;
  GtkWidget        *play_button;
  GtkVideo         *video;
  GtkMediaControls *audio_controls;
  GtkWidget        *broken_box;
  GtkWidget        *broken_icon;
  GtkLabel         *broken_label;

  InboxMediaCache  *cache;
  GCancellable     *cancellable;
  char             *url;
  char             *poster_url;
  char             *alt_text;
  InboxMediaKind    kind;
  InboxOrientation  orientation;
  GFile            *media_file;
  GtkMediaStream   *stream;
  InboxAnimation   *animation;
  int               natural_width;
  int               natural_height;
  int               wanted_width;
  guint             loading : 1;
  guint             broken : 1;
};

G_DEFINE_FINAL_TYPE (InboxMediaView, inbox_media_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Width over height. Natural media waits at 16:9 until its size is known;
 * very tall images are held at 1:2 and cropped. */
static double
aspect_ratio (InboxMediaView *self)
{
  switch (self->orientation)
    {
    case INBOX_ORIENTATION_LANDSCAPE:
      return 16.0 / 9.0;
    case INBOX_ORIENTATION_SQUARE:
      return 1.0;
    case INBOX_ORIENTATION_NATURAL:
    default:
      if (self->natural_width > 0 && self->natural_height > 0)
        return CLAMP ((double) self->natural_width / self->natural_height, 0.5, 4.0);
      return 16.0 / 9.0;
    }
}

static void
inbox_media_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  InboxMediaView *self = INBOX_MEDIA_VIEW (widget);
  int child_min = 0, child_nat = 0;

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, -1, &child_min, &child_nat, NULL, NULL);

  if (self->kind == INBOX_MEDIA_AUDIO)
    {
      *minimum = child_min;
      *natural = child_nat;
      return;
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (self->wanted_width > 0)
        {
          *minimum = *natural = self->wanted_width;
          return;
        }
      *minimum = MAX (child_min, 48);
      *natural = MAX (*minimum, 480);
    }
  else
    {
      int width = for_size >= 0 ? for_size : (self->wanted_width > 0 ? self->wanted_width : 480);
      int height = (int) (width / aspect_ratio (self) + 0.5);

      *minimum = *natural = MAX (height, child_min);
    }
}

static GtkSizeRequestMode
inbox_media_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
inbox_media_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  InboxMediaView *self = INBOX_MEDIA_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);
}

static void
update_animation (InboxMediaView *self)
{
  gboolean animations = TRUE;

  if (self->animation == NULL)
    return;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &animations, NULL);
  inbox_animation_set_playing (self->animation, animations && gtk_widget_get_mapped (GTK_WIDGET (self)));
}

static void
inbox_media_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (inbox_media_view_parent_class)->map (widget);
  update_animation (INBOX_MEDIA_VIEW (widget));
}

static void
inbox_media_view_unmap (GtkWidget *widget)
{
  InboxMediaView *self = INBOX_MEDIA_VIEW (widget);

  GTK_WIDGET_CLASS (inbox_media_view_parent_class)->unmap (widget);
  update_animation (self);
  if (self->stream != NULL && self->kind == INBOX_MEDIA_VIDEO)
    gtk_media_stream_pause (self->stream);
}

static void
reset (InboxMediaView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->media_file);
  g_clear_object (&self->animation);
  if (self->stream != NULL)
    gtk_media_stream_pause (self->stream);
  if (self->video != NULL)
    gtk_video_set_media_stream (self->video, NULL);
  if (self->audio_controls != NULL)
    gtk_media_controls_set_media_stream (self->audio_controls, NULL);
  g_clear_object (&self->stream);
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_picture_set_paintable (self->poster, NULL);
  self->natural_width = self->natural_height = 0;
  self->broken = FALSE;
  gtk_widget_set_tooltip_text (self->broken_box, NULL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
inbox_media_view_dispose (GObject *object)
{
  InboxMediaView *self = (InboxMediaView *) object;

  if (self->stack != NULL)
    reset (self);
  g_clear_pointer ((GtkWidget **) &self->stack, gtk_widget_unparent);

  G_OBJECT_CLASS (inbox_media_view_parent_class)->dispose (object);
}

static void
inbox_media_view_finalize (GObject *object)
{
  InboxMediaView *self = (InboxMediaView *) object;

  g_clear_object (&self->cache);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->poster_url, g_free);
  g_clear_pointer (&self->alt_text, g_free);

  G_OBJECT_CLASS (inbox_media_view_parent_class)->finalize (object);
}

static void
inbox_media_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  InboxMediaView *self = INBOX_MEDIA_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_media_view_class_init (InboxMediaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_media_view_dispose;
  object_class->finalize = inbox_media_view_finalize;
  object_class->get_property = inbox_media_view_get_property;

  widget_class->measure = inbox_media_view_measure;
  widget_class->get_request_mode = inbox_media_view_get_request_mode;
  widget_class->size_allocate = inbox_media_view_size_allocate;
  widget_class->map = inbox_media_view_map;
  widget_class->unmap = inbox_media_view_unmap;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "media-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
play_clicked_cb (InboxMediaView *self)
{
  if (self->stream == NULL)
    return;

  if (self->video == NULL)
    {
      self->video = GTK_VIDEO (gtk_video_new ());
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->video), "video");
    }
  gtk_video_set_media_stream (self->video, self->stream);
  gtk_stack_set_visible_child_name (self->stack, "video");
  gtk_media_stream_play (self->stream);
}

static void
inbox_media_view_init (InboxMediaView *self)
{
  GtkWidget *play_icon;

  gtk_widget_add_css_class (GTK_WIDGET (self), "media-view");
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_hhomogeneous (self->stack, FALSE);
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));

  gtk_stack_add_named (self->stack, gtk_box_new (GTK_ORIENTATION_VERTICAL, 0), "placeholder");

  /* the pictures are the view's own image, named by the alt text */
  self->picture = g_object_new (GTK_TYPE_PICTURE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->picture), "picture");

  self->video_overlay = GTK_OVERLAY (gtk_overlay_new ());
  self->poster = g_object_new (GTK_TYPE_PICTURE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_picture_set_content_fit (self->poster, GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (self->poster, TRUE);
  gtk_overlay_set_child (self->video_overlay, GTK_WIDGET (self->poster));
  play_icon = gtk_image_new_from_icon_name ("media-playback-start-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (play_icon), 32);
  self->play_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->play_button), play_icon);
  gtk_widget_set_halign (self->play_button, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->play_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->play_button, "osd");
  gtk_widget_add_css_class (self->play_button, "circular");
  gtk_widget_set_size_request (self->play_button, 64, 64);
  gtk_widget_set_tooltip_text (self->play_button, _("Play"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Play"), -1);
  g_signal_connect_swapped (self->play_button, "clicked", G_CALLBACK (play_clicked_cb), self);
  gtk_overlay_add_overlay (self->video_overlay, self->play_button);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->video_overlay), "poster");

  /* the video and audio players are heavy: made only for such media */

  self->broken_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_valign (self->broken_box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->broken_box, "broken");
  self->broken_icon = gtk_image_new_from_icon_name ("image-missing-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (self->broken_icon), 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->broken_icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The picture could not be shown"), -1);
  gtk_box_append (GTK_BOX (self->broken_box), self->broken_icon);
  self->broken_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->broken_label, TRUE);
  gtk_label_set_justify (self->broken_label, GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (self->broken_label, 40);
  gtk_widget_set_margin_start (GTK_WIDGET (self->broken_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->broken_label), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->broken_label), "caption");
  gtk_box_append (GTK_BOX (self->broken_box), GTK_WIDGET (self->broken_label));
  gtk_stack_add_named (self->stack, self->broken_box, "broken");

  self->orientation = INBOX_ORIENTATION_NATURAL;
  self->wanted_width = -1;
}

GtkWidget *
inbox_media_view_new (void)
{
  return g_object_new (INBOX_TYPE_MEDIA_VIEW, NULL);
}

static void
set_loading (InboxMediaView *self,
             gboolean        loading)
{
  loading = !!loading;
  if (self->loading == (guint) loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The broken view's text (the alt text, else why there is no picture):
 * under the symbol when it fits, else in a tooltip; always the accessible
 * description. */
static void
update_broken_text (InboxMediaView *self)
{
  const char *text = self->alt_text != NULL && *self->alt_text != '\0' ? self->alt_text
                                                                      : _("The picture could not be shown");
  gboolean small = self->wanted_width > 0 && self->wanted_width < BROKEN_TEXT_MIN_WIDTH;

  gtk_label_set_text (self->broken_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->broken_label), !small);
  gtk_widget_set_tooltip_text (self->broken_box, small ? text : NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->broken_icon), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
show_broken (InboxMediaView *self,
             const GError   *error)
{
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("%s: %s", self->url, error->message);

  self->broken = TRUE;
  update_broken_text (self);
  gtk_stack_set_visible_child_name (self->stack, "broken");
  gtk_widget_queue_resize (GTK_WIDGET (self));
  set_loading (self, FALSE);
}

typedef struct {
  GdkPixbuf          *pixbuf;
  GdkPixbufAnimation *animation;
} Decoded;

static void
decoded_free (Decoded *decoded)
{
  g_clear_object (&decoded->pixbuf);
  g_clear_object (&decoded->animation);
  g_free (decoded);
}

/* In a thread: decoding never blocks the main loop. */
static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *path = g_file_get_path (file);
  Decoded *decoded;
  GError *error = NULL;
  int width = 0, height = 0;

  if (path == NULL || gdk_pixbuf_get_file_info (path, &width, &height) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Not an image");
      return;
    }
  if ((gint64) width * height > INBOX_MEDIA_VIEW_MAX_PIXELS)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               "The image is %d × %d pixels, more than %d megapixels",
                               width, height, INBOX_MEDIA_VIEW_MAX_PIXELS / 1000000);
      return;
    }

  decoded = g_new0 (Decoded, 1);
  decoded->animation = gdk_pixbuf_animation_new_from_file (path, &error);
  if (decoded->animation == NULL)
    {
      decoded_free (decoded);
      g_task_return_error (task, error);
      return;
    }

  if (gdk_pixbuf_animation_is_static_image (decoded->animation))
    {
      decoded->pixbuf = g_object_ref (gdk_pixbuf_animation_get_static_image (decoded->animation));
      g_clear_object (&decoded->animation);
    }

  g_task_return_pointer (task, decoded, (GDestroyNotify) decoded_free);
}

static void
decoded_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  InboxMediaView *self = user_data;
  g_autoptr(GError) error = NULL;
  Decoded *decoded;
  GtkPicture *target;
  g_autoptr(GdkPaintable) paintable = NULL;

  decoded = g_task_propagate_pointer (G_TASK (result), &error);
  if (decoded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_broken (self, error);
      g_object_unref (self);
      return;
    }

  if (decoded->animation != NULL)
    {
      self->animation = inbox_animation_new (decoded->animation);
      paintable = g_object_ref (GDK_PAINTABLE (self->animation));
    }
  else
    {
      paintable = GDK_PAINTABLE (gdk_texture_new_for_pixbuf (decoded->pixbuf));
    }
  decoded_free (decoded);

  self->natural_width = gdk_paintable_get_intrinsic_width (paintable);
  self->natural_height = gdk_paintable_get_intrinsic_height (paintable);

  target = self->kind == INBOX_MEDIA_VIDEO ? self->poster : self->picture;
  gtk_picture_set_paintable (target, paintable);
  gtk_stack_set_visible_child_name (self->stack, self->kind == INBOX_MEDIA_VIDEO ? "poster" : "picture");
  update_animation (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  set_loading (self, FALSE);
  g_object_unref (self);
}

static void
decode (InboxMediaView *self,
        GFile          *file)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, decoded_cb, g_object_ref (self));

  g_task_set_source_tag (task, decode);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, decode_thread);
}

static void
poster_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(InboxMediaView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = inbox_media_cache_fetch_finish (INBOX_MEDIA_CACHE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (file == NULL)
    {
      /* a video without a poster still plays */
      gtk_stack_set_visible_child_name (self->stack, "poster");
      set_loading (self, FALSE);
      return;
    }

  decode (self, file);
}

static void
media_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(InboxMediaView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = inbox_media_cache_fetch_finish (INBOX_MEDIA_CACHE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (file == NULL)
    {
      show_broken (self, error);
      return;
    }

  g_set_object (&self->media_file, file);

  switch (self->kind)
    {
    case INBOX_MEDIA_VIDEO:
      self->stream = gtk_media_file_new_for_file (file);
      if (self->poster_url != NULL)
        inbox_media_cache_fetch_async (self->cache, self->poster_url, INBOX_MEDIA_IMAGE, self->cancellable,
                                       poster_fetched_cb, g_object_ref (self));
      else
        {
          gtk_stack_set_visible_child_name (self->stack, "poster");
          set_loading (self, FALSE);
        }
      break;

    case INBOX_MEDIA_AUDIO:
      self->stream = gtk_media_file_new_for_file (file);
      if (self->audio_controls == NULL)
        {
          self->audio_controls = GTK_MEDIA_CONTROLS (gtk_media_controls_new (NULL));
          gtk_stack_add_named (self->stack, GTK_WIDGET (self->audio_controls), "audio");
        }
      gtk_media_controls_set_media_stream (self->audio_controls, self->stream);
      gtk_stack_set_visible_child_name (self->stack, "audio");
      gtk_widget_queue_resize (GTK_WIDGET (self));
      set_loading (self, FALSE);
      break;

    case INBOX_MEDIA_IMAGE:
    case INBOX_MEDIA_GIF:
    case INBOX_MEDIA_NONE:
    default:
      decode (self, file);
      break;
    }
}

/**
 * inbox_media_view_set_media:
 * @kind: how to show it; carousels pass INBOX_MEDIA_IMAGE for every URL
 * @poster: (nullable): the still of a video
 * @alt_text: (nullable): the accessible description, shown when broken
 */
void
inbox_media_view_set_media (InboxMediaView  *self,
                            InboxMediaCache *cache,
                            const char      *url,
                            InboxMediaKind   kind,
                            const char      *poster,
                            const char      *alt_text)
{
  g_return_if_fail (INBOX_IS_MEDIA_VIEW (self));
  g_return_if_fail (INBOX_IS_MEDIA_CACHE (cache));

  reset (self);
  g_set_object (&self->cache, cache);
  g_free (self->url);
  self->url = g_strdup (url);
  g_free (self->poster_url);
  self->poster_url = g_strdup (poster);
  g_free (self->alt_text);
  self->alt_text = g_strdup (alt_text);
  self->kind = kind == INBOX_MEDIA_GIF ? INBOX_MEDIA_IMAGE : kind;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  alt_text != NULL && *alt_text != '\0' ? alt_text : _("Picture"),
                                  -1);

  gtk_stack_set_visible_child_name (self->stack, "placeholder");
  gtk_widget_queue_resize (GTK_WIDGET (self));

  if (url == NULL)
    {
      show_broken (self, NULL);
      return;
    }

  set_loading (self, TRUE);
  self->cancellable = g_cancellable_new ();
  inbox_media_cache_fetch_async (cache, url, self->kind, self->cancellable, media_fetched_cb, g_object_ref (self));
}

void
inbox_media_view_set_orientation (InboxMediaView   *self,
                                  InboxOrientation  orientation)
{
  g_return_if_fail (INBOX_IS_MEDIA_VIEW (self));

  if (self->orientation == orientation)
    return;

  self->orientation = orientation;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* A fixed width (an icon's); -1 to fill what the parent gives. */
void
inbox_media_view_set_natural_width (InboxMediaView *self,
                                    int             width)
{
  g_return_if_fail (INBOX_IS_MEDIA_VIEW (self));

  self->wanted_width = width;
  if (self->broken)
    update_broken_text (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

gboolean
inbox_media_view_get_loading (InboxMediaView *self)
{
  g_return_val_if_fail (INBOX_IS_MEDIA_VIEW (self), FALSE);

  return self->loading;
}

gboolean
inbox_media_view_get_broken (InboxMediaView *self)
{
  g_return_val_if_fail (INBOX_IS_MEDIA_VIEW (self), FALSE);

  return self->broken;
}

/* (nullable): what is shown: a texture, an InboxAnimation, or a poster */
GdkPaintable *
inbox_media_view_get_paintable (InboxMediaView *self)
{
  g_return_val_if_fail (INBOX_IS_MEDIA_VIEW (self), NULL);

  if (self->kind == INBOX_MEDIA_VIDEO)
    return gtk_picture_get_paintable (self->poster);
  return gtk_picture_get_paintable (self->picture);
}
