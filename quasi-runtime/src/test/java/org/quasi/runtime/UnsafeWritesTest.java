package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Remembered offsets: a store at one into a guarded object begins a guarded write. */
class UnsafeWritesTest {

  @Test
  void aStoreAtARememberedOffsetOfAGuardedObjectIsBracketed() throws Exception {
    final long offset = 1_000_003L; // any number: the runtime only compares offsets
    UnsafeWrites.remember(offset, WovenByHand.class.getDeclaredField("port"));
    final WovenByHand o = new WovenByHand(80);
    assertThat(UnsafeWrites.begin(o, offset)).as("no QUID").isNull();
    final CauseRecorder r = new CauseRecorder();
    Guards.register(r, o, WovenByHand.class, "port");
    assertThat(UnsafeWrites.begin(o, offset + 8)).as("another offset").isNull();
    assertThat(UnsafeWrites.begin("another type", offset)).isNull();

    final Object token = UnsafeWrites.begin(o, offset);
    UnsafeWrites.end(token, o, offset, false);

    assertThat(r.cause).isEqualTo(new GuardedLocation(o, WovenByHand.class, "port"));
    assertThat(Guards.register(new CauseRecorder(), o, WovenByHand.class, "port").unchanged()).isTrue();
  }

  @Test
  void aStaticFieldIsMatchedByItsClassAsBase() throws Exception {
    final long offset = 2_000_003L;
    UnsafeWrites.remember(offset, WovenByHand.class.getDeclaredField("limit"));
    final CauseRecorder r = new CauseRecorder();
    Guards.register(r, null, WovenByHand.class, "limit");
    final Object token = UnsafeWrites.begin(WovenByHand.class, offset);
    UnsafeWrites.end(token, WovenByHand.class, offset, false);
    assertThat(r.cause).isEqualTo(new GuardedLocation(null, WovenByHand.class, "limit"));
  }
}
