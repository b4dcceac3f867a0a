/* fuzz-log.h: what every fuzz target does with GLib's messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void fuzz_log_abort_on_warnings (void);

G_END_DECLS
