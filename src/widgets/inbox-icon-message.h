/* inbox-icon-message.h: the `message-icon` template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INBOX_TYPE_ICON_MESSAGE (inbox_icon_message_get_type ())

G_DECLARE_FINAL_TYPE (InboxIconMessage, inbox_icon_message, INBOX, ICON_MESSAGE, GtkWidget)

G_END_DECLS
