/* inbox-json.h: typed reads of JSON members that say which field is wrong
 *
 * A field's path ("msg.content[1].media.url") is a chain of InboxJsonPath
 * links on the stack, made into text only when something is wrong: valid
 * messages cost no path strings.
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

/* Deeper JSON is refused before it is parsed (json-glib recurses). */
#define INBOX_JSON_MAX_DEPTH 512

typedef struct _InboxJsonPath InboxJsonPath;

struct _InboxJsonPath
{
  const InboxJsonPath *parent;  /* NULL at the top of a message */
  const char          *member;  /* NULL for an array element */
  guint                index;   /* the element's index when member is NULL */
};

#define INBOX_JSON_MEMBER(parent_, member_) { (parent_), (member_), 0 }
#define INBOX_JSON_ELEMENT(parent_, index_) { (parent_), NULL, (index_) }

char       *inbox_json_path_to_string (const InboxJsonPath *path,
                                       const char          *member);
char       *inbox_json_path_printf    (const InboxJsonPath *path,
                                       const char          *member,
                                       const char          *format,
                                       ...) G_GNUC_PRINTF (3, 4);
const char *inbox_json_describe    (JsonNode    *node);
gboolean    inbox_json_get_string  (JsonObject  *object,
                                    const char  *member,
                                    const InboxJsonPath *path,
                                    const char **out,
                                    GError     **error);
gboolean    inbox_json_get_object  (JsonObject  *object,
                                    const char  *member,
                                    const InboxJsonPath *path,
                                    JsonObject **out,
                                    GError     **error);
gboolean    inbox_json_get_array   (JsonObject  *object,
                                    const char  *member,
                                    const InboxJsonPath *path,
                                    JsonArray  **out,
                                    GError     **error);
gboolean    inbox_json_get_boolean (JsonObject  *object,
                                    const char  *member,
                                    const InboxJsonPath *path,
                                    gboolean     fallback,
                                    gboolean    *out,
                                    GError     **error);
gboolean    inbox_json_get_flag    (JsonObject  *object,
                                    const char  *member,
                                    const InboxJsonPath *path,
                                    GPtrArray   *warnings);
gboolean    inbox_json_get_int64   (JsonObject  *object,
                                    const char  *member,
                                    const InboxJsonPath *path,
                                    gboolean    *present,
                                    gint64      *out,
                                    GError     **error);
gboolean    inbox_json_get_text    (JsonObject  *object,
                                    const char  *member,
                                    const InboxJsonPath *path,
                                    const char **out,
                                    GError     **error);
char       *inbox_json_pick_url    (JsonObject  *object,
                                    const char  *member,
                                    const InboxJsonPath *path,
                                    GError     **error);
char       *inbox_json_parse_color (const char  *str);
char       *inbox_json_to_string   (JsonNode    *node);

/* One message's bytes inside a payload, and the first problem found in it. */
typedef struct {
  gsize   start;
  gsize   end;
  GError *problem;    /* INBOX_PAYLOAD_ERROR_INVALID, "<path in the message>: <what>", or NULL */
} InboxJsonSpan;

typedef struct {
  GArray  *spans;     /* (element-type InboxJsonSpan): the elements of a top-level
                       * array, or of the envelope key's array in a top-level object */
  gboolean envelope;  /* the top-level object has the envelope key */
  GError  *problem;   /* the first problem outside those elements ("<path>: <what>") */
  GError  *first;     /* the first problem of all, with its line and column */
} InboxJsonScan;

void        inbox_json_scan_clear  (InboxJsonScan *scan);
gboolean    inbox_json_scan        (const char    *data,
                                    gsize          length,
                                    guint          max_depth,
                                    const char    *envelope_key,
                                    InboxJsonScan *scan,
                                    GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (InboxJsonScan, inbox_json_scan_clear)

G_END_DECLS
