/* test-search.c: search in the cache (FTS5): German and Arabic, prefixes,
 * FTS syntax in what a user types, the index in step with every write,
 * the migration of a cache of the version before, and the highlights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "inbox-cache.h"
#include "inbox-search.h"
#include "test-util.h"

#define NOW ((gint64) 1716500000)

typedef struct {
  char       *dir;
  char       *path;
  InboxCache *cache;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = test_util_make_tmpdir ();
  f->path = g_build_filename (f->dir, "inbox.sqlite", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->cache);
  test_util_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
open_cache (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->cache);
  f->cache = inbox_cache_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->cache);
}

/* One message: a title and text per slide ("|" between slides), a button. */
static InboxMessage *
message (const char *id,
         gint64      date,
         const char *tags_json,
         const char *titles,
         const char *texts,
         const char *button)
{
  g_auto(GStrv) title = g_strsplit (titles, "|", -1);
  g_auto(GStrv) text = g_strsplit (texts != NULL ? texts : "", "|", -1);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GPtrArray) messages = NULL;
  guint n = g_strv_length (title);

  g_string_append_printf (json, "{\"_id\":\"%s\",\"date\":%" G_GINT64_FORMAT ",\"msg\":{\"type\":\"%s\","
                          "\"tags\":%s,\"content\":[",
                          id, date, n > 1 ? "carousel" : "simple", tags_json != NULL ? tags_json : "[]");
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (json, "%s{\"title\":{\"text\":\"%s\"}", i > 0 ? "," : "", title[i]);
      if (i < g_strv_length (text) && *text[i] != '\0')
        g_string_append_printf (json, ",\"message\":{\"text\":\"%s\"}", text[i]);
      if (button != NULL)
        g_string_append_printf (json, ",\"action\":{\"hasLinks\":true,\"links\":[{\"type\":\"url\",\"text\":\"%s\","
                                "\"url\":{\"desktop\":{\"text\":\"https://example.com/\"}}}]}", button);
      g_string_append (json, "}");
    }
  g_string_append (json, "]}}");

  messages = test_util_parse_messages (json->str, date);
  return g_object_ref (g_ptr_array_index (messages, 0));
}

static void
apply (Fixture            *f,
       const char         *user,
       InboxMessage       *first,
       ...)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first);
  for (InboxMessage *m = first; m != NULL; m = va_arg (args, InboxMessage *))
    g_ptr_array_add (messages, m);
  va_end (args);

  inbox_cache_apply (f->cache, user, messages, NULL, NULL, NOW, NULL, &error);
  g_assert_no_error (error);
}

/* The ids found for @text, joined by spaces ("" for none). */
static char *
search_for (Fixture    *f,
            const char *user,
            const char *text)
{
  g_autoptr(InboxSearch) search = inbox_search_new (text);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = inbox_cache_search (f->cache, user, search, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

#define assert_found(f, user, text, expected) \
  G_STMT_START { \
    g_autofree char *found_ = search_for ((f), (user), (text)); \
    g_assert_cmpstr (found_, ==, (expected)); \
  } G_STMT_END

/* The FTS5 index agrees with the messages table, row for row. */
static void
assert_index_in_step (Fixture *f)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)",
                     NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error ("the search index is out of step: %s", message);
  sqlite3_close (db);
}

static void
test_german (Fixture       *f,
             gconstpointer  data)
{
  open_cache (f);
  apply (f, "alice",
         message ("de-1", NOW - 100, "[\"Angebote\"]", "Über den Wolken", "Straßenfest in Köln", "Jetzt buchen"),
         message ("de-2", NOW - 200, NULL, "Grüße aus Zürich", "Bis bald", NULL),
         NULL);

  /* case and diacritics fold, both ways */
  assert_found (f, "alice", "uber", "de-1");
  assert_found (f, "alice", "ÜBER", "de-1");
  assert_found (f, "alice", "koln", "de-1");
  assert_found (f, "alice", "Köln", "de-1");
  assert_found (f, "alice", "grusse", "");  /* ß is a letter of its own, as in FTS5 */
  assert_found (f, "alice", "grüße zurich", "de-2");
  assert_found (f, "alice", "Straßenfest", "de-1");
  /* button labels and tags */
  assert_found (f, "alice", "buchen", "de-1");
  assert_found (f, "alice", "angebot", "de-1");
  assert_found (f, "alice", "wolken bald", "");
  assert_index_in_step (f);
}

static void
test_arabic (Fixture       *f,
             gconstpointer  data)
{
  open_cache (f);
  apply (f, "alice",
         /* the second slide's text is vowelled (harakat, tanween) */
         message ("ar-1", NOW - 100, "[\"عروض\"]", "عرض خاص|الشريحة الثانية", "|مَرْحَبًا بكم في متجرنا", NULL),
         message ("ar-2", NOW - 200, NULL, "مرحبا", "شكرًا لك", "تسوق الآن"),
         NULL);

  assert_found (f, "alice", "مرحبا", "ar-1 ar-2");
  assert_found (f, "alice", "مَرْحَبًا", "ar-1 ar-2");
  assert_found (f, "alice", "متجر", "ar-1");          /* a prefix */
  assert_found (f, "alice", "شكرا", "ar-2");
  assert_found (f, "alice", "عرض خاص", "ar-1");
  assert_found (f, "alice", "تسوق", "ar-2");          /* a button */
  assert_found (f, "alice", "عروض", "ar-1");          /* a tag */
  assert_found (f, "alice", "الثانية", "ar-1");       /* the second slide */
  assert_found (f, "alice", "خاص متجرنا", "ar-1");    /* words of two slides */
  assert_found (f, "alice", "خاص لك", "");
}

static void
test_prefix (Fixture       *f,
             gconstpointer  data)
{
  open_cache (f);
  apply (f, "alice",
         message ("order", NOW - 100, NULL, "Your order has shipped", "Track it on the way", "Track"),
         message ("offer", NOW - 50, NULL, "Weekend offer", "Half price coffee", NULL),
         message ("old", NOW - 300, NULL, "Order again?", NULL, NULL),
         NULL);

  /* newest first */
  assert_found (f, "alice", "o", "offer order old");
  assert_found (f, "alice", "ord", "order old");
  assert_found (f, "alice", "rder", "");              /* a prefix, not a substring */
  assert_found (f, "alice", "ORDER shipp", "order");  /* every word */
  assert_found (f, "alice", "  week   coff  ", "offer");
  assert_found (f, "alice", "week tea", "");
  assert_found (f, "alice", "", "");
}

static void
test_syntax (Fixture       *f,
             gconstpointer  data)
{
  static const char * const typed[] = {
    "\"", "\"\"", "\"order", "order\"", "or\"der", "*", "order*", "(order", "order)", "()",
    "title:order", ":", "^order", "-order", "+order", "order AND", "AND", "OR", "NOT order",
    "NEAR(order shipped)", "NEAR", "{title body}: order", "order OR", "'", "order'", "\\", "%", "_",
    "e-mail", "a.b", "\x01order\x02", "order\n", "\t",
  };

  open_cache (f);
  apply (f, "alice",
         message ("order", NOW - 100, NULL, "Your order has shipped", "Write an e-mail to a.b", NULL),
         message ("and", NOW - 50, NULL, "And now or never", NULL, NULL),
         NULL);

  /* nothing a user types is FTS syntax, and nothing makes the search fail */
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_autofree char *found = search_for (f, "alice", typed[i]);

      g_test_message ("%s → %s", typed[i], found);
    }

  assert_found (f, "alice", "\"order", "order");
  assert_found (f, "alice", "order*", "order");
  assert_found (f, "alice", "title:order", "");        /* not a column filter: "title order" */
  assert_found (f, "alice", "(order)", "order");
  assert_found (f, "alice", "NOT order", "");           /* "not" is a word here */
  assert_found (f, "alice", "and", "and");              /* and "and" too */
  assert_found (f, "alice", "or", "and order");
  assert_found (f, "alice", "e-mail", "order");
  assert_found (f, "alice", "a.b", "order");
  assert_found (f, "alice", "-order", "order");
  assert_found (f, "alice", "order \"\" ***", "order");  /* a word without letters is left out */

  {
    g_autoptr(InboxSearch) nothing = inbox_search_new ("\"\" *** ( )");

    g_assert_cmpuint (inbox_search_get_n_words (nothing), ==, 0);
    assert_found (f, "alice", "\"\" *** ( )", "");
  }
}

static void
test_in_step (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *deleted[] = { "synced-away", NULL };

  open_cache (f);
  apply (f, "alice",
         message ("a", NOW - 100, NULL, "Apples today", NULL, NULL),
         message ("b", NOW - 90, NULL, "Bananas today", NULL, NULL),
         message ("synced-away", NOW - 80, NULL, "Cherries today", NULL, NULL),
         message ("read-me", NOW - 70, NULL, "Dates today", NULL, NULL),
         NULL);
  apply (f, "bob", message ("bob-1", NOW - 60, NULL, "Apples for Bob", NULL, NULL), NULL);
  assert_found (f, "alice", "today", "read-me synced-away b a");
  assert_found (f, "alice", "apples", "a");
  assert_found (f, "bob", "apples", "bob-1");

  /* a newer copy replaces the words; an older one does not */
  apply (f, "alice", message ("a", NOW - 50, NULL, "Avocados now", NULL, NULL), NULL);
  assert_found (f, "alice", "apples", "");
  assert_found (f, "alice", "avocados", "a");
  apply (f, "alice", message ("a", NOW - 500, NULL, "Apricots then", NULL, NULL), NULL);
  assert_found (f, "alice", "apricots", "");
  assert_found (f, "alice", "avocados", "a");

  /* the read state changes no word */
  g_assert_true (inbox_cache_set_read (f->cache, "alice", "read-me", TRUE, NOW, &error));
  g_assert_no_error (error);
  assert_found (f, "alice", "dates", "read-me");

  /* deleted here, and deleted by a sync */
  g_assert_true (inbox_cache_delete_message (f->cache, "alice", "b", NOW, &error));
  g_assert_no_error (error);
  assert_found (f, "alice", "bananas", "");
  g_assert_true (inbox_cache_apply (f->cache, "alice", NULL, deleted, NULL, NOW, NULL, &error));
  g_assert_no_error (error);
  assert_found (f, "alice", "cherries", "");
  assert_found (f, "alice", "today", "read-me");
  assert_index_in_step (f);

  /* a re-delivery of a deleted message stays out of the results too */
  apply (f, "alice", message ("b", NOW, NULL, "Bananas again", NULL, NULL), NULL);
  assert_found (f, "alice", "bananas", "");

  /* expired, then signed out */
  apply (f, "alice", message ("short", NOW - 10, NULL, "Elderberries", NULL, NULL), NULL);
  {
    g_autoptr(GPtrArray) expiring = test_util_parse_messages (
      "{\"_id\":\"short\",\"date\":1716499990,\"wzrk_ttl\":1716500100,"
      "\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"Elderberries soon gone\"}}]}}", NOW);
    g_autoptr(GPtrArray) list = NULL;

    g_assert_true (inbox_cache_apply (f->cache, "alice", expiring, NULL, NULL, NOW, NULL, &error));
    g_assert_no_error (error);
    assert_found (f, "alice", "elderberries", "short");
    list = inbox_cache_load_list (f->cache, "alice", NOW + 200, &error);
    g_assert_no_error (error);
    assert_found (f, "alice", "elderberries", "");
  }
  g_assert_true (inbox_cache_forget_user (f->cache, "alice", &error));
  g_assert_no_error (error);
  assert_found (f, "alice", "avocados", "");
  assert_found (f, "bob", "apples", "bob-1");
  assert_index_in_step (f);
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
test_migrate_from_v2 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *sql = g_test_build_filename (G_TEST_DIST, "..", "data", "cache-v2.sql", NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  exec_sql_file (f->path, sql);
  open_cache (f);
  g_assert_cmpint (inbox_cache_get_schema_version (f->cache), ==, INBOX_CACHE_SCHEMA_VERSION);

  /* the messages of before are searchable, by every field */
  assert_found (f, "alice", "uber", "v2-de");
  assert_found (f, "alice", "koln", "v2-de");
  assert_found (f, "alice", "buchen", "v2-de");
  assert_found (f, "alice", "angebote", "v2-de");
  assert_found (f, "alice", "مرحبا", "v2-ar");
  assert_found (f, "alice", "الثانية", "v2-ar");
  assert_found (f, "alice", "عروض", "v2-ar");
  assert_found (f, "bob", "uber", "v2-bob");
  assert_index_in_step (f);

  /* and the list is as it was, the message that no longer parses in it */
  list = inbox_cache_load_list (f->cache, "alice", NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (inbox_message_get_id (g_ptr_array_index (list, 0)), ==, "v2-ar");

  /* new writes keep it in step */
  apply (f, "alice", message ("new", NOW, NULL, "Über neue Wolken", NULL, NULL), NULL);
  assert_found (f, "alice", "wolken", "new v2-de");
  g_assert_true (inbox_cache_delete_message (f->cache, "alice", "v2-de", NOW, &error));
  g_assert_no_error (error);
  assert_found (f, "alice", "wolken", "new");
  assert_index_in_step (f);

  /* opening it again migrates nothing more */
  open_cache (f);
  g_assert_cmpint (inbox_cache_get_schema_version (f->cache), ==, INBOX_CACHE_SCHEMA_VERSION);
  assert_found (f, "alice", "wolken", "new");
}

/* @text with [ and ] around what inbox_search_find() marks. */
static char *
marked (const char *search_text,
        const char *text)
{
  g_autoptr(InboxSearch) search = inbox_search_new (search_text);
  g_autoptr(GArray) ranges = inbox_search_find (search, text);
  g_autoptr(GString) out = g_string_new (NULL);
  guint at = 0;

  for (guint i = 0; i < ranges->len; i++)
    {
      InboxSearchRange *range = &g_array_index (ranges, InboxSearchRange, i);

      g_assert_cmpuint (range->start, >=, at);
      g_assert_cmpuint (range->end, >, range->start);
      g_string_append_len (out, text + at, range->start - at);
      g_string_append_c (out, '[');
      g_string_append_len (out, text + range->start, range->end - range->start);
      g_string_append_c (out, ']');
      at = range->end;
    }
  g_string_append (out, text + at);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_marked(search, text, expected) \
  G_STMT_START { \
    g_autofree char *marked_ = marked ((search), (text)); \
    g_assert_cmpstr (marked_, ==, (expected)); \
  } G_STMT_END

static void
test_highlight (void)
{
  assert_marked ("uber", "Über den Wolken, über alles", "[Über] den Wolken, [über] alles");
  assert_marked ("KOLN fest", "Straßenfest in Köln", "Straßenfest in [Köln]");
  assert_marked ("straßen", "Straßenfest in Köln", "[Straßenfest] in Köln");
  assert_marked ("ord ship", "Your order has shipped, ORDERS", "Your [order] has [shipped], [ORDERS]");
  assert_marked ("rder", "Your order", "Your order");
  assert_marked ("e-mail", "Write an e-mail", "Write an [e-mail]");
  assert_marked ("\"order", "\"order\" (order)", "\"[order]\" ([order])");
  assert_marked ("order", "\x01order\x02 order", "\x01[order]\x02 [order]");
  assert_marked ("", "Your order", "Your order");
  assert_marked ("***", "Your order", "Your order");
  /* Arabic: the vowel marks inside and after a word are in its highlight */
  assert_marked ("مرحبا", "مَرْحَبًا بكم", "[مَرْحَبًا] بكم");
  assert_marked ("متجر", "في متجرنا", "في [متجرنا]");
  assert_marked ("شكرا", "شكرًا لك", "[شكرًا] لك");
}

static void
test_normalize (void)
{
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *plain = inbox_search_normalize ("مَرْحَبًا", offsets);
  g_autofree char *latin = inbox_search_normalize ("Über", NULL);

  g_assert_cmpstr (plain, ==, "مرحبا");
  g_assert_cmpuint (offsets->len, ==, strlen (plain) + 1);
  g_assert_cmpuint (g_array_index (offsets, guint, offsets->len - 1), ==, strlen ("مَرْحَبًا"));
  g_assert_cmpstr (latin, ==, "Über");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/search/german", test_german);
  ADD ("/search/arabic", test_arabic);
  ADD ("/search/prefix", test_prefix);
  ADD ("/search/syntax", test_syntax);
  ADD ("/search/in-step", test_in_step);
  ADD ("/search/migrate-from-v2", test_migrate_from_v2);
  g_test_add_func ("/search/highlight", test_highlight);
  g_test_add_func ("/search/normalize", test_normalize);

#undef ADD

  return g_test_run ();
}
