/* inbox-notifier.c
 *
 * Watches a client's syncs: the ids of the store as a sync starts, and once
 * it succeeded, the unread, unexpired messages the store holds that were not
 * among them. When there are any, the window is not the active one and
 * notifications are on, one notification says so: the newest message's title
 * and text, or how many there are and the newest one's title. The newest
 * message's content is read in a worker thread first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-notifier"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-i18n.h"
#include "inbox-notifier-private.h"
#include "inbox-store-private.h"

/**
 * InboxNotifier:
 *
 * Tells the user, with one desktop notification, that a sync brought new
 * messages while they were looking elsewhere.
 *
 * A message is new when it was not in the [class@AppInbox.Store] as the sync
 * started (nor hidden behind an Undo): new to this device. Only the unread
 * ones that have not expired count, and the messages that come with a sign-in
 * (the inbox as it was before) are never new. One message gives a
 * notification with its title and text; several give "3 new messages" with
 * the newest one's title. Nothing is sent while
 * [property@AppInbox.Notifier:window-active] is set (the user sees the inbox)
 * or [property@AppInbox.Notifier:enabled] is off, and the notification shown
 * is taken back when the window becomes active.
 *
 * The notification is a [class@Gio.Notification] of the application
 * ([property@AppInbox.Notifier:application], or the default one), whose
 * default action is the application action [const@AppInbox.NOTIFIER_ACTION]
 * with the newest message's `_id`: it emits
 * [signal@AppInbox.Notifier::message-activated]. A
 * [iface@AppInbox.NotificationSink] takes the notifications instead, when
 * one is set.
 *
 * [class@AppInbox.View] has a notifier of its own (see
 * [method@AppInbox.View.get_notifier]), which follows its window and shows
 * the message when the notification is activated; an app that shows the
 * messages itself makes one with [ctor@AppInbox.Notifier.new].
 */
struct _InboxNotifier
{
  GObject                parent_instance;

  InboxClient           *client;
  InboxStore            *store;         /* the client's, as the last sync began */
  GHashTable            *known;         /* ids in @store as a sync began; NULL between syncs */
  InboxNotificationSink *sink;
  GApplication          *application;   /* weak */
  GApplication          *action_map;    /* weak: where the action was added */
  GSimpleAction         *action;
  GCancellable          *loading;       /* the newest message's content */
  gboolean               enabled;
  gboolean               window_active;
  gboolean               shown;         /* a notification is out */
};

G_DEFINE_FINAL_TYPE (InboxNotifier, inbox_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ENABLED,
  PROP_WINDOW_ACTIVE,
  PROP_SINK,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MESSAGE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- sending --- */

static GApplication *
get_application (InboxNotifier *self)
{
  return self->application != NULL ? self->application : g_application_get_default ();
}

static void
action_activate_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    InboxNotifier *self)
{
  inbox_notifier_activate_message (self, g_variant_get_string (parameter, NULL));
}

/* The notification's default action, in @application (unless it has one by
 * that name already). */
static void
add_action (InboxNotifier *self,
            GApplication  *application)
{
  if (self->action_map == application || g_action_map_lookup_action (G_ACTION_MAP (application),
                                                                     INBOX_NOTIFIER_ACTION) != NULL)
    return;

  if (self->action == NULL)
    {
      self->action = g_simple_action_new (INBOX_NOTIFIER_ACTION, G_VARIANT_TYPE_STRING);
      g_signal_connect_object (self->action, "activate", G_CALLBACK (action_activate_cb), self, 0);
    }
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (self->action));
  g_set_weak_pointer (&self->action_map, application);
}

static void
remove_action (InboxNotifier *self)
{
  if (self->action_map != NULL &&
      g_action_map_lookup_action (G_ACTION_MAP (self->action_map), INBOX_NOTIFIER_ACTION) == G_ACTION (self->action))
    g_action_map_remove_action (G_ACTION_MAP (self->action_map), INBOX_NOTIFIER_ACTION);
  g_clear_weak_pointer (&self->action_map);
}

static void
send (InboxNotifier *self,
      const char    *title,
      const char    *body,
      const char    *message_id)
{
  GApplication *application;
  g_autoptr(GNotification) notification = NULL;

  /* the action is there for a sink's notification too */
  application = get_application (self);
  if (application != NULL && g_application_get_is_registered (application))
    add_action (self, application);
  else
    application = NULL;

  self->shown = TRUE;
  if (self->sink != NULL)
    {
      inbox_notification_sink_send (self->sink, title, body, message_id);
      return;
    }
  if (application == NULL)
    {
      g_debug ("No registered application to send “%s” through", title);
      self->shown = FALSE;
      return;
    }

  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app." INBOX_NOTIFIER_ACTION, "s", message_id);
  g_application_send_notification (application, INBOX_NOTIFIER_NOTIFICATION_ID, notification);
}

static void
withdraw (InboxNotifier *self)
{
  GApplication *application;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (!self->shown)
    return;

  self->shown = FALSE;
  if (self->sink != NULL)
    {
      inbox_notification_sink_withdraw (self->sink);
      return;
    }
  application = get_application (self);
  if (application != NULL && g_application_get_is_registered (application))
    g_application_withdraw_notification (application, INBOX_NOTIFIER_NOTIFICATION_ID);
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* One message: its title and text; several: how many, and the newest one's
 * title. A carousel speaks with its first slide. */
static void
send_for (InboxNotifier *self,
          InboxMessage  *newest,
          guint          count)
{
  InboxContent *content = inbox_message_get_n_contents (newest) > 0 ? inbox_message_get_content (newest, 0) : NULL;
  const char *title = content != NULL ? inbox_content_get_title (content) : NULL;
  const char *text = content != NULL ? inbox_content_get_message (content) : NULL;
  g_autofree char *several = NULL;

  if (count == 1)
    {
      /* Translators: the title of the notification of one new message
       * that has no title of its own (a carousel of pictures) */
      send (self, has_text (title) ? title : _("New message"), has_text (text) ? text : NULL,
            inbox_message_get_id (newest));
      return;
    }

  /* Translators: the title of the notification of new messages */
  several = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new message", "%u new messages", count), count);
  send (self, several, has_text (title) ? title : NULL, inbox_message_get_id (newest));
}

typedef struct {
  InboxMessage *newest;
  guint         count;
} Pending;

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->newest);
  g_free (pending);
}

static void
content_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  InboxNotifier *self = g_task_get_source_object (task);
  Pending *pending = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* without it, the count and a plain title still say it */
  if (!inbox_store_load_content_finish (INBOX_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The content of %s could not be read: %s", inbox_message_get_id (pending->newest), error->message);
  if (g_task_return_error_if_cancelled (task))
    return;

  g_clear_object (&self->loading);
  /* the user may have come back while it loaded */
  if (self->enabled && !self->window_active)
    send_for (self, pending->newest, pending->count);
  g_task_return_boolean (task, TRUE);
}

/* What the sync brought that the store did not hold as it began. */
static void
announce_new (InboxNotifier *self,
              GHashTable    *known)
{
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GTask) task = NULL;
  InboxMessage *newest = NULL;
  Pending *pending;
  guint count = 0;
  gint64 now;

  if (!self->enabled || self->window_active)
    return;

  now = inbox_store_now (self->store);
  for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (self->store)); i < n; i++)
    {
      g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_hash_table_contains (known, inbox_message_get_id (message)) || inbox_message_get_read (message) ||
          inbox_message_is_expired (message, now))
        continue;
      count++;
      /* the store is newest first; the date decides all the same */
      if (newest == NULL || inbox_message_get_date (message) > inbox_message_get_date (newest))
        newest = message;
    }
  if (count == 0)
    return;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();

  pending = g_new0 (Pending, 1);
  pending->newest = g_object_ref (newest);
  pending->count = count;
  task = g_task_new (self, self->loading, NULL, NULL);
  g_task_set_source_tag (task, announce_new);
  g_task_set_task_data (task, pending, (GDestroyNotify) pending_free);

  one = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (one, g_object_ref (newest));
  inbox_store_load_content_async (self->store, one, self->loading, content_loaded_cb, g_steal_pointer (&task));
}

/* --- following the client --- */

static void
store_changed_cb (InboxNotifier *self)
{
  InboxStore *store = self->client != NULL ? inbox_client_get_store (self->client) : NULL;

  g_clear_pointer (&self->known, g_hash_table_unref);
  g_set_object (&self->store, store);
}

static void
add_id (GHashTable   *ids,
        InboxMessage *message)
{
  g_hash_table_add (ids, g_strdup (inbox_message_get_id (message)));
}

/* A sync begins: what the store holds now is known. */
static void
syncing_changed_cb (InboxNotifier *self)
{
  g_autoptr(GPtrArray) hidden = NULL;

  if (!inbox_client_get_syncing (self->client))
    return;

  store_changed_cb (self);
  if (self->store == NULL)
    return;

  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (self->store)); i < n; i++)
    {
      g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      add_id (self->known, message);
    }
  hidden = inbox_store_get_hidden (self->store);
  for (guint i = 0; i < hidden->len; i++)
    add_id (self->known, g_ptr_array_index (hidden, i));
}

static void
sync_finished_cb (InboxNotifier *self,
                  const GError  *error)
{
  g_autoptr(GHashTable) known = g_steal_pointer (&self->known);

  /* a failed sync changed nothing; a sign-in in between brought another store */
  if (error != NULL || known == NULL || self->store != inbox_client_get_store (self->client))
    return;

  announce_new (self, known);
}

/* --- the object --- */

static void
inbox_notifier_dispose (GObject *object)
{
  InboxNotifier *self = (InboxNotifier *) object;

  inbox_notifier_set_client (self, NULL);
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  remove_action (self);

  G_OBJECT_CLASS (inbox_notifier_parent_class)->dispose (object);
}

static void
inbox_notifier_finalize (GObject *object)
{
  InboxNotifier *self = (InboxNotifier *) object;

  g_clear_pointer (&self->known, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->sink);
  g_clear_object (&self->action);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (inbox_notifier_parent_class)->finalize (object);
}

static void
inbox_notifier_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  InboxNotifier *self = INBOX_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_WINDOW_ACTIVE:
      g_value_set_boolean (value, self->window_active);
      break;
    case PROP_SINK:
      g_value_set_object (value, self->sink);
      break;
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_notifier_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  InboxNotifier *self = INBOX_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      inbox_notifier_set_client (self, g_value_get_object (value));
      break;
    case PROP_ENABLED:
      inbox_notifier_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_WINDOW_ACTIVE:
      inbox_notifier_set_window_active (self, g_value_get_boolean (value));
      break;
    case PROP_SINK:
      inbox_notifier_set_sink (self, g_value_get_object (value));
      break;
    case PROP_APPLICATION:
      inbox_notifier_set_application (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_notifier_class_init (InboxNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = inbox_notifier_dispose;
  object_class->finalize = inbox_notifier_finalize;
  object_class->get_property = inbox_notifier_get_property;
  object_class->set_property = inbox_notifier_set_property;

  inbox_i18n_init ();  /* its texts are the library's to translate */

  /**
   * InboxNotifier:client:
   *
   * The inbox whose syncs are watched.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, INBOX_TYPE_CLIENT, flags);

  /**
   * InboxNotifier:enabled:
   *
   * Whether new messages are announced at all: the user's setting (App
   * Inbox binds its `notifications` key here). Turning it off takes back
   * the notification shown.
   */
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE, flags);

  /**
   * InboxNotifier:window-active:
   *
   * Whether the window that shows the inbox is the active one: then the
   * user sees new messages arrive, and nothing is sent; when it becomes
   * active, the notification shown is taken back. [class@AppInbox.View]
   * keeps it in step with its window.
   */
  properties[PROP_WINDOW_ACTIVE] =
    g_param_spec_boolean ("window-active", NULL, NULL, FALSE, flags);

  /**
   * InboxNotifier:sink:
   *
   * Where notifications go instead of the application, or %NULL.
   */
  properties[PROP_SINK] =
    g_param_spec_object ("sink", NULL, NULL, INBOX_TYPE_NOTIFICATION_SINK, flags);

  /**
   * InboxNotifier:application:
   *
   * The application that sends the notifications and has their action;
   * %NULL for the default application, g_application_get_default(). Not
   * referenced: the notifier does not keep it alive.
   */
  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InboxNotifier::message-activated:
   * @self: the notifier
   * @message_id: the `_id` of the message the notification was about
   *
   * The user activated the notification: show them the message.
   */
  signals[MESSAGE_ACTIVATED] =
    g_signal_new ("message-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
inbox_notifier_init (InboxNotifier *self)
{
  self->enabled = TRUE;
}

/**
 * inbox_notifier_new:
 * @client: (nullable): the inbox whose syncs to watch
 *
 * A notifier for @client, enabled, sending through the default
 * application.
 *
 * Returns: (transfer full): a new notifier
 */
InboxNotifier *
inbox_notifier_new (InboxClient *client)
{
  g_return_val_if_fail (client == NULL || INBOX_IS_CLIENT (client), NULL);

  return g_object_new (INBOX_TYPE_NOTIFIER, "client", client, NULL);
}

/**
 * inbox_notifier_get_client:
 * @self: a notifier
 *
 * Gets [property@AppInbox.Notifier:client].
 *
 * Returns: (transfer none) (nullable): the client watched
 */
InboxClient *
inbox_notifier_get_client (InboxNotifier *self)
{
  g_return_val_if_fail (INBOX_IS_NOTIFIER (self), NULL);

  return self->client;
}

/**
 * inbox_notifier_set_client:
 * @self: a notifier
 * @client: (nullable): the inbox whose syncs to watch
 *
 * Watches @client's syncs from now on.
 */
void
inbox_notifier_set_client (InboxNotifier *self,
                           InboxClient   *client)
{
  g_return_if_fail (INBOX_IS_NOTIFIER (self));
  g_return_if_fail (client == NULL || INBOX_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    {
      g_signal_connect_object (client, "notify::store", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::syncing", G_CALLBACK (syncing_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "sync-finished", G_CALLBACK (sync_finished_cb), self, G_CONNECT_SWAPPED);
    }
  store_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * inbox_notifier_get_enabled:
 * @self: a notifier
 *
 * Gets [property@AppInbox.Notifier:enabled].
 *
 * Returns: whether new messages are announced
 */
gboolean
inbox_notifier_get_enabled (InboxNotifier *self)
{
  g_return_val_if_fail (INBOX_IS_NOTIFIER (self), FALSE);

  return self->enabled;
}

/**
 * inbox_notifier_set_enabled:
 * @self: a notifier
 * @enabled: whether to announce new messages
 *
 * Sets [property@AppInbox.Notifier:enabled].
 */
void
inbox_notifier_set_enabled (InboxNotifier *self,
                            gboolean       enabled)
{
  g_return_if_fail (INBOX_IS_NOTIFIER (self));

  if (self->enabled == !!enabled)
    return;
  self->enabled = !!enabled;
  if (!enabled)
    withdraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

/**
 * inbox_notifier_get_window_active:
 * @self: a notifier
 *
 * Gets [property@AppInbox.Notifier:window-active].
 *
 * Returns: whether the inbox's window is the active one
 */
gboolean
inbox_notifier_get_window_active (InboxNotifier *self)
{
  g_return_val_if_fail (INBOX_IS_NOTIFIER (self), FALSE);

  return self->window_active;
}

/**
 * inbox_notifier_set_window_active:
 * @self: a notifier
 * @window_active: whether the inbox's window is the active one
 *
 * Sets [property@AppInbox.Notifier:window-active].
 */
void
inbox_notifier_set_window_active (InboxNotifier *self,
                                  gboolean       window_active)
{
  g_return_if_fail (INBOX_IS_NOTIFIER (self));

  if (self->window_active == !!window_active)
    return;
  self->window_active = !!window_active;
  if (window_active)
    withdraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_ACTIVE]);
}

/**
 * inbox_notifier_get_sink:
 * @self: a notifier
 *
 * Gets [property@AppInbox.Notifier:sink].
 *
 * Returns: (transfer none) (nullable): where notifications go, or %NULL for
 *   the application
 */
InboxNotificationSink *
inbox_notifier_get_sink (InboxNotifier *self)
{
  g_return_val_if_fail (INBOX_IS_NOTIFIER (self), NULL);

  return self->sink;
}

/**
 * inbox_notifier_set_sink:
 * @self: a notifier
 * @sink: (nullable): where notifications go, or %NULL for the application
 *
 * Sets [property@AppInbox.Notifier:sink].
 */
void
inbox_notifier_set_sink (InboxNotifier         *self,
                         InboxNotificationSink *sink)
{
  g_return_if_fail (INBOX_IS_NOTIFIER (self));
  g_return_if_fail (sink == NULL || INBOX_IS_NOTIFICATION_SINK (sink));

  if (self->sink == sink)
    return;
  withdraw (self);
  g_set_object (&self->sink, sink);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINK]);
}

/**
 * inbox_notifier_get_application:
 * @self: a notifier
 *
 * Gets [property@AppInbox.Notifier:application].
 *
 * Returns: (transfer none) (nullable): the application set, or %NULL for
 *   the default one
 */
GApplication *
inbox_notifier_get_application (InboxNotifier *self)
{
  g_return_val_if_fail (INBOX_IS_NOTIFIER (self), NULL);

  return self->application;
}

/**
 * inbox_notifier_set_application:
 * @self: a notifier
 * @application: (nullable): the application to send through, or %NULL for
 *   the default one
 *
 * Sets [property@AppInbox.Notifier:application].
 */
void
inbox_notifier_set_application (InboxNotifier *self,
                                GApplication  *application)
{
  g_return_if_fail (INBOX_IS_NOTIFIER (self));
  g_return_if_fail (application == NULL || G_IS_APPLICATION (application));

  if (self->application == application)
    return;
  withdraw (self);
  remove_action (self);
  g_set_weak_pointer (&self->application, application);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLICATION]);
}

/**
 * inbox_notifier_activate_message:
 * @self: a notifier
 * @message_id: the `_id` of the message the notification was about
 *
 * What the notification's default action does (a sink calls it when its
 * notification is activated): emits
 * [signal@AppInbox.Notifier::message-activated].
 */
void
inbox_notifier_activate_message (InboxNotifier *self,
                                 const char    *message_id)
{
  g_return_if_fail (INBOX_IS_NOTIFIER (self));
  g_return_if_fail (message_id != NULL);

  self->shown = FALSE;
  g_signal_emit (self, signals[MESSAGE_ACTIVATED], 0, message_id);
}

/* A notification is being made (the newest message's content is read):
 * until it is sent or given up, the tests cannot say that none comes. */
gboolean
inbox_notifier_is_pending (InboxNotifier *self)
{
  g_return_val_if_fail (INBOX_IS_NOTIFIER (self), FALSE);

  return self->loading != NULL;
}
