package org.quasi.specializer.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.validate.sample.Effects;

/** {@link Validator} on the specializer's own corpus and on a sample of methods with side effects. */
class ValidatorTest {

  private static String testClasses() throws URISyntaxException {
    return Path.of(Effects.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void validatesCorpus() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("org\\.quasi\\.specializer\\.corpus\\.")).trials(6).seed(1).run();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.divergences()).as(report.text()).isEmpty();
    assertThat(report.methodsTried()).isGreaterThan(40);
    assertThat(report.methodsSpecialized()).isEqualTo(report.methodsTried());
    assertThat(report.trialsSpecialized()).isGreaterThan(200);
    assertThat(report.text()).contains("methods tried " + report.methodsTried(), "crashes 0");
  }

  @Test
  void sameSeedRepeatsTheRun() throws Exception {
    final Validator v = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("corpus\\.CorpusArith$")).trials(4).seed(42);
    assertThat(v.run().json()).isEqualTo(v.run().json());
    assertThat(v.seed(43).run().json()).isNotEqualTo(v.run().json());
  }

  @Test
  void sideEffectPolicySkipsGlobalStateIoAndRandomness() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Effects$")).trials(5).seed(3).run();
    assertThat(report.skipped()).containsEntry("writes a static field (global state)", 1)
        .containsEntry("calls I/O, global state, randomness or identity", 3)
        .containsEntry("no generator for a parameter type", 1);
    assertThat(report.methodsTried()).isEqualTo(2);
    assertThat(report.methodsSpecialized()).isEqualTo(2);
    assertThat(report.divergences()).isEmpty();
    assertThat(report.json()).contains("\"methodsTried\": 2", "\"crashes\": []");
  }

  @Test
  void aConstructorThatHangsIsDrawnNoMore() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Stubborn$")).trials(40).seed(2)
        .timeLimit(java.time.Duration.ofMillis(300)).run();
    // The first draw of a large int hangs the constructor: that method is skipped, and so are the later ones.
    assertThat(report.text()).contains("did not finish within the time limit");
    assertThat(report.skipped().keySet()).as(report.text())
        .anySatisfy(k -> assertThat(k).contains("on an earlier draw"));
    assertThat(report.crashes()).as(report.text()).isEmpty();
  }

  @Test
  void validatesJdkClassesThroughJrt() {
    final ValidationReport report = Validator.of(List.of("jrt:/java.base"))
        .include(Pattern.compile("^java\\.util\\.BitSet$")).trials(3).seed(5).run();
    assertThat(report.classes()).isEqualTo(1);
    assertThat(report.methodsTried()).isPositive();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.divergences()).as(report.text()).isEmpty();
  }

  @Test
  void badClassPathIsAClearError() {
    assertThatThrownBy(() -> Validator.of(List.of("/no/such/dir")).run())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/no/such/dir does not exist");
    assertThatThrownBy(() -> Validator.of(List.of("jrt:/java.nosuch")).run())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no module java.nosuch");
  }
}
