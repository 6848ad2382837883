package org.quasi.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** The constant-pool reader agrees with ASM on every field a class's code refers to. */
class ConstantPoolFieldsTest {

  private static byte[] bytes(final String name) throws IOException {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Classes with long and double constants (two slots), method handles, dynamic constants and string concatenation. */
  @ParameterizedTest
  @ValueSource(strings = {"java/lang/Long", "java/lang/Double", "java/util/HashMap",
      "java/lang/invoke/MethodHandles$Lookup", "org/quasi/agent/internal/ClassWeaving"})
  void everyFieldTheCodeRefersToIsFound(final String name) throws IOException {
    final byte[] b = bytes(name);
    final Set<String> fromPool = new HashSet<>();
    for (final String[] ref : ConstantPoolFields.fieldRefs(b)) {
      fromPool.add(ref[0] + "." + ref[1]);
    }
    final ClassNode node = new ClassNode();
    new ClassReader(b).accept(node, ClassReader.SKIP_FRAMES);
    final Set<String> fromCode = new HashSet<>();
    for (final MethodNode m : node.methods) {
      for (final AbstractInsnNode n : m.instructions) {
        if (n instanceof FieldInsnNode f) {
          fromCode.add(f.owner + "." + f.name);
        }
      }
    }
    assertThat(fromCode).isNotEmpty();
    assertThat(fromPool).containsAll(fromCode);
  }

  @Test
  void aTruncatedOrForeignFileIsRefusedWithAReason() throws IOException {
    final byte[] b = bytes("java/lang/Long");
    assertThatThrownBy(() -> ConstantPoolFields.fieldRefs(java.util.Arrays.copyOf(b, 200)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> ConstantPoolFields.fieldRefs(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CAFEBABE");
  }
}
