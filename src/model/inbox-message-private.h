/* inbox-message-private.h: what of InboxMessage only the library uses
 *
 * Not installed, not scanned for introspection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-message.h"

G_BEGIN_DECLS

void              inbox_message_set_read            (InboxMessage         *self,
                                                     gboolean              read);

G_END_DECLS
