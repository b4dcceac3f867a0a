/* inbox-window.c
 *
 * The app's window: a header bar (the title with the unread count, the tabs
 * of the InboxView, its search button, Select, the primary menu, a spinner
 * while syncing; in selection mode the selection's count, Select All and
 * Cancel), the bar of a --preview whose file no longer parses, the
 * InboxView, and the toasts. The view and its client decide everything else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-window"

#include "config.h"

#include <glib/gi18n.h>

#include "inbox-window.h"

struct _InboxWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  AdwHeaderBar         *selection_header;
  AdwWindowTitle       *selection_title;
  GtkWidget            *select_all_button;
  GtkWidget            *cancel_selection_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwWindowTitle       *window_title;   /* the title when there are no tabs */
  GtkSpinner           *sync_spinner;
  GtkWidget            *search_button;
  GtkRevealer          *preview_revealer;
  GtkLabel             *preview_error_label;
  InboxView            *view;

  InboxClient          *client;
  GSettings            *settings;
  char                 *preview_error;
};

G_DEFINE_FINAL_TYPE (InboxWindow, inbox_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
inbox_window_add_toast (InboxWindow *self,
                        const char  *text)
{
  g_return_if_fail (INBOX_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
update_title (InboxWindow *self)
{
  guint unread = inbox_client_get_unread_count (self->client);
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

/* In selection mode the header bar is the selection's: its count, Select
 * All and Cancel. */
static void
selection_changed_cb (InboxWindow *self)
{
  gboolean selecting = inbox_view_get_selection_mode (self->view);
  guint n = inbox_view_get_n_selected (self->view);
  g_autofree char *title = NULL;

  if (n > 0)
    /* Translators: the header bar in selection mode */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Selected", "%u Selected", n), n);
  adw_window_title_set_title (self->selection_title, title != NULL ? title : _("Select Messages"));
  gtk_widget_set_visible (GTK_WIDGET (self->selection_header), selecting);
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), !selecting);
}

static void
syncing_changed_cb (InboxWindow *self)
{
  gboolean syncing = inbox_client_get_syncing (self->client);

  gtk_spinner_set_spinning (self->sync_spinner, syncing);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), syncing);
}

/* With tags, the tabs are the title; without, the plain title. */
static void
tags_changed_cb (InboxWindow *self)
{
  const char * const *tags = inbox_view_get_tags (self->view);
  gboolean has_tabs = tags != NULL && tags[0] != NULL;

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, has_tabs);
  adw_header_bar_set_title_widget (self->header_bar,
                                   has_tabs ? GTK_WIDGET (self->switcher_title) : GTK_WIDGET (self->window_title));
}

static void
update_preview_bar (InboxWindow *self)
{
  const char *page = inbox_view_get_visible_page (self->view);

  gtk_revealer_set_reveal_child (self->preview_revealer,
                                 self->preview_error != NULL &&
                                 (g_str_equal (page, "messages") || g_str_equal (page, "empty")));
}

/* Search where there are messages to search. */
static void
update_search_button (InboxWindow *self)
{
  gtk_widget_set_visible (self->search_button, g_str_equal (inbox_view_get_visible_page (self->view), "messages"));
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
  update_preview_bar (self);
}

/* What the preview's error bar shows; %NULL while it is hidden. */
const char *
inbox_window_get_preview_error (InboxWindow *self)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), NULL);

  return gtk_revealer_get_reveal_child (self->preview_revealer) ? self->preview_error : NULL;
}

InboxView *
inbox_window_get_view (InboxWindow *self)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), NULL);

  return self->view;
}

InboxClient *
inbox_window_get_client (InboxWindow *self)
{
  g_return_val_if_fail (INBOX_IS_WINDOW (self), NULL);

  return self->client;
}

static gboolean
inbox_window_close_request (GtkWindow *window)
{
  InboxWindow *self = INBOX_WINDOW (window);

  inbox_view_commit_deletes (self->view);

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

static void
inbox_window_constructed (GObject *object)
{
  InboxWindow *self = (InboxWindow *) object;

  G_OBJECT_CLASS (inbox_window_parent_class)->constructed (object);

  adw_view_switcher_title_set_stack (self->switcher_title, inbox_view_get_view_stack (self->view));
  /* the header bar and the main menu reach the view's actions */
  gtk_widget_insert_action_group (GTK_WIDGET (self), "inbox", inbox_view_get_action_group (self->view));
  g_signal_connect_object (self->view, "notify::selection-mode", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::n-selected", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  selection_changed_cb (self);
  /* too narrow for the tabs at the top: at the bottom */
  g_object_bind_property (self->switcher_title, "title-visible", inbox_view_get_switcher_bar (self->view), "reveal",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->view, "notify::tags", G_CALLBACK (tags_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::visible-page", G_CALLBACK (update_preview_bar), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::visible-page", G_CALLBACK (update_search_button), self,
                           G_CONNECT_SWAPPED);
  g_object_bind_property (self->search_button, "active", self->view, "search-mode",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->client, "notify::unread-count", G_CALLBACK (update_title), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::syncing", G_CALLBACK (syncing_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* the preferences apply at once */
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "tags", self->view, "tags", G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "allowed-schemes", self->view, "allowed-schemes", G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "notifications", inbox_view_get_notifier (self->view), "enabled",
                       G_SETTINGS_BIND_GET);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  tags_changed_cb (self);
  inbox_view_set_client (self->view, self->client);
  update_search_button (self);
  update_title (self);
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
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_window_finalize (GObject *object)
{
  InboxWindow *self = (InboxWindow *) object;

  g_clear_object (&self->switcher_title);
  g_clear_object (&self->window_title);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
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
  object_class->finalize = inbox_window_finalize;
  object_class->get_property = inbox_window_get_property;
  object_class->set_property = inbox_window_set_property;
  window_class->close_request = inbox_window_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, INBOX_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (INBOX_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/appinbox/AppInbox/inbox-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, selection_header);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, selection_title);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, select_all_button);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, cancel_selection_button);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, preview_revealer);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, preview_error_label);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, view);
  gtk_widget_class_bind_template_child (widget_class, InboxWindow, search_button);
}

static void
inbox_window_init (InboxWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names a button with a mnemonic label "_Cancel Cancel": the
   * label inside is the name */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->select_all_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->cancel_selection_button), GTK_ACCESSIBLE_PROPERTY_LABEL);

  /* both titles live on while the other is in the header bar */
  g_object_ref (self->switcher_title);
  self->window_title = g_object_ref_sink (ADW_WINDOW_TITLE (adw_window_title_new (_("Inbox"), NULL)));
}

/**
 * inbox_window_new:
 * @client: the inbox to show
 * @settings: (nullable): tabs, allowed link schemes and window size
 */
InboxWindow *
inbox_window_new (GtkApplication *application,
                  InboxClient    *client,
                  GSettings      *settings)
{
  g_return_val_if_fail (INBOX_IS_CLIENT (client), NULL);

  return g_object_new (INBOX_TYPE_WINDOW,
                       "application", application,
                       "client", client,
                       "settings", settings,
                       NULL);
}
