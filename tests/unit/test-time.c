/* test-time.c: the relative time under each card (docs/format.md section 3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-time.h"

/* Fri 28 Nov 2025, 14:26:40 UTC */
#define NOW ((gint64) 1764340000)

static void
test_relative (void)
{
  static const struct {
    gint64      ago;
    const char *expected;
  } cases[] = {
    { 0, "Just now" },
    { 59, "Just now" },
    { -3600, "Just now" },           /* a date in the future */
    { 60, "1 minute ago" },
    { 119, "1 minute ago" },
    { 120, "2 minutes ago" },
    { 3599, "59 minutes ago" },
    { 3600, "1 hour ago" },
    { 7200, "2 hours ago" },
    { 86399, "23 hours ago" },
    { 86400, "Yesterday" },          /* 27 Nov, 14:26 */
    { 86400 + 14 * 3600, "Yesterday" }, /* 27 Nov, 00:26 */
    { 86400 + 15 * 3600, "26 Nov" },
    { 30 * 86400, "29 Oct" },
    { 365 * 86400, "28 Nov 2024" },
  };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = inbox_format_relative_time (NOW - cases[i].ago, NOW, utc);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_time_zone_decides_the_day (void)
{
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("+09:00");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *in_tokyo = NULL;
  g_autofree char *in_utc = NULL;
  /* 47 h before NOW: 26 Nov 15:26 in UTC, but 27 Nov 00:26 in Tokyo, where
   * it is already 28 Nov 23:26: the calendar day is the user's */
  gint64 then = NOW - 47 * 3600;

  in_utc = inbox_format_relative_time (then, NOW, utc);
  in_tokyo = inbox_format_relative_time (then, NOW, tokyo);
  g_assert_cmpstr (in_utc, ==, "26 Nov");
  g_assert_cmpstr (in_tokyo, ==, "Yesterday");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/relative", test_relative);
  g_test_add_func ("/time/time-zone-decides-the-day", test_time_zone_decides_the_day);

  return g_test_run ();
}
