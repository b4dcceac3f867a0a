/* inbox-preferences-window.c
 *
 * The account (server, user, and signing out), tabs (the tags that get
 * one) and the app link schemes that open. Each
 * list is typed comma-separated and applied with the row's apply button;
 * the window follows the settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "inbox-link.h"
#include "inbox-preferences-window.h"

struct _InboxPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwActionRow         *server_row;
  AdwActionRow         *user_row;
  AdwActionRow         *sign_out_row;
  GtkWidget            *sign_out_button;
  AdwEntryRow          *tags_row;
  AdwEntryRow          *schemes_row;
  GtkWidget            *notifications_switch;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (InboxPreferencesWindow, inbox_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  SIGN_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "Offers, news ,, Updates" → ["Offers", "news", "Updates"], duplicates
 * (case-insensitively) dropped; for schemes, lower case and only what a
 * URI scheme may hold. */
static GStrv
split_list (const char *text,
            gboolean    schemes)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *item = g_strstrip (g_strdup (parts[i]));
      g_autofree char *folded = NULL;

      if (schemes)
        {
          char *colon = strchr (item, ':');

          if (colon != NULL)
            *colon = '\0';
          for (char *p = item; *p != '\0'; p++)
            *p = g_ascii_tolower (*p);
          if (*item == '\0' || !g_ascii_isalpha (*item) ||
              strspn (item, "abcdefghijklmnopqrstuvwxyz0123456789+-.") != strlen (item))
            continue;
        }
      if (*item == '\0')
        continue;

      folded = g_utf8_casefold (item, -1);
      if (!g_hash_table_add (seen, g_steal_pointer (&folded)))
        continue;
      g_strv_builder_add (builder, item);
    }

  return g_strv_builder_end (builder);
}

static void
show_list (AdwEntryRow *row,
           GSettings   *settings,
           const char  *key)
{
  g_auto(GStrv) items = g_settings_get_strv (settings, key);
  g_autofree char *text = g_strjoinv (", ", items);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
tags_apply_cb (InboxPreferencesWindow *self)
{
  g_auto(GStrv) tags = split_list (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)), FALSE);

  g_settings_set_strv (self->settings, "tags", (const char * const *) tags);
  show_list (self->tags_row, self->settings, "tags");
}

static void
schemes_apply_cb (InboxPreferencesWindow *self)
{
  g_auto(GStrv) schemes = split_list (gtk_editable_get_text (GTK_EDITABLE (self->schemes_row)), TRUE);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  /* a scheme that could run or read anything stays refused: the same rule
   * as where links are opened */
  for (guint i = 0; schemes[i] != NULL; i++)
    if (inbox_link_is_app_scheme (schemes[i]))
      g_strv_builder_add (kept, schemes[i]);
    else
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Links of that kind are never opened")));

  result = g_strv_builder_end (kept);
  g_settings_set_strv (self->settings, "allowed-schemes", (const char * const *) result);
  show_list (self->schemes_row, self->settings, "allowed-schemes");
}

/* The account as the settings have it; signed out: nothing to sign out of. */
static void
show_account (InboxPreferencesWindow *self)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *user = g_settings_get_string (self->settings, "user");

  adw_action_row_set_subtitle (self->server_row, *server != '\0' ? server : _("None"));
  adw_action_row_set_subtitle (self->user_row, *user != '\0' ? user : _("Not signed in"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_row), *user != '\0');
}

static void
sign_out_response_cb (InboxPreferencesWindow *self,
                      const char             *response)
{
  if (g_strcmp0 (response, "sign-out") == 0)
    g_signal_emit (self, signals[SIGN_OUT], 0);
}

static void
sign_out_clicked_cb (InboxPreferencesWindow *self)
{
  g_autofree char *user = g_settings_get_string (self->settings, "user");
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: %s is the user name */
  heading = g_strdup_printf (_("Sign Out %s?"), user);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The token is removed from the keyring, and this account’s saved messages "
                                     "and pictures from this computer. Events not yet sent are dropped."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
inbox_preferences_window_dispose (GObject *object)
{
  InboxPreferencesWindow *self = (InboxPreferencesWindow *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (inbox_preferences_window_parent_class)->dispose (object);
}

static void
inbox_preferences_window_class_init (InboxPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/appinbox/AppInbox/inbox-preferences-window.ui");
  /**
   * InboxPreferencesWindow::sign-out:
   *
   * The user confirmed signing out.
   */
  signals[SIGN_OUT] = g_signal_new ("sign-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_bind_template_child (widget_class, InboxPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, InboxPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, InboxPreferencesWindow, sign_out_row);
  gtk_widget_class_bind_template_child (widget_class, InboxPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, InboxPreferencesWindow, tags_row);
  gtk_widget_class_bind_template_child (widget_class, InboxPreferencesWindow, schemes_row);
  gtk_widget_class_bind_template_callback (widget_class, tags_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, schemes_apply_cb);
  gtk_widget_class_bind_template_child (widget_class, InboxPreferencesWindow, notifications_switch);
}

static void
inbox_preferences_window_init (InboxPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names a button with a mnemonic label by its label ("_Sign Out…")
   * and then by what labels it (here the row's title): the label's text
   * without the mnemonic comes first */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_out_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (self->sign_out_button)))),
                                  -1);
}

GtkWidget *
inbox_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  InboxPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (INBOX_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  show_list (self->tags_row, settings, "tags");
  show_list (self->schemes_row, settings, "allowed-schemes");
  show_account (self);
  g_settings_bind (settings, "notifications", self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed::user", G_CALLBACK (show_account), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::server-url", G_CALLBACK (show_account), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}
