/* inbox-style.c
 *
 * Payload colours are data, not a theme: each widget that has them gets a
 * small CSS provider of its own (a list view recycles a handful of cards, so
 * there are never many), and labels get a Pango colour attribute.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inbox-i18n.h"
#include "inbox-style.h"

#define PROVIDER_KEY "inbox-style-provider"

/* Colours come from the model as "#rrggbbaa"; anything else is ignored. */
static gboolean
valid_color (const char *color)
{
  GdkRGBA rgba;

  return color != NULL && gdk_rgba_parse (&rgba, color);
}

/**
 * inbox_style_set_colors:
 * @background: (nullable): "#rrggbbaa", or %NULL for the theme's
 * @foreground: (nullable): likewise, for the text colour of @widget
 */
void
inbox_style_set_colors (GtkWidget  *widget,
                        const char *background,
                        const char *foreground)
{
  GtkCssProvider *provider = g_object_get_data (G_OBJECT (widget), PROVIDER_KEY);
  g_autoptr(GString) css = g_string_new ("* {");

  if (valid_color (background))
    g_string_append_printf (css, " background-color: %s; background-image: none;", background);
  if (valid_color (foreground))
    g_string_append_printf (css, " color: %s;", foreground);
  g_string_append (css, " }");

  if (provider == NULL)
    {
      provider = gtk_css_provider_new ();
      g_object_set_data_full (G_OBJECT (widget), PROVIDER_KEY, provider, g_object_unref);
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_add_provider (gtk_widget_get_style_context (widget),
                                      GTK_STYLE_PROVIDER (provider),
                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
      G_GNUC_END_IGNORE_DEPRECATIONS
    }

  gtk_css_provider_load_from_data (provider, css->str, (gssize) css->len);
}

/* A colour from the payload on a label, or the inherited one for %NULL. */
void
inbox_style_set_label_color (GtkLabel   *label,
                             const char *color)
{
  g_autoptr(PangoAttrList) attrs = NULL;
  GdkRGBA rgba;

  if (color == NULL || !gdk_rgba_parse (&rgba, color))
    {
      gtk_label_set_attributes (label, NULL);
      return;
    }

  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_foreground_new ((guint16) (rgba.red * 65535),
                                                            (guint16) (rgba.green * 65535),
                                                            (guint16) (rgba.blue * 65535)));
  if (rgba.alpha < 1.0)
    pango_attr_list_insert (attrs, pango_attr_foreground_alpha_new ((guint16) (rgba.alpha * 65535)));
  gtk_label_set_attributes (label, attrs);
}

/**
 * inbox_style_text_for_background:
 *
 * A readable text colour for a payload background that comes without text
 * colours: in dark mode the theme's light text on a light card would vanish.
 *
 * Returns: (nullable): a dark or a light colour, or %NULL without a background
 */
const char *
inbox_style_text_for_background (const char *background)
{
  GdkRGBA rgba;
  double luminance;

  if (background == NULL || !gdk_rgba_parse (&rgba, background) || rgba.alpha < 0.5)
    return NULL;

  luminance = 0.2126 * rgba.red + 0.7152 * rgba.green + 0.0722 * rgba.blue;
  return luminance > 0.5 ? "#1e1e1eff" : "#ffffffff";
}

/**
 * inbox_style_set_text:
 * @text: (nullable): plain text, never markup; the label hides without it
 * @color: (nullable): the payload's colour for it
 * @background: (nullable): the card's payload background
 *
 * Payload colours win; a payload background without a text colour gets a
 * readable one; without either the theme decides.
 */
void
inbox_style_set_text (GtkLabel   *label,
                      const char *text,
                      const char *color,
                      const char *background)
{
  gtk_label_set_use_markup (label, FALSE);
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  inbox_style_set_label_color (label, color != NULL ? color : inbox_style_text_for_background (background));
}

static gboolean
is_highlight_attr (PangoAttribute *attr,
                   gpointer        user_data)
{
  return attr->klass->type == PANGO_ATTR_BACKGROUND ||
         attr->klass->type == PANGO_ATTR_BACKGROUND_ALPHA ||
         attr->klass->type == PANGO_ATTR_WEIGHT;
}

/**
 * inbox_style_highlight:
 * @search: (nullable): the search whose words to highlight, or %NULL for none
 *
 * Marks the words of the label's text that @search matches (as the cache's
 * search matched them: case and diacritics folded, each word a prefix) with
 * the theme's accent colour behind them, see-through so that the text keeps
 * its colour on any card, light or dark, and in bold. The label's other
 * attributes (the payload's colour) stay.
 */
void
inbox_style_highlight (GtkLabel    *label,
                       InboxSearch *search)
{
  PangoAttrList *current = gtk_label_get_attributes (label);
  g_autoptr(PangoAttrList) attrs = current != NULL ? pango_attr_list_copy (current) : pango_attr_list_new ();
  g_autoptr(PangoAttrList) removed = pango_attr_list_filter (attrs, is_highlight_attr, NULL);
  g_autoptr(GArray) ranges = NULL;
  GdkRGBA accent = { 0.208, 0.518, 0.894, 1.0 };  /* Adwaita's blue, when the theme has none */

  if (search != NULL)
    ranges = inbox_search_find (search, gtk_label_get_text (label));

  if ((ranges == NULL || ranges->len == 0) && removed == NULL)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (label)), "accent_bg_color", &accent);
  G_GNUC_END_IGNORE_DEPRECATIONS

  for (guint i = 0; ranges != NULL && i < ranges->len; i++)
    {
      InboxSearchRange *range = &g_array_index (ranges, InboxSearchRange, i);
      PangoAttribute *attr[3];

      attr[0] = pango_attr_background_new ((guint16) (accent.red * 65535),
                                           (guint16) (accent.green * 65535),
                                           (guint16) (accent.blue * 65535));
      attr[1] = pango_attr_background_alpha_new (65535 * 35 / 100);
      attr[2] = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
      for (guint j = 0; j < G_N_ELEMENTS (attr); j++)
        {
          attr[j]->start_index = range->start;
          attr[j]->end_index = range->end;
          pango_attr_list_insert (attrs, attr[j]);
        }
    }

  gtk_label_set_attributes (label, attrs);
}

/* For dispose: a widget that lays out children of its own unparents them
 * all, the template's unnamed ones included. */
void
inbox_style_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

#define RESOURCE_PATH "/io/github/appinbox/libappinbox"
#define DISPLAY_KEY   "inbox-style-display-provider"

/* The library's style sheet and icons, on one display: once. */
static void
load_for_display (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), DISPLAY_KEY) != NULL)
    return;

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display), RESOURCE_PATH "/icons");
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/style.css");
  /* Below the application's priority: a host app's own style sheet wins. */
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION - 1);
  g_object_set_data_full (G_OBJECT (display), DISPLAY_KEY, g_steal_pointer (&provider), g_object_unref);
}

static void
display_opened_cb (GdkDisplayManager *manager,
                   GdkDisplay        *display,
                   gpointer           user_data)
{
  load_for_display (display);
}

/**
 * inbox_style_load_css:
 *
 * Loads the library's style sheet and icons (from its own resources, so an
 * embedding app needs no files of ours) into every display, the ones open now
 * and the ones opened later. Light and dark come from the theme's named
 * colours. Binds the library's translations too (inbox_i18n_init()).
 * Called by each library widget class, and by code that renders without
 * them; cheap after the first call.
 */
void
inbox_style_load_css (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GdkDisplayManager *manager = gdk_display_manager_get ();
      g_autoptr(GSList) displays = gdk_display_manager_list_displays (manager);

      inbox_i18n_init ();
      for (GSList *l = displays; l != NULL; l = l->next)
        load_for_display (l->data);
      g_signal_connect (manager, "display-opened", G_CALLBACK (display_opened_cb), NULL);
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * inbox_widget_class_set_template:
 * @name: the template's file name in the library's resources
 *
 * gtk_widget_class_set_template_from_resource() for the library's templates,
 * which also makes sure that its style sheet and icons are loaded.
 */
void
inbox_widget_class_set_template (GtkWidgetClass *widget_class,
                                 const char     *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PATH "/", name, NULL);

  gtk_widget_class_set_template_from_resource (widget_class, path);
  inbox_style_load_css ();
}
