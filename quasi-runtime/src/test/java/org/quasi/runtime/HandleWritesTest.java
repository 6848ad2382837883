package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.junit.jupiter.api.Test;

/** Remembered handles: a write through one begins a guarded write when its location is guarded. */
class HandleWritesTest {

  @Test
  void aRememberedVarHandleWriteToAGuardedObjectIsBracketed() throws Exception {
    final VarHandle port = MethodHandles.privateLookupIn(WovenByHand.class, MethodHandles.lookup())
        .findVarHandle(WovenByHand.class, "port", int.class);
    final WovenByHand o = new WovenByHand(80);
    final CauseRecorder r = new CauseRecorder();
    Guards.register(r, o, WovenByHand.class, "port");
    assertThat(HandleWrites.begin(port, o)).as("not remembered yet").isNull();

    HandleWrites.remember(port, WovenByHand.class, "port", false);
    final Object token = HandleWrites.begin(port, o);
    port.set(o, 81);
    HandleWrites.end(token, port, o, false);

    assertThat(token).isNotNull();
    assertThat(r.cause).isEqualTo(new GuardedLocation(o, WovenByHand.class, "port"));
    assertThat(Guards.register(new CauseRecorder(), o, WovenByHand.class, "port").unchanged()).isTrue();
    assertThat(HandleWrites.begin(port, new WovenByHand(1))).as("no QUID").isNull();
    assertThat(HandleWrites.begin(port, "another type")).isNull();
  }

  @Test
  void aRememberedStaticFieldHandleUsesTheStaticFlag() throws Exception {
    final Object handle = new Object();
    HandleWrites.remember(handle, WovenByHand.class.getDeclaredField("limit"));
    final CauseRecorder r = new CauseRecorder();
    Guards.register(r, null, WovenByHand.class, "limit");
    final Object token = HandleWrites.begin(handle, null);
    HandleWrites.end(token, handle, null, false);
    assertThat(r.cause).isEqualTo(new GuardedLocation(null, WovenByHand.class, "limit"));
  }
}
