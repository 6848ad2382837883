package memguardfixture;

import java.awt.Point;

/** Writes a field of a JDK class, which quasi-agent guards through the side table (it cannot weave the JDK). */
public final class JdkWriters {

  private JdkWriters() {
  }

  public static void setX(final Point p, final int v) {
    p.x = v; // site: jdkField
  }
}
