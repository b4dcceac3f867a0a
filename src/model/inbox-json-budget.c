/* inbox-json-budget.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "inbox-json-budget.h"
#include "inbox-types.h"

/**
 * inbox_json_count_values:
 *
 * Counts the values of a JSON text in one pass without building anything:
 * each object, array, string, number or literal is one. Keys are not values.
 * Meant for text that is then checked by the strict scan; on text that is not
 * JSON the count is only an estimate.
 */
gsize
inbox_json_count_values (const char *data,
                         gsize       length)
{
  gsize n = 0;
  gboolean in_string = FALSE, after_value = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          if (!after_value)
            n++;
          after_value = TRUE;
          break;
        case '{':
        case '[':
          n++;
          after_value = FALSE;
          break;
        case ':':
          /* what came before was a key, not a value */
          n--;
          after_value = FALSE;
          break;
        case ',':
        case '}':
        case ']':
          after_value = c != ',';
          break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          break;
        default:
          /* a number or a literal: one value however many characters */
          if (!after_value)
            n++;
          after_value = TRUE;
          break;
        }
    }

  return n;
}

/**
 * inbox_json_check_budget:
 * @max_values: how many values the text may hold
 *
 * Returns: %FALSE with @error (INBOX_PAYLOAD_ERROR_NOT_JSON) naming both
 *   numbers when the text holds more values than @max_values
 */
gboolean
inbox_json_check_budget (const char  *data,
                         gsize        length,
                         gsize        max_values,
                         GError     **error)
{
  gsize n = inbox_json_count_values (data, length);

  if (n <= max_values)
    return TRUE;

  g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON,
               "%" G_GSIZE_FORMAT " JSON values, more than the %" G_GSIZE_FORMAT " taken", n, max_values);
  return FALSE;
}
