/* test-util.h: generated messages for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-payload.h"

G_BEGIN_DECLS

/* When set, every picture of generated messages points here (a local path
 * for a media cache with a base folder) instead of to media.example.com. */
extern const char *test_util_media_url;

void       test_util_append_message  (GString    *out,
                                      guint       index,
                                      const char *label,
                                      gint64      date,
                                      gint64      ttl);
char      *test_util_messages_json   (guint       count,
                                      const char *label,
                                      gint64      first_date);
GPtrArray *test_util_parse_messages  (const char *json,
                                      gint64      now);
InboxMessage *test_util_message      (const char *id,
                                      gint64      date,
                                      gint64      ttl,
                                      gboolean    read,
                                      const char *tags_json,
                                      const char *title);
char      *test_util_make_tmpdir     (void);
void       test_util_rm_rf           (const char *path);

G_END_DECLS
