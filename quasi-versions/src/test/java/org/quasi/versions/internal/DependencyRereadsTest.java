package org.quasi.versions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.Dependency;

/**
 * The plug-time re-read: a primitive field still holds when it reads an equal value, a reference field only when it
 * reads the very object the version folded, boxes included.
 */
class DependencyRereadsTest {

  /** A limit kept as a primitive and as a box. */
  static final class Limits {
    int plain = 1000;
    Integer boxed = Integer.valueOf(1000);
  }

  @Test
  void aPrimitiveFieldHoldsOnAnEqualValueAReferenceFieldOnlyOnTheSameObject() throws Exception {
    final Limits l = new Limits();
    final Dependency plain = new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, l, Limits.class, "plain", -1,
        Integer.valueOf(1000));
    final Dependency boxed = new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, l, Limits.class, "boxed", -1,
        l.boxed);
    final Map<Class<?>, Map<String, DependencyRereads.Reread>> readers = new ConcurrentHashMap<>();
    final MethodHandles.Lookup lookup = MethodHandles.lookup();
    final Dependency[] deps = {plain, boxed};
    final DependencyRereads.Reread[] rereads = {DependencyRereads.reader(lookup, plain, readers),
        DependencyRereads.reader(lookup, boxed, readers)};
    assertThat(rereads[0].primitive()).isTrue();
    assertThat(rereads[1].primitive()).isFalse();
    assertThat(DependencyRereads.stillHold(deps, rereads)).isTrue();

    // Equal, but another object (1000 is beyond the box cache): identity-sensitive code would see the difference.
    l.boxed = Integer.valueOf(1000);
    assertThat(l.boxed).isEqualTo(boxed.value()).isNotSameAs(boxed.value());
    assertThat(DependencyRereads.stillHold(deps, rereads)).isFalse();

    l.boxed = (Integer) boxed.value();
    l.plain = 1001;
    assertThat(DependencyRereads.stillHold(deps, rereads)).isFalse();
    l.plain = 1000;
    assertThat(DependencyRereads.stillHold(deps, rereads)).isTrue();
  }
}
