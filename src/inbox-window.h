/* inbox-window.h: the app's window: a header bar over an InboxView
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "inbox-client.h"
#include "inbox-view.h"

G_BEGIN_DECLS

#define INBOX_TYPE_WINDOW (inbox_window_get_type ())

G_DECLARE_FINAL_TYPE (InboxWindow, inbox_window, INBOX, WINDOW, AdwApplicationWindow)

InboxWindow *inbox_window_new               (GtkApplication *application,
                                             InboxClient    *client,
                                             GSettings      *settings);
InboxView   *inbox_window_get_view          (InboxWindow    *self);
InboxClient *inbox_window_get_client        (InboxWindow    *self);
void         inbox_window_add_toast         (InboxWindow    *self,
                                             const char     *text);
void         inbox_window_set_preview_error (InboxWindow    *self,
                                             const char     *error);
const char  *inbox_window_get_preview_error (InboxWindow    *self);

G_END_DECLS
