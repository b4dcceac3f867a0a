/* test-payload.c: the message model and its rules (docs/format.md sections 1, 2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-cache.h"
#include "inbox-json.h"
#include "inbox-payload.h"
#include "test-util.h"

#define NOW ((gint64) 1716500000)

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
}

/* Parses a one-message payload; the message or NULL with *error set. */
static InboxMessage *
parse (const char  *json,
       GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  InboxPayloadItem *item;

  items = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_QUIET, error);
  if (items == NULL)
    return NULL;

  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  if (item->error != NULL)
    g_propagate_error (error, g_steal_pointer (&item->error));

  return item->message != NULL ? g_object_ref (item->message) : NULL;
}

static InboxMessage *
parse_file (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_no_error (item->error);

  return g_object_ref (item->message);
}

static void
assert_invalid (const char *json,
                const char *expected_message)
{
  g_autoptr(InboxMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = parse (json, &error);
  g_assert_null (message);
  g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected_message);
}

static gboolean
has_warning (InboxMessage *message,
             const char   *fragment)
{
  for (const char * const *w = inbox_message_get_warnings (message); *w != NULL; w++)
    if (strstr (*w, fragment) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_simple_fixture (void)
{
  g_autoptr(InboxMessage) message = parse_file ("simple.json");
  InboxContent *content;
  InboxLink *link;
  GHashTable *kv;

  g_assert_cmpstr (inbox_message_get_id (message), ==, "1712000000_1716400000");
  g_assert_cmpint (inbox_message_get_date (message), ==, 1716400000);
  g_assert_cmpint (inbox_message_get_expires (message), ==, 4102444800);
  g_assert_false (inbox_message_get_read (message));
  g_assert_cmpint (inbox_message_get_template (message), ==, INBOX_TEMPLATE_SIMPLE);
  g_assert_cmpstr (inbox_message_get_bg (message), ==, "#fff8e1ff");
  g_assert_cmpint (inbox_message_get_orientation (message), ==, INBOX_ORIENTATION_LANDSCAPE);
  g_assert_true (inbox_message_has_tag (message, "offers"));
  g_assert_true (inbox_message_has_tag (message, "WEEKEND"));
  g_assert_false (inbox_message_has_tag (message, "news"));

  kv = inbox_message_get_custom_kv (message);
  g_assert_cmpuint (g_hash_table_size (kv), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (kv, "screen"), ==, "deals");
  g_assert_cmpstr (g_hash_table_lookup (kv, "tier"), ==, "gold");

  g_assert_cmpuint (inbox_message_get_n_contents (message), ==, 1);
  content = inbox_message_get_content (message, 0);
  g_assert_cmpstr (inbox_content_get_title (content), ==, "Weekend offer");
  g_assert_cmpstr (inbox_content_get_title_color (content), ==, "#3e2723ff");
  g_assert_cmpstr (inbox_content_get_message (content), ==, "Half price on every second coffee until Sunday.");
  g_assert_cmpint (inbox_content_get_media_kind (content), ==, INBOX_MEDIA_IMAGE);
  g_assert_cmpstr (inbox_content_get_media_url (content), ==, "media/coffee.png");
  g_assert_cmpstr (inbox_content_get_media_alt_text (content), ==, "Two cups of coffee");
  g_assert_null (inbox_content_get_icon_url (content));
  /* desktop is preferred over android */
  g_assert_cmpstr (inbox_content_get_url (content), ==, "https://example.com/offer");

  /* the slots are links[0..2] by index: the rfp in slot 3 leaves it empty,
   * and links[3] and links[4] never move up (docs/rules.md) */
  g_assert_cmpuint (inbox_content_get_n_links (content), ==, 3);
  g_assert_null (inbox_content_get_link (content, 2));
  g_assert_cmpstr (inbox_content_get_slot_type (content, 2), ==, "rfp");
  link = inbox_content_get_link (content, 0);
  g_assert_cmpint (inbox_link_get_link_type (link), ==, INBOX_LINK_URL);
  g_assert_cmpstr (inbox_link_get_text (link), ==, "See offer");
  g_assert_cmpstr (inbox_link_get_url (link), ==, "https://example.com/ios-only");
  g_assert_cmpstr (inbox_link_get_color (link), ==, "#ffffffff");
  g_assert_cmpstr (inbox_link_get_bg (link), ==, "#6d4c41ff");
  link = inbox_content_get_link (content, 1);
  g_assert_cmpint (inbox_link_get_link_type (link), ==, INBOX_LINK_COPY);
  g_assert_cmpstr (inbox_link_get_copy_text (link), ==, "COFFEE2");

  g_assert_true (has_warning (message, "links[2]: push-permission button, not shown on the desktop; button slot 3 stays empty"));
  g_assert_true (has_warning (message, "action.links: 5 links: only links[0] to links[2] fill the button slots"));
}

static void
test_icon_fixture (void)
{
  g_autoptr(InboxMessage) message = parse_file ("message-icon.json");
  InboxContent *content;

  g_assert_cmpint (inbox_message_get_template (message), ==, INBOX_TEMPLATE_ICON);
  /* "P" is square, case-insensitively */
  g_assert_cmpint (inbox_message_get_orientation (message), ==, INBOX_ORIENTATION_SQUARE);
  /* no wzrk_ttl: never expires */
  g_assert_cmpint (inbox_message_get_expires (message), ==, 0);
  g_assert_false (inbox_message_is_expired (message, G_MAXINT64));
  /* extra items are ignored for message-icon */
  g_assert_cmpuint (inbox_message_get_n_contents (message), ==, 1);
  g_assert_true (has_warning (message, "message-icon shows the first only"));

  content = inbox_message_get_content (message, 0);
  g_assert_cmpstr (inbox_content_get_icon_url (content), ==, "media/parcel-icon.png");
  g_assert_cmpstr (inbox_content_get_icon_alt_text (content), ==, "A parcel");
  g_assert_cmpint (inbox_content_get_media_kind (content), ==, INBOX_MEDIA_NONE);
  /* hasUrl false: the card opens nothing */
  g_assert_null (inbox_content_get_url (content));
  g_assert_cmpuint (inbox_content_get_n_links (content), ==, 1);
}

static void
test_carousel_fixtures (void)
{
  g_autoptr(InboxMessage) carousel = parse_file ("carousel.json");
  g_autoptr(InboxMessage) images = parse_file ("carousel-image.json");

  g_assert_cmpint (inbox_message_get_template (carousel), ==, INBOX_TEMPLATE_CAROUSEL);
  g_assert_cmpuint (inbox_message_get_n_contents (carousel), ==, 3);
  /* wzrk_ttl 0: never expires */
  g_assert_cmpint (inbox_message_get_expires (carousel), ==, 0);
  /* #AARRGGBB is alpha first */
  g_assert_cmpstr (inbox_message_get_bg (carousel), ==, "#ffffff80");
  g_assert_cmpstr (inbox_content_get_url (inbox_message_get_content (carousel, 0)), ==, "https://example.com/1");
  g_assert_cmpstr (inbox_content_get_url (inbox_message_get_content (carousel, 1)), ==, "https://example.com/2");
  g_assert_null (inbox_content_get_url (inbox_message_get_content (carousel, 2)));
  g_assert_cmpint (inbox_content_get_media_kind (inbox_message_get_content (carousel, 1)), ==, INBOX_MEDIA_GIF);

  g_assert_cmpint (inbox_message_get_template (images), ==, INBOX_TEMPLATE_IMAGE_CAROUSEL);
  g_assert_cmpuint (inbox_message_get_n_contents (images), ==, 2);
  /* anything but l or p: natural */
  g_assert_cmpint (inbox_message_get_orientation (images), ==, INBOX_ORIENTATION_NATURAL);
  g_assert_null (inbox_message_get_bg (images));
  g_assert_cmpstr (inbox_content_get_url (inbox_message_get_content (images, 1)), ==, "https://example.com/b");
}

static void
test_wzrk_fields_kept (void)
{
  g_autoptr(InboxMessage) message = parse_file ("simple.json");
  JsonObject *wzrk = inbox_message_get_wzrk_fields (message);
  JsonNode *future;

  g_assert_cmpuint (json_object_get_size (wzrk), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (wzrk, "wzrk_id"), ==, "1712000000_20240522");
  g_assert_cmpstr (json_object_get_string_member (wzrk, "wzrk_pivot"), ==, "wzrk_default");
  g_assert_cmpint (json_object_get_int_member (wzrk, "wzrk_ttl"), ==, 4102444800);
  g_assert_true (json_object_has_member (wzrk, "wzrk_id"));
  future = json_object_get_member (wzrk, "wzrk_future");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (future));
  g_assert_false (json_object_has_member (wzrk, "future_field"));
}

static void
test_unknown_fields_kept (void)
{
  g_autoptr(InboxMessage) message = parse_file ("simple.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *root;

  json = inbox_message_to_json (message, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "future_field"), ==, "kept");
  /* personalisation bookkeeping inside text objects is ignored, and kept */
  {
    JsonObject *msg = json_object_get_object_member (root, "msg");
    JsonObject *item = json_array_get_object_element (json_object_get_array_member (msg, "content"), 0);
    JsonObject *title = json_object_get_object_member (item, "title");

    g_assert_cmpstr (json_object_get_string_member (title, "replacements"), ==, "Weekend offer");
  }
}

static void
assert_stored_as (const char         *payload,
                  const char * const *expected)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint n = g_strv_length ((GStrv) expected);

  items = inbox_payload_parse (payload, strlen (payload), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);
      g_autofree char *json = NULL;

      g_assert_no_error (item->error);
      json = inbox_message_to_json (item->message, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json, ==, expected[i]);
    }
}

/* A message is stored byte for byte as it came, whatever shape the payload */
static void
test_stored_as_received (void)
{
  const char *a = "{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"x, ] } [ \\\" \\\\\"}}]},\"zz\" : 1.50}";
  const char *b = "{ \"_id\" : \"b\", \"inbox_notifs\": [1], \"msg\": {\"type\":\"simple\",\"content\":[{}]} }";
  g_autofree char *array = g_strdup_printf ("[\n  %s ,\n\t%s\n]\n", a, b);
  g_autofree char *envelope = g_strdup_printf ("{\"user\":\"u\",\"deleted\":[\"q\", \"r\"],\"cursor\":\"inbox_notifs\","
                                               "\"inbox_notifs\" :[%s,%s], \"more\":false}", b, a);
  g_autofree char *single = g_strdup_printf ("\n\n   %s  \n", a);
  const char * const array_expected[] = { a, b, NULL };
  const char * const envelope_expected[] = { b, a, NULL };
  const char * const single_expected[] = { a, NULL };

  assert_stored_as (array, array_expected);
  assert_stored_as (envelope, envelope_expected);
  assert_stored_as (single, single_expected);
}

static void
test_id_required (void)
{
  assert_invalid ("{\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", "_id: missing");
  assert_invalid ("{\"_id\":\"\",\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", "_id: empty");
  assert_invalid ("{\"_id\":null,\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", "_id: missing");
  assert_invalid ("{\"_id\":7,\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", "_id: expected a string, got a number");
}

static void
test_content_required (void)
{
  assert_invalid ("{\"_id\":\"a\"}", "msg: missing");
  assert_invalid ("{\"_id\":\"a\",\"msg\":[]}", "msg: expected an object, got an array");
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\"}}", "msg.content: missing");
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[]}}",
                  "msg.content: empty, a message needs at least one item");
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"carousel\",\"content\":[{},3]}}",
                  "msg.content[1]: expected an object, got a number");
}

static void
test_field_paths (void)
{
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"carousel\",\"content\":[{},{\"media\":{\"url\":5}}]}}",
                  "msg.content[1].media.url: expected a string, got a number");
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":true}}]}}",
                  "msg.content[0].title.text: expected a string, got a boolean");
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"tags\":[\"x\",{}],\"content\":[{}]}}",
                  "msg.tags[1]: expected a string, got an object");
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{\"action\":{\"links\":[{\"type\":\"copy\",\"copyText\":{\"text\":[]}}]}}]}}",
                  "msg.content[0].action.links[0].copyText.text: expected a string, got an array");
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"custom_kv\":[{\"key\":\"k\",\"value\":\"v\"}],\"content\":[{}]}}",
                  "msg.custom_kv[0].value: expected an object, got a string");
  assert_invalid ("{\"_id\":\"a\",\"date\":\"now\",\"msg\":{\"type\":\"simple\",\"content\":[{}]}}",
                  "date: expected an integer, got a string");
  assert_invalid ("{\"_id\":\"a\",\"isRead\":1,\"msg\":{\"type\":\"simple\",\"content\":[{}]}}",
                  "isRead: expected a boolean, got a number");
}

static void
test_ttl_absolute (void)
{
  g_autoptr(InboxMessage) future = NULL;
  g_autoptr(InboxMessage) past = NULL;
  g_autoptr(InboxMessage) negative = NULL;
  g_autoptr(GError) error = NULL;

  future = parse ("{\"_id\":\"a\",\"wzrk_ttl\":1716500100,\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", &error);
  g_assert_no_error (error);
  /* an absolute moment, not a duration */
  g_assert_cmpint (inbox_message_get_expires (future), ==, 1716500100);
  g_assert_false (inbox_message_is_expired (future, NOW));
  g_assert_true (inbox_message_is_expired (future, 1716500100));

  past = parse ("{\"_id\":\"a\",\"wzrk_ttl\":86400,\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", &error);
  g_assert_no_error (error);
  g_assert_true (inbox_message_is_expired (past, NOW));

  negative = parse ("{\"_id\":\"a\",\"wzrk_ttl\":-5,\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (inbox_message_get_expires (negative), ==, 0);
  g_assert_false (inbox_message_is_expired (negative, G_MAXINT64));
}

static void
test_date_absent_is_arrival (void)
{
  g_autoptr(InboxMessage) message = NULL;
  g_autoptr(InboxMessage) whole = NULL;
  g_autoptr(GError) error = NULL;

  message = parse ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (inbox_message_get_date (message), ==, NOW);

  whole = parse ("{\"_id\":\"a\",\"date\":1716400000.0,\"msg\":{\"type\":\"simple\",\"content\":[{}]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (inbox_message_get_date (whole), ==, 1716400000);
}

static void
test_url_choice (void)
{
  static const struct {
    const char *url;
    const char *expected;
  } cases[] = {
    { "{\"desktop\":{\"text\":\"https://d\"},\"android\":{\"text\":\"https://a\"},\"ios\":{\"text\":\"https://i\"}}", "https://d" },
    { "{\"android\":{\"text\":\"https://a\"},\"ios\":{\"text\":\"https://i\"}}", "https://a" },
    { "{\"ios\":{\"text\":\"https://i\"}}", "https://i" },
    { "{\"desktop\":{\"text\":\"  \"},\"ios\":{\"text\":\"https://i\"}}", "https://i" },
    { "{\"desktop\":{},\"android\":{\"text\":\"https://a\"}}", "https://a" },
    { "{}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":"
                                               "[{\"action\":{\"hasUrl\":true,\"url\":%s}}]}}", cases[i].url);
      g_autoptr(InboxMessage) message = NULL;
      g_autoptr(GError) error = NULL;

      message = parse (json, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (inbox_content_get_url (inbox_message_get_content (message, 0)), ==, cases[i].expected);
    }
}

static void
test_button_types (void)
{
  g_autoptr(InboxMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  InboxContent *content;

  message = parse ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{\"action\":{\"hasLinks\":true,\"links\":["
                   "{\"type\":\"RFP\",\"text\":\"Allow\"},"
                   "{\"type\":\"Url\",\"text\":\"Open\",\"url\":{\"android\":{\"text\":\"https://a\"}}},"
                   "{\"type\":\"telepathy\",\"text\":\"?\"},"
                   "{\"type\":\"url\",\"text\":\"Nowhere\"},"
                   "{\"type\":\"Kv\",\"text\":\"Hand over\",\"kv\":{\"k\":\"v\"}},"
                   "{\"type\":\"cOpY\",\"text\":\"Copy\",\"copyText\":{\"text\":\"c\"}},"
                   "{\"type\":\"copy\",\"text\":\"Fourth\",\"copyText\":{\"text\":\"d\"}}"
                   "]}}]}}", &error);
  g_assert_no_error (error);

  /* types are case-insensitive; the slots are links[0..2]: an empty slot
   * for the rfp and the unknown type, and nothing moves up */
  content = inbox_message_get_content (message, 0);
  g_assert_cmpuint (inbox_content_get_n_links (content), ==, 3);
  g_assert_null (inbox_content_get_link (content, 0));
  g_assert_cmpstr (inbox_link_get_text (inbox_content_get_link (content, 1)), ==, "Open");
  g_assert_cmpint (inbox_link_get_link_type (inbox_content_get_link (content, 1)), ==, INBOX_LINK_URL);
  g_assert_null (inbox_content_get_link (content, 2));
  g_assert_true (inbox_content_has_buttons (content));

  g_assert_true (has_warning (message, "links[0]: push-permission button"));
  g_assert_true (has_warning (message, "links[2]: unknown button type \"telepathy\""));
  g_assert_false (has_warning (message, "links[3]"));
  g_assert_true (has_warning (message, "7 links: only links[0] to links[2] fill the button slots"));
  g_clear_object (&message);

  message = parse ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{\"action\":{\"hasLinks\":true,\"links\":["
                   "{\"type\":\"Kv\",\"text\":\"Hand over\",\"kv\":{\"k\":\"v\"}},"
                   "{\"type\":\"cOpY\",\"text\":\"Copy\",\"copyText\":{\"text\":\"c\"}},"
                   "{\"type\":\"url\",\"text\":\"Nowhere\"}"
                   "]}}]}}", &error);
  g_assert_no_error (error);
  content = inbox_message_get_content (message, 0);
  g_assert_cmpuint (inbox_content_get_n_links (content), ==, 3);
  g_assert_cmpstr (inbox_link_get_text (inbox_content_get_link (content, 0)), ==, "Hand over");
  g_assert_cmpint (inbox_link_get_link_type (inbox_content_get_link (content, 0)), ==, INBOX_LINK_KV);
  g_assert_cmpstr (inbox_link_get_text (inbox_content_get_link (content, 1)), ==, "Copy");
  g_assert_cmpint (inbox_link_get_link_type (inbox_content_get_link (content, 1)), ==, INBOX_LINK_COPY);
  g_assert_null (inbox_content_get_link (content, 2));
  g_assert_true (has_warning (message, "links[2]: a url button without a URL, not shown; button slot 3 stays empty"));
}

static void
test_has_links_false (void)
{
  g_autoptr(InboxMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = parse ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{\"action\":{\"hasLinks\":false,\"links\":["
                   "{\"type\":\"url\",\"text\":\"Open\",\"url\":{\"desktop\":{\"text\":\"https://a\"}}}]}}]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inbox_content_get_n_links (inbox_message_get_content (message, 0)), ==, 0);
}

static void
test_unknown_template (void)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) quiet = NULL;
  g_autoptr(GError) error = NULL;
  const char *json = "[{\"_id\":\"a\",\"msg\":{\"type\":\"hologram-test\",\"content\":[{},{}]}},"
                     " {\"_id\":\"b\",\"msg\":{\"type\":\"hologram-test\",\"content\":[{}]}}]";
  InboxMessage *message;

  /* Logged once per template name for the whole process. */
  g_test_expect_message ("inbox-payload", G_LOG_LEVEL_WARNING,
                         "Unknown message template \"hologram-test\": shown as simple");
  first = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_NONE, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  second = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_NONE, &error);
  g_assert_no_error (error);

  message = ((InboxPayloadItem *) g_ptr_array_index (first, 0))->message;
  g_assert_cmpint (inbox_message_get_template (message), ==, INBOX_TEMPLATE_SIMPLE);
  g_assert_cmpstr (inbox_message_get_type_name (message), ==, "hologram-test");
  g_assert_cmpuint (inbox_message_get_n_contents (message), ==, 1);
  g_assert_true (has_warning (message, "msg.type: unknown template \"hologram-test\", shown as simple"));

  quiet = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quiet->len, ==, 2);
}

static void
test_colors (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "#FFF", "#ffffffff" },
    { "#1a2B3c", "#1a2b3cff" },
    { "#801A2B3C", "#1a2b3c80" },
    { " #abcdef ", "#abcdefff" },
    { "red", NULL },
    { "#12345", NULL },
    { "#GGGGGG", NULL },
    { "#", NULL },
    { "", NULL },
    { "rgb(1,2,3)", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *color = inbox_json_parse_color (cases[i].in);

      g_assert_cmpstr (color, ==, cases[i].out);
    }
}

static void
test_invalid_color_warns (void)
{
  g_autoptr(InboxMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = parse ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"bg\":\"blue\","
                   "\"content\":[{\"title\":{\"text\":\"t\",\"color\":\"#12\"}}]}}", &error);
  g_assert_no_error (error);
  g_assert_null (inbox_message_get_bg (message));
  g_assert_null (inbox_content_get_title_color (inbox_message_get_content (message, 0)));
  g_assert_true (has_warning (message, "msg.bg: \"blue\" is not a colour"));
  g_assert_true (has_warning (message, "msg.content[0].title.color: \"#12\" is not a colour"));
}

static void
test_orientation (void)
{
  static const struct {
    const char *value;
    InboxOrientation expected;
  } cases[] = {
    { "\"l\"", INBOX_ORIENTATION_LANDSCAPE },
    { "\"L\"", INBOX_ORIENTATION_LANDSCAPE },
    { "\"p\"", INBOX_ORIENTATION_SQUARE },
    { "\"P\"", INBOX_ORIENTATION_SQUARE },
    { "\"landscape\"", INBOX_ORIENTATION_NATURAL },
    { "null", INBOX_ORIENTATION_NATURAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"orientation\":%s,"
                                               "\"content\":[{}]}}", cases[i].value);
      g_autoptr(InboxMessage) message = NULL;
      g_autoptr(GError) error = NULL;

      message = parse (json, &error);
      g_assert_no_error (error);
      g_assert_cmpint (inbox_message_get_orientation (message), ==, cases[i].expected);
    }
}

static void
test_media_kinds (void)
{
  static const struct {
    const char *media;
    InboxMediaKind expected;
  } cases[] = {
    { "{\"url\":\"a.png\",\"content_type\":\"image/png\"}", INBOX_MEDIA_IMAGE },
    { "{\"url\":\"a\",\"content_type\":\"image/gif\"}", INBOX_MEDIA_GIF },
    { "{\"url\":\"a\",\"content_type\":\"video/webm\",\"poster\":\"p.png\"}", INBOX_MEDIA_VIDEO },
    { "{\"url\":\"a\",\"content_type\":\"audio/ogg\"}", INBOX_MEDIA_AUDIO },
    { "{\"url\":\"https://x/y.GIF?v=1\"}", INBOX_MEDIA_GIF },
    { "{}", INBOX_MEDIA_NONE },
    { "{\"url\":\"\"}", INBOX_MEDIA_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":"
                                               "[{\"media\":%s}]}}", cases[i].media);
      g_autoptr(InboxMessage) message = NULL;
      g_autoptr(GError) error = NULL;

      message = parse (json, &error);
      g_assert_no_error (error);
      g_assert_cmpint (inbox_content_get_media_kind (inbox_message_get_content (message, 0)), ==, cases[i].expected);
    }
}

static void
test_text_is_not_markup (void)
{
  g_autoptr(InboxMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = parse ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":"
                   "[{\"title\":{\"text\":\"<b>bold</b> &amp;\"}}]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inbox_content_get_title (inbox_message_get_content (message, 0)), ==, "<b>bold</b> &amp;");
}

static void
test_envelopes (void)
{
  g_autofree char *path = data_path ("mixed.json");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  /* a sync response: other envelope keys are ignored, one bad message
   * stops none of the others */
  items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5);

  item = g_ptr_array_index (items, 0);
  g_assert_nonnull (item->message);
  item = g_ptr_array_index (items, 1);
  g_assert_null (item->message);
  g_assert_cmpstr (item->id, ==, "bad-1");
  g_assert_error (item->error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID);
  item = g_ptr_array_index (items, 2);
  g_assert_null (item->message);
  g_assert_null (item->id);
  g_assert_cmpstr (item->error->message, ==, "expected a message object, got a string");
  item = g_ptr_array_index (items, 3);
  g_assert_nonnull (item->message);
  item = g_ptr_array_index (items, 4);
  g_assert_true (inbox_message_is_expired (item->message, NOW));
}

static void
test_not_json (void)
{
  static const struct {
    const char *data;
    gsize length;
  } bad[] = {
    { "", 0 },
    { "{\"_id\": ", 8 },
    { "{\"a\": tru}", 10 },
    { "\xff\xfe\x00garbage", 10 },
    { "[\"a\0\"]", 6 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) none = inbox_payload_parse (bad[i].data, bad[i].length,
                                                       NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);

      g_test_message ("case %u", i);
      g_assert_null (none);
      g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON);
      g_clear_error (&error);
    }

  items = inbox_payload_parse ("\n\n  {\"a\": tru}", 14, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_null (items);
  g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON);
  g_assert_true (g_str_has_prefix (error->message, "not JSON: line 3, column "));
  g_clear_error (&error);

  items = inbox_payload_parse ("\"just a string\"", 15, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_null (items);
  g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD);
}

static void
test_depth_limit (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) ok = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 20000; i++)
    g_string_append_c (deep, ']');

  items = inbox_payload_parse (deep->str, deep->len, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_null (items);
  g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON);
  g_assert_cmpstr (error->message, ==, "too deeply nested: line 1, column 513: more than 512 levels");
  g_clear_error (&error);

  /* brackets inside strings are text, not nesting */
  g_string_truncate (deep, 0);
  g_string_append (deep, "{\"_id\":\"");
  for (guint i = 0; i < 2000; i++)
    g_string_append (deep, "[{\\\"");
  g_string_append (deep, "\",\"msg\":{\"type\":\"simple\",\"content\":[{}]}}");
  ok = inbox_payload_parse (deep->str, deep->len, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  g_assert_nonnull (((InboxPayloadItem *) g_ptr_array_index (ok, 0))->message);
}

#define BODY "\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"x\"}}]}"

static void
assert_not_json (const char *json,
                 const char *expected_message)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = inbox_payload_parse (json, strlen (json), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_null (items);
  g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON);
  g_assert_cmpstr (error->message, ==, expected_message);
}

/* Issue 9, item 7: a second inbox_notifs key written with an escape was
 * the one json-glib kept, while the bytes stored were the first one's. */
static void
test_duplicate_envelope_key (void)
{
  g_autofree char *path = data_path ("invalid/duplicate-notifs.json");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_null (items);
  g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD);
  g_assert_true (g_str_has_suffix (error->message, ": inbox_notifs: duplicate key"));
}

/* A key is compared as json-glib decodes it, in every object: a message
 * with two equal keys is invalid, naming the key path; the others stand. */
static void
test_duplicate_keys (void)
{
  g_autoptr(GString) big = g_string_new ("[{\"_id\":\"a\"," BODY ",\"big\":{");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{}]},"
                  "\"m\\u0073g\":{\"type\":\"carousel\",\"content\":[{}]}}", "msg: duplicate key");
  assert_invalid ("{\"_id\":\"a\",\"_\\u0069d\":\"b\"," BODY "}", "_id: duplicate key");
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{\"action\":{\"links\":"
                  "[{\"type\":\"kv\",\"kv\":{\"k\":\"1\",\"\\u006b\":\"2\"}}]}}]}}",
                  "msg.content[0].action.links[0].kv.k: duplicate key");
  assert_invalid ("{\"_id\":\"a\",\"wzrk_x\":1,\"wzrk\\u005fx\":2," BODY "}", "wzrk_x: duplicate key");
  /* "é" written two ways is one key; "e" is another */
  assert_invalid ("{\"_id\":\"a\",\"e\":1,\"\xc3\xa9\":2,\"\\u00e9\":3," BODY "}", "\xc3\xa9: duplicate key");

  /* in a big object too (looked up, not compared one by one) */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (big, "\"k%u\":%u,", i, i);
  g_string_append (big, "\"k57\":0}},{\"_id\":\"b\"," BODY "}]");
  items = inbox_payload_parse (big->str, big->len, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  item = g_ptr_array_index (items, 0);
  g_assert_null (item->message);
  g_assert_cmpstr (item->id, ==, "a");
  g_assert_error (item->error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID);
  g_assert_cmpstr (item->error->message, ==, "big.k57: duplicate key");
  item = g_ptr_array_index (items, 1);
  g_assert_no_error (item->error);
  g_assert_cmpstr (inbox_message_get_id (item->message), ==, "b");
}

/* Issue 9, item 8: an _id is a non-empty string of characters, or the
 * message is invalid (an object or an array raised a Json-CRITICAL). */
static void
test_id_must_be_text (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *two = "[{\"_id\":\"a\\u0000b\"," BODY "},{\"_id\":\"a\\u0000c\"," BODY "}]";

  assert_invalid ("{\"_id\":{\"a\":1}," BODY "}", "_id: expected a string, got an object");
  assert_invalid ("{\"_id\":[\"a\"]," BODY "}", "_id: expected a string, got an array");
  assert_invalid ("{\"_id\":true," BODY "}", "_id: expected a string, got a boolean");
  assert_invalid ("{\"_id\":\"a\\u0000b\"," BODY "}", "_id: U+0000 (\\u0000) is not allowed in a string");

  /* two ids that differ after a U+0000 do not become one */
  items = inbox_payload_parse (two, strlen (two), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);

      g_assert_null (item->message);
      g_assert_null (item->id);
      g_assert_cmpstr (item->error->message, ==, "_id: U+0000 (\\u0000) is not allowed in a string");
    }
}

/* A lone surrogate is not a character; json-glib reads past it (and past the
 * closing quote), so the payload as a whole is refused. */
static void
test_lone_surrogates (void)
{
  g_autoptr(InboxMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  assert_not_json ("{\"_id\":\"a\\ud800b\"," BODY "}",
                   "not JSON: line 1, column 10: _id: a lone surrogate (\\ud800) in a string is not a character");
  assert_not_json ("[{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"content\":[{\"title\":{\"text\":\"x\\udc00\"}}]}}]",
                   "not JSON: line 1, column 66: [0].msg.content[0].title.text: "
                   "a lone surrogate (\\udc00) in a string is not a character");
  assert_not_json ("{\"inbox_notifs\":[{\"_id\":\"a\",\"t\\udbff\":1," BODY "}]}",
                   "not JSON: line 1, column 31: inbox_notifs[0]: "
                   "a lone surrogate (\\udbff) in a key is not a character");
  assert_not_json ("{\"_id\":\"a\\ud800\\u0041\"," BODY "}",
                   "not JSON: line 1, column 10: _id: a lone surrogate (\\ud800) in a string is not a character");

  /* a pair is one character */
  message = parse ("{\"_id\":\"\\ud83d\\ude00\",\"msg\":{\"type\":\"simple\",\"content\":"
                   "[{\"title\":{\"text\":\"\\uD83D\\uDE00!\"}}]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inbox_message_get_id (message), ==, "\xf0\x9f\x98\x80");
  g_assert_cmpstr (inbox_content_get_title (inbox_message_get_content (message, 0)), ==, "\xf0\x9f\x98\x80!");
}

/* Integers in int64 (json-glib wraps the others: 99999999999999999999 was
 * -1, "never expires"); doubles that are finite (1e400 was infinity, and
 * converting it undefined behaviour). */
static void
test_number_ranges (void)
{
  g_autoptr(InboxMessage) low = NULL;
  g_autoptr(InboxMessage) high = NULL;
  g_autoptr(GError) error = NULL;

  assert_invalid ("{\"_id\":\"a\",\"date\":1e400," BODY "}", "date: number out of range (1e400)");
  assert_invalid ("{\"_id\":\"a\",\"date\":-1e400," BODY "}", "date: number out of range (-1e400)");
  assert_invalid ("{\"_id\":\"a\",\"date\":1e19," BODY "}",
                  "date: expected an integer, got a number out of range (1e+19)");
  assert_invalid ("{\"_id\":\"a\",\"date\":-9.3e18," BODY "}",
                  "date: expected an integer, got a number out of range (-9.3e+18)");
  assert_invalid ("{\"_id\":\"a\",\"wzrk_ttl\":99999999999999999999," BODY "}",
                  "wzrk_ttl: integer out of range (99999999999999999999)");
  assert_invalid ("{\"_id\":\"a\",\"date\":9223372036854775808," BODY "}",
                  "date: integer out of range (9223372036854775808)");
  assert_invalid ("{\"_id\":\"a\",\"date\":-9223372036854775809," BODY "}",
                  "date: integer out of range (-9223372036854775809)");
  /* anywhere in a message: wzrk_* fields are echoed in events */
  assert_invalid ("{\"_id\":\"a\",\"wzrk_id\":[1,18446744073709551616]," BODY "}",
                  "wzrk_id[1]: integer out of range (18446744073709551616)");
  assert_invalid ("{\"_id\":\"a\",\"future\":{\"x\":1.8e308}," BODY "}",
                  "future.x: number out of range (1.8e308)");

  low = parse ("{\"_id\":\"a\",\"date\":-9223372036854775808," BODY "}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (inbox_message_get_date (low), ==, G_MININT64);
  high = parse ("{\"_id\":\"a\",\"date\":9223372036854775807,\"big\":1.7976931348623157e308," BODY "}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (inbox_message_get_date (high), ==, G_MAXINT64);
}

/* json-glib took a second document after the first (and leaked the first) */
static void
test_trailing_data (void)
{
  g_autofree char *path = data_path ("invalid/trailing-data.json");
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_null (items);
  g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON);
  g_assert_true (g_str_has_suffix (error->message, ": not JSON: line 2, column 1: trailing data after the JSON document"));

  assert_not_json ("{}{}", "not JSON: line 1, column 3: trailing data after the JSON document");
  assert_not_json ("[] x", "not JSON: line 1, column 4: trailing data after the JSON document");
  assert_not_json ("{\"inbox_notifs\":[]}\n\n  []", "not JSON: line 3, column 3: trailing data after the JSON document");
}

/* What json-glib takes but JSON is not (and would have been stored as it came) */
static void
test_strict_json (void)
{
  static const struct {
    const char *data;
    const char *message;
  } cases[] = {
    { "{'_id':'a'}", "not JSON: line 1, column 2: unexpected character ''', expected a key in double quotes" },
    { "/**/{}", "not JSON: line 1, column 1: unexpected character '/', expected a value" },
    { "{\"a\":0x10}", "not JSON: line 1, column 7: unexpected character 'x', expected ',' or '}'" },
    { "{\"a\":01}", "not JSON: line 1, column 7: a number cannot have a leading zero" },
    { "{\"a\":.5}", "not JSON: line 1, column 6: unexpected character '.', expected a value" },
    { "{\"a\":1.}", "not JSON: line 1, column 8: unexpected character '}', expected a digit after the decimal point" },
    { "{\"a\":\"\\x\"}", "not JSON: line 1, column 7: \\'x' is not an escape" },
    { "{\"a\":\"\t\"}", "not JSON: line 1, column 7: a control character (U+0009) in a string, it must be written as an escape" },
    { "[1,]", "not JSON: line 1, column 4: unexpected character ']', expected a value" },
    { "{\"a\":tru}", "not JSON: line 1, column 6: unexpected character 't', expected a value" },
    { "{\"a\":1", "not JSON: line 1, column 7: unexpected end of data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].data);
      assert_not_json (cases[i].data, cases[i].message);
    }
}

/* The cache keeps a message's tags joined by U+001F */
static void
test_tag_control_character (void)
{
  assert_invalid ("{\"_id\":\"a\",\"msg\":{\"type\":\"simple\",\"tags\":[\"ok\",\"a\\u001fb\"],\"content\":[{}]}}",
                  "msg.tags[1]: a control character (U+001F) in a tag");
}

static void
collect_fixtures (const char *dir,
                  GPtrArray  *paths)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_fixtures (path, paths);
      else if (g_str_has_suffix (name, ".json"))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
}

/* Stores @message alone for a user of its own in a real cache, loads it
 * back as the app does (list columns, then the stored JSON on first use)
 * and checks that nothing changed on the way. */
static void
assert_round_trip (InboxCache   *cache,
                   InboxMessage *message,
                   guint         index,
                   const char   *where)
{
  g_autofree char *user = g_strdup_printf ("user-%u", index);
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *difference = NULL;

  g_ptr_array_add (batch, message);
  /* now = 0: nothing has expired, everything is stored */
  g_assert_true (inbox_cache_apply (cache, user, batch, NULL, NULL, 0, NULL, &error));
  g_assert_no_error (error);

  loaded = inbox_cache_load_list (cache, user, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_false (inbox_message_is_loaded (g_ptr_array_index (loaded, 0)));

  if (!inbox_message_equal (message, g_ptr_array_index (loaded, 0), &difference))
    g_error ("%s, %s: not the same after the cache: %s", where, inbox_message_get_id (message), difference);
}

/* Issue 9, item 7: what is stored is exactly what was validated. For every
 * fixture (valid and invalid) and a few payloads written to be awkward:
 * parse, store in a real cache, load, and get an equal message. */
static void
test_round_trip (void)
{
  static const char * const payloads[] = {
    /* escapes in keys and values; unknown fields; a key that is the envelope's */
    "[ {\"_\\u0069d\":\"\\u00e9t\\u00e9 \\ud83d\\ude00\", \"inbox_notifs\": [1], \"date\":-9223372036854775808,"
    " \"wzrk_ttl\": 9223372036854775807, \"wzrk_\\u0070ivot\": {\"a\":[1.5e300, -0.0, \"\\/\"]},"
    " \"msg\": {\"type\":\"carousel\",\"tags\":[\"T\\u00e4g\",\"\",\"x\"],\"bg\":\"#80FFFFFF\","
    "  \"custom_kv\":[{\"key\":\"k\",\"value\":{\"text\":\"v\\n\"}},{\"key\":\"\",\"value\":{}}],"
    "  \"content\":[{\"title\":{\"text\":\"a\\\"b\\\\c\",\"color\":\"#123\"},\"media\":{\"url\":\"m.gif\"},"
    "   \"action\":{\"hasUrl\":true,\"url\":{\"ios\":{\"text\":\"https://i\"}},\"hasLinks\":true,\"links\":["
    "   {\"type\":\"kv\",\"text\":\"k\",\"kv\":{\"a\":\"1\",\"b\":null}},{\"type\":\"rfp\"},"
    "   {\"type\":\"copy\",\"copyText\":{\"text\":\"c\"}},{\"type\":\"url\",\"url\":{\"android\":{\"text\":\"https://a\"}}}]}},"
    "   {}, {\"icon\":{\"url\":\"i.png\"}}]}} ,\n"
    "  {\"_id\":\"second\",\"isRead\":true,\"msg\":{\"type\":\"message-icon\",\"orientation\":\"P\",\"content\":[{}]}}\n]",
    /* an envelope, messages with whitespace around them */
    "{\"cursor\":\"c\",\"inbox_notifs\":[\n\t{\"_id\":\"x\",\"date\":1716400000.0,\"msg\":{\"type\":\"poll\",\"content\":[{}]}}\r\n]}",
  };
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);
  g_autofree char *dir = test_util_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(InboxCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  cache = inbox_cache_new (db, &error);
  g_assert_no_error (error);

  collect_fixtures (data_dir, paths);
  g_assert_cmpuint (paths->len, >, 40);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GPtrArray) items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, NULL);

      for (guint j = 0; items != NULL && j < items->len; j++)
        {
          InboxPayloadItem *item = g_ptr_array_index (items, j);

          if (item->message != NULL)
            assert_round_trip (cache, item->message, n++, path);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autoptr(GPtrArray) items = NULL;

      items = inbox_payload_parse (payloads[i], strlen (payloads[i]), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < items->len; j++)
        {
          InboxPayloadItem *item = g_ptr_array_index (items, j);

          g_assert_no_error (item->error);
          assert_round_trip (cache, item->message, n++, "payload");
        }
    }

  /* the fixtures hold more valid messages than this */
  g_assert_cmpuint (n, >, 20);

  g_clear_object (&cache);
  test_util_rm_rf (dir);
}

/* A message given in another shape (Android's getData()) is stored as the
 * wire message json-glib writes for it: with a control character in a
 * string, that text must still be strict JSON, or it could not be read back
 * (found by fuzz-payload). */
static void
test_stored_json_is_strict (void)
{
  const char *payload = "{\"id\": \"g-1\", \"tags\": [\"Offers\"], \"msg\": {\"type\": \"simple\", \"content\": "
                        "[{\"title\": {\"text\": \"A\\u001fB\\u0001\"}, \"message\": {\"text\": \"tab\\there\"}}]}}";
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL, *wrapped = NULL, *difference = NULL;
  InboxPayloadItem *item;

  items = inbox_payload_parse (payload, strlen (payload), 1716400000,
                               INBOX_PAYLOAD_FLAGS_QUIET | INBOX_PAYLOAD_FLAGS_ANY_SHAPE, &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (items, 0);
  g_assert_nonnull (item->message);

  stored = inbox_message_to_json (item->message, &error);
  g_assert_no_error (error);
  for (const char *p = stored; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
  g_assert_nonnull (strstr (stored, "A\\u001fB\\u0001"));

  wrapped = g_strconcat ("[", stored, "]", NULL);
  again = inbox_payload_parse (wrapped, strlen (wrapped), 1716400000, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  g_assert_nonnull (((InboxPayloadItem *) g_ptr_array_index (again, 0))->message);
  if (!inbox_message_equal (item->message, ((InboxPayloadItem *) g_ptr_array_index (again, 0))->message, &difference))
    g_error ("not the same once stored: %s", difference);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/payload/fixture/simple", test_simple_fixture);
  g_test_add_func ("/payload/fixture/message-icon", test_icon_fixture);
  g_test_add_func ("/payload/fixture/carousels", test_carousel_fixtures);
  g_test_add_func ("/payload/wzrk-fields-kept", test_wzrk_fields_kept);
  g_test_add_func ("/payload/unknown-fields-kept", test_unknown_fields_kept);
  g_test_add_func ("/payload/stored-as-received", test_stored_as_received);
  g_test_add_func ("/payload/id-required", test_id_required);
  g_test_add_func ("/payload/content-required", test_content_required);
  g_test_add_func ("/payload/field-paths", test_field_paths);
  g_test_add_func ("/payload/ttl-absolute", test_ttl_absolute);
  g_test_add_func ("/payload/date-absent-is-arrival", test_date_absent_is_arrival);
  g_test_add_func ("/payload/url-choice", test_url_choice);
  g_test_add_func ("/payload/button-types", test_button_types);
  g_test_add_func ("/payload/has-links-false", test_has_links_false);
  g_test_add_func ("/payload/unknown-template", test_unknown_template);
  g_test_add_func ("/payload/colors", test_colors);
  g_test_add_func ("/payload/invalid-color-warns", test_invalid_color_warns);
  g_test_add_func ("/payload/orientation", test_orientation);
  g_test_add_func ("/payload/media-kinds", test_media_kinds);
  g_test_add_func ("/payload/text-is-not-markup", test_text_is_not_markup);
  g_test_add_func ("/payload/envelopes", test_envelopes);
  g_test_add_func ("/payload/not-json", test_not_json);
  g_test_add_func ("/payload/depth-limit", test_depth_limit);
  g_test_add_func ("/payload/duplicate-envelope-key", test_duplicate_envelope_key);
  g_test_add_func ("/payload/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/payload/id-must-be-text", test_id_must_be_text);
  g_test_add_func ("/payload/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/payload/number-ranges", test_number_ranges);
  g_test_add_func ("/payload/trailing-data", test_trailing_data);
  g_test_add_func ("/payload/strict-json", test_strict_json);
  g_test_add_func ("/payload/tag-control-character", test_tag_control_character);
  g_test_add_func ("/payload/round-trip", test_round_trip);
  g_test_add_func ("/payload/stored-json-is-strict", test_stored_json_is_strict);

  return g_test_run ();
}
