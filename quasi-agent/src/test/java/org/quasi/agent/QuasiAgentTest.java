package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's argument: a spec file, the option {@code strict}, or both. */
class QuasiAgentTest {

  @Test
  void noArgumentMeansAnnotationsOnlyAndTheDefaultMode() {
    assertThat(QuasiAgent.spec(null)).isEqualTo(GuardSpec.annotationsOnly());
    assertThat(QuasiAgent.options("").strict()).isFalse();
  }

  @Test
  void strictAloneOrBeforeTheSpecFile(@TempDir final Path dir) throws Exception {
    final Path spec = dir.resolve("app.spec");
    Files.writeString(spec, "quasi-spec 1\nquasi-invariant com.x.Task.uid\n");
    assertThat(QuasiAgent.options("strict").strict()).isTrue();
    assertThat(QuasiAgent.spec("strict")).isEqualTo(GuardSpec.annotationsOnly());
    assertThat(QuasiAgent.options("strict," + spec).strict()).isTrue();
    assertThat(QuasiAgent.spec("strict," + spec).declared()).containsExactly("com/x/Task.uid");
    assertThat(QuasiAgent.options(spec.toString()).strict()).isFalse();
  }

  @Test
  void aMissingSpecFileIsNamed() {
    assertThatThrownBy(() -> QuasiAgent.spec("strict,no/such.spec")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no/such.spec");
  }
}
