/* inbox-media-cache.c
 *
 * Beside each cached file <hash> lies <hash>.meta, a key file with the URL,
 * the ETag, Last-Modified and the moment the copy stops being fresh. A
 * file's modification time is its last use: the LRU order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-media-cache"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <utime.h>

#include "inbox-media-cache.h"

#define DEFAULT_FRESHNESS (60 * 60) /* seconds, when the server says nothing */
#define READ_CHUNK        (64 * 1024)

/**
 * InboxMediaCache:
 *
 * Media by URL, as local files: what shows the pictures, GIFs, videos and
 * audio of the messages.
 *
 * An `http` or `https` URL is downloaded once into a folder of its own,
 * under a name that is a hash of the URL, with the server's `ETag`,
 * `Last-Modified` and freshness (`Cache-Control: max-age`, one hour when
 * the server says nothing) beside it. A fresh copy is used as it is; a
 * stale one is revalidated with a conditional request; a copy is used when
 * the server cannot be reached, so media stays visible offline.
 *
 * Each download is capped: %INBOX_MEDIA_CACHE_MAX_BYTES for pictures and
 * GIFs, %INBOX_MEDIA_CACHE_MAX_VIDEO_BYTES for video and audio unless set
 * otherwise; and the folder is kept under %INBOX_MEDIA_CACHE_TOTAL_BYTES by
 * dropping the copies used least recently
 * ([method@AppInbox.MediaCache.set_limits]).
 *
 * `file:` URLs and other schemes are never loaded. Paths relative to a
 * base folder are loaded only when one is set
 * ([method@AppInbox.MediaCache.set_base]), for payloads the user hands the
 * app from disk.
 *
 * A media cache is used from the thread that made it, whose thread-default
 * main context runs the callbacks; disk work runs in worker threads, and
 * nothing blocks the calling thread.
 */
struct _InboxMediaCache
{
  GObject      parent_instance;

  char        *dir;
  GFile       *base;
  SoupSession *session;
  guint64      max_video_bytes;
  guint64      total_bytes;
};

G_DEFINE_FINAL_TYPE (InboxMediaCache, inbox_media_cache, G_TYPE_OBJECT)

static void
inbox_media_cache_finalize (GObject *object)
{
  InboxMediaCache *self = (InboxMediaCache *) object;

  g_clear_pointer (&self->dir, g_free);
  g_clear_object (&self->base);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (inbox_media_cache_parent_class)->finalize (object);
}

static void
inbox_media_cache_class_init (InboxMediaCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = inbox_media_cache_finalize;
}

static void
inbox_media_cache_init (InboxMediaCache *self)
{
  self->max_video_bytes = INBOX_MEDIA_CACHE_MAX_VIDEO_BYTES;
  self->total_bytes = INBOX_MEDIA_CACHE_TOTAL_BYTES;
}

/**
 * inbox_media_cache_default_dir:
 *
 * The folder the app keeps its media in: `app-inbox/media` under
 * g_get_user_cache_dir() (`$XDG_CACHE_HOME`, in a Flatpak the app's own).
 * An embedding app may rather give a folder of its own cache to
 * [ctor@AppInbox.MediaCache.new].
 *
 * Returns: (transfer full) (type filename): the path of the folder
 */
char *
inbox_media_cache_default_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "app-inbox", "media", NULL);
}

/**
 * inbox_media_cache_remove_dir:
 * @path: (type filename): a folder
 *
 * Removes @path and everything in it (symbolic links are removed, never
 * followed). What cannot be removed stays; nothing is said.
 */
void
inbox_media_cache_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        inbox_media_cache_remove_dir (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

/**
 * inbox_media_cache_new:
 * @dir: (type filename): the folder to keep the media in; it is made on the
 *   first download
 *
 * Makes a media cache. It does no I/O until the first fetch.
 *
 * Returns: (transfer full): a new media cache
 */
InboxMediaCache *
inbox_media_cache_new (const char *dir)
{
  InboxMediaCache *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (INBOX_TYPE_MEDIA_CACHE, NULL);
  self->dir = g_strdup (dir);
  self->session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60, NULL);
  return self;
}

/**
 * inbox_media_cache_set_base:
 * @self: a media cache
 * @base: (nullable): the folder that relative media paths are read from,
 *   or %NULL to refuse them (the default)
 *
 * Lets media URLs that are relative paths (`media/banner.png`) load from
 * @base, as they are not downloaded. Set it only for payloads the user
 * handed the app from disk, whose folder the user trusts; never for
 * messages of a server.
 */
void
inbox_media_cache_set_base (InboxMediaCache *self,
                            GFile           *base)
{
  g_return_if_fail (INBOX_IS_MEDIA_CACHE (self));

  g_set_object (&self->base, base);
}

/**
 * inbox_media_cache_set_limits:
 * @self: a media cache
 * @max_video_bytes: the most bytes one video or audio file may have
 *   (%INBOX_MEDIA_CACHE_MAX_VIDEO_BYTES by default)
 * @total_bytes: the most bytes the folder keeps
 *   (%INBOX_MEDIA_CACHE_TOTAL_BYTES by default)
 *
 * Sets the size limits for the fetches that start afterwards. A download
 * past its cap fails with %G_IO_ERROR_MESSAGE_TOO_LARGE; after each
 * download, the copies used least recently are dropped until the folder
 * fits @total_bytes (the new one is kept, even when it alone is larger).
 * Pictures and GIFs are capped at %INBOX_MEDIA_CACHE_MAX_BYTES.
 */
void
inbox_media_cache_set_limits (InboxMediaCache *self,
                              guint64          max_video_bytes,
                              guint64          total_bytes)
{
  g_return_if_fail (INBOX_IS_MEDIA_CACHE (self));

  self->max_video_bytes = max_video_bytes;
  self->total_bytes = total_bytes;
}

typedef enum {
  COPY_MISSING,
  COPY_STALE,
  COPY_FRESH,
} CopyState;

typedef struct {
  char      *url;
  char      *path;       /* of the cached copy */
  char      *meta_path;
  guint64    max_bytes;
  CopyState  state;
  char      *etag;
  char      *last_modified;
  GBytes    *body;       /* what was downloaded */
  gint64     fresh_until;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->url);
  g_free (fetch->path);
  g_free (fetch->meta_path);
  g_free (fetch->etag);
  g_free (fetch->last_modified);
  g_clear_pointer (&fetch->body, g_bytes_unref);
  g_free (fetch);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* A use: the copy moves to the end of the LRU order. */
static void
touch (const char *path)
{
  if (utime (path, NULL) != 0)
    g_debug ("Could not mark %s as used: %s", path, g_strerror (errno));
}

/* In a thread: is there a copy, and is it fresh? */
static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Fetch *fetch = task_data;
  g_autoptr(GKeyFile) meta = g_key_file_new ();

  fetch->state = COPY_MISSING;
  if (!g_file_test (fetch->path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  fetch->state = COPY_STALE;
  if (g_key_file_load_from_file (meta, fetch->meta_path, G_KEY_FILE_NONE, NULL))
    {
      fetch->etag = g_key_file_get_string (meta, "media", "etag", NULL);
      fetch->last_modified = g_key_file_get_string (meta, "media", "last-modified", NULL);
      if (g_key_file_get_int64 (meta, "media", "fresh-until", NULL) > now_seconds ())
        fetch->state = COPY_FRESH;
    }
  touch (fetch->path);
  g_task_return_boolean (task, TRUE);
}

/* How long the server lets us keep it without asking again. */
static gint64
freshness (SoupMessage *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *cache_control = soup_message_headers_get_list (headers, "Cache-Control");
  g_autoptr(GHashTable) directives = NULL;
  const char *max_age;
  guint64 seconds;

  if (cache_control == NULL)
    return DEFAULT_FRESHNESS;

  directives = soup_header_parse_param_list (cache_control);
  if (g_hash_table_contains (directives, "no-cache") || g_hash_table_contains (directives, "no-store"))
    return 0;
  max_age = g_hash_table_lookup (directives, "max-age");
  if (max_age != NULL && g_ascii_string_to_unsigned (max_age, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds;
  return DEFAULT_FRESHNESS;
}

static void
remember_headers (Fetch       *fetch,
                  SoupMessage *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");

  if (etag != NULL)
    {
      g_free (fetch->etag);
      fetch->etag = g_strdup (etag);
    }
  if (last_modified != NULL)
    {
      g_free (fetch->last_modified);
      fetch->last_modified = g_strdup (last_modified);
    }
  fetch->fresh_until = now_seconds () + freshness (message);
}

typedef struct {
  char    *path;
  guint64  size;
  gint64   used;
} Entry;

static int
compare_oldest_first (gconstpointer a,
                      gconstpointer b)
{
  const Entry *x = a, *y = b;

  return (x->used > y->used) - (x->used < y->used);
}

/* Drops the least recently used copies until the folder fits (keeping @keep). */
static void
evict (const char *dir,
       guint64     total_bytes,
       const char *keep)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  guint64 total = 0;
  const char *name;

  if (folder == NULL)
    return;

  while ((name = g_dir_read_name (folder)) != NULL)
    {
      Entry entry;
      GStatBuf st;

      if (g_str_has_suffix (name, ".meta") || g_str_has_suffix (name, ".tmp"))
        continue;
      entry.path = g_build_filename (dir, name, NULL);
      if (g_stat (entry.path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_free (entry.path);
          continue;
        }
      entry.size = st.st_size;
      entry.used = st.st_mtime;
      total += entry.size;
      g_array_append_val (entries, entry);
    }

  g_array_sort (entries, compare_oldest_first);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      if (total > total_bytes && g_strcmp0 (entry->path, keep) != 0)
        {
          g_autofree char *meta = g_strconcat (entry->path, ".meta", NULL);

          if (g_unlink (entry->path) == 0)
            total -= entry->size;
          g_unlink (meta);
        }
      g_free (entry->path);
    }
}

static gboolean
write_meta (Fetch   *fetch,
            GError **error)
{
  g_autoptr(GKeyFile) meta = g_key_file_new ();

  g_key_file_set_string (meta, "media", "url", fetch->url);
  if (fetch->etag != NULL)
    g_key_file_set_string (meta, "media", "etag", fetch->etag);
  if (fetch->last_modified != NULL)
    g_key_file_set_string (meta, "media", "last-modified", fetch->last_modified);
  g_key_file_set_int64 (meta, "media", "fresh-until", fetch->fresh_until);
  return g_key_file_save_to_file (meta, fetch->meta_path, error);
}

/* In a thread: the download goes in whole (write and rename), then the
 * folder is trimmed to its size. */
static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  InboxMediaCache *self = source_object;
  Fetch *fetch = task_data;
  GError *error = NULL;

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               "Could not create the media folder %s: %s", self->dir, g_strerror (saved));
      return;
    }

  if (fetch->body != NULL &&
      !g_file_set_contents_full (fetch->path, g_bytes_get_data (fetch->body, NULL), g_bytes_get_size (fetch->body),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!write_meta (fetch, &error))
    {
      g_debug ("%s is cached without its headers: %s", fetch->url, error->message);
      g_clear_error (&error);
    }
  touch (fetch->path);

  evict (self->dir, self->total_bytes, fetch->path);
  g_task_return_pointer (task, g_file_new_for_path (fetch->path), g_object_unref);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GFile *file;

  file = g_task_propagate_pointer (G_TASK (result), &error);
  if (file == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, file, g_object_unref);
}

static void
store (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  GTask *thread;

  thread = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task), stored_cb, task);
  g_task_set_task_data (thread, fetch, NULL);
  g_task_run_in_thread (thread, store_thread);
  g_object_unref (thread);
}

/* The download failed: a copy we have is better than none (offline). */
static void
fail_or_use_copy (GTask  *task,
                  GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  if (fetch->state != COPY_MISSING && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Showing the cached copy of %s: %s", fetch->url, error->message);
      g_error_free (error);
      g_task_return_pointer (task, g_file_new_for_path (fetch->path), g_object_unref);
    }
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

typedef struct {
  GTask        *task;
  GByteArray   *buffer;
  GInputStream *stream;
} Reading;

static void read_more (Reading *reading);

/* A body left unread must be closed, or its connection lingers. */
static void
abandon (GInputStream *stream)
{
  if (stream != NULL && !g_input_stream_is_closed (stream))
    g_input_stream_close_async (stream, G_PRIORITY_LOW, NULL, NULL, NULL);
}

static void
reading_free (Reading *reading)
{
  abandon (reading->stream);
  g_clear_object (&reading->stream);
  g_clear_pointer (&reading->buffer, g_byte_array_unref);
  g_free (reading);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reading *reading = user_data;
  Fetch *fetch = g_task_get_task_data (reading->task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      GTask *task = reading->task;

      reading_free (reading);
      fail_or_use_copy (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "Could not download %s: %s",
                                           fetch->url, error->message));
      g_error_free (error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      GTask *task = reading->task;

      fetch->body = g_byte_array_free_to_bytes (g_steal_pointer (&reading->buffer));
      reading_free (reading);
      store (task);
      return;
    }

  g_byte_array_append (reading->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (reading->buffer->len > fetch->max_bytes)
    {
      GTask *task = reading->task;

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               "%s is larger than %" G_GUINT64_FORMAT " MB", fetch->url,
                               fetch->max_bytes / (1024 * 1024));
      reading_free (reading);
      g_object_unref (task);
      return;
    }

  read_more (reading);
}

static void
read_more (Reading *reading)
{
  g_input_stream_read_bytes_async (reading->stream, READ_CHUNK, G_PRIORITY_LOW,
                                   g_task_get_cancellable (reading->task), read_cb, reading);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;
  SoupMessage *message;
  Reading *reading;
  goffset length;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      GError *wrapped = g_error_new (error->domain, error->code, "Could not download %s: %s",
                                     fetch->url, error->message);
      g_error_free (error);
      fail_or_use_copy (task, wrapped);
      return;
    }

  message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_NOT_MODIFIED && fetch->state != COPY_MISSING)
    {
      /* our copy is still the server's: fresh again */
      remember_headers (fetch, message);
      store (task);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      abandon (stream);
      fail_or_use_copy (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                           "Could not download %s: the server answered %u %s",
                                           fetch->url, status, soup_message_get_reason_phrase (message)));
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (message));
  if (length > 0 && (guint64) length > fetch->max_bytes)
    {
      abandon (stream);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               "%s is larger than %" G_GUINT64_FORMAT " MB", fetch->url,
                               fetch->max_bytes / (1024 * 1024));
      g_object_unref (task);
      return;
    }

  remember_headers (fetch, message);
  reading = g_new0 (Reading, 1);
  reading->task = task;
  reading->stream = g_steal_pointer (&stream);
  reading->buffer = g_byte_array_sized_new (length > 0 ? (guint) length : READ_CHUNK);
  read_more (reading);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  InboxMediaCache *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (fetch->state == COPY_FRESH)
    {
      g_task_return_pointer (task, g_file_new_for_path (fetch->path), g_object_unref);
      g_object_unref (task);
      return;
    }

  message = soup_message_new (SOUP_METHOD_GET, fetch->url);
  if (message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid URL: %s", fetch->url);
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (message);
  if (fetch->state == COPY_STALE && fetch->etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", fetch->etag);
  if (fetch->state == COPY_STALE && fetch->last_modified != NULL)
    soup_message_headers_replace (headers, "If-Modified-Since", fetch->last_modified);

  soup_session_send_async (self->session, message, G_PRIORITY_LOW, g_task_get_cancellable (task), sent_cb, task);
}

/**
 * inbox_media_cache_fetch_async:
 * @self: a media cache
 * @url: a media URL of a message (`media.url`, `media.poster`, `icon.url`)
 * @kind: what the media is: video and audio may be larger than pictures
 * @cancellable: (nullable): a #GCancellable, or %NULL
 * @callback: (scope async): called when the file is there, or cannot be
 * @user_data: (closure): data for @callback
 *
 * Finds the media at @url as a local file: the cached copy of an `http` or
 * `https` URL (downloaded or revalidated when needed), or a path under the
 * base folder. Get the result with
 * [method@AppInbox.MediaCache.fetch_finish].
 */
void
inbox_media_cache_fetch_async (InboxMediaCache     *self,
                               const char          *url,
                               InboxMediaKind       kind,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *scheme = NULL;

  g_return_if_fail (INBOX_IS_MEDIA_CACHE (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_media_cache_fetch_async);

  scheme = g_uri_parse_scheme (url);
  if (scheme != NULL && (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0))
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
      Fetch *fetch = g_new0 (Fetch, 1);
      GTask *lookup;

      fetch->url = g_strdup (url);
      fetch->path = g_build_filename (self->dir, hash, NULL);
      fetch->meta_path = g_strconcat (fetch->path, ".meta", NULL);
      fetch->max_bytes = kind == INBOX_MEDIA_VIDEO || kind == INBOX_MEDIA_AUDIO
                           ? self->max_video_bytes : INBOX_MEDIA_CACHE_MAX_BYTES;
      g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

      lookup = g_task_new (self, cancellable, looked_up_cb, g_steal_pointer (&task));
      g_task_set_task_data (lookup, fetch, NULL);
      g_task_run_in_thread (lookup, lookup_thread);
      g_object_unref (lookup);
      return;
    }

  if (scheme == NULL && self->base != NULL)
    {
      g_autoptr(GFile) file = g_file_resolve_relative_path (self->base, url);

      g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
      return;
    }

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "Media from %s is not loaded: only http and https media are", url);
}

/**
 * inbox_media_cache_fetch_finish:
 * @self: a media cache
 * @result: the result given to the callback
 * @error: return location for a #GError, or %NULL
 *
 * Finishes [method@AppInbox.MediaCache.fetch_async]. The file is the
 * cache's: read it, do not change or delete it; it may be dropped by a
 * later fetch that needs the room.
 *
 * It fails with %G_IO_ERROR_PERMISSION_DENIED for a URL that is not
 * loaded (`file:`, `data:`, a relative path without a base folder),
 * %G_IO_ERROR_INVALID_ARGUMENT for a URL that is not one,
 * %G_IO_ERROR_MESSAGE_TOO_LARGE past the size cap and
 * %G_IO_ERROR_CANCELLED when cancelled. When the server cannot be reached
 * or answers other than 200 OK and there is no copy to fall back on, it
 * fails with %G_IO_ERROR_FAILED or the network's own error (a #GIOErrorEnum,
 * #GResolverError or #GTlsError). The message says which URL and why.
 *
 * Returns: (transfer full): the local file, or %NULL with @error set
 */
GFile *
inbox_media_cache_fetch_finish (InboxMediaCache  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * inbox_media_cache_get_size:
 * @self: a media cache
 *
 * The bytes of the cached copies. This reads the folder, on the calling
 * thread: for tests and tools, not for the main loop of an app.
 *
 * Returns: the size of the cached files, in bytes
 */
guint64
inbox_media_cache_get_size (InboxMediaCache *self)
{
  g_autoptr(GDir) folder = NULL;
  const char *name;
  guint64 total = 0;

  g_return_val_if_fail (INBOX_IS_MEDIA_CACHE (self), 0);

  folder = g_dir_open (self->dir, 0, NULL);
  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->dir, name, NULL);
      GStatBuf st;

      if (!g_str_has_suffix (name, ".meta") && g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
        total += st.st_size;
    }
  return total;
}
