package org.quasi.specializer.validate.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The class names of a class path: directories and jars are listed entry by entry; an entry {@code jrt:/MODULE}
 * (for instance {@code jrt:/java.base}) lists the classes of a module of the running JDK.
 */
public final class ClassPathScanner {
  private ClassPathScanner() {
  }

  /**
   * Splits a class path written with the platform's path separator into entries; {@code jrt:/MODULE} stays one
   * entry even where the separator is ':'.
   */
  public static List<String> split(final String classPath) {
    final List<String> out = new ArrayList<>();
    final String[] parts = classPath.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator), -1);
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].equals("jrt") && i + 1 < parts.length && parts[i + 1].startsWith("/")) {
        out.add("jrt:" + parts[++i]);
      } else if (!parts[i].isEmpty()) {
        out.add(parts[i]);
      }
    }
    return out;
  }

  /** Returns the binary names of the classes in {@code entries}, sorted, without {@code module-info}s. */
  public static List<String> classNames(final List<String> entries) {
    final TreeSet<String> names = new TreeSet<>();
    for (final String entry : entries) {
      try {
        if (entry.startsWith("jrt:/")) {
          final FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
          final Path root = jrt.getPath("/modules", entry.substring("jrt:/".length()));
          if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no module " + entry.substring(5) + " in the running JDK");
          }
          addTree(root, names);
        } else if (Files.isDirectory(Path.of(entry))) {
          addTree(Path.of(entry), names);
        } else if (Files.isRegularFile(Path.of(entry))) {
          try (ZipFile zip = new ZipFile(entry)) {
            for (final Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
              add(e.nextElement().getName(), names);
            }
          }
        } else {
          throw new IllegalArgumentException("class path entry " + entry + " does not exist");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read class path entry " + entry + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(names);
  }

  /** Returns the URLs of the entries a class loader needs (the {@code jrt:/} ones are the JDK's own). */
  public static URL[] urls(final List<String> entries) {
    final List<URL> urls = new ArrayList<>();
    for (final String entry : entries) {
      if (!entry.startsWith("jrt:/")) {
        try {
          urls.add(Path.of(entry).toUri().toURL());
        } catch (IOException e) {
          throw new IllegalArgumentException("class path entry " + entry + " is not a valid path", e);
        }
      }
    }
    return urls.toArray(new URL[0]);
  }

  private static void addTree(final Path root, final TreeSet<String> names) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).forEach(p -> add(root.relativize(p).toString().replace('\\', '/'), names));
    }
  }

  private static void add(final String path, final TreeSet<String> names) {
    if (path.endsWith(".class") && !path.endsWith("module-info.class") && !path.endsWith("package-info.class")
        && !path.startsWith("META-INF/")) {
      names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
  }
}
