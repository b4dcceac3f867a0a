/* inbox-render.h: widgets to PNG, in-process and repeatable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "inbox-media-cache.h"

G_BEGIN_DECLS

void        inbox_render_setup_settings (gboolean     dark);
GtkWidget  *inbox_render_build_list     (GPtrArray   *messages,
                                         InboxMediaCache *media,
                                         gint64       now);
/* Called once the widget is laid out and its media has settled. */
typedef void (*InboxRenderPrepareFunc) (GtkWidget *widget,
                                        gpointer   user_data);

GdkTexture *inbox_render_widget         (GtkWidget   *widget,
                                         int          width,
                                         InboxRenderPrepareFunc prepare,
                                         gpointer     prepare_data,
                                         GError     **error);
void        inbox_render_window_to_png_async (GtkWindow  *window,
                                              const char *output,
                                              GAsyncReadyCallback callback,
                                              gpointer    user_data);
gboolean    inbox_render_window_to_png_finish (GtkWindow    *window,
                                               GAsyncResult *result,
                                               GError      **error);
gboolean    inbox_render_messages_to_png (GPtrArray  *messages,
                                          InboxMediaCache *media,
                                          gint64      now,
                                          int         width,
                                          const char *output,
                                          GError    **error);

G_END_DECLS
