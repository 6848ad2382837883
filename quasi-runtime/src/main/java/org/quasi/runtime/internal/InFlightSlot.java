package org.quasi.runtime.internal;

import java.lang.ref.WeakReference;

/**
 * One thread's record of the call it is making through one counting replugger: which version its outermost call
 * entered. The owning thread writes it; the replugging thread reads it.
 *
 * <p>Each slot is its own object, allocated by its thread, and padded on both sides (through the class hierarchy,
 * since HotSpot lays out superclass fields first) so that two threads' slots never share a cache line: counting must
 * not become one contended line.
 */
public final class InFlightSlot extends InFlightSlotFields {
  // Padding after the fields; never read.
  long p10, p11, p12, p13, p14, p15, p16, p17;

  InFlightSlot(final Thread owner) {
    super(owner);
  }
}

/** Padding before the fields; never read. */
abstract class InFlightSlotPadding {
  long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The fields of an {@link InFlightSlot}. */
abstract class InFlightSlotFields extends InFlightSlotPadding {

  /** The version token the owner's outermost call entered, or {@code null} when it is inside no call. */
  volatile Object version;

  /** The owning thread, for error messages and to drop slots of dead threads. */
  final WeakReference<Thread> owner;

  InFlightSlotFields(final Thread owner) {
    this.owner = new WeakReference<>(owner);
  }
}
