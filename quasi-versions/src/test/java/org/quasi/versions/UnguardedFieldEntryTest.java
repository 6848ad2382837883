package org.quasi.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;
import org.quasi.runtime.Guards;

/**
 * A field that loaded code writes without a guard (a class the agent could not weave): the version relying on it is
 * unplugged, and the key is declined from then on, with the reason. A field no other test relies on: the mark lasts for
 * the JVM's life.
 */
class UnguardedFieldEntryTest {

  public static boolean below(final Rule rule, final int x) {
    return x < rule.limit;
  }

  @Test
  void aVersionOnAFieldWrittenWithoutAGuardIsUnpluggedAndTheKeyDeclined() throws Exception {
    final EntryPoint<Rules.Filter> entry = EntryPoint.builder(MethodHandles.lookup(),
            UnguardedFieldEntryTest.class.getMethod("below", Rule.class, int.class), Rules.Filter.class)
        .keys(0).quasiInvariant(Rule.class, "limit")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    final Rule rule = new Rule(0);
    rule.limit = 10;
    assertThat(entry.function().accept(rule, 3)).isTrue();
    assertThat(entry.counters().specializations()).isEqualTo(1);

    Guards.writtenWithoutGuard(Rule.class.getName(), "limit", "demo.Tuner writes it and could not be woven");
    assertThat(entry.counters().invalidations()).isEqualTo(1);
    rule.limit = 2; // the unguarded write itself

    assertThat(entry.function().accept(rule, 3)).isFalse();
    assertThat(entry.function().accept(rule, 1)).isTrue();
    assertThat(entry.counters().specializations()).as("never specialized again").isEqualTo(1);
    assertThat(entry.counters().declined()).isEqualTo(1);
    assertThat(entry.declinedBecause(rule)).contains("which loaded code writes without a guard: demo.Tuner writes it"
        + " and could not be woven");
  }
}
