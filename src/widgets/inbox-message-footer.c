/* inbox-message-footer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-message-footer.h"
#include "inbox-style.h"
#include "inbox-time.h"

struct _InboxMessageFooter
{
  GtkWidget  parent_instance;

  GtkLabel     *time_label;
  GtkWidget    *unread_dot;

  InboxMessage *message;
  gulong        read_handler;
};

G_DEFINE_FINAL_TYPE (InboxMessageFooter, inbox_message_footer, GTK_TYPE_WIDGET)

static void
unwatch (InboxMessageFooter *self)
{
  if (self->message != NULL)
    g_clear_signal_handler (&self->read_handler, self->message);
  g_clear_object (&self->message);
}

static void
inbox_message_footer_dispose (GObject *object)
{
  unwatch (INBOX_MESSAGE_FOOTER (object));
  gtk_widget_dispose_template (GTK_WIDGET (object), INBOX_TYPE_MESSAGE_FOOTER);
  inbox_style_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (inbox_message_footer_parent_class)->dispose (object);
}

static void
inbox_message_footer_class_init (InboxMessageFooterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_message_footer_dispose;

  inbox_widget_class_set_template (widget_class, "inbox-message-footer.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxMessageFooter, time_label);
  gtk_widget_class_bind_template_child (widget_class, InboxMessageFooter, unread_dot);
}

static void
inbox_message_footer_init (InboxMessageFooter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
read_changed_cb (InboxMessageFooter *self)
{
  /* The dot takes no space once the message is read. */
  gtk_widget_set_visible (self->unread_dot, !inbox_message_get_read (self->message));
}

/* Shows the message's relative time and follows its read state. */
void
inbox_message_footer_set_message (InboxMessageFooter *self,
                                  InboxMessage       *message,
                                  gint64              now)
{
  g_autofree char *text = NULL;

  g_return_if_fail (INBOX_IS_MESSAGE_FOOTER (self));
  g_return_if_fail (INBOX_IS_MESSAGE (message));

  unwatch (self);
  self->message = g_object_ref (message);
  self->read_handler = g_signal_connect_swapped (message, "notify::read", G_CALLBACK (read_changed_cb), self);
  read_changed_cb (self);

  text = inbox_format_relative_time (inbox_message_get_date (message), now, NULL);
  gtk_label_set_text (self->time_label, text);
}

/* The time takes the card's text colour (it is dimmed by its style). */
void
inbox_message_footer_set_color (InboxMessageFooter *self,
                                const char         *color)
{
  g_return_if_fail (INBOX_IS_MESSAGE_FOOTER (self));

  inbox_style_set_label_color (self->time_label, color);
}
