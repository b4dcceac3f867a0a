/* test-screenshots.c: every template, rendered and compared with its
 * reference picture
 *
 * Each case renders one fixture message (tests/data/screens) with local
 * media through inbox_render_widget() — cairo renderer, animations off,
 * Cantarell 11, scale 1 — and compares it pixel for pixel with
 * tests/reference/<case>.png. On a mismatch the output and a diff image are
 * written to <build>/tests/widgets/screenshot-failures/ and the case fails.
 *
 * Some cases render the sign-in page instead, and some run in German or
 * Arabic (right to left), from the catalogues of the build (the locales
 * de_DE.UTF-8 and ar_EG.UTF-8 must exist: tools/install-deps makes them).
 *
 * The fonts are pinned: FONTCONFIG_FILE (tests/widgets/meson.build) names
 * tests/fonts/fonts.conf, which offers Cantarell, Noto Sans Arabic and Noto
 * Color Emoji and nothing else, so the pictures do not depend on the fonts or
 * the fontconfig settings of the machine.
 *
 * To make new references, look at every changed picture before committing:
 *   UPDATE_REFERENCES=1 meson test -C _build screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "inbox-carousel.h"
#include "inbox-client-private.h"
#include "inbox-media-view.h"
#include "inbox-payload.h"
#include "inbox-render.h"
#include "inbox-sign-in-view.h"
#include "inbox-view-private.h"

/* The fixtures' dates are counted from here. */
#define NOW ((gint64) 1764340000)

typedef struct {
  const char *name;
  const char *fixture;   /* NULL: the sign-in page */
  int         width;
  gboolean    dark;
  gboolean    rtl;
  guint       page;
  const char *locale;    /* NULL: C.UTF-8, untranslated */
  const char *search;    /* the whole view, searched for this ("": not) */
  gboolean    unread;    /* the whole view, its unread filter on */
} Case;

static const Case cases[] = {
  { "simple-light", "simple", 480, FALSE, FALSE, 0 },
  { "simple-dark", "simple", 480, TRUE, FALSE, 0 },
  { "message-icon-light", "message-icon", 480, FALSE, FALSE, 0 },
  { "message-icon-dark", "message-icon", 480, TRUE, FALSE, 0 },
  { "carousel-light", "carousel", 480, FALSE, FALSE, 0 },
  { "carousel-dark", "carousel", 480, TRUE, FALSE, 0 },
  { "carousel-second-page", "carousel", 480, FALSE, FALSE, 1 },
  { "carousel-image-light", "carousel-image", 480, FALSE, FALSE, 0 },
  { "carousel-image-dark", "carousel-image", 480, TRUE, FALSE, 0 },
  { "no-media", "no-media", 480, FALSE, FALSE, 0 },
  { "broken-media", "broken-media", 480, FALSE, FALSE, 0 },
  { "broken-media-dark", "broken-media", 480, TRUE, FALSE, 0 },
  /* a 68 px icon that cannot be shown: the symbol alone, no clipped text */
  { "broken-icon", "broken-icon", 480, FALSE, FALSE, 0 },
  { "broken-icon-dark", "broken-icon", 480, TRUE, FALSE, 0 },
  { "long-text-360", "long-text", 360, FALSE, FALSE, 0 },
  { "rtl", "rtl", 480, FALSE, TRUE, 0 },
  { "rtl-carousel", "carousel", 480, FALSE, TRUE, 1 },
  { "read", "read", 480, FALSE, FALSE, 0 },
  { "unread", "no-media", 480, FALSE, FALSE, 0 },
  { "buttons-1", "buttons-1", 480, FALSE, FALSE, 0 },
  { "buttons-2", "buttons-2", 480, FALSE, FALSE, 0 },
  { "buttons-3", "buttons-3", 480, FALSE, FALSE, 0 },
  { "buttons-3-dark", "buttons-3", 480, TRUE, FALSE, 0 },
  { "gif-first-frame", "gif", 480, FALSE, FALSE, 0 },
  { "sign-in", NULL, 480, FALSE, FALSE, 0 },
  { "sign-in-dark", NULL, 480, TRUE, FALSE, 0 },
  { "sign-in-360", NULL, 360, FALSE, FALSE, 0 },
  { "sign-in-de", NULL, 480, FALSE, FALSE, 0, "de_DE.UTF-8" },
  { "sign-in-ar", NULL, 480, FALSE, TRUE, 0, "ar_EG.UTF-8" },
  { "simple-de", "simple", 480, FALSE, FALSE, 0, "de_DE.UTF-8" },
  { "carousel-ar", "carousel", 480, FALSE, TRUE, 0, "ar_EG.UTF-8" },
  /* colour emoji (Noto Color Emoji) in the title, the message and the
   * buttons: sequences, a skin tone, a flag; alone and with Arabic */
  { "emoji-light", "emoji", 480, FALSE, FALSE, 0 },
  { "emoji-dark", "emoji", 480, TRUE, FALSE, 0 },
  { "emoji-360", "emoji", 360, FALSE, FALSE, 0 },
  { "emoji-ar", "emoji-ar", 480, FALSE, TRUE, 0, "ar_EG.UTF-8" },
  /* the button rules of docs/rules.md: links without hasLinks show no
   * buttons; [rfp, A, B, C] shows _ A B (slot one empty, C never moves up);
   * four links fill the three slots */
  { "rules-has-links-absent", "rules-has-links-absent", 480, FALSE, FALSE, 0 },
  { "rules-rfp-first", "rules-rfp-first", 480, FALSE, FALSE, 0 },
  { "rules-rfp-first-dark", "rules-rfp-first", 480, TRUE, FALSE, 0 },
  { "rules-four-links", "rules-four-links", 480, FALSE, FALSE, 0 },
  /* the whole view: a search with its words highlighted ("koln" finds and
   * highlights "Köln"), in light, dark and Arabic; the unread filter */
  { "search-1200", NULL, 1200, FALSE, FALSE, 0, NULL, "koln ord" },
  { "search-360", NULL, 360, FALSE, FALSE, 0, NULL, "koln ord" },
  { "search-dark", NULL, 480, TRUE, FALSE, 0, NULL, "koln ord" },
  { "search-ar", NULL, 480, FALSE, TRUE, 0, "ar_EG.UTF-8", "طلب" },
  { "unread-filter-1200", NULL, 1200, FALSE, FALSE, 0, NULL, "", TRUE },
  { "unread-filter-360", NULL, 360, FALSE, FALSE, 0, NULL, "", TRUE },
};

/* The pinned fonts are all there (a missing one would change every picture
 * that needs it, with a less helpful message). */
static void
check_fonts (void)
{
  static const char *const needed[] = { "Cantarell", "Noto Sans Arabic", "Noto Color Emoji" };
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  g_autofree PangoFontFamily **families = NULL;
  int n_families = 0;

  pango_font_map_list_families (map, &families, &n_families);
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      gboolean found = FALSE;

      for (int j = 0; j < n_families && !found; j++)
        found = g_str_equal (pango_font_family_get_name (families[j]), needed[i]);
      if (!found)
        g_error ("The font \"%s\" is missing (FONTCONFIG_FILE=%s): tools/install-deps installs it",
                 needed[i], g_getenv ("FONTCONFIG_FILE") ? g_getenv ("FONTCONFIG_FILE") : "(unset)");
    }
}

/* The process speaks @locale from here on, with the build's catalogues. */
static void
use_locale (const char *locale)
{
  const char *dir = g_getenv ("APP_INBOX_LOCALEDIR");

  if (setlocale (LC_ALL, locale != NULL ? locale : "C.UTF-8") == NULL)
    g_error ("The locale %s does not exist here: tools/install-deps makes it", locale);
  g_assert_nonnull (dir);
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* The sign-in page as a first run shows it, with an error under it. */
static GtkWidget *
sign_in_page (void)
{
  GtkWidget *view = inbox_sign_in_view_new ();
  g_autofree char *error = g_strdup_printf (_("The server did not accept this token for %s"), "alice");

  inbox_sign_in_view_set_fields (INBOX_SIGN_IN_VIEW (view), "https://inbox.example.com", "alice");
  inbox_sign_in_view_set_error (INBOX_SIGN_IN_VIEW (view), error);
  return view;
}

/* --- the whole view, searched or filtered --- */

static InboxMessage *
scene_message (const char *id,
               gint64      date,
               gboolean    read,
               const char *title,
               const char *text)
{
  g_autofree char *json = g_strdup_printf ("{\"_id\":\"%s\",\"date\":%" G_GINT64_FORMAT ",\"isRead\":%s,"
                                           "\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"%s\"},"
                                           "\"message\":{\"text\":\"%s\"}}]}}",
                                           id, date, read ? "true" : "false", title, text);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  items = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (items, 0);
  g_assert_no_error (item->error);
  return g_object_ref (item->message);
}

static gint64
fixed_now (gpointer data)
{
  return NOW;
}

static gint64
frozen_clock (gpointer data)
{
  return 0;  /* nothing is on screen long enough to be read */
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The search entry as typing leaves it: the cursor at the end, nothing
 * selected (the query was set from code, and focusing selects it all). */
static void
as_typed (GtkWidget *widget,
          gpointer   user_data)
{
  GtkWidget *entry = find_type (widget, GTK_TYPE_SEARCH_ENTRY);

  if (entry != NULL)
    gtk_editable_set_position (GTK_EDITABLE (entry), -1);
}

/* An InboxView over three messages, its search or filter applied, the
 * results in. Its client goes with it. */
static GtkWidget *
scene_view (const Case      *c,
            InboxMediaCache *media)
{
  g_autoptr(InboxCache) cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, NULL);
  g_autoptr(InboxStore) store = inbox_store_new (cache, "alice");
  g_autoptr(InboxClient) client = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gboolean arabic = c->locale != NULL && g_str_has_prefix (c->locale, "ar");
  GtkWidget *view;

  if (arabic)
    {
      g_ptr_array_add (messages, scene_message ("m1", NOW - 3600, FALSE, "تم شحن طلبك",
                                                "طلبك رقم 1042 في الطريق إليك ويصل يوم الإثنين."));
      g_ptr_array_add (messages, scene_message ("m2", NOW - 7200, TRUE, "عرض نهاية الأسبوع",
                                                "مَرْحَبًا! خصم ٣٠٪ على كل طلب قبل الأحد."));
      g_ptr_array_add (messages, scene_message ("m3", NOW - 10800, FALSE, "قهوة بنصف السعر",
                                                "على كل فنجان ثانٍ حتى يوم الأحد."));
    }
  else
    {
      g_ptr_array_add (messages, scene_message ("m1", NOW - 3600, FALSE, "Your order has shipped",
                                                "Order 1042 left our warehouse in Köln and arrives on Monday."));
      g_ptr_array_add (messages, scene_message ("m2", NOW - 7200, TRUE, "Über den Wolken",
                                                "Flights from Köln: 30 % off when you order before Sunday."));
      g_ptr_array_add (messages, scene_message ("m3", NOW - 10800, FALSE, "Weekend offer",
                                                "Half price on every second coffee until Sunday."));
    }
  inbox_store_merge (store, messages, NULL, NULL, &error);
  g_assert_no_error (error);
  inbox_store_set_clock (store, fixed_now, NULL);

  client = inbox_client_new_for_store (store, media, TRUE);
  inbox_client_set_state (client, INBOX_CLIENT_STATE_READY, NULL);
  view = inbox_view_new (client);
  g_object_set_data_full (G_OBJECT (view), "scene-client", g_steal_pointer (&client), g_object_unref);
  inbox_read_tracker_set_clock (inbox_view_get_read_tracker (INBOX_VIEW (view)), frozen_clock, NULL);
  gtk_widget_set_size_request (view, -1, 560);

  inbox_view_set_unread_only (INBOX_VIEW (view), c->unread);
  inbox_view_set_search_query (INBOX_VIEW (view), c->search);
  while (inbox_view_is_searching (INBOX_VIEW (view)))
    g_main_context_iteration (NULL, TRUE);
  return view;
}

static InboxMessage *
load_fixture (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.json", name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "screens", file, NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (items, 0);
  g_assert_no_error (item->error);

  return g_object_ref (item->message);
}

static InboxMediaCache *
fixture_media (const char *downloads)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "screens", NULL);
  g_autoptr(GFile) base = g_file_new_for_path (dir);
  InboxMediaCache *media = inbox_media_cache_new (downloads);

  inbox_media_cache_set_base (media, base);
  return media;
}

static GtkWidget *
find_carousel (GtkWidget *widget)
{
  if (INBOX_IS_CAROUSEL (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_carousel (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
turn_page (GtkWidget *widget,
           gpointer   user_data)
{
  GtkWidget *carousel = find_carousel (widget);

  g_assert_nonnull (carousel);
  inbox_carousel_scroll_to (INBOX_CAROUSEL (carousel), GPOINTER_TO_UINT (user_data), FALSE);
}

/* Red where the pictures differ, the output faded elsewhere. */
static GdkTexture *
diff_texture (const guchar *out,
              const guchar *ref,
              int           width,
              int           height,
              guint        *n_different)
{
  g_autoptr(GBytes) bytes = NULL;
  guchar *diff = g_malloc ((gsize) width * height * 4);

  *n_different = 0;
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      const guchar *a = out + i * 4, *b = ref + i * 4;
      guchar *d = diff + i * 4;

      if (memcmp (a, b, 4) != 0)
        {
          (*n_different)++;
          d[0] = 0xff, d[1] = 0, d[2] = 0, d[3] = 0xff;
        }
      else
        {
          guchar grey = (guchar) (0xc0 + ((a[0] + a[1] + a[2]) / 3) / 4);

          d[0] = d[1] = d[2] = grey, d[3] = 0xff;
        }
    }

  bytes = g_bytes_new_take (diff, (gsize) width * height * 4);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);
}

static guchar *
download (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  guchar *data = g_malloc ((gsize) width * height * 4);

  gdk_texture_download (texture, data, (gsize) width * 4);
  return data;
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *downloads = g_dir_make_tmp ("app-inbox-shots-XXXXXX", NULL);
  g_autoptr(InboxMessage) message = c->fixture != NULL ? load_fixture (c->fixture) : NULL;
  g_autoptr(InboxMediaCache) media = fixture_media (downloads);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GdkTexture) output = NULL;
  g_autoptr(GdkTexture) reference = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s.png", c->name);
  g_autofree char *reference_path = g_test_build_filename (G_TEST_DIST, "..", "reference", file, NULL);
  g_autofree guchar *out_pixels = NULL;
  g_autofree guchar *ref_pixels = NULL;

  use_locale (c->locale);
  gtk_widget_set_default_direction (c->rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  inbox_render_setup_settings (c->dark);

  if (message != NULL)
    {
      g_ptr_array_add (messages, g_object_ref (message));
      output = inbox_render_widget (inbox_render_build_list (messages, media, NOW), c->width,
                                    c->page > 0 ? turn_page : NULL, GUINT_TO_POINTER (c->page), &error);
    }
  else if (c->search != NULL)
    output = inbox_render_widget (scene_view (c, media), c->width, as_typed, NULL, &error);
  else
    output = inbox_render_widget (sign_in_page (), c->width, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (output);
  g_assert_cmpint (gdk_texture_get_width (output), ==, c->width);
  g_rmdir (downloads);

  if (g_getenv ("UPDATE_REFERENCES") != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (reference_path);

      g_mkdir_with_parents (dir, 0755);
      g_assert_true (gdk_texture_save_to_png (output, reference_path));
      g_test_message ("wrote %s: look at it before committing it", reference_path);
      return;
    }

  reference = gdk_texture_new_from_filename (reference_path, &error);
  if (reference == NULL)
    {
      g_autofree char *failures = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                                    "screenshot-failures", NULL);
      g_autofree char *out_path = g_build_filename (failures, file, NULL);

      g_mkdir_with_parents (failures, 0755);
      gdk_texture_save_to_png (output, out_path);
      g_test_fail_printf ("No reference %s (%s); the output is at %s", reference_path, error->message, out_path);
      return;
    }

  out_pixels = download (output);
  ref_pixels = download (reference);

  if (gdk_texture_get_width (output) != gdk_texture_get_width (reference) ||
      gdk_texture_get_height (output) != gdk_texture_get_height (reference) ||
      memcmp (out_pixels, ref_pixels, (gsize) gdk_texture_get_width (output) * gdk_texture_get_height (output) * 4) != 0)
    {
      g_autofree char *failures = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                                    "screenshot-failures", NULL);
      g_autofree char *out_path = g_build_filename (failures, file, NULL);
      g_autofree char *diff_name = g_strdup_printf ("%s-diff.png", c->name);
      g_autofree char *diff_path = g_build_filename (failures, diff_name, NULL);
      guint n_different = 0;

      g_mkdir_with_parents (failures, 0755);
      gdk_texture_save_to_png (output, out_path);

      if (gdk_texture_get_width (output) == gdk_texture_get_width (reference) &&
          gdk_texture_get_height (output) == gdk_texture_get_height (reference))
        {
          g_autoptr(GdkTexture) diff = diff_texture (out_pixels, ref_pixels, gdk_texture_get_width (output),
                                                     gdk_texture_get_height (output), &n_different);

          gdk_texture_save_to_png (diff, diff_path);
          g_test_fail_printf ("%s: %u pixels differ from %s; output %s, diff %s",
                              c->name, n_different, reference_path, out_path, diff_path);
        }
      else
        {
          g_test_fail_printf ("%s: %d×%d, the reference is %d×%d; output %s",
                              c->name, gdk_texture_get_width (output), gdk_texture_get_height (output),
                              gdk_texture_get_width (reference), gdk_texture_get_height (reference), out_path);
        }
    }
}

/* The visible labels under @widget, in order. */
static void
collect_visible_labels (GtkWidget *widget,
                        GPtrArray *labels)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_visible_labels (child, labels);
}

/* A picture that cannot be shown: at an icon's 68 px the symbol alone (the
 * text would be cut off on both sides), the text in the accessible
 * description; at full width the text under the symbol too. */
static void
test_broken_small (void)
{
  static const struct { int width; const char *alt; const char *text; gboolean shown; } views[] = {
    { 68, NULL, "The picture could not be shown", FALSE },
    { 68, "A green dot", "A green dot", FALSE },
    { -1, NULL, "The picture could not be shown", TRUE },
  };
  g_autofree char *downloads = g_dir_make_tmp ("app-inbox-shots-XXXXXX", NULL);
  g_autoptr(InboxMediaCache) media = fixture_media (downloads);

  use_locale (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkWidget *view = g_object_ref_sink (inbox_media_view_new ());
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      inbox_media_view_set_natural_width (INBOX_MEDIA_VIEW (view), views[i].width);
      inbox_media_view_set_media (INBOX_MEDIA_VIEW (view), media, "../media/broken.png", INBOX_MEDIA_IMAGE,
                                  NULL, views[i].alt);
      while (inbox_media_view_get_loading (INBOX_MEDIA_VIEW (view)) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (inbox_media_view_get_broken (INBOX_MEDIA_VIEW (view)));

      collect_visible_labels (view, labels);
      if (views[i].shown)
        {
          g_assert_cmpuint (labels->len, ==, 1);
          g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (labels, 0)), ==, views[i].text);
        }
      else
        g_assert_cmpuint (labels->len, ==, 0);
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, views[i].text);
      g_object_unref (view);
    }
  g_rmdir (downloads);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("test-screenshots needs a display: run it under xvfb-run (tools/run-tests does)\n");
      return 1;
    }
  adw_init ();
  check_fonts ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/screenshots/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], run_case);
    }

  g_test_add_func ("/media-view/broken-small", test_broken_small);

  return g_test_run ();
}
