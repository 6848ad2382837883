package org.quasi.agent.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The agent argument round-trips every option, any character of a pattern or path included, and names bad input. */
class ShadowOptionsTest {

  @Test
  void roundTrips() {
    final ShadowOptions o = new ShadowOptions(50, -3, Pattern.compile("^a\\.b&c=d|e,f"), 4,
        Path.of("/tmp/r e.json"), Path.of("/tmp/s.txt"));
    final ShadowOptions back = ShadowOptions.parse(o.agentArgument());
    assertThat(back.sample()).isEqualTo(50);
    assertThat(back.seed()).isEqualTo(-3);
    assertThat(back.include().pattern()).isEqualTo("^a\\.b&c=d|e,f");
    assertThat(back.maxPerMethod()).isEqualTo(4);
    assertThat(back.report()).isEqualTo(Path.of("/tmp/r e.json"));
    assertThat(back.summary()).isEqualTo(Path.of("/tmp/s.txt"));
  }

  @Test
  void defaultsWhenOnlyThePrefixIsGiven() {
    final ShadowOptions o = ShadowOptions.parse("shadow:");
    assertThat(o.sample()).isEqualTo(1);
    assertThat(o.report()).isNull();
  }

  @Test
  void namesBadInput() {
    assertThatThrownBy(() -> ShadowOptions.parse("shadow:sample=x")).hasMessageContaining("sample=x is not a number");
    assertThatThrownBy(() -> ShadowOptions.parse("shadow:colour=red")).hasMessageContaining("unknown option 'colour'");
    assertThatThrownBy(() -> ShadowOptions.parse("shadow:include=%28"))
        .hasMessageContaining("not a regular expression");
    assertThatThrownBy(() -> ShadowOptions.parse("shadow:sample=0")).hasMessageContaining("1/0");
    assertThatThrownBy(() -> ShadowOptions.parse("shadow:seed")).hasMessageContaining("not key=value");
  }
}
