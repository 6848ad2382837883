package org.quasi.specializer;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * A small structured program for {@link RandomProgramPropertyTest}: {@code static int f(int a, int b, int c, int[] arr)}
 * and a helper {@code static int g(int x, int y)} that f may call, as a tree that prints as Java ({@link #toString})
 * and compiles to a class file with ASM ({@link #classFile}).
 *
 * <p>Locals are {@code l0..ln} (initialized on entry), loop counters {@code i0..i2} (one per loop nesting level, written
 * only by their loop), so every program verifies and terminates.
 */
record RandomProgram(Method f, Method g) {

  /** An int expression. */
  sealed interface Expr permits Const, Param, Local, Counter, Bin, ArrGet, Call {
  }

  /** An int constant. */
  record Const(int value) implements Expr {
  }

  /** Parameter {@code index}: a, b, c in f; x, y in g. */
  record Param(int index) implements Expr {
  }

  /** Local {@code l<index>}. */
  record Local(int index) implements Expr {
  }

  /** Loop counter {@code i<loop>}, read inside that loop. */
  record Counter(int loop) implements Expr {
  }

  /** {@code left op right}, op one of + - * / % & | ^ << >> >>>. */
  record Bin(String op, Expr left, Expr right) implements Expr {
  }

  /** {@code arr[index & 7]}. */
  record ArrGet(Expr index) implements Expr {
  }

  /** {@code g(x, y)}. */
  record Call(Expr x, Expr y) implements Expr {
  }

  /** {@code left op right}, op one of == != < <= > >=. */
  record Cond(String op, Expr left, Expr right) {
  }

  /** A statement. */
  sealed interface Stmt permits Assign, ArrSet, If, Loop, Return, Throw {
  }

  /** {@code l<local> = value;}. */
  record Assign(int local, Expr value) implements Stmt {
  }

  /** {@code arr[index & 7] = value;}. */
  record ArrSet(Expr index, Expr value) implements Stmt {
  }

  /** {@code if (cond) {then} else {otherwise}}. */
  record If(Cond cond, List<Stmt> then, List<Stmt> otherwise) implements Stmt {
  }

  /** {@code for (i = 0; i < bound; i++) {body}}, bound a small constant or {@code e & 7} (below 8: it ends). */
  record Loop(Expr bound, List<Stmt> body) implements Stmt {
  }

  /** {@code return value;}. */
  record Return(Expr value) implements Stmt {
  }

  /** {@code throw new IllegalStateException();}. */
  record Throw() implements Stmt {
  }

  /** A method: its parameter count (3 with arr for f, 2 for g), locals with their initial values, body, result. */
  record Method(String name, int params, boolean hasArray, List<Expr> inits, List<Stmt> body, Expr result) {
    int locals() {
      return inits.size();
    }

    String descriptor() {
      return hasArray ? "(III[I)I" : "(II)I";
    }
  }

  /** Whether {@code s} always ends by returning or throwing (a loop may run zero times: it does not). */
  static boolean terminates(final Stmt s) {
    if (s instanceof Return || s instanceof Throw) {
      return true;
    }
    if (s instanceof If i) {
      return terminates(i.then()) && terminates(i.otherwise());
    }
    return false;
  }

  static boolean terminates(final List<Stmt> block) {
    return !block.isEmpty() && terminates(block.get(block.size() - 1));
  }

  /** {@code block} cut after its first statement that always terminates: no unreachable code. */
  static List<Stmt> reachable(final List<Stmt> block) {
    for (int i = 0; i < block.size(); i++) {
      if (terminates(block.get(i))) {
        return List.copyOf(block.subList(0, i + 1));
      }
    }
    return List.copyOf(block);
  }

  // ---------------------------------------------------------------------------------------------------- as Java

  @Override
  public String toString() {
    return java(g) + "\n" + java(f);
  }

  private static String java(final Method m) {
    final StringBuilder s = new StringBuilder("static int " + m.name()
        + (m.hasArray() ? "(int a, int b, int c, int[] arr) {\n" : "(int x, int y) {\n"));
    for (int i = 0; i < m.locals(); i++) {
      s.append("  int l").append(i).append(" = ").append(java(m.inits().get(i), m)).append(";\n");
    }
    s.append("  int i0, i1, i2;\n");
    block(s, m.body(), m, "  ", 0);
    if (!terminates(m.body())) {
      s.append("  return ").append(java(m.result(), m)).append(";\n");
    }
    return s.append("}\n").toString();
  }

  private static void block(final StringBuilder s, final List<Stmt> b, final Method m, final String indent,
      final int loops) {
    for (final Stmt st : b) {
      s.append(indent);
      if (st instanceof Assign a) {
        s.append("l").append(a.local()).append(" = ").append(java(a.value(), m)).append(";\n");
      } else if (st instanceof ArrSet a) {
        s.append("arr[").append(java(a.index(), m)).append(" & 7] = ").append(java(a.value(), m)).append(";\n");
      } else if (st instanceof If i) {
        s.append("if (").append(java(i.cond().left(), m)).append(' ').append(i.cond().op()).append(' ')
            .append(java(i.cond().right(), m)).append(") {\n");
        block(s, i.then(), m, indent + "  ", loops);
        s.append(indent).append("} else {\n");
        block(s, i.otherwise(), m, indent + "  ", loops);
        s.append(indent).append("}\n");
      } else if (st instanceof Loop l) {
        final String i = "i" + loops;
        s.append("for (").append(i).append(" = 0; ").append(i).append(" < ").append(java(l.bound(), m))
            .append("; ").append(i).append("++) {\n");
        block(s, l.body(), m, indent + "  ", loops + 1);
        s.append(indent).append("}\n");
      } else if (st instanceof Return r) {
        s.append("return ").append(java(r.value(), m)).append(";\n");
      } else {
        s.append("throw new IllegalStateException();\n");
      }
    }
  }

  private static String java(final Expr e, final Method m) {
    if (e instanceof Const c) {
      return c.value() == Integer.MIN_VALUE ? "Integer.MIN_VALUE" : c.value() < 0 ? "(" + c.value() + ")"
          : Integer.toString(c.value());
    } else if (e instanceof Param p) {
      return (m.hasArray() ? "abc" : "xy").substring(p.index(), p.index() + 1);
    } else if (e instanceof Local l) {
      return "l" + l.index();
    } else if (e instanceof Counter i) {
      return "i" + i.loop();
    } else if (e instanceof Bin b) {
      return "(" + java(b.left(), m) + " " + b.op() + " " + java(b.right(), m) + ")";
    } else if (e instanceof ArrGet a) {
      return "arr[" + java(a.index(), m) + " & 7]";
    } else {
      final Call c = (Call) e;
      return "g(" + java(c.x(), m) + ", " + java(c.y(), m) + ")";
    }
  }

  // ------------------------------------------------------------------------------------------------ as bytecode

  private static final Map<String, Integer> ARITHMETIC = Map.ofEntries(Map.entry("+", IADD), Map.entry("-", ISUB),
      Map.entry("*", IMUL), Map.entry("/", IDIV), Map.entry("%", IREM), Map.entry("&", IAND), Map.entry("|", IOR),
      Map.entry("^", IXOR), Map.entry("<<", ISHL), Map.entry(">>", ISHR), Map.entry(">>>", IUSHR));
  /** The jump taken when the condition is false. */
  private static final Map<String, Integer> UNLESS = Map.of("==", IF_ICMPNE, "!=", IF_ICMPEQ, "<", IF_ICMPGE,
      "<=", IF_ICMPGT, ">", IF_ICMPLE, ">=", IF_ICMPLT);

  /**
   * The class {@code internalName} with public static f, g, and {@code lookup()} (a full-privilege lookup in it, which
   * specializing needs).
   */
  byte[] classFile(final String internalName) {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, internalName, null, "java/lang/Object", null);
    emit(cw, internalName, f);
    emit(cw, internalName, g);
    org.quasi.specializer.validate.internal.ProbeLoader.addLookupMethod(cw);
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static void emit(final ClassWriter cw, final String owner, final Method m) {
    final MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, m.name(), m.descriptor(), null, null);
    mv.visitCode();
    final Emitter e = new Emitter(mv, owner, m);
    for (int i = 0; i < m.locals(); i++) {
      e.expr(m.inits().get(i));
      mv.visitVarInsn(ISTORE, e.local(i));
    }
    e.block(m.body(), 0);
    if (!terminates(m.body())) {
      e.expr(m.result());
      mv.visitInsn(IRETURN);
    }
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** Emits one method's code: parameters first, then arr (f only), then the locals, then the loop counters. */
  private record Emitter(MethodVisitor mv, String owner, Method m) {
    int local(final int i) {
      return m.params() + (m.hasArray() ? 1 : 0) + i;
    }

    int counter(final int loop) {
      return local(m.locals()) + loop;
    }

    void block(final List<Stmt> b, final int loops) {
      for (final Stmt s : b) {
        stmt(s, loops);
      }
    }

    void stmt(final Stmt s, final int loops) {
      if (s instanceof Assign a) {
        expr(a.value());
        mv.visitVarInsn(ISTORE, local(a.local()));
      } else if (s instanceof ArrSet a) {
        mv.visitVarInsn(ALOAD, m.params());
        masked(a.index());
        expr(a.value());
        mv.visitInsn(IASTORE);
      } else if (s instanceof If i) {
        final Label otherwise = new Label();
        final Label end = new Label();
        expr(i.cond().left());
        expr(i.cond().right());
        mv.visitJumpInsn(UNLESS.get(i.cond().op()), otherwise);
        block(i.then(), loops);
        if (!terminates(i.then())) {
          mv.visitJumpInsn(GOTO, end);
        }
        mv.visitLabel(otherwise);
        block(i.otherwise(), loops);
        mv.visitLabel(end);
      } else if (s instanceof Loop l) {
        final Label test = new Label();
        final Label end = new Label();
        final int counter = counter(loops);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, counter);
        mv.visitLabel(test);
        mv.visitVarInsn(ILOAD, counter);
        expr(l.bound());
        mv.visitJumpInsn(IF_ICMPGE, end);
        block(l.body(), loops + 1);
        if (!terminates(l.body())) {
          mv.visitIincInsn(counter, 1);
          mv.visitJumpInsn(GOTO, test);
        }
        mv.visitLabel(end);
      } else if (s instanceof Return r) {
        expr(r.value());
        mv.visitInsn(IRETURN);
      } else {
        mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
        mv.visitInsn(ATHROW);
      }
    }

    /** An int constant as javac pushes it. */
    private void push(final int v) {
      if (v >= -1 && v <= 5) {
        mv.visitInsn(ICONST_0 + v);
      } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
        mv.visitIntInsn(BIPUSH, v);
      } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
        mv.visitIntInsn(SIPUSH, v);
      } else {
        mv.visitLdcInsn(v);
      }
    }

    private void masked(final Expr index) {
      expr(index);
      mv.visitIntInsn(BIPUSH, 7);
      mv.visitInsn(IAND);
    }

    void expr(final Expr e) {
      if (e instanceof Const c) {
        push(c.value());
      } else if (e instanceof Param p) {
        mv.visitVarInsn(ILOAD, p.index());
      } else if (e instanceof Local l) {
        mv.visitVarInsn(ILOAD, local(l.index()));
      } else if (e instanceof Counter i) {
        mv.visitVarInsn(ILOAD, counter(i.loop()));
      } else if (e instanceof Bin b) {
        expr(b.left());
        expr(b.right());
        mv.visitInsn(ARITHMETIC.get(b.op()));
      } else if (e instanceof ArrGet a) {
        mv.visitVarInsn(ALOAD, m.params());
        masked(a.index());
        mv.visitInsn(IALOAD);
      } else {
        final Call c = (Call) e;
        expr(c.x());
        expr(c.y());
        mv.visitMethodInsn(INVOKESTATIC, owner, "g", "(II)I", false);
      }
    }
  }
}
