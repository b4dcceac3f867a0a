/* inbox-notification-sink.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-notification-sink"

#include "config.h"

#include "inbox-notification-sink.h"

/**
 * InboxNotificationSink:
 *
 * Where an [class@AppInbox.Notifier] sends its notification instead of the
 * desktop: an app that has notifications of its own (a tray, a log) sets
 * [property@AppInbox.Notifier:sink], and so do tests. Without a sink the
 * notifier sends a [class@Gio.Notification] through its
 * [class@Gio.Application].
 *
 * There is one notification at a time: [method@AppInbox.NotificationSink.send]
 * replaces the one shown before.
 */

G_DEFINE_INTERFACE (InboxNotificationSink, inbox_notification_sink, G_TYPE_OBJECT)

static void
inbox_notification_sink_default_init (InboxNotificationSinkInterface *iface)
{
}

/**
 * inbox_notification_sink_send:
 * @self: a sink
 * @title: the notification's title
 * @body: (nullable): its text, or %NULL for none
 * @message_id: the `_id` of the message its default action shows
 *
 * Shows a notification, in place of the one shown before. Activating it
 * should call [method@AppInbox.Notifier.activate_message] with @message_id.
 */
void
inbox_notification_sink_send (InboxNotificationSink *self,
                              const char            *title,
                              const char            *body,
                              const char            *message_id)
{
  InboxNotificationSinkInterface *iface;

  g_return_if_fail (INBOX_IS_NOTIFICATION_SINK (self));
  g_return_if_fail (title != NULL);
  g_return_if_fail (message_id != NULL);

  iface = INBOX_NOTIFICATION_SINK_GET_IFACE (self);
  g_return_if_fail (iface->send != NULL);
  iface->send (self, title, body, message_id);
}

/**
 * inbox_notification_sink_withdraw:
 * @self: a sink
 *
 * Takes back the notification shown, if any: the user is looking at the
 * inbox now.
 */
void
inbox_notification_sink_withdraw (InboxNotificationSink *self)
{
  InboxNotificationSinkInterface *iface;

  g_return_if_fail (INBOX_IS_NOTIFICATION_SINK (self));

  iface = INBOX_NOTIFICATION_SINK_GET_IFACE (self);
  if (iface->withdraw != NULL)
    iface->withdraw (self);
}
