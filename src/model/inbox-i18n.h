/* inbox-i18n.h: the library's translations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void inbox_i18n_init (void);

G_END_DECLS
