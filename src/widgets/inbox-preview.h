/* inbox-preview.h: the messages of a payload file as the inbox shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-message.h"

G_BEGIN_DECLS

GPtrArray    *inbox_preview_read_file     (const char   *filename,
                                           gint64        now,
                                           gboolean      include_expired,
                                           GString      *report,
                                           gboolean     *left_out,
                                           GError      **error);

G_END_DECLS
