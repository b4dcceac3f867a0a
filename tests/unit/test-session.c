/* test-session.c: when a session starts (docs/format.md section 4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-session.h"

typedef struct {
  gint64 now;
  guint  started;
} Clock;

static gint64
fake_now (gpointer user_data)
{
  return ((Clock *) user_data)->now;
}

static void
started_cb (InboxSession *session,
            Clock        *clock)
{
  clock->started++;
}

static InboxSession *
new_session (Clock *clock)
{
  InboxSession *session = inbox_session_new (INBOX_SESSION_DEFAULT_TIMEOUT);

  clock->now = 1716500000;
  inbox_session_set_clock (session, fake_now, clock);
  g_signal_connect (session, "started", G_CALLBACK (started_cb), clock);
  return session;
}

/* Launch starts one; activity inside 20 minutes keeps it going. */
static void
test_session_activity_keeps (void)
{
  Clock clock = { 0 };
  g_autoptr(InboxSession) session = new_session (&clock);

  g_assert_false (inbox_session_is_active (session));
  inbox_session_start (session);
  g_assert_cmpuint (clock.started, ==, 1);

  /* every 19 minutes for two hours: still the same session */
  for (guint i = 0; i < 6; i++)
    {
      clock.now += 19 * 60;
      g_assert_false (inbox_session_activity (session));
    }
  g_assert_cmpuint (clock.started, ==, 1);
  g_assert_cmpuint (inbox_session_get_count (session), ==, 1);
  g_assert_true (inbox_session_is_active (session));
}

/* 20 minutes without activity end it; the next activity starts another. */
static void
test_session_timeout_starts_new (void)
{
  Clock clock = { 0 };
  g_autoptr(InboxSession) session = new_session (&clock);

  inbox_session_start (session);
  clock.now += 20 * 60 - 1;
  g_assert_true (inbox_session_is_active (session));
  clock.now += 1;
  g_assert_false (inbox_session_is_active (session));

  g_assert_true (inbox_session_activity (session));
  g_assert_cmpuint (clock.started, ==, 2);
  g_assert_true (inbox_session_is_active (session));

  /* activity right after does not start a third */
  clock.now += 1;
  g_assert_false (inbox_session_activity (session));
  g_assert_cmpuint (clock.started, ==, 2);
}

/* The timeout is a setting. */
static void
test_session_timeout_setting (void)
{
  Clock clock = { 0 };
  g_autoptr(InboxSession) session = new_session (&clock);

  inbox_session_set_timeout (session, 60);
  g_assert_cmpuint (inbox_session_get_timeout (session), ==, 60);
  inbox_session_start (session);
  clock.now += 59;
  g_assert_false (inbox_session_activity (session));
  clock.now += 60;
  g_assert_true (inbox_session_activity (session));
  g_assert_cmpuint (clock.started, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/activity-keeps", test_session_activity_keeps);
  g_test_add_func ("/session/timeout-starts-new", test_session_timeout_starts_new);
  g_test_add_func ("/session/timeout-setting", test_session_timeout_setting);

  return g_test_run ();
}
