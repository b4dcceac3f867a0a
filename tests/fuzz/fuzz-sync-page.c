/* fuzz-sync-page.c: libFuzzer target for the sync page parser
 *
 * Each input is the body of one answer to `GET /v1/inbox` (docs/sync-api.md),
 * given to inbox_sync_page_parse() for the user "alice" and a limit of
 * LIMIT messages, as the sync does. Whatever it is, the parser answers with
 * an error in INBOX_SYNC_ERROR_BAD_RESPONSE whose message is UTF-8, or with
 * a page that keeps the API's promises: a cursor, at most LIMIT items, each
 * either a valid message or an error, and a list of ids; never a crash, a
 * leak, a critical or undefined behaviour. A broken promise aborts, so the
 * fuzzer reports it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-log.h"
#include "inbox-payload.h"
#include "inbox-sync-page.h"
#include "inbox-sync.h"

#define USER  "alice"
#define LIMIT 3
#define NOW   ((gint64) 1716500000)

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void G_GNUC_NORETURN
broken (const char *what,
        const char *detail)
{
  fprintf (stderr, "fuzz-sync-page: %s: %s\n", what, detail != NULL ? detail : "");
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_log_abort_on_warnings ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(InboxSyncPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = inbox_sync_page_parse (body, USER, LIMIT, NOW, &error);
  if (page == NULL)
    {
      if (error == NULL || !g_error_matches (error, INBOX_SYNC_ERROR, INBOX_SYNC_ERROR_BAD_RESPONSE))
        broken ("an error that is not a bad response", error != NULL ? error->message : NULL);
      if (!g_utf8_validate (error->message, -1, NULL))
        broken ("an error that is not UTF-8", NULL);
      return 0;
    }
  if (error != NULL)
    broken ("a page and an error", error->message);

  if (page->cursor == NULL || !g_utf8_validate (page->cursor, -1, NULL))
    broken ("a page without a usable cursor", page->cursor);
  if (page->items == NULL || page->items->len > LIMIT)
    broken ("a page of more messages than the limit", NULL);
  if (page->deleted == NULL)
    broken ("a page without its list of deleted ids", NULL);
  if (page->more != TRUE && page->more != FALSE)
    broken ("a page whose more is not a boolean", NULL);

  for (guint i = 0; i < page->items->len; i++)
    {
      InboxPayloadItem *item = g_ptr_array_index (page->items, i);

      if ((item->message == NULL) == (item->error == NULL))
        broken ("an item is neither valid nor invalid", NULL);
      if (item->error != NULL && !g_utf8_validate (item->error->message, -1, NULL))
        broken ("an item's error is not UTF-8", NULL);
      if (item->message != NULL &&
          (item->id == NULL || !g_str_equal (item->id, inbox_message_get_id (item->message))))
        broken ("a valid message without its id", item->id);
    }
  for (guint i = 0; i < page->deleted->len; i++)
    {
      const char *id = g_ptr_array_index (page->deleted, i);

      if (id == NULL || !g_utf8_validate (id, -1, NULL))
        broken ("a deleted id that is not UTF-8", id);
    }

  return 0;
}
