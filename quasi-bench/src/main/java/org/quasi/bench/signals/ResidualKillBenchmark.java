package org.quasi.bench.signals;

import static org.quasi.cases.signals.Signals.SIGUSR1;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
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
import org.quasi.cases.signals.Task;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecEntry;
import org.quasi.typeguard.spec.SpecException;
import org.quasi.typeguard.spec.SpecParser;

/*
 * The question: how fast is the kill path that the specializer makes from signals.spec alone, called directly? This
 * is the ceiling of the Quasi variant of Tables 3-5, before it pays for its entry point's dispatch on the keys
 * (current, pid, sig) and with no guard armed: the residual code of Kernel.sysKill specialized on the live kernel,
 * the benchmark process as current, its own pid and the signal, with the quasi-invariant fields the spec declares.
 *
 * The work per operation is SignalLatencyBenchmark's, row for row: the kill, then the return to user mode that
 * delivers the signal to the handler. The rows print in the signals table beside the other variants as "residual".
 * The Quasi variant proper (Variant.QUASI, through the version manager and the agent) adds one dispatch per call,
 * which issue 5 bounds at 1.1x of a direct call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ResidualKillBenchmark {

  /** The residual code called directly; the only value, so the table shows it beside the Variant rows. */
  @Param({"residual"})
  public String variant;

  private Kernel multiUser;
  private CountingHandler multiUserHandler;
  private IntSupplier sigusr1;
  private IntSupplier sig0;

  private Kernel singleUser;
  private CountingHandler singleUserHandler;
  private IntSupplier singleUserSigusr1;

  @Setup
  public void specialize() throws SpecializationDeclined, ReflectiveOperationException, SpecException,
      IOException {
    QuasiSpec spec = signalsSpec();
    multiUser = new Kernel();
    multiUserHandler = new CountingHandler();
    int pid = SignalLatencyBenchmark.benchmarkProcess(multiUser, SignalLatencyBenchmark.MULTI_USER_PROCESSES,
        multiUserHandler).pid();
    sigusr1 = residualKill(spec, multiUser, pid, SIGUSR1);
    sig0 = residualKill(spec, multiUser, pid, 0);
    singleUser = new Kernel();
    singleUserHandler = new CountingHandler();
    int singlePid = SignalLatencyBenchmark.benchmarkProcess(singleUser, SignalLatencyBenchmark.SINGLE_USER_PROCESSES,
        singleUserHandler).pid();
    singleUserSigusr1 = residualKill(spec, singleUser, singlePid, SIGUSR1);
  }

  /** The quasi-invariant declarations of the case's spec file (on the class path beside the kernel). */
  static QuasiSpec signalsSpec() throws IOException, SpecException {
    String name = "signals.spec";
    try (InputStream in = Kernel.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is missing beside " + Kernel.class.getName());
      }
      return SpecParser.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Kernel.sysKill specialized on the kernel, pid and signal, with the spec's quasi-invariants and {@code current}
   * (the entry point's key: here the benchmark process, which stays current).
   */
  static IntSupplier residualKill(final QuasiSpec spec, final Kernel kernel, final int pid, final int sig)
      throws SpecializationDeclined, ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Kernel.class, MethodHandles.lookup());
    SpecializationRequest<Object> request = Specializer.of(lookup)
        .method(Kernel.class, "sysKill", int.class, int.class).known(0, kernel).known(1, pid).known(2, sig)
        .quasiInvariant(Kernel.class, "current");
    for (SpecEntry e : spec.quasiInvariants()) {
      request = request.quasiInvariant(Class.forName(e.owner(), false, Task.class.getClassLoader()), e.name());
    }
    return request.as(IntSupplier.class).specialize().function();
  }

  @Benchmark
  public long sigusr1() {
    return deliver(multiUser, sigusr1, multiUserHandler);
  }

  @Benchmark
  public long sig0() {
    return deliver(multiUser, sig0, multiUserHandler);
  }

  @Benchmark
  public long singleUser() {
    return deliver(singleUser, singleUserSigusr1, singleUserHandler);
  }

  /** The specialized kill(getpid(), sig), then the return to user mode, where the handler runs. */
  private static long deliver(final Kernel kernel, final IntSupplier kill, final CountingHandler handler) {
    int result = kill.getAsInt();
    kernel.returnToUser();
    return result + handler.handled;
  }

  /*
   * HOW TO RUN AND READ
   *
   * ./quasi bench signals runs it with the group; the table shows "residual" in the rows of Tables 3-5, with its
   * ratio to the generic kernel. Alone:
   *     java -jar quasi-cli/target/quasi.jar bench signals --quick    (the whole group, shorter iterations)
   * Read generic/residual against the paper's speedup and residual/hand against 1.1: this is what the Quasi variant
   * can reach at best; its entry point's dispatch comes on top. The machine is shared: trust ratios to ~10% only
   * after a few forks.
   */
}
