package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Cleans up what the evaluator's simple emission scheme leaves behind: every unknown value goes through a fresh local,
 * so {@code xstore t; xload t} pairs for single-use temporaries are dropped (the value stays on the operand stack),
 * temporaries never read are popped instead of stored, and jumps to the immediately following label disappear. The
 * result is what a Java compiler would have produced for the residual program, give or take.
 */
final class Peephole {
    private Peephole() {
    }

    static void run(final InsnList code) {
        final java.util.Map<Integer, int[]> counts = new java.util.HashMap<>();
        for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
            if (n instanceof VarInsnNode v) {
                counts.computeIfAbsent(v.var, k -> new int[2])[isStore(v.getOpcode()) ? 0 : 1]++;
            }
        }
        AbstractInsnNode n = code.getFirst();
        while (n != null) {
            final AbstractInsnNode next = n.getNext();
            if (n instanceof VarInsnNode v && isStore(v.getOpcode()) && counts.get(v.var)[0] == 1) {
                final int loads = counts.get(v.var)[1];
                if (loads == 0) {
                    code.set(n, new InsnNode(v.getOpcode() == LSTORE || v.getOpcode() == DSTORE ? POP2 : POP));
                } else if (loads == 1 && next instanceof VarInsnNode l && l.var == v.var
                        && !isStore(l.getOpcode())) {
                    final AbstractInsnNode after = next.getNext();
                    code.remove(n);
                    code.remove(next);
                    n = after;
                    continue;
                }
            }
            if (n instanceof JumpInsnNode j && j.getOpcode() == GOTO && fallsInto(next, j.label)) {
                code.remove(n);
            }
            n = next;
        }
    }

    private static boolean fallsInto(final AbstractInsnNode from, final LabelNode label) {
        for (AbstractInsnNode n = from; n instanceof LabelNode; n = n.getNext()) {
            if (n == label) {
                return true;
            }
        }
        return false;
    }

    private static boolean isStore(final int opcode) {
        return opcode >= ISTORE && opcode <= ASTORE;
    }
}
