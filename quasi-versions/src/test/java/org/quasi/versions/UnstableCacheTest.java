package org.quasi.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.quasi.versions.internal.InlineCache;

/**
 * An inline cache whose keys keep changing stops being a constant chain and its function scans its rows: every
 * kind of key compared as the key table compares it (primitives by value, floats and doubles by their bits, objects
 * by identity), under both repluggers, and guarded writes still replug.
 */
class UnstableCacheTest {

  private static EntryPoint<Mixer.Mix> mixer(final boolean counting) throws Exception {
    return EntryPoint.builder(MethodHandles.lookup(), Mixer.class.getMethod("mix", Object.class, int.class,
            long.class, float.class, double.class, boolean.class, char.class), Mixer.Mix.class)
        .keys(0, 1, 2, 3, 4, 5, 6)
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withMaxVersions(InlineCache.MAX_ENTRIES)
            .withCounting(counting))
        .build();
  }

  /** Fresh key objects, one after another, until the cache has been rebuilt past its bound. */
  private static void churn(final EntryPoint<Mixer.Mix> entry) {
    for (int i = 0; i <= InlineCache.CONSTANT_REBUILDS; i++) {
      final Object fresh = new Object();
      assertThat(entry.function().mix(fresh, i, 0L, 0f, 0d, false, 'a'))
          .isEqualTo(Mixer.mix(fresh, i, 0L, 0f, 0d, false, 'a'));
    }
    assertThat(entry.cacheIsIndirect()).isTrue();
  }

  private record Args(Object o, int i, long l, float f, double d, boolean b, char c) {
    long generic() {
      return Mixer.mix(o, i, l, f, d, b, c);
    }

    long through(final Mixer.Mix m) {
      return m.mix(o, i, l, f, d, b, c);
    }
  }

  @Test
  void everyKeyKindIsFoundByValueOrIdentityAndNeverConfused() throws Exception {
    for (final boolean counting : new boolean[] {false, true}) {
      final EntryPoint<Mixer.Mix> entry = mixer(counting);
      churn(entry);
      final String text = "key";
      final List<Args> keys = List.of(
          new Args(text, 1, 2L, 1.5f, 2.5d, true, 'x'),
          new Args(new String(text), 1, 2L, 1.5f, 2.5d, true, 'x'), // equal, another object: another key
          new Args(text, 1, 2L + (1L << 40), 1.5f, 2.5d, true, 'x'), // differs above the int range
          new Args(text, 1, 2L, Float.NaN, Double.NaN, false, 'x'),
          new Args(text, 1, 2L, -0.0f, 0.0d, false, 'x'),
          new Args(text, 1, 2L, 0.0f, -0.0d, false, 'x'),
          new Args(text, -1, 2L, 1.5f, 2.5d, true, '\uffff'));
      for (final Args k : keys) {
        final long specializations = entry.counters().specializations();
        assertThat(k.through(entry.function())).as("first call, %s", k).isEqualTo(k.generic());
        assertThat(entry.counters().specializations()).as("a new key: %s, declined because %s, %s", k,
            entry.declinedBecause(k.o(), k.i(), k.l(), k.f(), k.d(), k.b(), k.c()), entry.counters())
            .isEqualTo(specializations + 1);
        final long hits = entry.inlineCacheHits();
        final long specialized = entry.counters().specializedCalls();
        assertThat(k.through(entry.function())).as("second call, %s", k).isEqualTo(k.generic());
        assertThat(entry.inlineCacheHits()).as("the probe found %s", k).isEqualTo(hits + 1);
        assertThat(entry.counters().specializedCalls()).isEqualTo(specialized + 1);
      }
      // Every key above is still cached (the bound is the chain's): each call is a hit answering for its own key.
      for (final Args k : keys) {
        assertThat(k.through(entry.function())).as("again, %s", k).isEqualTo(k.generic());
      }
      assertThat(entry.counters().specializations()).isEqualTo(InlineCache.CONSTANT_REBUILDS + 1L + keys.size());
    }
  }

  @Test
  void anEqualStringOrBoxThatIsAnotherObjectIsAnotherKey() throws Exception {
    final EntryPoint<Mixer.Identity> entry = EntryPoint.builder(MethodHandles.lookup(),
            Mixer.class.getMethod("isMarker", Object.class), Mixer.Identity.class)
        .keys(0)
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    final Mixer.Identity f = entry.function();
    assertThat(f.isMarker(Mixer.MARKER)).isTrue();
    assertThat(f.isMarker(Mixer.MARKER)).isTrue();
    final String copy = new String(Mixer.MARKER);
    assertThat(f.isMarker(copy)).as("the version for MARKER folded the identity test").isFalse();
    assertThat(f.isMarker(copy)).isFalse();
    final Integer big = 100_000;
    final Integer equalBig = Integer.valueOf(100_000);
    assertThat(equalBig).isNotSameAs(big);
    assertThat(f.isMarker(big)).isFalse();
    assertThat(f.isMarker(equalBig)).isFalse();
    assertThat(entry.cachedKeys()).as("MARKER, its copy, and two equal boxes: four keys").isEqualTo(4);
    assertThat(entry.counters().specializations()).isEqualTo(4);
  }

  @Test
  void aGuardedWriteReplugsAKeyTheProbeServes() throws Exception {
    for (final boolean counting : new boolean[] {false, true}) {
      final EntryPoint<Rules.PortReader> entry = EntryPoint.builder(MethodHandles.lookup(),
              Rules.class.getMethod("portPlus", Rule.class, int.class), Rules.PortReader.class)
          .keys(0).quasiInvariant(Rule.class, "port")
          .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(counting)).build();
      final Rules.PortReader f = entry.function();
      Rule rule = null;
      for (int i = 0; i <= InlineCache.CONSTANT_REBUILDS; i++) {
        rule = new Rule(i);
        assertThat(f.read(rule, 1)).isEqualTo(i + 1);
      }
      assertThat(entry.cacheIsIndirect()).isTrue();
      final long hits = entry.inlineCacheHits();
      assertThat(f.read(rule, 1)).isEqualTo(InlineCache.CONSTANT_REBUILDS + 1);
      assertThat(entry.inlineCacheHits()).isEqualTo(hits + 1);
      rule.setPort(100);
      assertThat(entry.counters().invalidations()).isEqualTo(1);
      assertThat(f.read(rule, 1)).as("no stale result after the guarded write").isEqualTo(101);
      assertThat(f.read(rule, 2)).isEqualTo(102);
      assertThat(entry.counters().specializations()).isEqualTo(InlineCache.CONSTANT_REBUILDS + 2L);
    }
  }

  /**
   * A field key, readable by the entry function's own {@code getfield} (a public field) or only through the entry's
   * lookup (a private one): each cached key is found again, the field is read at every call, and a {@code null}
   * object runs the generic method, as in a stable cache.
   */
  @Test
  void fieldKeysAreReadAtEveryCallWhetherTheProbeMayReadTheFieldOrNot() throws Exception {
    final EntryPolicy policy = EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false);
    final EntryPoint<Cpu.Sender> open = EntryPoint.builder(MethodHandles.lookup(),
            Cpu.class.getMethod("send", int.class, long.class), Cpu.Sender.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(Rule.class, "port")
        .policy(policy).build();
    final EntryPoint<Cpu.Sender> sealed = EntryPoint.builder(SealedCpu.lookup(),
            SealedCpu.class.getMethod("send", int.class, long.class), Cpu.Sender.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(Rule.class, "port")
        .policy(policy).build();
    final Cpu cpu = new Cpu();
    final SealedCpu sealedCpu = new SealedCpu();
    for (int i = 0; i <= InlineCache.CONSTANT_REBUILDS; i++) {
      cpu.current = new Rule(i);
      sealedCpu.switchTo(new Rule(i));
      assertThat(open.function().send(cpu, i, 7L)).isEqualTo(7);
      assertThat(sealed.function().send(sealedCpu, i, 7L)).isEqualTo(7);
    }
    assertThat(open.cacheIsIndirect()).isTrue();
    assertThat(sealed.cacheIsIndirect()).isTrue();
    final Rule r1 = new Rule(1);
    final Rule r2 = new Rule(2);
    for (final EntryPoint<Cpu.Sender> entry : List.of(open, sealed)) {
      final java.util.function.Consumer<Rule> switchTo = entry == open ? r -> cpu.current = r : sealedCpu::switchTo;
      final Object target = entry == open ? cpu : sealedCpu;
      final Cpu.Sender f = entry.function();
      switchTo.accept(r1);
      assertThat(f.send(target, 1, 9L)).isEqualTo(9);
      switchTo.accept(r2);
      assertThat(f.send(target, 1, 9L)).as("the field is read again: r2's port is 2").isEqualTo(-1);
      assertThat(f.send(target, 2, 9L)).isEqualTo(9);
      final long hits = entry.inlineCacheHits();
      switchTo.accept(r1);
      assertThat(f.send(target, 1, 9L)).isEqualTo(9);
      switchTo.accept(r2);
      assertThat(f.send(target, 2, 9L)).isEqualTo(9);
      assertThat(f.send(target, 1, 9L)).isEqualTo(-1);
      assertThat(entry.inlineCacheHits()).as("three cached keys found by the probe").isEqualTo(hits + 3);
      assertThatThrownBy(() -> f.send(null, 1, 9L)).as("no object, no key: the generic method runs")
          .isInstanceOf(NullPointerException.class);
    }
  }

  /**
   * Once the cache is unstable, versions share code and are made from templates, whose dependency checks the version
   * manager keeps by template: a specialization that writes a quasi-invariant itself is declined for every key, the
   * first and those made from its template alike.
   */
  @Test
  void aTemplateWhoseCodeWritesAQuasiInvariantIsDeclinedForEveryKey() throws Exception {
    final EntryPoint<Rules.Filter> entry = EntryPoint.builder(MethodHandles.lookup(),
            Rules.class.getMethod("acceptAndRetune", Rule.class, int.class), Rules.Filter.class)
        .keys(0).quasiInvariant(Rule.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    final List<Rule> rules = new java.util.ArrayList<>();
    for (int i = 0; i <= InlineCache.CONSTANT_REBUILDS + 4; i++) {
      final Rule rule = new Rule(i);
      rules.add(rule);
      assertThat(entry.function().accept(rule, i + 3)).isFalse();
      assertThat(rule.port).isEqualTo(i + 4);
    }
    assertThat(entry.cacheIsIndirect()).isTrue();
    assertThat(entry.counters().specializations()).isZero();
    assertThat(entry.counters().declined()).isEqualTo(rules.size());
    for (final Rule rule : rules.subList(rules.size() - 4, rules.size())) {
      assertThat(entry.declinedBecause(rule)).contains("writes org.quasi.versions.Rule.port itself");
    }
  }

  /** A void entry method works through the constant chain and, once the cache is unstable, through the rows. */
  @Test
  void aVoidEntryRunsItsVersionsStableAndUnstable() throws Exception {
    final EntryPoint<Rules.Tally> entry = EntryPoint.builder(MethodHandles.lookup(),
            Rules.class.getMethod("tally", Rule.class, long[].class), Rules.Tally.class)
        .keys(0).quasiInvariant(Rule.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    final long[] total = {0};
    long expected = 0;
    for (int i = 0; i <= InlineCache.CONSTANT_REBUILDS + 2; i++) {
      final Rule rule = new Rule(i);
      entry.function().add(rule, total);
      entry.function().add(rule, total);
      expected += 2L * i;
      assertThat(total[0]).isEqualTo(expected);
    }
    assertThat(entry.cacheIsIndirect()).isTrue();
    assertThat(entry.counters().specializations()).isEqualTo(InlineCache.CONSTANT_REBUILDS + 3L);
    final long hits = entry.inlineCacheHits();
    final Rule last = new Rule(1000);
    entry.function().add(last, total);
    entry.function().add(last, total);
    assertThat(total[0]).isEqualTo(expected + 2000);
    assertThat(entry.inlineCacheHits()).isEqualTo(hits + 1);
  }

  /**
   * A primitive field key ({@code rule.port}, read at every call and compared as a {@code long}) in the entry
   * function's rows: each port value finds its own version, and a port written between calls is read again.
   */
  @Test
  void aPrimitiveFieldKeyIsReadAndComparedByValueInTheRows() throws Exception {
    final EntryPoint<Rules.PortReader> entry = EntryPoint.builder(MethodHandles.lookup(),
            Rules.class.getMethod("portPlus", Rule.class, int.class), Rules.PortReader.class)
        .keyField(0, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    final Rule rule = new Rule(0);
    for (int i = 0; i <= InlineCache.CONSTANT_REBUILDS + 1; i++) {
      rule.port = -i;
      assertThat(entry.function().read(rule, 1)).isEqualTo(1 - i);
    }
    assertThat(entry.cacheIsIndirect()).isTrue();
    final long hits = entry.inlineCacheHits();
    rule.port = -InlineCache.CONSTANT_REBUILDS;
    assertThat(entry.function().read(rule, 5)).isEqualTo(5 - InlineCache.CONSTANT_REBUILDS);
    rule.port = -InlineCache.CONSTANT_REBUILDS - 1;
    assertThat(entry.function().read(rule, 5)).isEqualTo(4 - InlineCache.CONSTANT_REBUILDS);
    assertThat(entry.inlineCacheHits()).as("both ports are rows the function finds").isEqualTo(hits + 2);
    rule.port = Integer.MIN_VALUE;
    assertThat(entry.function().read(rule, 1)).isEqualTo(Integer.MIN_VALUE + 1);
  }
}
