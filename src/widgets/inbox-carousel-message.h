/* inbox-carousel-message.h: the `carousel` template: pictures with the text of the slide on screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INBOX_TYPE_CAROUSEL_MESSAGE (inbox_carousel_message_get_type ())

G_DECLARE_FINAL_TYPE (InboxCarouselMessage, inbox_carousel_message, INBOX, CAROUSEL_MESSAGE, GtkWidget)

GtkWidget *inbox_carousel_message_get_carousel (InboxCarouselMessage *self);

G_END_DECLS
