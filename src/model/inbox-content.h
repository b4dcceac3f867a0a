/* inbox-content.h: one content item of a message, or one carousel slide
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <glib-object.h>

#include "inbox-link.h"
#include "inbox-types.h"

G_BEGIN_DECLS

#define INBOX_TYPE_CONTENT (inbox_content_get_type ())

G_DECLARE_FINAL_TYPE (InboxContent, inbox_content, INBOX, CONTENT, GObject)

/**
 * INBOX_CONTENT_MAX_LINKS:
 *
 * The number of button slots of a content item: `links[0]` to `links[2]`
 * fill them by index (docs/format.md section 2); later links are not shown.
 */
#define INBOX_CONTENT_MAX_LINKS 3

const char     *inbox_content_get_title           (InboxContent *self);
const char     *inbox_content_get_title_color     (InboxContent *self);
const char     *inbox_content_get_message         (InboxContent *self);
const char     *inbox_content_get_message_color   (InboxContent *self);
InboxMediaKind  inbox_content_get_media_kind      (InboxContent *self);
const char     *inbox_content_get_media_url       (InboxContent *self);
const char     *inbox_content_get_media_type      (InboxContent *self);
const char     *inbox_content_get_media_poster    (InboxContent *self);
const char     *inbox_content_get_media_alt_text  (InboxContent *self);
const char     *inbox_content_get_icon_url        (InboxContent *self);
const char     *inbox_content_get_icon_alt_text   (InboxContent *self);
const char     *inbox_content_get_url             (InboxContent *self);
guint           inbox_content_get_n_links         (InboxContent *self);
InboxLink      *inbox_content_get_link            (InboxContent *self,
                                                   guint         index);
gboolean        inbox_content_has_buttons         (InboxContent *self);
const char     *inbox_content_get_slot_type       (InboxContent *self,
                                                   guint         index);
const char     *inbox_content_get_slot_label      (InboxContent *self,
                                                   guint         index);

G_END_DECLS
