/* inbox-message-footer.h: relative time and unread dot, under every card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "inbox-message.h"

G_BEGIN_DECLS

#define INBOX_TYPE_MESSAGE_FOOTER (inbox_message_footer_get_type ())

G_DECLARE_FINAL_TYPE (InboxMessageFooter, inbox_message_footer, INBOX, MESSAGE_FOOTER, GtkWidget)

void inbox_message_footer_set_message (InboxMessageFooter *self,
                                       InboxMessage       *message,
                                       gint64              now);
void inbox_message_footer_set_color  (InboxMessageFooter *self,
                                      const char         *color);

G_END_DECLS
