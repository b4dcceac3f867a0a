/* test-soak.c: app-inbox-server under a low descriptor limit (256), as the
 * open internet would treat it: 100,000 requests one after another, then
 * 2,000 connections opened at once and dropped. After each, the server
 * answers at once, and its descriptors and memory are back where they were.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test-util.h"

#define ADMIN          "soak-admin-token"
#define MAX_FILES      256
#define REQUESTS       100000
#define IDLE           2000

typedef struct {
  char       *dir;
  TestServer *server;
  char       *token;
  guint       fds;     /* at rest, after one request of each kind */
  gsize       rss_kb;
} Fixture;

/* The kinds of request a server meets, with the status each must get. */
typedef struct {
  const char *text; /* TOKEN: the user token */
  guint       status;
} Kind;

static const Kind kinds[] = {
  { "GET /v1/inbox HTTP/1.1\r\nHost: soak\r\nAuthorization: Bearer TOKEN\r\n\r\n", 200 },
  { "GET /v1/inbox HTTP/1.1\r\nHost: soak\r\n\r\n", 401 },
  { "POST /v1/inbox/events HTTP/1.1\r\nHost: soak\r\nAuthorization: Bearer TOKEN\r\nContent-Length: 2\r\n\r\n{}", 400 },
  { "GET /media/dot.png HTTP/1.1\r\nHost: soak\r\n\r\n", 200 },
  { "GET /nowhere HTTP/1.0\r\n\r\n", 404 },
  { "NONSENSE\r\n\r\n", 400 },
};

static guint
request (Fixture *f,
         guint    kind)
{
  g_autoptr(GString) text = g_string_new (kinds[kind].text);
  guint status;
  int fd = test_util_connect (f->server->url);

  g_string_replace (text, "TOKEN", f->token, 1);
  if (!test_util_send_all (fd, text->str, text->len, 5000))
    {
      close (fd);
      return 0;
    }
  status = test_util_read_answer (fd, 5000, NULL);
  close (fd);
  return status;
}

/* Descriptors are closed as the server's main loop gets to them. */
static guint
settled_fds (Fixture *f)
{
  guint n = test_util_count_fds (f->server->process);

  for (guint i = 0; i < 100 && n != f->fds; i++)
    {
      g_usleep (G_USEC_PER_SEC / 20);
      n = test_util_count_fds (f->server->process);
    }
  return n;
}

static void
assert_answers_at_once (Fixture *f)
{
  g_autoptr(GTimer) timer = g_timer_new ();

  g_assert_cmpuint (request (f, 0), ==, 200);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 1.0);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *media = NULL, *dot = NULL;

  f->dir = test_util_make_tmpdir ();
  f->server = test_server_start_limited (f->dir, ADMIN, FALSE, MAX_FILES, NULL);
  f->token = test_util_create_user (f->server->url, ADMIN, "soak", NULL);
  g_free (test_util_publish (f->server->url, ADMIN, "{\"all\": true}", "Soak", NULL));
  media = g_build_filename (f->dir, "server-media", NULL);
  dot = g_build_filename (media, "dot.png", NULL);
  g_assert_true (g_file_set_contents (dot, "\x89PNG\r\n\x1a\n fake", -1, NULL));

  /* every kind once, so that caches and prepared statements are there */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_assert_cmpuint (request (f, i), ==, kinds[i].status);
  g_usleep (G_USEC_PER_SEC / 5);
  f->fds = test_util_count_fds (f->server->process);
  f->rss_kb = test_util_rss_kb (f->server->process);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, test_server_free);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->token);
}

static void
test_soak_sequential (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  guint fds;
  gsize rss_kb;

  for (guint i = 0; i < REQUESTS; i++)
    {
      guint kind = i % G_N_ELEMENTS (kinds);
      guint status = request (f, kind);

      if (status != kinds[kind].status)
        g_error ("request %u (kind %u): %u instead of %u", i, kind, status, kinds[kind].status);
    }

  fds = settled_fds (f);
  rss_kb = test_util_rss_kb (f->server->process);
  g_test_message ("%u requests in %.1f s; descriptors %u -> %u; RSS %zu -> %zu kB",
                  REQUESTS, g_timer_elapsed (timer, NULL), f->fds, fds, f->rss_kb, rss_kb);
  g_assert_cmpuint (fds, ==, f->fds);
  g_assert_cmpuint (rss_kb, <, f->rss_kb + 8 * 1024);
  assert_answers_at_once (f);
}

static void
test_soak_idle (Fixture       *f,
                gconstpointer  data)
{
  struct rlimit limit;
  int fds[IDLE];
  guint refused = 0, open_fds;
  gsize rss_kb;

  /* this test needs more descriptors than the server has */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_cur < IDLE + 64)
    {
      limit.rlim_cur = MIN (limit.rlim_max, (rlim_t) IDLE + 64);
      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
    }
  g_assert_cmpuint (limit.rlim_cur, >=, IDLE + 64);

  for (guint i = 0; i < IDLE; i++)
    fds[i] = test_util_connect (f->server->url);

  /* the server holds what it can; the others hear 503 and are closed */
  g_usleep (G_USEC_PER_SEC / 2);
  for (guint i = 0; i < IDLE; i++)
    {
      char buffer[512];
      gssize n = recv (fds[i], buffer, sizeof buffer - 1, MSG_DONTWAIT);

      if (n > 0)
        {
          buffer[n] = '\0';
          g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 503 "));
          refused++;
        }
    }
  open_fds = test_util_count_fds (f->server->process);
  g_test_message ("%u connections: %u refused with 503; the server has %u descriptors open (limit %d)",
                  IDLE, refused, open_fds, MAX_FILES);
  g_assert_cmpuint (open_fds, <, MAX_FILES);
  g_assert_cmpuint (refused, >, 0);

  for (guint i = 0; i < IDLE; i++)
    close (fds[i]);

  assert_answers_at_once (f);
  g_assert_cmpuint (settled_fds (f), ==, f->fds);
  rss_kb = test_util_rss_kb (f->server->process);
  g_test_message ("RSS %zu -> %zu kB", f->rss_kb, rss_kb);
  g_assert_cmpuint (rss_kb, <, f->rss_kb + 8 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/soak/sequential", Fixture, NULL, fixture_set_up, test_soak_sequential, fixture_tear_down);
  g_test_add ("/soak/idle", Fixture, NULL, fixture_set_up, test_soak_idle, fixture_tear_down);

  return g_test_run ();
}
