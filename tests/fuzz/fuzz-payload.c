/* fuzz-payload.c: libFuzzer target for the payload parser
 *
 * Each input is a payload (a message, an array of messages or a sync
 * response) given to inbox_payload_parse(). Whatever it is, the parser
 * answers with an error or with items, never a crash, a leak, a critical
 * or undefined behaviour. And for every valid message, what would be stored
 * is what was validated (issue 9, item 7), checked two ways:
 *
 *   - the stored JSON, as the one element of an array, parses again to one
 *     valid message equal to it (inbox_message_equal: every field, the
 *     contents, buttons, maps, wzrk_* fields, warnings and the stored JSON);
 *   - a message made as the cache makes it (list columns, tags joined by
 *     U+001F and split again, the stored JSON loaded on first use) is equal
 *     to it too.
 *
 * A mismatch aborts, so the fuzzer reports it. The SQLite round trip itself
 * is in tests/unit/test-payload.c (/payload/round-trip).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "inbox-payload.h"

#define NOW ((gint64) 1716500000)

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void G_GNUC_NORETURN
mismatch (const char *what,
          const char *detail)
{
  fprintf (stderr, "fuzz-payload: %s: %s\n", what, detail != NULL ? detail : "");
  abort ();
}

static char *
load_stored_cb (gpointer     user_data,
                const char  *id,
                GError     **error)
{
  return g_strdup (user_data);
}

/* The tags as the cache gives them back: one column, joined by U+001F. */
static GStrv
tags_through_cache (InboxMessage *message)
{
  g_autofree char *joined = g_strjoinv ("\x1f", (GStrv) inbox_message_get_tags (message));

  return *joined != '\0' ? g_strsplit (joined, "\x1f", -1) : g_new0 (char *, 1);
}

static void
check_round_trip (InboxMessage *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(InboxMessage) lazy = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *difference = NULL;
  g_auto(GStrv) tags = NULL;
  InboxPayloadItem *item;

  stored = inbox_message_to_json (message, &error);
  if (stored == NULL)
    mismatch ("no stored JSON", error->message);
  if (!g_utf8_validate (stored, -1, NULL) || !g_utf8_validate (inbox_message_get_id (message), -1, NULL))
    mismatch ("not UTF-8", inbox_message_get_id (message));

  /* the stored bytes, read again */
  wrapped = g_strconcat ("[", stored, "]", NULL);
  again = inbox_payload_parse (wrapped, strlen (wrapped), NOW, INBOX_PAYLOAD_FLAGS_QUIET, &error);
  if (again == NULL)
    mismatch ("the stored JSON does not parse", error->message);
  if (again->len != 1)
    mismatch ("the stored JSON is not one message", stored);
  item = g_ptr_array_index (again, 0);
  if (item->message == NULL)
    mismatch ("the stored JSON is not a valid message", item->error->message);
  if (!inbox_message_equal (message, item->message, &difference))
    mismatch ("the stored JSON reads differently", difference);

  /* and loaded as the cache loads it */
  tags = tags_through_cache (message);
  lazy = inbox_message_new_lazy (inbox_message_get_id (message),
                                 inbox_message_get_date (message),
                                 inbox_message_get_expires (message),
                                 inbox_message_get_read (message),
                                 inbox_message_get_template (message),
                                 (const char * const *) tags,
                                 load_stored_cb, g_strdup (stored), g_free);
  if (!inbox_message_equal (message, lazy, &difference))
    mismatch ("the message loaded from the stored JSON differs", difference);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* as G_DEBUG=fatal-criticals: a Json-CRITICAL is a finding */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
  return 0;
}

/* Every message of one parse: valid or invalid, never both, and a valid
 * one goes through the cache and back unchanged. */
static void
check_parse (const uint8_t     *data,
             size_t             size,
             InboxPayloadFlags  flags)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = inbox_payload_parse ((const char *) data, size, NOW, flags, &error);
  if (items == NULL)
    {
      if (error == NULL || error->domain != INBOX_PAYLOAD_ERROR || !g_utf8_validate (error->message, -1, NULL))
        mismatch ("an error that does not say what is wrong", error != NULL ? error->message : NULL);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (items, i);

      if ((item->message == NULL) == (item->error == NULL))
        mismatch ("an item is neither valid nor invalid", NULL);
      if (item->id != NULL && (*item->id == '\0' || !g_utf8_validate (item->id, -1, NULL)))
        mismatch ("an unusable id", item->id);
      if (item->error != NULL)
        {
          if (!g_utf8_validate (item->error->message, -1, NULL))
            mismatch ("an error that is not UTF-8", NULL);
          continue;
        }
      if (item->id == NULL || !g_str_equal (item->id, inbox_message_get_id (item->message)))
        mismatch ("a valid message without its id", item->id);

      check_round_trip (item->message);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* as the sync reads a page, and as --check/--render/--preview read a file
   * (inbox_notifs_v2, Android's getData() shape) */
  check_parse (data, size, INBOX_PAYLOAD_FLAGS_QUIET);
  check_parse (data, size, INBOX_PAYLOAD_FLAGS_QUIET | INBOX_PAYLOAD_FLAGS_ANY_SHAPE);
  return 0;
}
