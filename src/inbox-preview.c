/* inbox-preview.c
 *
 * --preview FILE: the messages of a payload file in an inbox window, and the
 * window follows the file. An editor saves by writing in place or by
 * writing a new file and renaming it over the old one, so both the file and
 * its folder are watched; a burst of events is left to settle for
 * INBOX_PREVIEW_DEBOUNCE_MSEC before the file is read again. Reading and
 * parsing run in a thread, and so does the store's merge: a file of 10,000
 * messages never stalls the window.
 *
 * Each good read makes the window show what the file says, and changes only
 * what changed: a message whose text is as it was keeps its object (and its
 * row, so the list stays where it was scrolled to); one that changed or
 * left the file is first removed from the store outright, as the cache
 * removes a copy that has expired, so an earlier date or an unread state
 * shows as written and a message taken out and put back returns (a
 * deletion would leave a tombstone). A read that fails leaves the last good
 * messages on screen under a bar that says why (line and column for a JSON
 * error); the next good read takes the bar away.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-preview"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "inbox-client-private.h"
#include "inbox-payload.h"
#include "inbox-preview.h"

struct _InboxPreview
{
  GObject       parent_instance;

  InboxWindow  *window;
  GFile        *file;
  GFileMonitor *file_monitor;
  GFileMonitor *dir_monitor;
  GCancellable *cancellable;
  guint         debounce_source;

  GHashTable   *shown;        /* id → the JSON text of the last good read */
  GHashTable   *merging;      /* what it will be once the store has it */
  char         *error;
  char         *last_report;
  guint         n_loads;
  gboolean      loading;
  gboolean      pending;
  gboolean      loaded_once;
  gboolean      left_out;
  gboolean      window_gone;
};

G_DEFINE_FINAL_TYPE (InboxPreview, inbox_preview, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WINDOW,
  PROP_FILE,
  PROP_ERROR,
  PROP_N_LOADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  InboxMessage *x = *(InboxMessage **) a, *y = *(InboxMessage **) b;
  gint64 dx = inbox_message_get_date (x), dy = inbox_message_get_date (y);

  if (dx != dy)
    return dx > dy ? -1 : 1;
  return g_strcmp0 (inbox_message_get_id (x), inbox_message_get_id (y));
}

static char *
format_moment (gint64 epoch)
{
  g_autoptr(GDateTime) moment = g_date_time_new_from_unix_utc (epoch);

  return moment != NULL ? g_date_time_format_iso8601 (moment) : g_strdup_printf ("%" G_GINT64_FORMAT, epoch);
}

/**
 * inbox_preview_read_file:
 * @now: the moment expiry is judged at
 * @include_expired: whether expired messages are kept (and said so) or
 *   left out (and said so)
 * @report: where the lines for the terminal go: each warning, each message
 *   left out and why, each expired one and when it expired
 * @left_out: (out): whether an invalid message was left out
 *
 * The messages of a payload file as the inbox shows them, newest first.
 * The file is read whole first (not mapped: an editor may truncate it while
 * it is read). Runs in any thread.
 *
 * Returns: (transfer container) (element-type InboxMessage): the messages,
 *   or %NULL when the file cannot be read or is not a payload at all
 */
GPtrArray *
inbox_preview_read_file (const char  *filename,
                         gint64       now,
                         gboolean     include_expired,
                         GString     *report,
                         gboolean    *left_out,
                         GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  GPtrArray *messages;
  gsize length = 0;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (report != NULL, NULL);

  *left_out = FALSE;
  if (!g_file_get_contents (filename, &data, &length, error))
    return NULL;

  /* the warnings are said here, per message, rather than logged */
  items = inbox_payload_parse (data, length, now, INBOX_PAYLOAD_FLAGS_QUIET | INBOX_PAYLOAD_FLAGS_ANY_SHAPE,
                               &local_error);
  if (items == NULL)
    {
      g_autofree char *display = g_filename_display_name (filename);

      g_set_error (error, local_error->domain, local_error->code, "%s: %s", display, local_error->message);
      return NULL;
    }

  messages = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);

      if (item->message != NULL)
        {
          const char *id = inbox_message_get_id (item->message);

          for (const char * const *w = inbox_message_get_warnings (item->message); *w != NULL; w++)
            g_string_append_printf (report, "app-inbox: %s: %s\n", id, *w);

          if (inbox_message_is_expired (item->message, now))
            {
              gint64 expires = inbox_message_get_expires (item->message);
              g_autofree char *when = format_moment (expires);

              /* the inbox never shows it: neither does the preview */
              g_string_append_printf (report, "app-inbox: %s: %s: expired at %s (wzrk_ttl %" G_GINT64_FORMAT ")\n",
                                      id, include_expired ? "drawn, marked expired" : "left out",
                                      when, expires);
              if (!include_expired)
                continue;
            }

          g_ptr_array_add (messages, g_object_ref (item->message));
          continue;
        }

      *left_out = TRUE;
      if (item->id != NULL)
        g_string_append_printf (report, "app-inbox: %s: left out: %s\n", item->id, item->error->message);
      else
        g_string_append_printf (report, "app-inbox: #%u: left out: %s\n", item->index, item->error->message);
    }

  g_ptr_array_sort (messages, compare_newest_first);
  return messages;
}

/* --- reading the file again --- */

typedef struct {
  GPtrArray  *batch;      /* for the store: removals and what changed */
  GHashTable *shown;      /* id → JSON text, what the window will show */
  GString    *report;
  gboolean    left_out;
} ReadResult;

static void
read_result_free (ReadResult *result)
{
  g_clear_pointer (&result->batch, g_ptr_array_unref);
  g_clear_pointer (&result->shown, g_hash_table_unref);
  if (result->report != NULL)
    g_string_free (result->report, TRUE);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReadResult, read_result_free)

typedef struct {
  char       *filename;
  gint64      now;
  GHashTable *shown;      /* not changed while the thread runs */
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_free (data->filename);
  g_clear_pointer (&data->shown, g_hash_table_unref);
  g_free (data);
}

static char *
never_loaded (gpointer     user_data,
              const char  *id,
              GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s is no longer in the file", id);
  return NULL;
}

/* A copy of @id that has expired: the cache removes the stored message
 * outright when it is given one. */
static InboxMessage *
removal (const char *id)
{
  return inbox_message_new_lazy (id, 0, 1, FALSE, INBOX_TEMPLATE_SIMPLE, NULL, never_loaded, NULL, NULL);
}

/* What the store needs to go from @shown to @messages. */
static GPtrArray *
make_batch (GHashTable *shown,
            GPtrArray  *messages,
            GHashTable *current)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer id;

  for (guint i = 0; i < messages->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (messages, i);
      const char *was = g_hash_table_lookup (shown, inbox_message_get_id (message));
      const char *is = g_hash_table_lookup (current, inbox_message_get_id (message));

      if (was != NULL && g_strcmp0 (was, is) == 0)
        continue;
      if (was != NULL)
        g_ptr_array_add (batch, removal (inbox_message_get_id (message)));
      g_ptr_array_add (batch, g_object_ref (message));
    }

  g_hash_table_iter_init (&iter, shown);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (current, id))
      g_ptr_array_add (batch, removal (id));

  return batch;
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadData *data = task_data;
  g_autoptr(ReadResult) result = g_new0 (ReadResult, 1);
  g_autoptr(GPtrArray) messages = NULL;
  GError *error = NULL;

  result->report = g_string_new (NULL);
  messages = inbox_preview_read_file (data->filename, data->now, FALSE, result->report, &result->left_out, &error);
  if (messages == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  result->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < messages->len; i++)
    {
      InboxMessage *message = g_ptr_array_index (messages, i);

      g_hash_table_replace (result->shown, g_strdup (inbox_message_get_id (message)),
                            inbox_message_to_json (message, NULL));
    }
  result->batch = make_batch (data->shown, messages, result->shown);

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) read_result_free);
}

static void start_load (InboxPreview *self);

/* The error for the window: the file by its name alone (the title bar of
 * an editor says where it is; a whole path takes lines of a narrow bar). */
static char *
shorten (InboxPreview *self,
         const char   *error)
{
  g_autofree char *path = g_file_get_path (self->file);
  g_autofree char *display = path != NULL ? g_filename_display_name (path) : NULL;
  g_autofree char *base = g_file_get_basename (self->file);
  g_autofree char *base_display = base != NULL ? g_filename_display_name (base) : NULL;

  if (display != NULL && base_display != NULL && g_str_has_prefix (error, display) &&
      g_str_has_prefix (error + strlen (display), ": "))
    return g_strconcat (base_display, error + strlen (display), NULL);

  return g_strdup (error);
}

/* A read is over, good (@error %NULL) or not. */
static void
finish_load (InboxPreview *self,
             const char   *error)
{
  g_autofree char *shown = error != NULL ? shorten (self, error) : NULL;

  self->loading = FALSE;

  if (!self->window_gone)
    {
      if (error == NULL)
        {
          self->loaded_once = TRUE;
          inbox_window_set_preview_error (self->window, NULL);
          inbox_client_local_loaded (inbox_window_get_client (self->window), NULL);
        }
      else if (!self->loaded_once)
        {
          /* nothing good to keep on screen: the error page says why */
          inbox_client_local_loaded (inbox_window_get_client (self->window), shown);
        }
      else
        {
          inbox_window_set_preview_error (self->window, shown);
        }
    }

  if (g_strcmp0 (self->error, shown) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (shown);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  self->n_loads++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LOADS]);

  /* the file changed while it was read: read it again */
  if (self->pending && !self->window_gone)
    {
      self->pending = FALSE;
      start_load (self);
    }
}

static void
merged_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(InboxPreview) self = user_data;
  g_autoptr(GError) error = NULL;

  g_autoptr(GHashTable) merged = g_steal_pointer (&self->merging);

  if (!inbox_store_merge_finish (INBOX_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loading = FALSE;
          return;
        }
      g_printerr ("app-inbox: %s\n", error->message);
      finish_load (self, error->message);
      return;
    }

  g_clear_pointer (&self->shown, g_hash_table_unref);
  self->shown = g_steal_pointer (&merged);
  finish_load (self, NULL);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  InboxPreview *self = INBOX_PREVIEW (source);
  g_autoptr(ReadResult) read = NULL;
  g_autoptr(GError) error = NULL;
  InboxStore *store;

  read = g_task_propagate_pointer (G_TASK (result), &error);
  if (read == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loading = FALSE;
          return;
        }
      g_printerr ("app-inbox: %s\n", error->message);
      finish_load (self, error->message);
      return;
    }

  /* the same problems once on the terminal, not at every save */
  if (g_strcmp0 (self->last_report, read->report->str) != 0)
    {
      fputs (read->report->str, stderr);
      if (read->left_out && !self->window_gone)
        inbox_window_add_toast (self->window, _("Some messages are not valid: see the terminal"));
      g_free (self->last_report);
      self->last_report = g_strdup (read->report->str);
    }

  /* one transaction, in the store's thread */
  store = inbox_client_get_store (inbox_window_get_client (self->window));
  self->merging = g_steal_pointer (&read->shown);
  inbox_store_merge_async (store, read->batch, NULL, NULL, self->cancellable, merged_cb, g_object_ref (self));
}

static void
start_load (InboxPreview *self)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  if (self->window_gone)
    return;
  if (self->loading)
    {
      self->pending = TRUE;
      return;
    }

  data = g_new0 (ReadData, 1);
  data->filename = g_file_get_path (self->file);
  if (data->filename == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (self->file);
      g_autofree char *error = g_strdup_printf ("%s: not a local file", name);

      read_data_free (data);
      g_printerr ("app-inbox: %s\n", error);
      finish_load (self, error);
      return;
    }
  self->loading = TRUE;
  data->now = inbox_store_now (inbox_client_get_store (inbox_window_get_client (self->window)));
  data->shown = g_hash_table_ref (self->shown);

  task = g_task_new (self, self->cancellable, read_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  g_task_run_in_thread (task, read_thread);
}

/**
 * inbox_preview_reload:
 *
 * Reads the file now (or once the read under way is over).
 */
void
inbox_preview_reload (InboxPreview *self)
{
  g_return_if_fail (INBOX_IS_PREVIEW (self));

  g_clear_handle_id (&self->debounce_source, g_source_remove);
  start_load (self);
}

static gboolean
debounce_cb (gpointer user_data)
{
  InboxPreview *self = user_data;

  self->debounce_source = 0;
  start_load (self);
  return G_SOURCE_REMOVE;
}

static void
file_changed_cb (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other_file,
                 GFileMonitorEvent  event,
                 InboxPreview      *self)
{
  /* the folder says what happens to every file in it */
  if (!g_file_equal (file, self->file) && (other_file == NULL || !g_file_equal (other_file, self->file)))
    return;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    case G_FILE_MONITOR_EVENT_MOVED:
      break;
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    default:
      return;
    }

  /* a save is a burst of events: read once it is over */
  g_clear_handle_id (&self->debounce_source, g_source_remove);
  self->debounce_source = g_timeout_add (INBOX_PREVIEW_DEBOUNCE_MSEC, debounce_cb, self);
  g_source_set_name_by_id (self->debounce_source, "[inbox-preview] debounce");
}

static GFileMonitor *
monitor (InboxPreview *self,
         GFile        *file,
         gboolean      directory)
{
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor;

  if (directory)
    monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  else
    monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);

  if (monitor == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_printerr ("app-inbox: %s is not followed: %s\n", name, error->message);
      return NULL;
    }

  g_signal_connect_object (monitor, "changed", G_CALLBACK (file_changed_cb), self, 0);
  return monitor;
}

/**
 * inbox_preview_set_following:
 *
 * Whether a change to the file is shown (--screenshot shows the file as it
 * was at launch).
 */
void
inbox_preview_set_following (InboxPreview *self,
                             gboolean      following)
{
  g_return_if_fail (INBOX_IS_PREVIEW (self));

  if (!following || self->window_gone)
    {
      g_clear_handle_id (&self->debounce_source, g_source_remove);
      g_clear_object (&self->file_monitor);
      g_clear_object (&self->dir_monitor);
      return;
    }

  if (self->file_monitor == NULL)
    self->file_monitor = monitor (self, self->file, FALSE);
  if (self->dir_monitor == NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (self->file);

      if (parent != NULL)
        self->dir_monitor = monitor (self, parent, TRUE);
    }
}

static void
window_destroyed_cb (InboxPreview *self)
{
  self->window_gone = TRUE;
  g_cancellable_cancel (self->cancellable);
  inbox_preview_set_following (self, FALSE);
}

static gboolean
retry_cb (InboxPreview *self)
{
  inbox_preview_reload (self);
  return TRUE;
}

InboxWindow *
inbox_preview_get_window (InboxPreview *self)
{
  g_return_val_if_fail (INBOX_IS_PREVIEW (self), NULL);

  return self->window;
}

GFile *
inbox_preview_get_file (InboxPreview *self)
{
  g_return_val_if_fail (INBOX_IS_PREVIEW (self), NULL);

  return self->file;
}

/* Why the last read failed; %NULL when it was good. */
const char *
inbox_preview_get_error (InboxPreview *self)
{
  g_return_val_if_fail (INBOX_IS_PREVIEW (self), NULL);

  return self->error;
}

/* How many reads are over, good or not. */
guint
inbox_preview_get_n_loads (InboxPreview *self)
{
  g_return_val_if_fail (INBOX_IS_PREVIEW (self), 0);

  return self->n_loads;
}

static void
inbox_preview_constructed (GObject *object)
{
  InboxPreview *self = (InboxPreview *) object;

  G_OBJECT_CLASS (inbox_preview_parent_class)->constructed (object);

  g_signal_connect_object (self->window, "destroy", G_CALLBACK (window_destroyed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (inbox_window_get_client (self->window), "reload", G_CALLBACK (retry_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
inbox_preview_dispose (GObject *object)
{
  InboxPreview *self = (InboxPreview *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->debounce_source, g_source_remove);
  g_clear_object (&self->file_monitor);
  g_clear_object (&self->dir_monitor);

  G_OBJECT_CLASS (inbox_preview_parent_class)->dispose (object);
}

static void
inbox_preview_finalize (GObject *object)
{
  InboxPreview *self = (InboxPreview *) object;

  g_clear_object (&self->window);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_pointer (&self->merging, g_hash_table_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->last_report, g_free);

  G_OBJECT_CLASS (inbox_preview_parent_class)->finalize (object);
}

static void
inbox_preview_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  InboxPreview *self = INBOX_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_object (value, self->window);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_N_LOADS:
      g_value_set_uint (value, self->n_loads);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_preview_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  InboxPreview *self = INBOX_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      self->window = g_value_dup_object (value);
      break;
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_preview_class_init (InboxPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = inbox_preview_constructed;
  object_class->dispose = inbox_preview_dispose;
  object_class->finalize = inbox_preview_finalize;
  object_class->get_property = inbox_preview_get_property;
  object_class->set_property = inbox_preview_set_property;

  properties[PROP_WINDOW] =
    g_param_spec_object ("window", NULL, NULL, INBOX_TYPE_WINDOW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_LOADS] =
    g_param_spec_uint ("n-loads", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_preview_init (InboxPreview *self)
{
  self->cancellable = g_cancellable_new ();
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * inbox_preview_window_new:
 * @media: reads the file's media (paths relative to it)
 * @settings: (nullable): the app's settings, for the window
 *
 * A window for a preview: over an in-memory cache and a client without a
 * server, loading until the preview's first read.
 *
 * Returns: (transfer none): the window, owned by @application
 */
InboxWindow *
inbox_preview_window_new (GtkApplication  *application,
                          InboxMediaCache *media,
                          GSettings       *settings)
{
  g_autoptr(InboxCache) cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, NULL);
  g_autoptr(InboxStore) store = inbox_store_new (cache, "preview");
  g_autoptr(InboxClient) client = inbox_client_new_for_store (store, media, FALSE);

  return inbox_window_new (application, client, settings);
}

/**
 * inbox_preview_new:
 * @window: shows the file's messages; its store is emptied at each read
 * @file: the payload file
 *
 * Nothing is read until inbox_preview_reload(), nothing followed until
 * inbox_preview_set_following().
 */
InboxPreview *
inbox_preview_new (InboxWindow *window,
                   GFile       *file)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (window), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (INBOX_TYPE_PREVIEW, "window", window, "file", file, NULL);
}
