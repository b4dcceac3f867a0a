/* inbox-server-listener.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-server"

#include "config.h"

#include <sys/resource.h>

#include "inbox-server-listener.h"

#define SWEEP_INTERVAL_MS  250
#define LINGER_MS          1000   /* a refused request's client gets this long to read the answer */
#define GRACE_MS           10000  /* after a shutdown, for libsoup to let the connection go */
#define ACCEPT_RETRY_MS    100    /* after the process ran out of descriptors */
#define ACCEPTS_A_DISPATCH 64     /* so that a flood of connections cannot starve the rest */
#define DESCRIPTOR_RESERVE 64     /* for the database, media files and GLib's own */

/* One connection SoupServer serves. It is ours while its stream lives. */
typedef struct {
  InboxServerListener *self;
  GObject             *stream;   /* SoupServer's: weakly referenced */
  GSocket             *socket;   /* owned by the stream */
  GSocketAddress      *remote;   /* the hash key; SoupServer's messages give it back */
  gint64               deadline; /* monotonic µs */
  SoupServerMessage   *paused;   /* a refused request, held until its linger ends */
  gboolean             reading;  /* the request is not read whole yet */
  gboolean             shut;
} Conn;

struct _InboxServerListener
{
  GObject     parent_instance;

  SoupServer *server;
  GSocket    *socket;
  GSource    *accept_source;
  guint       accept_retry_id;
  gboolean    out_of_descriptors; /* said once until accepting works again */
  guint       sweep_id;
  GHashTable *connections; /* GSocketAddress (remote) → Conn */

  guint       max_connections;
  guint       read_timeout_ms;
  guint       write_timeout_ms;
};

G_DEFINE_FINAL_TYPE (InboxServerListener, inbox_server_listener, G_TYPE_OBJECT)

static void stream_gone_cb (gpointer  data,
                            GObject  *where_the_stream_was);

static void
conn_free (Conn *conn)
{
  g_clear_object (&conn->paused);
  g_clear_object (&conn->remote);
  g_free (conn);
}

static void
stop_accepting (InboxServerListener *self)
{
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  g_clear_handle_id (&self->accept_retry_id, g_source_remove);
}

static void
inbox_server_listener_dispose (GObject *object)
{
  InboxServerListener *self = (InboxServerListener *) object;
  GHashTableIter iter;
  Conn *conn;

  stop_accepting (self);
  g_clear_handle_id (&self->sweep_id, g_source_remove);

  /* the streams may outlive us inside SoupServer: they must not call back */
  if (self->connections != NULL)
    {
      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
        g_object_weak_unref (conn->stream, stream_gone_cb, conn);
    }
  g_clear_pointer (&self->connections, g_hash_table_unref);

  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (inbox_server_listener_parent_class)->dispose (object);
}

static void
inbox_server_listener_class_init (InboxServerListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = inbox_server_listener_dispose;
}

/* Below the descriptor limit by a reserve, so that accept() never meets it. */
static guint
default_max_connections (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return INBOX_SERVER_MAX_CONNECTIONS;
  if (limit.rlim_cur < 2 * DESCRIPTOR_RESERVE)
    return MAX (limit.rlim_cur / 2, 1);
  return MIN (INBOX_SERVER_MAX_CONNECTIONS, limit.rlim_cur - DESCRIPTOR_RESERVE);
}

static void
inbox_server_listener_init (InboxServerListener *self)
{
  self->connections = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) conn_free);
  self->max_connections = default_max_connections ();
  self->read_timeout_ms = INBOX_SERVER_READ_TIMEOUT_MS;
  self->write_timeout_ms = INBOX_SERVER_WRITE_TIMEOUT_MS;
}

static gint64
deadline_in (guint ms)
{
  return g_get_monotonic_time () + (gint64) ms * 1000;
}

static gboolean
same_address (GSocketAddress *a,
              GSocketAddress *b)
{
  if (!G_IS_INET_SOCKET_ADDRESS (a) || !G_IS_INET_SOCKET_ADDRESS (b))
    return FALSE;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (a)) ==
           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (b)) &&
         g_inet_address_equal (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (a)),
                               g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (b)));
}

/* The connection a message came on: SoupServer hands back the remote
 * address we gave it with the stream. */
static Conn *
lookup (InboxServerListener *self,
        SoupServerMessage   *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GHashTableIter iter;
  Conn *conn;

  if (remote == NULL)
    return NULL;
  conn = g_hash_table_lookup (self->connections, remote);
  if (conn != NULL)
    return conn;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    if (same_address (conn->remote, remote))
      return conn;
  return NULL;
}

/* Without blocking: what does not fit in the socket's buffer is dropped
 * (an answer written here is a few hundred bytes, into an empty buffer). */
static void
send_now (GSocket    *socket,
          const char *text,
          gsize       length)
{
  gsize sent = 0;

  while (sent < length)
    {
      gssize n = g_socket_send_with_blocking (socket, text + sent, length - sent, FALSE, NULL, NULL);

      if (n <= 0)
        return;
      sent += n;
    }
}

static char *
raw_answer (guint       status,
            const char *json_body,
            const char *extra_headers)
{
  return g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %zu\r\n"
                          "Connection: close\r\n"
                          "%s"
                          "\r\n"
                          "%s",
                          status, soup_status_get_phrase (status), strlen (json_body),
                          extra_headers, json_body);
}

static void start_accepting (InboxServerListener *self);

static void
stream_gone_cb (gpointer  data,
                GObject  *where_the_stream_was)
{
  Conn *conn = data;
  InboxServerListener *self = conn->self;

  g_hash_table_remove (self->connections, conn->remote);
  if (self->accept_retry_id != 0)
    {
      g_clear_handle_id (&self->accept_retry_id, g_source_remove);
      start_accepting (self);
    }
}

/* Past its deadline a connection is shut down: libsoup then reads the end
 * of the stream, gives up on the request and closes it. One it still keeps
 * after the grace period is closed here. */
static gboolean
sweep_cb (gpointer user_data)
{
  InboxServerListener *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Conn *conn;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      if (now < conn->deadline)
        continue;

      if (!conn->shut)
        {
          /* a request not sent in time hears why, as far as libsoup has
           * written nothing of its own yet */
          if (conn->reading && conn->paused == NULL)
            {
              static const char body[] =
                "{\"error\":\"request_timeout\",\"message\":\"The request did not arrive whole in time\"}\n";
              g_autofree char *answer = raw_answer (SOUP_STATUS_REQUEST_TIMEOUT, body, "");

              send_now (conn->socket, answer, strlen (answer));
            }
          conn->shut = TRUE;
          conn->deadline = deadline_in (GRACE_MS);
          g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
          if (conn->paused != NULL)
            {
              soup_server_message_unpause (conn->paused);
              g_clear_object (&conn->paused);
            }
        }
      else
        {
          g_debug ("Closing a connection that was still open %d ms after its shutdown", GRACE_MS);
          conn->deadline = G_MAXINT64;
          g_socket_close (conn->socket, NULL);
        }
    }

  if (g_hash_table_size (self->connections) > 0)
    return G_SOURCE_CONTINUE;
  self->sweep_id = 0;
  return G_SOURCE_REMOVE;
}

/* At the cap: a short answer now, rather than a connection left waiting. */
static void
refuse_busy (GSocket *socket)
{
  static const char body[] =
    "{\"error\":\"busy\",\"message\":\"The server has as many connections open as it takes; try again shortly\"}\n";
  g_autofree char *answer = raw_answer (SOUP_STATUS_SERVICE_UNAVAILABLE, body, "Retry-After: 1\r\n");
  char scratch[4096];

  /* what the client sent already is read first, so that closing does not
   * reset the connection under the answer */
  for (guint i = 0; i < 4; i++)
    if (g_socket_receive_with_blocking (socket, scratch, sizeof scratch, FALSE, NULL, NULL) <= 0)
      break;
  send_now (socket, answer, strlen (answer));
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_socket_close (socket, NULL);
}

static void
serve (InboxServerListener *self,
       GSocket             *socket)
{
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GError) error = NULL;
  Conn *conn;

  if (local == NULL || remote == NULL)
    return; /* gone already */

  stream = g_socket_connection_factory_create_connection (socket);
  conn = g_new0 (Conn, 1);
  conn->self = self;
  conn->stream = G_OBJECT (stream);
  conn->socket = socket;
  conn->remote = g_object_ref (remote);
  conn->deadline = deadline_in (self->read_timeout_ms);
  conn->reading = TRUE;
  g_hash_table_insert (self->connections, conn->remote, conn);
  g_object_weak_ref (G_OBJECT (stream), stream_gone_cb, conn);

  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (stream), local, remote, &error))
    g_debug ("Could not serve a connection: %s", error->message);

  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add (SWEEP_INTERVAL_MS, sweep_cb, self);
}

static gboolean
retry_accept_cb (gpointer user_data)
{
  InboxServerListener *self = user_data;

  self->accept_retry_id = 0;
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

static gboolean
accept_cb (GSocket      *listener,
           GIOCondition  condition,
           gpointer      user_data)
{
  InboxServerListener *self = user_data;

  for (guint i = 0; i < ACCEPTS_A_DISPATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);

      if (socket == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
            {
              /* no busy loop on a listener that stays readable: wait for a
               * connection to close, or a moment */
              if (!self->out_of_descriptors)
                g_message ("Not accepting connections until one closes: %s", error->message);
              self->out_of_descriptors = TRUE;
              g_clear_pointer (&self->accept_source, g_source_unref);
              self->accept_retry_id = g_timeout_add (ACCEPT_RETRY_MS, retry_accept_cb, self);
              return G_SOURCE_REMOVE;
            }
          g_debug ("Could not accept a connection: %s", error->message);
          continue;
        }

      self->out_of_descriptors = FALSE;
      if (g_hash_table_size (self->connections) >= self->max_connections)
        refuse_busy (socket);
      else
        serve (self, socket);
    }

  return G_SOURCE_CONTINUE;
}

static void
start_accepting (InboxServerListener *self)
{
  if (self->socket == NULL || self->accept_source != NULL)
    return;

  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc) G_CALLBACK (accept_cb), self, NULL);
  g_source_attach (self->accept_source, NULL);
}

/* Every answer closes its connection: see the header. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* Each piece of the answer the client takes gives it the time for the next:
 * a slow client still gets a large file, a client that stops does not keep
 * its connection. */
static void
wrote_body_data_cb (SoupServerMessage   *msg,
                    guint                size,
                    InboxServerListener *self)
{
  Conn *conn = lookup (self, msg);

  if (conn != NULL && !conn->shut && conn->paused == NULL)
    conn->deadline = deadline_in (self->write_timeout_ms);
}

/* The request is in: its connection now has the time to take the answer.
 * After a 100 Continue libsoup has cleared the answer's headers: the
 * connection closes all the same, and says so again. */
static void
request_read_cb (SoupServer          *server,
                 SoupServerMessage   *msg,
                 InboxServerListener *self)
{
  Conn *conn = lookup (self, msg);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  if (conn == NULL || conn->shut || conn->paused != NULL)
    return;
  conn->reading = FALSE;
  conn->deadline = deadline_in (self->write_timeout_ms);
  g_signal_connect_object (msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), self, 0);
}

/**
 * inbox_server_listener_new:
 * @server: the SoupServer that serves the connections accepted here
 */
InboxServerListener *
inbox_server_listener_new (SoupServer *server)
{
  InboxServerListener *self;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);

  self = g_object_new (INBOX_TYPE_SERVER_LISTENER, NULL);
  self->server = g_object_ref (server);
  g_signal_connect_object (server, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (server, "request-read", G_CALLBACK (request_read_cb), self, 0);
  return self;
}

/**
 * inbox_server_listener_listen:
 * @address: where to listen; port 0 takes a free one
 */
gboolean
inbox_server_listener_listen (InboxServerListener  *self,
                              GSocketAddress       *address,
                              GError              **error)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (INBOX_IS_SERVER_LISTENER (self), FALSE);
  g_return_val_if_fail (self->socket == NULL, FALSE);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, INBOX_SERVER_LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  self->socket = g_steal_pointer (&socket);
  start_accepting (self);
  return TRUE;
}

/* Returns: (transfer full) (nullable): where it listens, with the real port */
GSocketAddress *
inbox_server_listener_get_address (InboxServerListener *self)
{
  g_return_val_if_fail (INBOX_IS_SERVER_LISTENER (self), NULL);

  return self->socket != NULL ? g_socket_get_local_address (self->socket, NULL) : NULL;
}

/**
 * inbox_server_listener_set_limits:
 * @max_connections: open connections at most (0 keeps the default)
 * @read_timeout_ms: from accept to the whole request read (0 keeps it)
 * @write_timeout_ms: from the request read to the answer sent (0 keeps it)
 */
void
inbox_server_listener_set_limits (InboxServerListener *self,
                                  guint                max_connections,
                                  guint                read_timeout_ms,
                                  guint                write_timeout_ms)
{
  g_return_if_fail (INBOX_IS_SERVER_LISTENER (self));

  if (max_connections > 0)
    self->max_connections = MIN (max_connections, default_max_connections ());
  if (read_timeout_ms > 0)
    self->read_timeout_ms = read_timeout_ms;
  if (write_timeout_ms > 0)
    self->write_timeout_ms = write_timeout_ms;
}

guint
inbox_server_listener_get_max_connections (InboxServerListener *self)
{
  g_return_val_if_fail (INBOX_IS_SERVER_LISTENER (self), 0);

  return self->max_connections;
}

guint
inbox_server_listener_get_n_connections (InboxServerListener *self)
{
  g_return_val_if_fail (INBOX_IS_SERVER_LISTENER (self), 0);

  return g_hash_table_size (self->connections);
}

/**
 * inbox_server_listener_refuse:
 * @msg: a request whose headers are read, and maybe part of its body
 * @status: the answer's status
 * @json_body: the answer's body
 * @body_started: part of the body is read already (100 Continue was sent)
 *
 * Answers @msg and closes its connection without reading the rest of its
 * body. A request without a body, or whose client still waits for 100
 * Continue, gets the answer from libsoup; any other is paused, answered here on the
 * socket, and shut down after a moment in which its client can read it.
 */
void
inbox_server_listener_refuse (InboxServerListener *self,
                              SoupServerMessage   *msg,
                              guint                status,
                              const char          *json_body,
                              gboolean             body_started)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (request_headers);
  gboolean has_body = encoding == SOUP_ENCODING_CHUNKED ||
                      (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
                       soup_message_headers_get_content_length (request_headers) > 0);
  g_autofree char *answer = NULL;
  Conn *conn;

  g_return_if_fail (INBOX_IS_SERVER_LISTENER (self));

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json_body, strlen (json_body));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");

  conn = lookup (self, msg);
  if (conn == NULL || conn->paused != NULL || conn->shut || !has_body ||
      (!body_started && (soup_message_headers_get_expectations (request_headers) & SOUP_EXPECTATION_CONTINUE) != 0))
    return;

  soup_server_message_pause (msg);
  conn->paused = g_object_ref (msg);
  answer = raw_answer (status, json_body, "");
  send_now (conn->socket, answer, strlen (answer));
  g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);
  conn->deadline = deadline_in (LINGER_MS);
}
