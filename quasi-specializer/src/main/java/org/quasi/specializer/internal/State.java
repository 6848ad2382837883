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
        return new State(fs, depth, kills);
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
