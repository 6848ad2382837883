package org.quasi.cli.shadowfixture;

/**
 * A program that ends without running its shutdown hooks, as one killed by the system's out-of-memory killer does:
 * it calls a method free of heap writes, waits past the interval at which shadow mode writes its report during a run,
 * calls it again, and halts with status 7.
 */
public final class HaltingFixture {
  private HaltingFixture() {
  }

  /** Free of heap writes: probed. */
  public static int twice(final int x) {
    return x + x;
  }

  public static void main(final String[] args) throws InterruptedException {
    int check = twice(20);
    Thread.sleep(1_200);
    check += twice(1);
    System.out.println("computed " + check);
    System.out.flush();
    Runtime.getRuntime().halt(7);
  }
}
