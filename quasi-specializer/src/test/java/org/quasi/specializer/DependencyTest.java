package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;

/** A dependency's identity: the location by the object's identity, the value by equals for boxes only. */
class DependencyTest {

  /** An object whose equals would make distinct instances equal: a dependency must not use it. */
  private static final class AlwaysEqual {
    @Override
    public boolean equals(final Object other) {
      return other instanceof AlwaysEqual;
    }

    @Override
    public int hashCode() {
      return 7;
    }
  }

  @Test
  void hashIsTheHashOfItsLocationAsObjectsHashComputesIt() {
    final Object target = new AlwaysEqual();
    final Dependency field = new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, target, AlwaysEqual.class, "f",
        -1, 3);
    final Dependency element = new Dependency(Dependency.Kind.ARRAY_ELEMENT, new int[1], int[].class, null, 0, 4);
    for (final Dependency d : new Dependency[] {field, element}) {
      assertThat(d.hashCode()).isEqualTo(Objects.hash(d.kind(), System.identityHashCode(d.object()), d.owner(),
          d.field(), d.index()));
    }
  }

  @Test
  void equalsComparesTheObjectByIdentityAndBoxedValuesByValue() {
    final Object a = new AlwaysEqual();
    final Object b = new AlwaysEqual();
    final Dependency onA = new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, a, AlwaysEqual.class, "f", -1,
        Integer.valueOf(1000));
    assertThat(onA).isEqualTo(new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, a, AlwaysEqual.class, "f", -1,
        Integer.valueOf(1000)));
    assertThat(onA).isNotEqualTo(new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, b, AlwaysEqual.class, "f",
        -1, Integer.valueOf(1000)));
    assertThat(new Dependency(Dependency.Kind.FINAL_FIELD, a, AlwaysEqual.class, "g", -1, a))
        .isNotEqualTo(new Dependency(Dependency.Kind.FINAL_FIELD, a, AlwaysEqual.class, "g", -1, b));
  }
}
