package org.quasi.agent.shadow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The screen proves the fixture's pure methods free of heap writes and names the write in each of the others. */
class HeapWriteScreenTest {
  private static final String OWNER = "org/quasi/agent/shadow/fixtures/Effects";

  private final HeapWriteScreen screen = new HeapWriteScreen(HeapWriteScreenTest.class.getClassLoader());

  @ParameterizedTest
  @CsvSource({"add, (II)I", "plusBase, (I)I", "filled, (II)[I", "joined, (Ljava/lang/String;I)Ljava/lang/String;",
      "copyPlusOne, ([I)[I", "sumViaHelper, ([I)I", "factorial, (I)I", "quotient, (II)I",
      "lengthOf, (Ljava/lang/String;)I", "sumOf, (JD[I)J", "matches, (Ljava/lang/String;)Z"})
  void provesMethodsWithoutHeapWritesFree(final String name, final String desc) {
    assertThat(screen.problem(OWNER, name, desc)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "hit|()I|writes field org.quasi.agent.shadow.fixtures.Effects.hits of an object it did not allocate",
      "bump|()V|writes static field",
      "clear|([I)V|calls java.util.Arrays.fill, which writes into an array argument it did not allocate",
      "setFirst|([I)V|writes an element of an array it did not allocate",
      "viaCall|([I)V|Effects.setFirst writes an element of an array it did not allocate (through",
      "callsOverridable|()I|calls org.quasi.agent.shadow.fixtures.Effects.overridable virtually",
      "locked|(I)I|is synchronized",
      "addTo|(Ljava/util/List;)V|calls java.util.List.add, a JDK method not known to be free of heap writes",
      "checked|(Ljava/lang/String;)Ljava/lang/String;|calls java.util.Objects.requireNonNull with a callback"})
  void namesTheHeapWrite(final String name, final String desc, final String expected) {
    assertThat(screen.problem(OWNER, name, desc)).contains(expected);
  }

  @Test
  void aClassItCannotReadIsNotProven() {
    assertThat(screen.problem("no/such/Thing", "m", "()V")).contains("whose class file cannot be read");
  }

  @Test
  void theValidatorsEffectRulesApply() {
    assertThat(screen.problem("org/quasi/agent/shadow/fixtures/Printing", "say", "()V"))
        .contains("java.lang.System.out");
  }
}
