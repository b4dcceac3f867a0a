/* test-selection.c: Mark All as Read, selection mode and its bulk actions
 * (each one cache transaction, one outbox batch, one Undo), the keys
 * between cards, the badges, and the selection header, in the app's window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "inbox-client-private.h"
#include "inbox-message-row.h"
#include "inbox-render.h"
#include "inbox-view-private.h"
#include "inbox-window.h"
#include "test-util.h"

#define NOW ((gint64) 1764340000)

/* test-selection-shots is this file with SELECTION_SHOTS=1 */
#ifndef SELECTION_SHOTS
#define SELECTION_SHOTS 0
#endif

typedef struct {
  InboxCache  *cache;
  InboxStore  *store;
  InboxClient *client;
  InboxWindow *window;
  InboxView   *view;
  GSettings   *settings;
  gint64       now;
  guint        n_begins;   /* cache transactions */
  guint        n_begins_off_main;
  GThread     *main_thread;
} Fixture;

/* --- helpers --- */

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gint64
fake_now (gpointer data)
{
  return ((Fixture *) data)->now;
}

static void
count_query_cb (const char *sql,
                gpointer    data)
{
  Fixture *f = data;

  if (!g_str_has_prefix (sql, "BEGIN"))
    return;
  if (g_thread_self () == f->main_thread)
    f->n_begins++;
  else
    g_atomic_int_inc (&f->n_begins_off_main);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(InboxMediaCache) media = inbox_media_cache_new (g_get_tmp_dir ());
  g_autoptr(GError) error = NULL;

  f->cache = inbox_cache_new (INBOX_CACHE_IN_MEMORY, &error);
  g_assert_no_error (error);
  f->store = inbox_store_new (f->cache, "tester");
  f->now = NOW;
  f->main_thread = g_thread_self ();
  inbox_store_set_clock (f->store, fake_now, f);
  f->client = inbox_client_new_for_store (f->store, media, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  inbox_cache_set_query_hook (f->cache, NULL, NULL);
  g_clear_object (&f->client);
  g_clear_object (&f->store);
  g_clear_object (&f->cache);
}

/* @n messages m0 (newest) … m(n-1); those in @tagged carry the tag
 * "offers"; all unread. */
static void
add_messages (Fixture    *f,
              guint       n,
              const char *tagged)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%u", i);
      g_autofree char *title = g_strdup_printf ("Message %u", i);
      gboolean offer = tagged != NULL && strchr (tagged, (char) ('0' + i)) != NULL;

      g_ptr_array_add (messages, test_util_message (id, NOW - 60 * (gint64) i, 0, FALSE,
                                                    offer ? "[\"offers\"]" : "[]", title));
    }
  inbox_store_merge (f->store, messages, NULL, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
has_rows (gpointer window)
{
  GtkWidget *list = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (window); w != NULL; )
    {
      if (GTK_IS_LIST_VIEW (w) && gtk_widget_get_mapped (w))
        {
          list = w;
          break;
        }
      /* depth first */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != NULL ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  return list != NULL && gtk_widget_get_first_child (list) != NULL;
}

static void
open_window_with_tags (Fixture            *f,
                       int                 width,
                       const char * const *tags)
{
  f->window = inbox_window_new (NULL, f->client, f->settings);
  f->view = inbox_window_get_view (f->window);
  inbox_view_set_tags (f->view, tags);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 700);
  inbox_client_set_state (f->client, INBOX_CLIENT_STATE_READY, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  test_util_wait_for (is_mapped, f->window);
  if (g_list_model_get_n_items (G_LIST_MODEL (f->store)) > 0)
    test_util_wait_for (has_rows, f->window);
}

static void
open_window (Fixture *f,
             int      width)
{
  open_window_with_tags (f, width, NULL);
}

static GtkWidget *
find_list (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The visible tab's list view. */
static GtkListView *
visible_list (Fixture *f)
{
  GtkWidget *page = adw_view_stack_get_visible_child (inbox_view_get_view_stack (f->view));
  GtkWidget *list = find_list (page);

  g_assert_nonnull (list);
  return GTK_LIST_VIEW (list);
}

static gboolean
row_is_there (gpointer data)
{
  gpointer *args = data;
  Fixture *f = args[0];
  guint position = GPOINTER_TO_UINT (args[1]);
  GtkListView *list = visible_list (f);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      GtkListItem *item = row != NULL ? g_object_get_data (G_OBJECT (row), "inbox-list-item") : NULL;

      if (item != NULL && gtk_list_item_get_position (item) == position && gtk_widget_get_mapped (row))
        return TRUE;
    }
  return FALSE;
}

/* The card at @position of the visible tab. */
static GtkWidget *
row_at (Fixture *f,
        guint    position)
{
  gpointer args[] = { f, GUINT_TO_POINTER (position) };
  GtkListView *list;

  test_util_wait_for (row_is_there, args);
  list = visible_list (f);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      GtkListItem *item = row != NULL ? g_object_get_data (G_OBJECT (row), "inbox-list-item") : NULL;

      if (item != NULL && gtk_list_item_get_position (item) == position)
        return row;
    }
  g_assert_not_reached ();
}

static InboxMessage *
message_of_row (GtkWidget *row)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (row), "inbox-list-item");

  return gtk_list_item_get_item (item);
}

static guint
n_events (Fixture    *f,
          const char *type)
{
  g_autoptr(GPtrArray) all = inbox_cache_peek_outbox (f->cache, "tester", 100000, NULL);
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    n += g_str_equal (((InboxOutboxEvent *) g_ptr_array_index (all, i))->type, type);
  return n;
}

static guint
n_unread_in_store (Fixture *f)
{
  return inbox_store_get_unread_count (f->store);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
undo_shown (gpointer window)
{
  GtkWidget *undo = find_button (window, "_Undo");

  return undo != NULL && gtk_widget_get_mapped (undo);
}

/* Clicks the Undo of the toast on screen, as a user does. */
static void
click_undo (Fixture *f)
{
  GtkWidget *undo;

  test_util_wait_for (undo_shown, f->window);
  undo = find_button (GTK_WIDGET (f->window), "_Undo");
  g_assert_true (gtk_widget_is_sensitive (undo));
  g_signal_emit_by_name (undo, "clicked");
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL));
}

/* The visible header bar's title (the selection's while selecting). */
static const char *
selection_title (Fixture *f)
{
  GtkWidget *header = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (f->window)); w != NULL && header == NULL; )
    {
      if (ADW_IS_HEADER_BAR (w) && gtk_widget_has_css_class (w, "selection-header"))
        header = w;
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != NULL ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (header);
  if (!gtk_widget_get_visible (header))
    return NULL;
  return adw_window_title_get_title (ADW_WINDOW_TITLE (adw_header_bar_get_title_widget (ADW_HEADER_BAR (header))));
}

/* --- the tests --- */

/* Mark All as Read in the visible tab: one transaction, one read event per
 * unread message of the tab and none for the others; the badges and the
 * title follow; Undo brings all of them back unread at once. */
static void
test_mark_all_read (Fixture       *f,
                    gconstpointer  data)
{
  const char *tags[] = { "offers", NULL };

  add_messages (f, 6, "135");
  open_window (f, 480);
  inbox_view_set_tags (f->view, tags);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 0), ==, 6);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 3);

  /* in the "offers" tab: its three only */
  adw_view_stack_set_visible_child_name (inbox_view_get_view_stack (f->view), "tag-0");
  inbox_cache_set_query_hook (f->cache, count_query_cb, f);
  activate (f, "inbox.mark-all-read");
  g_assert_cmpuint (f->n_begins, ==, 1);
  g_assert_cmpuint (n_events (f, "read"), ==, 3);
  g_assert_cmpuint (n_unread_in_store (f), ==, 3);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 0), ==, 3);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 0);
  g_assert_true (inbox_message_get_read (inbox_store_lookup (f->store, "m1", NULL)));
  g_assert_false (inbox_message_get_read (inbox_store_lookup (f->store, "m0", NULL)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Inbox (3)");

  /* Undo: one more transaction, all three unread again */
  click_undo (f);
  g_assert_cmpuint (f->n_begins, ==, 2);
  g_assert_cmpuint (n_events (f, "unread"), ==, 3);
  g_assert_cmpuint (n_unread_in_store (f), ==, 6);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 3);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Inbox (6)");

  /* in the tab of all: everything, from the main menu's action */
  adw_view_stack_set_visible_child_name (inbox_view_get_view_stack (f->view), "all");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "inbox.mark-all-read", NULL));
  g_assert_cmpuint (f->n_begins, ==, 3);
  g_assert_cmpuint (n_unread_in_store (f), ==, 0);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 0), ==, 0);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 0);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Inbox");

  /* nothing unread: nothing written */
  activate (f, "inbox.mark-all-read");
  g_assert_cmpuint (f->n_begins, ==, 3);
}

/* Ctrl+click toggles a card, Shift+click selects the run from the last
 * one; the header counts them; a plain click in selection mode toggles;
 * Escape and Cancel leave and drop the selection. */
static void
test_select_clicks (Fixture       *f,
                    gconstpointer  data)
{
  add_messages (f, 8, NULL);
  open_window (f, 480);
  g_assert_false (inbox_view_get_selection_mode (f->view));
  g_assert_null (selection_title (f));

  /* a plain click out of selection mode is the card's */
  g_assert_false (inbox_view_click_row (f->view, row_at (f, 0), 0));
  g_assert_false (inbox_view_get_selection_mode (f->view));

  g_assert_true (inbox_view_click_row (f->view, row_at (f, 1), GDK_CONTROL_MASK));
  g_assert_true (inbox_view_get_selection_mode (f->view));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 1);
  g_assert_cmpstr (selection_title (f), ==, "1 Selected");

  g_assert_true (inbox_view_click_row (f->view, row_at (f, 4), GDK_SHIFT_MASK));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 4);
  g_assert_cmpstr (selection_title (f), ==, "4 Selected");
  for (guint i = 0; i < 8; i++)
    g_assert_cmpint (gtk_selection_model_is_selected (gtk_list_view_get_model (visible_list (f)), i), ==,
                     i >= 1 && i <= 4);

  /* Ctrl+click again: off */
  g_assert_true (inbox_view_click_row (f->view, row_at (f, 2), GDK_CONTROL_MASK));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 3);
  /* in selection mode a plain click toggles */
  g_assert_true (inbox_view_click_row (f->view, row_at (f, 6), 0));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 4);
  g_assert_cmpstr (selection_title (f), ==, "4 Selected");

  /* Cancel in the header */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "inbox.leave-selection", NULL));
  g_assert_false (inbox_view_get_selection_mode (f->view));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 0);
  g_assert_null (selection_title (f));

  /* Select in the header bar: selection mode with nothing selected yet */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "inbox.selection-mode", NULL));
  g_assert_true (inbox_view_get_selection_mode (f->view));
  g_assert_cmpstr (selection_title (f), ==, "Select Messages");
  g_assert_false (g_action_group_get_action_enabled (inbox_view_get_action_group (f->view), "delete-selected"));

  /* another tab drops the selection */
  g_assert_true (inbox_view_click_row (f->view, row_at (f, 0), 0));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 1);
  g_assert_true (g_action_group_get_action_enabled (inbox_view_get_action_group (f->view), "delete-selected"));
  inbox_view_set_selection_mode (f->view, FALSE);
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 0);
}

/* The view's shortcuts (Ctrl+A, Escape) for @keyval, activated in turn as
 * the window does until one takes the key. */
static gboolean
press_view_shortcut (Fixture         *f,
                     guint            keyval,
                     GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->view));
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            {
              found = TRUE;
              if (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (f->view),
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }
  g_assert_true (found);
  return FALSE;
}

/* A key pressed in the visible list, as its key controller gets it. */
static gboolean
press_list_key (Fixture *f,
                guint    keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (visible_list (f)));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller) ||
          gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) != GTK_PHASE_CAPTURE)
        continue;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
      return handled;
    }
  g_assert_not_reached ();
}

static guint
focused_position (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, INBOX_TYPE_MESSAGE_ROW) : NULL;

  g_assert_nonnull (row);
  return gtk_list_item_get_position (g_object_get_data (G_OBJECT (row), "inbox-list-item"));
}

static gboolean
focus_at (gpointer data)
{
  gpointer *args = data;

  return focused_position (args[0]) == GPOINTER_TO_UINT (args[1]);
}

/* Up/Down and j/k go from card to card (selecting nothing), Home and End;
 * Ctrl+A selects the tab, Space toggles a card in selection mode, Delete
 * deletes the selection, Escape leaves; Ctrl+U toggles a card's read
 * state. */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  gpointer args[2] = { f, NULL };

  add_messages (f, 30, NULL);
  open_window (f, 480);
  gtk_widget_grab_focus (row_at (f, 0));
  g_assert_cmpuint (focused_position (f), ==, 0);

  g_assert_true (press_list_key (f, GDK_KEY_j));
  g_assert_cmpuint (focused_position (f), ==, 1);
  g_assert_true (press_list_key (f, GDK_KEY_Down));
  g_assert_cmpuint (focused_position (f), ==, 2);
  g_assert_true (press_list_key (f, GDK_KEY_k));
  g_assert_cmpuint (focused_position (f), ==, 1);
  g_assert_true (press_list_key (f, GDK_KEY_Up));
  g_assert_true (press_list_key (f, GDK_KEY_Up));  /* the first stays */
  g_assert_cmpuint (focused_position (f), ==, 0);
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 0);
  g_assert_false (inbox_view_get_selection_mode (f->view));

  /* End: the last card, far below, scrolled to */
  g_assert_true (press_list_key (f, GDK_KEY_End));
  args[1] = GUINT_TO_POINTER (29);
  test_util_wait_for (focus_at, args);
  g_assert_true (press_list_key (f, GDK_KEY_Home));
  args[1] = GUINT_TO_POINTER (0);
  test_util_wait_for (focus_at, args);

  /* Space is the card's out of selection mode */
  g_assert_false (press_list_key (f, GDK_KEY_space));

  /* Ctrl+A: all of them */
  g_assert_true (press_view_shortcut (f, GDK_KEY_a, GDK_CONTROL_MASK));
  g_assert_true (inbox_view_get_selection_mode (f->view));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 30);
  g_assert_cmpstr (selection_title (f), ==, "30 Selected");
  /* Space on the focused card unselects it */
  g_assert_true (press_list_key (f, GDK_KEY_space));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 29);
  /* Escape: out, nothing selected */
  g_assert_true (press_view_shortcut (f, GDK_KEY_Escape, 0));
  g_assert_false (inbox_view_get_selection_mode (f->view));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 0);
  /* and Escape is someone else's again */
  g_assert_false (press_view_shortcut (f, GDK_KEY_Escape, 0));

  /* Space then Delete in selection mode: the selection goes */
  inbox_view_set_selection_mode (f->view, TRUE);
  gtk_widget_grab_focus (row_at (f, 0));
  g_assert_true (press_list_key (f, GDK_KEY_space));
  g_assert_true (press_list_key (f, GDK_KEY_j));
  g_assert_true (press_list_key (f, GDK_KEY_space));
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 2);
  g_assert_true (press_list_key (f, GDK_KEY_Delete));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 28);
  g_assert_null (inbox_store_lookup (f->store, "m0", NULL));
  g_assert_null (inbox_store_lookup (f->store, "m1", NULL));
  g_assert_false (inbox_view_get_selection_mode (f->view));

  /* Ctrl+U (the card's inbox.toggle-read): read, then unread again */
  {
    GtkWidget *row = row_at (f, 0);
    InboxMessage *message = message_of_row (row);

    g_assert_false (inbox_message_get_read (message));
    g_assert_true (gtk_widget_activate_action (row, "inbox.toggle-read", "s", inbox_message_get_id (message)));
    g_assert_true (inbox_message_get_read (message));
    g_assert_true (gtk_widget_activate_action (row, "inbox.toggle-read", "s", inbox_message_get_id (message)));
    g_assert_false (inbox_message_get_read (message));
  }
}

/* Mark Read, Mark Unread and Delete of a selection: each one transaction
 * with one outbox batch, the badges and title follow, one Undo restores
 * all of it; a delete is written (at once) only when its toast goes. */
static void
test_bulk_actions (Fixture       *f,
                   gconstpointer  data)
{
  const char *tags[] = { "offers", NULL };
  g_autoptr(GError) error = NULL;

  add_messages (f, 10, "0246");
  open_window (f, 480);
  inbox_view_set_tags (f->view, tags);
  inbox_cache_set_query_hook (f->cache, count_query_cb, f);

  /* Mark Read of m2..m5 */
  inbox_view_click_row (f->view, row_at (f, 2), GDK_CONTROL_MASK);
  inbox_view_click_row (f->view, row_at (f, 5), GDK_SHIFT_MASK);
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 4);
  activate (f, "inbox.mark-selected-read");
  g_assert_cmpuint (f->n_begins, ==, 1);
  g_assert_cmpuint (n_events (f, "read"), ==, 4);
  g_assert_cmpuint (n_unread_in_store (f), ==, 6);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 0), ==, 6);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 2);   /* m2 and m4 read */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Inbox (6)");
  g_assert_false (inbox_view_get_selection_mode (f->view));
  click_undo (f);
  g_assert_cmpuint (f->n_begins, ==, 2);
  g_assert_cmpuint (n_unread_in_store (f), ==, 10);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 4);

  /* Mark Unread of a selection with two read: only those two change */
  inbox_store_set_read (f->store, inbox_store_lookup (f->store, "m7", NULL), TRUE, &error);
  inbox_store_set_read (f->store, inbox_store_lookup (f->store, "m8", NULL), TRUE, &error);
  g_assert_no_error (error);
  f->n_begins = 0;
  inbox_view_click_row (f->view, row_at (f, 6), GDK_CONTROL_MASK);
  inbox_view_click_row (f->view, row_at (f, 8), GDK_SHIFT_MASK);
  activate (f, "inbox.mark-selected-unread");
  g_assert_cmpuint (f->n_begins, ==, 1);
  g_assert_cmpuint (n_unread_in_store (f), ==, 10);
  click_undo (f);
  g_assert_cmpuint (n_unread_in_store (f), ==, 8);
  g_assert_false (inbox_message_get_read (inbox_store_lookup (f->store, "m6", NULL)));
  g_assert_true (inbox_message_get_read (inbox_store_lookup (f->store, "m7", NULL)));

  /* Delete of m0, m1, m9: off the list, still on disk; Undo: all back */
  f->n_begins = 0;
  inbox_view_click_row (f->view, row_at (f, 0), GDK_CONTROL_MASK);
  inbox_view_click_row (f->view, row_at (f, 1), GDK_CONTROL_MASK);
  inbox_view_click_row (f->view, row_at (f, 9), GDK_CONTROL_MASK);
  activate (f, "inbox.delete-selected");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 7);
  g_assert_cmpuint (f->n_begins, ==, 0);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 0), ==, 5);
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 3);   /* m0 went */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Inbox (5)");
  click_undo (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (f->store), i);
      g_autofree char *id = g_strdup_printf ("m%u", i);

      g_assert_cmpstr (inbox_message_get_id (message), ==, id);
    }
  g_assert_cmpuint (inbox_view_get_badge (f->view, 1), ==, 4);
  g_assert_cmpuint (n_events (f, "deleted"), ==, 0);

  /* deleted again, and written in one transaction when the window goes */
  inbox_view_click_row (f->view, row_at (f, 0), GDK_CONTROL_MASK);
  inbox_view_click_row (f->view, row_at (f, 1), GDK_CONTROL_MASK);
  inbox_view_click_row (f->view, row_at (f, 9), GDK_CONTROL_MASK);
  activate (f, "inbox.delete-selected");
  inbox_view_commit_deletes (f->view);
  g_assert_cmpuint (f->n_begins, ==, 1);
  g_assert_cmpuint (n_events (f, "deleted"), ==, 3);
  g_assert_null (inbox_cache_load_json (f->cache, "tester", "m9", NULL));

  /* Ctrl+Z undoes the last bulk action while its toast shows */
  activate (f, "inbox.mark-all-read");
  g_assert_cmpuint (n_unread_in_store (f), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.undo-last-delete", NULL));
  g_assert_cmpuint (n_unread_in_store (f), ==, 5);
}

/* written, and the store told */
static gboolean
deletes_written (gpointer data)
{
  Fixture *f = data;

  return inbox_store_lookup_hidden (f->store, "m2") == NULL && n_events (f, "deleted") == 3;
}

/* When the Undo toast of a bulk delete goes by itself, the deletion is
 * written in one transaction in a worker thread, not on the main loop. */
static void
test_bulk_delete_off_main (Fixture       *f,
                           gconstpointer  data)
{
  add_messages (f, 10, NULL);
  open_window (f, 480);
  /* the read tracker's writes are its own */
  inbox_read_tracker_set_active (inbox_view_get_read_tracker (f->view), FALSE);
  inbox_view_click_row (f->view, row_at (f, 1), GDK_CONTROL_MASK);
  inbox_view_click_row (f->view, row_at (f, 3), GDK_SHIFT_MASK);
  inbox_cache_set_query_hook (f->cache, count_query_cb, f);
  activate (f, "inbox.delete-selected");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 7);

  /* the toast times out */
  test_util_wait_for (undo_shown, f->window);
  test_util_wait_for (deletes_written, f);
  g_assert_cmpuint (f->n_begins, ==, 0);
  g_assert_cmpuint (g_atomic_int_get (&f->n_begins_off_main), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 7);
  g_assert_null (inbox_cache_load_json (f->cache, "tester", "m2", NULL));
}

static void
count_cb (guint *n)
{
  (*n)++;
}

/* 500 selected and deleted, then Undo: each step one items-changed of the
 * store, not one per message. */
static void
test_bulk_one_change (Fixture       *f,
                      gconstpointer  data)
{
  guint n_changes = 0;

  add_messages (f, 500, NULL);
  open_window (f, 480);
  g_signal_connect_swapped (f->store, "items-changed", G_CALLBACK (count_cb), &n_changes);

  activate (f, "inbox.select-all");
  g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 500);
  activate (f, "inbox.delete-selected");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_cmpuint (n_changes, ==, 1);
  click_undo (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 500);
  g_assert_cmpuint (n_changes, ==, 2);
}

/* --- screenshots: the window in selection mode, a tab with a badge --- */

typedef struct {
  const char *name;
  int         width;
  gboolean    dark;
  gboolean    selecting;
} Shot;

static const Shot shots[] = {
  { "selection-360", 360, FALSE, TRUE },
  { "selection-1200", 1200, FALSE, TRUE },
  { "selection-dark-360", 360, TRUE, TRUE },
  { "selection-dark-1200", 1200, TRUE, TRUE },
  { "badge-360", 360, FALSE, FALSE },
  { "badge-1200", 1200, FALSE, FALSE },
};

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_paints)
{
  (*n_paints)++;
}

typedef struct {
  GtkWidget *window;
  guint      n_paints;
} Paints;

/* Each look asks for another frame: an idle window paints nothing. */
static gboolean
painted_twice (gpointer data)
{
  Paints *paints = data;

  gtk_widget_queue_draw (paints->window);
  return paints->n_paints >= 2;
}

static gboolean
any_row_loading (GtkWidget *widget)
{
  if (INBOX_IS_MESSAGE_ROW (widget) && gtk_widget_get_mapped (widget) &&
      inbox_message_row_get_loading (INBOX_MESSAGE_ROW (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (any_row_loading (child))
      return TRUE;
  return FALSE;
}

/* The cards of @list built and on screen: each picture shows all of its
 * list. */
static guint
n_cards_built (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      n += row != NULL && INBOX_IS_MESSAGE_ROW (row) && gtk_widget_get_mapped (row) &&
           inbox_message_row_get_template (INBOX_MESSAGE_ROW (row)) != NULL &&
           !inbox_message_row_get_loading (INBOX_MESSAGE_ROW (row));
    }
  return n;
}

/* What the window shows once every card on screen is built and two more
 * frames have been painted (GTK 4.8's widget paintable draws nothing while
 * a relayout is pending: then again). */
static GdkTexture *
window_picture (GtkWidget *window,
                GtkWidget *list)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GskRenderNode) node = NULL;
  Paints paints = { window, 0 };
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &paints.n_paints);

  /* ready: all built, and still so two frames later */
  for (guint frames = 0, ready = 0; node == NULL; frames++)
    {
      GtkSnapshot *snapshot;

      g_assert_cmpuint (frames, <, 500);
      paints.n_paints = 0;
      test_util_wait_for (painted_twice, &paints);
      if (any_row_loading (window) ||
          n_cards_built (list) < g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)))))
        ready = 0;
      else
        ready++;
      if (ready < 2)
        continue;
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window), gtk_widget_get_height (window));
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_signal_handler_disconnect (clock, handler);

  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (window),
                                                           gtk_widget_get_height (window)));
}

static guchar *
download (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  guchar *pixels = g_malloc ((gsize) width * height * 4);

  gdk_texture_download (texture, pixels, (gsize) width * 4);
  return pixels;
}

static void
test_screenshot (Fixture       *f,
                 gconstpointer  data)
{
  const Shot *shot = data;
  const char *tags[] = { "offers", "news", NULL };
  g_autofree char *file = g_strdup_printf ("%s.png", shot->name);
  g_autofree char *reference = g_test_build_filename (G_TEST_DIST, "..", "reference", file, NULL);
  g_autofree char *failures = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                                "screenshot-failures", NULL);
  g_autofree char *output = g_build_filename (failures, file, NULL);
  g_autoptr(GdkTexture) out = NULL;
  g_autoptr(GdkTexture) ref = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *out_pixels = NULL;
  g_autofree guchar *ref_pixels = NULL;

  inbox_render_setup_settings (shot->dark);
  add_messages (f, 6, "0245");
  inbox_store_set_read (f->store, inbox_store_lookup (f->store, "m3", NULL), TRUE, &error);
  g_assert_no_error (error);
  open_window_with_tags (f, shot->width, tags);
  /* nothing gets read while the picture is taken */
  inbox_read_tracker_set_active (inbox_view_get_read_tracker (f->view), FALSE);

  if (shot->selecting)
    {
      inbox_view_click_row (f->view, row_at (f, 0), GDK_CONTROL_MASK);
      inbox_view_click_row (f->view, row_at (f, 2), GDK_CONTROL_MASK);
      g_assert_cmpuint (inbox_view_get_n_selected (f->view), ==, 2);
    }
  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);

  out = window_picture (GTK_WIDGET (f->window), GTK_WIDGET (visible_list (f)));
  inbox_render_setup_settings (FALSE);

  if (g_getenv ("UPDATE_REFERENCES") != NULL)
    {
      g_assert_true (gdk_texture_save_to_png (out, reference));
      g_test_message ("wrote %s: look at it before committing it", reference);
      return;
    }

  ref = gdk_texture_new_from_filename (reference, &error);
  g_mkdir_with_parents (failures, 0755);
  g_assert_true (gdk_texture_save_to_png (out, output));
  if (ref == NULL)
    {
      g_test_fail_printf ("No reference %s (%s); the output is at %s", reference, error->message, output);
      return;
    }
  out_pixels = download (out);
  ref_pixels = download (ref);
  if (gdk_texture_get_width (out) != gdk_texture_get_width (ref) ||
      gdk_texture_get_height (out) != gdk_texture_get_height (ref) ||
      memcmp (out_pixels, ref_pixels, (gsize) gdk_texture_get_width (out) * gdk_texture_get_height (out) * 4) != 0)
    g_test_fail_printf ("%s differs from %s (%d×%d, the reference %d×%d)", output, reference,
                        gdk_texture_get_width (out), gdk_texture_get_height (out),
                        gdk_texture_get_width (ref), gdk_texture_get_height (ref));
  else
    g_unlink (output);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("test-selection needs a display: run it under xvfb-run (tools/run-tests does)\n");
      return 1;
    }
  adw_init ();
  inbox_render_setup_settings (FALSE);

  /* the pictures in a process of their own (test-selection-shots): the
   * windows of the other tests leave content loads behind that a picture
   * would wait for */
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  if (!SELECTION_SHOTS)
    {
      ADD ("/selection/mark-all-read", test_mark_all_read);
      ADD ("/selection/clicks", test_select_clicks);
      ADD ("/selection/keyboard", test_keyboard);
      ADD ("/selection/bulk-actions", test_bulk_actions);
      ADD ("/selection/bulk-one-change", test_bulk_one_change);
      ADD ("/selection/bulk-delete-off-main", test_bulk_delete_off_main);
      return g_test_run ();
    }
#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autofree char *path = g_strdup_printf ("/selection/screenshot/%s", shots[i].name);

      g_test_add (path, Fixture, &shots[i], fixture_setup, test_screenshot, fixture_teardown);
    }

  return g_test_run ();
}
