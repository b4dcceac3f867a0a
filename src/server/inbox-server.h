/* inbox-server.h: the inbox server's HTTP side (docs/sync-api.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "inbox-server-store.h"

G_BEGIN_DECLS

#define INBOX_SERVER_EVENTS_MAX_BYTES   (1024 * 1024)
#define INBOX_SERVER_CAMPAIGN_MAX_BYTES (256 * 1024)
#define INBOX_SERVER_OTHER_MAX_BYTES    (64 * 1024)
#define INBOX_SERVER_PAGE_DEFAULT       200
#define INBOX_SERVER_PAGE_MAX           1000
#define INBOX_SERVER_TTL_MAX            (10 * 365 * 24 * 3600)

#define INBOX_TYPE_SERVER (inbox_server_get_type ())

G_DECLARE_FINAL_TYPE (InboxServer, inbox_server, INBOX, SERVER, GObject)

InboxServer *inbox_server_new          (InboxServerStore    *store,
                                        const char          *media_dir,
                                        const char          *admin_token);
gboolean     inbox_server_listen       (InboxServer         *self,
                                        const char          *address,
                                        GError             **error);
char        *inbox_server_get_base_url (InboxServer         *self);
char        *inbox_server_publish      (InboxServer         *self,
                                        JsonNode            *request,
                                        guint               *delivered,
                                        GError             **error);
gboolean     inbox_server_seed_demo    (InboxServer         *self,
                                        const char          *demo_dir,
                                        char               **token,
                                        GError             **error);
void         inbox_server_set_limits   (InboxServer         *self,
                                        guint                max_connections,
                                        guint                read_timeout_ms,
                                        guint                write_timeout_ms);
guint        inbox_server_get_max_connections (InboxServer  *self);
gboolean     inbox_server_accept_stream (InboxServer        *self,
                                        GIOStream           *stream,
                                        GError             **error);

G_END_DECLS
