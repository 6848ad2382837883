package org.quasi.memguard;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.quasi.agent.QuasiAgent;
import org.quasi.memguard.internal.LoadTimeTraps;
import org.quasi.memguard.internal.TrapRewriter;
import org.quasi.memguard.internal.Traps;
import org.quasi.typeguard.spec.SpecEntry;
import org.quasi.typeguard.spec.SpecException;
import org.quasi.typeguard.spec.SpecParser;

/**
 * The MemGuard agent: {@code java -javaagent:quasi-memguard-agent.jar=memguard[,spec=FILE][,log=FILE][,verify-every=N] ...}
 * (what {@code ./quasi memguard} starts).
 *
 * <ol>
 *   <li>Weaves guarded writes as quasi-agent does (the spec's fields and {@code @QuasiInvariant} ones), so that what
 *       is guarded is not reported.
 *   <li>Traps the rest ({@link org.quasi.memguard.internal.TrapRewriter}): with a spec, {@code putfield}/{@code
 *       putstatic} to fields named like a spec entry, and every reflective, handle, var handle, updater and Unsafe
 *       write; without a spec, every {@code putfield}/{@code putstatic} and array store as well.
 *   <li>Enables MemGuard; with a spec, protects each spec field on every instance (or the static field), by name,
 *       resolved against each written object's class when a write is checked ({@link MemGuard#protectSpecEntry});
 *       with {@code verify-every=N}, verifies every N-th call of each specialized version.
 *   <li>At exit, writes the log ({@link MemGuardLog} text) to {@code log=FILE}, or to standard error.
 * </ol>
 *
 * <p>Bad options or a malformed spec stop the JVM at startup with a message ({@code FILE:LINE: ...} for the spec).
 *
 * @implNote Dynamic {@link MemGuard#protect} of a field outside the spec, in a run with a spec, is seen by the
 *     reflective, handle, updater and Unsafe traps and the verifier, not by {@code putfield} traps (the filter is the
 *     spec, to keep the rest of the program untouched).
 * @since 0.1
 */
public final class MemGuardAgent {

  private MemGuardAgent() {
  }

  /** Parsed agent options. */
  record Options(Path spec, Path log, int verifyEvery) {
  }

  /**
   * Entry point of {@code -javaagent}.
   *
   * @throws IllegalArgumentException for bad options or a malformed spec (the JVM then does not start)
   */
  public static void premain(final String args, final Instrumentation instrumentation) {
    final Options options = parse(args);
    Set<String> fieldNames = null;
    final Set<SpecEntry> entries = new LinkedHashSet<>();
    if (options.spec() != null) {
      try {
        entries.addAll(SpecParser.parse(options.spec()).quasiInvariants());
      } catch (SpecException e) {
        throw new IllegalArgumentException("memguard: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new IllegalArgumentException("memguard: cannot read the spec file " + options.spec() + ": " + e, e);
      }
      fieldNames = new LinkedHashSet<>();
      for (final SpecEntry e : entries) {
        fieldNames.add(e.name());
      }
    }
    QuasiAgent.premain(options.spec() == null ? null : options.spec().toString(), instrumentation);
    instrumentation.addTransformer(new LoadTimeTraps(new TrapRewriter(fieldNames), System.err));
    MemGuard.verifyEvery(options.verifyEvery());
    MemGuard.enable();
    for (final SpecEntry e : entries) {
      MemGuard.protectSpecEntry(e.owner(), e.name());
    }
    final Path log = options.log();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> writeLog(log), "memguard-log"));
  }

  static Options parse(final String args) {
    Path spec = null;
    Path log = null;
    int every = 0;
    if (args != null && !args.isBlank()) {
      for (final String option : args.split(",")) {
        final String o = option.strip();
        if (o.equals("memguard") || o.isEmpty()) {
          continue;
        }
        final int eq = o.indexOf('=');
        final String name = eq < 0 ? o : o.substring(0, eq);
        final String value = eq < 0 ? "" : o.substring(eq + 1);
        switch (name) {
          case "spec" -> spec = Path.of(value);
          case "log" -> log = Path.of(value);
          case "verify-every" -> {
            try {
              every = Integer.parseInt(value);
            } catch (NumberFormatException e) {
              every = -1;
            }
            if (every < 0) {
              throw new IllegalArgumentException("memguard: verify-every=" + value + ": expected a count >= 0");
            }
          }
          default -> throw new IllegalArgumentException("memguard: unknown agent option '" + o
              + "'; expected memguard[,spec=FILE][,log=FILE][,verify-every=N]");
        }
      }
    }
    return new Options(spec, log, every);
  }

  private static void writeLog(final Path file) {
    final MemGuardLog log = MemGuard.log();
    if (file == null) {
      final PrintStream err = System.err;
      err.print(log.text());
      err.flush();
      return;
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      log.writeTo(out);
    } catch (IOException e) {
      System.err.println("memguard: cannot write the log " + file + ": " + e);
      System.err.print(log.text());
    }
  }
}
