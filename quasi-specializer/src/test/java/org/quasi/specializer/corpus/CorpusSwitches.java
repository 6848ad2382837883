package org.quasi.specializer.corpus;

/** Corpus: switches on enums (javac's {@code $SwitchMap$} tables) and strings, and boxing caches. */
public final class CorpusSwitches {
  private CorpusSwitches() {
  }

  public static int enumSwitch(final Color c, final int x) {
    switch (c) {
      case RED:
        return x + 1;
      case GREEN:
        return x * 2;
      case BLUE:
        return x - 3;
      default:
        return -x;
    }
  }

  public static String enumAfterCall(final Color c, final int[] a) {
    if (a != null && a.length > 0) {
      a[0] = c == null ? -1 : c.ordinal();
    }
    switch (c) {
      case BLACK:
        return "dark";
      case RED:
        return "warm";
      default:
        return "other";
    }
  }

  public static int stringSwitch(final String s, final Color c) {
    switch (s) {
      case "add":
        return c.ordinal() + 10;
      case "hello":
        return enumSwitch(c, 5);
      default:
        return s.length();
    }
  }

  public static boolean sameBox(final int a, final int b) {
    // Scaled to cross the Integer cache's bounds (-128..127) in both directions.
    final Integer x = a * 43;
    final Integer y = b * 43;
    return x == y;
  }

  public static boolean sameLongBox(final long a) {
    final Long x = a * 20;
    final Long y = a * 20;
    return x == y && x.equals(y);
  }

  public static int unboxSum(final Integer a, final int b) {
    final Integer c = b;
    return a + c + (c.equals(a) ? 100 : 0);
  }
}
