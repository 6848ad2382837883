package org.quasi.cli.tour;

import java.io.PrintWriter;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.function.IntPredicate;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.Weaver;
import org.quasi.agent.WeavingClassLoader;
import org.quasi.versions.EntryCounters;
import org.quasi.versions.EntryPoint;
import org.quasi.versions.EntryPolicy;

/**
 * Chapter 3 of the tour: quasi-agent weaves the firewall's guarded writes, a specialized entry point runs the filter
 * specialized on the live configuration, and a write to a quasi-invariant fires the guard: the version is unplugged
 * before the write lands, the generic filter answers, and the entry point specializes again on the new value.
 */
public final class GuardsChapter {

  /** What the chapter calls on the woven configuration (loaded by another class loader). */
  public interface Config {
    void block(int port);
  }

  /** The entry point's shape: the configuration (the key) and the port. */
  public interface PortFilter {
    boolean accept(Object cfg, int port);
  }

  private static final String FIREWALL = "org.quasi.cli.tour.GuardedFirewall";

  private final PrintWriter out;

  public GuardsChapter(final PrintWriter out) {
    this.out = out;
  }

  /** Tells the chapter. */
  public void run() throws ReflectiveOperationException {
    out.println("3. Guards and replugging");
    out.println("------------------------");
    out.println("The configuration class declares low, high and blocked @QuasiInvariant. quasi-agent weaves it (the");
    out.println("same weaving runs at load time with java -javaagent:quasi-agent.jar, or ahead of time with");
    out.println("./quasi weave): a QUID field, and every write to those fields becomes a guarded write.");
    final WeavingClassLoader loader = new WeavingClassLoader(GuardsChapter.class.getClassLoader(),
        GuardSpec.annotationsOnly(), FIREWALL::equals);
    final Class<?> firewall = loader.loadClass(FIREWALL);
    final Weaver.Result woven = loader.results().get(0);
    out.println("  woven: " + woven.className() + ", QUID added: " + woven.quidAdded()
        + ", guarded writes: " + woven.guardedWrites());
    final Object cfg = firewall.getConstructor(int.class, int.class, int.class).newInstance(1024, 65535, 8080);
    final MethodHandles.Lookup lookup = (MethodHandles.Lookup) firewall.getMethod("lookup").invoke(null);
    final Method accept = firewall.getMethod("accept", firewall, int.class);
    final EntryPoint<PortFilter> entry = EntryPoint.builder(lookup, accept, PortFilter.class)
        .keys(0).quasiInvariant(firewall, "low", "high", "blocked")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(2)).build();
    final PortFilter filter = entry.function();
    out.println();
    out.println("A specialized entry point keyed on the configuration object: after 2 calls it specializes the");
    out.println("filter on the configuration's current values and plugs that version for this key.");
    out.println("  accept(cfg, 8443) = " + filter.accept(cfg, 8443) + ", accept(cfg, 8080) = "
        + filter.accept(cfg, 8080) + ", accept(cfg, 8443) = " + filter.accept(cfg, 8443));
    out.println("  " + describe(entry.counters()));
    out.println();
    out.println("Now the program blocks port 8443: cfg.block(8443), a plain Java assignment in the source. The");
    out.println("woven write finds a QUID on cfg, invalidates the version that relied on cfg.blocked (its");
    out.println("replugger falls back to the generic filter), and only then stores.");
    ((Config) cfg).block(8443);
    out.println("  " + describe(entry.counters()));
    out.println("  accept(cfg, 8443) = " + filter.accept(cfg, 8443) + " (generic), accept(cfg, 8080) = "
        + filter.accept(cfg, 8080) + " (specialized again on blocked = 8443)");
    out.println("  " + describe(entry.counters()));
    out.println("No call after the write returned saw the old value. ./quasi bench guards measures a guarded write");
    out.println("next to a plain one, and the full cost of a write that invalidates and replugs.");
  }

  private static String describe(final EntryCounters c) {
    return "counters: " + c.calls() + " calls (" + c.specializedCalls() + " specialized, " + c.genericCalls()
        + " generic), " + c.specializations() + " specializations, " + c.invalidations() + " invalidations";
  }
}
