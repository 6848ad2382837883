package org.quasi.specializer.internal;

import java.util.Arrays;

/**
 * The whole abstract state at one point of partial evaluation: the stack of inlined activations (index 0 is the
 * entry method) and the heap knowledge killed so far.
 */
final class State {
  Frame[] frames;
  int depth;
  HeapKills kills;
  /**
   * Residual loop-exit branches ({@link MethodFacts#loopExits}) taken on this path since it last entered a loop
   * header's variant. A loop whose back edge is reached through one of them does not have known control, so it is
   * not unrolled. Not part of the state's key.
   */
  int residualBranches;
  /**
   * Places where this path may have come together with others: residual branches and variant entries, counted
   * from the start and never reset. Comparing it with an earlier value tells whether the path is still the only
   * one since then. Not part of the state's key.
   */
  int splits;

  State(final Frame[] frames, final int depth, final HeapKills kills) {
    this.frames = frames;
    this.depth = depth;
    this.kills = kills;
  }

  Frame top() {
    return frames[depth - 1];
  }

  void pushFrame(final Frame f) {
    if (depth == frames.length) {
      frames = Arrays.copyOf(frames, depth * 2);
    }
    frames[depth++] = f;
  }

  Frame popFrame() {
    final Frame f = frames[--depth];
    frames[depth] = null;
    return f;
  }

  State copy() {
    final Frame[] fs = new Frame[frames.length];
    for (int i = 0; i < depth; i++) {
      fs[i] = frames[i].copy();
    }
    final State c = new State(fs, depth, kills);
    c.residualBranches = residualBranches;
    c.splits = splits;
    return c;
  }

  /** Replaces every occurrence of {@code from} (by identity) with {@code to} in every frame. */
  void replace(final Value from, final Value to) {
    for (int i = 0; i < depth; i++) {
      frames[i].replace(from, to);
    }
  }

  @Override
  public String toString() {
    final StringBuilder b = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      b.append(i == 0 ? "" : " > ").append(frames[i]);
    }
    return b.toString();
  }
}
