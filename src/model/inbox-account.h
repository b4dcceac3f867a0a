/* inbox-account.h: whose inbox, on which server
 *
 * The server URL and the user live in GSettings; the token in the user's
 * keyring (libsecret, schema io.github.appinbox.AppInbox.Token). Without a
 * reachable keyring the token is held in memory for this run only, and
 * keyring-error says why. The token is never written to a file or a log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INBOX_ACCOUNT_ERROR (inbox_account_error_quark ())

typedef enum {
  INBOX_ACCOUNT_ERROR_BAD_URL,   /* not https, nor http to this machine */
  INBOX_ACCOUNT_ERROR_EMPTY,     /* a field was left empty */
} InboxAccountError;

GQuark inbox_account_error_quark (void);

#define INBOX_TYPE_ACCOUNT (inbox_account_get_type ())

G_DECLARE_FINAL_TYPE (InboxAccount, inbox_account, INBOX, ACCOUNT, GObject)

gboolean      inbox_account_check_url        (const char          *url,
                                              GError             **error);

char         *inbox_account_check            (const char          *server_url,
                                              const char          *user,
                                              const char          *token,
                                              GError             **error);

InboxAccount *inbox_account_new              (GSettings           *settings);
const char   *inbox_account_get_server_url   (InboxAccount        *self);
const char   *inbox_account_get_user         (InboxAccount        *self);
const char   *inbox_account_get_token        (InboxAccount        *self);
gboolean      inbox_account_is_complete      (InboxAccount        *self);
const GError *inbox_account_get_keyring_error (InboxAccount       *self);
void          inbox_account_set_memory_only  (InboxAccount        *self,
                                              gboolean             memory_only);
void          inbox_account_set_secret_schema (InboxAccount      *self,
                                               const char        *name);
const char   *inbox_account_get_secret_schema (InboxAccount      *self);
void          inbox_account_set_keyring_timeout (InboxAccount     *self,
                                                 guint             seconds);

void          inbox_account_set_async        (InboxAccount        *self,
                                              const char          *server_url,
                                              const char          *user,
                                              const char          *token,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      inbox_account_set_finish       (InboxAccount        *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void          inbox_account_load_token_async (InboxAccount        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      inbox_account_load_token_finish (InboxAccount       *self,
                                               GAsyncResult       *result,
                                               GError            **error);
void          inbox_account_sign_out_async   (InboxAccount        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      inbox_account_sign_out_finish  (InboxAccount        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
