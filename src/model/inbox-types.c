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

/**
 * inbox_payload_error_quark:
 *
 * The error domain of [error@AppInbox.PayloadError]; in C,
 * %INBOX_PAYLOAD_ERROR.
 *
 * Returns: the quark of the domain
 */
G_DEFINE_QUARK (inbox-payload-error-quark, inbox_payload_error)

/**
 * inbox_now_real:
 * @user_data: (nullable): not used
 *
 * The real clock, an [callback@AppInbox.NowFunc]: what is used unless a
 * clock is set.
 *
 * Returns: the current time, in seconds since the epoch (UTC)
 */
gint64
inbox_now_real (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * inbox_template_to_string:
 * @template_: a template
 *
 * The name of @template_ in the message format: `simple`, `message-icon`,
 * `carousel` or `carousel-image`.
 *
 * Returns: (transfer none): the name, a static string
 */
const char *
inbox_template_to_string (InboxTemplate template_)
{
  g_return_val_if_fail (template_ <= INBOX_TEMPLATE_IMAGE_CAROUSEL, "simple");

  return template_names[template_];
}

/**
 * inbox_template_from_string:
 * @str: (nullable): a `msg.type` of the message format
 * @out: (out): the template of @str, or %INBOX_TEMPLATE_SIMPLE for an
 *   unknown name
 *
 * The template that a `msg.type` names. The match is exact: `Simple` is
 * not `simple`. A message of an unknown type is shown as `simple`, which
 * is what @out holds then.
 *
 * Returns: %TRUE when @str names a template, %FALSE for %NULL or an
 *   unknown name
 */
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
