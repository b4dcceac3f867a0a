/* inbox-i18n.c
 *
 * The library translates its strings in its own gettext domain
 * (GETTEXT_PACKAGE, through <glib/gi18n-lib.h>), whatever the embedding
 * app's own domain is, so it binds that domain itself: to the installed
 * catalogues, or to $APP_INBOX_LOCALEDIR when set (meson devenv and the
 * tests point it at the build tree's po/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-i18n.h"

/**
 * inbox_i18n_init:
 *
 * Binds the library's gettext domain, once. Called by the library's entry
 * points (each widget class); cheap after the first call.
 */
void
inbox_i18n_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      const char *dir = g_getenv ("APP_INBOX_LOCALEDIR");

      bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&initialized, 1);
    }
}
