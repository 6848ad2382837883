package org.quasi.specializer;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.tree.MethodNode;

/**
 * A small structured program for {@link RandomProgramPropertyTest}:
 * {@code static int f(int a, int b, int c, int[] arr, Node n)} and a helper {@code static int g(int x, int y)} that f
 * may call, as a tree that prints as Java ({@link #toString}) and compiles to a class file with ASM
 * ({@link #classFile}); what f does on the heap (n, Node, boxes, statics, monitors) is {@link RandomHeap}'s.
 *
 * <p>Locals are {@code l0..ln} (initialized on entry), loop counters {@code i0..i2} (one per loop nesting level, written
 * only by their loop), so every program verifies and terminates.
 */
record RandomProgram(Method f, Method g) {

  /** An int expression. */
  sealed interface Expr permits Const, Param, Local, Counter, Bin, ArrGet, Call, LongInt, RandomHeap.HeapExpr {
  }

  /** {@code (int) ll} or, folded, {@code (int) (ll ^ (ll >>> 32))}: f's long local read as an int. */
  record LongInt(boolean folded) implements Expr {
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

  /**
   * {@code left op right}, op one of == != < <= > >=; or, when {@code onLong}, {@code ll op (long) right} (left
   * unused, an lcmp).
   */
  record Cond(String op, Expr left, Expr right, boolean onLong) {
    Cond(final String op, final Expr left, final Expr right) {
      this(op, left, right, false);
    }
  }

  /** A statement. */
  sealed interface Stmt permits Assign, ArrSet, If, Loop, Return, Throw, LongAssign, Try, Switch,
      RandomHeap.HeapStmt {
  }

  /**
   * {@code ll = ll op (long) value} (op one of + - * / % & | ^), or {@code ll = ll op value} for a shift
   * ({@code << >> >>>}), or, for op {@code =}, {@code ll = (long) value * 0x100000001L}.
   */
  record LongAssign(String op, Expr value) implements Stmt {
  }

  /** {@code try {body} catch (type e) {handler}}, type an internal name of a RuntimeException class. */
  record Try(List<Stmt> body, String type, List<Stmt> handler) implements Stmt {
  }

  /** One {@code case key:} of a switch: its statements, then a {@code break} or (when not) a fall-through. */
  record Case(int key, List<Stmt> body, boolean breaks) {
  }

  /**
   * {@code switch (selector & 7)} (dense: a tableswitch over keys 0..7) or {@code switch (selector)} (sparse: a
   * lookupswitch), its cases in source order, then {@code default}.
   */
  record Switch(Expr selector, boolean dense, List<Case> cases, List<Stmt> otherwise) implements Stmt {
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

  /**
   * A method: its parameter count (3 with arr and n for f, 2 for g), locals with their initial values, body, result;
   * if {@code longInit} is not null, a long local {@code ll = (long) longInit * 3}, whose two slots come before local
   * {@code longAt} (so the int locals after it are two slots further); and f's Node and Integer locals.
   */
  record Method(String name, int params, boolean hasArray, List<Expr> inits, List<Stmt> body, Expr result,
      Expr longInit, int longAt, RandomHeap.Locals heap) {
    Method(final String name, final int params, final boolean hasArray, final List<Expr> inits,
        final List<Stmt> body, final Expr result) {
      this(name, params, hasArray, inits, body, result, null, 0, RandomHeap.Locals.NONE);
    }

    int locals() {
      return inits.size();
    }

    boolean hasLong() {
      return longInit != null;
    }

    String descriptor(final String owner) {
      return hasArray ? "(III[IL" + RandomHeap.node(owner) + ";)I" : "(II)I";
    }

    /** Whether f has Node or Integer locals, which the heap statements need. */
    boolean onHeap() {
      return !heap.nodes().isEmpty() || !heap.boxes().isEmpty();
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
    if (s instanceof Try t) {
      return terminates(t.body()) && terminates(t.handler());
    }
    if (s instanceof RandomHeap.Sync y) {
      return terminates(y.body());
    }
    if (s instanceof Switch w) {
      // A case that completes normally breaks out of the switch, or falls through into the next case (or default).
      boolean next = terminates(w.otherwise());
      if (!next) {
        return false;
      }
      for (int i = w.cases().size() - 1; i >= 0; i--) {
        final Case k = w.cases().get(i);
        next = terminates(k.body()) || !k.breaks() && next;
        if (!next) {
          return false;
        }
      }
      return true;
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
    return (f.onHeap() ? RandomHeap.declarations() : "") + java(g) + "\n" + java(f);
  }

  private static String java(final Method m) {
    final StringBuilder s = new StringBuilder("static int " + m.name()
        + (m.hasArray() ? "(int a, int b, int c, int[] arr, Node n) {\n" : "(int x, int y) {\n"));
    for (int i = 0; i < m.locals(); i++) {
      if (m.hasLong() && i == m.longAt()) {
        s.append("  long ll = (long) ").append(java(m.longInit(), m)).append(" * 3;\n");
      }
      s.append("  int l").append(i).append(" = ").append(java(m.inits().get(i), m)).append(";\n");
    }
    if (m.hasLong() && m.longAt() == m.locals()) {
      s.append("  long ll = (long) ").append(java(m.longInit(), m)).append(" * 3;\n");
    }
    RandomHeap.locals(s, m);
    s.append("  int i0, i1, i2;\n");
    block(s, m.body(), m, "  ", 0);
    if (!terminates(m.body())) {
      s.append("  return ").append(java(m.result(), m)).append(";\n");
    }
    return s.append("}\n").toString();
  }

  static void block(final StringBuilder s, final List<Stmt> b, final Method m, final String indent,
      final int loops) {
    for (final Stmt st : b) {
      s.append(indent);
      if (st instanceof RandomHeap.HeapStmt h) {
        RandomHeap.java(s, h, m, indent, loops);
      } else if (st instanceof Assign a) {
        s.append("l").append(a.local()).append(" = ").append(java(a.value(), m)).append(";\n");
      } else if (st instanceof ArrSet a) {
        s.append("arr[").append(java(a.index(), m)).append(" & 7] = ").append(java(a.value(), m)).append(";\n");
      } else if (st instanceof LongAssign l) {
        s.append(l.op().equals("=") ? "ll = (long) " + java(l.value(), m) + " * 0x100000001L;\n"
            : l.op().contains("<") || l.op().contains(">") ? "ll = ll " + l.op() + " " + java(l.value(), m) + ";\n"
            : "ll = ll " + l.op() + " (long) " + java(l.value(), m) + ";\n");
      } else if (st instanceof Try t) {
        s.append("try {\n");
        block(s, t.body(), m, indent + "  ", loops);
        s.append(indent).append("} catch (").append(t.type().substring(t.type().lastIndexOf('/') + 1))
            .append(" e").append(indent.length() / 2).append(") {\n");
        block(s, t.handler(), m, indent + "  ", loops);
        s.append(indent).append("}\n");
      } else if (st instanceof Switch w) {
        s.append("switch (").append(java(w.selector(), m)).append(w.dense() ? " & 7" : "").append(") {\n");
        for (final Case k : w.cases()) {
          s.append(indent).append("  case ").append(java(new Const(k.key()), m)).append(":\n");
          block(s, k.body(), m, indent + "    ", loops);
          if (k.breaks() && !terminates(k.body())) {
            s.append(indent).append("    break;\n");
          }
        }
        s.append(indent).append("  default:\n");
        block(s, w.otherwise(), m, indent + "    ", loops);
        s.append(indent).append("}\n");
      } else if (st instanceof If i) {
        s.append("if (").append(i.cond().onLong() ? "ll" : java(i.cond().left(), m)).append(' ')
            .append(i.cond().op()).append(' ').append(i.cond().onLong() ? "(long) " : "")
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

  static String java(final Expr e, final Method m) {
    if (e instanceof RandomHeap.HeapExpr h) {
      return RandomHeap.java(h, m);
    } else if (e instanceof Const c) {
      return c.value() == Integer.MIN_VALUE ? "Integer.MIN_VALUE" : c.value() < 0 ? "(" + c.value() + ")"
          : Integer.toString(c.value());
    } else if (e instanceof Param p) {
      return (m.hasArray() ? "abc" : "xy").substring(p.index(), p.index() + 1);
    } else if (e instanceof Local l) {
      return "l" + l.index();
    } else if (e instanceof Counter i) {
      return "i" + i.loop();
    } else if (e instanceof LongInt l) {
      return l.folded() ? "(int) (ll ^ (ll >>> 32))" : "(int) ll";
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
  private static final Map<String, Integer> LONG_ARITHMETIC = Map.ofEntries(Map.entry("+", LADD),
      Map.entry("-", LSUB), Map.entry("*", LMUL), Map.entry("/", LDIV), Map.entry("%", LREM), Map.entry("&", LAND),
      Map.entry("|", LOR), Map.entry("^", LXOR), Map.entry("<<", LSHL), Map.entry(">>", LSHR),
      Map.entry(">>>", LUSHR));
  /** The jump taken when the condition is false. */
  private static final Map<String, Integer> UNLESS = Map.of("==", IF_ICMPNE, "!=", IF_ICMPEQ, "<", IF_ICMPGE,
      "<=", IF_ICMPGT, ">", IF_ICMPLE, ">=", IF_ICMPLT);

  /**
   * The class {@code internalName} with public static f, g, g(Node, int), the statics s and sn, and {@code lookup()}
   * (a full-privilege lookup in it, which specializing needs). Node is {@link RandomHeap#nodeClassFile}.
   */
  byte[] classFile(final String internalName) {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, internalName, null, "java/lang/Object", null);
    emit(cw, internalName, f);
    emit(cw, internalName, g);
    RandomHeap.emitDeclarations(cw, internalName);
    org.quasi.specializer.validate.internal.ProbeLoader.addLookupMethod(cw);
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static void emit(final ClassWriter cw, final String owner, final Method m) {
    // Into a tree first: a try's handler entry is added when the try ends, so an inner try's entry comes before
    // the entry of a try around it, as javac orders them (the JVM takes the first entry that covers the throw).
    final MethodNode mv = new MethodNode(ASM9, ACC_PUBLIC | ACC_STATIC, m.name(), m.descriptor(owner), null, null);
    mv.visitCode();
    final Emitter e = new Emitter(mv, owner, m, new java.util.ArrayList<>());
    for (int i = 0; i <= m.locals(); i++) {
      if (m.hasLong() && i == m.longAt()) {
        e.expr(m.longInit());
        mv.visitInsn(I2L);
        mv.visitLdcInsn(3L);
        mv.visitInsn(LMUL);
        mv.visitVarInsn(LSTORE, e.longSlot());
      }
      if (i < m.locals()) {
        e.expr(m.inits().get(i));
        mv.visitVarInsn(ISTORE, e.local(i));
      }
    }
    new RandomHeap.Code(e).locals();
    e.block(m.body(), 0);
    if (!terminates(m.body())) {
      e.expr(m.result());
      mv.visitInsn(IRETURN);
    }
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv.accept(cw);
  }

  /**
   * Emits one method's code: parameters first, then arr and n (f only), then the locals (with ll's two slots before
   * local longAt), the Node locals, the Integer locals, then the loop counters, then the slot of the caught
   * exceptions, the locks of the open synchronized blocks and what their catch-all caught. {@code monitors} are the
   * synchronized blocks open around the code being emitted.
   */
  record Emitter(MethodNode mv, String owner, Method m, List<RandomHeap.Monitor> monitors) {
    private int first() {
      return m.params() + (m.hasArray() ? 2 : 0);
    }

    int local(final int i) {
      return first() + i + (m.hasLong() && i >= m.longAt() ? 2 : 0);
    }

    int longSlot() {
      return first() + m.longAt();
    }

    /** Node local o{@code i}, or n for {@link RandomHeap#N}. */
    int node(final int i) {
      return i == RandomHeap.N ? m.params() + 1 : local(m.locals()) + i;
    }

    int box(final int i) {
      return local(m.locals()) + m.heap().nodes().size() + i;
    }

    int counter(final int loop) {
      return box(m.heap().boxes().size()) + loop;
    }

    int caught() {
      return counter(3);
    }

    /** The lock of the synchronized block {@code depth} blocks deep (one per statement nesting level). */
    int monitor(final int depth) {
      return caught() + 1 + depth;
    }

    int syncCaught() {
      return monitor(RandomPrograms.DEPTH + 1);
    }

    void block(final List<Stmt> b, final int loops) {
      for (final Stmt s : b) {
        stmt(s, loops);
      }
    }

    void stmt(final Stmt s, final int loops) {
      if (s instanceof RandomHeap.HeapStmt h) {
        new RandomHeap.Code(this).stmt(h, loops);
      } else if (s instanceof Assign a) {
        expr(a.value());
        mv.visitVarInsn(ISTORE, local(a.local()));
      } else if (s instanceof ArrSet a) {
        mv.visitVarInsn(ALOAD, m.params());
        masked(a.index());
        expr(a.value());
        mv.visitInsn(IASTORE);
      } else if (s instanceof LongAssign l) {
        if (l.op().equals("=")) {
          expr(l.value());
          mv.visitInsn(I2L);
          mv.visitLdcInsn(0x100000001L);
          mv.visitInsn(LMUL);
        } else {
          mv.visitVarInsn(LLOAD, longSlot());
          expr(l.value());
          if (!l.op().contains("<") && !l.op().contains(">")) {
            mv.visitInsn(I2L);
          }
          mv.visitInsn(LONG_ARITHMETIC.get(l.op()));
        }
        mv.visitVarInsn(LSTORE, longSlot());
      } else if (s instanceof Try t) {
        final Label start = new Label();
        final Label end = new Label();
        final Label handler = new Label();
        final Label after = new Label();
        mv.visitLabel(start);
        block(t.body(), loops);
        mv.visitLabel(end);
        if (!terminates(t.body())) {
          mv.visitJumpInsn(GOTO, after);
        }
        mv.visitLabel(handler);
        mv.visitVarInsn(ASTORE, caught());
        block(t.handler(), loops);
        mv.visitLabel(after);
        mv.visitTryCatchBlock(start, end, handler, t.type());
      } else if (s instanceof Switch w) {
        final Label otherwise = new Label();
        final Label end = new Label();
        final Map<Integer, Label> labels = new java.util.TreeMap<>();
        w.cases().forEach(k -> labels.put(k.key(), new Label()));
        expr(w.selector());
        if (w.dense()) {
          mv.visitIntInsn(BIPUSH, 7);
          mv.visitInsn(IAND);
          final int min = labels.keySet().iterator().next();
          final int max = ((java.util.TreeMap<Integer, Label>) labels).lastKey();
          final Label[] table = new Label[max - min + 1];
          for (int k = min; k <= max; k++) {
            table[k - min] = labels.getOrDefault(k, otherwise);
          }
          mv.visitTableSwitchInsn(min, max, otherwise, table);
        } else {
          mv.visitLookupSwitchInsn(otherwise, labels.keySet().stream().mapToInt(Integer::intValue).toArray(),
              labels.values().toArray(new Label[0]));
        }
        for (final Case k : w.cases()) {
          mv.visitLabel(labels.get(k.key()));
          block(k.body(), loops);
          if (k.breaks() && !terminates(k.body())) {
            mv.visitJumpInsn(GOTO, end);
          }
        }
        mv.visitLabel(otherwise);
        block(w.otherwise(), loops);
        mv.visitLabel(end);
      } else if (s instanceof If i && i.cond().onLong()) {
        mv.visitVarInsn(LLOAD, longSlot());
        expr(i.cond().right());
        mv.visitInsn(I2L);
        mv.visitInsn(LCMP);
        ifElse(i, UNLESS.get(i.cond().op()) - (IF_ICMPEQ - IFEQ), loops);
      } else if (s instanceof If i) {
        expr(i.cond().left());
        expr(i.cond().right());
        ifElse(i, UNLESS.get(i.cond().op()), loops);
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
        if (monitors.isEmpty()) {
          mv.visitInsn(IRETURN);
        } else {
          new RandomHeap.Code(this).returnFromMonitors();
        }
      } else {
        mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
        mv.visitInsn(ATHROW);
      }
    }

    /** An int constant as javac pushes it. */
    /** With the condition's operands on the stack: the jump to the else branch, then both branches. */
    private void ifElse(final If i, final int unless, final int loops) {
      final Label otherwise = new Label();
      final Label end = new Label();
      mv.visitJumpInsn(unless, otherwise);
      block(i.then(), loops);
      if (!terminates(i.then())) {
        mv.visitJumpInsn(GOTO, end);
      }
      mv.visitLabel(otherwise);
      block(i.otherwise(), loops);
      mv.visitLabel(end);
    }

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
      if (e instanceof RandomHeap.HeapExpr h) {
        new RandomHeap.Code(this).expr(h);
      } else if (e instanceof Const c) {
        push(c.value());
      } else if (e instanceof Param p) {
        mv.visitVarInsn(ILOAD, p.index());
      } else if (e instanceof Local l) {
        mv.visitVarInsn(ILOAD, local(l.index()));
      } else if (e instanceof Counter i) {
        mv.visitVarInsn(ILOAD, counter(i.loop()));
      } else if (e instanceof LongInt l) {
        mv.visitVarInsn(LLOAD, longSlot());
        if (l.folded()) {
          mv.visitVarInsn(LLOAD, longSlot());
          mv.visitIntInsn(BIPUSH, 32);
          mv.visitInsn(LUSHR);
          mv.visitInsn(LXOR);
        }
        mv.visitInsn(L2I);
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
