package org.quasi.bench.guards;

/**
 * A processor sending to a cell, shaped like the signals case's {@code sysKill}: the sender {@code current} is a field
 * of the receiver written on every context switch (a key read at dispatch, never guarded), {@code pid} and
 * {@code sig} are primitive keys, {@code x} stays an argument; the cell's value is the guarded quasi-invariant.
 */
public final class Processor {

  /** The entry point's shape: receiver, the two primitive keys, the argument. */
  public interface Send {
    int send(Object processor, int pid, int sig, int x);
  }

  public Cell current;

  public int send(final int pid, final int sig, final int x) {
    return current.value == pid ? sig * x + 1 : -1;
  }
}
