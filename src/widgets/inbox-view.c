/* inbox-view.c
 *
 * One tab per tag after the first ("All"), a GtkListView per tab in a
 * clamp, and the pages of the client's states: loading, empty, error with
 * the reason and Try Again, sign-in, and offline over cached messages. The
 * "inbox" action group answers the cards: clicks, mark read/unread, delete
 * with Undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-client-private.h"
#include "inbox-link.h"
#include "inbox-message-row.h"
#include "inbox-notifier.h"
#include "inbox-style.h"
#include "inbox-tag-filter.h"
#include "inbox-view-private.h"

/**
 * InboxView:
 *
 * Shows an #InboxClient: everything of an inbox below the host app's header
 * bar. It follows #InboxClient:state (loading, the messages or the empty
 * state, offline over the saved messages, the sign-in page, the error page
 * with Try Again), shows one tab per tag of #InboxView:tags (put
 * inbox_view_get_view_stack() in an #AdwViewSwitcherTitle to show them),
 * marks messages read as they are seen, deletes with Undo, and answers the
 * cards' buttons: `url` buttons open their link (unless
 * #InboxView:open-links is off), `copy` buttons copy, `kv` buttons emit
 * #InboxView::button-activated. Every click emits #InboxView::message-clicked.
 *
 * The view's actions are in the `inbox` group: `inbox.click`,
 * `inbox.mark-read`, `inbox.mark-unread`, `inbox.toggle-read`,
 * `inbox.delete`, `inbox.undo-delete` (each with a message id),
 * `inbox.undo-last-delete` (Ctrl+Z: the last delete or bulk action),
 * `inbox.retry` and `inbox.search` (Ctrl+F: shows or hides the search bar;
 * a boolean state); for the visible tab `inbox.mark-all-read`,
 * `inbox.select-all` (Ctrl+A), `inbox.selection-mode` (a boolean state),
 * `inbox.leave-selection` (Escape), and for its selection
 * `inbox.mark-selected-read`, `inbox.mark-selected-unread` and
 * `inbox.delete-selected`. Each bulk action is one cache transaction with
 * one batch of outbox events, and one toast whose Undo restores all of it.
 * A host app reaches these from its header bar and menus through
 * inbox_view_get_action_group(), and shows a selection header while
 * #InboxView:selection-mode is on. Mark all as read and the selection work
 * on what the tab's list shows (searched, filtered).
 *
 * Up and Down (or k and j) move the focus between cards, Home and End to
 * the first and last; Ctrl+click and Shift+click select.
 *
 * Search and the unread filter narrow the list of every tab: typing in the
 * search bar (or anywhere in the list, or setting #InboxView:search-query)
 * shows the messages whose title, message text, button labels or tags have
 * each typed word as the start of a word, case and accents aside, with the
 * matching words highlighted; the query runs in a worker thread. The All /
 * Unread pair over the list (#InboxView:unread-only) shows only the unread
 * messages; a message read meanwhile stays until the filter changes. Both
 * combine; Escape leaves the search.
 *
 * Toasts (Undo, Copied, the client's notices) show in the view's own
 * #AdwToastOverlay.
 *
 * ## CSS nodes
 *
 * The view's node is `inboxview`. Host apps restyle the inbox with the
 * classes `.inbox-list`, `.inbox-card`, `.offline-bar` and the others listed
 * in the reference's styling page.
 */
struct _InboxView
{
  AdwBin                parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *offline_revealer;
  GtkLabel             *offline_label;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwViewSwitcherBar   *switcher_bar;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *error_page;
  InboxSignInView      *sign_in_view;
  GtkWidget            *retry_button;
  GtkWidget            *try_again_button;
  GtkRevealer          *selection_revealer;
  GtkWidget            *select_read_button;
  GtkWidget            *select_unread_button;
  GtkWidget            *select_delete_button;

  InboxClient          *client;
  InboxStore           *store;       /* the client's, as last shown */
  InboxReadTracker     *tracker;
  GtkListItemFactory   *factory;
  GPtrArray            *tab_models;
  GPtrArray            *tab_pages;   /* AdwViewStackPage, as tab_models */
  GPtrArray            *tab_lists;   /* GtkListView, as tab_models */
  GSimpleActionGroup   *actions;     /* "inbox" */
  GHashTable           *undos;       /* serial → BulkUndo, while its toast shows */
  guint                 undo_serial;
  guint                 n_selected;
  guint                 select_anchor;
  gboolean              selection_mode;
  GStrv                 tags;
  GStrv                 allowed_schemes;
  char                 *first_tab_title;
  GCancellable         *sign_in_cancellable;
  GtkWidget            *watched_root;
  GPtrArray            *root_controllers;

  InboxUriFunc          uri_func;
  gpointer              uri_data;
  gboolean              open_links;

  InboxNotifier        *notifier;
  GBinding             *window_active_binding;

  /* search and the unread filter */
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkWidget            *filter_bar;
  GtkToggleButton      *all_button;
  GtkToggleButton      *unread_button;
  GtkCustomFilter      *filter;       /* of every tab's list */
  GPtrArray            *tab_filtered; /* GtkFilterListModel, as tab_models */
  GPtrArray            *tab_stacks;   /* GtkStack: list, empty, no-results */
  char                 *search_query; /* as typed; NULL or "" for none */
  InboxSearch          *search;       /* what the shown results are for */
  GHashTable           *search_ids;   /* ids matching it; NULL: no search */
  GCancellable         *search_cancellable;
  gboolean              unread_only;
};

G_DEFINE_FINAL_TYPE (InboxView, inbox_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_TAGS,
  PROP_FIRST_TAB_TITLE,
  PROP_EMPTY_TITLE,
  PROP_EMPTY_DESCRIPTION,
  PROP_ALLOWED_SCHEMES,
  PROP_OPEN_LINKS,
  PROP_VISIBLE_PAGE,
  PROP_SEARCH_QUERY,
  PROP_SEARCH_MODE,
  PROP_UNREAD_ONLY,
  PROP_SELECTION_MODE,
  PROP_N_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MESSAGE_CLICKED,
  BUTTON_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
default_uri_func (GtkWidget  *widget,
                  const char *uri,
                  gpointer    user_data)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/**
 * inbox_view_add_toast:
 * @self: a view
 * @toast: (transfer full): what to show
 *
 * Shows @toast over the view, in its own #AdwToastOverlay: there a toast's
 * button reaches the view's `inbox.*` actions (Undo).
 */
void
inbox_view_add_toast (InboxView *self,
                      AdwToast  *toast)
{
  g_return_if_fail (INBOX_IS_VIEW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
add_text_toast (InboxView  *self,
                const char *text)
{
  inbox_view_add_toast (self, adw_toast_new (text));
}

/**
 * inbox_view_is_link_allowed:
 * @self: a view
 * @uri: a link
 *
 * http, https, mailto and the app schemes of #InboxView:allowed-schemes;
 * never file:, javascript:, data: and their kind, whatever the list says.
 *
 * Returns: whether the view would open @uri
 */
gboolean
inbox_view_is_link_allowed (InboxView  *self,
                            const char *uri)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), FALSE);

  return inbox_link_scheme_is_allowed (uri, (const char * const *) self->allowed_schemes);
}

static void
open_link (InboxView  *self,
           const char *uri)
{
  if (!self->open_links)
    return;

  if (!inbox_view_is_link_allowed (self, uri))
    {
      g_autofree char *scheme = g_uri_parse_scheme (uri);
      g_autofree char *text = NULL;

      g_message ("Refused to open %s: its scheme is not allowed", uri);
      /* Translators: %s is a link's scheme, like "file" or "javascript" */
      text = g_strdup_printf (_("Links of the kind “%s” are not opened"), scheme != NULL ? scheme : uri);
      add_text_toast (self, text);
      return;
    }

  self->uri_func (GTK_WIDGET (self), uri, self->uri_data);
}

static char *
join_keys (GHashTable *kv)
{
  g_autoptr(GList) keys = g_hash_table_get_keys (kv);
  g_autoptr(GString) joined = g_string_new (NULL);

  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      if (joined->len > 0)
        g_string_append (joined, ", ");
      g_string_append (joined, l->data);
    }

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* --- the inbox actions --- */

/* A click on a message whose content is loaded: open, copy or hand over,
 * record it, and tell the host app. */
static void
handle_click (InboxView    *self,
              InboxMessage *message,
              int           slide,
              int           button)
{
  g_autoptr(GError) error = NULL;
  const char *button_text = NULL;
  InboxContent *content = NULL;

  if (slide >= 0 && (guint) slide < inbox_message_get_n_contents (message))
    content = inbox_message_get_content (message, slide);

  if (button < 0)
    {
      if (content != NULL && inbox_content_get_url (content) != NULL)
        open_link (self, inbox_content_get_url (content));
    }
  else if (content != NULL && (guint) button < inbox_content_get_n_links (content) &&
           inbox_content_get_link (content, button) != NULL)
    {
      /* an empty slot (docs/rules.md) has no button to click */
      InboxLink *link = inbox_content_get_link (content, button);
      g_autofree char *text = NULL;
      g_autofree char *keys = NULL;

      button_text = inbox_link_get_text (link);
      switch (inbox_link_get_link_type (link))
        {
        case INBOX_LINK_URL:
          open_link (self, inbox_link_get_url (link));
          break;
        case INBOX_LINK_COPY:
          gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), inbox_link_get_copy_text (link));
          add_text_toast (self, _("Copied to clipboard"));
          break;
        case INBOX_LINK_KV:
          g_signal_emit (self, signals[BUTTON_ACTIVATED], 0, message, inbox_link_get_kv (link));
          keys = join_keys (inbox_link_get_kv (link));
          /* Translators: %s lists the keys a button hands to the app */
          text = g_strdup_printf (_("Handed to the app: %s"), *keys != '\0' ? keys : _("no values"));
          add_text_toast (self, text);
          break;
        default:
          break;
        }
    }
  else
    {
      return;
    }

  if (!inbox_store_record_clicked (self->store, message, button_text, &error) && error != NULL)
    g_warning ("Could not record a click on %s: %s", inbox_message_get_id (message), error->message);

  g_signal_emit (self, signals[MESSAGE_CLICKED], 0, message, slide, button);
}

typedef struct {
  InboxView    *view;
  InboxMessage *message;
  int           slide;
  int           button;
} PendingClick;

static void
pending_click_free (PendingClick *click)
{
  g_object_unref (click->view);
  g_object_unref (click->message);
  g_free (click);
}

static void
click_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PendingClick *click = user_data;
  g_autoptr(GError) error = NULL;

  if (inbox_store_load_content_finish (INBOX_STORE (source), result, &error) &&
      INBOX_STORE (source) == click->view->store)
    handle_click (click->view, click->message, click->slide, click->button);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not load %s to answer a click: %s", inbox_message_get_id (click->message), error->message);
  pending_click_free (click);
}

static void
click_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  InboxView *self = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  InboxMessage *message;
  PendingClick *click;
  const char *id;
  int slide, button;

  g_variant_get (parameter, "(&sii)", &id, &slide, &button);
  message = inbox_store_lookup (self->store, id, NULL);
  if (message == NULL)
    return;
  if (inbox_message_is_loaded (message))
    {
      g_autoptr(InboxMessage) held = g_object_ref (message);

      handle_click (self, held, slide, button);
      return;
    }

  /* a click from code (or a card let go meanwhile): its content first, in
   * the store's thread */
  click = g_new0 (PendingClick, 1);
  click->view = g_object_ref (self);
  click->message = g_object_ref (message);
  click->slide = slide;
  click->button = button;
  messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (messages, g_object_ref (message));
  inbox_store_load_content_async (self->store, messages, NULL, click_loaded_cb, click);
}

static void
set_read (InboxView *self,
          GVariant  *parameter,
          gboolean   read)
{
  g_autoptr(GError) error = NULL;
  InboxMessage *message = inbox_store_lookup (self->store, g_variant_get_string (parameter, NULL), NULL);

  if (message != NULL && !inbox_store_set_read (self->store, message, read, &error))
    add_text_toast (self, error->message);
}

static void
mark_read_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  set_read (user_data, parameter, TRUE);
}

static void
mark_unread_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  set_read (user_data, parameter, FALSE);
}

static void
commit_delete (InboxView    *self,
               InboxStore   *store,
               InboxMessage *message)
{
  g_autoptr(GError) error = NULL;

  if (!inbox_store_delete (store, message, &error))
    {
      /* nothing is lost: the message comes back and says why */
      inbox_store_unhide (store, message);
      add_text_toast (self, error->message);
    }
}

static void
toast_dismissed_cb (AdwToast  *toast,
                    InboxView *self)
{
  const char *id = g_object_get_data (G_OBJECT (toast), "message-id");
  InboxStore *store = g_object_get_data (G_OBJECT (toast), "store");
  InboxMessage *message = inbox_store_lookup_hidden (store, id);

  if (message != NULL)
    commit_delete (self, store, message);
}

static void
delete_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  InboxView *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);
  InboxMessage *message = inbox_store_lookup (self->store, id, NULL);
  AdwToast *toast;

  if (message == NULL)
    return;

  /* off the screen at once; on disk when the Undo toast goes */
  inbox_store_hide (self->store, message);

  toast = adw_toast_new (_("Message deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "inbox.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "message-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (toast), "store", g_object_ref (self->store), g_object_unref);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  inbox_view_add_toast (self, toast);
}

static void
undo_delete_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  InboxView *self = user_data;
  InboxMessage *message = inbox_store_lookup_hidden (self->store, g_variant_get_string (parameter, NULL));

  if (message != NULL)
    inbox_store_unhide (self->store, message);
}

/* --- selection and bulk actions ---
 *
 * Each tab's list is a GtkMultiSelection over what the tab shows; the
 * selection of the visible tab is the one the bulk actions work on. Clicks
 * with Ctrl or Shift (and any click in selection mode) select instead of
 * opening; Ctrl+A selects the tab. A bulk action is one call of the store
 * (one cache transaction, one batch of outbox events) and one toast whose
 * Undo restores all of it. */

typedef enum {
  BULK_READ,
  BULK_DELETE,
} BulkKind;

typedef struct {
  BulkKind    kind;
  gboolean    read;     /* BULK_READ: what the messages were marked */
  GStrv       ids;      /* the messages that changed */
  InboxStore *store;
  AdwToast   *toast;
} BulkUndo;

static void
bulk_undo_free (BulkUndo *undo)
{
  g_strfreev (undo->ids);
  g_clear_object (&undo->store);
  g_clear_object (&undo->toast);
  g_free (undo);
}

/* The index of the tab on screen, or -1. */
static int
visible_tab (InboxView *self)
{
  GtkWidget *child = adw_view_stack_get_visible_child (self->view_stack);

  for (guint i = 0; child != NULL && i < self->tab_pages->len; i++)
    if (adw_view_stack_page_get_child (g_ptr_array_index (self->tab_pages, i)) == child)
      return (int) i;
  return -1;
}

/* What the visible tab's list shows, as a selection model (whatever the
 * tab filters: the bulk actions follow what is on screen). */
static GtkSelectionModel *
visible_selection (InboxView *self)
{
  int tab = visible_tab (self);

  if (tab < 0 || (guint) tab >= self->tab_lists->len)
    return NULL;
  return gtk_list_view_get_model (g_ptr_array_index (self->tab_lists, tab));
}

static void
set_action_enabled (InboxView  *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_selection_actions (InboxView *self)
{
  gboolean listed = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "messages") == 0;
  GtkSelectionModel *selection = visible_selection (self);
  gboolean any = listed && selection != NULL && g_list_model_get_n_items (G_LIST_MODEL (selection)) > 0;

  if (self->actions == NULL)
    return;
  set_action_enabled (self, "mark-all-read", any);
  set_action_enabled (self, "select-all", any);
  set_action_enabled (self, "selection-mode", any || self->selection_mode);
  set_action_enabled (self, "mark-selected-read", self->n_selected > 0);
  set_action_enabled (self, "mark-selected-unread", self->n_selected > 0);
  set_action_enabled (self, "delete-selected", self->n_selected > 0);
}

static void set_selection_mode (InboxView *self,
                                gboolean   selection_mode);

/* The count of the visible tab's selection; anything selected is selection
 * mode. */
static void
update_selection (InboxView *self)
{
  GtkSelectionModel *selection = visible_selection (self);
  guint n = 0;

  if (selection != NULL)
    {
      g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (selection);

      n = (guint) gtk_bitset_get_size (set);
    }

  if (n > 0 && !self->selection_mode)
    set_selection_mode (self, TRUE);
  if (n != self->n_selected)
    {
      self->n_selected = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
    }
  update_selection_actions (self);
}

static void
set_selection_mode (InboxView *self,
                    gboolean   selection_mode)
{
  selection_mode = !!selection_mode;
  if (self->selection_mode == selection_mode)
    return;

  self->selection_mode = selection_mode;
  if (!selection_mode)
    for (guint i = 0; i < self->tab_lists->len; i++)
      gtk_selection_model_unselect_all (gtk_list_view_get_model (g_ptr_array_index (self->tab_lists, i)));
  self->select_anchor = G_MAXUINT;

  gtk_revealer_set_reveal_child (self->selection_revealer, selection_mode);
  if (selection_mode)
    gtk_widget_add_css_class (GTK_WIDGET (self), "selection-mode");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "selection-mode");
  if (self->actions != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions),
                                                                            "selection-mode")),
                               g_variant_new_boolean (selection_mode));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
  update_selection (self);
}

/* Another tab: its own selection, none yet. */
static void
leave_selection_cb (InboxView *self)
{
  set_selection_mode (self, FALSE);
  update_selection (self);
}

/* A click on the card at @position of @list: Ctrl toggles it, Shift
 * selects from the last one clicked to it. */
static void
select_at (InboxView   *self,
           GtkListView *list,
           guint        position,
           gboolean     extend)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (list);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));

  if (position >= n)
    return;

  if (extend && self->select_anchor < n)
    {
      guint from = MIN (self->select_anchor, position), to = MAX (self->select_anchor, position);

      gtk_selection_model_select_range (selection, from, to - from + 1, FALSE);
    }
  else if (gtk_selection_model_is_selected (selection, position))
    gtk_selection_model_unselect_item (selection, position);
  else
    gtk_selection_model_select_item (selection, position, FALSE);

  if (!extend || self->select_anchor >= n)
    self->select_anchor = position;
}

/* A click with @state on @row (a card of the view): Ctrl or Shift or
 * selection mode select; anything else is the card's. */
gboolean
inbox_view_click_row (InboxView       *self,
                      GtkWidget       *row,
                      GdkModifierType  state)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (row), "inbox-list-item");
  GtkWidget *list = gtk_widget_get_ancestor (row, GTK_TYPE_LIST_VIEW);
  gboolean toggle = (state & GDK_CONTROL_MASK) != 0, extend = (state & GDK_SHIFT_MASK) != 0;

  g_return_val_if_fail (INBOX_IS_VIEW (self), FALSE);

  if ((!toggle && !extend && !self->selection_mode) || item == NULL || list == NULL)
    return FALSE;

  select_at (self, GTK_LIST_VIEW (list), gtk_list_item_get_position (item), extend);
  gtk_widget_grab_focus (row);
  return TRUE;
}

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                InboxView       *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  /* claimed: the card inside does not see the click */
  if (inbox_view_click_row (self, row, state))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Moves the focus to the card at @position of @list, scrolled to. */
static void
focus_position (GtkListView *list,
                guint        position)
{
  if (position >= g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))))
    return;

  gtk_widget_activate_action (GTK_WIDGET (list), "list.scroll-to-item", "u", position);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      GtkListItem *item = row != NULL ? g_object_get_data (G_OBJECT (row), "inbox-list-item") : NULL;

      if (item != NULL && gtk_list_item_get_position (item) == position)
        {
          gtk_widget_grab_focus (row);
          return;
        }
    }
}

/* Up/Down and j/k go from card to card (the list's own keys would select
 * as they go), Home/End to the first and last; in selection mode Space
 * selects the card and Delete deletes the selection. */
static gboolean
list_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     InboxView             *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (list));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, INBOX_TYPE_MESSAGE_ROW) : NULL;
  GtkListItem *item = row != NULL ? g_object_get_data (G_OBJECT (row), "inbox-list-item") : NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list))));
  guint position;

  if (item == NULL || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  position = gtk_list_item_get_position (item);

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_k:
      if (position > 0)
        focus_position (GTK_LIST_VIEW (list), position - 1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
    case GDK_KEY_j:
      focus_position (GTK_LIST_VIEW (list), position + 1);
      return TRUE;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      focus_position (GTK_LIST_VIEW (list), 0);
      return TRUE;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      if (n > 0)
        focus_position (GTK_LIST_VIEW (list), n - 1);
      return TRUE;
    case GDK_KEY_space:
      if (!self->selection_mode)
        return FALSE;
      select_at (self, GTK_LIST_VIEW (list), position, FALSE);
      return TRUE;
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (!self->selection_mode || self->n_selected == 0)
        return FALSE;
      gtk_widget_activate_action (GTK_WIDGET (self), "inbox.delete-selected", NULL);
      return TRUE;
    default:
      return FALSE;
    }
}

/* The ids of the visible tab's selected messages (@all: of all its
 * messages), in the list's order. */
static GStrv
visible_ids (InboxView *self,
             gboolean   all)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkSelectionModel *selection = visible_selection (self);
  g_autoptr(GtkBitset) set = NULL;
  GtkBitsetIter iter;
  guint position;

  if (selection == NULL)
    return g_strv_builder_end (builder);

  if (all)
    {
      for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (selection)); i < n; i++)
        {
          g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (selection), i);

          g_strv_builder_add (builder, inbox_message_get_id (message));
        }
      return g_strv_builder_end (builder);
    }

  set = gtk_selection_model_get_selection (selection);
  for (gboolean more = gtk_bitset_iter_init_first (&iter, set, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(InboxMessage) message = g_list_model_get_item (G_LIST_MODEL (selection), position);

      g_strv_builder_add (builder, inbox_message_get_id (message));
    }
  return g_strv_builder_end (builder);
}

/* Those of @ids that are live messages of @store (read @read, unless
 * @any_state), or, with @hidden, that wait behind an Undo toast. */
static GStrv
filter_ids (InboxStore         *store,
            const char * const *ids,
            gboolean            hidden,
            gboolean            any_state,
            gboolean            read)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      InboxMessage *message = hidden ? inbox_store_lookup_hidden (store, ids[i]) : inbox_store_lookup (store, ids[i], NULL);

      if (message != NULL && (hidden || any_state || !inbox_message_get_read (message) == !read))
        g_strv_builder_add (builder, ids[i]);
    }
  return g_strv_builder_end (builder);
}

typedef struct {
  InboxView *view;
  GStrv      ids;
} BulkDelete;

/* A bulk delete written, or not: then the messages come back and a toast
 * says why. */
static void
bulk_deleted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BulkDelete *bulk = user_data;
  g_autoptr(GError) error = NULL;

  if (!inbox_store_delete_many_finish (INBOX_STORE (source), result, &error))
    {
      inbox_store_unhide_many (INBOX_STORE (source), (const char * const *) bulk->ids);
      add_text_toast (bulk->view, error->message);
    }
  g_object_unref (bulk->view);
  g_strfreev (bulk->ids);
  g_free (bulk);
}

static void
bulk_toast_dismissed_cb (AdwToast  *toast,
                         InboxView *self)
{
  guint serial = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "undo-serial"));
  BulkUndo *undo = g_hash_table_lookup (self->undos, GUINT_TO_POINTER (serial));

  if (undo == NULL)
    return;

  /* the deletion the toast held back: on disk now, all at once, in a
   * worker thread (thousands of messages take a while) */
  if (undo->kind == BULK_DELETE)
    {
      g_auto(GStrv) ids = filter_ids (undo->store, (const char * const *) undo->ids, TRUE, TRUE, FALSE);

      if (ids[0] != NULL)
        {
          BulkDelete *bulk = g_new0 (BulkDelete, 1);

          bulk->view = g_object_ref (self);
          bulk->ids = g_steal_pointer (&ids);
          inbox_store_delete_many_async (undo->store, (const char * const *) bulk->ids, NULL, bulk_deleted_cb, bulk);
        }
    }
  g_hash_table_remove (self->undos, GUINT_TO_POINTER (serial));
}

/* One toast saying what was done, with Undo. */
static void
offer_undo (InboxView  *self,
            BulkKind    kind,
            gboolean    read,
            GStrv       ids,
            const char *text)
{
  BulkUndo *undo = g_new0 (BulkUndo, 1);
  guint serial = ++self->undo_serial;

  undo->kind = kind;
  undo->read = read;
  undo->ids = ids;
  undo->store = g_object_ref (self->store);
  undo->toast = adw_toast_new (text);
  adw_toast_set_button_label (undo->toast, _("_Undo"));
  adw_toast_set_action_name (undo->toast, "inbox.undo-bulk");
  adw_toast_set_action_target_value (undo->toast, g_variant_new_uint32 (serial));
  adw_toast_set_priority (undo->toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (undo->toast), "undo-serial", GUINT_TO_POINTER (serial));
  g_signal_connect_object (undo->toast, "dismissed", G_CALLBACK (bulk_toast_dismissed_cb), self, 0);
  g_hash_table_insert (self->undos, GUINT_TO_POINTER (serial), undo);
  inbox_view_add_toast (self, g_object_ref (undo->toast));
}

/* Marks @ids read or unread, those that change, in one go, with Undo. */
static void
bulk_set_read (InboxView          *self,
               const char * const *ids,
               gboolean            read)
{
  g_auto(GStrv) changing = filter_ids (self->store, ids, FALSE, FALSE, !read);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = g_strv_length (changing);

  if (n == 0)
    return;
  if (!inbox_store_set_read_many (self->store, (const char * const *) changing, read, &error))
    {
      add_text_toast (self, error->message);
      return;
    }

  text = g_strdup_printf (read ? g_dngettext (GETTEXT_PACKAGE, "%u message marked as read",
                                              "%u messages marked as read", n)
                               : g_dngettext (GETTEXT_PACKAGE, "%u message marked as unread",
                                              "%u messages marked as unread", n),
                          n);
  offer_undo (self, BULK_READ, read, g_steal_pointer (&changing), text);
}

static void
mark_all_read_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  InboxView *self = user_data;
  g_auto(GStrv) ids = visible_ids (self, TRUE);

  if (self->store != NULL)
    bulk_set_read (self, (const char * const *) ids, TRUE);
}

static void
mark_selected (InboxView *self,
               gboolean   read)
{
  g_auto(GStrv) ids = visible_ids (self, FALSE);

  if (self->store == NULL || ids[0] == NULL)
    return;
  bulk_set_read (self, (const char * const *) ids, read);
  set_selection_mode (self, FALSE);
}

static void
mark_selected_read_action_cb (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  mark_selected (user_data, TRUE);
}

static void
mark_selected_unread_action_cb (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  mark_selected (user_data, FALSE);
}

static void
delete_selected_action_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  InboxView *self = user_data;
  g_auto(GStrv) ids = visible_ids (self, FALSE);
  g_autofree char *text = NULL;
  guint n = g_strv_length (ids);

  if (self->store == NULL || n == 0)
    return;

  /* off the screen at once; on disk, in one transaction, when the Undo
   * toast goes */
  set_selection_mode (self, FALSE);
  inbox_store_hide_many (self->store, (const char * const *) ids);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message deleted", "%u messages deleted", n), n);
  offer_undo (self, BULK_DELETE, FALSE, g_steal_pointer (&ids), text);
}

static void
undo_bulk (InboxView *self,
           guint      serial)
{
  BulkUndo *undo = g_hash_table_lookup (self->undos, GUINT_TO_POINTER (serial));
  g_autoptr(GError) error = NULL;

  if (undo == NULL)
    return;

  g_hash_table_steal (self->undos, GUINT_TO_POINTER (serial));
  if (undo->kind == BULK_DELETE)
    inbox_store_unhide_many (undo->store, (const char * const *) undo->ids);
  else
    {
      g_auto(GStrv) ids = filter_ids (undo->store, (const char * const *) undo->ids, FALSE, TRUE, FALSE);

      if (!inbox_store_set_read_many (undo->store, (const char * const *) ids, !undo->read, &error))
        add_text_toast (self, error->message);
    }
  adw_toast_dismiss (undo->toast);
  bulk_undo_free (undo);
}

static void
undo_bulk_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  undo_bulk (user_data, g_variant_get_uint32 (parameter));
}

static void
select_all_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  InboxView *self = user_data;
  GtkSelectionModel *selection = visible_selection (self);

  if (selection == NULL || g_list_model_get_n_items (G_LIST_MODEL (selection)) == 0)
    return;
  set_selection_mode (self, TRUE);
  gtk_selection_model_select_all (selection);
}

static void
selection_mode_change_cb (GSimpleAction *action,
                          GVariant      *value,
                          gpointer       user_data)
{
  set_selection_mode (user_data, g_variant_get_boolean (value));
}

static void
leave_selection_action_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  set_selection_mode (user_data, FALSE);
}

static void
toggle_read_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  InboxView *self = user_data;
  InboxMessage *message = inbox_store_lookup (self->store, g_variant_get_string (parameter, NULL), NULL);

  if (message != NULL)
    set_read (self, parameter, !inbox_message_get_read (message));
}

/* Escape leaves selection mode; out of it, the key is someone else's. */
static gboolean
escape_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  InboxView *self = INBOX_VIEW (widget);

  if (!self->selection_mode)
    return FALSE;
  set_selection_mode (self, FALSE);
  return TRUE;
}

/* Ctrl+A selects the visible tab, when it lists messages. */
static gboolean
select_all_shortcut_cb (GtkWidget *widget,
                        GVariant  *args,
                        gpointer   user_data)
{
  InboxView *self = INBOX_VIEW (widget);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "select-all");

  if (!g_action_get_enabled (action))
    return FALSE;
  g_action_activate (action, NULL);
  return TRUE;
}

static void
undo_last_delete_action_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  InboxView *self = user_data;
  g_autoptr(GPtrArray) hidden = inbox_store_get_hidden (self->store);

  /* the last bulk action, while its toast shows */
  if (g_hash_table_contains (self->undos, GUINT_TO_POINTER (self->undo_serial)))
    undo_bulk (self, self->undo_serial);
  else if (hidden->len > 0)
    inbox_store_unhide (self->store, g_ptr_array_index (hidden, hidden->len - 1));
}

static void
retry_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  InboxView *self = user_data;

  if (self->client != NULL)
    inbox_client_sync_now (self->client);
}

static const GActionEntry inbox_actions[] = {
  { "click", click_action_cb, "(sii)" },
  { "mark-read", mark_read_action_cb, "s" },
  { "mark-unread", mark_unread_action_cb, "s" },
  { "delete", delete_action_cb, "s" },
  { "undo-delete", undo_delete_action_cb, "s" },
  { "undo-last-delete", undo_last_delete_action_cb },
  { "retry", retry_action_cb },
  { "toggle-read", toggle_read_action_cb, "s" },
  { "mark-all-read", mark_all_read_action_cb },
  { "select-all", select_all_action_cb },
  { "selection-mode", NULL, NULL, "false", selection_mode_change_cb },
  { "leave-selection", leave_selection_action_cb },
  { "mark-selected-read", mark_selected_read_action_cb },
  { "mark-selected-unread", mark_selected_unread_action_cb },
  { "delete-selected", delete_selected_action_cb },
  { "undo-bulk", undo_bulk_action_cb, "u" },
};

static void
commit_store_deletes (InboxView  *self,
                      InboxStore *store)
{
  g_autoptr(GPtrArray) hidden = inbox_store_get_hidden (store);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  if (hidden->len == 0)
    return;

  /* all of them in one transaction; nothing is lost when it fails: they
   * come back and the toast says why */
  for (guint i = 0; i < hidden->len; i++)
    g_strv_builder_add (builder, inbox_message_get_id (g_ptr_array_index (hidden, i)));
  ids = g_strv_builder_end (builder);
  if (!inbox_store_delete_many (store, (const char * const *) ids, &error))
    {
      inbox_store_unhide_many (store, (const char * const *) ids);
      add_text_toast (self, error->message);
    }
}

/**
 * inbox_view_commit_deletes:
 * @self: a view
 *
 * Writes every deletion still waiting behind an Undo toast. The view does it
 * itself when it goes; a host app that quits without destroying its windows
 * calls it first.
 */
void
inbox_view_commit_deletes (InboxView *self)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  if (self->store != NULL)
    commit_store_deletes (self, self->store);
}

/* --- the pages --- */

static void
update_page (InboxView *self)
{
  InboxClientState state = self->client != NULL ? inbox_client_get_state (self->client) : INBOX_CLIENT_STATE_LOADING;
  guint n = self->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;
  const char *reason = NULL;
  const char *page;

  if (state == INBOX_CLIENT_STATE_NEEDS_SIGN_IN)
    page = "sign-in";
  else if (state == INBOX_CLIENT_STATE_LOADING || self->store == NULL)
    page = "loading";
  else if (n > 0)
    page = "messages";
  else if (state == INBOX_CLIENT_STATE_ERROR || state == INBOX_CLIENT_STATE_OFFLINE)
    page = "error";
  else
    page = "empty";

  /* nothing saved to show: the error page says why */
  if (state == INBOX_CLIENT_STATE_ERROR)
    reason = inbox_client_get_error_message (self->client);
  else if (state == INBOX_CLIENT_STATE_OFFLINE)
    reason = inbox_client_get_offline_reason (self->client);
  adw_status_page_set_description (self->error_page, reason);

  gtk_revealer_set_reveal_child (self->offline_revealer,
                                 state == INBOX_CLIENT_STATE_OFFLINE && g_str_equal (page, "messages"));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), page) != 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, page);
      if (!g_str_equal (page, "messages"))
        set_selection_mode (self, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
    }
  update_selection_actions (self);
}

/**
 * inbox_view_get_visible_page:
 * @self: a view
 *
 * Gets #InboxView:visible-page.
 *
 * Returns: what the view shows: "loading", "messages", "empty", "error" or
 *   "sign-in"
 */
const char *
inbox_view_get_visible_page (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

static void
offline_reason_changed_cb (InboxView *self)
{
  const char *reason = self->client != NULL ? inbox_client_get_offline_reason (self->client) : NULL;
  g_autofree char *text = NULL;

  if (reason == NULL)
    return;

  /* Translators: %s says why the server could not be reached */
  text = g_strdup_printf (_("Offline, showing saved messages: %s"), reason);
  gtk_label_set_text (self->offline_label, text);
}

static void
sign_in_shown (InboxView *self)
{
  inbox_sign_in_view_set_fields (self->sign_in_view, inbox_client_get_server_url (self->client),
                                 inbox_client_get_user (self->client));
  inbox_sign_in_view_set_error (self->sign_in_view, inbox_client_get_sign_in_reason (self->client));
  inbox_sign_in_view_set_busy (self->sign_in_view, FALSE);
  inbox_sign_in_view_focus_first_empty (self->sign_in_view);
}

static void
state_changed_cb (InboxView *self)
{
  offline_reason_changed_cb (self);
  update_page (self);
  if (self->client != NULL && inbox_client_get_state (self->client) == INBOX_CLIENT_STATE_NEEDS_SIGN_IN)
    sign_in_shown (self);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(InboxView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (inbox_client_sign_in_finish (INBOX_CLIENT (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* the last sign-in did not work: say why and let the user try again */
  inbox_sign_in_view_set_busy (self->sign_in_view, FALSE);
  inbox_sign_in_view_set_error (self->sign_in_view, error->message);
  inbox_sign_in_view_focus_first_empty (self->sign_in_view);
}

static void
sign_in_submit_cb (InboxView  *self,
                   const char *server_url,
                   const char *user,
                   const char *token)
{
  if (self->client == NULL)
    return;

  inbox_sign_in_view_set_error (self->sign_in_view, NULL);
  inbox_sign_in_view_set_busy (self->sign_in_view, TRUE);
  inbox_client_sign_in_async (self->client, server_url, user, token, self->sign_in_cancellable,
                              signed_in_cb, g_object_ref (self));
}

/* --- the tabs --- */

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  InboxView                *self)
{
  GtkWidget *row = inbox_message_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  /* the view selects (Ctrl, Shift, selection mode), not the list */
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, row);
  g_object_set_data (G_OBJECT (row), "inbox-list-item", item);

  /* before the card sees the click */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (row_pressed_cb), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 InboxView                *self)
{
  inbox_message_row_set_search (INBOX_MESSAGE_ROW (gtk_list_item_get_child (item)), self->search);
  inbox_message_row_bind (INBOX_MESSAGE_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item), inbox_client_get_media_cache (self->client),
                          inbox_store_now (self->store));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   InboxView                *self)
{
  inbox_message_row_unbind (INBOX_MESSAGE_ROW (gtk_list_item_get_child (item)));
}

static void update_tab_states (InboxView *self);
static void tab_model_changed_cb (GListModel *model,
                                  guint       position,
                                  guint       removed,
                                  guint       added,
                                  GtkWidget  *tab_stack);
static GListModel *filter_tab (InboxView  *self,
                               GListModel *model,
                               GtkWidget  *tab_stack);

static void
add_tab (InboxView  *self,
         GListModel *model,
         const char *name,
         const char *title)
{
  GtkWidget *tab_stack = gtk_stack_new ();
  g_autoptr(GtkMultiSelection) selection = gtk_multi_selection_new (filter_tab (self, model, tab_stack));
  GtkEventController *keys;
  GtkWidget *scrolled, *clamp, *list, *empty;
  g_autofree char *empty_title = NULL;
  AdwViewStackPage *page;

  /* the factory first: given both at once, GTK 4.8 sets up every row
   * without it and then again with it */
  list = gtk_list_view_new (NULL, g_object_ref (self->factory));
  gtk_list_view_set_model (GTK_LIST_VIEW (list), GTK_SELECTION_MODEL (selection));
  gtk_widget_add_css_class (list, "inbox-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect_object (selection, "selection-changed", G_CALLBACK (update_selection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (selection, "items-changed", G_CALLBACK (update_selection), self, G_CONNECT_SWAPPED);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self, 0);
  gtk_widget_add_controller (list, keys);

  clamp = adw_clamp_scrollable_new ();
  adw_clamp_scrollable_set_maximum_size (ADW_CLAMP_SCROLLABLE (clamp), 600);
  adw_clamp_scrollable_set_tightening_threshold (ADW_CLAMP_SCROLLABLE (clamp), 400);
  adw_clamp_scrollable_set_child (ADW_CLAMP_SCROLLABLE (clamp), list);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);

  /* Translators: the empty state of a tab; %s is the tag */
  empty_title = g_strdup_printf (_("Nothing in “%s”"), title);
  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "app-inbox-empty-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), empty_title);
  adw_status_page_set_description (ADW_STATUS_PAGE (empty), _("Messages with this tag will show up here"));

  gtk_stack_add_named (GTK_STACK (tab_stack), scrolled, "list");
  gtk_stack_add_named (GTK_STACK (tab_stack), empty, "empty");
  g_signal_connect_object (model, "items-changed", G_CALLBACK (tab_model_changed_cb), tab_stack, 0);

  page = adw_view_stack_add_titled (self->view_stack, tab_stack, name, title);
  adw_view_stack_page_set_icon_name (page, "app-inbox-empty-symbolic");
  g_ptr_array_add (self->tab_pages, page);

  inbox_read_tracker_add_view (self->tracker, scrolled, list);
  g_ptr_array_add (self->tab_models, g_object_ref (model));
  g_ptr_array_add (self->tab_lists, list);
  update_tab_states (self);
}

/* Each tab's badge: its unread messages. */
static void
update_badges (InboxView *self)
{
  for (guint i = 0; i < self->tab_models->len; i++)
    {
      GListModel *model = g_ptr_array_index (self->tab_models, i);
      guint unread = 0;

      if (model == G_LIST_MODEL (self->store))
        unread = inbox_store_get_unread_count (self->store);
      else
        for (guint j = 0, n = g_list_model_get_n_items (model); j < n; j++)
          {
            g_autoptr(InboxMessage) message = g_list_model_get_item (model, j);

            unread += !inbox_message_get_read (message);
          }

      adw_view_stack_page_set_badge_number (g_ptr_array_index (self->tab_pages, i), unread);
    }
}

/**
 * inbox_view_get_badge:
 * @self: a view
 * @tab: 0 for the tab of all messages, then one per tag of #InboxView:tags
 *
 * The unread count of one tab, as its badge shows it.
 *
 * Returns: the unread count the tab's badge shows
 */
guint
inbox_view_get_badge (InboxView *self,
                      guint      tab)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), 0);
  g_return_val_if_fail (tab < self->tab_pages->len, 0);

  return adw_view_stack_page_get_badge_number (g_ptr_array_index (self->tab_pages, tab));
}

/* --- search and the unread filter --- */

static void search_changed_cb (InboxView      *self,
                               GtkSearchEntry *entry);

static gboolean
message_shown_cb (gpointer item,
                  gpointer user_data)
{
  InboxView *self = user_data;
  InboxMessage *message = item;

  if (self->unread_only && inbox_message_get_read (message))
    return FALSE;
  if (self->search_ids != NULL && !g_hash_table_contains (self->search_ids, inbox_message_get_id (message)))
    return FALSE;
  return TRUE;
}

/* The tab's list as search and the filter narrow it; its stack shows the
 * list, the tab's empty state, or "no results". */
static GListModel *
filter_tab (InboxView  *self,
            GListModel *model,
            GtkWidget  *tab_stack)
{
  GtkFilterListModel *filtered = gtk_filter_list_model_new (g_object_ref (model), g_object_ref (GTK_FILTER (self->filter)));
  GtkWidget *no_results = adw_status_page_new ();

  gtk_stack_add_named (GTK_STACK (tab_stack), no_results, "no-results");
  g_signal_connect_object (filtered, "items-changed", G_CALLBACK (tab_model_changed_cb), tab_stack, 0);
  g_ptr_array_add (self->tab_filtered, g_object_ref (filtered));
  g_ptr_array_add (self->tab_stacks, tab_stack);
  return G_LIST_MODEL (filtered);
}

static void
update_tab_states (InboxView *self)
{
  gboolean searching = self->search_ids != NULL;

  for (guint i = 0; i < self->tab_stacks->len && i < self->tab_models->len; i++)
    {
      GtkStack *tab_stack = g_ptr_array_index (self->tab_stacks, i);
      AdwStatusPage *no_results = ADW_STATUS_PAGE (gtk_stack_get_child_by_name (tab_stack, "no-results"));
      const char *name = "list";

      if (g_list_model_get_n_items (g_ptr_array_index (self->tab_models, i)) == 0)
        name = "empty";
      else if (g_list_model_get_n_items (g_ptr_array_index (self->tab_filtered, i)) == 0)
        name = "no-results";

      adw_status_page_set_icon_name (no_results, searching ? "edit-find-symbolic" : "app-inbox-empty-symbolic");
      adw_status_page_set_title (no_results, searching ? _("No Results Found") : _("No Unread Messages"));
      adw_status_page_set_description (no_results, searching ? _("Try a different search")
                                                              : _("Choose “All” to see the messages you have read"));
      gtk_stack_set_visible_child_name (tab_stack, name);
    }
}

/* A tab's list changed (the tab goes with its stack, and so does this). */
static void
tab_model_changed_cb (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      GtkWidget  *tab_stack)
{
  GtkWidget *view = gtk_widget_get_ancestor (tab_stack, INBOX_TYPE_VIEW);

  if (view != NULL)
    update_tab_states (INBOX_VIEW (view));
}

static void
refilter (InboxView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_tab_states (self);
}

/* Shows the results of @search (NULL: no search): the lists, and the
 * highlights of every card, built or to come. */
static void
show_results (InboxView   *self,
              InboxSearch *search,
              GHashTable  *ids)
{
  g_set_object (&self->search, search);
  g_clear_pointer (&self->search_ids, g_hash_table_unref);
  self->search_ids = ids != NULL ? g_hash_table_ref (ids) : NULL;

  /* the rows on the lists now; a row bound later gets it when bound */
  for (guint i = 0; i < self->tab_lists->len; i++)
    {
      GtkWidget *list = g_ptr_array_index (self->tab_lists, i);

      for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL; item = gtk_widget_get_next_sibling (item))
        {
          GtkWidget *row = gtk_widget_get_first_child (item);

          if (row != NULL && INBOX_IS_MESSAGE_ROW (row))
            inbox_message_row_set_search (INBOX_MESSAGE_ROW (row), search);
        }
    }
  refilter (self);
}

typedef struct {
  InboxView    *view;
  InboxSearch  *search;
  GCancellable *cancellable;
} PendingSearch;

static void
pending_search_free (PendingSearch *pending)
{
  g_object_unref (pending->view);
  g_object_unref (pending->search);
  g_object_unref (pending->cancellable);
  g_free (pending);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PendingSearch *pending = user_data;
  InboxView *self = pending->view;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = inbox_store_search_finish (INBOX_STORE (source), result, &error);

  /* an older query's results (or another store's) are not wanted */
  if (pending->cancellable != self->search_cancellable || INBOX_STORE (source) != self->store ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pending_search_free (pending);
      return;
    }

  g_clear_object (&self->search_cancellable);
  if (ids == NULL)
    {
      g_warning ("Could not search for “%s”: %s", inbox_search_get_text (pending->search), error->message);
      ids = g_hash_table_new (g_str_hash, g_str_equal);
    }
  show_results (self, pending->search, ids);
  pending_search_free (pending);
}

/* Runs the search for the query in the store's worker; the results show
 * when they come, unless a newer query came first. */
static void
start_search (InboxView *self)
{
  PendingSearch *pending;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->search_query == NULL || self->store == NULL)
    {
      if (self->search_ids != NULL || self->search != NULL)
        show_results (self, NULL, NULL);
      return;
    }

  self->search_cancellable = g_cancellable_new ();
  pending = g_new0 (PendingSearch, 1);
  pending->view = g_object_ref (self);
  pending->search = inbox_search_new (self->search_query);
  pending->cancellable = g_object_ref (self->search_cancellable);
  inbox_store_search_async (self->store, pending->search, self->search_cancellable, search_done_cb, pending);
}

static void
store_items_changed_for_search_cb (InboxView  *self,
                                   guint       position,
                                   guint       removed,
                                   guint       added,
                                   GListModel *store)
{
  /* new messages (a sync, an Undo) are searched too */
  if (added > 0 && self->search_query != NULL)
    start_search (self);
}

/**
 * inbox_view_get_search_query:
 * @self: a view
 *
 * Gets #InboxView:search-query.
 *
 * Returns: (nullable): what the list is searched for, or %NULL
 */
const char *
inbox_view_get_search_query (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return self->search_query;
}

/**
 * inbox_view_set_search_query:
 * @self: a view
 * @query: (nullable): what to search for; %NULL or "" for every message
 *
 * Sets #InboxView:search-query, and shows it in the search bar (opened for
 * a query, left as it is for none). The results show when the search,
 * which runs in a worker thread, is done.
 */
void
inbox_view_set_search_query (InboxView  *self,
                             const char *query)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  if (query != NULL && *query == '\0')
    query = NULL;
  if (g_strcmp0 (self->search_query, query) == 0)
    return;

  g_free (self->search_query);
  self->search_query = g_strdup (query);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), query != NULL ? query : "") != 0)
    {
      g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query != NULL ? query : "");
      g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
    }
  if (query != NULL)
    gtk_search_bar_set_search_mode (self->search_bar, TRUE);

  start_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_QUERY]);
}

/**
 * inbox_view_get_unread_only:
 * @self: a view
 *
 * Gets #InboxView:unread-only.
 *
 * Returns: whether the tabs show only unread messages
 */
gboolean
inbox_view_get_unread_only (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), FALSE);

  return self->unread_only;
}

/**
 * inbox_view_set_unread_only:
 * @self: a view
 * @unread_only: %TRUE to show only the unread messages of each tab
 *
 * Sets #InboxView:unread-only, as the All / Unread pair over the list does.
 */
void
inbox_view_set_unread_only (InboxView *self,
                            gboolean   unread_only)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  unread_only = !!unread_only;
  if (self->unread_only == unread_only)
    return;

  self->unread_only = unread_only;
  gtk_toggle_button_set_active (unread_only ? self->unread_button : self->all_button, TRUE);
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_ONLY]);
}

/* Whether a search has been asked for and its results are not shown yet. */
gboolean
inbox_view_is_searching (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), FALSE);

  return self->search_cancellable != NULL;
}

static void
search_changed_cb (InboxView      *self,
                   GtkSearchEntry *entry)
{
  inbox_view_set_search_query (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
filter_toggled_cb (InboxView       *self,
                   GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button))
    inbox_view_set_unread_only (self, button == self->unread_button);
}

static void
search_mode_changed_cb (InboxView *self)
{
  gboolean on = gtk_search_bar_get_search_mode (self->search_bar);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "search");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (on));
  /* leaving search shows every message again */
  if (!on)
    inbox_view_set_search_query (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE]);
}

/**
 * inbox_view_get_search_mode:
 * @self: a view
 *
 * Gets #InboxView:search-mode.
 *
 * Returns: whether the search bar is shown
 */
gboolean
inbox_view_get_search_mode (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), FALSE);

  return gtk_search_bar_get_search_mode (self->search_bar);
}

/**
 * inbox_view_set_search_mode:
 * @self: a view
 * @search_mode: %TRUE to show the search bar (with the focus in its entry),
 *   %FALSE to leave the search
 *
 * Sets #InboxView:search-mode, as `inbox.search` (Ctrl+F) and Escape do. A
 * host app binds a search button of its header bar to it.
 */
void
inbox_view_set_search_mode (InboxView *self,
                            gboolean   search_mode)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, search_mode);
  if (search_mode)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_action_change_state_cb (GSimpleAction *action,
                               GVariant      *state,
                               gpointer       user_data)
{
  inbox_view_set_search_mode (user_data, g_variant_get_boolean (state));
}

/* Escape in the list leaves the search; without one it goes on to others. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  InboxView *self = INBOX_VIEW (widget);

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    return FALSE;
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  return TRUE;
}

static void
rebuild_tabs (InboxView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->view_stack))) != NULL)
    {
      AdwViewStackPage *page = adw_view_stack_get_page (self->view_stack, child);

      if (page == NULL)
        break;
      adw_view_stack_remove (self->view_stack, adw_view_stack_page_get_child (page));
    }
  set_selection_mode (self, FALSE);
  g_ptr_array_set_size (self->tab_models, 0);
  g_ptr_array_set_size (self->tab_pages, 0);
  g_ptr_array_set_size (self->tab_filtered, 0);
  g_ptr_array_set_size (self->tab_stacks, 0);
  g_ptr_array_set_size (self->tab_lists, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), self->tags != NULL && self->tags[0] != NULL);
  if (self->store == NULL)
    return;

  add_tab (self, G_LIST_MODEL (self->store), "all",
           self->first_tab_title != NULL ? self->first_tab_title : _("All"));
  for (guint i = 0; self->tags != NULL && self->tags[i] != NULL; i++)
    {
      g_autoptr(InboxTagFilter) filter = inbox_tag_filter_new (G_LIST_MODEL (self->store), self->tags[i]);
      g_autofree char *name = g_strdup_printf ("tag-%u", i);

      add_tab (self, G_LIST_MODEL (filter), name, self->tags[i]);
      g_signal_connect_object (filter, "items-changed", G_CALLBACK (update_badges), self, G_CONNECT_SWAPPED);
    }
  update_badges (self);

  adw_view_stack_set_visible_child_name (self->view_stack, "all");
  update_selection (self);
}

/* The client's store, shown: a new one (opened, or another user signed in)
 * gets new tabs and a new read tracker; deletions behind Undo toasts of the
 * old one are written first. */
static void
store_changed_cb (InboxView *self)
{
  InboxStore *store = self->client != NULL ? inbox_client_get_store (self->client) : NULL;

  if (store == self->store)
    return;

  if (self->store != NULL)
    {
      commit_store_deletes (self, self->store);
      g_signal_handlers_disconnect_by_data (self->store, self);
    }
  if (self->tracker != NULL)
    inbox_read_tracker_set_active (self->tracker, FALSE);
  g_clear_object (&self->tracker);
  g_set_object (&self->store, store);

  if (store != NULL)
    {
      self->tracker = inbox_read_tracker_new (store);
      g_signal_connect_object (store, "items-changed", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "notify::unread-count", G_CALLBACK (update_badges), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "items-changed", G_CALLBACK (store_items_changed_for_search_cb), self,
                               G_CONNECT_SWAPPED);
    }
  /* a search goes on in the new store; nothing shows until it answers */
  if (self->search_query != NULL)
    {
      g_clear_pointer (&self->search_ids, g_hash_table_unref);
      self->search_ids = g_hash_table_new (g_str_hash, g_str_equal);
    }
  rebuild_tabs (self);
  start_search (self);
  if (self->tracker != NULL)
    inbox_read_tracker_set_active (self->tracker, gtk_widget_get_mapped (GTK_WIDGET (self)));
  update_page (self);
}

static void
notice_cb (InboxView  *self,
           const char *text)
{
  add_text_toast (self, text);
}

/* --- notifications: the notifier follows the window --- */

static void
follow_window (InboxView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_pointer (&self->window_active_binding, g_binding_unbind);
  if (GTK_IS_WINDOW (root))
    self->window_active_binding = g_object_bind_property (root, "is-active", self->notifier, "window-active",
                                                          G_BINDING_SYNC_CREATE);
  else
    inbox_notifier_set_window_active (self->notifier, FALSE);
}

static void
unfollow_window (InboxView *self)
{
  g_clear_pointer (&self->window_active_binding, g_binding_unbind);
  if (self->notifier != NULL)
    inbox_notifier_set_window_active (self->notifier, FALSE);
}

/* The notification was activated: the message, in a window in front. */
static void
notification_activated_cb (InboxView  *self,
                           const char *message_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  inbox_view_reveal_message (self, message_id);
  if (GTK_IS_WINDOW (root))
    gtk_window_present (GTK_WINDOW (root));
}

/* --- session activity: any input to the window --- */

static void
activity_cb (InboxView *self)
{
  if (self->client != NULL)
    inbox_client_activity (self->client);
}

/* For the signals that ask whether the event was handled (key-pressed,
 * scroll): the view only watches, so the event always goes on. */
static gboolean
activity_propagate_cb (InboxView *self)
{
  activity_cb (self);
  return GDK_EVENT_PROPAGATE;
}

static void
unwatch_root (InboxView *self)
{
  if (self->watched_root == NULL)
    return;

  for (guint i = 0; i < self->root_controllers->len; i++)
    gtk_widget_remove_controller (self->watched_root, g_ptr_array_index (self->root_controllers, i));
  g_ptr_array_set_size (self->root_controllers, 0);
  self->watched_root = NULL;
}

static void
watch_controller (InboxView          *self,
                  GtkEventController *controller,
                  const char         *signal,
                  GCallback           callback)
{
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, signal, callback, self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->watched_root, controller);
  g_ptr_array_add (self->root_controllers, controller);
}

static void
watch_root (InboxView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->watched_root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  /* key-pressed and scroll return whether they handled the event: a
   * handler without a return value would answer at random, and swallow
   * the window's keys and scrolling in the capture phase */
  watch_controller (self, gtk_event_controller_key_new (), "key-pressed", G_CALLBACK (activity_propagate_cb));
  watch_controller (self, GTK_EVENT_CONTROLLER (click), "pressed", G_CALLBACK (activity_cb));
  watch_controller (self, gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES), "scroll",
                    G_CALLBACK (activity_propagate_cb));
  watch_controller (self, gtk_event_controller_motion_new (), "motion", G_CALLBACK (activity_cb));
}

static void
inbox_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (inbox_view_parent_class)->root (widget);

  watch_root (INBOX_VIEW (widget));
  follow_window (INBOX_VIEW (widget));
}

static void
inbox_view_unroot (GtkWidget *widget)
{
  unwatch_root (INBOX_VIEW (widget));
  unfollow_window (INBOX_VIEW (widget));

  GTK_WIDGET_CLASS (inbox_view_parent_class)->unroot (widget);
}

static void
mapped_changed_cb (InboxView *self)
{
  if (self->tracker != NULL)
    inbox_read_tracker_set_active (self->tracker, gtk_widget_get_mapped (GTK_WIDGET (self)));
}

/* --- properties --- */

/**
 * inbox_view_get_client:
 * @self: a view
 *
 * Gets #InboxView:client.
 *
 * Returns: (transfer none) (nullable): the client shown
 */
InboxClient *
inbox_view_get_client (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return self->client;
}

/**
 * inbox_view_set_client:
 * @self: a view
 * @client: (nullable): the client to show
 *
 * Shows @client, started if it was not yet.
 */
void
inbox_view_set_client (InboxView   *self,
                       InboxClient *client)
{
  g_return_if_fail (INBOX_IS_VIEW (self));
  g_return_if_fail (client == NULL || INBOX_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  inbox_notifier_set_client (self->notifier, client);
  if (client != NULL)
    {
      g_signal_connect_object (client, "notify::state", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::offline-reason", G_CALLBACK (state_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::sign-in-reason", G_CALLBACK (state_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::error-message", G_CALLBACK (update_page), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::store", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notice", G_CALLBACK (notice_cb), self, G_CONNECT_SWAPPED);
      inbox_client_flush_notices (client);
      inbox_client_start (client);
    }

  store_changed_cb (self);
  state_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * inbox_view_get_tags:
 * @self: a view
 *
 * Gets #InboxView:tags.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the tags
 *   that have a tab of their own
 */
const char * const *
inbox_view_get_tags (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return (const char * const *) self->tags;
}

/**
 * inbox_view_set_tags:
 * @self: a view
 * @tags: (nullable) (array zero-terminated=1): one tab each after the first
 *   (all messages); none: a plain list
 *
 * Sets #InboxView:tags: one tab per tag after the tab of all messages,
 * matched case-insensitively with the messages' tags.
 */
void
inbox_view_set_tags (InboxView          *self,
                     const char * const *tags)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  if (tags != NULL && tags[0] == NULL)
    tags = NULL;
  if (tags == NULL ? self->tags == NULL : self->tags != NULL && g_strv_equal (tags, (const char * const *) self->tags))
    return;
  g_strfreev (self->tags);
  self->tags = g_strdupv ((GStrv) tags);
  rebuild_tabs (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

/**
 * inbox_view_get_first_tab_title:
 * @self: a view
 *
 * Gets #InboxView:first-tab-title.
 *
 * Returns: the title of the tab of all messages
 */
const char *
inbox_view_get_first_tab_title (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return self->first_tab_title != NULL ? self->first_tab_title : _("All");
}

/**
 * inbox_view_set_first_tab_title:
 * @self: a view
 * @title: (nullable): the title of the tab of all messages; %NULL for “All”
 *
 * Sets #InboxView:first-tab-title.
 */
void
inbox_view_set_first_tab_title (InboxView  *self,
                                const char *title)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  if (g_strcmp0 (self->first_tab_title, title) == 0)
    return;
  g_free (self->first_tab_title);
  self->first_tab_title = g_strdup (title);
  rebuild_tabs (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_TAB_TITLE]);
}

/**
 * inbox_view_get_empty_title:
 * @self: a view
 *
 * Gets #InboxView:empty-title.
 *
 * Returns: the title of the empty inbox
 */
const char *
inbox_view_get_empty_title (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return adw_status_page_get_title (self->empty_page);
}

/**
 * inbox_view_set_empty_title:
 * @self: a view
 * @title: what the empty inbox says, such as “No Messages”
 *
 * Sets #InboxView:empty-title.
 */
void
inbox_view_set_empty_title (InboxView  *self,
                            const char *title)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  if (g_strcmp0 (adw_status_page_get_title (self->empty_page), title) == 0)
    return;
  adw_status_page_set_title (self->empty_page, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY_TITLE]);
}

/**
 * inbox_view_get_empty_description:
 * @self: a view
 *
 * Gets #InboxView:empty-description.
 *
 * Returns: (nullable): the text under the empty inbox's title
 */
const char *
inbox_view_get_empty_description (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return adw_status_page_get_description (self->empty_page);
}

/**
 * inbox_view_set_empty_description:
 * @self: a view
 * @description: (nullable): the text under the empty inbox's title
 *
 * Sets #InboxView:empty-description.
 */
void
inbox_view_set_empty_description (InboxView  *self,
                                  const char *description)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  if (g_strcmp0 (adw_status_page_get_description (self->empty_page), description) == 0)
    return;
  adw_status_page_set_description (self->empty_page, description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY_DESCRIPTION]);
}

/**
 * inbox_view_get_allowed_schemes:
 * @self: a view
 *
 * Gets #InboxView:allowed-schemes.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the app
 *   link schemes opened besides http, https and mailto
 */
const char * const *
inbox_view_get_allowed_schemes (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return (const char * const *) self->allowed_schemes;
}

/**
 * inbox_view_set_allowed_schemes:
 * @self: a view
 * @schemes: (nullable) (array zero-terminated=1): app link schemes (such as
 *   `myapp`) to open besides http, https and mailto
 *
 * Sets #InboxView:allowed-schemes. A scheme that may never be opened
 * (`file`, `javascript`, …) is not opened even when listed: see
 * inbox_link_scheme_is_allowed().
 */
void
inbox_view_set_allowed_schemes (InboxView          *self,
                                const char * const *schemes)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  if (schemes == NULL ? self->allowed_schemes == NULL
                      : self->allowed_schemes != NULL && g_strv_equal (schemes, (const char * const *) self->allowed_schemes))
    return;
  g_strfreev (self->allowed_schemes);
  self->allowed_schemes = g_strdupv ((GStrv) schemes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOWED_SCHEMES]);
}

/**
 * inbox_view_get_open_links:
 * @self: a view
 *
 * Gets #InboxView:open-links.
 *
 * Returns: whether the view opens links itself
 */
gboolean
inbox_view_get_open_links (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), FALSE);

  return self->open_links;
}

/**
 * inbox_view_set_open_links:
 * @self: a view
 * @open_links: %FALSE to open no link and leave it to
 *   #InboxView::message-clicked handlers
 *
 * Sets #InboxView:open-links.
 */
void
inbox_view_set_open_links (InboxView *self,
                           gboolean   open_links)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  if (self->open_links == !!open_links)
    return;
  self->open_links = !!open_links;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_LINKS]);
}

/**
 * inbox_view_get_view_stack:
 * @self: a view
 *
 * The tabs, for an #AdwViewSwitcherTitle in the host app's header bar. The
 * view shows its own #AdwViewSwitcherBar at the bottom when the window is
 * narrow.
 *
 * Returns: (transfer none): the stack of the tabs
 */
AdwViewStack *
inbox_view_get_view_stack (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return self->view_stack;
}

/**
 * inbox_view_get_switcher_bar:
 * @self: a view
 *
 * The tabs at the bottom of the view, for a narrow window: bind its
 * #AdwViewSwitcherBar:reveal to the #AdwViewSwitcherTitle:title-visible of
 * the switcher in the host app's header bar, so that the tabs show at the
 * bottom when they no longer fit at the top.
 *
 * Returns: (transfer none): the view's switcher bar
 */
AdwViewSwitcherBar *
inbox_view_get_switcher_bar (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return self->switcher_bar;
}

void
inbox_view_set_uri_func (InboxView    *self,
                         InboxUriFunc  func,
                         gpointer      user_data)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  self->uri_func = func != NULL ? func : default_uri_func;
  self->uri_data = user_data;
}

InboxReadTracker *
inbox_view_get_read_tracker (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return self->tracker;
}

InboxSignInView *
inbox_view_get_sign_in_view (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return self->sign_in_view;
}

/* --- the object --- */

static void
inbox_view_dispose (GObject *object)
{
  InboxView *self = (InboxView *) object;

  g_cancellable_cancel (self->sign_in_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  /* a tab's list may outlive the view a moment: it filters nothing then */
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  if (self->store != NULL)
    commit_store_deletes (self, self->store);
  if (self->tracker != NULL)
    inbox_read_tracker_set_active (self->tracker, FALSE);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  unwatch_root (self);
  unfollow_window (self);
  if (self->notifier != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->notifier, self);
      inbox_notifier_set_client (self->notifier, NULL);
      g_clear_object (&self->notifier);
    }

  G_OBJECT_CLASS (inbox_view_parent_class)->dispose (object);
}

static void
inbox_view_finalize (GObject *object)
{
  InboxView *self = (InboxView *) object;

  g_clear_object (&self->tracker);
  g_clear_object (&self->factory);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_pointer (&self->tab_models, g_ptr_array_unref);
  g_clear_pointer (&self->tab_pages, g_ptr_array_unref);
  g_clear_pointer (&self->tab_lists, g_ptr_array_unref);
  g_clear_pointer (&self->undos, g_hash_table_unref);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->root_controllers, g_ptr_array_unref);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->allowed_schemes, g_strfreev);
  g_clear_pointer (&self->first_tab_title, g_free);
  g_clear_pointer (&self->tab_filtered, g_ptr_array_unref);
  g_clear_pointer (&self->tab_stacks, g_ptr_array_unref);
  g_clear_pointer (&self->search_query, g_free);
  g_clear_pointer (&self->search_ids, g_hash_table_unref);
  g_clear_object (&self->search);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (inbox_view_parent_class)->finalize (object);
}

static void
inbox_view_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  InboxView *self = INBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;
    case PROP_FIRST_TAB_TITLE:
      g_value_set_string (value, inbox_view_get_first_tab_title (self));
      break;
    case PROP_EMPTY_TITLE:
      g_value_set_string (value, inbox_view_get_empty_title (self));
      break;
    case PROP_EMPTY_DESCRIPTION:
      g_value_set_string (value, inbox_view_get_empty_description (self));
      break;
    case PROP_ALLOWED_SCHEMES:
      g_value_set_boxed (value, self->allowed_schemes);
      break;
    case PROP_OPEN_LINKS:
      g_value_set_boolean (value, self->open_links);
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, inbox_view_get_visible_page (self));
      break;
    case PROP_SEARCH_QUERY:
      g_value_set_string (value, self->search_query);
      break;
    case PROP_UNREAD_ONLY:
      g_value_set_boolean (value, self->unread_only);
      break;
    case PROP_SEARCH_MODE:
      g_value_set_boolean (value, inbox_view_get_search_mode (self));
      break;
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selection_mode);
      break;
    case PROP_N_SELECTED:
      g_value_set_uint (value, self->n_selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_view_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  InboxView *self = INBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      inbox_view_set_client (self, g_value_get_object (value));
      break;
    case PROP_TAGS:
      inbox_view_set_tags (self, g_value_get_boxed (value));
      break;
    case PROP_FIRST_TAB_TITLE:
      inbox_view_set_first_tab_title (self, g_value_get_string (value));
      break;
    case PROP_EMPTY_TITLE:
      inbox_view_set_empty_title (self, g_value_get_string (value));
      break;
    case PROP_EMPTY_DESCRIPTION:
      inbox_view_set_empty_description (self, g_value_get_string (value));
      break;
    case PROP_ALLOWED_SCHEMES:
      inbox_view_set_allowed_schemes (self, g_value_get_boxed (value));
      break;
    case PROP_OPEN_LINKS:
      inbox_view_set_open_links (self, g_value_get_boolean (value));
      break;
    case PROP_SEARCH_QUERY:
      inbox_view_set_search_query (self, g_value_get_string (value));
      break;
    case PROP_UNREAD_ONLY:
      inbox_view_set_unread_only (self, g_value_get_boolean (value));
      break;
    case PROP_SEARCH_MODE:
      inbox_view_set_search_mode (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTION_MODE:
      inbox_view_set_selection_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_view_class_init (InboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = inbox_view_dispose;
  object_class->finalize = inbox_view_finalize;
  object_class->get_property = inbox_view_get_property;
  object_class->set_property = inbox_view_set_property;
  widget_class->root = inbox_view_root;
  widget_class->unroot = inbox_view_unroot;

  /**
   * InboxView:client:
   *
   * The inbox shown.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, INBOX_TYPE_CLIENT, rw);

  /**
   * InboxView:tags:
   *
   * The tags that have a tab of their own, after the tab of all messages.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);

  /**
   * InboxView:first-tab-title:
   *
   * The title of the tab of all messages (“All”).
   */
  properties[PROP_FIRST_TAB_TITLE] =
    g_param_spec_string ("first-tab-title", NULL, NULL, NULL, rw);

  /**
   * InboxView:empty-title:
   *
   * What the empty inbox says (“No Messages”).
   */
  properties[PROP_EMPTY_TITLE] =
    g_param_spec_string ("empty-title", NULL, NULL, NULL, rw);

  /**
   * InboxView:empty-description:
   *
   * The text under the empty inbox's title.
   */
  properties[PROP_EMPTY_DESCRIPTION] =
    g_param_spec_string ("empty-description", NULL, NULL, NULL, rw);

  /**
   * InboxView:allowed-schemes:
   *
   * App link schemes opened besides http, https and mailto.
   */
  properties[PROP_ALLOWED_SCHEMES] =
    g_param_spec_boxed ("allowed-schemes", NULL, NULL, G_TYPE_STRV, rw);

  /**
   * InboxView:open-links:
   *
   * Whether the view opens the links of cards and `url` buttons itself.
   */
  properties[PROP_OPEN_LINKS] =
    g_param_spec_boolean ("open-links", NULL, NULL, TRUE, rw);

  /**
   * InboxView:visible-page:
   *
   * What the view shows: "loading", "messages", "empty", "error" or
   * "sign-in".
   */
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InboxView:search-query:
   *
   * What the tabs' lists are searched for, as typed in the search bar:
   * messages with each word as the start of a word of their title, message
   * text, button labels or tags, case and accents aside. %NULL (or "") for
   * no search.
   */
  properties[PROP_SEARCH_QUERY] =
    g_param_spec_string ("search-query", NULL, NULL, NULL, rw);

  /**
   * InboxView:search-mode:
   *
   * Whether the search bar is shown (`inbox.search`, Ctrl+F); leaving it
   * clears #InboxView:search-query.
   */
  properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL, FALSE, rw);

  /**
   * InboxView:unread-only:
   *
   * Whether the tabs show only unread messages (the Unread of the All /
   * Unread pair over the list). A message read while shown stays until the
   * filter or the search changes.
   */
  properties[PROP_UNREAD_ONLY] =
    g_param_spec_boolean ("unread-only", NULL, NULL, FALSE, rw);

  /**
   * InboxView:selection-mode:
   *
   * Whether the view is selecting messages: clicks select cards instead of
   * opening them, and a bar at the bottom offers Mark Read, Mark Unread and
   * Delete for the selection. Selecting a card (Ctrl+click, Shift+click,
   * Ctrl+A) turns it on; Escape, Cancel, a bulk action or another tab turn
   * it off. The host app shows a selection header with
   * #InboxView:n-selected while it is on.
   */
  properties[PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL, FALSE, rw);

  /**
   * InboxView:n-selected:
   *
   * How many messages of the visible tab are selected.
   */
  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InboxView::message-clicked:
   * @self: the view
   * @message: the message
   * @slide: the slide (0 for single-item templates)
   * @button: the button, or -1 for the card or slide
   *
   * Every click on a card or a button, after the view did what it does
   * (open the link, copy) and recorded the Clicked event.
   */
  signals[MESSAGE_CLICKED] =
    g_signal_new ("message-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, INBOX_TYPE_MESSAGE, G_TYPE_INT, G_TYPE_INT);

  /**
   * InboxView::button-activated:
   * @self: the view
   * @message: the message
   * @kv: (element-type utf8 utf8): the button's string map
   *
   * A `kv` button: its map is for the host app; nothing is opened. The map
   * belongs to the message's content: copy what you keep past the handler.
   */
  signals[BUTTON_ACTIVATED] =
    g_signal_new ("button-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, INBOX_TYPE_MESSAGE, G_TYPE_HASH_TABLE);

  g_type_ensure (INBOX_TYPE_SIGN_IN_VIEW);
  inbox_widget_class_set_template (widget_class, "inbox-view.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InboxView, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, InboxView, offline_label);
  gtk_widget_class_bind_template_child (widget_class, InboxView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, InboxView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, InboxView, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, InboxView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, InboxView, error_page);
  gtk_widget_class_bind_template_child (widget_class, InboxView, sign_in_view);
  gtk_widget_class_bind_template_child (widget_class, InboxView, retry_button);
  gtk_widget_class_bind_template_child (widget_class, InboxView, try_again_button);
  gtk_widget_class_bind_template_child (widget_class, InboxView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, InboxView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, InboxView, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, InboxView, all_button);
  gtk_widget_class_bind_template_child (widget_class, InboxView, unread_button);
  gtk_widget_class_bind_template_child (widget_class, InboxView, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, InboxView, select_read_button);
  gtk_widget_class_bind_template_child (widget_class, InboxView, select_unread_button);
  gtk_widget_class_bind_template_child (widget_class, InboxView, select_delete_button);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_submit_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_toggled_cb);
  gtk_widget_class_set_css_name (widget_class, "inboxview");
}

static void
init_search (InboxView *self)
{
  static const GActionEntry search_actions[] = {
    { "search", NULL, NULL, "false", search_action_change_state_cb },
  };
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  self->tab_filtered = g_ptr_array_new_with_free_func (g_object_unref);
  self->tab_stacks = g_ptr_array_new ();
  self->filter = gtk_custom_filter_new (message_shown_cb, self, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), search_actions, G_N_ELEMENTS (search_actions), self);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* typing in the list starts a search */
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->view_stack));
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (search_mode_changed_cb),
                           self, G_CONNECT_SWAPPED);

  /* Ctrl+F wherever the focus is in the window; Escape leaves the search */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("inbox.search")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (escape_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

static void
inbox_view_init (InboxView *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names a button with a mnemonic label by its label ("_Retry")
   * and by the label inside ("Retry"): "_Retry Retry". The label inside
   * is the name. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->retry_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->try_again_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->select_read_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->select_unread_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->select_delete_button), GTK_ACCESSIBLE_PROPERTY_LABEL);

  self->open_links = TRUE;
  self->uri_func = default_uri_func;
  self->sign_in_cancellable = g_cancellable_new ();
  self->tab_models = g_ptr_array_new_with_free_func (g_object_unref);
  self->tab_pages = g_ptr_array_new ();
  self->tab_lists = g_ptr_array_new ();
  self->undos = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) bulk_undo_free);
  self->select_anchor = G_MAXUINT;
  self->root_controllers = g_ptr_array_new ();
  self->factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (self->factory, "setup", G_CALLBACK (factory_setup_cb), self);
  g_signal_connect (self->factory, "bind", G_CALLBACK (factory_bind_cb), self);
  g_signal_connect (self->factory, "unbind", G_CALLBACK (factory_unbind_cb), self);
  self->notifier = inbox_notifier_new (NULL);
  g_signal_connect_swapped (self->notifier, "message-activated", G_CALLBACK (notification_activated_cb), self);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), inbox_actions, G_N_ELEMENTS (inbox_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "inbox", G_ACTION_GROUP (self->actions));
  init_search (self);
  update_selection_actions (self);
  g_signal_connect_object (self->view_stack, "notify::visible-child", G_CALLBACK (leave_selection_cb), self,
                           G_CONNECT_SWAPPED);

  /* Ctrl+Z wherever the focus is in the window */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("inbox.undo-last-delete")));
  /* Ctrl+A and Escape, unless a text field takes them first */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (select_all_shortcut_cb, NULL, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (escape_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_swapped (self, "map", G_CALLBACK (mapped_changed_cb), self);
  g_signal_connect_swapped (self, "unmap", G_CALLBACK (mapped_changed_cb), self);
}

/**
 * inbox_view_new:
 * @client: (nullable): the inbox to show
 *
 * Makes a view of @client, which it starts (inbox_client_start()).
 *
 * Returns: (transfer floating): a new view
 */
GtkWidget *
inbox_view_new (InboxClient *client)
{
  return g_object_new (INBOX_TYPE_VIEW, "client", client, NULL);
}

/**
 * inbox_view_get_notifier:
 * @self: a view
 *
 * The view's notifier: it announces the new messages of the view's client
 * with a desktop notification while the view's window is not the active
 * one, and the view shows the message when the notification is activated
 * (inbox_view_reveal_message()). Turn it off with its
 * #InboxNotifier:enabled.
 *
 * Returns: (transfer none) (nullable): the view's notifier; %NULL once the
 *   view is disposed
 */
InboxNotifier *
inbox_view_get_notifier (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return self->notifier;
}

/* The list of a tab: its stack's "list" page, a scrolled window around a
 * clamp around the list. */
static GtkWidget *
tab_list_view (InboxView *self,
               guint      tab)
{
  AdwViewStackPage *page = g_ptr_array_index (self->tab_pages, tab);
  GtkWidget *list_page = gtk_stack_get_child_by_name (GTK_STACK (adw_view_stack_page_get_child (page)), "list");
  GtkWidget *clamp = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (list_page));

  return adw_clamp_scrollable_get_child (ADW_CLAMP_SCROLLABLE (clamp));
}

static gboolean
find_in_model (GListModel *model,
               const char *message_id,
               guint      *position)
{
  for (guint i = 0, n = g_list_model_get_n_items (model); i < n; i++)
    {
      g_autoptr(InboxMessage) message = g_list_model_get_item (model, i);

      if (g_str_equal (inbox_message_get_id (message), message_id))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * inbox_view_reveal_message:
 * @self: a view
 * @message_id: the `_id` of a message
 *
 * Scrolls the list to the message: in the tab shown when it holds the
 * message, otherwise in the tab of all messages. A search or the unread
 * filter that hides the message is left first.
 *
 * Returns: %TRUE when the message is there to show, %FALSE when the inbox
 *   does not hold it (deleted, expired, or another user's)
 */
gboolean
inbox_view_reveal_message (InboxView  *self,
                           const char *message_id)
{
  GtkWidget *visible;
  guint tab = 0, position;

  g_return_val_if_fail (INBOX_IS_VIEW (self), FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);

  if (self->store == NULL || self->tab_pages->len == 0 || inbox_store_lookup (self->store, message_id, &position) == NULL)
    return FALSE;

  visible = adw_view_stack_get_visible_child (self->view_stack);
  for (guint i = 1; i < self->tab_pages->len; i++)
    if (adw_view_stack_page_get_child (g_ptr_array_index (self->tab_pages, i)) == visible &&
        find_in_model (g_ptr_array_index (self->tab_models, i), message_id, &position))
      tab = i;

  /* the list shows the tab as search and the unread filter narrow it: one
   * that hides the message is left */
  if (!find_in_model (g_ptr_array_index (self->tab_filtered, tab), message_id, &position))
    {
      inbox_view_set_search_query (self, NULL);
      inbox_view_set_search_mode (self, FALSE);
      inbox_view_set_unread_only (self, FALSE);
      if (!find_in_model (g_ptr_array_index (self->tab_filtered, tab), message_id, &position))
        return FALSE;
    }

  adw_view_stack_set_visible_child (self->view_stack,
                                    adw_view_stack_page_get_child (g_ptr_array_index (self->tab_pages, tab)));
  gtk_widget_activate_action (tab_list_view (self, tab), "list.scroll-to-item", "u", position);
  return TRUE;
}

/**
 * inbox_view_get_selection_mode:
 * @self: a view
 *
 * Gets #InboxView:selection-mode.
 *
 * Returns: whether the view is selecting messages
 */
gboolean
inbox_view_get_selection_mode (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), FALSE);

  return self->selection_mode;
}

/**
 * inbox_view_set_selection_mode:
 * @self: a view
 * @selection_mode: %TRUE to select messages, %FALSE to leave selection
 *   mode (the selection is dropped)
 *
 * Sets #InboxView:selection-mode.
 */
void
inbox_view_set_selection_mode (InboxView *self,
                               gboolean   selection_mode)
{
  g_return_if_fail (INBOX_IS_VIEW (self));

  set_selection_mode (self, selection_mode);
}

/**
 * inbox_view_get_n_selected:
 * @self: a view
 *
 * Gets #InboxView:n-selected.
 *
 * Returns: how many messages of the visible tab are selected
 */
guint
inbox_view_get_n_selected (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), 0);

  return self->n_selected;
}

/**
 * inbox_view_get_action_group:
 * @self: a view
 *
 * The view's `inbox` actions, for the host app's header bar and menus,
 * which are outside the view: insert the group in the window, e.g.
 * `gtk_widget_insert_action_group (window, "inbox", group)`, and a menu
 * item or button there can name `inbox.mark-all-read`,
 * `inbox.selection-mode`, `inbox.select-all` or `inbox.leave-selection`.
 *
 * Returns: (transfer none): the view's `inbox` action group
 */
GActionGroup *
inbox_view_get_action_group (InboxView *self)
{
  g_return_val_if_fail (INBOX_IS_VIEW (self), NULL);

  return G_ACTION_GROUP (self->actions);
}
