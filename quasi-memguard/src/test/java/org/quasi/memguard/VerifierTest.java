package org.quasi.memguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quasi.memguard.internal.Traps;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.SimpleReplugger;
import org.quasi.runtime.Version;

/**
 * Mechanism 3 and the automatic protection of dependencies, on a {@link Version} made by hand as the version manager
 * makes them: this test class is not trapped, so its own writes are the "native or library" writes only the verifier
 * can see.
 */
class VerifierTest {

  /** A quasi-invariant holder; public so that the verifier's proxy and the sanctioned write can reach it. */
  public static final class Rule {
    public int port = 80;
  }

  private MemGuardLog log;

  @BeforeEach
  void on() {
    log = new MemGuardLog();
    Traps.useLog(log);
    MemGuard.enable();
  }

  @AfterEach
  void off() {
    MemGuard.verifyEvery(0);
    MemGuard.disable();
  }

  private static Version<IntSupplier> plugged(final SimpleReplugger<IntSupplier> replugger, final Rule rule) {
    final int port = rule.port;
    final Version<IntSupplier> v = Version.of(replugger, () -> port, () -> rule.port, "port " + port);
    v.dependOn(rule, Rule.class, "port");
    assertThat(v.plug(() -> rule.port == port)).isTrue();
    return v;
  }

  @Test
  void aDependencyChangedWithoutAGuardIsReportedAtTheNextCheckedCall() throws Exception {
    MemGuard.verifyEvery(1);
    final Rule rule = new Rule();
    final SimpleReplugger<IntSupplier> replugger = Replugger.simple(IntSupplier.class, () -> -1);
    plugged(replugger, rule);
    assertThat(MemGuard.isProtected(rule, "port")).as("protected automatically").isTrue();
    assertThat(replugger.invoker().getAsInt()).isEqualTo(80);
    assertThat(log.count()).isZero();

    final Field port = Rule.class.getField("port");
    port.setInt(rule, 8080); // not trapped: this class was not rewritten
    final int seen = replugger.invoker().getAsInt();
    replugger.invoker().getAsInt();

    assertThat(seen).as("the verifier reports, it does not repair").isEqualTo(80);
    assertThat(log.writes()).singleElement().satisfies(w -> {
      assertThat(w.mechanism()).isEqualTo(Mechanism.VERIFIER);
      assertThat(w.how()).isEqualTo("unknown (seen by the verifier)");
      assertThat(w.owner() + "." + w.field()).isEqualTo(Rule.class.getName() + ".port");
      assertThat(w.oldValue() + " -> " + w.newValue()).isEqualTo("80 -> 8080");
      assertThat(w.object()).isEqualTo(Traps.describe(rule));
      assertThat(w.site()).startsWith(VerifierTest.class.getName() + ".aDependencyChanged");
    });
  }

  @Test
  void aGuardedWriteInvalidatesQuietlyAndReleasesTheProtection() throws Exception {
    MemGuard.verifyEvery(1);
    final Rule rule = new Rule();
    final SimpleReplugger<IntSupplier> replugger = Replugger.simple(IntSupplier.class, () -> -1);
    final Version<IntSupplier> v = plugged(replugger, rule);

    MemGuard.write(MethodHandles.lookup(), rule, "port", 443);

    assertThat(v.isValid()).isFalse();
    assertThat(replugger.invoker().getAsInt()).as("the fallback reads the new value").isEqualTo(443);
    assertThat(MemGuard.isProtected(rule, "port")).isFalse();
    assertThat(log.count()).isZero();
  }

  @Test
  void sampledVerificationChecksOneCallInN() throws Exception {
    MemGuard.verifyEvery(3);
    final Rule rule = new Rule();
    final SimpleReplugger<IntSupplier> replugger = Replugger.simple(IntSupplier.class, () -> -1);
    plugged(replugger, rule);
    Rule.class.getField("port").setInt(rule, 1);

    replugger.invoker().getAsInt();
    replugger.invoker().getAsInt();
    assertThat(log.count()).as("calls 1 and 2 are not checked").isZero();
    replugger.invoker().getAsInt();
    assertThat(log.count()).isEqualTo(1);
  }

  @Test
  void withoutVerificationTheVersionIsPluggedAsIs() {
    final Rule rule = new Rule();
    final SimpleReplugger<IntSupplier> replugger = Replugger.simple(IntSupplier.class, () -> -1);
    final Version<IntSupplier> v = plugged(replugger, rule);
    assertThat(replugger.target()).isSameAs(v.code());
  }
}
