package org.quasi.typeguard;

import java.util.Comparator;
import java.util.Objects;

/**
 * Where a finding is: a class, optionally a method and an instruction, and how to find the file.
 *
 * @param className the binary name of the class containing the site, with dots
 * @param methodName the method name, or {@code null} for a finding about the class as a whole
 * @param methodDesc the method descriptor, or {@code null} with {@code methodName}
 * @param sourceFile the {@code SourceFile} attribute (such as {@code Task.java}), or {@code null} if absent
 * @param line the source line, or {@code -1} if the class has no line numbers there
 * @param classPathEntry the class path entry the class came from, as given (a directory, a jar, or
 *     {@code jrt:/MODULE})
 * @param classFile the class file's path relative to that entry, with slashes, such as {@code com/x/Task.class}
 * @param insnIndex the instruction's index in the method's instruction list, or {@code -1}
 * @since 0.1
 */
public record Site(String className, String methodName, String methodDesc, String sourceFile, int line,
    String classPathEntry, String classFile, int insnIndex) implements Comparable<Site> {

  private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<Site> ORDER = Comparator.comparing(Site::className)
      .thenComparing(Site::line)
      .thenComparing(Site::methodName, NULLS_FIRST)
      .thenComparing(Site::methodDesc, NULLS_FIRST)
      .thenComparing(Site::insnIndex);

  /** Checks the required parts. */
  public Site {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(classPathEntry, "classPathEntry");
    Objects.requireNonNull(classFile, "classFile");
  }

  /**
   * {@return the source path relative to a source root, derived from the package and the SourceFile attribute (such
   * as {@code com/x/Task.java}), or {@code null} when the class has no SourceFile attribute}
   */
  public String sourcePath() {
    if (sourceFile == null) {
      return null;
    }
    final int slash = classFile.lastIndexOf('/');
    final String dir = classFile.startsWith("META-INF/versions/") ? packageDir() : classFile.substring(0, slash + 1);
    return dir + sourceFile;
  }

  private String packageDir() {
    final int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot + 1).replace('.', '/');
  }

  /** {@return {@code Class.method(desc)} or just the class, for messages} */
  public String member() {
    return methodName == null ? className : className + "." + methodName + methodDesc;
  }

  @Override
  public int compareTo(final Site other) {
    return ORDER.compare(this, other);
  }
}
