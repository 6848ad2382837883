package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;
import static org.quasi.specializer.internal.LocalCleanupTest.code;
import static org.quasi.specializer.internal.LocalCleanupTest.names;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/** Identical tails kept once ({@link TailMerge}), on instruction lists run by the JVM before and after. */
class TailMergeTest {

  /** {@code (flag ? x * 3 : x * 3)} written twice, up to the return: the later copy jumps to the earlier. */
  private static InsnList twoTails() {
    final LabelNode l = new LabelNode();
    return code(new VarInsnNode(ILOAD, 0), new JumpInsnNode(IFEQ, l), new VarInsnNode(ILOAD, 1),
        new InsnNode(ICONST_3), new InsnNode(IMUL), new InsnNode(IRETURN), l, new VarInsnNode(ILOAD, 1),
        new InsnNode(ICONST_3), new InsnNode(IMUL), new InsnNode(IRETURN));
  }

  @Test
  void theLaterOfTwoIdenticalTailsBecomesAJumpToTheEarlier() throws Throwable {
    final InsnList code = twoTails();
    assertThat(TailMerge.run(code, List.of())).isTrue();
    assertThat(names(code)).containsExactly("ILOAD 0", "IFEQ", "ILOAD 1", "ICONST_3", "IMUL", "IRETURN", "GOTO");
    final MethodHandle merged = define(code);
    final MethodHandle original = define(twoTails());
    for (final int x : new int[] {-7, 0, 5, Integer.MAX_VALUE}) {
      assertThat((int) merged.invokeExact(true, x)).isEqualTo((int) original.invokeExact(true, x));
      assertThat((int) merged.invokeExact(false, x)).isEqualTo((int) original.invokeExact(false, x));
    }
  }

  /**
   * {@code flag ? 1 + x : 2 + x}: the common {@code iload; iadd; ireturn} starts with a value on the stack, whose
   * types could differ between the paths, so nothing is merged.
   */
  @Test
  void aTailThatStartsOnANonEmptyStackIsKept() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(new VarInsnNode(ILOAD, 0), new JumpInsnNode(IFEQ, l), new InsnNode(ICONST_1),
        new VarInsnNode(ILOAD, 1), new InsnNode(IADD), new InsnNode(IRETURN), l, new InsnNode(ICONST_2),
        new VarInsnNode(ILOAD, 1), new InsnNode(IADD), new InsnNode(IRETURN));
    assertThat(TailMerge.run(code, List.of())).isFalse();
    assertThat(names(code)).hasSize(10);
  }

  /** A label inside the later tail that something jumps to ends the tail there: the jump keeps its code. */
  @Test
  void aJumpIntoTheLaterTailEndsItThere() throws Throwable {
    final LabelNode l = new LabelNode();
    final LabelNode inside = new LabelNode();
    final InsnList code = code(new VarInsnNode(ILOAD, 0), new JumpInsnNode(IFEQ, l), new VarInsnNode(ILOAD, 1),
        new IntInsnNode(BIPUSH, 9), new InsnNode(IADD), new InsnNode(ICONST_3), new InsnNode(IMUL),
        new InsnNode(IRETURN), l, new VarInsnNode(ILOAD, 1), new JumpInsnNode(IFLT, inside),
        new VarInsnNode(ILOAD, 1), new IntInsnNode(BIPUSH, 9), new InsnNode(IADD), new VarInsnNode(ISTORE, 1),
        inside, new VarInsnNode(ILOAD, 1), new IntInsnNode(BIPUSH, 9), new InsnNode(IADD), new InsnNode(ICONST_3),
        new InsnNode(IMUL), new InsnNode(IRETURN));
    final MethodHandle original = define(copy(code));
    assertThat(TailMerge.run(code, List.of())).isTrue();
    // The whole five-instruction tail after `inside` went: `inside` now jumps to the earlier copy.
    assertThat(names(code).subList(names(code).size() - 2, names(code).size())).containsExactly("ISTORE 1", "GOTO");
    final MethodHandle merged = define(code);
    for (final int x : new int[] {-20, -3, 0, 4}) {
      for (final boolean flag : new boolean[] {true, false}) {
        assertThat((int) merged.invokeExact(flag, x)).isEqualTo((int) original.invokeExact(flag, x));
      }
    }
  }

  /** Code with an exception handler is left alone: a handler could cover one copy and not the other. */
  @Test
  void codeWithHandlersIsLeftAlone() {
    final InsnList code = twoTails();
    final TryCatchBlockNode handler = new TryCatchBlockNode(new LabelNode(), new LabelNode(), new LabelNode(), null);
    assertThat(TailMerge.run(code, List.of(handler))).isFalse();
  }

  /** Stack heights follow jumps and switches; two paths that disagree make the code unanalyzable. */
  @Test
  void heightsDisagreeingAtAJoinGiveNoAnswer() {
    final LabelNode join = new LabelNode();
    final InsnList code = code(new VarInsnNode(ILOAD, 0), new JumpInsnNode(IFEQ, join), new InsnNode(ICONST_1),
        join, new InsnNode(IRETURN));
    assertThat(TailMerge.heights(code)).isNull();
    assertThat(TailMerge.heights(twoTails())).hasSize(10);
  }

  /** A switch's cases and default each start with the stack the switch left. */
  @Test
  void heightsFollowSwitches() {
    final LabelNode one = new LabelNode();
    final LabelNode other = new LabelNode();
    final InsnList code = code(new VarInsnNode(ILOAD, 1),
        new org.objectweb.asm.tree.TableSwitchInsnNode(0, 0, other, one), one, new VarInsnNode(ILOAD, 1),
        new InsnNode(IRETURN), other, new InsnNode(ICONST_0), new InsnNode(IRETURN));
    assertThat(TailMerge.heights(code)).hasSize(6).containsValues(0, 1).doesNotContainValue(2);
  }

  /**
   * {@code t = x * 7; if (flag) return t; u = x + 1; x = u * u; return t;} with t and u temporaries: merging the two
   * {@code iload t; ireturn} would read t on the second path where {@link LocalAllocator} no longer keeps it (it packs
   * temporaries by their span in code order, and the jump back to the earlier copy leaves that span), u taking its slot.
   */
  private static InsnList readsATemporary() {
    final int t = ResidualMethod.TEMPORARY;
    final int u = t + 1;
    final LabelNode other = new LabelNode();
    return code(new VarInsnNode(ILOAD, 1), new IntInsnNode(BIPUSH, 7), new InsnNode(IMUL), new VarInsnNode(ISTORE, t),
        new VarInsnNode(ILOAD, 0), new JumpInsnNode(IFEQ, other), new VarInsnNode(ILOAD, t), new InsnNode(IRETURN),
        other, new VarInsnNode(ILOAD, 1), new InsnNode(ICONST_1), new InsnNode(IADD), new VarInsnNode(ISTORE, u),
        new VarInsnNode(ILOAD, u), new VarInsnNode(ILOAD, u), new InsnNode(IMUL), new VarInsnNode(ISTORE, 1),
        new VarInsnNode(ILOAD, t), new InsnNode(IRETURN));
  }

  @Test
  void aTailReadingATemporaryStillReadsItsValueAfterLocalsAreAllocated() throws Throwable {
    assertMergedAsBefore(TailMergeTest::readsATemporary, -7, 0, 5, 1000);
  }

  /**
   * {@code if (flag) { p = new int[x]; return p.length; } p = new long[x]; return p.length;} with p one positional
   * local (the source reused its slot): at a merged {@code aload p; arraylength; ireturn} the frame's p would be the
   * merge of {@code int[]} and {@code long[]}, {@code Object}, which {@code arraylength} does not take.
   */
  private static InsnList arraysOfTwoKindsInOneLocal() {
    final int p = ResidualMethod.POSITIONAL;
    final LabelNode other = new LabelNode();
    return code(new VarInsnNode(ILOAD, 0), new JumpInsnNode(IFEQ, other), new VarInsnNode(ILOAD, 1),
        new IntInsnNode(NEWARRAY, T_INT), new VarInsnNode(ASTORE, p), new VarInsnNode(ALOAD, p),
        new InsnNode(ARRAYLENGTH), new InsnNode(IRETURN), other, new VarInsnNode(ILOAD, 1),
        new IntInsnNode(NEWARRAY, T_LONG), new VarInsnNode(ASTORE, p), new VarInsnNode(ALOAD, p),
        new InsnNode(ARRAYLENGTH), new InsnNode(IRETURN));
  }

  @Test
  void aTailReadingALocalThatHoldsArraysOfTwoKindsStaysVerifiable() throws Throwable {
    assertMergedAsBefore(TailMergeTest::arraysOfTwoKindsInOneLocal, 0, 5);
  }

  /**
   * A switch's case label inside the later tail ends it there, as a jump's does: {@code switch (x) { case 0: break;
   * default: x += 2; } return x * 3;} after a first {@code x += 2; return x * 3;}.
   */
  @Test
  void aSwitchCaseIntoTheLaterTailEndsItThere() throws Throwable {
    final LabelNode other = new LabelNode();
    final LabelNode inside = new LabelNode();
    final LabelNode dflt = new LabelNode();
    final InsnList code = code(new VarInsnNode(ILOAD, 0), new JumpInsnNode(IFEQ, other), new VarInsnNode(ILOAD, 1),
        new InsnNode(ICONST_2), new InsnNode(IADD), new VarInsnNode(ISTORE, 1), new VarInsnNode(ILOAD, 1),
        new InsnNode(ICONST_3), new InsnNode(IMUL), new InsnNode(IRETURN), other, new VarInsnNode(ILOAD, 1),
        new org.objectweb.asm.tree.TableSwitchInsnNode(0, 0, dflt, inside), dflt, new VarInsnNode(ILOAD, 1),
        new InsnNode(ICONST_2), new InsnNode(IADD), new VarInsnNode(ISTORE, 1), inside, new VarInsnNode(ILOAD, 1),
        new InsnNode(ICONST_3), new InsnNode(IMUL), new InsnNode(IRETURN));
    final MethodHandle original = define(copy(code));
    assertThat(TailMerge.run(code, List.of())).isTrue();
    assertThat(code.contains(inside)).isTrue();
    assertThat(names(code).subList(names(code).size() - 2, names(code).size())).containsExactly("ISTORE 1", "GOTO");
    final MethodHandle merged = define(code);
    for (final int x : new int[] {-1, 0, 1, 7}) {
      for (final boolean flag : new boolean[] {true, false}) {
        assertThat((int) merged.invokeExact(flag, x)).isEqualTo((int) original.invokeExact(flag, x));
      }
    }
  }

  private static InsnList copy(final InsnList code) {
    final MethodNode m = new MethodNode(ACC_STATIC, "m", "(ZI)I", null, null);
    m.instructions = code;
    final MethodNode c = new MethodNode(ACC_STATIC, "m", "(ZI)I", null, null);
    m.accept(c);
    return c.instructions;
  }

  /** Defines {@code static int m(boolean flag, int x)} with {@code code} in a hidden class and returns it. */
  private static MethodHandle define(final InsnList code) throws ReflectiveOperationException {
    return HiddenMethods.define(TailMergeTest.class, code,
        MethodType.methodType(int.class, boolean.class, int.class));
  }

  /**
   * Runs {@code code()} through LocalAllocator, as {@code Engine} does, with and without TailMerge before it, and
   * checks that both return the same on each {@code x} and flag.
   */
  private static void assertMergedAsBefore(final java.util.function.Supplier<InsnList> code, final int... xs)
      throws Throwable {
    final InsnList original = code.get();
    LocalAllocator.run(original, 2);
    final InsnList merged = code.get();
    TailMerge.run(merged, List.of());
    LocalAllocator.run(merged, 2);
    final MethodHandle after = define(merged);
    final MethodHandle before = define(original);
    for (final int x : xs) {
      for (final boolean flag : new boolean[] {true, false}) {
        assertThat((int) after.invokeExact(flag, x)).isEqualTo((int) before.invokeExact(flag, x));
      }
    }
  }
}
