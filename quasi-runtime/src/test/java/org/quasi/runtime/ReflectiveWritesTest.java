package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** The bracket woven around {@code Field.set*}: begins a guarded write only for a guarded location. */
class ReflectiveWritesTest {

  @Test
  void aFieldOfAnObjectWithAQuidIsBracketed() throws Exception {
    final Field port = WovenByHand.class.getDeclaredField("port");
    final WovenByHand o = new WovenByHand(80);
    assertThat(ReflectiveWrites.begin(port, o)).as("no QUID yet").isNull();
    final CauseRecorder r = new CauseRecorder();
    Guards.register(r, o, WovenByHand.class, "port");

    final Object token = ReflectiveWrites.begin(port, o);
    port.setInt(o, 81);
    ReflectiveWrites.end(token, port, o, false);

    assertThat(token).isSameAs(Guards.existingQuid(o));
    assertThat(r.cause).isEqualTo(new GuardedLocation(o, WovenByHand.class, "port"));
    assertThat(Guards.register(new CauseRecorder(), o, WovenByHand.class, "port").unchanged()).isTrue();
  }

  @Test
  void argumentsTheCallWillRejectBeginNothing() throws Exception {
    final Field port = WovenByHand.class.getDeclaredField("port");
    final WovenByHand o = new WovenByHand(80);
    Guards.register(new CauseRecorder(), o, WovenByHand.class, "port");
    assertThat(ReflectiveWrites.begin(null, o)).isNull();
    assertThat(ReflectiveWrites.begin(port, null)).isNull();
    assertThat(ReflectiveWrites.begin(port, "not a WovenByHand")).isNull();
  }

  @Test
  void aStaticFieldIsBracketedOnceItsFlagIsArmed() throws Exception {
    final Field limit = WovenByHand.class.getDeclaredField("limit");
    final CauseRecorder r = new CauseRecorder();
    Guards.register(r, null, WovenByHand.class, "limit");
    final Object token = ReflectiveWrites.begin(limit, null);
    ReflectiveWrites.end(token, limit, null, false);
    assertThat(token).isSameAs(WovenByHand.$quasi$flag$limit);
    assertThat(r.cause).isEqualTo(new GuardedLocation(null, WovenByHand.class, "limit"));
  }

  @Test
  void strictEndTestsAgainAfterACallThatFoundNoQuid() throws Exception {
    final Field port = WovenByHand.class.getDeclaredField("port");
    final WovenByHand o = new WovenByHand(80);
    final Object token = ReflectiveWrites.begin(port, o);
    final CauseRecorder r = new CauseRecorder();
    Guards.register(r, o, WovenByHand.class, "port"); // the QUID appears between the test and the end
    ReflectiveWrites.end(token, port, o, true);
    assertThat(token).isNull();
    assertThat(r.isValid()).isFalse();
  }
}
