package org.quasi.memguard.jdi;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.connect.ListeningConnector;
import com.sun.jdi.connect.TransportTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.quasi.memguard.MemGuardLog;
import org.quasi.memguard.jdi.internal.AgentCommandLine;
import org.quasi.memguard.jdi.internal.WatchSession;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecEntry;

/**
 * MemGuard's second mechanism: runs a Java program under a debugger connection and logs, as
 * {@link org.quasi.memguard.Mechanism#JDWP_WATCH JDWP_WATCH} writes, the stores to protected fields that no guard
 * announced ({@code ./quasi memguard --jdwp -- java …}).
 *
 * <pre>{@code
 * MemGuardLog log = new MemGuardLog();
 * int status = JdwpMemGuard.command(List.of("java", "-cp", "app.jar", "app.Main"))
 *         .spec(SpecParser.parse(Path.of("app.spec")))
 *         .run(log);                       // the program's own exit status
 * log.writeTo(out);
 * }</pre>
 * ({@code JdwpMemGuardTest} runs the same code on its fixture.)
 *
 * <p><b>How.</b> MemGuard listens on {@code 127.0.0.1}, port chosen by the system, and starts the program with a JDWP
 * agent that connects to it before running any code ({@code server=n,suspend=y}): no debugging port is ever open.
 * It then sets field-modification watchpoints on what is protected: the spec's fields on every object and the static
 * ones (as the MemGuard agent protects a spec), set as their classes are prepared; and what the program protects at
 * run time — {@code MemGuard.protect}, the agent's spec entries, the dependencies specialized versions protect —
 * followed by breakpoints on quasi-memguard's protected set, one watchpoint with an instance filter per protected
 * object. The program's standard streams are the caller's, and its exit status is {@link #run}'s result. The
 * session ends when the program's JVM exits.
 *
 * <p><b>What it sees.</b> A {@code putfield}/{@code putstatic} executed by any code (also classes no agent
 * transforms), and JNI's {@code Set<Type>Field}/{@code SetStatic<Type>Field} — the one kind of write the agent traps
 * cannot see. Not logged: writes through a guard woven by quasi-agent (slow path told by a breakpoint on the guard,
 * fast path by the woven class's markers), stores inside the agent's trap helpers (the agent reports those itself,
 * so running both mechanisms logs each write once), and anything while the program has MemGuard disabled.
 *
 * <p><b>What it misses</b> (measured on HotSpot 17 and 25 by {@code JdwpMemGuardTest}): {@code Field.set*},
 * method handle setters, {@code VarHandle} writes, field updaters and {@code Unsafe.put*}. All of them store through
 * {@code Unsafe} intrinsics, for which the JVM posts no field-modification event. The agent traps catch those, and
 * the verifier catches any write at the next use of a specialized version. Array elements cannot be watched through
 * JDWP at all (no array watchpoints).
 *
 * <p><b>Cost.</b> While field-modification events are enabled, HotSpot runs threads in interpreter-only mode, and
 * each trapped write is a round trip to this process with the writing thread suspended (its stack, the values and,
 * once per object, its identity hash are read over the connection); other threads run on. See the {@code memguard}
 * benchmarks ({@code JdwpWriteBenchmark}, {@code JdwpWorkloadBenchmark}).
 *
 * <p>Instances are immutable; each {@code with}-style method returns a new one.
 *
 * @implNote Not handled, and what happens instead: array elements protected at run time are not watched (one problem
 *     line says so; the agent traps and the verifier cover them); writes through {@code Unsafe}-based paths are never
 *     seen (above); a static field protected at run time is watched in every loaded class of that name, as the
 *     protected set keys statics by name; a store in a woven class to an instance field the weaver does not guard,
 *     of a class that has a QUID field, while the object has no QUID, is taken for a woven fast path and not
 *     reported, while the fast path of a guarded write to a static field of a class quasi-agent cannot weave (a JDK
 *     class) is reported although it is guarded (see {@code GuardedWrites}); thread names and stacks are read when the event is handled, with the
 *     writing thread suspended, so they are exact, but other threads run on meanwhile.
 */
public final class JdwpMemGuard {

  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);

  /** How long one wait for the connection lasts before checking that the program is still alive. */
  private static final Duration ACCEPT_SLICE = Duration.ofMillis(250);

  private final List<String> command;
  private final List<SpecEntry> spec;
  private final Duration connectTimeout;
  private final Consumer<String> problems;

  private JdwpMemGuard(final List<String> command, final List<SpecEntry> spec, final Duration connectTimeout,
      final Consumer<String> problems) {
    this.command = command;
    this.spec = spec;
    this.connectTimeout = connectTimeout;
    this.problems = problems;
  }

  /**
   * The program to run: {@code java} (or a path to a {@code java} launcher) and its arguments.
   *
   * @throws IllegalArgumentException when the command does not start with {@code java}, or loads a JDWP agent itself
   */
  public static JdwpMemGuard command(final List<String> command) {
    List<String> copy = List.copyOf(command);
    AgentCommandLine.withAgent(copy, 1); // validates now, so a usage error comes before anything runs
    return new JdwpMemGuard(copy, List.of(), DEFAULT_CONNECT_TIMEOUT,
        line -> System.err.println("memguard: " + line));
  }

  /**
   * Protects every field the spec declares, on every object of its class, or the static field: what the MemGuard
   * agent does with {@code spec=FILE}.
   */
  public JdwpMemGuard spec(final QuasiSpec spec) {
    return new JdwpMemGuard(command, spec.quasiInvariants(), connectTimeout, problems);
  }

  /** How long to wait for the program's JVM to connect (default one minute). */
  public JdwpMemGuard connectTimeout(final Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the connect timeout must be positive, not " + timeout);
    }
    return new JdwpMemGuard(command, spec, timeout, problems);
  }

  /**
   * Where one-line problems go (a spec field that does not exist, a spec class the program never loaded); by default
   * standard error, prefixed with {@code memguard: }.
   */
  public JdwpMemGuard problems(final Consumer<String> sink) {
    return new JdwpMemGuard(command, spec, connectTimeout, Objects.requireNonNull(sink, "sink"));
  }

  /**
   * Runs the program to its end, logging its unguarded writes into {@code log}.
   *
   * @return the program's exit status
   * @throws IOException when the program cannot be started, exits before its JVM connects, or does not connect in
   *     time (it is then killed)
   */
  public int run(final MemGuardLog log) throws IOException, InterruptedException {
    final ListeningConnector connector = socketListener();
    final Map<String, Connector.Argument> arguments = connector.defaultArguments();
    arguments.get("localAddress").setValue("127.0.0.1");
    arguments.get("port").setValue("0");
    arguments.get("timeout").setValue(Long.toString(ACCEPT_SLICE.toMillis()));
    final String address;
    try {
      address = connector.startListening(arguments);
    } catch (IllegalConnectorArgumentsException e) {
      throw new IllegalStateException("the JDK's socket listening connector rejected its arguments", e);
    }
    final Process process;
    final VirtualMachine vm;
    try {
      final int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      process = new ProcessBuilder(AgentCommandLine.withAgent(command, port)).inheritIO().start();
      vm = accept(connector, arguments, process);
    } finally {
      stopListening(connector, arguments);
    }
    try {
      new WatchSession(vm, spec, log::add, problems).runLaunched();
    } finally {
      dispose(vm);
    }
    return process.waitFor();
  }

  /**
   * Waits for the program's JVM to connect, in short slices so that a JVM that exits first (a bad option, a missing
   * library) is reported at once rather than after the whole timeout.
   */
  private VirtualMachine accept(final ListeningConnector connector, final Map<String, Connector.Argument> arguments,
      final Process process) throws IOException, InterruptedException {
    final long deadline = System.nanoTime() + connectTimeout.toNanos();
    while (true) {
      try {
        return connector.accept(arguments);
      } catch (TransportTimeoutException e) {
        if (!process.isAlive()) {
          throw new IOException("the program's JVM exited with status " + process.waitFor()
              + " before connecting to the debugger (see its messages above)", e);
        }
        if (System.nanoTime() - deadline > 0) {
          process.destroyForcibly();
          throw new IOException("the program's JVM did not connect to the debugger within "
              + connectTimeout.toSeconds() + " s; it was killed", e);
        }
      } catch (IllegalConnectorArgumentsException e) {
        process.destroyForcibly();
        throw new IllegalStateException("the JDK's socket listening connector rejected its arguments", e);
      }
    }
  }

  private static ListeningConnector socketListener() {
    for (ListeningConnector connector : Bootstrap.virtualMachineManager().listeningConnectors()) {
      if (connector.name().equals("com.sun.jdi.SocketListen")) {
        return connector;
      }
    }
    throw new IllegalStateException("this JDK has no com.sun.jdi.SocketListen connector (module jdk.jdi)");
  }

  private static void stopListening(final ListeningConnector connector,
      final Map<String, Connector.Argument> arguments) {
    try {
      connector.stopListening(arguments);
    } catch (IOException | IllegalConnectorArgumentsException e) {
      // Already stopped: the listener closes after accepting on some JDKs.
    }
  }

  private static void dispose(final VirtualMachine vm) {
    try {
      vm.dispose();
    } catch (VMDisconnectedException e) {
      // The JVM has exited: nothing left to release.
    }
  }
}
