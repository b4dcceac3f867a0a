/* inbox-template-widget.h: what every message template widget does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "inbox-media-cache.h"
#include "inbox-media-view.h"
#include "inbox-message.h"
#include "inbox-search.h"

G_BEGIN_DECLS

#define INBOX_TYPE_TEMPLATE_WIDGET (inbox_template_widget_get_type ())

G_DECLARE_INTERFACE (InboxTemplateWidget, inbox_template_widget, INBOX, TEMPLATE_WIDGET, GtkWidget)

struct _InboxTemplateWidgetInterface
{
  GTypeInterface parent_iface;

  void     (*bind)          (InboxTemplateWidget   *self,
                             InboxMessage    *message,
                             InboxMediaCache *media,
                             gint64           now);
  gboolean (*is_loading)    (InboxTemplateWidget   *self);
  InboxMessage *(*get_message) (InboxTemplateWidget *self);
};

void     inbox_template_widget_bind       (InboxTemplateWidget   *self,
                                    InboxMessage    *message,
                                    InboxMediaCache *media,
                                    gint64           now);
gboolean inbox_template_widget_is_loading (InboxTemplateWidget   *self);
void     inbox_template_widget_loading_changed (InboxTemplateWidget *self);
InboxMessage *inbox_template_widget_get_message (InboxTemplateWidget *self);
void     inbox_template_widget_activate   (InboxTemplateWidget   *self,
                                           int                    slide,
                                           int                    button);
void     inbox_template_widget_add_card_click (InboxTemplateWidget *self);
void     inbox_template_widget_show_texts (InboxTemplateWidget   *self,
                                           InboxMessage          *message,
                                           InboxContent          *content,
                                           GtkLabel              *title,
                                           GtkLabel              *body);
void     inbox_template_widget_set_search (InboxTemplateWidget   *self,
                                           InboxSearch           *search);
InboxSearch *inbox_template_widget_get_search (InboxTemplateWidget *self);
void     inbox_template_widget_show_media (InboxMediaView        *view,
                                           InboxMessage          *message,
                                           InboxContent          *content,
                                           InboxMediaCache       *media);

G_END_DECLS
