/* inbox-media-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-media-cache"

#include <libsoup/soup.h>

#include "inbox-media-cache.h"

struct _InboxMediaCache
{
  GObject      parent_instance;

  char        *dir;
  GFile       *base;
  SoupSession *session;
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
}

/* $XDG_CACHE_HOME/app-inbox/media */
char *
inbox_media_cache_default_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "app-inbox", "media", NULL);
}

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
 * @base: (nullable): the folder that relative media paths are read from
 *
 * Only for payloads the user handed us from disk.
 */
void
inbox_media_cache_set_base (InboxMediaCache *self,
                            GFile           *base)
{
  g_return_if_fail (INBOX_IS_MEDIA_CACHE (self));

  g_set_object (&self->base, base);
}

static GFile *
cached_file (InboxMediaCache *self,
             const char      *url)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);

  return g_file_new_build_filename (self->dir, hash, NULL);
}

static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (source), g_object_unref);
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InboxMediaCache *self = g_task_get_source_object (task);
  const char *url = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "Could not download %s: %s", url, error->message);
      return;
    }

  message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  status = soup_message_get_status (message);
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "Could not download %s: the server answered %u %s",
                               url, status, soup_message_get_reason_phrase (message));
      return;
    }
  if (g_bytes_get_size (body) > INBOX_MEDIA_CACHE_MAX_BYTES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               "%s is larger than %d MB", url, INBOX_MEDIA_CACHE_MAX_BYTES / (1024 * 1024));
      return;
    }

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "Could not create the media folder %s", self->dir);
      return;
    }

  file = cached_file (self, url);
  g_file_replace_contents_bytes_async (file, body, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       g_task_get_cancellable (task), replaced_cb,
                                       g_steal_pointer (&task));
}

/**
 * inbox_media_cache_fetch_async:
 *
 * Finds the media at @url as a local file: the cached copy of an http(s)
 * URL (downloading it the first time), or a path under the base folder.
 */
void
inbox_media_cache_fetch_async (InboxMediaCache     *self,
                               const char          *url,
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
  g_task_set_task_data (task, g_strdup (url), g_free);

  scheme = g_uri_parse_scheme (url);
  if (scheme != NULL && (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0))
    {
      g_autoptr(GFile) file = cached_file (self, url);
      g_autoptr(SoupMessage) message = NULL;

      if (g_file_query_exists (file, NULL))
        {
          g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
          return;
        }

      message = soup_message_new (SOUP_METHOD_GET, url);
      if (message == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid URL: %s", url);
          return;
        }
      soup_session_send_and_read_async (self->session, message, G_PRIORITY_LOW, cancellable,
                                        downloaded_cb, g_steal_pointer (&task));
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
 *
 * Returns: (transfer full): the local file
 */
GFile *
inbox_media_cache_fetch_finish (InboxMediaCache  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
