/* inbox-simple-message.c
 *
 * Media by orientation, the title on one line, the message wrapping, the
 * time and unread dot, then the buttons.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-link-row.h"
#include "inbox-media-view.h"
#include "inbox-message-footer.h"
#include "inbox-simple-message.h"
#include "inbox-style.h"
#include "inbox-template-widget.h"

struct _InboxSimpleMessage
{
  GtkWidget           parent_instance;

  InboxMediaView     *media;
  GtkLabel           *title;
  GtkLabel           *body;
  InboxMessageFooter *footer;
  InboxLinkRow       *links;

  InboxMessage       *message;
};

static void template_iface_init (InboxTemplateWidgetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InboxSimpleMessage, inbox_simple_message, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (INBOX_TYPE_TEMPLATE_WIDGET, template_iface_init))

static void
link_activated_cb (InboxSimpleMessage *self,
                   guint               index)
{
  inbox_template_widget_activate (INBOX_TEMPLATE_WIDGET (self), 0, (int) index);
}

static void
media_loading_cb (InboxSimpleMessage *self)
{
  inbox_template_widget_loading_changed (INBOX_TEMPLATE_WIDGET (self));
}

static void
inbox_simple_message_bind (InboxTemplateWidget *template,
                           InboxMessage        *message,
                           InboxMediaCache     *media,
                           gint64               now)
{
  InboxSimpleMessage *self = INBOX_SIMPLE_MESSAGE (template);
  InboxContent *content;

  g_set_object (&self->message, message);
  content = inbox_message_get_n_contents (message) > 0 ? inbox_message_get_content (message, 0) : NULL;

  inbox_template_widget_show_texts (template, message, content, self->title, self->body);
  inbox_message_footer_set_message (self->footer, message, now);
  inbox_link_row_set_content (self->links, content);
  inbox_template_widget_show_media (self->media, message, content, media);
  inbox_template_widget_loading_changed (INBOX_TEMPLATE_WIDGET (self));
}

static gboolean
inbox_simple_message_is_loading (InboxTemplateWidget *template)
{
  InboxSimpleMessage *self = INBOX_SIMPLE_MESSAGE (template);

  return gtk_widget_get_visible (GTK_WIDGET (self->media)) && inbox_media_view_get_loading (self->media);
}

static InboxMessage *
inbox_simple_message_get_message (InboxTemplateWidget *template)
{
  return INBOX_SIMPLE_MESSAGE (template)->message;
}

static void
template_iface_init (InboxTemplateWidgetInterface *iface)
{
  iface->bind = inbox_simple_message_bind;
  iface->is_loading = inbox_simple_message_is_loading;
  iface->get_message = inbox_simple_message_get_message;
}

static void
inbox_simple_message_dispose (GObject *object)
{
  InboxSimpleMessage *self = (InboxSimpleMessage *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), INBOX_TYPE_SIMPLE_MESSAGE);
  inbox_style_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->message);

  G_OBJECT_CLASS (inbox_simple_message_parent_class)->dispose (object);
}

static void
inbox_simple_message_class_init (InboxSimpleMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_simple_message_dispose;

  g_type_ensure (INBOX_TYPE_MEDIA_VIEW);
  g_type_ensure (INBOX_TYPE_MESSAGE_FOOTER);
  g_type_ensure (INBOX_TYPE_LINK_ROW);

  inbox_widget_class_set_template (widget_class, "inbox-simple-message.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxSimpleMessage, media);
  gtk_widget_class_bind_template_child (widget_class, InboxSimpleMessage, title);
  gtk_widget_class_bind_template_child (widget_class, InboxSimpleMessage, body);
  gtk_widget_class_bind_template_child (widget_class, InboxSimpleMessage, footer);
  gtk_widget_class_bind_template_child (widget_class, InboxSimpleMessage, links);
  gtk_widget_class_bind_template_callback (widget_class, link_activated_cb);
}

static void
inbox_simple_message_init (InboxSimpleMessage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  inbox_template_widget_add_card_click (INBOX_TEMPLATE_WIDGET (self));

  g_signal_connect_object (self->media, "notify::loading", G_CALLBACK (media_loading_cb), self, G_CONNECT_SWAPPED);
}
