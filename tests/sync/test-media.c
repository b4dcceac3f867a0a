/* test-media.c: the media cache against a server the test controls:
 * conditional requests, offline copies, size caps, LRU, refused URLs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <utime.h>

#include "inbox-media-cache.h"
#include "test-util.h"

typedef struct {
  SoupServer      *server;
  char            *url;
  char            *dir;
  InboxMediaCache *media;
  guint            requests;
  guint            not_modified;
  char            *if_none_match;  /* of the last request */
  const char      *cache_control;
  gboolean         chunked;
} Fixture;

#define PICTURE "not really a PNG, but bytes to keep"

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  const char *etag = "\"v1\"";
  const char *given = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  f->requests++;
  g_free (f->if_none_match);
  f->if_none_match = g_strdup (given);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", f->cache_control);

  if (g_strcmp0 (given, etag) == 0)
    {
      f->not_modified++;
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  if (g_str_has_prefix (path, "/big"))
    {
      gsize size = 11 * 1024 * 1024;
      char *data = g_malloc0 (size);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      if (f->chunked)
        {
          /* no Content-Length: only counting tells the size */
          SoupMessageBody *body = soup_server_message_get_response_body (msg);

          soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
          soup_message_headers_set_content_type (headers, "video/webm", NULL);
          soup_message_body_append_take (body, (guchar *) data, size);
          soup_message_body_complete (body);
        }
      else
        soup_server_message_set_response (msg, "video/webm", SOUP_MEMORY_TAKE, data, size);
      return;
    }
  if (g_str_has_prefix (path, "/sized/"))
    {
      gsize size = g_ascii_strtoull (path + strlen ("/sized/"), NULL, 10);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_TAKE, g_malloc0 (size), size);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, PICTURE, strlen (PICTURE));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *media_dir = NULL;
  GSList *uris;

  f->dir = test_util_make_tmpdir ();
  media_dir = g_build_filename (f->dir, "media", NULL);
  f->media = inbox_media_cache_new (media_dir);
  f->cache_control = "max-age=3600";
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->media);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->url);
  g_free (f->if_none_match);
}


static GFile *
fetch (Fixture         *f,
       const char      *path,
       InboxMediaKind   kind,
       GError         **error)
{
  g_autofree char *url = g_str_has_prefix (path, "/") ? g_strconcat (f->url, path + 1, NULL) : g_strdup (path);
  g_autoptr(GAsyncResult) result = NULL;

  inbox_media_cache_fetch_async (f->media, url, kind, NULL, test_util_result_cb, &result);
  test_util_wait_result (&result);
  return inbox_media_cache_fetch_finish (f->media, result, error);
}

static char *
contents (GFile *file)
{
  char *data = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &data, NULL, NULL, NULL));
  return data;
}

/* Fresh: no request at all; stale: If-None-Match, and a 304 keeps the copy. */
static void
test_media_revalidates (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GFile) first = NULL, second = NULL, third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  first = fetch (f, "/a.png", INBOX_MEDIA_IMAGE, &error);
  g_assert_no_error (error);
  text = contents (first);
  g_assert_cmpstr (text, ==, PICTURE);
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_null (f->if_none_match);

  second = fetch (f, "/a.png", INBOX_MEDIA_IMAGE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (first, second));
  g_assert_cmpuint (f->requests, ==, 1);

  /* the server says: ask every time */
  f->cache_control = "no-cache";
  g_clear_object (&second);
  {
    g_autoptr(GFile) b = fetch (f, "/b.png", INBOX_MEDIA_IMAGE, &error);

    g_assert_no_error (error);
    third = fetch (f, "/b.png", INBOX_MEDIA_IMAGE, &error);
    g_assert_no_error (error);
    g_assert_true (g_file_equal (b, third));
    g_assert_cmpstr (f->if_none_match, ==, "\"v1\"");
    g_assert_cmpuint (f->not_modified, ==, 1);
  }
}

/* The server gone: a copy we have is shown, even a stale one. */
static void
test_media_offline (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) first = NULL, offline = NULL, missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  f->cache_control = "max-age=0";
  first = fetch (f, "/a.png", INBOX_MEDIA_IMAGE, &error);
  g_assert_no_error (error);

  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  offline = fetch (f, "/a.png", INBOX_MEDIA_IMAGE, &error);
  g_assert_no_error (error);
  text = contents (offline);
  g_assert_cmpstr (text, ==, PICTURE);

  missing = fetch (f, "/never-seen.png", INBOX_MEDIA_IMAGE, &error);
  g_assert_null (missing);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "never-seen.png"));
}

/* 10 MB for a picture, by its header or by counting; more for video. */
static void
test_media_caps (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) picture = NULL, chunked = NULL, video = NULL, small_video = NULL;
  g_autoptr(GError) error = NULL;

  picture = fetch (f, "/big.png", INBOX_MEDIA_IMAGE, &error);
  g_assert_null (picture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "10 MB"));
  g_clear_error (&error);

  f->chunked = TRUE;
  chunked = fetch (f, "/big-chunked.png", INBOX_MEDIA_IMAGE, &error);
  g_assert_null (chunked);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_clear_error (&error);

  /* the same size, chunked, is a video's to have */
  video = fetch (f, "/big.webm", INBOX_MEDIA_VIDEO, &error);
  g_assert_no_error (error);
  g_assert_nonnull (video);

  /* a lower cap for video, set by the app */
  inbox_media_cache_set_limits (f->media, 5 * 1024 * 1024, G_MAXUINT64);
  small_video = fetch (f, "/big-again.webm", INBOX_MEDIA_VIDEO, &error);
  g_assert_null (small_video);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
}

static void
age (GFile  *file,
     time_t  when)
{
  g_autofree char *path = g_file_get_path (file);
  struct utimbuf times = { when, when };

  g_assert_cmpint (utime (path, &times), ==, 0);
}

/* Over the total, the least recently used copies go. */
static void
test_media_lru (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) a = NULL, b = NULL, c = NULL, d = NULL, again = NULL;
  g_autoptr(GError) error = NULL;
  time_t now = time (NULL);

  inbox_media_cache_set_limits (f->media, G_MAXUINT64, 250 * 1024);
  a = fetch (f, "/sized/100000?a", INBOX_MEDIA_IMAGE, &error);
  b = fetch (f, "/sized/100000?b", INBOX_MEDIA_IMAGE, &error);
  g_assert_no_error (error);
  age (a, now - 300);
  age (b, now - 200);

  /* a is used again: b is now the oldest */
  again = fetch (f, "/sized/100000?a", INBOX_MEDIA_IMAGE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests, ==, 2);

  c = fetch (f, "/sized/100000?c", INBOX_MEDIA_IMAGE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (a, NULL));
  g_assert_false (g_file_query_exists (b, NULL));
  g_assert_true (g_file_query_exists (c, NULL));
  g_assert_cmpuint (inbox_media_cache_get_size (f->media), <=, 250 * 1024);

  /* one file larger than the whole cap is still shown, alone */
  inbox_media_cache_set_limits (f->media, G_MAXUINT64, 50 * 1024);
  d = fetch (f, "/sized/100000?d", INBOX_MEDIA_IMAGE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (d, NULL));
  g_assert_false (g_file_query_exists (a, NULL));
  g_assert_false (g_file_query_exists (c, NULL));
}

/* file:, data: and the like are never read from a payload. */
static void
test_media_refused (Fixture       *f,
                    gconstpointer  data)
{
  const char *urls[] = { "file:///etc/passwd", "data:image/png;base64,AAAA", "javascript:alert(1)", "relative/x.png" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = fetch (f, urls[i], INBOX_MEDIA_IMAGE, &error);

      g_assert_null (file);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
    }
  g_assert_cmpuint (f->requests, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/media-cache/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("revalidates", test_media_revalidates);
  ADD ("offline", test_media_offline);
  ADD ("caps", test_media_caps);
  ADD ("lru", test_media_lru);
  ADD ("refused", test_media_refused);
#undef ADD

  return g_test_run ();
}
