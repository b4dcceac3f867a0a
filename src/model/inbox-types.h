/* inbox-types.h: enumerations and small types shared by the model layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * InboxTemplate:
 * @INBOX_TEMPLATE_SIMPLE: `simple`: media, title, message and up to three
 *   buttons. Also what a message of an unknown type is shown as.
 * @INBOX_TEMPLATE_ICON: `message-icon`: an icon beside the title and
 *   message, optional media below, buttons.
 * @INBOX_TEMPLATE_CAROUSEL: `carousel`: a carousel of slides, each with its
 *   image, title, message and link; no buttons.
 * @INBOX_TEMPLATE_IMAGE_CAROUSEL: `carousel-image`: a carousel of images
 *   only, each with its link; no text, no buttons.
 *
 * The four message templates (the `msg.type` of a message, docs/format.md
 * section 3). Each has its own widget class, and decides how many content
 * items a message shows: one for the first two, one per slide for the
 * carousels.
 *
 * See [func@AppInbox.Template.to_string] for the names on the wire.
 */
typedef enum {
  INBOX_TEMPLATE_SIMPLE,
  INBOX_TEMPLATE_ICON,
  INBOX_TEMPLATE_CAROUSEL,
  INBOX_TEMPLATE_IMAGE_CAROUSEL,
} InboxTemplate;

/**
 * InboxOrientation:
 * @INBOX_ORIENTATION_NATURAL: the picture's own aspect ratio (16:9 until the
 *   picture is loaded): any `orientation` other than `l` or `p`, or none.
 * @INBOX_ORIENTATION_LANDSCAPE: 16:9, `orientation` `l`.
 * @INBOX_ORIENTATION_SQUARE: 1:1, `orientation` `p`.
 *
 * How a message's media is shaped: the `msg.orientation` field of the
 * message format, read case-insensitively.
 */
typedef enum {
  INBOX_ORIENTATION_NATURAL,
  INBOX_ORIENTATION_LANDSCAPE,
  INBOX_ORIENTATION_SQUARE,
} InboxOrientation;

/**
 * InboxMediaKind:
 * @INBOX_MEDIA_NONE: no media (no `media` object, or one without a URL).
 * @INBOX_MEDIA_IMAGE: a still picture: an `image/` type other than GIF, a
 *   type that is not an image, video or audio type, or no type and a URL
 *   that does not end in `.gif`.
 * @INBOX_MEDIA_GIF: an animated GIF: `image/gif`, or no type and a URL
 *   ending in `.gif`.
 * @INBOX_MEDIA_VIDEO: a `video/` type; its still is the `poster`.
 * @INBOX_MEDIA_AUDIO: an `audio/` type.
 *
 * What kind of media a content item holds, from the `content_type` of its
 * `media` object. Video and audio play only in the `simple` and
 * `message-icon` templates; the carousels show every media URL as a picture.
 */
typedef enum {
  INBOX_MEDIA_NONE,
  INBOX_MEDIA_IMAGE,
  INBOX_MEDIA_GIF,
  INBOX_MEDIA_VIDEO,
  INBOX_MEDIA_AUDIO,
} InboxMediaKind;

/**
 * InboxLinkType:
 * @INBOX_LINK_URL: `url`: opens its link (see [method@AppInbox.Link.get_url]).
 * @INBOX_LINK_COPY: `copy`: puts its text on the clipboard (see
 *   [method@AppInbox.Link.get_copy_text]).
 * @INBOX_LINK_KV: `kv`: opens nothing; its string map goes to the embedding
 *   app (see [method@AppInbox.Link.get_kv]).
 *
 * What a button does: the `type` of a link of the message format. A link of
 * another type (`rfp`, a mobile push-permission prompt, or an unknown one)
 * is never an [class@AppInbox.Link]: its button slot stays empty.
 */
typedef enum {
  INBOX_LINK_URL,
  INBOX_LINK_COPY,
  INBOX_LINK_KV,
} InboxLinkType;

/**
 * INBOX_PAYLOAD_ERROR:
 *
 * The error domain of messages that cannot be read: see [error@AppInbox.PayloadError].
 */
#define INBOX_PAYLOAD_ERROR (inbox_payload_error_quark ())

/**
 * InboxPayloadError:
 * @INBOX_PAYLOAD_ERROR_INVALID: a message breaks a rule of the message
 *   format; the error message names the field (`msg.content[0].title`).
 * @INBOX_PAYLOAD_ERROR_NOT_JSON: the bytes are not JSON; the error message
 *   gives the line and column.
 * @INBOX_PAYLOAD_ERROR_NOT_PAYLOAD: JSON, but neither a message, an array of
 *   messages nor a sync response.
 *
 * Why a message, or a file or answer of messages, could not be read.
 * A message that is valid but not shown as written (an unknown template, a
 * button the desktop cannot show) is not an error: see
 * [method@AppInbox.Message.get_warnings].
 */
typedef enum {
  INBOX_PAYLOAD_ERROR_INVALID,
  INBOX_PAYLOAD_ERROR_NOT_JSON,
  INBOX_PAYLOAD_ERROR_NOT_PAYLOAD,
} InboxPayloadError;

GQuark inbox_payload_error_quark (void);

/**
 * InboxNowFunc:
 * @user_data: the data given with the function
 *
 * A clock that can be replaced, for tests and for tools that show the inbox
 * at another moment: what decides which messages have expired.
 *
 * Returns: the current time, in seconds since the epoch (UTC)
 */
typedef gint64 (*InboxNowFunc) (gpointer user_data);

gint64      inbox_now_real             (gpointer       user_data);

const char *inbox_template_to_string   (InboxTemplate  template_);
gboolean    inbox_template_from_string (const char    *str,
                                        InboxTemplate *out);

G_END_DECLS

/* INBOX_TYPE_TEMPLATE and the other enum types, from glib-mkenums */
#include "inbox-enums.h"
