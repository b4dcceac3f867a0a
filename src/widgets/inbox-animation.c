/* inbox-animation.c
 *
 * Shows the first frame until asked to play; plays frame by frame on a
 * timer; stops (and costs nothing) when asked to stop, which the media view
 * does when it is unmapped: a hidden window animates nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-animation.h"

struct _InboxAnimation
{
  GObject                 parent_instance;

  GdkPixbufAnimation     *animation;
  GdkPixbufAnimationIter *iter;
  GdkTexture             *frame;
  guint                   timeout_id;
  gboolean                playing;
};

static void paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InboxAnimation, inbox_animation, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, paintable_iface_init))

enum {
  PROP_0,
  PROP_PLAYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
inbox_animation_snapshot (GdkPaintable *paintable,
                          GdkSnapshot  *snapshot,
                          double        width,
                          double        height)
{
  InboxAnimation *self = INBOX_ANIMATION (paintable);

  if (self->frame != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->frame), snapshot, width, height);
}

static int
inbox_animation_get_intrinsic_width (GdkPaintable *paintable)
{
  return gdk_pixbuf_animation_get_width (INBOX_ANIMATION (paintable)->animation);
}

static int
inbox_animation_get_intrinsic_height (GdkPaintable *paintable)
{
  return gdk_pixbuf_animation_get_height (INBOX_ANIMATION (paintable)->animation);
}

static void
paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = inbox_animation_snapshot;
  iface->get_intrinsic_width = inbox_animation_get_intrinsic_width;
  iface->get_intrinsic_height = inbox_animation_get_intrinsic_height;
}

static void
show_current_frame (InboxAnimation *self)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_animation_iter_get_pixbuf (self->iter);

  g_clear_object (&self->frame);
  self->frame = gdk_texture_new_for_pixbuf (pixbuf);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

static gboolean advance_cb (gpointer user_data);

static void
schedule_next (InboxAnimation *self)
{
  int delay = gdk_pixbuf_animation_iter_get_delay_time (self->iter);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (delay < 0)
    return;  /* the last frame of an animation that does not loop */

  self->timeout_id = g_timeout_add (MAX (delay, 20), advance_cb, self);
  g_source_set_name_by_id (self->timeout_id, "[inbox-animation] frame");
}

static gboolean
advance_cb (gpointer user_data)
{
  InboxAnimation *self = user_data;

  self->timeout_id = 0;
  if (gdk_pixbuf_animation_iter_advance (self->iter, NULL))
    show_current_frame (self);
  schedule_next (self);

  return G_SOURCE_REMOVE;
}

static void
inbox_animation_dispose (GObject *object)
{
  InboxAnimation *self = (InboxAnimation *) object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (inbox_animation_parent_class)->dispose (object);
}

static void
inbox_animation_finalize (GObject *object)
{
  InboxAnimation *self = (InboxAnimation *) object;

  g_clear_object (&self->frame);
  g_clear_object (&self->iter);
  g_clear_object (&self->animation);

  G_OBJECT_CLASS (inbox_animation_parent_class)->finalize (object);
}

static void
inbox_animation_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  InboxAnimation *self = INBOX_ANIMATION (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_animation_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  InboxAnimation *self = INBOX_ANIMATION (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      inbox_animation_set_playing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_animation_class_init (InboxAnimationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = inbox_animation_dispose;
  object_class->finalize = inbox_animation_finalize;
  object_class->get_property = inbox_animation_get_property;
  object_class->set_property = inbox_animation_set_property;

  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_animation_init (InboxAnimation *self)
{
}

InboxAnimation *
inbox_animation_new (GdkPixbufAnimation *animation)
{
  InboxAnimation *self;

  g_return_val_if_fail (GDK_IS_PIXBUF_ANIMATION (animation), NULL);

  self = g_object_new (INBOX_TYPE_ANIMATION, NULL);
  self->animation = g_object_ref (animation);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  self->iter = gdk_pixbuf_animation_get_iter (animation, NULL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  show_current_frame (self);

  return self;
}

void
inbox_animation_set_playing (InboxAnimation *self,
                             gboolean        playing)
{
  g_return_if_fail (INBOX_IS_ANIMATION (self));

  playing = !!playing;
  if (self->playing == playing)
    return;

  self->playing = playing;
  if (playing)
    schedule_next (self);
  else
    g_clear_handle_id (&self->timeout_id, g_source_remove);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
inbox_animation_get_playing (InboxAnimation *self)
{
  g_return_val_if_fail (INBOX_IS_ANIMATION (self), FALSE);

  return self->playing;
}
