package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.Test;

/** {@link SpecializationRequest#assumeField}: the dispatcher's read stands for the method's reads, until it may not. */
class AssumeFieldTest {

  /** A task: {@code uid} is declared quasi-invariant by the tests. */
  static final class Task {
    int uid;

    Task(final int uid) {
      this.uid = uid;
    }
  }

  /** A processor whose {@code current} changes often: assumed, never guarded. */
  static final class Cpu {
    Task current;
    volatile int fence;

    int uidPlus(final int x) {
      return current.uid + x;
    }

    int switchAndRead(final Task next, final int x) {
      final int before = current.uid;
      current = next;
      return before * 1000 + current.uid + x;
    }

    int acrossVolatile(final int x) {
      final int before = current.uid;
      final int f = fence;
      return before * 1000 + current.uid + f + x;
    }

    synchronized int locked(final int x) {
      return current.uid + x;
    }
  }

  private static SpecializationRequest<Object> request(final String name, final Class<?>... params)
      throws Exception {
    return Specializer.of(MethodHandles.lookup()).method(Cpu.class.getDeclaredMethod(name, params));
  }

  private static long fieldReads(final ResidualCode r, final String field) {
    return r.dump().lines().filter(l -> l.contains("GETFIELD") && l.contains("." + field + " ")).count();
  }

  @Test
  void theAssumedReadFoldsAndRecordsNoDependency() throws Exception {
    final Task t = new Task(7);
    final Cpu cpu = new Cpu();
    final Specialization<IntUnaryOperator> s = request("uidPlus", int.class).known(0, cpu)
        .assumeField(cpu, Cpu.class, "current", t).quasiInvariant(Task.class, "uid").as(IntUnaryOperator.class)
        .specialize();
    assertThat(fieldReads(s.residual(), "current")).isZero();
    assertThat(fieldReads(s.residual(), "uid")).isZero();
    assertThat(s.function().applyAsInt(5)).isEqualTo(12);
    assertThat(s.dependencies()).extracting(Dependency::field).containsExactly("uid");
    assertThat(s.dependencies().get(0).object()).isSameAs(t);
  }

  @Test
  void onAnotherObjectTheFieldIsNotAssumed() throws Exception {
    final Cpu cpu = new Cpu();
    cpu.current = new Task(3);
    final Specialization<ToIntBiFunction<Cpu, Integer>> s = request("uidPlus", int.class)
        .assumeField(cpu, Cpu.class, "current", new Task(9)).<ToIntBiFunction<Cpu, Integer>>as(cast()).specialize();
    assertThat(fieldReads(s.residual(), "current")).isOne();
    final Cpu other = new Cpu();
    other.current = new Task(4);
    assertThat(s.function().applyAsInt(other, 1)).isEqualTo(5);
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> cast() {
    return (Class<T>) (Class<?>) ToIntBiFunction.class;
  }

  @Test
  void aWriteOfTheFieldKillsTheAssumption() throws Exception {
    final Task t = new Task(7);
    final Cpu cpu = new Cpu();
    cpu.current = t;
    final Specialization<ToIntBiFunction<Task, Integer>> s = request("switchAndRead", Task.class, int.class)
        .known(0, cpu).assumeField(cpu, Cpu.class, "current", t).<ToIntBiFunction<Task, Integer>>as(cast()).specialize();
    // The first read folds; the read after the write is residual and sees the new task.
    assertThat(fieldReads(s.residual(), "current")).isOne();
    assertThat(s.function().applyAsInt(new Task(2), 1)).isEqualTo(7003);
    assertThat(cpu.current.uid).isEqualTo(2);
  }

  @Test
  void aVolatileReadKillsTheAssumption() throws Exception {
    final Task t = new Task(7);
    final Cpu cpu = new Cpu();
    cpu.current = t;
    final ResidualCode r = request("acrossVolatile", int.class).known(0, cpu)
        .assumeField(cpu, Cpu.class, "current", t).residual();
    assertThat(fieldReads(r, "current")).isOne();
    assertThat(fieldReads(r, "fence")).isOne();
  }

  @Test
  void aSynchronizedMethodIsDeclined() throws Exception {
    final Cpu cpu = new Cpu();
    final SpecializationRequest<Object> r = request("locked", int.class).known(0, cpu)
        .assumeField(cpu, Cpu.class, "current", new Task(1));
    assertThatThrownBy(r::residual).isInstanceOf(SpecializationDeclined.class).hasMessageContaining("synchronized");
  }

  @Test
  void aVolatileFieldIsDeclined() throws Exception {
    final Cpu cpu = new Cpu();
    final SpecializationRequest<Object> r = request("uidPlus", int.class).known(0, cpu)
        .assumeField(cpu, Cpu.class, "fence", 3);
    assertThatThrownBy(r::residual).isInstanceOf(SpecializationDeclined.class).hasMessageContaining("volatile");
  }

  @Test
  void badAssumptionsAreClearErrors() throws Exception {
    final Cpu cpu = new Cpu();
    assertThatThrownBy(() -> request("uidPlus", int.class).assumeField(cpu, Cpu.class, "curent", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nearest: current");
    assertThatThrownBy(() -> request("uidPlus", int.class).assumeField(cpu, Cpu.class, "current", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has type");
    assertThatThrownBy(() -> request("uidPlus", int.class).assumeField(new Task(1), Cpu.class, "current", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no field");
  }

  /**
   * {@code super.level() * 2 + level()} on a known gauge whose superclass's private {@code level} is assumed: both
   * getters are folded at their calls (the overriding one after it is inlined), although the subclass's lookup may
   * not read the field, so neither getter could be inlined.
   */
  @Test
  void gettersOfAnAssumedFieldFoldAtTheirCalls() throws Exception {
    final AssumedGauge g = new AssumedGauge(21);
    final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(AssumedGauge.class, MethodHandles.lookup());
    final Specialization<IntUnaryOperator> s = Specializer.of(lookup)
        .method(AssumedGauge.class.getMethod("reading", int.class)).known(0, g)
        .assumeField(g, GaugeBase.class, "level", 21).as(IntUnaryOperator.class).specialize();
    assertThat(s.residual().dump()).doesNotContain("INVOKE").doesNotContain("GETFIELD");
    assertThat(s.summary().callsFolded()).isEqualTo(2);
    assertThat(s.function().applyAsInt(1)).isEqualTo(g.reading(1)).isEqualTo(64);
  }
}

/** A top-level class (not a nestmate of the test), whose private field its subclass's lookup cannot read. */
class GaugeBase {
  private int level;

  GaugeBase(final int level) {
    this.level = level;
  }

  protected int level() {
    return level;
  }
}

/** Reads its superclass's private field through the getter only. */
class AssumedGauge extends GaugeBase {
  AssumedGauge(final int level) {
    super(level);
  }

  @Override
  protected int level() {
    return super.level();
  }

  public int reading(final int x) {
    return super.level() * 2 + level() + x;
  }
}
