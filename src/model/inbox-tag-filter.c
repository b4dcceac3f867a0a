/* inbox-tag-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-tag-filter"

#include "inbox-tag-filter.h"

struct _InboxTagFilter
{
  GObject     parent_instance;

  GListModel *model;
  char       *tag;
  GArray     *positions;    /* guint: positions in model that match, ascending */
  gulong      changed_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InboxTagFilter, inbox_tag_filter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_TAG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
inbox_tag_filter_get_item_type (GListModel *model)
{
  return INBOX_TYPE_MESSAGE;
}

static guint
inbox_tag_filter_get_n_items (GListModel *model)
{
  return INBOX_TAG_FILTER (model)->positions->len;
}

static gpointer
inbox_tag_filter_get_item (GListModel *model,
                           guint       position)
{
  InboxTagFilter *self = INBOX_TAG_FILTER (model);

  if (position >= self->positions->len)
    return NULL;

  return g_list_model_get_item (self->model, g_array_index (self->positions, guint, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = inbox_tag_filter_get_item_type;
  iface->get_n_items = inbox_tag_filter_get_n_items;
  iface->get_item = inbox_tag_filter_get_item;
}

static gboolean
matches (InboxTagFilter *self,
         guint           position)
{
  g_autoptr(InboxMessage) message = g_list_model_get_item (self->model, position);

  return message != NULL && inbox_message_has_tag (message, self->tag);
}

/* The first index in positions whose model position is >= @position. */
static guint
lower_bound (InboxTagFilter *self,
             guint           position)
{
  guint low = 0, high = self->positions->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (g_array_index (self->positions, guint, mid) < position)
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

static void
model_items_changed_cb (InboxTagFilter *self,
                        guint           position,
                        guint           removed,
                        guint           added,
                        GListModel     *model)
{
  guint start = lower_bound (self, position);
  guint end = lower_bound (self, position + removed);
  guint n_added = 0;

  g_array_remove_range (self->positions, start, end - start);

  for (guint i = start; i < self->positions->len; i++)
    g_array_index (self->positions, guint, i) += added - removed;

  for (guint i = 0; i < added; i++)
    {
      if (matches (self, position + i))
        {
          guint value = position + i;

          g_array_insert_val (self->positions, start + n_added, value);
          n_added++;
        }
    }

  if (end - start > 0 || n_added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), start, end - start, n_added);
}

static void
inbox_tag_filter_constructed (GObject *object)
{
  InboxTagFilter *self = (InboxTagFilter *) object;
  guint n;

  G_OBJECT_CLASS (inbox_tag_filter_parent_class)->constructed (object);

  n = g_list_model_get_n_items (self->model);
  for (guint i = 0; i < n; i++)
    if (matches (self, i))
      g_array_append_val (self->positions, i);

  self->changed_id = g_signal_connect_swapped (self->model, "items-changed",
                                               G_CALLBACK (model_items_changed_cb), self);
}

static void
inbox_tag_filter_dispose (GObject *object)
{
  InboxTagFilter *self = (InboxTagFilter *) object;

  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_id, self->model);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (inbox_tag_filter_parent_class)->dispose (object);
}

static void
inbox_tag_filter_finalize (GObject *object)
{
  InboxTagFilter *self = (InboxTagFilter *) object;

  g_clear_pointer (&self->tag, g_free);
  g_clear_pointer (&self->positions, g_array_unref);

  G_OBJECT_CLASS (inbox_tag_filter_parent_class)->finalize (object);
}

static void
inbox_tag_filter_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  InboxTagFilter *self = INBOX_TAG_FILTER (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_TAG:
      g_value_set_string (value, self->tag);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_tag_filter_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  InboxTagFilter *self = INBOX_TAG_FILTER (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;
    case PROP_TAG:
      self->tag = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_tag_filter_class_init (InboxTagFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = inbox_tag_filter_constructed;
  object_class->dispose = inbox_tag_filter_dispose;
  object_class->finalize = inbox_tag_filter_finalize;
  object_class->get_property = inbox_tag_filter_get_property;
  object_class->set_property = inbox_tag_filter_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TAG] =
    g_param_spec_string ("tag", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_tag_filter_init (InboxTagFilter *self)
{
  self->positions = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * inbox_tag_filter_new:
 * @model: a list of InboxMessage, usually an InboxStore
 * @tag: matched case-insensitively
 */
InboxTagFilter *
inbox_tag_filter_new (GListModel *model,
                      const char *tag)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (g_list_model_get_item_type (model) == INBOX_TYPE_MESSAGE, NULL);
  g_return_val_if_fail (tag != NULL, NULL);

  return g_object_new (INBOX_TYPE_TAG_FILTER, "model", model, "tag", tag, NULL);
}

const char *
inbox_tag_filter_get_tag (InboxTagFilter *self)
{
  g_return_val_if_fail (INBOX_IS_TAG_FILTER (self), NULL);

  return self->tag;
}

/* Unread messages in this tab. */
guint
inbox_tag_filter_get_unread_count (InboxTagFilter *self)
{
  guint count = 0;

  g_return_val_if_fail (INBOX_IS_TAG_FILTER (self), 0);

  for (guint i = 0; i < self->positions->len; i++)
    {
      g_autoptr(InboxMessage) message = inbox_tag_filter_get_item (G_LIST_MODEL (self), i);

      if (!inbox_message_get_read (message))
        count++;
    }

  return count;
}
