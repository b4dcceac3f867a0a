/* inbox-search.c
 *
 * A search is the words of what was typed, split at white space, each one
 * quoted as an FTS5 string (an inner `"` doubled, so no character of the
 * query is FTS syntax) and made a prefix query: `"über"* "preis"*`. A word
 * with no letter or digit in it is left out. Arabic vowel marks and the
 * tatweel are taken out of the query and of the indexed text alike
 * (inbox_search_normalize()): unicode61 splits a word at them, so that a
 * vowelled word would otherwise never match its plain spelling.
 *
 * The highlights ask FTS5 itself: the text goes into a one-row FTS5 table
 * in memory, with the same tokenizer, and highlight() marks the tokens that
 * any of the words matches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-search"

#include <sqlite3.h>
#include <string.h>

#include "inbox-search.h"

struct _InboxSearch
{
  GObject   parent_instance;

  char     *text;
  guint     n_words;
  char     *expression;     /* every word: for the cache */
  char     *any_expression; /* any word: for the highlights */
};

G_DEFINE_FINAL_TYPE (InboxSearch, inbox_search, G_TYPE_OBJECT)

/* The highlighter: one FTS5 table in memory for the process. */
typedef struct {
  GMutex        lock;
  sqlite3      *db;
  sqlite3_stmt *put;
  sqlite3_stmt *mark;
} Highlighter;

#define MARK_START '\x01'
#define MARK_END   '\x02'

static gboolean
is_ignored_mark (gunichar c)
{
  /* Arabic harakat, Quranic marks, superscript alef, and the tatweel */
  return (c >= 0x0610 && c <= 0x061A) ||
         (c >= 0x064B && c <= 0x065F) ||
         c == 0x0640 || c == 0x0670 ||
         (c >= 0x06D6 && c <= 0x06DC) ||
         (c >= 0x06DF && c <= 0x06E4) ||
         c == 0x06E7 || c == 0x06E8 ||
         (c >= 0x06EA && c <= 0x06ED);
}

/**
 * inbox_search_normalize:
 * @text: UTF-8 text
 * @offsets: (nullable) (element-type guint): filled with, for each byte of
 *   the result and one past its end, the byte offset in @text it comes from
 *
 * @text without the marks that the search ignores (Arabic vowel marks and
 * the tatweel): what the cache indexes, and what a query is made of.
 *
 * Returns: (transfer full): the text to index or search
 */
char *
inbox_search_normalize (const char *text,
                        GArray     *offsets)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  if (offsets != NULL)
    g_array_set_size (offsets, 0);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_string_append (out, text);
      for (guint i = 0; offsets != NULL && i <= out->len; i++)
        g_array_append_val (offsets, i);
      return g_string_free (out, FALSE);
    }

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);

      if (is_ignored_mark (g_utf8_get_char (p)))
        continue;
      for (const char *b = p; b < next; b++)
        {
          guint from = (guint) (b - text);

          g_string_append_c (out, *b);
          if (offsets != NULL)
            g_array_append_val (offsets, from);
        }
    }
  if (offsets != NULL)
    {
      guint end = (guint) (p - text);

      g_array_append_val (offsets, end);
    }

  return g_string_free (out, FALSE);
}

static gboolean
has_alnum (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
build_expressions (InboxSearch *self)
{
  g_autofree char *normal = inbox_search_normalize (self->text, NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GString) any = g_string_new (NULL);
  const char *p = normal;

  while (*p != '\0')
    {
      g_autoptr(GString) quoted = g_string_new ("\"");
      const char *start;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;

      {
        g_autofree char *word = g_strndup (start, p - start);

        if (!has_alnum (word))
          continue;
        for (const char *c = word; *c != '\0'; c++)
          {
            if (*c == '"')
              g_string_append_c (quoted, '"');
            g_string_append_c (quoted, *c);
          }
      }
      g_string_append (quoted, "\"*");

      if (all->len > 0)
        {
          g_string_append_c (all, ' ');
          g_string_append (any, " OR ");
        }
      g_string_append (all, quoted->str);
      g_string_append (any, quoted->str);
      self->n_words++;
    }

  self->expression = g_string_free (g_steal_pointer (&all), FALSE);
  self->any_expression = g_string_free (g_steal_pointer (&any), FALSE);
}

static void
inbox_search_finalize (GObject *object)
{
  InboxSearch *self = (InboxSearch *) object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->expression, g_free);
  g_clear_pointer (&self->any_expression, g_free);

  G_OBJECT_CLASS (inbox_search_parent_class)->finalize (object);
}

static void
inbox_search_class_init (InboxSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inbox_search_finalize;
}

static void
inbox_search_init (InboxSearch *self)
{
}

/**
 * inbox_search_new:
 * @text: (nullable): what the user typed
 *
 * Returns: (transfer full): the search for @text; without a word in it
 *   (inbox_search_get_n_words() is 0) it matches nothing
 */
InboxSearch *
inbox_search_new (const char *text)
{
  InboxSearch *self = g_object_new (INBOX_TYPE_SEARCH, NULL);

  self->text = g_strdup (text != NULL ? text : "");
  build_expressions (self);
  return self;
}

const char *
inbox_search_get_text (InboxSearch *self)
{
  g_return_val_if_fail (INBOX_IS_SEARCH (self), NULL);

  return self->text;
}

/* How many words the search needs (0: it matches nothing). */
guint
inbox_search_get_n_words (InboxSearch *self)
{
  g_return_val_if_fail (INBOX_IS_SEARCH (self), 0);

  return self->n_words;
}

/* The FTS5 MATCH expression: every word as a prefix; "" without words. */
const char *
inbox_search_get_expression (InboxSearch *self)
{
  g_return_val_if_fail (INBOX_IS_SEARCH (self), NULL);

  return self->expression;
}

static Highlighter *
get_highlighter (void)
{
  static gsize once;
  static Highlighter *highlighter;

  if (g_once_init_enter (&once))
    {
      Highlighter *h = g_new0 (Highlighter, 1);
      int rc;

      g_mutex_init (&h->lock);
      rc = sqlite3_open_v2 (":memory:", &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (h->db,
                           "CREATE VIRTUAL TABLE h USING fts5 (t, tokenize = 'unicode61 remove_diacritics 2')",
                           NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3 (h->db, "INSERT OR REPLACE INTO h (rowid, t) VALUES (1, ?1)", -1,
                                 SQLITE_PREPARE_PERSISTENT, &h->put, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3 (h->db, "SELECT highlight (h, 0, char (1), char (2)) FROM h WHERE h MATCH ?1", -1,
                                 SQLITE_PREPARE_PERSISTENT, &h->mark, NULL);
      if (rc != SQLITE_OK)
        {
          g_warning ("Search highlights are off: %s", h->db != NULL ? sqlite3_errmsg (h->db) : sqlite3_errstr (rc));
          sqlite3_finalize (h->put);
          sqlite3_finalize (h->mark);
          sqlite3_close (h->db);
          h->db = NULL;
          h->put = h->mark = NULL;
        }
      highlighter = h;
      g_once_init_leave (&once, 1);
    }

  return highlighter;
}

/* The byte ranges of @normal that @marked (highlight()'s output for it)
 * marks. */
static void
read_marks (const char *marked,
            GArray     *ranges)
{
  guint removed = 0, start = 0;

  for (guint i = 0; marked[i] != '\0'; i++)
    {
      if (marked[i] == MARK_START)
        {
          start = i - removed;
          removed++;
        }
      else if (marked[i] == MARK_END)
        {
          InboxSearchRange range = { start, i - removed };

          removed++;
          if (range.end > range.start)
            g_array_append_val (ranges, range);
        }
    }
}

/**
 * inbox_search_find:
 * @text: (nullable): a text of a card
 *
 * The words of @text that the search matches, as FTS5 matches them (case
 * and diacritics folded, each search word a prefix): any search word counts.
 *
 * Returns: (transfer full) (element-type InboxSearchRange): byte ranges of
 *   @text, in order; empty when nothing matches
 */
GArray *
inbox_search_find (InboxSearch *self,
                   const char  *text)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (InboxSearchRange));
  g_autoptr(GArray) offsets = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *marked = NULL;
  Highlighter *h;
  int rc;

  g_return_val_if_fail (INBOX_IS_SEARCH (self), NULL);

  if (text == NULL || *text == '\0' || self->n_words == 0)
    return g_steal_pointer (&ranges);

  h = get_highlighter ();
  if (h->db == NULL)
    return g_steal_pointer (&ranges);

  offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  normal = inbox_search_normalize (text, offsets);
  /* the markers stand for themselves in the output: in the input they
   * become spaces, which split words just as they did */
  for (char *p = normal; *p != '\0'; p++)
    if (*p == MARK_START || *p == MARK_END)
      *p = ' ';

  g_mutex_lock (&h->lock);
  sqlite3_reset (h->put);
  sqlite3_bind_text (h->put, 1, normal, -1, SQLITE_STATIC);
  rc = sqlite3_step (h->put);
  sqlite3_reset (h->put);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (h->mark);
      sqlite3_bind_text (h->mark, 1, self->any_expression, -1, SQLITE_STATIC);
      rc = sqlite3_step (h->mark);
      if (rc == SQLITE_ROW)
        marked = g_strdup ((const char *) sqlite3_column_text (h->mark, 0));
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
      sqlite3_reset (h->mark);
    }
  if (rc != SQLITE_OK && rc != SQLITE_ROW)
    g_warning ("Could not find “%s” in a text: %s", self->text, sqlite3_errmsg (h->db));
  g_mutex_unlock (&h->lock);

  if (marked == NULL)
    return g_steal_pointer (&ranges);

  read_marks (marked, ranges);
  /* back to the bytes of @text: a word's end reaches over the marks
   * that were taken out after it */
  for (guint i = 0; i < ranges->len; i++)
    {
      InboxSearchRange *range = &g_array_index (ranges, InboxSearchRange, i);

      range->start = g_array_index (offsets, guint, range->start);
      range->end = g_array_index (offsets, guint, range->end);
    }

  return g_steal_pointer (&ranges);
}
