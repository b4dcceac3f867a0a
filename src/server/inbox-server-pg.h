/* inbox-server-pg.h: the server's store in a PostgreSQL database
 *
 * For several server processes, on one machine or many, sharing one
 * database: everything a request needs is in the database, nothing in the
 * process (see the comments in inbox-server-pg.c for how revisions, events
 * and campaigns stay right when processes write at once).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-server-store.h"

G_BEGIN_DECLS

#define INBOX_TYPE_SERVER_PG (inbox_server_pg_get_type ())

G_DECLARE_FINAL_TYPE (InboxServerPg, inbox_server_pg, INBOX, SERVER_PG, GObject)

InboxServerPg *inbox_server_pg_new    (const char  *uri,
                                       const char  *password,
                                       GError     **error);
char          *inbox_server_pg_redact (const char  *uri);

G_END_DECLS
