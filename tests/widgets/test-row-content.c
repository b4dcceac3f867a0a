/* test-row-content.c: rows of a real list over a store never read the cache
 * on the main thread; the content they show is loaded in a worker thread
 * and let go with their cards, so memory follows the screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "inbox-message-private.h"
#include "inbox-message-row.h"
#include "inbox-payload.h"
#include "inbox-store-private.h"

#define NOW ((gint64) 1716500000)
#define N_MESSAGES 300

typedef struct {
  GThread *main_thread;
  GMutex   lock;
  guint    on_main;
  guint    elsewhere;
} Queries;

static void
count_query_cb (const char *sql,
                gpointer    user_data)
{
  Queries *q = user_data;

  g_mutex_lock (&q->lock);
  if (g_thread_self () == q->main_thread)
    q->on_main++;
  else
    q->elsewhere++;
  g_mutex_unlock (&q->lock);
}

static GPtrArray *
make_messages (void)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < N_MESSAGES; i++)
    g_string_append_printf (json,
                            "%s{\"_id\":\"m%03u\",\"date\":%" G_GINT64_FORMAT ",\"wzrk_id\":\"w%u\","
                            "\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"Title %u\"},"
                            "\"message\":{\"text\":\"Some words to wrap over a line or two.\"}}]}}",
                            i > 0 ? "," : "", i, NOW - i * 60, i, i);
  g_string_append (json, "]");

  items = inbox_payload_parse (json->str, json->len, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);

      g_assert_no_error (item->error);
      g_ptr_array_add (messages, g_object_ref (item->message));
    }
  return messages;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  gtk_list_item_set_child (item, inbox_message_row_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         InboxMediaCache          *media)
{
  inbox_message_row_bind (INBOX_MESSAGE_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item), media, NOW);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  inbox_message_row_unbind (INBOX_MESSAGE_ROW (gtk_list_item_get_child (item)));
}

typedef struct {
  GtkWidget *list;
  GtkWidget *scrolled;
  guint      n_built_on_screen;
  InboxMessage *last_shown;   /* of the last card on screen */
} View;

/* Whether every row with a part on screen has its card, settled. */
static gboolean
rows_built (View *v)
{
  double height = gtk_widget_get_height (v->scrolled);

  v->n_built_on_screen = 0;
  if (height <= 0)
    return FALSE;

  for (GtkWidget *item = gtk_widget_get_first_child (v->list); item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      graphene_rect_t bounds;

      if (row == NULL || !INBOX_IS_MESSAGE_ROW (row) || !gtk_widget_get_mapped (row) ||
          !gtk_widget_compute_bounds (row, v->scrolled, &bounds) ||
          bounds.origin.y >= height || bounds.origin.y + bounds.size.height <= 0)
        continue;
      if (inbox_message_row_get_template (INBOX_MESSAGE_ROW (row)) == NULL ||
          inbox_message_row_get_loading (INBOX_MESSAGE_ROW (row)))
        return FALSE;
      v->n_built_on_screen++;
      g_set_object (&v->last_shown, inbox_message_row_get_message (INBOX_MESSAGE_ROW (row)));
    }

  return v->n_built_on_screen > 0;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_built (View *v)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  /* built, and still so once what is due has run (releases of rows gone off
   * screen, a layout that moved the rows): on a busy machine that can take
   * more frames, and what rows_built() saw must be what is on screen now */
  do
    {
      while (!rows_built (v) && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      if (timed_out)
        g_error ("the rows on screen were not built within 10 s");
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  while (!rows_built (v));
  g_source_remove (source);
}

static guint
n_loaded (GListModel *model)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(InboxMessage) message = g_list_model_get_item (model, i);

      n += inbox_message_is_loaded (message);
    }
  return n;
}

static void
test_rows_no_io_on_main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-row-content-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "inbox.sqlite", NULL);
  g_autoptr(GPtrArray) messages = make_messages ();
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(InboxStore) store = NULL;
  g_autoptr(InboxMediaCache) media = NULL;
  g_autoptr(GError) error = NULL;
  GtkListItemFactory *factory;
  GtkAdjustment *vadjustment;
  GtkWidget *window;
  guint max_loaded = 0, most_on_screen = 0, first_reads;
  Queries q = { 0 };
  View v = { 0 };

  cache = inbox_cache_new (path, &error);
  g_assert_no_error (error);
  store = inbox_store_new (cache, "alice");
  inbox_store_merge (store, messages, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, N_MESSAGES);
  g_assert_cmpuint (n_loaded (G_LIST_MODEL (store)), ==, 0);
  media = inbox_media_cache_new (g_get_tmp_dir ());

  g_mutex_init (&q.lock);
  q.main_thread = g_thread_self ();
  inbox_cache_set_query_hook (cache, count_query_cb, &q);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), media);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  v.list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (store)))),
                              factory);
  v.scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (v.scrolled), v.list);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), v.scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 600);
  gtk_window_present (GTK_WINDOW (window));

  /* the first screen: built from content read in a worker */
  wait_built (&v);
  g_assert_cmpuint (q.on_main, ==, 0);
  g_assert_cmpuint (q.elsewhere, >=, v.n_built_on_screen);
  max_loaded = n_loaded (G_LIST_MODEL (store));
  g_assert_cmpuint (max_loaded, >=, v.n_built_on_screen);
  g_assert_cmpuint (max_loaded, <, N_MESSAGES / 4);
  first_reads = q.elsewhere;

  /* scrolled to the end a screen at a time: still nothing on the main
   * thread, and the content alive stays about what is near the screen */
  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (v.scrolled));
  while (gtk_adjustment_get_value (vadjustment) + gtk_adjustment_get_page_size (vadjustment) <
         gtk_adjustment_get_upper (vadjustment) - 1)
    {
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) +
                                             gtk_adjustment_get_page_size (vadjustment));
      wait_built (&v);
      max_loaded = MAX (max_loaded, n_loaded (G_LIST_MODEL (store)));
      most_on_screen = MAX (most_on_screen, v.n_built_on_screen);
    }
  g_test_message ("most loaded at once: %u, most on screen: %u, statements in workers: %u",
                  max_loaded, most_on_screen, q.elsewhere);
  g_assert_cmpuint (q.on_main, ==, 0);
  g_assert_cmpuint (q.elsewhere, >, first_reads);
  g_assert_cmpuint (max_loaded, <=, 4 * most_on_screen);
  /* far down the list, the card shows its own content */
  {
    g_autofree char *title = g_strdup_printf ("Title %d", atoi (inbox_message_get_id (v.last_shown) + 1));

    g_assert_cmpint (atoi (inbox_message_get_id (v.last_shown) + 1), >, N_MESSAGES / 2);
    g_assert_true (inbox_message_is_loaded (v.last_shown));
    g_assert_cmpstr (inbox_content_get_title (inbox_message_get_content (v.last_shown, 0)), ==, title);
  }

  /* the rows go, and all the content with them */
  g_clear_object (&v.last_shown);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_loaded (G_LIST_MODEL (store)), ==, 0);

  inbox_cache_set_query_hook (cache, NULL, NULL);
  g_mutex_clear (&q.lock);
  g_clear_object (&store);
  g_clear_object (&cache);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/row-content/no-io-on-main", test_rows_no_io_on_main);

  return g_test_run ();
}
