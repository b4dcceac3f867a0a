/* test-search-view.c: search and the unread filter in an InboxView: the
 * filter chain of each tab, stale results dropped, new messages searched,
 * the "no results" page, the inbox.search action, and the highlights
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "inbox-client-private.h"
#include "inbox-message-row.h"
#include "inbox-payload.h"
#include "inbox-template-widget.h"
#include "inbox-view-private.h"
#include "test-util.h"

#define NOW ((gint64) 1764340000)

typedef struct {
  InboxCache  *cache;
  InboxStore  *store;
  InboxClient *client;
  GtkWidget   *window;
  InboxView   *view;
} Fixture;

static InboxMessage *
message (const char *id,
         gint64      date,
         gboolean    read,
         const char *tags_json,
         const char *title,
         const char *text)
{
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  json = g_strdup_printf ("{\"_id\":\"%s\",\"date\":%" G_GINT64_FORMAT ",\"isRead\":%s,"
                          "\"msg\":{\"type\":\"simple\",\"tags\":%s,\"content\":[{\"title\":{\"text\":\"%s\"},"
                          "\"message\":{\"text\":\"%s\"}}]}}",
                          id, date, read ? "true" : "false", tags_json, title, text);
  items = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (items, 0);
  g_assert_no_error (item->error);
  return g_object_ref (item->message);
}

static void
merge (Fixture      *f,
       InboxMessage *first,
       ...)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first);
  for (InboxMessage *m = first; m != NULL; m = va_arg (args, InboxMessage *))
    g_ptr_array_add (messages, m);
  va_end (args);

  inbox_store_merge (f->store, messages, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InboxMediaCache) media = inbox_media_cache_new (g_get_tmp_dir ());
  const char *tags[] = { "news", NULL };

  f->cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, &error);
  g_assert_no_error (error);
  f->store = inbox_store_new (f->cache, "tester");
  f->client = inbox_client_new_for_store (f->store, media, TRUE);

  merge (f,
         message ("a", NOW - 100, FALSE, "[\"news\"]", "Your order has shipped", "It is on its way"),
         message ("b", NOW - 200, TRUE, "[]", "Weekend offer", "Half price coffee"),
         message ("c", NOW - 300, FALSE, "[]", "Über uns", "Grüße aus Köln"),
         message ("d", NOW - 400, TRUE, "[\"news\"]", "Orders again", "Order once more"),
         NULL);
  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_READY, NULL);

  f->view = INBOX_VIEW (inbox_view_new (f->client));
  inbox_view_set_tags (f->view, tags);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 480, 900);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->client);
  g_clear_object (&f->store);
  g_clear_object (&f->cache);
}

static gboolean
search_done (gpointer view)
{
  return !inbox_view_is_searching (view);
}

static void
search (Fixture    *f,
        const char *query)
{
  inbox_view_set_search_query (f->view, query);
  test_util_wait_for (search_done, f->view);
}

static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The tab's stack: its list, its empty state or no results. */
static GtkStack *
tab_stack (Fixture    *f,
           const char *tab)
{
  AdwViewStack *stack = inbox_view_get_view_stack (f->view);

  return GTK_STACK (adw_view_stack_get_child_by_name (stack, tab));
}

/* The ids a tab lists, in order, joined by spaces. */
static char *
listed (Fixture    *f,
        const char *tab)
{
  GtkWidget *list = find_widget (GTK_WIDGET (tab_stack (f, tab)), GTK_TYPE_LIST_VIEW);
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(InboxMessage) m = g_list_model_get_item (model, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", inbox_message_get_id (m));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define assert_listed(f, tab, expected) \
  G_STMT_START { \
    g_autofree char *listed_ = listed ((f), (tab)); \
    g_assert_cmpstr (listed_, ==, (expected)); \
  } G_STMT_END

static void
test_filter_chain (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwStatusPage *no_results;

  assert_listed (f, "all", "a b c d");
  assert_listed (f, "tag-0", "a d");

  /* unread only, in every tab */
  inbox_view_set_unread_only (f->view, TRUE);
  assert_listed (f, "all", "a c");
  assert_listed (f, "tag-0", "a");

  /* search combines with it */
  search (f, "ord");
  assert_listed (f, "all", "a");
  assert_listed (f, "tag-0", "a");
  inbox_view_set_unread_only (f->view, FALSE);
  assert_listed (f, "all", "a d");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (tab_stack (f, "all")), ==, "list");

  /* case and diacritics fold */
  search (f, "KOLN");
  assert_listed (f, "all", "c");
  assert_listed (f, "tag-0", "");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (tab_stack (f, "tag-0")), ==, "no-results");

  /* nothing found: the no-results page, the inbox's page stays */
  search (f, "zebra");
  assert_listed (f, "all", "");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (tab_stack (f, "all")), ==, "no-results");
  no_results = ADW_STATUS_PAGE (gtk_stack_get_child_by_name (tab_stack (f, "all"), "no-results"));
  g_assert_cmpstr (adw_status_page_get_title (no_results), ==, "No Results Found");
  g_assert_cmpstr (inbox_view_get_visible_page (f->view), ==, "messages");

  /* an older query's results never replace a newer one's */
  inbox_view_set_search_query (f->view, "uber");
  inbox_view_set_search_query (f->view, "weekend");
  test_util_wait_for (search_done, f->view);
  assert_listed (f, "all", "b");

  /* a new message is searched too */
  search (f, "order");
  assert_listed (f, "all", "a d");
  merge (f, message ("e", NOW - 50, FALSE, "[\"news\"]", "Another order", "Soon"), NULL);
  test_util_wait_for (search_done, f->view);
  assert_listed (f, "all", "e a d");
  assert_listed (f, "tag-0", "e a d");

  /* no search: every message again */
  search (f, NULL);
  assert_listed (f, "all", "e a b c d");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (tab_stack (f, "all")), ==, "list");

  /* a message read while the unread filter is on stays until it changes */
  inbox_view_set_unread_only (f->view, TRUE);
  assert_listed (f, "all", "e a c");
  g_assert_true (inbox_store_set_read (f->store, inbox_store_lookup (f->store, "a", NULL), TRUE, &error));
  g_assert_no_error (error);
  assert_listed (f, "all", "e a c");
  inbox_view_set_unread_only (f->view, FALSE);
  inbox_view_set_unread_only (f->view, TRUE);
  assert_listed (f, "all", "e c");

  /* every message read: the unread filter's own empty state */
  g_assert_true (inbox_store_mark_all_read (f->store, &error));
  inbox_view_set_unread_only (f->view, FALSE);
  inbox_view_set_unread_only (f->view, TRUE);
  assert_listed (f, "all", "");
  no_results = ADW_STATUS_PAGE (gtk_stack_get_child_by_name (tab_stack (f, "all"), "no-results"));
  g_assert_cmpstr (adw_status_page_get_title (no_results), ==, "No Unread Messages");
}

static gboolean
unread_only (gpointer view)
{
  return inbox_view_get_unread_only (view);
}

static gboolean
query_is_offer (gpointer view)
{
  return g_strcmp0 (inbox_view_get_search_query (view), "offer") == 0;
}

static void
test_toggle_and_action (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *search_bar = find_widget (GTK_WIDGET (f->view), GTK_TYPE_SEARCH_BAR);
  GtkWidget *entry = find_widget (GTK_WIDGET (f->view), GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *unread = NULL;

  /* the Unread button of the pair is the property */
  for (GtkWidget *w = find_widget (GTK_WIDGET (f->view), GTK_TYPE_TOGGLE_BUTTON); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), "Unread") == 0)
      unread = w;
  g_assert_nonnull (unread);
  gtk_widget_activate (unread);  /* a click, as a keyboard makes it */
  test_util_wait_for (unread_only, f->view);
  assert_listed (f, "all", "a c");
  inbox_view_set_unread_only (f->view, FALSE);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (unread)));
  assert_listed (f, "all", "a b c d");

  /* inbox.search opens and closes the search bar */
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));

  /* typing searches (the entry's own delay, then the worker) */
  gtk_editable_set_text (GTK_EDITABLE (entry), "offer");
  test_util_wait_for (query_is_offer, f->view);
  test_util_wait_for (search_done, f->view);
  assert_listed (f, "all", "b");

  /* leaving the search shows every message */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.search", NULL));
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_null (inbox_view_get_search_query (f->view));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  test_util_wait_for (search_done, f->view);
  assert_listed (f, "all", "a b c d");

  /* a query set from code opens the bar and shows in the entry */
  search (f, "weekend");
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "weekend");
  /* the action's state followed: activating it now leaves the search */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.search", NULL));
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_null (inbox_view_get_search_query (f->view));
}

/* Whether @label has the highlight (a background) over bytes [start, end)
 * and nowhere else. */
static gboolean
highlighted_exactly (GtkLabel *label,
                     guint     start,
                     guint     end)
{
  PangoAttrList *attrs = gtk_label_get_attributes (label);
  g_autoslist(PangoAttribute) list = attrs != NULL ? pango_attr_list_get_attributes (attrs) : NULL;
  gboolean found = FALSE;

  for (GSList *l = list; l != NULL; l = l->next)
    {
      PangoAttribute *attr = l->data;

      if (attr->klass->type != PANGO_ATTR_BACKGROUND)
        continue;
      if (attr->start_index != start || attr->end_index != end || found)
        return FALSE;
      found = TRUE;
    }
  return found == (end > start);
}

static GtkLabel *
label_with_text (GtkWidget  *widget,
                 const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = label_with_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  GtkWidget  *root;
  const char *text;
  guint       start;
  guint       end;
} Highlight;

static gboolean
shows_highlight (gpointer data)
{
  Highlight *h = data;
  GtkLabel *label = label_with_text (h->root, h->text);

  return label != NULL && gtk_widget_get_mapped (GTK_WIDGET (label)) && highlighted_exactly (label, h->start, h->end);
}

static void
test_highlights (Fixture       *f,
                 gconstpointer  data)
{
  Highlight title = { GTK_WIDGET (f->view), "Über uns", 0, strlen ("Über") };
  Highlight body = { GTK_WIDGET (f->view), "Grüße aus Köln", strlen ("Grüße aus "), strlen ("Grüße aus Köln") };
  Highlight none = { GTK_WIDGET (f->view), "Über uns", 0, 0 };
  Highlight order = { GTK_WIDGET (f->view), "Order once more", 0, strlen ("Order") };
  Highlight uns = { GTK_WIDGET (f->view), "Über uns", strlen ("Über "), strlen ("Über uns") };

  /* the cards built for the results highlight what matched */
  search (f, "uber köln");
  test_util_wait_for (shows_highlight, &title);
  test_util_wait_for (shows_highlight, &body);

  /* a card still shown for the next search gets its highlights changed */
  search (f, "uns");
  test_util_wait_for (shows_highlight, &uns);
  search (f, "ord");
  test_util_wait_for (shows_highlight, &order);

  /* and no highlight once the search is gone */
  search (f, NULL);
  none.end = 0;
  test_util_wait_for (shows_highlight, &none);
}

/* A message the search and the unread filter hide is revealed all the same
 * (a notification's click): both are left. */
static void
test_reveal_hidden (Fixture       *f,
                    gconstpointer  data)
{
  inbox_view_set_unread_only (f->view, TRUE);
  search (f, "weekend");
  assert_listed (f, "all", "");

  g_assert_true (inbox_view_reveal_message (f->view, "d"));
  g_assert_null (inbox_view_get_search_query (f->view));
  g_assert_false (inbox_view_get_unread_only (f->view));
  assert_listed (f, "all", "a b c d");

  /* one the list shows is revealed as it is */
  inbox_view_set_unread_only (f->view, TRUE);
  g_assert_true (inbox_view_reveal_message (f->view, "c"));
  g_assert_true (inbox_view_get_unread_only (f->view));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/search-view/filter-chain", test_filter_chain);
  ADD ("/search-view/toggle-and-action", test_toggle_and_action);
  ADD ("/search-view/highlights", test_highlights);
  ADD ("/search-view/reveal-hidden", test_reveal_hidden);

#undef ADD

  return g_test_run ();
}
