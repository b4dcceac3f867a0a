/* inbox-platform.h: what CleverTap's Android and iOS SDKs do with a message
 *
 * From a message's wire JSON, a prediction per platform: whether that SDK
 * shows the message at all, with which template, which card link, which
 * buttons (labels, in order) and when it expires, each with the reason, plus
 * notes on what else it renders differently (colours, orientation, media,
 * push-permission buttons). Every rule is a row of docs/rules.md, which names
 * the SDK source it comes from. No GTK here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  INBOX_PLATFORM_ANDROID,
  INBOX_PLATFORM_IOS,
} InboxPlatform;

#define INBOX_N_PLATFORMS 2

typedef enum {
  INBOX_EXPIRY_NEVER,          /* never expires */
  INBOX_EXPIRY_AT,             /* at `expires`, epoch seconds */
  INBOX_EXPIRY_AFTER_ARRIVAL,  /* 24 hours after the device receives it */
} InboxExpiry;

#define INBOX_TYPE_PLATFORM_PREDICTION (inbox_platform_prediction_get_type ())

typedef struct {
  InboxPlatform  platform;
  gboolean       shown;            /* whether the SDK shows the message at all */
  char          *shown_reason;     /* why not, when it does not */
  char          *template_name;    /* the template it renders with; NULL when not shown */
  char          *template_reason;  /* when it is not msg.type as written */
  char          *card_link;        /* what the card (first slide) opens, or NULL */
  char          *card_link_reason;
  GStrv          buttons;          /* the labels of the buttons it shows, in order */
  char          *buttons_reason;
  InboxExpiry    expiry;
  gint64         expires;          /* with INBOX_EXPIRY_AT */
  char          *expires_reason;
  GStrv          notes;            /* other differences, one sentence each */
} InboxPlatformPrediction;

GType                    inbox_platform_prediction_get_type (void) G_GNUC_CONST;
InboxPlatformPrediction *inbox_platform_prediction_copy     (const InboxPlatformPrediction *self);
void                     inbox_platform_prediction_free     (InboxPlatformPrediction       *self);

const char              *inbox_platform_to_string           (InboxPlatform  platform);
const char              *inbox_platform_display_name        (InboxPlatform  platform);
InboxPlatformPrediction *inbox_platform_predict             (JsonObject    *message,
                                                             InboxPlatform  platform,
                                                             gint64         now);
gboolean                 inbox_platform_tag_matches         (InboxPlatform       platform,
                                                             const char * const *tags,
                                                             const char         *tab);
guint                    inbox_platform_max_tag_tabs        (InboxPlatform  platform);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InboxPlatformPrediction, inbox_platform_prediction_free)

G_END_DECLS
