/* inbox-server-sqlite.h: the server's store in one SQLite file
 *
 * The default, and the demo's: one file, one server process. The last
 * revision given out is kept in the process (read from the file when it
 * opens), so two processes must never share the file; a PostgreSQL
 * database (InboxServerPg) is for several.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-server-store.h"

G_BEGIN_DECLS

#define INBOX_TYPE_SERVER_SQLITE (inbox_server_sqlite_get_type ())

G_DECLARE_FINAL_TYPE (InboxServerSqlite, inbox_server_sqlite, INBOX, SERVER_SQLITE, GObject)

InboxServerSqlite *inbox_server_sqlite_new (const char  *path,
                                            GError     **error);

G_END_DECLS
