/* test-link.c: which links may open (docs/format.md, section 4, "Links"):
 * the one rule the window and the preferences share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-link.h"

/* https, http and mailto open whatever the settings hold; nothing without
 * a scheme does. */
static void
test_link_always (void)
{
  static const char * const none[] = { NULL };

  g_assert_true (inbox_link_scheme_is_allowed ("https://example.com/offer", NULL));
  g_assert_true (inbox_link_scheme_is_allowed ("HTTP://example.com", NULL));
  g_assert_true (inbox_link_scheme_is_allowed ("mailto:a@example.com", none));

  g_assert_false (inbox_link_scheme_is_allowed (NULL, NULL));
  g_assert_false (inbox_link_scheme_is_allowed ("", NULL));
  g_assert_false (inbox_link_scheme_is_allowed ("no scheme", NULL));
  g_assert_false (inbox_link_scheme_is_allowed ("//example.com/x", NULL));
  g_assert_false (inbox_link_scheme_is_allowed (" https://example.com", NULL));
  g_assert_false (inbox_link_scheme_is_allowed ("myapp://deals", NULL));
  g_assert_false (inbox_link_scheme_is_allowed ("myapp://deals", none));
}

/* Settings written straight (not through the preferences) that list the
 * dangerous schemes: they stay refused, in any case; a listed app scheme
 * opens. */
static void
test_link_settings_written_straight (void)
{
  static const char * const app_schemes[] = {
    "file", "javascript", "JavaScript", "data", "vbscript", "about", "blob", "filesystem",
    "resource", "view-source", "admin", "trash", "smb", "sftp", "ssh", "davs", "nfs", "help",
    "myapp", "Other-App", NULL
  };
  static const char * const refused[] = {
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "about:config",
    "blob:https://example.com/1",
    "filesystem:https://example.com/temporary/x",
    "resource:///org/gtk/x",
    "view-source:https://example.com",
    "admin:///etc/shadow",
    "trash:///",
    "smb://fileserver/share/secret.txt",
    "sftp://example.com/etc/passwd",
    "ssh://example.com",
    "davs://example.com/dav/",
    "nfs://example.com/export",
    "help:gnome-help",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    if (inbox_link_scheme_is_allowed (refused[i], app_schemes))
      g_error ("%s would open", refused[i]);

  g_assert_true (inbox_link_scheme_is_allowed ("myapp://deals", app_schemes));
  g_assert_true (inbox_link_scheme_is_allowed ("MYAPP://deals", app_schemes));
  g_assert_true (inbox_link_scheme_is_allowed ("other-app:x", app_schemes));
  g_assert_false (inbox_link_scheme_is_allowed ("third-app:x", app_schemes));
}

/* Only a scheme by RFC 3986 may be an app scheme; a setting that is not
 * one never matches anything. */
static void
test_link_app_scheme_syntax (void)
{
  static const char * const odd[] = { "my app", "myapp:", "", "1app", "-app", "a/b", NULL };

  g_assert_true (inbox_link_is_app_scheme ("myapp"));
  g_assert_true (inbox_link_is_app_scheme ("com.example.app+x-1"));
  g_assert_true (inbox_link_is_app_scheme ("ftp"));
  g_assert_true (inbox_link_is_app_scheme ("A"));

  for (guint i = 0; odd[i] != NULL; i++)
    if (inbox_link_is_app_scheme (odd[i]))
      g_error ("“%s” is taken for a scheme", odd[i]);
  g_assert_false (inbox_link_is_app_scheme (NULL));
  g_assert_false (inbox_link_is_app_scheme ("file"));
  g_assert_false (inbox_link_is_app_scheme ("Javascript"));
  g_assert_false (inbox_link_is_app_scheme ("DATA"));

  /* a setting that is not a scheme lets nothing through */
  g_assert_false (inbox_link_scheme_is_allowed ("myapp://x", odd));
  g_assert_false (inbox_link_scheme_is_allowed ("myapp://x", ((const char * const []) { " myapp", "myapp:", NULL })));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link/always", test_link_always);
  g_test_add_func ("/link/settings-written-straight", test_link_settings_written_straight);
  g_test_add_func ("/link/app-scheme-syntax", test_link_app_scheme_syntax);

  return g_test_run ();
}
