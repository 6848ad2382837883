package org.quasi.specializer.internal;

import java.util.Arrays;

/**
 * The abstract activation of one method during partial evaluation: the method, the index of the instruction about to
 * be specialized, and abstract locals and operand stack. A long or double occupies one stack entry but two local
 * slots (the second holds {@link Value.Top#TOP}).
 *
 * <p>Mutable while one block is being specialized (hot loop; copying per instruction would be wasteful); snapshots are
 * taken with {@link #copy()} where control splits.
 */
final class Frame {
  final MethodFacts method;
  int pc;
  final Value[] locals;
  Value[] stack;
  int sp;
  /** The state's {@link State#splits} when this activation was entered (for inlined callees). */
  int splitsAtEntry;
  /** The arguments it was entered with: known values, and kinds for unknown ones (see {@link #entryKey}). */
  java.util.List<Object> entryKey = java.util.List.of();

  /** Returns what a recursive call must change to count as progress: the known arguments, unknown ones by kind. */
  static java.util.List<Object> entryKey(final Value[] args) {
    final Object[] key = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      key[i] = args[i] instanceof Value.Known ? args[i] : args[i].kind();
    }
    return java.util.List.of(key);
  }

  Frame(final MethodFacts method, final int pc, final Value[] locals, final Value[] stack, final int sp) {
    this.method = method;
    this.pc = pc;
    this.locals = locals;
    this.stack = stack;
    this.sp = sp;
  }

  static Frame enter(final MethodFacts method) {
    final Value[] locals = new Value[Math.max(1, method.node.maxLocals)];
    Arrays.fill(locals, Value.Top.TOP);
    return new Frame(method, 0, locals, new Value[Math.max(2, method.node.maxStack)], 0);
  }

  Frame copy() {
    final Frame f = new Frame(method, pc, locals.clone(), stack.clone(), sp);
    f.splitsAtEntry = splitsAtEntry;
    f.entryKey = entryKey;
    return f;
  }

  void push(final Value v) {
    if (sp == stack.length) {
      stack = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[sp++] = v;
  }

  Value pop() {
    final Value v = stack[--sp];
    stack[sp] = null;
    return v;
  }

  Value peek(final int fromTop) {
    return stack[sp - 1 - fromTop];
  }

  /** Pops {@code n} values and returns them in push order (first argument first). */
  Value[] pop(final int n) {
    final Value[] values = new Value[n];
    for (int i = n - 1; i >= 0; i--) {
      values[i] = pop();
    }
    return values;
  }

  Value load(final int slot) {
    return locals[slot];
  }

  void store(final int slot, final Value v) {
    // Overwriting the second half of a long/double invalidates the whole pair.
    if (slot > 0 && locals[slot - 1].category() == 2) {
      locals[slot - 1] = Value.Top.TOP;
    }
    locals[slot] = v;
    if (v.category() == 2) {
      locals[slot + 1] = Value.Top.TOP;
    }
  }

  /** Replaces every occurrence of {@code from} (by identity) with {@code to}, in locals and stack. */
  void replace(final Value from, final Value to) {
    for (int i = 0; i < locals.length; i++) {
      if (locals[i] == from) {
        locals[i] = to;
      }
    }
    for (int i = 0; i < sp; i++) {
      if (stack[i] == from) {
        stack[i] = to;
      }
    }
  }

  @Override
  public String toString() {
    return method.owner + "." + method.node.name + "@" + pc + " locals=" + Arrays.toString(locals) + " stack="
        + Arrays.toString(Arrays.copyOf(stack, sp));
  }
}
