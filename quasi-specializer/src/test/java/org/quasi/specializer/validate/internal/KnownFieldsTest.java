package org.quasi.specializer.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;

/** The fields a validation trial assumes on a known object, and what the residual code makes of them. */
class KnownFieldsTest {

  /** Plain, inherited and volatile fields. */
  static class Base {
    int scale = 3;
  }

  /** Its method reads every field. */
  static final class Meter extends Base {
    private int offset = 4;
    volatile int ticks = 5;

    public int read(final int x) {
      return x * scale + offset;
    }

    public synchronized int readLocked(final int x) {
      return x * scale + offset;
    }

    public int readTicks(final int x) {
      return x + ticks;
    }
  }

  private static SpecializationRequest<Object> request(final String name) throws Exception {
    return Specializer.of(MethodHandles.lookup()).method(Meter.class.getMethod(name, int.class));
  }

  @Test
  void plainFieldsOfTheClassAndItsSuperclassesAreAssumedAndFold() throws Exception {
    final Meter m = new Meter();
    final List<String> assumed = new ArrayList<>();
    final Specialization<IntUnaryOperator> s = KnownFields.assume(request("read").known(0, m), Meter.class
        .getMethod("read", int.class), m, assumed).as(IntUnaryOperator.class).specialize();
    assertThat(assumed).containsExactlyInAnyOrder("offset", "scale");
    assertThat(s.residual().dump()).doesNotContain("GETFIELD");
    assertThat(s.function().applyAsInt(2)).isEqualTo(m.read(2)).isEqualTo(10);
  }

  @Test
  void nothingIsAssumedForASynchronizedMethodNorForAnArray() throws Exception {
    final Meter m = new Meter();
    final List<String> assumed = new ArrayList<>();
    KnownFields.assume(request("readLocked").known(0, m), Meter.class.getMethod("readLocked", int.class), m,
        assumed).as(IntUnaryOperator.class).specialize();
    KnownFields.assume(request("read"), Meter.class.getMethod("read", int.class), new int[] {1}, assumed);
    assertThat(assumed).isEmpty();
  }

  @Test
  void aVolatileFieldIsNotAssumedAndStaysARead() throws Exception {
    final Meter m = new Meter();
    final List<String> assumed = new ArrayList<>();
    final Specialization<IntUnaryOperator> s = KnownFields.assume(request("readTicks").known(0, m), Meter.class
        .getMethod("readTicks", int.class), m, assumed).as(IntUnaryOperator.class).specialize();
    assertThat(assumed).doesNotContain("ticks");
    assertThat(s.residual().dump()).contains("GETFIELD");
    m.ticks = 50;
    assertThat(s.function().applyAsInt(1)).isEqualTo(51);
  }
}
