/* inbox-window.h: the inbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "inbox-media-cache.h"
#include "inbox-read-tracker.h"
#include "inbox-sign-in-view.h"
#include "inbox-store.h"

G_BEGIN_DECLS

#define INBOX_TYPE_WINDOW (inbox_window_get_type ())

G_DECLARE_FINAL_TYPE (InboxWindow, inbox_window, INBOX, WINDOW, AdwApplicationWindow)

/**
 * InboxUriFunc:
 * Opens @uri; the default shows it with the desktop's handler (the portal in
 * the Flatpak). Tests put their own here.
 */
typedef void (*InboxUriFunc) (GtkWindow  *window,
                              const char *uri,
                              gpointer    user_data);

InboxWindow      *inbox_window_new             (GtkApplication     *application,
                                                InboxStore         *store,
                                                InboxMediaCache    *media,
                                                GSettings          *settings);
InboxStore       *inbox_window_get_store       (InboxWindow        *self);
InboxReadTracker *inbox_window_get_read_tracker (InboxWindow       *self);
void              inbox_window_set_tags        (InboxWindow        *self,
                                                const char * const *tags);
void              inbox_window_set_allowed_schemes (InboxWindow    *self,
                                                    const char * const *schemes);
void              inbox_window_set_uri_func    (InboxWindow        *self,
                                                InboxUriFunc        func,
                                                gpointer            user_data);
void              inbox_window_set_loaded      (InboxWindow        *self,
                                                gboolean            loaded);
void              inbox_window_set_syncing     (InboxWindow        *self,
                                                gboolean            syncing);
void              inbox_window_set_offline     (InboxWindow        *self,
                                                const char         *reason);
void              inbox_window_show_error      (InboxWindow        *self,
                                                const char         *reason);
void              inbox_window_set_preview_error (InboxWindow      *self,
                                                  const char       *error);
const char       *inbox_window_get_preview_error (InboxWindow      *self);
void              inbox_window_add_toast       (InboxWindow        *self,
                                                const char         *text);
void              inbox_window_show_sign_in    (InboxWindow        *self,
                                                const char         *server_url,
                                                const char         *user,
                                                const char         *reason);
void              inbox_window_set_sign_in_error (InboxWindow      *self,
                                                  const char       *reason);
void              inbox_window_hide_sign_in    (InboxWindow        *self);
InboxSignInView  *inbox_window_get_sign_in_view (InboxWindow       *self);
const char       *inbox_window_get_state       (InboxWindow        *self);
void              inbox_window_commit_deletes  (InboxWindow        *self);
gboolean          inbox_window_is_link_allowed (InboxWindow        *self,
                                                const char         *uri);

G_END_DECLS
