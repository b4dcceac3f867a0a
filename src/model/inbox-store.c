/* inbox-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-store"

#include "inbox-json.h"
#include "inbox-message-private.h"
#include "inbox-store-private.h"

struct _InboxStore
{
  GObject       parent_instance;

  InboxCache   *cache;
  char         *user;
  GPtrArray    *items;          /* InboxMessage, newest first */
  GHashTable   *by_id;          /* id → InboxMessage (borrowed from items) */
  GHashTable   *hidden;         /* id → InboxMessage: deleted on screen, not yet on disk */
  GHashTable   *last_events;    /* "type\x1fid" → gint64 time, for debouncing */
  guint         unread_count;
  gboolean      loaded;         /* the list has been read from the cache */

  InboxNowFunc  now_func;
  gpointer      now_data;
  guint         expiry_source;
};

/**
 * InboxStore:
 *
 * The current user's live messages, newest first, as a #GListModel of
 * #InboxMessage: all messages are the model's items (their count is
 * g_list_model_get_n_items()), the unread ones are counted by
 * #InboxStore:unread-count and listed by inbox_store_dup_unread(), and one
 * is found by its `_id` with inbox_store_lookup().
 *
 * The store says when the inbox has loaded (notify on #InboxStore:loaded)
 * and when it changed (#GListModel::items-changed, notify on
 * #InboxStore:n-items and #InboxStore:unread-count, and notify on each
 * message's #InboxMessage:read). Marking read or unread and deleting, for
 * one message, several or all, write to the on-device cache and its outbox
 * of events for the server first, all or nothing, then change the model.
 * inbox_store_record_viewed() and inbox_store_record_clicked() raise the
 * analytics events from code.
 *
 * Listed messages carry their list columns; their full content is loaded
 * in a worker thread when it is needed (inbox_store_load_content_async()),
 * never by a getter.
 *
 * A host app gets the store from its #InboxClient.
 */

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InboxStore, inbox_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_USER,
  PROP_UNREAD_COUNT,
  PROP_N_ITEMS,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
inbox_store_get_item_type (GListModel *model)
{
  return INBOX_TYPE_MESSAGE;
}

static guint
inbox_store_get_n_items (GListModel *model)
{
  return INBOX_STORE (model)->items->len;
}

static gpointer
inbox_store_get_item (GListModel *model,
                      guint       position)
{
  InboxStore *self = INBOX_STORE (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = inbox_store_get_item_type;
  iface->get_n_items = inbox_store_get_n_items;
  iface->get_item = inbox_store_get_item;
}

static void
inbox_store_dispose (GObject *object)
{
  InboxStore *self = (InboxStore *) object;

  g_clear_handle_id (&self->expiry_source, g_source_remove);

  G_OBJECT_CLASS (inbox_store_parent_class)->dispose (object);
}

static void
inbox_store_finalize (GObject *object)
{
  InboxStore *self = (InboxStore *) object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_pointer (&self->last_events, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->user, g_free);

  G_OBJECT_CLASS (inbox_store_parent_class)->finalize (object);
}

static void
inbox_store_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  InboxStore *self = INBOX_STORE (object);

  switch (prop_id)
    {
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread_count);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_store_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  InboxStore *self = INBOX_STORE (object);

  switch (prop_id)
    {
    case PROP_USER:
      self->user = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_store_class_init (InboxStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = inbox_store_dispose;
  object_class->finalize = inbox_store_finalize;
  object_class->get_property = inbox_store_get_property;
  object_class->set_property = inbox_store_set_property;

  /**
   * InboxStore:user:
   *
   * Whose messages the store lists (another user's stay in the cache,
   * unseen).
   */
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxStore:unread-count:
   *
   * How many of the live messages are unread; notified once per change,
   * however many messages a call changed.
   */
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxStore:n-items:
   *
   * How many live messages the store lists (g_list_model_get_n_items()).
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxStore:loaded:
   *
   * Whether the list has been read from the cache (by a load, an open or a
   * merge): %FALSE until then, %TRUE from then on. "The inbox has loaded"
   * is a notify on this property; "the inbox changed" is the
   * #GListModel::items-changed signal (and notify on #InboxStore:n-items and
   * #InboxStore:unread-count), with #GObject::notify on an #InboxMessage's
   * #InboxMessage:read for a read state.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_store_init (InboxStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->last_events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->now_func = inbox_now_real;
}

/**
 * inbox_store_new:
 * @user: whose messages; another user's stay in the cache, unseen
 */
InboxStore *
inbox_store_new (InboxCache *cache,
                 const char *user)
{
  InboxStore *self;

  g_return_val_if_fail (INBOX_IS_CACHE (cache), NULL);
  g_return_val_if_fail (user != NULL && *user != '\0', NULL);

  self = g_object_new (INBOX_TYPE_STORE, "user", user, NULL);
  self->cache = g_object_ref (cache);
  return self;
}

/* For tests: a clock other than the real one. */
void
inbox_store_set_clock (InboxStore   *self,
                       InboxNowFunc  now_func,
                       gpointer      now_data)
{
  g_return_if_fail (INBOX_IS_STORE (self));

  self->now_func = now_func != NULL ? now_func : inbox_now_real;
  self->now_data = now_data;
}

gint64
inbox_store_now (InboxStore *self)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), 0);

  return self->now_func (self->now_data);
}

InboxCache *
inbox_store_get_cache (InboxStore *self)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), NULL);

  return self->cache;
}

/**
 * inbox_store_get_user:
 * @self: a store
 *
 * The user whose inbox this is.
 *
 * Returns: whose messages the store lists (#InboxStore:user)
 */
const char *
inbox_store_get_user (InboxStore *self)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), NULL);

  return self->user;
}

/**
 * inbox_store_get_unread_count:
 * @self: a store
 *
 * The count of all messages is g_list_model_get_n_items() (or
 * #InboxStore:n-items).
 *
 * Returns: how many of the live (unexpired, not deleted) messages of the
 *   user are unread (#InboxStore:unread-count)
 */
guint
inbox_store_get_unread_count (InboxStore *self)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), 0);

  return self->unread_count;
}

static void
update_unread_count (InboxStore *self)
{
  guint count = 0;

  for (guint i = 0; i < self->items->len; i++)
    if (!inbox_message_get_read (g_ptr_array_index (self->items, i)))
      count++;

  if (count == self->unread_count)
    return;

  self->unread_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

static gboolean expiry_cb (gpointer user_data);

/* Wakes up at the next expiry moment, so that an expiring message leaves the
 * screen when it expires, not at the next launch. */
static void
schedule_expiry (InboxStore *self)
{
  gint64 now = inbox_store_now (self);
  gint64 next = 0;

  g_clear_handle_id (&self->expiry_source, g_source_remove);

  for (guint i = 0; i < self->items->len; i++)
    {
      gint64 expires = inbox_message_get_expires (g_ptr_array_index (self->items, i));

      if (expires > 0 && (next == 0 || expires < next))
        next = expires;
    }

  if (next == 0)
    return;

  self->expiry_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT_IDLE,
                                                    (guint) CLAMP (next - now, 1, G_MAXINT / 2),
                                                    expiry_cb, self, NULL);
  g_source_set_name_by_id (self->expiry_source, "[inbox-store] expiry");
}

/* Makes @messages the content of the model, with one items-changed for the
 * span that differs (objects that did not change are kept, so a scrolled list
 * stays where it is). */
static void
replace_items (InboxStore *self,
               GPtrArray  *messages)
{
  g_autoptr(GPtrArray) old = NULL;
  guint old_len, new_len;
  guint prefix = 0, suffix = 0;

  /* messages deleted on screen but not yet on disk stay out of view */
  for (guint i = messages->len; i > 0 && g_hash_table_size (self->hidden) > 0; i--)
    {
      InboxMessage *message = g_ptr_array_index (messages, i - 1);

      if (g_hash_table_contains (self->hidden, inbox_message_get_id (message)))
        g_ptr_array_remove_index (messages, i - 1);
    }

  old = g_steal_pointer (&self->items);
  old_len = old->len;
  new_len = messages->len;

  self->items = g_ptr_array_ref (messages);
  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < messages->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (messages, i);

      g_hash_table_insert (self->by_id, (gpointer) inbox_message_get_id (message), message);
    }

  while (prefix < old_len && prefix < new_len &&
         g_ptr_array_index (old, prefix) == g_ptr_array_index (messages, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         g_ptr_array_index (old, old_len - 1 - suffix) == g_ptr_array_index (messages, new_len - 1 - suffix))
    suffix++;

  if (old_len - prefix - suffix > 0 || new_len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_len - prefix - suffix, new_len - prefix - suffix);
  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  update_unread_count (self);
  schedule_expiry (self);
}

static void
set_loaded (InboxStore *self)
{
  if (self->loaded)
    return;

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/* Keeps the objects we already have for rows that did not change. */
static GPtrArray *
reuse_unchanged (InboxStore *self,
                 GPtrArray  *loaded,
                 GHashTable *changed_ids)
{
  for (guint i = 0; i < loaded->len; i++)
    {
      InboxMessage *fresh = g_ptr_array_index (loaded, i);
      const char *id = inbox_message_get_id (fresh);
      InboxMessage *known = g_hash_table_lookup (self->by_id, id);

      if (known == NULL || (changed_ids != NULL && g_hash_table_contains (changed_ids, id)))
        continue;

      inbox_message_set_read (known, inbox_message_get_read (fresh));
      g_ptr_array_index (loaded, i) = g_object_ref (known);
      g_object_unref (fresh);
    }

  return loaded;
}

/**
 * inbox_store_load:
 *
 * Reads the user's messages from the cache (list columns only; content is
 * parsed when first needed), purging the expired ones.
 */
gboolean
inbox_store_load (InboxStore  *self,
                  GError     **error)
{
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);

  loaded = inbox_cache_load_list (self->cache, self->user, inbox_store_now (self), error);
  if (loaded == NULL)
    return FALSE;

  replace_items (self, reuse_unchanged (self, loaded, NULL));
  set_loaded (self);
  return TRUE;
}

typedef struct {
  char   *user;
  gint64  now;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->user);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  InboxStore *self = source_object;
  LoadData *data = task_data;
  GError *error = NULL;
  GPtrArray *loaded;

  loaded = inbox_cache_load_list (self->cache, data->user, data->now, &error);
  if (loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loaded, (GDestroyNotify) g_ptr_array_unref);
}

/* inbox_store_load(), with the reading done in a thread. */
void
inbox_store_load_async (InboxStore          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (INBOX_IS_STORE (self));

  data = g_new0 (LoadData, 1);
  data->user = g_strdup (self->user);
  data->now = inbox_store_now (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_store_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
inbox_store_load_finish (InboxStore    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return FALSE;

  replace_items (self, reuse_unchanged (self, loaded, NULL));
  set_loaded (self);
  return TRUE;
}

/**
 * inbox_store_merge:
 * @messages: (element-type InboxMessage): valid messages, as parsed
 * @deleted_ids: (nullable): ids deleted elsewhere
 * @cursor: (nullable): the sync cursor that goes with this batch
 *
 * Applies a batch with the merge rules of docs/format.md section 4 (upsert by
 * _id, local read and delete win, expired ones not kept), all or nothing,
 * then updates the model in place.
 */
gboolean
inbox_store_merge (InboxStore          *self,
                   GPtrArray           *messages,
                   const char * const  *deleted_ids,
                   const char          *cursor,
                   GError             **error)
{
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  gint64 now;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);

  now = inbox_store_now (self);
  if (!inbox_cache_apply (self->cache, self->user, messages, deleted_ids, cursor, now, &changed, error))
    return FALSE;

  loaded = inbox_cache_load_list (self->cache, self->user, now, error);
  if (loaded == NULL)
    return FALSE;

  replace_items (self, reuse_unchanged (self, loaded, changed));
  set_loaded (self);
  return TRUE;
}

typedef struct {
  char       *user;
  gint64      now;
  GPtrArray  *messages;
  GStrv       deleted_ids;
  char       *cursor;
  GHashTable *changed;
} MergeData;

static void
merge_data_free (MergeData *data)
{
  g_free (data->user);
  g_clear_pointer (&data->messages, g_ptr_array_unref);
  g_strfreev (data->deleted_ids);
  g_free (data->cursor);
  g_clear_pointer (&data->changed, g_hash_table_unref);
  g_free (data);
}

static void
merge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  InboxStore *self = source_object;
  MergeData *data = task_data;
  GError *error = NULL;
  GPtrArray *loaded;

  if (!inbox_cache_apply (self->cache, data->user, data->messages, (const char * const *) data->deleted_ids,
                          data->cursor, data->now, &data->changed, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  loaded = inbox_cache_load_list (self->cache, data->user, data->now, &error);
  if (loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loaded, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * inbox_store_merge_async:
 *
 * inbox_store_merge(), with the writing and reading done in a thread (a
 * sync may bring thousands of messages). The model changes in place when it
 * finishes: rows that did not change keep their objects.
 */
void
inbox_store_merge_async (InboxStore          *self,
                         GPtrArray           *messages,
                         const char * const  *deleted_ids,
                         const char          *cursor,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MergeData *data;

  g_return_if_fail (INBOX_IS_STORE (self));

  data = g_new0 (MergeData, 1);
  data->user = g_strdup (self->user);
  data->now = inbox_store_now (self);
  data->messages = messages != NULL ? g_ptr_array_ref (messages) : NULL;
  data->deleted_ids = g_strdupv ((char **) deleted_ids);
  data->cursor = g_strdup (cursor);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_store_merge_async);
  g_task_set_task_data (task, data, (GDestroyNotify) merge_data_free);
  g_task_run_in_thread (task, merge_thread);
}

gboolean
inbox_store_merge_finish (InboxStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  MergeData *data;
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  replace_items (self, reuse_unchanged (self, loaded, data->changed));
  set_loaded (self);
  return TRUE;
}

/**
 * inbox_store_purge_expired:
 *
 * Removes the messages whose expiry has passed, from the model and from the
 * cache. Runs by itself at each expiry moment; call it after moving a test
 * clock.
 */
void
inbox_store_purge_expired (InboxStore *self)
{
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now;

  g_return_if_fail (INBOX_IS_STORE (self));

  now = inbox_store_now (self);
  kept = g_ptr_array_new_full (self->items->len, g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (self->items, i);

      if (!inbox_message_is_expired (message, now))
        g_ptr_array_add (kept, g_object_ref (message));
    }

  /* The rows go with the next read of the cache; an empty batch is one. */
  if (!inbox_cache_apply (self->cache, self->user, NULL, NULL, NULL, now, NULL, &error))
    g_debug ("Expired messages stay on disk until the next load: %s", error->message);

  if (kept->len != self->items->len)
    replace_items (self, kept);
  else
    schedule_expiry (self);
}

static gboolean
expiry_cb (gpointer user_data)
{
  InboxStore *self = user_data;

  self->expiry_source = 0;
  inbox_store_purge_expired (self);
  return G_SOURCE_REMOVE;
}

/**
 * inbox_store_lookup:
 * @self: a store
 * @id: a message's `_id`
 * @position: (out) (optional): where it is in the model
 *
 * Finds a message by its `_id`, without I/O (a hash lookup).
 *
 * Returns: (transfer none) (nullable): the live message with this `_id`, or
 *   %NULL when there is none
 */
InboxMessage *
inbox_store_lookup (InboxStore *self,
                    const char *id,
                    guint      *position)
{
  InboxMessage *message;

  g_return_val_if_fail (INBOX_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  message = g_hash_table_lookup (self->by_id, id);
  if (message != NULL && position != NULL)
    g_ptr_array_find (self->items, message, position);

  return message;
}

/**
 * inbox_store_set_read:
 * @self: a store
 * @message: a live message of @self
 * @read: read or unread
 * @error: return location for an error
 *
 * Marks read or unread: the cache and the outbox first, in one transaction,
 * then the message (#InboxMessage:read) and #InboxStore:unread-count. This
 * is the only way a message's read state changes. Nothing changes when the
 * write fails. For several messages, inbox_store_set_read_many().
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
inbox_store_set_read (InboxStore    *self,
                      InboxMessage  *message,
                      gboolean       read,
                      GError       **error)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);
  g_return_val_if_fail (INBOX_IS_MESSAGE (message), FALSE);

  if (!inbox_cache_set_read (self->cache, self->user, inbox_message_get_id (message), read,
                             inbox_store_now (self), error))
    return FALSE;

  inbox_message_set_read (message, read);
  update_unread_count (self);
  return TRUE;
}

/**
 * inbox_store_delete:
 * @self: a store
 * @message: a message of @self (live, or hidden by inbox_store_hide())
 * @error: return location for an error
 *
 * Deletes a message: the cache and the outbox first, in one transaction,
 * then the model. Nothing changes when the write fails. For several
 * messages, inbox_store_delete_many().
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
inbox_store_delete (InboxStore    *self,
                    InboxMessage  *message,
                    GError       **error)
{
  g_autoptr(InboxMessage) keep = NULL;
  guint position;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);
  g_return_val_if_fail (INBOX_IS_MESSAGE (message), FALSE);

  if (!inbox_cache_delete_message (self->cache, self->user, inbox_message_get_id (message),
                                   inbox_store_now (self), error))
    return FALSE;

  keep = g_object_ref (message);
  g_hash_table_remove (self->hidden, inbox_message_get_id (message));
  if (!g_ptr_array_find (self->items, message, &position))
    return TRUE;

  g_hash_table_remove (self->by_id, inbox_message_get_id (message));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  update_unread_count (self);
  return TRUE;
}

/**
 * inbox_store_dup_unread:
 * @self: a store
 *
 * The unread messages, newest first, as they are now: a snapshot, not a
 * live model. (The live view is the store itself with its
 * #InboxStore:unread-count; a host app that wants a live unread list filters
 * the store, e.g. with a `GtkFilterListModel`.)
 *
 * Returns: (transfer container) (element-type InboxMessage): the unread
 *   messages; the array holds a reference on each
 */
GPtrArray *
inbox_store_dup_unread (InboxStore *self)
{
  GPtrArray *unread;

  g_return_val_if_fail (INBOX_IS_STORE (self), NULL);

  unread = g_ptr_array_new_full (self->unread_count, g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (self->items, i);

      if (!inbox_message_get_read (message))
        g_ptr_array_add (unread, g_object_ref (message));
    }

  return unread;
}

/* The ids of @self's live messages that match @unread_only. */
static GStrv
live_ids (InboxStore *self,
          gboolean    unread_only)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->items->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (self->items, i);

      if (!unread_only || !inbox_message_get_read (message))
        g_strv_builder_add (builder, inbox_message_get_id (message));
    }

  return g_strv_builder_end (builder);
}

/* Fails unless every id names a live message (or, with @or_hidden, one
 * hidden for Undo). */
static gboolean
check_known (InboxStore          *self,
             const char * const  *ids,
             gboolean             or_hidden,
             GError             **error)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (!g_hash_table_contains (self->by_id, ids[i]) &&
        !(or_hidden && g_hash_table_contains (self->hidden, ids[i])))
      {
        g_set_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND,
                     "Message %s is not in the inbox", ids[i]);
        return FALSE;
      }

  return TRUE;
}

/**
 * inbox_store_set_read_many:
 * @self: a store
 * @ids: (array zero-terminated=1): the `_id`s of live messages
 * @read: read or unread
 * @error: return location for an error
 *
 * Marks several messages read or unread at once: in one cache transaction
 * with one batch of outbox events (a `read` or `unread` for each message
 * that changes), then the messages (each notifies #InboxMessage:read) and
 * one notify of #InboxStore:unread-count. All or nothing: when an id is not
 * a live message, or the write fails, nothing changes, in memory or on disk.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *   (%INBOX_CACHE_ERROR_NOT_FOUND for an unknown id)
 */
gboolean
inbox_store_set_read_many (InboxStore          *self,
                           const char * const  *ids,
                           gboolean             read,
                           GError             **error)
{
  g_autoptr(GPtrArray) changed = NULL;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);

  if (!check_known (self, ids, FALSE, error) ||
      !inbox_cache_set_read_many (self->cache, self->user, ids, read, inbox_store_now (self), &changed, error))
    return FALSE;

  for (guint i = 0; i < changed->len; i++)
    inbox_message_set_read (g_hash_table_lookup (self->by_id, g_ptr_array_index (changed, i)), read);
  update_unread_count (self);
  return TRUE;
}

/**
 * inbox_store_mark_all_read:
 * @self: a store
 * @error: return location for an error
 *
 * Marks every unread live message read: inbox_store_set_read_many() with
 * all of them, so one transaction and one burst of notifications, or
 * nothing at all.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
inbox_store_mark_all_read (InboxStore  *self,
                           GError     **error)
{
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);

  ids = live_ids (self, TRUE);
  return inbox_store_set_read_many (self, (const char * const *) ids, TRUE, error);
}

/* Takes the live messages whose ids are in @going out of the items in one
 * pass, with one items-changed for the span from the first to the last that
 * goes; with @hide, each goes into the hidden set (for Undo). */
static void
take_out_items (InboxStore *self,
                GHashTable *going,
                gboolean    hide)
{
  g_autoptr(GPtrArray) kept = NULL;
  guint first = G_MAXUINT, last = 0, n_gone = 0;

  if (g_hash_table_size (going) == 0)
    return;

  kept = g_ptr_array_new_full (self->items->len, g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (self->items, i);

      if (g_hash_table_contains (going, inbox_message_get_id (message)))
        {
          first = MIN (first, i);
          last = i;
          n_gone++;
          g_hash_table_remove (self->by_id, inbox_message_get_id (message));
          if (hide)
            g_hash_table_insert (self->hidden, (gpointer) inbox_message_get_id (message), g_object_ref (message));
        }
      else
        g_ptr_array_add (kept, g_object_ref (message));
    }

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_steal_pointer (&kept);
  g_list_model_items_changed (G_LIST_MODEL (self), first, last - first + 1, last - first + 1 - n_gone);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  update_unread_count (self);
}

/* Takes the messages of @ids out of the items and the hidden set, with one
 * items-changed for the span from the first to the last that goes. */
static void
remove_items (InboxStore         *self,
              const char * const *ids)
{
  g_autoptr(GHashTable) going = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_hash_table_remove (self->hidden, ids[i]);
      if (g_hash_table_contains (self->by_id, ids[i]))
        g_hash_table_add (going, (gpointer) ids[i]);
    }
  take_out_items (self, going, FALSE);
}

/**
 * inbox_store_delete_many:
 * @self: a store
 * @ids: (array zero-terminated=1): the `_id`s of live messages (or of
 *   messages hidden by inbox_store_hide())
 * @error: return location for an error
 *
 * Deletes several messages at once: in one cache transaction with one
 * batch of `deleted` outbox events, then one #GListModel::items-changed
 * (spanning the first to the last message that goes) and one notify each of
 * #InboxStore:n-items and #InboxStore:unread-count. All or nothing: when an
 * id is not in the store, or the write fails, nothing changes, in memory or
 * on disk.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *   (%INBOX_CACHE_ERROR_NOT_FOUND for an unknown id)
 */
gboolean
inbox_store_delete_many (InboxStore          *self,
                         const char * const  *ids,
                         GError             **error)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);

  if (!check_known (self, ids, TRUE, error) ||
      !inbox_cache_delete_many (self->cache, self->user, ids, inbox_store_now (self), NULL, error))
    return FALSE;

  remove_items (self, ids);
  return TRUE;
}

typedef struct {
  char   *user;
  gint64  now;
  GStrv   ids;
  gboolean read;
} ManyData;

static void
many_data_free (ManyData *data)
{
  g_free (data->user);
  g_strfreev (data->ids);
  g_free (data);
}

static void
delete_many_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  InboxStore *self = source_object;
  ManyData *data = task_data;
  GError *error = NULL;

  if (!inbox_cache_delete_many (self->cache, data->user, (const char * const *) data->ids, data->now, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* inbox_store_delete_many(), the cache's transaction in a worker thread
 * (a selection of thousands, written when its Undo toast goes): the
 * messages leave the model (and the hidden set) when it is done; nothing
 * changes when it fails. */
void
inbox_store_delete_many_async (InboxStore          *self,
                               const char * const  *ids,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ManyData *data;

  g_return_if_fail (INBOX_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_store_delete_many_async);
  if (!check_known (self, ids, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (ManyData, 1);
  data->user = g_strdup (self->user);
  data->now = inbox_store_now (self);
  data->ids = g_strdupv ((GStrv) ids);
  g_task_set_task_data (task, data, (GDestroyNotify) many_data_free);
  g_task_run_in_thread (task, delete_many_thread);
}

gboolean
inbox_store_delete_many_finish (InboxStore    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  ManyData *data;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  remove_items (self, (const char * const *) data->ids);
  return TRUE;
}

/**
 * inbox_store_delete_all:
 * @self: a store
 * @error: return location for an error
 *
 * Deletes every live message: inbox_store_delete_many() with all of them,
 * so one transaction and one #GListModel::items-changed, or nothing at all.
 * Messages hidden for Undo are left to the one who hid them.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
inbox_store_delete_all (InboxStore  *self,
                        GError     **error)
{
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);

  ids = live_ids (self, FALSE);
  return inbox_store_delete_many (self, (const char * const *) ids, error);
}

static void
load_content_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!inbox_message_load_contents_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * inbox_store_load_content_async:
 * @self: a store
 * @messages: (element-type InboxMessage): messages of @self
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the content is at hand
 * @user_data: data for @callback
 *
 * Loads the full content of @messages (those that do not have it yet): the
 * stored JSON is read and parsed in a worker thread, and attached to each
 * message on the main thread before @callback runs. From then on the
 * content getters of these messages answer (inbox_message_is_loaded()),
 * for as long as the messages live. The list does this by itself for the
 * cards it shows; a host app calls it before reading, say,
 * inbox_message_get_custom_kv() of messages it has not shown. A message
 * whose stored JSON cannot be parsed counts as loaded, with empty content;
 * inbox_message_load() then says why.
 */
void
inbox_store_load_content_async (InboxStore          *self,
                                GPtrArray           *messages,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (INBOX_IS_STORE (self));
  g_return_if_fail (messages != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_store_load_content_async);
  inbox_message_load_contents_async (messages, TRUE, cancellable, load_content_cb, g_steal_pointer (&task));
}

/**
 * inbox_store_load_content_finish:
 * @self: a store
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Finishes inbox_store_load_content_async().
 *
 * Returns: %TRUE when the content is at hand, %FALSE with @error set (only
 *   when cancelled)
 */
gboolean
inbox_store_load_content_finish (InboxStore    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The position @message would have among the items, newest first. */
static guint
sorted_position (InboxStore   *self,
                 InboxMessage *message)
{
  guint low = 0, high = self->items->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      InboxMessage *other = g_ptr_array_index (self->items, mid);
      gint64 a = inbox_message_get_date (other), b = inbox_message_get_date (message);

      if (a > b || (a == b && g_strcmp0 (inbox_message_get_id (other), inbox_message_get_id (message)) < 0))
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

/**
 * inbox_store_hide:
 *
 * Takes a message off the list at once, without deleting it yet: the window
 * offers Undo, then calls inbox_store_delete() (or inbox_store_unhide()).
 * A hidden message is not counted as unread.
 */
void
inbox_store_hide (InboxStore   *self,
                  InboxMessage *message)
{
  guint position;

  g_return_if_fail (INBOX_IS_STORE (self));
  g_return_if_fail (INBOX_IS_MESSAGE (message));

  if (!g_ptr_array_find (self->items, message, &position))
    return;

  g_hash_table_insert (self->hidden, (gpointer) inbox_message_get_id (message), g_object_ref (message));
  g_hash_table_remove (self->by_id, inbox_message_get_id (message));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  update_unread_count (self);
}

/* Puts a hidden message back where it belongs. */
void
inbox_store_unhide (InboxStore   *self,
                    InboxMessage *message)
{
  guint position;

  g_return_if_fail (INBOX_IS_STORE (self));
  g_return_if_fail (INBOX_IS_MESSAGE (message));

  if (!g_hash_table_steal (self->hidden, inbox_message_get_id (message)))
    return;

  position = sorted_position (self, message);
  g_ptr_array_insert (self->items, position, message);  /* takes the hidden table's ref */
  g_hash_table_insert (self->by_id, (gpointer) inbox_message_get_id (message), message);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  update_unread_count (self);
}

/**
 * inbox_store_hide_many:
 * @ids: (array zero-terminated=1): the `_id`s of live messages
 *
 * inbox_store_hide() for several messages at once (a selection): one pass
 * over the items and one #GListModel::items-changed spanning the first to
 * the last that goes, so that hiding thousands costs what hiding one does
 * times the length of the list, not its square. Ids that are not live are
 * skipped.
 */
void
inbox_store_hide_many (InboxStore         *self,
                       const char * const *ids)
{
  g_autoptr(GHashTable) going = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (INBOX_IS_STORE (self));

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (g_hash_table_contains (self->by_id, ids[i]))
      g_hash_table_add (going, (gpointer) ids[i]);
  take_out_items (self, going, TRUE);
}

/* Newest first, as the items are. */
static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  InboxMessage *ma = *(InboxMessage **) a, *mb = *(InboxMessage **) b;
  gint64 da = inbox_message_get_date (ma), db = inbox_message_get_date (mb);

  if (da != db)
    return da > db ? -1 : 1;
  return g_strcmp0 (inbox_message_get_id (ma), inbox_message_get_id (mb));
}

/**
 * inbox_store_unhide_many:
 * @ids: (array zero-terminated=1): the `_id`s of hidden messages
 *
 * inbox_store_unhide() for several messages at once (the Undo of a
 * selection's delete): the messages go back where they belong in one merge,
 * with one #GListModel::items-changed. Ids that are not hidden are skipped.
 */
void
inbox_store_unhide_many (InboxStore         *self,
                         const char * const *ids)
{
  g_autoptr(GPtrArray) back = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) merged = NULL;
  guint first = G_MAXUINT, last = 0, i = 0, j = 0;
  guint old_len;

  g_return_if_fail (INBOX_IS_STORE (self));

  for (guint k = 0; ids != NULL && ids[k] != NULL; k++)
    {
      gpointer key, value;

      if (g_hash_table_steal_extended (self->hidden, ids[k], &key, &value))
        g_ptr_array_add (back, value);  /* takes the hidden table's ref */
    }
  if (back->len == 0)
    return;

  g_ptr_array_sort (back, compare_newest_first);
  old_len = self->items->len;
  merged = g_ptr_array_new_full (old_len + back->len, g_object_unref);
  while (i < old_len || j < back->len)
    {
      InboxMessage *message;

      if (j < back->len &&
          (i == old_len || compare_newest_first (&g_ptr_array_index (back, j), &g_ptr_array_index (self->items, i)) < 0))
        {
          message = g_ptr_array_index (back, j++);
          first = MIN (first, merged->len);
          last = merged->len;
          g_hash_table_insert (self->by_id, (gpointer) inbox_message_get_id (message), message);
        }
      else
        message = g_ptr_array_index (self->items, i++);
      g_ptr_array_add (merged, g_object_ref (message));
    }

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_steal_pointer (&merged);
  /* the span from the first to the last message back: its old part is what
   * now sits between them, less the ones that came back */
  g_list_model_items_changed (G_LIST_MODEL (self), first, last - first + 1 - back->len, last - first + 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  update_unread_count (self);
}

/**
 * inbox_store_get_hidden:
 *
 * Returns: (transfer container) (element-type InboxMessage): the messages
 *   hidden and waiting for inbox_store_delete()
 */
GPtrArray *
inbox_store_get_hidden (InboxStore *self)
{
  GPtrArray *hidden;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (INBOX_IS_STORE (self), NULL);

  hidden = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->hidden);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (hidden, g_object_ref (value));

  return hidden;
}

/* (transfer none) (nullable): a hidden message, by id */
InboxMessage *
inbox_store_lookup_hidden (InboxStore *self,
                           const char *id)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), NULL);

  return g_hash_table_lookup (self->hidden, id);
}

typedef struct {
  InboxCache  *cache;
  char        *user;
  InboxSearch *search;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_clear_object (&data->cache);
  g_free (data->user);
  g_clear_object (&data->search);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  ids = inbox_cache_search (data->cache, data->user, data->search, &error);
  if (ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (found, g_steal_pointer (&ids->pdata[i]));
  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_hash_table_unref);
}

/**
 * inbox_store_search_async:
 * @search: the words to look for
 *
 * Searches the cache in a worker thread (inbox_cache_search()): the ids of
 * the store's messages that match every word of @search.
 */
void
inbox_store_search_async (InboxStore          *self,
                          InboxSearch         *search,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (INBOX_IS_STORE (self));
  g_return_if_fail (INBOX_IS_SEARCH (search));

  data = g_new0 (SearchData, 1);
  data->cache = g_object_ref (self->cache);
  data->user = g_strdup (self->user);
  data->search = g_object_ref (search);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_store_search_async);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_run_in_thread (task, search_thread);
}

/**
 * inbox_store_search_finish:
 *
 * Returns: (transfer full) (element-type utf8 utf8): the set of the
 *   matching ids, or %NULL with @error
 */
GHashTable *
inbox_store_search_finish (InboxStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Writes an analytics event with every wzrk_* field of the message (and the
 * button's label as wzrk_c2a), unless the same event for the same message
 * was written less than @debounce seconds ago. */
static gboolean
record_event (InboxStore    *self,
              InboxMessage  *message,
              const char    *type,
              const char    *button_text,
              gint64         debounce,
              GError       **error)
{
  g_autofree char *key = g_strconcat (type, "\x1f", inbox_message_get_id (message), NULL);
  g_autoptr(JsonObject) props = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *props_json = NULL;
  gint64 now = inbox_store_now (self);
  gint64 *last = g_hash_table_lookup (self->last_events, key);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *wzrk = NULL;

  if (last != NULL && now - *last < debounce)
    return FALSE;

  if (inbox_message_is_loaded (message))
    wzrk = inbox_message_get_wzrk_fields (message);
  else
    {
      /* raised from code for a message not shown: read its fields from
       * the stored JSON, as part of this write */
      g_autofree char *stored = inbox_cache_load_json (self->cache, self->user, inbox_message_get_id (message), NULL);

      if (stored != NULL)
        {
          JsonNode *root;

          parser = json_parser_new_immutable ();
          if (json_parser_load_from_data (parser, stored, -1, NULL) &&
              (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
            wzrk = json_node_get_object (root);
        }
    }
  if (wzrk != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init (&iter, wzrk);
      while (json_object_iter_next (&iter, &member, &value))
        if (g_str_has_prefix (member, "wzrk_"))
          json_object_set_member (props, member, json_node_copy (value));
    }
  if (button_text != NULL)
    json_object_set_string_member (props, "wzrk_c2a", button_text);

  node = json_node_init_object (json_node_alloc (), props);
  props_json = inbox_json_to_string (node);

  if (!inbox_cache_add_event (self->cache, self->user, type, inbox_message_get_id (message),
                              props_json, now, error))
    return FALSE;

  g_hash_table_insert (self->last_events, g_steal_pointer (&key), g_memdup2 (&now, sizeof now));
  return TRUE;
}

/**
 * inbox_store_record_viewed:
 * @self: a store
 * @message: a message of @self
 * @error: return location for an error
 *
 * Raises the "Notification Viewed" event for @message from code, as the
 * list does when a card has been on screen: queued in the outbox with every
 * `wzrk_*` field of the message, sent with the next sync. A repeat for the
 * same message within %INBOX_STORE_VIEWED_DEBOUNCE seconds is dropped.
 *
 * Returns: %TRUE when written; %FALSE when dropped as a repeat (no error)
 *   or when the write failed (@error set)
 */
gboolean
inbox_store_record_viewed (InboxStore    *self,
                           InboxMessage  *message,
                           GError       **error)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);
  g_return_val_if_fail (INBOX_IS_MESSAGE (message), FALSE);

  return record_event (self, message, "Notification Viewed", NULL, INBOX_STORE_VIEWED_DEBOUNCE, error);
}

/**
 * inbox_store_record_clicked:
 * @self: a store
 * @message: a message of @self
 * @button_text: (nullable): the button's label, for a button click (sent as
 *   `wzrk_c2a`); %NULL for a click on the card
 * @error: return location for an error
 *
 * Raises the "Notification Clicked" event for @message from code, as the
 * list does on a click; as inbox_store_record_viewed(), with repeats within
 * %INBOX_STORE_CLICKED_DEBOUNCE seconds dropped.
 *
 * Returns: %TRUE when written; %FALSE when dropped as a repeat (no error)
 *   or when the write failed (@error set)
 */
gboolean
inbox_store_record_clicked (InboxStore    *self,
                            InboxMessage  *message,
                            const char    *button_text,
                            GError       **error)
{
  g_return_val_if_fail (INBOX_IS_STORE (self), FALSE);
  g_return_val_if_fail (INBOX_IS_MESSAGE (message), FALSE);

  return record_event (self, message, "Notification Clicked", button_text, INBOX_STORE_CLICKED_DEBOUNCE, error);
}

typedef struct {
  char       *path;
  char       *user;
  gint64      now;
  InboxCache *cache;
  GPtrArray  *loaded;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data->user);
  g_clear_object (&data->cache);
  g_clear_pointer (&data->loaded, g_ptr_array_unref);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;

  data->cache = inbox_cache_new (data->path, &error);
  if (data->cache != NULL)
    data->loaded = inbox_cache_load_list (data->cache, data->user, data->now, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * inbox_store_open_async:
 *
 * Opens the cache at @path and reads @user's list in one go in a thread:
 * what a launch needs before its first frame, started as early as it can
 * be (the app starts it before GTK is up).
 */
void
inbox_store_open_async (const char          *path,
                        const char          *user,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (user != NULL && *user != '\0');

  data = g_new0 (OpenData, 1);
  data->path = g_strdup (path);
  data->user = g_strdup (user);
  data->now = inbox_now_real (NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_store_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * inbox_store_open_finish:
 *
 * Returns: (transfer full): the store, loaded; its cache says whether a
 *   damaged file was moved aside
 */
InboxStore *
inbox_store_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  OpenData *data;
  InboxStore *self;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  self = inbox_store_new (data->cache, data->user);
  replace_items (self, data->loaded);
  set_loaded (self);
  return self;
}
