/* app-inbox-check.h: `app-inbox --check FILE`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of --check. */
#define APP_INBOX_CHECK_VALID      0
#define APP_INBOX_CHECK_INVALID    1
#define APP_INBOX_CHECK_UNREADABLE 2

typedef enum {
  APP_INBOX_CHECK_FLAGS_NONE = 0,
  APP_INBOX_CHECK_FLAGS_JSON = 1 << 0,  /* --check --json */
} AppInboxCheckFlags;

int app_inbox_check_file      (const char          *filename,
                               gint64               now,
                               FILE                *out,
                               FILE                *err);
int app_inbox_check_file_full (const char          *filename,
                               gint64               now,
                               AppInboxCheckFlags   flags,
                               FILE                *out,
                               FILE                *err);

G_END_DECLS
