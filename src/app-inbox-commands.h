/* app-inbox-commands.h: the command line's one-shot commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "inbox-client-private.h"

G_BEGIN_DECLS

extern const GOptionEntry app_inbox_option_entries[];


GSettings       *app_inbox_lookup_settings     (void);
InboxClient     *app_inbox_new_client          (GSettings     *settings,
                                                gboolean       use_keyring);
int              app_inbox_run_file_command    (GVariantDict  *options);
int              app_inbox_run_account_command (GVariantDict  *options,
                                                InboxClient   *client);
InboxMediaCache *app_inbox_media_for_file      (const char    *filename,
                                                char         **temp_dir);

G_END_DECLS
