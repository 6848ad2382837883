package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites one class's writes to quasi-invariant fields into guarded writes (the sequences of
 * {@link GuardedWriteCode}, documented in {@code org.quasi.runtime.Guards}).
 *
 * <p>The receiver and values are spilled into fresh locals above the method's own ({@code maxLocals}); every site
 * reuses the same fresh slots, since none is live across sites. Stack map frames are recomputed by the class writer.
 *
 * <p>The QUID field and the static flags are reached through the field reference's own owner, as the original write
 * was: the JVM resolves them to the class that declares them (the QUID holder, the field's declaring class), so the
 * woven site needs no access the original did not have; only the {@code ldc} of the declaring class (the key of the
 * field's guard in the QUID) does, which differs when a public field of a package-private class is written from
 * another package through a public subclass (a rare shape: the class fails to link with an IllegalAccessError).
 *
 * <p>Fields declared by classes that cannot be woven ({@code Hierarchy.isWovable}) are guarded through the side table,
 * with flags the writing class keeps ({@link SyntheticFlags}). Adjacent writes to one object are batched
 * ({@link AdjacentWrites}).
 *
 * <p>In a constructor, writes before the call to the super or this constructor (javac's {@code this$0} and captured
 * values, or Java 22's statements before {@code super(...)}) act on an uninitialized {@code this}, whose QUID cannot
 * be read; they stay plain. Such an object cannot have a QUID yet (no dependent can have seen it), so nothing is lost.
 */
final class WriteSiteRewriter {

  static final String GUARDS = "org/quasi/runtime/Guards";
  static final String QUID = "org/quasi/runtime/Quid";
  static final String GUARD_FLAG = "org/quasi/runtime/GuardFlag";
  static final String GUARD_FLAG_DESC = "L" + GUARD_FLAG + ";";
  static final String QUID_FIELD = "$quasi$quid";
  static final String FLAG_PREFIX = "$quasi$flag$";

  /** What rewriting one method did. */
  record Counts(int guardedWrites, int batchedWrites, int sideTableWrites) {
  }

  private final Hierarchy hierarchy;
  private final GuardedWriteCode code;
  private final String className;
  private final SyntheticFlags flags;

  WriteSiteRewriter(final Hierarchy hierarchy, final boolean strict, final String className,
      final SyntheticFlags flags) {
    this.hierarchy = hierarchy;
    this.code = new GuardedWriteCode(strict);
    this.className = className;
    this.flags = flags;
  }

  /** Rewrites the guarded writes of {@code m}. */
  Counts rewrite(final MethodNode m) {
    if (m.instructions.size() == 0) {
      return new Counts(0, 0, 0);
    }
    final boolean constructor = "<init>".equals(m.name);
    final int base = m.maxLocals;
    int locals = 0;
    int rewritten = 0;
    int batched = 0;
    int sideTable = 0;
    int pendingNews = 0;
    boolean initialized = !constructor;
    final AdjacentWrites adjacent = new AdjacentWrites(m, this::batchable);
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; ) {
      AbstractInsnNode next = insn.getNext();
      if (!initialized) {
        if (insn.getOpcode() == NEW) {
          pendingNews++;
        } else if (insn.getOpcode() == INVOKESPECIAL && "<init>".equals(((MethodInsnNode) insn).name)) {
          if (pendingNews == 0) {
            initialized = true;
          } else {
            pendingNews--;
          }
        }
      } else if (insn.getOpcode() == ALOAD) {
        final List<AdjacentWrites.Segment> batch = adjacent.batchAt(insn);
        if (!batch.isEmpty()) {
          next = batch.get(batch.size() - 1).store().getNext(); // the emitted code goes before it
          locals = Math.max(locals, rewriteBatch(m, batch, base));
          rewritten += batch.size();
          batched += batch.size();
        }
      } else if (insn instanceof FieldInsnNode f && (f.getOpcode() == PUTFIELD || f.getOpcode() == PUTSTATIC)) {
        final Hierarchy.Resolved r = hierarchy.resolveField(f.owner, f.name);
        if (r != null && hierarchy.isQuasiInvariant(r.declaring(), r.field().name())) {
          final boolean wovable = r.field().isStatic() ? hierarchy.holdsItsGuards(r.declaring().name())
              : holdsQuid(r.declaring());
          final String declaring = r.declaring().name();
          InsnList s = null;
          if (f.getOpcode() == PUTFIELD && !r.field().isStatic()) {
            s = wovable ? code.instance(f, declaring, base)
                : code.sideTable(f, declaring, className, flags.sideTableFlag(f.owner), base);
          } else if (f.getOpcode() == PUTSTATIC && r.field().isStatic()) {
            s = wovable ? code.staticField(f, f.owner, FLAG_PREFIX + f.name, base)
                : code.staticField(f, className, flags.staticFlag(declaring, f.name), base);
          }
          if (s != null) {
            m.instructions.insertBefore(f, s);
            m.instructions.remove(f);
            rewritten++;
            sideTable += wovable ? 0 : 1;
            locals = Math.max(locals, GuardedWriteCode.localsFor(2));
          }
        }
      }
      insn = next;
    }
    if (locals > 0) {
      m.maxLocals = base + locals;
    }
    return new Counts(rewritten, batched, sideTable);
  }

  /** Whether {@code f} is a write to an instance quasi-invariant of a woven class (it may join a batch). */
  private boolean batchable(final FieldInsnNode f) {
    final Hierarchy.Resolved r = hierarchy.resolveField(f.owner, f.name);
    return r != null && !r.field().isStatic() && hierarchy.isQuasiInvariant(r.declaring(), r.field().name())
        && holdsQuid(r.declaring());
  }

  /**
   * Whether objects of {@code declaring} will have a woven QUID field: an instance site reads it from the QUID
   * holder of the declaring class (the JVM resolves {@code $quasi$quid} up the chain), which is what must weave.
   */
  private boolean holdsQuid(final Hierarchy.Header declaring) {
    return hierarchy.isWovable(declaring.name()) && hierarchy.holdsItsGuards(hierarchy.quidHolder(declaring));
  }

  /**
   * Each segment's receiver load goes, and its store becomes a store of the value into a local of its own; the
   * batch's guarded write follows the last segment. Returns the locals used above {@code base}.
   */
  private int rewriteBatch(final MethodNode m, final List<AdjacentWrites.Segment> batch, final int base) {
    final List<GuardedWriteCode.Store> stores = new ArrayList<>();
    int slot = base + 2;
    AbstractInsnNode last = null;
    for (final AdjacentWrites.Segment s : batch) {
      final FieldInsnNode f = s.store();
      final Type value = Type.getType(f.desc);
      final Hierarchy.Resolved r = hierarchy.resolveField(f.owner, f.name);
      final FieldInsnNode copy = new FieldInsnNode(PUTFIELD, f.owner, f.name, f.desc);
      stores.add(new GuardedWriteCode.Store(copy, r.declaring().name(), slot));
      m.instructions.remove(s.receiver());
      last = new VarInsnNode(value.getOpcode(ISTORE), slot);
      m.instructions.set(f, last);
      slot += value.getSize();
    }
    final AdjacentWrites.Segment first = batch.get(0);
    m.instructions.insert(last, code.batch(first.receiver().var, first.store().owner, stores, base));
    return GuardedWriteCode.localsFor(slot - base - 2);
  }
}
