/* inbox-store.h: the current user's live messages as a GListModel
 *
 * Newest first. Every change is written to the cache (with its outbox event)
 * before the model changes, so what the screen shows is never ahead of what
 * is on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "inbox-cache.h"

G_BEGIN_DECLS

#define INBOX_TYPE_STORE (inbox_store_get_type ())

G_DECLARE_FINAL_TYPE (InboxStore, inbox_store, INBOX, STORE, GObject)

InboxStore   *inbox_store_new             (InboxCache           *cache,
                                           const char           *user);
void          inbox_store_open_async      (const char           *path,
                                           const char           *user,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
InboxStore   *inbox_store_open_finish     (GAsyncResult         *result,
                                           GError              **error);
void          inbox_store_set_clock       (InboxStore           *self,
                                           InboxNowFunc          now_func,
                                           gpointer              now_data);
gint64        inbox_store_now             (InboxStore           *self);
InboxCache   *inbox_store_get_cache       (InboxStore           *self);
const char   *inbox_store_get_user        (InboxStore           *self);
guint         inbox_store_get_unread_count (InboxStore          *self);

gboolean      inbox_store_load            (InboxStore           *self,
                                           GError              **error);
void          inbox_store_load_async      (InboxStore           *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      inbox_store_load_finish     (InboxStore           *self,
                                           GAsyncResult         *result,
                                           GError              **error);
gboolean      inbox_store_merge           (InboxStore           *self,
                                           GPtrArray            *messages,
                                           const char * const   *deleted_ids,
                                           const char           *cursor,
                                           GError              **error);
void          inbox_store_merge_async     (InboxStore           *self,
                                           GPtrArray            *messages,
                                           const char * const   *deleted_ids,
                                           const char           *cursor,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      inbox_store_merge_finish    (InboxStore           *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void          inbox_store_purge_expired   (InboxStore           *self);

InboxMessage *inbox_store_lookup          (InboxStore           *self,
                                           const char           *id,
                                           guint                *position);
gboolean      inbox_store_set_read        (InboxStore           *self,
                                           InboxMessage         *message,
                                           gboolean              read,
                                           GError              **error);
gboolean      inbox_store_delete          (InboxStore           *self,
                                           InboxMessage         *message,
                                           GError              **error);
gboolean      inbox_store_set_read_many   (InboxStore           *self,
                                           const char * const   *ids,
                                           gboolean              read,
                                           GError              **error);
gboolean      inbox_store_mark_all_read   (InboxStore           *self,
                                           GError              **error);
gboolean      inbox_store_delete_many     (InboxStore           *self,
                                           const char * const   *ids,
                                           GError              **error);
gboolean      inbox_store_delete_all      (InboxStore           *self,
                                           GError              **error);
GPtrArray    *inbox_store_dup_unread      (InboxStore           *self);
void          inbox_store_hide            (InboxStore           *self,
                                           InboxMessage         *message);
void          inbox_store_unhide          (InboxStore           *self,
                                           InboxMessage         *message);
GPtrArray    *inbox_store_get_hidden      (InboxStore           *self);
InboxMessage *inbox_store_lookup_hidden   (InboxStore           *self,
                                           const char           *id);

void          inbox_store_load_content_async  (InboxStore       *self,
                                               GPtrArray        *messages,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
gboolean      inbox_store_load_content_finish (InboxStore       *self,
                                               GAsyncResult     *result,
                                               GError          **error);

gboolean      inbox_store_record_viewed   (InboxStore           *self,
                                           InboxMessage         *message,
                                           GError              **error);
gboolean      inbox_store_record_clicked  (InboxStore           *self,
                                           InboxMessage         *message,
                                           const char           *button_text,
                                           GError              **error);

/**
 * INBOX_STORE_VIEWED_DEBOUNCE:
 *
 * Seconds within which a repeated "Notification Viewed" for the same
 * message is dropped (docs/format.md section 4).
 */
#define INBOX_STORE_VIEWED_DEBOUNCE  2
/**
 * INBOX_STORE_CLICKED_DEBOUNCE:
 *
 * Seconds within which a repeated "Notification Clicked" for the same
 * message is dropped (docs/format.md section 4).
 */
#define INBOX_STORE_CLICKED_DEBOUNCE 5

G_END_DECLS
