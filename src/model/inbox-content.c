/* inbox-content.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-content"

#include "inbox-content-private.h"
#include "inbox-json.h"
#include "inbox-link-private.h"

/**
 * InboxContent:
 *
 * One content item of an [class@AppInbox.Message]: the whole card of a
 * `simple` or `message-icon` message, or one slide of a carousel.
 *
 * A content item holds a title and a message text with their colours, a
 * picture, GIF, video or audio, an icon, the link the card or slide opens,
 * and up to three buttons ([class@AppInbox.Link]), each field as the
 * message format (docs/format.md section 2) describes it. Text is plain
 * text, never markup.
 *
 * Content items are made by the message that holds them, never changed
 * afterwards, and owned by that message: get them with
 * [method@AppInbox.Message.get_content], which gives no reference. The
 * content of a message that the list loaded for the cards on screen is let
 * go with those cards; to keep an item longer, take a reference
 * (g_object_ref()), or load its message with
 * [method@AppInbox.Store.load_content_async], whose content stays for as long
 * as the message lives. Being immutable, a content item may be read from
 * any thread while it is held.
 */
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
  GPtrArray      *links;        /* (element-type InboxLink) (nullable): one per button slot */
  GPtrArray      *slot_types;   /* (element-type utf8) (nullable): each slot's link type as written */
  GPtrArray      *slot_labels;  /* (element-type utf8): each slot's link text */
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
  g_clear_pointer (&self->slot_types, g_ptr_array_unref);
  g_clear_pointer (&self->slot_labels, g_ptr_array_unref);

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

  /**
   * InboxContent:title: (getter get_title)
   *
   * The title text, or %NULL when the item has none.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxContent:message: (getter get_message)
   *
   * The message text, or %NULL when the item has none.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_content_unref_link (gpointer link)
{
  if (link != NULL)
    g_object_unref (link);
}

static void
inbox_content_init (InboxContent *self)
{
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify) inbox_content_unref_link);
  self->slot_types = g_ptr_array_new_with_free_func (g_free);
  self->slot_labels = g_ptr_array_new_with_free_func (g_free);
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

/* What a slot holds, shown or not, for --check: the link's type and label
 * as written. */
static void
add_slot (InboxContent *self,
          JsonObject   *link_object,
          InboxLink    *link)
{
  JsonNode *type = json_object_get_member (link_object, "type");
  JsonNode *text = json_object_get_member (link_object, "text");

  g_ptr_array_add (self->links, link);
  g_ptr_array_add (self->slot_types,
                   g_strdup (type != NULL && JSON_NODE_HOLDS_VALUE (type) &&
                             json_node_get_value_type (type) == G_TYPE_STRING
                             ? json_node_get_string (type) : NULL));
  g_ptr_array_add (self->slot_labels,
                   g_strdup (text != NULL && JSON_NODE_HOLDS_VALUE (text) &&
                             json_node_get_value_type (text) == G_TYPE_STRING
                             ? json_node_get_string (text) : ""));
}

/* The buttons (docs/rules.md, "Button slots"): with hasLinks true, the
 * first three links fill the three slots by index, as both SDKs bind them;
 * a link the desktop cannot show leaves its slot empty (NULL) and a fourth
 * link never moves up. Carousels have no buttons. */
static gboolean
read_links (InboxContent        *self,
            JsonObject          *action,
            const InboxJsonPath *path,
            gboolean             buttons_allowed,
            GPtrArray     *warnings,
            GError       **error)
{
  InboxJsonPath links_path = INBOX_JSON_MEMBER (path, "links");
  JsonArray *links;
  gboolean has_links;
  guint n;

  has_links = inbox_json_get_flag (action, "hasLinks", path, warnings);
  if (!inbox_json_get_array (action, "links", path, &links, error))
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

      if (!has_links || !buttons_allowed || i >= INBOX_CONTENT_MAX_LINKS)
        continue;

      if (skipped != NULL)
        g_ptr_array_add (warnings, g_strdup_printf ("%s; button slot %u stays empty", skipped, i + 1));
      add_slot (self, json_node_get_object (node), g_steal_pointer (&link));
    }

  if (n == 0)
    return TRUE;

  if (!has_links)
    {
      JsonNode *flag = json_object_get_member (action, "hasLinks");

      g_ptr_array_add (warnings, inbox_json_path_printf (&links_path, NULL, "%s, buttons not shown",
                                                         flag == NULL ? "no hasLinks" : "hasLinks is not true"));
    }
  else if (!buttons_allowed)
    g_ptr_array_add (warnings, inbox_json_path_printf (&links_path, NULL, "carousels show no buttons, links not shown"));
  else if (n > INBOX_CONTENT_MAX_LINKS)
    g_ptr_array_add (warnings, inbox_json_path_printf (&links_path, NULL,
                                                       "%u links: only links[0] to links[%d] fill the button slots, "
                                                       "the fourth and later are not shown",
                                                       n, INBOX_CONTENT_MAX_LINKS - 1));

  return TRUE;
}

static gboolean
read_action (InboxContent        *self,
             JsonObject          *object,
             const InboxJsonPath *path,
             gboolean             buttons_allowed,
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

  has_url = inbox_json_get_flag (action, "hasUrl", &full, warnings);

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

  return read_links (self, action, &full, buttons_allowed, warnings, error);
}

/**
 * inbox_content_new_from_json:
 * @object: a content item of the message format
 * @path: where @object is, for messages: "msg.content[0]"
 * @template_: the message's template: carousels have no buttons
 * @warnings: (element-type utf8): gets what was valid but not used as written
 * @error: return location for a #GError, or %NULL
 *
 * Reads one content item. A field of the wrong type is an
 * %INBOX_PAYLOAD_ERROR_INVALID error; a field that is valid but not shown
 * as written (a colour that is not one, a button the desktop cannot show)
 * is a warning added to @warnings.
 *
 * Returns: (transfer full) (nullable): the content item, or %NULL with @error
 *   naming the field that has the wrong type.
 */
InboxContent *
inbox_content_new_from_json (JsonObject          *object,
                             const InboxJsonPath *path,
                             InboxTemplate        template_,
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
      !read_action (self, object, path,
                    template_ == INBOX_TEMPLATE_SIMPLE || template_ == INBOX_TEMPLATE_ICON,
                    warnings, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * inbox_content_get_title:
 * @self: a content item
 *
 * The title text of the card or slide (`title.text`).
 *
 * Returns: (nullable): the title, or %NULL when the item has none
 */
const char *
inbox_content_get_title (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->title;
}

/**
 * inbox_content_get_title_color:
 * @self: a content item
 *
 * The colour of the title (`title.color`), normalised to `#rrggbbaa`.
 *
 * Returns: (nullable): the colour, or %NULL for the theme's colour (none given,
 *   or not a colour)
 */
const char *
inbox_content_get_title_color (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->title_color;
}

/**
 * inbox_content_get_message:
 * @self: a content item
 *
 * The message text of the card or slide (`message.text`).
 *
 * Returns: (nullable): the text, or %NULL when the item has none
 */
const char *
inbox_content_get_message (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->message;
}

/**
 * inbox_content_get_message_color:
 * @self: a content item
 *
 * The colour of the message text (`message.color`), normalised to
 * `#rrggbbaa`.
 *
 * Returns: (nullable): the colour, or %NULL for the theme's colour
 */
const char *
inbox_content_get_message_color (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->message_color;
}

/**
 * inbox_content_get_media_kind:
 * @self: a content item
 *
 * What kind of media the item holds, from `media.content_type`.
 *
 * Returns: the kind, %INBOX_MEDIA_NONE when the item has no media
 */
InboxMediaKind
inbox_content_get_media_kind (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), INBOX_MEDIA_NONE);

  return self->media_kind;
}

/**
 * inbox_content_get_media_url:
 * @self: a content item
 *
 * The URL of the picture, GIF, video or audio (`media.url`), as written.
 * Load it through an [class@AppInbox.MediaCache].
 *
 * Returns: (nullable): the URL, or %NULL when the item has no media
 */
const char *
inbox_content_get_media_url (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->media_url;
}

/**
 * inbox_content_get_media_type:
 * @self: a content item
 *
 * The MIME type of the media (`media.content_type`), as written.
 *
 * Returns: (nullable): the type, or %NULL when none is given
 */
const char *
inbox_content_get_media_type (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->media_type;
}

/**
 * inbox_content_get_media_poster:
 * @self: a content item
 *
 * The URL of the still shown for a video before it plays (`media.poster`).
 *
 * Returns: (nullable): the URL, or %NULL when none is given
 */
const char *
inbox_content_get_media_poster (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->media_poster;
}

/**
 * inbox_content_get_media_alt_text:
 * @self: a content item
 *
 * The accessible description of the media (`media.alt_text`).
 *
 * Returns: (nullable): the text, or %NULL when none is given
 */
const char *
inbox_content_get_media_alt_text (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->media_alt_text;
}

/**
 * inbox_content_get_icon_url:
 * @self: a content item
 *
 * The URL of the icon of a `message-icon` message (`icon.url`).
 *
 * Returns: (nullable): the URL, or %NULL when the item has no icon
 */
const char *
inbox_content_get_icon_url (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->icon_url;
}

/**
 * inbox_content_get_icon_alt_text:
 * @self: a content item
 *
 * The accessible description of the icon (`icon.alt_text`).
 *
 * Returns: (nullable): the text, or %NULL when none is given
 */
const char *
inbox_content_get_icon_alt_text (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->icon_alt_text;
}

/**
 * inbox_content_get_url:
 * @self: a content item
 *
 * The link that the card or slide opens when it is activated: the
 * `desktop` URL of `action.url`, else the `android` one, else the `ios` one.
 *
 * Returns: (nullable): the URL, or %NULL when `action.hasUrl` is not true or
 *   there is no URL
 */
const char *
inbox_content_get_url (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);

  return self->url;
}

/**
 * inbox_content_get_n_links:
 * @self: a content item
 *
 * The number of button slots, to go through with
 * [method@AppInbox.Content.get_link].
 *
 * Returns: the number of button slots, 0 to 3: with `hasLinks` true, one per
 *   link of links[0..2], shown or not (inbox_content_get_link() is %NULL for
 *   an empty slot); 0 for carousels and when `hasLinks` is not true.
 */
guint
inbox_content_get_n_links (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), 0);

  return self->links->len;
}

/**
 * inbox_content_get_link:
 * @self: a content item
 * @index: a slot, below [method@AppInbox.Content.get_n_links]
 *
 * The button of a slot. Slots keep their place: a link the desktop cannot
 * show leaves its slot empty rather than letting the next one move up, as
 * both mobile SDKs bind them.
 *
 * Returns: (transfer none) (nullable): the button of slot @index, or %NULL
 *   when the slot stays empty (an `rfp` link, an unknown type, a url button
 *   without a URL, a copy button without text).
 */
InboxLink *
inbox_content_get_link (InboxContent *self,
                        guint         index)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);
  g_return_val_if_fail (index < self->links->len, NULL);

  return g_ptr_array_index (self->links, index);
}

/**
 * inbox_content_has_buttons:
 * @self: a content item
 *
 * Whether any slot holds a button: the row of buttons is drawn only then.
 *
 * Returns: %TRUE when [method@AppInbox.Content.get_link] is not %NULL for
 *   at least one slot
 */
gboolean
inbox_content_has_buttons (InboxContent *self)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), FALSE);

  for (guint i = 0; i < self->links->len; i++)
    if (g_ptr_array_index (self->links, i) != NULL)
      return TRUE;

  return FALSE;
}

/**
 * inbox_content_get_slot_type:
 * @self: a content item
 * @index: a slot, below [method@AppInbox.Content.get_n_links]
 *
 * The `type` of the link in a slot as it is written, shown or not: what
 * `app-inbox --check` reports for an empty slot.
 *
 * Returns: (nullable): the type as written (`url`, `rfp`, …), or %NULL
 *   when the link has no string `type`
 */
const char *
inbox_content_get_slot_type (InboxContent *self,
                             guint         index)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);
  g_return_val_if_fail (index < self->slot_types->len, NULL);

  return g_ptr_array_index (self->slot_types, index);
}

/**
 * inbox_content_get_slot_label:
 * @self: a content item
 * @index: a slot, below [method@AppInbox.Content.get_n_links]
 *
 * The `text` of the link in a slot as it is written, shown or not.
 *
 * Returns: the label, `""` when the link has no string `text`
 */
const char *
inbox_content_get_slot_label (InboxContent *self,
                              guint         index)
{
  g_return_val_if_fail (INBOX_IS_CONTENT (self), NULL);
  g_return_val_if_fail (index < self->slot_labels->len, NULL);

  return g_ptr_array_index (self->slot_labels, index);
}
