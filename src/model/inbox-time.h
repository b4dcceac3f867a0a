/* inbox-time.h: the relative time under each card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *inbox_format_relative_time (gint64     then,
                                  gint64     now,
                                  GTimeZone *tz);

G_END_DECLS
