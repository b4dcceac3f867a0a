/* inbox-message-row.c
 *
 * Holds the template widget of its message's type (reused when the list
 * recycles the row for a message of the same type), says what the card is to
 * a screen reader, and offers Mark as Read/Unread and Delete by context menu
 * and keyboard. The actions ("inbox.mark-read", "inbox.mark-unread",
 * "inbox.delete", each with the message id) are the window's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "inbox-carousel-message.h"
#include "inbox-icon-message.h"
#include "inbox-image-carousel-message.h"
#include "inbox-message-row.h"
#include "inbox-simple-message.h"
#include "inbox-template-widget.h"
#include "inbox-time.h"

struct _InboxMessageRow
{
  AdwBin        parent_instance;

  InboxMessage *message;
  gulong        read_handler;
  gint64        now;
  GtkWidget    *menu;
};

G_DEFINE_FINAL_TYPE (InboxMessageRow, inbox_message_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
inbox_message_row_widget_type_for (InboxTemplate template_)
{
  switch (template_)
    {
    case INBOX_TEMPLATE_ICON:
      return INBOX_TYPE_ICON_MESSAGE;
    case INBOX_TEMPLATE_CAROUSEL:
      return INBOX_TYPE_CAROUSEL_MESSAGE;
    case INBOX_TEMPLATE_IMAGE_CAROUSEL:
      return INBOX_TYPE_IMAGE_CAROUSEL_MESSAGE;
    case INBOX_TEMPLATE_SIMPLE:
    default:
      return INBOX_TYPE_SIMPLE_MESSAGE;
    }
}

static const char *
template_description (InboxTemplate template_)
{
  switch (template_)
    {
    case INBOX_TEMPLATE_ICON:
      return _("Message with icon");
    case INBOX_TEMPLATE_CAROUSEL:
      return _("Carousel");
    case INBOX_TEMPLATE_IMAGE_CAROUSEL:
      return _("Picture carousel");
    case INBOX_TEMPLATE_SIMPLE:
    default:
      return _("Message");
    }
}

/* What a screen reader says for the card: template, title, unread, time. */
static void
update_accessible (InboxMessageRow *self)
{
  g_autofree char *time = NULL;
  g_autofree char *label = NULL;
  const char *title = NULL;
  InboxTemplate template_ = inbox_message_get_template (self->message);

  if (inbox_message_get_n_contents (self->message) > 0)
    title = inbox_content_get_title (inbox_message_get_content (self->message, 0));
  if (title == NULL && template_ == INBOX_TEMPLATE_IMAGE_CAROUSEL &&
      inbox_message_get_n_contents (self->message) > 0)
    title = inbox_content_get_media_alt_text (inbox_message_get_content (self->message, 0));

  time = inbox_format_relative_time (inbox_message_get_date (self->message), self->now, NULL);
  /* Translators: a card for a screen reader: "Carousel: Weekend offer. Unread. 2 hours ago" */
  label = g_strdup_printf (_("%s: %s. %s. %s"),
                           template_description (template_),
                           title != NULL ? title : "",
                           inbox_message_get_read (self->message) ? _("Read") : _("Unread"),
                           time);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
loading_changed_cb (InboxMessageRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
activate_action (InboxMessageRow *self,
                 const char      *action)
{
  if (self->message == NULL)
    return FALSE;

  return gtk_widget_activate_action (GTK_WIDGET (self), action, "s", inbox_message_get_id (self->message));
}

static void
popup_menu (InboxMessageRow *self,
            double           x,
            double           y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) read_item = NULL;
  g_autoptr(GMenuItem) delete_item = NULL;
  gboolean read;
  GVariant *id;

  if (self->message == NULL)
    return;

  id = g_variant_new_string (inbox_message_get_id (self->message));
  g_variant_ref_sink (id);
  read = inbox_message_get_read (self->message);
  read_item = g_menu_item_new (read ? _("Mark as _Unread") : _("Mark as _Read"), NULL);
  g_menu_item_set_action_and_target_value (read_item, read ? "inbox.mark-unread" : "inbox.mark-read", id);
  delete_item = g_menu_item_new (_("_Delete"), NULL);
  g_menu_item_set_action_and_target_value (delete_item, "inbox.delete", id);
  g_menu_append_item (menu, read_item);
  g_menu_append_item (menu, delete_item);
  g_variant_unref (id);

  if (self->menu == NULL)
    {
      self->menu = gtk_popover_menu_new_from_model (NULL);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), G_MENU_MODEL (menu));

  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), NULL);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      InboxMessageRow *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu (self, x, y);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 InboxMessageRow     *self)
{
  popup_menu (self, x, y);
}

static gboolean
menu_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  popup_menu (INBOX_MESSAGE_ROW (widget), -1, -1);
  return TRUE;
}

static gboolean
action_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  return activate_action (INBOX_MESSAGE_ROW (widget), g_variant_get_string (args, NULL));
}

static gboolean
open_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child == NULL)
    return FALSE;
  inbox_template_widget_activate (INBOX_TEMPLATE_WIDGET (child), 0, -1);
  return TRUE;
}

static void
unwatch (InboxMessageRow *self)
{
  if (self->message != NULL)
    g_clear_signal_handler (&self->read_handler, self->message);
  g_clear_object (&self->message);
}

static void
inbox_message_row_dispose (GObject *object)
{
  InboxMessageRow *self = (InboxMessageRow *) object;

  unwatch (self);
  g_clear_pointer (&self->menu, gtk_widget_unparent);

  G_OBJECT_CLASS (inbox_message_row_parent_class)->dispose (object);
}

static void
inbox_message_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  InboxMessageRow *self = INBOX_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, inbox_message_row_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_message_row_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  InboxMessageRow *self = INBOX_MESSAGE_ROW (widget);

  GTK_WIDGET_CLASS (inbox_message_row_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
inbox_message_row_class_init (InboxMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_message_row_dispose;
  object_class->get_property = inbox_message_row_get_property;
  widget_class->size_allocate = inbox_message_row_size_allocate;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, menu_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, menu_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0, action_shortcut_cb, "s", "inbox.delete");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, action_shortcut_cb, "s", "inbox.mark-read");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, action_shortcut_cb, "s", "inbox.mark-unread");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, 0, open_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, 0, open_shortcut_cb, NULL);

  gtk_widget_class_set_css_name (widget_class, "message-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
inbox_message_row_init (InboxMessageRow *self)
{
  GtkGesture *gesture;

  gtk_widget_add_css_class (GTK_WIDGET (self), "message-row");
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
inbox_message_row_new (void)
{
  return g_object_new (INBOX_TYPE_MESSAGE_ROW, NULL);
}

/**
 * inbox_message_row_bind:
 * @now: the current time, for the relative date
 */
void
inbox_message_row_bind (InboxMessageRow *self,
                        InboxMessage    *message,
                        InboxMediaCache *media,
                        gint64           now)
{
  GtkWidget *child;
  GType type;

  g_return_if_fail (INBOX_IS_MESSAGE_ROW (self));
  g_return_if_fail (INBOX_IS_MESSAGE (message));

  unwatch (self);
  self->message = g_object_ref (message);
  self->now = now;

  type = inbox_message_row_widget_type_for (inbox_message_get_template (message));
  child = adw_bin_get_child (ADW_BIN (self));
  if (child == NULL || G_OBJECT_TYPE (child) != type)
    {
      child = g_object_new (type, NULL);
      g_signal_connect_object (child, "notify::loading", G_CALLBACK (loading_changed_cb), self, G_CONNECT_SWAPPED);
      adw_bin_set_child (ADW_BIN (self), child);
    }

  inbox_template_widget_bind (INBOX_TEMPLATE_WIDGET (child), message, media, now);
  self->read_handler = g_signal_connect_swapped (message, "notify::read", G_CALLBACK (update_accessible), self);
  update_accessible (self);
}

void
inbox_message_row_unbind (InboxMessageRow *self)
{
  g_return_if_fail (INBOX_IS_MESSAGE_ROW (self));

  unwatch (self);
}

/* (transfer none) (nullable) */
InboxMessage *
inbox_message_row_get_message (InboxMessageRow *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}

/* (transfer none) (nullable): the template widget */
GtkWidget *
inbox_message_row_get_template (InboxMessageRow *self)
{
  g_return_val_if_fail (INBOX_IS_MESSAGE_ROW (self), NULL);

  return adw_bin_get_child (ADW_BIN (self));
}

gboolean
inbox_message_row_get_loading (InboxMessageRow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (INBOX_IS_MESSAGE_ROW (self), FALSE);

  child = adw_bin_get_child (ADW_BIN (self));
  return child != NULL && inbox_template_widget_is_loading (INBOX_TEMPLATE_WIDGET (child));
}
