package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * A field that loaded code writes without a guard: every version relying on it, of any object, is unplugged at once,
 * and none is plugged again. Each test marks a field of its own class (marks last for the JVM's life).
 */
class UnguardedWritesTest {

  static final class Limits {
    int limit;
    int other;

    Limits(final int limit, final int other) {
      this.limit = limit;
      this.other = other;
    }
  }

  static final class Levels {
    static int level = 3;
  }

  static final class Late {
    int size = 7;
  }

  private static Version<IntSupplier> plugged(final Object o, final Class<?> owner, final String field,
      final int value) {
    final IntSupplier generic = () -> -1;
    final Version<IntSupplier> v = Version.of(Replugger.simple(IntSupplier.class, generic), () -> value, generic,
        owner.getSimpleName() + "." + field + " = " + value);
    v.dependOn(o, owner, field);
    assertThat(v.plug(() -> true)).isTrue();
    return v;
  }

  @Test
  void markingAFieldUnplugsEveryVersionRelyingOnItOfAnyObject() {
    final Limits a = new Limits(1, 2);
    final Limits b = new Limits(10, 20);
    final Version<IntSupplier> onA = plugged(a, Limits.class, "limit", 1);
    final Version<IntSupplier> onB = plugged(b, Limits.class, "limit", 10);
    final Version<IntSupplier> onOther = plugged(a, Limits.class, "other", 2);

    Guards.writtenWithoutGuard(Limits.class.getName(), "limit", "demo.Writer writes it and could not be woven");

    assertThat(onA.isValid()).isFalse();
    assertThat(onB.isValid()).isFalse();
    assertThat(onA.invalidatedBy()).isEqualTo(new GuardedLocation(null, Limits.class, "limit"));
    assertThat(onOther.isPlugged()).as("another field of the same object").isTrue();
    assertThat(Guards.unguardedWriter(Limits.class, "limit")).isEqualTo("demo.Writer writes it and could not be woven");
    assertThat(Guards.unguardedWriter(Limits.class, "other")).isNull();
  }

  @Test
  void aFieldOnceMarkedIsNeverReliedOnAgainAndKeepsItsFirstReason() {
    Guards.writtenWithoutGuard(Late.class.getName(), "size", "first");
    Guards.writtenWithoutGuard(Late.class.getName(), "size", "second");
    final Late fresh = new Late();
    final IntSupplier generic = () -> fresh.size;
    final SimpleReplugger<IntSupplier> r = Replugger.simple(IntSupplier.class, generic);
    final Version<IntSupplier> v = Version.of(r, () -> 7, generic, "size 7");
    v.dependOn(fresh, Late.class, "size");
    assertThat(v.plug(() -> fresh.size == 7)).isFalse();
    assertThat(r.target()).isSameAs(generic);
    assertThat(Guards.unguardedWriter(Late.class, "size")).isEqualTo("first");
  }

  @Test
  void aStaticFieldIsMarkedTheSameWay() {
    final Version<IntSupplier> v = plugged(null, Levels.class, "level", 3);
    Guards.writtenWithoutGuard(Levels.class.getName(), "level", "demo.Writer writes it and could not be woven");
    assertThat(v.isValid()).isFalse();
    assertThat(v.invalidatedBy()).isEqualTo(new GuardedLocation(null, Levels.class, "level"));
  }
}
