package org.quasi.typeguard.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the line-oriented spec format of {@code docs/SPEC.md}:
 *
 * <pre>{@code
 * quasi-spec 1
 * # the credentials of a task change only through setuid()
 * quasi-invariant com.example.Task.uid
 * quasi-invariant com.example.Task.{euid, gid}
 * }</pre>
 *
 * <p>The first line that is neither blank nor a comment must be the header {@code quasi-spec 1} or
 * {@code quasi-spec 2}. Every other line is blank, a comment (from {@code #} to the end of the line, also after a
 * declaration), or a declaration {@code quasi-invariant OWNER.FIELD} or {@code quasi-invariant OWNER.{FIELD,
 * FIELD...}}, where OWNER is a binary class name such as {@code com.x.Outer$Inner}; version 2 adds entry points,
 * {@code entry OWNER.NAME(DESCRIPTOR) keys KEY, ... [options]} ({@link SpecEntryPoint}). Errors carry
 * {@code FILE:LINE}. The parser checks syntax only (and that key arguments exist in the descriptor); whether the
 * classes, fields and methods exist is for the tool that uses the spec to say.
 *
 * @since 0.1
 */
public final class SpecParser {

  private static final String HEADER = "quasi-spec";
  private static final String QUASI_INVARIANT = "quasi-invariant";
  private static final String ENTRY = "entry";

  private SpecParser() {
  }

  /**
   * Parses a spec file.
   *
   * @param file the file, read as UTF-8
   * @return the spec
   * @throws SpecException if the text does not follow the format; the message names the file and line
   * @throws IOException if the file cannot be read
   */
  public static QuasiSpec parse(final Path file) throws SpecException, IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Parses spec text.
   *
   * @param fileName the name used in error messages and in {@link SpecEntry#file()}
   * @param text the whole text
   * @return the spec
   * @throws SpecException if the text does not follow the format
   */
  public static QuasiSpec parse(final String fileName, final String text) throws SpecException {
    final String[] lines = text.split("\r\n|\r|\n", -1);
    int version = -1;
    final List<SpecEntry> entries = new ArrayList<>();
    final List<SpecEntryPoint> entryPoints = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      final int lineNo = i + 1;
      final String line = stripComment(lines[i]).strip();
      if (line.isEmpty()) {
        continue;
      }
      final String[] words = line.split("\\s+", 2);
      if (version < 0) {
        version = parseHeader(fileName, lineNo, words);
        continue;
      }
      if (words[0].equals(ENTRY)) {
        if (version < 2) {
          throw new SpecException(fileName, lineNo, "'entry' lines need the header 'quasi-spec 2' (this file "
              + "says 'quasi-spec " + version + "')");
        }
        entryPoints.add(EntryLineParser.parse(fileName, lineNo, words.length < 2 ? "" : words[1]));
        continue;
      }
      if (!words[0].equals(QUASI_INVARIANT)) {
        throw new SpecException(fileName, lineNo, "expected 'quasi-invariant OWNER.FIELD'"
            + (version >= 2 ? ", 'entry OWNER.NAME(DESCRIPTOR) keys ...'" : "") + ", a comment '#' or a blank "
            + "line, found '" + words[0] + "'");
      }
      if (words.length < 2) {
        throw new SpecException(fileName, lineNo, "expected OWNER.FIELD after 'quasi-invariant'");
      }
      parseFields(fileName, lineNo, words[1].strip(), entries);
    }
    if (version < 0) {
      throw new SpecException(fileName, Math.max(1, lines.length), "expected the header 'quasi-spec 2' "
          + "(or 'quasi-spec 1')");
    }
    return new QuasiSpec(version, entries, entryPoints);
  }

  private static int parseHeader(final String fileName, final int lineNo, final String[] words)
      throws SpecException {
    if (!words[0].equals(HEADER) || words.length < 2) {
      throw new SpecException(fileName, lineNo, "expected the header 'quasi-spec 2' (or 'quasi-spec 1') as the "
          + "first line");
    }
    final int version;
    try {
      version = Integer.parseInt(words[1].strip());
    } catch (NumberFormatException e) {
      throw new SpecException(fileName, lineNo, "expected a version number after 'quasi-spec', found '"
          + words[1].strip() + "'");
    }
    if (version < QuasiSpec.OLDEST_VERSION || version > QuasiSpec.CURRENT_VERSION) {
      throw new SpecException(fileName, lineNo, "expected version " + QuasiSpec.OLDEST_VERSION + " or "
          + QuasiSpec.CURRENT_VERSION + " (the versions this tool reads), found " + version);
    }
    return version;
  }

  private static void parseFields(final String fileName, final int lineNo, final String text,
      final List<SpecEntry> out) throws SpecException {
    final int brace = text.indexOf('{');
    if (brace < 0) {
      final int dot = text.lastIndexOf('.');
      if (dot <= 0 || dot == text.length() - 1) {
        throw new SpecException(fileName, lineNo, "expected OWNER.FIELD such as com.x.Task.uid, found '" + text + "'");
      }
      out.add(entry(fileName, lineNo, text.substring(0, dot), text.substring(dot + 1)));
      return;
    }
    if (brace == 0 || text.charAt(brace - 1) != '.' || !text.endsWith("}")) {
      throw new SpecException(fileName, lineNo, "expected OWNER.{FIELD, FIELD} such as com.x.Task.{uid, euid}, found '"
          + text + "'");
    }
    final String owner = text.substring(0, brace - 1);
    final String inside = text.substring(brace + 1, text.length() - 1);
    if (inside.isBlank()) {
      throw new SpecException(fileName, lineNo, "expected at least one field name between '{' and '}'");
    }
    for (final String name : inside.split(",", -1)) {
      out.add(entry(fileName, lineNo, owner, name.strip()));
    }
  }

  private static SpecEntry entry(final String fileName, final int lineNo, final String owner, final String name)
      throws SpecException {
    if (!isQualifiedName(owner)) {
      throw new SpecException(fileName, lineNo, "expected a binary class name such as com.x.Task, found '"
          + owner + "'");
    }
    if (!isIdentifier(name)) {
      throw new SpecException(fileName, lineNo, "expected a field name (a Java identifier), found '" + name + "'");
    }
    return new SpecEntry(owner, name, fileName, lineNo);
  }

  private static String stripComment(final String line) {
    final int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }

  static boolean isQualifiedName(final String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (final String part : s.split("\\.", -1)) {
      if (!isIdentifier(part)) {
        return false;
      }
    }
    return true;
  }

  static boolean isIdentifier(final String s) {
    if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!Character.isJavaIdentifierPart(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
