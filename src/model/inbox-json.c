/* inbox-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "inbox-json.h"

static void
append_path (GString             *out,
             const InboxJsonPath *path)
{
  if (path == NULL)
    return;

  append_path (out, path->parent);
  if (path->member == NULL)
    g_string_append_printf (out, "[%u]", path->index);
  else if (out->len == 0)
    g_string_append (out, path->member);
  else
    g_string_append_printf (out, ".%s", path->member);
}

/* "msg.content[1].media" (with @member: "msg.content[1].media.url"). */
char *
inbox_json_path_to_string (const InboxJsonPath *path,
                           const char          *member)
{
  GString *out = g_string_new (NULL);
  InboxJsonPath last = INBOX_JSON_MEMBER (path, member);

  append_path (out, member != NULL ? &last : path);
  return g_string_free (out, FALSE);
}

/* "<path>[.member]: <what>", for warnings and errors. */
char *
inbox_json_path_printf (const InboxJsonPath *path,
                        const char          *member,
                        const char          *format,
                        ...)
{
  g_autofree char *where = inbox_json_path_to_string (path, member);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  return g_strconcat (where, ": ", what, NULL);
}

/* "a string", "a number", …: the shape of a node as a sentence part. */
const char *
inbox_json_describe (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return "a number";
    default:
      return "a value";
    }
}

static JsonNode *
lookup (JsonObject *object,
        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
wrong_type (const InboxJsonPath *path,
            const char  *member,
            const char  *expected,
            JsonNode    *node,
            GError     **error)
{
  g_autofree char *full = inbox_json_path_to_string (path, member);

  g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
               "%s: expected %s, got %s", full, expected, inbox_json_describe (node));
  return FALSE;
}

gboolean
inbox_json_get_string (JsonObject  *object,
                       const char  *member,
                       const InboxJsonPath *path,
                       const char **out,
                       GError     **error)
{
  JsonNode *node = lookup (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (path, member, "a string", node, error);

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
inbox_json_get_object (JsonObject  *object,
                       const char  *member,
                       const InboxJsonPath *path,
                       JsonObject **out,
                       GError     **error)
{
  JsonNode *node = lookup (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (path, member, "an object", node, error);

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
inbox_json_get_array (JsonObject  *object,
                      const char  *member,
                      const InboxJsonPath *path,
                      JsonArray  **out,
                      GError     **error)
{
  JsonNode *node = lookup (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (path, member, "an array", node, error);

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
inbox_json_get_boolean (JsonObject  *object,
                        const char  *member,
                        const InboxJsonPath *path,
                        gboolean     fallback,
                        gboolean    *out,
                        GError     **error)
{
  JsonNode *node = lookup (object, member);

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (path, member, "a boolean", node, error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

/**
 * inbox_json_get_flag:
 * @warnings: (element-type utf8): gets a warning when @member is there but
 *   is not a boolean
 *
 * A switch such as `hasUrl` or `hasLinks`, read as the rules table says
 * (docs/rules.md): absent or null is false; a boolean is itself; the string
 * "true" in any case is true, as both SDKs read it (org.json's getBoolean,
 * NSString's boolValue); anything else is false. Whatever is not a boolean
 * gets a warning. Never fails: a switch of the wrong type is not a broken
 * message.
 */
gboolean
inbox_json_get_flag (JsonObject          *object,
                     const char          *member,
                     const InboxJsonPath *path,
                     GPtrArray           *warnings)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      g_ascii_strcasecmp (json_node_get_string (node), "true") == 0)
    {
      g_ptr_array_add (warnings, inbox_json_path_printf (path, member,
                                                         "the string \"%s\", not a boolean: read as true, as both SDKs do",
                                                         json_node_get_string (node)));
      return TRUE;
    }

  g_ptr_array_add (warnings, inbox_json_path_printf (path, member, "%s, not a boolean: read as false",
                                                     inbox_json_describe (node)));
  return FALSE;
}

/* Integers, and numbers written with a fraction of zero (1716400000.0). */
gboolean
inbox_json_get_int64 (JsonObject  *object,
                      const char  *member,
                      const InboxJsonPath *path,
                      gboolean    *present,
                      gint64      *out,
                      GError     **error)
{
  JsonNode *node = lookup (object, member);
  GType type;

  *out = 0;
  *present = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return wrong_type (path, member, "an integer", node, error);

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* range first: converting a double outside int64 is undefined */
      if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0))
        {
          g_autofree char *full = inbox_json_path_to_string (path, member);

          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                       "%s: expected an integer, got a number out of range (%.17g)", full, value);
          return FALSE;
        }
      if (value != (double) (gint64) value)
        {
          g_autofree char *full = inbox_json_path_to_string (path, member);

          g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                       "%s: expected an integer, got a number with a fraction (%.17g)", full, value);
          return FALSE;
        }
      *out = (gint64) value;
    }
  else
    {
      return wrong_type (path, member, "an integer", node, error);
    }

  *present = TRUE;
  return TRUE;
}

/* The `text` of a `{ "text": … }` member. */
gboolean
inbox_json_get_text (JsonObject  *object,
                     const char  *member,
                     const InboxJsonPath *path,
                     const char **out,
                     GError     **error)
{
  InboxJsonPath full = INBOX_JSON_MEMBER (path, member);
  JsonObject *text_object;

  *out = NULL;
  if (!inbox_json_get_object (object, member, path, &text_object, error))
    return FALSE;
  if (text_object == NULL)
    return TRUE;

  return inbox_json_get_string (text_object, "text", &full, out, error);
}

/* A URL object { desktop, android, ios: {text} }: the desktop client takes
 * desktop, else android, else ios. Empty texts count as absent. Returns NULL
 * with no error when there is none. */
char *
inbox_json_pick_url (JsonObject  *object,
                     const char  *member,
                     const InboxJsonPath *path,
                     GError     **error)
{
  static const char * const platforms[] = { "desktop", "android", "ios" };
  InboxJsonPath full = INBOX_JSON_MEMBER (path, member);
  JsonObject *url_object;
  char *chosen = NULL;

  if (!inbox_json_get_object (object, member, path, &url_object, error))
    return NULL;
  if (url_object == NULL)
    return NULL;

  /* Every platform is checked for its shape, the first non-empty one wins. */
  for (guint i = 0; i < G_N_ELEMENTS (platforms); i++)
    {
      const char *text;

      if (!inbox_json_get_text (url_object, platforms[i], &full, &text, error))
        {
          g_free (chosen);
          return NULL;
        }
      if (chosen == NULL && text != NULL)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (text));

          if (*stripped != '\0')
            chosen = g_steal_pointer (&stripped);
        }
    }

  return chosen;
}

/* "#RGB", "#RRGGBB" or "#AARRGGBB" (Android's order, alpha first) to
 * "#rrggbbaa", the form GTK parses; NULL for anything else. */
char *
inbox_json_parse_color (const char *str)
{
  g_autofree char *hex = NULL;
  size_t len;

  if (str == NULL)
    return NULL;

  hex = g_ascii_strdown (str, -1);
  g_strstrip (hex);
  if (hex[0] != '#')
    return NULL;

  len = strlen (hex + 1);
  for (size_t i = 1; i <= len; i++)
    if (!g_ascii_isxdigit (hex[i]))
      return NULL;

  switch (len)
    {
    case 3:
      return g_strdup_printf ("#%c%c%c%c%c%cff",
                              hex[1], hex[1], hex[2], hex[2], hex[3], hex[3]);
    case 6:
      return g_strdup_printf ("#%sff", hex + 1);
    case 8:
      return g_strdup_printf ("#%.6s%.2s", hex + 3, hex + 1);
    default:
      return NULL;
    }
}

/* The strict pre-scan
 *
 * json-glib 1.6 is lenient where a payload must not be: it takes single
 * quotes, comments, hexadecimal and leading-zero numbers, raw control
 * characters and a second document after the first, and it reads some
 * strict JSON differently from the text: the last of two equal keys wins,
 * \u0000 ends a string, a lone surrogate becomes bytes that are not UTF-8
 * (and the character after it is lost, the closing quote too), an integer
 * beyond 64 bits wraps (99999999999999999999 is -1) and 1e400 is infinity.
 * So before json-glib sees the bytes, one walk over them accepts strict
 * JSON (RFC 8259) without lone surrogates only, and notes as a problem of
 * the message it is in (or of the whole payload) every text json-glib would
 * read differently: duplicate keys (decoded as json-glib decodes them),
 * U+0000, integers outside int64 and numbers too large for a double.
 * What json-glib then builds is exactly what the bytes say, and each
 * message's bytes (its span) are exactly the element json-glib gives. */

typedef struct {
  gsize offset;
  gsize len;
} KeyRef;

typedef struct {
  char        kind;          /* '{' or '[' */
  guint       count;         /* members or elements so far */
  gsize       arena_start;   /* objects: where their keys start in the arena */
  guint       keys_start;    /* objects: their first KeyRef */
  gsize       key_offset;    /* objects: the current member's decoded key */
  gsize       key_len;
  GHashTable *key_set;       /* objects with many members: their keys */
} Frame;

/* Up to this many members, a new key is compared with each one before it. */
#define KEY_SET_THRESHOLD 16

typedef struct {
  const char    *data;
  gsize          length;
  gsize          pos;
  guint          line;
  gsize          line_start;
  guint          max_depth;
  const char    *envelope_key;
  InboxJsonScan *scan;
  GArray        *frames;          /* Frame */
  GString       *arena;           /* the decoded keys of the open objects */
  GArray        *keys;            /* KeyRef into the arena */
  gint           element_frame;   /* the frame whose elements are messages, or -1 */
  gboolean       envelope_pending; /* the next value is the envelope key's */
  gboolean       envelope_value;   /* the value being read is the envelope key's */
} Scanner;

typedef enum {
  STRING_OK,
  STRING_NUL,
} StringProblem;

static guint
column_at (Scanner *s,
           gsize    pos)
{
  guint column = 1;

  for (gsize i = s->line_start; i < pos && i < s->length; i++)
    if (((guchar) s->data[i] & 0xc0) != 0x80)
      column++;

  return column;
}

static gboolean syntax_error (Scanner    *s,
                              gsize       pos,
                              GError    **error,
                              const char *format,
                              ...) G_GNUC_PRINTF (4, 5);

static gboolean
syntax_error (Scanner    *s,
              gsize       pos,
              GError    **error,
              const char *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON,
               "line %u, column %u: %s", s->line, column_at (s, pos), what);
  return FALSE;
}

/* "'x'" for a printable ASCII character, else "U+XXXX". */
static char *
describe_char (Scanner *s,
               gsize    pos)
{
  guchar c = (guchar) s->data[pos];
  gunichar u;

  if (c >= 0x21 && c < 0x7f)
    return g_strdup_printf ("'%c'", c);

  u = g_utf8_get_char_validated (s->data + pos, s->length - pos);
  if (c < 0x80 || u == (gunichar) -1 || u == (gunichar) -2)
    u = c;
  return g_strdup_printf ("U+%04X", u);
}

static gboolean
unexpected (Scanner    *s,
            GError    **error,
            const char *expected)
{
  g_autofree char *got = NULL;

  if (s->pos >= s->length)
    return syntax_error (s, s->pos, error, "unexpected end of data, expected %s", expected);

  got = describe_char (s, s->pos);
  return syntax_error (s, s->pos, error, "unexpected character %s, expected %s", got, expected);
}

static Frame *
top_frame (Scanner *s)
{
  return s->frames->len > 0 ? &g_array_index (s->frames, Frame, s->frames->len - 1) : NULL;
}

static InboxJsonSpan *
last_span (Scanner *s)
{
  return &g_array_index (s->scan->spans, InboxJsonSpan, s->scan->spans->len - 1);
}

/* Where the value or key being read is: "msg.content[0].title.text", from
 * the message when inside one, else from the top. */
static char *
path_between (Scanner *s,
              guint    base,
              guint    end)
{
  g_autoptr(GString) path = g_string_new (NULL);

  for (guint i = base; i < end; i++)
    {
      Frame *frame = &g_array_index (s->frames, Frame, i);

      if (frame->kind == '[')
        g_string_append_printf (path, "[%u]", frame->count > 0 ? frame->count - 1 : 0);
      else
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, s->arena->str + frame->key_offset, frame->key_len);
        }
    }

  return g_string_free (g_steal_pointer (&path), FALSE);
}

static char *
current_path (Scanner *s)
{
  return path_between (s, s->element_frame >= 0 ? (guint) s->element_frame + 1 : 0, s->frames->len);
}

static void problem (Scanner    *s,
                     gsize       at,
                     const char *format,
                     ...) G_GNUC_PRINTF (3, 4);

/* Something json-glib would read differently from the text: the message it
 * is in is invalid (or the whole payload, outside the messages). */
static void
problem (Scanner    *s,
         gsize       at,
         const char *format,
         ...)
{
  GError **slot = s->element_frame >= 0 ? &last_span (s)->problem : &s->scan->problem;
  g_autofree char *path = NULL;
  g_autofree char *what = NULL;
  va_list args;

  if (*slot != NULL && s->scan->first != NULL)
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  path = current_path (s);

  if (*slot == NULL)
    g_set_error (slot, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                 "%s%s%s", path, *path != '\0' ? ": " : "", what);
  if (s->scan->first == NULL)
    g_set_error (&s->scan->first, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_INVALID,
                 "line %u, column %u: %s%s%s", s->line, column_at (s, at),
                 path, *path != '\0' ? ": " : "", what);
}

static void
skip_space (Scanner *s)
{
  while (s->pos < s->length)
    {
      char c = s->data[s->pos];

      if (c == '\n')
        s->line++, s->line_start = s->pos + 1;
      else if (c != ' ' && c != '\t' && c != '\r')
        return;
      s->pos++;
    }
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The four hex digits of a \u escape at @pos (the backslash), or -1. */
static gint32
read_u_escape (Scanner *s,
               gsize    pos)
{
  gint32 value = 0;

  if (pos + 6 > s->length || s->data[pos] != '\\' || s->data[pos + 1] != 'u')
    return -1;
  for (guint i = 2; i < 6; i++)
    {
      int digit = hex_value (s->data[pos + i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

/* A string at s->pos (its opening quote); decoded into @out (as json-glib
 * decodes it) when @out is not NULL. Returns FALSE on a syntax error. */
static gboolean
scan_string (Scanner        *s,
             GString        *out,
             StringProblem  *string_problem,
             GError        **error)
{
  *string_problem = STRING_OK;
  s->pos++;

  for (;;)
    {
      guchar c;

      if (s->pos >= s->length)
        return syntax_error (s, s->pos, error, "unexpected end of data in a string");

      c = (guchar) s->data[s->pos];
      if (c == '"')
        {
          s->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return syntax_error (s, s->pos, error,
                             "a control character (U+%04X) in a string, it must be written as an escape", c);
      if (c != '\\')
        {
          gsize end = s->pos + 1;

          while (end < s->length && s->data[end] != '"' && s->data[end] != '\\' &&
                 (guchar) s->data[end] >= 0x20)
            end++;
          if (out != NULL)
            g_string_append_len (out, s->data + s->pos, end - s->pos);
          s->pos = end;
          continue;
        }

      if (s->pos + 1 >= s->length)
        return syntax_error (s, s->pos, error, "unexpected end of data in a string");

      switch (s->data[s->pos + 1])
        {
        case '"': case '\\': case '/':
          if (out != NULL)
            g_string_append_c (out, s->data[s->pos + 1]);
          s->pos += 2;
          break;
        case 'b': case 'f': case 'n': case 'r': case 't':
          if (out != NULL)
            {
              static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";

              g_string_append_c (out, to[strchr (from, s->data[s->pos + 1]) - from]);
            }
          s->pos += 2;
          break;
        case 'u':
          {
            gint32 unit = read_u_escape (s, s->pos);
            gunichar ch;

            if (unit < 0)
              return syntax_error (s, s->pos, error, "\\u must be followed by four hexadecimal digits");

            s->pos += 6;
            ch = (gunichar) unit;
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                gint32 low = read_u_escape (s, s->pos);

                if (low >= 0xdc00 && low <= 0xdfff)
                  {
                    ch = 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
                    s->pos += 6;
                  }
              }

            /* json-glib reads on past a lone surrogate (the closing quote
             * too): where its strings end is not where they end here, so
             * nothing after can be trusted, whatever message it is in */
            if (ch >= 0xd800 && ch <= 0xdfff)
              {
                /* for a key, the object it is in; for a value, where it is */
                g_autofree char *path = path_between (s, 0, s->frames->len - (out != NULL ? 1 : 0));

                return syntax_error (s, s->pos - 6, error, "%s%sa lone surrogate (\\u%04x) in %s is not a character",
                                     path, *path != '\0' ? ": " : "", ch, out != NULL ? "a key" : "a string");
              }
            else if (ch == 0)
              {
                if (*string_problem == STRING_OK)
                  *string_problem = STRING_NUL;
                ch = 0xfffd;
              }
            if (out != NULL)
              g_string_append_unichar (out, ch);
          }
          break;
        default:
          {
            g_autofree char *got = describe_char (s, s->pos + 1);

            return syntax_error (s, s->pos, error, "\\%s is not an escape", got);
          }
        }
    }
}

static void
report_string_problem (Scanner       *s,
                       gsize          at,
                       StringProblem  string_problem,
                       gboolean       key)
{
  const char *in = key ? "a key" : "a string";

  if (string_problem == STRING_NUL)
    problem (s, at, "U+0000 (\\u0000) is not allowed in %s", in);
}

static gboolean
scan_key (Scanner  *s,
          GError  **error)
{
  Frame *frame = &g_array_index (s->frames, Frame, s->frames->len - 1);
  StringProblem string_problem;
  gsize at = s->pos;
  const char *key;
  gboolean duplicate = FALSE;
  KeyRef ref;

  ref.offset = s->arena->len;
  if (!scan_string (s, s->arena, &string_problem, error))
    return FALSE;
  ref.len = s->arena->len - ref.offset;

  frame->key_offset = ref.offset;
  frame->key_len = ref.len;
  frame->count++;
  key = s->arena->str + ref.offset;

  report_string_problem (s, at, string_problem, TRUE);

  if (frame->key_set != NULL)
    {
      char *copy = g_strndup (key, ref.len);

      duplicate = !g_hash_table_add (frame->key_set, copy);
    }
  else
    {
      for (guint i = frame->keys_start; i < s->keys->len && !duplicate; i++)
        {
          KeyRef *other = &g_array_index (s->keys, KeyRef, i);

          duplicate = other->len == ref.len && memcmp (s->arena->str + other->offset, key, ref.len) == 0;
        }
      g_array_append_val (s->keys, ref);

      if (s->keys->len - frame->keys_start > KEY_SET_THRESHOLD)
        {
          frame->key_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          for (guint i = frame->keys_start; i < s->keys->len; i++)
            {
              KeyRef *other = &g_array_index (s->keys, KeyRef, i);

              g_hash_table_add (frame->key_set, g_strndup (s->arena->str + other->offset, other->len));
            }
        }
    }

  if (duplicate)
    problem (s, at, "duplicate key");

  if (s->frames->len == 1 && s->envelope_key != NULL &&
      ref.len == strlen (s->envelope_key) && memcmp (key, s->envelope_key, ref.len) == 0)
    {
      s->envelope_pending = !s->scan->envelope;
      s->scan->envelope = TRUE;
    }

  return TRUE;
}

static gboolean
scan_number (Scanner  *s,
             GError  **error)
{
  gsize start = s->pos, digits_start, int_end;
  gboolean negative = FALSE, integer = TRUE;

  if (s->data[s->pos] == '-')
    negative = TRUE, s->pos++;

  digits_start = s->pos;
  if (s->pos >= s->length || !g_ascii_isdigit (s->data[s->pos]))
    return unexpected (s, error, "a digit");
  if (s->data[s->pos] == '0')
    {
      s->pos++;
      if (s->pos < s->length && g_ascii_isdigit (s->data[s->pos]))
        return syntax_error (s, s->pos, error, "a number cannot have a leading zero");
    }
  else
    {
      while (s->pos < s->length && g_ascii_isdigit (s->data[s->pos]))
        s->pos++;
    }
  int_end = s->pos;

  if (s->pos < s->length && s->data[s->pos] == '.')
    {
      integer = FALSE;
      s->pos++;
      if (s->pos >= s->length || !g_ascii_isdigit (s->data[s->pos]))
        return unexpected (s, error, "a digit after the decimal point");
      while (s->pos < s->length && g_ascii_isdigit (s->data[s->pos]))
        s->pos++;
    }
  if (s->pos < s->length && (s->data[s->pos] == 'e' || s->data[s->pos] == 'E'))
    {
      integer = FALSE;
      s->pos++;
      if (s->pos < s->length && (s->data[s->pos] == '+' || s->data[s->pos] == '-'))
        s->pos++;
      if (s->pos >= s->length || !g_ascii_isdigit (s->data[s->pos]))
        return unexpected (s, error, "a digit in the exponent");
      while (s->pos < s->length && g_ascii_isdigit (s->data[s->pos]))
        s->pos++;
    }

  if (integer)
    {
      /* json-glib wraps integers outside int64 (99999999999999999999 is -1) */
      gsize n = int_end - digits_start;
      const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

      if (n > 19 || (n == 19 && memcmp (s->data + digits_start, limit, 19) > 0))
        problem (s, start, "integer out of range (%.*s%s)",
                 (int) MIN (s->pos - start, 40), s->data + start, s->pos - start > 40 ? "…" : "");
    }
  else
    {
      g_autofree char *text = g_strndup (s->data + start, s->pos - start);
      double value = g_ascii_strtod (text, NULL);

      /* json-glib reads 1e400 as infinity */
      if (isinf (value))
        problem (s, start, "number out of range (%.*s%s)",
                 (int) MIN (s->pos - start, 40), text, s->pos - start > 40 ? "…" : "");
    }

  return TRUE;
}

static gboolean
scan_literal (Scanner     *s,
              const char  *word,
              GError     **error)
{
  gsize n = strlen (word);

  if (s->length - s->pos < n || memcmp (s->data + s->pos, word, n) != 0)
    return unexpected (s, error, "a value");

  s->pos += n;
  return TRUE;
}

/* A value (or an element, a key) starts at s->pos. */
static void
begin_value (Scanner *s)
{
  Frame *frame = top_frame (s);

  s->envelope_value = FALSE;
  if (frame == NULL)
    return;

  if (frame->kind == '[')
    {
      frame->count++;
      if ((gint) s->frames->len - 1 == s->element_frame)
        {
          InboxJsonSpan span = { s->pos, s->pos, NULL };

          g_array_append_val (s->scan->spans, span);
        }
    }
  else if (s->frames->len == 1)
    {
      s->envelope_value = s->envelope_pending;
      s->envelope_pending = FALSE;
    }
}

/* A value ended at s->pos. */
static void
end_value (Scanner *s)
{
  if (s->element_frame >= 0 && (gint) s->frames->len - 1 == s->element_frame)
    last_span (s)->end = s->pos;
}

static gboolean
push_frame (Scanner  *s,
            char      kind,
            GError  **error)
{
  Frame frame = { 0 };

  if (s->frames->len + 1 > s->max_depth)
    {
      g_set_error (error, INBOX_PAYLOAD_ERROR, INBOX_PAYLOAD_ERROR_NOT_JSON,
                   "too deeply nested: line %u, column %u: more than %u levels",
                   s->line, column_at (s, s->pos), s->max_depth);
      return FALSE;
    }

  if (kind == '[' && s->element_frame < 0 && s->scan->spans->len == 0 &&
      (s->frames->len == 0 || (s->frames->len == 1 && s->envelope_value)))
    s->element_frame = s->frames->len;

  frame.kind = kind;
  frame.arena_start = s->arena->len;
  frame.keys_start = s->keys->len;
  g_array_append_val (s->frames, frame);
  s->pos++;
  return TRUE;
}

static void
pop_frame (Scanner *s)
{
  Frame *frame = &g_array_index (s->frames, Frame, s->frames->len - 1);

  s->pos++;
  if (frame->kind == '{')
    {
      g_clear_pointer (&frame->key_set, g_hash_table_unref);
      g_string_truncate (s->arena, frame->arena_start);
      g_array_set_size (s->keys, frame->keys_start);
    }
  if ((gint) s->frames->len - 1 == s->element_frame)
    s->element_frame = -1;
  g_array_set_size (s->frames, s->frames->len - 1);
  end_value (s);
}

typedef enum {
  EXPECT_VALUE,
  EXPECT_ELEMENT_OR_END,
  EXPECT_KEY_OR_END,
  EXPECT_KEY,
  EXPECT_COLON,
  EXPECT_COMMA_OR_END,
} ScanState;

static gboolean
run_scan (Scanner  *s,
          GError  **error)
{
  ScanState state = EXPECT_VALUE;

  for (;;)
    {
      Frame *frame;
      char c;

      skip_space (s);
      frame = top_frame (s);

      if (s->pos >= s->length)
        {
          if (frame == NULL && state == EXPECT_COMMA_OR_END)
            return TRUE;
          if (frame == NULL && state == EXPECT_VALUE)
            return TRUE;  /* nothing at all: the parser says "empty" */
          return syntax_error (s, s->pos, error, "unexpected end of data");
        }

      c = s->data[s->pos];
      switch (state)
        {
        case EXPECT_ELEMENT_OR_END:
          if (c == ']')
            {
              pop_frame (s);
              state = EXPECT_COMMA_OR_END;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case EXPECT_VALUE:
          begin_value (s);
          state = EXPECT_COMMA_OR_END;
          switch (c)
            {
            case '{':
              if (!push_frame (s, '{', error))
                return FALSE;
              state = EXPECT_KEY_OR_END;
              break;
            case '[':
              if (!push_frame (s, '[', error))
                return FALSE;
              state = EXPECT_ELEMENT_OR_END;
              break;
            case '"':
              {
                StringProblem string_problem;
                gsize at = s->pos;

                if (!scan_string (s, NULL, &string_problem, error))
                  return FALSE;
                report_string_problem (s, at, string_problem, FALSE);
              }
              end_value (s);
              break;
            case '-': case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
              if (!scan_number (s, error))
                return FALSE;
              end_value (s);
              break;
            case 't':
            case 'f':
            case 'n':
              if (!scan_literal (s, c == 't' ? "true" : c == 'f' ? "false" : "null", error))
                return FALSE;
              end_value (s);
              break;
            default:
              return unexpected (s, error, "a value");
            }
          break;

        case EXPECT_KEY_OR_END:
          if (c == '}')
            {
              pop_frame (s);
              state = EXPECT_COMMA_OR_END;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case EXPECT_KEY:
          if (c != '"')
            return unexpected (s, error, "a key in double quotes");
          if (!scan_key (s, error))
            return FALSE;
          state = EXPECT_COLON;
          break;

        case EXPECT_COLON:
          if (c != ':')
            return unexpected (s, error, "':' after a key");
          s->pos++;
          state = EXPECT_VALUE;
          break;

        case EXPECT_COMMA_OR_END:
          if (frame == NULL)
            return syntax_error (s, s->pos, error, "trailing data after the JSON document");
          if (c == ',')
            {
              s->pos++;
              state = frame->kind == '{' ? EXPECT_KEY : EXPECT_VALUE;
            }
          else if (c == (frame->kind == '{' ? '}' : ']'))
            {
              pop_frame (s);
            }
          else
            {
              return unexpected (s, error, frame->kind == '{' ? "',' or '}'" : "',' or ']'");
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

void
inbox_json_scan_clear (InboxJsonScan *scan)
{
  if (scan->spans != NULL)
    {
      for (guint i = 0; i < scan->spans->len; i++)
        g_clear_error (&g_array_index (scan->spans, InboxJsonSpan, i).problem);
      g_clear_pointer (&scan->spans, g_array_unref);
    }
  g_clear_error (&scan->problem);
  g_clear_error (&scan->first);
  scan->envelope = FALSE;
}

/**
 * inbox_json_scan:
 * @data: UTF-8 text (checked before)
 * @envelope_key: (nullable): the key of a top-level object whose array holds
 *   the messages ("inbox_notifs")
 * @scan: (out caller-allocates): the messages' spans and the problems found;
 *   clear it with inbox_json_scan_clear()
 *
 * Returns: %FALSE with @error (INBOX_PAYLOAD_ERROR_NOT_JSON, naming the line
 *   and column) when the bytes are not strict JSON, have data after the
 *   document, a lone surrogate (with its key path from the top) or nest
 *   deeper than @max_depth. The other texts json-glib would read
 *   differently are not errors here: they are problems in @scan.
 */
gboolean
inbox_json_scan (const char     *data,
                 gsize           length,
                 guint           max_depth,
                 const char     *envelope_key,
                 InboxJsonScan  *scan,
                 GError        **error)
{
  Scanner s = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (scan != NULL, FALSE);

  memset (scan, 0, sizeof *scan);
  scan->spans = g_array_new (FALSE, FALSE, sizeof (InboxJsonSpan));

  s.data = data;
  s.length = length;
  s.line = 1;
  s.max_depth = max_depth;
  s.envelope_key = envelope_key;
  s.scan = scan;
  s.frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  s.arena = g_string_new (NULL);
  s.keys = g_array_new (FALSE, FALSE, sizeof (KeyRef));
  s.element_frame = -1;

  ok = run_scan (&s, error);

  for (guint i = 0; i < s.frames->len; i++)
    g_clear_pointer (&g_array_index (s.frames, Frame, i).key_set, g_hash_table_unref);
  g_array_unref (s.frames);
  g_string_free (s.arena, TRUE);
  g_array_unref (s.keys);

  return ok;
}

/**
 * inbox_json_to_string:
 *
 * json_to_string() as strict JSON: json-glib 1.6 writes control characters
 * other than \b, \f, \n, \r and \t into strings as they are, which RFC 8259
 * (and so the strict scan, the server, the cache's reader) refuses. Those
 * become \u00XX escapes.
 *
 * Returns: (transfer full): the text
 */
char *
inbox_json_to_string (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  GString *out;
  gboolean in_string = FALSE;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (in_string && c == '\\' && p[1] != '\0')
        {
          g_string_append_c (out, c);
          g_string_append_c (out, *++p);
          continue;
        }
      if (c == '"')
        in_string = !in_string;
      if (in_string && c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}
