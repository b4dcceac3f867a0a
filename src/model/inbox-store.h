/* inbox-store.h: the current user's live messages as a GListModel
 *
 * Newest first. Every change is written to the cache (with its outbox event)
 * before the model changes, so what the screen shows is never ahead of what
 * is on disk. This is the host app's API to the messages; what only the
 * library uses (making, loading and merging a store, Undo) is in
 * inbox-store-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <gio/gio.h>

#include "inbox-cache-error.h"
#include "inbox-message.h"

G_BEGIN_DECLS

#define INBOX_TYPE_STORE (inbox_store_get_type ())

G_DECLARE_FINAL_TYPE (InboxStore, inbox_store, INBOX, STORE, GObject)

const char   *inbox_store_get_user        (InboxStore           *self);
guint         inbox_store_get_unread_count (InboxStore          *self);
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

/* Inside this tree (the library, the app, the tests) the internals come
 * along, so that callers written before the split still build; new code
 * includes inbox-store-private.h itself. Never seen by a host app: that
 * header is not installed, and APPINBOX_COMPILATION is not defined there. */
#ifdef APPINBOX_COMPILATION
#include "inbox-store-private.h"
#endif
