/* inbox-image-carousel-message.c
 *
 * Pictures only: a carousel, the time and unread dot. No text, no buttons;
 * each slide opens its own link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-carousel.h"
#include "inbox-image-carousel-message.h"
#include "inbox-message-footer.h"
#include "inbox-style.h"
#include "inbox-template-widget.h"

struct _InboxImageCarouselMessage
{
  GtkWidget           parent_instance;

  InboxCarousel      *carousel;
  InboxMessageFooter *footer;

  InboxMessage       *message;
};

static void template_iface_init (InboxTemplateWidgetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InboxImageCarouselMessage, inbox_image_carousel_message, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (INBOX_TYPE_TEMPLATE_WIDGET, template_iface_init))

static void
slide_activated_cb (InboxImageCarouselMessage *self,
                    guint                 index)
{
  inbox_template_widget_activate (INBOX_TEMPLATE_WIDGET (self), (int) index, -1);
}

static void
inbox_image_carousel_message_bind (InboxTemplateWidget *template,
                             InboxMessage        *message,
                             InboxMediaCache     *media,
                             gint64               now)
{
  InboxImageCarouselMessage *self = INBOX_IMAGE_CAROUSEL_MESSAGE (template);
  const char *bg = inbox_message_get_bg (message);

  g_set_object (&self->message, message);
  inbox_style_set_colors (GTK_WIDGET (self), bg, inbox_style_text_for_background (bg));
  inbox_carousel_set_message (self->carousel, message, media);
  inbox_message_footer_set_message (self->footer, message, now);
  inbox_template_widget_loading_changed (INBOX_TEMPLATE_WIDGET (self));
}

static gboolean
inbox_image_carousel_message_is_loading (InboxTemplateWidget *template)
{
  return inbox_carousel_get_loading (INBOX_IMAGE_CAROUSEL_MESSAGE (template)->carousel);
}

static InboxMessage *
inbox_image_carousel_message_get_message (InboxTemplateWidget *template)
{
  return INBOX_IMAGE_CAROUSEL_MESSAGE (template)->message;
}

static void
template_iface_init (InboxTemplateWidgetInterface *iface)
{
  iface->bind = inbox_image_carousel_message_bind;
  iface->is_loading = inbox_image_carousel_message_is_loading;
  iface->get_message = inbox_image_carousel_message_get_message;
}

static void
carousel_loading_cb (InboxImageCarouselMessage *self)
{
  inbox_template_widget_loading_changed (INBOX_TEMPLATE_WIDGET (self));
}

static void
inbox_image_carousel_message_dispose (GObject *object)
{
  InboxImageCarouselMessage *self = (InboxImageCarouselMessage *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), INBOX_TYPE_IMAGE_CAROUSEL_MESSAGE);
  inbox_style_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->message);

  G_OBJECT_CLASS (inbox_image_carousel_message_parent_class)->dispose (object);
}

static void
inbox_image_carousel_message_class_init (InboxImageCarouselMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_image_carousel_message_dispose;

  g_type_ensure (INBOX_TYPE_CAROUSEL);
  g_type_ensure (INBOX_TYPE_MESSAGE_FOOTER);

  inbox_widget_class_set_template (widget_class, "inbox-image-carousel-message.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxImageCarouselMessage, carousel);
  gtk_widget_class_bind_template_child (widget_class, InboxImageCarouselMessage, footer);
  gtk_widget_class_bind_template_callback (widget_class, slide_activated_cb);
}

static void
inbox_image_carousel_message_init (InboxImageCarouselMessage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->carousel, "notify::loading", G_CALLBACK (carousel_loading_cb), self, G_CONNECT_SWAPPED);
}

/* The carousel, for tests and keyboard focus. */
GtkWidget *
inbox_image_carousel_message_get_carousel (InboxImageCarouselMessage *self)
{
  g_return_val_if_fail (INBOX_IS_IMAGE_CAROUSEL_MESSAGE (self), NULL);

  return GTK_WIDGET (self->carousel);
}
