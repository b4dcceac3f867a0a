/* inbox-cache.h: the on-device store of messages, outbox and sync cursor
 *
 * One SQLite database (WAL). Every write is one transaction: a batch of
 * messages lands whole or not at all, and a change of read state or a delete
 * lands together with the outbox event that tells the server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "inbox-cache-error.h"
#include "inbox-message-private.h"
#include "inbox-search.h"

G_BEGIN_DECLS

#define INBOX_CACHE_SCHEMA_VERSION 3

/* A cache that lives and dies with the process (--preview). */
#define INBOX_CACHE_IN_MEMORY ":memory:"

/* INBOX_CACHE_ERROR, InboxCacheError: inbox-cache-error.h (public) */

typedef struct {
  gint64  seq;         /* order of writing */
  char   *event_id;    /* a UUID: the server drops repeats */
  char   *type;        /* read, unread, deleted, Notification Viewed, … */
  char   *message_id;
  gint64  ts;
  char   *props;       /* a JSON object */
} InboxOutboxEvent;

void inbox_outbox_event_free (InboxOutboxEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InboxOutboxEvent, inbox_outbox_event_free)

#define INBOX_TYPE_CACHE (inbox_cache_get_type ())

G_DECLARE_FINAL_TYPE (InboxCache, inbox_cache, INBOX, CACHE, GObject)

/* For tests: sees every statement run (inbox_cache_set_query_hook()). */
typedef void (*InboxCacheQueryHook) (const char *sql,
                                     gpointer    user_data);

char        *inbox_cache_default_path      (void);
InboxCache  *inbox_cache_new               (const char           *path,
                                            GError              **error);
void         inbox_cache_new_async         (const char           *path,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
InboxCache  *inbox_cache_new_finish        (GAsyncResult         *result,
                                            GError              **error);
const char  *inbox_cache_get_path          (InboxCache           *self);
const GError *inbox_cache_get_recovery_error (InboxCache         *self);
int          inbox_cache_get_schema_version (InboxCache          *self);
void         inbox_cache_set_query_hook    (InboxCache           *self,
                                            InboxCacheQueryHook   hook,
                                            gpointer              user_data);

gboolean     inbox_cache_apply             (InboxCache           *self,
                                            const char           *user,
                                            GPtrArray            *messages,
                                            const char * const   *deleted_ids,
                                            const char           *cursor,
                                            gint64                now,
                                            GHashTable          **changed_ids,
                                            GError              **error);
GPtrArray   *inbox_cache_load_list         (InboxCache           *self,
                                            const char           *user,
                                            gint64                now,
                                            GError              **error);
char        *inbox_cache_load_json         (InboxCache           *self,
                                            const char           *user,
                                            const char           *id,
                                            GError              **error);
GPtrArray   *inbox_cache_search            (InboxCache           *self,
                                            const char           *user,
                                            InboxSearch          *search,
                                            GError              **error);
gboolean     inbox_cache_set_read          (InboxCache           *self,
                                            const char           *user,
                                            const char           *id,
                                            gboolean              read,
                                            gint64                now,
                                            GError              **error);
gboolean     inbox_cache_delete_message    (InboxCache           *self,
                                            const char           *user,
                                            const char           *id,
                                            gint64                now,
                                            GError              **error);
gboolean     inbox_cache_set_read_many     (InboxCache           *self,
                                            const char           *user,
                                            const char * const   *ids,
                                            gboolean              read,
                                            gint64                now,
                                            GPtrArray           **changed,
                                            GError              **error);
gboolean     inbox_cache_delete_many       (InboxCache           *self,
                                            const char           *user,
                                            const char * const   *ids,
                                            gint64                now,
                                            GPtrArray           **changed,
                                            GError              **error);
gboolean     inbox_cache_add_event         (InboxCache           *self,
                                            const char           *user,
                                            const char           *type,
                                            const char           *message_id,
                                            const char           *props,
                                            gint64                now,
                                            GError              **error);
GPtrArray   *inbox_cache_peek_outbox       (InboxCache           *self,
                                            const char           *user,
                                            guint                 limit,
                                            GError              **error);
gboolean     inbox_cache_remove_outbox     (InboxCache           *self,
                                            const char * const   *event_ids,
                                            GError              **error);
gboolean     inbox_cache_forget_user       (InboxCache           *self,
                                            const char           *user,
                                            GError              **error);
char        *inbox_cache_get_cursor        (InboxCache           *self,
                                            const char           *user,
                                            GError              **error);

G_END_DECLS
