/* inbox-platform.c
 *
 * Each rule below is a row of docs/rules.md; the comments name the SDK
 * source (CleverTap/clevertap-android-sdk, clevertap-core/src/main/java/
 * com/clevertap/android/sdk/…, and CleverTap/clevertap-ios-sdk,
 * CleverTapSDK/…). What the table marks "inferred" is said so here too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "inbox-platform"

#include <string.h>

#include "inbox-platform.h"

G_DEFINE_BOXED_TYPE (InboxPlatformPrediction, inbox_platform_prediction,
                     inbox_platform_prediction_copy, inbox_platform_prediction_free)

InboxPlatformPrediction *
inbox_platform_prediction_copy (const InboxPlatformPrediction *self)
{
  InboxPlatformPrediction *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (InboxPlatformPrediction, 1);
  *copy = *self;
  copy->shown_reason = g_strdup (self->shown_reason);
  copy->template_name = g_strdup (self->template_name);
  copy->template_reason = g_strdup (self->template_reason);
  copy->card_link = g_strdup (self->card_link);
  copy->card_link_reason = g_strdup (self->card_link_reason);
  copy->buttons = g_strdupv (self->buttons);
  copy->buttons_reason = g_strdup (self->buttons_reason);
  copy->expires_reason = g_strdup (self->expires_reason);
  copy->notes = g_strdupv (self->notes);

  return copy;
}

void
inbox_platform_prediction_free (InboxPlatformPrediction *self)
{
  if (self == NULL)
    return;

  g_free (self->shown_reason);
  g_free (self->template_name);
  g_free (self->template_reason);
  g_free (self->card_link);
  g_free (self->card_link_reason);
  g_strfreev (self->buttons);
  g_free (self->buttons_reason);
  g_free (self->expires_reason);
  g_strfreev (self->notes);
  g_free (self);
}

/* "android", "ios": the keys of --check --json */
const char *
inbox_platform_to_string (InboxPlatform platform)
{
  return platform == INBOX_PLATFORM_ANDROID ? "android" : "ios";
}

const char *
inbox_platform_display_name (InboxPlatform platform)
{
  return platform == INBOX_PLATFORM_ANDROID ? "Android" : "iOS";
}

/* Small readers: the SDKs read the raw JSON, so these never fail. */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  return is_string (node) ? json_node_get_string (node) : NULL;
}

static JsonObject *
array_object (JsonArray *array,
              guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* url.<platform>.text, NULL when empty or absent */
static const char *
platform_url (JsonObject *url,
              const char *platform)
{
  const char *text = string_member (object_member (url, platform), "text");

  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
is_known_template (const char *type)
{
  static const char * const names[] = { "simple", "message-icon", "carousel", "carousel-image" };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (type, names[i]) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
has_buttons_template (const char *template_name)
{
  return g_strcmp0 (template_name, "simple") == 0 || g_strcmp0 (template_name, "message-icon") == 0;
}

typedef enum {
  FLAG_FALSE,
  FLAG_TRUE,
  FLAG_BROKEN,  /* Android: getBoolean throws; iOS: boolValue is not understood */
} Flag;

/* org.json's getBoolean: a boolean, or the strings "true"/"false" in any
 * case; anything else throws (CTInboxMessageContent.initWithJSON reads
 * `has(key) && getBoolean(key)`). */
static Flag
android_flag (JsonObject *action,
              const char *name)
{
  JsonNode *node = member (action, name);

  if (node == NULL)
    return FLAG_FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? FLAG_TRUE : FLAG_FALSE;
  if (is_string (node) && g_ascii_strcasecmp (json_node_get_string (node), "true") == 0)
    return FLAG_TRUE;
  if (is_string (node) && g_ascii_strcasecmp (json_node_get_string (node), "false") == 0)
    return FLAG_FALSE;

  return FLAG_BROKEN;
}

/* Foundation's boolValue (CleverTapInboxMessageContent.m initWithJSON:):
 * numbers are YES when not zero; strings after leading blanks, signs and
 * zeros are YES when they start with Y, y, T, t or a digit 1-9; null, arrays
 * and objects do not answer it and the content item is dropped. */
static Flag
ios_flag (JsonObject *action,
          const char *name)
{
  JsonNode *node = member (action, name);
  const char *p;

  if (node == NULL)
    return FLAG_FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FLAG_BROKEN;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node) ? FLAG_TRUE : FLAG_FALSE;
    case G_TYPE_INT64:
      return json_node_get_int (node) != 0 ? FLAG_TRUE : FLAG_FALSE;
    case G_TYPE_DOUBLE:
      return json_node_get_double (node) != 0 ? FLAG_TRUE : FLAG_FALSE;
    case G_TYPE_STRING:
      p = json_node_get_string (node);
      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
      while (*p == '+' || *p == '-')
        p++;
      while (*p == '0')
        p++;
      return (strchr ("YyTt123456789", *p) != NULL && *p != '\0') ? FLAG_TRUE : FLAG_FALSE;
    default:
      return FLAG_BROKEN;
    }
}

static char *
describe (JsonNode *node)
{
  if (is_string (node))
    return g_strdup_printf ("\"%s\"", json_node_get_string (node));
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("an array");
  return json_to_string (node, FALSE);
}

/* Color.parseColor (every view holder's configureWithMessage, no guard):
 * #RRGGBB, #AARRGGBB and a few names; anything else throws. */
static gboolean
android_color_ok (const char *color)
{
  static const char * const names[] = {
    "red", "blue", "green", "black", "white", "gray", "grey", "cyan", "magenta", "yellow",
    "lightgray", "darkgray", "aqua", "fuchsia", "lime", "maroon", "navy", "olive", "purple",
    "silver", "teal",
  };
  size_t len = strlen (color);

  if (color[0] == '#')
    {
      for (size_t i = 1; i < len; i++)
        if (!g_ascii_isxdigit (color[i]))
          return FALSE;
      return len == 7 || len == 9;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (color, names[i]) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
is_android_name (const char *color)
{
  return color[0] != '#' && android_color_ok (color);
}

/* CTUIUtils ct_colorWithHexString:withAlpha: skips '#', scans hex and
 * keeps the low 24 bits, opaque; no hex digits at all is black. Returns
 * "#rrggbb". */
static char *
ios_color (const char *color)
{
  const char *p = color;
  guint64 value = 0;

  while (*p == ' ' || *p == '#')
    p++;
  for (; g_ascii_isxdigit (*p); p++)
    value = ((value << 4) | (guint64) g_ascii_xdigit_value (*p)) & G_GUINT64_CONSTANT (0xffffffff);

  return g_strdup_printf ("#%06x", (guint) (value & 0xffffff));
}

typedef struct {
  InboxPlatform  platform;
  GPtrArray     *notes;
  char          *crash;   /* Android: the first colour Color.parseColor throws on */
} Context;

static void
check_color (Context    *ctx,
             JsonObject *object,
             const char *name,
             const char *where)
{
  const char *color = string_member (object, name);
  g_autofree char *lower = NULL;

  if (color == NULL)
    return;

  if (ctx->platform == INBOX_PLATFORM_ANDROID)
    {
      if (!android_color_ok (color) && ctx->crash == NULL)
        ctx->crash = g_strdup_printf ("%s \"%s\": Color.parseColor throws on it when the card is bound "
                                      "(inferred: the inbox crashes)", where, color);
      else if (android_color_ok (color) && is_android_name (color))
        g_ptr_array_add (ctx->notes, g_strdup_printf ("%s \"%s\": a colour name Android accepts "
                                                      "(App Inbox uses the theme's colour)", where, color));
      return;
    }

  lower = g_ascii_strdown (color, -1);
  if (lower[0] == '#' && strlen (lower) == 4)
    {
      g_autofree char *got = ios_color (color);

      g_ptr_array_add (ctx->notes, g_strdup_printf ("%s \"%s\": #RGB is read as the number 0x%s, so %s "
                                                    "(inferred from ct_colorWithHexString)", where, color,
                                                    lower + 1, got));
    }
  else if (lower[0] == '#' && strlen (lower) == 9)
    g_ptr_array_add (ctx->notes, g_strdup_printf ("%s \"%s\": alpha ignored, opaque #%s", where, color, lower + 3));
  else if (lower[0] != '#' && *lower != '\0')
    {
      g_autofree char *got = ios_color (color);

      g_ptr_array_add (ctx->notes, g_strdup_printf ("%s \"%s\": not hex, shown as %s (inferred from "
                                                    "ct_colorWithHexString)", where, color, got));
    }
}

static void
check_text_colors (Context    *ctx,
                   JsonObject *item,
                   guint       index)
{
  static const char * const texts[] = { "title", "message" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *where = g_strdup_printf ("msg.content[%u].%s.color", index, texts[i]);

      check_color (ctx, object_member (item, texts[i]), "color", where);
    }
}

static void
check_link_colors (Context    *ctx,
                   JsonArray  *links,
                   guint       n,
                   guint       content_index)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *color_where = g_strdup_printf ("msg.content[%u].action.links[%u].color", content_index, i);
      g_autofree char *bg_where = g_strdup_printf ("msg.content[%u].action.links[%u].bg", content_index, i);

      check_color (ctx, array_object (links, i), "color", color_where);
      check_color (ctx, array_object (links, i), "bg", bg_where);
    }
}

/* rfp links, shown as ordinary buttons by both SDKs */
static void
note_rfp (Context   *ctx,
          JsonArray *links,
          guint      n)
{
  for (guint i = 0; i < n; i++)
    {
      JsonObject *link = array_object (links, i);
      const char *type = string_member (link, "type");
      const char *text = string_member (link, "text");
      gboolean fallback;

      if (type == NULL)
        continue;
      /* Android: isRequestForPermissionStr.contains("rfp"), case-sensitive;
       * iOS: caseInsensitiveCompare:@"rfp" */
      if (ctx->platform == INBOX_PLATFORM_ANDROID ? strstr (type, "rfp") == NULL
                                                  : g_ascii_strcasecmp (type, "rfp") != 0)
        continue;

      fallback = ctx->platform == INBOX_PLATFORM_ANDROID
                 ? android_flag (link, "fbSettings") == FLAG_TRUE
                 : ios_flag (link, "fbSettings") == FLAG_TRUE;
      if (ctx->platform == INBOX_PLATFORM_ANDROID)
        g_ptr_array_add (ctx->notes,
                         g_strdup_printf ("button %u \"%s\" (rfp) raises Notification Clicked, then asks for the push "
                                          "permission%s", i + 1, text != NULL ? text : "",
                                          fallback ? "; fbSettings: a dialog to the settings when it was denied for good"
                                                   : "; no fbSettings: nothing more when it was denied for good"));
      else
        g_ptr_array_add (ctx->notes,
                         g_strdup_printf ("button %u \"%s\" (rfp) asks for the push permission through the app "
                                          "(messageDidSelectForPushPermission: fbSettings %s), without Notification "
                                          "Clicked", i + 1, text != NULL ? text : "", fallback ? "YES" : "NO"));
    }
}

static GStrv
labels (JsonArray *links,
        guint      n)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < n; i++)
    {
      const char *text = string_member (array_object (links, i), "text");

      g_strv_builder_add (builder, text != NULL ? text : "");
    }

  return g_strv_builder_end (builder);
}

static GStrv
no_labels (void)
{
  return g_new0 (char *, 1);
}

/* TTL: CTMessageDAO.initWithJSON (Android: absent is now + 24 h) and
 * CTMessageMO initWithJSON:forContext: (iOS: absent is 0); both expire only
 * a positive moment (CTInboxController trimMessages / messages). */
static void
predict_expiry (InboxPlatformPrediction *self,
                JsonObject              *message,
                gint64                   now)
{
  JsonNode *ttl = member (message, "wzrk_ttl");
  gint64 value = 0;

  if (ttl != NULL && JSON_NODE_HOLDS_VALUE (ttl) &&
      (json_node_get_value_type (ttl) == G_TYPE_INT64 || json_node_get_value_type (ttl) == G_TYPE_DOUBLE))
    value = json_node_get_value_type (ttl) == G_TYPE_INT64 ? json_node_get_int (ttl)
                                                           : (gint64) CLAMP (json_node_get_double (ttl), -1e18, 1e18);

  if ((ttl == NULL || JSON_NODE_HOLDS_NULL (ttl)) && self->platform == INBOX_PLATFORM_ANDROID)
    {
      self->expiry = INBOX_EXPIRY_AFTER_ARRIVAL;
      self->expires_reason = g_strdup ("no wzrk_ttl: Android stores an expiry 24 h after the message arrives");
    }
  else if (value > 0)
    {
      self->expiry = INBOX_EXPIRY_AT;
      self->expires = value;
      self->expires_reason = g_strdup ("wzrk_ttl, an absolute moment");
      if (now >= value)
        {
          self->shown = FALSE;
          self->shown_reason = g_strdup ("expired: wzrk_ttl has passed");
        }
    }
  else
    {
      self->expiry = INBOX_EXPIRY_NEVER;
      self->expires_reason = g_strdup (ttl == NULL ? "no wzrk_ttl: iOS stores 0, which never expires"
                                                   : "wzrk_ttl is not a positive moment: it never expires");
    }
}

/* custom_kv: Android's CTInboxMessage constructor reads
 * kv.getJSONObject("value").getString("text") and stops on a throw;
 * iOS getMessageCustomKV: skips a value without text and throws on a value
 * that is not a dictionary, which drops the message. */
static void
predict_custom_kv (InboxPlatformPrediction *self,
                   Context                 *ctx,
                   JsonObject              *msg)
{
  JsonArray *pairs = array_member (msg, "custom_kv");
  guint n = pairs != NULL ? json_array_get_length (pairs) : 0;

  for (guint i = 0; i < n && self->shown; i++)
    {
      JsonObject *pair = array_object (pairs, i);
      JsonNode *value = member (pair, "value");
      JsonNode *text = value != NULL && JSON_NODE_HOLDS_OBJECT (value)
                       ? member (json_node_get_object (value), "text") : NULL;

      if (pair == NULL)
        continue;

      if (ctx->platform == INBOX_PLATFORM_ANDROID)
        {
          if (text == NULL)
            {
              self->shown = FALSE;
              self->shown_reason = g_strdup_printf ("msg.custom_kv[%u]: no value.text: CTInboxMessage's constructor "
                                                    "stops there, orientation is never set (inferred: the inbox "
                                                    "crashes)", i);
            }
          else if (!is_string (text) && JSON_NODE_HOLDS_VALUE (text))
            {
              g_autofree char *written = describe (text);

              g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.custom_kv[%u].value.text %s: getCustomData() gives it "
                                                            "as a string", i, written));
            }
        }
      else
        {
          if (value != NULL && !JSON_NODE_HOLDS_OBJECT (value) && !JSON_NODE_HOLDS_NULL (value))
            {
              self->shown = FALSE;
              self->shown_reason = g_strdup_printf ("msg.custom_kv[%u].value is not an object: "
                                                    "getMessageCustomKV: throws and getAllInboxMessages leaves the "
                                                    "message out", i);
            }
          else if (text != NULL && !is_string (text) && JSON_NODE_HOLDS_VALUE (text))
            {
              g_autofree char *written = describe (text);

              g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.custom_kv[%u].value.text %s: kept as an NSNumber, "
                                                            "not a string", i, written));
            }
        }
    }
}

/* msg.orientation: Android's simple and icon view holders switch on "l" and
 * "p" exactly (still images; video sizing and the carousels ignore case);
 * iOS ignores case, and its defaults differ (CTInboxSimpleMessageCell
 * doLayoutForMessage:, CTCarouselMessageCell orientationIsLandscape). */
static gboolean
has_media (JsonArray  *content,
           const char *template_name)
{
  guint n = content != NULL ? json_array_get_length (content) : 0;

  for (guint i = 0; i < n; i++)
    {
      const char *url = string_member (object_member (array_object (content, i), "media"), "url");

      if (has_buttons_template (template_name) && i > 0)
        break;
      if (url != NULL && *url != '\0')
        return TRUE;
    }

  return FALSE;
}

static void
note_orientation (Context    *ctx,
                  JsonObject *msg,
                  const char *template_name)
{
  const char *orientation = string_member (msg, "orientation");
  gboolean buttons_template = has_buttons_template (template_name);

  /* the orientation shapes media only */
  if (!has_media (array_member (msg, "content"), template_name))
    return;

  if (ctx->platform == INBOX_PLATFORM_ANDROID)
    {
      if (buttons_template && orientation != NULL &&
          (strcmp (orientation, "L") == 0 || strcmp (orientation, "P") == 0))
        g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.orientation \"%s\": a still image keeps its own aspect "
                                                      "ratio (the view holders compare with \"l\" and \"p\" "
                                                      "exactly)", orientation));
      return;
    }

  if (orientation != NULL && (g_ascii_strcasecmp (orientation, "l") == 0 || g_ascii_strcasecmp (orientation, "p") == 0))
    return;

  if (buttons_template)
    g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.orientation %s%s%s: %s media", orientation != NULL ? "\"" : "",
                                                  orientation != NULL ? orientation : "absent",
                                                  orientation != NULL ? "\"" : "",
                                                  orientation == NULL ? "square (1:1)" : "16:9"));
  else
    g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.orientation %s%s%s: square (1:1) slides",
                                                  orientation != NULL ? "\"" : "",
                                                  orientation != NULL ? orientation : "absent",
                                                  orientation != NULL ? "\"" : ""));
}

/* media.content_type: Android's CTInboxMessageContent tests
 * startsWith("image"/"video"/"audio"), case-sensitive, and the simple and
 * icon holders show nothing else; its carousels load every URL as an image.
 * iOS loads a missing or unknown type as an image, as App Inbox does, and
 * leaves out carousel slides without a URL. */
static void
note_media (Context    *ctx,
            JsonArray  *content,
            const char *template_name)
{
  guint n = content != NULL ? json_array_get_length (content) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *media = object_member (array_object (content, i), "media");
      const char *url = string_member (media, "url");
      const char *type = string_member (media, "content_type");

      if (has_buttons_template (template_name) && i > 0)
        break;

      if (ctx->platform == INBOX_PLATFORM_IOS)
        {
          if (!has_buttons_template (template_name) && (url == NULL || *url == '\0'))
            g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.content[%u]: a slide without media.url is left out", i));
          continue;
        }

      if (url == NULL || *url == '\0' || !has_buttons_template (template_name))
        continue;
      if (type == NULL || *type == '\0')
        g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.content[%u].media: no content_type: no media shown", i));
      else if (!g_str_has_prefix (type, "image") && !g_str_has_prefix (type, "video") &&
               !g_str_has_prefix (type, "audio"))
        g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.content[%u].media: content_type \"%s\" is not image, "
                                                      "video or audio (case-sensitive): no media shown", i, type));
      else if (g_str_has_prefix (type, "video") || g_str_has_prefix (type, "audio"))
        g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.content[%u].media: %s: the message is left out unless "
                                                      "the app includes media player support", i, type));
    }
}

/* Empty title or message: neither SDK hides the view (Simple and Icon
 * holders and cells); Android's empty TextView keeps a line (inferred). */
static void
note_empty_texts (Context    *ctx,
                  JsonObject *item,
                  const char *template_name)
{
  static const char * const texts[] = { "title", "message" };

  if (ctx->platform != INBOX_PLATFORM_ANDROID || !has_buttons_template (template_name))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *text = string_member (object_member (item, texts[i]), "text");

      if (text == NULL || *text == '\0')
        g_ptr_array_add (ctx->notes, g_strdup_printf ("msg.content[0].%s is empty: its line stays, blank "
                                                      "(inferred: an empty TextView keeps its height)", texts[i]));
    }
}

static void
predict_android_action (InboxPlatformPrediction *self,
                        Context                 *ctx,
                        JsonObject              *item,
                        gboolean                 buttons_template)
{
  JsonObject *action = object_member (item, "action");
  JsonObject *url = object_member (action, "url");
  JsonArray *links = array_member (action, "links");
  guint n = links != NULL ? json_array_get_length (links) : 0;
  Flag has_url = android_flag (action, "hasUrl");
  Flag has_links = has_url == FLAG_BROKEN ? FLAG_BROKEN : android_flag (action, "hasLinks");

  self->buttons = no_labels ();

  /* CTInboxMessageContent.initWithJSON: one try around it all */
  if (has_url == FLAG_BROKEN || has_links == FLAG_BROKEN)
    {
      const char *name = has_url == FLAG_BROKEN ? "hasUrl" : "hasLinks";
      g_autofree char *written = describe (member (action, name));

      if (has_url == FLAG_BROKEN)
        self->card_link_reason = g_strdup_printf ("hasUrl is %s: getBoolean throws and the rest of the action is "
                                                  "not read", written);
      self->buttons_reason = g_strdup_printf ("%s is %s: getBoolean throws and the links are not read", name, written);
      if (has_url == FLAG_BROKEN)
        return;
    }

  if (has_url == FLAG_TRUE && platform_url (url, "android") != NULL)
    self->card_link = g_strdup (platform_url (url, "android"));
  else if (has_url == FLAG_TRUE)
    self->card_link_reason = g_strdup ("hasUrl is true but there is no url.android.text: Android reads only that");
  else
    self->card_link_reason = g_strdup ("hasUrl is not true");

  if (!buttons_template)
    {
      if (n > 0)
        {
          g_free (self->buttons_reason);
          self->buttons_reason = g_strdup ("carousels have no buttons");
        }
      return;
    }
  if (has_links != FLAG_TRUE)
    {
      if (self->buttons_reason == NULL && n > 0)
        self->buttons_reason = g_strdup_printf ("%u link%s, hasLinks is not true", n, n == 1 ? "" : "s");
      return;
    }
  if (url == NULL)
    {
      if (n > 0)
        self->buttons_reason = g_strdup_printf ("%u link%s but no action.url object; Android reads links only when it "
                                                "exists", n, n == 1 ? "" : "s");
      return;
    }
  if (n > 3)
    {
      self->buttons_reason = g_strdup_printf ("%u links; Android shows buttons for 1 to 3 links only", n);
      return;
    }

  g_clear_pointer (&self->buttons, g_strfreev);
  self->buttons = labels (links, n);
  check_link_colors (ctx, links, n, 0);
  note_rfp (ctx, links, n);
}

/* iOS: the first content item that survives boolValue gives the card link;
 * buttons need actionHasLinks (CTInboxBaseMessageCell
 * setupInboxMessageActions:), take links[0..2] and are never filtered. */
static void
predict_ios_action (InboxPlatformPrediction *self,
                    Context                 *ctx,
                    JsonObject              *item,
                    guint                    index,
                    gboolean                 buttons_template)
{
  JsonObject *action = object_member (item, "action");
  JsonObject *url = object_member (action, "url");
  JsonArray *links = array_member (action, "links");
  guint n = links != NULL ? json_array_get_length (links) : 0;
  Flag has_url = ios_flag (action, "hasUrl");
  Flag has_links = ios_flag (action, "hasLinks");

  self->buttons = no_labels ();

  if (has_url == FLAG_TRUE && platform_url (url, "ios") != NULL)
    self->card_link = g_strdup (platform_url (url, "ios"));
  else if (has_url == FLAG_TRUE)
    self->card_link_reason = g_strdup ("hasUrl is true but there is no url.ios.text: iOS reads only that");
  else
    self->card_link_reason = g_strdup ("hasUrl is not true");

  if (!buttons_template)
    {
      if (n > 0)
        self->buttons_reason = g_strdup ("carousels have no buttons");
      return;
    }
  if (has_links != FLAG_TRUE)
    {
      if (n > 0)
        self->buttons_reason = g_strdup_printf ("%u link%s, hasLinks is not true", n, n == 1 ? "" : "s");
      return;
    }

  g_clear_pointer (&self->buttons, g_strfreev);
  self->buttons = labels (links, MIN (n, 3));
  if (n > 3)
    self->buttons_reason = g_strdup_printf ("%u links; iOS shows the first three", n);
  check_link_colors (ctx, links, MIN (n, 3), index);
  note_rfp (ctx, links, MIN (n, 3));
}

/**
 * inbox_platform_predict:
 * @message: one message in the wire format (`_id`, `msg`, …)
 * @now: the moment to judge expiry at, epoch seconds
 *
 * Returns: (transfer full): what @platform's SDK does with @message.
 */
InboxPlatformPrediction *
inbox_platform_predict (JsonObject    *message,
                        InboxPlatform  platform,
                        gint64         now)
{
  g_autoptr(InboxPlatformPrediction) self = g_new0 (InboxPlatformPrediction, 1);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  Context ctx = { platform, notes, NULL };
  JsonObject *msg = object_member (message, "msg");
  JsonArray *content = array_member (msg, "content");
  const char *type = string_member (msg, "type");
  const char *id = string_member (message, "_id");
  guint n_content = content != NULL ? json_array_get_length (content) : 0;
  JsonObject *item = NULL;
  guint item_index = 0;

  g_return_val_if_fail (message != NULL, NULL);

  self->platform = platform;
  self->shown = TRUE;

  predict_expiry (self, message, now);

  /* CTMessageDAO.initWithJSON and CTUserMO updateMessages: drop a message
   * without _id */
  if (self->shown && (id == NULL || *id == '\0'))
    {
      self->shown = FALSE;
      self->shown_reason = g_strdup ("no _id: the message is dropped");
    }

  /* Android: CTInboxMessageType.fromString gives null for anything else and
   * CTInboxMessageAdapter.getItemViewType switches on it (inferred: crash).
   * iOS: CTInboxUtils inboxMessageTypeFromString: gives Unknown, which
   * CleverTapInboxViewController shows as simple. */
  if (is_known_template (type))
    self->template_name = g_strdup (type);
  else if (platform == INBOX_PLATFORM_IOS)
    {
      self->template_name = g_strdup ("simple");
      self->template_reason = type != NULL ? g_strdup_printf ("unknown template \"%s\": iOS shows it as simple", type)
                                           : g_strdup ("no msg.type: iOS shows it as simple");
    }
  else if (self->shown)
    {
      self->shown = FALSE;
      self->shown_reason = type != NULL
        ? g_strdup_printf ("unknown template \"%s\": Android has no view for it (inferred: the inbox crashes)", type)
        : g_strdup ("no msg.type: Android has no view for it (inferred: the inbox crashes)");
    }

  if (self->shown)
    predict_custom_kv (self, &ctx, msg);

  /* iOS drops a content item whose hasUrl or hasLinks boolValue throws */
  for (guint i = 0; i < n_content; i++)
    {
      JsonObject *candidate = array_object (content, i);
      JsonObject *action = object_member (candidate, "action");

      if (candidate == NULL)
        continue;
      if (platform == INBOX_PLATFORM_IOS &&
          (ios_flag (action, "hasUrl") == FLAG_BROKEN || ios_flag (action, "hasLinks") == FLAG_BROKEN))
        {
          g_ptr_array_add (notes, g_strdup_printf ("msg.content[%u]: hasUrl or hasLinks is null, an array or an object: "
                                                   "the item is dropped", i));
          continue;
        }
      item = candidate;
      item_index = i;
      break;
    }

  if (item == NULL && self->shown)
    {
      self->shown = FALSE;
      self->shown_reason = g_strdup (n_content == 0 ? "no content"
                                                    : "no content item left (inferred: the cells read content[0])");
    }

  if (!self->shown)
    {
      g_clear_pointer (&self->template_name, g_free);
      self->buttons = no_labels ();
      g_ptr_array_add (notes, NULL);
      self->notes = (GStrv) g_ptr_array_free (g_steal_pointer (&notes), FALSE);
      return g_steal_pointer (&self);
    }

  if (platform == INBOX_PLATFORM_ANDROID)
    predict_android_action (self, &ctx, item, has_buttons_template (self->template_name));
  else
    predict_ios_action (self, &ctx, item, item_index, has_buttons_template (self->template_name));

  check_color (&ctx, msg, "bg", "msg.bg");
  for (guint i = 0; i < n_content; i++)
    {
      if (has_buttons_template (self->template_name) && i > 0)
        break;
      check_text_colors (&ctx, array_object (content, i), i);
    }
  note_orientation (&ctx, msg, self->template_name);
  note_media (&ctx, content, self->template_name);
  note_empty_texts (&ctx, item, self->template_name);

  if (ctx.crash != NULL)
    {
      self->shown = FALSE;
      self->shown_reason = g_steal_pointer (&ctx.crash);
      g_clear_pointer (&self->template_name, g_free);
      g_clear_pointer (&self->card_link, g_free);
      g_clear_pointer (&self->buttons, g_strfreev);
      self->buttons = no_labels ();
    }

  g_ptr_array_add (notes, NULL);
  self->notes = (GStrv) g_ptr_array_free (g_steal_pointer (&notes), FALSE);
  return g_steal_pointer (&self);
}

/**
 * inbox_platform_tag_matches:
 * @tags: a message's msg.tags
 * @tab: the tab's tag
 *
 * Whether @platform lists a message with @tags in the tab for @tab.
 * Android: a whole tag equal to the tab, ignoring case
 * (CTInboxListViewFragment filterMessages, equalsIgnoreCase). iOS: the tab
 * found anywhere in the tags joined by ",", ignoring case
 * (CleverTapInboxViewController segmentSelected:, tagString CONTAINS[c]).
 */
gboolean
inbox_platform_tag_matches (InboxPlatform       platform,
                            const char * const *tags,
                            const char         *tab)
{
  g_autofree char *folded_tab = NULL;

  g_return_val_if_fail (tab != NULL, FALSE);

  if (tags == NULL)
    return FALSE;

  folded_tab = g_utf8_casefold (tab, -1);
  if (platform == INBOX_PLATFORM_ANDROID)
    {
      for (guint i = 0; tags[i] != NULL; i++)
        {
          g_autofree char *folded = g_utf8_casefold (tags[i], -1);

          if (g_str_equal (folded, folded_tab))
            return TRUE;
        }
      return FALSE;
    }
  else
    {
      g_autofree char *joined = g_strjoinv (",", (GStrv) tags);
      g_autofree char *folded = g_utf8_casefold (joined, -1);

      return strstr (folded, folded_tab) != NULL;
    }
}

/* Both SDKs show at most two tag tabs beside the first ("All") tab
 * (Android CTInboxStyleConfig MAX_TABS; iOS kMaxTags counts the first). */
guint
inbox_platform_max_tag_tabs (InboxPlatform platform)
{
  return 2;
}
