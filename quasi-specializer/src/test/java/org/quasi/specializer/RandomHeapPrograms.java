package org.quasi.specializer;

import static org.quasi.specializer.RandomPrograms.pick;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.quasi.specializer.RandomHeap.Alloc;
import org.quasi.specializer.RandomHeap.BoxAssign;
import org.quasi.specializer.RandomHeap.BoxCopy;
import org.quasi.specializer.RandomHeap.BoxTest;
import org.quasi.specializer.RandomHeap.DataGet;
import org.quasi.specializer.RandomHeap.DataSet;
import org.quasi.specializer.RandomHeap.FieldGet;
import org.quasi.specializer.RandomHeap.FieldSet;
import org.quasi.specializer.RandomHeap.Locals;
import org.quasi.specializer.RandomHeap.NextSet;
import org.quasi.specializer.RandomHeap.NodeAssign;
import org.quasi.specializer.RandomHeap.NodeCall;
import org.quasi.specializer.RandomHeap.NodeExpr;
import org.quasi.specializer.RandomHeap.NodeInit;
import org.quasi.specializer.RandomHeap.NodeTest;
import org.quasi.specializer.RandomHeap.NullNode;
import org.quasi.specializer.RandomHeap.Path;
import org.quasi.specializer.RandomHeap.StaticGet;
import org.quasi.specializer.RandomHeap.StaticNodeSet;
import org.quasi.specializer.RandomHeap.StaticSet;
import org.quasi.specializer.RandomHeap.Sync;
import org.quasi.specializer.RandomHeap.Unbox;
import org.quasi.specializer.RandomProgram.Assign;
import org.quasi.specializer.RandomProgram.Cond;
import org.quasi.specializer.RandomProgram.Const;
import org.quasi.specializer.RandomProgram.Counter;
import org.quasi.specializer.RandomProgram.Expr;
import org.quasi.specializer.RandomProgram.If;
import org.quasi.specializer.RandomProgram.Loop;
import org.quasi.specializer.RandomProgram.Stmt;
import org.quasi.specializer.RandomProgram.Throw;
import org.quasi.specializer.RandomPrograms.Scope;

/** jqwik arbitraries of {@link RandomHeap}'s expressions and statements, for f's scopes that have Node locals. */
final class RandomHeapPrograms {
  private RandomHeapPrograms() {
  }

  /**
   * f's Node locals (rarely null: most paths should reach their end; n; or a new Node) and Integer locals (boxes of
   * small values, cached or not).
   */
  static Arbitrary<Locals> locals(final Scope s) {
    final Scope plain = new Scope(s.params(), false, false, 0, false);
    final Arbitrary<NodeInit> node = pick(Tuple.of(1, Arbitraries.just(new NodeInit(new NullNode(), false, null,
        null))), Tuple.of(2, Arbitraries.just(new NodeInit(new Path(RandomHeap.N, 0), false, null, null))),
        Tuple.of(3, Combinators.combine(RandomPrograms.expr(plain, 1), RandomPrograms.expr(plain, 1))
            .as((v, w) -> new NodeInit(null, true, v, w))));
    return Combinators.combine(node.list().ofSize(s.nodes()), boxValue(plain).list().ofSize(s.boxes()))
        .as(Locals::new);
  }

  /** Box values: often at the edges of Integer's cache (-128..127), where identity depends on the value. */
  private static Arbitrary<Expr> boxValue(final Scope s) {
    return pick(Tuple.of(3, RandomPrograms.expr(s, 1)),
        Tuple.of(2, Arbitraries.of(127, 128, -128, -129, 0, 1000).map(Const::new)));
  }

  /** n or a Node local: what may be locked, or assigned. */
  private static Arbitrary<Integer> root(final Scope s) {
    return Arbitraries.integers().between(RandomHeap.N, s.nodes() - 1);
  }

  private static Arbitrary<Integer> nodeLocal(final Scope s) {
    return Arbitraries.integers().between(0, s.nodes() - 1);
  }

  /** A path of 0 to 2 {@code .next} hops from n, sn or a Node local (any hop may throw an NPE). */
  static Arbitrary<Path> path(final Scope s) {
    final Arbitrary<Integer> root = pick(Tuple.of(4, Arbitraries.just(RandomHeap.N)),
        Tuple.of(1, Arbitraries.just(RandomHeap.SN)), Tuple.of(4, nodeLocal(s)));
    final Arbitrary<Integer> hops = Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(2, 1), Tuple.of(1, 2));
    return Combinators.combine(root, hops).as(Path::new);
  }

  /** A Node value: a path, or null. */
  private static Arbitrary<NodeExpr> value(final Scope s) {
    return pick(Tuple.of(6, path(s)), Tuple.of(1, Arbitraries.just(new NullNode())));
  }

  private static Arbitrary<Integer> box(final Scope s) {
    return Arbitraries.integers().between(0, s.boxes() - 1);
  }

  /** Leaves: a field read through a path, s, an unboxed Integer, box identity or equality, Node identity. */
  static Arbitrary<Expr> leaf(final Scope s) {
    return pick(Tuple.of(4, Combinators.combine(path(s), Arbitraries.of(false, true)).as(FieldGet::new)),
        Tuple.of(1, Arbitraries.just(new StaticGet())), Tuple.of(1, box(s).map(Unbox::new)),
        Tuple.of(2, Combinators.combine(Arbitraries.frequency(Tuple.of(2, true), Tuple.of(1, false)), box(s), box(s))
            .as(BoxTest::new)),
        Tuple.of(1, Combinators.combine(path(s), value(s)).as(NodeTest::new)));
  }

  /** Expressions over a smaller one: a data element, a call of g(Node, int). */
  static Arbitrary<Expr> compound(final Scope s, final Arbitrary<Expr> sub) {
    return pick(Tuple.of(1, Combinators.combine(path(s), sub).as(DataGet::new)),
        Tuple.of(1, Combinators.combine(value(s), sub).as(NodeCall::new)));
  }

  /** Statements without nested statements. */
  static Arbitrary<Stmt> simple(final Scope s) {
    final Arbitrary<Expr> e1 = RandomPrograms.expr(s, 1);
    final Arbitrary<Expr> e2 = RandomPrograms.expr(s, 2);
    final Arbitrary<Integer> data = Arbitraries.frequency(Tuple.of(2, -1), Tuple.of(1, 0), Tuple.of(2, 3),
        Tuple.of(2, 4));
    final Arbitrary<Alloc> alloc = Combinators.combine(nodeLocal(s), e1, e1, value(s), Arbitraries.of(true, false),
        data).as(Alloc::new);
    return pick(Tuple.of(3, Combinators.combine(path(s), Arbitraries.of(false, true), e2).as(FieldSet::new)),
        Tuple.of(2, Combinators.combine(path(s), value(s)).as(NextSet::new)),
        Tuple.of(1, Combinators.combine(path(s), e1, e1).as(DataSet::new)),
        Tuple.of(1, Combinators.combine(root(s), value(s)).as(NodeAssign::new)),
        Tuple.of(1, Arbitraries.just(new NodeAssign(RandomHeap.N, new Path(RandomHeap.N, 1)))),
        Tuple.of(1, e2.map(StaticSet::new)), Tuple.of(1, value(s).map(StaticNodeSet::new)),
        Tuple.of(3, alloc),
        Tuple.of(2, Combinators.combine(box(s), boxValue(s)).as(BoxAssign::new)),
        Tuple.of(1, Combinators.combine(box(s), box(s)).as(BoxCopy::new)));
  }

  /** {@code synchronized (n or o) {...}}, a third of them with a throw inside, under a condition. */
  static Arbitrary<Stmt> sync(final Scope s, final Arbitrary<List<Stmt>> body, final Arbitrary<Cond> cond) {
    final Arbitrary<Stmt> plain = Combinators.combine(root(s), body).as(Sync::new);
    final Arbitrary<Stmt> throwing = Combinators.combine(root(s), body, cond).as((r, b, c) -> {
      final List<Stmt> all = new ArrayList<>(b);
      all.add(new If(c, List.of(new Throw()), List.of()));
      return new Sync(r, RandomProgram.reachable(all));
    });
    return pick(Tuple.of(2, plain), Tuple.of(1, throwing));
  }

  /**
   * A loop that allocates: {@code for (i...) {o = new Node(i, e, o or null); <use>}}, the use nothing (the list may
   * stay virtual), a write of a field of o, or an escape: into n.next, into sn, or passed to g.
   */
  static Arbitrary<Stmt> allocLoop(final Scope s, final Arbitrary<Expr> bound) {
    final Scope in = s.inLoop();
    final Arbitrary<Expr> e1 = RandomPrograms.expr(in, 1);
    final Arbitrary<Tuple.Tuple4<Integer, Boolean, Boolean, Integer>> shape = Combinators.combine(nodeLocal(s),
        Arbitraries.of(true, false), Arbitraries.frequency(Tuple.of(3, true), Tuple.of(1, false)),
        Arbitraries.integers().between(0, 5)).as(Tuple::of);
    return Combinators.combine(bound, shape, e1, RandomPrograms.locals(s)).as((b, sh, e, l) -> {
      final int o = sh.get1();
      final Path self = new Path(o, 0);
      final List<Stmt> body = new ArrayList<>();
      body.add(new Alloc(o, new Counter(s.loops()), e, sh.get3() ? self : new NullNode(), sh.get2(), -1));
      switch (sh.get4()) {
        case 1 -> body.add(new FieldSet(self, true, new FieldGet(new Path(o, 1), false)));
        case 2 -> body.add(new NextSet(new Path(RandomHeap.N, 0), self));
        case 3 -> body.add(new StaticNodeSet(self));
        case 4 -> body.add(new Assign(l, new NodeCall(self, e)));
        default -> {
        }
      }
      return new Loop(b, body);
    });
  }

  /** What may throw inside a try: a field read or write through a path (NPE), a data element (NPE, bounds). */
  static Arbitrary<Stmt> risky(final Scope s) {
    return pick(Tuple.of(2, Combinators.combine(RandomPrograms.locals(s), path(s), Arbitraries.of(false, true))
            .as((l, p, w) -> new Assign(l, new FieldGet(p, w)))),
        Tuple.of(1, Combinators.combine(path(s), RandomPrograms.expr(s, 1), RandomPrograms.expr(s, 1))
            .as(DataSet::new)));
  }
}
