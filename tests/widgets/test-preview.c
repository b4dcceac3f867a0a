/* test-preview.c: --render shows what the inbox shows (no expired
 * messages)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <sys/wait.h>

#include "inbox-render.h"

#define NOW ((gint64) 1764340000)

/* --- helpers --- */

static char *
message_json (const char *id,
              gint64      date,
              const char *title,
              gint64      ttl)
{
  g_autofree char *expiry = ttl != 0 ? g_strdup_printf ("\"wzrk_ttl\": %" G_GINT64_FORMAT ", ", ttl) : g_strdup ("");

  return g_strdup_printf ("{\"_id\": \"%s\", \"date\": %" G_GINT64_FORMAT ", %s\"isRead\": true,\n"
                          " \"msg\": {\"type\": \"simple\", \"content\": [{\"title\": {\"text\": \"%s\"},\n"
                          "   \"message\": {\"text\": \"The body of %s, which says a little more.\"}}]}}",
                          id, date, expiry, title, title);
}

/* --- what the inbox shows: no expired messages --- */

/* Runs app-inbox; its stderr in @err. */
static int
run_app (const char * const *args,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("APP_INBOX"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_nonnull (g_ptr_array_index (argv, 0));
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

typedef struct {
  int     width, height;
  guchar *pixels;   /* RGBA */
} Picture;

static Picture
load_picture (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
  Picture picture;

  g_assert_no_error (error);
  picture.width = gdk_texture_get_width (texture);
  picture.height = gdk_texture_get_height (texture);
  picture.pixels = g_malloc ((gsize) picture.width * picture.height * 4);
  gdk_texture_download (texture, picture.pixels, picture.width * 4);
  return picture;
}

static gboolean
same_picture (const Picture *a,
              const Picture *b)
{
  return a->width == b->width && a->height == b->height &&
         memcmp (a->pixels, b->pixels, (gsize) a->width * a->height * 4) == 0;
}

/* Pixels of the tag's colour (libadwaita's light warning_bg_color, #e5a50a;
 * gdk_texture_download gives B, G, R, A on little-endian machines). */
static guint
tag_pixels (const Picture *picture)
{
  guint n = 0;

  for (gsize i = 0; i < (gsize) picture->width * picture->height; i++)
    {
      const guchar *p = picture->pixels + i * 4;

      if (ABS (p[2] - 0xe5) <= 6 && ABS (p[1] - 0xa5) <= 6 && ABS (p[0] - 0x0a) <= 6)
        n++;
    }

  return n;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_render_leaves_out_expired (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-inbox-expired-XXXXXX", NULL);
  g_autofree char *both = g_build_filename (dir, "both.json", NULL);
  g_autofree char *live = g_build_filename (dir, "live.json", NULL);
  g_autofree char *both_png = g_build_filename (dir, "both.png", NULL);
  g_autofree char *live_png = g_build_filename (dir, "live.png", NULL);
  g_autofree char *marked_png = g_build_filename (dir, "marked.png", NULL);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, NOW);
  /* one live (expires tomorrow), one expired a minute ago, one that never expires */
  g_autofree char *live_json = message_json ("live-1", NOW - 3600, "Live offer", NOW + 86400);
  g_autofree char *expired_json = message_json ("expired-1", NOW - 600, "Flash sale", NOW - 60);
  g_autofree char *forever_json = message_json ("forever-1", NOW - 7200, "No expiry", 0);
  g_autofree char *both_text = g_strdup_printf ("[%s,\n%s,\n%s]\n", live_json, expired_json, forever_json);
  g_autofree char *live_text = g_strdup_printf ("[%s,\n%s]\n", live_json, forever_json);
  g_autofree char *err = NULL, *err_live = NULL, *err_marked = NULL;
  Picture both_picture, live_picture, marked_picture;

  write_file (both, both_text);
  write_file (live, live_text);

  /* left out, and named with when it expired */
  g_assert_cmpint (run_app ((const char *[]) { "--render", both, "--output", both_png, "--now", now, NULL }, &err), ==, 0);
  g_test_message ("stderr: %s", err);
  g_assert_nonnull (strstr (err, "app-inbox: expired-1: left out: expired at 2025-11-28T14:25:40Z (wzrk_ttl 1764339940)\n"));
  g_assert_null (strstr (err, "live-1"));
  g_assert_null (strstr (err, "forever-1"));

  /* the same picture as the payload without it */
  g_assert_cmpint (run_app ((const char *[]) { "--render", live, "--output", live_png, "--now", now, NULL }, &err_live), ==, 0);
  g_assert_cmpstr (err_live, ==, "");
  both_picture = load_picture (both_png);
  live_picture = load_picture (live_png);
  g_assert_true (same_picture (&both_picture, &live_picture));
  g_assert_cmpuint (tag_pixels (&both_picture), ==, 0);

  /* --include-expired: drawn, tagged, and said */
  g_assert_cmpint (run_app ((const char *[]) { "--render", both, "--output", marked_png, "--now", now,
                                               "--include-expired", NULL }, &err_marked), ==, 0);
  g_assert_nonnull (strstr (err_marked, "app-inbox: expired-1: drawn, marked expired: expired at 2025-11-28T14:25:40Z"));
  marked_picture = load_picture (marked_png);
  g_assert_cmpint (marked_picture.width, ==, live_picture.width);
  g_assert_cmpint (marked_picture.height, >, live_picture.height + 50);
  g_assert_cmpuint (tag_pixels (&marked_picture), >, 100);

  /* --include-expired is for --render */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_app ((const char *[]) { "--preview", both, "--include-expired", NULL }, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--include-expired goes with --render"));

  g_free (both_picture.pixels);
  g_free (live_picture.pixels);
  g_free (marked_picture.pixels);
  g_unlink (both);
  g_unlink (live);
  g_unlink (both_png);
  g_unlink (live_png);
  g_unlink (marked_png);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("test-preview needs a display: run it under xvfb-run (tools/run-tests does)\n");
      return 1;
    }

  g_test_add_func ("/render/leaves-out-expired", test_render_leaves_out_expired);

  return g_test_run ();
}
