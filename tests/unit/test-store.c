/* test-store.c: the store's list model, unread count, read/unread/delete
 * through the cache and outbox, in-place merges, expiry and tag filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>

#include "inbox-message-private.h"
#include "inbox-store-private.h"
#include "inbox-tag-filter.h"
#include "test-util.h"

#define START ((gint64) 1716500000)

typedef struct {
  char       *dir;
  InboxCache *cache;
  InboxStore *store;
  gint64      now;
  guint       changes;     /* items-changed emissions */
  guint       last_position, last_removed, last_added;
  guint       unread_notifies;
  guint       n_items_notifies;
  guint       loaded_notifies;
} Fixture;

static gint64
fake_now (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  f->changes++;
  f->last_position = position;
  f->last_removed = removed;
  f->last_added = added;
}

static void
unread_notify_cb (GObject    *object,
                  GParamSpec *pspec,
                  Fixture    *f)
{
  f->unread_notifies++;
}

static void
n_items_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   Fixture    *f)
{
  f->n_items_notifies++;
}

static void
loaded_notify_cb (GObject    *object,
                  GParamSpec *pspec,
                  Fixture    *f)
{
  f->loaded_notifies++;
}

static InboxStore *
make_store (Fixture    *f,
            const char *user)
{
  InboxStore *store = inbox_store_new (f->cache, user);

  inbox_store_set_clock (store, fake_now, f);
  return store;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = test_util_make_tmpdir ();
  f->now = START;
  path = g_build_filename (f->dir, "inbox.sqlite", NULL);
  f->cache = inbox_cache_new (path, &error);
  g_assert_no_error (error);
  f->store = make_store (f, "alice");
  g_signal_connect (f->store, "items-changed", G_CALLBACK (items_changed_cb), f);
  g_signal_connect (f->store, "notify::unread-count", G_CALLBACK (unread_notify_cb), f);
  g_signal_connect (f->store, "notify::n-items", G_CALLBACK (n_items_notify_cb), f);
  g_signal_connect (f->store, "notify::loaded", G_CALLBACK (loaded_notify_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->cache);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
}

static void
merge (Fixture   *f,
       GPtrArray *messages)
{
  g_autoptr(GError) error = NULL;

  inbox_store_merge (f->store, messages, NULL, NULL, &error);
  g_assert_no_error (error);
}

static GPtrArray *
batch (InboxMessage *first,
       ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (InboxMessage *m = first; m != NULL; m = va_arg (args, InboxMessage *))
    g_ptr_array_add (array, m);
  va_end (args);

  return array;
}

static InboxMessage *
item (GListModel *model,
      guint       position)
{
  InboxMessage *message = g_list_model_get_item (model, position);

  g_assert_nonnull (message);
  g_object_unref (message);  /* the model keeps it */
  return message;
}

static void
content_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (inbox_store_load_content_finish (INBOX_STORE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Loads the content as a host app does, and waits for it. */
static void
load_content (InboxStore *store,
              GPtrArray  *messages)
{
  gboolean done = FALSE;

  inbox_store_load_content_async (store, messages, NULL, content_loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static const char *
title_of (InboxStore   *store,
          InboxMessage *message)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, message);
  load_content (store, one);
  g_assert_true (inbox_message_is_loaded (message));
  return inbox_content_get_title (inbox_message_get_content (message, 0));
}

static const char *
id_at (GListModel *model,
       guint       position)
{
  return inbox_message_get_id (item (model, position));
}

static void
seed (Fixture *f)
{
  g_autoptr(GPtrArray) messages = batch (
    test_util_message ("m1", 100, 0, FALSE, "[\"Offers\"]", "One"),
    test_util_message ("m2", 200, 0, TRUE, "[\"news\"]", "Two"),
    test_util_message ("m3", 300, 0, FALSE, "[\"OFFERS\",\"news\"]", "Three"),
    test_util_message ("m4", 400, 0, FALSE, NULL, "Four"),
    NULL);

  merge (f, messages);
}

static void
test_load_newest_first (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(InboxStore) again = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (f->store);

  g_assert_cmpint (g_list_model_get_item_type (model), ==, INBOX_TYPE_MESSAGE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (g_list_model_get_item (model, 0));

  seed (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (f->last_added, ==, 4);
  g_assert_cmpstr (id_at (model, 0), ==, "m4");
  g_assert_cmpstr (id_at (model, 3), ==, "m1");
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 3);
  g_assert_cmpuint (f->unread_notifies, ==, 1);

  /* a second store on the same cache reads the same */
  again = make_store (f, "alice");
  inbox_store_load (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 4);
  g_assert_cmpuint (inbox_store_get_unread_count (again), ==, 3);
}

static void
test_set_read (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InboxStore) other = NULL;
  InboxMessage *m4;

  seed (f);
  m4 = inbox_store_lookup (f->store, "m4", NULL);
  g_assert_nonnull (m4);

  g_assert_true (inbox_store_set_read (f->store, m4, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (inbox_message_get_read (m4));
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 2);

  g_assert_true (inbox_store_set_read (f->store, m4, FALSE, &error));
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 3);

  /* each change reached the outbox */
  events = inbox_cache_peek_outbox (f->cache, "alice", 10, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 0))->type, ==, "read");
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 1))->type, ==, "unread");

  /* and to disk: another store sees it */
  g_assert_true (inbox_store_set_read (f->store, m4, TRUE, &error));
  other = make_store (f, "alice");
  inbox_store_load (other, &error);
  g_assert_true (inbox_message_get_read (inbox_store_lookup (other, "m4", NULL)));

  /* when the cache refuses, the model does not change */
  g_assert_true (inbox_store_delete (other, inbox_store_lookup (other, "m1", NULL), &error));
  g_assert_false (inbox_store_set_read (f->store, inbox_store_lookup (f->store, "m1", NULL), TRUE, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  g_assert_false (inbox_message_get_read (inbox_store_lookup (f->store, "m1", NULL)));
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (f->store);
  guint position;

  seed (f);
  g_assert_nonnull (inbox_store_lookup (f->store, "m3", &position));
  g_assert_cmpuint (position, ==, 1);

  f->changes = 0;
  g_assert_true (inbox_store_delete (f->store, inbox_store_lookup (f->store, "m3", NULL), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (f->last_position, ==, 1);
  g_assert_cmpuint (f->last_removed, ==, 1);
  g_assert_cmpuint (f->last_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_null (inbox_store_lookup (f->store, "m3", NULL));
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 2);

  events = inbox_cache_peek_outbox (f->cache, "alice", 10, &error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 0))->type, ==, "deleted");
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 0))->message_id, ==, "m3");

  /* a re-delivery does not bring it back */
  again = batch (test_util_message ("m3", 999, 0, FALSE, NULL, "Three again"), NULL);
  merge (f, again);
  g_assert_null (inbox_store_lookup (f->store, "m3", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
}

static void
test_merge_in_place (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) update = NULL;
  g_autoptr(GPtrArray) newer = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const deleted[] = { "m2", NULL };
  GListModel *model = G_LIST_MODEL (f->store);
  InboxMessage *m1, *m3, *m4;

  seed (f);
  m1 = inbox_store_lookup (f->store, "m1", NULL);
  m3 = inbox_store_lookup (f->store, "m3", NULL);
  m4 = inbox_store_lookup (f->store, "m4", NULL);
  g_assert_cmpstr (title_of (f->store, m3), ==, "Three");
  g_assert_true (inbox_store_set_read (f->store, m3, TRUE, &error));

  /* a new message on top: one insertion at 0, the others kept as they are */
  f->changes = 0;
  newer = batch (test_util_message ("m5", 500, 0, FALSE, NULL, "Five"), NULL);
  merge (f, newer);
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (f->last_position, ==, 0);
  g_assert_cmpuint (f->last_removed, ==, 0);
  g_assert_cmpuint (f->last_added, ==, 1);
  g_assert_true (item (model, 1) == m4);
  g_assert_true (item (model, 4) == m1);

  /* a newer copy of m3 (the server says unread) and m2 deleted elsewhere */
  f->changes = 0;
  update = batch (test_util_message ("m3", 300, 0, FALSE, "[\"news\"]", "Three, revised"), NULL);
  inbox_store_merge (f->store, update, deleted, "cursor-2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpstr (id_at (model, 0), ==, "m5");
  g_assert_true (item (model, 1) == m4);
  g_assert_cmpstr (id_at (model, 2), ==, "m3");
  g_assert_true (item (model, 3) == m1);
  g_assert_cmpstr (title_of (f->store, item (model, 2)), ==, "Three, revised");
  /* a local read wins */
  g_assert_true (inbox_message_get_read (item (model, 2)));
  g_assert_null (inbox_store_lookup (f->store, "m2", NULL));
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 3);
}

static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  GListModel *model = G_LIST_MODEL (f->store);

  messages = batch (test_util_message ("soon", 100, START + 60, FALSE, NULL, "Soon"),
                    test_util_message ("later", 200, START + 3600, FALSE, NULL, "Later"),
                    test_util_message ("gone", 300, START - 1, FALSE, NULL, "Gone"),
                    NULL);
  merge (f, messages);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 2);

  f->now = START + 60;
  inbox_store_purge_expired (f->store);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (id_at (model, 0), ==, "later");
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 1);

  /* gone from storage too */
  json = inbox_cache_load_json (f->cache, "alice", "soon", &error);
  g_assert_null (json);
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* and a load after the moment shows none of them */
  f->now = START + 7200;
  inbox_store_load (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 0);
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_expiry_timer (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = NULL;
  gboolean timeout = FALSE;
  guint source;

  /* the real clock: a message expiring in a second leaves by itself */
  inbox_store_set_clock (f->store, NULL, NULL);
  messages = batch (test_util_message ("brief", 100, inbox_now_real (NULL) + 1, FALSE, NULL, "Brief"),
                    test_util_message ("stays", 50, 0, FALSE, NULL, "Stays"),
                    NULL);
  merge (f, messages);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);

  source = g_timeout_add_seconds (10, quit_cb, &timeout);
  while (!timeout && g_list_model_get_n_items (G_LIST_MODEL (f->store)) == 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timeout);
  g_source_remove (source);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  g_assert_cmpstr (id_at (G_LIST_MODEL (f->store), 0), ==, "stays");
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(InboxStore) bob = make_store (f, "bob");
  g_autoptr(GPtrArray) bobs = batch (test_util_message ("b1", 100, 0, FALSE, NULL, "Bob's"), NULL);
  g_autoptr(InboxStore) alice_again = NULL;
  g_autoptr(GError) error = NULL;

  seed (f);
  inbox_store_merge (bob, bobs, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bob)), ==, 1);

  /* switching back to alice shows only hers; bob's stay stored */
  alice_again = make_store (f, "alice");
  inbox_store_load (alice_again, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (alice_again)), ==, 4);
  g_assert_null (inbox_store_lookup (alice_again, "b1", NULL));
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  inbox_store_load_finish (INBOX_STORE (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_lazy_load_async (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *json = test_util_messages_json (10000, "big", START);
  g_autoptr(GPtrArray) messages = test_util_parse_messages (json, START);
  g_autoptr(InboxStore) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  guint loaded = 0;
  GListModel *model;
  InboxMessage *middle;

  inbox_cache_apply (f->cache, "alice", messages, NULL, NULL, START, NULL, &error);
  g_assert_no_error (error);

  fresh = make_store (f, "alice");
  inbox_store_load_async (fresh, NULL, load_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  model = G_LIST_MODEL (fresh);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10000);
  g_assert_cmpuint (inbox_store_get_unread_count (fresh), ==, 8000);

  /* nothing was parsed to build the list */
  for (guint i = 0; i < 10000; i++)
    loaded += inbox_message_is_loaded (item (model, i));
  g_assert_cmpuint (loaded, ==, 0);

  /* the one asked for is parsed, and only it */
  middle = item (model, 5000);
  g_assert_cmpint (inbox_message_get_template (middle), ==, INBOX_TEMPLATE_SIMPLE);
  g_assert_cmpstr (title_of (fresh, middle), ==, "big title 5000.0");
  for (guint i = 0; i < 10000; i++)
    loaded += inbox_message_is_loaded (item (model, i));
  g_assert_cmpuint (loaded, ==, 1);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  InboxStore **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = inbox_store_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_open_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(InboxStore) opened = NULL;

  seed (f);
  /* the cache file and the list in one go, as a launch does */
  inbox_store_open_async (inbox_cache_get_path (f->cache), "alice", NULL, opened_cb, &opened);
  while (opened == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (opened)), ==, 4);
  g_assert_cmpstr (id_at (G_LIST_MODEL (opened), 0), ==, "m4");
  g_assert_cmpuint (inbox_store_get_unread_count (opened), ==, 3);
  g_assert_cmpstr (inbox_store_get_user (opened), ==, "alice");
}

/* The positions in @model of messages with @tag, by brute force. */
static void
assert_filter_matches (InboxTagFilter *filter,
                       GListModel     *model,
                       const char     *tag)
{
  guint n = g_list_model_get_n_items (model), expected = 0;

  for (guint i = 0; i < n; i++)
    {
      InboxMessage *message = item (model, i);

      if (inbox_message_has_tag (message, tag))
        {
          g_assert_true (item (G_LIST_MODEL (filter), expected) == message);
          expected++;
        }
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, expected);
}

typedef struct {
  GPtrArray *mirror;
  GListModel *filter;
} Mirror;

/* Applies each items-changed to a plain array: it must end up equal to the
 * filter, which shows that the filter's signals describe its changes. */
static void
mirror_changed_cb (GListModel *filter,
                   guint       position,
                   guint       removed,
                   guint       added,
                   Mirror     *m)
{
  g_ptr_array_remove_range (m->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (m->mirror, position + i, g_list_model_get_item (filter, position + i));
}

static void
test_tag_filter (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(InboxTagFilter) offers = NULL;
  g_autoptr(InboxTagFilter) news = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (f->store);
  Mirror m = { 0 };

  seed (f);
  offers = inbox_tag_filter_new (model, "offers");
  news = inbox_tag_filter_new (model, "News");

  /* matched case-insensitively */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (offers)), ==, 2);
  g_assert_cmpstr (id_at (G_LIST_MODEL (offers), 0), ==, "m3");
  g_assert_cmpstr (id_at (G_LIST_MODEL (offers), 1), ==, "m1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (news)), ==, 2);
  g_assert_cmpuint (inbox_tag_filter_get_unread_count (news), ==, 1);

  m.mirror = g_ptr_array_new_with_free_func (g_object_unref);
  m.filter = G_LIST_MODEL (offers);
  for (guint i = 0; i < g_list_model_get_n_items (m.filter); i++)
    g_ptr_array_add (m.mirror, g_list_model_get_item (m.filter, i));
  g_signal_connect (offers, "items-changed", G_CALLBACK (mirror_changed_cb), &m);

  /* random merges and deletes: the filter follows, change by change */
  for (guint round = 0; round < 60; round++)
    {
      g_autofree char *id = g_strdup_printf ("r%u", g_test_rand_int_range (0, 25));
      guint action = g_test_rand_int_range (0, 3);

      if (action < 2)
        {
          const char *tags = g_test_rand_bit () ? "[\"Offers\"]" : "[\"news\"]";
          g_autoptr(GPtrArray) one = batch (test_util_message (id, g_test_rand_int_range (1, 1000), 0,
                                                               FALSE, tags, "R"), NULL);

          inbox_store_merge (f->store, one, NULL, NULL, &error);
          g_assert_no_error (error);
        }
      else if (inbox_store_lookup (f->store, id, NULL) != NULL)
        {
          inbox_store_delete (f->store, inbox_store_lookup (f->store, id, NULL), &error);
          g_assert_no_error (error);
        }

      assert_filter_matches (offers, model, "OFFERS");
      assert_filter_matches (news, model, "news");
      g_assert_cmpuint (m.mirror->len, ==, g_list_model_get_n_items (m.filter));
      for (guint i = 0; i < m.mirror->len; i++)
        g_assert_true (g_ptr_array_index (m.mirror, i) == item (m.filter, i));
    }

  g_ptr_array_unref (m.mirror);
}

/* --- the host API: several and all at once --- */

static guint
count_events (Fixture    *f,
              const char *type)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  events = inbox_cache_peek_outbox (f->cache, "alice", G_MAXUINT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    n += type == NULL || g_str_equal (((InboxOutboxEvent *) g_ptr_array_index (events, i))->type, type);
  return n;
}

/* What another store reads from the file: unread count and number of live
 * messages on disk. */
static void
assert_on_disk (Fixture *f,
                guint    n_items,
                guint    unread)
{
  g_autoptr(InboxStore) other = make_store (f, "alice");
  g_autoptr(GError) error = NULL;

  inbox_store_load (other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, n_items);
  g_assert_cmpuint (inbox_store_get_unread_count (other), ==, unread);
}

static void
test_loaded (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean loaded = TRUE;

  g_object_get (f->store, "loaded", &loaded, NULL);
  g_assert_false (loaded);

  seed (f);
  g_object_get (f->store, "loaded", &loaded, NULL);
  g_assert_true (loaded);
  g_assert_cmpuint (f->loaded_notifies, ==, 1);

  /* once loaded, it stays so: no more notifies */
  inbox_store_load (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->loaded_notifies, ==, 1);
}

static void
test_dup_unread (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) unread = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;

  unread = inbox_store_dup_unread (f->store);
  g_assert_cmpuint (unread->len, ==, 0);
  g_clear_pointer (&unread, g_ptr_array_unref);

  seed (f);
  unread = inbox_store_dup_unread (f->store);
  g_assert_cmpuint (unread->len, ==, 3);
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (unread, 0)), ==, "m4");
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (unread, 1)), ==, "m3");
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (unread, 2)), ==, "m1");
  g_assert_true (g_ptr_array_index (unread, 0) == inbox_store_lookup (f->store, "m4", NULL));

  /* a snapshot: it holds its messages after they leave the store */
  g_assert_true (inbox_store_delete_all (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (unread, 2)), ==, "m1");
  none = inbox_store_dup_unread (f->store);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_set_read_many (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const some[] = { "m4", "m1", "m2", "m4", NULL };
  static const char * const unknown[] = { "m3", "nope", NULL };
  g_autoptr(GError) error = NULL;

  seed (f);
  f->unread_notifies = 0;
  f->changes = 0;

  /* m2 is read already, m4 is named twice: two changes, two events */
  g_assert_true (inbox_store_set_read_many (f->store, some, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (inbox_message_get_read (inbox_store_lookup (f->store, "m4", NULL)));
  g_assert_true (inbox_message_get_read (inbox_store_lookup (f->store, "m1", NULL)));
  g_assert_false (inbox_message_get_read (inbox_store_lookup (f->store, "m3", NULL)));
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 1);
  g_assert_cmpuint (f->unread_notifies, ==, 1);
  g_assert_cmpuint (f->changes, ==, 0);
  g_assert_cmpuint (count_events (f, "read"), ==, 2);
  g_assert_cmpuint (count_events (f, NULL), ==, 2);
  assert_on_disk (f, 4, 1);

  /* and back */
  g_assert_true (inbox_store_set_read_many (f->store, some, FALSE, &error));
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 4);
  g_assert_cmpuint (f->unread_notifies, ==, 2);
  g_assert_cmpuint (count_events (f, "unread"), ==, 3);

  /* an unknown id: an error, and nothing changed */
  g_assert_false (inbox_store_set_read_many (f->store, unknown, TRUE, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  g_assert_false (inbox_message_get_read (inbox_store_lookup (f->store, "m3", NULL)));
  g_assert_cmpuint (f->unread_notifies, ==, 2);
  g_assert_cmpuint (count_events (f, NULL), ==, 5);
  assert_on_disk (f, 4, 4);

  /* nothing to do is no error */
  g_clear_error (&error);
  g_assert_true (inbox_store_set_read_many (f->store, (const char * const []) { NULL }, TRUE, &error));
  g_assert_no_error (error);
}

static void
test_delete_many (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const some[] = { "m1", "m3", NULL };
  static const char * const unknown[] = { "m4", "nope", NULL };
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (f->store);

  seed (f);  /* m4 m3 m2 m1 */
  f->changes = f->unread_notifies = f->n_items_notifies = 0;

  g_assert_true (inbox_store_delete_many (f->store, some, &error));
  g_assert_no_error (error);
  /* one change, from m3 (1) to m1 (3), m2 staying in between */
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (f->last_position, ==, 1);
  g_assert_cmpuint (f->last_removed, ==, 3);
  g_assert_cmpuint (f->last_added, ==, 1);
  g_assert_cmpuint (f->n_items_notifies, ==, 1);
  g_assert_cmpuint (f->unread_notifies, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (id_at (model, 0), ==, "m4");
  g_assert_cmpstr (id_at (model, 1), ==, "m2");
  g_assert_null (inbox_store_lookup (f->store, "m1", NULL));
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 1);
  g_assert_cmpuint (count_events (f, "deleted"), ==, 2);
  assert_on_disk (f, 2, 1);

  /* an unknown id: an error, and nothing changed */
  g_assert_false (inbox_store_delete_many (f->store, unknown, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_NOT_FOUND);
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (count_events (f, NULL), ==, 2);
  assert_on_disk (f, 2, 1);
}

static void
test_delete_hidden_many (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const ids[] = { "m2", "m4", NULL };
  g_autoptr(GPtrArray) hidden = NULL;
  g_autoptr(GError) error = NULL;

  seed (f);
  /* a message hidden for Undo can be deleted with the others */
  inbox_store_hide (f->store, inbox_store_lookup (f->store, "m4", NULL));
  f->changes = 0;
  g_assert_true (inbox_store_delete_many (f->store, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->changes, ==, 1);
  hidden = inbox_store_get_hidden (f->store);
  g_assert_cmpuint (hidden->len, ==, 0);
  g_assert_cmpuint (count_events (f, "deleted"), ==, 2);
  assert_on_disk (f, 2, 2);
}

static void
test_delete_all (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  seed (f);
  f->changes = f->n_items_notifies = f->unread_notifies = 0;

  g_assert_true (inbox_store_delete_all (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_cmpuint (f->last_position, ==, 0);
  g_assert_cmpuint (f->last_removed, ==, 4);
  g_assert_cmpuint (f->last_added, ==, 0);
  g_assert_cmpuint (f->n_items_notifies, ==, 1);
  g_assert_cmpuint (f->unread_notifies, ==, 1);
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 0);
  g_assert_cmpuint (count_events (f, "deleted"), ==, 4);
  assert_on_disk (f, 0, 0);

  /* an empty inbox: nothing to do, no signal */
  g_assert_true (inbox_store_delete_all (f->store, &error));
  g_assert_cmpuint (f->changes, ==, 1);
}

/* Makes the cache fail inside its transaction, at the outbox event of
 * @message_id: a trigger added from another connection. */
static void
fail_at_event_for (Fixture    *f,
                   const char *message_id)
{
  g_autofree char *path = g_build_filename (f->dir, "inbox.sqlite", NULL);
  g_autofree char *sql = g_strdup_printf ("CREATE TRIGGER forced_failure BEFORE INSERT ON outbox "
                                          "WHEN NEW.message_id = '%s' "
                                          "BEGIN SELECT RAISE(ABORT, 'forced failure'); END;", message_id);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_all_or_nothing (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const ids[] = { "m4", "m3", "m1", NULL };
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (f->store);

  seed (f);
  /* m1 comes last in every batch below: the writes before it are undone */
  fail_at_event_for (f, "m1");
  f->changes = f->n_items_notifies = f->unread_notifies = 0;

  g_assert_false (inbox_store_set_read_many (f->store, ids, TRUE, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "forced failure"));
  g_clear_error (&error);
  g_assert_false (inbox_store_mark_all_read (f->store, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (inbox_message_get_read (inbox_store_lookup (f->store, "m4", NULL)));
  g_assert_false (inbox_message_get_read (inbox_store_lookup (f->store, "m3", NULL)));
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 3);

  g_assert_false (inbox_store_delete_many (f->store, ids, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (inbox_store_delete_all (f->store, &error));
  g_assert_error (error, INBOX_CACHE_ERROR, INBOX_CACHE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_nonnull (inbox_store_lookup (f->store, "m4", NULL));

  /* nothing in memory said anything, and nothing reached the disk */
  g_assert_cmpuint (f->changes, ==, 0);
  g_assert_cmpuint (f->n_items_notifies, ==, 0);
  g_assert_cmpuint (f->unread_notifies, ==, 0);
  g_assert_cmpuint (count_events (f, NULL), ==, 0);
  assert_on_disk (f, 4, 3);

  /* without m1 the same calls go through */
  g_assert_true (inbox_store_set_read_many (f->store, (const char * const []) { "m4", "m3", NULL }, TRUE, &error));
  g_assert_no_error (error);
  assert_on_disk (f, 4, 1);
}

static void
test_mark_all_read_10000 (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *json = test_util_messages_json (10000, "big", START);
  g_autoptr(GPtrArray) messages = test_util_parse_messages (json, START);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ts;

  inbox_cache_apply (f->cache, "alice", messages, NULL, NULL, START, NULL, &error);
  g_assert_no_error (error);
  inbox_store_load (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 8000);
  f->changes = f->unread_notifies = 0;

  g_assert_true (inbox_store_mark_all_read (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (inbox_store_get_unread_count (f->store), ==, 0);
  g_assert_cmpuint (f->unread_notifies, ==, 1);
  g_assert_cmpuint (f->changes, ==, 0);

  /* one batch of events, one per message that changed, all of one moment */
  events = inbox_cache_peek_outbox (f->cache, "alice", G_MAXUINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 8000);
  ts = ((InboxOutboxEvent *) g_ptr_array_index (events, 0))->ts;
  for (guint i = 0; i < events->len; i++)
    {
      InboxOutboxEvent *event = g_ptr_array_index (events, i);

      g_assert_cmpstr (event->type, ==, "read");
      g_assert_cmpint (event->ts, ==, ts);
    }
  assert_on_disk (f, 10000, 0);
}

/* --- content: loaded in a worker thread, never by a getter --- */

typedef struct {
  GThread *main_thread;
  GMutex   lock;
  guint    on_main;        /* statements run on the main thread */
  guint    elsewhere;      /* and on others */
  GThread *worker;         /* the last other thread seen */
  guint    n_workers;      /* how many times the other thread changed */
} Queries;

static void
count_query_cb (const char *sql,
                gpointer    user_data)
{
  Queries *q = user_data;
  GThread *self = g_thread_self ();

  g_mutex_lock (&q->lock);
  if (self == q->main_thread)
    q->on_main++;
  else
    {
      q->elsewhere++;
      if (self != q->worker)
        q->n_workers++;
      q->worker = self;
    }
  g_mutex_unlock (&q->lock);
}

static guint
n_loaded (GListModel *model)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    n += inbox_message_is_loaded (item (model, i));
  return n;
}

/* What a row does when it binds and builds its card (inbox-message-row.c):
 * hold the content, ask for it, and wait for InboxMessage:loaded. */
static void
test_content_no_io_on_main (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *json = test_util_messages_json (200, "big", START);
  g_autoptr(GPtrArray) messages = test_util_parse_messages (json, START);
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (f->store);
  Queries q = { 0 };

  inbox_cache_apply (f->cache, "alice", messages, NULL, NULL, START, NULL, &error);
  g_assert_no_error (error);
  inbox_store_load (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_loaded (model), ==, 0);

  g_mutex_init (&q.lock);
  q.main_thread = g_thread_self ();
  inbox_cache_set_query_hook (f->cache, count_query_cb, &q);

  /* ten rows bind in one main-loop turn: no statement on the main thread */
  for (guint i = 0; i < 10; i++)
    {
      InboxMessage *message = item (model, i);

      inbox_message_hold_content (message);
      inbox_message_request_content (message);
      inbox_message_request_content (message);  /* asking twice is once */
    }
  g_assert_cmpuint (q.on_main, ==, 0);
  g_assert_cmpuint (q.elsewhere, ==, 0);

  while (n_loaded (model) < 10)
    g_main_context_iteration (NULL, TRUE);

  /* read in one worker, one statement per message, none on the main thread */
  g_assert_cmpuint (q.on_main, ==, 0);
  g_assert_cmpuint (q.elsewhere, ==, 10);
  g_assert_cmpuint (q.n_workers, ==, 1);
  g_assert_cmpuint (n_loaded (model), ==, 10);
  g_assert_cmpstr (inbox_content_get_title (inbox_message_get_content (item (model, 3), 0)), ==, "big title 3.0");

  /* a getter of a message not loaded answers empty, loudly, without I/O */
  g_test_expect_message ("inbox-message", G_LOG_LEVEL_CRITICAL, "*content of message * is not loaded*");
  g_assert_null (inbox_message_get_custom_kv (item (model, 50)));
  g_test_assert_expected_messages ();
  g_test_expect_message ("inbox-message", G_LOG_LEVEL_CRITICAL, "*content of message * is not loaded*");
  g_assert_cmpuint (inbox_message_get_n_contents (item (model, 50)), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_false (inbox_message_is_loaded (item (model, 50)));
  g_assert_cmpuint (q.on_main, ==, 0);

  /* the rows go: so does the content (memory follows the screen) */
  for (guint i = 0; i < 10; i++)
    inbox_message_release_content (item (model, i));
  g_assert_cmpuint (n_loaded (model), ==, 0);

  /* content that arrives after its row has gone is not kept */
  inbox_message_hold_content (item (model, 20));
  inbox_message_request_content (item (model, 20));
  inbox_message_release_content (item (model, 20));
  while (q.elsewhere < 11)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_loaded (model), ==, 0);

  /* two rows showing one message (two tabs): it stays until both go */
  inbox_message_hold_content (item (model, 30));
  inbox_message_hold_content (item (model, 30));
  inbox_message_request_content (item (model, 30));
  while (!inbox_message_is_loaded (item (model, 30)))
    g_main_context_iteration (NULL, TRUE);
  inbox_message_release_content (item (model, 30));
  g_assert_true (inbox_message_is_loaded (item (model, 30)));
  inbox_message_release_content (item (model, 30));
  g_assert_false (inbox_message_is_loaded (item (model, 30)));

  /* what a host app loads stays, held or not */
  {
    g_autoptr(GPtrArray) some = g_ptr_array_new ();

    g_ptr_array_add (some, item (model, 40));
    g_ptr_array_add (some, item (model, 41));
    load_content (f->store, some);
    g_assert_true (inbox_message_is_loaded (item (model, 40)));
    g_assert_nonnull (inbox_message_get_custom_kv (item (model, 41)));
    inbox_message_hold_content (item (model, 40));
    inbox_message_release_content (item (model, 40));
    g_assert_true (inbox_message_is_loaded (item (model, 40)));
  }
  g_assert_cmpuint (q.on_main, ==, 0);

  inbox_cache_set_query_hook (f->cache, NULL, NULL);
  g_mutex_clear (&q.lock);
}

static void
test_content_unreadable (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "inbox.sqlite", NULL);
  InboxMessage *m4;
  sqlite3 *db = NULL;

  seed (f);
  /* a stored message that no longer parses */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE messages SET json = '{\"msg\": 3}' WHERE id = 'm4'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  inbox_store_load (f->store, NULL);
  m4 = inbox_store_lookup (f->store, "m4", NULL);

  /* its load finishes: the row builds an empty card, quietly */
  inbox_message_hold_content (m4);
  inbox_message_request_content (m4);
  while (!inbox_message_is_loaded (m4))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (inbox_message_get_n_contents (m4), ==, 0);
  g_assert_null (inbox_message_get_bg (m4));
  inbox_message_release_content (m4);
}

static void
test_record_unloaded (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  InboxMessage *m1;

  seed (f);
  inbox_store_load (f->store, &error);
  m1 = inbox_store_lookup (f->store, "m1", NULL);
  g_assert_false (inbox_message_is_loaded (m1));

  /* raised from code for a message never shown: its wzrk_* fields go along */
  g_assert_true (inbox_store_record_viewed (f->store, m1, &error));
  g_assert_no_error (error);
  g_assert_true (inbox_store_record_clicked (f->store, m1, "Go", &error));
  g_assert_false (inbox_message_is_loaded (m1));
  /* a repeat within the debounce is dropped */
  g_assert_false (inbox_store_record_viewed (f->store, m1, &error));
  g_assert_no_error (error);

  events = inbox_cache_peek_outbox (f->cache, "alice", 10, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 0))->type, ==, "Notification Viewed");
  g_assert_nonnull (strstr (((InboxOutboxEvent *) g_ptr_array_index (events, 0))->props, "\"wzrk_id\":\"w-m1\""));
  g_assert_nonnull (strstr (((InboxOutboxEvent *) g_ptr_array_index (events, 1))->props, "\"wzrk_c2a\":\"Go\""));

  /* the same as for a loaded message */
  f->now += INBOX_STORE_VIEWED_DEBOUNCE;
  g_assert_cmpstr (title_of (f->store, m1), ==, "One");
  g_assert_true (inbox_store_record_viewed (f->store, m1, &error));
  g_clear_pointer (&events, g_ptr_array_unref);
  events = inbox_cache_peek_outbox (f->cache, "alice", 10, &error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpstr (((InboxOutboxEvent *) g_ptr_array_index (events, 2))->props, ==,
                   ((InboxOutboxEvent *) g_ptr_array_index (events, 0))->props);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/load-newest-first", test_load_newest_first);
  ADD ("/store/set-read", test_set_read);
  ADD ("/store/delete", test_delete);
  ADD ("/store/merge-in-place", test_merge_in_place);
  ADD ("/store/expiry", test_expiry);
  ADD ("/store/expiry-timer", test_expiry_timer);
  ADD ("/store/users", test_users);
  ADD ("/store/lazy-load-async", test_lazy_load_async);
  ADD ("/store/tag-filter", test_tag_filter);
  ADD ("/store/open-async", test_open_async);
  ADD ("/store/loaded", test_loaded);
  ADD ("/store/dup-unread", test_dup_unread);
  ADD ("/store/set-read-many", test_set_read_many);
  ADD ("/store/delete-many", test_delete_many);
  ADD ("/store/delete-hidden-many", test_delete_hidden_many);
  ADD ("/store/delete-all", test_delete_all);
  ADD ("/store/all-or-nothing", test_all_or_nothing);
  ADD ("/store/mark-all-read-10000", test_mark_all_read_10000);
  ADD ("/store/content/no-io-on-main", test_content_no_io_on_main);
  ADD ("/store/content/unreadable", test_content_unreadable);
  ADD ("/store/content/record-unloaded", test_record_unloaded);

#undef ADD

  return g_test_run ();
}
