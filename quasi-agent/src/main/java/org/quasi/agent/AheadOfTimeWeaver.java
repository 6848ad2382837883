package org.quasi.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Weaving ahead of time: {@code ./quasi weave --class-path CP --spec FILE --out DIR} writes every class of the class
 * path (directories and jars) into {@code DIR}, woven where needed and copied otherwise, with the other resources,
 * so that {@code java -cp DIR:quasi-runtime.jar Main} runs the guarded program. An earlier entry wins over a later
 * one with the same name, as on a class path.
 *
 * @since 0.1
 */
public final class AheadOfTimeWeaver {

  /**
   * What one run did.
   *
   * @param batchedWrites guarded writes that share one QUID test with adjacent writes to the same object
   * @param sideTableWrites guarded writes to fields of classes that cannot be woven
   * @param reroutedCalls {@code Field.set*} call sites bracketed by {@code org.quasi.runtime.ReflectiveWrites}
   * @param unrewritableSites call sites that may write a field and bypass the guard (for MemGuard), one line each
   * @param entryPoints the entry lines woven, as {@code FILE:LINE}
   * @param entryProblems the entry lines that could not be woven, with why (their methods run as written)
   */
  public record Report(int classesRead, int classesWoven, int guardedWrites, List<String> quidHolders,
      List<String> unresolvedSpecEntries, int batchedWrites, int sideTableWrites, int reroutedCalls,
      List<String> unrewritableSites, List<String> entryPoints, List<String> entryProblems) {
  }

  private AheadOfTimeWeaver() {
  }

  /**
   * Weaves {@code classPath} into {@code out} (created if absent).
   *
   * @throws ClassPathException if a class path entry does not exist or is neither a directory nor a jar, or a
   *     {@code .class} file in it is not a readable class file (the message names it): the caller's input
   * @throws IllegalStateException when the weaver fails on a class file it could read ({@link Weaver#weave}: the
   *     message names the class): a fault or a limit of the weaver, not of the input
   * @throws UncheckedIOException when reading the class path or writing fails after its entries were checked
   */
  public static Report weave(final List<Path> classPath, final GuardSpec spec, final Path out) {
    return weave(classPath, spec, WeaveOptions.defaults(), out);
  }

  /** As {@link #weave(List, GuardSpec, Path)}, with {@code options} (strict mode, classes that cannot be woven). */
  public static Report weave(final List<Path> classPath, final GuardSpec spec, final WeaveOptions options,
      final Path out) {
    Objects.requireNonNull(out, "out");
    for (final Path p : classPath) {
      checkEntry(p);
    }
    final Weaver weaver = new Weaver(spec, ClassBytes.of(classPath), options);
    final Counts counts = new Counts();
    try {
      Files.createDirectories(out);
      for (final Path entry : classPath) {
        if (Files.isDirectory(entry)) {
          try (Stream<Path> files = Files.walk(entry)) {
            for (final Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
              emit(weaver, counts, entry, entry.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f),
                  out);
            }
          }
        } else {
          try (ZipFile zip = new ZipFile(entry.toFile())) {
            for (final Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
              final ZipEntry z = e.nextElement();
              if (!z.isDirectory() && !z.getName().startsWith("META-INF/")) {
                try (InputStream in = zip.getInputStream(z)) {
                  emit(weaver, counts, entry, z.getName(), in.readAllBytes(), out);
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("weaving into " + out + " failed: " + e.getMessage(), e);
    }
    for (final org.quasi.typeguard.spec.SpecEntryPoint e : spec.entryPoints()) {
      final boolean met = counts.entryPoints.contains(e.where())
          || counts.entryProblems.stream().anyMatch(p -> p.startsWith("entry " + e.where() + " "));
      if (!met) {
        counts.entryProblems.add("entry " + e.where() + " " + e.method() + ": class " + e.owner()
            + " is not on the class path");
      }
    }
    return new Report(counts.read, counts.woven, counts.writes, List.copyOf(counts.holders),
        weaver.unresolvedSpecEntries(), counts.batched, counts.sideTable, counts.rerouted,
        List.copyOf(counts.unrewritable), List.copyOf(counts.entryPoints), List.copyOf(counts.entryProblems));
  }

  /** An entry is a directory or a file that opens as a jar; anything else is the caller's mistake. */
  private static void checkEntry(final Path entry) {
    if (!Files.exists(entry)) {
      throw new ClassPathException("class path entry " + entry + " does not exist", null);
    }
    if (Files.isDirectory(entry)) {
      return;
    }
    try (ZipFile zip = new ZipFile(entry.toFile())) {
      // Opening reads the jar's central directory: enough to know it is one.
    } catch (IOException e) {
      throw new ClassPathException("class path entry " + entry + " is neither a directory nor a jar ("
          + e.getMessage() + ")", e);
    }
  }

  private static void emit(final Weaver weaver, final Counts counts, final Path entry, final String name,
      final byte[] bytes, final Path out) throws IOException {
    final Path target = out.resolve(name);
    if (counts.seen.contains(name)) {
      return;
    }
    counts.seen.add(name);
    byte[] written = bytes;
    if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
      counts.read++;
      final Weaver.Result r;
      try {
        r = weaver.weave(bytes);
      } catch (IllegalArgumentException e) {
        // Weaver.weave throws it only for bytes that are not a readable class file; its IllegalStateException (a
        // readable class it failed on, named) is the weaver's fault and goes on as it is.
        throw new ClassPathException(name + " in " + entry + ": " + e.getMessage(), e);
      }
      counts.unrewritable.addAll(r.unrewritableSites());
      counts.entryPoints.addAll(r.entryPoints());
      counts.entryProblems.addAll(r.problems());
      if (r.changed()) {
        counts.woven++;
        counts.writes += r.guardedWrites();
        counts.batched += r.batchedWrites();
        counts.sideTable += r.sideTableWrites();
        counts.rerouted += r.reroutedCalls();
        if (r.quidAdded()) {
          counts.holders.add(r.className());
        }
        written = r.bytes();
      }
    }
    Files.createDirectories(target.getParent());
    Files.write(target, written);
  }

  /** Mutable tallies of one run. */
  private static final class Counts {
    final java.util.Set<String> seen = new java.util.HashSet<>();
    final List<String> holders = new ArrayList<>();
    final List<String> unrewritable = new ArrayList<>();
    final List<String> entryPoints = new ArrayList<>();
    final List<String> entryProblems = new ArrayList<>();
    int read;
    int batched;
    int sideTable;
    int rerouted;
    int woven;
    int writes;
  }
}
