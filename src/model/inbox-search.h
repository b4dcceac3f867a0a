/* inbox-search.h: what a user typed in the search entry, made safe for FTS5
 *
 * The cache indexes messages with SQLite FTS5 (`unicode61 remove_diacritics
 * 2`); a search is each typed word as a prefix query, every word needed.
 * The same object finds the matching words in a card's text for the
 * highlights, through FTS5 itself, so that what is highlighted folds case
 * and diacritics exactly as the search did ("uber" highlights "Über").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INBOX_TYPE_SEARCH (inbox_search_get_type ())

G_DECLARE_FINAL_TYPE (InboxSearch, inbox_search, INBOX, SEARCH, GObject)

/* One highlight: bytes [start, end) of the text given to inbox_search_find(). */
typedef struct {
  guint start;
  guint end;
} InboxSearchRange;

InboxSearch *inbox_search_new             (const char   *text);
const char  *inbox_search_get_text        (InboxSearch  *self);
guint        inbox_search_get_n_words     (InboxSearch  *self);
const char  *inbox_search_get_expression  (InboxSearch  *self);
GArray      *inbox_search_find            (InboxSearch  *self,
                                           const char   *text);

char        *inbox_search_normalize       (const char   *text,
                                           GArray       *offsets);

G_END_DECLS
