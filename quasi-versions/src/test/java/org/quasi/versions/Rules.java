package org.quasi.versions;

/** The generic code an entry point specializes, and its interfaces. */
public final class Rules {

  private Rules() {
  }

  /** The entry point's shape: every argument. */
  public interface Filter {
    boolean accept(Object rule, int port);
  }

  /** The residual shape: the key (the rule) removed. */
  public interface PortTest {
    boolean accept(int port);
  }

  /** An entry point returning a quasi-invariant's value, for the concurrency test. */
  public interface PortReader {
    int read(Object rule, int plus);
  }

  public static int portPlus(final Rule rule, final int plus) {
    return rule.port + plus;
  }

  public static boolean accept(final Rule rule, final int port) {
    return port == rule.port;
  }

  /** Writes the quasi-invariant it reads: the residual store would not be woven, so versions are declined. */
  public static boolean acceptAndRetune(final Rule rule, final int port) {
    rule.port = port + 1;
    return port == rule.port;
  }

  /** An unwoven class: versions relying on it must be declined. */
  public static final class Bare {
    public int port;

    public Bare(final int port) {
      this.port = port;
    }
  }

  public static boolean acceptBare(final Bare rule, final int port) {
    return port == rule.port;
  }

  /** An entry that returns nothing: it adds the rule's port to a total. */
  public interface Tally {
    void add(Rule rule, long[] total);
  }

  /** What {@link Tally} calls: a void method with a key and an unknown argument. */
  public static void tally(final Rule rule, final long[] total) {
    total[0] += rule.port;
  }
}
