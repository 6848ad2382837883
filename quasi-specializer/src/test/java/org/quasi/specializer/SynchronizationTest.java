package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** A synchronized entry method keeps its locking exactly: same monitor, released on return and on exception. */
class SynchronizationTest {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private int calls;

  /** {@code synchronized boolean holds() { calls++; return Thread.holdsLock(this); }} */
  public synchronized boolean holds() {
    calls++;
    return Thread.holdsLock(this);
  }

  /** {@code synchronized int divide(int by) { calls++; return 100 / by; }} */
  public synchronized int divide(final int by) {
    calls++;
    return 100 / by;
  }

  /** {@code static synchronized boolean holdsClass() { return Thread.holdsLock(SynchronizationTest.class); }} */
  static synchronized boolean holdsClass() {
    return Thread.holdsLock(SynchronizationTest.class);
  }

  /** Residual code of divide on a known receiver. */
  public interface Divide {
    int apply(int by);
  }

  @Test
  void knownReceiverIsLockedDuringTheCallOnly() throws Exception {
    final SynchronizationTest receiver = new SynchronizationTest();
    final Specialization<Supplier> s = Specializer.of(LOOKUP).method(SynchronizationTest.class, "holds")
        .known(0, receiver).as(Supplier.class).specialize();
    assertThat(s.dump()).contains("MONITORENTER", "MONITOREXIT", "TRYCATCHBLOCK");
    assertThat(s.function().get()).isEqualTo(true);
    assertThat(Thread.holdsLock(receiver)).isFalse();
    assertThat(receiver.calls).isEqualTo(1);
  }

  @Test
  void unknownReceiverIsLockedAndNullThrows() throws Exception {
    final Function<Object, Object> f = Specializer.of(LOOKUP).method(SynchronizationTest.class, "holds")
        .as(Function.class).specialize().function();
    final SynchronizationTest receiver = new SynchronizationTest();
    assertThat(f.apply(receiver)).isEqualTo(true);
    assertThat(Thread.holdsLock(receiver)).isFalse();
    assertThatThrownBy(() -> f.apply(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void staticMethodLocksItsClass() throws Exception {
    final Supplier<?> f = Specializer.of(LOOKUP).method(SynchronizationTest.class, "holdsClass")
        .as(Supplier.class).specialize().function();
    assertThat(f.get()).isEqualTo(true);
    assertThat(Thread.holdsLock(SynchronizationTest.class)).isFalse();
  }

  @Test
  void exceptionReleasesTheLock() throws Exception {
    final SynchronizationTest receiver = new SynchronizationTest();
    final Divide f = Specializer.of(LOOKUP).method(SynchronizationTest.class, "divide", int.class)
        .known(0, receiver).as(Divide.class).specialize().function();
    assertThatThrownBy(() -> f.apply(0)).isInstanceOf(ArithmeticException.class);
    assertThat(Thread.holdsLock(receiver)).isFalse();
    final Thread other = new Thread(() -> receiver.divide(5));
    other.start();
    other.join(10_000);
    assertThat(other.isAlive()).as("another thread can take the lock").isFalse();
    assertThat(receiver.calls).isEqualTo(2);
  }

  @Property(tries = 50)
  void residualBehavesLikeOriginal(@ForAll final int by, @ForAll final boolean knownBy) throws Exception {
    final SynchronizationTest forOriginal = new SynchronizationTest();
    final SynchronizationTest forResidual = new SynchronizationTest();
    String expected;
    try {
      expected = "returned " + forOriginal.divide(by);
    } catch (ArithmeticException e) {
      expected = "threw " + e.getClass().getName();
    }
    String actual;
    try {
      if (knownBy) {
        final Supplier<?> f = Specializer.of(LOOKUP).method(SynchronizationTest.class, "divide", int.class)
            .known(0, forResidual).known(1, by).as(Supplier.class).specialize().function();
        actual = "returned " + f.get();
      } else {
        final IntUnaryOperator f = Specializer.of(LOOKUP).method(SynchronizationTest.class, "divide", int.class)
            .known(0, forResidual).as(IntUnaryOperator.class).specialize().function();
        actual = "returned " + f.applyAsInt(by);
      }
    } catch (ArithmeticException e) {
      actual = "threw " + e.getClass().getName();
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(forResidual.calls).isEqualTo(forOriginal.calls);
    assertThat(Thread.holdsLock(forResidual)).isFalse();
  }
}
