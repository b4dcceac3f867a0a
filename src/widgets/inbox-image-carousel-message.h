/* inbox-image-carousel-message.h: the `carousel-image` template: pictures only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INBOX_TYPE_IMAGE_CAROUSEL_MESSAGE (inbox_image_carousel_message_get_type ())

G_DECLARE_FINAL_TYPE (InboxImageCarouselMessage, inbox_image_carousel_message, INBOX, IMAGE_CAROUSEL_MESSAGE, GtkWidget)

GtkWidget *inbox_image_carousel_message_get_carousel (InboxImageCarouselMessage *self);

G_END_DECLS
