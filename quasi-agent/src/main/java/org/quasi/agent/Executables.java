package org.quasi.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a command's launcher can be started, checked before a child JVM is launched so that a mistyped launcher is
 * the user's error, told at once, rather than a failure of the child (shadow mode and MemGuard both launch one).
 */
public final class Executables {

  private Executables() {
  }

  /**
   * Whether {@code launcher} names an executable file: as a path when it has a directory, else in a directory of the
   * {@code PATH}, as {@code ProcessBuilder} looks it up.
   */
  public static boolean isExecutable(final String launcher) {
    final Path path = Path.of(launcher);
    if (path.getParent() != null) {
      return Files.isRegularFile(path) && Files.isExecutable(path);
    }
    final String dirs = System.getenv("PATH");
    if (dirs == null) {
      return false;
    }
    // Windows finds java.exe for java.
    final List<String> names = File.separatorChar == '\\' ? List.of(launcher, launcher + ".exe") : List.of(launcher);
    for (final String dir : dirs.split(File.pathSeparator)) {
      for (final String name : names) {
        final Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return true;
        }
      }
    }
    return false;
  }
}
