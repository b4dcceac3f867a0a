/* fuzz-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-log.h"

/* GLib's own abort on a fatal message is a breakpoint (SIGTRAP), which
 * libFuzzer does not catch: abort() is, and it keeps the input. */
static void
log_cb (const char     *domain,
        GLogLevelFlags  level,
        const char     *message,
        gpointer        user_data)
{
  if (level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      fprintf (stderr, "%s: %s\n", domain != NULL ? domain : g_get_prgname (), message);
      abort ();
    }
  g_log_default_handler (domain, level, message, user_data);
}

/* A warning or critical of our code or of a library is a finding. */
void
fuzz_log_abort_on_warnings (void)
{
  g_log_set_default_handler (log_cb, NULL);
}
