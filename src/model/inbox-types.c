/* inbox-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-types.h"

static const char * const template_names[] = {
  [INBOX_TEMPLATE_SIMPLE] = "simple",
  [INBOX_TEMPLATE_ICON] = "message-icon",
  [INBOX_TEMPLATE_CAROUSEL] = "carousel",
  [INBOX_TEMPLATE_IMAGE_CAROUSEL] = "carousel-image",
};

G_DEFINE_QUARK (inbox-payload-error-quark, inbox_payload_error)

gint64
inbox_now_real (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

const char *
inbox_template_to_string (InboxTemplate template_)
{
  g_return_val_if_fail (template_ <= INBOX_TEMPLATE_IMAGE_CAROUSEL, "simple");

  return template_names[template_];
}

/* Returns FALSE for an unknown name; *out is then INBOX_TEMPLATE_SIMPLE. */
gboolean
inbox_template_from_string (const char    *str,
                            InboxTemplate *out)
{
  *out = INBOX_TEMPLATE_SIMPLE;
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (template_names); i++)
    {
      if (g_str_equal (str, template_names[i]))
        {
          *out = i;
          return TRUE;
        }
    }

  return FALSE;
}
