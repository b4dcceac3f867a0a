/* test-cache.c: the SQLite cache: round trip, merge rules, migrations,
 * damaged files, and a process killed in the middle of a batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "inbox-cache.h"
#include "test-util.h"

#define NOW ((gint64) 1716500000)

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = test_util_make_tmpdir ();
  f->path = g_build_filename (f->dir, "sub", "inbox.sqlite", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static InboxCache *
open_cache (const char *path)
{
  g_autoptr(GError) error = NULL;
  InboxCache *cache = inbox_cache_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cache);
  return cache;
}

static GPtrArray *
load (InboxCache *cache,
      const char *user,
      gint64      now)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = inbox_cache_load_list (cache, user, now, &error);

  g_assert_no_error (error);
  return list;
}

static void
apply (InboxCache         *cache,
       const char         *user,
       GPtrArray          *messages,
       const char * const *deleted,
       gint64              now)
{
  g_autoptr(GError) error = NULL;

  inbox_cache_apply (cache, user, messages, deleted, NULL, now, NULL, &error);
  g_assert_no_error (error);
}

static GPtrArray *
one (InboxMessage *message)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (array, message);
  return array;
}

/* Loads the content the blocking way (a test may) and gives @message. */
static InboxMessage *
loaded (InboxMessage *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (inbox_message_load (message, &error));
  g_assert_no_error (error);
  return message;
}

static const char *
title_of (InboxMessage *message)
{
  return inbox_content_get_title (inbox_message_get_content (loaded (message), 0));
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const names[] = { "simple.json", "message-icon.json", "carousel.json", "carousel-image.json" };
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(InboxCache) again = NULL;
  g_autoptr(GPtrArray) list_again = NULL;
  InboxMessage *first;

  g_assert_cmpint (inbox_cache_get_schema_version (cache), ==, INBOX_CACHE_SCHEMA_VERSION);
  g_assert_null (inbox_cache_get_recovery_error (cache));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = fixture_path (names[i]);
      g_autoptr(GPtrArray) items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, NULL);

      g_ptr_array_add (messages, g_object_ref (((InboxPayloadItem *) g_ptr_array_index (items, 0))->message));
    }
  apply (cache, "alice", messages, NULL, NOW);

  list = load (cache, "alice", NOW);
  g_assert_cmpuint (list->len, ==, 4);
  /* newest first */
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 0)), ==, "1712000000_1716400000");
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 1)), ==, "icon-1");
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 2)), ==, "carousel-1");
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 3)), ==, "image-carousel-1");

  /* the list columns are there before anything is parsed */
  first = g_ptr_array_index (list, 0);
  g_assert_false (inbox_message_is_loaded (first));
  g_assert_cmpint (inbox_message_get_template (first), ==, INBOX_TEMPLATE_SIMPLE);
  g_assert_cmpint (inbox_message_get_expires (first), ==, 4102444800);
  g_assert_true (inbox_message_has_tag (first, "weekend"));
  g_assert_cmpint (inbox_message_get_template (g_ptr_array_index (list, 3)), ==, INBOX_TEMPLATE_IMAGE_CAROUSEL);
  g_assert_false (inbox_message_is_loaded (first));

  /* then the content, parsed when loaded, as it was sent */
  g_assert_cmpstr (title_of (first), ==, "Weekend offer");
  g_assert_true (inbox_message_is_loaded (first));
  g_assert_false (inbox_message_is_loaded (g_ptr_array_index (list, 2)));
  g_assert_cmpuint (inbox_content_get_n_links (inbox_message_get_content (first, 0)), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (inbox_message_get_wzrk_fields (first), "wzrk_pivot"), ==, "wzrk_default");
  g_assert_cmpuint (inbox_message_get_n_contents (loaded (g_ptr_array_index (list, 2))), ==, 3);
  {
    g_autofree char *json = inbox_message_to_json (first, NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                    "future_field"), ==, "kept");
  }

  /* and the same from a new connection to the file */
  g_clear_object (&cache);
  g_clear_pointer (&list, g_ptr_array_unref);
  again = open_cache (f->path);
  list_again = load (again, "alice", NOW);
  g_assert_cmpuint (list_again->len, ==, 4);
  g_assert_cmpstr (title_of (g_ptr_array_index (list_again, 1)), ==, "Your order has shipped");
}

static void
test_merge_rules (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const server_deleted[] = { "d", NULL };

  apply (cache, "alice", one (test_util_message ("a", 100, 0, FALSE, NULL, "A v1")), NULL, NOW);
  apply (cache, "alice", one (test_util_message ("b", 200, NOW + 100, FALSE, NULL, "B v1")), NULL, NOW);
  apply (cache, "alice", one (test_util_message ("c", 300, 0, FALSE, NULL, "C")), NULL, NOW);
  apply (cache, "alice", one (test_util_message ("d", 400, 0, FALSE, NULL, "D")), NULL, NOW);

  /* the user reads a, deletes c */
  inbox_cache_set_read (cache, "alice", "a", TRUE, NOW, &error);
  g_assert_no_error (error);
  inbox_cache_delete_message (cache, "alice", "c", NOW, &error);
  g_assert_no_error (error);

  /* a newer copy of a (server says unread): content replaced, stays read */
  apply (cache, "alice", one (test_util_message ("a", 150, 0, FALSE, NULL, "A v2")), NULL, NOW);
  /* an older copy of b: ignored; a newer one moves its expiry */
  apply (cache, "alice", one (test_util_message ("b", 199, 0, FALSE, NULL, "B old")), NULL, NOW);
  apply (cache, "alice", one (test_util_message ("b", 200, NOW + 500, TRUE, NULL, "B v2")), NULL, NOW);
  /* a re-delivered c stays deleted; d is deleted on the server */
  inbox_cache_apply (cache, "alice", one (test_util_message ("c", 900, 0, FALSE, NULL, "C again")),
                     server_deleted, NULL, NOW, &changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (changed), ==, 1);
  g_assert_true (g_hash_table_contains (changed, "d"));

  list = load (cache, "alice", NOW);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 0)), ==, "b");
  g_assert_cmpstr (title_of (g_ptr_array_index (list, 0)), ==, "B v2");
  g_assert_cmpint (inbox_message_get_expires (g_ptr_array_index (list, 0)), ==, NOW + 500);
  g_assert_true (inbox_message_get_read (g_ptr_array_index (list, 0)));
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 1)), ==, "a");
  g_assert_cmpstr (title_of (g_ptr_array_index (list, 1)), ==, "A v2");
  g_assert_cmpint (inbox_message_get_date (g_ptr_array_index (list, 1)), ==, 150);
  g_assert_true (inbox_message_get_read (g_ptr_array_index (list, 1)));
}

static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gone = NULL;

  /* already expired: not stored */
  apply (cache, "alice", one (test_util_message ("old", 100, NOW - 1, FALSE, NULL, "Old")), NULL, NOW);
  apply (cache, "alice", one (test_util_message ("soon", 200, NOW + 10, FALSE, NULL, "Soon")), NULL, NOW);
  apply (cache, "alice", one (test_util_message ("never", 300, 0, FALSE, NULL, "Never")), NULL, NOW);
  apply (cache, "alice", one (test_util_message ("later", 400, NOW + 1000, FALSE, NULL, "Later")), NULL, NOW);
  /* a newer copy that has expired removes the one we hold */
  apply (cache, "alice", one (test_util_message ("later", 401, NOW - 5, FALSE, NULL, "Later")), NULL, NOW);

  list = load (cache, "alice", NOW);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 0)), ==, "never");
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 1)), ==, "soon");

  /* reading the inbox after the moment removes it from storage too */
  later = load (cache, "alice", NOW + 10);
  g_assert_cmpuint (later->len, ==, 1);
  gone = inbox_cache_load_json (cache, "alice", "soon", &error);
  g_assert_null (gone);
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
}

static void
test_users_separate (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(GPtrArray) alice = NULL;
  g_autoptr(GPtrArray) bob = NULL;
  g_autoptr(GError) error = NULL;

  apply (cache, "alice", one (test_util_message ("same-id", 100, 0, FALSE, NULL, "Alice's")), NULL, NOW);
  apply (cache, "bob", one (test_util_message ("same-id", 100, 0, FALSE, NULL, "Bob's")), NULL, NOW);
  inbox_cache_delete_message (cache, "bob", "same-id", NOW, &error);
  g_assert_no_error (error);

  alice = load (cache, "alice", NOW);
  bob = load (cache, "bob", NOW);
  g_assert_cmpuint (alice->len, ==, 1);
  g_assert_cmpstr (title_of (g_ptr_array_index (alice, 0)), ==, "Alice's");
  g_assert_cmpuint (bob->len, ==, 0);
}

/* Signing out forgets one user whole: messages, events, cursor. */
static void
test_forget_user (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(GPtrArray) alice = NULL, bob = NULL, alice_events = NULL, bob_events = NULL;
  g_autofree char *alice_cursor = NULL, *bob_cursor = NULL;
  g_autoptr(GError) error = NULL;

  apply (cache, "alice", one (test_util_message ("a", 100, 0, FALSE, NULL, "Alice's")), NULL, NOW);
  apply (cache, "bob", one (test_util_message ("b", 100, 0, FALSE, NULL, "Bob's")), NULL, NOW);
  g_assert_true (inbox_cache_apply (cache, "alice", NULL, NULL, "c-alice", NOW, NULL, &error));
  g_assert_true (inbox_cache_apply (cache, "bob", NULL, NULL, "c-bob", NOW, NULL, &error));
  g_assert_true (inbox_cache_set_read (cache, "alice", "a", TRUE, NOW, &error));
  g_assert_true (inbox_cache_set_read (cache, "bob", "b", TRUE, NOW, &error));

  g_assert_true (inbox_cache_forget_user (cache, "alice", &error));
  g_assert_no_error (error);

  alice = load (cache, "alice", NOW);
  bob = load (cache, "bob", NOW);
  g_assert_cmpuint (alice->len, ==, 0);
  g_assert_cmpuint (bob->len, ==, 1);
  alice_events = inbox_cache_peek_outbox (cache, "alice", 10, &error);
  bob_events = inbox_cache_peek_outbox (cache, "bob", 10, &error);
  g_assert_cmpuint (alice_events->len, ==, 0);
  g_assert_cmpuint (bob_events->len, ==, 1);
  alice_cursor = inbox_cache_get_cursor (cache, "alice", &error);
  bob_cursor = inbox_cache_get_cursor (cache, "bob", &error);
  g_assert_null (alice_cursor);
  g_assert_cmpstr (bob_cursor, ==, "c-bob");
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GError) error = NULL;
  InboxOutboxEvent *event;
  const char *sent[3] = { NULL };

  apply (cache, "alice", one (test_util_message ("a", 100, 0, FALSE, NULL, "A")), NULL, NOW);

  g_assert_true (inbox_cache_set_read (cache, "alice", "a", TRUE, NOW + 1, &error));
  /* the same state again: no event */
  g_assert_true (inbox_cache_set_read (cache, "alice", "a", TRUE, NOW + 2, &error));
  g_assert_true (inbox_cache_set_read (cache, "alice", "a", FALSE, NOW + 3, &error));
  g_assert_true (inbox_cache_add_event (cache, "alice", "Notification Viewed", "a", "{\"wzrk_id\":\"w-a\"}", NOW + 4, &error));
  g_assert_true (inbox_cache_delete_message (cache, "alice", "a", NOW + 5, &error));
  g_assert_no_error (error);

  /* a message that is not there: a clear error, no event */
  g_assert_false (inbox_cache_set_read (cache, "alice", "nope", TRUE, NOW, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (inbox_cache_set_read (cache, "alice", "a", TRUE, NOW, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  events = inbox_cache_peek_outbox (cache, "alice", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->type, ==, "read");
  g_assert_cmpint (event->ts, ==, NOW + 1);
  g_assert_true (g_uuid_string_is_valid (event->event_id));
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 1))->type, ==, "unread");
  event = g_ptr_array_index (events, 2);
  g_assert_cmpstr (event->type, ==, "Notification Viewed");
  g_assert_cmpstr (event->props, ==, "{\"wzrk_id\":\"w-a\"}");
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 3))->type, ==, "deleted");
  g_assert_cmpint (((InboxOutboxEvent *) g_ptr_array_index (events, 0))->seq, <,
                   ((InboxOutboxEvent *) g_ptr_array_index (events, 3))->seq);

  sent[0] = ((InboxOutboxEvent *) g_ptr_array_index (events, 0))->event_id;
  sent[1] = ((InboxOutboxEvent *) g_ptr_array_index (events, 1))->event_id;
  g_assert_true (inbox_cache_remove_outbox (cache, sent, &error));
  g_assert_no_error (error);

  rest = inbox_cache_peek_outbox (cache, "alice", 100, &error);
  g_assert_cmpuint (rest->len, ==, 2);
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (rest, 0))->type, ==, "Notification Viewed");
}

static void
test_many (Fixture       *f,
           gconstpointer  data)
{
  static const char * const abc[] = { "a", "b", "c", "b", NULL };
  static const char * const with_unknown[] = { "a", "nope", NULL };
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (messages, test_util_message ("a", 100, 0, FALSE, NULL, "A"));
  g_ptr_array_add (messages, test_util_message ("b", 200, 0, TRUE, NULL, "B"));
  g_ptr_array_add (messages, test_util_message ("c", 300, 0, FALSE, NULL, "C"));
  apply (cache, "alice", messages, NULL, NOW);

  /* b is read already and named twice: a and c change, with an event each */
  g_assert_true (inbox_cache_set_read_many (cache, "alice", abc, TRUE, NOW + 1, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (changed, 0), ==, "a");
  g_assert_cmpstr (g_ptr_array_index (changed, 1), ==, "c");
  events = inbox_cache_peek_outbox (cache, "alice", 100, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 1))->message_id, ==, "c");
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 1))->type, ==, "read");
  g_clear_pointer (&events, g_ptr_array_unref);

  /* an unknown id: nothing at all */
  g_assert_false (inbox_cache_set_read_many (cache, "alice", with_unknown, FALSE, NOW + 2, NULL, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (inbox_cache_delete_many (cache, "alice", with_unknown, NOW + 2, NULL, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  events = inbox_cache_peek_outbox (cache, "alice", 100, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_clear_pointer (&events, g_ptr_array_unref);
  list = load (cache, "alice", NOW);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_true (inbox_message_get_read (g_ptr_array_index (list, 2)));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* deleting: one event each, and a second time is nothing new */
  g_clear_pointer (&changed, g_ptr_array_unref);
  g_assert_true (inbox_cache_delete_many (cache, "alice", abc, NOW + 3, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 3);
  g_clear_pointer (&changed, g_ptr_array_unref);
  g_assert_true (inbox_cache_delete_many (cache, "alice", abc, NOW + 4, &changed, &error));
  g_assert_cmpuint (changed->len, ==, 0);
  events = inbox_cache_peek_outbox (cache, "alice", 100, &error);
  g_assert_cmpuint (events->len, ==, 5);
  list = load (cache, "alice", NOW);
  g_assert_cmpuint (list->len, ==, 0);

  /* a deleted message cannot be marked */
  g_assert_false (inbox_cache_set_read_many (cache, "alice", abc, FALSE, NOW + 5, NULL, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
}

static void
test_cursor (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *cursor = NULL;

  none = inbox_cache_get_cursor (cache, "alice", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  inbox_cache_apply (cache, "alice", NULL, NULL, "c-42", NOW, NULL, &error);
  g_assert_no_error (error);
  cursor = inbox_cache_get_cursor (cache, "alice", &error);
  g_assert_cmpstr (cursor, ==, "c-42");
}

static void
exec_sql_file (const char *db_path,
               const char *sql_path)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, NULL));
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql_path, message);
  sqlite3_close (db);
}

static void
test_migrate_from_v1 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *sql = fixture_path ("cache-v1.sql");
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(GPtrArray) alice = NULL;
  g_autoptr(GPtrArray) bob = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);

  g_mkdir_with_parents (dir, 0700);
  exec_sql_file (f->path, sql);

  cache = open_cache (f->path);
  g_assert_cmpint (inbox_cache_get_schema_version (cache), ==, INBOX_CACHE_SCHEMA_VERSION);
  g_assert_null (inbox_cache_get_recovery_error (cache));

  alice = load (cache, "alice", NOW);
  g_assert_cmpuint (alice->len, ==, 2);
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (alice, 0)), ==, "v1-new");
  g_assert_cmpint (inbox_message_get_template (g_ptr_array_index (alice, 0)), ==, INBOX_TEMPLATE_CAROUSEL);
  g_assert_true (inbox_message_has_tag (g_ptr_array_index (alice, 0), "news"));
  g_assert_true (inbox_message_has_tag (g_ptr_array_index (alice, 0), "OFFERS"));
  g_assert_cmpuint (inbox_message_get_n_contents (loaded (g_ptr_array_index (alice, 0))), ==, 2);
  g_assert_cmpstr (title_of (g_ptr_array_index (alice, 1)), ==, "From version 1");
  g_assert_true (inbox_message_get_read (g_ptr_array_index (alice, 1)));

  /* the deletion marker of version 1 still keeps a re-delivery out */
  apply (cache, "alice", one (test_util_message ("v1-gone", 1716999999, 0, FALSE, NULL, "Back?")), NULL, NOW);
  g_clear_pointer (&alice, g_ptr_array_unref);
  alice = load (cache, "alice", NOW);
  g_assert_cmpuint (alice->len, ==, 2);

  bob = load (cache, "bob", NOW);
  g_assert_cmpuint (bob->len, ==, 1);
  g_assert_cmpstr (title_of (g_ptr_array_index (bob, 0)), ==, "Bob's");

  events = inbox_cache_peek_outbox (cache, "alice", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 0))->event_id, ==,
                   "11111111-1111-4111-8111-111111111111");

  cursor = inbox_cache_get_cursor (cache, "alice", &error);
  g_assert_cmpstr (cursor, ==, "cursor-from-v1");

  /* opening it again migrates nothing more */
  g_clear_object (&cache);
  cache = open_cache (f->path);
  g_assert_cmpint (inbox_cache_get_schema_version (cache), ==, INBOX_CACHE_SCHEMA_VERSION);
}

static void
assert_moved_aside (const char *path,
                    InboxCache *cache,
                    const char *original,
                    gsize       original_length)
{
  const GError *recovery = inbox_cache_get_recovery_error (cache);
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  const char *where;
  gsize kept_length;

  g_assert_nonnull (recovery);
  g_assert_error ((GError *) recovery, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_DAMAGED);

  /* the message says where the old file went, and it is there, unchanged */
  where = strstr (recovery->message, "moved to ");
  g_assert_nonnull (where);
  aside = g_strndup (where + strlen ("moved to "), strstr (where, " and a new cache") - where - strlen ("moved to "));
  g_assert_true (g_str_has_prefix (aside, path));
  g_assert_true (g_file_get_contents (aside, &kept, &kept_length, NULL));
  g_assert_cmpmem (kept, kept_length, original, original_length);
}

static void
test_garbage_moved_aside (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  char garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) g_test_rand_int_range (0, 256);
  memcpy (garbage, "not a database at all", 21);

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (f->path, garbage, sizeof garbage, NULL));

  g_test_expect_message ("inbox-cache", G_LOG_LEVEL_MESSAGE, "*moved to*");
  cache = open_cache (f->path);
  g_test_assert_expected_messages ();

  assert_moved_aside (f->path, cache, garbage, sizeof garbage);
  g_assert_nonnull (strstr (inbox_cache_get_recovery_error (cache)->message, f->path));

  /* the new cache works */
  apply (cache, "alice", one (test_util_message ("a", 100, 0, FALSE, NULL, "A")), NULL, NOW);
  list = load (cache, "alice", NOW);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_corrupt_pages_moved_aside (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(InboxCache) reopened = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *json = test_util_messages_json (500, "x", NOW);
  g_autofree char *contents = NULL;
  gsize length;

  messages = test_util_parse_messages (json, NOW);
  apply (cache, "alice", messages, NULL, NOW);
  g_clear_object (&cache);  /* closing checkpoints the WAL into the file */

  /* scribble over the pages in the middle of the file, keeping the header */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 64 * 1024);
  for (gsize i = length / 4; i < length / 2; i++)
    contents[i] = (char) (i * 7);
  g_assert_true (g_file_set_contents (f->path, contents, length, NULL));

  g_test_expect_message ("inbox-cache", G_LOG_LEVEL_MESSAGE, "*moved to*");
  reopened = open_cache (f->path);
  g_test_assert_expected_messages ();

  assert_moved_aside (f->path, reopened, contents, length);
  list = load (reopened, "alice", NOW);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_foreign_database_moved_aside (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(InboxCache) cache = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *contents = NULL;
  gsize length;
  sqlite3 *db = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE photos (id INTEGER); INSERT INTO photos VALUES (1);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));

  g_test_expect_message ("inbox-cache", G_LOG_LEVEL_MESSAGE, "*not an App Inbox cache*moved to*");
  cache = open_cache (f->path);
  g_test_assert_expected_messages ();
  assert_moved_aside (f->path, cache, contents, length);
}

static void
test_too_new_left_alone (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(InboxCache) cache = open_cache (f->path);
  g_autoptr(InboxCache) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(GDir) listing = NULL;
  sqlite3 *db = NULL;
  guint n_files = 0;

  g_clear_object (&cache);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE schema_version SET version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  refused = inbox_cache_new (f->path, &error);
  g_assert_null (refused);
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "version 99"));

  /* nothing was moved or made */
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, <=, 3);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_unwritable_folder (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = g_build_filename (f->dir, "file", NULL);
  g_autofree char *path = g_build_filename (blocker, "inbox.sqlite", NULL);

  /* the folder cannot be made: a file stands where it would be */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  cache = inbox_cache_new (path, &error);
  g_assert_null (cache);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, blocker));
}

static void
open_async_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  InboxCache **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = inbox_cache_new_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_open_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(InboxCache) cache = NULL;

  inbox_cache_new_async (f->path, NULL, open_async_cb, &cache);
  while (cache == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (inbox_cache_get_path (cache), ==, f->path);
}

/* --- a process killed in the middle of a 10,000-message batch --- */

#define KILL_BATCH 10000

typedef struct {
  GSubprocess      *process;
  GDataInputStream *lines;
} Writer;

static void
writer_start (Writer     *w,
              const char *path,
              guint64     first_generation)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = g_strdup_printf ("%" G_GUINT64_FORMAT, first_generation);
  const char *writer = g_getenv ("CACHE_WRITER");

  g_assert_nonnull (writer);
  w->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, writer, path, first, NULL);
  g_assert_no_error (error);
  w->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (w->process));
}

static char *
writer_read_line (Writer *w)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (w->lines, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

static void
writer_clear (Writer *w)
{
  g_clear_object (&w->lines);
  g_clear_object (&w->process);
}

typedef struct {
  guint n_messages;
  guint n_labels;
  char *label;
  guint n_events;
  guint n_distinct_events;
} DiskState;

/* Reads the file through the cache (which also recovers the WAL). */
static void
read_state (const char *path,
            DiskState  *state)
{
  g_autoptr(InboxCache) cache = open_cache (path);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = load (cache, "alice", NOW);
  state->n_messages = list->len;
  for (guint i = 0; i < list->len; i++)
    {
      GHashTable *kv = inbox_message_get_custom_kv (loaded (g_ptr_array_index (list, i)));

      g_assert_nonnull (kv);
      g_hash_table_add (labels, g_strdup (g_hash_table_lookup (kv, "label")));
    }
  state->n_labels = g_hash_table_size (labels);
  g_clear_pointer (&state->label, g_free);
  if (state->n_labels == 1)
    {
      GList *keys = g_hash_table_get_keys (labels);

      state->label = g_strdup (keys->data);
      g_list_free (keys);
    }

  events = inbox_cache_peek_outbox (cache, "alice", G_MAXUINT, &error);
  g_assert_no_error (error);
  state->n_events = events->len;
  for (guint i = 0; i < events->len; i++)
    g_hash_table_add (ids, ((InboxOutboxEvent *) g_ptr_array_index (events, i))->event_id);
  state->n_distinct_events = g_hash_table_size (ids);
}

static const char *
label_for (guint64 generation)
{
  return generation % 2 ? "odd" : "even";
}

static void
test_kill_mid_batch (Fixture       *f,
                     gconstpointer  data)
{
  DiskState state = { 0 };
  guint64 generation = 1;
  guint events_seen = 0;
  guint killed_mid_batch = 0;
  const guint trials = 5;

  for (guint trial = 0; trial < trials; trial++)
    {
      Writer w = { 0 };
      g_autofree char *expect_committed = NULL;
      g_autofree char *expect_begin = NULL;
      g_autofree char *expect_event = NULL;
      gboolean committed_after = FALSE;
      char *line;

      /* let one whole batch and its event land, then kill the next batch */
      writer_start (&w, f->path, generation);
      expect_committed = g_strdup_printf ("committed %" G_GUINT64_FORMAT, generation);
      expect_event = g_strdup_printf ("event %" G_GUINT64_FORMAT, generation);
      expect_begin = g_strdup_printf ("begin %" G_GUINT64_FORMAT, generation + 1);
      while ((line = writer_read_line (&w)) != NULL)
        {
          gboolean done = g_str_equal (line, expect_begin);

          if (g_str_has_prefix (line, "event "))
            events_seen++;
          g_free (line);
          if (done)
            break;
        }

      g_usleep (g_test_rand_int_range (5, 60) * 1000);
      g_subprocess_force_exit (w.process);
      g_subprocess_wait (w.process, NULL, NULL);
      g_assert_true (g_subprocess_get_if_signaled (w.process));

      while ((line = writer_read_line (&w)) != NULL)
        {
          if (g_str_has_prefix (line, "committed "))
            committed_after = TRUE;
          if (g_str_has_prefix (line, "event "))
            events_seen++;
          g_free (line);
        }
      writer_clear (&w);

      read_state (f->path, &state);

      /* the whole old batch or the whole new one, never a mix */
      g_assert_cmpuint (state.n_messages, ==, KILL_BATCH);
      g_assert_cmpuint (state.n_labels, ==, 1);
      if (committed_after)
        {
          g_assert_cmpstr (state.label, ==, label_for (generation + 1));
        }
      else
        {
          g_assert_true (g_str_equal (state.label, label_for (generation)) ||
                         g_str_equal (state.label, label_for (generation + 1)));
          if (g_str_equal (state.label, label_for (generation)))
            killed_mid_batch++;
        }

      /* every event that was reported written is there, once; at most the
       * one being written when the kill came is there unreported */
      g_assert_cmpuint (state.n_events, ==, state.n_distinct_events);
      g_assert_cmpuint (state.n_events, >=, events_seen);
      g_assert_cmpuint (state.n_events, <=, events_seen + 1);
      events_seen = state.n_events;

      /* the next writer commits a batch of its own first */
      generation += 2;
    }

  g_free (state.label);
  g_test_message ("%u of %u kills landed inside the transaction", killed_mid_batch, trials);
  g_assert_cmpuint (killed_mid_batch, >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/cache/round-trip", test_round_trip);
  ADD ("/cache/merge-rules", test_merge_rules);
  ADD ("/cache/expiry", test_expiry);
  ADD ("/cache/users-separate", test_users_separate);
  ADD ("/cache/forget-user", test_forget_user);
  ADD ("/cache/outbox", test_outbox);
  ADD ("/cache/many", test_many);
  ADD ("/cache/cursor", test_cursor);
  ADD ("/cache/migrate-from-v1", test_migrate_from_v1);
  ADD ("/cache/damaged/garbage", test_garbage_moved_aside);
  ADD ("/cache/damaged/corrupt-pages", test_corrupt_pages_moved_aside);
  ADD ("/cache/damaged/foreign-database", test_foreign_database_moved_aside);
  ADD ("/cache/too-new-left-alone", test_too_new_left_alone);
  ADD ("/cache/unwritable-folder", test_unwritable_folder);
  ADD ("/cache/open-async", test_open_async);
  ADD ("/cache/kill-mid-batch", test_kill_mid_batch);

#undef ADD

  return g_test_run ();
}
