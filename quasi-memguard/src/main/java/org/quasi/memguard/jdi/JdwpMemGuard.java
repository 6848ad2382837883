package org.quasi.memguard.jdi;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.connect.ListeningConnector;
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
 * agent that connects to it before running any code; it then sets field-modification watchpoints on the spec's
 * fields as their classes are prepared, and on the fields of objects the program protects at run time (with an
 * instance filter per object). The program's standard streams are the caller's, and its exit status is
 * {@link #run}'s result.
 *
 * <p><b>What it sees.</b> A {@code putfield}/{@code putstatic} executed by any code, and JNI's
 * {@code Set<Type>Field}/{@code SetStatic<Type>Field} — the one kind of write the agent traps cannot see. A write
 * through a woven guard is recognised (see {@code GuardedWrites}) and not logged.
 *
 * <p><b>What it misses</b> (measured on HotSpot 17 and 25 by {@code JdwpMemGuardTest}): {@code Field.set*},
 * method handle setters, {@code VarHandle} writes, field updaters and {@code Unsafe.put*}. All of them store through
 * {@code Unsafe} intrinsics, for which the JVM posts no field-modification event. The agent traps catch those, and
 * the verifier catches any write at the next use of a specialized version. Array elements cannot be watched through
 * JDWP at all.
 *
 * <p><b>Cost.</b> While field-modification events are enabled, HotSpot runs threads in interpreter-only mode, and
 * each trapped write is a round trip to this process with the writing thread suspended (its stack, the values and
 * the object's identity hash are read over the connection). See the {@code memguard} benchmarks.
 *
 * <p>Instances are immutable; each {@code with}-style method returns a new one.
 */
public final class JdwpMemGuard {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);

    private final List<String> command;
    private final List<SpecEntry> spec;
    private final Duration connectTimeout;
    private final Consumer<String> problems;

    private JdwpMemGuard(List<String> command, List<SpecEntry> spec, Duration connectTimeout,
                         Consumer<String> problems) {
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
    public static JdwpMemGuard command(List<String> command) {
        List<String> copy = List.copyOf(command);
        AgentCommandLine.withAgent(copy, 1); // validates now, so a usage error comes before anything runs
        return new JdwpMemGuard(copy, List.of(), DEFAULT_CONNECT_TIMEOUT,
                line -> System.err.println("memguard: " + line));
    }

    /** Watches every field the spec declares, on every object of its class (and statics). */
    public JdwpMemGuard spec(QuasiSpec spec) {
        return new JdwpMemGuard(command, spec.quasiInvariants(), connectTimeout, problems);
    }

    /** How long to wait for the program's JVM to connect (default one minute). */
    public JdwpMemGuard connectTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the connect timeout must be positive, not " + timeout);
        }
        return new JdwpMemGuard(command, spec, timeout, problems);
    }

    /**
     * Where one-line problems go (a spec field that does not exist, a spec class the program never loaded); by default
     * standard error, prefixed with {@code memguard: }.
     */
    public JdwpMemGuard problems(Consumer<String> sink) {
        return new JdwpMemGuard(command, spec, connectTimeout, Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Runs the program to its end, logging its unguarded writes into {@code log}.
     *
     * @return the program's exit status
     * @throws IOException when the program cannot be started or its JVM does not connect in time (it is then killed)
     */
    public int run(MemGuardLog log) throws IOException, InterruptedException {
        ListeningConnector connector = socketListener();
        Map<String, Connector.Argument> arguments = connector.defaultArguments();
        arguments.get("localAddress").setValue("127.0.0.1");
        arguments.get("port").setValue("0");
        arguments.get("timeout").setValue(Long.toString(connectTimeout.toMillis()));
        String address;
        try {
            address = connector.startListening(arguments);
        } catch (IllegalConnectorArgumentsException e) {
            throw new IllegalStateException("the JDK's socket listening connector rejected its arguments", e);
        }
        Process process;
        VirtualMachine vm;
        try {
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            process = new ProcessBuilder(AgentCommandLine.withAgent(command, port)).inheritIO().start();
            try {
                vm = connector.accept(arguments);
            } catch (IOException | IllegalConnectorArgumentsException e) {
                process.destroyForcibly();
                throw new IOException("the program's JVM did not connect to the debugger within "
                        + connectTimeout.toSeconds() + " s (exit status "
                        + (process.isAlive() ? "none yet" : process.exitValue()) + "): " + e.getMessage(), e);
            }
        } finally {
            stopListening(connector, arguments);
        }
        try {
            new WatchSession(vm, spec, log::add, problems).run();
        } finally {
            dispose(vm);
        }
        return process.waitFor();
    }

    private static ListeningConnector socketListener() {
        for (ListeningConnector connector : Bootstrap.virtualMachineManager().listeningConnectors()) {
            if (connector.name().equals("com.sun.jdi.SocketListen")) {
                return connector;
            }
        }
        throw new IllegalStateException("this JDK has no com.sun.jdi.SocketListen connector (module jdk.jdi)");
    }

    private static void stopListening(ListeningConnector connector, Map<String, Connector.Argument> arguments) {
        try {
            connector.stopListening(arguments);
        } catch (IOException | IllegalConnectorArgumentsException e) {
            // Already stopped: the listener closes after accepting on some JDKs.
        }
    }

    private static void dispose(VirtualMachine vm) {
        try {
            vm.dispose();
        } catch (VMDisconnectedException e) {
            // The JVM has exited: nothing left to release.
        }
    }
}
