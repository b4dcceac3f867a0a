/* inbox-media-cache.h: media by URL, as local files
 *
 * http(s) media is kept in a folder of its own ($XDG_CACHE_HOME/app-inbox/
 * media), keyed by a hash of the URL, with the server's ETag and freshness
 * beside it: a stale copy is revalidated with a conditional request, and a
 * cached copy is used when the server cannot be reached. Each download is
 * capped (10 MB for pictures, configurable for video and audio), and the
 * whole folder is kept under a total size by dropping the least recently
 * used files. Paths relative to a base folder are allowed only where the
 * caller trusts the payload's folder (--render, --preview); file: URLs never.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <gio/gio.h>

#include "inbox-types.h"

G_BEGIN_DECLS

/**
 * INBOX_MEDIA_CACHE_MAX_BYTES:
 *
 * The most bytes one picture or GIF may have: 10 MiB.
 */
#define INBOX_MEDIA_CACHE_MAX_BYTES       (10 * 1024 * 1024)
/**
 * INBOX_MEDIA_CACHE_MAX_VIDEO_BYTES:
 *
 * The most bytes one video or audio file may have unless set otherwise
 * with inbox_media_cache_set_limits(): 50 MiB.
 */
#define INBOX_MEDIA_CACHE_MAX_VIDEO_BYTES (50 * 1024 * 1024)
/**
 * INBOX_MEDIA_CACHE_TOTAL_BYTES:
 *
 * The most bytes the media folder keeps unless set otherwise with
 * inbox_media_cache_set_limits(): 200 MiB.
 */
#define INBOX_MEDIA_CACHE_TOTAL_BYTES     (200 * 1024 * 1024)

#define INBOX_TYPE_MEDIA_CACHE (inbox_media_cache_get_type ())

G_DECLARE_FINAL_TYPE (InboxMediaCache, inbox_media_cache, INBOX, MEDIA_CACHE, GObject)

char            *inbox_media_cache_default_dir (void);
void             inbox_media_cache_remove_dir  (const char          *path);
InboxMediaCache *inbox_media_cache_new         (const char          *dir);
void             inbox_media_cache_set_base    (InboxMediaCache     *self,
                                                GFile               *base);
void             inbox_media_cache_set_limits  (InboxMediaCache     *self,
                                                guint64              max_video_bytes,
                                                guint64              total_bytes);
void             inbox_media_cache_fetch_async (InboxMediaCache     *self,
                                                const char          *url,
                                                InboxMediaKind       kind,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GFile           *inbox_media_cache_fetch_finish (InboxMediaCache    *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
guint64          inbox_media_cache_get_size    (InboxMediaCache     *self);

G_END_DECLS
