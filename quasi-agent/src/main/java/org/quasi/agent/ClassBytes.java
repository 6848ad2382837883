package org.quasi.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where the weaver reads the class files it needs besides the one being woven: superclasses (to resolve a field
 * reference as the JVM does, JVMS 5.4.3.2, and to compute stack map frames) and the declarations of quasi-invariant
 * fields. Never loads a class.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ClassBytes {

  /** Returns the class file of {@code internalName} ({@code com/x/Task}), or {@code null} when it is not found. */
  byte[] find(String internalName);

  /** Class files as resources of {@code loader} (the system loader's parent chain when {@code loader} is null). */
  static ClassBytes of(final ClassLoader loader) {
    return name -> {
      final String resource = name + ".class";
      try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
          : loader.getResourceAsStream(resource)) {
        return in == null ? null : in.readAllBytes();
      } catch (IOException e) {
        return null;
      }
    };
  }

  /**
   * Class files from a class path of directories and jars, searched in order, then the running JDK's
   * ({@code java/lang/Object} and the like) through the platform loader.
   */
  static ClassBytes of(final List<Path> classPath) {
    final ClassBytes jdk = of(ClassLoader.getPlatformClassLoader());
    return name -> {
      for (final Path entry : classPath) {
        try {
          if (Files.isDirectory(entry)) {
            final Path file = entry.resolve(name + ".class");
            if (Files.isRegularFile(file)) {
              return Files.readAllBytes(file);
            }
          } else if (Files.isRegularFile(entry)) {
            try (ZipFile zip = new ZipFile(entry.toFile())) {
              final ZipEntry e = zip.getEntry(name + ".class");
              if (e != null) {
                try (InputStream in = zip.getInputStream(e)) {
                  return in.readAllBytes();
                }
              }
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + name + ".class from " + entry + ": " + e.getMessage(), e);
        }
      }
      return jdk.find(name);
    };
  }
}
