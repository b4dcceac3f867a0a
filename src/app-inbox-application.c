/* app-inbox-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "app-inbox"

#include "config.h"

#include <glib/gi18n.h>

#include "app-inbox-application.h"
#include "app-inbox-check.h"
#include "inbox-types.h"

struct _AppInboxApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (AppInboxApplication, app_inbox_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "check", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Validate a payload file (a message, an array or a sync response) and exit"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* Command-line modes that need neither a display nor the cache run here,
 * before the application registers or opens a window. */
static int
app_inbox_application_handle_local_options (GApplication *application,
                                            GVariantDict *options)
{
  g_autofree char *check = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("app-inbox %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "check", "^ay", &check))
    return app_inbox_check_file (check, inbox_now_real (NULL), stdout, stderr);

  return -1;
}

static void
app_inbox_application_activate (GApplication *application)
{
  /* The inbox window arrives with the template widgets; until then a launch
   * without a mode says what the program can do and leaves. */
  g_printerr (_("App Inbox: the inbox window is not available in this build. "
                "Use --check FILE to validate a payload.\n"));
}

static void
app_inbox_application_class_init (AppInboxApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = app_inbox_application_handle_local_options;
  app_class->activate = app_inbox_application_activate;
}

static void
app_inbox_application_init (AppInboxApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("An inbox of rich messages from the apps you use."));
}

AppInboxApplication *
app_inbox_application_new (void)
{
  return g_object_new (APP_INBOX_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/appinbox/AppInbox",
                       NULL);
}
