/* inbox-content.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-content"

#include "inbox-content.h"
#include "inbox-json.h"

struct _InboxContent
{
  GObject         parent_instance;

  char           *title;
  char           *title_color;
  char           *message;
  char           *message_color;

  InboxMediaKind  media_kind;
  char           *media_url;
  char           *media_type;
  char           *media_poster;
  char           *media_alt_text;

  char           *icon_url;
  char           *icon_alt_text;

  char           *url;
  GPtrArray      *links;
};

G_DEFINE_FINAL_TYPE (InboxContent, inbox_content, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
inbox_content_finalize (GObject *object)
{
  InboxContent *self = (InboxContent *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->title_color, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->message_color, g_free);
  g_clear_pointer (&self->media_url, g_free);
  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->media_poster, g_free);
  g_clear_pointer (&self->media_alt_text, g_free);
  g_clear_pointer (&self->icon_url, g_free);
  g_clear_pointer (&self->icon_alt_text, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->links, g_ptr_array_unref);

  G_OBJECT_CLASS (inbox_content_parent_class)->finalize (object);
}

static void
inbox_content_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  InboxContent *self = INBOX_CONTENT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_content_class_init (InboxContentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inbox_content_finalize;
  object_class->get_property = inbox_content_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_content_init (InboxContent *self)
{
  self->links = g_ptr_array_new_with_free_func (g_object_unref);
}

/* A `{text, color}` member: title or message. */
static gboolean
read_text_object (JsonObject          *object,
                  const char          *member,
                  const InboxJsonPath *path,
                  GPtrArray   *warnings,
                  char       **text_out,
                  char       **color_out,
                  GError     **error)
{
  InboxJsonPath full = INBOX_JSON_MEMBER (path, member);
  JsonObject *text_object;
  const char *text, *color;

  if (!inbox_json_get_object (object, member, path, &text_object, error))
    return FALSE;
  if (text_object == NULL)
    return TRUE;

  if (!inbox_json_get_string (text_object, "text", &full, &text, error) ||
      !inbox_json_get_string (text_object, "color", &full, &color, error))
    return FALSE;

  *text_out = g_strdup (text);
  *color_out = inbox_json_parse_color (color);
  if (color != NULL && *color != '\0' && *color_out == NULL)
    g_ptr_array_add (warnings, inbox_json_path_printf (&full, "color", "\"%s\" is not a colour, theme colour used",
                                                       color));
  return TRUE;
}

static InboxMediaKind
media_kind_for (const char *content_type,
                const char *url)
{
  if (content_type == NULL || *content_type == '\0')
    {
      g_autofree char *lower = g_ascii_strdown (url, -1);
      char *query = strpbrk (lower, "?#");

      if (query != NULL)
        *query = '\0';
      return g_str_has_suffix (lower, ".gif") ? INBOX_MEDIA_GIF : INBOX_MEDIA_IMAGE;
    }

  if (g_ascii_strcasecmp (content_type, "image/gif") == 0)
    return INBOX_MEDIA_GIF;
  if (g_ascii_strncasecmp (content_type, "video/", 6) == 0)
    return INBOX_MEDIA_VIDEO;
  if (g_ascii_strncasecmp (content_type, "audio/", 6) == 0)
    return INBOX_MEDIA_AUDIO;

  return INBOX_MEDIA_IMAGE;
}

static gboolean
read_media (InboxContent        *self,
            JsonObject          *object,
            const InboxJsonPath *path,
            GPtrArray     *warnings,
            GError       **error)
{
  InboxJsonPath full = INBOX_JSON_MEMBER (path, "media");
  JsonObject *media;
  const char *url, *content_type, *poster, *alt_text;

  if (!inbox_json_get_object (object, "media", path, &media, error))
    return FALSE;
  if (media == NULL)
    return TRUE;

  if (!inbox_json_get_string (media, "url", &full, &url, error) ||
      !inbox_json_get_string (media, "content_type", &full, &content_type, error) ||
      !inbox_json_get_string (media, "poster", &full, &poster, error) ||
      !inbox_json_get_string (media, "alt_text", &full, &alt_text, error))
    return FALSE;

  if (url == NULL || *url == '\0')
    return TRUE;

  self->media_url = g_strdup (url);
  self->media_type = g_strdup (content_type);
  self->media_kind = media_kind_for (content_type, url);
  self->media_poster = (poster != NULL && *poster != '\0') ? g_strdup (poster) : NULL;
  self->media_alt_text = g_strdup (alt_text);

  if (content_type != NULL && *content_type != '\0' &&
      g_ascii_strncasecmp (content_type, "image/", 6) != 0 &&
      g_ascii_strncasecmp (content_type, "video/", 6) != 0 &&
      g_ascii_strncasecmp (content_type, "audio/", 6) != 0)
    g_ptr_array_add (warnings, inbox_json_path_printf (&full, "content_type",
                                                       "\"%s\" is not an image, video or audio type, shown as an image",
                                                       content_type));
  return TRUE;
}

static gboolean
read_icon (InboxContent        *self,
           JsonObject          *object,
           const InboxJsonPath *path,
           GError       **error)
{
  InboxJsonPath full = INBOX_JSON_MEMBER (path, "icon");
  JsonObject *icon;
  const char *url, *alt_text;

  if (!inbox_json_get_object (object, "icon", path, &icon, error))
    return FALSE;
  if (icon == NULL)
    return TRUE;

  if (!inbox_json_get_string (icon, "url", &full, &url, error) ||
      !inbox_json_get_string (icon, "alt_text", &full, &alt_text, error))
    return FALSE;

  if (url != NULL && *url != '\0')
    self->icon_url = g_strdup (url);
  self->icon_alt_text = g_strdup (alt_text);
  return TRUE;
}

static gboolean
read_links (InboxContent        *self,
            JsonObject          *action,
            const InboxJsonPath *path,
            GPtrArray     *warnings,
            GError       **error)
{
  InboxJsonPath links_path = INBOX_JSON_MEMBER (path, "links");
  JsonArray *links;
  gboolean has_links;
  guint n;

  if (!inbox_json_get_boolean (action, "hasLinks", path, TRUE, &has_links, error) ||
      !inbox_json_get_array (action, "links", path, &links, error))
    return FALSE;
  if (links == NULL)
    return TRUE;

  n = json_array_get_length (links);
  for (guint i = 0; i < n; i++)
    {
      InboxJsonPath item_path = INBOX_JSON_ELEMENT (&links_path, i);
      g_autoptr(InboxLink) link = NULL;
      g_autofree char *skipped = NULL;
      JsonNode *node = json_array_get_element (links, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *where = inbox_json_path_to_string (&item_path, NULL);

          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                       "%s: expected an object, got %s", where, inbox_json_describe (node));
          return FALSE;
        }

      link = inbox_link_new_from_json (json_node_get_object (node), &item_path, &skipped, error);
      if (link == NULL && skipped == NULL)
        return FALSE;

      if (skipped != NULL)
        g_ptr_array_add (warnings, g_steal_pointer (&skipped));
      else if (!has_links)
        continue;
      else if (self->links->len < INBOX_CONTENT_MAX_LINKS)
        g_ptr_array_add (self->links, g_steal_pointer (&link));
      else
        g_ptr_array_add (warnings, inbox_json_path_printf (&item_path, NULL, "more than %d buttons, not shown",
                                                           INBOX_CONTENT_MAX_LINKS));
    }

  if (!has_links && n > 0)
    g_ptr_array_add (warnings, inbox_json_path_printf (&links_path, NULL, "hasLinks is false, buttons not shown"));

  return TRUE;
}

static gboolean
read_action (InboxContent        *self,
             JsonObject          *object,
             const InboxJsonPath *path,
             GPtrArray     *warnings,
             GError       **error)
{
  InboxJsonPath full = INBOX_JSON_MEMBER (path, "action");
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  JsonObject *action;
  gboolean has_url;

  if (!inbox_json_get_object (object, "action", path, &action, error))
    return FALSE;
  if (action == NULL)
    return TRUE;

  if (!inbox_json_get_boolean (action, "hasUrl", &full, FALSE, &has_url, error))
    return FALSE;

  url = inbox_json_pick_url (action, "url", &full, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (has_url && url == NULL)
    g_ptr_array_add (warnings, inbox_json_path_printf (&full, NULL, "hasUrl is true but there is no URL"));
  if (has_url)
    self->url = g_steal_pointer (&url);

  return read_links (self, action, &full, warnings, error);
}

/**
 * inbox_content_new_from_json:
 * @path: where @object is, for messages: "msg.content[0]"
 * @warnings: (element-type utf8): gets what was valid but not used as written
 *
 * Returns: (transfer full) (nullable): the content item, or %NULL with @error
 *   naming the field that has the wrong type.
 */
InboxContent *
inbox_content_new_from_json (JsonObject          *object,
                             const InboxJsonPath *path,
                             GPtrArray   *warnings,
                             GError     **error)
{
  g_autoptr(InboxContent) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (warnings != NULL, NULL);

  self = g_object_new (INBOX_TYPE_CONTENT, NULL);

  if (!read_text_object (object, "title", path, warnings, &self->title, &self->title_color, error) ||
      !read_text_object (object, "message", path, warnings, &self->message, &self->message_color, error) ||
      !read_media (self, object, path, warnings, error) ||
      !read_icon (self, object, path, error) ||
      !read_action (self, object, path, warnings, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
inbox_content_get_title (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->title;
}

/* "#rrggbbaa", or NULL for the theme's colour. */
const char *
inbox_content_get_title_color (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->title_color;
}

const char *
inbox_content_get_message (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->message;
}

const char *
inbox_content_get_message_color (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->message_color;
}

InboxMediaKind
inbox_content_get_media_kind (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), INBOX_MEDIA_NONE);

  return self->media_kind;
}

const char *
inbox_content_get_media_url (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->media_url;
}

const char *
inbox_content_get_media_type (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->media_type;
}

const char *
inbox_content_get_media_poster (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->media_poster;
}

const char *
inbox_content_get_media_alt_text (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->media_alt_text;
}

const char *
inbox_content_get_icon_url (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->icon_url;
}

const char *
inbox_content_get_icon_alt_text (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->icon_alt_text;
}

/* The link the card or slide opens, or NULL when hasUrl is not true. */
const char *
inbox_content_get_url (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->url;
}

guint
inbox_content_get_n_links (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), 0);

  return self->links->len;
}

InboxLink *
inbox_content_get_link (InboxContent *self,
                        guint         index)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);
  g_return_val_if_fail (index < self->links->len, NULL);

  return g_ptr_array_index (self->links, index);
}
