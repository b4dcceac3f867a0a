/* consumer.c: a program outside the tree that uses libappinbox-1 as an
 * embedding app does: only <appinbox.h>, built with
 * `cc consumer.c $(pkg-config --cflags --libs appinbox-1)` against an
 * install. tests/library/check-install builds and runs it; it prints one
 * TAP line per check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <appinbox.h>

#include <stdio.h>

static int failures;
static int count;

static void
check (gboolean    ok,
       const char *what)
{
  count++;
  printf ("%s %d - consumer: %s\n", ok ? "ok" : "not ok", count, what);
  if (!ok)
    failures++;
}

int
main (void)
{
  GEnumClass *templates = g_type_class_ref (INBOX_TYPE_TEMPLATE);
  GEnumValue *value = g_enum_get_value_by_nick (templates, "image-carousel");
  GEnumClass *states = g_type_class_ref (INBOX_TYPE_CLIENT_STATE);
  InboxTemplate template_ = INBOX_TEMPLATE_SIMPLE;
  g_autoptr(GBytes) css = NULL;
  g_autofree char *media_dir = inbox_media_cache_default_dir ();

  check (value != NULL && value->value == INBOX_TEMPLATE_IMAGE_CAROUSEL,
         "InboxTemplate is a registered enum with its nicks");
  check (inbox_template_from_string (inbox_template_to_string (INBOX_TEMPLATE_ICON), &template_)
         && template_ == INBOX_TEMPLATE_ICON,
         "inbox_template_to_string and _from_string agree");
  check (G_TYPE_IS_ENUM (INBOX_TYPE_LINK_TYPE) && G_TYPE_IS_ENUM (INBOX_TYPE_MEDIA_KIND)
         && G_TYPE_IS_ENUM (INBOX_TYPE_ORIENTATION),
         "the other public enums are registered");
  check (g_str_equal (g_type_name (INBOX_TYPE_CONTENT), "InboxContent")
         && g_type_is_a (INBOX_TYPE_LINK, G_TYPE_OBJECT),
         "InboxContent and InboxLink are GObject types");
  check (g_quark_to_string (INBOX_PAYLOAD_ERROR) != NULL && g_quark_to_string (INBOX_CACHE_ERROR) != NULL,
         "the payload and cache error domains");
  check (g_type_is_a (INBOX_TYPE_MESSAGE, G_TYPE_OBJECT) && g_type_is_a (INBOX_TYPE_STORE, G_TYPE_OBJECT)
         && g_type_is_a (INBOX_TYPE_CLIENT, G_TYPE_OBJECT),
         "InboxMessage, InboxStore and InboxClient are GObject types");
  check (g_type_is_a (INBOX_TYPE_STORE, G_TYPE_LIST_MODEL), "InboxStore is a GListModel");
  check (g_type_is_a (INBOX_TYPE_VIEW, ADW_TYPE_BIN), "InboxView is an AdwBin");
  check (g_enum_get_value_by_nick (states, "needs-sign-in") != NULL
         && g_enum_get_value_by_nick (states, "needs-sign-in")->value == INBOX_CLIENT_STATE_NEEDS_SIGN_IN,
         "InboxClientState is a registered enum");
  check (inbox_link_scheme_is_allowed ("https://example.com", NULL)
         && !inbox_link_scheme_is_allowed ("myapp://x", NULL),
         "inbox_link_scheme_is_allowed");
  check (media_dir != NULL && g_path_is_absolute (media_dir), "inbox_media_cache_default_dir");

  /* the resources travel inside the library: no files of ours are needed */
  css = g_resources_lookup_data ("/io/github/appinbox/libappinbox/style.css", 0, NULL);
  check (css != NULL && g_bytes_get_size (css) > 0, "the library's style sheet is a resource of the library");

  g_type_class_unref (templates);
  g_type_class_unref (states);
  printf ("1..%d\n", count);
  return failures == 0 ? 0 : 1;
}
