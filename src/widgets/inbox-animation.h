/* inbox-animation.h: an animated GIF as a GdkPaintable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INBOX_TYPE_ANIMATION (inbox_animation_get_type ())

G_DECLARE_FINAL_TYPE (InboxAnimation, inbox_animation, INBOX, ANIMATION, GObject)

InboxAnimation *inbox_animation_new         (GdkPixbufAnimation *animation);
void            inbox_animation_set_playing (InboxAnimation     *self,
                                             gboolean            playing);
gboolean        inbox_animation_get_playing (InboxAnimation     *self);

G_END_DECLS
