/* inbox-content-private.h: what of InboxContent only the library uses
 *
 * Not installed, not scanned for introspection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "inbox-content.h"
#include "inbox-json.h"

G_BEGIN_DECLS

InboxContent   *inbox_content_new_from_json       (JsonObject          *object,
                                                   const InboxJsonPath *path,
                                                   InboxTemplate        template_,
                                                   GPtrArray    *warnings,
                                                   GError      **error);

G_END_DECLS
