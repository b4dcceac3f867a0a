/* inbox-session.h: when a session starts
 *
 * A session starts at launch, and again at the first user activity after
 * the timeout (20 minutes by default) without any. Each start is the one
 * moment messages are fetched (docs/format.md section 4). The clock can be
 * replaced in tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "inbox-types.h"

G_BEGIN_DECLS

#define INBOX_SESSION_DEFAULT_TIMEOUT (20 * 60)

#define INBOX_TYPE_SESSION (inbox_session_get_type ())

G_DECLARE_FINAL_TYPE (InboxSession, inbox_session, INBOX, SESSION, GObject)

InboxSession *inbox_session_new          (guint          timeout);
void          inbox_session_set_clock    (InboxSession  *self,
                                          InboxNowFunc   now_func,
                                          gpointer       now_data);
guint         inbox_session_get_timeout  (InboxSession  *self);
void          inbox_session_set_timeout  (InboxSession  *self,
                                          guint          timeout);
guint         inbox_session_get_count    (InboxSession  *self);
void          inbox_session_start        (InboxSession  *self);
gboolean      inbox_session_activity     (InboxSession  *self);
gboolean      inbox_session_is_active    (InboxSession  *self);

G_END_DECLS
