/* test-check.c: `app-inbox --check FILE`, run as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "inbox-payload.h"
#include "test-util.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *xdg_dir;

/* Runs app-inbox --check without a display and with a data folder of its
 * own, so that any write to the cache would show. */
static void
run_check_args (const char * const *args,
                Run                *run)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  const char *app = g_getenv ("APP_INBOX");

  g_assert_nonnull (app);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", xdg_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", xdg_dir, TRUE);

  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) app);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  /* it exits; a crash is a signal, not a status */
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = g_bytes_get_size (out) > 0 ? g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out)) : g_strdup ("");
  run->err = g_bytes_get_size (err) > 0 ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err)) : g_strdup ("");
}

static void
run_check (const char *file,
           Run        *run)
{
  const char *args[] = { "--check", file, NULL };

  run_check_args (args, run);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
}

static char *
write_temp (const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (xdg_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_valid_fixtures (void)
{
  static const struct {
    const char *file;
    const char *line;
  } cases[] = {
    { "simple.json",
      "1712000000_1716400000: ok (simple, msg.content[0].action.links[2]: push-permission button, not shown on the desktop; button slot 3 stays empty, msg.content[0].action.links: 5 links: only links[0] to links[2] fill the button slots, the fourth and later are not shown)\n"
      "  android: card link https://example.com/android\n"
      "  android: no buttons (5 links; Android shows buttons for 1 to 3 links only)\n"
      "  ios: no card link (hasUrl is true but there is no url.ios.text: iOS reads only that)\n"
      "  ios: buttons \"See offer\", \"Copy code\", \"Allow notifications\" (5 links; iOS shows the first three)\n"
      "  ios: button 3 \"Allow notifications\" (rfp) asks for the push permission through the app (messageDidSelectForPushPermission: fbSettings NO), without Notification Clicked\n" },
    { "message-icon.json",
      "icon-1: ok (message-icon, msg.content: 2 items, message-icon shows the first only)\n"
      "  android: no buttons (1 link but no action.url object; Android reads links only when it exists)\n"
      "  android: expires 24 h after arrival (no wzrk_ttl: Android stores an expiry 24 h after the message arrives)\n" },
    { "carousel.json",
      "carousel-1: ok (carousel)\n"
      "  android: no card link (hasUrl is true but there is no url.android.text: Android reads only that)\n"
      "  ios: no card link (hasUrl is true but there is no url.ios.text: iOS reads only that)\n"
      "  ios: msg.bg \"#80FFFFFF\": alpha ignored, opaque #ffffff\n" },
    { "carousel-image.json",
      "image-carousel-1: ok (carousel-image)\n"
      "  android: no card link (hasUrl is true but there is no url.android.text: Android reads only that)\n"
      "  android: expires 24 h after arrival (no wzrk_ttl: Android stores an expiry 24 h after the message arrives)\n"
      "  ios: no card link (hasUrl is true but there is no url.ios.text: iOS reads only that)\n"
      "  ios: msg.orientation \"x\": square (1:1) slides\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = data_path (cases[i].file);
      g_auto(Run) run = { 0 };

      run_check (path, &run);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.out, ==, cases[i].line);
      g_assert_cmpstr (run.err, ==, "");
    }
}

static void
test_mixed (void)
{
  g_autofree char *path = data_path ("mixed.json");
  g_auto(Run) run = { 0 };

  run_check (path, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==,
                   "good-1: ok (simple)\n"
                   "  android: expires 24 h after arrival (no wzrk_ttl: Android stores an expiry 24 h after the message arrives)\n"
                   "  android: msg.content[0].message is empty: its line stays, blank (inferred: an empty TextView keeps its height)\n"
                   "bad-1: invalid: msg.content[0].media.url: expected a string, got a number\n"
                   "#2: invalid: expected a message object, got a string\n"
                   "good-2: ok (simple, msg.type: unknown template \"poll\", shown as simple)\n"
                   "  android: not shown (unknown template \"poll\": Android has no view for it (inferred: the inbox crashes))\n"
                   "expired-1: ok (simple, expired)\n");
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_invalid_fixtures (void)
{
  static const struct {
    const char *file;
    int status;
    const char *text;
  } cases[] = {
    { "invalid/no-id.json", 1, "#0: invalid: _id: missing\n" },
    { "invalid/empty-id.json", 1, "#0: invalid: _id: empty\n" },
    { "invalid/id-number.json", 1, "#0: invalid: _id: expected a string, got a number\n" },
    { "invalid/no-msg.json", 1, "a: invalid: msg: missing\n" },
    { "invalid/msg-string.json", 1, "a: invalid: msg: expected an object, got a string\n" },
    { "invalid/no-content.json", 1, "a: invalid: msg.content: missing\n" },
    { "invalid/empty-content.json", 1, "a: invalid: msg.content: empty, a message needs at least one item\n" },
    { "invalid/content-item-string.json", 1, "a: invalid: msg.content[1]: expected an object, got a string\n" },
    { "invalid/media-url-number.json", 1, "a: invalid: msg.content[1].media.url: expected a string, got a number\n" },
    { "invalid/date-string.json", 1, "a: invalid: date: expected an integer, got a string\n" },
    { "invalid/date-fraction.json", 1, "a: invalid: date: expected an integer, got a number with a fraction (1716400000.5)\n" },
    { "invalid/ttl-string.json", 1, "a: invalid: wzrk_ttl: expected an integer, got a string\n" },
    { "invalid/isread-string.json", 1, "a: invalid: isRead: expected a boolean, got a string\n" },
    { "invalid/tags-number.json", 1, "a: invalid: msg.tags[1]: expected a string, got a number\n" },
    { "invalid/title-text-number.json", 1, "a: invalid: msg.content[0].title.text: expected a string, got a number\n" },
    { "invalid/link-not-object.json", 1, "a: invalid: msg.content[0].action.links[0]: expected an object, got a string\n" },
    { "invalid/link-url-text-number.json", 1,
      "a: invalid: msg.content[0].action.links[0].url.desktop.text: expected a string, got a number\n" },
    { "invalid/kv-value-number.json", 1, "a: invalid: msg.content[0].action.links[0].kv.a: expected a string, got a number\n" },
    { "invalid/custom-kv-not-array.json", 1, "a: invalid: msg.custom_kv: expected an array, got an object\n" },
    { "invalid/not-object.json", 2, "expected a message, an array of messages or a sync response, got a number" },
    { "invalid/notifs-not-array.json", 2, "inbox_notifs: expected an array, got an object" },
    { "invalid/truncated.json", 2, "not JSON: line 1, column 65: a control character (U+000A) in a string" },
    /* issue 9, items 7 and 8 */
    { "invalid/id-object.json", 1, "#0: invalid: _id: expected a string, got an object\n" },
    { "invalid/id-array.json", 1, "#0: invalid: _id: expected a string, got an array\n" },
    { "invalid/id-nul.json", 1, "#0: invalid: _id: U+0000 (\\u0000) is not allowed in a string\n" },
    { "invalid/id-lone-surrogate.json", 2,
      "not JSON: line 1, column 10: _id: a lone surrogate (\\ud800) in a string is not a character" },
    { "invalid/title-lone-surrogate.json", 2,
      "not JSON: line 1, column 65: msg.content[0].title.text: a lone surrogate (\\udc00) in a string is not a character" },
    { "invalid/date-1e400.json", 1, "a: invalid: date: number out of range (1e400)\n" },
    { "invalid/date-beyond-int64.json", 1, "a: invalid: date: expected an integer, got a number out of range (1e+19)\n" },
    { "invalid/ttl-beyond-int64.json", 1, "a: invalid: wzrk_ttl: integer out of range (99999999999999999999)\n" },
    { "invalid/tag-control.json", 1, "a: invalid: msg.tags[0]: a control character (U+001F) in a tag\n" },
    { "invalid/duplicate-key.json", 1, "a: invalid: msg: duplicate key\n" },
    { "invalid/duplicate-notifs.json", 2, "duplicate-notifs.json: inbox_notifs: duplicate key" },
    { "invalid/trailing-data.json", 2, "not JSON: line 2, column 1: trailing data after the JSON document" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = data_path (cases[i].file);
      g_auto(Run) run = { 0 };

      g_test_message ("%s", cases[i].file);
      run_check (path, &run);
      g_assert_cmpint (run.status, ==, cases[i].status);
      if (cases[i].status == 1)
        {
          g_assert_cmpstr (run.out, ==, cases[i].text);
        }
      else
        {
          g_assert_cmpstr (run.out, ==, "");
          g_assert_nonnull (strstr (run.err, path));
          g_assert_nonnull (strstr (run.err, cases[i].text));
        }
    }
}

static void
test_unreadable (void)
{
  g_autofree char *missing = g_build_filename (xdg_dir, "no-such-file.json", NULL);
  g_autofree char *empty = write_temp ("empty.json", "", 0);
  g_auto(Run) run = { 0 };
  g_auto(Run) run_dir = { 0 };
  g_auto(Run) run_empty = { 0 };

  run_check (missing, &run);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no-such-file.json"));

  run_check (xdg_dir, &run_dir);
  g_assert_cmpint (run_dir.status, ==, 2);

  run_check (empty, &run_empty);
  g_assert_cmpint (run_empty.status, ==, 2);
  g_assert_nonnull (strstr (run_empty.err, "empty.json"));
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_auto(Run) run = { 0 };

  for (guint i = 0; i < 20000; i++)
    g_string_append (deep, "{\"a\":[");
  path = write_temp ("deep.json", deep->str, deep->len);

  run_check (path, &run);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "too deeply nested: line 1, column "));
}

static void
test_huge_string (void)
{
  const gsize size = 50 * 1024 * 1024;
  g_autoptr(GString) big = g_string_sized_new (size + 200);
  g_autofree char *path = NULL;
  g_auto(Run) run = { 0 };

  g_string_append (big, "{\"_id\":\"big\",\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"");
  for (gsize i = 0; i < size; i++)
    g_string_append_c (big, 'a' + i % 26);
  g_string_append (big, "\"}}]}}");
  path = write_temp ("huge.json", big->str, big->len);

  run_check (path, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "big: ok (simple)\n"));
}

static void
test_binary_garbage (void)
{
  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *path = NULL;
      g_auto(Run) run = { 0 };
      guchar garbage[4096];

      for (guint i = 0; i < sizeof garbage; i++)
        garbage[i] = g_test_rand_int_range (0, 256);
      path = write_temp ("garbage.bin", (const char *) garbage, sizeof garbage);

      run_check (path, &run);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "not JSON: line "));
      g_assert_true (g_utf8_validate (run.err, -1, NULL));
    }
}

static void
test_every_truncation (void)
{
  g_autofree char *path = data_path ("simple.json");
  g_autofree char *contents = NULL;
  gsize length;

  /* every prefix of a valid file: a clear verdict, never a crash */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;

      items = inbox_payload_parse (contents, cut, 0, INBOX_PAYLOAD_FLAGS_QUIET, &error);
      if (items == NULL)
        {
          g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON);
          g_assert_true (g_str_has_prefix (error->message, "not JSON: line ") ||
                         g_str_has_prefix (error->message, "empty"));
        }
    }

  /* and a few through the program */
  for (gsize cut = 1; cut < length; cut += length / 7)
    {
      g_autofree char *truncated = write_temp ("truncated.json", contents, cut);
      g_auto(Run) run = { 0 };

      run_check (truncated, &run);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "not JSON: line "));
    }
}

static void
test_cache_untouched (void)
{
  g_autofree char *data_dir = g_build_filename (xdg_dir, "app-inbox", NULL);
  g_autofree char *path = data_path ("simple.json");
  g_auto(Run) run = { 0 };

  run_check (path, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
}

/* Issue 10: every shape a developer may have at hand is one payload; an
 * object that is none of them is refused in one line. */
static void
test_envelopes (void)
{
  static const char * const shapes[] = {
    "envelopes/message.json",
    "envelopes/array.json",
    "envelopes/inbox-notifs.json",
    "envelopes/inbox-notifs-v2.json",
    "envelopes/get-data.json",
  };
  g_autofree char *expected = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *path = data_path (shapes[i]);
      g_auto(Run) run = { 0 };
      const char *args[] = { "--check", path, "--now", "1716400000", NULL };

      g_test_message ("%s", shapes[i]);
      run_check_args (args, &run);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_true (g_str_has_prefix (run.out, "env-1: ok (simple)\n"));
      /* the same message whatever the shape: the same verdict, platforms too */
      if (expected == NULL)
        expected = g_strdup (run.out);
      g_assert_cmpstr (run.out, ==, expected);
    }
}

static void
test_not_a_payload (void)
{
  g_autofree char *path = data_path ("envelopes/not-a-payload.json");
  g_auto(Run) run = { 0 };

  run_check (path, &run);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "not-a-payload.json: not a payload: an object with none of inbox_notifs, "
                                     "inbox_notifs_v2, _id or msg (a message) or id (a message from Android's "
                                     "getData()); its keys: campaign, messages\n"));
  /* one line */
  g_assert_cmpstr (strchr (run.err, '\n'), ==, run.err + strlen (run.err) - 1);
}

/* The plain output says what each platform does otherwise (the issue's own
 * example), and --json says it as data. */
static void
test_platform_lines (void)
{
  g_autofree char *path = data_path ("rules/links-four.json");
  g_auto(Run) run = { 0 };
  g_auto(Run) json_run = { 0 };
  const char *args[] = { "--check", path, "--json", "--now", "1716400000", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *message, *android, *ios;

  run_check (path, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\n  android: no buttons (4 links; Android shows buttons for 1 to 3 links only)\n"));
  g_assert_null (strstr (run.out, "  ios: no buttons"));

  run_check_args (args, &json_run);
  g_assert_cmpint (json_run.status, ==, 0);
  g_assert_cmpstr (json_run.err, ==, "");
  json_parser_load_from_data (parser, json_run.out, -1, &error);
  g_assert_no_error (error);
  message = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                         "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "id"), ==, "links-four");
  g_assert_true (json_object_get_boolean_member (message, "valid"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "buttons")), ==, 3);
  android = json_object_get_object_member (json_object_get_object_member (message, "platforms"), "android");
  ios = json_object_get_object_member (json_object_get_object_member (message, "platforms"), "ios");
  g_assert_true (json_object_get_boolean_member (android, "shown"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (android, "buttons")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ios, "buttons")), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (android, "expires"), ==, "24h-after-arrival");
  g_assert_cmpstr (json_object_get_string_member (ios, "expires"), ==, "never");

  /* the issue's own form, --json between --check and the file, gives the same */
  {
    const char *issue_args[] = { "--check", "--json", path, "--now", "1716400000", NULL };
    const char *two_files[] = { "--check", "--json", path, path, NULL };
    g_auto(Run) issue_run = { 0 };
    g_auto(Run) two_run = { 0 };

    run_check_args (issue_args, &issue_run);
    g_assert_cmpint (issue_run.status, ==, 0);
    g_assert_cmpstr (issue_run.out, ==, json_run.out);
    run_check_args (two_files, &two_run);
    g_assert_cmpint (two_run.status, ==, 2);
    g_assert_nonnull (strstr (two_run.err, "--check --json takes one FILE"));
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  xdg_dir = test_util_make_tmpdir ();

  g_test_add_func ("/check/valid-fixtures", test_valid_fixtures);
  g_test_add_func ("/check/mixed", test_mixed);
  g_test_add_func ("/check/invalid-fixtures", test_invalid_fixtures);
  g_test_add_func ("/check/unreadable", test_unreadable);
  g_test_add_func ("/check/deep-nesting", test_deep_nesting);
  g_test_add_func ("/check/huge-string", test_huge_string);
  g_test_add_func ("/check/binary-garbage", test_binary_garbage);
  g_test_add_func ("/check/every-truncation", test_every_truncation);
  g_test_add_func ("/check/cache-untouched", test_cache_untouched);
  g_test_add_func ("/check/envelopes", test_envelopes);
  g_test_add_func ("/check/not-a-payload", test_not_a_payload);
  g_test_add_func ("/check/platform-lines", test_platform_lines);

  status = g_test_run ();
  test_util_rm_rf (xdg_dir);
  g_free (xdg_dir);
  return status;
}
