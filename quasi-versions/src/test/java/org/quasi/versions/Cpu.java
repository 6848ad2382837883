package org.quasi.versions;

/**
 * A processor whose {@code current} rule changes on every "context switch": a key read from a field, never guarded
 * (this class is not woven). The rule's {@code port} is the guarded quasi-invariant.
 */
public final class Cpu {

  public Rule current;

  /** The entry's shape: receiver, then a primitive int and a primitive long key. */
  public interface Sender {
    int send(Object cpu, int pid, long sig);
  }

  /** The residual shape when every argument is a key. */
  public interface Result {
    int get();
  }

  /** The residual shape of {@link #switchAndSend}: the next rule stays an argument. */
  public interface Switcher {
    int send(Object next, int pid);
  }

  /** The entry shape of {@link #switchAndSend}. */
  public interface SwitchEntry {
    int send(Object cpu, Object next, int pid);
  }

  /** Like a kill: permitted when the current rule's port is the pid; returns the signal or -1. */
  public int send(final int pid, final long sig) {
    return current.port == pid ? (int) sig : -1;
  }

  /** Reads current, switches to {@code next}, reads current again: the second read must see {@code next}. */
  public int switchAndSend(final Rule next, final int pid) {
    final int before = current.port;
    current = next;
    return before * 1000 + current.port + pid;
  }
}
