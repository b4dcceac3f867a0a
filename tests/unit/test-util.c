/* test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "test-util.h"

const char *test_util_media_url = NULL;

static const char * const templates[] = { "simple", "message-icon", "carousel", "carousel-image" };

/* One message of template index % 4, about 1 KiB, with every kind of field. */
void
test_util_append_message (GString    *out,
                          guint       index,
                          const char *label,
                          gint64      date,
                          gint64      ttl)
{
  const char *type = templates[index % G_N_ELEMENTS (templates)];
  guint n_items = index % 4 >= 2 ? 3 : 1;

  g_string_append_printf (out,
                          "{\"_id\":\"msg-%06u\",\"date\":%" G_GINT64_FORMAT ",\"wzrk_ttl\":%" G_GINT64_FORMAT ","
                          "\"wzrk_id\":\"campaign-%u\",\"wzrk_pivot\":\"wzrk_default\",\"isRead\":%s,"
                          "\"msg\":{\"type\":\"%s\",\"bg\":\"#FFF8E1\",\"orientation\":\"%s\","
                          "\"tags\":[\"%s\"],\"custom_kv\":[{\"key\":\"label\",\"value\":{\"text\":\"%s\"}}],"
                          "\"content\":[",
                          index, date, ttl, index % 97, index % 5 == 0 ? "true" : "false",
                          type, index % 2 ? "l" : "p", index % 3 == 0 ? "Offers" : "News", label);

  for (guint item = 0; item < n_items; item++)
    {
      g_autofree char *media = test_util_media_url != NULL
        ? g_strdup (test_util_media_url)
        : g_strdup_printf ("https://media.example.com/%u/%u.png", index, item);

      g_string_append_printf (out,
                            "%s{\"title\":{\"text\":\"%s title %u.%u\",\"color\":\"#3E2723\"},"
                            "\"message\":{\"text\":\"Message body %u, slide %u, a sentence long enough to wrap "
                            "over two lines in a card of the inbox.\",\"color\":\"#5D4037\"},"
                            "\"media\":{\"url\":\"%s\",\"content_type\":\"image/png\","
                            "\"alt_text\":\"Picture %u\"},"
                            "\"icon\":{\"url\":\"https://media.example.com/icon/%u.png\",\"alt_text\":\"Icon\"},"
                            "\"action\":{\"hasUrl\":true,\"url\":{\"desktop\":{\"text\":\"https://example.com/%u/%u\"}},"
                            "\"hasLinks\":true,\"links\":[{\"type\":\"url\",\"text\":\"Open\",\"color\":\"#FFFFFF\","
                            "\"bg\":\"#6D4C41\",\"url\":{\"android\":{\"text\":\"https://example.com/b/%u\"}}},"
                            "{\"type\":\"copy\",\"text\":\"Copy\",\"copyText\":{\"text\":\"CODE%u\"}}]}}",
                            item == 0 ? "" : ",", label, index, item, index, item, media, index,
                            index, index, item, index, index);
    }

  g_string_append (out, "]}}");
}

/* A sync response of @count messages, dates descending from @first_date. */
char *
test_util_messages_json (guint       count,
                         const char *label,
                         gint64      first_date)
{
  GString *out = g_string_new ("{\"user\":\"alice\",\"cursor\":\"c\",\"more\":false,\"inbox_notifs\":[");

  for (guint i = 0; i < count; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      test_util_append_message (out, i, label, first_date - i, 0);
    }
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
}

/* Every message of @json, all of them expected to be valid. */
GPtrArray *
test_util_parse_messages (const char *json,
                          gint64      now)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *messages;

  items = inbox_payload_parse (json, strlen (json), now, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);

  messages = g_ptr_array_new_full (items->len, g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);

      g_assert_no_error (item->error);
      g_ptr_array_add (messages, g_object_ref (item->message));
    }

  return messages;
}

/* A small simple message. @tags_json is a JSON array or NULL. */
InboxMessage *
test_util_message (const char *id,
                   gint64      date,
                   gint64      ttl,
                   gboolean    read,
                   const char *tags_json,
                   const char *title)
{
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  json = g_strdup_printf ("{\"_id\":\"%s\",\"date\":%" G_GINT64_FORMAT ",\"wzrk_ttl\":%" G_GINT64_FORMAT ","
                          "\"wzrk_id\":\"w-%s\",\"isRead\":%s,\"msg\":{\"type\":\"simple\",\"tags\":%s,"
                          "\"content\":[{\"title\":{\"text\":\"%s\"}}]}}",
                          id, date, ttl, id, read ? "true" : "false", tags_json ? tags_json : "[]", title);
  messages = test_util_parse_messages (json, date);

  return g_object_ref (g_ptr_array_index (messages, 0));
}

char *
test_util_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("app-inbox-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
test_util_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          test_util_rm_rf (child);
        }
    }

  g_remove (path);
}


/* A server outlives no test that aborts; @user_data: its descriptor
 * limit, or 0 to keep the test's. */
static void
die_with_parent (gpointer user_data)
{
  guint max_files = GPOINTER_TO_UINT (user_data);

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (max_files > 0)
    {
      struct rlimit limit = { max_files, max_files };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

gboolean
test_util_postgres (void)
{
  return g_strcmp0 (g_getenv ("INBOX_TEST_DB"), "postgres") == 0;
}

/* psql as the cluster's superuser: its output, trimmed; the test fails on
 * any error. */
char *
test_util_psql (const char *database,
                const char *sql)
{
  g_autofree char *psql = g_build_filename (g_getenv ("INBOX_TEST_PG_BINDIR"), "psql", NULL);
  const char *argv[] = {
    psql, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", g_getenv ("INBOX_TEST_PG_HOST"),
    "-p", g_getenv ("INBOX_TEST_PG_PORT"), "-U", g_getenv ("INBOX_TEST_PG_ADMIN"), "-d", database,
    "-c", sql, NULL
  };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_nonnull (g_getenv ("INBOX_TEST_PG_HOST"));
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("psql -d %s -c \"%s\": %s", database, sql, err);
  return g_strstrip (g_steal_pointer (&out));
}

static char *
pg_database_for (const char *dir)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, dir, -1);

  return g_strdup_printf ("t_%.16s", hash);
}

char *
test_server_db_location (const char *dir)
{
  g_autofree char *name = NULL, *exists = NULL, *query = NULL;

  if (!test_util_postgres ())
    return g_build_filename (dir, "server.sqlite", NULL);

  /* a database per folder: a server started again on the folder finds its data */
  name = pg_database_for (dir);
  query = g_strdup_printf ("SELECT 1 FROM pg_database WHERE datname = '%s'", name);
  exists = test_util_psql ("postgres", query);
  if (*exists == '\0')
    {
      g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s TEMPLATE inbox_template", name);
      g_autofree char *grant = g_strdup_printf ("REVOKE ALL ON DATABASE %s FROM PUBLIC; "
                                                "GRANT CONNECT ON DATABASE %s TO inbox", name, name);
      g_free (test_util_psql ("postgres", create));
      g_free (test_util_psql ("postgres", grant));
    }
  return g_strdup_printf ("postgresql://inbox@/%s?host=%s&port=%s", name,
                          g_getenv ("INBOX_TEST_PG_HOST"), g_getenv ("INBOX_TEST_PG_PORT"));
}

/* What the server's database holds, as bytes to search: the SQLite file
 * and its log, or pg_dump's text. */
GBytes *
test_server_dump (const char *dir)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();

  if (test_util_postgres ())
    {
      g_autofree char *pg_dump = g_build_filename (g_getenv ("INBOX_TEST_PG_BINDIR"), "pg_dump", NULL);
      g_autofree char *name = pg_database_for (dir);
      const char *argv[] = {
        pg_dump, "-h", g_getenv ("INBOX_TEST_PG_HOST"), "-p", g_getenv ("INBOX_TEST_PG_PORT"),
        "-U", g_getenv ("INBOX_TEST_PG_ADMIN"), "-d", name, NULL
      };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (out, "CREATE TABLE inbox.users"));
      g_byte_array_append (all, (const guint8 *) out, strlen (out));
    }
  else
    for (const char * const *suffix = (const char *[]) { "", "-wal", NULL }; *suffix != NULL; suffix++)
      {
        g_autofree char *path = g_strdup_printf ("%s/server.sqlite%s", dir, *suffix);
        g_autofree char *contents = NULL;
        gsize length;

        if (g_file_get_contents (path, &contents, &length, NULL))
          g_byte_array_append (all, (const guint8 *) contents, length);
      }

  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

char *
test_server_sql (const char *dir,
                 const char *sql)
{
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value;

  if (test_util_postgres ())
    {
      g_autofree char *name = pg_database_for (dir);
      g_autofree char *scoped = g_strconcat ("SET search_path = inbox; ", sql, NULL);

      return test_util_psql (name, scoped);
    }

  path = g_build_filename (dir, "server.sqlite", NULL);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      break;
    case SQLITE_DONE:
      value = g_strdup ("");
      break;
    default:
      g_error ("%s: %s", sql, sqlite3_errmsg (db));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

TestServer *
test_server_start (const char *dir,
                   const char *admin_token,
                   gboolean    demo)
{
  return test_server_start_limited (dir, admin_token, demo, 0, NULL);
}

/* @max_files: its descriptor limit (0: the test's); @extra: more arguments */
TestServer *
test_server_start_limited (const char         *dir,
                           const char         *admin_token,
                           gboolean            demo,
                           guint               max_files,
                           const char * const *extra)
{
  g_autoptr(TestServer) server = g_new0 (TestServer, 1);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *db = test_server_db_location (dir);
  g_autofree char *password_file = g_build_filename (dir, "db-password", NULL);
  g_autofree char *media = g_build_filename (dir, "server-media", NULL);
  g_autofree char *admin_file = g_build_filename (dir, "admin-token", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("APP_INBOX_SERVER");
  const char *argv[24];
  guint n = 0;
  char *line;

  g_assert_nonnull (binary);
  g_mkdir_with_parents (media, 0700);
  g_assert_true (g_file_set_contents (admin_file, admin_token, -1, NULL));

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GUINT_TO_POINTER (max_files), NULL);
  argv[n++] = binary;
  argv[n++] = "--listen=127.0.0.1:0";
  argv[n++] = "--db";
  argv[n++] = db;
  argv[n++] = "--media";
  argv[n++] = media;
  argv[n++] = "--admin-token-file";
  argv[n++] = admin_file;
  if (test_util_postgres ())
    {
      g_assert_true (g_file_set_contents (password_file, g_getenv ("INBOX_TEST_PG_PASSWORD"), -1, NULL));
      argv[n++] = "--db-password-file";
      argv[n++] = password_file;
    }
  if (demo)
    argv[n++] = "--demo";
  for (guint i = 0; extra != NULL && extra[i] != NULL && n < G_N_ELEMENTS (argv) - 1; i++)
    argv[n++] = extra[i];
  argv[n] = NULL;

  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  /* its stdout says where it listens (and the demo token before that) */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      if (g_str_has_prefix (line, "app-inbox-server: demo token: "))
        server->demo_token = g_strdup (line + strlen ("app-inbox-server: demo token: "));
      if (g_str_has_prefix (line, "app-inbox-server: listening on "))
        {
          server->url = g_strdup (line + strlen ("app-inbox-server: listening on "));
          g_free (line);
          break;
        }
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_nonnull (server->url);
  return g_steal_pointer (&server);
}

void
test_server_kill (TestServer *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGKILL);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

void
test_server_free (TestServer *server)
{
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  g_free (server->url);
  g_free (server->demo_token);
  g_free (server);
}

GBytes *
test_util_http (const char *method,
                const char *url,
                const char *token,
                const char *body,
                gsize       body_length,
                guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  g_assert_nonnull (message);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length);
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);
  return answer;
}

JsonNode *
test_util_http_json (const char *method,
                     const char *url,
                     const char *token,
                     const char *body,
                     guint       expected_status)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint status;
  JsonNode *node;

  answer = test_util_http (method, url, token, body, body != NULL ? strlen (body) : 0, &status);
  if (status != expected_status)
    g_error ("%s %s: %u instead of %u: %.*s", method, url, status, expected_status,
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  node = json_from_string (g_bytes_get_size (answer) > 0 ? g_bytes_get_data (answer, NULL) : "null", &error);
  g_assert_no_error (error);
  return node;
}

char *
test_util_create_user (const char *server_url,
                       const char *admin_token,
                       const char *user,
                       const char *segment)
{
  g_autofree char *url = g_strconcat (server_url, "v1/users", NULL);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;

  body = segment != NULL ? g_strdup_printf ("{\"user\": \"%s\", \"segments\": [\"%s\"]}", user, segment)
                         : g_strdup_printf ("{\"user\": \"%s\"}", user);
  answer = test_util_http_json ("POST", url, admin_token, body, 201);
  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
}

char *
test_util_publish (const char *server_url,
                   const char *admin_token,
                   const char *target_json,
                   const char *title,
                   guint      *delivered)
{
  g_autofree char *url = g_strconcat (server_url, "v1/campaigns", NULL);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) title_node = json_node_init_string (json_node_alloc (), title);
  g_autofree char *title_json = json_to_string (title_node, FALSE);

  body = g_strdup_printf ("{\"target\": %s, \"ttl_seconds\": 86400, \"message\": {\"msg\": {\"type\": \"simple\","
                          " \"tags\": [\"Offers\"], \"content\": [{\"title\": {\"text\": %s},"
                          " \"message\": {\"text\": \"Body\"}}]}, \"wzrk_pivot\": \"test\"}}",
                          target_json, title_json);
  answer = test_util_http_json ("POST", url, admin_token, body, 201);
  if (delivered != NULL)
    *delivered = json_object_get_int_member (json_node_get_object (answer), "delivered");
  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "campaign_id"));
}

gint64
test_util_campaign_count (const char *server_url,
                          const char *admin_token,
                          const char *campaign_id,
                          const char *count)
{
  g_autofree char *url = g_strconcat (server_url, "v1/campaigns/", campaign_id, NULL);
  g_autoptr(JsonNode) answer = test_util_http_json ("GET", url, admin_token, NULL, 200);
  JsonObject *counts = json_object_get_object_member (json_node_get_object (answer), "counts");

  return json_object_get_int_member (counts, count);
}

/* Turns the main context until *done. */
void
test_util_wait (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

void
test_util_result_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
test_util_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
test_util_median (double *values,
                  guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

/* What /proc says of a process: its open descriptors, its resident memory. */
guint
test_util_count_fds (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

gsize
test_util_rss_kb (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* A plain TCP connection to the server at @url (http://127.0.0.1:PORT/),
 * non-blocking. */
int
test_util_connect (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct pollfd poll_fd = { fd, POLLOUT, 0 };
  int error = 0;
  socklen_t length = sizeof error;

  g_assert_nonnull (uri);
  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_port = htons (g_uri_get_port (uri));
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  fcntl (fd, F_SETFL, O_NONBLOCK);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      g_assert_cmpint (errno, ==, EINPROGRESS);
      g_assert_cmpint (poll (&poll_fd, 1, 10000), ==, 1);
      g_assert_cmpint (getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &length), ==, 0);
      g_assert_cmpint (error, ==, 0);
    }
  return fd;
}

/* Writes all of @data, waiting at most @timeout_ms. Returns: FALSE if the
 * server stopped taking it (no room, or the connection closed). */
gboolean
test_util_send_all (int         fd,
                    const void *data,
                    gsize       length,
                    int         timeout_ms)
{
  gsize sent = 0;

  while (sent < length)
    {
      struct pollfd poll_fd = { fd, POLLOUT, 0 };
      gssize n;

      if (poll (&poll_fd, 1, timeout_ms) != 1 || (poll_fd.revents & (POLLERR | POLLHUP)) != 0)
        return FALSE;
      n = send (fd, (const char *) data + sent, length - sent, MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n <= 0)
        return FALSE;
      sent += n;
    }
  return TRUE;
}

/* Reads one HTTP answer: its head, then its body by Content-Length, waiting
 * at most @timeout_ms for each part. Returns: its status, or 0 if none came
 * in time; @body (optional) gets the body. */
guint
test_util_read_answer (int     fd,
                       int     timeout_ms,
                       char  **body)
{
  g_autoptr(GString) in = g_string_new (NULL);
  const char *end, *length_header;
  gsize wanted = G_MAXSIZE;
  guint status = 0;

  for (;;)
    {
      struct pollfd poll_fd = { fd, POLLIN, 0 };
      char buffer[4096];
      gssize n;

      end = strstr (in->str, "\r\n\r\n");
      if (end != NULL && wanted == G_MAXSIZE)
        {
          length_header = g_strstr_len (in->str, end - in->str, "Content-Length: ");
          wanted = (end + 4 - in->str) + (length_header != NULL ? g_ascii_strtoull (length_header + 16, NULL, 10) : 0);
        }
      if (in->len >= wanted)
        break;

      if (poll (&poll_fd, 1, timeout_ms) != 1)
        return 0;
      n = recv (fd, buffer, sizeof buffer, 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n <= 0)
        break;
      g_string_append_len (in, buffer, n);
    }

  if (!g_str_has_prefix (in->str, "HTTP/1.1 ") && !g_str_has_prefix (in->str, "HTTP/1.0 "))
    return 0;
  status = g_ascii_strtoull (in->str + 9, NULL, 10);
  if (body != NULL)
    *body = g_strdup (end != NULL ? end + 4 : "");
  return status;
}

/* --- a notification sink that writes down --- */

static void
test_sink_send (InboxNotificationSink *sink,
                const char            *title,
                const char            *body,
                const char            *message_id)
{
  TestSink *self = TEST_SINK (sink);

  g_ptr_array_add (self->sent, g_strdup_printf ("%s|%s|%s", title, body != NULL ? body : "(none)", message_id));
}

static void
test_sink_withdraw (InboxNotificationSink *sink)
{
  TEST_SINK (sink)->withdrawn++;
}

static void
test_sink_iface_init (InboxNotificationSinkInterface *iface)
{
  iface->send = test_sink_send;
  iface->withdraw = test_sink_withdraw;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSink, test_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (INBOX_TYPE_NOTIFICATION_SINK, test_sink_iface_init))

static void
test_sink_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_SINK (object)->sent);
  G_OBJECT_CLASS (test_sink_parent_class)->finalize (object);
}

static void
test_sink_class_init (TestSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_sink_finalize;
}

static void
test_sink_init (TestSink *self)
{
  self->sent = g_ptr_array_new_with_free_func (g_free);
}

TestSink *
test_sink_new (void)
{
  return g_object_new (TEST_TYPE_SINK, NULL);
}

static gboolean
wait_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
test_util_wait_for (TestUtilCondition condition,
                    gpointer          data)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (10, wait_timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (source);
}
