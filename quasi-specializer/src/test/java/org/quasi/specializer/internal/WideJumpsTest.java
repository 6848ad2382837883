package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

class WideJumpsTest {
  /**
   * {@code static int f(int x)}: x == 0 jumps forward over the whole loop (more than 32 KB) to return -1; otherwise a
   * loop of two rounds whose body is a tableswitch and {@code fill} nops, closed by a backward {@code if_icmplt} of
   * nearly 32 KB, returns 2. The switch's padding may grow when ASM widens the forward jump, which is what makes ASM
   * 9.11.1 mark the backward jump for widening too.
   */
  private static ClassNode program(final String name, final int fill) {
    return LongMethods.loop(name, "(I)I", false, false, LongMethods.nops(fill));
  }

  private static byte[] write(final ClassNode c) {
    return LongMethods.write(c);
  }

  private static Method load(final String name, final byte[] classFile) throws Exception {
    return LongMethods.define(name, classFile, WideJumpsTest.class.getClassLoader()).getMethod("f", int.class);
  }

  @Test
  void longMethodsWithWideJumpsAreWrittenAndBehaveAsWritten() throws Exception {
    final List<Integer> asmAloneFails = new ArrayList<>();
    // Backward offsets from just inside to just outside the 16-bit range: every alignment of the switch.
    for (int fill = 32_740; fill <= 32_760; fill++) {
      final String name = "WideJumpsProgram" + fill;
      try {
        write(program(name, fill));
      } catch (RuntimeException asmDefect) {
        asmAloneFails.add(fill);
      }
      final ClassNode c = program(name, fill);
      assertThat(WideJumps.widenIfLong(c)).isEqualTo(1);
      final Method f = load(name, write(c));
      assertThat(f.invoke(null, 0)).as("fill %d, the forward jump", fill).isEqualTo(-1);
      assertThat(f.invoke(null, 5)).as("fill %d, the backward jump", fill).isEqualTo(2);
    }
    // The case this class exists for is among them (if a later ASM writes them all, WideJumps can go).
    assertThat(asmAloneFails).isNotEmpty();
  }

  @Test
  void methodsThatCannotReach32KbKeepTheirShortJumps() {
    final ClassNode c = program("Short", 1000);
    assertThat(WideJumps.widenIfLong(c)).isZero();
    assertThat(c.methods.get(0).instructions.toArray()).noneMatch(n -> n.getOpcode() == WideJumps.GOTO_W);
  }

  @Test
  void widenedConditionalsJumpOverAGotoWAndWideningTwiceChangesNothingMore() {
    final ClassNode c = program("Twice", 40_000);
    WideJumps.widenIfLong(c);
    final int size = c.methods.get(0).instructions.size();
    WideJumps.widenIfLong(c);
    assertThat(c.methods.get(0).instructions.size()).isEqualTo(size);
    assertThat(c.methods.get(0).instructions.toArray()).filteredOn(n -> n.getOpcode() == WideJumps.GOTO_W).hasSize(2);
    assertThat(c.methods.get(0).instructions.get(1).getOpcode()).isEqualTo(IFNE);
  }

  /** {@code static int f(int x)}: {@code y = 0}, {@code blocks} times {@code if (x != 0) y++;} (a 6-byte jump). */
  private static ClassNode localJumps(final String name, final int blocks) {
    final ClassNode c = new ClassNode();
    c.visit(V17, ACC_PUBLIC, name, null, "java/lang/Object", null);
    final MethodNode f = new MethodNode(ACC_PUBLIC | ACC_STATIC, "f", "(I)I", null, null);
    f.instructions.add(new InsnNode(ICONST_0));
    f.instructions.add(new VarInsnNode(ISTORE, 1));
    for (int i = 0; i < blocks; i++) {
      final LabelNode skip = new LabelNode();
      f.instructions.add(new VarInsnNode(ILOAD, 0));
      f.instructions.add(new JumpInsnNode(IFEQ, skip));
      f.instructions.add(new IincInsnNode(1, 1));
      f.instructions.add(skip);
    }
    f.instructions.add(new VarInsnNode(ILOAD, 1));
    f.instructions.add(new InsnNode(IRETURN));
    c.methods.add(f);
    return c;
  }

  /** A 56 KB method whose jumps all stay local keeps them short: widened, it would pass 64 KB. */
  @Test
  void jumpsThatCannotReach32KbStayShortInALongMethod() throws Exception {
    final ClassNode c = localJumps("LocalJumps", 8_000);
    assertThat(WideJumps.widenIfLong(c)).isZero();
    final Method f = load("LocalJumps", write(c));
    assertThat(f.invoke(null, 1)).isEqualTo(8_000);
  }

  /**
   * Written and read back (as SharedResidualClasses does, or from a javac class file), where {@code goto_w} returns
   * as {@code goto}, a widened method widens to the same size again.
   */
  @Test
  void wideningAgainAfterAWriteAndARead() {
    final ClassNode c = program("Again", 40_000);
    WideJumps.widenIfLong(c);
    final byte[] once = write(c);
    final ClassNode read = new ClassNode();
    new ClassReader(once).accept(read, ClassReader.SKIP_FRAMES);
    assertThat(WideJumps.widenIfLong(read)).isEqualTo(1);
    assertThat(write(read)).hasSameSizeAs(once);
  }

  /** The caller's method is left as it was: the class gets a widened copy. */
  @Test
  void theClassGetsAWidenedCopyAndTheOriginalListIsUntouched() {
    final ClassNode c = program("Copy", 40_000);
    final MethodNode original = c.methods.get(0);
    final int size = original.instructions.size();
    WideJumps.widenIfLong(c);
    assertThat(c.methods.get(0)).isNotSameAs(original);
    assertThat(original.instructions.size()).isEqualTo(size);
    assertThat(original.instructions.toArray()).noneMatch(n -> n.getOpcode() == WideJumps.GOTO_W);
  }

  /** {@link #program} with its frames, expanded, as a rewriter that keeps a class's frames reads them. */
  private static ClassNode programWithFrames(final String name, final int fill) {
    return LongMethods.loop(name, "(I)I", false, true, LongMethods.nops(fill));
  }

  /** As MemGuard's and shadow mode's rewriters write: the frames as they are, nothing computed but the maxima. */
  private static byte[] writeKeepingFrames(final ClassNode c) {
    final ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    c.accept(w);
    return w.toByteArray();
  }

  @Test
  void longMethodsKeepingTheirFramesJumpThroughTrampolines() throws Exception {
    final List<Integer> asmAloneFails = new ArrayList<>();
    for (int fill = 32_740; fill <= 32_760; fill++) {
      final String name = "FramedProgram" + fill;
      try {
        writeKeepingFrames(programWithFrames(name, fill));
      } catch (RuntimeException asmDefect) {
        asmAloneFails.add(fill);
      }
      final ClassNode c = programWithFrames(name, fill);
      assertThat(WideJumps.widenIfLongKeepingFrames(c)).isEqualTo(1);
      final AbstractInsnNode[] code = c.methods.get(0).instructions.toArray();
      // The two conditionals keep their sense and go to trampolines; each trampoline has its target's frame.
      assertThat(code).filteredOn(n -> n.getOpcode() == WideJumps.GOTO_W).hasSize(2)
          .allMatch(n -> n.getPrevious() instanceof FrameNode);
      assertThat(code).filteredOn(n -> n.getOpcode() == IFEQ || n.getOpcode() == IF_ICMPLT).hasSize(2);
      final Method f = load(name, writeKeepingFrames(c));
      assertThat(f.invoke(null, 0)).as("fill %d, the forward jump", fill).isEqualTo(-1);
      assertThat(f.invoke(null, 5)).as("fill %d, the backward jump", fill).isEqualTo(2);
    }
    assertThat(asmAloneFails).isNotEmpty();
  }

  @Test
  void compressedFramesAreRefusedAndTheClassIsLeftAsItWas() {
    final ClassNode c = programWithFrames("Compressed", 40_000);
    final MethodNode f = c.methods.get(0);
    final AbstractInsnNode farFrame = f.instructions.get(f.instructions.size() - 3);
    assertThat(farFrame).isInstanceOf(FrameNode.class);
    f.instructions.set(farFrame, new FrameNode(F_SAME, 0, null, 0, null));
    assertThatThrownBy(() -> WideJumps.widenIfLongKeepingFrames(c)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EXPAND_FRAMES");
    assertThat(c.methods.get(0)).isSameAs(f);
  }

  /** {@code if (x == 0) return -1;} over 40 KB of nops, with no unconditional transfer near the jump. */
  @Test
  void aConditionalWithNoPlaceForItsTrampolineIsRefused() {
    final ClassNode c = new ClassNode();
    c.visit(V17, ACC_PUBLIC, "NoPlace", null, "java/lang/Object", null);
    final MethodNode f = new MethodNode(ACC_PUBLIC | ACC_STATIC, "f", "(I)I", null, null);
    final LabelNode far = new LabelNode();
    f.instructions.add(new VarInsnNode(ILOAD, 0));
    f.instructions.add(new JumpInsnNode(IFEQ, far));
    for (int i = 0; i < 40_000; i++) {
      f.instructions.add(new InsnNode(NOP));
    }
    f.instructions.add(new InsnNode(ICONST_0));
    f.instructions.add(new InsnNode(IRETURN));
    f.instructions.add(far);
    f.instructions.add(new FrameNode(F_NEW, 1, new Object[] {INTEGER}, 0, new Object[0]));
    f.instructions.add(new InsnNode(ICONST_M1));
    f.instructions.add(new InsnNode(IRETURN));
    c.methods.add(f);
    assertThatThrownBy(() -> WideJumps.widenIfLongKeepingFrames(c)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NoPlace.f(I)I").hasMessageContaining("trampoline");
  }

  /**
   * {@code static int f(int x)} in a try block whose handler returns 2: {@code if (x == 0) return -1} over 40 KB,
   * with a {@code return 0} just after the jump, where its trampoline can go; the block covers the far target or not.
   */
  private static ClassNode guarded(final String name, final boolean rangeCoversTarget) {
    final ClassNode c = new ClassNode();
    c.visit(V17, ACC_PUBLIC, name, null, "java/lang/Object", null);
    final MethodNode f = new MethodNode(ACC_PUBLIC | ACC_STATIC, "f", "(I)I", null, null);
    final LabelNode start = new LabelNode();
    final LabelNode mid = new LabelNode();
    final LabelNode far = new LabelNode();
    final LabelNode end = new LabelNode();
    final LabelNode handler = new LabelNode();
    f.instructions.add(start);
    f.instructions.add(new VarInsnNode(ILOAD, 0));
    f.instructions.add(new JumpInsnNode(IFEQ, far));
    f.instructions.add(new VarInsnNode(ILOAD, 0));
    f.instructions.add(new JumpInsnNode(IFNE, mid));
    f.instructions.add(new InsnNode(ICONST_0));
    f.instructions.add(new InsnNode(IRETURN));
    f.instructions.add(mid);
    f.instructions.add(new FrameNode(F_NEW, 1, new Object[] {INTEGER}, 0, new Object[0]));
    for (int i = 0; i < 40_000; i++) {
      f.instructions.add(new InsnNode(NOP));
    }
    f.instructions.add(new InsnNode(ICONST_1));
    f.instructions.add(new InsnNode(IRETURN));
    f.instructions.add(far);
    f.instructions.add(new FrameNode(F_NEW, 1, new Object[] {INTEGER}, 0, new Object[0]));
    f.instructions.add(new InsnNode(ICONST_M1));
    f.instructions.add(new InsnNode(IRETURN));
    f.instructions.add(end);
    f.instructions.add(handler);
    f.instructions.add(new FrameNode(F_NEW, 1, new Object[] {INTEGER}, 1, new Object[] {"java/lang/Throwable"}));
    f.instructions.add(new InsnNode(POP));
    f.instructions.add(new InsnNode(ICONST_2));
    f.instructions.add(new InsnNode(IRETURN));
    f.tryCatchBlocks.add(new org.objectweb.asm.tree.TryCatchBlockNode(start, rangeCoversTarget ? end : mid, handler,
        null));
    c.methods.add(f);
    return c;
  }

  @Test
  void aTrampolineGoesInAHandlersRangeOnlyWithItsTarget() throws Exception {
    final ClassNode covered = guarded("Covered", true);
    assertThat(WideJumps.widenIfLongKeepingFrames(covered)).isEqualTo(1);
    final Method f = load("Covered", writeKeepingFrames(covered));
    assertThat(f.invoke(null, 0)).isEqualTo(-1);
    assertThat(f.invoke(null, 1)).isEqualTo(1);
    final ClassNode apart = guarded("Apart", false);
    assertThatThrownBy(() -> WideJumps.widenIfLongKeepingFrames(apart)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trampoline");
  }

  @Test
  void everyConditionalHasItsOpposite() {
    for (final int op : new int[] {IFEQ, IFNE, IFLT, IFGE, IFGT, IFLE, IF_ICMPEQ, IF_ICMPNE, IF_ICMPLT, IF_ICMPGE,
        IF_ICMPGT, IF_ICMPLE, IF_ACMPEQ, IF_ACMPNE, IFNULL, IFNONNULL}) {
      assertThat(WideJumps.opposite(WideJumps.opposite(op))).isEqualTo(op);
      assertThat(WideJumps.opposite(op)).isNotEqualTo(op);
    }
    assertThatThrownBy(() -> WideJumps.opposite(GOTO)).isInstanceOf(IllegalArgumentException.class);
  }
}
