package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Puts an allocation back before the computation of its constructor's first argument, as the original had it:
 * the evaluator emits {@code new C; dup} only with the constructor call, so {@code new C(f(x))} came out as
 * {@code t = f(x); new C; dup; load t; invokespecial}. When C is initialized, {@code new C} has no effect but the
 * allocation, so {@code new C; dup; f(x); invokespecial} runs the same effects; the temporary goes.
 *
 * <p>Constant and local pushes between the {@code dup} and the temporary's load ({@code new C(1, f(x))}) move with
 * the allocation: the computation moved over stores no local, so they push the same values before it.
 *
 * <p>Only a class the JVM reports initialized ({@link InitializationQuery}), or whose initialization runs no
 * observable initializer ({@link ClassRepository#hasStaticInitializer}), is moved: allocating a class whose
 * initializer has not run would move that initializer before {@code f}. The computation moved over is
 * straight-line code consuming only what it pushes ({@link Peephole#valueStart}), so the stack under it, where the
 * new object now waits, is untouched, and a handler covering it sees the same locals.
 */
final class AllocationOrder {
  private AllocationOrder() {
  }

  static boolean run(final InsnList code, final ClassRepository repository, final Class<?> context) {
    final SingleUseTemporaries temporaries = new SingleUseTemporaries(code);
    boolean changed = false;
    for (AbstractInsnNode n = code.getFirst(); n != null; ) {
      final AbstractInsnNode next = n.getNext();
      if (temporaries.storesOne(n) && next instanceof TypeInsnNode alloc && alloc.getOpcode() == NEW
          && alloc.getNext() != null && alloc.getNext().getOpcode() == DUP
          && SingleUseTemporaries.loadAfterPushes(alloc.getNext().getNext(), (VarInsnNode) n)
              instanceof VarInsnNode load
          && constructedNext(load.getNext(), alloc.desc, above(alloc.getNext(), load))
          && initialized(alloc.desc, repository, context)) {
        // new C; dup and the pushes before the temporary's load, in their order, go before its computation.
        final AbstractInsnNode after = SingleUseTemporaries.moveBeforeValue(code, (VarInsnNode) n, alloc, load);
        if (after != null) {
          changed = true;
          n = after;
          continue;
        }
      }
      n = next;
    }
    return changed;
  }

  /** The stack slots pushed from after {@code dup} up to {@code load} included: single-slot pushes, then the load. */
  private static int above(final AbstractInsnNode dup, final AbstractInsnNode load) {
    int slots = load.getOpcode() == LLOAD || load.getOpcode() == DLOAD ? 2 : 1;
    for (AbstractInsnNode n = dup.getNext(); n != load; n = n.getNext()) {
      slots++;
    }
    return slots;
  }

  /**
   * Whether straight-line code from {@code from} ends in the constructor call of class {@code c} that consumes the
   * allocation under the {@code depth} slots above it: no instruction in between reaches under those slots, and
   * none allocates or constructs (whose constructor call could be taken for this one's). That code keeps its place
   * after the computation moved over, so what it does (calls, reads) happens in the same order; only the
   * uninitialized object waits under it on the stack, as in javac's {@code new C(a, f(b) + g())}.
   */
  private static boolean constructedNext(final AbstractInsnNode from, final String c, final int depth) {
    int d = depth;
    for (AbstractInsnNode n = from; n != null; n = n.getNext()) {
      if (n instanceof MethodInsnNode m && m.getOpcode() == INVOKESPECIAL) {
        return m.name.equals("<init>") && m.owner.equals(c)
            && (org.objectweb.asm.Type.getArgumentsAndReturnSizes(m.desc) >> 2) - 1 == d;
      }
      final int[] effect = StackEffect.of(n);
      if (effect == null || n.getOpcode() == NEW || effect[0] > d) {
        return false;
      }
      d += effect[1] - effect[0];
    }
    return false;
  }

  private static boolean initialized(final String c, final ClassRepository repository, final Class<?> context) {
    final Class<?> k = repository.classFor(c, context);
    return k != null && (InitializationQuery.completed(k) || !repository.hasStaticInitializer(k));
  }
}
