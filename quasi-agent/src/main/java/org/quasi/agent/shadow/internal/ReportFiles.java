package org.quasi.agent.shadow.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import org.quasi.agent.shadow.ShadowOptions;
import org.quasi.agent.shadow.ShadowReport;

/**
 * The report files a shadowed program leaves: the JSON report and the text summary the options name. The last
 * report is written at the program's exit ({@link #last}); before that, so that a program that ends without running
 * its shutdown hooks (killed by the system's out-of-memory killer, {@code Runtime.halt}, a JVM crash) still leaves
 * what was seen up to then, a report is written when the agent starts and after sampled invocations, at most once a
 * second ({@link #progress}). Each file is replaced by an atomic move, so a reader finds a whole report or the one
 * before it.
 */
public final class ReportFiles {
  /** The least time between two reports written during the run: a write costs the sampled thread a millisecond. */
  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private final ShadowOptions options;
  private final PrintStream err;
  private long lastWrite;
  private boolean written;
  private boolean closed;
  private boolean failed;

  /**
   * @param options the run's options: the files are {@link ShadowOptions#report()} and {@link ShadowOptions#summary()}
   * @param err     where the last report goes when there is no summary file, and failures to write
   */
  public ReportFiles(final ShadowOptions options, final PrintStream err) {
    this.options = options;
    this.err = err;
  }

  /**
   * Writes the report so far, unless one was written less than a second ago, the last one was written, or the
   * options name no files. Never throws: a failure is printed once and the program goes on.
   */
  public synchronized void progress(final Supplier<ShadowReport> report) {
    final long now = System.nanoTime();
    if (closed || failed || options.report() == null && options.summary() == null
        || written && now - lastWrite < INTERVAL_NANOS) {
      return;
    }
    written = true;
    lastWrite = now;
    try {
      write(report.get());
    } catch (IOException | RuntimeException e) {
      failed = true;
      err.println("quasi shadow: cannot write the report during the run (the report at exit will be tried): " + e);
    }
  }

  /** Writes the report at the program's exit, and no other after it; without a summary file, prints the summary. */
  public synchronized void last(final ShadowReport report) {
    closed = true;
    try {
      write(report);
      if (options.summary() == null) {
        err.print(report.text());
      }
    } catch (IOException e) {
      err.println("quasi shadow: cannot write the report: " + e);
      err.print(report.text());
    }
  }

  private void write(final ShadowReport report) throws IOException {
    if (options.report() != null) {
      replace(options.report(), report.json());
    }
    if (options.summary() != null) {
      replace(options.summary(), report.text());
    }
  }

  /**
   * Where the next version of {@code file} is written before it replaces it: a program killed while writing leaves it
   * behind, for the launcher to delete.
   */
  public static Path pending(final Path file) {
    return file.resolveSibling(file.getFileName() + ".next");
  }

  private static void replace(final Path file, final String text) throws IOException {
    final Path next = pending(file);
    Files.writeString(next, text, StandardCharsets.UTF_8);
    try {
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // A file system without atomic renames: a reader may then meet a half-written file, not a lost one.
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
