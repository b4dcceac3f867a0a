/* inbox-simple-message.h: the `simple` template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INBOX_TYPE_SIMPLE_MESSAGE (inbox_simple_message_get_type ())

G_DECLARE_FINAL_TYPE (InboxSimpleMessage, inbox_simple_message, INBOX, SIMPLE_MESSAGE, GtkWidget)

G_END_DECLS
