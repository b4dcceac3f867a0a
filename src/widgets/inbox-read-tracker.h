/* inbox-read-tracker.h: marks a message read once half of it has been on
 * screen for 2 seconds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "inbox-store.h"

G_BEGIN_DECLS

#define INBOX_READ_TRACKER_DWELL_USEC (2 * G_USEC_PER_SEC)

typedef gint64 (*InboxMonotonicFunc) (gpointer user_data);

#define INBOX_TYPE_READ_TRACKER (inbox_read_tracker_get_type ())

G_DECLARE_FINAL_TYPE (InboxReadTracker, inbox_read_tracker, INBOX, READ_TRACKER, GObject)

InboxReadTracker *inbox_read_tracker_new        (InboxStore         *store);
void              inbox_read_tracker_add_view   (InboxReadTracker   *self,
                                                 GtkWidget          *scrolled_window,
                                                 GtkWidget          *list_view);
void              inbox_read_tracker_set_active (InboxReadTracker   *self,
                                                 gboolean            active);
void              inbox_read_tracker_set_clock  (InboxReadTracker   *self,
                                                 InboxMonotonicFunc  now_func,
                                                 gpointer            now_data);
void              inbox_read_tracker_tick       (InboxReadTracker   *self);

G_END_DECLS
