package org.quasi.specializer.internal;

import java.util.List;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * The clean-up passes over a residual method, in order, until none changes anything: {@link Peephole} (adjacent
 * temporaries, jumps, unreachable code), {@link LocalCleanup} (copies and dead stores across jumps),
 * {@link NullChecks} (explicit null checks the next instruction repeats), {@link InitTriggers} (class
 * initialization triggers made redundant), {@link AllocationOrder} (allocations back before their constructor's
 * argument), {@link OperandOrder} (operands back before a computed one) and {@link BooleanReturns} (a tested
 * boolean returned itself). Each pass keeps the residual code equivalent; they only feed each other
 * (a copy propagated leaves a dead store, whose {@code pop} then meets its load).
 */
final class ResidualCleanup {
  /** Rounds at most: each round removes instructions, so this only bounds pathological ping-pong. */
  private static final int MAX_ROUNDS = 8;

  private ResidualCleanup() {
  }

  static void run(final InsnList code, final List<TryCatchBlockNode> handlers, final ClassRepository repository,
      final Class<?> context) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Peephole.run(code, handlers);
      boolean changed = LocalCleanup.run(code, handlers);
      changed |= NullChecks.run(code, handlers);
      changed |= InitTriggers.run(code, handlers, repository, context);
      changed |= AllocationOrder.run(code, repository, context);
      changed |= OperandOrder.run(code);
      changed |= BooleanReturns.run(code, handlers);
      changed |= TailMerge.run(code, handlers);
      if (!changed) {
        return;
      }
    }
    Peephole.run(code, handlers);
  }
}
