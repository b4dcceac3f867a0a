/* inbox-carousel.h: swipeable pictures with dots and previous/next buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "inbox-media-cache.h"
#include "inbox-message.h"

G_BEGIN_DECLS

#define INBOX_TYPE_CAROUSEL (inbox_carousel_get_type ())

G_DECLARE_FINAL_TYPE (InboxCarousel, inbox_carousel, INBOX, CAROUSEL, GtkWidget)

void     inbox_carousel_set_message  (InboxCarousel   *self,
                                      InboxMessage    *message,
                                      InboxMediaCache *media);
guint    inbox_carousel_get_n_pages  (InboxCarousel   *self);
guint    inbox_carousel_get_page     (InboxCarousel   *self);
void     inbox_carousel_scroll_to    (InboxCarousel   *self,
                                      guint            page,
                                      gboolean         animate);
void     inbox_carousel_next         (InboxCarousel   *self);
void     inbox_carousel_previous     (InboxCarousel   *self);
gboolean inbox_carousel_get_loading  (InboxCarousel   *self);
gboolean inbox_carousel_get_arrows_visible (InboxCarousel *self,
                                            gboolean      *previous,
                                            gboolean      *next);

G_END_DECLS
