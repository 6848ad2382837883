package org.quasi.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.quasi.agent.ClassBytes;
import org.quasi.agent.GuardSpec;

/** The agent's transformer: what it weaves, what it skips, and how it reports a class it cannot weave. */
class LoadTimeWeavingTest {

  private final ClassLoader loader = LoadTimeWeavingTest.class.getClassLoader();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final LoadTimeWeaving weaving = new LoadTimeWeaving(GuardSpec.annotationsOnly(),
      new PrintStream(log, true, StandardCharsets.UTF_8));

  @Test
  void applicationClassesWithGuardedWritesAreWoven() {
    assertThat(transform("org/quasi/agent/fixtures/Rule")).isNotNull();
    assertThat(transform("org/quasi/agent/fixtures/Scenario")).as("nothing to weave").isNull();
  }

  @Test
  void quasiAndJdkClassesAreSkipped() {
    assertThat(transform("org/quasi/agent/Weaver")).isNull();
    assertThat(weaving.transform(null, "java/lang/String", null, null, new byte[0])).isNull();
    assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aClassThatCannotBeWovenIsLeftAsItIsAndNamed() {
    assertThat(weaving.transform(loader, "com/x/Broken", null, null, new byte[] {1, 2})).isNull();
    assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("quasi-agent: left com.x.Broken unwoven:");
  }

  private byte[] transform(final String name) {
    return weaving.transform(loader, name, null, null, ClassBytes.of(loader).find(name));
  }
}
