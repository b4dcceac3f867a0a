/* inbox-types.h: enumerations and small types shared by the model layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * InboxTemplate:
 * The four message templates of payload.md section 3.
 */
typedef enum {
  INBOX_TEMPLATE_SIMPLE,
  INBOX_TEMPLATE_ICON,
  INBOX_TEMPLATE_CAROUSEL,
  INBOX_TEMPLATE_IMAGE_CAROUSEL,
} InboxTemplate;

/**
 * InboxOrientation:
 * How media is shaped: 16:9 (`l`), 1:1 (`p`), or the image's own ratio.
 */
typedef enum {
  INBOX_ORIENTATION_NATURAL,
  INBOX_ORIENTATION_LANDSCAPE,
  INBOX_ORIENTATION_SQUARE,
} InboxOrientation;

typedef enum {
  INBOX_MEDIA_NONE,
  INBOX_MEDIA_IMAGE,
  INBOX_MEDIA_GIF,
  INBOX_MEDIA_VIDEO,
  INBOX_MEDIA_AUDIO,
} InboxMediaKind;

typedef enum {
  INBOX_LINK_URL,
  INBOX_LINK_COPY,
  INBOX_LINK_KV,
} InboxLinkType;

#define INBOX_PAYLOAD_ERROR (inbox_payload_error_quark ())

typedef enum {
  INBOX_PAYLOAD_ERROR_INVALID,     /* a message breaks a rule; the message names the field */
  INBOX_PAYLOAD_ERROR_NOT_JSON,    /* the bytes are not JSON (line and column given) */
  INBOX_PAYLOAD_ERROR_NOT_PAYLOAD, /* JSON, but neither a message, an array nor a sync response */
} InboxPayloadError;

GQuark inbox_payload_error_quark (void);

/**
 * InboxNowFunc:
 * An injectable clock: returns the current time in epoch seconds.
 */
typedef gint64 (*InboxNowFunc) (gpointer user_data);

gint64      inbox_now_real             (gpointer       user_data);

const char *inbox_template_to_string   (InboxTemplate  template_);
gboolean    inbox_template_from_string (const char    *str,
                                        InboxTemplate *out);

G_END_DECLS
