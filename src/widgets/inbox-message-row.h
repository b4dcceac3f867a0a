/* inbox-message-row.h: one list item: picks the template widget for a message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "inbox-media-cache.h"
#include "inbox-message.h"
#include "inbox-search.h"

G_BEGIN_DECLS

#define INBOX_TYPE_MESSAGE_ROW (inbox_message_row_get_type ())

G_DECLARE_FINAL_TYPE (InboxMessageRow, inbox_message_row, INBOX, MESSAGE_ROW, AdwBin)

GtkWidget    *inbox_message_row_new          (void);
void          inbox_message_row_bind         (InboxMessageRow *self,
                                              InboxMessage    *message,
                                              InboxMediaCache *media,
                                              gint64           now);
void          inbox_message_row_unbind       (InboxMessageRow *self);
InboxMessage *inbox_message_row_get_message  (InboxMessageRow *self);
GtkWidget    *inbox_message_row_get_template (InboxMessageRow *self);
gboolean      inbox_message_row_get_loading  (InboxMessageRow *self);
GType         inbox_message_row_widget_type_for (InboxTemplate template_);
void          inbox_message_row_set_search   (InboxMessageRow *self,
                                              InboxSearch     *search);

G_END_DECLS
