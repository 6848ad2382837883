package org.quasi.cases.signals;

import static org.quasi.cases.signals.Errno.EPERM;
import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.Signals.SIGUSR1;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;
import org.quasi.versions.EntryCounters;

/**
 * The signals case in a few steps, as {@code ./quasi tour} tells it: the spec, the first kills (the entry point makes
 * a version of the kill path for the sender, the target and SIGUSR1), what that version is (its residual code in
 * numbers and the locations it relies on), a {@code setuid} of the target that fires a guard, and the next kill, which
 * answers {@code -EPERM} as the generic kernel does. A generic kernel with the same history answers every kill beside
 * the Quasi one.
 *
 * <p>The kernel's classes must be woven with the spec's quasi-invariant lines, as {@link QuasiKernel} requires: by the
 * agent, or by quasi-agent's {@code WeavingClassLoader}, which the tour uses. The story prints through a
 * {@code Consumer<String>} so that it can run in a class loader of its own.
 */
public final class SignalsStory {

  /** Background processes: with init, the sender and the target, the paper's 62. */
  private static final int DAEMONS = 59;

  /** The target's SIGUSR1 handler: the story sends, and does not need the target to run it. */
  private static final SignalHandler CAUGHT = new SignalHandler() {
    @Override
    public void handle(final Kernel kernel, final Task self, final int sig) {
      // Caught and handled in user mode; nothing to record.
    }

    @Override
    public String name() {
      return "story_sigusr1";
    }
  };

  private SignalsStory() {
  }

  /**
   * Tells the story.
   *
   * @param out receives the story, a line at a time
   * @throws IllegalStateException when a kernel answers otherwise than the story says (the story checks what it tells)
   */
  public static void tell(final Consumer<String> out) {
    // The entry point is the JVM's (every Quasi kernel shares it): the story counts from here.
    final EntryCounters base = QuasiKernel.counters();
    out.accept("The spec, " + QuasiKernel.SPEC + " (its lines that are not comments):");
    for (final String line : specLines()) {
      out.accept("    " + line);
    }
    out.accept("That is all the Quasi kernel adds to the generic one: no cache, no folded copy of the kill path.");
    out.accept("");
    final Kernel quasi = Variant.QUASI.boot();
    final Kernel generic = Variant.GENERIC.boot();
    final Task[] q = senderAndTarget(quasi);
    final Task[] g = senderAndTarget(generic);
    final int pid = q[1].pid();
    out.accept(Population.processes(quasi) + " processes. The sender (pid " + q[0].pid() + ") runs as uid "
        + Population.USER + "; the target (pid " + pid + ") runs a set-uid-root");
    out.accept("program for the same user and catches SIGUSR1. The sender kills the target twice:");
    for (int i = 0; i < 2; i++) {
      out.accept("  kill(" + pid + ", SIGUSR1) = " + Errno.name(kill(quasi, generic, pid, 0)));
    }
    out.accept("  " + describe(base, QuasiKernel.counters()));
    out.accept("");
    specialized(out, (QuasiKernel) quasi, q[0], pid);
    out.accept("");
    out.accept("Now the target drops its privileges: setuid(600) in the target, a plain assignment of its uid,");
    out.accept("euid and suid in the kernel's source. Woven, the write finds the version's guard on those fields,");
    out.accept("replugs the generic kill path for this key, and only then stores.");
    setuid(quasi, q[1], 600);
    setuid(generic, g[1], 600);
    out.accept("  " + describe(base, QuasiKernel.counters()));
    out.accept("  kill(" + pid + ", SIGUSR1) = " + Errno.name(kill(quasi, generic, pid, -EPERM))
        + ": the generic kill path, replugged");
    out.accept("  kill(" + pid + ", SIGUSR1) = " + Errno.name(kill(quasi, generic, pid, -EPERM))
        + ": a new version, made on the target's new uids");
    out.accept("  " + describe(base, QuasiKernel.counters()));
    out.accept("No kill after the write saw the old uids. Every answer above is also the generic kernel's.");
  }

  /** The spec's lines that are not comments. */
  private static java.util.List<String> specLines() {
    try (InputStream in = QuasiKernel.class.getResourceAsStream(QuasiKernel.SPEC)) {
      if (in == null) {
        throw new IllegalStateException(QuasiKernel.SPEC + " is missing beside " + QuasiKernel.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + QuasiKernel.SPEC + ": " + e.getMessage(), e);
    }
  }

  /** A sender of uid 500 and a target running set-uid root for user 500, on a 62-process system; sender current. */
  private static Task[] senderAndTarget(final Kernel kernel) {
    Population.background(kernel, DAEMONS);
    final Task sender = kernel.findTask(kernel.doFork(SIGCHLD));
    final Task target = kernel.findTask(kernel.doFork(SIGCHLD));
    kernel.switchTo(sender);
    kernel.sysSetuid(Population.USER);
    kernel.switchTo(target);
    kernel.sysSetreuid(Population.USER, -1);
    kernel.sysSigaction(SIGUSR1, CAUGHT, 0, 0);
    kernel.switchTo(sender);
    return new Task[] {sender, target};
  }

  /** The kill on both kernels; both must answer {@code expected}. */
  private static int kill(final Kernel quasi, final Kernel generic, final int pid, final int expected) {
    final int a = quasi.sysKill(pid, SIGUSR1);
    final int b = generic.sysKill(pid, SIGUSR1);
    if (a != expected || b != expected) {
      throw new IllegalStateException("kill(" + pid + ", SIGUSR1): quasi " + a + ", generic " + b + ", expected "
          + expected);
    }
    return a;
  }

  /** {@code setuid(uid)} in {@code target}, then back to the task that was current. */
  private static void setuid(final Kernel kernel, final Task target, final int uid) {
    final Task was = kernel.current;
    kernel.switchTo(target);
    if (kernel.sysSetuid(uid) != 0) {
      throw new IllegalStateException("setuid(" + uid + ") failed in pid " + target.pid());
    }
    kernel.switchTo(was);
  }

  /**
   * What the version is: the specialization the entry point requested for this key (the kernel, the pid and the
   * signal known, the sender assumed as {@code current}, the spec's quasi-invariants), in numbers.
   */
  private static void specialized(final Consumer<String> out, final QuasiKernel kernel, final Task sender,
      final int pid) {
    final Specialization<IntSupplier> s;
    try {
      SpecializationRequest<Object> r = Specializer.of(MethodHandles.lookup())
          .method(QuasiKernel.class.getMethod("genericSysKill", int.class, int.class))
          .known(0, kernel).known(1, pid).known(2, SIGUSR1)
          .assumeField(kernel, KernelCore.class, "current", sender)
          .quasiInvariant(Task.class, "nextTask", "pid", "uid", "euid", "suid", "session", "sig")
          .quasiInvariant(SigAction.class, "handler");
      s = r.as(IntSupplier.class).specialize();
    } catch (NoSuchMethodException | SpecializationDeclined e) {
      throw new IllegalStateException("the kill path did not specialize: " + e.getMessage(), e);
    }
    out.accept("The version is Kernel.sysKill specialized on (current = pid " + sender.pid() + ", pid " + pid
        + ", SIGUSR1). kill_proc's search");
    out.accept("of the task list ran once, when the version was made, over the live list: what is left is the kill");
    out.accept("of that one task, " + s.summary().instructionsAfter() + " instructions. The specializer's summary"
        + " (its first count is the entry");
    out.accept("method's own, which only calls the generic sysKill):");
    out.accept("  " + s.summary());
    final Map<String, Integer> watched = new TreeMap<>();
    final Map<String, Integer> finals = new TreeMap<>();
    for (final Dependency d : s.dependencies()) {
      (d.kind() == Dependency.Kind.QUASI_INVARIANT_FIELD ? watched : finals)
          .merge(d.owner().getSimpleName() + "." + d.field(), 1, Integer::sum);
    }
    out.accept("  relies on " + count(watched) + " quasi-invariant fields, which the guards watch:");
    out.accept("    " + list(watched));
    out.accept("  and on " + count(finals) + " final fields: " + list(finals));
    final TreeSet<String> calls = new TreeSet<>();
    for (final String line : s.dump().lines().toList()) {
      final String t = line.trim();
      if (t.startsWith("INVOKE")) {
        final String ref = t.split(" ")[1]; // owner/Name.method, then the descriptor
        calls.add(ref.substring(ref.lastIndexOf('/') + 1));
      }
    }
    out.accept("  calls left in it: " + (calls.isEmpty() ? "none" : String.join(", ", calls)));
  }

  private static int count(final Map<String, Integer> fields) {
    return fields.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static String list(final Map<String, Integer> fields) {
    final StringBuilder b = new StringBuilder();
    fields.forEach((f, n) -> b.append(b.length() == 0 ? "" : ", ").append(f).append(n > 1 ? " x" + n : ""));
    return b.toString();
  }

  /** The entry point's counts since {@code base}. */
  private static String describe(final EntryCounters base, final EntryCounters c) {
    return "entry point: " + (c.calls() - base.calls()) + " calls (" + (c.specializedCalls()
        - base.specializedCalls()) + " specialized, " + (c.genericCalls() - base.genericCalls())
        + " generic); versions: " + (c.specializations() - base.specializations()) + " made, "
        + (c.invalidations() - base.invalidations()) + " invalidated";
  }
}
