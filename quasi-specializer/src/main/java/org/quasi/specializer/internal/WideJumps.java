package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Gives the jumps of a method that may be longer than 32 KB their wide form before ASM writes it, wherever they could
 * reach beyond 32 KB, so that ASM never has to widen a jump itself.
 *
 * <p>Why: a jump's offset is 16 bits, and when one does not fit, ASM's {@code ClassWriter} marks it and rewrites the
 * method in a second pass. ASM 9.11.1 also marks, in advance, short jumps that the second pass's growth could push out
 * of range; when such a jump is <em>backward</em>, the mark keeps its negative offset while the second pass reads
 * marked offsets as unsigned, and {@code toByteArray} fails with an {@code ArrayIndexOutOfBoundsException} (index = the
 * jump's target + 65,536). It takes a method over 32 KB with a forward jump beyond 32 KB and a backward jump of nearly
 * 32 KB across a switch or another widened jump: Quasi's generated-program property found it in ~42 KB residual
 * methods.
 *
 * <p>The rewriting: {@code goto L} becomes {@code goto_w L}, {@code jsr L} becomes {@code jsr_w L}, and a conditional
 * {@code if<cond> L} becomes {@code if<!cond> next; goto_w L; next:}. The behaviour is the same; the conditional jump
 * grows by five bytes. ASM writes a {@code goto_w} or {@code jsr_w} it is given as it is (its {@code MethodWriter}
 * keeps the wide jumps that its own {@code ClassReader} hands it); the new label is a jump target, so the writer must
 * compute frames ({@code COMPUTE_FRAMES}) or the class must have none.
 *
 * <p>Which jumps: every instruction is counted at its longest encoding (a jump at the eight bytes of its widest form),
 * and a jump is widened when that bound on its distance to its label exceeds 32,767 bytes. The bound holds before and
 * after the rewriting, so one pass leaves no jump ASM could find out of range, and ASM never starts its second pass.
 * A jump that cannot reach that far keeps its short form: a method's size is not inflated by its local jumps (a
 * 56 KB method with thousands of them would otherwise pass 64 KB), and widening again after writing the class and
 * reading it back (where {@code goto_w} comes back as {@code goto}) changes no size.
 *
 * <p>A method that needs the rewriting is replaced in its class by a rewritten copy: the caller's instruction list,
 * which the specializer counts and may read again, is left as it was.
 *
 * <p><b>Keeping the frames as read.</b> A rewriter that writes a class with its frames as read (MemGuard's traps,
 * shadow mode's probes: computing frames would load classes) cannot give {@code next} a frame: that would take the
 * types of every local and stack slot at the jump. {@link #widenIfLongKeepingFrames} sends such a conditional jump to
 * a trampoline instead, {@code T: goto_w L}, placed after the nearest unconditional transfer ({@code goto},
 * {@code return}, {@code athrow}, a switch) where nothing falls into it. {@code T}'s frame is {@code L}'s, which the
 * class already has (a jump target has a frame), and it holds at {@code T}: the jump to {@code T} is the jump to
 * {@code L} that the class already verified, and {@code goto_w} changes nothing. A trampoline goes inside an exception
 * handler's range only if {@code L} is inside it too: its frame must also fit the handler's, as {@code L}'s does.
 */
public final class WideJumps {
  /** The JVM's {@code goto_w} and {@code jsr_w}: {@link org.objectweb.asm.Opcodes} does not name them. */
  static final int GOTO_W = 200;

  static final int JSR_W = 201;

  private static final int SHORT_REACH = Short.MAX_VALUE;

  private WideJumps() {
  }

  /**
   * Replaces each method of {@code c} that has a jump which could reach beyond 32 KB by a copy with such jumps
   * widened; returns how many methods were replaced.
   */
  public static int widenIfLong(final ClassNode c) {
    int changed = 0;
    for (int i = 0; i < c.methods.size(); i++) {
      final MethodNode m = c.methods.get(i);
      if (hasLongJumps(m)) {
        final MethodNode copy = new MethodNode(m.access, m.name, m.desc, m.signature,
            m.exceptions == null ? null : m.exceptions.toArray(new String[0]));
        m.accept(copy);
        // The copy's nodes are new: its long jumps are found again, the same ones.
        for (final JumpInsnNode j : longJumps(copy)) {
          widen(copy, j);
        }
        c.methods.set(i, copy);
        changed++;
      }
    }
    return changed;
  }

  /** Whether a method of {@code c} has a jump that could reach beyond 32 KB: what the widening methods rewrite. */
  public static boolean hasLongJumps(final ClassNode c) {
    for (final MethodNode m : c.methods) {
      if (hasLongJumps(m)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLongJumps(final MethodNode m) {
    return maxCodeLength(m) > SHORT_REACH && !longJumps(m).isEmpty();
  }

  /**
   * {@link #widenIfLong} for a class written with its frames as read, expanded ({@code ClassReader.EXPAND_FRAMES})
   * and not computed: a long conditional jump goes through a trampoline that takes its target's frame (see the class
   * comment); a long {@code goto} becomes {@code goto_w}. A class older than Java 6 has no frames and is widened as
   * {@link #widenIfLong} does. Returns how many methods were replaced.
   *
   * @throws IllegalArgumentException when a method to widen has compressed frames, a long {@code jsr}, or a long
   *     conditional jump with no place for its trampoline within 32 KB; the class is left as it was
   */
  public static int widenIfLongKeepingFrames(final ClassNode c) {
    if ((c.version & 0xFFFF) < V1_6) {
      return widenIfLong(c);
    }
    final List<MethodNode> widened = new ArrayList<>(c.methods);
    int changed = 0;
    for (int i = 0; i < widened.size(); i++) {
      final MethodNode m = widened.get(i);
      if (hasLongJumps(m)) {
        final MethodNode copy = new MethodNode(m.access, m.name, m.desc, m.signature,
            m.exceptions == null ? null : m.exceptions.toArray(new String[0]));
        m.accept(copy);
        throughTrampolines(c.name, copy);
        widened.set(i, copy);
        changed++;
      }
    }
    c.methods.clear();
    c.methods.addAll(widened);
    return changed;
  }

  private static void throughTrampolines(final String owner, final MethodNode m) {
    final List<JumpInsnNode> jumps = longJumps(m);
    final Map<AbstractInsnNode, Long> offset = new IdentityHashMap<>();
    long at = 0;
    for (final AbstractInsnNode n : m.instructions) {
      offset.put(n, at);
      at += maxLength(n);
    }
    final List<AbstractInsnNode> places = trampolinePlaces(m);
    // Each trampoline adds a goto_w's five bytes between a jump and its trampoline, at most.
    final long reach = SHORT_REACH - 5L * jumps.size();
    for (final JumpInsnNode j : jumps) {
      if (j.getOpcode() == GOTO) {
        m.instructions.set(j, new JumpInsnNode(GOTO_W, j.label));
        continue;
      }
      if (j.getOpcode() == JSR) {
        throw new IllegalArgumentException(where(owner, m) + " has a jsr beyond 32 KB");
      }
      AbstractInsnNode place = null;
      for (final AbstractInsnNode p : places) {
        final long distance = Math.abs(offset.get(p) - offset.get(j));
        if (distance <= reach && (place == null || distance < Math.abs(offset.get(place) - offset.get(j)))
            && handlersAllow(m, p, j.label)) {
          place = p;
        }
      }
      if (place == null) {
        throw new IllegalArgumentException(where(owner, m) + " has a conditional jump beyond 32 KB with no"
            + " unconditional transfer within 32 KB, in no exception handler's range its target is not in, to place"
            + " a trampoline after");
      }
      // T: [L's frame] goto_w L
      final LabelNode trampoline = new LabelNode();
      final InsnList t = new InsnList();
      t.add(trampoline);
      t.add(frameAt(owner, m, j.label));
      t.add(new JumpInsnNode(GOTO_W, j.label));
      m.instructions.insert(place, t);
      j.label = trampoline;
    }
    if (!longJumps(m).isEmpty()) {
      throw new IllegalArgumentException(where(owner, m) + ": jumps still beyond 32 KB after widening");
    }
  }

  /** The instructions after which nothing falls through: where a trampoline may go, if its handlers allow. */
  private static List<AbstractInsnNode> trampolinePlaces(final MethodNode m) {
    final List<AbstractInsnNode> places = new ArrayList<>();
    for (final AbstractInsnNode n : m.instructions) {
      final int op = n.getOpcode();
      if (op == GOTO || op == GOTO_W || op == ATHROW || op == TABLESWITCH || op == LOOKUPSWITCH || op == RET
          || (op >= IRETURN && op <= RETURN)) {
        places.add(n);
      }
    }
    return places;
  }

  /**
   * Whether a trampoline to {@code target} may go right after {@code place}: every exception handler whose range
   * covers it also covers the target, whose frame the verifier then already checked against the handler's.
   */
  private static boolean handlersAllow(final MethodNode m, final AbstractInsnNode place, final LabelNode target) {
    final int at = m.instructions.indexOf(place);
    final int to = m.instructions.indexOf(target);
    for (final TryCatchBlockNode b : m.tryCatchBlocks) {
      final int start = m.instructions.indexOf(b.start);
      final int end = m.instructions.indexOf(b.end);
      if (start <= at && at < end && !(start <= to && to < end)) {
        return false;
      }
    }
    return true;
  }

  /** A copy of the expanded frame that follows {@code label} (before its first instruction). */
  private static FrameNode frameAt(final String owner, final MethodNode m, final LabelNode label) {
    for (AbstractInsnNode n = label.getNext(); n != null && n.getOpcode() < 0; n = n.getNext()) {
      if (n instanceof FrameNode f) {
        if (f.type != F_NEW) {
          throw new IllegalArgumentException(where(owner, m) + " has compressed frames: read the class with"
              + " ClassReader.EXPAND_FRAMES to widen its jumps keeping them");
        }
        return new FrameNode(F_NEW, f.local.size(), f.local.toArray(), f.stack.size(), f.stack.toArray());
      }
    }
    throw new IllegalArgumentException(where(owner, m) + " has a jump target without a frame");
  }

  private static String where(final String owner, final MethodNode m) {
    return owner.replace('/', '.') + "." + m.name + m.desc;
  }

  /** The short jumps of m whose distance to their label, every instruction at its longest, exceeds 32,767 bytes. */
  private static List<JumpInsnNode> longJumps(final MethodNode m) {
    final Map<AbstractInsnNode, Long> offset = new IdentityHashMap<>();
    long at = 0;
    for (final AbstractInsnNode n : m.instructions) {
      offset.put(n, at);
      at += maxLength(n);
    }
    final List<JumpInsnNode> found = new ArrayList<>();
    for (final AbstractInsnNode n : m.instructions) {
      if (n instanceof JumpInsnNode j && j.getOpcode() != GOTO_W && j.getOpcode() != JSR_W
          && Math.abs(offset.get(j.label) - offset.get(j)) + maxLength(j) > SHORT_REACH) {
        found.add(j);
      }
    }
    return found;
  }

  /** An upper bound of m's code length in bytes: each instruction at its longest encoding. */
  static long maxCodeLength(final MethodNode m) {
    long length = 0;
    for (final AbstractInsnNode n : m.instructions) {
      length += maxLength(n);
    }
    return length;
  }

  private static long maxLength(final AbstractInsnNode n) {
    if (n.getOpcode() < 0) {
      return 0; // labels, line numbers, frames
    } else if (n instanceof TableSwitchInsnNode t) {
      return 16 + 4L * t.labels.size(); // opcode, up to 3 bytes of padding, default, low, high, the offsets
    } else if (n instanceof LookupSwitchInsnNode l) {
      return 12 + 8L * l.labels.size();
    } else if (n instanceof JumpInsnNode) {
      return 8; // if<!cond> +8; goto_w
    } else if (n instanceof IincInsnNode) {
      return 6; // wide iinc
    } else if (n instanceof MethodInsnNode || n instanceof InvokeDynamicInsnNode) {
      return 5;
    } else if (n instanceof VarInsnNode || n instanceof MultiANewArrayInsnNode) {
      return 4; // wide xload, xstore, ret
    } else if (n instanceof IntInsnNode || n instanceof LdcInsnNode || n.getType() == AbstractInsnNode.TYPE_INSN
        || n.getType() == AbstractInsnNode.FIELD_INSN) {
      return 3;
    }
    return 1;
  }

  private static void widen(final MethodNode m, final JumpInsnNode j) {
    final int opcode = j.getOpcode();
    if (opcode == GOTO || opcode == JSR) {
      m.instructions.set(j, new JumpInsnNode(opcode == GOTO ? GOTO_W : JSR_W, j.label));
      return;
    }
    final LabelNode next = new LabelNode();
    final JumpInsnNode skip = new JumpInsnNode(opposite(opcode), next);
    m.instructions.insertBefore(j, skip);
    m.instructions.insert(j, next);
    m.instructions.set(j, new JumpInsnNode(GOTO_W, j.label));
  }

  /** The conditional jump taken exactly when {@code opcode}'s is not. */
  static int opposite(final int opcode) {
    switch (opcode) {
      case IFEQ: return IFNE;
      case IFNE: return IFEQ;
      case IFLT: return IFGE;
      case IFGE: return IFLT;
      case IFGT: return IFLE;
      case IFLE: return IFGT;
      case IF_ICMPEQ: return IF_ICMPNE;
      case IF_ICMPNE: return IF_ICMPEQ;
      case IF_ICMPLT: return IF_ICMPGE;
      case IF_ICMPGE: return IF_ICMPLT;
      case IF_ICMPGT: return IF_ICMPLE;
      case IF_ICMPLE: return IF_ICMPGT;
      case IF_ACMPEQ: return IF_ACMPNE;
      case IF_ACMPNE: return IF_ACMPEQ;
      case IFNULL: return IFNONNULL;
      case IFNONNULL: return IFNULL;
      default: throw new IllegalArgumentException("not a conditional jump: opcode " + opcode);
    }
  }
}
