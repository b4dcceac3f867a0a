/* inbox-payload.h: wire JSON to messages, with validation
 *
 * Reads one message, an array of messages, or a sync response (an object
 * with `inbox_notifs`; its other keys are ignored here); with
 * INBOX_PAYLOAD_FLAGS_ANY_SHAPE also `{"inbox_notifs_v2": [...]}` and
 * messages in Android's getData() shape (`id` for `_id`, `tags` at the top
 * level, `wzrkParams`). Each message is validated on its own: one bad
 * message never stops the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-json.h"
#include "inbox-message-private.h"

G_BEGIN_DECLS

/* Deeper JSON is refused before it is parsed (the parser recurses). */
#define INBOX_PAYLOAD_MAX_DEPTH INBOX_JSON_MAX_DEPTH

typedef enum {
  INBOX_PAYLOAD_FLAGS_NONE  = 0,
  INBOX_PAYLOAD_FLAGS_QUIET = 1 << 0, /* the caller reports warnings itself: log nothing */
  /* A developer's file (--check, --render, --preview): the `inbox_notifs_v2`
   * envelope and Android's CTInboxMessage.getData() shape are read too, and
   * an object that is no payload at all is refused as a whole.
   * inbox_payload_parse_file() always sets it; the sync does not. */
  INBOX_PAYLOAD_FLAGS_ANY_SHAPE = 1 << 1,
} InboxPayloadFlags;

typedef struct {
  guint         index;    /* position in the payload */
  char         *id;       /* the _id when there is a usable one, else NULL */
  InboxMessage *message;  /* NULL when invalid */
  GError       *error;    /* why it is invalid, else NULL */
  JsonObject   *json;     /* the message in the wire format (a getData() one
                           * rewritten), NULL when it is not an object */
  const char   *envelope; /* "inbox_notifs", "inbox_notifs_v2", "array" or "message" */
  gboolean      get_data; /* it came in Android's getData() shape */
} InboxPayloadItem;

void       inbox_payload_item_free  (InboxPayloadItem   *item);

GPtrArray *inbox_payload_parse      (const char         *data,
                                     gsize               length,
                                     gint64              now,
                                     InboxPayloadFlags   flags,
                                     GError            **error);
GPtrArray *inbox_payload_parse_full (const char         *data,
                                     gsize               length,
                                     gint64              now,
                                     InboxPayloadFlags   flags,
                                     JsonNode          **root,
                                     GError            **error);
GPtrArray *inbox_payload_parse_file (const char         *filename,
                                     gint64              now,
                                     InboxPayloadFlags   flags,
                                     GError            **error);
gboolean   inbox_payload_check_depth (const char        *data,
                                      gsize              length,
                                      guint              max_depth,
                                      GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InboxPayloadItem, inbox_payload_item_free)

G_END_DECLS
