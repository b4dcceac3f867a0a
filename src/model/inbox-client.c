/* inbox-client.c
 *
 * The one state machine of an inbox: the cache opens in a thread, then the
 * account decides (no account or no token: sign-in; a token: sessions, each
 * of which syncs), and each sync's end decides again (ready, offline,
 * sign-in). Views only show what it says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-account.h"
#include "inbox-client-private.h"
#include "inbox-i18n.h"
#include "inbox-session.h"
#include "inbox-sign-in.h"
#include "inbox-sync.h"

/**
 * InboxClient:
 *
 * Runs one user's inbox: it owns the account (server, user, token), the
 * local cache and its #InboxStore, the sessions, the sync with the server and
 * the media cache, and shows where it stands in #InboxClient:state.
 *
 * A host app makes one client, calls inbox_client_start() once, and shows it
 * with an #InboxView (or reads #InboxClient:store itself). Everything the
 * client does happens on the main context it was started from; the cache is
 * opened and written in a worker thread, so no call blocks.
 *
 * The app-specific parts are construct properties: #InboxClient:application-id
 * (from which the folders and the keyring schema follow),
 * #InboxClient:data-dir, #InboxClient:cache-dir, #InboxClient:secret-schema,
 * #InboxClient:settings and #InboxClient:user-agent.
 */
struct _InboxClient
{
  GObject           parent_instance;

  /* what the host app chose */
  char             *application_id;
  char             *data_dir;
  char             *cache_dir;
  char             *secret_schema;
  char             *user_agent;
  GSettings        *settings;
  gboolean          use_keyring;

  /* what runs */
  InboxAccount     *account;
  InboxSession     *session;
  InboxStore       *store;
  InboxMediaCache  *media;
  InboxSync        *sync;
  GCancellable     *cancellable;   /* everything, until inbox_client_stop() */
  GCancellable     *opening;       /* the cache being opened */
  GPtrArray        *notices;       /* said while nobody listened */

  /* where it stands */
  InboxClientState  state;
  char             *offline_reason;
  char             *sign_in_reason;
  char             *error_message;
  guint             syncing : 1;
  guint             started : 1;
  guint             local : 1;     /* a given store and no server (a preview) */
  guint             local_loaded : 1;
  guint             stopped : 1;
};

G_DEFINE_FINAL_TYPE (InboxClient, inbox_client, G_TYPE_OBJECT)

#define DEFAULT_APPLICATION_ID "io.github.appinbox.AppInbox"

enum {
  PROP_0,
  PROP_APPLICATION_ID,
  PROP_DATA_DIR,
  PROP_CACHE_DIR,
  PROP_SECRET_SCHEMA,
  PROP_SETTINGS,
  PROP_USER_AGENT,
  PROP_USE_KEYRING,
  PROP_STATE,
  PROP_SYNCING,
  PROP_OFFLINE_REASON,
  PROP_SIGN_IN_REASON,
  PROP_ERROR_MESSAGE,
  PROP_UNREAD_COUNT,
  PROP_STORE,
  PROP_MEDIA_CACHE,
  PROP_SERVER_URL,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  NOTICE,
  SYNC_FINISHED,
  RELOAD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- state --- */

static void
set_string (char       **field,
            const char  *value,
            InboxClient *self,
            int          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * inbox_client_set_state: (skip)
 * @reason: (nullable): why, for the offline, sign-in and error states
 *
 * The one place the state changes. The offline, sign-in and error states
 * each have a reason of their own, which holds only while in that state.
 */
void
inbox_client_set_state (InboxClient      *self,
                        InboxClientState  state,
                        const char       *reason)
{
  g_return_if_fail (INBOX_IS_CLIENT (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (&self->offline_reason, state == INBOX_CLIENT_STATE_OFFLINE ? reason : NULL, self, PROP_OFFLINE_REASON);
  set_string (&self->sign_in_reason, state == INBOX_CLIENT_STATE_NEEDS_SIGN_IN ? reason : NULL, self,
              PROP_SIGN_IN_REASON);
  set_string (&self->error_message, state == INBOX_CLIENT_STATE_ERROR ? reason : NULL, self, PROP_ERROR_MESSAGE);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* The spinner's truth: a sync is running. */
void
inbox_client_set_syncing (InboxClient *self,
                          gboolean     syncing)
{
  g_return_if_fail (INBOX_IS_CLIENT (self));

  if (self->syncing == !!syncing)
    return;
  self->syncing = !!syncing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
}

static void
unread_count_changed_cb (InboxClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

static void
set_store (InboxClient *self,
           InboxStore  *store)
{
  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "notify::unread-count", G_CALLBACK (unread_count_changed_cb), self,
                             G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

/* Said to whoever listens; kept until someone does (a view that comes
 * after the cache opened still shows that it had to be rebuilt). */
static void
notice (InboxClient *self,
        const char  *text)
{
  if (!g_signal_has_handler_pending (self, signals[NOTICE], 0, TRUE))
    {
      g_ptr_array_add (self->notices, g_strdup (text));
      return;
    }
  g_signal_emit (self, signals[NOTICE], 0, text);
}

/* A view began to listen: what was said before, in order. */
void
inbox_client_flush_notices (InboxClient *self)
{
  g_autoptr(GPtrArray) notices = NULL;

  g_return_if_fail (INBOX_IS_CLIENT (self));

  if (self->notices->len == 0 || !g_signal_has_handler_pending (self, signals[NOTICE], 0, TRUE))
    return;
  notices = g_steal_pointer (&self->notices);
  self->notices = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < notices->len; i++)
    g_signal_emit (self, signals[NOTICE], 0, g_ptr_array_index (notices, i));
}

/* --- syncing --- */

/* No more syncs for this account (signing in anew, out, or stopping). */
static void
stop_syncing (InboxClient *self)
{
  if (self->sync == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->sync, self);
  inbox_sync_stop (self->sync);
  g_clear_object (&self->sync);
  inbox_client_set_syncing (self, FALSE);
}

static void
sync_started_cb (InboxSync   *sync,
                 InboxClient *self)
{
  inbox_client_set_syncing (self, TRUE);
}

static void
sync_finished_cb (InboxSync    *sync,
                  const GError *error,
                  InboxClient  *self)
{
  inbox_client_set_syncing (self, FALSE);

  if (error == NULL)
    inbox_client_set_state (self, INBOX_CLIENT_STATE_READY, NULL);
  else if (g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_UNAUTHORIZED))
    {
      g_autofree char *reason = g_strdup_printf (_("The server no longer accepts the token of %s: enter a new one"),
                                                 inbox_account_get_user (self->account));

      /* no more syncs with a refused token (the signal holds @sync) */
      stop_syncing (self);
      inbox_client_set_state (self, INBOX_CLIENT_STATE_NEEDS_SIGN_IN, reason);
    }
  else if (g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE) ||
           g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE))
    inbox_client_set_state (self, INBOX_CLIENT_STATE_OFFLINE, error->message);
  else
    notice (self, error->message);

  g_signal_emit (self, signals[SYNC_FINISHED], 0, error);
}

static void
session_started_cb (InboxSession *session,
                    InboxClient  *self)
{
  if (self->sync != NULL)
    inbox_sync_start (self->sync);
}

/* The account is complete: sessions begin, and each one syncs. */
static void
start_syncing (InboxClient *self)
{
  stop_syncing (self);

  self->sync = inbox_sync_new (self->store, inbox_account_get_server_url (self->account),
                               inbox_account_get_token (self->account));
  inbox_sync_set_user_agent (self->sync, self->user_agent);
  inbox_sync_set_session (self->sync, self->session);
  g_signal_connect (self->sync, "started", G_CALLBACK (sync_started_cb), self);
  g_signal_connect (self->sync, "finished", G_CALLBACK (sync_finished_cb), self);

  inbox_client_set_state (self, INBOX_CLIENT_STATE_READY, NULL);
  if (inbox_account_get_keyring_error (self->account) != NULL)
    notice (self, _("No keyring: the token is kept until you quit"));

  inbox_session_start (self->session);
}

static void
token_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(InboxClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (!inbox_account_load_token_finish (self->account, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      reason = g_strdup_printf (_("The keyring could not be read (%s): enter the token to go on"), error->message);
    }

  if (inbox_account_get_token (self->account) != NULL)
    {
      start_syncing (self);
      return;
    }

  if (reason == NULL)
    reason = g_strdup_printf (_("No token is saved for %s: enter it to go on"), inbox_account_get_user (self->account));
  inbox_client_set_state (self, INBOX_CLIENT_STATE_NEEDS_SIGN_IN, reason);
}

/* Once the store is open: the token, then the first session; or sign-in.
 * The cached messages show while the keyring is asked (it may ask the user
 * to unlock it). */
static void
begin_account (InboxClient *self)
{
  if (!inbox_account_is_complete (self->account))
    inbox_client_set_state (self, INBOX_CLIENT_STATE_NEEDS_SIGN_IN, NULL);
  else if (inbox_account_get_token (self->account) != NULL)
    start_syncing (self);
  else
    {
      inbox_client_set_state (self, INBOX_CLIENT_STATE_READY, NULL);
      inbox_account_load_token_async (self->account, self->cancellable, token_loaded_cb, g_object_ref (self));
    }
}

/* An empty store in memory, for a client with nothing else to show. */
static InboxStore *
empty_store (void)
{
  g_autoptr(InboxCache) memory = inbox_cache_new (INBOX_CACHE_IN_MEMORY, NULL);

  return inbox_store_new (memory, "none");
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(InboxClient) self = user_data;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const GError *recovery;

  store = inbox_store_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || g_cancellable_is_cancelled (self->cancellable))
    return;
  g_clear_object (&self->opening);

  if (store == NULL)
    {
      /* nothing to show but why, over an empty store */
      g_autoptr(InboxStore) empty = empty_store ();

      set_store (self, empty);
      inbox_client_set_state (self, INBOX_CLIENT_STATE_ERROR, error->message);
      return;
    }

  set_store (self, store);
  recovery = inbox_cache_get_recovery_error (inbox_store_get_cache (store));
  if (recovery != NULL)
    notice (self, recovery->message);
  begin_account (self);
}

/* The folder of the cache file. */
char *
inbox_client_dup_cache_path (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return g_build_filename (self->data_dir, "inbox.sqlite", NULL);
}

static void
open_store (InboxClient *self)
{
  g_autofree char *path = inbox_client_dup_cache_path (self);
  const char *user = inbox_account_get_user (self->account);

  inbox_client_set_state (self, INBOX_CLIENT_STATE_LOADING, NULL);
  g_clear_object (&self->opening);
  self->opening = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel), self->opening,
                           G_CONNECT_SWAPPED);
  inbox_store_open_async (path, *user != '\0' ? user : "default", self->opening,
                          store_opened_cb, g_object_ref (self));
}

/**
 * inbox_client_start:
 * @self: a client
 *
 * Opens the cache (in a thread) and goes on from there: with an account and
 * its token, the first session starts and syncs; without, the client asks for
 * a sign-in (#INBOX_CLIENT_STATE_NEEDS_SIGN_IN). Calling it again does
 * nothing.
 */
void
inbox_client_start (InboxClient *self)
{
  g_return_if_fail (INBOX_IS_CLIENT (self));

  if (self->started)
    return;
  self->started = TRUE;

  if (self->local)
    {
      if (self->local_loaded)
        inbox_client_set_state (self, INBOX_CLIENT_STATE_READY, NULL);
    }
  else
    open_store (self);
}

/**
 * inbox_client_stop:
 * @self: a client
 *
 * No more sessions or syncs, and what is under way is cancelled. For the
 * host app's shutdown: the messages stay readable, and Try Again and activity
 * do nothing from then on.
 */
void
inbox_client_stop (InboxClient *self)
{
  g_return_if_fail (INBOX_IS_CLIENT (self));

  self->stopped = TRUE;
  g_cancellable_cancel (self->cancellable);
  stop_syncing (self);
}

static void
reloaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(InboxClient) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!inbox_store_load_finish (INBOX_STORE (source), result, &error))
    inbox_client_set_state (self, INBOX_CLIENT_STATE_ERROR, error->message);
  else
    inbox_client_set_state (self, INBOX_CLIENT_STATE_READY, NULL);
}

/**
 * inbox_client_sync_now:
 * @self: a client
 *
 * Try Again: syncs at once (offline, or whenever the user asks). When the
 * cache could not be opened, opens it again. A client without a server reads
 * its cache again, unless a #InboxClient::reload handler did the reloading.
 */
void
inbox_client_sync_now (InboxClient *self)
{
  gboolean handled = FALSE;

  g_return_if_fail (INBOX_IS_CLIENT (self));

  if (self->stopped)
    return;
  if (self->local)
    {
      g_signal_emit (self, signals[RELOAD], 0, &handled);
      if (!handled)
        inbox_store_load_async (self->store, self->cancellable, reloaded_cb, g_object_ref (self));
    }
  else if (self->state == INBOX_CLIENT_STATE_ERROR && self->sync == NULL)
    open_store (self);
  else if (self->sync != NULL)
    inbox_sync_start (self->sync);
}

/**
 * inbox_client_activity:
 * @self: a client
 *
 * The user did something in the inbox (a key, a click, a scroll, the
 * pointer). After #InboxClient's session timeout without any, the next
 * activity starts a new session, which syncs. #InboxView reports this itself.
 */
void
inbox_client_activity (InboxClient *self)
{
  g_return_if_fail (INBOX_IS_CLIENT (self));

  if (self->sync != NULL && !self->stopped)
    inbox_session_activity (self->session);
}

/* --- signing in and out --- */

/* What to go back to when a sign-in is refused. */
typedef struct {
  gboolean          was_syncing;
  InboxClientState  state;
  char             *offline_reason;
} SignInData;

static void
sign_in_data_free (gpointer data)
{
  SignInData *sign_in = data;

  g_free (sign_in->offline_reason);
  g_free (sign_in);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InboxClient *self = g_task_get_source_object (task);
  g_autoptr(InboxStore) store = NULL;
  GError *error = NULL;

  store = inbox_sign_in_finish (self->account, result, &error);
  if (store == NULL)
    {
      /* refused: the client goes on as it was */
      SignInData *data = g_task_get_task_data (task);

      if (data->was_syncing && !self->stopped)
        {
          start_syncing (self);
          inbox_client_set_state (self, data->state, data->offline_reason);
        }
      g_task_return_error (task, error);
      return;
    }

  /* the signed-in user's messages, already synced once; a cache still
   * opening for the account before is not wanted any more */
  if (self->opening != NULL)
    g_cancellable_cancel (self->opening);
  set_store (self, store);
  start_syncing (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * inbox_client_sign_in_async:
 * @self: a client
 * @server_url: the inbox server (`https:`, or `http:` to this computer)
 * @user: the user's name
 * @token: the user's token
 * @cancellable: (nullable): to give up
 * @callback: (scope async): called when the account is proven or refused
 * @user_data: for @callback
 *
 * Proves the account with a first full sync before anything is kept: a
 * wrong token, a server that cannot be reached or a bad address keep nothing
 * and the client stays as it was. On success the token goes to the keyring
 * (or memory, see #InboxClient:use-keyring), #InboxClient:store becomes the
 * user's messages and sessions begin.
 */
void
inbox_client_sign_in_async (InboxClient         *self,
                            const char          *server_url,
                            const char          *user,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  SignInData *data;

  g_return_if_fail (INBOX_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_client_sign_in_async);
  if (self->local)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "This inbox has no server to sign in to");
      return;
    }

  /* one sync at a time on the cache: the old account's pauses, and goes on
   * if this one is refused */
  path = inbox_client_dup_cache_path (self);
  data = g_new0 (SignInData, 1);
  data->was_syncing = self->sync != NULL;
  data->state = self->state;
  data->offline_reason = g_strdup (self->offline_reason);
  g_task_set_task_data (task, data, sign_in_data_free);
  stop_syncing (self);
  inbox_sign_in_async (self->account, path, server_url, user, token, cancellable,
                       signed_in_cb, g_steal_pointer (&task));
}

/**
 * inbox_client_sign_in_finish:
 * @self: a client
 * @result: what @callback got
 * @error: why the account was refused (the server's answer, the address)
 *
 * Finishes inbox_client_sign_in_async(). On failure nothing was kept and
 * the client is as it was.
 *
 * Returns: %TRUE once signed in
 */
gboolean
inbox_client_sign_in_finish (InboxClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
signed_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InboxClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  /* the settings and memory are clear already; the keyring may say no */
  if (!inbox_account_sign_out_finish (self->account, result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * inbox_client_sign_out_async:
 * @self: a client
 * @cancellable: (nullable): to give up waiting for the keyring
 * @callback: (scope async): called once the keyring answered
 * @user_data: for @callback
 *
 * Forgets the user: syncing stops, events not yet sent are dropped, the
 * user's messages leave the cache, the media cache is emptied and the token
 * leaves the keyring. The client then asks for a sign-in, with the server
 * address kept.
 */
void
inbox_client_sign_out_async (InboxClient         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *user = NULL;
  g_autofree char *media_dir = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (INBOX_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_client_sign_out_async);
  user = g_strdup (inbox_account_get_user (self->account));
  media_dir = g_build_filename (self->cache_dir, "media", NULL);

  stop_syncing (self);
  inbox_account_sign_out_async (self->account, cancellable, signed_out_cb, g_steal_pointer (&task));
  if (!self->local && self->store != NULL &&
      (!inbox_cache_forget_user (inbox_store_get_cache (self->store), user, &error) ||
       !inbox_store_load (self->store, &error)))
    notice (self, error->message);
  inbox_media_cache_remove_dir (media_dir);

  inbox_client_set_state (self, INBOX_CLIENT_STATE_NEEDS_SIGN_IN, NULL);
}

/**
 * inbox_client_sign_out_finish:
 * @self: a client
 * @result: what @callback got
 * @error: why the keyring kept the token (everything else is gone already)
 *
 * Finishes inbox_client_sign_out_async().
 *
 * Returns: %TRUE when the keyring let the token go too
 */
gboolean
inbox_client_sign_out_finish (InboxClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- getters --- */

/**
 * inbox_client_get_state:
 * @self: a client
 *
 * Gets #InboxClient:state.
 *
 * Returns: where the inbox stands
 */
InboxClientState
inbox_client_get_state (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), INBOX_CLIENT_STATE_LOADING);

  return self->state;
}

/**
 * inbox_client_get_syncing:
 * @self: a client
 *
 * Gets #InboxClient:syncing.
 *
 * Returns: whether a sync with the server is under way
 */
gboolean
inbox_client_get_syncing (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), FALSE);

  return self->syncing;
}

/**
 * inbox_client_get_offline_reason:
 * @self: a client
 *
 * Gets #InboxClient:offline-reason.
 *
 * Returns: (nullable): why the server could not be reached or read, while
 *   offline; %NULL once a sync went through
 */
const char *
inbox_client_get_offline_reason (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->offline_reason;
}

/**
 * inbox_client_get_sign_in_reason:
 * @self: a client
 *
 * Gets #InboxClient:sign-in-reason.
 *
 * Returns: (nullable): why a sign-in is needed (no token saved, a token the
 *   server refused …); %NULL when there was simply no account yet
 */
const char *
inbox_client_get_sign_in_reason (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->sign_in_reason;
}

/**
 * inbox_client_get_error_message:
 * @self: a client
 *
 * Gets #InboxClient:error-message.
 *
 * Returns: (nullable): why the inbox could not be opened, in the error state
 */
const char *
inbox_client_get_error_message (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->error_message;
}

/**
 * inbox_client_get_unread_count:
 * @self: a client
 *
 * Gets #InboxClient:unread-count.
 *
 * Returns: how many of the messages shown are unread
 */
guint
inbox_client_get_unread_count (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), 0);

  return self->store != NULL ? inbox_store_get_unread_count (self->store) : 0;
}

/**
 * inbox_client_get_store:
 * @self: a client
 *
 * The messages, newest first, as a #GListModel of #InboxMessage. It is
 * %NULL until the cache is open, and becomes another store when another
 * user signs in: follow #InboxClient:store.
 *
 * Returns: (transfer none) (nullable): the store
 */
InboxStore *
inbox_client_get_store (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->store;
}

/**
 * inbox_client_get_media_cache:
 * @self: a client
 *
 * Gets #InboxClient:media-cache.
 *
 * Returns: (transfer none): where the messages' pictures and videos are kept
 */
InboxMediaCache *
inbox_client_get_media_cache (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->media;
}

/**
 * inbox_client_get_server_url:
 * @self: a client
 *
 * Gets #InboxClient:server-url.
 *
 * Returns: the account's server, or "" without an account
 */
const char *
inbox_client_get_server_url (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return inbox_account_get_server_url (self->account);
}

/**
 * inbox_client_get_user:
 * @self: a client
 *
 * Gets #InboxClient:user.
 *
 * Returns: the account's user, or "" without an account
 */
const char *
inbox_client_get_user (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return inbox_account_get_user (self->account);
}

/**
 * inbox_client_get_application_id:
 * @self: a client
 *
 * Gets #InboxClient:application-id.
 *
 * Returns: the application the inbox belongs to
 */
const char *
inbox_client_get_application_id (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->application_id;
}

/**
 * inbox_client_get_data_dir:
 * @self: a client
 *
 * Gets #InboxClient:data-dir.
 *
 * Returns: (type filename): the folder of the message cache
 */
const char *
inbox_client_get_data_dir (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->data_dir;
}

/**
 * inbox_client_get_cache_dir:
 * @self: a client
 *
 * Gets #InboxClient:cache-dir.
 *
 * Returns: (type filename): the folder of the media cache
 */
const char *
inbox_client_get_cache_dir (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->cache_dir;
}

/* The account, for the app's command line (--server, --list). */
InboxAccount *
inbox_client_get_account (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->account;
}

InboxSession *
inbox_client_get_session (InboxClient *self)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (self), NULL);

  return self->session;
}

/* --- the object --- */

/* App Inbox keeps its folders as they always were; another app gets its own. */
static char *
default_dir (const char *application_id,
             const char *base)
{
  if (g_str_equal (application_id, DEFAULT_APPLICATION_ID))
    return g_build_filename (base, "app-inbox", NULL);
  return g_build_filename (base, application_id, "app-inbox", NULL);
}

/* The account's server or user, as the client shows them. */
static void
account_changed_cb (InboxClient *self,
                    GParamSpec  *pspec)
{
  if (g_str_equal (pspec->name, "server-url"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static gboolean
settings_has_key (GSettings  *settings,
                  const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

static void
inbox_client_constructed (GObject *object)
{
  InboxClient *self = (InboxClient *) object;
  g_autofree char *media_dir = NULL;

  G_OBJECT_CLASS (inbox_client_parent_class)->constructed (object);

  if (self->application_id == NULL)
    self->application_id = g_strdup (DEFAULT_APPLICATION_ID);
  if (self->data_dir == NULL)
    self->data_dir = default_dir (self->application_id, g_get_user_data_dir ());
  if (self->cache_dir == NULL)
    self->cache_dir = default_dir (self->application_id, g_get_user_cache_dir ());
  if (self->secret_schema == NULL)
    self->secret_schema = g_strconcat (self->application_id, ".Token", NULL);

  /* the account lives in the settings only if they have its keys */
  if (self->settings != NULL && !settings_has_key (self->settings, "server-url"))
    {
      g_warning ("The settings %s have no server-url key: the account is kept in memory",
                 self->application_id);
      g_clear_object (&self->settings);
    }
  self->account = inbox_account_new (self->settings);
  inbox_account_set_secret_schema (self->account, self->secret_schema);
  /* a token kept where its account is forgotten could never be found (nor
   * signed out) again: the keyring only with settings */
  inbox_account_set_memory_only (self->account, !self->use_keyring || self->settings == NULL);
  g_signal_connect_object (self->account, "notify::server-url", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::user", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->session = inbox_session_new (INBOX_SESSION_DEFAULT_TIMEOUT);
  if (self->settings != NULL && settings_has_key (self->settings, "session-timeout"))
    g_settings_bind (self->settings, "session-timeout", self->session, "timeout", G_SETTINGS_BIND_GET);
  g_signal_connect (self->session, "started", G_CALLBACK (session_started_cb), self);

  if (self->media == NULL)
    {
      media_dir = g_build_filename (self->cache_dir, "media", NULL);
      self->media = inbox_media_cache_new (media_dir);
    }
}

static void
inbox_client_dispose (GObject *object)
{
  InboxClient *self = (InboxClient *) object;

  g_cancellable_cancel (self->cancellable);
  stop_syncing (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  set_store (self, NULL);

  G_OBJECT_CLASS (inbox_client_parent_class)->dispose (object);
}

static void
inbox_client_finalize (GObject *object)
{
  InboxClient *self = (InboxClient *) object;

  g_clear_object (&self->account);
  g_clear_object (&self->session);
  g_clear_object (&self->media);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->opening);
  g_clear_pointer (&self->notices, g_ptr_array_unref);
  g_clear_pointer (&self->application_id, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->cache_dir, g_free);
  g_clear_pointer (&self->secret_schema, g_free);
  g_clear_pointer (&self->user_agent, g_free);
  g_clear_pointer (&self->offline_reason, g_free);
  g_clear_pointer (&self->sign_in_reason, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (inbox_client_parent_class)->finalize (object);
}

static void
inbox_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  InboxClient *self = INBOX_CLIENT (object);

  switch (prop_id)
    {
    case PROP_APPLICATION_ID:
      g_value_set_string (value, self->application_id);
      break;
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_CACHE_DIR:
      g_value_set_string (value, self->cache_dir);
      break;
    case PROP_SECRET_SCHEMA:
      g_value_set_string (value, self->secret_schema);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case PROP_USE_KEYRING:
      g_value_set_boolean (value, self->use_keyring);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;
    case PROP_OFFLINE_REASON:
      g_value_set_string (value, self->offline_reason);
      break;
    case PROP_SIGN_IN_REASON:
      g_value_set_string (value, self->sign_in_reason);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, inbox_client_get_unread_count (self));
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_MEDIA_CACHE:
      g_value_set_object (value, self->media);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, inbox_client_get_server_url (self));
      break;
    case PROP_USER:
      g_value_set_string (value, inbox_client_get_user (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  InboxClient *self = INBOX_CLIENT (object);

  switch (prop_id)
    {
    case PROP_APPLICATION_ID:
      self->application_id = g_value_dup_string (value);
      break;
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;
    case PROP_CACHE_DIR:
      self->cache_dir = g_value_dup_string (value);
      break;
    case PROP_SECRET_SCHEMA:
      self->secret_schema = g_value_dup_string (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_USER_AGENT:
      self->user_agent = g_value_dup_string (value);
      break;
    case PROP_USE_KEYRING:
      self->use_keyring = g_value_get_boolean (value);
      break;
    case PROP_MEDIA_CACHE:
      self->media = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_client_class_init (InboxClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags readable = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  inbox_i18n_init ();  /* its messages are the library's to translate */

  object_class->constructed = inbox_client_constructed;
  object_class->dispose = inbox_client_dispose;
  object_class->finalize = inbox_client_finalize;
  object_class->get_property = inbox_client_get_property;
  object_class->set_property = inbox_client_set_property;

  /**
   * InboxClient:application-id:
   *
   * The host app's id. By default the cache lives in
   * `$XDG_DATA_HOME/<application-id>/app-inbox`, the media in
   * `$XDG_CACHE_HOME/<application-id>/app-inbox` and the token under the
   * keyring schema `<application-id>.Token` (App Inbox itself keeps its
   * folders `app-inbox` directly under each).
   */
  properties[PROP_APPLICATION_ID] =
    g_param_spec_string ("application-id", NULL, NULL, NULL, construct);

  /**
   * InboxClient:data-dir:
   *
   * The folder of the message cache (`inbox.sqlite`).
   */
  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL, construct);

  /**
   * InboxClient:cache-dir:
   *
   * The folder whose `media` folder keeps downloaded media.
   */
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL, construct);

  /**
   * InboxClient:secret-schema:
   *
   * The name of the libsecret schema the token is kept under, with the
   * attributes `server` and `user`.
   */
  properties[PROP_SECRET_SCHEMA] =
    g_param_spec_string ("secret-schema", NULL, NULL, NULL, construct);

  /**
   * InboxClient:settings:
   *
   * Where the account is remembered: a #GSettings whose schema has the string
   * keys `server-url` and `user` (and, if it wants, the unsigned
   * `session-timeout` in seconds). %NULL keeps the account in memory only.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS, construct);

  /**
   * InboxClient:user-agent:
   *
   * What the sync's requests say they come from; %NULL for App Inbox's own.
   */
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL, construct);

  /**
   * InboxClient:use-keyring:
   *
   * Whether the token goes to the keyring (the Secret Service), under
   * #InboxClient:secret-schema. It does only when #InboxClient:settings
   * remember the account; when %FALSE, without settings, or when there is no
   * keyring, the token is kept in memory until the client goes.
   */
  properties[PROP_USE_KEYRING] =
    g_param_spec_boolean ("use-keyring", NULL, NULL, TRUE, construct);

  /**
   * InboxClient:state:
   *
   * Where the inbox stands; the one truth views show.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, INBOX_TYPE_CLIENT_STATE, INBOX_CLIENT_STATE_LOADING, readable);

  /**
   * InboxClient:syncing:
   *
   * Whether a sync with the server is under way.
   */
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL, FALSE, readable);

  /**
   * InboxClient:offline-reason:
   *
   * Why the server could not be reached or read, while offline.
   */
  properties[PROP_OFFLINE_REASON] =
    g_param_spec_string ("offline-reason", NULL, NULL, NULL, readable);

  /**
   * InboxClient:sign-in-reason:
   *
   * Why a sign-in is needed; %NULL when there was no account yet.
   */
  properties[PROP_SIGN_IN_REASON] =
    g_param_spec_string ("sign-in-reason", NULL, NULL, NULL, readable);

  /**
   * InboxClient:error-message:
   *
   * Why the inbox could not be opened, in the error state.
   */
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, readable);

  /**
   * InboxClient:unread-count:
   *
   * How many of the messages are unread.
   */
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, readable);

  /**
   * InboxClient:store:
   *
   * The messages (a #GListModel of #InboxMessage, newest first); %NULL until
   * the cache is open. Its `items-changed` says when the inbox changed, and
   * this property's notify when it was loaded or another user signed in.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, INBOX_TYPE_STORE, readable);

  /**
   * InboxClient:media-cache:
   *
   * Where the messages' media are kept; by default a cache in the `media`
   * folder of #InboxClient:cache-dir.
   */
  properties[PROP_MEDIA_CACHE] =
    g_param_spec_object ("media-cache", NULL, NULL, INBOX_TYPE_MEDIA_CACHE, construct);

  /**
   * InboxClient:server-url:
   *
   * The account's server, "" without an account.
   */
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, "", readable);

  /**
   * InboxClient:user:
   *
   * The account's user, "" without an account.
   */
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, "", readable);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InboxClient::notice:
   * @self: the client
   * @text: what to tell the user, translated
   *
   * Something the user should hear of that changes no state: a sync that
   * failed for a passing reason, a cache that had to be rebuilt, a token kept
   * in memory for want of a keyring. #InboxView shows it as a toast.
   */
  signals[NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * InboxClient::sync-finished:
   * @self: the client
   * @error: (nullable): why it failed, or %NULL
   *
   * A sync is over; #InboxClient:state already says what it means.
   */
  signals[SYNC_FINISHED] =
    g_signal_new ("sync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * InboxClient::reload:
   * @self: the client
   *
   * inbox_client_sync_now() on a client without a server (one made over
   * given messages, such as a preview of a file): a handler that reloads the
   * messages itself returns %TRUE; otherwise the cache is read again.
   *
   * Returns: %TRUE when handled
   */
  signals[RELOAD] =
    g_signal_new ("reload", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 0);
}

static void
inbox_client_init (InboxClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->notices = g_ptr_array_new_with_free_func (g_free);
  self->use_keyring = TRUE;
  self->state = INBOX_CLIENT_STATE_LOADING;
}

/**
 * inbox_client_new:
 * @application_id: (nullable): the host app's id; %NULL for App Inbox's
 *
 * A client with the folders, keyring schema and user agent that follow from
 * @application_id and the account in memory; set #InboxClient:settings with
 * g_object_new() to remember it. Call inbox_client_start() next.
 *
 * Returns: (transfer full): a new client
 */
InboxClient *
inbox_client_new (const char *application_id)
{
  return g_object_new (INBOX_TYPE_CLIENT, "application-id", application_id, NULL);
}

/**
 * inbox_client_new_for_store: (skip)
 * @loaded: whether @store holds its messages already; if not, the client
 *   stays loading until inbox_client_local_loaded()
 *
 * A client over messages it is given, with no account and no server (a
 * preview of a file, a test): ready once started and loaded; Try Again emits
 * #InboxClient::reload.
 */
InboxClient *
inbox_client_new_for_store (InboxStore      *store,
                            InboxMediaCache *media,
                            gboolean         loaded)
{
  InboxClient *self;

  g_return_val_if_fail (INBOX_IS_STORE (store), NULL);
  g_return_val_if_fail (INBOX_IS_MEDIA_CACHE (media), NULL);

  self = g_object_new (INBOX_TYPE_CLIENT, "use-keyring", FALSE, "media-cache", media, NULL);
  self->local = TRUE;
  self->local_loaded = !!loaded;
  set_store (self, store);
  return self;
}

/**
 * inbox_client_local_loaded: (skip)
 * @error: (nullable): why the messages could not be read, or %NULL
 *
 * A client without a server: its messages were read again (ready), or could
 * not be (the error state with @error, over what the store still holds).
 */
void
inbox_client_local_loaded (InboxClient *self,
                           const char  *error)
{
  g_return_if_fail (INBOX_IS_CLIENT (self));
  g_return_if_fail (self->local);

  self->local_loaded = TRUE;
  if (!self->started)
    return;
  if (error == NULL)
    inbox_client_set_state (self, INBOX_CLIENT_STATE_READY, NULL);
  else
    inbox_client_set_state (self, INBOX_CLIENT_STATE_ERROR, error);
}
