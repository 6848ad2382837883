package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What every kind of replugger must do, and the errors each gives. */
class RepluggerTest {

  /** A non-public functional interface with every kind of parameter slot: long and double take two. */
  interface Mixed {
    double mix(long a, int b, Object c, double d, boolean e);
  }

  /** Makes each kind of replugger for a type, through this class's lookup. */
  interface Factory {
    <T> Replugger<T> make(MethodHandles.Lookup lookup, Class<T> type, T initial);
  }

  static Stream<Factory> kinds() {
    return Stream.of(
        new Factory() {
          @Override
          public <T> Replugger<T> make(final MethodHandles.Lookup l, final Class<T> t, final T i) {
            return Replugger.functionPointer(l, t, i);
          }

          @Override
          public String toString() {
            return "function pointer";
          }
        },
        new Factory() {
          @Override
          public <T> Replugger<T> make(final MethodHandles.Lookup l, final Class<T> t, final T i) {
            return Replugger.simple(l, t, i);
          }

          @Override
          public String toString() {
            return "simple";
          }
        },
        new Factory() {
          @Override
          public <T> Replugger<T> make(final MethodHandles.Lookup l, final Class<T> t, final T i) {
            return Replugger.counting(l, t, i, Duration.ofSeconds(5));
          }

          @Override
          public String toString() {
            return "counting";
          }
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void callsThePluggedTargetAndThenTheReplugged(final Factory kind) {
    final IntUnaryOperator plusOne = x -> x + 1;
    final IntUnaryOperator timesTwo = x -> x * 2;
    final Replugger<IntUnaryOperator> r = kind.make(MethodHandles.lookup(), IntUnaryOperator.class, plusOne);
    final IntUnaryOperator f = r.invoker();
    assertThat(f.applyAsInt(20)).isEqualTo(21);
    assertThat(r.target()).isSameAs(plusOne);
    r.replug(timesTwo);
    assertThat(f.applyAsInt(20)).isEqualTo(40);
    assertThat(r.invoker()).isSameAs(f);
    assertThat(r.target()).isSameAs(timesTwo);
    assertThat(r.type()).isEqualTo(IntUnaryOperator.class);
    assertThat(f.toString()).contains(r.getClass().getSimpleName(), "IntUnaryOperator");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void passesEveryKindOfArgumentAndResult(final Factory kind) {
    final Mixed target = (a, b, c, d, e) -> a * 1000.0 + b * 100.0 + c.hashCode() + d + (e ? 0.5 : 0.25);
    final Replugger<Mixed> r = kind.make(MethodHandles.lookup(), Mixed.class, target);
    assertThat(r.invoker().mix(3L, 4, 5, 0.125, true)).isEqualTo(target.mix(3L, 4, 5, 0.125, true));

    final StringBuilder seen = new StringBuilder();
    @SuppressWarnings("unchecked")
    final Replugger<Consumer<String>> sink = kind.make(MethodHandles.lookup(), (Class<Consumer<String>>) (Class<?>)
        Consumer.class, seen::append);
    sink.invoker().accept("void ");
    sink.invoker().accept("returns");
    assertThat(seen).hasToString("void returns");

    @SuppressWarnings("unchecked")
    final Replugger<Function<String, Integer>> generic = kind.make(MethodHandles.lookup(),
        (Class<Function<String, Integer>>) (Class<?>) Function.class, String::length);
    assertThat(generic.invoker().apply("four")).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void propagatesExceptionsUnchanged(final Factory kind) {
    final IllegalStateException boom = new IllegalStateException("boom");
    final Replugger<IntUnaryOperator> r = kind.make(MethodHandles.lookup(), IntUnaryOperator.class, x -> {
      throw boom;
    });
    assertThatThrownBy(() -> r.invoker().applyAsInt(1)).isSameAs(boom);
    if (r instanceof CountingReplugger<?> counting) {
      assertThat(counting.threadsInside()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void refusesTargetsOfTheWrongType(final Factory kind) {
    final Replugger<IntUnaryOperator> r = kind.make(MethodHandles.lookup(), IntUnaryOperator.class, x -> x);
    @SuppressWarnings({"unchecked", "rawtypes"})
    final Replugger<Object> raw = (Replugger) r;
    assertThatThrownBy(() -> raw.replug("a string"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot plug java.lang.String as a java.util.function.IntUnaryOperator: it does not implement"
            + " that interface");
    assertThatThrownBy(() -> r.replug(null)).isInstanceOf(NullPointerException.class);
    assertThat(r.invoker().applyAsInt(7)).isEqualTo(7);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void refusesANonFunctionalInterface(final Factory kind) {
    assertThatThrownBy(() -> kind.make(MethodHandles.lookup(), List.class, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.util.List is not a functional interface");
  }

  @Test
  void aNonPublicInterfaceNeedsTheCallersLookup() {
    final Mixed target = (a, b, c, d, e) -> 0;
    assertThatThrownBy(() -> Replugger.simple(Mixed.class, target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Mixed")
        .hasMessageContaining("pass a MethodHandles.lookup()");
    assertThat(Replugger.simple(MethodHandles.lookup(), Mixed.class, target).invoker().mix(1, 2, 3, 4, true))
        .isZero();
  }

  @Test
  void aLookupWithoutFullPrivilegeIsRefused() {
    final MethodHandles.Lookup weak = MethodHandles.lookup().dropLookupMode(MethodHandles.Lookup.PRIVATE);
    assertThatThrownBy(() -> Replugger.simple(weak, IntUnaryOperator.class, x -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks full privilege access");
  }

  @Test
  void publicInterfacesWorkWithoutALookup() {
    assertThat(Replugger.functionPointer(IntUnaryOperator.class, x -> -x).invoker().applyAsInt(3)).isEqualTo(-3);
    assertThat(Replugger.simple(IntUnaryOperator.class, x -> -x).invoker().applyAsInt(3)).isEqualTo(-3);
    assertThat(Replugger.counting(IntUnaryOperator.class, x -> -x).invoker().applyAsInt(3)).isEqualTo(-3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theInvokerAskedForAfterReplugsRunsTheLastTarget(final Factory kind) {
    final Replugger<IntUnaryOperator> r = kind.make(MethodHandles.lookup(), IntUnaryOperator.class, x -> x + 1);
    r.replug(x -> x * 3);
    r.replug(x -> x * 5);
    assertThat(r.invoker().applyAsInt(2)).isEqualTo(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void threadsAskingForTheInvokerAtOnceGetOneInstance(final Factory kind) throws Exception {
    final Replugger<IntUnaryOperator> r = kind.make(MethodHandles.lookup(), IntUnaryOperator.class, x -> x - 1);
    final int threads = 4;
    final java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      final List<java.util.concurrent.Future<IntUnaryOperator>> got = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        got.add(pool.submit(() -> {
          start.await();
          return r.invoker();
        }));
      }
      final IntUnaryOperator first = got.get(0).get();
      for (final java.util.concurrent.Future<IntUnaryOperator> f : got) {
        assertThat(f.get()).isSameAs(first);
      }
      assertThat(first.applyAsInt(1)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eachReplugHasItsOwnInvokerClass() {
    final IntUnaryOperator a = Replugger.simple(IntUnaryOperator.class, x -> 1).invoker();
    final IntUnaryOperator b = Replugger.simple(IntUnaryOperator.class, x -> 2).invoker();
    assertThat(a.getClass()).isNotEqualTo(b.getClass());
    assertThat(a.getClass().isHidden()).isTrue();
    assertThat(a.applyAsInt(0) + b.applyAsInt(0)).isEqualTo(3);
  }
}
