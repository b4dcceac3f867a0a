/* inbox-server-store.h: where the inbox server keeps its data
 *
 * Users (only a hash of each token is kept), their segments, campaigns, one
 * delivery per (user, campaign) and the events the apps sent. Every change to
 * a user's delivery takes a revision number above all that user's earlier
 * ones: a client's sync cursor is the last revision it has seen.
 *
 * The HTTP layer (inbox-server.c) talks to this interface only. Two stores
 * implement it: InboxServerSqlite (a file; one server process) and
 * InboxServerPg (a PostgreSQL database; any number of server processes).
 * inbox_server_store_open() picks one from what `--db` says.
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
/* bytes: an event_id, a user's or a segment's name (keys of the stores'
 * indexes; PostgreSQL refuses an index entry past about 2,700 bytes) */
#define INBOX_SERVER_KEY_MAX    1024
#define INBOX_SERVER_TS_MAX     G_GINT64_CONSTANT (253402300799) /* 9999-12-31T23:59:59Z */

#define INBOX_TYPE_SERVER_STORE (inbox_server_store_get_type ())

G_DECLARE_INTERFACE (InboxServerStore, inbox_server_store, INBOX, SERVER_STORE, GObject)

struct _InboxServerStoreInterface
{
  GTypeInterface parent_iface;

  char     *(*create_user)   (InboxServerStore    *self,
                              const char          *name,
                              const char * const  *segments,
                              gboolean             replace_token,
                              GError             **error);
  gint64    (*lookup_token)  (InboxServerStore    *self,
                              const char          *token,
                              char               **name,
                              GError             **error);
  gboolean  (*publish)       (InboxServerStore    *self,
                              const char          *campaign_id,
                              JsonObject          *target,
                              const char          *message_json,
                              gint64               now,
                              gint64               expires,
                              guint               *delivered,
                              GError             **error);
  GString  *(*inbox_page)    (InboxServerStore    *self,
                              gint64               user_id,
                              const char          *user_name,
                              gint64               since,
                              guint                limit,
                              gint64               now,
                              GError             **error);
  gboolean  (*record_events) (InboxServerStore    *self,
                              gint64               user_id,
                              JsonArray           *events,
                              guint               *accepted,
                              guint               *duplicates,
                              GError             **error);
  JsonNode *(*get_campaign)  (InboxServerStore    *self,
                              const char          *campaign_id,
                              GError             **error);
};

InboxServerStore *inbox_server_store_open         (const char          *location,
                                                   const char          *password,
                                                   GError             **error);
gboolean          inbox_server_store_is_uri       (const char          *location);
char             *inbox_server_store_redact       (const char          *location);

char          *inbox_server_store_create_user    (InboxServerStore    *self,
                                                  const char          *name,
                                                  const char * const  *segments,
                                                  gboolean             replace_token,
                                                  GError             **error);
gint64         inbox_server_store_lookup_token   (InboxServerStore    *self,
                                                  const char          *token,
                                                  char               **name,
                                                  GError             **error);
gboolean       inbox_server_store_publish        (InboxServerStore    *self,
                                                  const char          *campaign_id,
                                                  JsonObject          *target,
                                                  const char          *message_json,
                                                  gint64               now,
                                                  gint64               expires,
                                                  guint               *delivered,
                                                  GError             **error);
GString       *inbox_server_store_inbox_page     (InboxServerStore    *self,
                                                  gint64               user_id,
                                                  const char          *user_name,
                                                  gint64               since,
                                                  guint                limit,
                                                  gint64               now,
                                                  GError             **error);
gboolean       inbox_server_store_record_events  (InboxServerStore    *self,
                                                  gint64               user_id,
                                                  JsonArray           *events,
                                                  guint               *accepted,
                                                  guint               *duplicates,
                                                  GError             **error);
JsonNode      *inbox_server_store_get_campaign   (InboxServerStore    *self,
                                                  const char          *campaign_id,
                                                  GError             **error);

/* Shared by the stores */
char          *inbox_server_hash_token           (const char          *token);
char          *inbox_server_random_hex           (gsize                n_bytes);
void           inbox_server_append_json_string   (GString             *out,
                                                  const char          *str);
gboolean       inbox_server_check_events         (JsonArray           *events,
                                                  GError             **error);
JsonNode      *inbox_server_campaign_json        (const char          *campaign_id,
                                                  gint64               created,
                                                  gint64               expires,
                                                  const char          *target_json,
                                                  const char          *message_json,
                                                  const gint64         counts[5]);

G_END_DECLS
