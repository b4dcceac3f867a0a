/* inbox-sync.h: the app's side of docs/sync-api.md
 *
 * One sync: send the outbox (oldest first, removing events only after a
 * 200), then fetch pages until `more` is false, then apply them all to the
 * cache in one transaction and update the store in place. Nothing of a
 * failed sync reaches the cache.
 *
 * Every answer is read as a stream and refused as soon as it holds more
 * than the page cap (INBOX_SYNC_PAGE_MAX_BYTES, 32 MiB, unless set
 * otherwise; a Content-Length over it is refused before reading), and a
 * page holding more messages than the `limit` asked for is refused: both
 * are INBOX_SYNC_ERROR_BAD_RESPONSE, and the cache stays as it was.
 *
 * inbox_sync_start() runs one and, when it fails for a passing reason
 * (offline, a bad answer), tries again with exponential backoff and jitter
 * while the session lasts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "inbox-session.h"
#include "inbox-store.h"

G_BEGIN_DECLS

#define INBOX_SYNC_ERROR (inbox_sync_error_quark ())

typedef enum {
  INBOX_SYNC_ERROR_UNAUTHORIZED, /* 401: the token is not (or no longer) valid */
  INBOX_SYNC_ERROR_OFFLINE,      /* unreachable, 5xx, timed out, cut short */
  INBOX_SYNC_ERROR_BAD_RESPONSE, /* an answer that does not parse or breaks the API */
  INBOX_SYNC_ERROR_INSECURE,     /* plain http to another machine */
  INBOX_SYNC_ERROR_CACHE,        /* the cache could not take it */
} InboxSyncError;

GQuark inbox_sync_error_quark (void);

#define INBOX_SYNC_CONNECT_TIMEOUT 10
#define INBOX_SYNC_TOTAL_TIMEOUT   30
#define INBOX_SYNC_PAGE_LIMIT      200
#define INBOX_SYNC_OUTBOX_BATCH    500
#define INBOX_SYNC_PAGE_MAX_BYTES  (32 * 1024 * 1024)
/* What one sync may bring, pages together (all is held until the last) */
#define INBOX_SYNC_MAX_ITEMS 200000

#define INBOX_TYPE_SYNC (inbox_sync_get_type ())

G_DECLARE_FINAL_TYPE (InboxSync, inbox_sync, INBOX, SYNC, GObject)

InboxSync   *inbox_sync_new              (InboxStore          *store,
                                          const char          *server_url,
                                          const char          *token);
InboxStore  *inbox_sync_get_store        (InboxSync           *self);
void         inbox_sync_set_user_agent   (InboxSync           *self,
                                          const char          *user_agent);
void         inbox_sync_set_timeouts     (InboxSync           *self,
                                          guint                connect_seconds,
                                          guint                total_seconds);
void         inbox_sync_set_page_limit   (InboxSync           *self,
                                          guint                limit);
void         inbox_sync_set_page_max_bytes (InboxSync         *self,
                                            gsize              max_bytes);
void         inbox_sync_set_backoff      (InboxSync           *self,
                                          guint                base_ms,
                                          guint                max_ms);
void         inbox_sync_set_session      (InboxSync           *self,
                                          InboxSession        *session);

void         inbox_sync_run_async        (InboxSync           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     inbox_sync_run_finish       (InboxSync           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

void         inbox_sync_start            (InboxSync           *self);
void         inbox_sync_stop             (InboxSync           *self);
gboolean     inbox_sync_is_running       (InboxSync           *self);
guint        inbox_sync_get_retry_delay  (InboxSync           *self);

guint        inbox_sync_backoff_delay    (guint                attempt,
                                          guint                base_ms,
                                          guint                max_ms,
                                          double               random);

G_END_DECLS
