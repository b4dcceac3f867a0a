/* test-server.c: app-inbox-server over HTTP, as a separate process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <libsoup/soup.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-util.h"

#define ADMIN "admin-secret-token"

/* How much a server's resident memory may grow over a test that must not
 * make it grow. AddressSanitizer keeps freed memory in quarantine, so under
 * it the bound is looser: there it catches the old gigabytes, not megabytes
 * (the plain pass holds the tight one). */
#ifdef __SANITIZE_ADDRESS__
#define RSS_SLACK_KB (64 * 1024)
#else
#define RSS_SLACK_KB (4 * 1024)
#endif

typedef struct {
  char       *dir;
  TestServer *server;
  char       *alice;  /* tokens */
  char       *bob;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_util_make_tmpdir ();
  f->server = test_server_start (f->dir, ADMIN, FALSE);
  f->alice = test_util_create_user (f->server->url, ADMIN, "alice", "beta");
  f->bob = test_util_create_user (f->server->url, ADMIN, "bob", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, test_server_free);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->alice);
  g_free (f->bob);
}

static JsonObject *
inbox (Fixture    *f,
       const char *token,
       const char *query,
       JsonNode  **keep)
{
  g_autofree char *url = g_strconcat (f->server->url, "v1/inbox", query, NULL);

  *keep = test_util_http_json ("GET", url, token, NULL, 200);
  return json_node_get_object (*keep);
}

static const char *
first_title (JsonObject *page)
{
  JsonArray *notifs = json_object_get_array_member (page, "inbox_notifs");
  JsonObject *message = json_array_get_object_element (notifs, 0);
  JsonObject *msg = json_object_get_object_member (message, "msg");
  JsonObject *item = json_array_get_object_element (json_object_get_array_member (msg, "content"), 0);

  return json_object_get_string_member (json_object_get_object_member (item, "title"), "text");
}

static void
post_events (Fixture    *f,
             const char *token,
             const char *events_json,
             guint      *accepted,
             guint      *duplicates)
{
  g_autofree char *url = g_strconcat (f->server->url, "v1/inbox/events", NULL);
  g_autofree char *body = g_strdup_printf ("{\"events\": %s}", events_json);
  g_autoptr(JsonNode) answer = test_util_http_json ("POST", url, token, body, 200);

  *accepted = json_object_get_int_member (json_node_get_object (answer), "accepted");
  *duplicates = json_object_get_int_member (json_node_get_object (answer), "duplicates");
}

/* The server's own fields, isRead, and targets: users, segment, all. */
static void
test_server_delivery (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL;
  g_autofree char *one = NULL, *beta = NULL, *all = NULL;
  JsonObject *page, *message;
  guint delivered;

  one = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"bob\"]}", "For Bob", &delivered);
  g_assert_cmpuint (delivered, ==, 1);
  beta = test_util_publish (f->server->url, ADMIN, "{\"segment\": \"beta\"}", "For beta", &delivered);
  g_assert_cmpuint (delivered, ==, 1);
  all = test_util_publish (f->server->url, ADMIN, "{\"all\": true}", "For all", &delivered);
  g_assert_cmpuint (delivered, ==, 2);

  page = inbox (f, f->alice, "", &a);
  g_assert_cmpstr (json_object_get_string_member (page, "user"), ==, "alice");
  g_assert_false (json_object_get_boolean_member (page, "more"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "deleted")), ==, 0);

  page = inbox (f, f->bob, "", &b);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 2);
  message = json_array_get_object_element (json_object_get_array_member (page, "inbox_notifs"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "_id"), ==, one);
  g_assert_false (json_object_get_boolean_member (message, "isRead"));
  g_assert_true (json_object_has_member (message, "date"));
  g_assert_cmpint (json_object_get_int_member (message, "wzrk_ttl"), ==,
                   json_object_get_int_member (message, "date") + 86400);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (message, "wzrk_id"), one));
  g_assert_cmpstr (json_object_get_string_member (message, "wzrk_pivot"), ==, "test");
  g_assert_cmpstr (first_title (page), ==, "For Bob");

  /* an unknown user delivers nothing at all */
  {
    g_autofree char *url = g_strconcat (f->server->url, "v1/campaigns", NULL);
    g_autoptr(JsonNode) error = test_util_http_json ("POST", url, ADMIN,
                                                     "{\"target\": {\"users\": [\"bob\", \"carol\"]},"
                                                     " \"message\": {\"msg\": {\"type\": \"simple\", \"content\": [{}]}}}",
                                                     400);
    g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (error), "message"), "carol"));
  }
  page = inbox (f, f->bob, "", &c);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 2);
}

/* Another user's token never sees or changes your messages. */
static void
test_server_isolation (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *bobs = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"bob\"]}", "Private", NULL);
  g_autofree char *events = NULL;
  g_autoptr(JsonNode) a = NULL, b = NULL;
  JsonObject *page;
  guint accepted, duplicates;

  page = inbox (f, f->alice, "", &a);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 0);

  /* Alice tries to read and delete Bob's message by its id */
  events = g_strdup_printf ("[{\"event_id\": \"e1\", \"type\": \"read\", \"message_id\": \"%s\", \"ts\": 1},"
                            " {\"event_id\": \"e2\", \"type\": \"deleted\", \"message_id\": \"%s\", \"ts\": 2}]",
                            bobs, bobs);
  post_events (f, f->alice, events, &accepted, &duplicates);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, bobs, "read"), ==, 0);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, bobs, "deleted"), ==, 0);

  page = inbox (f, f->bob, "", &b);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 1);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (json_object_get_array_member (page, "inbox_notifs"), 0), "isRead"));

  /* the same event ids from Bob are his own, not Alice's repeats */
  post_events (f, f->bob, events, &accepted, &duplicates);
  g_assert_cmpuint (accepted, ==, 2);
  g_assert_cmpuint (duplicates, ==, 0);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, bobs, "read"), ==, 1);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, bobs, "deleted"), ==, 1);
}

/* Events are idempotent by id, and change the counts once. */
static void
test_server_events_idempotent (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", "Hello", NULL);
  g_autofree char *events = NULL;
  g_autoptr(JsonNode) a = NULL;
  JsonObject *page;
  guint accepted, duplicates;

  events = g_strdup_printf ("[{\"event_id\": \"v1\", \"type\": \"Notification Viewed\", \"message_id\": \"%s\", \"ts\": 1, \"props\": {\"wzrk_id\": \"x\"}},"
                            " {\"event_id\": \"c1\", \"type\": \"Notification Clicked\", \"message_id\": \"%s\", \"ts\": 2, \"props\": {\"wzrk_c2a\": \"Go\"}},"
                            " {\"event_id\": \"r1\", \"type\": \"read\", \"message_id\": \"%s\", \"ts\": 3}]",
                            id, id, id);
  post_events (f, f->alice, events, &accepted, &duplicates);
  g_assert_cmpuint (accepted, ==, 3);
  g_assert_cmpuint (duplicates, ==, 0);

  /* a resend after a lost answer */
  post_events (f, f->alice, events, &accepted, &duplicates);
  g_assert_cmpuint (accepted, ==, 0);
  g_assert_cmpuint (duplicates, ==, 3);

  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, id, "delivered"), ==, 1);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, id, "viewed"), ==, 1);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, id, "clicked"), ==, 1);
  g_assert_cmpint (test_util_campaign_count (f->server->url, ADMIN, id, "read"), ==, 1);

  page = inbox (f, f->alice, "", &a);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (json_object_get_array_member (page, "inbox_notifs"), 0), "isRead"));
}

/* Pages of at most limit, a cursor, more, and what was deleted since. */
static void
test_server_pages (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *ids[5] = { NULL };
  g_autoptr(JsonNode) p1 = NULL, p2 = NULL, p3 = NULL, p4 = NULL;
  g_autofree char *q = NULL, *events = NULL;
  JsonObject *page;
  guint accepted, duplicates;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *title = g_strdup_printf ("Message %u", i);
      ids[i] = test_util_publish (f->server->url, ADMIN, "{\"users\": [\"alice\"]}", title, NULL);
    }

  page = inbox (f, f->alice, "?limit=2", &p1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 2);
  g_assert_true (json_object_get_boolean_member (page, "more"));
  q = g_strdup_printf ("?limit=3&since=%s", json_object_get_string_member (page, "cursor"));
  page = inbox (f, f->alice, q, &p2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 3);
  g_assert_false (json_object_get_boolean_member (page, "more"));

  /* nothing new: an empty page, same cursor */
  g_free (q);
  q = g_strdup_printf ("?since=%s", json_object_get_string_member (page, "cursor"));
  page = inbox (f, f->alice, q, &p3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "deleted")), ==, 0);

  /* deleted on another device: listed as such after the cursor */
  events = g_strdup_printf ("[{\"event_id\": \"d\", \"type\": \"deleted\", \"message_id\": \"%s\", \"ts\": 1}]", ids[1]);
  post_events (f, f->alice, events, &accepted, &duplicates);
  page = inbox (f, f->alice, q, &p4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "inbox_notifs")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "deleted")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (page, "deleted"), 0), ==, ids[1]);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_clear_pointer (&ids[i], g_free);
}

/* One request; its answer must be @expected with an error body of @code
 * whose message mentions @mentions. */
static void
assert_status (Fixture    *f,
               const char *method,
               const char *path,
               const char *token,
               const char *body,
               gsize       length,
               guint       expected,
               const char *code,
               const char *mentions)
{
  g_autofree char *url = g_strconcat (f->server->url, path, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  guint status;

  if (body != NULL && length == 0)
    length = strlen (body);
  answer = test_util_http (method, url, token, body, length, &status);
  g_assert_cmpuint (status, ==, expected);

  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, code);
  g_assert_true (json_object_has_member (object, "message"));
  if (mentions != NULL && strstr (json_object_get_string_member (object, "message"), mentions) == NULL)
    g_error ("“%s” does not mention %s", json_object_get_string_member (object, "message"), mentions);
}

/* Bad JSON: 400 naming what is wrong; oversize: 413; no token: 401. */
static void
test_server_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *big = NULL;
  g_autofree char *deep = NULL;
  gsize big_length = 2 * 1024 * 1024;

  assert_status (f, "POST", "v1/inbox/events", f->alice, "{\"events\": [", 0, 400, "bad_request", "not JSON");
  assert_status (f, "POST", "v1/inbox/events", f->alice, "[]", 0, 400, "bad_request", "not an object");
  assert_status (f, "POST", "v1/inbox/events", f->alice, "{\"events\": [{\"event_id\": \"x\"}]}", 0, 400, "bad_request", "events[0].type");
  assert_status (f, "POST", "v1/inbox/events", f->alice,
                 "{\"events\": [{\"event_id\": \"x\", \"type\": \"liked\", \"message_id\": \"m\", \"ts\": 1}]}", 0,
                 400, "bad_request", "liked");
  assert_status (f, "POST", "v1/campaigns", ADMIN, "{\"target\": {\"all\": true}, \"message\": {\"msg\": {\"type\": \"simple\", \"content\": []}}}",
                 0, 400, "bad_request", "msg.content");
  assert_status (f, "POST", "v1/campaigns", ADMIN, "{\"target\": {\"all\": true}, \"message\": {\"msg\": {\"type\": \"simple\", \"content\": [{\"title\": 5}]}}}",
                 0, 400, "bad_request", "title");
  assert_status (f, "POST", "v1/campaigns", ADMIN, "{\"target\": {\"everyone\": true}, \"message\": {}}", 0, 400, "bad_request", "target");
  assert_status (f, "GET", "v1/inbox?limit=5000", f->alice, NULL, 0, 400, "bad_request", "limit");
  assert_status (f, "GET", "v1/inbox?since=abc", f->alice, NULL, 0, 400, "bad_request", "since");
  assert_status (f, "POST", "v1/inbox/events", f->alice, " \n", 0, 400, "bad_request", "not an object");
  /* what the path quotes is not UTF-8: the answer is JSON all the same */
  assert_status (f, "GET", "v1/campaigns/%AC%3C", ADMIN, NULL, 0, 404, "not_found", "campaign");

  /* 100,000 levels of nesting: refused before the parser recurses */
  deep = g_strnfill (100000, '[');
  assert_status (f, "POST", "v1/inbox/events", f->alice, deep, 100000, 400, "bad_request", "deep");

  big = g_malloc0 (big_length);
  memset (big, ' ', big_length);
  assert_status (f, "POST", "v1/inbox/events", f->alice, big, big_length, 413, "payload_too_large", "1048576");
  assert_status (f, "POST", "v1/campaigns", ADMIN, big, 300 * 1024, 413, "payload_too_large", "262144");

  /* the same without a length (chunked): counted as it comes */
  {
    g_autofree char *url = g_strconcat (f->server->url, "v1/inbox/events", NULL);
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (big, big_length, NULL);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *alice = g_strconcat ("Bearer ", f->alice, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", alice);
    soup_message_set_request_body (message, "application/json", stream, -1);
    answer = soup_session_send_and_read (session, message, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, 413);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (message), "Transfer-Encoding"), ==, "chunked");
  }
  /* and a small chunked body is read whole */
  {
    g_autofree char *url = g_strconcat (f->server->url, "v1/inbox/events", NULL);
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
    const char *events = "{\"events\": [{\"event_id\": \"ch\", \"type\": \"read\", \"message_id\": \"m\", \"ts\": 1}]}";
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (events, strlen (events), NULL);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *alice = g_strconcat ("Bearer ", f->alice, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", alice);
    soup_message_set_request_body (message, "application/json", stream, -1);
    answer = soup_session_send_and_read (session, message, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  }

  assert_status (f, "GET", "v1/inbox", NULL, NULL, 0, 401, "unauthorized", NULL);
  assert_status (f, "GET", "v1/inbox", "not-a-token", NULL, 0, 401, "unauthorized", NULL);
  assert_status (f, "POST", "v1/users", f->alice, "{\"user\": \"mallory\"}", 0, 401, "unauthorized", "admin");
  assert_status (f, "POST", "v1/users", ADMIN, "{\"user\": \"alice\"}", 0, 409, "conflict", "alice");
  assert_status (f, "GET", "v1/campaigns/nope", ADMIN, NULL, 0, 404, "not_found", "nope");
  assert_status (f, "DELETE", "v1/inbox", f->alice, NULL, 0, 405, "method_not_allowed", NULL);
  assert_status (f, "GET", "elsewhere", NULL, NULL, 0, 404, "not_found", NULL);
}

/* SQL in names and texts is stored and served as text. */
static void
test_server_sql_as_text (Fixture       *f,
                         gconstpointer  data)
{
  const char *evil = "x'); DROP TABLE users; --";
  g_autofree char *token = test_util_create_user (f->server->url, ADMIN, "robert'); DROP TABLE users; --", NULL);
  g_autofree char *target = g_strdup_printf ("{\"users\": [\"%s\"]}", "robert'); DROP TABLE users; --");
  G_GNUC_UNUSED g_autofree char *id = test_util_publish (f->server->url, ADMIN, target, evil, NULL);
  g_autoptr(JsonNode) a = NULL, b = NULL;
  g_autofree char *other = NULL;
  JsonObject *page;

  page = inbox (f, token, "", &a);
  g_assert_cmpstr (json_object_get_string_member (page, "user"), ==, "robert'); DROP TABLE users; --");
  g_assert_cmpstr (first_title (page), ==, evil);

  /* the users table is still there */
  other = test_util_create_user (f->server->url, ADMIN, "carol", NULL);
  page = inbox (f, f->alice, "", &b);
  g_assert_nonnull (page);
}

/* A key (an event_id, a user's or a segment's name) has a length limit,
 * the same on both stores: a 400, never a 500 from an index that cannot
 * hold it (PostgreSQL: about 2,700 bytes). */
static void
test_server_long_keys (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *events_url = g_strconcat (f->server->url, "v1/inbox/events", NULL);
  g_autofree char *users_url = g_strconcat (f->server->url, "v1/users", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  const guint lengths[] = { 1024, 1025, 9000 };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(GString) key = g_string_new (NULL);
      g_autofree char *event = NULL, *user = NULL, *segment = NULL;
      g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL;
      guint status = lengths[i] <= 1024 ? 200 : 400;

      /* letters at random: nothing for PostgreSQL to compress */
      while (key->len < lengths[i])
        g_string_append_c (key, 'a' + g_rand_int_range (rand, 0, 26));

      event = g_strdup_printf ("{\"events\":[{\"event_id\":\"%s\",\"type\":\"Notification Viewed\","
                               "\"message_id\":\"m\",\"ts\":1700000000}]}", key->str);
      a = test_util_http_json ("POST", events_url, f->alice, event, status);
      user = g_strdup_printf ("{\"user\":\"%s\"}", key->str);
      b = test_util_http_json ("POST", users_url, ADMIN, user, status == 200 ? 201 : 400);
      segment = g_strdup_printf ("{\"user\":\"s%u\",\"segments\":[\"%s\"]}", i, key->str);
      c = test_util_http_json ("POST", users_url, ADMIN, segment, status == 200 ? 201 : 400);
    }
}

/* Only hashes of the tokens are stored. (memmem, not g_strstr_len, which
 * stops at the first NUL: in a SQLite file, byte 16.) */
static void
test_server_token_hashes (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) dump = test_server_dump (f->dir);
  gsize length;
  const char *contents = g_bytes_get_data (dump, &length);
  g_autofree char *alice_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, f->alice, -1);

  /* the dump holds the users, so a token in it would be found */
  g_assert_nonnull (memmem (contents, length, alice_hash, strlen (alice_hash)));
  g_assert_null (memmem (contents, length, f->alice, strlen (f->alice)));
  g_assert_null (memmem (contents, length, f->bob, strlen (f->bob)));
  g_assert_null (memmem (contents, length, ADMIN, strlen (ADMIN)));
}

/* Media: ETag, Cache-Control, 304; nothing outside the folder. */
static void
test_server_media (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "server-media", "dot.png", NULL);
  g_autofree char *url = g_strconcat (f->server->url, "media/dot.png", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) first = soup_message_new ("GET", url);
  g_autoptr(SoupMessage) again = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL, empty = NULL;
  g_autoptr(GError) error = NULL;
  const char *etag;

  g_assert_true (g_file_set_contents (path, "\x89PNG\r\n\x1a\n fake", -1, NULL));
  body = soup_session_send_and_read (session, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (first), ==, 200);
  etag = soup_message_headers_get_one (soup_message_get_response_headers (first), "ETag");
  g_assert_nonnull (etag);
  g_assert_nonnull (strstr (soup_message_headers_get_one (soup_message_get_response_headers (first), "Cache-Control"), "max-age"));
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (first), NULL), ==, "image/png");

  soup_message_headers_replace (soup_message_get_request_headers (again), "If-None-Match", etag);
  empty = soup_session_send_and_read (session, again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (again), ==, 304);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);

  /* libsoup itself refuses an encoded slash (400); either way, no database */
  {
    g_autofree char *escape = g_strconcat (f->server->url, "media/..%2Fserver.sqlite", NULL);
    g_autoptr(GBytes) refused = NULL;
    guint status;

    refused = test_util_http ("GET", escape, NULL, NULL, 0, &status);
    g_assert_cmpuint (status, >=, 400);
    g_assert_true (g_bytes_get_size (refused) == 0 ||
                   g_strstr_len (g_bytes_get_data (refused, NULL), g_bytes_get_size (refused), "SQLite") == NULL);
  }
  assert_status (f, "GET", "media/.hidden", NULL, NULL, 0, 404, "not_found", NULL);
  assert_status (f, "GET", "media/missing.png", NULL, NULL, 0, 404, "not_found", NULL);
}

/* A huge upload is answered from its headers, 401 before 413, and its body
 * is never read: the server's memory stays where it was while a client
 * streams for seconds. */
static void
stream_for (int          fd,
            double       seconds,
            gsize       *sent)
{
  static char chunk[64 * 1024];
  g_autoptr(GTimer) timer = g_timer_new ();

  memset (chunk, 'x', sizeof chunk);
  *sent = 0;
  while (g_timer_elapsed (timer, NULL) < seconds)
    {
      gssize n = send (fd, chunk, sizeof chunk, MSG_NOSIGNAL | MSG_DONTWAIT);

      if (n > 0)
        *sent += n;
      else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        break; /* the server closed: what it answered is in our buffer */
      else
        g_usleep (10000);
    }
}

static void
assert_refused_unread (Fixture    *f,
                       const char *head,
                       guint       expected_status,
                       const char *expected_code)
{
  gsize baseline = test_util_rss_kb (f->server->process);
  g_autofree char *body = NULL;
  gsize sent = 0;
  guint status;
  int fd = test_util_connect (f->server->url);

  g_assert_true (test_util_send_all (fd, head, strlen (head), 5000));
  stream_for (fd, 3.0, &sent);

  /* what is in flight at most: the kernel's buffers, not the server's heap */
  g_assert_cmpuint (test_util_rss_kb (f->server->process), <, baseline + RSS_SLACK_KB);

  status = test_util_read_answer (fd, 5000, &body);
  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (strstr (body, expected_code));
  close (fd);
  g_test_message ("%s: %zu bytes sent in 3 s, RSS %zu -> %zu kB", expected_code, sent,
                  baseline, test_util_rss_kb (f->server->process));
}

static void
test_server_refuse_from_headers (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *alice_huge = NULL, *admin_huge = NULL, *alice_chunked = NULL;
  g_autofree char *body = NULL;
  int fd;

  /* no token: 401, even for 10 GB */
  assert_refused_unread (f, "POST /v1/inbox/events HTTP/1.1\r\nHost: test\r\n"
                            "Content-Length: 10000000000\r\n\r\n", 401, "unauthorized");
  assert_refused_unread (f, "POST /v1/campaigns HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer nope\r\n"
                            "Content-Length: 10000000000\r\n\r\n", 401, "unauthorized");

  /* a valid token: 413 from the length alone */
  alice_huge = g_strdup_printf ("POST /v1/inbox/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n"
                                "Content-Length: 10000000000\r\n\r\n", f->alice);
  assert_refused_unread (f, alice_huge, 413, "payload_too_large");
  admin_huge = g_strdup_printf ("POST /v1/campaigns HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n"
                                "Content-Length: 10000000000\r\n\r\n", ADMIN);
  assert_refused_unread (f, admin_huge, 413, "payload_too_large");

  /* no length at all (chunked, one endless chunk): 413 once past the cap */
  alice_chunked = g_strdup_printf ("POST /v1/inbox/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n%x\r\n", f->alice, G_MAXINT);
  assert_refused_unread (f, alice_chunked, 413, "payload_too_large");

  /* a client that waits for 100 Continue gets the refusal instead */
  fd = test_util_connect (f->server->url);
  g_assert_true (test_util_send_all (fd, "POST /v1/inbox/events HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\n"
                                         "Content-Length: 10000000000\r\n\r\n", 98, 5000));
  g_assert_cmpuint (test_util_read_answer (fd, 5000, &body), ==, 401);
  close (fd);

  /* 100 Continue, then an endless chunked body: 413 once past the cap */
  {
    g_autofree char *head = g_strdup_printf ("POST /v1/inbox/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n"
                                             "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n", f->alice);
    g_autofree char *chunk_head = g_strdup_printf ("%x\r\n", G_MAXINT);
    g_autofree char *answer = NULL;
    gsize sent;

    fd = test_util_connect (f->server->url);
    g_assert_true (test_util_send_all (fd, head, strlen (head), 5000));
    g_assert_cmpuint (test_util_read_answer (fd, 5000, NULL), ==, 100);
    g_assert_true (test_util_send_all (fd, chunk_head, strlen (chunk_head), 5000));
    stream_for (fd, 2.0, &sent);
    g_assert_cmpuint (test_util_read_answer (fd, 5000, &answer), ==, 413);
    g_assert_nonnull (strstr (answer, "payload_too_large"));
    close (fd);
  }

  /* after a 100 Continue, the final answer still says it closes */
  {
    const char *events = "{\"events\": []}";
    g_autofree char *head = g_strdup_printf ("POST /v1/inbox/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n"
                                             "Expect: 100-continue\r\nContent-Length: %zu\r\n\r\n", f->alice, strlen (events));
    g_autoptr(GString) in = g_string_new (NULL);
    char buffer[4096];
    gssize n;

    fd = test_util_connect (f->server->url);
    g_assert_true (test_util_send_all (fd, head, strlen (head), 5000));
    g_assert_cmpuint (test_util_read_answer (fd, 5000, NULL), ==, 100);
    g_assert_true (test_util_send_all (fd, events, strlen (events), 5000));
    /* read to the end: the server closes after its answer */
    for (;;)
      {
        struct pollfd poll_fd = { fd, POLLIN, 0 };

        g_assert_cmpint (poll (&poll_fd, 1, 5000), ==, 1);
        n = recv (fd, buffer, sizeof buffer, 0);
        if (n <= 0)
          break;
        g_string_append_len (in, buffer, n);
      }
    close (fd);
    g_assert_true (g_str_has_prefix (in->str, "HTTP/1.1 200 "));
    g_assert_nonnull (strstr (in->str, "\r\nConnection: close\r\n"));
  }

  /* and the server is fine after all that */
  {
    g_autoptr(JsonNode) page = NULL;

    inbox (f, f->alice, "", &page);
  }
}

/* Numbers from a request never overflow: out of range is a 400 naming the field. */
static void
test_server_numbers_in_range (Fixture       *f,
                              gconstpointer  data)
{
#define CAMPAIGN "{\"target\": {\"all\": true}, \"ttl_seconds\": %s," \
                 " \"message\": {\"msg\": {\"type\": \"simple\", \"content\": [{\"title\": {\"text\": \"T\"}}]}}}"
#define EVENT "{\"events\": [{\"event_id\": \"e\", \"type\": \"read\", \"message_id\": \"m\", \"ts\": %s}]}"
  const char *huge[] = { "9223372036854775807", "9223372036854775000", "315360001", "0", "-5", "1.5", "1e400" };
  const char *bad_ts[] = { "9223372036854775807", "253402300800", "-1", "1.5", "1e400" };

  for (guint i = 0; i < G_N_ELEMENTS (huge); i++)
    {
      g_autofree char *body = g_strdup_printf (CAMPAIGN, huge[i]);

      assert_status (f, "POST", "v1/campaigns", ADMIN, body, 0, 400, "bad_request", "ttl_seconds");
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_ts); i++)
    {
      g_autofree char *body = g_strdup_printf (EVENT, bad_ts[i]);

      assert_status (f, "POST", "v1/inbox/events", f->alice, body, 0, 400, "bad_request", "events[0].ts");
    }

  /* json-glib would read these as -1, +1 and a second document: the strict
   * pre-scan refuses them before it sees them */
  assert_status (f, "POST", "v1/campaigns", ADMIN,
                 "{\"target\": {\"all\": true}, \"ttl_seconds\": 99999999999999999999, \"message\": {}}",
                 0, 400, "bad_request", "ttl_seconds");
  assert_status (f, "POST", "v1/campaigns", ADMIN,
                 "{\"target\": {\"all\": true}, \"ttl_seconds\": -99999999999999999999, \"message\": {}}",
                 0, 400, "bad_request", "ttl_seconds");
  assert_status (f, "POST", "v1/inbox/events", f->alice, "{\"events\": []}{\"events\": []}",
                 0, 400, "bad_request", "trailing");

  /* small bytes, many values: refused before json-glib makes a tree of
   * them (about 100 bytes a value), and the server's memory stays */
  {
    gsize baseline = test_util_rss_kb (f->server->process);
    GString *body = g_string_new ("{\"events\": [");

    for (guint i = 0; i < 200000; i++)
      g_string_append (body, i > 0 ? ",{}" : "{}");
    g_string_append (body, "]}");
    for (guint i = 0; i < 5; i++)
      assert_status (f, "POST", "v1/inbox/events", f->alice, body->str, body->len, 413, "payload_too_large",
                     "200002 JSON values, more than the 50000");
    g_assert_cmpuint (test_util_rss_kb (f->server->process), <, baseline + RSS_SLACK_KB);
    g_string_free (body, TRUE);
  }

  /* ten years is the longest: its expiry is exact */
  {
    g_autofree char *body = g_strdup_printf (CAMPAIGN, "315360000");
    g_autofree char *url = g_strconcat (f->server->url, "v1/campaigns", NULL);
    G_GNUC_UNUSED g_autoptr(JsonNode) answer = test_util_http_json ("POST", url, ADMIN, body, 201);
    g_autoptr(JsonNode) page = NULL;
    JsonObject *message;

    message = json_array_get_object_element (json_object_get_array_member (inbox (f, f->alice, "", &page), "inbox_notifs"), 0);
    g_assert_cmpint (json_object_get_int_member (message, "wzrk_ttl"), ==,
                     json_object_get_int_member (message, "date") + 315360000);
  }
#undef CAMPAIGN
#undef EVENT
}

/* /media/ serves regular files whose real path is inside the folder. */
static void
test_server_media_links (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *media = g_build_filename (f->dir, "server-media", NULL);
  g_autofree char *outside = g_build_filename (f->dir, "secret.txt", NULL);
  g_autofree char *inside = g_build_filename (media, "real.png", NULL);
  g_autofree char *out_link = g_build_filename (media, "escape.png", NULL);
  g_autofree char *in_link = g_build_filename (media, "alias.png", NULL);
  g_autofree char *dir_link = g_build_filename (media, "up", NULL);
  g_autofree char *fifo = g_build_filename (media, "pipe.png", NULL);
  g_autofree char *url = g_strconcat (f->server->url, "media/alias.png", NULL);
  g_autoptr(GBytes) body = NULL;
  guint status;

  g_assert_true (g_file_set_contents (outside, "the server's secret", -1, NULL));
  g_assert_true (g_file_set_contents (inside, "\x89PNG\r\n\x1a\n fake", -1, NULL));
  g_assert_cmpint (symlink (outside, out_link), ==, 0);
  g_assert_cmpint (symlink ("real.png", in_link), ==, 0);
  g_assert_cmpint (symlink ("..", dir_link), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  assert_status (f, "GET", "media/escape.png", NULL, NULL, 0, 404, "not_found", NULL);
  assert_status (f, "GET", "media/up", NULL, NULL, 0, 404, "not_found", NULL);
  assert_status (f, "GET", "media/pipe.png", NULL, NULL, 0, 404, "not_found", NULL);

  body = test_util_http ("GET", url, NULL, NULL, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\x89PNG\r\n\x1a\n fake", 13);
}

/* Past the cap a connection is answered 503 at once; a connection that
 * sends nothing, or half a request, is closed at its deadline. */
static void
test_server_connection_limits (void)
{
  const char * const extra[] = { "--max-connections=8", "--read-timeout=1", "--write-timeout=1", NULL };
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autoptr(TestServer) server = test_server_start_limited (dir, ADMIN, FALSE, 0, extra);
  g_autofree char *body = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  const char *request = "GET /v1/inbox HTTP/1.1\r\nHost: test\r\n\r\n";
  int idle[8], extra_fd;
  guint baseline;

  g_usleep (G_USEC_PER_SEC / 10);
  baseline = test_util_count_fds (server->process);
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    {
      idle[i] = test_util_connect (server->url);
      /* half of them send half a request */
      if (i % 2 == 1)
        g_assert_true (test_util_send_all (idle[i], "GET /v1/inbox HTTP/1.1\r\nHo", 27, 1000));
    }

  /* the ninth: a polite refusal, at once */
  extra_fd = test_util_connect (server->url);
  g_assert_true (test_util_send_all (extra_fd, request, strlen (request), 1000));
  g_assert_cmpuint (test_util_read_answer (extra_fd, 900, &body), ==, 503);
  g_assert_nonnull (strstr (body, "\"busy\""));
  close (extra_fd);

  /* the idle ones are closed by the server at their deadline (1 s) */
  g_timer_start (timer);
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    {
      struct pollfd poll_fd = { idle[i], POLLIN, 0 };
      char buffer[256];

      /* 408, then the end */
      g_assert_cmpint (poll (&poll_fd, 1, 5000), ==, 1);
      g_assert_cmpint (recv (idle[i], buffer, 12, 0), ==, 12);
      g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 408"));
      while (poll (&poll_fd, 1, 5000) == 1 && recv (idle[i], buffer, sizeof buffer, 0) > 0)
        ;
      close (idle[i]);
    }
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 4.0);

  /* and then there is room again, as soon as libsoup has let the closed
   * ones go (at once here; a moment under a sanitizer: the 503 says to
   * retry after a second) */
  {
    g_autofree char *url = g_strconcat (server->url, "v1/inbox", NULL);
    guint status = 0;

    for (guint attempt = 0; attempt < 30; attempt++)
      {
        G_GNUC_UNUSED g_autoptr(GBytes) answer = test_util_http ("GET", url, NULL, NULL, 0, &status);

        if (status != 503)
          break;
        g_usleep (G_USEC_PER_SEC / 10);
      }
    g_assert_cmpuint (status, ==, 401);
  }
  /* a slow reader of a large answer keeps it while it takes some of it,
   * however long the whole takes (here 3 s, with a 1 s write deadline) */
  {
    g_autofree char *big = g_build_filename (dir, "server-media", "big.bin", NULL);
    g_autofree char *data = g_malloc (4 * 1024 * 1024);
    const char *get = "GET /media/big.bin HTTP/1.1\r\nHost: test\r\n\r\n";
    gsize got = 0;
    int fd;

    memset (data, 'x', 4 * 1024 * 1024);
    g_assert_true (g_file_set_contents (big, data, 4 * 1024 * 1024, NULL));
    fd = test_util_connect (server->url);
    g_assert_true (test_util_send_all (fd, get, strlen (get), 1000));
    g_timer_start (timer);
    while (g_timer_elapsed (timer, NULL) < 10)
      {
        struct pollfd poll_fd = { fd, POLLIN, 0 };
        char buffer[16 * 1024];
        gssize n;

        if (poll (&poll_fd, 1, 5000) != 1)
          break;
        n = recv (fd, buffer, sizeof buffer, 0);
        if (n <= 0)
          break;
        got += n;
        g_usleep (G_USEC_PER_SEC / 100);  /* about 1.6 MB/s */
      }
    close (fd);
    g_assert_cmpfloat (g_timer_elapsed (timer, NULL), >, 1.5);
    g_assert_cmpuint (got, >, 4 * 1024 * 1024);  /* the head and all the body */
  }

  for (guint i = 0; i < 50 && test_util_count_fds (server->process) != baseline; i++)
    g_usleep (G_USEC_PER_SEC / 10);
  g_assert_cmpuint (test_util_count_fds (server->process), ==, baseline);

  g_clear_pointer (&server, test_server_free);
  test_util_rm_rf (dir);
}

/* --demo: the demo user and one campaign per template, with media. */
static void
test_server_demo (void)
{
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autoptr(TestServer) server = test_server_start (dir, ADMIN, TRUE);
  g_autofree char *url = g_strconcat (server->url, "v1/inbox", NULL);
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *notifs;
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_nonnull (server->demo_token);
  answer = test_util_http_json ("GET", url, server->demo_token, NULL, 200);
  notifs = json_object_get_array_member (json_node_get_object (answer), "inbox_notifs");
  g_assert_cmpuint (json_array_get_length (notifs), ==, 4);
  for (guint i = 0; i < json_array_get_length (notifs); i++)
    {
      JsonObject *msg = json_object_get_object_member (json_array_get_object_element (notifs, i), "msg");
      JsonObject *item = json_array_get_object_element (json_object_get_array_member (msg, "content"), 0);
      JsonObject *media = json_object_has_member (item, "media") ? json_object_get_object_member (item, "media") : NULL;
      g_autofree char *media_url = NULL;
      g_autoptr(GBytes) image = NULL;
      guint status;

      g_hash_table_add (types, (gpointer) json_object_get_string_member (msg, "type"));
      if (media == NULL || !json_object_has_member (media, "url"))
        continue;
      media_url = g_strdup (json_object_get_string_member (media, "url"));
      g_assert_true (g_str_has_prefix (media_url, server->url));
      image = test_util_http ("GET", media_url, NULL, NULL, 0, &status);
      g_assert_cmpuint (status, ==, 200);
    }
  g_assert_cmpuint (g_hash_table_size (types), ==, 4);

  g_clear_pointer (&server, test_server_free);
  test_util_rm_rf (dir);
}

/* app-inbox-server with a command line of the test's own: its stdout and
 * stderr together go to @output. Returns its URL once it listens, or NULL
 * when it exited first (then *status is its exit status). */
static char *
spawn_server (GSubprocess       **process,
              GDataInputStream  **out,
              const char         *dir,
              const char         *db,
              const char * const *extra,
              const char         *pgpassfile,
              GString            *output,
              int                *status)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *admin_file = g_build_filename (dir, "admin-token", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *line, *url = NULL;

  g_assert_true (g_file_set_contents (admin_file, ADMIN, -1, NULL));
  if (pgpassfile != NULL)
    g_subprocess_launcher_setenv (launcher, "PGPASSFILE", pgpassfile, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "PGPASSFILE");
  g_ptr_array_add (argv, (gpointer) g_getenv ("APP_INBOX_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--listen=127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  g_ptr_array_add (argv, (gpointer) "--admin-token-file");
  g_ptr_array_add (argv, admin_file);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  *process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  *out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (*process));
  while (url == NULL && (line = g_data_input_stream_read_line (*out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (output, "%s\n", line);
      if (g_str_has_prefix (line, "app-inbox-server: listening on "))
        url = g_strdup (line + strlen ("app-inbox-server: listening on "));
      g_free (line);
    }
  g_assert_no_error (error);
  if (url != NULL)
    return url;

  g_subprocess_wait (*process, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (*process);
  g_clear_object (process);
  g_clear_object (out);
  return NULL;
}

/* Stops a server spawn_server() started; what it wrote last goes to @output. */
static void
stop_server (GSubprocess      **process,
             GDataInputStream **out,
             GString           *output)
{
  g_autoptr(GError) error = NULL;
  char *line;

  g_subprocess_send_signal (*process, SIGTERM);
  while ((line = g_data_input_stream_read_line (*out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (output, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_subprocess_wait (*process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (process);
  g_clear_object (out);
}

/* A database from a newer server is refused, not half-used; a SQLite file
 * from before the schema versions takes version 1 and keeps its data. */
static void
test_server_schema_version (void)
{
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autofree char *db = test_server_db_location (dir);
  g_autoptr(TestServer) server = test_server_start (dir, ADMIN, FALSE);
  g_autofree char *alice = test_util_create_user (server->url, ADMIN, "alice", NULL);
  g_autofree char *version = NULL, *url = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  const char *password_args[] = { "--db-password-file", NULL, NULL };
  g_autofree char *password_file = g_build_filename (dir, "db-password", NULL);
  int status = 0;

  g_clear_pointer (&server, test_server_free);
  password_args[1] = password_file;

  if (test_util_postgres ())
    {
      version = test_server_sql (dir, "SELECT version FROM schema_version");
      g_assert_cmpstr (version, ==, "1");
      g_free (test_server_sql (dir, "UPDATE schema_version SET version = 99"));
    }
  else
    {
      version = test_server_sql (dir, "PRAGMA user_version");
      g_assert_cmpstr (version, ==, "1");
      g_free (test_server_sql (dir, "PRAGMA user_version = 99"));
    }

  url = spawn_server (&process, &out, dir, db, test_util_postgres () ? password_args : NULL, NULL, output, &status);
  g_assert_null (url);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (output->str, "has schema version 99; this app-inbox-server knows up to 1"));

  if (test_util_postgres ())
    return;

  /* before the versions: 0, with the tables there */
  g_free (test_server_sql (dir, "PRAGMA user_version = 0"));
  server = test_server_start (dir, ADMIN, FALSE);
  {
    g_autofree char *inbox = g_strconcat (server->url, "v1/inbox", NULL);
    g_autoptr(JsonNode) page = test_util_http_json ("GET", inbox, alice, NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (page), "user"), ==, "alice");
  }
  g_clear_pointer (&server, test_server_free);
  g_free (version);
  version = test_server_sql (dir, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "1");
  test_util_rm_rf (dir);
}

/* The PostgreSQL password: from the URI, PGPASSFILE or --db-password-file,
 * and never in what the server writes, whether it connects or not. */
static void
test_server_db_password (void)
{
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autofree char *db = test_server_db_location (dir);
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  int status = 0;

  /* a URI libpq cannot read: its reason quotes the part it could not
   * read, or the whole URI, never the password */
  for (const char * const *uri = (const char *[]) {
         "postgresql://inbox:secret-1%zz-password@/inbox",
         "postgresql://inbox:secret-2-password@[::1/inbox",
         "postgresql://inbox:secret-3@at-password%zz@/inbox",
         "postgresql://inbox@/inbox?password=secret-4-password%zz",
         NULL
       }; *uri != NULL; uri++)
    {
      g_autofree char *url = NULL;

      g_string_truncate (output, 0);
      url = spawn_server (&process, &out, dir, *uri, NULL, NULL, output, &status);
      g_test_message ("%s: %s", *uri, output->str);
      g_assert_null (url);
      g_assert_cmpint (status, ==, 1);
      g_assert_nonnull (strstr (output->str, "not a connection URI libpq can read"));
      g_assert_null (strstr (output->str, "secret"));
      g_assert_null (strstr (output->str, "password%zz"));
    }
  g_string_truncate (output, 0);

  if (!test_util_postgres ())
    {
      /* a password is for PostgreSQL only */
      const char *extra[] = { "--db-password-file", "/dev/null", NULL };
      g_autofree char *url = spawn_server (&process, &out, dir, db, extra, NULL, output, &status);

      g_assert_null (url);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (output->str, "--db-password-file is for a PostgreSQL --db"));
      test_util_rm_rf (dir);
      return;
    }

  {
    const char *password = g_getenv ("INBOX_TEST_PG_PASSWORD");
    const char *wrong = "wrong-0123456789-password";
    g_autofree char *password_file = g_build_filename (dir, "db-password", NULL);
    g_autofree char *wrong_file = g_build_filename (dir, "wrong-password", NULL);
    g_autofree char *pgpass = g_build_filename (dir, "pgpass", NULL);
    g_autofree char *pgpass_text = g_strdup_printf ("*:*:*:inbox:%s\n", password);
    g_autofree char *with_password = NULL, *with_wrong = NULL;
    const char *with_file[] = { "--db-password-file", password_file, NULL };
    const char *with_wrong_file[] = { "--db-password-file", wrong_file, NULL };
    struct {
      const char         *db;
      const char * const *extra;
      const char         *pgpassfile;
      gboolean            connects;
    } cases[4];

    g_assert_true (g_str_has_prefix (db, "postgresql://inbox@/"));
    with_password = g_strdup_printf ("postgresql://inbox:%s@/%s", password, db + strlen ("postgresql://inbox@/"));
    with_wrong = g_strdup_printf ("postgresql://inbox:%s@/%s", wrong, db + strlen ("postgresql://inbox@/"));
    g_assert_true (g_file_set_contents (password_file, password, -1, NULL));
    g_assert_true (g_file_set_contents (wrong_file, wrong, -1, NULL));
    g_assert_true (g_file_set_contents (pgpass, pgpass_text, -1, NULL));
    g_assert_cmpint (chmod (pgpass, 0600), ==, 0);

    cases[0] = (typeof (cases[0])) { with_password, NULL, NULL, TRUE };
    cases[1] = (typeof (cases[0])) { db, with_file, NULL, TRUE };
    cases[2] = (typeof (cases[0])) { db, NULL, pgpass, TRUE };
    cases[3] = (typeof (cases[0])) { with_wrong, NULL, NULL, FALSE };

    for (guint i = 0; i <= G_N_ELEMENTS (cases); i++)
      {
        /* the last: a wrong password from the file */
        const char *where = i < G_N_ELEMENTS (cases) ? cases[i].db : db;
        const char * const *extra = i < G_N_ELEMENTS (cases) ? cases[i].extra : with_wrong_file;
        gboolean connects = i < G_N_ELEMENTS (cases) ? cases[i].connects : FALSE;
        g_autofree char *url = NULL;

        g_string_truncate (output, 0);
        url = spawn_server (&process, &out, dir, where, extra, i < G_N_ELEMENTS (cases) ? cases[i].pgpassfile : NULL,
                            output, &status);
        if (connects)
          {
            g_autofree char *name = g_strdup_printf ("user%u", i);
            g_autofree char *token = NULL;

            g_assert_nonnull (url);
            token = test_util_create_user (url, ADMIN, name, NULL);
            g_assert_nonnull (token);
            stop_server (&process, &out, output);
          }
        else
          {
            g_assert_null (url);
            g_assert_cmpint (status, ==, 1);
            g_assert_nonnull (strstr (output->str, "password authentication failed"));
            /* where it tried is named, without the password */
            g_assert_nonnull (strstr (output->str, "user=inbox"));
          }
        g_test_message ("case %u: %s", i, output->str);
        g_assert_null (strstr (output->str, password));
        g_assert_null (strstr (output->str, wrong));
      }
  }
  test_util_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/server/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("delivery", test_server_delivery);
  ADD ("isolation", test_server_isolation);
  ADD ("events-idempotent", test_server_events_idempotent);
  ADD ("pages", test_server_pages);
  ADD ("errors", test_server_errors);
  ADD ("sql-as-text", test_server_sql_as_text);
  ADD ("token-hashes", test_server_token_hashes);
  ADD ("long-keys", test_server_long_keys);
  ADD ("media", test_server_media);
  ADD ("refuse-from-headers", test_server_refuse_from_headers);
  ADD ("numbers-in-range", test_server_numbers_in_range);
  ADD ("media-links", test_server_media_links);
#undef ADD
  g_test_add_func ("/server/demo", test_server_demo);
  g_test_add_func ("/server/connection-limits", test_server_connection_limits);
  g_test_add_func ("/server/schema-version", test_server_schema_version);
  g_test_add_func ("/server/db-password", test_server_db_password);

  return g_test_run ();
}
