/* app-inbox-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define APP_INBOX_TYPE_APPLICATION (app_inbox_application_get_type ())

G_DECLARE_FINAL_TYPE (AppInboxApplication, app_inbox_application, APP_INBOX, APPLICATION, AdwApplication)

AppInboxApplication *app_inbox_application_new             (void);
int                  app_inbox_application_get_exit_status (AppInboxApplication *self);

G_END_DECLS
