/* inbox-link-private.h: what of InboxLink only the library uses
 *
 * Not installed, not scanned for introspection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "inbox-json.h"
#include "inbox-link.h"

G_BEGIN_DECLS

InboxLink     *inbox_link_new_from_json (JsonObject          *object,
                                         const InboxJsonPath *path,
                                         char       **skipped,
                                         GError     **error);

G_END_DECLS
