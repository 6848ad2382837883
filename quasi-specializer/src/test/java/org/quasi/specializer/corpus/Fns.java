package org.quasi.specializer.corpus;

/**
 * Functional interfaces for tests that name one arity; the validator's {@code Arities} serves any arity by number.
 */
public final class Fns {
  private Fns() {
  }

  /** No unknown argument. */
  public interface Fn0 {
    Object apply();
  }

  /** One unknown argument. */
  public interface Fn1 {
    Object apply(Object a);
  }

  /** Two unknown arguments. */
  public interface Fn2 {
    Object apply(Object a, Object b);
  }

  /** Three unknown arguments. */
  public interface Fn3 {
    Object apply(Object a, Object b, Object c);
  }

  /** Four unknown arguments. */
  public interface Fn4 {
    Object apply(Object a, Object b, Object c, Object d);
  }

  /** Five unknown arguments. */
  public interface Fn5 {
    Object apply(Object a, Object b, Object c, Object d, Object e);
  }
}
