/* inbox-sign-in-view.h: server, user and token, for the first run or a
 * token the server no longer takes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define INBOX_TYPE_SIGN_IN_VIEW (inbox_sign_in_view_get_type ())

G_DECLARE_FINAL_TYPE (InboxSignInView, inbox_sign_in_view, INBOX, SIGN_IN_VIEW, GtkWidget)

GtkWidget *inbox_sign_in_view_new        (void);
void       inbox_sign_in_view_set_fields (InboxSignInView *self,
                                          const char      *server_url,
                                          const char      *user);
void       inbox_sign_in_view_set_error  (InboxSignInView *self,
                                          const char      *error);
void       inbox_sign_in_view_set_busy   (InboxSignInView *self,
                                          gboolean         busy);
void       inbox_sign_in_view_submit     (InboxSignInView *self);
void       inbox_sign_in_view_focus_first_empty (InboxSignInView *self);

G_END_DECLS
