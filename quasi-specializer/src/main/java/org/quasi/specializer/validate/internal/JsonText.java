package org.quasi.specializer.validate.internal;

import java.util.List;
import java.util.Map;

/**
 * The JSON text of validation reports and of shadow-mode reports (which agent's shadow package writes with the same
 * rules, so the two reports read alike): strings, numbers, lists and maps. Reports build their objects field by
 * field and use these for the values.
 */
public final class JsonText {
  private JsonText() {
  }

  /**
   * Returns {@code v} as a JSON value: a string quoted, a double with four decimals (null when not finite), a list as
   * an array and a map as an object (keys as strings), recursively; anything else (numbers, booleans) as its text.
   */
  public static String value(final Object v) {
    if (v instanceof String s) {
      return quote(s);
    }
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? "null" : String.format(java.util.Locale.ROOT, "%.4f", d);
    }
    if (v instanceof List<?> l) {
      final StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(value(l.get(i)));
      }
      return b.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      final StringBuilder b = new StringBuilder("{");
      int i = 0;
      for (final Map.Entry<?, ?> e : m.entrySet()) {
        b.append(i++ == 0 ? "" : ", ").append(quote(String.valueOf(e.getKey()))).append(": ")
            .append(value(e.getValue()));
      }
      return b.append('}').toString();
    }
    return String.valueOf(v);
  }

  /**
   * Returns {@code s} as a JSON string: quotes and backslashes escaped, control characters and lone UTF-16 halves as
   * four-digit hex escapes (so the text stays valid UTF-8 whatever the method names and messages held).
   */
  public static String quote(final String s) {
    final StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
