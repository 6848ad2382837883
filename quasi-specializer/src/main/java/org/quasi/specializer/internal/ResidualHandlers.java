package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * The residual exception handlers of one residual method: the original's try/catch/finally, specialized.
 *
 * <p>Before each instruction that may throw, the evaluator asks which original handlers cover it: those of the top
 * frame's instruction, then those of each caller's call instruction down the inlining stack (an exception an inlined
 * callee does not catch reaches its caller's handler), stopping after a catch-all. For each, the <em>handler
 * state</em> is the state at the throwing point, cut back to the handler's frame, with an empty operand stack at the
 * handler's instruction (and, after a call, every quasi-invariant killed: the call may have written before it threw).
 * Consecutive residual instructions of one block whose handler states are the same (same known values, same residual
 * locals) form one <em>group</em>: one residual try range over them, and per handler a stub that stores the exception,
 * moves the live unknown values into the handler variant's locals and jumps there ({@link PartialEvaluator}'s
 * {@code jumpToVariant}). So a handler is specialized like any join: per distinct state within the polyvariance
 * budget, and beyond it on what all its throwing points agree on (the rest is lifted to residual locals).
 *
 * <p>Ranges are contiguous and disjoint, and a group's entries are added in the original's search order, so the JVM
 * picks the residual handler that the original would have picked. A group's range only holds residual instructions of
 * steps that may throw, and of non-throwing steps between them (loads, stores, arithmetic, jumps), which cannot reach
 * the stub; every value the stub reads was stored before the group opened, since any later one would change the key.
 * A virtual object that a handler state holds and that the step materializes ends the group ({@link #materialized}).
 * Exceptions the specializer itself would have raised while folding are not folded but emitted
 * ({@link InstructionSpecializer}), so they are thrown, in order, inside these ranges.
 */
final class ResidualHandlers {
  /** One handler of the open group: the original entry, its stub's label, and the state the handler starts from. */
  private record Stub(TryCatchBlockNode original, LabelNode label, State state) {
  }

  private final PartialEvaluator ev;
  private List<Object> openKey;
  private LabelNode openStart;
  /** Placed after the residual instructions of the open group's last throwing step; null while there are none. */
  private LabelNode openEnd;
  private List<Stub> open;
  /** The residual size before the current step, when it may throw and a group covers it; else -1. */
  private int sizeBeforeStep = -1;

  ResidualHandlers(final PartialEvaluator ev) {
    this.ev = ev;
  }

  /**
   * Called before the evaluator specializes the top frame's instruction: opens, keeps or closes the group covering
   * the residual instructions that step may emit.
   */
  void beforeStep(final State s) {
    final Frame top = s.top();
    final int op = top.method.insns[top.pc].getOpcode();
    sizeBeforeStep = -1;
    if (!mayThrow(op)) {
      return;
    }
    List<Object> key = null;
    List<Stub> stubs = null;
    search:
    for (int d = s.depth - 1; d >= 0; d--) {
      final Frame f = s.frames[d];
      final List<TryCatchBlockNode> covering = f.method.handlers(f.pc);
      if (covering == null) {
        continue;
      }
      for (final TryCatchBlockNode t : covering) {
        if (key == null) {
          key = new ArrayList<>();
          stubs = new ArrayList<>(2);
        }
        final State h = handlerState(s, d, t, op);
        key.add(t);
        addKey(key, h);
        stubs.add(new Stub(t, new LabelNode(), h));
        if (t.type == null) {
          // A catch-all: nothing outside it is ever searched.
          break search;
        }
      }
    }
    if (key == null) {
      close();
      return;
    }
    if (!key.equals(openKey)) {
      close();
      openKey = key;
      open = stubs;
      openStart = new LabelNode();
      ev.residual.place(openStart);
    }
    sizeBeforeStep = ev.residual.size();
  }

  /**
   * Called after the step: if it emitted residual instructions inside the open group, the group's range now ends
   * after them (so a range never ends with instructions of non-throwing steps only, nor covers folded code alone).
   */
  void afterStep() {
    if (openKey != null && sizeBeforeStep >= 0 && ev.residual.size() > sizeBeforeStep) {
      openEnd = new LabelNode();
      ev.residual.place(openEnd);
    }
    sizeBeforeStep = -1;
  }

  /**
   * Ends the open group, if any, after its last throwing step's residual instructions: adds its exception-table
   * entries and queues its stubs. A group whose throwing steps all folded is dropped.
   */
  void close() {
    if (openKey == null) {
      return;
    }
    final List<Stub> stubs = open;
    final LabelNode start = openStart;
    final LabelNode end = openEnd;
    openKey = null;
    open = null;
    openStart = null;
    openEnd = null;
    if (end == null) {
      return;
    }
    for (final Stub stub : stubs) {
      ev.residual.handlers.add(new TryCatchBlockNode(start, end, stub.label(), stub.original().type));
    }
    // Queued in reverse so that the work stack specializes them in table order (only the code order changes).
    for (int i = stubs.size() - 1; i >= 0; i--) {
      ev.handlerEntry(stubs.get(i).label(), stubs.get(i).state());
    }
  }

  /**
   * Called when virtual value {@code v} has just become the real object {@code real} (in its residual local), in the
   * middle of a step or between steps. A handler state of the open group that holds {@code v} would re-create the
   * object when the handler uses it, yet from here on the object may have escaped (into the call this very step
   * makes, say) and the handler must see that object. So the open group ends here: what the step emitted so far,
   * the creation included, stays covered with the old handler states (until now the object had not escaped, so a
   * copy made by the handler cannot be told from it). Within a step that may throw, a new group then opens at once
   * for the rest of the step, with handler states that hold {@code real}: the same states as if the object had
   * been materialized before the step.
   */
  void materialized(final Virtual v, final Unknown real) {
    if (openKey == null || open.stream().noneMatch(stub -> holds(stub.state(), v))) {
      return;
    }
    final List<Stub> before = open;
    final boolean inStep = sizeBeforeStep >= 0;
    if (inStep && ev.residual.size() > sizeBeforeStep) {
      openEnd = new LabelNode();
      ev.residual.place(openEnd);
    }
    close();
    if (!inStep) {
      return;
    }
    final List<Object> key = new ArrayList<>();
    final List<Stub> stubs = new ArrayList<>(before.size());
    for (final Stub stub : before) {
      final State h = stub.state().copy();
      h.replace(v, real);
      key.add(stub.original());
      addKey(key, h);
      stubs.add(new Stub(stub.original(), new LabelNode(), h));
    }
    openKey = key;
    open = stubs;
    openStart = new LabelNode();
    ev.residual.place(openStart);
    sizeBeforeStep = ev.residual.size();
  }

  /** Whether some local or stack slot of {@code s} holds {@code v} itself. */
  private static boolean holds(final State s, final Value v) {
    for (int d = 0; d < s.depth; d++) {
      final Frame f = s.frames[d];
      for (final Value x : f.locals) {
        if (x == v) {
          return true;
        }
      }
      for (int i = 0; i < f.sp; i++) {
        if (f.stack[i] == v) {
          return true;
        }
      }
    }
    return false;
  }

  /** The state handler {@code t} of frame {@code depth} starts from when the top frame's instruction throws. */
  private static State handlerState(final State s, final int depth, final TryCatchBlockNode t, final int op) {
    final State h = s.copy();
    while (h.depth > depth + 1) {
      h.popFrame();
    }
    final Frame f = h.top();
    f.pc = f.method.target(t.handler);
    java.util.Arrays.fill(f.stack, null);
    f.sp = 0;
    if (op >= INVOKEVIRTUAL && op <= INVOKEDYNAMIC) {
      // A residual call may have written anything before it threw.
      h.kills = h.kills.killAll();
    }
    Variants.forgetDead(h);
    return h;
  }

  /** Values by identity for unknown ones (the stub reads their very locals), by value for known ones. */
  private static void addKey(final List<Object> key, final State h) {
    key.add(h.depth);
    for (int d = 0; d < h.depth; d++) {
      final Frame f = h.frames[d];
      key.add(f.method);
      key.add(f.pc);
      key.add(f.sp);
      for (final Value v : f.locals) {
        key.add(v);
      }
      for (int i = 0; i < f.sp; i++) {
        key.add(f.stack[i]);
      }
    }
    key.add(h.kills);
  }

  /**
   * Returns whether specializing an instruction with opcode {@code op} may emit a residual instruction that throws.
   * The others only ever emit loads, stores, constants, non-trapping arithmetic, jumps and returns.
   */
  static boolean mayThrow(final int op) {
    return op >= IALOAD && op <= SALOAD || op >= IASTORE && op <= SASTORE || op == IDIV || op == LDIV
        || op == IREM || op == LREM || op >= GETSTATIC && op <= MULTIANEWARRAY || op == LDC;
  }
}
