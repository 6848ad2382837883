package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.IdentityHashMap;
import java.util.Map;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * Turns {@link Virtual} values back into real objects where they escape: the residual code allocates the object
 * then (replaying the original's creation, see {@link Virtual}) and the abstract state refers to it as an
 * {@link Unknown} from there on.
 *
 * <p>Escapes need no list: every residual instruction loads its operands through {@link ResidualMethod#push}, which
 * materializes a virtual operand first. So a virtual value passed to a residual call, stored into the heap, returned,
 * thrown, or used by any instruction the evaluator does not fold on virtual values, is materialized just before that
 * instruction, in the residual code's order of effects. Its constructor had no effect beyond its own fields
 * ({@link ConstructorShape}) and its class was initialized, so creating it later than the original did is not
 * observable.
 *
 * <p>A handler state taken before the escape may still hold the virtual value; the evaluator's
 * {@link ResidualHandlers} is told of each materialization and gives the throwing points from there on handler
 * states that hold the real object, so a handler sees the very object that escaped, never a re-created copy.
 *
 * <p>One per evaluator; {@link #enter} is called at the start of every block with its state. Within a block the
 * same virtual value is materialized once, so slots sharing it share the real object.
 */
final class Materializer {
  private final ResidualMethod residual;
  private final Map<Virtual, Unknown> done = new IdentityHashMap<>();
  private State current;
  /**
   * Told of each materialization, after the state refers to the real object: the evaluator's
   * {@link ResidualHandlers#materialized}, so that handler states stop holding the virtual value. Null: nobody.
   */
  java.util.function.BiConsumer<Virtual, Unknown> onMaterialized;

  Materializer(final ResidualMethod residual) {
    this.residual = residual;
  }

  /** Starts a block: its state is where materialized values get replaced. */
  void enter(final State s) {
    current = s;
    done.clear();
  }

  /**
   * Emits the creation of {@code v}, replaces {@code v} by the real object in the current state and returns it
   * (the object is in a residual local; nothing is left on the operand stack).
   */
  Unknown materialize(final Virtual v) {
    final Unknown already = done.get(v);
    if (already != null) {
      return already;
    }
    switch (v.shape) {
      case OBJECT -> {
        residual.add(new TypeInsnNode(NEW, Type.getInternalName(v.type)));
        residual.add(new InsnNode(DUP));
        for (final Value a : v.arguments) {
          residual.push(a);
        }
        residual.add(v.recipe.clone(Map.of()));
      }
      case LAMBDA -> {
        for (final Value a : v.arguments) {
          residual.push(a);
        }
        residual.add(v.recipe.clone(Map.of()));
      }
      case BOX -> {
        residual.push(v.arguments[0]);
        residual.add(v.recipe.clone(Map.of()));
      }
      case ARRAY -> {
        residual.push(v.arguments[0]);
        residual.add(v.recipe.clone(Map.of()));
        final Type element = Type.getType(v.type.getComponentType());
        for (int i = 0; i < v.elements.length; i++) {
          if (!v.elements[i].equals(Virtual.defaultValue(element))) {
            residual.add(new InsnNode(DUP));
            residual.push(Known.ofInt(i));
            residual.push(v.elements[i]);
            residual.add(new InsnNode(element.getOpcode(IASTORE)));
          }
        }
      }
      default -> throw new IllegalStateException("unknown shape " + v.shape);
    }
    final Unknown real = residual.storeResult(Value.Kind.REF);
    done.put(v, real);
    if (current != null) {
      current.replace(v, real);
    }
    if (onMaterialized != null) {
      onMaterialized.accept(v, real);
    }
    return real;
  }
}
