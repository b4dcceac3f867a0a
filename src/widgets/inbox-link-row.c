/* inbox-link-row.c
 *
 * Equal-width flat buttons in the payload's colours under a separator. A
 * click emits ::link-activated with the button's index; what a button does
 * (open, copy, hand over its map) is the window's business.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-link-row.h"
#include "inbox-style.h"

struct _InboxLinkRow
{
  GtkWidget  parent_instance;

  GtkBox    *buttons;
  guint      n_links;
};

G_DEFINE_FINAL_TYPE (InboxLinkRow, inbox_link_row, GTK_TYPE_WIDGET)

enum {
  LINK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
inbox_link_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), INBOX_TYPE_LINK_ROW);
  inbox_style_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (inbox_link_row_parent_class)->dispose (object);
}

static void
inbox_link_row_class_init (InboxLinkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_link_row_dispose;

  /**
   * InboxLinkRow::link-activated:
   * @index: which button, from 0
   */
  signals[LINK_ACTIVATED] =
    g_signal_new ("link-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  inbox_widget_class_set_template (widget_class, "inbox-link-row.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxLinkRow, buttons);
}

static void
inbox_link_row_init (InboxLinkRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
button_clicked_cb (GtkButton    *button,
                   InboxLinkRow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "link-index"));

  g_signal_emit (self, signals[LINK_ACTIVATED], 0, index);
}

/* Shows the content's button slots (an empty slot keeps its width); hides
 * itself when no slot holds a button. */
void
inbox_link_row_set_content (InboxLinkRow *self,
                            InboxContent *content)
{
  GtkWidget *child;
  guint n;

  g_return_if_fail (INBOX_IS_LINK_ROW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->buttons))) != NULL)
    gtk_box_remove (self->buttons, child);

  n = content != NULL ? inbox_content_get_n_links (content) : 0;
  for (guint i = 0; i < n; i++)
    {
      InboxLink *link = inbox_content_get_link (content, i);
      GtkWidget *button;
      GtkWidget *label;

      /* a slot the desktop cannot show stays empty: the others keep their
       * place and width (docs/rules.md, "Button slots") */
      if (link == NULL)
        {
          GtkWidget *empty = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

          gtk_widget_set_hexpand (empty, TRUE);
          gtk_widget_add_css_class (empty, "empty-slot");
          gtk_box_append (self->buttons, empty);
          continue;
        }

      button = gtk_button_new ();
      label = gtk_label_new (inbox_link_get_text (link));

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_hexpand (button, TRUE);
      gtk_widget_set_tooltip_text (button, inbox_link_get_text (link));
      /* GTK 4.8 takes no name from the child label: the text is the name */
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      inbox_link_get_text (link), -1);
      inbox_style_set_colors (button, inbox_link_get_bg (link),
                              inbox_link_get_color (link) != NULL
                                ? inbox_link_get_color (link)
                                : inbox_style_text_for_background (inbox_link_get_bg (link)));
      g_object_set_data (G_OBJECT (button), "link-index", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (button_clicked_cb), self);
      gtk_box_append (self->buttons, button);
    }

  self->n_links = n;
  gtk_widget_set_visible (GTK_WIDGET (self), content != NULL && inbox_content_has_buttons (content));
}

guint
inbox_link_row_get_n_links (InboxLinkRow *self)
{
  g_return_val_if_fail (INBOX_IS_LINK_ROW (self), 0);

  return self->n_links;
}

/* (transfer none): the button of slot @index (an empty box for an empty
 * slot), for tests and focus */
GtkWidget *
inbox_link_row_get_button (InboxLinkRow *self,
                           guint         index)
{
  GtkWidget *child;

  g_return_val_if_fail (INBOX_IS_LINK_ROW (self), NULL);

  child = gtk_widget_get_first_child (GTK_WIDGET (self->buttons));
  for (guint i = 0; child != NULL && i < index; i++)
    child = gtk_widget_get_next_sibling (child);

  return child;
}
