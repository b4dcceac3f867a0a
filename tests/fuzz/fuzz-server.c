/* fuzz-server.c: libFuzzer target for the inbox server's request handling
 *
 * Each input becomes one HTTP/1.1 request to one endpoint of
 * docs/sync-api.md, served by a real InboxServer over an in-memory stream
 * (inbox_server_accept_stream), with its SQLite database in a temporary
 * folder. The input is laid out as
 *
 *   byte 0   the endpoint (selector % N_ENDPOINTS); the last one is the raw
 *            mode, where the rest of the input is the request, verbatim
 *   byte 1   bits 0-1: the Authorization header (the endpoint's own token,
 *                      the other token, none, a wrong one)
 *            bits 2-4: the method (0-3 the endpoint's own; then GET, POST,
 *                      HEAD, DELETE)
 *            bit 5:    the body is sent chunked
 *            bit 6:    If-None-Match: *
 *            bit 7:    Expect: 100-continue
 *   then     the query string (or the path's last segment) up to the first
 *            newline, then the body
 *
 * In the query, the body and the raw request, "@C" stands for the id of the
 * campaign published at start, "@U" for the user's token and "@A" for the
 * admin's, so that the fuzzer can reach what lies behind a valid token or id.
 *
 * Every answer must be HTTP/1.1, and every 4xx or 5xx answer to a request the
 * target built must carry a JSON error body {"error": ..., "message": ...}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-log.h"
#include "inbox-server.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define ADMIN_TOKEN "fuzz-admin-token"
#define USER_NAME   "fuzz"

/* A fresh database after this many inputs, so that it does not grow without
 * bound over a long run. */
#define RESET_EVERY 500

/* A request that takes longer than this (of the main loop's time) is a hang. */
#define DEADLINE_SECONDS 5

typedef enum {
  ENDPOINT_INBOX,
  ENDPOINT_EVENTS,
  ENDPOINT_USERS,
  ENDPOINT_CAMPAIGNS,
  ENDPOINT_CAMPAIGN,
  ENDPOINT_MEDIA,
  ENDPOINT_RAW,
  N_ENDPOINTS
} Endpoint;

static const struct {
  const char *method;
  const char *path;   /* the query or the last segment follows */
  gboolean    admin;  /* the endpoint's own token is the admin's */
  gboolean    query;  /* the first field is a query string, not a path segment */
} endpoints[] = {
  [ENDPOINT_INBOX]     = { "GET",  "/v1/inbox",        FALSE, TRUE },
  [ENDPOINT_EVENTS]    = { "POST", "/v1/inbox/events", FALSE, TRUE },
  [ENDPOINT_USERS]     = { "POST", "/v1/users",        TRUE,  TRUE },
  [ENDPOINT_CAMPAIGNS] = { "POST", "/v1/campaigns",    TRUE,  TRUE },
  [ENDPOINT_CAMPAIGN]  = { "GET",  "/v1/campaigns/",   TRUE,  FALSE },
  [ENDPOINT_MEDIA]     = { "GET",  "/media/",          FALSE, FALSE },
};

static const char *other_methods[] = { "GET", "POST", "HEAD", "DELETE" };

/* A 1×1 PNG, for /media/ */
static const guint8 png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f,
  0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7, 0x35, 0x81, 0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
  0x44, 0xae, 0x42, 0x60, 0x82,
};

static char *tmp_dir;
static char *media_dir;
static char *db_path;
static InboxServerStore *db;
static InboxServer *server;
static char *user_token;
static char *campaign_id;
static guint inputs;

static void
remove_db_files (void)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

/* The server, its database, one user and one published campaign, all new. */
static void
setup_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint delivered = 0;

  g_clear_object (&server);
  g_clear_object (&db);
  g_clear_pointer (&user_token, g_free);
  g_clear_pointer (&campaign_id, g_free);
  remove_db_files ();

  db = inbox_server_store_open (db_path, NULL, &error);
  if (db == NULL)
    g_error ("fuzz-server: cannot open %s: %s", db_path, error->message);
  server = inbox_server_new (db, media_dir, ADMIN_TOKEN);

  user_token = inbox_server_store_create_user (db, USER_NAME, (const char *[]) { "beta", NULL }, TRUE, &error);
  if (user_token == NULL)
    g_error ("fuzz-server: cannot create the user: %s", error->message);

  if (!json_parser_load_from_data (parser,
                                   "{\"target\": {\"users\": [\"" USER_NAME "\"]}, \"ttl_seconds\": 86400,"
                                   " \"message\": {\"msg\": {\"type\": \"simple\", \"tags\": [\"Offers\"],"
                                   " \"content\": [{\"title\": {\"text\": \"Hello\"},"
                                   " \"message\": {\"text\": \"Body\"}}]}, \"wzrk_pivot\": \"fuzz\"}}",
                                   -1, &error))
    g_error ("fuzz-server: the campaign: %s", error->message);
  campaign_id = inbox_server_publish (server, json_parser_get_root (parser), &delivered, &error);
  if (campaign_id == NULL)
    g_error ("fuzz-server: cannot publish the campaign: %s", error->message);
}

static void
cleanup (void)
{
  g_clear_object (&server);
  g_clear_object (&db);
  if (db_path != NULL)
    remove_db_files ();
  if (media_dir != NULL)
    {
      const char *names[] = { "pic.png", "note.txt" };

      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (media_dir, names[i], NULL);

          g_unlink (path);
        }
      g_rmdir (media_dir);
    }
  if (tmp_dir != NULL)
    g_rmdir (tmp_dir);
}

/* Appends @data with @C, @U and @A replaced. */
static void
append_substituted (GString      *out,
                    const guint8 *data,
                    gsize         size)
{
  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '@' && i + 1 < size)
        {
          const char *value = NULL;

          switch (data[i + 1])
            {
            case 'C': value = campaign_id; break;
            case 'U': value = user_token; break;
            case 'A': value = ADMIN_TOKEN; break;
            default: break;
            }
          if (value != NULL)
            {
              g_string_append (out, value);
              i++;
              continue;
            }
        }
      g_string_append_c (out, (char) data[i]);
    }
}

/* What may go into a request line as it is: the rest is %-escaped, and so is
 * a '%' that does not start an escape, so that the URI always parses. */
static void
append_uri_part (GString      *out,
                 const guint8 *data,
                 gsize         size,
                 gboolean      query)
{
  g_autoptr(GString) text = g_string_new (NULL);

  append_substituted (text, data, size);
  for (gsize i = 0; i < text->len; i++)
    {
      guint8 c = (guint8) text->str[i];
      gboolean escape_ok = c == '%' && i + 2 < text->len &&
                           g_ascii_isxdigit (text->str[i + 1]) && g_ascii_isxdigit (text->str[i + 2]);

      if (c > 0x20 && c < 0x7f && c != '#' && c != '"' && c != '<' && c != '>' && c != '\\' &&
          c != '^' && c != '`' && c != '{' && c != '|' && c != '}' &&
          (c != '%' || escape_ok) && (query || c != '?'))
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "%%%02X", c);
    }
}

static const char *
header_end (const char *response,
            gsize       length)
{
  const char *end = g_strstr_len (response, length, "\r\n\r\n");

  return end != NULL ? end + 4 : NULL;
}

static gboolean
is_string_member (JsonObject *object,
                  const char *name)
{
  JsonNode *member = json_object_get_member (object, name);

  return member != NULL && json_node_get_value_type (member) == G_TYPE_STRING;
}

/* An error answer must be {"error": "<code>", "message": "<sentence>"}. */
static void
check_error_body (const char *request,
                  const char *response,
                  gsize       length,
                  guint       status)
{
  const char *body = header_end (response, length);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (body == NULL)
    g_error ("fuzz-server: the answer has no end of headers\n--- request:\n%s\n--- answer:\n%.*s",
             request, (int) length, response);
  if (!json_parser_load_from_data (parser, body, length - (body - response), &error) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_error ("fuzz-server: a %u answer without a JSON object body (%s)\n--- request:\n%s\n--- answer:\n%.*s",
             status, error != NULL ? error->message : "not an object", request, (int) length, response);
  object = json_node_get_object (json_parser_get_root (parser));
  if (!is_string_member (object, "error") || !is_string_member (object, "message"))
    g_error ("fuzz-server: a %u answer whose body lacks error or message\n--- request:\n%s\n--- answer:\n%.*s",
             status, request, (int) length, response);
}

/* libsoup answers 400 itself, with no body and before any handler of ours
 * runs, to a path that has %00 or a ".." segment once unescaped
 * (soup-server.c, got_headers): the server cannot give those a JSON body. */
static gboolean
soup_refuses_path (const char *request)
{
  const char *start = strchr (request, ' ') + 1;
  gsize span = strcspn (start, "? ");
  g_autofree char *path = g_strndup (start, span);
  g_autofree char *decoded = g_uri_unescape_string (path, NULL);

  return decoded == NULL || g_str_equal (decoded, "/..") || strstr (decoded, "/../") != NULL ||
         g_str_has_suffix (decoded, "/..");
}

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Serves @request over an in-memory stream; returns the bytes written back. */
static GBytes *
serve (const char *request,
       gsize       length)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (g_memdup2 (request, length), length, g_free);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) stream = g_simple_io_stream_new (input, output);
  g_autoptr(GError) error = NULL;
  gboolean expired = FALSE;
  guint deadline;

  if (!inbox_server_accept_stream (server, stream, &error))
    g_error ("fuzz-server: inbox_server_accept_stream: %s", error->message);

  deadline = g_timeout_add_seconds (DEADLINE_SECONDS, deadline_cb, &expired);
  while (!g_io_stream_is_closed (stream) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("fuzz-server: the server did not close the connection within %d s\n--- request:\n%.*s",
             DEADLINE_SECONDS, (int) MIN (length, 4096), request);
  g_source_remove (deadline);

  /* what the connection left behind (its last idle callbacks) */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
}

static void
fuzz_raw (const guint8 *data,
          gsize         size)
{
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GBytes) answer = NULL;
  const char *response;
  gsize length;

  append_substituted (request, data, size);
  answer = serve (request->str, request->len);
  response = g_bytes_get_data (answer, &length);
  if (length > 0 && (length < 9 || memcmp (response, "HTTP/1.", 7) != 0))
    g_error ("fuzz-server: the answer is not HTTP/1.x\n--- answer:\n%.*s", (int) MIN (length, 4096), response);
}

static void
fuzz_endpoint (Endpoint      endpoint,
               guint8        flags,
               const guint8 *data,
               gsize         size)
{
  const guint8 *newline = memchr (data, '\n', size);
  gsize first_length = newline != NULL ? (gsize) (newline - data) : size;
  const guint8 *body_data = newline != NULL ? newline + 1 : data + size;
  gsize body_length = size - (body_data - data);
  guint auth = flags & 3, method_bits = (flags >> 2) & 7;
  gboolean chunked = (flags & 0x20) != 0;
  const char *method = method_bits < 4 ? endpoints[endpoint].method : other_methods[method_bits - 4];
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GBytes) answer = NULL;
  const char *response;
  gsize length;
  guint status;

  g_string_append_printf (request, "%s %s", method, endpoints[endpoint].path);
  if (endpoints[endpoint].query && first_length > 0)
    g_string_append_c (request, '?');
  if (!endpoints[endpoint].query && first_length == 0)
    g_string_append (request, endpoint == ENDPOINT_CAMPAIGN ? campaign_id : "pic.png");
  append_uri_part (request, data, first_length, endpoints[endpoint].query);
  g_string_append (request, " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n");

  switch (auth)
    {
    case 0:
    case 1:
      {
        gboolean admin = endpoints[endpoint].admin == (auth == 0);

        g_string_append_printf (request, "Authorization: Bearer %s\r\n", admin ? ADMIN_TOKEN : user_token);
      }
      break;
    case 2:
      break;
    default:
      g_string_append (request, "Authorization: Bearer not-a-token\r\n");
      break;
    }
  if (flags & 0x40)
    g_string_append (request, "If-None-Match: *\r\n");
  if (flags & 0x80)
    g_string_append (request, "Expect: 100-continue\r\n");

  append_substituted (body, body_data, body_length);
  if (body->len > 0)
    g_string_append (request, "Content-Type: application/json\r\n");
  if (chunked)
    {
      /* two chunks, so that the server counts them as they come */
      gsize half = body->len / 2;

      g_string_append (request, "Transfer-Encoding: chunked\r\n\r\n");
      if (half > 0)
        {
          g_string_append_printf (request, "%zx\r\n", half);
          g_string_append_len (request, body->str, half);
          g_string_append (request, "\r\n");
        }
      if (body->len - half > 0)
        {
          g_string_append_printf (request, "%zx\r\n", body->len - half);
          g_string_append_len (request, body->str + half, body->len - half);
          g_string_append (request, "\r\n");
        }
      g_string_append (request, "0\r\n\r\n");
    }
  else
    {
      g_string_append_printf (request, "Content-Length: %zu\r\n\r\n", body->len);
      g_string_append_len (request, body->str, body->len);
    }

  answer = serve (request->str, request->len);
  response = g_bytes_get_data (answer, &length);

  /* a well-formed request always gets an answer */
  if (length < 12 || memcmp (response, "HTTP/1.1 ", 9) != 0 ||
      !g_ascii_isdigit (response[9]) || !g_ascii_isdigit (response[10]) || !g_ascii_isdigit (response[11]))
    g_error ("fuzz-server: no HTTP/1.1 answer\n--- request:\n%s\n--- answer:\n%.*s",
             request->str, (int) MIN (length, 4096), response);

  /* after "100 Continue", the real answer */
  status = (response[9] - '0') * 100 + (response[10] - '0') * 10 + (response[11] - '0');
  if (status == 100)
    {
      const char *next = header_end (response, length);

      if (next == NULL || length - (next - response) < 12 || memcmp (next, "HTTP/1.1 ", 9) != 0)
        g_error ("fuzz-server: no answer after 100 Continue\n--- request:\n%s\n--- answer:\n%.*s",
                 request->str, (int) MIN (length, 4096), response);
      length -= next - response;
      response = next;
      status = (response[9] - '0') * 100 + (response[10] - '0') * 10 + (response[11] - '0');
    }

  if (status >= 400 && !g_str_equal (method, "HEAD") && !(status == 400 && soup_refuses_path (request->str)))
    check_error_body (request->str, response, length, status);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png_path = NULL, *note_path = NULL;
  const char *warm_up[] = {
    "\x00\x00since=0&limit=5\n",
    "\x00\x01\n",
    "\x01\x00\n{\"events\": [{\"event_id\": \"e1\", \"type\": \"read\", \"message_id\": \"@C\", \"ts\": 1}]}",
    "\x01\x20\n{\"events\": [{\"event_id\": \"e2\", \"type\": \"Notification Clicked\", \"message_id\": \"@C\", \"ts\": 1,"
    " \"props\": {\"wzrk_c2a\": \"x\"}}]}",
    "\x02\x00\n{\"user\": \"warm\", \"segments\": [\"beta\"]}",
    "\x03\x00\n{\"target\": {\"segment\": \"beta\"}, \"message\": {\"msg\": {\"type\": \"simple\","
    " \"content\": [{\"title\": {\"text\": \"T\"}, \"message\": {\"text\": \"M\"}}]}}}",
    "\x03\x00\n{\"target\": {\"all\": true}, \"message\": {\"msg\": {}}}",
    "\x03\x00\nnot json",
    "\x04\x00",
    "\x04\x00nope",
    "\x05\x00",
    "\x05\x40",
    "\x05\x18note.txt",
    "\x05\x00missing",
    "\x06GET /v1/inbox HTTP/1.1\r\nAuthorization: Bearer @U\r\n\r\n",
    "\x06garbage\r\n\r\n",
  };

  /* a critical or a warning is a bug the fuzzer found */
  fuzz_log_abort_on_warnings ();
  g_setenv ("G_SLICE", "always-malloc", TRUE);

  tmp_dir = g_dir_make_tmp ("fuzz-server-XXXXXX", &error);
  if (tmp_dir == NULL)
    g_error ("fuzz-server: %s", error->message);
  atexit (cleanup);
  media_dir = g_build_filename (tmp_dir, "media", NULL);
  db_path = g_build_filename (tmp_dir, "inbox.sqlite", NULL);
  png_path = g_build_filename (media_dir, "pic.png", NULL);
  note_path = g_build_filename (media_dir, "note.txt", NULL);
  if (g_mkdir (media_dir, 0700) != 0 ||
      !g_file_set_contents (png_path, (const char *) png, sizeof png, &error) ||
      !g_file_set_contents (note_path, "A note.\n", -1, &error))
    g_error ("fuzz-server: cannot write the media in %s: %s", media_dir,
             error != NULL ? error->message : g_strerror (errno));

  setup_server ();

  /* the one-time allocations of GLib, GIO, the content types, libsoup and
   * SQLite happen here, before libFuzzer looks for leaks */
  for (gsize i = 0; i < G_N_ELEMENTS (warm_up); i++)
    {
      const char *input = warm_up[i];
      gsize size = 2 + strlen (input + 2);

      if (input[0] == ENDPOINT_RAW)
        size = 1 + strlen (input + 1);
      LLVMFuzzerTestOneInput ((const uint8_t *) input, size);
    }
  setup_server ();
  inputs = 0;

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Endpoint endpoint;

  if (size < 1)
    return 0;

  if (++inputs % RESET_EVERY == 0)
    setup_server ();

  endpoint = data[0] % N_ENDPOINTS;
  if (endpoint == ENDPOINT_RAW)
    fuzz_raw (data + 1, size - 1);
  else if (size >= 2)
    fuzz_endpoint (endpoint, data[1], data + 2, size - 2);
  else
    fuzz_endpoint (endpoint, 0, data + 1, 0);

  return 0;
}
