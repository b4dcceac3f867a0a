/* inbox-preview.h: --preview FILE, a window that follows a payload file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-window.h"

G_BEGIN_DECLS

/* How long a burst of changes to the file is left to settle before it is
 * read again (an editor's save is a few events). */
#define INBOX_PREVIEW_DEBOUNCE_MSEC 200

#define INBOX_TYPE_PREVIEW (inbox_preview_get_type ())

G_DECLARE_FINAL_TYPE (InboxPreview, inbox_preview, INBOX, PREVIEW, GObject)

InboxWindow  *inbox_preview_window_new    (GtkApplication  *application,
                                           InboxMediaCache *media,
                                           GSettings       *settings);
InboxPreview *inbox_preview_new           (InboxWindow  *window,
                                           GFile        *file);
void          inbox_preview_reload        (InboxPreview *self);
void          inbox_preview_set_following (InboxPreview *self,
                                           gboolean      following);
InboxWindow  *inbox_preview_get_window    (InboxPreview *self);
GFile        *inbox_preview_get_file      (InboxPreview *self);
const char   *inbox_preview_get_error     (InboxPreview *self);
guint         inbox_preview_get_n_loads   (InboxPreview *self);

GPtrArray    *inbox_preview_read_file     (const char   *filename,
                                           gint64        now,
                                           gboolean      include_expired,
                                           GString      *report,
                                           gboolean     *left_out,
                                           GError      **error);

G_END_DECLS
