/* inbox-server-db.h: the inbox server's SQLite database
 *
 * Users (only a hash of each token is kept), their segments, campaigns, one
 * delivery per (user, campaign) and the events the apps sent. Every change to
 * a delivery takes the next revision number: a client's sync cursor is the
 * last revision it has seen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define INBOX_SERVER_ERROR (inbox_server_error_quark ())

typedef enum {
  INBOX_SERVER_ERROR_FAILED,      /* the database said no */
  INBOX_SERVER_ERROR_BAD_REQUEST, /* the request breaks a rule; the message names it */
  INBOX_SERVER_ERROR_NOT_FOUND,
  INBOX_SERVER_ERROR_CONFLICT,
} InboxServerError;

GQuark inbox_server_error_quark (void);

#define INBOX_SERVER_EVENTS_MAX 500
#define INBOX_SERVER_TS_MAX     G_GINT64_CONSTANT (253402300799) /* 9999-12-31T23:59:59Z */

#define INBOX_TYPE_SERVER_DB (inbox_server_db_get_type ())

G_DECLARE_FINAL_TYPE (InboxServerDb, inbox_server_db, INBOX, SERVER_DB, GObject)

char          *inbox_server_hash_token        (const char          *token);
char          *inbox_server_random_hex        (gsize                n_bytes);

InboxServerDb *inbox_server_db_new            (const char          *path,
                                               GError             **error);
char          *inbox_server_db_create_user    (InboxServerDb       *self,
                                               const char          *name,
                                               const char * const  *segments,
                                               gboolean             replace_token,
                                               GError             **error);
gint64         inbox_server_db_lookup_token   (InboxServerDb       *self,
                                               const char          *token,
                                               char               **name);
gboolean       inbox_server_db_publish        (InboxServerDb       *self,
                                               const char          *campaign_id,
                                               JsonObject          *target,
                                               const char          *message_json,
                                               gint64               now,
                                               gint64               expires,
                                               guint               *delivered,
                                               GError             **error);
GString       *inbox_server_db_inbox_page     (InboxServerDb       *self,
                                               gint64               user_id,
                                               const char          *user_name,
                                               gint64               since,
                                               guint                limit,
                                               gint64               now,
                                               GError             **error);
gboolean       inbox_server_db_record_events  (InboxServerDb       *self,
                                               gint64               user_id,
                                               JsonArray           *events,
                                               guint               *accepted,
                                               guint               *duplicates,
                                               GError             **error);
JsonNode      *inbox_server_db_get_campaign   (InboxServerDb       *self,
                                               const char          *campaign_id,
                                               GError             **error);

void           inbox_server_append_json_string (GString            *out,
                                                const char         *str);

G_END_DECLS
