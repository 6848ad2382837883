package org.quasi.memguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.memguard.internal.TrapRewriter;
import org.quasi.specializer.internal.LongMethods;

/**
 * A method that trapping pushes past 32 KB (each array store's trap is two bytes longer than the store) is still
 * trapped: its long jumps are widened keeping the class's frames, where ASM 9.11.1 alone fails on some layouts (see
 * quasi-specializer's {@code WideJumps}).
 */
class LongMethodTrapsTest {

  /**
   * {@code static int f(int x, int[] a)}, a {@link LongMethods#loop} whose body is {@code stores} times
   * {@code a[i] = i}, then {@code nops} nops: about 22 KB, which ASM writes without widening anything, and nearly
   * 32 KB between the backward jump and its target once the stores are trapped.
   */
  private static byte[] program(final String name, final int stores, final int nops) {
    final int round = LongMethods.round("(I[I)I");
    return LongMethods.write(LongMethods.loop(name, "(I[I)I", false, false, code -> {
      for (int i = 0; i < stores; i++) {
        code.add(new VarInsnNode(ALOAD, 1));
        code.add(new VarInsnNode(ILOAD, round));
        code.add(new VarInsnNode(ILOAD, round));
        code.add(new InsnNode(IASTORE));
      }
      LongMethods.nops(nops).accept(code);
    }));
  }

  private static Method load(final String name, final byte[] classFile) throws Exception {
    return LongMethods.define(name, classFile, LongMethodTrapsTest.class.getClassLoader())
        .getMethod("f", int.class, int[].class);
  }

  @Test
  void trappingPastThirtyTwoKilobytesKeepsTheMethodWhole() throws Exception {
    final TrapRewriter rewriter = new TrapRewriter(null);
    final List<String> untrapped = new ArrayList<>();
    // The trapped loop body from 32,724 to 32,765 bytes: every alignment of the switch around the 16-bit range.
    for (int stores = 5_454; stores <= 5_460; stores++) {
      for (int nops = 0; nops < 6; nops++) {
        final String name = "LongTrapped" + stores + "x" + nops;
        final TrapRewriter.Result r = rewriter.rewrite(program(name, stores, nops));
        if (r.skipped() != null) {
          untrapped.add(name + ": " + r.skipped());
          continue;
        }
        assertThat(r.sites()).as(name).isEqualTo(stores);
        final Method f = load(name, r.bytes());
        final int[] a = new int[2];
        assertThat(f.invoke(null, 0, a)).as("%s, the forward jump", name).isEqualTo(-1);
        assertThat(a).containsExactly(0, 0);
        assertThat(f.invoke(null, 5, a)).as("%s, the backward jump", name).isEqualTo(2);
        assertThat(a).as("both rounds stored through the traps").containsExactly(0, 1);
      }
    }
    assertThat(untrapped).isEmpty();
  }
}
