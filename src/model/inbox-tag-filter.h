/* inbox-tag-filter.h: the messages of a store that carry one tag
 *
 * A GListModel that follows its store: a change in the store becomes the
 * matching change here (not a reset), so a tab's list keeps its place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "inbox-store.h"

G_BEGIN_DECLS

#define INBOX_TYPE_TAG_FILTER (inbox_tag_filter_get_type ())

G_DECLARE_FINAL_TYPE (InboxTagFilter, inbox_tag_filter, INBOX, TAG_FILTER, GObject)

InboxTagFilter *inbox_tag_filter_new      (GListModel     *model,
                                           const char     *tag);
const char     *inbox_tag_filter_get_tag  (InboxTagFilter *self);
guint           inbox_tag_filter_get_unread_count (InboxTagFilter *self);

G_END_DECLS
