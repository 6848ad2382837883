package org.quasi.cases.signals.quasi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeavingClassLoader;
import org.quasi.cases.signals.Errno;
import org.quasi.cases.signals.Signals;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecParser;
import org.quasi.versions.EntryCounters;
import org.quasi.versions.EntryPoint;
import org.quasi.versions.EntryPolicy;

/**
 * The kill path through the version manager on a kernel woven from {@code signals.spec}: the untouched generic
 * {@code Kernel}, its classes loaded by the agent's weaving class loader (every write of a declared field is a guarded
 * write), and {@code Kernel.sysKill} declared an entry point keyed on the kernel, the pid and the signal through the
 * {@link EntryPoint} API. Guards fire as the issue demands: setuid of the target gives {@code -EPERM}, its exit and
 * reaping {@code -ESRCH}; a new handler runs.
 *
 * <p>Two things differ from the form the Quasi variant will take (see docs/cases-signals.md): {@code current} is a
 * guarded quasi-invariant here, not a key read by the dispatcher (so every context switch invalidates); and
 * {@code SignalStruct.action} is left out, because the version manager declines dependencies on array elements
 * (their writes are not woven), so generate's action lookup stays residual.
 */
class KillEntryPointTest {

  /** The entry's interface: sysKill's JVM arguments, receiver first (the woven Kernel, hence Object). */
  public interface Kill {
    int kill(Object kernel, int pid, int sig);
  }

  private static final String PACKAGE = "org.quasi.cases.signals.";

  private Class<?> kernelClass;
  private Object kernel;
  private EntryPoint<Kill> entry;
  private Kill kill;
  private final List<String> handled = new ArrayList<>();

  /** The spec's quasi-invariants and current, woven into a private copy of the kernel's classes. */
  @BeforeEach
  void boot() throws Exception {
    String text = specText() + "quasi-invariant " + PACKAGE + "KernelCore.current\n";
    QuasiSpec spec = SpecParser.parse("signals.spec", text);
    WeavingClassLoader loader = new WeavingClassLoader(getClass().getClassLoader(), GuardSpec.of(spec),
        n -> n.startsWith(PACKAGE) && !n.startsWith(PACKAGE + "quasi.") && !n.startsWith(PACKAGE + "app."));
    kernelClass = loader.loadClass(PACKAGE + "Kernel");
    Class<?> core = loader.loadClass(PACKAGE + "KernelCore");
    Class<?> task = loader.loadClass(PACKAGE + "Task");
    Class<?> sigAction = loader.loadClass(PACKAGE + "SigAction");
    MethodHandles.Lookup lookup = (MethodHandles.Lookup) loader.loadClass(PACKAGE + "LookupProbe")
        .getMethod("lookup").invoke(null);
    kernel = kernelClass.getConstructor().newInstance();
    entry = EntryPoint.builder(lookup, kernelClass.getMethod("sysKill", int.class, int.class), Kill.class)
        .keys(0, 1, 2).residual(IntSupplier.class)
        .quasiInvariant(core, "current")
        .quasiInvariant(task, "nextTask", "pid", "uid", "euid", "suid", "session", "sig")
        .quasiInvariant(sigAction, "handler")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(2).withBackoffAfter(100)).build();
    kill = entry.function();
  }

  private static String specText() throws IOException {
    try (InputStream in = Signals.class.getResourceAsStream("signals.spec")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Object call(final String name, final Object... args) throws Exception {
    for (Method m : kernelClass.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        return m.invoke(kernel, args);
      }
    }
    throw new NoSuchMethodException(name);
  }

  private Object task(final int pid) throws Exception {
    return call("findTask", pid);
  }

  private static int pid(final Object task) throws Exception {
    return (int) task.getClass().getMethod("pid").invoke(task);
  }

  /** A handler of the woven kernel's SignalHandler interface that logs {@code name:sig}. */
  private Object handler(final String name) throws ClassNotFoundException {
    Class<?> type = kernelClass.getClassLoader().loadClass(PACKAGE + "SignalHandler");
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> switch (m.getName()) {
      case "handle" -> {
        handled.add(name + ":" + a[2]);
        yield null;
      }
      case "name" -> name;
      case "hashCode" -> System.identityHashCode(p);
      case "equals" -> p == a[0];
      default -> name;
    });
  }

  private Object sigIgn() throws ReflectiveOperationException {
    return kernelClass.getClassLoader().loadClass(PACKAGE + "SignalHandler").getField("SIG_IGN").get(null);
  }

  /**
   * A sender of uid 500 and a target running a set-uid-root program for user 500 (real uid 500, effective and saved
   * uid 0) that ignores SIGUSR1; the sender is current. As in QuasiInvariantChangesTest.
   */
  private int[] senderAndTarget() throws Exception {
    int sender = (int) call("doFork", Signals.SIGCHLD);
    int target = (int) call("doFork", Signals.SIGCHLD);
    call("switchTo", task(sender));
    call("sysSetuid", 500);
    call("switchTo", task(target));
    call("sysSetreuid", 500, -1);
    call("sysSigaction", Signals.SIGUSR1, sigIgn(), 0, 0);
    call("switchTo", task(sender));
    return new int[] {sender, target};
  }

  /** Sends the same kill a few times: the first calls are generic, then a version is specialized and plugged. */
  private void sendSpecialized(final int pid, final int sig, final int expected) {
    long specialized = entry.counters().specializedCalls();
    for (int i = 0; i < 4; i++) {
      assertThat(kill.kill(kernel, pid, sig)).isEqualTo(expected);
    }
    EntryCounters c = entry.counters();
    assertThat(c.declined()).as("declined: %s", entry.declinedBecause(kernel, pid, sig)).isZero();
    assertThat(c.specializedCalls()).as("calls served by a specialized version").isGreaterThan(specialized);
  }

  @Test
  void setuidOfTheTargetFiresTheGuardAndKillReturnsEperm() throws Exception {
    int[] st = senderAndTarget();
    sendSpecialized(st[1], Signals.SIGUSR1, 0);
    sendSpecialized(st[1], 0, 0);
    // Only the target can change its uids, so the switches of current (guarded here) invalidate too; the fork
    // test below shows a Task guard firing on its own.
    call("switchTo", task(st[1]));
    assertThat(call("sysSetuid", 600)).isEqualTo(0);
    call("switchTo", task(st[0]));
    sendSpecialized(st[1], Signals.SIGUSR1, -Errno.EPERM);
    sendSpecialized(st[1], 0, -Errno.EPERM);
  }

  @Test
  void exitOfTheTargetFiresTheGuardAndKillReturnsEsrch() throws Exception {
    int[] st = senderAndTarget();
    sendSpecialized(st[1], Signals.SIGUSR1, 0);
    call("switchTo", task(st[1]));
    call("sysExit", 0);
    call("schedule");
    call("switchTo", task(st[0]));
    sendSpecialized(st[1], Signals.SIGUSR1, 0); // a zombie still has its pid
    call("switchTo", call("initProcess"));
    assertThat(call("sysWait", st[1], false)).isEqualTo(st[1]);
    call("switchTo", task(st[0]));
    sendSpecialized(st[1], Signals.SIGUSR1, -Errno.ESRCH);
    sendSpecialized(st[1], 0, -Errno.ESRCH);
  }

  /**
   * The precision point of docs/cases-signals.md: fork links the child after the last task, writing that task's
   * {@code nextTask}. The version that kills the last task never read that field and stays plugged; the version that
   * searched the whole list for a pid nobody had yet did read it, and is invalidated, so the child is found.
   */
  @Test
  void forkInvalidatesOnlyTheVersionThatReadTheLastTasksLink() throws Exception {
    int[] st = senderAndTarget();
    int next = st[1] + 1; // the pid the next fork hands out
    sendSpecialized(st[1], Signals.SIGUSR1, 0);
    sendSpecialized(next, 0, -Errno.ESRCH);
    EntryCounters before = entry.counters();
    int child = (int) call("doFork", Signals.SIGCHLD); // by the sender, which stays current
    assertThat(child).isEqualTo(next);
    assertThat(entry.counters().invalidations()).as("only the -ESRCH version read the last task's nextTask")
        .isEqualTo(before.invalidations() + 1);
    assertThat(kill.kill(kernel, child, 0)).isZero();
    sendSpecialized(st[1], Signals.SIGUSR1, 0);
    assertThat(entry.counters().specializations()).as("the version killing the target was not re-made")
        .isEqualTo(before.specializations());
  }

  @Test
  void aNewHandlerRuns() throws Exception {
    int self = (int) call("doFork", Signals.SIGCHLD);
    call("switchTo", task(self));
    call("sysSetuid", 500);
    call("sysSigaction", Signals.SIGUSR1, handler("a"), 0, 0);
    for (int i = 0; i < 4; i++) {
      assertThat(kill.kill(kernel, self, Signals.SIGUSR1)).isZero();
      call("returnToUser");
    }
    assertThat(entry.counters().specializedCalls()).as("%s; declined: %s", entry.counters(),
        entry.declinedBecause(kernel, self, Signals.SIGUSR1)).isPositive();
    long specialized = entry.counters().specializedCalls();
    call("sysSigaction", Signals.SIGUSR1, handler("b"), 0, 0);
    // Without SignalStruct.action the version reads the handler at run time: nothing to invalidate, and the
    // specialized kill goes on serving calls.
    assertThat(kill.kill(kernel, self, Signals.SIGUSR1)).isZero();
    assertThat(entry.counters().specializedCalls()).isGreaterThan(specialized);
    call("returnToUser");
    assertThat(handled).containsExactly("a:10", "a:10", "a:10", "a:10", "b:10");
  }
}
