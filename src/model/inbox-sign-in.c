/* inbox-sign-in.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-sign-in"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-sign-in.h"
#include "inbox-sync.h"

typedef struct {
  char       *server_url;
  char       *user;
  char       *token;
  InboxStore *store;
  InboxSync  *sync;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->server_url);
  g_free (sign_in->user);
  if (sign_in->token != NULL)
    explicit_bzero (sign_in->token, strlen (sign_in->token));
  g_free (sign_in->token);
  g_clear_object (&sign_in->store);
  g_clear_object (&sign_in->sync);
  g_free (sign_in);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  GError *error = NULL;

  if (!inbox_account_set_finish (INBOX_ACCOUNT (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (sign_in->store), g_object_unref);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  InboxAccount *account;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!inbox_sync_run_finish (sign_in->sync, result, &error))
    {
      if (g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          error = g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_UNAUTHORIZED,
                               _("The server did not accept this token for %s"), sign_in->user);
        }
      g_task_return_error (task, error);
      return;
    }

  /* proved: now the account is kept (the arguments are read before the
   * task is handed on) */
  account = g_task_get_source_object (task);
  cancellable = g_task_get_cancellable (task);
  inbox_account_set_async (account, sign_in->server_url, sign_in->user, sign_in->token,
                           cancellable, saved_cb, g_steal_pointer (&task));
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  sign_in->store = inbox_store_open_finish (result, &error);
  if (sign_in->store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  sign_in->sync = inbox_sync_new (sign_in->store, sign_in->server_url, sign_in->token);
  inbox_sync_run_async (sign_in->sync, cancellable, synced_cb, g_steal_pointer (&task));
}

/**
 * inbox_sign_in_async:
 * @cache_path: the cache that keeps the user's messages
 *
 * Finishes with the signed-in user's store, already synced.
 */
void
inbox_sign_in_async (InboxAccount        *account,
                     const char          *cache_path,
                     const char          *server_url,
                     const char          *user,
                     const char          *token,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = NULL;
  GError *error = NULL;
  SignIn *sign_in;

  g_return_if_fail (INBOX_IS_ACCOUNT (account));
  g_return_if_fail (cache_path != NULL);

  task = g_task_new (account, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_sign_in_async);

  name = inbox_account_check (server_url, user, token, &error);
  if (name == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->server_url = g_strdup (server_url);
  sign_in->user = g_steal_pointer (&name);
  sign_in->token = g_strdup (token);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  inbox_store_open_async (cache_path, sign_in->user, cancellable, opened_cb, g_steal_pointer (&task));
}

/* Returns: (transfer full): the user's store, synced */
InboxStore *
inbox_sign_in_finish (InboxAccount  *account,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
