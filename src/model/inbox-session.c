/* inbox-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-session"

#include "inbox-session.h"

struct _InboxSession
{
  GObject       parent_instance;

  InboxNowFunc  now_func;
  gpointer      now_data;
  guint         timeout;       /* seconds without activity that end a session */
  gint64        last_activity; /* 0: no session yet */
  guint         count;         /* sessions started */
};

G_DEFINE_FINAL_TYPE (InboxSession, inbox_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  N_PROPS
};

enum {
  STARTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
inbox_session_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  InboxSession *self = INBOX_SESSION (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_session_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  InboxSession *self = INBOX_SESSION (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      inbox_session_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_session_class_init (InboxSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = inbox_session_get_property;
  object_class->set_property = inbox_session_set_property;

  /* the GSettings key session-timeout binds to this */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT, INBOX_SESSION_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InboxSession::started:
   *
   * A session began: the moment to sync.
   */
  signals[STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
inbox_session_init (InboxSession *self)
{
  self->now_func = inbox_now_real;
  self->timeout = INBOX_SESSION_DEFAULT_TIMEOUT;
}

InboxSession *
inbox_session_new (guint timeout)
{
  return g_object_new (INBOX_TYPE_SESSION, "timeout", MAX (timeout, 1), NULL);
}

void
inbox_session_set_clock (InboxSession *self,
                         InboxNowFunc  now_func,
                         gpointer      now_data)
{
  g_return_if_fail (INBOX_IS_SESSION (self));

  self->now_func = now_func != NULL ? now_func : inbox_now_real;
  self->now_data = now_data;
}

guint
inbox_session_get_timeout (InboxSession *self)
{
  g_return_val_if_fail (INBOX_IS_SESSION (self), 0);

  return self->timeout;
}

void
inbox_session_set_timeout (InboxSession *self,
                           guint         timeout)
{
  g_return_if_fail (INBOX_IS_SESSION (self));

  timeout = MAX (timeout, 1);
  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/* How many sessions have started. */
guint
inbox_session_get_count (InboxSession *self)
{
  g_return_val_if_fail (INBOX_IS_SESSION (self), 0);

  return self->count;
}

/* At launch (or sign-in): a session starts whatever came before. */
void
inbox_session_start (InboxSession *self)
{
  g_return_if_fail (INBOX_IS_SESSION (self));

  self->last_activity = self->now_func (self->now_data);
  self->count++;
  g_signal_emit (self, signals[STARTED], 0);
}

/* Whether the current session has not timed out. */
gboolean
inbox_session_is_active (InboxSession *self)
{
  g_return_val_if_fail (INBOX_IS_SESSION (self), FALSE);

  return self->count > 0 &&
         self->now_func (self->now_data) - self->last_activity < (gint64) self->timeout;
}

/**
 * inbox_session_activity:
 *
 * The user did something. After the timeout without activity this starts
 * a new session.
 *
 * Returns: whether a session started
 */
gboolean
inbox_session_activity (InboxSession *self)
{
  g_return_val_if_fail (INBOX_IS_SESSION (self), FALSE);

  if (inbox_session_is_active (self))
    {
      self->last_activity = self->now_func (self->now_data);
      return FALSE;
    }

  inbox_session_start (self);
  return TRUE;
}
