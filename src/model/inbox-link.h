/* inbox-link.h: one button of a message (docs/format.md section 2), and the
 * rule for which links may open (section 4), shared by the window that
 * opens them and the preferences that list the app schemes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <glib-object.h>

#include "inbox-types.h"

G_BEGIN_DECLS

#define INBOX_TYPE_LINK (inbox_link_get_type ())

G_DECLARE_FINAL_TYPE (InboxLink, inbox_link, INBOX, LINK, GObject)

InboxLinkType  inbox_link_get_link_type (InboxLink   *self);
const char    *inbox_link_get_text      (InboxLink   *self);
const char    *inbox_link_get_color     (InboxLink   *self);
const char    *inbox_link_get_bg        (InboxLink   *self);
const char    *inbox_link_get_url       (InboxLink   *self);
const char    *inbox_link_get_copy_text (InboxLink   *self);
GHashTable    *inbox_link_get_kv        (InboxLink   *self);

gboolean       inbox_link_is_app_scheme     (const char         *scheme);
gboolean       inbox_link_scheme_is_allowed (const char         *uri,
                                             const char * const *app_schemes);

G_END_DECLS
