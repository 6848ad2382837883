package org.quasi.cases.signals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.quasi.runtime.QuidHolder;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecEntry;
import org.quasi.typeguard.spec.SpecEntryPoint;
import org.quasi.typeguard.spec.SpecException;
import org.quasi.typeguard.spec.SpecParser;
import org.quasi.versions.EntryCounters;
import org.quasi.versions.EntryPoint;
import org.quasi.versions.EntryPointBuilder;
import org.quasi.versions.EntryPolicy;

/**
 * The Quasi variant's kernel: the generic {@link Kernel}, whose {@code sysKill} goes through an entry point of the
 * version manager built from {@code signals.spec} alone (its {@code entry} line: keys {@code this.current},
 * {@code arg0}, {@code arg1}; its {@code quasi-invariant} lines). There is no hand-written cache: each (kernel,
 * sender, pid, signal) gets a version of the generic kill path specialized by the specializer over the live task
 * list, guarded by the writes the agent wove into the kernel's classes.
 *
 * <p>This class adds no kernel code. It stands where the agent's entry weaving will stand: {@link #sysKill} hands the
 * call to the entry point, and {@link #genericSysKill} is the untouched generic body ({@code super.sysKill}), which
 * the entry point specializes and falls back to.
 *
 * @implNote Interim form, until the agent weaves {@code entry} lines into the method itself: the entry point is built
 *     here through the {@link EntryPoint} API from the spec's lines, on {@link #genericSysKill} rather than on
 *     {@code Kernel.sysKill} (an override calling the entry point would otherwise be its own fallback). In a JVM
 *     whose agent wove the spec's {@code entry} line, every {@code Kernel} would dispatch through the agent's entry
 *     point, the generic and hand variants' too; so the tests and benchmarks give the agent the spec's
 *     quasi-invariant lines only ({@code signals-guards.spec}), and this class reads the entry line. The kernel's
 *     classes must have been woven with those lines; otherwise booting fails and says how to run, rather than
 *     running a "Quasi" kernel that never specializes.
 */
public final class QuasiKernel extends Kernel {

  /** The entry point's interface: {@code sysKill}'s JVM arguments, receiver first. */
  public interface SysKill {
    /**
     * @param kernel the receiver
     * @param pid    whom to signal
     * @param sig    the signal
     * @return what {@link Kernel#sysKill} returns
     */
    int sysKill(QuasiKernel kernel, int pid, int sig);
  }

  /** The spec file, a resource beside the kernel's classes. */
  public static final String SPEC = "signals.spec";

  /** Built at the first boot of a Quasi kernel. */
  private static final class Entry {
    static final EntryPoint<SysKill> ENTRY = build();
    static final SysKill KILL = ENTRY.function();
  }

  /** Boots a kernel whose kill system call is specialized through the spec's entry point. */
  QuasiKernel() {
    if (!QuidHolder.class.isAssignableFrom(Task.class)) {
      throw new IllegalStateException("the Quasi variant needs the kernel's classes woven with " + SPEC
          + "'s quasi-invariant lines: run the JVM with -javaagent:quasi-agent/target/quasi-agent.jar="
          + "quasi-cases/src/test/resources/org/quasi/cases/signals/signals-guards.spec");
    }
    Entry.KILL.getClass(); // builds the entry point now, not in the middle of the first kill
  }

  /**
   * The {@code kill} system call, through the entry point: the version for ({@code this}, {@code current},
   * {@code pid}, {@code sig}) when there is one, the generic code otherwise.
   */
  @Override
  public int sysKill(final int pid, final int sig) {
    return Entry.KILL.sysKill(this, pid, sig);
  }

  /**
   * The generic {@code sysKill}, untouched: what the entry point specializes and falls back to.
   *
   * @param pid whom to signal
   * @param sig the signal
   * @return what {@link Kernel#sysKill} returns
   */
  public int genericSysKill(final int pid, final int sig) {
    return super.sysKill(pid, sig);
  }

  /**
   * The entry point's counters: how many calls ran a specialized version, how many versions were made, declined
   * and invalidated (shared by every Quasi kernel of this JVM).
   *
   * @return the counters now
   */
  public static EntryCounters counters() {
    return Entry.ENTRY.counters();
  }

  /**
   * Why the version for these keys was declined, or {@code null} if it was not.
   *
   * @param kernel a Quasi kernel
   * @param sender its current task at the call
   * @param pid    the pid argument
   * @param sig    the signal argument
   * @return the reason, or {@code null}
   */
  public static String declinedBecause(final QuasiKernel kernel, final Task sender, final int pid, final int sig) {
    return Entry.ENTRY.declinedBecause(kernel, pid, sig, sender);
  }

  /** Reads the spec and builds the entry point its {@code entry} line for {@code Kernel.sysKill} declares. */
  private static EntryPoint<SysKill> build() {
    final QuasiSpec spec = readSpec();
    final SpecEntryPoint line = spec.entryPoints().stream()
        .filter(e -> e.owner().equals(Kernel.class.getName()) && e.name().equals("sysKill")
            && e.descriptor().equals("(II)I"))
        .findFirst().orElseThrow(() -> new IllegalStateException(SPEC + " has no entry line for "
            + Kernel.class.getName() + ".sysKill(II)I"));
    try {
      final EntryPointBuilder<SysKill> builder = EntryPoint.builder(MethodHandles.lookup(),
          QuasiKernel.class.getMethod("genericSysKill", int.class, int.class), SysKill.class)
          .policy(policy(line));
      for (final String key : line.keys()) {
        builder.key(key);
      }
      final ClassLoader loader = QuasiKernel.class.getClassLoader();
      for (final SpecEntry q : spec.quasiInvariants()) {
        builder.quasiInvariant(Class.forName(q.owner(), false, loader), q.name());
      }
      return builder.build();
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new IllegalStateException(line.where() + ": cannot build the entry point: " + e.getMessage(), e);
    }
  }

  private static EntryPolicy policy(final SpecEntryPoint line) {
    EntryPolicy p = EntryPolicy.DEFAULT;
    if (line.after() > 0) {
      p = p.withSpecializeAfter(line.after());
    }
    if (line.versions() > 0) {
      p = p.withMaxVersions(line.versions());
    }
    if (line.backoff() > 0) {
      p = p.withBackoffAfter(line.backoff());
    }
    if (line.replugger() != null) {
      p = p.withCounting(line.replugger().equals("counting"));
    }
    if (line.background()) {
      p = p.withBackground(true);
    }
    return p;
  }

  private static QuasiSpec readSpec() {
    try (InputStream in = QuasiKernel.class.getResourceAsStream(SPEC)) {
      if (in == null) {
        throw new IllegalStateException(SPEC + " is missing beside " + QuasiKernel.class.getName());
      }
      return SpecParser.parse(SPEC, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | SpecException e) {
      throw new IllegalStateException("cannot read " + SPEC + ": " + e.getMessage(), e);
    }
  }
}
