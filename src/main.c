/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "app-inbox-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AppInboxApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* $APP_INBOX_LOCALEDIR: the build tree's catalogues (meson devenv) */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("APP_INBOX_LOCALEDIR") != NULL ? g_getenv ("APP_INBOX_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = app_inbox_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : app_inbox_application_get_exit_status (app);
}
