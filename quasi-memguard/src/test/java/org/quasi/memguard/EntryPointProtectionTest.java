package org.quasi.memguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quasi.memguard.internal.Traps;
import org.quasi.runtime.Guards;
import org.quasi.runtime.Quid;
import org.quasi.runtime.QuidHolder;
import org.quasi.versions.EntryPoint;
import org.quasi.versions.EntryPolicy;

/**
 * A specialized entry point (quasi-versions) under MemGuard: its versions' dependencies are protected while the
 * versions are valid, a write that bypasses the guard is reported by the verifier at the next call, and a guarded
 * write is silent and releases the protection.
 */
class EntryPointProtectionTest {

  /** A gate as quasi-agent weaves it ({@code port} quasi-invariant), written by hand. */
  public static final class Gate implements QuidHolder {
    private volatile Quid $quasi$quid;
    public int port;

    public Gate(final int port) {
      this.port = port;
    }

    @Override
    public Quid $quasi$quid() {
      return $quasi$quid;
    }

    @Override
    public void $quasi$setQuid(final Quid quid) {
      $quasi$quid = quid;
    }

    /** The woven form of {@code this.port = p}. */
    public void setPort(final int p) {
      final Quid q = $quasi$quid;
      if (q == null) {
        port = p;
      } else {
        Guards.beforeWrite(this, q, Gate.class, "port");
        port = p;
        Guards.afterWrite(q, Gate.class, "port");
      }
    }
  }

  /** The entry point's shape. */
  public interface PortReader {
    int read(Object gate, int plus);
  }

  public static int portPlus(final Gate gate, final int plus) {
    return gate.port + plus;
  }

  private MemGuardLog log;

  @BeforeEach
  void on() {
    log = new MemGuardLog();
    Traps.useLog(log);
    MemGuard.enable();
    MemGuard.verifyEvery(1);
  }

  @AfterEach
  void off() {
    MemGuard.verifyEvery(0);
    MemGuard.disable();
  }

  @Test
  void versionsProtectTheirDependenciesAndTheVerifierSeesWhatBypassedTheGuard() throws Exception {
    final EntryPoint<PortReader> entry = EntryPoint.builder(MethodHandles.lookup(),
            EntryPointProtectionTest.class.getMethod("portPlus", Gate.class, int.class), PortReader.class)
        .keys(0).quasiInvariant(Gate.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1)).build();
    final PortReader f = entry.function();
    final Gate gate = new Gate(80);
    for (int i = 0; i < 5; i++) {
      assertThat(f.read(gate, 1)).isEqualTo(81);
    }
    assertThat(entry.counters().specializations()).as("a version was made").isPositive();
    assertThat(MemGuard.isProtected(gate, "port")).as("its dependency is protected").isTrue();
    assertThat(log.count()).isZero();

    gate.port = 443; // bypasses the guard (setPort): this test class is not trapped, as native code would not be
    final int stale = f.read(gate, 1);

    assertThat(stale).as("the verifier reports, it does not repair").isEqualTo(81);
    assertThat(log.writes()).singleElement().satisfies(w -> {
      assertThat(w.mechanism()).isEqualTo(Mechanism.VERIFIER);
      assertThat(w.owner() + "." + w.field()).isEqualTo(Gate.class.getName() + ".port");
      assertThat(w.oldValue() + " -> " + w.newValue()).isEqualTo("80 -> 443");
      assertThat(w.site()).startsWith(EntryPointProtectionTest.class.getName() + ".versionsProtect");
    });

    gate.setPort(8080); // the guarded write: invalidates, and the entry point goes generic for this key
    assertThat(f.read(gate, 1)).isEqualTo(8081);
    assertThat(log.count()).as("the guarded write is not reported").isEqualTo(1);
  }
}
