package org.quasi.bench.memguard;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.quasi.memguard.jdi.internal.WatchSession;

/**
 * The debugger of the JDWP benchmarks, run in a process of its own as {@code ./quasi memguard --jdwp} runs it: attaches
 * to the benchmark's JVM on {@code 127.0.0.1:PORT}, runs a MemGuard {@link WatchSession} (no spec: it watches what the
 * benchmark protects with {@code MemGuard.protect}), prints {@code ready} once its requests are set, and counts the
 * unguarded writes instead of keeping them (a benchmark makes millions). Detaches when its standard input ends, and
 * prints the count when the JVM goes away or it detached.
 */
public final class JdwpWatcher {

  private JdwpWatcher() {
  }

  /** {@code JdwpWatcher PORT}. */
  public static void main(final String[] args) throws Exception {
    final AttachingConnector connector = Bootstrap.virtualMachineManager().attachingConnectors().stream()
        .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no com.sun.jdi.SocketAttach connector in this JDK"));
    final Map<String, Connector.Argument> arguments = connector.defaultArguments();
    arguments.get("hostname").setValue("127.0.0.1");
    arguments.get("port").setValue(args[0]);
    final VirtualMachine vm = connector.attach(arguments);
    // The benchmark closes this process's standard input to stop it: detaching then lets the JVM's agent clear the
    // requests and resume any thread cleanly (killing the process instead breaks the agent's pipe mid-packet).
    final Thread detach = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // Nothing is expected on standard input but its end.
        }
      } catch (IOException e) {
        // Standard input broke: detach as at its end.
      }
      vm.dispose();
    }, "jdwp-watcher-detach");
    detach.setDaemon(true);
    detach.start();
    final AtomicLong writes = new AtomicLong();
    new WatchSession(vm, List.of(), w -> writes.incrementAndGet(), line -> System.err.println("watcher: " + line))
        .run(() -> {
          System.out.println("ready");
          System.out.flush();
        });
    System.out.println("writes " + writes.get());
  }
}
