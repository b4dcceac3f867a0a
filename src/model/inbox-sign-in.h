/* inbox-sign-in.h: signing in, proved before it is kept
 *
 * Opens the user's store in the cache, runs a first sync with the server
 * and the token, and only when that worked keeps the account (settings and
 * keyring). A wrong token, an unreachable server or a bad address leave the
 * account as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-account.h"
#include "inbox-store.h"

G_BEGIN_DECLS

void        inbox_sign_in_async  (InboxAccount        *account,
                                  const char          *cache_path,
                                  const char          *server_url,
                                  const char          *user,
                                  const char          *token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
InboxStore *inbox_sign_in_finish (InboxAccount        *account,
                                  GAsyncResult        *result,
                                  GError             **error);

G_END_DECLS
