/* inbox-sign-in-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "inbox-sign-in-view.h"
#include "inbox-style.h"

struct _InboxSignInView
{
  GtkWidget    parent_instance;

  AdwEntryRow *server_row;
  AdwEntryRow *user_row;
  AdwEntryRow *token_row;
  GtkLabel    *error_label;
  GtkButton   *sign_in_button;
  GtkSpinner  *spinner;
  gboolean     busy;
};

G_DEFINE_FINAL_TYPE (InboxSignInView, inbox_sign_in_view, GTK_TYPE_WIDGET)

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_blank (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text == '\0';
}

static void
update_button (InboxSignInView *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !self->busy && !is_blank (self->server_row) &&
                            !is_blank (self->user_row) && !is_blank (self->token_row));
}

static void
field_changed_cb (InboxSignInView *self)
{
  update_button (self);
}

/* Enter moves on to the next field. */
static void
next_cb (InboxSignInView *self,
         AdwEntryRow     *row)
{
  gtk_widget_grab_focus (GTK_WIDGET (row == self->server_row ? self->user_row : self->token_row));
}

/**
 * inbox_sign_in_view_submit:
 *
 * Emits ::submit with the three fields, when all are filled in.
 */
void
inbox_sign_in_view_submit (InboxSignInView *self)
{
  g_autofree char *server = NULL, *user = NULL;

  g_return_if_fail (INBOX_IS_SIGN_IN_VIEW (self));

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button)))
    return;

  server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
  g_signal_emit (self, signals[SUBMIT], 0, server, user, gtk_editable_get_text (GTK_EDITABLE (self->token_row)));
}

static void
inbox_sign_in_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), INBOX_TYPE_SIGN_IN_VIEW);
  inbox_style_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (inbox_sign_in_view_parent_class)->dispose (object);
}

/* The first visible button under @widget, depth first (an entry row's
 * apply button is hidden). */
static GtkWidget *
find_button (GtkWidget *widget)
{
  GtkWidget *child;

  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child);

      if (button != NULL)
        return button;
    }
  return NULL;
}

/* libadwaita 1.2's peek button says "Show Text" or "Hide Text" only in its
 * tooltip, which GTK 4.8 does not make a name: the name follows it. */
static void
peek_tooltip_cb (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

static void
inbox_sign_in_view_class_init (InboxSignInViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inbox_sign_in_view_dispose;

  /**
   * InboxSignInView::submit:
   * @server_url: as typed, trimmed
   * @user: as typed, trimmed
   * @token: as typed
   */
  signals[SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  inbox_widget_class_set_template (widget_class, "inbox-sign-in-view.ui");
  gtk_widget_class_bind_template_child (widget_class, InboxSignInView, server_row);
  gtk_widget_class_bind_template_child (widget_class, InboxSignInView, user_row);
  gtk_widget_class_bind_template_child (widget_class, InboxSignInView, token_row);
  gtk_widget_class_bind_template_child (widget_class, InboxSignInView, error_label);
  gtk_widget_class_bind_template_child (widget_class, InboxSignInView, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, InboxSignInView, spinner);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_cb);
  gtk_widget_class_bind_template_callback (widget_class, inbox_sign_in_view_submit);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
inbox_sign_in_view_init (InboxSignInView *self)
{
  GtkWidget *peek_button;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names a button with a mnemonic label by its label ("_Sign In")
   * and by the label inside ("Sign In"): the label inside is the name */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->sign_in_button), GTK_ACCESSIBLE_PROPERTY_LABEL);

  peek_button = find_button (GTK_WIDGET (self->token_row));
  g_assert (peek_button != NULL);
  g_signal_connect (peek_button, "notify::tooltip-text", G_CALLBACK (peek_tooltip_cb), NULL);
  peek_tooltip_cb (peek_button);
}

GtkWidget *
inbox_sign_in_view_new (void)
{
  return g_object_new (INBOX_TYPE_SIGN_IN_VIEW, NULL);
}

/* Fills in what is known (either may be NULL); the token is always typed anew. */
void
inbox_sign_in_view_set_fields (InboxSignInView *self,
                               const char      *server_url,
                               const char      *user)
{
  g_return_if_fail (INBOX_IS_SIGN_IN_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url != NULL ? server_url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user != NULL ? user : "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  update_button (self);
}

/* The keyboard goes to the first field that needs typing. */
void
inbox_sign_in_view_focus_first_empty (InboxSignInView *self)
{
  GtkWidget *row;
  GtkRoot *root;

  g_return_if_fail (INBOX_IS_SIGN_IN_VIEW (self));

  if (is_blank (self->server_row))
    row = GTK_WIDGET (self->server_row);
  else if (is_blank (self->user_row))
    row = GTK_WIDGET (self->user_row);
  else
    row = GTK_WIDGET (self->token_row);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root != NULL)
    gtk_root_set_focus (root, row);
}

/* @error: (nullable): what was wrong with the last try, or %NULL */
void
inbox_sign_in_view_set_error (InboxSignInView *self,
                              const char      *error)
{
  g_return_if_fail (INBOX_IS_SIGN_IN_VIEW (self));

  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

void
inbox_sign_in_view_set_busy (InboxSignInView *self,
                             gboolean         busy)
{
  g_return_if_fail (INBOX_IS_SIGN_IN_VIEW (self));

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !busy);
  update_button (self);
}
