package org.quasi.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;

/** The version manager's choices: threshold, invalidation and replug, LRU eviction, backoff, declining. */
class EntryPointTest {

  private static EntryPoint<Rules.Filter> entry(final EntryPolicy policy) throws Exception {
    return EntryPoint.builder(MethodHandles.lookup(), Rules.class.getMethod("accept", Rule.class, int.class),
            Rules.Filter.class)
        .keys(0).quasiInvariant(Rule.class, "port").policy(policy).build();
  }

  @Test
  void specializesAfterTheThresholdAndReplugsOnAGuardedWrite() throws Exception {
    final EntryPoint<Rules.Filter> entry = entry(EntryPolicy.DEFAULT.withSpecializeAfter(2).withCounting(false));
    final Rules.Filter f = entry.function();
    final Rule rule = new Rule(80);
    assertThat(f.accept(rule, 80)).isTrue();
    assertThat(entry.counters().specializations()).isZero();
    assertThat(f.accept(rule, 81)).isFalse();
    assertThat(entry.counters().specializations()).isEqualTo(1);
    assertThat(f.accept(rule, 80)).isTrue();
    assertThat(entry.counters().specializedCalls()).isEqualTo(2);

    rule.setPort(81);

    assertThat(entry.counters().invalidations()).isEqualTo(1);
    assertThat(f.accept(rule, 81)).isTrue();
    assertThat(f.accept(rule, 80)).isFalse();
    assertThat(entry.counters().specializations()).as("re-specialized for the new value").isEqualTo(2);
    assertThat(f.accept(rule, 81)).isTrue();
  }

  @Test
  void theLeastRecentlyUsedKeyIsEvictedBeyondTheBound() throws Exception {
    final EntryPoint<Rules.Filter> entry = entry(EntryPolicy.DEFAULT.withSpecializeAfter(1).withMaxVersions(3));
    final Rules.Filter f = entry.function();
    final Rule a = new Rule(1);
    final Rule b = new Rule(2);
    final Rule c = new Rule(3);
    final Rule d = new Rule(4);
    assertThat(f.accept(a, 1)).isTrue();
    assertThat(f.accept(b, 1)).isFalse();
    assertThat(f.accept(c, 3)).isTrue(); // the inline cache now holds c, b, a
    assertThat(f.accept(a, 1)).isTrue(); // a hit: takes no lock, so it does not refresh a's recency
    assertThat(f.accept(d, 4)).isTrue(); // over the bound: a, cached first, goes
    assertThat(entry.cachedKeys()).isEqualTo(3);
    assertThat(entry.counters().evictions()).isEqualTo(1);
    // a's version was discarded: a write to a invalidates nothing, and a still answers correctly.
    a.setPort(5);
    assertThat(entry.counters().invalidations()).isZero();
    assertThat(f.accept(a, 5)).isTrue(); // a comes back: b is now the least recently used, and goes
    assertThat(entry.counters().evictions()).isEqualTo(2);
    b.setPort(6);
    assertThat(entry.counters().invalidations()).isZero();
    assertThat(f.accept(b, 6)).isTrue(); // b comes back: c goes
    assertThat(entry.counters().evictions()).isEqualTo(3);
    // d's version is alive: a write to d invalidates it.
    d.setPort(7);
    assertThat(entry.counters().invalidations()).isEqualTo(1);
    assertThat(f.accept(d, 7)).isTrue();
  }

  @Test
  void keysBeyondTheInlineCacheKeepTheirVersionsThroughTheFullDispatch() throws Exception {
    final int keys = org.quasi.versions.internal.InlineCache.MAX_ENTRIES + 2;
    final EntryPoint<Rules.Filter> entry = entry(EntryPolicy.DEFAULT.withSpecializeAfter(1).withMaxVersions(keys));
    final Rules.Filter f = entry.function();
    final Rule[] rules = new Rule[keys];
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < keys; i++) {
        if (round == 0) {
          rules[i] = new Rule(i);
        }
        assertThat(f.accept(rules[i], i)).isTrue();
        assertThat(f.accept(rules[i], i + 1)).isFalse();
      }
    }
    assertThat(entry.cachedKeys()).isEqualTo(keys);
    // Cycling through more keys than the chain holds turns the cache unstable: the versions then alive are let go
    // once and made again, sharing their class.
    assertThat(entry.cacheIsIndirect()).isTrue();
    assertThat(entry.counters().retired()).isPositive();
    assertThat(entry.counters().specializations()).isEqualTo(keys + entry.counters().retired());
    assertThat(entry.counters().evictions()).isZero();
    assertThat(entry.counters().specializedCalls()).isEqualTo(6L * keys);
    assertThat(entry.counters().calls()).isEqualTo(6L * keys);
  }

  @Test
  void anInlineCacheRebuiltPastItsBoundIsCalledIndirectlyAndStaysCorrect() throws Exception {
    final EntryPoint<Rules.Filter> entry = entry(EntryPolicy.DEFAULT.withSpecializeAfter(1).withMaxVersions(3));
    final Rules.Filter f = entry.function();
    final Rule first = new Rule(0);
    assertThat(f.accept(first, 0)).isTrue();
    assertThat(entry.cacheIsIndirect()).as("one key cached: the chain is a constant").isFalse();
    // Fresh keys keep arriving (each cached, the oldest evicted), as fresh kernels' tasks do in the signals case.
    final int keys = org.quasi.versions.internal.InlineCache.CONSTANT_REBUILDS + 4;
    Rule last = first;
    for (int i = 1; i <= keys; i++) {
      last = new Rule(i);
      assertThat(f.accept(last, i)).isTrue();
      assertThat(f.accept(last, i + 1)).isFalse();
    }
    assertThat(entry.cacheIsIndirect()).isTrue();
    assertThat(entry.counters().retired()).as("the versions alive at the switch, let go to be made again sharing")
        .isPositive();
    // A retired key is specialized again only if it is called again.
    assertThat(entry.counters().specializations()).isBetween(keys + 1L, keys + 1L + entry.counters().retired());
    final long before = entry.counters().specializations();
    final long specialized = entry.counters().specializedCalls();
    assertThat(f.accept(last, keys)).isTrue();
    assertThat(entry.counters().specializedCalls()).as("a hit through the indirect chain").isEqualTo(specialized + 1);
    // A guarded write still invalidates, and the key is specialized again on its new value.
    last.setPort(-1);
    assertThat(entry.counters().invalidations()).isEqualTo(1);
    assertThat(f.accept(last, -1)).isTrue();
    assertThat(f.accept(last, keys)).isFalse();
    assertThat(entry.counters().specializations()).isEqualTo(before + 1);
  }

  @Test
  void aKeyWhoseVersionsKeepBeingInvalidatedBacksOff() throws Exception {
    final EntryPoint<Rules.Filter> entry = entry(EntryPolicy.DEFAULT.withSpecializeAfter(1).withBackoffAfter(2));
    final Rules.Filter f = entry.function();
    final Rule rule = new Rule(0);
    for (int round = 1; round <= 3; round++) {
      assertThat(f.accept(rule, round - 1)).isTrue();
      rule.setPort(round);
    }
    assertThat(entry.counters().backoffs()).isEqualTo(1);
    assertThat(entry.counters().specializations()).isEqualTo(2);
    final long specialized = entry.counters().specializedCalls();
    assertThat(f.accept(rule, 3)).isTrue();
    assertThat(entry.counters().specializedCalls()).as("backed off: generic for good").isEqualTo(specialized);
  }

  @Test
  void aDependencyOnAnUnwovenClassIsDeclinedAndTheKeyStaysGeneric() throws Exception {
    final EntryPoint<Rules.Filter> entry = EntryPoint.builder(MethodHandles.lookup(),
            Rules.class.getMethod("acceptBare", Rules.Bare.class, int.class), Rules.Filter.class)
        .keys(0).quasiInvariant(Rules.Bare.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1)).build();
    final Rules.Bare bare = new Rules.Bare(7);
    assertThat(entry.function().accept(bare, 7)).isTrue();
    assertThat(entry.counters().declined()).isEqualTo(1);
    assertThat(entry.declinedBecause(bare)).contains("was not woven");
    bare.port = 8;
    assertThat(entry.function().accept(bare, 8)).isTrue();
    assertThat(entry.counters().specializedCalls()).isZero();
  }

  @Test
  void aVersionThatWouldWriteAQuasiInvariantItselfIsDeclined() throws Exception {
    final EntryPoint<Rules.Filter> entry = EntryPoint.builder(MethodHandles.lookup(),
            Rules.class.getMethod("acceptAndRetune", Rule.class, int.class), Rules.Filter.class)
        .keys(0).quasiInvariant(Rule.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1)).build();
    final Rule rule = new Rule(1);
    assertThat(entry.function().accept(rule, 4)).isFalse();
    assertThat(rule.port).isEqualTo(5);
    assertThat(entry.counters().declined()).isEqualTo(1);
    assertThat(entry.declinedBecause(rule)).contains("writes org.quasi.versions.Rule.port itself");
  }

  @Test
  void aCountingEntryPointIsInvalidatedAndRespecializedLikeASimpleOne() throws Exception {
    final EntryPoint<Rules.Filter> entry = entry(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(true));
    final Rule rule = new Rule(80);
    assertThat(entry.function().accept(rule, 80)).isTrue();
    assertThat(entry.counters().specializations()).isEqualTo(1);
    rule.setPort(81);
    assertThat(entry.function().accept(rule, 81)).isTrue();
    assertThat(entry.counters().invalidations()).isEqualTo(1);
  }
}
