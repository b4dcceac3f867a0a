/* inbox-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <libsoup/soup.h>

#include "inbox-account.h"
#include "inbox-json-budget.h"
#include "inbox-json.h"
#include "inbox-payload.h"
#include "inbox-sync-page.h"
#include "inbox-sync.h"

/* Who the requests say they come from, unless the client says otherwise */
#define INBOX_SYNC_USER_AGENT "app-inbox/" PACKAGE_VERSION " "

/* An answer is read this much at a time, and counted as it comes. */
#define READ_CHUNK (64 * 1024)

struct _InboxSync
{
  GObject       parent_instance;

  InboxStore   *store;
  InboxSession *session;        /* retries only while it lasts; NULL: always */
  SoupSession  *http;
  char         *server_url;     /* without a trailing slash */
  char         *token;
  guint         total_timeout;
  guint         page_limit;
  gsize         page_max_bytes;
  guint         backoff_base_ms;
  guint         backoff_max_ms;

  /* inbox_sync_start() */
  GCancellable *cancellable;
  guint         retry_id;
  guint         retry_delay;
  guint         attempt;
  gboolean      running;
};

G_DEFINE_FINAL_TYPE (InboxSync, inbox_sync, G_TYPE_OBJECT)

G_DEFINE_QUARK (inbox-sync-error-quark, inbox_sync_error)

enum {
  STARTED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
inbox_sync_dispose (GObject *object)
{
  InboxSync *self = (InboxSync *) object;

  inbox_sync_stop (self);

  G_OBJECT_CLASS (inbox_sync_parent_class)->dispose (object);
}

static void
inbox_sync_finalize (GObject *object)
{
  InboxSync *self = (InboxSync *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->http);
  g_clear_pointer (&self->server_url, g_free);
  if (self->token != NULL)
    explicit_bzero (self->token, strlen (self->token));
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (inbox_sync_parent_class)->finalize (object);
}

static void
inbox_sync_class_init (InboxSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = inbox_sync_dispose;
  object_class->finalize = inbox_sync_finalize;

  /**
   * InboxSync::started:
   *
   * inbox_sync_start() (or a retry) began a sync.
   */
  signals[STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * InboxSync::finished:
   * @error: (nullable): why it failed, or %NULL
   *
   * A sync that inbox_sync_start() began is over. When it failed for a
   * passing reason a retry is already scheduled (inbox_sync_get_retry_delay()).
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
inbox_sync_init (InboxSync *self)
{
  self->total_timeout = INBOX_SYNC_TOTAL_TIMEOUT;
  self->page_limit = INBOX_SYNC_PAGE_LIMIT;
  self->page_max_bytes = INBOX_SYNC_PAGE_MAX_BYTES;
  self->backoff_base_ms = 2000;
  self->backoff_max_ms = 5 * 60 * 1000;
}

InboxSync *
inbox_sync_new (InboxStore *store,
                const char *server_url,
                const char *token)
{
  InboxSync *self;

  g_return_val_if_fail (INBOX_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  self = g_object_new (INBOX_TYPE_SYNC, NULL);
  self->store = g_object_ref (store);
  self->server_url = g_strdup (server_url);
  while (g_str_has_suffix (self->server_url, "/"))
    self->server_url[strlen (self->server_url) - 1] = '\0';
  self->token = g_strdup (token);
  self->http = soup_session_new_with_options ("timeout", INBOX_SYNC_CONNECT_TIMEOUT,
                                              "idle-timeout", 60,
                                              "user-agent", INBOX_SYNC_USER_AGENT,
                                              NULL);
  return self;
}

/**
 * inbox_sync_set_user_agent:
 * @user_agent: (nullable): what the requests say they come from; %NULL for
 *   App Inbox's own. Ending it with a space appends libsoup's own.
 */
void
inbox_sync_set_user_agent (InboxSync  *self,
                           const char *user_agent)
{
  g_return_if_fail (INBOX_IS_SYNC (self));

  soup_session_set_user_agent (self->http, user_agent != NULL ? user_agent : INBOX_SYNC_USER_AGENT);
}

InboxStore *
inbox_sync_get_store (InboxSync *self)
{
  g_return_val_if_fail (INBOX_IS_SYNC (self), NULL);

  return self->store;
}

/* @connect_seconds: also the longest silence while reading */
void
inbox_sync_set_timeouts (InboxSync *self,
                         guint      connect_seconds,
                         guint      total_seconds)
{
  g_return_if_fail (INBOX_IS_SYNC (self));

  g_object_set (self->http, "timeout", MAX (connect_seconds, 1), NULL);
  self->total_timeout = MAX (total_seconds, 1);
}

void
inbox_sync_set_page_limit (InboxSync *self,
                           guint      limit)
{
  g_return_if_fail (INBOX_IS_SYNC (self));

  self->page_limit = CLAMP (limit, 1, 1000);
}

/* The most bytes one answer may hold; INBOX_SYNC_PAGE_MAX_BYTES by default. */
void
inbox_sync_set_page_max_bytes (InboxSync *self,
                               gsize      max_bytes)
{
  g_return_if_fail (INBOX_IS_SYNC (self));

  self->page_max_bytes = CLAMP (max_bytes, 1, G_MAXUINT);
}

void
inbox_sync_set_backoff (InboxSync *self,
                        guint      base_ms,
                        guint      max_ms)
{
  g_return_if_fail (INBOX_IS_SYNC (self));

  self->backoff_base_ms = MAX (base_ms, 1);
  self->backoff_max_ms = MAX (max_ms, self->backoff_base_ms);
}

/* Retries stop when @session times out; the next session syncs anew. */
void
inbox_sync_set_session (InboxSync    *self,
                        InboxSession *session)
{
  g_return_if_fail (INBOX_IS_SYNC (self));

  g_set_object (&self->session, session);
}

/**
 * inbox_sync_backoff_delay:
 * @attempt: 0 for the first retry
 * @random: in [0, 1): the jitter
 *
 * Returns: milliseconds: base × 2^attempt, at most @max_ms, then a random
 *   point in its upper half, so that many clients do not retry together
 */
guint
inbox_sync_backoff_delay (guint  attempt,
                          guint  base_ms,
                          guint  max_ms,
                          double random)
{
  guint64 delay = base_ms;

  for (guint i = 0; i < attempt && delay < max_ms; i++)
    delay *= 2;
  delay = MIN (delay, max_ms);

  return (guint) (delay / 2 + (guint64) (random * (delay - delay / 2)));
}

/* One sync */

/* What to do with a whole answer (status and body); it owns @task. */
typedef void (*ReceivedFunc) (GTask   *task,
                              guint    status,
                              GBytes  *body);

typedef struct {
  GPtrArray    *messages;     /* InboxMessage, every page */
  GPtrArray    *deleted;      /* char *, every page */
  char         *cursor;
  char         *user;
  GStrv         event_ids;    /* of the batch being sent */
  guint         limit;        /* of the page asked for */

  /* the request on its way */
  SoupMessage  *message;
  const char   *what;         /* what it is for, in the errors */
  ReceivedFunc  received;
  GInputStream *stream;       /* its body, read a chunk at a time */
  GByteArray   *buffer;       /* what came of it so far, never over max_bytes */
  gsize         max_bytes;    /* the cap, as it was when the request was sent */
  GCancellable *request_cancellable;
  gulong        forward_id;
  guint         timer_id;
  gboolean      timed_out;
  gboolean      flushed;
} RunData;

/* A body left unread is closed: its connection is dropped, not reused. */
static void
abandon (GInputStream *stream)
{
  if (stream != NULL && !g_input_stream_is_closed (stream))
    g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->messages, g_ptr_array_unref);
  g_clear_pointer (&data->deleted, g_ptr_array_unref);
  g_free (data->cursor);
  g_free (data->user);
  g_strfreev (data->event_ids);
  g_clear_object (&data->message);
  abandon (data->stream);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_clear_handle_id (&data->timer_id, g_source_remove);
  g_clear_object (&data->request_cancellable);
  g_free (data);
}

static gboolean
total_timeout_cb (gpointer user_data)
{
  RunData *data = user_data;

  data->timer_id = 0;
  data->timed_out = TRUE;
  g_cancellable_cancel (data->request_cancellable);
  return G_SOURCE_REMOVE;
}

static void
forward_cancel_cb (GCancellable *task_cancellable,
                   GCancellable *request_cancellable)
{
  g_cancellable_cancel (request_cancellable);
}

static void sent_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Sends @message with the token; the total timeout runs until its body is
 * read in full. @received gets the answer, the errors end @task. */
static void
send (GTask        *task,
      SoupMessage  *message,
      const char   *what,
      ReceivedFunc  received)
{
  InboxSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);
  GCancellable *cancellable = g_task_get_cancellable (task);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  explicit_bzero (authorization, strlen (authorization));

  g_clear_handle_id (&data->timer_id, g_source_remove);
  if (data->request_cancellable != NULL && cancellable != NULL && data->forward_id != 0)
    g_cancellable_disconnect (cancellable, data->forward_id);
  g_clear_object (&data->request_cancellable);
  data->request_cancellable = g_cancellable_new ();
  data->forward_id = cancellable != NULL
                       ? g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                                data->request_cancellable, NULL)
                       : 0;
  data->timed_out = FALSE;
  data->timer_id = g_timeout_add_seconds (self->total_timeout, total_timeout_cb, data);

  /* a redirect could lead to another host, or from https to plain http:
   * the app talks to the server it was given and no other */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  g_set_object (&data->message, message);
  data->max_bytes = self->page_max_bytes;
  data->what = what;
  data->received = received;
  soup_session_send_async (self->http, message, G_PRIORITY_DEFAULT, data->request_cancellable,
                           sent_cb, task);
}

/* The request is over (answered or not): its timer, stream and buffer go. */
static void
request_done (GTask *task)
{
  RunData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_handle_id (&data->timer_id, g_source_remove);
  if (cancellable != NULL && data->forward_id != 0)
    g_cancellable_disconnect (cancellable, data->forward_id);
  data->forward_id = 0;
  abandon (data->stream);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_clear_object (&data->message);
}

/* Ends @task with @error (taken) once the request is cleaned up. */
static void
give_up (GTask  *task,
         GError *error)
{
  request_done (task);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* What a failed send or read means for the sync; takes @error. */
static GError *
transfer_error (GTask  *task,
                GError *error)
{
  InboxSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  GError *result;

  if (data->timed_out)
    result = g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE,
                          _("The server did not finish %s within %u seconds"), data->what, self->total_timeout);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    result = g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE,
                          _("The server did not answer in time (%s)"), data->what);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    result = g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE,
                          _("The server's answer was cut short (%s)"), data->what);
  else
    result = g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE,
                          _("Could not reach %s: %s"), self->server_url, error->message);

  g_error_free (error);
  return result;
}

static void read_more (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      give_up (task, transfer_error (task, error));
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));
      guint status = soup_message_get_status (data->message);
      ReceivedFunc received = data->received;

      request_done (task);
      received (task, status, body);
      return;
    }

  /* as soon as the cap is passed: nothing more is read */
  if (size > data->max_bytes - data->buffer->len)
    {
      g_autofree char *limit = g_format_size_full (data->max_bytes,
                                                   G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);

      give_up (task, g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                                  _("The server's answer was larger than %s, the most the app reads (%s)"),
                                  limit, data->what));
      return;
    }

  g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), size);
  read_more (task);
}

static void
read_more (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   data->request_cancellable, read_cb, task);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  goffset length = 0;
  guint status;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      give_up (task, transfer_error (task, error));
      return;
    }

  status = soup_message_get_status (data->message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      give_up (task, g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_UNAUTHORIZED,
                                  _("The server did not accept the token of %s"), data->user));
      return;
    }
  if (status >= 500)
    {
      give_up (task, g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE,
                                  _("The server had a problem (%u %s)"), status,
                                  soup_message_get_reason_phrase (data->message)));
      return;
    }

  /* an answer announced over the cap is not read at all */
  headers = soup_message_get_response_headers (data->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);
  if (length > 0 && (guint64) length > data->max_bytes)
    {
      g_autofree char *limit = g_format_size_full (data->max_bytes,
                                                   G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *announced = g_format_size_full ((guint64) length,
                                                       G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);

      give_up (task, g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                                  _("The server announced an answer of %s, larger than %s, the most the app reads (%s)"),
                                  announced, limit, data->what));
      return;
    }

  data->buffer = g_byte_array_sized_new (length > 0 ? (guint) length : READ_CHUNK);
  read_more (task);
}

static void fetch_page (GTask *task);
static void flush_next (GTask *task);

/* The outbox */

static void
events_sent_cb (GTask  *task,
                guint   status,
                GBytes *body)
{
  InboxSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize length;

  if (status == SOUP_STATUS_BAD_REQUEST)
    {
      /* kept, and sent again next time; the messages still come */
      g_message ("The server refused the events (400): they stay in the outbox");
      data->flushed = TRUE;
      fetch_page (task);
      return;
    }

  text = g_bytes_get_data (body, &length);
  if (status != SOUP_STATUS_OK || text == NULL || length == 0 ||
      !inbox_json_check_budget (text, length, 1000, &error) ||
      !inbox_payload_check_depth (text, length, INBOX_PAYLOAD_MAX_DEPTH, &error) ||
      !json_parser_load_from_data (parser, text, length, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "accepted"))
    {
      g_task_return_new_error (task, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                               _("The server's answer to the events is not what the API says (%u)"), status);
      g_object_unref (task);
      return;
    }

  /* only now: a crash before this line sends them again, and the server
   * drops the repeats by event id */
  if (!inbox_cache_remove_outbox (inbox_store_get_cache (self->store),
                                  (const char * const *) data->event_ids, &error))
    {
      g_task_return_new_error (task, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_CACHE,
                               _("Could not clear the sent events: %s"), error->message);
      g_object_unref (task);
      return;
    }

  g_clear_pointer (&data->event_ids, g_strfreev);
  flush_next (task);
}

static void
append_event (GString          *body,
              InboxOutboxEvent *event)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL, *type = NULL, *message_id = NULL;

  node = json_node_init_string (json_node_alloc (), event->event_id);
  id = inbox_json_to_string (node);
  json_node_set_string (node, event->type);
  type = inbox_json_to_string (node);
  json_node_set_string (node, event->message_id);
  message_id = inbox_json_to_string (node);

  g_string_append_printf (body, "{\"event_id\":%s,\"type\":%s,\"message_id\":%s,\"ts\":%" G_GINT64_FORMAT ",\"props\":%s}",
                          id, type, message_id, event->ts,
                          event->props != NULL && *event->props != '\0' ? event->props : "{}");
}

/* Sends the oldest events (up to a batch), then the next batch, then fetches. */
static void
flush_next (GTask *task)
{
  InboxSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (self->server_url, "/v1/inbox/events", NULL);
  GString *body;

  events = inbox_cache_peek_outbox (inbox_store_get_cache (self->store), data->user,
                                    INBOX_SYNC_OUTBOX_BATCH, &error);
  if (events == NULL)
    {
      g_task_return_new_error (task, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_CACHE,
                               _("Could not read the outbox: %s"), error->message);
      g_object_unref (task);
      return;
    }
  if (events->len == 0)
    {
      data->flushed = TRUE;
      fetch_page (task);
      return;
    }

  body = g_string_new ("{\"events\":[");
  for (guint i = 0; i < events->len; i++)
    {
      InboxOutboxEvent *event = g_ptr_array_index (events, i);

      if (i > 0)
        g_string_append_c (body, ',');
      append_event (body, event);
      g_strv_builder_add (ids, event->event_id);
    }
  g_string_append (body, "]}");
  data->event_ids = g_strv_builder_end (ids);

  bytes = g_string_free_to_bytes (body);
  message = soup_message_new (SOUP_METHOD_POST, url);
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  send (task, message, "taking the events", events_sent_cb);
}

/* Pages */

typedef struct {
  GBytes *body;
  char   *user;
  guint   limit;
  gint64  now;
} ParseData;

static void
parse_data_free (ParseData *data)
{
  g_bytes_unref (data->body);
  g_free (data->user);
  g_free (data);
}

/* In a thread: a page of the API, every member checked. */
static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *data = task_data;
  GError *error = NULL;
  InboxSyncPage *page;

  page = inbox_sync_page_parse (data->body, data->user, data->limit, data->now, &error);
  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) inbox_sync_page_free);
}

static void
merged_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!inbox_store_merge_finish (INBOX_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *wrapped = g_error_new (INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_CACHE,
                                         _("The messages could not be stored: %s"), error->message);
          g_clear_error (&error);
          error = wrapped;
        }
      g_task_return_error (task, error);
    }
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  InboxSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  GError *error = NULL;
  InboxSyncPage *page;

  page = g_task_propagate_pointer (G_TASK (result), &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < page->items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (page->items, i);

      if (item->message != NULL)
        g_ptr_array_add (data->messages, g_object_ref (item->message));
      else
        g_message ("A message from the server is left out: %s: %s",
                   item->id != NULL ? item->id : "(no _id)", item->error->message);
    }
  for (guint i = 0; i < page->deleted->len; i++)
    g_ptr_array_add (data->deleted, g_strdup (g_ptr_array_index (page->deleted, i)));

  /* every page is held until the last one is in: a server that never says
   * it is done must not keep the app fetching, and growing, for ever */
  if (page->more && data->cursor != NULL && g_str_equal (page->cursor, data->cursor))
    {
      g_task_return_new_error (task, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                               _("The server said there is more, but its cursor did not move (%s)"), page->cursor);
      inbox_sync_page_free (page);
      g_object_unref (task);
      return;
    }
  if (data->messages->len + data->deleted->len > INBOX_SYNC_MAX_ITEMS)
    {
      g_task_return_new_error (task, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                               _("The server sent more than %u messages and deletions in one sync, the most the app takes"),
                               INBOX_SYNC_MAX_ITEMS);
      inbox_sync_page_free (page);
      g_object_unref (task);
      return;
    }
  g_free (data->cursor);
  data->cursor = g_strdup (page->cursor);

  if (page->more)
    {
      inbox_sync_page_free (page);
      fetch_page (task);
      return;
    }
  inbox_sync_page_free (page);

  /* every page is in: all of it goes to the cache in one transaction */
  g_ptr_array_add (data->deleted, NULL);
  inbox_store_merge_async (self->store, data->messages, (const char * const *) data->deleted->pdata,
                           data->cursor, g_task_get_cancellable (task), merged_cb, task);
}

static void
page_received_cb (GTask  *task,
                  guint   status,
                  GBytes *body)
{
  InboxSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GTask) parse = NULL;
  ParseData *parse_data;

  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE,
                               _("The server answered %u to a request for the inbox"), status);
      g_object_unref (task);
      return;
    }

  parse_data = g_new0 (ParseData, 1);
  parse_data->body = g_bytes_ref (body);
  parse_data->user = g_strdup (data->user);
  parse_data->limit = data->limit;
  parse_data->now = inbox_store_now (self->store);
  parse = g_task_new (self, g_task_get_cancellable (task), parsed_cb, task);
  g_task_set_task_data (parse, parse_data, (GDestroyNotify) parse_data_free);
  g_task_run_in_thread (parse, parse_thread);
}

static void
fetch_page (GTask *task)
{
  InboxSync *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GString) url = g_string_new (self->server_url);

  data->limit = self->page_limit;
  g_string_append_printf (url, "/v1/inbox?limit=%u", data->limit);
  if (data->cursor != NULL)
    {
      g_string_append (url, "&since=");
      g_string_append_uri_escaped (url, data->cursor, NULL, FALSE);
    }

  message = soup_message_new (SOUP_METHOD_GET, url->str);
  if (message == NULL)
    {
      g_task_return_new_error (task, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_INSECURE,
                               _("“%s” is not a server address"), self->server_url);
      g_object_unref (task);
      return;
    }
  send (task, message, "the inbox", page_received_cb);
}

/**
 * inbox_sync_run_async:
 *
 * One sync: outbox out, then every page in, then all applied at once.
 */
void
inbox_sync_run_async (InboxSync           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  RunData *data;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (INBOX_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inbox_sync_run_async);

  if (!inbox_account_check_url (self->server_url, &error))
    {
      g_task_return_new_error (task, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_INSECURE, "%s", error->message);
      g_object_unref (task);
      return;
    }

  data = g_new0 (RunData, 1);
  data->messages = g_ptr_array_new_with_free_func (g_object_unref);
  data->deleted = g_ptr_array_new_with_free_func (g_free);
  data->user = g_strdup (inbox_store_get_user (self->store));
  data->cursor = inbox_cache_get_cursor (inbox_store_get_cache (self->store), data->user, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  flush_next (task);
}

gboolean
inbox_sync_run_finish (InboxSync     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Syncs that retry */

static gboolean retry_cb (gpointer user_data);

static gboolean
is_passing (const GError *error)
{
  return g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_OFFLINE) ||
         g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE);
}

static void
started_run_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  InboxSync *self = INBOX_SYNC (source);
  g_autoptr(GError) error = NULL;

  if (!inbox_sync_run_finish (self, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->running = FALSE;
  g_clear_object (&self->cancellable);
  self->retry_delay = 0;

  if (error == NULL)
    self->attempt = 0;
  else if (is_passing (error) && (self->session == NULL || inbox_session_is_active (self->session)))
    {
      self->retry_delay = inbox_sync_backoff_delay (self->attempt++, self->backoff_base_ms,
                                                    self->backoff_max_ms, g_random_double ());
      self->retry_id = g_timeout_add (self->retry_delay, retry_cb, self);
    }

  g_signal_emit (self, signals[FINISHED], 0, error);
}

/**
 * inbox_sync_start:
 *
 * Syncs now (a session started), and again with backoff after a passing
 * failure. A sync already running is left to finish.
 */
void
inbox_sync_start (InboxSync *self)
{
  g_return_if_fail (INBOX_IS_SYNC (self));

  if (self->running)
    return;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_delay = 0;
  self->running = TRUE;
  self->cancellable = g_cancellable_new ();
  g_signal_emit (self, signals[STARTED], 0);
  inbox_sync_run_async (self, self->cancellable, started_run_cb, NULL);
}

static gboolean
retry_cb (gpointer user_data)
{
  InboxSync *self = user_data;

  self->retry_id = 0;
  if (self->session != NULL && !inbox_session_is_active (self->session))
    return G_SOURCE_REMOVE;

  inbox_sync_start (self);
  return G_SOURCE_REMOVE;
}

/* Cancels the running sync and any retry. */
void
inbox_sync_stop (InboxSync *self)
{
  g_return_if_fail (INBOX_IS_SYNC (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->running = FALSE;
  self->retry_delay = 0;
}

gboolean
inbox_sync_is_running (InboxSync *self)
{
  g_return_val_if_fail (INBOX_IS_SYNC (self), FALSE);

  return self->running;
}

/* Milliseconds until the scheduled retry; 0 when none is. */
guint
inbox_sync_get_retry_delay (InboxSync *self)
{
  g_return_val_if_fail (INBOX_IS_SYNC (self), 0);

  return self->retry_id != 0 ? self->retry_delay : 0;
}
