/* inbox-example.c: an InboxView in a window of its own
 *
 * A GTK app that embeds libappinbox-1: its own InboxClient (its own
 * application id, so it never touches App Inbox's cache; the token in memory
 * only), an AdwHeaderBar whose view switcher shows the inbox's tabs, and the
 * InboxView below it. Every click on a card or button is printed as
 *
 *     clicked <message id> slide <n> button <n>
 *
 * and every `kv` button's map as
 *
 *     kv <message id> key=value key=value ...
 *
 * Build it against an installed libappinbox-1 (examples/README.md):
 *
 *     cc inbox-example.c -o inbox-example $(pkg-config --cflags --libs appinbox-1)
 *     ./inbox-example --server URL --user demo --token-file FILE
 *
 * Without --server, --user and --token-file it shows the sign-in page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <appinbox.h>

#define EXAMPLE_APPLICATION_ID "org.example.InboxExample"

typedef struct
{
  AdwApplication *app;
  InboxClient    *client;
  GtkWindow      *window;

  /* from the command line: used once, when the client asks for a sign-in */
  char           *server;
  char           *user;
  char           *token;
} Example;

static const GOptionEntry options[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL, "The inbox server (with --user and --token-file)", "URL" },
  { "user", 0, 0, G_OPTION_ARG_STRING, NULL, "The user whose inbox to show", "NAME" },
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, NULL, "A file holding the user's token", "FILE" },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
  { NULL }
};

/* InboxView::message-clicked: button -1 is the card (or slide) itself */
static void
message_clicked_cb (InboxView    *view,
                    InboxMessage *message,
                    int           slide,
                    int           button,
                    gpointer      user_data)
{
  printf ("clicked %s slide %d button %d\n", inbox_message_get_id (message), slide, button);
  fflush (stdout);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* InboxView::button-activated: a `kv` button's map, keys sorted */
static void
button_activated_cb (InboxView    *view,
                     InboxMessage *message,
                     GHashTable   *kv,
                     gpointer      user_data)
{
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (kv, NULL);
  g_autoptr(GString) line = g_string_new ("kv ");

  g_string_append (line, inbox_message_get_id (message));
  qsort (keys, g_hash_table_size (kv), sizeof (char *), compare_keys);
  for (guint i = 0; keys[i] != NULL; i++)
    g_string_append_printf (line, " %s=%s", keys[i], (const char *) g_hash_table_lookup (kv, keys[i]));

  printf ("%s\n", line->str);
  fflush (stdout);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  InboxClient *client = INBOX_CLIENT (source);
  g_autoptr(GError) error = NULL;
  InboxStore *store;

  if (!inbox_client_sign_in_finish (client, result, &error))
    {
      g_printerr ("sign-in failed: %s\n", error->message);
      return;
    }

  store = inbox_client_get_store (client);
  printf ("signed in as %s: %u messages, %u unread\n", inbox_client_get_user (client),
          g_list_model_get_n_items (G_LIST_MODEL (store)), inbox_store_get_unread_count (store));
  fflush (stdout);
}

/* The client asks for a sign-in: the account of the command line, once;
 * afterwards the view's sign-in page is the user's. */
static void
state_changed_cb (InboxClient *client,
                  GParamSpec  *pspec,
                  Example     *example)
{
  g_autofree char *token = NULL;

  if (inbox_client_get_state (client) != INBOX_CLIENT_STATE_NEEDS_SIGN_IN || example->server == NULL)
    return;

  token = g_steal_pointer (&example->token);
  inbox_client_sign_in_async (client, example->server, example->user, token, NULL, signed_in_cb, NULL);
  explicit_bzero (token, strlen (token));
  g_clear_pointer (&example->server, g_free);
  g_clear_pointer (&example->user, g_free);
}

static void
activate_cb (GApplication *app,
             Example      *example)
{
  GtkWidget *view;
  GtkWidget *switcher;
  GtkWidget *header;
  GtkWidget *box;

  if (example->window != NULL)
    {
      gtk_window_present (example->window);
      return;
    }

  /* its own application id: its own folders; no keyring for an example */
  example->client = g_object_new (INBOX_TYPE_CLIENT,
                                  "application-id", EXAMPLE_APPLICATION_ID,
                                  "use-keyring", FALSE,
                                  NULL);
  g_signal_connect (example->client, "notify::state", G_CALLBACK (state_changed_cb), example);

  view = inbox_view_new (example->client);
  gtk_widget_set_vexpand (view, TRUE);
  g_signal_connect (view, "message-clicked", G_CALLBACK (message_clicked_cb), NULL);
  g_signal_connect (view, "button-activated", G_CALLBACK (button_activated_cb), NULL);

  switcher = adw_view_switcher_title_new ();
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (switcher), "Inbox Example");
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (switcher),
                                     inbox_view_get_view_stack (INBOX_VIEW (view)));
  /* a narrow window: the tabs at the bottom of the view */
  g_object_bind_property (switcher, "title-visible", inbox_view_get_switcher_bar (INBOX_VIEW (view)), "reveal",
                          G_BINDING_SYNC_CREATE);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), switcher);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), view);

  example->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  gtk_window_set_title (example->window, "Inbox Example");
  gtk_window_set_default_size (example->window, 480, 640);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (example->window), box);

  inbox_client_start (example->client);
  gtk_window_present (example->window);
}

static void
shutdown_cb (GApplication *app,
             Example      *example)
{
  if (example->client != NULL)
    inbox_client_stop (example->client);
}

static int
handle_local_options_cb (GApplication *app,
                         GVariantDict *dict,
                         Example      *example)
{
  g_autofree char *token_file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_server, has_user, has_token;

  if (g_variant_dict_contains (dict, "version"))
    {
      printf ("inbox-example (libappinbox-1)\n");
      return 0;
    }

  has_server = g_variant_dict_lookup (dict, "server", "s", &example->server);
  has_user = g_variant_dict_lookup (dict, "user", "s", &example->user);
  has_token = g_variant_dict_lookup (dict, "token-file", "^ay", &token_file);
  if (!has_server && !has_user && !has_token)
    return -1;
  if (!has_server || !has_user || !has_token)
    {
      g_printerr ("inbox-example: --server, --user and --token-file go together\n");
      return 2;
    }
  if (!g_file_get_contents (token_file, &example->token, NULL, &error))
    {
      g_printerr ("inbox-example: %s\n", error->message);
      return 2;
    }
  g_strstrip (example->token);

  return -1;
}

int
main (int   argc,
      char *argv[])
{
  Example example = { 0 };
  int status;

  example.app = adw_application_new (EXAMPLE_APPLICATION_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_application_add_main_option_entries (G_APPLICATION (example.app), options);
  g_signal_connect (example.app, "handle-local-options", G_CALLBACK (handle_local_options_cb), &example);
  g_signal_connect (example.app, "activate", G_CALLBACK (activate_cb), &example);
  g_signal_connect (example.app, "shutdown", G_CALLBACK (shutdown_cb), &example);

  status = g_application_run (G_APPLICATION (example.app), argc, argv);

  g_clear_object (&example.app);
  g_clear_object (&example.client);
  g_free (example.server);
  g_free (example.user);
  if (example.token != NULL)
    explicit_bzero (example.token, strlen (example.token));
  g_free (example.token);
  return status;
}
