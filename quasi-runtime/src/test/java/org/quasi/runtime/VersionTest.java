package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** A version's plug checks and its invalidation by guarded writes. */
class VersionTest {

  @Test
  void pluggedVersionIsReplacedByItsFallbackWhenAGuardFires() {
    final WovenByHand rule = new WovenByHand(80);
    final IntSupplier generic = () -> rule.port;
    final IntSupplier specialized = () -> 80;
    final CountingReplugger<IntSupplier> r = Replugger.counting(IntSupplier.class, generic);
    final AtomicReference<Version<IntSupplier>> invalidated = new AtomicReference<>();
    final Version<IntSupplier> v = Version.of(r, specialized, generic, "port 80", invalidated::set);
    v.dependOn(rule, WovenByHand.class, "port");
    assertThat(v.plug(() -> rule.port == 80)).isTrue();
    assertThat(r.target()).isSameAs(specialized);

    rule.setPort(8080);

    assertThat(r.target()).isSameAs(generic);
    assertThat(r.invoker().getAsInt()).isEqualTo(8080);
    assertThat(v.isValid()).isFalse();
    assertThat(v.invalidatedBy()).isEqualTo(new GuardedLocation(rule, WovenByHand.class, "port"));
    assertThat(invalidated.get()).isSameAs(v);
    assertThat(Guards.existingQuid(rule).dependentCount(WovenByHand.class, "port")).isZero();
  }

  /** A description given as a supplier is made when first asked for, once, and not by plugging. */
  @Test
  void aSuppliedDescriptionIsMadeWhenFirstAskedFor() {
    final WovenByHand rule = new WovenByHand(80);
    final IntSupplier generic = () -> rule.port;
    final SimpleReplugger<IntSupplier> r = Replugger.simple(IntSupplier.class, generic);
    final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
    final Version<IntSupplier> v = Version.of(r, () -> 80, generic, () -> "port " + made.incrementAndGet(),
        x -> { });
    v.dependOn(rule, WovenByHand.class, "port");
    assertThat(v.plug(() -> rule.port == 80)).isTrue();
    assertThat(made).hasValue(0);
    assertThat(v.description()).isEqualTo("port 1");
    assertThat(v).hasToString("Version[port 1, PLUGGED]");
    assertThat(made).hasValue(1);
  }

  @Test
  void aVersionWhoseValueChangedBeforeRegistrationIsNotPlugged() {
    final WovenByHand rule = new WovenByHand(80);
    final IntSupplier generic = () -> rule.port;
    final SimpleReplugger<IntSupplier> r = Replugger.simple(IntSupplier.class, generic);
    // The specializer read 80; an unguarded write (no QUID yet) changed it before the version registered.
    rule.setPort(81);
    final Version<IntSupplier> v = Version.of(r, () -> 80, generic, "port 80");
    v.dependOn(rule, WovenByHand.class, "port");
    assertThat(v.plug(() -> rule.port == 80)).isFalse();
    assertThat(r.target()).isSameAs(generic);
    assertThat(v.isValid()).isFalse();
  }

  @Test
  void aGuardedWriteBetweenRegistrationAndPlugPreventsThePlug() {
    final WovenByHand rule = new WovenByHand(80);
    final IntSupplier generic = () -> rule.port;
    final SimpleReplugger<IntSupplier> r = Replugger.simple(IntSupplier.class, generic);
    final Version<IntSupplier> v = Version.of(r, () -> 80, generic, "port 80");
    v.dependOn(rule, WovenByHand.class, "port");
    rule.setPort(80); // same value: the stamp still changed, and the version was invalidated
    assertThat(v.plug(() -> rule.port == 80)).isFalse();
    assertThat(r.target()).isSameAs(generic);
  }

  @Test
  void aGuardedWriteFiringDuringTheReReadPreventsThePlugAndStoresAfterwards() throws Exception {
    final WovenByHand rule = new WovenByHand(80);
    final IntSupplier generic = () -> rule.port;
    final IntSupplier specialized = () -> 80;
    final SimpleReplugger<IntSupplier> r = Replugger.simple(IntSupplier.class, generic);
    final Version<IntSupplier> v = Version.of(r, specialized, generic, "port 80");
    v.dependOn(rule, WovenByHand.class, "port");
    final Thread writer = new Thread(() -> rule.setPort(9), "writer");
    // The re-read runs while the writer's guard fires: the writer invalidates the version, then blocks on the
    // replugger's monitor (held by plug) before it may store, so the re-read still sees the old value.
    final boolean plugged = v.plug(() -> {
      writer.start();
      for (int i = 0; i < 1000 && v.isValid(); i++) {
        sleep();
      }
      assertThat(v.isValid()).as("the writer's guard fired").isFalse();
      return rule.port == 80;
    });
    writer.join(10_000);
    assertThat(plugged).isFalse();
    assertThat(rule.port).isEqualTo(9);
    assertThat(r.target()).isSameAs(generic);
  }

  private static void sleep() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
