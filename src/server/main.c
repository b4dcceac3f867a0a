/* main.c: app-inbox-server, the inbox server of docs/sync-api.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "app-inbox-server"

#include "config.h"
#include "server-config.h"

#include <glib-unix.h>
#include <locale.h>
#include <string.h>

#include "inbox-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* The bundled demo: --demo-data, else the installed copy, else the source tree's. */
static char *
find_demo_dir (const char *given)
{
  g_autofree char *installed = g_build_filename (DATADIR, "app-inbox", "demo", NULL);

  if (given != NULL)
    return g_strdup (given);
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  return g_strdup (SOURCE_DEMO_DIR);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *listen = NULL, *db_path = NULL, *media = NULL, *admin_file = NULL, *demo_data = NULL;
  g_autofree char *admin_token = NULL, *base_url = NULL, *password_file = NULL, *password = NULL;
  gboolean demo = FALSE, version = FALSE;
  int max_connections = 0, read_timeout = 0, write_timeout = 0;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(InboxServerStore) store = NULL;
  g_autoptr(InboxServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Where to listen (default 127.0.0.1:8080; port 0 takes a free one)", "HOST:PORT" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The SQLite database (created if missing), or a PostgreSQL database (postgresql://…)", "FILE|URI" },
    { "db-password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, "A file holding the PostgreSQL password (else the URI's, or PGPASSFILE's)", "FILE" },
    { "media", 0, 0, G_OPTION_ARG_FILENAME, &media, "The folder GET /media/<name> serves", "DIR" },
    { "admin-token-file", 0, 0, G_OPTION_ARG_FILENAME, &admin_file, "A file holding the operator's token", "FILE" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections, "Open connections at most; past them a new one is answered 503 (default 1024, and 64 below the descriptor limit)", "N" },
    { "read-timeout", 0, 0, G_OPTION_ARG_INT, &read_timeout, "Seconds a client has to send its whole request (default 15)", "SECONDS" },
    { "write-timeout", 0, 0, G_OPTION_ARG_INT, &write_timeout, "Seconds a client may take no part of an answer (default 60)", "SECONDS" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Create the user demo, print its token and publish the demo campaigns", NULL },
    { "demo-data", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &demo_data, "The demo inbox and media", "DIR" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- the App Inbox server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("app-inbox-server: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("app-inbox-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (max_connections < 0)
    {
      g_printerr ("app-inbox-server: --max-connections %d: a number of connections from 1 was expected\n", max_connections);
      return 2;
    }
  if (read_timeout < 0 || read_timeout > 3600)
    {
      g_printerr ("app-inbox-server: --read-timeout %d: a number of seconds from 1 to 3600 was expected\n", read_timeout);
      return 2;
    }
  if (write_timeout < 0 || write_timeout > 3600)
    {
      g_printerr ("app-inbox-server: --write-timeout %d: a number of seconds from 1 to 3600 was expected\n", write_timeout);
      return 2;
    }
  if (db_path == NULL || admin_file == NULL)
    {
      g_printerr ("app-inbox-server: --db FILE|URI and --admin-token-file FILE are needed\n");
      return 2;
    }
  if (password_file != NULL)
    {
      if (!inbox_server_store_is_uri (db_path))
        {
          g_printerr ("app-inbox-server: --db-password-file is for a PostgreSQL --db (postgresql://…)\n");
          return 2;
        }
      if (!g_file_get_contents (password_file, &password, NULL, &error))
        {
          g_printerr ("app-inbox-server: %s\n", error->message);
          return 2;
        }
      /* the file's one line, without its newline */
      password[strcspn (password, "\r\n")] = '\0';
    }

  if (!g_file_get_contents (admin_file, &admin_token, NULL, &error))
    {
      g_printerr ("app-inbox-server: %s\n", error->message);
      return 2;
    }
  g_strstrip (admin_token);
  if (*admin_token == '\0')
    {
      g_printerr ("app-inbox-server: %s holds no token\n", admin_file);
      return 2;
    }

  store = inbox_server_store_open (db_path, password, &error);
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  if (store == NULL)
    {
      g_printerr ("app-inbox-server: %s\n", error->message);
      return 1;
    }

  server = inbox_server_new (store, media, admin_token);
  inbox_server_set_limits (server, max_connections, read_timeout * 1000, write_timeout * 1000);
  if (!inbox_server_listen (server, listen != NULL ? listen : "127.0.0.1:8080", &error))
    {
      g_printerr ("app-inbox-server: %s\n", error->message);
      return 1;
    }
  base_url = inbox_server_get_base_url (server);

  if (demo)
    {
      g_autofree char *dir = find_demo_dir (demo_data);
      g_autofree char *token = NULL;

      if (!inbox_server_seed_demo (server, dir, &token, &error))
        {
          g_printerr ("app-inbox-server: --demo: %s\n", error->message);
          return 1;
        }
      g_print ("app-inbox-server: demo token: %s\n", token);
    }

  g_print ("app-inbox-server: at most %u connections\n", inbox_server_get_max_connections (server));
  g_print ("app-inbox-server: listening on %s\n", base_url);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
