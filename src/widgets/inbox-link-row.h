/* inbox-link-row.h: the 1–3 buttons of a message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "inbox-content.h"

G_BEGIN_DECLS

#define INBOX_TYPE_LINK_ROW (inbox_link_row_get_type ())

G_DECLARE_FINAL_TYPE (InboxLinkRow, inbox_link_row, INBOX, LINK_ROW, GtkWidget)

void       inbox_link_row_set_content (InboxLinkRow *self,
                                       InboxContent *content);
guint      inbox_link_row_get_n_links (InboxLinkRow *self);
GtkWidget *inbox_link_row_get_button  (InboxLinkRow *self,
                                       guint         index);

G_END_DECLS
