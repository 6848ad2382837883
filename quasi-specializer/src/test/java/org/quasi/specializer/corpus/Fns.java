package org.quasi.specializer.corpus;

/** Functional interfaces of every arity up to 5, all in Object: the bridge casts and boxes. */
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

  public static Class<?> ofArity(final int n) {
    return switch (n) {
      case 0 -> Fn0.class;
      case 1 -> Fn1.class;
      case 2 -> Fn2.class;
      case 3 -> Fn3.class;
      case 4 -> Fn4.class;
      case 5 -> Fn5.class;
      default -> throw new IllegalArgumentException("arity " + n);
    };
  }

  public static Object call(final Object fn, final Object[] a) {
    return switch (a.length) {
      case 0 -> ((Fn0) fn).apply();
      case 1 -> ((Fn1) fn).apply(a[0]);
      case 2 -> ((Fn2) fn).apply(a[0], a[1]);
      case 3 -> ((Fn3) fn).apply(a[0], a[1], a[2]);
      case 4 -> ((Fn4) fn).apply(a[0], a[1], a[2], a[3]);
      default -> ((Fn5) fn).apply(a[0], a[1], a[2], a[3], a[4]);
    };
  }
}
