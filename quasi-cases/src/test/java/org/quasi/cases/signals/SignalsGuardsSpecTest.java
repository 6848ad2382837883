package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecParser;

/**
 * The spec the tests and benchmarks give the agent (signals-guards.spec) declares exactly the quasi-invariants of the
 * case's spec, without its entry line, and the case's spec declares the one entry point the Quasi variant builds.
 */
class SignalsGuardsSpecTest {

  private static QuasiSpec read(final String name) throws Exception {
    try (InputStream in = Kernel.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return SpecParser.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theAgentsSpecIsTheCasesSpecWithoutItsEntryLine() throws Exception {
    QuasiSpec full = read(QuasiKernel.SPEC);
    QuasiSpec guards = read("signals-guards.spec");
    assertThat(guards.quasiInvariants()).extracting(e -> e.owner() + "." + e.name())
        .containsExactlyElementsOf(full.quasiInvariants().stream().map(e -> e.owner() + "." + e.name()).toList());
    assertThat(guards.entryPoints()).isEmpty();
    assertThat(full.entryPoints()).singleElement().satisfies(e -> {
      assertThat(e.method()).isEqualTo(Kernel.class.getName() + ".sysKill(II)I");
      assertThat(e.keys()).containsExactly("this.current", "arg0", "arg1");
    });
  }
}
