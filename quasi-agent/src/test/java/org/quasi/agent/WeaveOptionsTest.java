package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which classes cannot be woven by default, and how options compose. */
class WeaveOptionsTest {

  @Test
  void theJdksClassesCannotBeWovenAnApplicationsCan() {
    assertThat(WeaveOptions.JDK.test("java/io/StreamTokenizer")).isTrue();
    assertThat(WeaveOptions.JDK.test("javax/swing/JButton")).isTrue();
    assertThat(WeaveOptions.JDK.test("jdk/internal/misc/Unsafe")).isTrue();
    assertThat(WeaveOptions.JDK.test("javax/servlet/http/HttpServlet")).as("a library, not the JDK").isFalse();
    assertThat(WeaveOptions.JDK.test("org/quasi/agent/fixtures/Rule")).isFalse();
    assertThat(WeaveOptions.JDK.test("Main")).isFalse();
  }

  @Test
  void optionsAreImmutableAndCompose() {
    final WeaveOptions d = WeaveOptions.defaults();
    final WeaveOptions more = d.withStrict(true).withUnwoven("com/x/Old"::equals);
    assertThat(d.strict()).isFalse();
    assertThat(d.unwoven().test("com/x/Old")).isFalse();
    assertThat(more.strict()).isTrue();
    assertThat(more.unwoven().test("com/x/Old")).isTrue();
    assertThat(more.unwoven().test("java/lang/String")).isTrue();
  }
}
