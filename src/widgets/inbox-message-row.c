/* inbox-message-row.c
 *
 * Holds the template widget of its message's type (reused when the list
 * recycles the row for a message of the same type), says what the card is to
 * a screen reader, and offers Mark as Read/Unread and Delete by context menu
 * and keyboard. The actions ("inbox.mark-read", "inbox.mark-unread",
 * "inbox.delete", "inbox.toggle-read", each with the message id) are the
 * view's.
 *
 * Inside a scrolled list the card is built only when the row comes within
 * half a screen of the visible area, and let go again beyond a screen
 * (keeping its height, so the list does not jump): GTK 4.8's list view
 * keeps some 200 rows alive, and the cost should follow what is on screen,
 * not what the list keeps.
 *
 * Binding does no I/O: a message listed from the cache has only its list
 * columns. When the card is about to be built, the row holds the message's
 * content and asks for it (read and parsed in a worker thread, batched with
 * the other rows asking in the same main-loop turn); the card is built when
 * it arrives, the row being "loading" meanwhile, with its placeholder
 * height. Letting the card go lets the content go too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "inbox-carousel-message.h"
#include "inbox-icon-message.h"
#include "inbox-image-carousel-message.h"
#include "inbox-message-private.h"
#include "inbox-message-row.h"
#include "inbox-simple-message.h"
#include "inbox-template-widget.h"
#include "inbox-time.h"

struct _InboxMessageRow
{
  AdwBin        parent_instance;

  InboxMessage    *message;
  InboxMediaCache *media;
  gulong           read_handler;
  gint64           now;
  GtkWidget       *menu;
  guint            check_id;
  GtkAdjustment   *vadjustment;     /* of the scrolled window we are in */
  int              last_height;
  InboxMessage    *held;            /* whose content we hold (the card's) */
  InboxSearch     *search;          /* whose words the card highlights */
  gulong           loaded_handler;
  guint            built : 1;
  guint            waiting : 1;     /* for the content, to build the card */
};

/* An unbuilt card's height until it has been built once. */
#define ESTIMATED_HEIGHT 320

/* Cards are built within half a screen of the visible area and let go
 * beyond one screen: what is alive stays within a few screens' worth. */
#define BUILD_WITHIN   0.5
#define RELEASE_BEYOND 1.0

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

  if (inbox_message_is_loaded (self->message) && inbox_message_get_n_contents (self->message) > 0)
    title = inbox_content_get_title (inbox_message_get_content (self->message, 0));
  if (title == NULL && template_ == INBOX_TEMPLATE_IMAGE_CAROUSEL &&
      inbox_message_is_loaded (self->message) && inbox_message_get_n_contents (self->message) > 0)
    title = inbox_content_get_media_alt_text (inbox_message_get_content (self->message, 0));

  time = inbox_format_relative_time (inbox_message_get_date (self->message), self->now, NULL);
  if (title != NULL)
    /* Translators: a card for a screen reader: "Carousel: Weekend offer. Unread. 2 hours ago" */
    label = g_strdup_printf (_("%s: %s. %s. %s"),
                             template_description (template_),
                             title,
                             inbox_message_get_read (self->message) ? _("Read") : _("Unread"),
                             time);
  else
    /* Translators: a card without a title (or not built yet: its content is
     * still loading) for a screen reader: "Carousel. Unread. 2 hours ago" */
    label = g_strdup_printf (_("%s. %s. %s"),
                             template_description (template_),
                             inbox_message_get_read (self->message) ? _("Read") : _("Unread"),
                             time);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
read_changed_cb (InboxMessageRow *self)
{
  if (self->built)
    update_accessible (self);
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
    {
      g_clear_signal_handler (&self->read_handler, self->message);
      g_clear_signal_handler (&self->loaded_handler, self->message);
    }
  g_clear_object (&self->message);
  self->waiting = FALSE;
}

/* Holds the content of @message (the one the card shows or waits for) and
 * lets go of the one held before. */
static void
set_held (InboxMessageRow *self,
          InboxMessage    *message)
{
  g_autoptr(InboxMessage) old = g_steal_pointer (&self->held);

  if (message != NULL)
    {
      self->held = g_object_ref (message);
      inbox_message_hold_content (message);
    }
  if (old != NULL)
    inbox_message_release_content (old);
}

static void
inbox_message_row_dispose (GObject *object)
{
  InboxMessageRow *self = (InboxMessageRow *) object;

  unwatch (self);
  set_held (self, NULL);
  g_clear_handle_id (&self->check_id, g_source_remove);
  g_clear_object (&self->media);
  g_clear_object (&self->search);
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

static void want_card (InboxMessageRow *self);
static void release_card (InboxMessageRow *self);
static void content_loaded_cb (InboxMessageRow *self);

/* How far the row is from the visible part of its scrolled window, in
 * screen heights: 0 when any of it is on screen; -1 outside a scrolled
 * window; G_MAXDOUBLE when it is not laid out yet; +infinity when it is not
 * shown at all (the list hides the rows it keeps far from the screen). */
static double
screens_away (InboxMessageRow *self)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;
  double viewport, top, bottom;

  if (scrolled == NULL)
    return -1;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return INFINITY;
  /* not laid out yet: no place to judge from; the allocation asks again */
  if (gtk_widget_get_height (GTK_WIDGET (self)) == 0 ||
      !gtk_widget_compute_bounds (GTK_WIDGET (self), scrolled, &bounds))
    return G_MAXDOUBLE;

  viewport = MAX (gtk_widget_get_height (scrolled), 1);
  top = bounds.origin.y;
  bottom = bounds.origin.y + bounds.size.height;
  if (bottom >= 0 && top <= viewport)
    return 0;
  if (bottom < 0)
    return -bottom / viewport;
  return (top - viewport) / viewport;
}

static gboolean
check_distance_cb (gpointer user_data)
{
  InboxMessageRow *self = user_data;
  double away;

  self->check_id = 0;
  if (self->message == NULL)
    return G_SOURCE_REMOVE;

  away = screens_away (self);
  if (away == G_MAXDOUBLE)
    return G_SOURCE_REMOVE;
  if (away <= BUILD_WITHIN && !self->built && !self->waiting)
    want_card (self);
  else if (away > RELEASE_BEYOND && (self->built || self->waiting))
    release_card (self);

  return G_SOURCE_REMOVE;
}

/* The row lays out its card itself (no layout manager): the context menu
 * popover must be presented on each allocation, and the allocation is when
 * the list has moved the row. */
static void
inbox_message_row_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  else
    *minimum = *natural = 0;
}

static GtkSizeRequestMode
inbox_message_row_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
schedule_check (InboxMessageRow *self)
{
  if (self->message != NULL && self->check_id == 0)
    self->check_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, check_distance_cb, self, NULL);
}

/* The list scrolls by moving rows, which does not reallocate them: the
 * scrolled window's adjustment says when to look again. */
static void
inbox_message_row_root (GtkWidget *widget)
{
  InboxMessageRow *self = INBOX_MESSAGE_ROW (widget);
  GtkWidget *scrolled;

  GTK_WIDGET_CLASS (inbox_message_row_parent_class)->root (widget);

  scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled == NULL)
    return;

  self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
  g_signal_connect_swapped (self->vadjustment, "value-changed", G_CALLBACK (schedule_check), self);
  g_signal_connect_swapped (self->vadjustment, "changed", G_CALLBACK (schedule_check), self);
  schedule_check (self);
}

static void
inbox_message_row_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (inbox_message_row_parent_class)->map (widget);
  schedule_check (INBOX_MESSAGE_ROW (widget));
}

static void
inbox_message_row_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (inbox_message_row_parent_class)->unmap (widget);
  schedule_check (INBOX_MESSAGE_ROW (widget));
}

static void
inbox_message_row_unroot (GtkWidget *widget)
{
  InboxMessageRow *self = INBOX_MESSAGE_ROW (widget);

  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->vadjustment);

  GTK_WIDGET_CLASS (inbox_message_row_parent_class)->unroot (widget);
}

static void
inbox_message_row_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  InboxMessageRow *self = INBOX_MESSAGE_ROW (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));

  /* a new size or a first allocation: look where the row is now */
  schedule_check (self);
}

static void
inbox_message_row_class_init (InboxMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_message_row_dispose;
  object_class->get_property = inbox_message_row_get_property;
  widget_class->measure = inbox_message_row_measure;
  widget_class->root = inbox_message_row_root;
  widget_class->map = inbox_message_row_map;
  widget_class->unmap = inbox_message_row_unmap;
  widget_class->unroot = inbox_message_row_unroot;
  widget_class->get_request_mode = inbox_message_row_get_request_mode;
  widget_class->size_allocate = inbox_message_row_size_allocate;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, menu_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, menu_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0, action_shortcut_cb, "s", "inbox.delete");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, action_shortcut_cb, "s", "inbox.mark-read");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, action_shortcut_cb, "s", "inbox.toggle-read");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, 0, open_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, 0, open_shortcut_cb, NULL);

  gtk_widget_class_set_css_name (widget_class, "message-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
inbox_message_row_init (InboxMessageRow *self)
{
  GtkGesture *gesture;

  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
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
  g_return_if_fail (INBOX_IS_MESSAGE_ROW (self));
  g_return_if_fail (INBOX_IS_MESSAGE (message));

  unwatch (self);
  self->message = g_object_ref (message);
  g_set_object (&self->media, media);
  self->now = now;
  self->built = FALSE;
  self->last_height = 0;

  /* what a screen reader says: the template, the read state and the time
   * now, the title once the card is built (it is in the content, which is
   * loaded only then) */
  update_accessible (self);
  self->read_handler = g_signal_connect_swapped (message, "notify::read", G_CALLBACK (read_changed_cb), self);
  self->loaded_handler = g_signal_connect_swapped (message, "notify::loaded", G_CALLBACK (content_loaded_cb), self);

  /* outside a scrolled list (a render, a test) the card is built at once;
   * inside one, when the row comes near the screen */
  if (gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW) == NULL &&
      gtk_widget_get_parent (GTK_WIDGET (self)) == NULL)
    want_card (self);
  else
    {
      release_card (self);
      schedule_check (self);
    }
}

static void
build_card (InboxMessageRow *self)
{
  GtkWidget *child;
  GType type;

  type = inbox_message_row_widget_type_for (inbox_message_get_template (self->message));
  child = adw_bin_get_child (ADW_BIN (self));
  if (child == NULL || G_OBJECT_TYPE (child) != type)
    {
      child = g_object_new (type, NULL);
      g_signal_connect_object (child, "loading-changed", G_CALLBACK (loading_changed_cb), self, G_CONNECT_SWAPPED);
      adw_bin_set_child (ADW_BIN (self), child);
    }

  gtk_widget_set_size_request (GTK_WIDGET (self), -1, -1);
  inbox_template_widget_set_search (INBOX_TEMPLATE_WIDGET (child), self->search);
  inbox_template_widget_bind (INBOX_TEMPLATE_WIDGET (child), self->message, self->media, self->now);
  self->built = TRUE;
  self->waiting = FALSE;
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Builds the card now if the content is at hand; otherwise asks for it and
 * builds when it comes (content_loaded_cb()), keeping the placeholder. */
static void
want_card (InboxMessageRow *self)
{
  if (!inbox_message_needs_load (self->message))
    {
      set_held (self, self->message);
      build_card (self);
      return;
    }

  /* a card still showing another message goes (with its content) */
  if (adw_bin_get_child (ADW_BIN (self)) != NULL)
    release_card (self);
  set_held (self, self->message);
  self->waiting = TRUE;
  inbox_message_request_content (self->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
content_loaded_cb (InboxMessageRow *self)
{
  if (self->waiting && inbox_message_is_loaded (self->message))
    build_card (self);
}

/* Lets the card go, keeping the row's height (or an estimate before it was
 * ever built). */
static void
release_card (InboxMessageRow *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->built && height > 0)
    self->last_height = height;

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_set_size_request (GTK_WIDGET (self), -1, self->last_height > 0 ? self->last_height : ESTIMATED_HEIGHT);
  self->built = FALSE;
  self->waiting = FALSE;
  set_held (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
inbox_message_row_unbind (InboxMessageRow *self)
{
  g_return_if_fail (INBOX_IS_MESSAGE_ROW (self));

  unwatch (self);
  g_clear_handle_id (&self->check_id, g_source_remove);
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

  /* the card waits for the message's content */
  if (self->waiting)
    return TRUE;

  /* a row near the screen whose card is not built yet is still on its way
   * (what --screenshot waits for) */
  if (self->message != NULL && !self->built && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW) != NULL)
    {
      double away = screens_away (self);

      if (away <= BUILD_WITHIN)
        {
          schedule_check (self); /* in case nothing else asks it to look */
          return TRUE;
        }
    }

  child = adw_bin_get_child (ADW_BIN (self));
  return child != NULL && inbox_template_widget_is_loading (INBOX_TEMPLATE_WIDGET (child));
}

/**
 * inbox_message_row_set_search:
 * @search: (nullable): the search whose words the card highlights
 *
 * Highlights the words @search matches in the card, now if it is built,
 * and in every card the row builds from now on.
 */
void
inbox_message_row_set_search (InboxMessageRow *self,
                              InboxSearch     *search)
{
  GtkWidget *child;

  g_return_if_fail (INBOX_IS_MESSAGE_ROW (self));

  if (!g_set_object (&self->search, search))
    return;

  child = adw_bin_get_child (ADW_BIN (self));
  if (child != NULL && self->built)
    inbox_template_widget_set_search (INBOX_TEMPLATE_WIDGET (child), search);
}
