/* inbox-read-tracker.c
 *
 * Four times a second, while the window is active, looks at the message
 * rows of the visible list: a row at least half inside the scrolled window
 * starts a clock; when the clock reaches 2 s the store marks the message read
 * and raises "Notification Viewed". A row that leaves the screen (or falls
 * under half) starts again from zero. A message seen read (by its 2 s or
 * as it came) and then marked unread by the user stays unread for as long
 * as it stays on screen: the clock starts only when it comes back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-read-tracker"

#include "inbox-message-row.h"
#include "inbox-read-tracker.h"

#define TICK_MSEC 250

/* in seen_since: on screen and read, or marked unread since */
#define SEEN_READ G_MAXINT64

struct _InboxReadTracker
{
  GObject             parent_instance;

  InboxStore         *store;
  GPtrArray          *views;       /* pairs: scrolled window, list view (weak) */
  GHashTable         *seen_since;  /* message id → gint64 µs, or SEEN_READ */
  guint               tick_id;

  InboxMonotonicFunc  now_func;
  gpointer            now_data;
};

G_DEFINE_FINAL_TYPE (InboxReadTracker, inbox_read_tracker, G_TYPE_OBJECT)

static gint64
monotonic_now (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static void
inbox_read_tracker_dispose (GObject *object)
{
  InboxReadTracker *self = (InboxReadTracker *) object;

  g_clear_handle_id (&self->tick_id, g_source_remove);

  G_OBJECT_CLASS (inbox_read_tracker_parent_class)->dispose (object);
}

static void
inbox_read_tracker_finalize (GObject *object)
{
  InboxReadTracker *self = (InboxReadTracker *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->seen_since, g_hash_table_unref);

  G_OBJECT_CLASS (inbox_read_tracker_parent_class)->finalize (object);
}

static void
inbox_read_tracker_class_init (InboxReadTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = inbox_read_tracker_dispose;
  object_class->finalize = inbox_read_tracker_finalize;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
inbox_read_tracker_init (InboxReadTracker *self)
{
  self->views = g_ptr_array_new_with_free_func (weak_ref_free);
  self->seen_since = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->now_func = monotonic_now;
}

InboxReadTracker *
inbox_read_tracker_new (InboxStore *store)
{
  InboxReadTracker *self;

  g_return_val_if_fail (INBOX_IS_STORE (store), NULL);

  self = g_object_new (INBOX_TYPE_READ_TRACKER, NULL);
  self->store = g_object_ref (store);
  return self;
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

/* A list whose rows count while it is on screen. */
void
inbox_read_tracker_add_view (InboxReadTracker *self,
                             GtkWidget        *scrolled_window,
                             GtkWidget        *list_view)
{
  g_return_if_fail (INBOX_IS_READ_TRACKER (self));

  g_ptr_array_add (self->views, weak_ref_new (scrolled_window));
  g_ptr_array_add (self->views, weak_ref_new (list_view));
}

static gboolean
tick_cb (gpointer user_data)
{
  inbox_read_tracker_tick (user_data);
  return G_SOURCE_CONTINUE;
}

/* Counts only while the window is active: a hidden window reads nothing. */
void
inbox_read_tracker_set_active (InboxReadTracker *self,
                               gboolean          active)
{
  g_return_if_fail (INBOX_IS_READ_TRACKER (self));

  if (active && self->tick_id == 0)
    {
      self->tick_id = g_timeout_add (TICK_MSEC, tick_cb, self);
      g_source_set_name_by_id (self->tick_id, "[inbox-read-tracker] tick");
    }
  else if (!active)
    {
      g_clear_handle_id (&self->tick_id, g_source_remove);
      g_hash_table_remove_all (self->seen_since);
    }
}

/* For tests: a monotonic clock in microseconds. */
void
inbox_read_tracker_set_clock (InboxReadTracker   *self,
                              InboxMonotonicFunc  now_func,
                              gpointer            now_data)
{
  g_return_if_fail (INBOX_IS_READ_TRACKER (self));

  self->now_func = now_func != NULL ? now_func : monotonic_now;
  self->now_data = now_data;
}

/* The share of @row's height inside @viewport. */
static double
visible_fraction (GtkWidget *row,
                  GtkWidget *viewport)
{
  graphene_rect_t bounds;
  double top, bottom, height = gtk_widget_get_height (viewport);

  if (!gtk_widget_get_mapped (row) || !gtk_widget_compute_bounds (row, viewport, &bounds) ||
      bounds.size.height <= 0)
    return 0;

  top = MAX (bounds.origin.y, 0);
  bottom = MIN (bounds.origin.y + bounds.size.height, height);
  return bottom > top ? (bottom - top) / bounds.size.height : 0;
}

static void
check_row (InboxReadTracker *self,
           InboxMessageRow  *row,
           GtkWidget        *viewport,
           gint64            now,
           GHashTable       *still_seen)
{
  InboxMessage *message = inbox_message_row_get_message (row);
  const char *id;
  gint64 *since;

  /* a row whose card is not built yet shows nothing of the message */
  if (message == NULL || inbox_message_row_get_template (row) == NULL ||
      visible_fraction (GTK_WIDGET (row), viewport) < 0.5)
    return;

  id = inbox_message_get_id (message);
  since = g_hash_table_lookup (self->seen_since, id);
  if (inbox_message_get_read (message) || (since != NULL && *since == SEEN_READ))
    {
      /* read on screen; if the user marks it unread now, that stands */
      gint64 seen_read = SEEN_READ;

      g_hash_table_insert (still_seen, g_strdup (id), g_memdup2 (&seen_read, sizeof seen_read));
      return;
    }

  if (since == NULL)
    {
      g_hash_table_insert (still_seen, g_strdup (id), g_memdup2 (&now, sizeof now));
      return;
    }

  if (now - *since < INBOX_READ_TRACKER_DWELL_USEC)
    {
      g_hash_table_insert (still_seen, g_strdup (id), g_memdup2 (since, sizeof *since));
      return;
    }

  {
    g_autoptr(InboxMessage) keep = g_object_ref (message);
    g_autoptr(GError) error = NULL;
    gint64 seen_read = SEEN_READ;

    g_hash_table_insert (still_seen, g_strdup (id), g_memdup2 (&seen_read, sizeof seen_read));
    if (!inbox_store_set_read (self->store, keep, TRUE, &error) ||
        (!inbox_store_record_viewed (self->store, keep, &error) && error != NULL))
      g_warning ("Could not mark %s read: %s", id, error->message);
  }
}

/* One look at the screen; the timer calls it, tests call it directly. */
void
inbox_read_tracker_tick (InboxReadTracker *self)
{
  g_autoptr(GHashTable) still_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 now;

  g_return_if_fail (INBOX_IS_READ_TRACKER (self));

  now = self->now_func (self->now_data);
  for (guint i = 0; i + 1 < self->views->len; i += 2)
    {
      g_autoptr(GtkWidget) viewport = g_weak_ref_get (g_ptr_array_index (self->views, i));
      g_autoptr(GtkWidget) list = g_weak_ref_get (g_ptr_array_index (self->views, i + 1));

      if (viewport == NULL || list == NULL || !gtk_widget_get_mapped (viewport))
        continue;

      /* the list's children are its item widgets, each holding one row */
      for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL; item = gtk_widget_get_next_sibling (item))
        {
          GtkWidget *row = gtk_widget_get_first_child (item);

          if (row != NULL && INBOX_IS_MESSAGE_ROW (row))
            check_row (self, INBOX_MESSAGE_ROW (row), viewport, now, still_seen);
        }
    }

  g_hash_table_remove_all (self->seen_since);
  g_hash_table_unref (self->seen_since);
  self->seen_since = g_steal_pointer (&still_seen);
}
