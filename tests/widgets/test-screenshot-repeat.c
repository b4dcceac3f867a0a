/* test-screenshot-repeat.c: `app-inbox --preview FILE --screenshot OUT.png`
 * is what CI pipelines run, so it must give the same picture every time:
 * 20 runs over 10,000 messages of every template with media, each waiting
 * for the cards on screen and their media, each file written whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <gio/gio.h>

#define RUNS     20
#define MESSAGES 10000

static const char *templates[] = {
  "{\"type\": \"simple\", \"orientation\": \"l\", \"content\": [{\"title\": {\"text\": \"Simple %u\"},"
  " \"message\": {\"text\": \"A message with a picture and a button.\"},"
  " \"media\": {\"url\": \"media/landscape.png\", \"content_type\": \"image/png\"},"
  " \"action\": {\"hasLinks\": true, \"links\": [{\"type\": \"copy\", \"text\": \"Copy\", \"copyText\": {\"text\": \"X\"}}]}}]}",
  "{\"type\": \"message-icon\", \"content\": [{\"title\": {\"text\": \"Icon %u\"},"
  " \"message\": {\"text\": \"A message with an icon.\"}, \"icon\": {\"url\": \"media/icon.png\"}}]}",
  "{\"type\": \"carousel\", \"orientation\": \"l\", \"content\": ["
  "{\"title\": {\"text\": \"Carousel %u\"}, \"message\": {\"text\": \"First slide\"}, \"media\": {\"url\": \"media/slide-1.png\", \"content_type\": \"image/png\"}},"
  "{\"title\": {\"text\": \"Second\"}, \"message\": {\"text\": \"Second slide\"}, \"media\": {\"url\": \"media/slide-2.png\", \"content_type\": \"image/png\"}}]}",
  "{\"type\": \"carousel-image\", \"orientation\": \"p\", \"content\": ["
  "{\"media\": {\"url\": \"media/square.png\", \"content_type\": \"image/png\"}, \"title\": {\"text\": \"%u\"}},"
  "{\"media\": {\"url\": \"media/slide-3.png\", \"content_type\": \"image/png\"}}]}",
};

static const char *media_files[] = { "landscape.png", "icon.png", "slide-1.png", "slide-2.png", "slide-3.png", "square.png" };

static char *
make_payload (const char *dir)
{
  GString *out = g_string_new ("{\"inbox_notifs\": [");
  g_autofree char *path = g_build_filename (dir, "inbox.json", NULL);
  g_autofree char *media = g_build_filename (dir, "media", NULL);
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "..", "data", "media", NULL);

  for (guint i = 0; i < MESSAGES; i++)
    {
      g_autofree char *msg = NULL;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      msg = g_strdup_printf (templates[i % G_N_ELEMENTS (templates)], i);
#pragma GCC diagnostic pop
      g_string_append_printf (out, "%s{\"_id\": \"m%05u\", \"date\": %u, \"msg\": %s}",
                              i > 0 ? "," : "", i, 1700000000 - i * 60, msg);
    }
  g_string_append (out, "]}");
  g_assert_true (g_file_set_contents (path, out->str, out->len, NULL));
  g_string_free (out, TRUE);
  /* a copy: the media cache follows no link out of the payload's folder */
  g_assert_cmpint (g_mkdir (media, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (media_files); i++)
    {
      g_autofree char *from = g_build_filename (source, media_files[i], NULL);
      g_autofree char *to = g_build_filename (media, media_files[i], NULL);
      g_autofree char *data = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (from, &data, &length, NULL));
      g_assert_true (g_file_set_contents (to, data, length, NULL));
    }
  return g_steal_pointer (&path);
}

static void
test_screenshot_repeat (void)
{
  g_autofree char *dir = g_dir_make_tmp ("app-inbox-shots-XXXXXX", NULL);
  g_autofree char *payload = make_payload (dir);
  g_autoptr(GBytes) first = NULL;
  const char *app = g_getenv ("APP_INBOX");

  g_assert_nonnull (app);
  for (guint run = 0; run < RUNS; run++)
    {
      g_autofree char *out = g_strdup_printf ("%s/shot-%02u.png", dir, run);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *stderr_text = NULL;
      g_autoptr(GMappedFile) file = NULL;
      g_autoptr(GBytes) bytes = NULL;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                  app, "--preview", payload, "--screenshot", out, NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &stderr_text, &error);
      g_assert_no_error (error);
      if (!g_subprocess_get_successful (process))
        g_error ("run %u failed: %s", run, stderr_text);

      file = g_mapped_file_new (out, FALSE, &error);
      g_assert_no_error (error);
      bytes = g_mapped_file_get_bytes (file);
      if (first == NULL)
        first = g_bytes_ref (bytes);
      else if (!g_bytes_equal (first, bytes))
        g_error ("run %u gave another picture than run 0: compare %s/shot-00.png and %s", run, dir, out);
    }

  /* every picture equal: the temporary folder goes (KEEP_SHOTS=1 keeps it) */
  if (g_getenv ("KEEP_SHOTS") != NULL)
    return;
  for (guint run = 0; run < RUNS; run++)
    {
      g_autofree char *out = g_strdup_printf ("%s/shot-%02u.png", dir, run);

      g_unlink (out);
    }
  g_unlink (payload);
  for (guint i = 0; i < G_N_ELEMENTS (media_files); i++)
    {
      g_autofree char *file = g_build_filename (dir, "media", media_files[i], NULL);

      g_unlink (file);
    }
  {
    g_autofree char *media = g_build_filename (dir, "media", NULL);

    g_rmdir (media);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/screenshot/repeat", test_screenshot_repeat);

  return g_test_run ();
}
