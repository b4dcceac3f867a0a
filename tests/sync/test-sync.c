/* test-sync.c: the app's sync against a server the test controls: pages,
 * the outbox, every kind of failure (nothing reaches the cache), retries
 * with backoff, and the app binary killed mid-sync and mid-flush
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "inbox-sync.h"
#include "test-util.h"

#define USER  "alice"
#define TOKEN "alice-token"
#define START ((gint64) 1716500000)

/* The fault server */

typedef struct {
  guint    status;
  char    *body;
  guint    delay_ms;
  gboolean cut;     /* the connection closes in the middle of the body */
  gboolean hang;    /* never answers (until the test ends) */
  gboolean endless; /* @body, then messages in chunks for as long as they are read */
  guint    trickle_ms; /* with endless: one small chunk each trickle_ms */
  goffset  announced; /* a Content-Length this large, then @body, then nothing */
  const char *location; /* with a 3xx status: where it sends the client */
} Reply;

typedef struct {
  SoupServer *server;
  char       *url;
  GQueue      inbox_replies;  /* Reply *, in order; then "empty page" */
  GQueue      event_replies;  /* Reply *, in order; then 200 */
  GPtrArray  *inbox_queries;  /* the since= of each GET, "" for none */
  GPtrArray  *event_bodies;   /* each POST body */
  GPtrArray  *paused;         /* hanging messages */
  GPtrArray  *held;           /* GIOStream: connections left open */
  GPtrArray  *trickles;       /* Trickle: bodies that never end */
  GPtrArray  *delays;         /* Delay: messages answered later */
  guint64     streamed;       /* bytes of endless bodies written to the network */
  guint64     streamed_stop;  /* an endless body ends here (a test ends, even against a bad client) */
} Fault;

static void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_free (reply);
}

static Reply *
reply_new (guint       status,
           const char *body)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = status;
  reply->body = g_strdup (body);
  return reply;
}

static char *
page (const char *user,
      const char *cursor,
      gboolean    more,
      const char *messages,
      const char *deleted)
{
  return g_strdup_printf ("{\"user\": \"%s\", \"cursor\": \"%s\", \"more\": %s, \"inbox_notifs\": [%s], \"deleted\": [%s]}",
                          user, cursor, more ? "true" : "false", messages, deleted != NULL ? deleted : "");
}

static char *
message (const char *id,
         gint64      date,
         const char *title)
{
  return g_strdup_printf ("{\"_id\": \"%s\", \"date\": %" G_GINT64_FORMAT ", \"wzrk_id\": \"w-%s\", \"msg\": {\"type\": \"simple\","
                          " \"content\": [{\"title\": {\"text\": \"%s\"}, \"message\": {\"text\": \"Body\"}}]}}",
                          id, date, id, title);
}

static void
queue_page (GQueue     *queue,
            const char *cursor,
            gboolean    more,
            const char *messages,
            const char *deleted)
{
  g_autofree char *body = page (USER, cursor, more, messages, deleted);

  g_queue_push_tail (queue, reply_new (200, body));
}

/* An endless body: each chunk written is followed by another, until the
 * client stops reading (or the hard stop, so that a client that never
 * stops still sees the test end). */
#define ENDLESS_CHUNK (64 * 1024)

static GBytes *
endless_chunk (void)
{
  static const char one[] = "{\"_id\": \"endless\", \"msg\": {\"type\": \"simple\", \"content\": [{\"title\": {\"text\": \"More\"}}]}},";
  GString *chunk = g_string_sized_new (ENDLESS_CHUNK + sizeof one);

  while (chunk->len + strlen (one) <= ENDLESS_CHUNK)
    g_string_append (chunk, one);
  return g_string_free_to_bytes (chunk);
}

static void
endless_wrote_chunk_cb (SoupServerMessage *msg,
                        Fault             *fault)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) chunk = NULL;

  if (fault->streamed >= fault->streamed_stop)
    {
      soup_message_body_complete (body);
      return;
    }
  chunk = endless_chunk ();
  soup_message_body_append_bytes (body, chunk);
}

static void
endless_wrote_data_cb (SoupServerMessage *msg,
                       guint              size,
                       Fault             *fault)
{
  fault->streamed += size;
}

/* A chunked body that never ends, one byte at a time, written straight to
 * the stolen connection until the client goes. */
typedef struct {
  GIOStream *stream;
  guint      source;
} Trickle;

static gboolean
trickle_cb (gpointer user_data)
{
  Trickle *trickle = user_data;

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (trickle->stream), "1\r\n \r\n", 6,
                                  NULL, NULL, NULL))
    {
      trickle->source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
trickle_free (Trickle *trickle)
{
  g_clear_handle_id (&trickle->source, g_source_remove);
  g_io_stream_close (trickle->stream, NULL, NULL);
  g_object_unref (trickle->stream);
  g_free (trickle);
}

static void
answer_endless (Fault             *fault,
                SoupServerMessage *msg,
                Reply             *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (reply->trickle_ms > 0)
    {
      Trickle *trickle = g_new0 (Trickle, 1);
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                               "Transfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n",
                                               strlen (reply->body), reply->body);

      trickle->stream = soup_server_message_steal_connection (msg);
      g_output_stream_write_all (g_io_stream_get_output_stream (trickle->stream), head, strlen (head),
                                 NULL, NULL, NULL);
      trickle->source = g_timeout_add (reply->trickle_ms, trickle_cb, trickle);
      g_ptr_array_add (fault->trickles, trickle);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_COPY, reply->body, strlen (reply->body));

  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (endless_wrote_chunk_cb), fault);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (endless_wrote_data_cb), fault);
}

/* A message answered later; until then it is paused. */
typedef struct {
  SoupServerMessage *msg;
  guint              source;
} Delay;

static gboolean
unpause_cb (gpointer user_data)
{
  Delay *delay = user_data;

  delay->source = 0;
  soup_server_message_unpause (delay->msg);
  return G_SOURCE_REMOVE;
}

static void
delay_free (Delay *delay)
{
  g_object_unref (delay->msg);
  g_free (delay);
}

static void
answer (Fault             *fault,
        SoupServerMessage *msg,
        Reply             *reply)
{
  if (reply->endless)
    {
      answer_endless (fault, msg, reply);
      return;
    }

  if (reply->announced > 0)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                               "Content-Length: %" G_GOFFSET_FORMAT "\r\n\r\n", reply->announced);

      g_output_stream_write_all (g_io_stream_get_output_stream (stream), head, strlen (head), NULL, NULL, NULL);
      g_output_stream_write_all (g_io_stream_get_output_stream (stream), reply->body, strlen (reply->body),
                                 NULL, NULL, NULL);
      g_ptr_array_add (fault->held, g_steal_pointer (&stream));
      return;
    }

  if (reply->cut)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                               "Content-Length: %zu\r\n\r\n", strlen (reply->body));

      g_output_stream_write_all (g_io_stream_get_output_stream (stream), head, strlen (head), NULL, NULL, NULL);
      g_output_stream_write_all (g_io_stream_get_output_stream (stream), reply->body, strlen (reply->body) / 2,
                                 NULL, NULL, NULL);
      g_io_stream_close (stream, NULL, NULL);
      return;
    }

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", reply->location);
  if (reply->status >= 500)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      "{\"error\": \"internal\", \"message\": \"down\"}", 41);
  else if (reply->status == 401)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      "{\"error\": \"unauthorized\", \"message\": \"no\"}", 42);
  else
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      reply->body, strlen (reply->body));

  if (reply->hang)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fault->paused, g_object_ref (msg));
    }
  else if (reply->delay_ms > 0)
    {
      soup_server_message_pause (msg);
      Delay *delay = g_new0 (Delay, 1);

      delay->msg = g_object_ref (msg);
      delay->source = g_timeout_add (reply->delay_ms, unpause_cb, delay);
      g_ptr_array_add (fault->delays, delay);
    }
}

static void
fault_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Fault *fault = user_data;
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  Reply *reply;

  g_assert_cmpstr (authorization, ==, "Bearer " TOKEN);

  if (g_str_equal (path, "/v1/inbox/events"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

      g_ptr_array_add (fault->event_bodies, g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
      reply = g_queue_pop_head (&fault->event_replies);
      if (reply == NULL)
        reply = reply_new (200, "{\"accepted\": 1, \"duplicates\": 0}");
      answer (fault, msg, reply);
      reply_free (reply);
      return;
    }

  g_assert_cmpstr (path, ==, "/v1/inbox");
  g_ptr_array_add (fault->inbox_queries, g_strdup (query != NULL && g_hash_table_lookup (query, "since") != NULL
                                                   ? g_hash_table_lookup (query, "since") : ""));
  reply = g_queue_pop_head (&fault->inbox_replies);
  if (reply == NULL)
    {
      g_autofree char *empty = page (USER, "end", FALSE, "", NULL);
      reply = reply_new (200, empty);
    }
  answer (fault, msg, reply);
  reply_free (reply);
}

static Fault *
fault_new (void)
{
  Fault *fault = g_new0 (Fault, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fault->server = soup_server_new (NULL, NULL);
  fault->inbox_queries = g_ptr_array_new_with_free_func (g_free);
  fault->event_bodies = g_ptr_array_new_with_free_func (g_free);
  fault->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fault->held = g_ptr_array_new_with_free_func (g_object_unref);
  fault->trickles = g_ptr_array_new_with_free_func ((GDestroyNotify) trickle_free);
  fault->delays = g_ptr_array_new_with_free_func ((GDestroyNotify) delay_free);
  fault->streamed_stop = G_MAXUINT64;
  soup_server_add_handler (fault->server, NULL, fault_cb, fault, NULL);
  soup_server_listen_local (fault->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fault->server);
  fault->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return fault;
}

static void
fault_free (Fault *fault)
{
  for (guint i = 0; i < fault->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (fault->paused, i));
  /* a late answer must not outlive its test */
  for (guint i = 0; i < fault->delays->len; i++)
    {
      Delay *delay = g_ptr_array_index (fault->delays, i);

      if (delay->source != 0)
        {
          g_clear_handle_id (&delay->source, g_source_remove);
          soup_server_message_unpause (delay->msg);
        }
    }
  for (guint i = 0; i < fault->held->len; i++)
    g_io_stream_close (g_ptr_array_index (fault->held, i), NULL, NULL);
  soup_server_disconnect (fault->server);
  g_object_unref (fault->server);
  g_queue_clear_full (&fault->inbox_replies, (GDestroyNotify) reply_free);
  g_queue_clear_full (&fault->event_replies, (GDestroyNotify) reply_free);
  g_ptr_array_unref (fault->inbox_queries);
  g_ptr_array_unref (fault->event_bodies);
  g_ptr_array_unref (fault->paused);
  g_ptr_array_unref (fault->held);
  g_ptr_array_unref (fault->trickles);
  g_ptr_array_unref (fault->delays);
  g_free (fault->url);
  g_free (fault);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fault, fault_free)

/* The client side */

typedef struct {
  char       *dir;
  Fault      *fault;
  InboxCache *cache;
  InboxStore *store;
  InboxSync  *sync;
  gint64      now;
} Fixture;

static gint64
fake_now (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = test_util_make_tmpdir ();
  f->fault = fault_new ();
  f->now = START;
  path = g_build_filename (f->dir, "inbox.sqlite", NULL);
  f->cache = inbox_cache_new (path, &error);
  g_assert_no_error (error);
  f->store = inbox_store_new (f->cache, USER);
  inbox_store_set_clock (f->store, fake_now, f);
  f->sync = inbox_sync_new (f->store, f->fault->url, TOKEN);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->sync);
  g_clear_object (&f->store);
  g_clear_object (&f->cache);
  g_clear_pointer (&f->fault, fault_free);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
}


static gboolean
run_sync (Fixture  *f,
          GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inbox_sync_run_async (f->sync, NULL, test_util_result_cb, &result);
  test_util_wait_result (&result);
  return inbox_sync_run_finish (f->sync, result, error);
}

/* The cache's state, to compare before and after a failed sync. */
static char *
cache_state (Fixture *f)
{
  g_autoptr(GPtrArray) list = inbox_cache_load_list (f->cache, USER, f->now, NULL);
  g_autoptr(GPtrArray) outbox = inbox_cache_peek_outbox (f->cache, USER, 1000, NULL);
  g_autofree char *cursor = inbox_cache_get_cursor (f->cache, USER, NULL);
  GString *state = g_string_new (cursor);

  for (guint i = 0; i < list->len; i++)
    {
      InboxMessage *m = g_ptr_array_index (list, i);
      g_autofree char *json = inbox_cache_load_json (f->cache, USER, inbox_message_get_id (m), NULL);

      g_string_append_printf (state, "|%s:%d:%s", inbox_message_get_id (m), inbox_message_get_read (m), json);
    }
  for (guint i = 0; i < outbox->len; i++)
    g_string_append_printf (state, "|event:%s", ((InboxOutboxEvent *) g_ptr_array_index (outbox, i))->event_id);
  return g_string_free (state, FALSE);
}

/* One message and cursor c1 in the cache, from a sync that worked. */
static void
seed (Fixture *f)
{
  g_autofree char *old = message ("old", START - 100, "Old");
  g_autoptr(GError) error = NULL;

  queue_page (&f->fault->inbox_replies, "c1", FALSE, old, NULL);
  g_assert_true (run_sync (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
}

/* Pages until more is false, all applied; the cursor goes with the next. */
static void
test_sync_pages (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *a = message ("a", START - 3, "A");
  g_autofree char *b = message ("b", START - 2, "B");
  g_autofree char *c = message ("c", START - 1, "C");
  g_autofree char *ab = g_strconcat (a, ",", b, NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InboxMessage) first = NULL;

  queue_page (&f->fault->inbox_replies, "p1", TRUE, ab, NULL);
  queue_page (&f->fault->inbox_replies, "p2", FALSE, c, "\"a\"");
  g_assert_true (run_sync (f, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->fault->inbox_queries->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->fault->inbox_queries, 0), ==, "");
  g_assert_cmpstr (g_ptr_array_index (f->fault->inbox_queries, 1), ==, "p1");

  /* a deleted on the second page: b and c stay, newest first */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (f->store), 0);
  g_assert_cmpstr (inbox_message_get_id (first), ==, "c");
  cursor = inbox_cache_get_cursor (f->cache, USER, NULL);
  g_assert_cmpstr (cursor, ==, "p2");

  /* the next sync asks for what changed after p2 */
  g_assert_true (run_sync (f, &error));
  g_assert_cmpstr (g_ptr_array_index (f->fault->inbox_queries, 2), ==, "p2");
}

typedef void (*Breaker) (Fixture *f);

static void
break_500 (Fixture *f)
{
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (500, NULL));
}

static void
break_401 (Fixture *f)
{
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (401, NULL));
}

static void
break_second_page_500 (Fixture *f)
{
  g_autofree char *n = message ("new", START, "New");

  queue_page (&f->fault->inbox_replies, "c2", TRUE, n, "\"old\"");
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (500, NULL));
}

static void
break_not_json (Fixture *f)
{
  g_autofree char *n = message ("new", START, "New");

  queue_page (&f->fault->inbox_replies, "c2", TRUE, n, NULL);
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (200, "{\"user\": \"alice\", \"inbox_notifs\": [{\"_id\": "));
}

static void
break_no_cursor (Fixture *f)
{
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (200, "{\"user\": \"alice\", \"more\": false, \"inbox_notifs\": []}"));
}

static void
break_other_user (Fixture *f)
{
  g_autofree char *n = message ("new", START, "New");
  g_autofree char *body = page ("bob", "c2", FALSE, n, NULL);

  g_queue_push_tail (&f->fault->inbox_replies, reply_new (200, body));
}

static void
break_cut (Fixture *f)
{
  g_autofree char *n = message ("new", START, "New");
  Reply *reply = reply_new (200, NULL);

  reply->body = page (USER, "c2", FALSE, n, NULL);
  reply->cut = TRUE;
  g_queue_push_tail (&f->fault->inbox_replies, reply);
}

static void
break_slow (Fixture *f)
{
  g_autofree char *n = message ("new", START, "New");
  Reply *reply = reply_new (200, NULL);

  reply->body = page (USER, "c2", FALSE, n, NULL);
  reply->delay_ms = 2500;
  g_queue_push_tail (&f->fault->inbox_replies, reply);
  inbox_sync_set_timeouts (f->sync, 10, 1);
}

static void
break_events_500 (Fixture *f)
{
  g_autoptr(InboxMessage) old = g_list_model_get_item (G_LIST_MODEL (f->store), 0);

  g_assert_true (inbox_store_set_read (f->store, old, TRUE, NULL));
  g_queue_push_tail (&f->fault->event_replies, reply_new (500, NULL));
}

/* A Content-Length over the cap: refused at once, nothing read (the body
 * never comes: waiting for it would end in the timeout instead). */
static void
break_announced_too_large (Fixture *f)
{
  Reply *reply = reply_new (200, "{\"user\": \"alice\", ");

  reply->announced = (goffset) INBOX_SYNC_PAGE_MAX_BYTES + 1;
  g_queue_push_tail (&f->fault->inbox_replies, reply);
  inbox_sync_set_timeouts (f->sync, 10, 3);
}

/* One message more than the limit asked for. */
static void
break_too_many (Fixture *f)
{
  g_autofree char *a = message ("a", START - 3, "A");
  g_autofree char *b = message ("b", START - 2, "B");
  g_autofree char *c = message ("c", START - 1, "C");
  g_autofree char *abc = g_strjoin (",", a, b, c, NULL);

  inbox_sync_set_page_limit (f->sync, 2);
  queue_page (&f->fault->inbox_replies, "c2", FALSE, abc, NULL);
}

/* A body that keeps coming, slowly, under the cap: the total timeout
 * still ends it. */
static void
break_slow_body (Fixture *f)
{
  Reply *reply = reply_new (200, "{\"user\": \"alice\", \"cursor\": \"c2\", \"more\": false, \"inbox_notifs\": [");

  reply->endless = TRUE;
  reply->trickle_ms = 100;
  g_queue_push_tail (&f->fault->inbox_replies, reply);
  inbox_sync_set_timeouts (f->sync, 10, 1);
}

/* A redirect, here to another host: the app follows none. */
static void
break_redirect (Fixture *f)
{
  Reply *reply = reply_new (302, "");

  reply->location = "http://127.0.0.2:1/v1/inbox";
  g_queue_push_tail (&f->fault->inbox_replies, reply);
}

/* "more" for ever, with a cursor that does not move. */
static void
break_cursor_stuck (Fixture *f)
{
  g_autofree char *n = message ("new", START, "New");

  for (guint i = 0; i < 3; i++)
    queue_page (&f->fault->inbox_replies, "c2", TRUE, n, NULL);
}

/* More messages and deletions than one sync takes, over pages. */
static void
break_too_many_items (Fixture *f)
{
  GString *deleted = g_string_new (NULL);

  for (guint i = 0; i <= INBOX_SYNC_MAX_ITEMS / 2; i++)
    g_string_append_printf (deleted, "%s\"d%u\"", i > 0 ? "," : "", i);
  queue_page (&f->fault->inbox_replies, "c2", TRUE, "", deleted->str);
  queue_page (&f->fault->inbox_replies, "c3", TRUE, "", deleted->str);
  queue_page (&f->fault->inbox_replies, "c4", FALSE, "", NULL);
  g_string_free (deleted, TRUE);
}

/* Well under the byte cap, but values that json-glib would make a tree of
 * about 100 bytes each: 600,000 of them. */
static void
break_too_many_values (Fixture *f)
{
  GString *body = g_string_new ("{\"user\": \"alice\", \"cursor\": \"c2\", \"more\": false, \"inbox_notifs\": [], \"junk\": [");

  for (guint i = 0; i < 600000; i++)
    g_string_append (body, i > 0 ? ",0" : "0");
  g_string_append (body, "]}");
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (200, body->str));
  g_string_free (body, TRUE);
}

static const struct {
  const char *name;
  Breaker     breaker;
  int         code;
  const char *says;
} failures[] = {
  { "500", break_500, INBOX_SYNC_ERROR_OFFLINE, "problem (500" },
  { "401", break_401, INBOX_SYNC_ERROR_UNAUTHORIZED, "token" },
  { "second-page-500", break_second_page_500, INBOX_SYNC_ERROR_OFFLINE, "500" },
  { "not-json", break_not_json, INBOX_SYNC_ERROR_BAD_RESPONSE, "does not parse" },
  { "no-cursor", break_no_cursor, INBOX_SYNC_ERROR_BAD_RESPONSE, "cursor" },
  { "other-user", break_other_user, INBOX_SYNC_ERROR_BAD_RESPONSE, "another user" },
  { "cut", break_cut, INBOX_SYNC_ERROR_OFFLINE, "cut short" },
  { "slow", break_slow, INBOX_SYNC_ERROR_OFFLINE, "within 1 seconds" },
  { "events-500", break_events_500, INBOX_SYNC_ERROR_OFFLINE, "500" },
  { "announced-too-large", break_announced_too_large, INBOX_SYNC_ERROR_BAD_RESPONSE,
    "announced an answer of 32.0\u00a0MiB (33554433 bytes), larger than 32.0\u00a0MiB (33554432 bytes)" },
  { "too-many-messages", break_too_many, INBOX_SYNC_ERROR_BAD_RESPONSE, "3 messages, more than the 2 asked for" },
  { "slow-body", break_slow_body, INBOX_SYNC_ERROR_OFFLINE, "within 1 seconds" },
  { "redirect", break_redirect, INBOX_SYNC_ERROR_BAD_RESPONSE, "answered 302" },
  { "cursor-stuck", break_cursor_stuck, INBOX_SYNC_ERROR_BAD_RESPONSE, "cursor did not move (c2)" },
  { "too-many-items", break_too_many_items, INBOX_SYNC_ERROR_BAD_RESPONSE, "more than 200000 messages and deletions" },
  { "too-many-values", break_too_many_values, INBOX_SYNC_ERROR_BAD_RESPONSE, "600006 JSON values, more than the 500000" },
};

/* Whatever goes wrong, the cache is as it was and the store shows it. */
static void
test_sync_failure (Fixture       *f,
                   gconstpointer  data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(InboxMessage) shown = NULL, still = NULL;
  g_autoptr(GError) error = NULL;

  seed (f);
  failures[i].breaker (f);
  before = cache_state (f);
  shown = g_list_model_get_item (G_LIST_MODEL (f->store), 0);

  g_assert_false (run_sync (f, &error));
  g_assert_error (error, INBOX_SYNC_ERROR, failures[i].code);
  if (strstr (error->message, failures[i].says) == NULL)
    g_error ("“%s” does not say %s", error->message, failures[i].says);

  after = cache_state (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  still = g_list_model_get_item (G_LIST_MODEL (f->store), 0);
  g_assert_true (still == shown);
}

/* The peak resident memory of this process since the last reset, in bytes. */
static guint64
peak_resident_bytes (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("\nVmHWM:"), NULL, 10) * 1024;
}

/* The peak starts again from what is resident now. */
static void
reset_peak_resident (void)
{
  FILE *clear_refs = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (clear_refs);
  g_assert_cmpint (fputs ("5", clear_refs), >=, 0);
  g_assert_cmpint (fclose (clear_refs), ==, 0);
}

/* An endless chunked answer: the client stops reading at the cap (the
 * server could write little more than the cap and the socket buffers),
 * says so, holds no more than the cap in memory at any time, and the cache
 * is as it was. */
static void
test_sync_endless (Fixture       *f,
                   gconstpointer  data)
{
  const guint64 cap = INBOX_SYNC_PAGE_MAX_BYTES;
  /* what the kernel may hold between the two ends of a loopback socket */
  const guint64 in_flight = 16 * 1024 * 1024;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply;
  guint64 resident;

  seed (f);
  before = cache_state (f);

  reply = reply_new (200, "{\"user\": \"alice\", \"cursor\": \"c2\", \"more\": false, \"inbox_notifs\": [");
  reply->endless = TRUE;
  g_queue_push_tail (&f->fault->inbox_replies, reply);
  /* past this, a client that does not stop gets an end (a broken page) */
  f->fault->streamed_stop = cap + 4 * in_flight;

  reset_peak_resident ();
  resident = peak_resident_bytes ();
  g_assert_false (run_sync (f, &error));
  g_assert_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE);
  /* (g_format_size() puts a no-break space before the unit) */
  if (strstr (error->message, "larger than 32.0\u00a0MiB (33554432 bytes)") == NULL)
    g_error ("“%s” does not name the cap", error->message);

  /* the server got to stream past the cap, and not much further */
  g_test_message ("streamed %" G_GUINT64_FORMAT " bytes for a cap of %" G_GUINT64_FORMAT,
                  f->fault->streamed, cap);
  g_assert_cmpuint (f->fault->streamed, >, cap);
  g_assert_cmpuint (f->fault->streamed, <, cap + in_flight);
#ifndef __SANITIZE_ADDRESS__
  /* the most memory held at once: the cap and a little (under ASan freed
   * memory stays resident in its quarantine, so only without) */
  g_test_message ("peak resident memory grew by %" G_GUINT64_FORMAT " bytes",
                  peak_resident_bytes () - resident);
  g_assert_cmpuint (peak_resident_bytes (), <, resident + cap + in_flight);
#else
  (void) resident;
#endif

  after = cache_state (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
}

static GPtrArray *
event_ids (const char *body)
{
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  JsonArray *events = json_object_get_array_member (json_node_get_object (node), "events");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      g_ptr_array_add (ids, g_strdup_printf ("%s:%s", json_object_get_string_member (event, "type"),
                                             json_object_get_string_member (event, "event_id")));
    }
  return ids;
}

/* Events go out oldest first, with their ids, until a 200; then they are gone. */
static void
test_sync_outbox (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(InboxMessage) old = NULL;
  g_autoptr(GPtrArray) first = NULL, second = NULL, outbox = NULL;
  g_autoptr(GError) error = NULL;

  seed (f);
  old = g_list_model_get_item (G_LIST_MODEL (f->store), 0);
  g_assert_true (inbox_store_record_viewed (f->store, old, NULL));
  g_assert_true (inbox_store_set_read (f->store, old, TRUE, NULL));
  g_assert_true (inbox_store_delete (f->store, old, NULL));

  /* the answer to the events is lost: they stay */
  g_queue_push_tail (&f->fault->event_replies, reply_new (500, NULL));
  g_assert_false (run_sync (f, &error));
  g_clear_error (&error);
  outbox = inbox_cache_peek_outbox (f->cache, USER, 100, NULL);
  g_assert_cmpuint (outbox->len, ==, 3);

  g_assert_true (run_sync (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->fault->event_bodies->len, ==, 2);
  first = event_ids (g_ptr_array_index (f->fault->event_bodies, 0));
  second = event_ids (g_ptr_array_index (f->fault->event_bodies, 1));
  g_assert_cmpuint (first->len, ==, 3);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (first, 0), "Notification Viewed:"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (first, 1), "read:"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (first, 2), "deleted:"));
  for (guint i = 0; i < first->len; i++)
    g_assert_cmpstr (g_ptr_array_index (first, i), ==, g_ptr_array_index (second, i));

  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = inbox_cache_peek_outbox (f->cache, USER, 100, NULL);
  g_assert_cmpuint (outbox->len, ==, 0);
}

typedef struct {
  guint   finished;
  guint   failed;
  GError *last;
} Finishes;

static void
finished_cb (InboxSync    *sync,
             const GError *error,
             Finishes     *finishes)
{
  finishes->finished++;
  if (error != NULL)
    finishes->failed++;
  g_clear_error (&finishes->last);
  finishes->last = error != NULL ? g_error_copy (error) : NULL;
}

/* A passing failure retries with backoff while the session lasts. */
static void
test_sync_retry (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(InboxSession) session = inbox_session_new (INBOX_SESSION_DEFAULT_TIMEOUT);
  g_autofree char *n = message ("new", START, "New");
  Finishes finishes = { 0 };

  inbox_session_set_clock (session, fake_now, f);
  inbox_session_start (session);
  inbox_sync_set_session (f->sync, session);
  inbox_sync_set_backoff (f->sync, 20, 200);
  g_signal_connect (f->sync, "finished", G_CALLBACK (finished_cb), &finishes);

  g_queue_push_tail (&f->fault->inbox_replies, reply_new (500, NULL));
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (503, NULL));
  queue_page (&f->fault->inbox_replies, "c1", FALSE, n, NULL);
  inbox_sync_start (f->sync);
  while (finishes.finished < 3)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (finishes.failed, ==, 2);
  g_assert_null (finishes.last);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  g_assert_cmpuint (inbox_sync_get_retry_delay (f->sync), ==, 0);

  /* the session is over: a failure waits for the next one */
  f->now += INBOX_SESSION_DEFAULT_TIMEOUT + 1;
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (500, NULL));
  inbox_sync_start (f->sync);
  while (finishes.finished < 4)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (finishes.last, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE);
  g_assert_cmpuint (inbox_sync_get_retry_delay (f->sync), ==, 0);

  /* a 401 does not retry either */
  inbox_session_start (session);
  g_queue_push_tail (&f->fault->inbox_replies, reply_new (401, NULL));
  inbox_sync_start (f->sync);
  while (finishes.finished < 5)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (finishes.last, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (inbox_sync_get_retry_delay (f->sync), ==, 0);
  g_clear_error (&finishes.last);
}

static void
test_sync_backoff_delay (void)
{
  guint previous_max = 0;

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      guint low = inbox_sync_backoff_delay (attempt, 2000, 300000, 0.0);
      guint high = inbox_sync_backoff_delay (attempt, 2000, 300000, 0.999999);
      guint expected = MIN (2000u << MIN (attempt, 16), 300000u);

      g_assert_cmpuint (low, ==, expected / 2);
      g_assert_cmpuint (high, <=, expected);
      g_assert_cmpuint (high, >=, expected - 1);
      g_assert_cmpuint (high, >=, previous_max);
      previous_max = high;
    }
  g_assert_cmpuint (inbox_sync_backoff_delay (40, 2000, 300000, 0.5), <=, 300000);
}

/* Plain http only to this machine. */
static void
test_sync_insecure (void)
{
  g_autoptr(InboxCache) cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, NULL);
  g_autoptr(InboxStore) store = inbox_store_new (cache, USER);
  g_autoptr(InboxSync) sync = inbox_sync_new (store, "http://inbox.example.com", TOKEN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  inbox_sync_run_async (sync, NULL, test_util_result_cb, &result);
  test_util_wait_result (&result);
  g_assert_false (inbox_sync_run_finish (sync, result, &error));
  g_assert_error (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_INSECURE);
}


/* The app binary, killed */

static GSubprocess *
spawn_app (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *data = g_build_filename (f->dir, "data", NULL);
  g_autofree char *config = g_build_filename (f->dir, "config", NULL);
  g_autofree char *cache = g_build_filename (f->dir, "cache", NULL);
  g_autofree char *token = g_build_filename (f->dir, "token", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *app;

  g_assert_true (g_file_set_contents (token, TOKEN "\n", -1, NULL));
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("APP_INBOX"),
                                     "--server", f->fault->url, "--user", USER, "--token-file", token,
                                     "--list", "--sync", NULL);
  g_assert_no_error (error);
  return app;
}

/* Runs the fault server's main loop until @app is gone. */
static void
wait_app (GSubprocess *app)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_subprocess_wait_async (app, NULL, test_util_result_cb, &result);
  test_util_wait_result (&result);
  g_assert_true (g_subprocess_wait_finish (app, result, NULL));
}

static void
run_app (Fixture *f)
{
  g_autoptr(GSubprocess) app = spawn_app (f);

  wait_app (app);
  g_assert_true (g_subprocess_get_if_exited (app));
  g_assert_cmpint (g_subprocess_get_exit_status (app), ==, 0);
}

/* The state of the app's own cache file. */
static char *
app_cache_state (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "data", "app-inbox", "inbox.sqlite", NULL);
  g_autoptr(InboxCache) cache = inbox_cache_new (path, NULL);
  InboxCache *mine = f->cache;
  char *state;

  g_assert_nonnull (cache);
  f->cache = cache;
  state = cache_state (f);
  f->cache = mine;
  return state;
}

static void
kill_when (Fixture     *f,
           GSubprocess *app,
           GPtrArray   *grows,
           guint        to)
{
  while (grows->len < to)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_send_signal (app, SIGKILL);
  wait_app (app);
  g_assert_true (g_subprocess_get_if_signaled (app));
}

/* SIGKILL while the second page is on its way: the cache is as before. */
static void
test_sync_killed_mid_sync (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *old = message ("old", START - 100, "Old");
  g_autofree char *n = message ("new", START, "New");
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GSubprocess) app = NULL;
  Reply *hang = reply_new (200, "{}");

  queue_page (&f->fault->inbox_replies, "c1", FALSE, old, NULL);
  run_app (f);
  before = app_cache_state (f);
  g_assert_nonnull (strstr (before, "c1|old:0:"));

  queue_page (&f->fault->inbox_replies, "c2", TRUE, n, "\"old\"");
  hang->hang = TRUE;
  g_queue_push_tail (&f->fault->inbox_replies, hang);
  app = spawn_app (f);
  kill_when (f, app, f->fault->inbox_queries, 3);

  after = app_cache_state (f);
  g_assert_cmpstr (after, ==, before);
}

/* SIGKILL while the events are sent: they stay, go again with the same
 * ids (the server drops repeats), and only then leave the outbox. */
static void
test_sync_killed_mid_flush (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "data", "app-inbox", "inbox.sqlite", NULL);
  g_autofree char *old = message ("old", START - 100, "Old");
  g_autofree char *before = NULL, *after = NULL, *last = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GPtrArray) sent = NULL, again = NULL;
  Reply *hang = reply_new (200, "{}");

  queue_page (&f->fault->inbox_replies, "c1", FALSE, old, NULL);
  run_app (f);
  {
    g_autoptr(InboxCache) cache = inbox_cache_new (path, NULL);

    g_assert_true (inbox_cache_set_read (cache, USER, "old", TRUE, START, NULL));
    g_assert_true (inbox_cache_add_event (cache, USER, "Notification Clicked", "old", "{\"wzrk_c2a\": \"Go\"}", START, NULL));
  }
  before = app_cache_state (f);

  hang->hang = TRUE;
  g_queue_push_tail (&f->fault->event_replies, hang);
  app = spawn_app (f);
  kill_when (f, app, f->fault->event_bodies, 1);

  after = app_cache_state (f);
  g_assert_cmpstr (after, ==, before);
  sent = event_ids (g_ptr_array_index (f->fault->event_bodies, 0));
  g_assert_cmpuint (sent->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (sent, 0), "read:"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (sent, 1), "Notification Clicked:"));

  run_app (f);
  again = event_ids (g_ptr_array_index (f->fault->event_bodies, 1));
  g_assert_cmpuint (again->len, ==, 2);
  for (guint i = 0; i < sent->len; i++)
    g_assert_cmpstr (g_ptr_array_index (again, i), ==, g_ptr_array_index (sent, i));

  last = app_cache_state (f);
  g_assert_null (strstr (last, "event:"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/pages", Fixture, NULL, fixture_set_up, test_sync_pages, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      g_autofree char *name = g_strdup_printf ("/sync/failure/%s", failures[i].name);

      g_test_add (name, Fixture, GUINT_TO_POINTER (i), fixture_set_up, test_sync_failure, fixture_tear_down);
    }
  g_test_add ("/sync/endless", Fixture, NULL, fixture_set_up, test_sync_endless, fixture_tear_down);
  g_test_add ("/sync/outbox", Fixture, NULL, fixture_set_up, test_sync_outbox, fixture_tear_down);
  g_test_add ("/sync/retry", Fixture, NULL, fixture_set_up, test_sync_retry, fixture_tear_down);
  g_test_add_func ("/sync/backoff-delay", test_sync_backoff_delay);
  g_test_add_func ("/sync/insecure", test_sync_insecure);
  g_test_add ("/sync/killed-mid-sync", Fixture, NULL, fixture_set_up, test_sync_killed_mid_sync, fixture_tear_down);
  g_test_add ("/sync/killed-mid-flush", Fixture, NULL, fixture_set_up, test_sync_killed_mid_flush, fixture_tear_down);

  return g_test_run ();
}
