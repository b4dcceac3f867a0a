/* test-style.c: the library's style sheet, icons and translations as an
 * embedding app gets them: through the public API only (<appinbox.h>), with
 * no files of ours, on every display, and below the host app's own style.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <appinbox.h>
#include <libintl.h>

/* A widget that the library's style.css sizes: .unread-dot is 8 px wide. */
static int
unread_dot_width (GdkDisplay *display)
{
  GtkWidget *window = g_object_new (GTK_TYPE_WINDOW, "display", display, NULL);
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  int width = -1;

  gtk_widget_add_css_class (dot, "unread-dot");
  gtk_window_set_child (GTK_WINDOW (window), dot);
  gtk_widget_measure (dot, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  return width;
}

static void
test_style_loaded_with_the_first_widget_class (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (display);
  g_autoptr(GtkCssProvider) host = gtk_css_provider_new ();

  /* before any class of the library: neither style nor icons */
  g_assert_cmpint (unread_dot_width (display), ==, 0);
  g_assert_false (gtk_icon_theme_has_icon (theme, "app-inbox-empty-symbolic"));

  g_type_class_unref (g_type_class_ref (INBOX_TYPE_VIEW));

  g_assert_cmpint (unread_dot_width (display), ==, 8);
  g_assert_true (gtk_icon_theme_has_icon (theme, "app-inbox-empty-symbolic"));
  g_assert_true (gtk_icon_theme_has_icon (theme, "app-inbox-offline-symbolic"));

  /* a host app's style sheet, at the usual application priority, wins */
  gtk_css_provider_load_from_data (host, ".unread-dot { min-width: 20px; }", -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (host),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_assert_cmpint (unread_dot_width (display), ==, 20);
  gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (host));
  g_assert_cmpint (unread_dot_width (display), ==, 8);
}

/* A display opened after the library's classes gets the style and icons too. */
static void
test_style_on_a_later_display (void)
{
  GdkDisplay *display;

  g_type_class_unref (g_type_class_ref (INBOX_TYPE_VIEW));
  display = gdk_display_open (NULL);
  g_assert_nonnull (display);
  g_assert_true (display != gdk_display_get_default ());

  g_assert_cmpint (unread_dot_width (display), ==, 8);
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (display),
                                          "app-inbox-empty-symbolic"));
  gdk_display_close (display);
}

/* The library's strings are in its own domain, whatever the host's is:
 * textdomain() is left as a host app leaves it ("messages"). */
static void
test_translations_in_the_library_domain (void)
{
  const char *localedir = g_getenv ("APP_INBOX_LOCALEDIR");
  g_autofree char *mo = NULL;

  g_assert_nonnull (localedir);
  mo = g_build_filename (localedir, "de", "LC_MESSAGES", "app-inbox.mo", NULL);
  g_assert_true (g_file_test (mo, G_FILE_TEST_EXISTS));

  g_type_class_unref (g_type_class_ref (INBOX_TYPE_VIEW));
  g_assert_cmpstr (bindtextdomain ("app-inbox", NULL), ==, localedir);
  g_assert_cmpstr (textdomain (NULL), ==, "messages");
  /* "Just now", the newest card's time, in German */
  g_assert_cmpstr (g_dgettext ("app-inbox", "Just now"), ==, "Gerade eben");
}

int
main (int   argc,
      char *argv[])
{
  /* German, for the translations; the host app binds no domain of its own */
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);

  /* the order matters: the first test sees the library before its classes */
  g_test_add_func ("/library/style-with-first-class", test_style_loaded_with_the_first_widget_class);
  g_test_add_func ("/library/style-on-later-display", test_style_on_a_later_display);
  g_test_add_func ("/library/translations", test_translations_in_the_library_domain);

  return g_test_run ();
}
