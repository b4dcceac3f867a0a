/* inbox-style.h: payload colours on widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "inbox-search.h"

G_BEGIN_DECLS

void        inbox_style_set_colors      (GtkWidget  *widget,
                                         const char *background,
                                         const char *foreground);
void        inbox_style_set_label_color (GtkLabel   *label,
                                         const char *color);
const char *inbox_style_text_for_background (const char *background);
void        inbox_style_set_text        (GtkLabel   *label,
                                         const char *text,
                                         const char *color,
                                         const char *background);

void        inbox_style_highlight       (GtkLabel    *label,
                                         InboxSearch *search);

void        inbox_style_unparent_children (GtkWidget *widget);
void        inbox_style_load_css        (void);
void        inbox_widget_class_set_template (GtkWidgetClass *widget_class,
                                             const char     *name);

G_END_DECLS
