/* inbox-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-link"

#include "inbox-json.h"
#include "inbox-link-private.h"

/**
 * InboxLink:
 *
 * One button of a content item: a link of the message format's
 * `action.links` (docs/format.md section 2) that the desktop shows.
 *
 * What a button does depends on its [enum@AppInbox.LinkType]: a `url` button
 * opens [method@AppInbox.Link.get_url], a `copy` button puts
 * [method@AppInbox.Link.get_copy_text] on the clipboard, and a `kv` button
 * opens nothing and hands [method@AppInbox.Link.get_kv] to the embedding
 * app. Links that the desktop cannot show (`rfp`, unknown types, a `url`
 * button without a URL, a `copy` button without text) are never made: their
 * slot of [method@AppInbox.Content.get_link] is %NULL.
 *
 * Links are immutable and owned by their [class@AppInbox.Content], and go
 * with it (take a reference to keep one longer); a link that is held may
 * be read from any thread. Whether a URL may be opened at all is
 * [func@AppInbox.Link.scheme_is_allowed]'s to say.
 */
struct _InboxLink
{
  GObject        parent_instance;

  InboxLinkType  link_type;
  char          *text;
  char          *color;
  char          *bg;
  char          *url;
  char          *copy_text;
  GHashTable    *kv;
};

G_DEFINE_FINAL_TYPE (InboxLink, inbox_link, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
inbox_link_finalize (GObject *object)
{
  InboxLink *self = (InboxLink *) object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->color, g_free);
  g_clear_pointer (&self->bg, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->copy_text, g_free);
  g_clear_pointer (&self->kv, g_hash_table_unref);

  G_OBJECT_CLASS (inbox_link_parent_class)->finalize (object);
}

static void
inbox_link_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  InboxLink *self = INBOX_LINK (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inbox_link_class_init (InboxLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inbox_link_finalize;
  object_class->get_property = inbox_link_get_property;

  /**
   * InboxLink:text: (getter get_text)
   *
   * The label of the button, `""` when it has none.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InboxLink:url: (getter get_url)
   *
   * The link a `url` button opens; %NULL for other types.
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inbox_link_init (InboxLink *self)
{
}

static gboolean
read_text_and_color (JsonObject          *object,
                     const InboxJsonPath *path,
                     InboxLink   *self,
                     GError     **error)
{
  const char *text, *color, *bg;

  if (!inbox_json_get_string (object, "text", path, &text, error) ||
      !inbox_json_get_string (object, "color", path, &color, error) ||
      !inbox_json_get_string (object, "bg", path, &bg, error))
    return FALSE;

  self->text = g_strdup (text != NULL ? text : "");
  self->color = inbox_json_parse_color (color);
  self->bg = inbox_json_parse_color (bg);
  return TRUE;
}

static gboolean
read_kv (JsonObject          *object,
         const InboxJsonPath *path,
         InboxLink   *self,
         GError     **error)
{
  InboxJsonPath kv_path = INBOX_JSON_MEMBER (path, "kv");
  JsonObject *kv;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!inbox_json_get_object (object, "kv", path, &kv, error))
    return FALSE;

  self->kv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (kv == NULL)
    return TRUE;

  json_object_iter_init (&iter, kv);
  while (json_object_iter_next (&iter, &key, &value))
    {
      const char *str;

      if (!inbox_json_get_string (kv, key, &kv_path, &str, error))
        return FALSE;
      g_hash_table_insert (self->kv, g_strdup (key), g_strdup (str != NULL ? str : ""));
    }

  return TRUE;
}

/**
 * inbox_link_new_from_json:
 * @object: a link of the message format
 * @path: where @object is, for error messages: "msg.content[0].action.links[1]"
 * @skipped: (out) (transfer full) (optional): why the button is not shown,
 *   when it returns %NULL without an error
 * @error: return location for a #GError, or %NULL
 *
 * Reads one button. A field of the wrong type is an
 * %INBOX_PAYLOAD_ERROR_INVALID error.
 *
 * Returns: (transfer full) (nullable): the button; %NULL with @error set when
 *   a field has the wrong type, %NULL with @skipped set when the button is
 *   valid but not shown (`rfp`, an unknown type, a url button without a URL).
 */
InboxLink *
inbox_link_new_from_json (JsonObject          *object,
                          const InboxJsonPath *path,
                          char       **skipped,
                          GError     **error)
{
  g_autoptr(InboxLink) self = NULL;
  const char *type;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (skipped != NULL && *skipped == NULL, NULL);

  self = g_object_new (INBOX_TYPE_LINK, NULL);

  if (!inbox_json_get_string (object, "type", path, &type, error) ||
      !read_text_and_color (object, path, self, error))
    return NULL;

  if (type == NULL)
    {
      *skipped = inbox_json_path_printf (path, NULL, "a button without a type, not shown");
      return NULL;
    }

  if (g_ascii_strcasecmp (type, "url") == 0)
    {
      g_autoptr(GError) local_error = NULL;

      self->link_type = INBOX_LINK_URL;
      self->url = inbox_json_pick_url (object, "url", path, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (self->url == NULL)
        {
          *skipped = inbox_json_path_printf (path, NULL, "a url button without a URL, not shown");
          return NULL;
        }
    }
  else if (g_ascii_strcasecmp (type, "copy") == 0)
    {
      const char *copy_text;

      self->link_type = INBOX_LINK_COPY;
      if (!inbox_json_get_text (object, "copyText", path, &copy_text, error))
        return NULL;
      if (copy_text == NULL)
        {
          *skipped = inbox_json_path_printf (path, NULL, "a copy button without copyText, not shown");
          return NULL;
        }
      self->copy_text = g_strdup (copy_text);
    }
  else if (g_ascii_strcasecmp (type, "kv") == 0)
    {
      self->link_type = INBOX_LINK_KV;
      if (!read_kv (object, path, self, error))
        return NULL;
    }
  else if (g_ascii_strcasecmp (type, "rfp") == 0)
    {
      *skipped = inbox_json_path_printf (path, NULL, "push-permission button, not shown on the desktop");
      return NULL;
    }
  else
    {
      *skipped = inbox_json_path_printf (path, NULL, "unknown button type \"%s\", not shown", type);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * inbox_link_get_link_type:
 * @self: a link
 *
 * What the button does.
 *
 * Returns: the type of the button
 */
InboxLinkType
inbox_link_get_link_type (InboxLink *self)
{
  g_return_val_if_fail (INBOX_IS_LINK (self), INBOX_LINK_URL);

  return self->link_type;
}

/**
 * inbox_link_get_text:
 * @self: a link
 *
 * The label of the button (`text`), plain text.
 *
 * Returns: the label, `""` when the link has none
 */
const char *
inbox_link_get_text (InboxLink *self)
{
  g_return_val_if_fail (INBOX_IS_LINK (self), NULL);

  return self->text;
}

/**
 * inbox_link_get_color:
 * @self: a link
 *
 * The colour of the label (`color`), normalised to `#rrggbbaa`.
 *
 * Returns: (nullable): the colour, or %NULL for the theme's colour (none
 *   given, or not a colour)
 */
const char *
inbox_link_get_color (InboxLink *self)
{
  g_return_val_if_fail (INBOX_IS_LINK (self), NULL);

  return self->color;
}

/**
 * inbox_link_get_bg:
 * @self: a link
 *
 * The background of the button (`bg`), normalised to `#rrggbbaa`.
 *
 * Returns: (nullable): the colour, or %NULL for the theme's button colour
 */
const char *
inbox_link_get_bg (InboxLink *self)
{
  g_return_val_if_fail (INBOX_IS_LINK (self), NULL);

  return self->bg;
}

/**
 * inbox_link_get_url:
 * @self: a link
 *
 * The link a `url` button opens: the `desktop` URL of its `url` object,
 * else the `android` one, else the `ios` one. Check it with
 * [func@AppInbox.Link.scheme_is_allowed] before opening it.
 *
 * Returns: (nullable): the URL of a `url` button, %NULL for other types
 */
const char *
inbox_link_get_url (InboxLink *self)
{
  g_return_val_if_fail (INBOX_IS_LINK (self), NULL);

  return self->url;
}

/**
 * inbox_link_get_copy_text:
 * @self: a link
 *
 * The text a `copy` button puts on the clipboard (`copyText.text`).
 *
 * Returns: (nullable): the text of a `copy` button, %NULL for other types
 */
const char *
inbox_link_get_copy_text (InboxLink *self)
{
  g_return_val_if_fail (INBOX_IS_LINK (self), NULL);

  return self->copy_text;
}

/**
 * inbox_link_get_kv:
 * @self: a link
 *
 * The string map of a `kv` button (its `kv` object), which the embedding
 * app gets when the button is activated. Values that are not strings make
 * the message invalid, so every value is a string (`""` for JSON null).
 *
 * Returns: (transfer none) (nullable) (element-type utf8 utf8): the map of a
 *   `kv` button, empty when it has no `kv`; %NULL for other types
 */
GHashTable *
inbox_link_get_kv (InboxLink *self)
{
  g_return_val_if_fail (INBOX_IS_LINK (self), NULL);

  return self->kv;
}

/* Where links may go (docs/format.md, section 4, "Links") */

/* Opened whatever the settings say. */
static const char * const always_allowed[] = { "https", "http", "mailto", NULL };

/* Never opened, whatever the settings say: they run code (javascript,
 * vbscript, …), read local files or memory (file, data, blob, filesystem,
 * jar, and GVfs's admin, trash, recent, computer, burn, archive), mount
 * network shares and devices through GVfs (smb, sftp, ssh, dav, davs, nfs,
 * afp, network, dns-sd, mtp, gphoto2, afc), open local help pages (help,
 * ghelp) or reach a browser's or the desktop's own insides (about, chrome,
 * resource, view-source). */
static const char * const never_allowed[] = {
  "about",
  "admin",
  "afc",
  "afp",
  "archive",
  "blob",
  "burn",
  "chrome",
  "computer",
  "dav",
  "davs",
  "data",
  "dns-sd",
  "file",
  "filesystem",
  "ghelp",
  "gphoto2",
  "help",
  "jar",
  "javascript",
  "livescript",
  "mtp",
  "network",
  "nfs",
  "recent",
  "resource",
  "sftp",
  "smb",
  "ssh",
  "trash",
  "vbscript",
  "view-source",
  NULL
};

static gboolean
strv_contains_ascii_case (const char * const *strv,
                          const char         *str)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (g_ascii_strcasecmp (strv[i], str) == 0)
      return TRUE;

  return FALSE;
}

/**
 * inbox_link_is_app_scheme:
 * @scheme: (nullable): a scheme as the settings hold it, without the colon
 *
 * Whether @scheme may be an app scheme of the settings: a URI scheme by
 * RFC 3986 (a letter, then letters, digits, `+`, `-`, `.`) and none of the
 * schemes that are never opened (`file`, `javascript`, `data`, …).
 * Case-insensitive. The preferences keep only the schemes it accepts.
 *
 * Returns: whether @scheme may be listed as an app scheme
 */
gboolean
inbox_link_is_app_scheme (const char *scheme)
{
  if (scheme == NULL || !g_ascii_isalpha (scheme[0]))
    return FALSE;
  for (const char *p = scheme; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '-' && *p != '.')
      return FALSE;

  return !strv_contains_ascii_case (never_allowed, scheme);
}

/**
 * inbox_link_scheme_is_allowed:
 * @uri: (nullable): a link of a message
 * @app_schemes: (nullable) (array zero-terminated=1): the app schemes of
 *   the settings, as they are: each is checked with inbox_link_is_app_scheme()
 *
 * The one rule for opening a link: `https`, `http` and `mailto` always;
 * an app scheme only when the settings list it and it is a scheme that
 * may be one; nothing else, and nothing without a scheme. An embedding app
 * that opens links itself should ask this first.
 *
 * Returns: whether @uri may be opened
 */
gboolean
inbox_link_scheme_is_allowed (const char         *uri,
                              const char * const *app_schemes)
{
  g_autofree char *scheme = uri != NULL ? g_uri_parse_scheme (uri) : NULL;

  if (scheme == NULL)
    return FALSE;
  if (strv_contains_ascii_case (always_allowed, scheme))
    return TRUE;
  if (app_schemes == NULL || !inbox_link_is_app_scheme (scheme))
    return FALSE;

  return strv_contains_ascii_case (app_schemes, scheme);
}
