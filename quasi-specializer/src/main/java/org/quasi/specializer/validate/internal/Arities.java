package org.quasi.specializer.validate.internal;

/**
 * Functional interfaces of every arity up to {@link #MAX}, all in {@code Object}: the residual class's bridge casts,
 * boxes and unboxes, so one interface per arity fits every method. They are public because the hidden residual class,
 * defined in the validated library's class loader, implements them.
 */
public final class Arities {
  /** The most unknown arguments a validated specialization may take. */
  public static final int MAX = 8;

  private Arities() {
  }

  /** No unknown argument. */
  public interface A0 {
    Object apply();
  }

  /** One unknown argument. */
  public interface A1 {
    Object apply(Object a);
  }

  /** Two unknown arguments. */
  public interface A2 {
    Object apply(Object a, Object b);
  }

  /** Three unknown arguments. */
  public interface A3 {
    Object apply(Object a, Object b, Object c);
  }

  /** Four unknown arguments. */
  public interface A4 {
    Object apply(Object a, Object b, Object c, Object d);
  }

  /** Five unknown arguments. */
  public interface A5 {
    Object apply(Object a, Object b, Object c, Object d, Object e);
  }

  /** Six unknown arguments. */
  public interface A6 {
    Object apply(Object a, Object b, Object c, Object d, Object e, Object f);
  }

  /** Seven unknown arguments. */
  public interface A7 {
    Object apply(Object a, Object b, Object c, Object d, Object e, Object f, Object g);
  }

  /** Eight unknown arguments. */
  public interface A8 {
    Object apply(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h);
  }

  /** Returns the interface taking {@code n} arguments, {@code 0 <= n <= MAX}. */
  public static Class<?> ofArity(final int n) {
    return switch (n) {
      case 0 -> A0.class;
      case 1 -> A1.class;
      case 2 -> A2.class;
      case 3 -> A3.class;
      case 4 -> A4.class;
      case 5 -> A5.class;
      case 6 -> A6.class;
      case 7 -> A7.class;
      case 8 -> A8.class;
      default -> throw new IllegalArgumentException("no functional interface of arity " + n + " (max " + MAX + ")");
    };
  }

  /** Calls {@code fn}, an instance of {@code ofArity(a.length)}, on the arguments {@code a}. */
  public static Object call(final Object fn, final Object[] a) {
    return switch (a.length) {
      case 0 -> ((A0) fn).apply();
      case 1 -> ((A1) fn).apply(a[0]);
      case 2 -> ((A2) fn).apply(a[0], a[1]);
      case 3 -> ((A3) fn).apply(a[0], a[1], a[2]);
      case 4 -> ((A4) fn).apply(a[0], a[1], a[2], a[3]);
      case 5 -> ((A5) fn).apply(a[0], a[1], a[2], a[3], a[4]);
      case 6 -> ((A6) fn).apply(a[0], a[1], a[2], a[3], a[4], a[5]);
      case 7 -> ((A7) fn).apply(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
      case 8 -> ((A8) fn).apply(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
      default -> throw new IllegalArgumentException("no functional interface of arity " + a.length);
    };
  }
}
