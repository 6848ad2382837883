package org.quasi.typeguard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.quasi.typeguard.Problem;

/**
 * Reads every class file of a class path into memory: directories, jars, and modules of the running JDK through the
 * {@code jrt:/} file system. What cannot be read becomes a {@link Problem} and the rest is still read.
 *
 * @implNote {@code module-info.class} files are skipped (they hold no code). Entries under
 *     {@code META-INF/versions/N/} of multi-release jars are read too, since any of them may run; they are not used
 *     to resolve the hierarchy, for which the base entry stands.
 */
public final class ClassPathReader {

  private final List<ClassFile> files = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();

  /** {@return the class files read so far, in class path order} */
  public List<ClassFile> files() {
    return files;
  }

  /** {@return the problems met so far} */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * Reads a directory or a jar.
   *
   * @param entry the path as the user gave it
   */
  public void addEntry(final Path entry) {
    final String label = entry.toString();
    if (!Files.exists(entry)) {
      problems.add(new Problem(Problem.Kind.MISSING_ENTRY, label,
          "Class path entry " + label + " does not exist; skipped."));
    } else if (Files.isDirectory(entry)) {
      addDirectory(entry, label);
    } else if (Files.isRegularFile(entry) && Files.isReadable(entry)) {
      addJar(entry, label);
    } else {
      problems.add(new Problem(Problem.Kind.UNREADABLE_ENTRY, label,
          "Class path entry " + label + " is neither a directory nor a readable jar; skipped."));
    }
  }

  /**
   * Reads modules of the running JDK.
   *
   * @param modules module names to read; empty means all of them
   */
  public void addJdk(final Collection<String> modules) {
    final FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    final Path root = jrt.getPath("/modules");
    final List<Path> selected = new ArrayList<>();
    try (Stream<Path> all = Files.list(root)) {
      all.sorted().forEach(m -> {
        if (modules.isEmpty() || modules.contains(m.getFileName().toString())) {
          selected.add(m);
        }
      });
    } catch (IOException e) {
      problems.add(new Problem(Problem.Kind.UNREADABLE_ENTRY, "jrt:/", "The JDK image cannot be listed ("
          + e.getMessage() + "); the JDK was not analysed."));
      return;
    }
    for (final String wanted : modules) {
      if (selected.stream().noneMatch(m -> m.getFileName().toString().equals(wanted))) {
        problems.add(new Problem(Problem.Kind.MISSING_ENTRY, "jrt:/" + wanted,
            "The running JDK has no module " + wanted + "; skipped."));
      }
    }
    for (final Path module : selected) {
      addDirectory(module, "jrt:/" + module.getFileName());
    }
  }

  private void addDirectory(final Path dir, final String label) {
    final List<Path> classFiles;
    try (Stream<Path> walk = Files.walk(dir)) {
      classFiles = walk.filter(p -> p.getFileName() != null && p.getFileName().toString().endsWith(".class"))
          .sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      problems.add(new Problem(Problem.Kind.UNREADABLE_ENTRY, label,
          "Directory " + label + " cannot be walked (" + e.getMessage() + "); skipped."));
      return;
    }
    for (final Path file : classFiles) {
      final String relative = dir.relativize(file).toString().replace('\\', '/');
      try {
        add(label, relative, Files.readAllBytes(file));
      } catch (IOException e) {
        problems.add(new Problem(Problem.Kind.UNPARSABLE_CLASS, label + "!" + relative,
            "Class file " + relative + " in " + label + " cannot be read (" + e.getMessage() + "); skipped."));
      }
    }
  }

  private void addJar(final Path jar, final String label) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      final Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        final ZipEntry e = entries.nextElement();
        if (e.isDirectory() || !e.getName().endsWith(".class")) {
          continue;
        }
        try (InputStream in = zip.getInputStream(e)) {
          add(label, e.getName(), in.readAllBytes());
        } catch (IOException | RuntimeException ex) {
          problems.add(new Problem(Problem.Kind.UNPARSABLE_CLASS, label + "!" + e.getName(),
              "Entry " + e.getName() + " of " + label + " cannot be read (" + ex.getMessage() + "); skipped."));
        }
      }
    } catch (ZipException e) {
      problems.add(new Problem(Problem.Kind.CORRUPT_JAR, label,
          "Jar " + label + " is corrupt (" + e.getMessage() + "); skipped."));
    } catch (IOException | RuntimeException e) {
      problems.add(new Problem(Problem.Kind.CORRUPT_JAR, label,
          "Jar " + label + " cannot be read (" + e.getMessage() + "); skipped."));
    }
  }

  private void add(final String label, final String relative, final byte[] bytes) {
    if (relative.endsWith("module-info.class")) {
      return;
    }
    String name = relative.substring(0, relative.length() - ".class".length());
    if (name.startsWith("META-INF/versions/")) {
      final int slash = name.indexOf('/', "META-INF/versions/".length());
      name = slash < 0 ? name : name.substring(slash + 1);
    }
    files.add(new ClassFile(name, label, relative, bytes));
  }
}
