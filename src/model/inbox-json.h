/* inbox-json.h: typed reads of JSON members that say which field is wrong
 *
 * Every reader treats an absent member and a JSON null alike (the member is
 * unset, the call succeeds), and fails with INBOX_PAYLOAD_ERROR_INVALID and a
 * message "<path>: expected <type>, got <type>" on a member of the wrong type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "inbox-types.h"

G_BEGIN_DECLS

char       *inbox_json_path        (const char  *parent,
                                    const char  *member);
const char *inbox_json_describe    (JsonNode    *node);
gboolean    inbox_json_get_string  (JsonObject  *object,
                                    const char  *member,
                                    const char  *path,
                                    const char **out,
                                    GError     **error);
gboolean    inbox_json_get_object  (JsonObject  *object,
                                    const char  *member,
                                    const char  *path,
                                    JsonObject **out,
                                    GError     **error);
gboolean    inbox_json_get_array   (JsonObject  *object,
                                    const char  *member,
                                    const char  *path,
                                    JsonArray  **out,
                                    GError     **error);
gboolean    inbox_json_get_boolean (JsonObject  *object,
                                    const char  *member,
                                    const char  *path,
                                    gboolean     fallback,
                                    gboolean    *out,
                                    GError     **error);
gboolean    inbox_json_get_int64   (JsonObject  *object,
                                    const char  *member,
                                    const char  *path,
                                    gboolean    *present,
                                    gint64      *out,
                                    GError     **error);
gboolean    inbox_json_get_text    (JsonObject  *object,
                                    const char  *member,
                                    const char  *path,
                                    const char **out,
                                    GError     **error);
char       *inbox_json_pick_url    (JsonObject  *object,
                                    const char  *member,
                                    const char  *path,
                                    GError     **error);
char       *inbox_json_parse_color (const char  *str);

G_END_DECLS
