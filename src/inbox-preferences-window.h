/* inbox-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define INBOX_TYPE_PREFERENCES_WINDOW (inbox_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (InboxPreferencesWindow, inbox_preferences_window, INBOX, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *inbox_preferences_window_new (GtkWindow *parent,
                                         GSettings *settings);

G_END_DECLS
