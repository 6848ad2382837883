package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A method longer than 32 KB with a guarded write is woven and runs: its jumps are made wide before ASM writes it
 * (ASM 9.11.1's own widening fails on a backward jump of nearly 32 KB across a switch; see {@code WideJumps}).
 */
class LongMethodWeavingTest {
  @Test
  void aLongMethodWithAGuardedWriteIsWovenAndBehavesAsWritten(@TempDir final Path dir) throws Exception {
    final Path spec = Files.writeString(dir.resolve("long.spec"), "quasi-spec 1\nquasi-invariant demo.Long.level\n");
    final Weaver weaver = new Weaver(GuardSpec.read(spec), name -> null);
    // The guarded write moves the backward jump's offset: every alignment of the switch, in and out of range.
    for (int fill = 32_700; fill <= 32_760; fill += 3) {
      final Weaver.Result r = weaver.weave(LongMethods.program("demo/Long", fill, true));
      assertThat(r.guardedWrites()).as("fill %d", fill).isEqualTo(1);
      final Class<?> woven = new ClassLoader(LongMethodWeavingTest.class.getClassLoader()) {
        Class<?> define() {
          return defineClass("demo.Long", r.bytes(), 0, r.bytes().length);
        }
      }.define();
      final Method f = woven.getMethod("f", int.class);
      assertThat(f.invoke(null, 0)).as("fill %d, the forward jump", fill).isEqualTo(-1);
      assertThat(woven.getField("level").getInt(null)).isZero();
      assertThat(f.invoke(null, 5)).as("fill %d, the backward jump", fill).isEqualTo(2);
      assertThat(woven.getField("level").getInt(null)).isEqualTo(1);
    }
  }
}
