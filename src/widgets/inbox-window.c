/* inbox-window.c
 *
 * The header bar (title with the unread count, primary menu, sync spinner),
 * one tab per configured tag after "All", a GtkListView per tab in a clamp,
 * and the states: loading, empty, error with the reason and a retry, and
 * offline over cached messages. The "inbox" action group answers the cards:
 * clicks, mark read/unread, delete with Undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-window"

#include "config.h"

#include <glib/gi18n.h>

#include "inbox-message-row.h"
#include "inbox-sign-in-view.h"
#include "inbox-tag-filter.h"
#include "inbox-window.h"

struct _InboxWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  AdwWindowTitle       *window_title;   /* the title when there are no tabs */
  AdwViewSwitcherBar   *switcher_bar;
  GtkSpinner           *sync_spinner;
  GtkRevealer          *offline_revealer;
  GtkLabel             *offline_label;
  GtkRevealer          *preview_revealer;
  GtkLabel             *preview_error_label;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwStatusPage        *error_page;
  InboxSignInView      *sign_in_view;

  InboxStore           *store;
  InboxMediaCache      *media;
  GSettings            *settings;
  InboxReadTracker     *tracker;
  GtkListItemFactory   *factory;
  GStrv                 allowed_schemes;
  GPtrArray            *tab_models;

  InboxUriFunc          uri_func;
  gpointer              uri_data;

  char                 *error;
  guint                 loaded : 1;
  guint                 offline : 1;
  guint                 signing_in : 1;
  char                 *offline_reason;
  char                 *preview_error;
};

G_DEFINE_FINAL_TYPE (InboxWindow, inbox_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MEDIA_CACHE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MESSAGE_CLICKED,
  BUTTON_ACTIVATED,
  RETRY,
  SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
default_uri_func (GtkWindow  *window,
                  const char *uri,
                  gpointer    user_data)
{
  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

void
inbox_window_add_toast (InboxWindow *self,
                        const char  *text)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* http, https, mailto and the app schemes of the settings; nothing else
 * (file:, javascript:, data: …), even when the settings were written
 * straight, not through the preferences: inbox_link_scheme_is_allowed()
 * is the one rule. */
gboolean
inbox_window_is_link_allowed (InboxWindow *self,
                              const char  *uri)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), FALSE);

  return inbox_link_scheme_is_allowed (uri, (const char * const *) self->allowed_schemes);
}

static void
open_link (InboxWindow *self,
           const char  *uri)
{
  if (!inbox_window_is_link_allowed (self, uri))
    {
      g_autofree char *scheme = g_uri_parse_scheme (uri);
      g_autofree char *text = NULL;

      g_message ("Refused to open %s: its scheme is not allowed", uri);
      /* Translators: %s is a link's scheme, like "file" or "javascript" */
      text = g_strdup_printf (_("Links of the kind “%s” are not opened"), scheme != NULL ? scheme : uri);
      inbox_window_add_toast (self, text);
      return;
    }

  self->uri_func (GTK_WINDOW (self), uri, self->uri_data);
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

static void
click_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  InboxWindow *self = user_data;
  g_autoptr(InboxMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  const char *id, *button_text = NULL;
  InboxContent *content = NULL;
  int slide, button;

  g_variant_get (parameter, "(&sii)", &id, &slide, &button);
  message = inbox_store_lookup (self->store, id, NULL);
  if (message == NULL)
    return;
  g_object_ref (message);

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
          inbox_window_add_toast (self, _("Copied to clipboard"));
          break;
        case INBOX_LINK_KV:
          g_signal_emit (self, signals[BUTTON_ACTIVATED], 0, message, inbox_link_get_kv (link));
          keys = join_keys (inbox_link_get_kv (link));
          /* Translators: %s lists the keys a button hands to the app */
          text = g_strdup_printf (_("Handed to the app: %s"), *keys != '\0' ? keys : _("no values"));
          inbox_window_add_toast (self, text);
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
    g_warning ("Could not record a click on %s: %s", id, error->message);

  g_signal_emit (self, signals[MESSAGE_CLICKED], 0, message, slide, button);
}

static void
set_read (InboxWindow *self,
          GVariant    *parameter,
          gboolean     read)
{
  g_autoptr(GError) error = NULL;
  InboxMessage *message = inbox_store_lookup (self->store, g_variant_get_string (parameter, NULL), NULL);

  if (message == NULL)
    return;

  if (!inbox_store_set_read (self->store, message, read, &error))
    inbox_window_add_toast (self, error->message);
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
commit_delete (InboxWindow  *self,
               InboxMessage *message)
{
  g_autoptr(GError) error = NULL;

  if (!inbox_store_delete (self->store, message, &error))
    {
      /* nothing is lost: the message comes back and says why */
      inbox_store_unhide (self->store, message);
      inbox_window_add_toast (self, error->message);
    }
}

static void
toast_dismissed_cb (AdwToast    *toast,
                    InboxWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (toast), "message-id");
  InboxMessage *message = inbox_store_lookup_hidden (self->store, id);

  if (message != NULL)
    commit_delete (self, message);
}

static void
delete_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  InboxWindow *self = user_data;
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
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_delete_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  InboxWindow *self = user_data;
  InboxMessage *message = inbox_store_lookup_hidden (self->store, g_variant_get_string (parameter, NULL));

  if (message != NULL)
    inbox_store_unhide (self->store, message);
}

/* Writes every deletion still waiting behind an Undo toast. */
void
inbox_window_commit_deletes (InboxWindow *self)
{
  g_autoptr(GPtrArray) hidden = NULL;

  g_return_if_fail (INBOX_IS_WINDOW (self));

  hidden = inbox_store_get_hidden (self->store);
  for (guint i = 0; i < hidden->len; i++)
    commit_delete (self, g_ptr_array_index (hidden, i));
}

static void
retry_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[RETRY], 0);
}

static const GActionEntry inbox_actions[] = {
  { "click", click_action_cb, "(sii)" },
  { "mark-read", mark_read_action_cb, "s" },
  { "mark-unread", mark_unread_action_cb, "s" },
  { "delete", delete_action_cb, "s" },
  { "undo-delete", undo_delete_action_cb, "s" },
};

static void
update_title (InboxWindow *self)
{
  guint unread = inbox_store_get_unread_count (self->store);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (unread > 0)
    {
      /* Translators: the window title with the number of unread messages */
      title = g_strdup_printf (_("Inbox (%u)"), unread);
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unread", "%u unread", unread), unread);
    }

  gtk_window_set_title (GTK_WINDOW (self), title != NULL ? title : _("Inbox"));
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle != NULL ? subtitle : "");
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
}

static void
update_state (InboxWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  const char *page;

  if (self->signing_in)
    page = "sign-in";
  else if (!self->loaded)
    page = "loading";
  else if (n > 0)
    page = "messages";
  else if (self->error != NULL || self->offline)
    page = "error";
  else
    page = "empty";

  /* nothing saved to show: the error page says why */
  adw_status_page_set_description (self->error_page, self->error != NULL ? self->error : self->offline_reason);

  gtk_stack_set_visible_child_name (self->main_stack, page);
  gtk_revealer_set_reveal_child (self->offline_revealer,
                                 self->offline && g_str_equal (page, "messages"));
  gtk_revealer_set_reveal_child (self->preview_revealer,
                                 self->preview_error != NULL &&
                                 (g_str_equal (page, "messages") || g_str_equal (page, "empty")));
}

/* "loading", "messages", "empty", "error" or "sign-in": what the window shows. */
const char *
inbox_window_get_state (InboxWindow *self)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  InboxWindow              *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, inbox_message_row_new ());
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 InboxWindow              *self)
{
  inbox_message_row_bind (INBOX_MESSAGE_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item), self->media, inbox_store_now (self->store));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   InboxWindow              *self)
{
  inbox_message_row_unbind (INBOX_MESSAGE_ROW (gtk_list_item_get_child (item)));
}

static void
tab_items_changed_cb (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      GtkStack   *tab_stack)
{
  gtk_stack_set_visible_child_name (tab_stack, g_list_model_get_n_items (model) > 0 ? "list" : "empty");
}

static void
add_tab (InboxWindow *self,
         GListModel  *model,
         const char  *name,
         const char  *title)
{
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (model));
  GtkWidget *tab_stack, *scrolled, *clamp, *list, *empty;
  g_autofree char *empty_title = NULL;
  AdwViewStackPage *page;

  /* the factory first: given both at once, GTK 4.8 sets up every row
   * without it and then again with it */
  list = gtk_list_view_new (NULL, g_object_ref (self->factory));
  gtk_list_view_set_model (GTK_LIST_VIEW (list), GTK_SELECTION_MODEL (selection));
  gtk_widget_add_css_class (list, "inbox-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

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

  tab_stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (tab_stack), scrolled, "list");
  gtk_stack_add_named (GTK_STACK (tab_stack), empty, "empty");
  g_signal_connect_object (model, "items-changed", G_CALLBACK (tab_items_changed_cb), tab_stack, 0);
  tab_items_changed_cb (model, 0, 0, 0, GTK_STACK (tab_stack));

  page = adw_view_stack_add_titled (self->view_stack, tab_stack, name, title);
  adw_view_stack_page_set_icon_name (page, "app-inbox-empty-symbolic");

  inbox_read_tracker_add_view (self->tracker, scrolled, list);
  g_ptr_array_add (self->tab_models, g_object_ref (model));
}

/**
 * inbox_window_set_tags:
 * @tags: (nullable): one tab each after "All"; none: a plain list
 */
void
inbox_window_set_tags (InboxWindow        *self,
                       const char * const *tags)
{
  GtkWidget *child;
  gboolean has_tabs = tags != NULL && tags[0] != NULL;

  g_return_if_fail (INBOX_IS_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->view_stack))) != NULL)
    {
      AdwViewStackPage *page = adw_view_stack_get_page (self->view_stack, child);

      if (page == NULL)
        break;
      adw_view_stack_remove (self->view_stack, adw_view_stack_page_get_child (page));
    }
  g_ptr_array_set_size (self->tab_models, 0);

  add_tab (self, G_LIST_MODEL (self->store), "all", _("All"));
  for (guint i = 0; has_tabs && tags[i] != NULL; i++)
    {
      g_autoptr(InboxTagFilter) filter = inbox_tag_filter_new (G_LIST_MODEL (self->store), tags[i]);
      g_autofree char *name = g_strdup_printf ("tag-%u", i);

      add_tab (self, G_LIST_MODEL (filter), name, tags[i]);
    }

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, has_tabs);
  adw_header_bar_set_title_widget (self->header_bar,
                                   has_tabs ? GTK_WIDGET (self->switcher_title) : GTK_WIDGET (self->window_title));
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), has_tabs);
  adw_view_stack_set_visible_child_name (self->view_stack, "all");
}

void
inbox_window_set_allowed_schemes (InboxWindow        *self,
                                  const char * const *schemes)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  g_strfreev (self->allowed_schemes);
  self->allowed_schemes = g_strdupv ((GStrv) schemes);
}

void
inbox_window_set_uri_func (InboxWindow  *self,
                           InboxUriFunc  func,
                           gpointer      user_data)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  self->uri_func = func != NULL ? func : default_uri_func;
  self->uri_data = user_data;
}

void
inbox_window_set_loaded (InboxWindow *self,
                         gboolean     loaded)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  self->loaded = !!loaded;
  update_state (self);
}

void
inbox_window_set_syncing (InboxWindow *self,
                          gboolean     syncing)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  gtk_spinner_set_spinning (self->sync_spinner, syncing);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), syncing);
}

/**
 * inbox_window_set_offline:
 * @reason: (nullable): why the server cannot be reached; %NULL when online
 *
 * Cached messages stay on screen under a note that says so.
 */
void
inbox_window_set_offline (InboxWindow *self,
                          const char  *reason)
{
  g_autofree char *text = NULL;

  g_return_if_fail (INBOX_IS_WINDOW (self));

  self->offline = reason != NULL;
  g_free (self->offline_reason);
  self->offline_reason = g_strdup (reason);
  if (reason != NULL)
    {
      /* Translators: %s says why the server could not be reached */
      text = g_strdup_printf (_("Offline, showing saved messages: %s"), reason);
      gtk_label_set_text (self->offline_label, text);
    }
  update_state (self);
}

/**
 * inbox_window_show_error:
 * @reason: (nullable): what went wrong, shown with a retry when there is
 *   nothing to show; %NULL to clear
 */
void
inbox_window_show_error (InboxWindow *self,
                         const char  *reason)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  g_free (self->error);
  self->error = g_strdup (reason);
  self->loaded = TRUE;
  update_state (self);
}

/**
 * inbox_window_set_preview_error:
 * @error: (nullable): why the previewed file could not be shown again (with
 *   line and column for a JSON error); %NULL once it could
 *
 * The messages of the last good read stay on screen, under a bar that says
 * they are not up to date and why.
 */
void
inbox_window_set_preview_error (InboxWindow *self,
                                const char  *error)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  if (g_strcmp0 (self->preview_error, error) == 0)
    return;

  g_free (self->preview_error);
  self->preview_error = g_strdup (error);
  if (error != NULL)
    gtk_label_set_text (self->preview_error_label, error);
  update_state (self);
}

/* What the preview's error bar shows; %NULL while it is hidden. */
const char *
inbox_window_get_preview_error (InboxWindow *self)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), NULL);

  return gtk_revealer_get_reveal_child (self->preview_revealer) ? self->preview_error : NULL;
}

static void
sign_in_submit_cb (InboxWindow *self,
                   const char  *server_url,
                   const char  *user,
                   const char  *token)
{
  inbox_sign_in_view_set_error (self->sign_in_view, NULL);
  inbox_sign_in_view_set_busy (self->sign_in_view, TRUE);
  g_signal_emit (self, signals[SIGN_IN], 0, server_url, user, token);
}

/**
 * inbox_window_show_sign_in:
 * @server_url: (nullable): what to fill in
 * @user: (nullable): what to fill in
 * @reason: (nullable): why the user has to sign in (again)
 */
void
inbox_window_show_sign_in (InboxWindow *self,
                           const char  *server_url,
                           const char  *user,
                           const char  *reason)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  inbox_sign_in_view_set_fields (self->sign_in_view, server_url, user);
  inbox_sign_in_view_set_error (self->sign_in_view, reason);
  inbox_sign_in_view_set_busy (self->sign_in_view, FALSE);
  self->signing_in = TRUE;
  update_state (self);
  inbox_sign_in_view_focus_first_empty (self->sign_in_view);
}

/* The last sign-in did not work: say why and let the user try again. */
void
inbox_window_set_sign_in_error (InboxWindow *self,
                                const char  *reason)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  inbox_sign_in_view_set_busy (self->sign_in_view, FALSE);
  inbox_sign_in_view_set_error (self->sign_in_view, reason);
  inbox_sign_in_view_focus_first_empty (self->sign_in_view);
}

void
inbox_window_hide_sign_in (InboxWindow *self)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  inbox_sign_in_view_set_busy (self->sign_in_view, FALSE);
  self->signing_in = FALSE;
  update_state (self);
}

InboxSignInView *
inbox_window_get_sign_in_view (InboxWindow *self)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), NULL);

  return self->sign_in_view;
}

InboxStore *
inbox_window_get_store (InboxWindow *self)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), NULL);

  return self->store;
}

InboxReadTracker *
inbox_window_get_read_tracker (InboxWindow *self)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), NULL);

  return self->tracker;
}

static void
store_items_changed_cb (InboxWindow *self)
{
  update_state (self);
}

static void
mapped_changed_cb (InboxWindow *self)
{
  inbox_read_tracker_set_active (self->tracker, gtk_widget_get_mapped (GTK_WIDGET (self)));
}

static gboolean
inbox_window_close_request (GtkWindow *window)
{
  InboxWindow *self = INBOX_WINDOW (window);

  inbox_window_commit_deletes (self);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }

  return GTK_WINDOW_CLASS (inbox_window_parent_class)->close_request (window);
}

/* Preferences apply at once. */
static void
settings_changed_cb (InboxWindow *self,
                     const char  *key)
{
  g_auto(GStrv) value = NULL;

  if (g_str_equal (key, "tags"))
    {
      value = g_settings_get_strv (self->settings, "tags");
      inbox_window_set_tags (self, (const char * const *) value);
    }
  else if (g_str_equal (key, "allowed-schemes"))
    {
      value = g_settings_get_strv (self->settings, "allowed-schemes");
      inbox_window_set_allowed_schemes (self, (const char * const *) value);
    }
}

static void
inbox_window_constructed (GObject *object)
{
  InboxWindow *self = (InboxWindow *) object;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_auto(GStrv) tags = NULL;
  g_auto(GStrv) schemes = NULL;

  G_OBJECT_CLASS (inbox_window_parent_class)->constructed (object);

  g_action_map_add_action_entries (G_ACTION_MAP (group), inbox_actions, G_N_ELEMENTS (inbox_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "inbox", G_ACTION_GROUP (group));

  self->tracker = inbox_read_tracker_new (self->store);
  g_signal_connect_object (self->store, "notify::unread-count", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (store_items_changed_cb), self, G_CONNECT_SWAPPED);

  if (self->settings != NULL)
    {
      tags = g_settings_get_strv (self->settings, "tags");
      schemes = g_settings_get_strv (self->settings, "allowed-schemes");
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  inbox_window_set_allowed_schemes (self, (const char * const *) schemes);
  inbox_window_set_tags (self, (const char * const *) tags);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  update_title (self);
  update_state (self);
}

static void
inbox_window_dispose (GObject *object)
{
  InboxWindow *self = (InboxWindow *) object;

  if (self->tracker != NULL)
    inbox_read_tracker_set_active (self->tracker, FALSE);

  G_OBJECT_CLASS (inbox_window_parent_class)->dispose (object);
}

static void
inbox_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  InboxWindow *self = INBOX_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_MEDIA_CACHE:
      self->media = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  InboxWindow *self = INBOX_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_MEDIA_CACHE:
      g_value_set_object (value, self->media);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
undo_last_delete_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  InboxWindow *self = INBOX_WINDOW (widget);
  g_autoptr(GPtrArray) hidden = inbox_store_get_hidden (self->store);

  if (hidden->len > 0)
    inbox_store_unhide (self->store, g_ptr_array_index (hidden, hidden->len - 1));
}

static void
inbox_window_finalize (GObject *object)
{
  InboxWindow *self = (InboxWindow *) object;

  g_clear_object (&self->tracker);
  g_clear_object (&self->factory);
  g_clear_object (&self->switcher_title);
  g_clear_object (&self->window_title);
  g_clear_object (&self->store);
  g_clear_object (&self->media);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->tab_models, g_ptr_array_unref);
  g_clear_pointer (&self->allowed_schemes, g_strfreev);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->offline_reason, g_free);
  g_clear_pointer (&self->preview_error, g_free);

  G_OBJECT_CLASS (inbox_window_parent_class)->finalize (object);
}

static void
inbox_window_class_init (InboxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = inbox_window_constructed;
  object_class->dispose = inbox_window_dispose;
  object_class->finalize = inbox_window_finalize;
  object_class->get_property = inbox_window_get_property;
  object_class->set_property = inbox_window_set_property;
  window_class->close_request = inbox_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, INBOX_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEDIA_CACHE] =
    g_param_spec_object ("media-cache", NULL, NULL, INBOX_TYPE_MEDIA_CACHE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InboxWindow::message-clicked:
   * @message: the message
   * @slide: the slide (0 for single-item templates)
   * @button: the button, or -1 for the card or slide
   *
   * Every click, for the embedding app.
   */
  signals[MESSAGE_CLICKED] =
    g_signal_new ("message-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, INBOX_TYPE_MESSAGE, G_TYPE_INT, G_TYPE_INT);

  /**
   * InboxWindow::button-activated:
   * @message: the message
   * @kv: (element-type utf8 utf8): the button's string map
   *
   * A `kv` button: its map is for the embedding app; nothing is opened.
   */
  signals[BUTTON_ACTIVATED] =
    g_signal_new ("button-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, INBOX_TYPE_MESSAGE, G_TYPE_HASH_TABLE);

  /**
   * InboxWindow::retry:
   *
   * The user asked to try again after an error or while offline.
   */
  signals[RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * InboxWindow::sign-in:
   * @server_url: the server typed in
   * @user: the user typed in
   * @token: the token typed in
   *
   * The user filled in the sign-in page. The handler checks the account
   * and answers with inbox_window_set_sign_in_error() or
   * inbox_window_hide_sign_in().
   */
  signals[SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (INBOX_TYPE_SIGN_IN_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/appinbox/AppInbox/inbox-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, preview_revealer);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, preview_error_label);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, sign_in_view);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_submit_cb);

  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action_cb);
  gtk_widget_class_install_action (widget_class, "win.undo-last-delete", NULL, undo_last_delete_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo-last-delete", NULL);
}

static void
inbox_window_init (InboxWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* both titles live on while the other is in the header bar */
  g_object_ref (self->switcher_title);
  self->window_title = g_object_ref_sink (ADW_WINDOW_TITLE (adw_window_title_new (_("Inbox"), NULL)));

  self->uri_func = default_uri_func;
  self->tab_models = g_ptr_array_new_with_free_func (g_object_unref);
  self->factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (self->factory, "setup", G_CALLBACK (factory_setup_cb), self);
  g_signal_connect (self->factory, "bind", G_CALLBACK (factory_bind_cb), self);
  g_signal_connect (self->factory, "unbind", G_CALLBACK (factory_unbind_cb), self);

  g_signal_connect_swapped (self, "map", G_CALLBACK (mapped_changed_cb), self);
  g_signal_connect_swapped (self, "unmap", G_CALLBACK (mapped_changed_cb), self);
}

/**
 * inbox_window_new:
 * @settings: (nullable): tabs, allowed link schemes and window size
 */
InboxWindow *
inbox_window_new (GtkApplication  *application,
                  InboxStore      *store,
                  InboxMediaCache *media,
                  GSettings       *settings)
{
  InboxWindow *self;

  g_return_val_if_fail (INBOX_IS_STORE (store), NULL);
  g_return_val_if_fail (INBOX_IS_MEDIA_CACHE (media), NULL);

  self = g_object_new (INBOX_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "media-cache", media,
                       "settings", settings,
                       NULL);
  return self;
}
