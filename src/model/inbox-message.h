/* inbox-message.h: one inbox message (docs/format.md section 1)
 *
 * A message is immutable once parsed, except for its read state (which only
 * the store changes). A message listed by a store knows its id, date,
 * expiry, read state, template and tags; the rest is read from its stored
 * JSON and parsed in a worker thread when it is loaded
 * (inbox_message_is_loaded(), inbox_store_load_content_async()). Getters
 * never do I/O: a content getter of a message whose content is not loaded
 * gives the empty value with a critical warning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "inbox-content.h"
#include "inbox-types.h"

G_BEGIN_DECLS

#define INBOX_TYPE_MESSAGE (inbox_message_get_type ())

G_DECLARE_FINAL_TYPE (InboxMessage, inbox_message, INBOX, MESSAGE, GObject)

/* List columns: never parse. */
const char       *inbox_message_get_id              (InboxMessage         *self);
gint64            inbox_message_get_date            (InboxMessage         *self);
gint64            inbox_message_get_expires         (InboxMessage         *self);
gboolean          inbox_message_is_expired          (InboxMessage         *self,
                                                     gint64                now);
gboolean          inbox_message_get_read            (InboxMessage         *self);
InboxTemplate     inbox_message_get_template        (InboxMessage         *self);
const char * const *inbox_message_get_tags          (InboxMessage         *self);
gboolean          inbox_message_has_tag             (InboxMessage         *self,
                                                     const char           *tag);
gboolean          inbox_message_is_loaded           (InboxMessage         *self);

/* Full content: once loaded (inbox_message_is_loaded()). */
gboolean          inbox_message_load                (InboxMessage         *self,
                                                     GError              **error);
const char       *inbox_message_get_type_name       (InboxMessage         *self);
const char       *inbox_message_get_bg              (InboxMessage         *self);
InboxOrientation  inbox_message_get_orientation     (InboxMessage         *self);
GHashTable       *inbox_message_get_custom_kv       (InboxMessage         *self);
JsonObject       *inbox_message_get_wzrk_fields     (InboxMessage         *self);
guint             inbox_message_get_n_contents      (InboxMessage         *self);
InboxContent     *inbox_message_get_content         (InboxMessage         *self,
                                                     guint                 index);
const char * const *inbox_message_get_warnings      (InboxMessage         *self);
char             *inbox_message_to_json             (InboxMessage         *self,
                                                     GError              **error);
gboolean          inbox_message_equal               (InboxMessage         *a,
                                                     InboxMessage         *b,
                                                     char                **difference);

G_END_DECLS
