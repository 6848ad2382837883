package org.quasi.specializer.corpus;

import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;

/**
 * Corpus: escape analysis meeting exception handlers and monitors. Objects, lambdas and boxes allocated in the method
 * are live in a handler while the try block lets them escape into a call that stores them and then throws (the
 * handler must see the very object that escaped, not a new copy); objects locked or made to escape inside
 * {@code synchronized} blocks; joins of returning paths inside locked regions (the lock is released on every path).
 */
public final class CorpusEscapeHandlers {
  private CorpusEscapeHandlers() {
  }

  /** Where objects escape to: an interface, so a call through an unknown receiver stays residual. */
  public interface Sink {
    /** Keeps {@code o}, then throws when the sink is full. */
    void put(Object o);

    Object last();

    void clear();
  }

  /** A sink that keeps the last object and throws once it has taken more than {@code room} objects. */
  public static final class Recorder implements Sink {
    private Object last;
    private int room;

    public Recorder(final int room) {
      this.room = room;
    }

    @Override
    public void put(final Object o) {
      last = o;
      if (--room < 0) {
        throw new IllegalStateException("full");
      }
    }

    @Override
    public Object last() {
      return last;
    }

    @Override
    public void clear() {
      last = null;
    }

    @Override
    public String toString() {
      return room + ":" + last;
    }
  }

  /**
   * Stores {@code o} into {@code out[0]}, then throws when {@code k > 3}: the store has happened when the caller's
   * handler runs. Too large to be inlined on unknown arguments, so the caller passes a real object.
   */
  static void record(final Object[] out, final Object o, final int k) {
    out[0] = o;
    if (k > 3) {
      throw new IllegalStateException("k=" + k);
    }
  }

  /** A record escapes into {@code record}, which may throw after storing it; the handler compares identities. */
  public static int escapesThenThrows(final Object[] out, final int x, final int k) {
    final CorpusEscape.Point p = new CorpusEscape.Point(x, k);
    try {
      record(out, p, k);
      return p.x() + 1;
    } catch (IllegalStateException e) {
      return out[0] == p ? 100 + p.y() : -100;
    } catch (RuntimeException e) {
      return p.x() * 1000 + (e instanceof NullPointerException ? 1 : 2);
    }
  }

  /** As above with a plain object whose constructor chains; the handler reads a field of the escaped object. */
  public static long cellEscapes(final Object[] out, final long v, final int k) {
    final CorpusEscape.Cell c = new CorpusEscape.Cell(v, k);
    try {
      record(out, c, k);
      record(out, c, k - 2);
    } catch (RuntimeException e) {
      return out.length > 0 && out[0] == c ? c.twice() + c.small : -c.value;
    }
    return c.value;
  }

  /**
   * A lambda escapes inside the try; the handler calls it and checks it is the one stored. The slot is cleared
   * after: the residual code's lambda has another (hidden) class than the original's, which is not a divergence.
   */
  public static int lambdaEscapes(final Object[] out, final int k) {
    final IntSupplier s = () -> k * 2 + 1;
    try {
      record(out, s, k);
      return s.getAsInt();
    } catch (RuntimeException e) {
      return out.length > 0 && out[0] == s ? s.getAsInt() : -s.getAsInt();
    } finally {
      if (out != null && out.length > 0) {
        out[0] = null;
      }
    }
  }

  /** A lambda that never escapes, called in the try and in the handler. */
  public static int lambdaInHandler(final int[] a, final int i, final int k) {
    final IntUnaryOperator f = v -> v * k + 1;
    try {
      return f.applyAsInt(a[i]);
    } catch (RuntimeException e) {
      return f.applyAsInt(-1) + (e instanceof NullPointerException ? 100 : 200);
    }
  }

  /**
   * A box of a run-time int escapes and the call throws; the handler compares identities: with the stored box, and
   * with another box of the same value (the same only for cached values).
   */
  public static int boxEscapes(final Object[] out, final int x) {
    final Integer b = x * 20;
    try {
      record(out, b, x);
      return b;
    } catch (RuntimeException e) {
      final int stored = out.length > 0 && out[0] == b ? 1 : 2;
      final Integer other = x * 20;
      return stored + (b == other ? 10 : 20) + (b.equals(other) ? 100 : 200);
    }
  }

  /** Boxes of equal values: identical only when {@code valueOf} shares them (a fresh box is never a constant). */
  public static int boxIdentity(final int x, final int y) {
    final Integer a = x * 30;
    final Integer b = y * 30;
    final Integer c = a;
    return (a == b ? 1 : 0) + (a == c ? 10 : 0) + (a.equals(b) ? 100 : 0);
  }

  /** A virtual object locked: its monitor is the real object's, held inside and released after. */
  public static int locksAnObject(final Object[] out, final int x) {
    final CorpusEscape.Point p = new CorpusEscape.Point(x, 2 * x);
    final int inside;
    synchronized (p) {
      if (out.length > 0) {
        out[0] = p;
      }
      inside = Thread.holdsLock(p) ? 1 : 0;
    }
    return inside + (Thread.holdsLock(p) ? 10 : 0) + p.y();
  }

  /** An object escapes inside a locked region whose body may throw; the handler sees the stored object. */
  public static int escapesWhileLocked(final Object lock, final Object[] out, final int k) {
    final CorpusEscape.Point p = new CorpusEscape.Point(k, -k);
    try {
      synchronized (lock) {
        record(out, p, k);
        return p.x();
      }
    } catch (RuntimeException e) {
      return (out.length > 0 && out[0] == p ? 50 : 60) + (lock != null && Thread.holdsLock(lock) ? 1000 : 0);
    }
  }

  private static int lockedTernary(final Object lock, final int x) {
    synchronized (lock) {
      return x > 0 ? x : -x;
    }
  }

  private static synchronized int lockedJoin(final int x, final int y) {
    final int r = x > y ? x - y : y - x;
    return r;
  }

  /** Returns that join inside a locked region: every path releases the lock before the caller checks it. */
  public static int releasedAfterReturns(final Object lock, final int x, final int y) {
    final int a = lockedTernary(lock, x);
    final int b = lockedJoin(x, y);
    return a + b + (Thread.holdsLock(lock) ? 1000 : 0)
        + (Thread.holdsLock(CorpusEscapeHandlers.class) ? 2000 : 0);
  }

  /** A join of returns inside a try whose handler must still run for exceptions before the join. */
  public static int returnsInTry(final int[] a, final int i) {
    try {
      final int v = a[i];
      return v > 0 ? v : -v;
    } catch (ArrayIndexOutOfBoundsException e) {
      return a.length > 0 ? -1 : -2;
    } finally {
      if (a != null && a.length > 0) {
        a[0]++;
      }
    }
  }

  /** A record escapes into a residual call that keeps it and may throw; the handler compares identities. */
  public static int escapesIntoSink(final Sink sink, final int x) {
    final CorpusEscape.Point p = new CorpusEscape.Point(x, x + 1);
    try {
      sink.put(p);
      sink.put(p);
      return p.x();
    } catch (IllegalStateException e) {
      return sink.last() == p ? 100 + p.y() : -100;
    }
  }

  /** A box escapes into the sink, which may throw; the handler compares it with the kept one and a new one. */
  public static int boxIntoSink(final Sink sink, final int x) {
    final Integer b = x * 20;
    try {
      sink.put(b);
      return 0;
    } catch (IllegalStateException e) {
      final Integer other = x * 20;
      return (sink.last() == b ? 1 : 2) + (b == other ? 10 : 20);
    }
  }

  /** A lambda escapes into the sink; the handler calls the kept one (cleared after: its class is not compared). */
  public static int lambdaIntoSink(final Sink sink, final int k) {
    final IntSupplier s = () -> k + 1;
    try {
      sink.put(s);
      return s.getAsInt();
    } catch (IllegalStateException e) {
      return sink.last() == s ? ((IntSupplier) sink.last()).getAsInt() : -1;
    } finally {
      sink.clear();
    }
  }

  /** An object escapes into the sink while a lock is held; the handler runs after the lock is released. */
  public static int sinkWhileLocked(final Object lock, final Sink sink, final int x) {
    final CorpusEscape.Cell c = new CorpusEscape.Cell(x, x);
    try {
      synchronized (lock) {
        sink.put(c);
        return (int) c.twice();
      }
    } catch (IllegalStateException e) {
      return (sink.last() == c ? 7 : 8) + (Thread.holdsLock(lock) ? 1000 : 0) + c.small;
    }
  }
}
