/* inbox-view-private.h: what the app and the tests reach into
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-read-tracker.h"
#include "inbox-sign-in-view.h"
#include "inbox-view.h"

G_BEGIN_DECLS

/*
 * InboxUriFunc:
 * Opens @uri; the default shows it with the desktop's handler (the portal in
 * the Flatpak). Tests put their own here.
 */
typedef void (*InboxUriFunc) (GtkWidget  *widget,
                              const char *uri,
                              gpointer    user_data);

void              inbox_view_set_uri_func      (InboxView    *self,
                                                InboxUriFunc  func,
                                                gpointer      user_data);
InboxReadTracker *inbox_view_get_read_tracker  (InboxView    *self);
InboxSignInView  *inbox_view_get_sign_in_view  (InboxView    *self);
gboolean          inbox_view_is_searching      (InboxView    *self);
gboolean          inbox_view_click_row         (InboxView       *self,
                                                GtkWidget       *row,
                                                GdkModifierType  state);

G_END_DECLS
