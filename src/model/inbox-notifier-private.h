/* inbox-notifier-private.h: what the tests ask of a notifier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-notifier.h"

G_BEGIN_DECLS

gboolean inbox_notifier_is_pending (InboxNotifier *self);

G_END_DECLS
