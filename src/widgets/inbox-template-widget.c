/* inbox-template-widget.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-style.h"
#include "inbox-template-widget.h"

G_DEFINE_INTERFACE (InboxTemplateWidget, inbox_template_widget, GTK_TYPE_WIDGET)

static void
inbox_template_widget_default_init (InboxTemplateWidgetInterface *iface)
{
  /**
   * InboxTemplateWidget::loading-changed:
   *
   * Media started or settled (shown or broken); inbox_template_widget_is_loading()
   * says which, so that a renderer knows when to take its picture.
   */
  g_signal_new ("loading-changed", INBOX_TYPE_TEMPLATE_WIDGET, G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/**
 * inbox_template_widget_bind:
 * @now: the current time, for the relative date
 *
 * Shows @message; a widget is reused for another message of its template.
 */
void
inbox_template_widget_bind (InboxTemplateWidget   *self,
                     InboxMessage    *message,
                     InboxMediaCache *media,
                     gint64           now)
{
  g_return_if_fail (INBOX_IS_TEMPLATE_WIDGET (self));

  INBOX_TEMPLATE_WIDGET_GET_IFACE (self)->bind (self, message, media, now);
}

gboolean
inbox_template_widget_is_loading (InboxTemplateWidget *self)
{
  g_return_val_if_fail (INBOX_IS_TEMPLATE_WIDGET (self), FALSE);

  return INBOX_TEMPLATE_WIDGET_GET_IFACE (self)->is_loading (self);
}

/* For the templates: their media started or settled. */
void
inbox_template_widget_loading_changed (InboxTemplateWidget *self)
{
  g_return_if_fail (INBOX_IS_TEMPLATE_WIDGET (self));

  g_signal_emit_by_name (self, "loading-changed");
}

/* (transfer none) (nullable): the message shown */
InboxMessage *
inbox_template_widget_get_message (InboxTemplateWidget *self)
{
  g_return_val_if_fail (INBOX_IS_TEMPLATE_WIDGET (self), NULL);

  return INBOX_TEMPLATE_WIDGET_GET_IFACE (self)->get_message (self);
}

/**
 * inbox_template_widget_activate:
 * @slide: the slide (0 for single-item templates)
 * @button: the button, or -1 for the card or slide itself
 *
 * A click: activates the "inbox.click" action with (id, slide, button),
 * which the window handles (open, copy, hand over, record the click).
 */
void
inbox_template_widget_activate (InboxTemplateWidget *self,
                                int                  slide,
                                int                  button)
{
  InboxMessage *message;

  g_return_if_fail (INBOX_IS_TEMPLATE_WIDGET (self));

  message = inbox_template_widget_get_message (self);
  if (message == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "inbox.click", "(sii)",
                              inbox_message_get_id (message), slide, button);
}

static void
card_released_cb (GtkGestureClick     *gesture,
                  int                  n_press,
                  double               x,
                  double               y,
                  InboxTemplateWidget *self)
{
  GtkWidget *target = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  /* buttons and media controls handle their own clicks */
  if (target != NULL && gtk_widget_get_ancestor (target, GTK_TYPE_BUTTON) != NULL)
    return;

  inbox_template_widget_activate (self, 0, -1);
}

/* A click anywhere on the card but its buttons activates the card. */
void
inbox_template_widget_add_card_click (InboxTemplateWidget *self)
{
  GtkGesture *click;

  g_return_if_fail (INBOX_IS_TEMPLATE_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (card_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

#define SEARCH_KEY "inbox-template-widget-search"
#define TITLE_KEY  "inbox-template-widget-title"
#define BODY_KEY   "inbox-template-widget-body"

/* (transfer none) (nullable): the search whose words the texts highlight */
InboxSearch *
inbox_template_widget_get_search (InboxTemplateWidget *self)
{
  g_return_val_if_fail (INBOX_IS_TEMPLATE_WIDGET (self), NULL);

  return g_object_get_data (G_OBJECT (self), SEARCH_KEY);
}

/**
 * inbox_template_widget_set_search:
 * @search: (nullable): the search whose matching words to highlight
 *
 * Highlights the words of the title and message that @search matches, now
 * and in every text shown from now on (another slide, another message).
 */
void
inbox_template_widget_set_search (InboxTemplateWidget *self,
                                  InboxSearch         *search)
{
  GtkLabel *title, *body;

  g_return_if_fail (INBOX_IS_TEMPLATE_WIDGET (self));

  if (inbox_template_widget_get_search (self) == search)
    return;
  g_object_set_data_full (G_OBJECT (self), SEARCH_KEY, search != NULL ? g_object_ref (search) : NULL,
                          g_object_unref);

  title = g_object_get_data (G_OBJECT (self), TITLE_KEY);
  body = g_object_get_data (G_OBJECT (self), BODY_KEY);
  if (title != NULL)
    inbox_style_highlight (title, search);
  if (body != NULL)
    inbox_style_highlight (body, search);
}

/**
 * inbox_template_widget_show_texts:
 * @content: (nullable): the item whose title and message to show
 *
 * The card in the message's background (with a readable text colour when
 * the payload gives none), the title and message in theirs (the words of
 * the search highlighted), and a pointer cursor when the card opens a link.
 */
void
inbox_template_widget_show_texts (InboxTemplateWidget *self,
                                  InboxMessage        *message,
                                  InboxContent        *content,
                                  GtkLabel            *title,
                                  GtkLabel            *body)
{
  const char *bg = inbox_message_get_bg (message);

  inbox_style_set_colors (GTK_WIDGET (self), bg, inbox_style_text_for_background (bg));
  inbox_style_set_text (title, content ? inbox_content_get_title (content) : NULL,
                        content ? inbox_content_get_title_color (content) : NULL, bg);
  inbox_style_set_text (body, content ? inbox_content_get_message (content) : NULL,
                        content ? inbox_content_get_message_color (content) : NULL, bg);
  /* the labels are the template's own: they live as long as it */
  g_object_set_data (G_OBJECT (self), TITLE_KEY, title);
  g_object_set_data (G_OBJECT (self), BODY_KEY, body);
  inbox_style_highlight (title, inbox_template_widget_get_search (self));
  inbox_style_highlight (body, inbox_template_widget_get_search (self));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   content != NULL && inbox_content_get_url (content) != NULL ? "pointer" : NULL);
}

/* The item's media by the message's orientation, or nothing without one. */
void
inbox_template_widget_show_media (InboxMediaView  *view,
                                  InboxMessage    *message,
                                  InboxContent    *content,
                                  InboxMediaCache *media)
{
  gboolean has_media = content != NULL && inbox_content_get_media_url (content) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (view), has_media);
  if (!has_media)
    return;

  inbox_media_view_set_orientation (view, inbox_message_get_orientation (message));
  inbox_media_view_set_media (view, media, inbox_content_get_media_url (content),
                              inbox_content_get_media_kind (content),
                              inbox_content_get_media_poster (content),
                              inbox_content_get_media_alt_text (content));
}
