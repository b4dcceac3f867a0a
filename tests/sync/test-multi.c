/* test-multi.c: two app-inbox-server processes on one PostgreSQL database
 * (run under with-postgres): both start at once on an empty database; the
 * same events sent through both at once are counted once; what a user does
 * through one is seen through the other, and a client syncing through
 * both while both write never misses a change; a process killed in the
 * middle of a burst loses nothing it acknowledged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsoup/soup.h>
#include <signal.h>

#include "test-util.h"

#define ADMIN "multi-admin"
#define TIMEOUT_US (60 * G_USEC_PER_SEC)

/* A server started from a thread of its own, which lives as long as the
 * server: the server dies with the thread that started it (its parent
 * death signal), so the thread waits for the test to end. */
typedef struct {
  const char *dir;
  TestServer *server;
  GMutex      lock;
  GCond       cond;
  gboolean    started;
  gboolean    released;
  GThread    *thread;
} Start;

typedef struct {
  char       *dir;
  Start       starts[2];
  TestServer *a;
  TestServer *b;
  char       *alice;
} Fixture;

static gpointer
start_thread (gpointer data)
{
  Start *start = data;
  TestServer *server = test_server_start (start->dir, ADMIN, FALSE);

  g_mutex_lock (&start->lock);
  start->server = server;
  start->started = TRUE;
  g_cond_broadcast (&start->cond);
  while (!start->released)
    g_cond_wait (&start->cond, &start->lock);
  g_mutex_unlock (&start->lock);
  return NULL;
}

/* Both at once, on a database with no tables yet: one creates them, the
 * other waits for it (the migration's advisory lock). */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *g_debug = g_strdup (g_getenv ("G_DEBUG"));

  /* data: servers whose warnings are not fatal, for a test that makes
   * them warn */
  if (data != NULL)
    g_setenv ("G_DEBUG", "gc-friendly", TRUE);
  f->dir = test_util_make_tmpdir ();
  g_free (test_server_db_location (f->dir));
  for (guint i = 0; i < G_N_ELEMENTS (f->starts); i++)
    {
      Start *start = &f->starts[i];

      start->dir = f->dir;
      g_mutex_init (&start->lock);
      g_cond_init (&start->cond);
      start->thread = g_thread_new ("start", start_thread, start);
    }
  for (guint i = 0; i < G_N_ELEMENTS (f->starts); i++)
    {
      Start *start = &f->starts[i];
      gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;

      g_mutex_lock (&start->lock);
      while (!start->started)
        g_assert_true (g_cond_wait_until (&start->cond, &start->lock, deadline));
      g_mutex_unlock (&start->lock);
    }
  if (g_debug != NULL)
    g_setenv ("G_DEBUG", g_debug, TRUE);
  f->a = f->starts[0].server;
  f->b = f->starts[1].server;
  g_assert_cmpstr (f->a->url, !=, f->b->url);

  /* a user made through one process signs in through the other */
  f->alice = test_util_create_user (f->a->url, ADMIN, "alice", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->a, test_server_free);
  g_clear_pointer (&f->b, test_server_free);
  for (guint i = 0; i < G_N_ELEMENTS (f->starts); i++)
    {
      Start *start = &f->starts[i];

      g_mutex_lock (&start->lock);
      start->released = TRUE;
      g_cond_broadcast (&start->cond);
      g_mutex_unlock (&start->lock);
      g_thread_join (start->thread);
      g_mutex_clear (&start->lock);
      g_cond_clear (&start->cond);
    }
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->alice);
}

/* One request that may fail (a killed server): FALSE on a transport error. */
static gboolean
try_http (SoupSession  *session,
          const char   *method,
          const char   *url,
          const char   *token,
          const char   *body,
          guint        *status,
          JsonNode    **answer)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, "application/json", request);
    }
  bytes = soup_session_send_and_read (session, message, NULL, &error);
  if (error != NULL)
    return FALSE;
  *status = soup_message_get_status (message);
  if (answer != NULL)
    {
      *answer = json_from_string (g_bytes_get_size (bytes) > 0 ? g_bytes_get_data (bytes, NULL) : "null", &error);
      g_assert_no_error (error);
    }
  return TRUE;
}

static char *
events_body (const char *prefix,
             guint       first,
             guint       n,
             const char *type,
             const char *message_id)
{
  GString *body = g_string_new ("{\"events\":[");

  for (guint i = first; i < first + n; i++)
    g_string_append_printf (body, "%s{\"event_id\":\"%s-%u\",\"type\":\"%s\",\"message_id\":\"%s\",\"ts\":1700000000}",
                            i > first ? "," : "", prefix, i, type, message_id);
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

typedef struct {
  const char *url;
  const char *token;
  const char *body;
  guint       accepted;
  guint       duplicates;
} Post;

static gpointer
post_thread (gpointer data)
{
  Post *post = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  g_assert_true (try_http (session, "POST", post->url, post->token, post->body, &status, &answer));
  g_assert_cmpuint (status, ==, 200);
  post->accepted = json_object_get_int_member (json_node_get_object (answer), "accepted");
  post->duplicates = json_object_get_int_member (json_node_get_object (answer), "duplicates");
  return NULL;
}

/* The same events through both processes at once, round after round: each
 * counted once, by whichever process stored it first. */
static void
test_multi_same_events (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *campaign = NULL;
  g_autofree char *a_url = g_strconcat (f->a->url, "v1/inbox/events", NULL);
  g_autofree char *b_url = g_strconcat (f->b->url, "v1/inbox/events", NULL);
  guint delivered, rounds = 20, per_round = 50;

  /* the admin token works on either process too */
  campaign = test_util_publish (f->b->url, ADMIN, "{\"users\": [\"alice\"]}", "Twice", &delivered);
  g_assert_cmpuint (delivered, ==, 1);

  for (guint round = 0; round < rounds; round++)
    {
      g_autofree char *prefix = g_strdup_printf ("round%u", round);
      g_autofree char *body = events_body (prefix, 0, per_round, "Notification Viewed", campaign);
      Post a = { a_url, f->alice, body, 0, 0 }, b = { b_url, f->alice, body, 0, 0 };
      GThread *threads[2];

      threads[0] = g_thread_new ("post-a", post_thread, &a);
      threads[1] = g_thread_new ("post-b", post_thread, &b);
      g_thread_join (threads[0]);
      g_thread_join (threads[1]);

      g_assert_cmpuint (a.accepted + a.duplicates, ==, per_round);
      g_assert_cmpuint (b.accepted + b.duplicates, ==, per_round);
      g_assert_cmpuint (a.accepted + b.accepted, ==, per_round);
    }

  g_assert_cmpint (test_util_campaign_count (f->a->url, ADMIN, campaign, "viewed"), ==, rounds * per_round);
  g_assert_cmpint (test_util_campaign_count (f->b->url, ADMIN, campaign, "viewed"), ==, rounds * per_round);
}

static JsonObject *
get_inbox (const char  *server_url,
           const char  *token,
           const char  *query,
           JsonNode   **keep)
{
  g_autofree char *url = g_strconcat (server_url, "v1/inbox", query, NULL);

  *keep = test_util_http_json ("GET", url, token, NULL, 200);
  return json_node_get_object (*keep);
}

static JsonObject *
find_message (JsonObject *page,
              const char *id)
{
  JsonArray *notifs = json_object_get_array_member (page, "inbox_notifs");

  for (guint i = 0; i < json_array_get_length (notifs); i++)
    {
      JsonObject *message = json_array_get_object_element (notifs, i);

      if (g_str_equal (json_object_get_string_member (message, "_id"), id))
        return message;
    }
  return NULL;
}

/* A read through one process is in the other's next page; a delete through
 * the other is in the first's list of deleted ids. */
static void
test_multi_read_elsewhere (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonNode) before = NULL, after = NULL, again = NULL;
  g_autofree char *one = NULL, *two = NULL, *a_events = g_strconcat (f->a->url, "v1/inbox/events", NULL);
  g_autofree char *b_events = g_strconcat (f->b->url, "v1/inbox/events", NULL);
  g_autofree char *since = NULL, *read = NULL, *deleted = NULL;
  g_autoptr(JsonNode) read_answer = NULL, deleted_answer = NULL;
  JsonObject *page, *message;
  guint delivered;

  one = test_util_publish (f->a->url, ADMIN, "{\"all\": true}", "One", &delivered);
  two = test_util_publish (f->b->url, ADMIN, "{\"all\": true}", "Two", &delivered);

  page = get_inbox (f->b->url, f->alice, "", &before);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 2);
  since = g_strdup_printf ("?since=%s", json_object_get_string_member (page, "cursor"));

  read = g_strdup_printf ("{\"events\":[{\"event_id\":\"r1\",\"type\":\"read\",\"message_id\":\"%s\",\"ts\":1700000000}]}", one);
  read_answer = test_util_http_json ("POST", a_events, f->alice, read, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (read_answer), "accepted"), ==, 1);

  page = get_inbox (f->b->url, f->alice, since, &after);
  message = find_message (page, one);
  g_assert_nonnull (message);
  g_assert_true (json_object_get_boolean_member (message, "isRead"));
  g_assert_null (find_message (page, two));
  g_assert_cmpint (test_util_campaign_count (f->b->url, ADMIN, one, "read"), ==, 1);

  deleted = g_strdup_printf ("{\"events\":[{\"event_id\":\"d1\",\"type\":\"deleted\",\"message_id\":\"%s\",\"ts\":1700000000}]}", two);
  deleted_answer = test_util_http_json ("POST", b_events, f->alice, deleted, 200);
  page = get_inbox (f->a->url, f->alice, since, &again);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "deleted")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (page, "deleted"), 0), ==, two);
}

#define N_MESSAGES 12

typedef struct {
  Fixture  *f;
  char     *ids[N_MESSAGES];
  gint      writers_left;
  guint     seed;
} Toggle;

typedef struct {
  Toggle     *toggle;
  const char *server_url;
  guint       index;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  Toggle *toggle = writer->toggle;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (writer->server_url, "v1/inbox/events", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (toggle->seed + writer->index);

  for (guint request = 0; request < 40; request++)
    {
      GString *body = g_string_new ("{\"events\":[");
      g_autoptr(JsonNode) answer = NULL;
      guint status = 0;

      for (guint i = 0; i < 4; i++)
        g_string_append_printf (body, "%s{\"event_id\":\"w%u-%u-%u\",\"type\":\"%s\",\"message_id\":\"%s\",\"ts\":1700000000}",
                                i > 0 ? "," : "", writer->index, request, i,
                                g_rand_boolean (rand) ? "read" : "unread",
                                toggle->ids[g_rand_int_range (rand, 0, N_MESSAGES)]);
      g_string_append (body, "]}");
      g_assert_true (try_http (session, "POST", url, toggle->f->alice, body->str, &status, &answer));
      g_assert_cmpuint (status, ==, 200);
      g_string_free (body, TRUE);
    }

  g_atomic_int_add (&toggle->writers_left, -1);
  return NULL;
}

/* A client's incremental sync: pages from @cursor until more is false,
 * alternating the processes; each read state lands in @states. */
static gint64
sync_since (Fixture    *f,
            gint64      cursor,
            GHashTable *states,
            guint      *turn)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(JsonNode) keep = NULL;
      g_autofree char *query = g_strdup_printf ("?since=%" G_GINT64_FORMAT "&limit=5", cursor);
      JsonObject *page = get_inbox ((*turn)++ % 2 == 0 ? f->a->url : f->b->url, f->alice, query, &keep);
      JsonArray *notifs = json_object_get_array_member (page, "inbox_notifs");
      gint64 next = g_ascii_strtoll (json_object_get_string_member (page, "cursor"), NULL, 10);

      g_assert_cmpint (next, >=, cursor);
      cursor = next;
      for (guint i = 0; i < json_array_get_length (notifs); i++)
        {
          JsonObject *message = json_array_get_object_element (notifs, i);

          g_hash_table_insert (states, g_strdup (json_object_get_string_member (message, "_id")),
                               GINT_TO_POINTER (json_object_get_boolean_member (message, "isRead")));
        }
      more = json_object_get_boolean_member (page, "more");
    }

  return cursor;
}

/* Two processes change one user's read states at once while a client syncs
 * incrementally through both: its states end where a full fetch says. A
 * revision given out before another but committed after it would be
 * skipped by a client that synced in between; the user's row lock keeps
 * them in commit order. */
static void
test_multi_revisions (Fixture       *f,
                      gconstpointer  data)
{
  Toggle toggle = { f, { NULL }, 2, (guint) g_random_int () };
  Writer writers[2] = { { &toggle, f->a->url, 0 }, { &toggle, f->b->url, 1 } };
  g_autoptr(GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) full = NULL;
  GThread *threads[2];
  gint64 cursor = 0, deadline = g_get_monotonic_time () + TIMEOUT_US;
  guint turn = 0, syncs = 0, delivered;
  JsonObject *page;

  g_test_message ("seed %u", toggle.seed);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *title = g_strdup_printf ("Toggle %u", i);

      toggle.ids[i] = test_util_publish (i % 2 ? f->a->url : f->b->url, ADMIN, "{\"users\": [\"alice\"]}",
                                         title, &delivered);
    }

  threads[0] = g_thread_new ("writer-a", writer_thread, &writers[0]);
  threads[1] = g_thread_new ("writer-b", writer_thread, &writers[1]);
  while (g_atomic_int_get (&toggle.writers_left) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      cursor = sync_since (f, cursor, states, &turn);
      syncs++;
    }
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);
  cursor = sync_since (f, cursor, states, &turn);
  g_test_message ("%u syncs while the writers wrote", syncs);

  page = get_inbox (f->a->url, f->alice, "?limit=1000", &full);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, N_MESSAGES);
  g_assert_cmpint (g_ascii_strtoll (json_object_get_string_member (page, "cursor"), NULL, 10), <=, cursor);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      JsonObject *message = find_message (page, toggle.ids[i]);

      g_assert_nonnull (message);
      g_assert_true (g_hash_table_contains (states, toggle.ids[i]));
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (states, toggle.ids[i])), ==,
                       json_object_get_boolean_member (message, "isRead"));
    }

  for (guint i = 0; i < N_MESSAGES; i++)
    g_free (toggle.ids[i]);
}

typedef struct {
  const char *url;
  const char *token;
  const char *campaign;
  gint        acknowledged;  /* requests answered 200 */
  gint        stop;
  guint       sent;          /* requests sent, answered or not */
  GArray     *answered;      /* of gboolean, one a request */
} Burst;

#define BURST_EVENTS 5

static gpointer
burst_thread (gpointer data)
{
  Burst *burst = data;
  g_autoptr(SoupSession) session = soup_session_new ();

  /* until the server is gone (and a little after: connections refused) */
  while (!g_atomic_int_get (&burst->stop))
    {
      g_autofree char *prefix = g_strdup_printf ("burst%u", burst->sent);
      g_autofree char *body = events_body (prefix, 0, BURST_EVENTS, "Notification Viewed", burst->campaign);
      g_autoptr(JsonNode) answer = NULL;
      guint status = 0;

      gboolean ok;

      burst->sent++;
      ok = try_http (session, "POST", burst->url, burst->token, body, &status, &answer) && status == 200;
      g_array_append_val (burst->answered, ok);
      if (ok)
        {
          g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "accepted"), ==, BURST_EVENTS);
          g_atomic_int_inc (&burst->acknowledged);
        }
    }
  return NULL;
}

/* One process killed (SIGKILL) in the middle of a burst of events: every
 * request it answered is in the database (sent again through the other
 * process, all duplicates), and the one it was in the middle of is either
 * wholly there or not at all. */
static void
test_multi_killed_mid_burst (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a_url = g_strconcat (f->a->url, "v1/inbox/events", NULL);
  g_autofree char *b_url = g_strconcat (f->b->url, "v1/inbox/events", NULL);
  g_autofree char *campaign = NULL;
  g_autoptr(GArray) answered = g_array_new (FALSE, FALSE, sizeof (gboolean));
  Burst burst = { a_url, f->alice, NULL, 0, 0, 0, answered };
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;
  guint delivered, acknowledged;
  gint64 viewed;
  GThread *thread;

  campaign = test_util_publish (f->b->url, ADMIN, "{\"users\": [\"alice\"]}", "Burst", &delivered);
  burst.campaign = campaign;

  thread = g_thread_new ("burst", burst_thread, &burst);
  while (g_atomic_int_get (&burst.acknowledged) < 30)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_thread_yield ();
    }
  test_server_kill (f->a);
  g_atomic_int_set (&burst.stop, 1);
  g_thread_join (thread);
  acknowledged = g_atomic_int_get (&burst.acknowledged);
  g_test_message ("%u requests acknowledged before the kill, %u sent", acknowledged, burst.sent);
  g_assert_cmpuint (burst.sent, >, acknowledged);

  /* everything it acknowledged is stored, whole */
  viewed = test_util_campaign_count (f->b->url, ADMIN, campaign, "viewed");
  g_assert_cmpint (viewed, >=, (gint64) acknowledged * BURST_EVENTS);
  g_assert_cmpint (viewed % BURST_EVENTS, ==, 0);
  g_assert_cmpint (viewed, <=, (gint64) burst.sent * BURST_EVENTS);

  /* sent again through the other process: those answered are duplicates */
  for (guint i = 0; i < burst.sent; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("burst%u", i);
      g_autofree char *body = events_body (prefix, 0, BURST_EVENTS, "Notification Viewed", campaign);
      g_autoptr(JsonNode) answer = test_util_http_json ("POST", b_url, f->alice, body, 200);
      gint64 duplicates = json_object_get_int_member (json_node_get_object (answer), "duplicates");

      if (g_array_index (answered, gboolean, i))
        g_assert_cmpint (duplicates, ==, BURST_EVENTS);
      else
        g_assert_true (duplicates == 0 || duplicates == BURST_EVENTS);
    }
  g_assert_cmpint (test_util_campaign_count (f->b->url, ADMIN, campaign, "viewed"), ==,
                   (gint64) burst.sent * BURST_EVENTS);
}

/* The database closes every server connection (as a restart or a failover
 * would): the next requests still succeed, on new connections. */
static void
test_multi_reconnect (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *terminated = NULL;
  g_autofree char *campaign = NULL;
  guint delivered;

  terminated = test_util_psql ("postgres", "SELECT COUNT (pg_terminate_backend (pid)) FROM pg_stat_activity "
                                           "WHERE application_name = 'app-inbox-server'");
  g_assert_cmpstr (terminated, ==, "2");

  for (guint i = 0; i < 2; i++)
    {
      const char *url = i == 0 ? f->a->url : f->b->url;
      g_autofree char *inbox = g_strconcat (url, "v1/inbox", NULL);
      g_autoptr(JsonNode) page = test_util_http_json ("GET", inbox, f->alice, NULL, 200);
    }

  /* and a write, which begins with a transaction */
  g_free (test_util_psql ("postgres", "SELECT pg_terminate_backend (pid) FROM pg_stat_activity "
                                      "WHERE application_name = 'app-inbox-server'"));
  campaign = test_util_publish (f->a->url, ADMIN, "{\"users\": [\"alice\"]}", "After", &delivered);
  g_assert_cmpuint (delivered, ==, 1);
}

/* A database that fails (here: a table gone) is the server's fault, not
 * the token's: a 500, which the app retries, never a 401, which signs it
 * out. */
static void
test_multi_database_failure (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *inbox = g_strconcat (f->a->url, "v1/inbox", NULL);
  g_autoptr(JsonNode) failed = NULL, again = NULL;

  g_free (test_server_sql (f->dir, "ALTER TABLE users RENAME TO users_away"));
  failed = test_util_http_json ("GET", inbox, f->alice, NULL, 500);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (failed), "error"), ==, "internal");

  g_free (test_server_sql (f->dir, "ALTER TABLE users_away RENAME TO users"));
  again = test_util_http_json ("GET", inbox, f->alice, NULL, 200);
}

/* A database that takes a statement and never answers (here: its backend
 * stopped; in life, a pooler or proxy holding the connection while the
 * database behind it is gone): statement_timeout is the database's own,
 * so the server keeps a deadline of its own (statement_timeout + 5 s),
 * answers 500 past it, and the next request finds a new connection. */
static void
test_multi_stuck_database (void)
{
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autofree char *db = test_server_db_location (dir);
  g_autofree char *quick = g_strconcat (db, "&options=-c%20statement_timeout%3D1000", NULL);
  g_autofree char *name = g_strndup (db + strlen ("postgresql://inbox@/"), strcspn (db + strlen ("postgresql://inbox@/"), "?"));
  g_autofree char *query = g_strdup_printf ("SELECT pid FROM pg_stat_activity WHERE datname = '%s' "
                                            "AND application_name = 'app-inbox-server'", name);
  const char *extra[] = { "--db", quick, NULL };
  g_autoptr(TestServer) server = NULL;
  g_autofree char *alice = NULL, *inbox = NULL, *pid_text = NULL;
  g_autoptr(JsonNode) stuck = NULL, again = NULL;
  gint64 start;
  GPid pid;

  g_setenv ("G_DEBUG", "gc-friendly", TRUE); /* its warning is expected */
  server = test_server_start_limited (dir, ADMIN, FALSE, 0, extra);
  alice = test_util_create_user (server->url, ADMIN, "alice", NULL);
  inbox = g_strconcat (server->url, "v1/inbox", NULL);

  pid_text = test_util_psql ("postgres", query);
  pid = (GPid) g_ascii_strtoll (pid_text, NULL, 10);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  start = g_get_monotonic_time ();
  stuck = test_util_http_json ("GET", inbox, alice, NULL, 500);
  g_test_message ("answered after %.1f s", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);

  again = test_util_http_json ("GET", inbox, alice, NULL, 200);
  g_clear_pointer (&server, test_server_free);
  test_util_rm_rf (dir);
}

/* A process started while another brings the schema up to date waits for
 * it, however long that takes, rather than give up after lock_timeout
 * (5 s): here the migration's advisory lock is held for 7 s. */
static void
test_multi_migration_waits (void)
{
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autofree char *db = test_server_db_location (dir);
  g_autofree char *name = g_strndup (db + strlen ("postgresql://inbox@/"), strcspn (db + strlen ("postgresql://inbox@/"), "?"));
  g_autofree char *psql = g_build_filename (g_getenv ("INBOX_TEST_PG_BINDIR"), "psql", NULL);
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(TestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alice = NULL;
  gint64 start;

  holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                             psql, "-X", "-q", "-h", g_getenv ("INBOX_TEST_PG_HOST"), "-p", g_getenv ("INBOX_TEST_PG_PORT"),
                             "-U", g_getenv ("INBOX_TEST_PG_ADMIN"), "-d", name,
                             "-c", "SELECT pg_advisory_lock (7236514419)", "-c", "SELECT pg_sleep (7)", NULL);
  g_assert_no_error (error);
  /* the lock is taken */
  for (start = g_get_monotonic_time (); ; g_usleep (50000))
    {
      g_autofree char *held = test_util_psql ("postgres", "SELECT COUNT (*) FROM pg_locks WHERE locktype = 'advisory'");

      if (g_str_equal (held, "1"))
        break;
      g_assert_cmpint (g_get_monotonic_time () - start, <, TIMEOUT_US);
    }

  start = g_get_monotonic_time ();
  server = test_server_start (dir, ADMIN, FALSE);
  g_test_message ("started after %.1f s", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  alice = test_util_create_user (server->url, ADMIN, "alice", NULL);
  g_assert_true (g_subprocess_wait_check (holder, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&server, test_server_free);
  test_util_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!test_util_postgres ())
    g_error ("test-multi runs under tests/sync/with-postgres, with INBOX_TEST_DB=postgres");

#define ADD(name, func) g_test_add ("/multi/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("same-events", test_multi_same_events);
  ADD ("read-elsewhere", test_multi_read_elsewhere);
  ADD ("revisions", test_multi_revisions);
  ADD ("killed-mid-burst", test_multi_killed_mid_burst);
  ADD ("reconnect", test_multi_reconnect);
#undef ADD
  g_test_add ("/multi/database-failure", Fixture, "lenient", fixture_set_up, test_multi_database_failure,
              fixture_tear_down);
  g_test_add_func ("/multi/migration-waits", test_multi_migration_waits);
  g_test_add_func ("/multi/stuck-database", test_multi_stuck_database);

  return g_test_run ();
}
