package org.quasi.typeguard.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A small streaming JSON writer with two-space indentation, enough for the reports: objects, arrays, strings,
 * numbers, booleans and null. The caller keeps the structure well formed; names are written in call order so the
 * output is stable.
 */
public final class Json {

  private final Appendable out;
  private int depth;
  private boolean first = true;
  private boolean afterName;

  /** @param out where to write */
  public Json(final Appendable out) {
    this.out = out;
  }

  /** Opens an object. @return this */
  public Json beginObject() {
    value("{");
    depth++;
    first = true;
    return this;
  }

  /** Closes an object. @return this */
  public Json endObject() {
    return close("}");
  }

  /** Opens an array. @return this */
  public Json beginArray() {
    value("[");
    depth++;
    first = true;
    return this;
  }

  /** Closes an array. @return this */
  public Json endArray() {
    return close("]");
  }

  /** Writes a member name; the next call writes its value. @param name the name @return this */
  public Json name(final String name) {
    separator();
    write(quote(name));
    write(": ");
    afterName = true;
    return this;
  }

  /** Writes a string or null. @param s the string @return this */
  public Json string(final String s) {
    return s == null ? nullValue() : raw(quote(s));
  }

  /** Writes a string member ({@code null} as JSON null). @param name the name @param s the value @return this */
  public Json member(final String name, final String s) {
    return name(name).string(s);
  }

  /** Writes a number member. @param name the name @param n the value @return this */
  public Json member(final String name, final long n) {
    return name(name).raw(Long.toString(n));
  }

  /** Writes a boolean member. @param name the name @param b the value @return this */
  public Json member(final String name, final boolean b) {
    return name(name).raw(Boolean.toString(b));
  }

  /** Writes a string array element. @param s the value @return this */
  public Json element(final String s) {
    return string(s);
  }

  /** Writes null. @return this */
  public Json nullValue() {
    return raw("null");
  }

  /** Ends the document with a newline. */
  public void finish() {
    write("\n");
  }

  private Json raw(final String text) {
    value(text);
    return this;
  }

  private void value(final String text) {
    if (!afterName) {
      separator();
    }
    afterName = false;
    write(text);
  }

  private Json close(final String bracket) {
    depth--;
    if (!first) {
      newline();
    }
    write(bracket);
    first = false;
    return this;
  }

  private void separator() {
    if (depth == 0) {
      return;
    }
    if (!first) {
      write(",");
    }
    newline();
    first = false;
  }

  private void newline() {
    write("\n");
    write("  ".repeat(depth));
  }

  private void write(final String s) {
    try {
      out.append(s);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report: " + e.getMessage(), e);
    }
  }

  /**
   * Quotes a string as a JSON string literal.
   *
   * @param s the string
   * @return the literal with quotes
   */
  public static String quote(final String s) {
    final StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
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
