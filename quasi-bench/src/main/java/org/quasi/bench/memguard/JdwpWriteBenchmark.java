package org.quasi.bench.memguard;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.memguard.MemGuard;

/**
 * What does one write cost while MemGuard's JDWP mechanism watches the field: to the protected object (a trapped
 * write, the paper's "MemGuard write"), and to another object of the same class (filtered out by the JDWP agent)?
 *
 * <p><b>Setup.</b> The fork runs with a JDWP server agent on {@code 127.0.0.1} ({@link JdwpWatcherProcess#AGENT});
 * at trial setup it starts {@link JdwpWatcher} in another process, which attaches over loopback and runs the same
 * {@code WatchSession} as {@code ./quasi memguard --jdwp}; then the benchmark calls {@code MemGuard.protect} on one
 * {@link MemCell} (as compiled), whose breakpoint makes the watcher add a watchpoint on {@code MemCell.value} filtered to
 * that cell. Every
 * write to it then stops the writing thread, sends the event to the watcher, which reads the thread's stack and the
 * values over the connection, logs (counts) the write and resumes the thread: the measured time is that round trip.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JdwpWatcherProcess.AGENT, JdwpWatcherProcess.EXPORTS})
public class JdwpWriteBenchmark {

  private final IntCell protectedCell = Cells.plain();
  private final IntCell otherCell = Cells.plain();
  private JdwpWatcherProcess watcher;
  private int x;

  @Setup(Level.Trial)
  public void attachTheWatcherAndProtect() throws Exception {
    MemGuard.enable();
    watcher = JdwpWatcherProcess.start();
    MemGuard.protect(protectedCell, "value");
  }

  @TearDown(Level.Trial)
  public void detach() throws InterruptedException {
    watcher.close();
    MemGuard.release(protectedCell, "value");
    MemGuard.disable();
  }

  /** A write to the protected cell: trapped, reported, resumed. */
  @Benchmark
  public void jdwpTrappedWrite() {
    protectedCell.set(++x);
  }

  /** The same field of an unprotected cell: the JVM posts the event, the agent's instance filter drops it. */
  @Benchmark
  public void jdwpFilteredWrite() {
    otherCell.set(++x);
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench memguard          (or: ./quasi bench memguard --only JdwpWriteBenchmark)
   *
   * jdwpTrappedWrite is the JDWP row of the paper's Table 1 (1,971 cycles for a page-protection trap on a 100 MHz
   * Pentium, about 20 us): expect tens to hundreds of microseconds, dominated by the loopback round trips (event,
   * frames, values, identity hash on the first write, resume) and by the scheduling of two processes on a shared
   * machine. jdwpFilteredWrite shows what every other write of a watched field pays: the interpreter's check and the
   * JVMTI post into the agent, no round trip. Compare both with the memguard group's normal write.
   */
}
