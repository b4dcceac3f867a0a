/* test-util.h: generated messages for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "inbox-notification-sink.h"
#include "inbox-payload.h"

G_BEGIN_DECLS

/* When set, every picture of generated messages points here (a local path
 * for a media cache with a base folder) instead of to media.example.com. */
extern const char *test_util_media_url;

void       test_util_append_message  (GString    *out,
                                      guint       index,
                                      const char *label,
                                      gint64      date,
                                      gint64      ttl);
char      *test_util_messages_json   (guint       count,
                                      const char *label,
                                      gint64      first_date);
GPtrArray *test_util_parse_messages  (const char *json,
                                      gint64      now);
InboxMessage *test_util_message      (const char *id,
                                      gint64      date,
                                      gint64      ttl,
                                      gboolean    read,
                                      const char *tags_json,
                                      const char *title);
char      *test_util_make_tmpdir     (void);

/* Runs the default main context until @condition (@data) holds; fails the
 * test after 10 s. */
typedef gboolean (*TestUtilCondition) (gpointer data);
void       test_util_wait_for        (TestUtilCondition condition,
                                      gpointer          data);

/* app-inbox-server ($APP_INBOX_SERVER) on a free loopback port, with its
 * database and media folder in @dir and @admin_token as the admin token. */
typedef struct {
  GSubprocess *process;
  char        *url;         /* http://127.0.0.1:PORT/ */
  char        *demo_token;  /* with --demo */
} TestServer;

TestServer *test_server_start        (const char  *dir,
                                      const char  *admin_token,
                                      gboolean     demo);
TestServer *test_server_start_limited (const char         *dir,
                                      const char         *admin_token,
                                      gboolean            demo,
                                      guint               max_files,
                                      const char * const *extra);
void        test_server_kill         (TestServer  *server);

/* The server's database for @dir: a file in it, or, when INBOX_TEST_DB is
 * "postgres" (under tests/sync/with-postgres), a database of the test
 * cluster named after @dir, created on first use. */
gboolean    test_util_postgres       (void);
char       *test_server_db_location  (const char  *dir);
char       *test_util_psql           (const char  *database,
                                      const char  *sql);
GBytes     *test_server_dump         (const char  *dir);
/* Runs @sql on the server's database for @dir (tables unqualified);
 * returns the first value of its first row, or "" */
char       *test_server_sql          (const char  *dir,
                                      const char  *sql);
void        test_server_free         (TestServer  *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

/* One blocking HTTP request (tests only). @body may be NULL. Returns the
 * answer's body; *status gets the status. */
GBytes     *test_util_http           (const char  *method,
                                      const char  *url,
                                      const char  *token,
                                      const char  *body,
                                      gsize        body_length,
                                      guint       *status);
JsonNode   *test_util_http_json      (const char  *method,
                                      const char  *url,
                                      const char  *token,
                                      const char  *body,
                                      guint        expected_status);
char       *test_util_create_user    (const char  *server_url,
                                      const char  *admin_token,
                                      const char  *user,
                                      const char  *segment);
char       *test_util_publish        (const char  *server_url,
                                      const char  *admin_token,
                                      const char  *target_json,
                                      const char  *title,
                                      guint       *delivered);
gint64      test_util_campaign_count (const char  *server_url,
                                      const char  *admin_token,
                                      const char  *campaign_id,
                                      const char  *count);
void        test_util_wait           (gboolean    *done);

/* For async calls in tests: test_util_result_cb keeps the result in the
 * GAsyncResult * that user_data points to; test_util_wait_result turns the
 * main context until it is there. */
void          test_util_result_cb    (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      user_data);
GAsyncResult *test_util_wait_result  (GAsyncResult **result);

/* Sorts @values and returns the middle one (benchmarks). */
double      test_util_median         (double      *values,
                                      guint        n);
void       test_util_rm_rf           (const char *path);

/* A process's open descriptors and resident memory, from /proc */
guint      test_util_count_fds       (GSubprocess *process);
gsize      test_util_rss_kb          (GSubprocess *process);

/* HTTP by hand, on a plain socket: what a hostile client sends */
int        test_util_connect         (const char  *url);
gboolean   test_util_send_all        (int          fd,
                                      const void  *data,
                                      gsize        length,
                                      int          timeout_ms);
guint      test_util_read_answer     (int          fd,
                                      int          timeout_ms,
                                      char       **body);

/* An InboxNotificationSink that writes down what it is given: each
 * notification as "title|body|message id" ("(none)" for no body), and how
 * many times one was taken back. */
#define TEST_TYPE_SINK (test_sink_get_type ())
G_DECLARE_FINAL_TYPE (TestSink, test_sink, TEST, SINK, GObject)

struct _TestSink
{
  GObject    parent_instance;
  GPtrArray *sent;
  guint      withdrawn;
};

TestSink  *test_sink_new             (void);

G_END_DECLS
