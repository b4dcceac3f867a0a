/* test-rules.c: one test per row of docs/rules.md, each with its own fixture
 * (tests/data/rules/<row>.json)
 *
 * Each test checks what App Inbox does and what it says Android and iOS do,
 * so that it fails if the rule is reversed on either side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "inbox-payload.h"
#include "inbox-platform.h"
#include "inbox-sync-page.h"

#define NOW 1716400000

typedef struct {
  GPtrArray        *items;
  InboxPayloadItem *item;
  InboxMessage     *message;
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->items, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

static void
load_file (Row        *row,
           const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
  g_autoptr(GError) error = NULL;

  row->items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (row->items->len, ==, 1);
  row->item = g_ptr_array_index (row->items, 0);
  row->message = row->item->message;
}

static void
load (Row        *row,
      const char *name)
{
  g_autofree char *file = g_strdup_printf ("rules/%s.json", name);

  load_file (row, file);
  g_assert_no_error (row->item->error);
  g_assert_nonnull (row->message);
}

static InboxContent *
content0 (Row *row)
{
  return inbox_message_get_content (row->message, 0);
}

/* The desktop's button slots: "A|_|C", "_" for an empty slot. */
static char *
desktop_slots (Row *row)
{
  InboxContent *content = content0 (row);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < inbox_content_get_n_links (content); i++)
    {
      InboxLink *link = inbox_content_get_link (content, i);

      if (i > 0)
        g_string_append_c (out, '|');
      g_string_append (out, link != NULL ? inbox_link_get_text (link) : "_");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
has_warning (Row        *row,
             const char *fragment)
{
  for (const char * const *w = inbox_message_get_warnings (row->message); *w != NULL; w++)
    if (strstr (*w, fragment) != NULL)
      return TRUE;

  return FALSE;
}

#define assert_slots(row, expected) \
  G_STMT_START { \
    g_autofree char *slots_ = desktop_slots (row); \
    g_assert_cmpstr (slots_, ==, (expected)); \
  } G_STMT_END

typedef struct {
  InboxPlatformPrediction *android;
  InboxPlatformPrediction *ios;
} Platforms;

static void
platforms_clear (Platforms *platforms)
{
  g_clear_pointer (&platforms->android, inbox_platform_prediction_free);
  g_clear_pointer (&platforms->ios, inbox_platform_prediction_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Platforms, platforms_clear)

static void
predict (Row       *row,
         Platforms *platforms)
{
  g_assert_nonnull (row->item->json);
  platforms->android = inbox_platform_predict (row->item->json, INBOX_PLATFORM_ANDROID, NOW);
  platforms->ios = inbox_platform_predict (row->item->json, INBOX_PLATFORM_IOS, NOW);
}

static char *
joined (InboxPlatformPrediction *prediction)
{
  return g_strjoinv ("|", prediction->buttons);
}

static gboolean
has_note (InboxPlatformPrediction *prediction,
          const char              *fragment)
{
  for (guint i = 0; prediction->notes[i] != NULL; i++)
    if (strstr (prediction->notes[i], fragment) != NULL)
      return TRUE;

  return FALSE;
}

#define assert_buttons(prediction, expected) \
  G_STMT_START { \
    g_autofree char *buttons_ = joined (prediction); \
    g_assert_true ((prediction)->shown); \
    g_assert_cmpstr (buttons_, ==, (expected)); \
  } G_STMT_END

#define PLATFORMS(row) g_auto(Platforms) p = { 0 }; predict ((row), &p)

/* Row: hasUrl absent / false / not a boolean */

static void
test_has_url_absent (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "has-url-absent");
  g_assert_null (inbox_content_get_url (content0 (&row)));
  {
    PLATFORMS (&row);
    g_assert_null (p.android->card_link);
    g_assert_null (p.ios->card_link);
  }
}

static void
test_has_url_false (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "has-url-false");
  g_assert_null (inbox_content_get_url (content0 (&row)));
  {
    PLATFORMS (&row);
    g_assert_null (p.android->card_link);
    g_assert_null (p.ios->card_link);
  }
}

static void
test_has_url_string (void)
{
  g_auto(Row) row = { 0 };

  /* both SDKs read "true" as true: so does App Inbox, with a warning */
  load (&row, "has-url-string");
  g_assert_cmpstr (inbox_content_get_url (content0 (&row)), ==, "https://example.com/android");
  g_assert_true (has_warning (&row, "hasUrl: the string \"true\", not a boolean: read as true"));
  {
    PLATFORMS (&row);
    g_assert_cmpstr (p.android->card_link, ==, "https://example.com/android");
    g_assert_cmpstr (p.ios->card_link, ==, "https://example.com/ios");
  }
}

static void
test_has_url_number (void)
{
  g_auto(Row) row = { 0 };

  /* 1: App Inbox reads false (the SDKs disagree) and warns; the buttons
   * are not affected */
  load (&row, "has-url-number");
  g_assert_null (inbox_content_get_url (content0 (&row)));
  g_assert_true (has_warning (&row, "hasUrl: a number, not a boolean: read as false"));
  assert_slots (&row, "A|B");
  {
    PLATFORMS (&row);
    /* Android: getBoolean throws, nothing after it in the action is read */
    g_assert_null (p.android->card_link);
    assert_buttons (p.android, "");
    g_assert_nonnull (strstr (p.android->buttons_reason, "getBoolean throws"));
    /* iOS: boolValue of 1 is YES */
    g_assert_cmpstr (p.ios->card_link, ==, "https://example.com/ios");
    assert_buttons (p.ios, "A|B");
  }
}

/* Row: hasLinks absent / false / not a boolean */

static void
test_has_links_absent (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "has-links-absent");
  assert_slots (&row, "");
  g_assert_true (has_warning (&row, "no hasLinks, buttons not shown"));
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "");
    assert_buttons (p.ios, "");
  }
}

static void
test_has_links_false (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "has-links-false");
  assert_slots (&row, "");
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "");
    assert_buttons (p.ios, "");
  }
}

static void
test_has_links_string (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "has-links-string");
  assert_slots (&row, "A|B|C");
  g_assert_true (has_warning (&row, "hasLinks: the string \"TRUE\", not a boolean: read as true"));
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "A|B|C");
    assert_buttons (p.ios, "A|B|C");
  }
}

static void
test_has_links_object (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "has-links-object");
  assert_slots (&row, "");
  g_assert_true (has_warning (&row, "hasLinks: an object, not a boolean: read as false"));
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "");
    /* iOS drops the content item, and with it the only one */
    g_assert_false (p.ios->shown);
    g_assert_true (p.android->shown);
  }
}

/* Row: the button slots are links[0..2] by index */

static void
test_links_rfp_first (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "links-rfp-first");
  assert_slots (&row, "_|A|B");
  g_assert_true (has_warning (&row, "links[0]: push-permission button, not shown on the desktop; button slot 1 stays empty"));
  g_assert_cmpstr (inbox_content_get_slot_type (content0 (&row), 0), ==, "rfp");
  g_assert_cmpstr (inbox_content_get_slot_label (content0 (&row), 0), ==, "Allow");
  g_assert_true (inbox_content_has_buttons (content0 (&row)));
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "Allow|A|B");
    assert_buttons (p.ios, "Allow|A|B");
  }
}

static void
test_links_rfp_first_four (void)
{
  g_auto(Row) row = { 0 };

  /* the case: C never moves up into the empty slot */
  load (&row, "links-rfp-first-four");
  assert_slots (&row, "_|A|B");
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "");
    assert_buttons (p.ios, "Allow|A|B");
  }
}

static void
test_links_unknown_type (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "links-unknown-type");
  assert_slots (&row, "A|_|C");
  g_assert_true (has_warning (&row, "links[1]: unknown button type \"poll\", not shown; button slot 2 stays empty"));
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "A|Vote|C");
    assert_buttons (p.ios, "A|Vote|C");
  }
}

/* Row: four or more links */

static void
test_links_four (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "links-four");
  assert_slots (&row, "A|B|C");
  g_assert_true (has_warning (&row, "4 links: only links[0] to links[2] fill the button slots, the fourth and later are not shown"));
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "");
    g_assert_cmpstr (p.android->buttons_reason, ==, "4 links; Android shows buttons for 1 to 3 links only");
    assert_buttons (p.ios, "A|B|C");
  }
}

/* Row: links without an action.url object */

static void
test_links_no_action_url (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "links-no-action-url");
  assert_slots (&row, "A|B");
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "");
    g_assert_nonnull (strstr (p.android->buttons_reason, "no action.url object"));
    assert_buttons (p.ios, "A|B");
  }
}

/* Row: rfp with and without fbSettings */

static void
test_rfp_fb_settings (void)
{
  g_auto(Row) with = { 0 };
  g_auto(Row) without = { 0 };

  load (&with, "rfp-fb-settings");
  load (&without, "rfp-no-fb-settings");
  /* the desktop has no push permission to ask for: fbSettings changes nothing */
  assert_slots (&with, "_|Later");
  assert_slots (&without, "_|Later");
  {
    PLATFORMS (&with);
    g_auto(Platforms) q = { 0 };

    predict (&without, &q);
    assert_buttons (p.android, "Allow|Later");
    assert_buttons (p.ios, "Allow|Later");
    assert_buttons (q.android, "Allow|Later");
    assert_buttons (q.ios, "Allow|Later");
    g_assert_true (has_note (p.android, "; fbSettings: a dialog to the settings"));
    g_assert_true (has_note (q.android, "; no fbSettings: nothing more"));
    g_assert_true (has_note (p.ios, "fbSettings YES"));
    g_assert_true (has_note (q.ios, "fbSettings NO"));
    g_assert_true (has_note (p.android, "raises Notification Clicked"));
    g_assert_true (has_note (p.ios, "without Notification Clicked"));
  }
}

/* Row: orientation in upper case */

static void
test_orientation_upper (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "orientation-upper");
  g_assert_cmpint (inbox_message_get_orientation (row.message), ==, INBOX_ORIENTATION_LANDSCAPE);
  {
    PLATFORMS (&row);
    g_assert_true (has_note (p.android, "msg.orientation \"L\": a still image keeps its own aspect ratio"));
    g_assert_false (has_note (p.ios, "msg.orientation"));
  }
}

/* Row: TTL absent, zero, negative */

static void
test_ttl_absent (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "ttl-absent");
  g_assert_cmpint (inbox_message_get_expires (row.message), ==, 0);
  g_assert_false (inbox_message_is_expired (row.message, G_MAXINT64));
  {
    PLATFORMS (&row);
    g_assert_cmpint (p.android->expiry, ==, INBOX_EXPIRY_AFTER_ARRIVAL);
    g_assert_cmpint (p.ios->expiry, ==, INBOX_EXPIRY_NEVER);
  }
}

static void
test_ttl_zero_negative (void)
{
  static const char * const names[] = { "ttl-zero", "ttl-negative" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(Row) row = { 0 };

      load (&row, names[i]);
      g_assert_cmpint (inbox_message_get_expires (row.message), ==, 0);
      g_assert_false (inbox_message_is_expired (row.message, G_MAXINT64));
      {
        PLATFORMS (&row);
        g_assert_cmpint (p.android->expiry, ==, INBOX_EXPIRY_NEVER);
        g_assert_cmpint (p.ios->expiry, ==, INBOX_EXPIRY_NEVER);
        g_assert_true (p.android->shown);
        g_assert_true (p.ios->shown);
      }
    }
}

/* Row: unknown template */

static void
test_template_unknown (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "template-unknown");
  g_assert_cmpint (inbox_message_get_template (row.message), ==, INBOX_TEMPLATE_SIMPLE);
  g_assert_true (has_warning (&row, "msg.type: unknown template \"poll\", shown as simple"));
  {
    PLATFORMS (&row);
    g_assert_false (p.android->shown);
    g_assert_null (p.android->template_name);
    g_assert_true (p.ios->shown);
    g_assert_cmpstr (p.ios->template_name, ==, "simple");
  }
}

/* Row: buttons on carousels */

static void
test_carousel_buttons (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "carousel-buttons");
  g_assert_cmpint (inbox_message_get_template (row.message), ==, INBOX_TEMPLATE_CAROUSEL);
  g_assert_cmpuint (inbox_content_get_n_links (content0 (&row)), ==, 0);
  g_assert_true (has_warning (&row, "carousels show no buttons"));
  {
    PLATFORMS (&row);
    assert_buttons (p.android, "");
    assert_buttons (p.ios, "");
  }
}

/* Row: tags */

static void
test_tags (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "tags-substring");
  /* the desktop: a whole tag, ignoring case, as Android */
  g_assert_true (inbox_message_has_tag (row.message, "OFFERS"));
  g_assert_false (inbox_message_has_tag (row.message, "off"));
  {
    const char * const *tags = inbox_message_get_tags (row.message);

    g_assert_true (inbox_platform_tag_matches (INBOX_PLATFORM_ANDROID, tags, "OFFERS"));
    g_assert_false (inbox_platform_tag_matches (INBOX_PLATFORM_ANDROID, tags, "off"));
    g_assert_true (inbox_platform_tag_matches (INBOX_PLATFORM_IOS, tags, "OFFERS"));
    g_assert_true (inbox_platform_tag_matches (INBOX_PLATFORM_IOS, tags, "off"));
    g_assert_cmpuint (inbox_platform_max_tag_tabs (INBOX_PLATFORM_ANDROID), ==, 2);
    g_assert_cmpuint (inbox_platform_max_tag_tabs (INBOX_PLATFORM_IOS), ==, 2);
  }
}

/* Row: colours */

static void
test_colour_rgb (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "colour-rgb");
  g_assert_cmpstr (inbox_message_get_bg (row.message), ==, "#ffffffff");
  {
    PLATFORMS (&row);
    g_assert_false (p.android->shown);
    g_assert_nonnull (strstr (p.android->shown_reason, "Color.parseColor throws"));
    g_assert_true (p.ios->shown);
    g_assert_true (has_note (p.ios, "so #000fff"));
  }
}

static void
test_colour_name (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "colour-name");
  g_assert_null (inbox_message_get_bg (row.message));
  g_assert_true (has_warning (&row, "msg.bg: \"red\" is not a colour, theme colour used"));
  {
    PLATFORMS (&row);
    g_assert_true (p.android->shown);
    g_assert_true (has_note (p.android, "a colour name Android accepts"));
    g_assert_true (has_note (p.ios, "not hex, shown as #000000"));
  }
}

static void
test_colour_alpha (void)
{
  g_auto(Row) row = { 0 };

  /* #AARRGGBB, alpha first as Android writes it */
  load (&row, "colour-alpha");
  g_assert_cmpstr (inbox_message_get_bg (row.message), ==, "#ff000080");
  {
    PLATFORMS (&row);
    g_assert_true (p.android->shown);
    g_assert_false (has_note (p.android, "msg.bg"));
    g_assert_true (has_note (p.ios, "alpha ignored, opaque #ff0000"));
  }
}

/* Row: empty title or message */

static void
test_title_empty (void)
{
  g_auto(Row) row = { 0 };

  /* kept empty; the widgets hide an empty label (inbox_style_set_text) */
  load (&row, "title-empty");
  g_assert_cmpstr (inbox_content_get_title (content0 (&row)), ==, "");
  g_assert_cmpstr (inbox_content_get_message (content0 (&row)), ==, "Half price");
  {
    PLATFORMS (&row);
    g_assert_true (has_note (p.android, "msg.content[0].title is empty: its line stays"));
    g_assert_false (has_note (p.android, "msg.content[0].message is empty"));
    g_assert_false (has_note (p.ios, "is empty"));
  }
}

/* Row: media content_type missing or unknown */

static void
test_media_type_missing (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "media-type-missing");
  g_assert_cmpint (inbox_content_get_media_kind (content0 (&row)), ==, INBOX_MEDIA_IMAGE);
  {
    PLATFORMS (&row);
    g_assert_true (has_note (p.android, "media: no content_type: no media shown"));
    g_assert_false (has_note (p.ios, "media"));
  }
}

static void
test_media_type_unknown (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "media-type-unknown");
  g_assert_cmpint (inbox_content_get_media_kind (content0 (&row)), ==, INBOX_MEDIA_IMAGE);
  g_assert_true (has_warning (&row, "\"application/octet-stream\" is not an image, video or audio type, shown as an image"));
  {
    PLATFORMS (&row);
    g_assert_true (has_note (p.android, "is not image, video or audio (case-sensitive): no media shown"));
    g_assert_false (has_note (p.ios, "media"));
  }
}

/* Row: custom_kv with a value that is not text */

static void
test_custom_kv_number (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "custom-kv-number");
  g_assert_cmpstr (g_hash_table_lookup (inbox_message_get_custom_kv (row.message), "level"), ==, "5");
  g_assert_true (has_warning (&row, "msg.custom_kv[0].value.text: a number, not text: used as \"5\""));
  {
    PLATFORMS (&row);
    g_assert_true (has_note (p.android, "gives it as a string"));
    g_assert_true (has_note (p.ios, "kept as an NSNumber"));
  }
}

static void
test_custom_kv_no_text (void)
{
  g_auto(Row) row = { 0 };

  load (&row, "custom-kv-no-text");
  g_assert_false (g_hash_table_contains (inbox_message_get_custom_kv (row.message), "screen"));
  g_assert_cmpstr (g_hash_table_lookup (inbox_message_get_custom_kv (row.message), "level"), ==, "gold");
  g_assert_true (has_warning (&row, "msg.custom_kv[0].value: no text, the pair is ignored"));
  {
    PLATFORMS (&row);
    g_assert_false (p.android->shown);
    g_assert_true (p.ios->shown);
  }
}

static void
test_custom_kv_not_object (void)
{
  g_auto(Row) row = { 0 };

  /* both SDKs lose the message: App Inbox refuses it, naming the field */
  load_file (&row, "rules/custom-kv-not-object.json");
  g_assert_null (row.message);
  g_assert_cmpstr (row.item->error->message, ==, "msg.custom_kv[0].value: expected an object, got a string");
  {
    PLATFORMS (&row);

    g_assert_false (p.android->shown);
    g_assert_false (p.ios->shown);
  }
}

/* Row: envelopes and shapes */

static void
test_envelope_v2 (void)
{
  g_auto(Row) row = { 0 };

  load_file (&row, "envelopes/inbox-notifs-v2.json");
  g_assert_no_error (row.item->error);
  g_assert_cmpstr (inbox_message_get_id (row.message), ==, "env-1");
}

static void
test_envelope_get_data (void)
{
  g_auto(Row) row = { 0 };

  load_file (&row, "envelopes/get-data.json");
  g_assert_no_error (row.item->error);
  g_assert_cmpstr (inbox_message_get_id (row.message), ==, "env-1");
  /* tags at the top level are the message's tags */
  g_assert_true (inbox_message_has_tag (row.message, "Offers"));
  g_assert_true (row.item->get_data);
  g_assert_cmpstr (json_node_get_string (json_object_get_member (inbox_message_get_wzrk_fields (row.message), "wzrk_id")),
                   ==, "1712000000_20240522");
}

static void
test_envelope_not_a_payload (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "envelopes", "not-a-payload.json", NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = inbox_payload_parse_file (path, NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  g_assert_null (items);
  g_assert_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_PAYLOAD);
  g_assert_null (strchr (error->message, '\n'));
}

/* The sync API keeps its own format: neither the V2 envelope nor getData()
 * messages are read from a server's page. */
static void
test_envelope_sync_own_format (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "envelopes", "get-data.json", NULL);
  g_autofree char *get_data = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *v1 = NULL;
  g_autoptr(GBytes) v2_bytes = NULL;
  g_autoptr(GBytes) v1_bytes = NULL;
  g_autoptr(InboxSyncPage) v2_page = NULL;
  g_autoptr(InboxSyncPage) v1_page = NULL;
  g_autoptr(GError) error = NULL;
  InboxPayloadItem *item;

  g_assert_true (g_file_get_contents (path, &get_data, NULL, NULL));
  v2 = g_strdup_printf ("{\"user\":\"u\",\"cursor\":\"c\",\"more\":false,\"inbox_notifs_v2\":[%s]}", get_data);
  v2_bytes = g_bytes_new (v2, strlen (v2));
  v2_page = inbox_sync_page_parse (v2_bytes, "u", 10, NOW, &error);
  g_assert_null (v2_page);
  g_assert_nonnull (error);
  g_clear_error (&error);

  v1 = g_strdup_printf ("{\"user\":\"u\",\"cursor\":\"c\",\"more\":false,\"inbox_notifs\":[%s]}", get_data);
  v1_bytes = g_bytes_new (v1, strlen (v1));
  v1_page = inbox_sync_page_parse (v1_bytes, "u", 10, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (v1_page->items->len, ==, 1);
  item = g_ptr_array_index (v1_page->items, 0);
  g_assert_null (item->message);
  g_assert_cmpstr (item->error->message, ==, "_id: missing");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rules/has-url/absent", test_has_url_absent);
  g_test_add_func ("/rules/has-url/false", test_has_url_false);
  g_test_add_func ("/rules/has-url/string", test_has_url_string);
  g_test_add_func ("/rules/has-url/number", test_has_url_number);
  g_test_add_func ("/rules/has-links/absent", test_has_links_absent);
  g_test_add_func ("/rules/has-links/false", test_has_links_false);
  g_test_add_func ("/rules/has-links/string", test_has_links_string);
  g_test_add_func ("/rules/has-links/object", test_has_links_object);
  g_test_add_func ("/rules/links/rfp-first", test_links_rfp_first);
  g_test_add_func ("/rules/links/rfp-first-four", test_links_rfp_first_four);
  g_test_add_func ("/rules/links/unknown-type", test_links_unknown_type);
  g_test_add_func ("/rules/links/four", test_links_four);
  g_test_add_func ("/rules/links/no-action-url", test_links_no_action_url);
  g_test_add_func ("/rules/rfp/fb-settings", test_rfp_fb_settings);
  g_test_add_func ("/rules/orientation/upper-case", test_orientation_upper);
  g_test_add_func ("/rules/ttl/absent", test_ttl_absent);
  g_test_add_func ("/rules/ttl/zero-negative", test_ttl_zero_negative);
  g_test_add_func ("/rules/template/unknown", test_template_unknown);
  g_test_add_func ("/rules/carousel/buttons", test_carousel_buttons);
  g_test_add_func ("/rules/tags", test_tags);
  g_test_add_func ("/rules/colour/rgb", test_colour_rgb);
  g_test_add_func ("/rules/colour/name", test_colour_name);
  g_test_add_func ("/rules/colour/alpha", test_colour_alpha);
  g_test_add_func ("/rules/text/title-empty", test_title_empty);
  g_test_add_func ("/rules/media/type-missing", test_media_type_missing);
  g_test_add_func ("/rules/media/type-unknown", test_media_type_unknown);
  g_test_add_func ("/rules/custom-kv/number", test_custom_kv_number);
  g_test_add_func ("/rules/custom-kv/no-text", test_custom_kv_no_text);
  g_test_add_func ("/rules/custom-kv/not-object", test_custom_kv_not_object);
  g_test_add_func ("/rules/envelope/v2", test_envelope_v2);
  g_test_add_func ("/rules/envelope/get-data", test_envelope_get_data);
  g_test_add_func ("/rules/envelope/not-a-payload", test_envelope_not_a_payload);
  g_test_add_func ("/rules/envelope/sync-own-format", test_envelope_sync_own_format);

  return g_test_run ();
}
