package org.quasi.typeguard.internal;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.quasi.typeguard.Site;

/** Builds {@link Site}s for one class and one method, with line numbers looked up once per method. */
final class SiteFactory {

  private final String className;
  private final String sourceFile;
  private final ClassFile file;

  SiteFactory(final ClassNode node, final ClassFile file) {
    this.className = node.name.replace('/', '.');
    this.sourceFile = node.sourceFile;
    this.file = file;
  }

  /** {@return a site for the class as a whole} */
  Site classSite() {
    return new Site(className, null, null, sourceFile, -1, file.entry(), file.path(), -1);
  }

  /** {@return a site for a method without an instruction} @param method the method */
  Site methodSite(final MethodNode method) {
    return new Site(className, method.name, method.desc, sourceFile, -1, file.entry(), file.path(), -1);
  }

  /**
   * {@return the source line of each instruction of a method, -1 before the first line number}
   *
   * @param method the method
   */
  static int[] lines(final MethodNode method) {
    final int[] lines = new int[method.instructions.size()];
    int line = -1;
    int i = 0;
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn instanceof LineNumberNode ln) {
        line = ln.line;
      }
      lines[i++] = line;
    }
    return lines;
  }

  /**
   * {@return a site for an instruction}
   *
   * @param method the method
   * @param lines from {@link #lines(MethodNode)}
   * @param index the instruction index
   */
  Site insnSite(final MethodNode method, final int[] lines, final int index) {
    return new Site(className, method.name, method.desc, sourceFile, lines[index], file.entry(), file.path(), index);
  }
}
