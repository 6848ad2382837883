package org.quasi.typeguard.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code entry} line of spec format 2 (see {@link SpecParser} and {@code docs/SPEC.md}):
 *
 * <pre>
 * entry OWNER.NAME(DESCRIPTOR) keys KEY (, KEY)* [after N] [versions N] [backoff N] [replugger counting|simple]
 *       [background]
 * KEY := this | this.FIELD | argN | argN.FIELD
 * </pre>
 */
final class EntryLineParser {

  private static final String FORM = "entry OWNER.NAME(DESCRIPTOR) keys KEY, KEY... [after N] [versions N] "
      + "[backoff N] [replugger counting|simple] [background]";

  private final String file;
  private final int line;

  private EntryLineParser(final String file, final int line) {
    this.file = file;
    this.line = line;
  }

  /** Parses what follows the keyword {@code entry} on line {@code line} of {@code file}. */
  static SpecEntryPoint parse(final String file, final int line, final String text) throws SpecException {
    return new EntryLineParser(file, line).parse(text.strip());
  }

  private SpecEntryPoint parse(final String text) throws SpecException {
    if (text.isEmpty()) {
      throw error("expected '" + FORM + "'");
    }
    final int space = firstSpace(text);
    final String method = space < 0 ? text : text.substring(0, space);
    final int paren = method.indexOf('(');
    if (paren < 0) {
      throw error("expected the method as OWNER.NAME(DESCRIPTOR) such as com.x.Kernel.sysKill(II)I, found '"
          + method + "'");
    }
    final String qualified = method.substring(0, paren);
    final int dot = qualified.lastIndexOf('.');
    if (dot <= 0 || dot == qualified.length() - 1) {
      throw error("expected OWNER.NAME before the descriptor, such as com.x.Kernel.sysKill, found '" + qualified
          + "'");
    }
    final String owner = qualified.substring(0, dot);
    final String name = qualified.substring(dot + 1);
    if (!SpecParser.isQualifiedName(owner)) {
      throw error("expected a binary class name such as com.x.Kernel, found '" + owner + "'");
    }
    if (!SpecParser.isIdentifier(name) && !name.equals("<init>")) {
      throw error("expected a method name (a Java identifier), found '" + name + "'");
    }
    if (name.equals("<init>")) {
      throw error("a constructor cannot be an entry point: it makes a new object on every call");
    }
    final String descriptor = method.substring(paren);
    final int parameters = parameterCount(descriptor);
    final String rest = space < 0 ? "" : text.substring(space).strip();
    if (!rest.startsWith("keys") || rest.length() > 4 && !Character.isWhitespace(rest.charAt(4))) {
      throw error("expected 'keys' after the method, found '" + (rest.isEmpty() ? "the end of the line"
          : rest.split("\\s+", 2)[0]) + "'");
    }
    final String afterKeys = rest.substring(4).strip();
    // Keys run up to the first option word; options are words that are not part of a key list.
    final List<String> words = List.of(afterKeys.isEmpty() ? new String[0] : afterKeys.split("\\s+"));
    int i = 0;
    final StringBuilder keyText = new StringBuilder();
    while (i < words.size() && !isOption(words.get(i))) {
      keyText.append(words.get(i)).append(' ');
      i++;
    }
    final List<String> keys = keys(keyText.toString(), parameters);
    int after = 0;
    int versions = 0;
    int backoff = 0;
    String replugger = null;
    boolean background = false;
    final List<String> seen = new ArrayList<>();
    while (i < words.size()) {
      final String option = words.get(i);
      if (!isOption(option)) {
        throw error("expected an option (after, versions, backoff, replugger, background) or the end of the line, "
            + "found '" + option + "'");
      }
      if (seen.contains(option)) {
        throw error("the option '" + option + "' is given twice");
      }
      seen.add(option);
      if (option.equals("background")) {
        background = true;
        i++;
        continue;
      }
      if (i + 1 >= words.size()) {
        throw error("expected a value after '" + option + "'");
      }
      final String value = words.get(i + 1);
      switch (option) {
        case "after" -> after = positive(option, value);
        case "versions" -> versions = positive(option, value);
        case "backoff" -> backoff = positive(option, value);
        default -> {
          if (!value.equals("counting") && !value.equals("simple")) {
            throw error("expected 'counting' or 'simple' after 'replugger', found '" + value + "'");
          }
          replugger = value;
        }
      }
      i += 2;
    }
    return new SpecEntryPoint(owner, name, descriptor, keys, after, versions, backoff, replugger, background, file,
        line);
  }

  private static boolean isOption(final String word) {
    return word.equals("after") || word.equals("versions") || word.equals("backoff") || word.equals("replugger")
        || word.equals("background");
  }

  private int positive(final String option, final String value) throws SpecException {
    try {
      final int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error("expected a whole number of at least 1 after '" + option + "', found '" + value + "'");
  }

  private List<String> keys(final String text, final int parameters) throws SpecException {
    if (text.isBlank()) {
      throw error("expected at least one key after 'keys': this, this.FIELD, argN or argN.FIELD");
    }
    final List<String> keys = new ArrayList<>();
    for (final String raw : text.split(",", -1)) {
      final String key = raw.strip();
      if (key.isEmpty()) {
        throw error("expected a key between commas: this, this.FIELD, argN or argN.FIELD");
      }
      final int dot = key.indexOf('.');
      final String base = dot < 0 ? key : key.substring(0, dot);
      if (dot >= 0 && !SpecParser.isIdentifier(key.substring(dot + 1))) {
        throw error("expected a field name (a Java identifier) after '" + base + ".', found '"
            + key.substring(dot + 1) + "'");
      }
      if (!base.equals("this")) {
        if (!base.matches("arg[0-9]+")) {
          throw error("expected a key: this, this.FIELD, argN or argN.FIELD (N from 0, the declared parameters), "
              + "found '" + key + "'");
        }
        final int n = Integer.parseInt(base.substring(3));
        if (n >= parameters) {
          throw error("the method takes " + parameters + " parameter" + (parameters == 1 ? "" : "s")
              + " (arg0 to arg" + (parameters - 1) + "), found '" + key + "'");
        }
      }
      if (keys.contains(key)) {
        throw error("the key '" + key + "' is given twice");
      }
      keys.add(key);
    }
    return keys;
  }

  /** Checks a JVM method descriptor (JVMS 4.3.3) and returns how many parameters it declares. */
  private int parameterCount(final String descriptor) throws SpecException {
    final int close = descriptor.indexOf(')');
    if (!descriptor.startsWith("(") || close < 0) {
      throw error("expected a JVM method descriptor such as (II)I or (Ljava/lang/String;)V, found '" + descriptor
          + "'");
    }
    int count = 0;
    int i = 1;
    while (i < close) {
      i = fieldType(descriptor, i, close);
      count++;
    }
    final String ret = descriptor.substring(close + 1);
    if (!ret.equals("V") && (ret.isEmpty() || fieldType(ret, 0, ret.length()) != ret.length())) {
      throw error("expected a return type (V, a primitive letter, L...; or [...) after ')' in '" + descriptor
          + "'");
    }
    return count;
  }

  /** Returns the index after the field type starting at {@code i}, or fails. */
  private int fieldType(final String d, final int start, final int end) throws SpecException {
    int i = start;
    while (i < end && d.charAt(i) == '[') {
      i++;
    }
    if (i >= end) {
      throw error("expected a type in the descriptor '" + d + "'");
    }
    final char c = d.charAt(i);
    if ("BCDFIJSZ".indexOf(c) >= 0) {
      return i + 1;
    }
    if (c == 'L') {
      final int semi = d.indexOf(';', i);
      if (semi < 0 || semi > end || semi == i + 1) {
        throw error("expected 'L' CLASS ';' in the descriptor '" + d + "'");
      }
      return semi + 1;
    }
    throw error("expected a type letter (B C D F I J S Z), L...; or [ in the descriptor '" + d + "', found '" + c
        + "'");
  }

  private static int firstSpace(final String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private SpecException error(final String expected) {
    return new SpecException(file, line, expected);
  }
}
