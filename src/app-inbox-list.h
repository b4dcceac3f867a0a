/* app-inbox-list.h: `app-inbox --list [--json] [--sync]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "inbox-account.h"

G_BEGIN_DECLS

GAsyncResult *app_inbox_wait_for (GAsyncResult **result);
void          app_inbox_store_result_cb (GObject      *source,
                                         GAsyncResult *result,
                                         gpointer      user_data);

int app_inbox_list (InboxAccount *account,
                    const char   *cache_path,
                    gboolean      sync,
                    gboolean      json,
                    FILE         *out,
                    FILE         *err);

G_END_DECLS
