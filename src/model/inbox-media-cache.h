/* inbox-media-cache.h: media by URL, as local files
 *
 * http(s) media is downloaded once into a folder of its own, keyed by a hash
 * of the URL. Paths relative to a base folder are allowed only where the
 * caller trusts the payload's folder (--render, --preview); file: URLs never.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INBOX_MEDIA_CACHE_MAX_BYTES (10 * 1024 * 1024)

#define INBOX_TYPE_MEDIA_CACHE (inbox_media_cache_get_type ())

G_DECLARE_FINAL_TYPE (InboxMediaCache, inbox_media_cache, INBOX, MEDIA_CACHE, GObject)

char            *inbox_media_cache_default_dir (void);
InboxMediaCache *inbox_media_cache_new         (const char          *dir);
void             inbox_media_cache_set_base    (InboxMediaCache     *self,
                                                GFile               *base);
void             inbox_media_cache_fetch_async (InboxMediaCache     *self,
                                                const char          *url,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GFile           *inbox_media_cache_fetch_finish (InboxMediaCache    *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

G_END_DECLS
