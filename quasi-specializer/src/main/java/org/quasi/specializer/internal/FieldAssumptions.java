package org.quasi.specializer.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;
import org.objectweb.asm.Type;

/**
 * Field reads a request assumes the value of: on one object (by identity), one instance field reads as a given value
 * until the residual code may have written it. The caller (the version manager's dispatcher) read the field once
 * before calling the residual code and compares it with the assumed value; the residual code then uses that one read
 * instead of reading again, so no guard dependency is recorded.
 *
 * <p><b>Why it is sound (Java memory model).</b> Replacing later reads of a plain field by one earlier read is a
 * reordering of reads within one thread, allowed (JLS 17.4) as long as no synchronization action that could order a
 * write of another thread before a later read lies between them, and the thread itself did not write the field in
 * between. So the knowledge dies, on the current path, at a residual write to the field (any object: no alias
 * analysis), at a call the specializer cannot see (it kills every field), and at a read of a {@code volatile} field
 * (an acquire). Entry methods that are {@code synchronized} (an acquire at entry, after the dispatcher's read) are
 * declined, and so are assumptions about {@code volatile} fields (each of their reads is an acquire of its own).
 *
 * <p>Immutable.
 */
public final class FieldAssumptions {

  /** No assumption. */
  public static final FieldAssumptions NONE = new FieldAssumptions(List.of());

  /** One assumption: {@code object.field} reads as {@code value}. */
  public record Assumption(Object object, Field field, Object value) {
    public Assumption {
      Objects.requireNonNull(object, "object");
      Objects.requireNonNull(field, "field");
    }
  }

  private final List<Assumption> assumptions;

  private FieldAssumptions(final List<Assumption> assumptions) {
    this.assumptions = assumptions;
  }

  /** These assumptions and {@code a} (which replaces an earlier one on the same object and field). */
  public FieldAssumptions with(final Assumption a) {
    final java.util.ArrayList<Assumption> more = new java.util.ArrayList<>();
    for (final Assumption old : assumptions) {
      if (old.object() != a.object() || !old.field().equals(a.field())) {
        more.add(old);
      }
    }
    more.add(a);
    return new FieldAssumptions(List.copyOf(more));
  }

  /** Whether there is no assumption. */
  public boolean isEmpty() {
    return assumptions.isEmpty();
  }

  /** The assumptions, in the order given. */
  public List<Assumption> all() {
    return assumptions;
  }

  /** The assumption on {@code object.field}, or {@code null}. */
  Assumption find(final Object object, final Field field) {
    // Indexed: asked at every field read the evaluator folds, where an iterator would be garbage.
    for (int i = 0; i < assumptions.size(); i++) {
      final Assumption a = assumptions.get(i);
      if (a.object() == object && a.field().equals(field)) {
        return a;
      }
    }
    return null;
  }

  /** {@code kills} with every assumed field killed: what a synchronization action does to the assumptions. */
  HeapKills killAll(final HeapKills kills) {
    HeapKills k = kills;
    for (final Assumption a : assumptions) {
      k = k.killField(Type.getInternalName(a.field().getDeclaringClass()), a.field().getName());
    }
    return k;
  }

  /** Why these assumptions cannot be used for {@code method}'s modifiers, or {@code null}. */
  String problem(final int methodModifiers) {
    if (assumptions.isEmpty()) {
      return null;
    }
    if (Modifier.isSynchronized(methodModifiers)) {
      return "the method is synchronized: entering its monitor after the dispatcher read the assumed field "
          + assumptions.get(0).field().getName() + " orders other threads' writes before the method's reads";
    }
    for (final Assumption a : assumptions) {
      if (Modifier.isVolatile(a.field().getModifiers())) {
        return "the assumed field " + a.field().getName() + " is volatile: each of its reads is an acquire and "
            + "cannot be replaced by the dispatcher's read";
      }
    }
    return null;
  }
}
