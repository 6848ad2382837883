package org.quasi.cases.signals.quasi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeavingClassLoader;
import org.quasi.cases.signals.Errno;
import org.quasi.cases.signals.Signals;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecParser;
import org.quasi.versions.EntryBootstrap;

/**
 * The kill path in its final form: the untouched generic {@code Kernel}, its classes woven from {@code signals.spec}
 * exactly as {@code -javaagent:quasi-agent.jar=signals.spec} weaves them (here by the agent's
 * {@link WeavingClassLoader}, so that this copy of the kernel does not change the other variants of the JVM): guarded
 * writes for the quasi-invariant lines, and {@code Kernel.sysKill} turned into the entry point of the {@code entry}
 * line (keys {@code this.current}, {@code arg0}, {@code arg1}), with no source change and no API call. Guards fire as
 * the issue demands: setuid of the target gives {@code -EPERM}, its exit and reaping {@code -ESRCH}, a new handler
 * runs; a fork invalidates only the version that read the last task's link.
 */
class KillEntryPointTest {

  private static final String PACKAGE = "org.quasi.cases.signals.";
  private static final Pattern COUNTER = Pattern.compile("(\\w+)=(\\d+)");

  private Class<?> kernelClass;
  private Object kernel;
  private final List<String> handled = new ArrayList<>();

  /** The case's spec, woven into a private copy of the kernel's classes. */
  @BeforeEach
  void boot() throws Exception {
    QuasiSpec spec = SpecParser.parse("signals.spec", specText());
    assertThat(spec.entryPoints()).hasSize(1);
    WeavingClassLoader loader = new WeavingClassLoader(getClass().getClassLoader(), GuardSpec.of(spec),
        n -> n.startsWith(PACKAGE) && !n.startsWith(PACKAGE + "quasi.") && !n.startsWith(PACKAGE + "app."));
    kernelClass = loader.loadClass(PACKAGE + "Kernel");
    kernel = kernelClass.getConstructor().newInstance();
  }

  private static String specText() throws IOException {
    try (InputStream in = Signals.class.getResourceAsStream("signals.spec")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The counters of the entry point the agent's bootstrap built for this test's kernel class: the last one built,
   * once this test's kernel has been called.
   */
  private static Map<String, Long> counters() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EntryBootstrap.report(new PrintStream(out, true, StandardCharsets.UTF_8));
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("sysKill")).toList();
    assertThat(lines).as("an entry point was built for sysKill").isNotEmpty();
    Map<String, Long> counters = new HashMap<>();
    Matcher m = COUNTER.matcher(lines.get(lines.size() - 1));
    while (m.find()) {
      counters.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return counters;
  }

  private int kill(final int pid, final int sig) throws Exception {
    return (int) call("sysKill", pid, sig);
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
  private void sendSpecialized(final int pid, final int sig, final int expected) throws Exception {
    assertThat(kill(pid, sig)).isEqualTo(expected); // the first call of the test builds its entry point
    long specialized = counters().get("specializedCalls");
    for (int i = 0; i < 4; i++) {
      assertThat(kill(pid, sig)).isEqualTo(expected);
    }
    Map<String, Long> c = counters();
    assertThat(c.get("declined")).as("%s", c).isZero();
    assertThat(c.get("specializedCalls")).as("calls served by a specialized version").isGreaterThan(specialized);
  }

  @Test
  void setuidOfTheTargetFiresTheGuardAndKillReturnsEperm() throws Exception {
    int[] st = senderAndTarget();
    sendSpecialized(st[1], Signals.SIGUSR1, 0);
    sendSpecialized(st[1], 0, 0);
    long invalidations = counters().get("invalidations");
    call("switchTo", task(st[1]));
    assertThat(counters().get("invalidations")).as("current is a key: switching invalidates nothing")
        .isEqualTo(invalidations);
    assertThat(call("sysSetuid", 600)).isEqualTo(0);
    assertThat(counters().get("invalidations")).as("the target's uids were folded").isGreaterThan(invalidations);
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
    Map<String, Long> before = counters();
    int child = (int) call("doFork", Signals.SIGCHLD); // by the sender, which stays current
    assertThat(child).isEqualTo(next);
    assertThat(counters().get("invalidations")).as("only the -ESRCH version read the last task's nextTask")
        .isEqualTo(before.get("invalidations") + 1);
    assertThat(kill(child, 0)).isZero();
    sendSpecialized(st[1], Signals.SIGUSR1, 0);
    assertThat(counters().get("specializations")).as("the version killing the target was not re-made")
        .isEqualTo(before.get("specializations"));
  }

  @Test
  void aNewHandlerRuns() throws Exception {
    int self = (int) call("doFork", Signals.SIGCHLD);
    call("switchTo", task(self));
    call("sysSetuid", 500);
    call("sysSigaction", Signals.SIGUSR1, handler("a"), 0, 0);
    for (int i = 0; i < 4; i++) {
      assertThat(kill(self, Signals.SIGUSR1)).isZero();
      call("returnToUser");
    }
    assertThat(counters().get("specializedCalls")).as("%s", counters()).isPositive();
    call("sysSigaction", Signals.SIGUSR1, handler("b"), 0, 0);
    // The version reads p.sig.action[9] at run time (array elements are not guarded), then the handler from it:
    // nothing folded depends on the handler, so nothing is invalidated, and the new handler runs.
    assertThat(kill(self, Signals.SIGUSR1)).isZero();
    call("returnToUser");
    assertThat(handled).containsExactly("a:10", "a:10", "a:10", "a:10", "b:10");
  }
}
