package org.quasi.specializer;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.tree.MethodNode;
import org.quasi.specializer.RandomProgram.Expr;
import org.quasi.specializer.RandomProgram.Method;
import org.quasi.specializer.RandomProgram.Stmt;

/**
 * The heap part of a {@link RandomProgram}: a small mutable class {@code Node {int v; int w; Node next; int[] data;}}
 * (generated beside the program class, as {@code <program>$Node}), f's fifth argument {@code Node n}, Node locals
 * {@code o0..}, Integer locals {@code x0..}, the program class's statics {@code int s} and {@code Node sn}, and a
 * fixed helper {@code g(Node p, int x)}. Field accesses, allocations (escaping or not), boxes compared by identity,
 * and {@code synchronized} blocks, as javac compiles them.
 */
final class RandomHeap {
  private RandomHeap() {
  }

  /** Root of a {@link Path}: n. */
  static final int N = -1;
  /** Root of a {@link Path}: the static sn. */
  static final int SN = -2;

  /** A Node-typed expression. */
  sealed interface NodeExpr permits Path, NullNode {
  }

  /** {@code root.next...next} ({@code hops} times), root {@link #N}, {@link #SN} or local {@code o<root>}. */
  record Path(int root, int hops) implements NodeExpr {
  }

  /** {@code null}. */
  record NullNode() implements NodeExpr {
  }

  /** An int expression on the heap. */
  sealed interface HeapExpr extends Expr permits FieldGet, DataGet, StaticGet, Unbox, BoxTest, NodeTest, NodeCall {
  }

  /** {@code p.v} or {@code p.w}. */
  record FieldGet(Path p, boolean w) implements HeapExpr {
  }

  /** {@code p.data[index & 3]}. */
  record DataGet(Path p, Expr index) implements HeapExpr {
  }

  /** {@code s}. */
  record StaticGet() implements HeapExpr {
  }

  /** {@code x<box>.intValue()}. */
  record Unbox(int box) implements HeapExpr {
  }

  /** {@code (x<x> == x<y> ? 1 : 0)} when {@code identity}, else {@code (x<x>.equals(x<y>) ? 1 : 0)}. */
  record BoxTest(boolean identity, int x, int y) implements HeapExpr {
  }

  /** {@code (left == right ? 1 : 0)}, by identity. */
  record NodeTest(Path left, NodeExpr right) implements HeapExpr {
  }

  /** {@code g(p, x)}: the fixed helper, which writes p and may store it into sn. */
  record NodeCall(NodeExpr p, Expr x) implements HeapExpr {
  }

  /** A statement on the heap. */
  sealed interface HeapStmt extends Stmt permits FieldSet, NextSet, DataSet, NodeAssign, StaticSet, StaticNodeSet,
      Alloc, BoxAssign, BoxCopy, Sync {
  }

  /** {@code p.v = value} or {@code p.w = value}. */
  record FieldSet(Path p, boolean w, Expr value) implements HeapStmt {
  }

  /** {@code p.next = value}. */
  record NextSet(Path p, NodeExpr value) implements HeapStmt {
  }

  /** {@code p.data[index & 3] = value}. */
  record DataSet(Path p, Expr index, Expr value) implements HeapStmt {
  }

  /** {@code o<local> = value}, or {@code n = value} for local {@link #N}. */
  record NodeAssign(int local, NodeExpr value) implements HeapStmt {
  }

  /** {@code s = value}. */
  record StaticSet(Expr value) implements HeapStmt {
  }

  /** {@code sn = value}. */
  record StaticNodeSet(NodeExpr value) implements HeapStmt {
  }

  /**
   * {@code o<local> = new Node(v, w, next)} when {@code constructor}, else {@code o<local> = new Node(); o.v = v;
   * o.w = w; o.next = next}; then, when {@code data >= 0}, {@code o.data = new int[data]}.
   */
  record Alloc(int local, Expr v, Expr w, NodeExpr next, boolean constructor, int data) implements HeapStmt {
  }

  /** {@code x<box> = Integer.valueOf(value)}. */
  record BoxAssign(int box, Expr value) implements HeapStmt {
  }

  /** {@code x<box> = x<from>}. */
  record BoxCopy(int box, int from) implements HeapStmt {
  }

  /** {@code synchronized (lock) {body}}, lock {@link #N} or local {@code o<lock>}. */
  record Sync(int lock, List<Stmt> body) implements HeapStmt {
  }

  /** f's Node and Integer locals with their initial values; none in g. */
  record Locals(List<NodeInit> nodes, List<Expr> boxes) {
    static final Locals NONE = new Locals(List.of(), List.of());
  }

  /** A Node local's initial value: a path or null, or (when {@code alloc}) {@code new Node(v, w, null)}. */
  record NodeInit(NodeExpr value, boolean alloc, Expr v, Expr w) {
  }

  // ---------------------------------------------------------------------------------------------------- as Java

  /** The Node class, the statics and g(Node, int), as Java. */
  static String declarations() {
    return """
        class Node { int v; int w; Node next; int[] data; Node() {} Node(int v, int w, Node next) {...} }
        static int s; static Node sn;
        static int g(Node p, int x) { p.w = p.w + x; if (x > 2) { sn = p; } return p.v ^ x; }
        """;
  }

  static String java(final NodeExpr e) {
    if (e instanceof NullNode) {
      return "null";
    }
    final Path p = (Path) e;
    return (p.root() == N ? "n" : p.root() == SN ? "sn" : "o" + p.root()) + ".next".repeat(p.hops());
  }

  static String java(final HeapExpr e, final Method m) {
    if (e instanceof FieldGet f) {
      return java(f.p()) + (f.w() ? ".w" : ".v");
    } else if (e instanceof DataGet d) {
      return java(d.p()) + ".data[" + RandomProgram.java(d.index(), m) + " & 3]";
    } else if (e instanceof StaticGet) {
      return "s";
    } else if (e instanceof Unbox u) {
      return "x" + u.box() + ".intValue()";
    } else if (e instanceof BoxTest b) {
      return "(x" + b.x() + (b.identity() ? " == x" + b.y() : ".equals(x" + b.y() + ")") + " ? 1 : 0)";
    } else if (e instanceof NodeTest t) {
      return "(" + java(t.left()) + " == " + java(t.right()) + " ? 1 : 0)";
    } else {
      final NodeCall c = (NodeCall) e;
      return "g(" + java(c.p()) + ", " + RandomProgram.java(c.x(), m) + ")";
    }
  }

  /** f's Node and Integer locals with their initial values. */
  static void locals(final StringBuilder s, final Method m) {
    for (int i = 0; i < m.heap().nodes().size(); i++) {
      final NodeInit n = m.heap().nodes().get(i);
      s.append("  Node o").append(i).append(" = ").append(n.alloc() ? "new Node(" + RandomProgram.java(n.v(), m)
          + ", " + RandomProgram.java(n.w(), m) + ", null)" : java(n.value())).append(";\n");
    }
    for (int i = 0; i < m.heap().boxes().size(); i++) {
      s.append("  Integer x").append(i).append(" = Integer.valueOf(")
          .append(RandomProgram.java(m.heap().boxes().get(i), m)).append(");\n");
    }
  }

  static void java(final StringBuilder s, final HeapStmt st, final Method m, final String indent, final int loops) {
    if (st instanceof FieldSet f) {
      s.append(java(f.p())).append(f.w() ? ".w = " : ".v = ").append(RandomProgram.java(f.value(), m));
    } else if (st instanceof NextSet n) {
      s.append(java(n.p())).append(".next = ").append(java(n.value()));
    } else if (st instanceof DataSet d) {
      s.append(java(d.p())).append(".data[").append(RandomProgram.java(d.index(), m)).append(" & 3] = ")
          .append(RandomProgram.java(d.value(), m));
    } else if (st instanceof NodeAssign a) {
      s.append(java(new Path(a.local(), 0))).append(" = ").append(java(a.value()));
    } else if (st instanceof StaticSet t) {
      s.append("s = ").append(RandomProgram.java(t.value(), m));
    } else if (st instanceof StaticNodeSet t) {
      s.append("sn = ").append(java(t.value()));
    } else if (st instanceof Alloc a) {
      final String o = "o" + a.local();
      final String v = RandomProgram.java(a.v(), m);
      final String w = RandomProgram.java(a.w(), m);
      s.append(a.constructor() ? o + " = new Node(" + v + ", " + w + ", " + java(a.next()) + ")"
          : o + " = new Node(); " + o + ".v = " + v + "; " + o + ".w = " + w + "; " + o + ".next = " + java(a.next()));
      if (a.data() >= 0) {
        s.append("; ").append(o).append(".data = new int[").append(a.data()).append("]");
      }
    } else if (st instanceof BoxAssign b) {
      s.append("x").append(b.box()).append(" = Integer.valueOf(").append(RandomProgram.java(b.value(), m))
          .append(")");
    } else if (st instanceof BoxCopy b) {
      s.append("x").append(b.box()).append(" = x").append(b.from());
    } else {
      final Sync y = (Sync) st;
      s.append("synchronized (").append(java(new Path(y.lock(), 0))).append(") {\n");
      RandomProgram.block(s, y.body(), m, indent + "  ", loops);
      s.append(indent).append("}\n");
      return;
    }
    s.append(";\n");
  }

  // ------------------------------------------------------------------------------------------------ as bytecode

  /** The Node class's internal name for a program class. */
  static String node(final String owner) {
    return owner + "$Node";
  }

  /** Node: public, its fields public and not final, with a no-argument constructor and Node(v, w, next). */
  static byte[] nodeClassFile(final String owner) {
    final String node = node(owner);
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_PUBLIC | ACC_SUPER, node, null, "java/lang/Object", null);
    cw.visitField(ACC_PUBLIC, "v", "I", null, null).visitEnd();
    cw.visitField(ACC_PUBLIC, "w", "I", null, null).visitEnd();
    cw.visitField(ACC_PUBLIC, "next", "L" + node + ";", null, null).visitEnd();
    cw.visitField(ACC_PUBLIC, "data", "[I", null, null).visitEnd();
    MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    mv.visitInsn(RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    // As javac compiles this.v = v; this.w = w; this.next = next: only stores of arguments (a shape escape
    // analysis keeps virtual).
    mv = cw.visitMethod(ACC_PUBLIC, "<init>", "(IIL" + node + ";)V", null, null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    mv.visitVarInsn(ALOAD, 0);
    mv.visitVarInsn(ILOAD, 1);
    mv.visitFieldInsn(PUTFIELD, node, "v", "I");
    mv.visitVarInsn(ALOAD, 0);
    mv.visitVarInsn(ILOAD, 2);
    mv.visitFieldInsn(PUTFIELD, node, "w", "I");
    mv.visitVarInsn(ALOAD, 0);
    mv.visitVarInsn(ALOAD, 3);
    mv.visitFieldInsn(PUTFIELD, node, "next", "L" + node + ";");
    mv.visitInsn(RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** The program class's statics s and sn, and {@code static int g(Node p, int x)}. */
  static void emitDeclarations(final ClassWriter cw, final String owner) {
    final String node = "L" + node(owner) + ";";
    cw.visitField(ACC_PUBLIC | ACC_STATIC, "s", "I", null, null).visitEnd();
    cw.visitField(ACC_PUBLIC | ACC_STATIC, "sn", node, null, null).visitEnd();
    final MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "g", "(" + node + "I)I", null, null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitVarInsn(ALOAD, 0);
    mv.visitFieldInsn(GETFIELD, node(owner), "w", "I");
    mv.visitVarInsn(ILOAD, 1);
    mv.visitInsn(IADD);
    mv.visitFieldInsn(PUTFIELD, node(owner), "w", "I");
    final Label small = new Label();
    mv.visitVarInsn(ILOAD, 1);
    mv.visitInsn(ICONST_2);
    mv.visitJumpInsn(IF_ICMPLE, small);
    mv.visitVarInsn(ALOAD, 0);
    mv.visitFieldInsn(PUTSTATIC, owner, "sn", node);
    mv.visitLabel(small);
    mv.visitVarInsn(ALOAD, 0);
    mv.visitFieldInsn(GETFIELD, node(owner), "v", "I");
    mv.visitVarInsn(ILOAD, 1);
    mv.visitInsn(IXOR);
    mv.visitInsn(IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /**
   * An open {@code synchronized} block while its body is emitted: the local holding its lock, and the gaps in its
   * catch-all range (pairs of labels: after each early exit's monitorexit, after the exit's jump or return), as javac
   * leaves them.
   */
  record Monitor(int slot, List<Label> gaps) {
  }

  /** Emits code on the heap for one method through its {@link RandomProgram.Emitter}. */
  record Code(RandomProgram.Emitter e) {
    private MethodNode mv() {
      return e.mv();
    }

    private String nodeClass() {
      return RandomHeap.node(e.owner());
    }

    private String nodeType() {
      return "L" + nodeClass() + ";";
    }

    private void field(final int opcode, final String name, final String descriptor) {
      mv().visitFieldInsn(opcode, nodeClass(), name, descriptor);
    }

    void node(final NodeExpr x) {
      if (x instanceof NullNode) {
        mv().visitInsn(ACONST_NULL);
        return;
      }
      final Path p = (Path) x;
      if (p.root() == SN) {
        mv().visitFieldInsn(GETSTATIC, e.owner(), "sn", nodeType());
      } else {
        mv().visitVarInsn(ALOAD, e.node(p.root()));
      }
      for (int i = 0; i < p.hops(); i++) {
        field(GETFIELD, "next", nodeType());
      }
    }

    /** f's Node and Integer locals, initialized on entry. */
    void locals() {
      final Locals l = e.m().heap();
      for (int i = 0; i < l.nodes().size(); i++) {
        if (l.nodes().get(i).alloc()) {
          allocate(l.nodes().get(i).v(), l.nodes().get(i).w(), new NullNode());
        } else {
          node(l.nodes().get(i).value());
        }
        mv().visitVarInsn(ASTORE, e.node(i));
      }
      for (int i = 0; i < l.boxes().size(); i++) {
        e.expr(l.boxes().get(i));
        mv().visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        mv().visitVarInsn(ASTORE, e.box(i));
      }
    }

    /**
     * A return inside synchronized blocks, as javac 17 compiles it: with the value on the stack, each monitor exited,
     * innermost first, each block's catch-all range left from after its monitorexit to after the return.
     */
    void returnFromMonitors() {
      for (int i = e.monitors().size() - 1; i >= 0; i--) {
        mv().visitVarInsn(ALOAD, e.monitors().get(i).slot());
        mv().visitInsn(MONITOREXIT);
        final Label exited = new Label();
        mv().visitLabel(exited);
        e.monitors().get(i).gaps().add(exited);
      }
      mv().visitInsn(IRETURN);
      final Label after = new Label();
      mv().visitLabel(after);
      e.monitors().forEach(k -> k.gaps().add(after));
    }

    private void allocate(final Expr v, final Expr w, final NodeExpr next) {
      mv().visitTypeInsn(NEW, nodeClass());
      mv().visitInsn(DUP);
      e.expr(v);
      e.expr(w);
      node(next);
      mv().visitMethodInsn(INVOKESPECIAL, nodeClass(), "<init>", "(II" + nodeType() + ")V", false);
    }

    /** {@code x ? 1 : 0} from a jump taken when x is false, as javac compiles a conditional. */
    private void ternary(final int unless) {
      final Label otherwise = new Label();
      final Label end = new Label();
      mv().visitJumpInsn(unless, otherwise);
      mv().visitInsn(ICONST_1);
      mv().visitJumpInsn(GOTO, end);
      mv().visitLabel(otherwise);
      mv().visitInsn(ICONST_0);
      mv().visitLabel(end);
    }

    void expr(final HeapExpr x) {
      if (x instanceof FieldGet f) {
        node(f.p());
        field(GETFIELD, f.w() ? "w" : "v", "I");
      } else if (x instanceof DataGet d) {
        node(d.p());
        field(GETFIELD, "data", "[I");
        e.expr(d.index());
        mv().visitInsn(ICONST_3);
        mv().visitInsn(IAND);
        mv().visitInsn(IALOAD);
      } else if (x instanceof StaticGet) {
        mv().visitFieldInsn(GETSTATIC, e.owner(), "s", "I");
      } else if (x instanceof Unbox u) {
        mv().visitVarInsn(ALOAD, e.box(u.box()));
        mv().visitMethodInsn(INVOKEVIRTUAL, "java/lang/Integer", "intValue", "()I", false);
      } else if (x instanceof BoxTest b) {
        mv().visitVarInsn(ALOAD, e.box(b.x()));
        mv().visitVarInsn(ALOAD, e.box(b.y()));
        if (b.identity()) {
          ternary(IF_ACMPNE);
        } else {
          mv().visitMethodInsn(INVOKEVIRTUAL, "java/lang/Integer", "equals", "(Ljava/lang/Object;)Z", false);
          ternary(IFEQ);
        }
      } else if (x instanceof NodeTest t) {
        node(t.left());
        if (t.right() instanceof NullNode) {
          ternary(IFNONNULL);
        } else {
          node(t.right());
          ternary(IF_ACMPNE);
        }
      } else {
        final NodeCall c = (NodeCall) x;
        node(c.p());
        e.expr(c.x());
        mv().visitMethodInsn(INVOKESTATIC, e.owner(), "g", "(" + nodeType() + "I)I", false);
      }
    }

    void stmt(final HeapStmt s, final int loops) {
      if (s instanceof FieldSet f) {
        node(f.p());
        e.expr(f.value());
        field(PUTFIELD, f.w() ? "w" : "v", "I");
      } else if (s instanceof NextSet n) {
        node(n.p());
        node(n.value());
        field(PUTFIELD, "next", nodeType());
      } else if (s instanceof DataSet d) {
        node(d.p());
        field(GETFIELD, "data", "[I");
        e.expr(d.index());
        mv().visitInsn(ICONST_3);
        mv().visitInsn(IAND);
        e.expr(d.value());
        mv().visitInsn(IASTORE);
      } else if (s instanceof NodeAssign a) {
        node(a.value());
        mv().visitVarInsn(ASTORE, e.node(a.local()));
      } else if (s instanceof StaticSet t) {
        e.expr(t.value());
        mv().visitFieldInsn(PUTSTATIC, e.owner(), "s", "I");
      } else if (s instanceof StaticNodeSet t) {
        node(t.value());
        mv().visitFieldInsn(PUTSTATIC, e.owner(), "sn", nodeType());
      } else if (s instanceof Alloc a) {
        alloc(a);
      } else if (s instanceof BoxAssign b) {
        e.expr(b.value());
        mv().visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        mv().visitVarInsn(ASTORE, e.box(b.box()));
      } else if (s instanceof BoxCopy b) {
        mv().visitVarInsn(ALOAD, e.box(b.from()));
        mv().visitVarInsn(ASTORE, e.box(b.box()));
      } else {
        sync((Sync) s, loops);
      }
    }

    private void alloc(final Alloc a) {
      final int o = e.node(a.local());
      if (a.constructor()) {
        allocate(a.v(), a.w(), a.next());
        mv().visitVarInsn(ASTORE, o);
      } else {
        mv().visitTypeInsn(NEW, nodeClass());
        mv().visitInsn(DUP);
        mv().visitMethodInsn(INVOKESPECIAL, nodeClass(), "<init>", "()V", false);
        mv().visitVarInsn(ASTORE, o);
        mv().visitVarInsn(ALOAD, o);
        e.expr(a.v());
        field(PUTFIELD, "v", "I");
        mv().visitVarInsn(ALOAD, o);
        e.expr(a.w());
        field(PUTFIELD, "w", "I");
        mv().visitVarInsn(ALOAD, o);
        node(a.next());
        field(PUTFIELD, "next", nodeType());
      }
      if (a.data() >= 0) {
        mv().visitVarInsn(ALOAD, o);
        mv().visitIntInsn(BIPUSH, a.data());
        mv().visitIntInsn(NEWARRAY, T_INT);
        field(PUTFIELD, "data", "[I");
      }
    }

    /**
     * As javac: the lock in a local of its own, the body under a catch-all that exits the monitor and rethrows
     * (itself covered by it), with a gap after each early exit's monitorexit; a return inside exits every monitor
     * open around it ({@link #returnFromMonitors}).
     */
    private void sync(final Sync y, final int loops) {
      final int slot = e.monitor(e.monitors().size());
      final Monitor monitor = new Monitor(slot, new ArrayList<>());
      final Label start = new Label();
      final Label handler = new Label();
      final Label handled = new Label();
      final Label end = new Label();
      mv().visitVarInsn(ALOAD, e.node(y.lock()));
      mv().visitInsn(DUP);
      mv().visitVarInsn(ASTORE, slot);
      mv().visitInsn(MONITORENTER);
      mv().visitLabel(start);
      e.monitors().add(monitor);
      e.block(y.body(), loops);
      e.monitors().remove(e.monitors().size() - 1);
      final Label bodyEnd = new Label();
      mv().visitLabel(bodyEnd);
      final boolean falls = !RandomProgram.terminates(y.body());
      if (falls) {
        mv().visitVarInsn(ALOAD, slot);
        mv().visitInsn(MONITOREXIT);
        final Label exited = new Label();
        mv().visitLabel(exited);
        mv().visitJumpInsn(GOTO, end);
        monitor.gaps().add(exited);
        monitor.gaps().add(handler);
      }
      mv().visitLabel(handler);
      mv().visitVarInsn(ASTORE, e.syncCaught());
      mv().visitVarInsn(ALOAD, slot);
      mv().visitInsn(MONITOREXIT);
      mv().visitLabel(handled);
      mv().visitVarInsn(ALOAD, e.syncCaught());
      mv().visitInsn(ATHROW);
      mv().visitLabel(end);
      Label from = start;
      for (int i = 0; i < monitor.gaps().size(); i += 2) {
        mv().visitTryCatchBlock(from, monitor.gaps().get(i), handler, null);
        from = monitor.gaps().get(i + 1);
      }
      // A body ending in a return of its own has nothing after its last gap.
      if (from != handler && !(from != start && nothingBetween(from, bodyEnd))) {
        mv().visitTryCatchBlock(from, bodyEnd, handler, null);
      }
      mv().visitTryCatchBlock(handler, handled, handler, null);
    }

    /** Whether no instruction lies between two labels of the code emitted so far. */
    private boolean nothingBetween(final Label a, final Label b) {
      for (var i = mv().instructions.getFirst(); i != null; i = i.getNext()) {
        // MethodNode keeps a visited label's node in its info.
        if (i == a.info) {
          for (var j = i.getNext(); j != null; j = j.getNext()) {
            if (j == b.info) {
              return true;
            }
            if (j.getOpcode() >= 0) {
              return false;
            }
          }
        }
      }
      return false;
    }
  }
}
