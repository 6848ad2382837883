package org.quasi.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts, per thread, the calls inside each version of one counting replugger, and lets the replugger wait until no
 * call is inside an old version (quiescence).
 *
 * <p><b>Protocol.</b> A version is an opaque token; {@link #current} is the token of the plugged version. A caller
 * entering publishes the token it read into its own slot (a volatile store: the one fence a call pays), then reads
 * {@code current} again and retries if it changed. A replugger installs the new target, publishes the new token
 * ({@link #advance}), then scans every slot. Because both sides store and then load through volatiles, either the
 * scan sees the caller's slot, or the caller sees the new token and enters the new version. So when
 * {@link #awaitQuiescence} returns, no thread is inside a version older than the current one, and none can enter one.
 *
 * <p>Nested calls (the function calling itself through the same replugger) leave the slot as the outermost call set
 * it: waiting for the outer call waits for the inner ones too.
 */
public final class InFlightCalls {

  /** {@link InFlightSlotFields#version}: exchanged on entry, release-stored on exit (cheaper than a volatile store). */
  private static final VarHandle VERSION;

  static {
    try {
      VERSION = MethodHandles.privateLookupIn(InFlightSlotFields.class, MethodHandles.lookup())
          .findVarHandle(InFlightSlotFields.class, "version", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Longest pause between two scans while waiting, in nanoseconds. */
  private static final long MAX_PARK_NANOS = 1_000_000L;

  /** The token of the version now plugged. */
  private volatile Object current = new Object();

  /** Every slot ever made for a live thread; scanned by the replugger, appended to once per thread. */
  private final List<InFlightSlot> slots = new CopyOnWriteArrayList<>();

  /**
   * Slots indexed by thread id, for ids below {@link #DIRECT_IDS}: finding the caller's slot is then two loads, where
   * a {@link ThreadLocal} lookup costs about a nanosecond more. Thread ids are never reused, so a slot found at its
   * owner's id is the owner's. Grown (copied) under the lock of {@link #slots}.
   */
  private volatile InFlightSlot[] byThreadId = new InFlightSlot[64];

  /** Threads with larger ids (long-running programs that churn threads) fall back to a thread-local. */
  private static final int DIRECT_IDS = 1 << 14;

  /** This replugger's slot for threads whose id is at least {@link #DIRECT_IDS}. */
  private final ThreadLocal<InFlightSlot> fallback = ThreadLocal.withInitial(this::register);

  /** What {@link #enter} returns for a nested call: the outer call's entry already covers it. */
  private static final InFlightSlot NESTED = new InFlightSlot(null);

  /** Enters a call; returns the slot to pass to {@link #exit}. */
  public InFlightSlot enter() {
    final InFlightSlot slot = slot();
    // Only the owner writes a non-null version, so it reads its own slot without a race.
    if (slot.version != null) {
      return NESTED;
    }
    // A volatile store then a volatile load of current: the store-load order the protocol rests on. getAndSet
    // makes the store and its fence one atomic exchange, a little cheaper than a store followed by a fence.
    Object seen = current;
    VERSION.getAndSet(slot, seen);
    while (seen != current) {
      seen = current;
      VERSION.getAndSet(slot, seen);
    }
    return slot;
  }

  /** The calling thread's slot, made on its first call. */
  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() returns the same value.
  private InFlightSlot slot() {
    final long id = Thread.currentThread().getId();
    final InFlightSlot[] direct = byThreadId;
    if (id < direct.length) {
      final InFlightSlot slot = direct[(int) id];
      if (slot != null) {
        return slot;
      }
    }
    return id < DIRECT_IDS ? registerDirect((int) id) : fallback.get();
  }

  /** Makes the calling thread's slot and files it under its id. */
  private InFlightSlot registerDirect(final int id) {
    synchronized (slots) {
      InFlightSlot[] direct = byThreadId;
      if (id >= direct.length) {
        direct = java.util.Arrays.copyOf(direct, Math.min(DIRECT_IDS, Integer.highestOneBit(id) << 1));
      } else {
        direct = direct.clone();
      }
      final InFlightSlot slot = register();
      direct[id] = slot;
      byThreadId = direct;
      return slot;
    }
  }

  /** Leaves a call entered with {@link #enter}. */
  public static void exit(final InFlightSlot slot) {
    if (slot != NESTED) {
      VERSION.setRelease(slot, (Object) null);
    }
  }

  /** Makes a new version current; calls that enter from now on count against it. */
  public void advance() {
    current = new Object();
  }

  /** Whether the calling thread is inside a call counted here. */
  public boolean insideCall() {
    return slot().version != null;
  }

  /** How many threads are inside a call now (any version). */
  public int threadsInside() {
    int n = 0;
    for (final InFlightSlot slot : slots) {
      if (slot.version != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * Waits until no thread is inside a version older than the current one.
   *
   * @throws TimeoutException after {@code timeout}, naming the threads still inside an old version
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void awaitQuiescence(final Duration timeout) throws TimeoutException, InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    long park = 1_000L;
    int spins = 0;
    while (true) {
      final List<Thread> inside = insideOldVersions();
      if (inside.isEmpty()) {
        return;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for " + names(inside) + " to leave");
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TimeoutException(names(inside));
      }
      if (spins++ < 100) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(park);
        park = Math.min(park * 2, MAX_PARK_NANOS);
      }
    }
  }

  /** The threads inside an old version now; drops the slots of threads that died outside any call. */
  private List<Thread> insideOldVersions() {
    final Object now = current;
    final List<Thread> inside = new ArrayList<>();
    for (final InFlightSlot slot : slots) {
      final Object entered = slot.version;
      final Thread owner = slot.owner.get();
      if (entered == null) {
        if (owner == null || !owner.isAlive()) {
          forget(slot);
        }
      } else if (entered != now) {
        inside.add(owner);
      }
    }
    return inside;
  }

  /** Drops a dead thread's slot, from the list and from the id index. */
  private void forget(final InFlightSlot slot) {
    synchronized (slots) {
      slots.remove(slot);
      final InFlightSlot[] direct = byThreadId.clone();
      for (int i = 0; i < direct.length; i++) {
        if (direct[i] == slot) {
          direct[i] = null;
        }
      }
      byThreadId = direct;
    }
  }

  private InFlightSlot register() {
    final InFlightSlot slot = new InFlightSlot(Thread.currentThread());
    slots.add(slot);
    return slot;
  }

  private static String names(final List<Thread> threads) {
    final StringBuilder sb = new StringBuilder();
    for (final Thread t : threads) {
      sb.append(sb.length() == 0 ? "" : ", ").append(t == null ? "a thread that has died" : "'" + t.getName() + "'");
    }
    return sb.toString();
  }
}
