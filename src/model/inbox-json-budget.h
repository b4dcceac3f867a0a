/* inbox-json-budget.h: how many values a JSON text holds, before json-glib
 * builds a tree of them (about 100 bytes a value, whatever its size: 1 MiB of
 * `{},` is 100 MB of tree).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A sync page (up to 1000 messages) and a request body to the server. */
#define INBOX_JSON_PAGE_MAX_VALUES    500000
#define INBOX_JSON_REQUEST_MAX_VALUES  50000

gsize    inbox_json_count_values  (const char  *data,
                                   gsize        length);
gboolean inbox_json_check_budget  (const char  *data,
                                   gsize        length,
                                   gsize        max_values,
                                   GError     **error);

G_END_DECLS
