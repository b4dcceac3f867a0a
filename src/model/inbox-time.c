/* inbox-time.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "inbox-time.h"

/**
 * inbox_format_relative_time:
 * @then: the message's date, epoch seconds
 * @now: the current time, epoch seconds
 * @tz: (nullable): the time zone for calendar days; %NULL for local time
 *
 * "Just now" under a minute (and for dates in the future), then "N minutes
 * ago", "N hours ago" up to a day, "Yesterday" for the calendar day before,
 * then the date: "28 Nov", with the year when it is not this year.
 *
 * Returns: (transfer full): the text
 */
char *
inbox_format_relative_time (gint64     then,
                            gint64     now,
                            GTimeZone *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) then_utc = NULL;
  g_autoptr(GDateTime) now_utc = NULL;
  g_autoptr(GDateTime) then_dt = NULL;
  g_autoptr(GDateTime) now_dt = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  gint64 seconds = now - then;

  if (seconds < 60)
    return g_strdup (_("Just now"));

  if (seconds < 3600)
    {
      int minutes = (int) (seconds / 60);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", minutes), minutes);
    }

  if (seconds < 24 * 3600)
    {
      int hours = (int) (seconds / 3600);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", hours), hours);
    }

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();

  then_utc = g_date_time_new_from_unix_utc (then);
  now_utc = g_date_time_new_from_unix_utc (now);
  if (then_utc == NULL || now_utc == NULL)
    return g_strdup ("");

  then_dt = g_date_time_to_timezone (then_utc, tz);
  now_dt = g_date_time_to_timezone (now_utc, tz);
  yesterday = g_date_time_add_days (now_dt, -1);

  if (g_date_time_get_year (then_dt) == g_date_time_get_year (yesterday) &&
      g_date_time_get_day_of_year (then_dt) == g_date_time_get_day_of_year (yesterday))
    return g_strdup (_("Yesterday"));

  if (g_date_time_get_year (then_dt) == g_date_time_get_year (now_dt))
    /* Translators: a date this year, as strftime: "28 Nov" */
    return g_date_time_format (then_dt, C_("date", "%-d %b"));

  /* Translators: a date in another year, as strftime: "28 Nov 2025" */
  return g_date_time_format (then_dt, C_("date", "%-d %b %Y"));
}
