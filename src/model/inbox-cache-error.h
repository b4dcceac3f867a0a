/* inbox-cache-error.h: how a change to the stored messages can fail
 *
 * The error domain of the cache, which the store's calls report too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(APPINBOX_INSIDE) && !defined(APPINBOX_COMPILATION)
#error "Only <appinbox.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * INBOX_CACHE_ERROR:
 *
 * The error domain of #InboxCacheError.
 */
#define INBOX_CACHE_ERROR (inbox_cache_error_quark ())

/**
 * InboxCacheError:
 * @INBOX_CACHE_ERROR_FAILED: SQLite said no; the message says what and why
 * @INBOX_CACHE_ERROR_FULL: the disk is full: nothing was written
 * @INBOX_CACHE_ERROR_DAMAGED: the file was damaged and moved aside
 * @INBOX_CACHE_ERROR_TOO_NEW: written by a newer App Inbox: left alone
 * @INBOX_CACHE_ERROR_NOT_FOUND: no such message
 *
 * Why reading or changing the stored messages failed. A call that fails
 * with one of these changed nothing, in memory or on disk.
 */
typedef enum {
  INBOX_CACHE_ERROR_FAILED,
  INBOX_CACHE_ERROR_FULL,
  INBOX_CACHE_ERROR_DAMAGED,
  INBOX_CACHE_ERROR_TOO_NEW,
  INBOX_CACHE_ERROR_NOT_FOUND,
} InboxCacheError;

/**
 * inbox_cache_error_quark:
 *
 * The error domain of [error@AppInbox.CacheError]; in C,
 * %INBOX_CACHE_ERROR.
 *
 * Returns: the quark of the domain
 */
GQuark inbox_cache_error_quark (void);

G_END_DECLS
