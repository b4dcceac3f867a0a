/* inbox-carousel.c
 *
 * An AdwCarousel of the message's pictures in an overlay with previous/next
 * buttons (shown on hover and keyboard focus, never for a single page) and
 * indicator dots below. Left and Right follow the text direction; the scroll
 * wheel scrolls the list, not the pages. Activating a slide emits
 * ::slide-activated with its index; ::page-changed follows the pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-style.h"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "inbox-carousel.h"
#include "inbox-media-view.h"

struct _InboxCarousel
{
  GtkWidget    parent_instance;

  AdwCarousel *carousel;
  GtkRevealer *previous_revealer;
  GtkRevealer *next_revealer;
  GtkWidget   *dots;

  guint        hovered : 1;
  guint        focused : 1;
};

G_DEFINE_FINAL_TYPE (InboxCarousel, inbox_carousel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  PAGE_CHANGED,
  SLIDE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_arrows (InboxCarousel *self)
{
  guint n = adw_carousel_get_n_pages (self->carousel);
  guint page = inbox_carousel_get_page (self);
  gboolean show = n > 1 && (self->hovered || self->focused);

  gtk_revealer_set_reveal_child (self->previous_revealer, show && page > 0);
  gtk_revealer_set_reveal_child (self->next_revealer, show && page + 1 < n);
  gtk_widget_set_visible (self->dots, n > 1);

  /* the carousel is a focus stop of its own (Left and Right page it): it is
   * announced as the picture it shows, "Picture 2 of 3: …" */
  if (page < n)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    g_object_get_data (G_OBJECT (adw_carousel_get_nth_page (self->carousel, page)),
                                                       "inbox-slide-label"),
                                    -1);
}

static void
page_changed_cb (InboxCarousel *self,
                 guint          index)
{
  update_arrows (self);
  g_signal_emit (self, signals[PAGE_CHANGED], 0, index);
}

static void
previous_clicked_cb (InboxCarousel *self)
{
  inbox_carousel_previous (self);
}

static void
next_clicked_cb (InboxCarousel *self)
{
  inbox_carousel_next (self);
}

static void
pointer_enter_cb (InboxCarousel *self)
{
  self->hovered = TRUE;
  update_arrows (self);
}

static void
pointer_leave_cb (InboxCarousel *self)
{
  self->hovered = FALSE;
  update_arrows (self);
}

static void
focus_enter_cb (InboxCarousel *self)
{
  self->focused = TRUE;
  update_arrows (self);
}

static void
focus_leave_cb (InboxCarousel *self)
{
  self->focused = FALSE;
  update_arrows (self);
}

/* Left goes back in left-to-right text and forward in right-to-left. */
static gboolean
key_pressed_cb (InboxCarousel   *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      rtl ? inbox_carousel_next (self) : inbox_carousel_previous (self);
      return GDK_EVENT_STOP;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      rtl ? inbox_carousel_previous (self) : inbox_carousel_next (self);
      return GDK_EVENT_STOP;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (adw_carousel_get_n_pages (self->carousel) > 0)
        g_signal_emit (self, signals[SLIDE_ACTIVATED], 0, inbox_carousel_get_page (self));
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
inbox_carousel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), INBOX_TYPE_CAROUSEL);
  inbox_style_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (inbox_carousel_parent_class)->dispose (object);
}

static void
inbox_carousel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  InboxCarousel *self = INBOX_CAROUSEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, inbox_carousel_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_carousel_class_init (InboxCarouselClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_carousel_dispose;
  object_class->get_property = inbox_carousel_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InboxCarousel::page-changed:
   * @index: the page now on screen
   */
  signals[PAGE_CHANGED] =
    g_signal_new ("page-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * InboxCarousel::slide-activated:
   * @index: the slide clicked, or on screen when Enter was pressed
   */
  signals[SLIDE_ACTIVATED] =
    g_signal_new ("slide-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (ADW_TYPE_CAROUSEL);
  g_type_ensure (ADW_TYPE_CAROUSEL_INDICATOR_DOTS);

  inbox_widget_class_set_template (widget_class, "inbox-carousel.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxCarousel, carousel);
  gtk_widget_class_bind_template_child (widget_class, InboxCarousel, previous_revealer);
  gtk_widget_class_bind_template_child (widget_class, InboxCarousel, next_revealer);
  gtk_widget_class_bind_template_child (widget_class, InboxCarousel, dots);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, previous_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "inbox-carousel");
}

static void
inbox_carousel_init (InboxCarousel *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (pointer_enter_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (pointer_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (focus_enter_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_ROLE_DESCRIPTION, _("Carousel"),
                                  -1);
}

static void
slide_loading_cb (InboxCarousel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
slide_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   InboxCarousel   *self)
{
  GtkWidget *slide = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (slide), "slide-index"));

  g_signal_emit (self, signals[SLIDE_ACTIVATED], 0, index);
}

/* One slide per content item; carousels show every media URL as a picture. */
void
inbox_carousel_set_message (InboxCarousel   *self,
                            InboxMessage    *message,
                            InboxMediaCache *media)
{
  guint n;

  g_return_if_fail (INBOX_IS_CAROUSEL (self));
  g_return_if_fail (INBOX_IS_MESSAGE (message));

  while (adw_carousel_get_n_pages (self->carousel) > 0)
    adw_carousel_remove (self->carousel, adw_carousel_get_nth_page (self->carousel, 0));

  n = inbox_message_get_n_contents (message);
  for (guint i = 0; i < n; i++)
    {
      InboxContent *content = inbox_message_get_content (message, i);
      GtkWidget *slide = inbox_media_view_new ();
      GtkGesture *click = gtk_gesture_click_new ();
      g_autofree char *label = NULL;

      gtk_widget_set_hexpand (slide, TRUE);
      inbox_media_view_set_orientation (INBOX_MEDIA_VIEW (slide), inbox_message_get_orientation (message));
      inbox_media_view_set_media (INBOX_MEDIA_VIEW (slide), media, inbox_content_get_media_url (content),
                                  INBOX_MEDIA_IMAGE, NULL, inbox_content_get_media_alt_text (content));
      /* Translators: "Picture 2 of 3: <the picture's description>" */
      label = g_strdup_printf (_("Picture %u of %u: %s"), i + 1, n,
                               inbox_content_get_media_alt_text (content) != NULL
                                 ? inbox_content_get_media_alt_text (content)
                                 : (inbox_content_get_title (content) != NULL ? inbox_content_get_title (content) : ""));
      gtk_accessible_update_property (GTK_ACCESSIBLE (slide), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data_full (G_OBJECT (slide), "inbox-slide-label", g_steal_pointer (&label), g_free);
      if (inbox_content_get_url (content) != NULL)
        gtk_widget_set_cursor_from_name (slide, "pointer");

      g_object_set_data (G_OBJECT (slide), "slide-index", GUINT_TO_POINTER (i));
      g_signal_connect (click, "released", G_CALLBACK (slide_released_cb), self);
      gtk_widget_add_controller (slide, GTK_EVENT_CONTROLLER (click));
      g_signal_connect_object (slide, "notify::loading", G_CALLBACK (slide_loading_cb), self, G_CONNECT_SWAPPED);

      adw_carousel_append (self->carousel, slide);
    }

  update_arrows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

guint
inbox_carousel_get_n_pages (InboxCarousel *self)
{
  g_return_val_if_fail (INBOX_IS_CAROUSEL (self), 0);

  return adw_carousel_get_n_pages (self->carousel);
}

/* The page on screen (the nearest one while a swipe is under way). */
guint
inbox_carousel_get_page (InboxCarousel *self)
{
  double position;

  g_return_val_if_fail (INBOX_IS_CAROUSEL (self), 0);

  position = adw_carousel_get_position (self->carousel);
  return position < 0 ? 0 : (guint) (position + 0.5);
}

void
inbox_carousel_scroll_to (InboxCarousel *self,
                          guint          page,
                          gboolean       animate)
{
  g_return_if_fail (INBOX_IS_CAROUSEL (self));

  if (page >= adw_carousel_get_n_pages (self->carousel))
    return;

  adw_carousel_scroll_to (self->carousel, adw_carousel_get_nth_page (self->carousel, page), animate);
  if (!animate)
    {
      /* without an animation AdwCarousel may not say so before the next frame */
      update_arrows (self);
    }
}

void
inbox_carousel_next (InboxCarousel *self)
{
  guint page = inbox_carousel_get_page (self);

  if (page + 1 < adw_carousel_get_n_pages (self->carousel))
    inbox_carousel_scroll_to (self, page + 1, TRUE);
}

void
inbox_carousel_previous (InboxCarousel *self)
{
  guint page = inbox_carousel_get_page (self);

  if (page > 0)
    inbox_carousel_scroll_to (self, page - 1, TRUE);
}

/* Whether any slide's picture is still on its way. */
gboolean
inbox_carousel_get_loading (InboxCarousel *self)
{
  g_return_val_if_fail (INBOX_IS_CAROUSEL (self), FALSE);

  for (guint i = 0; i < adw_carousel_get_n_pages (self->carousel); i++)
    if (inbox_media_view_get_loading (INBOX_MEDIA_VIEW (adw_carousel_get_nth_page (self->carousel, i))))
      return TRUE;

  return FALSE;
}

/* Whether the previous and next buttons are revealed now. */
gboolean
inbox_carousel_get_arrows_visible (InboxCarousel *self,
                                   gboolean      *previous,
                                   gboolean      *next)
{
  g_return_val_if_fail (INBOX_IS_CAROUSEL (self), FALSE);

  *previous = gtk_revealer_get_reveal_child (self->previous_revealer);
  *next = gtk_revealer_get_reveal_child (self->next_revealer);
  return *previous || *next;
}
