/* inbox-media-view.h: a message's picture, GIF, video or audio
 *
 * Keeps the size it will have while it loads (no layout jump), shows a
 * neutral icon and the alt text when the media cannot be shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "inbox-media-cache.h"
#include "inbox-types.h"

G_BEGIN_DECLS

#define INBOX_TYPE_MEDIA_VIEW (inbox_media_view_get_type ())

G_DECLARE_FINAL_TYPE (InboxMediaView, inbox_media_view, INBOX, MEDIA_VIEW, GtkWidget)

/* Above this many pixels an image is refused before it is decoded. */
#define INBOX_MEDIA_VIEW_MAX_PIXELS (40 * 1000 * 1000)

GtkWidget  *inbox_media_view_new             (void);
void        inbox_media_view_set_media       (InboxMediaView   *self,
                                              InboxMediaCache  *cache,
                                              const char       *url,
                                              InboxMediaKind    kind,
                                              const char       *poster,
                                              const char       *alt_text);
void        inbox_media_view_set_orientation (InboxMediaView   *self,
                                              InboxOrientation  orientation);
void        inbox_media_view_set_natural_width (InboxMediaView *self,
                                                int             width);
gboolean    inbox_media_view_get_loading     (InboxMediaView   *self);
gboolean    inbox_media_view_get_broken      (InboxMediaView   *self);
GdkPaintable *inbox_media_view_get_paintable (InboxMediaView   *self);

G_END_DECLS
