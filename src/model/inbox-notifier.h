/* inbox-notifier.h: a desktop notification when a sync brings new messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <gio/gio.h>

#include "inbox-client.h"
#include "inbox-notification-sink.h"

G_BEGIN_DECLS

/**
 * INBOX_NOTIFIER_ACTION:
 *
 * The name of the application action ("app.inbox-show-message", with the
 * message's `_id` as its string parameter) that a notifier adds to its
 * [class@Gio.Application] for the notification's default action.
 */
#define INBOX_NOTIFIER_ACTION "inbox-show-message"

/**
 * INBOX_NOTIFIER_NOTIFICATION_ID:
 *
 * The id of the notifier's [class@Gio.Notification] in its application:
 * each new one replaces the last.
 */
#define INBOX_NOTIFIER_NOTIFICATION_ID "inbox-new-messages"

#define INBOX_TYPE_NOTIFIER (inbox_notifier_get_type ())

G_DECLARE_FINAL_TYPE (InboxNotifier, inbox_notifier, INBOX, NOTIFIER, GObject)

InboxNotifier         *inbox_notifier_new                (InboxClient           *client);
InboxClient           *inbox_notifier_get_client         (InboxNotifier         *self);
void                   inbox_notifier_set_client         (InboxNotifier         *self,
                                                          InboxClient           *client);
gboolean               inbox_notifier_get_enabled        (InboxNotifier         *self);
void                   inbox_notifier_set_enabled        (InboxNotifier         *self,
                                                          gboolean               enabled);
gboolean               inbox_notifier_get_window_active  (InboxNotifier         *self);
void                   inbox_notifier_set_window_active  (InboxNotifier         *self,
                                                          gboolean               window_active);
InboxNotificationSink *inbox_notifier_get_sink           (InboxNotifier         *self);
void                   inbox_notifier_set_sink           (InboxNotifier         *self,
                                                          InboxNotificationSink *sink);
GApplication          *inbox_notifier_get_application    (InboxNotifier         *self);
void                   inbox_notifier_set_application    (InboxNotifier         *self,
                                                          GApplication          *application);
void                   inbox_notifier_activate_message   (InboxNotifier         *self,
                                                          const char            *message_id);

G_END_DECLS
