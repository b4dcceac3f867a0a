/* inbox-view.h: everything of an inbox below the header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <adwaita.h>

#include "inbox-client.h"
#include "inbox-notifier.h"

G_BEGIN_DECLS

#define INBOX_TYPE_VIEW (inbox_view_get_type ())

G_DECLARE_FINAL_TYPE (InboxView, inbox_view, INBOX, VIEW, AdwBin)

GtkWidget          *inbox_view_new                   (InboxClient        *client);
InboxClient        *inbox_view_get_client            (InboxView          *self);
void                inbox_view_set_client            (InboxView          *self,
                                                      InboxClient        *client);
const char * const *inbox_view_get_tags              (InboxView          *self);
void                inbox_view_set_tags              (InboxView          *self,
                                                      const char * const *tags);
const char         *inbox_view_get_first_tab_title   (InboxView          *self);
void                inbox_view_set_first_tab_title   (InboxView          *self,
                                                      const char         *title);
const char         *inbox_view_get_empty_title       (InboxView          *self);
void                inbox_view_set_empty_title       (InboxView          *self,
                                                      const char         *title);
const char         *inbox_view_get_empty_description (InboxView          *self);
void                inbox_view_set_empty_description (InboxView          *self,
                                                      const char         *description);
const char * const *inbox_view_get_allowed_schemes   (InboxView          *self);
void                inbox_view_set_allowed_schemes   (InboxView          *self,
                                                      const char * const *schemes);
gboolean            inbox_view_get_open_links        (InboxView          *self);
void                inbox_view_set_open_links        (InboxView          *self,
                                                      gboolean            open_links);
gboolean            inbox_view_is_link_allowed       (InboxView          *self,
                                                      const char         *uri);
AdwViewStack       *inbox_view_get_view_stack        (InboxView          *self);
AdwViewSwitcherBar *inbox_view_get_switcher_bar      (InboxView          *self);
guint               inbox_view_get_badge             (InboxView          *self,
                                                      guint               tab);
const char         *inbox_view_get_visible_page      (InboxView          *self);
void                inbox_view_add_toast             (InboxView          *self,
                                                      AdwToast           *toast);
void                inbox_view_commit_deletes        (InboxView          *self);
InboxNotifier      *inbox_view_get_notifier          (InboxView          *self);
gboolean            inbox_view_reveal_message        (InboxView          *self,
                                                      const char         *message_id);
const char         *inbox_view_get_search_query      (InboxView          *self);
void                inbox_view_set_search_query      (InboxView          *self,
                                                      const char         *query);
gboolean            inbox_view_get_search_mode       (InboxView          *self);
void                inbox_view_set_search_mode       (InboxView          *self,
                                                      gboolean            search_mode);
gboolean            inbox_view_get_unread_only       (InboxView          *self);
void                inbox_view_set_unread_only       (InboxView          *self,
                                                      gboolean            unread_only);
gboolean            inbox_view_get_selection_mode    (InboxView          *self);
void                inbox_view_set_selection_mode    (InboxView          *self,
                                                      gboolean            selection_mode);
guint               inbox_view_get_n_selected        (InboxView          *self);
GActionGroup       *inbox_view_get_action_group      (InboxView          *self);

G_END_DECLS
