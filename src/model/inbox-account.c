/* inbox-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-account"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "inbox-account.h"

struct _InboxAccount
{
  GObject    parent_instance;

  GSettings *settings;      /* NULL when the schema is not installed: memory only */
  char      *server_url;
  char      *user;
  char      *token;         /* what the keyring holds, or only this (keyring_error) */
  GError    *keyring_error; /* why the token is in memory only */
  guint      keyring_timeout;
  gboolean   memory_only;   /* asked not to use the keyring at all */
  SecretSchema *schema;     /* the keyring items: <application id>.Token */
};

G_DEFINE_FINAL_TYPE (InboxAccount, inbox_account, G_TYPE_OBJECT)

G_DEFINE_QUARK (inbox-account-error-quark, inbox_account_error)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_USER,
  PROP_TOKEN_KNOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_SECRET_SCHEMA "io.github.appinbox.AppInbox.Token"

static void
clear_token (char **token)
{
  if (*token != NULL)
    {
      explicit_bzero (*token, strlen (*token));
      g_clear_pointer (token, g_free);
    }
}

static void
inbox_account_finalize (GObject *object)
{
  InboxAccount *self = (InboxAccount *) object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->user, g_free);
  clear_token (&self->token);
  g_clear_error (&self->keyring_error);
  g_clear_pointer (&self->schema, secret_schema_unref);

  G_OBJECT_CLASS (inbox_account_parent_class)->finalize (object);
}

static void
inbox_account_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  InboxAccount *self = INBOX_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    case PROP_USER:
      g_value_set_string (value, self->user);
      break;

    case PROP_TOKEN_KNOWN:
      g_value_set_boolean (value, self->token != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_account_class_init (InboxAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inbox_account_finalize;
  object_class->get_property = inbox_account_get_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_KNOWN] =
    g_param_spec_boolean ("token-known", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_account_init (InboxAccount *self)
{
  self->server_url = g_strdup ("");
  self->user = g_strdup ("");
  self->keyring_timeout = 10;
  inbox_account_set_secret_schema (self, NULL);
}

/**
 * inbox_account_set_secret_schema:
 * @name: (nullable): the name of the keyring items' schema, such as
 *   `com.example.App.Token`; %NULL for App Inbox's own
 *
 * Each embedding app keeps its tokens under a schema of its own. Set it
 * before the first keyring call.
 */
void
inbox_account_set_secret_schema (InboxAccount *self,
                                 const char   *name)
{
  g_return_if_fail (INBOX_IS_ACCOUNT (self));

  g_clear_pointer (&self->schema, secret_schema_unref);
  self->schema = secret_schema_new (name != NULL ? name : DEFAULT_SECRET_SCHEMA, SECRET_SCHEMA_NONE,
                                    "server", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    "user", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    NULL);
}

/* The schema's name, for the keyring items. */
const char *
inbox_account_get_secret_schema (InboxAccount *self)
{
  g_return_val_if_fail (INBOX_IS_ACCOUNT (self), NULL);

  return self->schema->name;
}

/**
 * inbox_account_check_url:
 *
 * docs/sync-api.md, section 1: `https:` anywhere; plain `http:` only to this machine
 * (127.0.0.0/8, ::1, localhost).
 */
gboolean
inbox_account_check_url (const char  *url,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme, *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_EMPTY,
                           _("The server address is empty"));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_BAD_URL,
                   _("“%s” is not a server address (such as https://inbox.example.com)"), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      if (g_ascii_strcasecmp (host, "localhost") == 0 ||
          (address != NULL && g_inet_address_get_is_loopback (address)))
        return TRUE;

      g_set_error (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_BAD_URL,
                   _("“%s” uses plain http: only https is allowed, except to this computer"), url);
      return FALSE;
    }

  g_set_error (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_BAD_URL,
               _("“%s” is not an http or https address"), url);
  return FALSE;
}

/**
 * inbox_account_check:
 *
 * Checks an account as typed: the server address, a user name that is not
 * blank, a token that is not empty.
 *
 * Returns: (transfer full): the user name trimmed, or %NULL with the reason
 */
char *
inbox_account_check (const char  *server_url,
                     const char  *user,
                     const char  *token,
                     GError     **error)
{
  g_autofree char *stripped = NULL;

  if (!inbox_account_check_url (server_url, error))
    return NULL;
  stripped = g_strstrip (g_strdup (user != NULL ? user : ""));
  if (*stripped == '\0')
    {
      g_set_error_literal (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_EMPTY, _("The user name is empty"));
      return NULL;
    }
  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, INBOX_ACCOUNT_ERROR, INBOX_ACCOUNT_ERROR_EMPTY, _("The token is empty"));
      return NULL;
    }
  return g_steal_pointer (&stripped);
}

/**
 * inbox_account_new:
 * @settings: (nullable): the app's settings; without them, memory only
 */
InboxAccount *
inbox_account_new (GSettings *settings)
{
  InboxAccount *self = g_object_new (INBOX_TYPE_ACCOUNT, NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_free (self->server_url);
      g_free (self->user);
      self->server_url = g_settings_get_string (settings, "server-url");
      self->user = g_settings_get_string (settings, "user");
    }

  return self;
}

const char *
inbox_account_get_server_url (InboxAccount *self)
{
  g_return_val_if_fail (INBOX_IS_ACCOUNT (self), NULL);

  return self->server_url;
}

const char *
inbox_account_get_user (InboxAccount *self)
{
  g_return_val_if_fail (INBOX_IS_ACCOUNT (self), NULL);

  return self->user;
}

/* Returns: (nullable): the token, once set or loaded */
const char *
inbox_account_get_token (InboxAccount *self)
{
  g_return_val_if_fail (INBOX_IS_ACCOUNT (self), NULL);

  return self->token;
}

/* Whether there is a server, a user and a token to sync with. */
gboolean
inbox_account_is_complete (InboxAccount *self)
{
  g_return_val_if_fail (INBOX_IS_ACCOUNT (self), FALSE);

  return *self->server_url != '\0' && *self->user != '\0' && self->token != NULL;
}

/* Returns: (nullable): why the token is kept in memory only */
const GError *
inbox_account_get_keyring_error (InboxAccount *self)
{
  g_return_val_if_fail (INBOX_IS_ACCOUNT (self), NULL);

  return self->keyring_error;
}

/* The token stays in memory (demos, scripts): the keyring is not asked. */
void
inbox_account_set_memory_only (InboxAccount *self,
                               gboolean      memory_only)
{
  g_return_if_fail (INBOX_IS_ACCOUNT (self));

  self->memory_only = memory_only;
}

/* A keyring that does not answer in this many seconds counts as none. */
void
inbox_account_set_keyring_timeout (InboxAccount *self,
                                   guint         seconds)
{
  g_return_if_fail (INBOX_IS_ACCOUNT (self));

  self->keyring_timeout = MAX (seconds, 1);
}

static void
set_keyring_error (InboxAccount *self,
                   const GError *error)
{
  g_clear_error (&self->keyring_error);
  if (error != NULL)
    self->keyring_error = g_error_new (error->domain, error->code,
                                       _("No keyring could keep the token (%s): it is kept until App Inbox quits"),
                                       error->message);
}

/* The keyring call's own cancellable: the caller's, or the timeout's. */
typedef enum {
  KEYRING_STORE,
  KEYRING_LOOKUP,
  KEYRING_CLEAR,
} KeyringOp;

typedef struct {
  GCancellable *cancellable;
  gulong        forward_id;
  GCancellable *caller;
  guint         timeout_id;

  /* what to ask once the session bus is there */
  KeyringOp     op;
  char         *label;
  char         *secret;
  char         *server;
  char         *user;
  GError       *bus_error; /* no session bus: no keyring */
  SecretSchema *schema;
} KeyringCall;

static gboolean
keyring_timeout_cb (gpointer user_data)
{
  KeyringCall *call = user_data;

  call->timeout_id = 0;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static void
forward_cancel_cb (GCancellable *caller,
                   GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
keyring_call_free (KeyringCall *call)
{
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  if (call->caller != NULL)
    g_cancellable_disconnect (call->caller, call->forward_id);
  g_clear_object (&call->caller);
  g_clear_object (&call->cancellable);
  g_free (call->label);
  if (call->secret != NULL)
    explicit_bzero (call->secret, strlen (call->secret));
  g_free (call->secret);
  g_free (call->server);
  g_free (call->user);
  g_clear_error (&call->bus_error);
  g_clear_pointer (&call->schema, secret_schema_unref);
  g_free (call);
}

static KeyringCall *
keyring_call_new (InboxAccount *self,
                  GCancellable *caller,
                  KeyringOp     op,
                  const char   *server,
                  const char   *user)
{
  KeyringCall *call = g_new0 (KeyringCall, 1);

  call->op = op;
  call->schema = secret_schema_ref (self->schema);
  call->server = g_strdup (server);
  call->user = g_strdup (user);

  call->cancellable = g_cancellable_new ();
  if (caller != NULL)
    {
      call->caller = g_object_ref (caller);
      call->forward_id = g_cancellable_connect (caller, G_CALLBACK (forward_cancel_cb),
                                                call->cancellable, NULL);
    }
  call->timeout_id = g_timeout_add_seconds (self->keyring_timeout, keyring_timeout_cb, call);
  return call;
}

/* A keyring that timed out reads as such, not as "cancelled". */
static GError *
keyring_failure (KeyringCall *call,
                 GError      *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      (call->caller == NULL || !g_cancellable_is_cancelled (call->caller)))
    {
      g_clear_error (&error);
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("the keyring did not answer"));
    }
  return error;
}

static void stored_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
bus_ready_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  KeyringCall *call = g_task_get_task_data (task);
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &call->bus_error);
  GAsyncReadyCallback done[] = { stored_cb, looked_up_cb, cleared_cb };

  /* libsecret itself is asked only when there is a bus to ask it on */
  if (bus == NULL)
    {
      done[call->op] (NULL, NULL, task);
      return;
    }

  switch (call->op)
    {
    case KEYRING_STORE:
      secret_password_store (call->schema, SECRET_COLLECTION_DEFAULT, call->label, call->secret,
                             call->cancellable, stored_cb, task,
                             "server", call->server, "user", call->user, NULL);
      break;

    case KEYRING_LOOKUP:
      secret_password_lookup (call->schema, call->cancellable, looked_up_cb, task,
                              "server", call->server, "user", call->user, NULL);
      break;

    case KEYRING_CLEAR:
      secret_password_clear (call->schema, call->cancellable, cleared_cb, task,
                             "server", call->server, "user", call->user, NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Runs @call for @task (which it takes): session bus first, then libsecret. */
static void
keyring_call_start (GTask       *task,
                    KeyringCall *call)
{
  g_task_set_task_data (task, call, (GDestroyNotify) keyring_call_free);
  g_bus_get (G_BUS_TYPE_SESSION, call->cancellable, bus_ready_cb, task);
}

/* The outcome of the keyring call: NULL, or why it failed. */
static GError *
keyring_call_error (KeyringCall  *call,
                    gboolean    (*finish) (GAsyncResult *, GError **),
                    GAsyncResult *result)
{
  GError *error = NULL;

  if (call->bus_error != NULL)
    return keyring_failure (call, g_steal_pointer (&call->bus_error));
  if (!finish (result, &error) && error != NULL)
    return keyring_failure (call, error);
  return NULL;
}

static gboolean
clear_finish (GAsyncResult  *result,
              GError       **error)
{
  return secret_password_clear_finish (result, error);
}

static gboolean
store_finish (GAsyncResult  *result,
              GError       **error)
{
  return secret_password_store_finish (result, error);
}

static void
write_settings (InboxAccount *self)
{
  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "server-url", self->server_url);
  g_settings_set_string (self->settings, "user", self->user);
}

static void
notify_all (InboxAccount *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_KNOWN]);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InboxAccount *self = g_task_get_source_object (task);
  KeyringCall *call = g_task_get_task_data (task);
  GError *error = keyring_call_error (call, store_finish, result);

  if (error != NULL)
    {
      if (call->caller != NULL && g_cancellable_is_cancelled (call->caller))
        {
          g_task_return_error (task, error);
          return;
        }
      /* the account still works, for this run */
      set_keyring_error (self, error);
      g_clear_error (&error);
    }
  else
    g_clear_error (&self->keyring_error);

  write_settings (self);
  notify_all (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * inbox_account_set_async:
 *
 * Checks and takes a new account: the URL and user go to GSettings, the
 * token to the keyring, or to memory when there is no keyring (then
 * inbox_account_get_keyring_error() says so; the call still succeeds).
 */
void
inbox_account_set_async (InboxAccount        *self,
                         const char          *server_url,
                         const char          *user,
                         const char          *token,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stripped = NULL;
  GError *error = NULL;
  KeyringCall *call;

  g_return_if_fail (INBOX_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_account_set_async);

  stripped = inbox_account_check (server_url, user, token, &error);
  if (stripped == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_free (self->server_url);
  self->server_url = g_strdup (server_url);
  g_free (self->user);
  self->user = g_steal_pointer (&stripped);
  clear_token (&self->token);
  self->token = g_strdup (token);

  if (self->memory_only)
    {
      write_settings (self);
      notify_all (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  call = keyring_call_new (self, cancellable, KEYRING_STORE, self->server_url, self->user);
  call->label = g_strdup_printf ("App Inbox token for %s at %s", self->user, self->server_url);
  call->secret = g_strdup (token);
  keyring_call_start (g_steal_pointer (&task), call);
}

gboolean
inbox_account_set_finish (InboxAccount  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InboxAccount *self = g_task_get_source_object (task);
  KeyringCall *call = g_task_get_task_data (task);
  GError *error = NULL;
  char *token = NULL;

  if (call->bus_error != NULL)
    error = g_steal_pointer (&call->bus_error);
  else
    token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      error = keyring_failure (call, error);
      /* a token held in memory (no keyring) still serves */
      if (self->token == NULL || (call->caller != NULL && g_cancellable_is_cancelled (call->caller)))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_error (&error);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (token != NULL)
    {
      clear_token (&self->token);
      self->token = g_strdup (token);
      secret_password_free (token);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_KNOWN]);
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * inbox_account_load_token_async:
 *
 * Reads the token of the current server and user from the keyring. Finishes
 * TRUE with no token when the keyring has none; with an error when there
 * is no keyring to ask.
 */
void
inbox_account_load_token_async (InboxAccount        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyringCall *call;

  g_return_if_fail (INBOX_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_account_load_token_async);
  if (*self->server_url == '\0' || *self->user == '\0' || self->memory_only)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  call = keyring_call_new (self, cancellable, KEYRING_LOOKUP, self->server_url, self->user);
  keyring_call_start (g_steal_pointer (&task), call);
}

gboolean
inbox_account_load_token_finish (InboxAccount  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeyringCall *call = g_task_get_task_data (task);
  GError *error = keyring_call_error (call, clear_finish, result);

  /* the token is gone from memory and settings whatever the keyring says */
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * inbox_account_sign_out_async:
 *
 * Forgets the token (memory and keyring entry) and the user; the server
 * address stays, for the next sign-in.
 */
void
inbox_account_sign_out_async (InboxAccount        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *server = NULL, *user = NULL;
  KeyringCall *call;

  g_return_if_fail (INBOX_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_account_sign_out_async);

  server = g_strdup (self->server_url);
  user = g_steal_pointer (&self->user);
  self->user = g_strdup ("");
  clear_token (&self->token);
  g_clear_error (&self->keyring_error);
  write_settings (self);
  notify_all (self);

  if (self->memory_only)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  call = keyring_call_new (self, cancellable, KEYRING_CLEAR, server, user);
  keyring_call_start (g_steal_pointer (&task), call);
}

gboolean
inbox_account_sign_out_finish (InboxAccount  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
