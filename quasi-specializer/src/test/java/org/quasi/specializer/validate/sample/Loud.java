package org.quasi.specializer.validate.sample;

/**
 * Methods whose effects are in methods they inherit, called through this class's own name as javac compiles an
 * unqualified call: the validator's side-effect policy must resolve them as the JVM does, and skip both.
 */
public final class Loud extends LoudBase implements Tallying {
  /** Prints to standard error through an inherited static method on its failure path (Rhino's {@code ScriptNode}). */
  public static int checked(final int x) {
    if (x < 0) {
      throw bug();
    }
    return x;
  }

  /** Writes global state through an inherited default method. */
  public int tally(final int x) {
    return bump(x);
  }
}

/** Declares the effect Loud inherits. */
abstract class LoudBase {
  static RuntimeException bug() {
    final RuntimeException e = new IllegalStateException("failed assertion");
    e.printStackTrace(System.err);
    return e;
  }
}

/** Declares a default method with an effect. */
interface Tallying {
  default int bump(final int x) {
    Counter.total += x;
    return Counter.total;
  }

  /** Holds the global state. */
  final class Counter {
    static int total;

    private Counter() {
    }
  }
}
