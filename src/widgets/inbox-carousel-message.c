/* inbox-carousel-message.c
 *
 * The slides' pictures in a carousel; below it the title and message of the
 * slide on screen, updated as the page changes; the time and unread dot. No
 * buttons: activating a slide opens that slide's link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-carousel.h"
#include "inbox-carousel-message.h"
#include "inbox-message-footer.h"
#include "inbox-style.h"
#include "inbox-template-widget.h"

struct _InboxCarouselMessage
{
  GtkWidget           parent_instance;

  InboxCarousel      *carousel;
  GtkLabel           *title;
  GtkLabel           *body;
  InboxMessageFooter *footer;

  InboxMessage       *message;
};

static void template_iface_init (InboxTemplateWidgetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InboxCarouselMessage, inbox_carousel_message, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (INBOX_TYPE_TEMPLATE_WIDGET, template_iface_init))

static void
show_slide_text (InboxCarouselMessage *self,
                 guint                 index)
{
  if (self->message == NULL || index >= inbox_message_get_n_contents (self->message))
    return;

  inbox_template_widget_show_texts (INBOX_TEMPLATE_WIDGET (self), self->message,
                                    inbox_message_get_content (self->message, index), self->title, self->body);
}

static void
page_changed_cb (InboxCarouselMessage *self,
                 guint                 index)
{
  show_slide_text (self, index);
}

static void
slide_activated_cb (InboxCarouselMessage *self,
                    guint                 index)
{
  inbox_template_widget_activate (INBOX_TEMPLATE_WIDGET (self), (int) index, -1);
}

static void
inbox_carousel_message_bind (InboxTemplateWidget *template,
                             InboxMessage        *message,
                             InboxMediaCache     *media,
                             gint64               now)
{
  InboxCarouselMessage *self = INBOX_CAROUSEL_MESSAGE (template);

  g_set_object (&self->message, message);
  inbox_carousel_set_message (self->carousel, message, media);
  show_slide_text (self, 0);
  inbox_message_footer_set_message (self->footer, message, now);
  inbox_template_widget_loading_changed (INBOX_TEMPLATE_WIDGET (self));
}

static gboolean
inbox_carousel_message_is_loading (InboxTemplateWidget *template)
{
  return inbox_carousel_get_loading (INBOX_CAROUSEL_MESSAGE (template)->carousel);
}

static InboxMessage *
inbox_carousel_message_get_message (InboxTemplateWidget *template)
{
  return INBOX_CAROUSEL_MESSAGE (template)->message;
}

static void
template_iface_init (InboxTemplateWidgetInterface *iface)
{
  iface->bind = inbox_carousel_message_bind;
  iface->is_loading = inbox_carousel_message_is_loading;
  iface->get_message = inbox_carousel_message_get_message;
}

static void
carousel_loading_cb (InboxCarouselMessage *self)
{
  inbox_template_widget_loading_changed (INBOX_TEMPLATE_WIDGET (self));
}

static void
inbox_carousel_message_dispose (GObject *object)
{
  InboxCarouselMessage *self = (InboxCarouselMessage *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), INBOX_TYPE_CAROUSEL_MESSAGE);
  inbox_style_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->message);

  G_OBJECT_CLASS (inbox_carousel_message_parent_class)->dispose (object);
}

static void
inbox_carousel_message_class_init (InboxCarouselMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_carousel_message_dispose;

  g_type_ensure (INBOX_TYPE_CAROUSEL);
  g_type_ensure (INBOX_TYPE_MESSAGE_FOOTER);

  inbox_widget_class_set_template (widget_class, "inbox-carousel-message.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxCarouselMessage, carousel);
  gtk_widget_class_bind_template_child (widget_class, InboxCarouselMessage, title);
  gtk_widget_class_bind_template_child (widget_class, InboxCarouselMessage, body);
  gtk_widget_class_bind_template_child (widget_class, InboxCarouselMessage, footer);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, slide_activated_cb);
}

static void
inbox_carousel_message_init (InboxCarouselMessage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->carousel, "notify::loading", G_CALLBACK (carousel_loading_cb), self, G_CONNECT_SWAPPED);
}

/* The carousel, for tests and keyboard focus. */
GtkWidget *
inbox_carousel_message_get_carousel (InboxCarouselMessage *self)
{
  g_return_val_if_fail (INBOX_IS_CAROUSEL_MESSAGE (self), NULL);

  return GTK_WIDGET (self->carousel);
}
