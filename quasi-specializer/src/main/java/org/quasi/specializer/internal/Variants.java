package org.quasi.specializer.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.LabelNode;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * The memo of specialized program points: for each point (the stack of method and instruction index of every inlined
 * activation) the variants specialized so far, each for one abstract state, with its residual label.
 *
 * <p>Also the two state operations joins need: the <em>key</em> of a state (known values by identity or value,
 * unknown values by kind only, dead locals forgotten), and the <em>meet</em> of two states at the same point (what
 * both know; differing knowledge becomes unknown). Meets only ever lose knowledge, so repeated generalization at a
 * point ends after at most one step per slot: this is what makes specialization terminate.
 */
final class Variants {
  /** One specialized program point: the label where its residual code starts and its canonical state. */
  record Variant(LabelNode label, State state) {
  }

  private final Map<List<Object>, Variant> byKey = new HashMap<>();
  private final Map<List<Object>, List<Variant>> byPoint = new HashMap<>();
  private int count;

  int count() {
    return count;
  }

  Variant find(final List<Object> key) {
    return byKey.get(key);
  }

  List<Variant> at(final State s) {
    return byPoint.getOrDefault(point(s), List.of());
  }

  /** Registers a variant; {@code key} is the key of its state (computed by the caller, who needed it already). */
  void add(final Variant v, final List<Object> key) {
    byKey.put(key, v);
    byPoint.computeIfAbsent(point(v.state()), p -> new ArrayList<>()).add(v);
    count++;
  }

  /** Forgets locals that are dead at each frame's current instruction, so they do not split variants. */
  static void forgetDead(final State s) {
    for (int d = 0; d < s.depth; d++) {
      final Frame f = s.frames[d];
      for (int i = 0; i < f.locals.length; i++) {
        if (f.locals[i] != Value.Top.TOP && !f.method.live(f.pc, i)) {
          // The second half of a live long stays with its first half.
          if (!(i > 0 && f.locals[i - 1].category() == 2 && f.method.live(f.pc, i - 1))) {
            f.locals[i] = Value.Top.TOP;
          }
        }
      }
    }
  }

  /** The program point of {@code s}: method and instruction index of every activation. */
  static List<Object> point(final State s) {
    return point(s, s.depth * 2);
  }

  /**
   * The program point of {@code s} in a list with room for {@code capacity} elements: {@link #key} appends the slots
   * to it, a lookup by point needs no more (at every join, so a list sized for a key would be garbage at once).
   */
  private static List<Object> point(final State s, final int capacity) {
    final List<Object> key = new ArrayList<>(capacity);
    for (int d = 0; d < s.depth; d++) {
      key.add(s.frames[d].method);
      key.add(s.frames[d].pc);
    }
    return key;
  }

  /**
   * The key of a state. An unknown value is keyed by its kind and by the first slot holding the same value, so that
   * slots holding one value (a variable copied into a callee's parameter, say) share one local in the variant.
   */
  static List<Object> key(final State s) {
    int size = s.depth * 2 + 1;
    for (int d = 0; d < s.depth; d++) {
      size += s.frames[d].locals.length + s.frames[d].sp + 1;
    }
    final List<Object> key = point(s, size);
    // Sized for the few unknown values a state usually holds (the default table has 64 slots); it grows if need be.
    final Map<Value, Integer> first = new java.util.IdentityHashMap<>(4);
    for (int d = 0; d < s.depth; d++) {
      final Frame f = s.frames[d];
      for (final Value v : f.locals) {
        key.add(slotKey(v, first, key.size()));
      }
      key.add(f.sp);
      for (int i = 0; i < f.sp; i++) {
        key.add(slotKey(f.stack[i], first, key.size()));
      }
    }
    key.add(s.kills);
    return key;
  }

  private static Object slotKey(final Value v, final Map<Value, Integer> first, final int position) {
    if (v instanceof Unknown u) {
      return List.of(u.kind, first.computeIfAbsent(u, x -> position));
    }
    if (v instanceof Virtual w) {
      // Equal creations with equal known parts, unknown parts shared alike, and equal sharing between slots.
      final List<Object> k = new ArrayList<>();
      k.add(w.shape);
      k.add(w.type);
      k.add(w.recipe);
      final List<Value> parts = w.parts();
      for (int i = 0; i < parts.size(); i++) {
        k.add(slotKey(parts.get(i), first, -(position * Virtual.MAX_PARTS + i + 1)));
      }
      k.add(first.computeIfAbsent(w, x -> position));
      return k;
    }
    return v;
  }

  /** Returns a state at the same point as {@code a} knowing only what both {@code a} and {@code b} know. */
  static State meet(final State a, final State b) {
    final State m = a.copy();
    for (int d = 0; d < m.depth; d++) {
      final Frame fm = m.frames[d];
      final Frame fb = b.frames[d];
      for (int i = 0; i < fm.locals.length; i++) {
        fm.locals[i] = meet(fm.locals[i], fb.locals[i]);
      }
      for (int i = 0; i < fm.sp; i++) {
        fm.stack[i] = meet(fm.stack[i], fb.stack[i]);
      }
    }
    m.kills = a.kills.union(b.kills);
    return m;
  }

  private static Value meet(final Value a, final Value b) {
    if (a == Value.Top.TOP || b == Value.Top.TOP || a.kind() != b.kind()) {
      return Value.Top.TOP;
    }
    if (a instanceof Value.Uninit || b instanceof Value.Uninit) {
      return a.equals(b) ? a : Value.Top.TOP;
    }
    if (a instanceof Known && a.equals(b)) {
      return a;
    }
    // Unknown on either side: a fresh value, so that no aliasing one side lacks is assumed.
    return new Unknown(a.kind(), -1);
  }

  /** Returns {@code s} with every known value lifted to unknown (used once budgets are exhausted). */
  static State generalize(final State s) {
    final State g = s.copy();
    for (int d = 0; d < g.depth; d++) {
      final Frame f = g.frames[d];
      for (int i = 0; i < f.locals.length; i++) {
        f.locals[i] = lift(f.locals[i]);
      }
      for (int i = 0; i < f.sp; i++) {
        f.stack[i] = lift(f.stack[i]);
      }
    }
    g.kills = s.kills.killAll();
    return g;
  }

  private static Value lift(final Value v) {
    return v instanceof Known || v instanceof Virtual ? new Unknown(v.kind(), -1) : v;
  }
}
