/* inbox-store-private.h: what of InboxStore only the library uses
 *
 * Making and opening a store on a cache, loading and merging (InboxClient,
 * the sync, the preview), a test clock, and hiding for Undo (the view). Not
 * installed, not scanned for introspection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-cache.h"
#include "inbox-search.h"
#include "inbox-store.h"
#include "inbox-types.h"

G_BEGIN_DECLS

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
void          inbox_store_hide            (InboxStore           *self,
                                           InboxMessage         *message);
void          inbox_store_unhide          (InboxStore           *self,
                                           InboxMessage         *message);
void          inbox_store_delete_many_async (InboxStore         *self,
                                             const char * const *ids,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean      inbox_store_delete_many_finish (InboxStore        *self,
                                              GAsyncResult      *result,
                                              GError           **error);
void          inbox_store_hide_many       (InboxStore           *self,
                                           const char * const   *ids);
void          inbox_store_unhide_many     (InboxStore           *self,
                                           const char * const   *ids);
GPtrArray    *inbox_store_get_hidden      (InboxStore           *self);
InboxMessage *inbox_store_lookup_hidden   (InboxStore           *self,
                                           const char           *id);
void          inbox_store_search_async    (InboxStore           *self,
                                           InboxSearch          *search,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GHashTable   *inbox_store_search_finish   (InboxStore           *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
