/* inbox-message-private.h: what of InboxMessage only the library uses
 *
 * Not installed, not scanned for introspection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "inbox-message.h"

G_BEGIN_DECLS

/* Making a message: the payload parser and the cache. */
/**
 * InboxMessageLoadFunc:
 * Returns the stored JSON of message @id, or %NULL with @error set.
 */
typedef char *(*InboxMessageLoadFunc) (gpointer     user_data,
                                       const char  *id,
                                       GError     **error);

InboxMessage     *inbox_message_new_from_json       (JsonObject           *object,
                                                     const char           *raw,
                                                     gsize                 raw_length,
                                                     gint64                now,
                                                     GError              **error);
InboxMessage     *inbox_message_new_lazy            (const char           *id,
                                                     gint64                date,
                                                     gint64                expires,
                                                     gboolean              read,
                                                     InboxTemplate         template_,
                                                     const char * const   *tags,
                                                     InboxMessageLoadFunc  load_func,
                                                     gpointer              load_data,
                                                     GDestroyNotify        load_data_destroy);

void              inbox_message_set_read            (InboxMessage         *self,
                                                     gboolean              read);

/* The full content, read and parsed apart from the message (in a worker
 * thread), then attached on the main thread. */
typedef struct _InboxMessageBody InboxMessageBody;

void              inbox_message_body_free           (InboxMessageBody     *body);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InboxMessageBody, inbox_message_body_free)

InboxMessageBody *inbox_message_read_body           (InboxMessage         *self,
                                                     GError              **error);
void              inbox_message_attach_body         (InboxMessage         *self,
                                                     InboxMessageBody     *body,
                                                     const GError         *error,
                                                     gboolean              keep);
gboolean          inbox_message_needs_load          (InboxMessage         *self);

/* Who shows the content holds it; a lazy message's content goes when the
 * last holder lets go (unless it was loaded on purpose). Main thread. */
void              inbox_message_hold_content        (InboxMessage         *self);
void              inbox_message_release_content     (InboxMessage         *self);

/* Loading in a worker thread, attached on the main thread before the
 * callback; requests in one main-loop turn go as one batch. Main thread. */
void              inbox_message_load_contents_async (GPtrArray            *messages,
                                                     gboolean              keep,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          inbox_message_load_contents_finish (GAsyncResult        *result,
                                                     GError              **error);
void              inbox_message_request_content     (InboxMessage         *self);

G_END_DECLS
