package org.quasi.specializer.facade;

/** The package-private part of a facade, as kotlinc's multifile classes ({@code CharsKt__CharJVMKt}) are. */
class FacadePart {
  /** Read through {@link Facade}, which inherits it. */
  public static final int[] DIGITS = {7, 8, 9};

  FacadePart() {}

  /** Called through {@link Facade}, which inherits it, as {@code CharsKt.checkRadix} is. */
  public static int checkRadix(final int radix) {
    if (radix < 2 || radix > 36) {
      throw new IllegalArgumentException("radix " + radix + " was not in valid range");
    }
    return radix;
  }
}
