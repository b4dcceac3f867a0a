/* inbox-client-private.h: what the app and the tests ask of a client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-account.h"
#include "inbox-client.h"
#include "inbox-session.h"

G_BEGIN_DECLS

InboxClient  *inbox_client_new_for_store  (InboxStore        *store,
                                           InboxMediaCache   *media,
                                           gboolean           loaded);
void          inbox_client_local_loaded   (InboxClient       *self,
                                           const char        *error);
void          inbox_client_flush_notices  (InboxClient       *self);
InboxAccount *inbox_client_get_account    (InboxClient       *self);
InboxSession *inbox_client_get_session    (InboxClient       *self);
void          inbox_client_set_state      (InboxClient       *self,
                                           InboxClientState   state,
                                           const char        *reason);
void          inbox_client_set_syncing    (InboxClient       *self,
                                           gboolean           syncing);
char         *inbox_client_dup_cache_path (InboxClient       *self);

G_END_DECLS
