package org.quasi.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;
import org.quasi.runtime.Guards;
import org.quasi.runtime.Quid;
import org.quasi.runtime.QuidHolder;

/**
 * A field that loaded code writes without a guard (a class the agent could not weave): the version relying on it is
 * unplugged, and the key is declined from then on, with the reason. Its own class, since the mark lasts for the JVM.
 */
class UnguardedFieldEntryTest {

  /** A gate as quasi-agent weaves it ({@code limit} quasi-invariant), written by hand. */
  public static final class Gate implements QuidHolder {
    private volatile Quid $quasi$quid;
    public int limit;

    Gate(final int limit) {
      this.limit = limit;
    }

    @Override
    public Quid $quasi$quid() {
      return $quasi$quid;
    }

    @Override
    public void $quasi$setQuid(final Quid quid) {
      $quasi$quid = quid;
    }
  }

  public static boolean below(final Gate gate, final int x) {
    return x < gate.limit;
  }

  @Test
  void aVersionOnAFieldWrittenWithoutAGuardIsUnpluggedAndTheKeyDeclined() throws Exception {
    final EntryPoint<Rules.Filter> entry = EntryPoint.builder(MethodHandles.lookup(),
            UnguardedFieldEntryTest.class.getMethod("below", Gate.class, int.class), Rules.Filter.class)
        .keys(0).residual(Rules.PortTest.class).quasiInvariant(Gate.class, "limit")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    final Gate gate = new Gate(10);
    assertThat(entry.function().accept(gate, 3)).isTrue();
    assertThat(entry.counters().specializations()).isEqualTo(1);

    Guards.writtenWithoutGuard(Gate.class.getName(), "limit", "demo.Tuner writes it and could not be woven");
    assertThat(entry.counters().invalidations()).isEqualTo(1);
    gate.limit = 2; // the unguarded write itself

    assertThat(entry.function().accept(gate, 3)).isFalse();
    assertThat(entry.function().accept(gate, 1)).isTrue();
    assertThat(entry.counters().specializations()).as("never specialized again").isEqualTo(1);
    assertThat(entry.counters().declined()).isEqualTo(1);
    assertThat(entry.declinedBecause(gate)).contains("which loaded code writes without a guard: demo.Tuner writes it"
        + " and could not be woven");
  }
}
