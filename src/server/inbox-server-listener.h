/* inbox-server-listener.h: the server's own listening socket and connections
 *
 * SoupServer's listener stops accepting for good at the descriptor limit, and
 * libsoup 3.2 (Debian 12) never notices a kept-alive connection that its
 * client has closed: it keeps it in CLOSE_WAIT with its descriptor. So the
 * server accepts connections itself and hands each to SoupServer, and this
 * object keeps every connection within bounds:
 *
 * - a cap on open connections, below the descriptor limit: past it a new
 *   connection is answered 503 at once and closed;
 * - one request a connection (every answer says `Connection: close`), so no
 *   connection is ever idle between two requests;
 * - a deadline to send the request (headers and body; past it a 408), and
 *   one to take each part of the answer; past them the connection is shut
 *   down;
 * - a refused request (inbox_server_listener_refuse()) is answered from its
 *   headers and closed without its body being read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define INBOX_SERVER_LISTEN_BACKLOG        1024
#define INBOX_SERVER_MAX_CONNECTIONS       1024  /* and never closer than 64 to the descriptor limit */
#define INBOX_SERVER_READ_TIMEOUT_MS      15000  /* from accept to the whole request read */
#define INBOX_SERVER_WRITE_TIMEOUT_MS     60000  /* from the request read to the answer sent */

#define INBOX_TYPE_SERVER_LISTENER (inbox_server_listener_get_type ())

G_DECLARE_FINAL_TYPE (InboxServerListener, inbox_server_listener, INBOX, SERVER_LISTENER, GObject)

InboxServerListener *inbox_server_listener_new           (SoupServer          *server);
gboolean             inbox_server_listener_listen        (InboxServerListener *self,
                                                          GSocketAddress      *address,
                                                          GError             **error);
GSocketAddress      *inbox_server_listener_get_address   (InboxServerListener *self);
void                 inbox_server_listener_set_limits    (InboxServerListener *self,
                                                          guint                max_connections,
                                                          guint                read_timeout_ms,
                                                          guint                write_timeout_ms);
guint                inbox_server_listener_get_max_connections (InboxServerListener *self);
guint                inbox_server_listener_get_n_connections   (InboxServerListener *self);
void                 inbox_server_listener_refuse        (InboxServerListener *self,
                                                          SoupServerMessage   *msg,
                                                          guint                status,
                                                          const char          *json_body,
                                                          gboolean             body_started);

G_END_DECLS
