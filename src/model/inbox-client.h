/* inbox-client.h: the one object that runs an inbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <gio/gio.h>

#include "inbox-media-cache.h"
#include "inbox-store.h"

G_BEGIN_DECLS

/**
 * InboxClientState:
 * @INBOX_CLIENT_STATE_LOADING: the cache is being opened; nothing to show yet
 * @INBOX_CLIENT_STATE_READY: the messages are there (and a session syncs them
 *   with the server when an account is set)
 * @INBOX_CLIENT_STATE_OFFLINE: the last sync could not reach the server or
 *   could not read its answer; the cached messages stay, and the client tries
 *   again by itself (see #InboxClient:offline-reason)
 * @INBOX_CLIENT_STATE_NEEDS_SIGN_IN: there is no account, no token for it, or
 *   the server no longer accepts the token (see #InboxClient:sign-in-reason);
 *   call inbox_client_sign_in_async()
 * @INBOX_CLIENT_STATE_ERROR: the cache could not be opened (see
 *   #InboxClient:error-message); inbox_client_sync_now() tries again
 *
 * What an inbox is doing, as #InboxClient:state shows it.
 */
typedef enum {
  INBOX_CLIENT_STATE_LOADING,
  INBOX_CLIENT_STATE_READY,
  INBOX_CLIENT_STATE_OFFLINE,
  INBOX_CLIENT_STATE_NEEDS_SIGN_IN,
  INBOX_CLIENT_STATE_ERROR,
} InboxClientState;

#define INBOX_TYPE_CLIENT (inbox_client_get_type ())

G_DECLARE_FINAL_TYPE (InboxClient, inbox_client, INBOX, CLIENT, GObject)

InboxClient      *inbox_client_new                (const char           *application_id);

void              inbox_client_start              (InboxClient          *self);
InboxClientState  inbox_client_get_state          (InboxClient          *self);
gboolean          inbox_client_get_syncing        (InboxClient          *self);
const char       *inbox_client_get_offline_reason (InboxClient          *self);
const char       *inbox_client_get_sign_in_reason (InboxClient          *self);
const char       *inbox_client_get_error_message  (InboxClient          *self);
guint             inbox_client_get_unread_count   (InboxClient          *self);
InboxStore       *inbox_client_get_store          (InboxClient          *self);
InboxMediaCache  *inbox_client_get_media_cache    (InboxClient          *self);
const char       *inbox_client_get_server_url     (InboxClient          *self);
const char       *inbox_client_get_user           (InboxClient          *self);
const char       *inbox_client_get_application_id (InboxClient          *self);
const char       *inbox_client_get_data_dir       (InboxClient          *self);
const char       *inbox_client_get_cache_dir      (InboxClient          *self);

void              inbox_client_sign_in_async      (InboxClient          *self,
                                                   const char           *server_url,
                                                   const char           *user,
                                                   const char           *token,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          inbox_client_sign_in_finish     (InboxClient          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void              inbox_client_sign_out_async     (InboxClient          *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          inbox_client_sign_out_finish    (InboxClient          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void              inbox_client_sync_now           (InboxClient          *self);
void              inbox_client_activity           (InboxClient          *self);
void              inbox_client_stop               (InboxClient          *self);

G_END_DECLS
