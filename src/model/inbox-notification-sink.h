/* inbox-notification-sink.h: where an InboxNotifier's notifications go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define INBOX_TYPE_NOTIFICATION_SINK (inbox_notification_sink_get_type ())

G_DECLARE_INTERFACE (InboxNotificationSink, inbox_notification_sink, INBOX, NOTIFICATION_SINK, GObject)

/**
 * InboxNotificationSinkInterface:
 * @parent_iface: the parent interface
 * @send: shows a notification, replacing the one shown before
 * @withdraw: takes the notification shown back, if there is one
 *
 * The virtual functions of #InboxNotificationSink.
 */
struct _InboxNotificationSinkInterface
{
  GTypeInterface parent_iface;

  void (*send)     (InboxNotificationSink *self,
                    const char            *title,
                    const char            *body,
                    const char            *message_id);
  void (*withdraw) (InboxNotificationSink *self);
};

void inbox_notification_sink_send     (InboxNotificationSink *self,
                                       const char            *title,
                                       const char            *body,
                                       const char            *message_id);
void inbox_notification_sink_withdraw (InboxNotificationSink *self);

G_END_DECLS
