/* inbox-sync-page.h: one page of `GET /v1/inbox` (docs/sync-api.md), checked
 *
 * The body of one answer, read in full (the sync caps its size), becomes
 * the page's messages, cursor, `more` and `deleted`, or a GError in
 * INBOX_SYNC_ERROR_BAD_RESPONSE that names what is wrong. No I/O and no
 * global state: the sync calls it in a thread, the fuzz target and the
 * tests call it directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GPtrArray *items;    /* InboxPayloadItem, one per element of `inbox_notifs`, valid or not */
  char      *cursor;
  gboolean   more;
  GPtrArray *deleted;  /* char *: the ids of `deleted` */
} InboxSyncPage;

InboxSyncPage *inbox_sync_page_parse (GBytes         *body,
                                      const char     *user,
                                      guint           limit,
                                      gint64          now,
                                      GError        **error);
void           inbox_sync_page_free  (InboxSyncPage  *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InboxSyncPage, inbox_sync_page_free)

G_END_DECLS
