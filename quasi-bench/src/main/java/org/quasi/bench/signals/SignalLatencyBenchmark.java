package org.quasi.bench.signals;

import static org.quasi.cases.signals.Signals.SIGUSR1;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.Population;
import org.quasi.cases.signals.Task;
import org.quasi.cases.signals.Variant;

/*
 * The question: how long does one kill take, from the system call to the return to user mode, on the kernel model
 * of Linux 2.0? This is the paper's Tables 3, 4 and 5.
 *
 * As in the paper, a process signals itself: the signal is delivered (its handler runs) on the way back to user
 * mode of the very kill that sent it, so one benchmark operation is one complete send-and-deliver. The process was
 * forked last, so it sits at the end of the task list and kill_proc's search walks all of it, as it did on the
 * paper's machine, where the benchmark program was started after the X server, the xterms and the shells.
 *
 * - sigusr1 (Table 3): SIGUSR1 with a handler, on a multi-user system of 62 processes.
 * - sig0 (Table 4): signal 0, which only checks that the process exists and may be signalled: the system call
 *   without delivery, which the paper's specialization reduced to a null call.
 * - singleUser (Table 5): SIGUSR1 with a handler, in single-user mode (10 processes).
 *
 * Each runs on every variant of the kernel (the "variant" parameter; see Variant): the generic port, the
 * hand-specialized kernel, and, once the specializer exists, the Quasi-specialized one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SignalLatencyBenchmark {

  /** Processes on the paper's multi-user system (Tables 3 and 4). */
  public static final int MULTI_USER_PROCESSES = 62;
  /** Processes in single-user mode (Table 5: "about 10"). */
  public static final int SINGLE_USER_PROCESSES = 10;

  /** Which kernel: a {@link Variant}'s parameter name. */
  @Param({"generic", "hand", "quasi"})
  public String variant;

  /** The multi-user kernel, with the benchmark process current. */
  private Kernel multiUser;
  /** The benchmark process's pid there. */
  private int multiUserPid;
  /** Its handler. */
  private CountingHandler multiUserHandler;

  /** The single-user kernel, with the benchmark process current. */
  private Kernel singleUser;
  /** The benchmark process's pid there. */
  private int singleUserPid;
  /** Its handler. */
  private CountingHandler singleUserHandler;

  @Setup
  public void boot() {
    Variant v = Variant.named(variant);
    multiUser = v.boot();
    multiUserHandler = new CountingHandler();
    multiUserPid = benchmarkProcess(multiUser, MULTI_USER_PROCESSES, multiUserHandler).pid();
    singleUser = v.boot();
    singleUserHandler = new CountingHandler();
    singleUserPid = benchmarkProcess(singleUser, SINGLE_USER_PROCESSES, singleUserHandler).pid();
  }

  /** Builds a system of {@code processes} processes whose last one, current, catches SIGUSR1. */
  static Task benchmarkProcess(final Kernel kernel, final int processes, final CountingHandler handler) {
    Population.background(kernel, processes - 2); // init and the benchmark process make up the rest
    Task self = Population.userProcess(kernel);
    kernel.sysSigaction(SIGUSR1, handler, 0, 0);
    if (Population.processes(kernel) != processes) {
      throw new IllegalStateException("expected " + processes + " processes, built "
          + Population.processes(kernel));
    }
    return self;
  }

  @Benchmark
  public long sigusr1() {
    return sendToSelf(multiUser, multiUserPid, SIGUSR1, multiUserHandler);
  }

  @Benchmark
  public long sig0() {
    return sendToSelf(multiUser, multiUserPid, 0, multiUserHandler);
  }

  @Benchmark
  public long singleUser() {
    return sendToSelf(singleUser, singleUserPid, SIGUSR1, singleUserHandler);
  }

  /** kill(getpid(), sig) and the return to user mode, where the handler runs. */
  private static long sendToSelf(final Kernel kernel, final int pid, final int sig, final CountingHandler handler) {
    int result = kernel.sysKill(pid, sig);
    kernel.returnToUser();
    return result + handler.handled;
  }

  /*
   * HOW TO RUN AND READ
   *
   * ./quasi bench signals runs the whole group and prints the table next to the paper's figures; alone:
   *     java -cp <quasi-bench classpath> org.quasi.bench.signals.SignalsBench
   * The score is the mean time of one kill plus its return to user mode, in ns. Read the ratio generic/hand of
   * each row: the paper's are 2.87 (sigusr1), 14.75 (sig0) and 1.21 (singleUser). The absolute numbers are a Java
   * model's, not a 1996 Pentium's; only the ratios compare. The machine is shared: run a few forks before
   * trusting a ratio to better than 10%.
   */
}
