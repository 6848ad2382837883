package org.quasi.specializer;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.quasi.specializer.RandomProgram.ArrGet;
import org.quasi.specializer.RandomProgram.ArrSet;
import org.quasi.specializer.RandomProgram.Assign;
import org.quasi.specializer.RandomProgram.Bin;
import org.quasi.specializer.RandomProgram.Call;
import org.quasi.specializer.RandomProgram.Case;
import org.quasi.specializer.RandomProgram.Cond;
import org.quasi.specializer.RandomProgram.Const;
import org.quasi.specializer.RandomProgram.Counter;
import org.quasi.specializer.RandomProgram.Expr;
import org.quasi.specializer.RandomProgram.If;
import org.quasi.specializer.RandomProgram.Local;
import org.quasi.specializer.RandomProgram.LongAssign;
import org.quasi.specializer.RandomProgram.LongInt;
import org.quasi.specializer.RandomProgram.Loop;
import org.quasi.specializer.RandomProgram.Method;
import org.quasi.specializer.RandomProgram.Param;
import org.quasi.specializer.RandomProgram.Return;
import org.quasi.specializer.RandomProgram.Stmt;
import org.quasi.specializer.RandomProgram.Switch;
import org.quasi.specializer.RandomProgram.Throw;
import org.quasi.specializer.RandomProgram.Try;

/**
 * jqwik arbitraries of {@link RandomProgram}s, built from combinators so that a failing program shrinks: fewer
 * statements, shallower expressions, smaller constants.
 */
final class RandomPrograms {
  /** Statement nesting depth: an if or loop inside an if or loop inside an if or loop, no deeper. */
  static final int DEPTH = 3;

  private RandomPrograms() {
  }

  /**
   * What a method's code may use: its parameter count, whether it has arr and may call g, its local count, the loop
   * counters around it, and its Node and Integer locals (f on the heap: then n, s, sn and g(Node, int) too).
   */
  record Scope(int params, boolean array, boolean calls, int locals, int loops, boolean hasLong, int nodes,
      int boxes) {
    Scope(final int params, final boolean array, final boolean calls, final int locals, final boolean hasLong) {
      this(params, array, calls, locals, 0, hasLong, 0, 0);
    }

    Scope inLoop() {
      return new Scope(params, array, calls, locals, loops + 1, hasLong, nodes, boxes);
    }

    Scope onHeap(final int nodeLocals, final int boxLocals) {
      return new Scope(params, array, calls, locals, loops, hasLong, nodeLocals, boxLocals);
    }

    boolean heap() {
      return nodes > 0;
    }
  }

  /**
   * f (3 to 6 locals, arr, calls g, most often a long local too; two programs in five on the heap, with one or two
   * Node locals and two Integer locals) and g (2 to 4 locals, no arr, no call).
   */
  static Arbitrary<RandomProgram> programs() {
    return programs(true);
  }

  /**
   * The programs, on the heap or (when not {@code heap}) only those of the grammar before it, drawn as that grammar
   * drew them: a seed gives the programs it gave then.
   */
  static Arbitrary<RandomProgram> programs(final boolean heap) {
    // One arbitrary per local count, no flatMap: jqwik would hash the big arbitrary a flatMap returns on every try.
    final List<Tuple.Tuple2<Integer, Arbitrary<Method>>> fs = new ArrayList<>();
    for (int n = 3; n <= 6; n++) {
      fs.add(Tuple.of(1, method("f", new Scope(3, true, true, n, false))));
      fs.add(Tuple.of(2, method("f", new Scope(3, true, true, n, true))));
      if (heap) {
        fs.add(Tuple.of(1, method("f", new Scope(3, true, true, n, false).onHeap(1 + n % 2, 2))));
        fs.add(Tuple.of(1, method("f", new Scope(3, true, true, n, true).onHeap(2 - n % 2, 2))));
      }
    }
    final List<Tuple.Tuple2<Integer, Arbitrary<Method>>> gs = new ArrayList<>();
    for (int n = 2; n <= 4; n++) {
      gs.add(Tuple.of(1, method("g", new Scope(2, false, false, n, false))));
    }
    @SuppressWarnings("unchecked")
    final Arbitrary<Method> f = pick(fs.toArray(Tuple.Tuple2[]::new));
    @SuppressWarnings("unchecked")
    final Arbitrary<Method> g = pick(gs.toArray(Tuple.Tuple2[]::new));
    return Combinators.combine(f, g).as(RandomProgram::new);
  }

  private static Arbitrary<Method> method(final String name, final Scope s) {
    final Arbitrary<Method> m = !s.hasLong() ? method(name, s, 0)
        : Combinators.combine(method(name, s, 0), expr(new Scope(s.params(), false, false, 0, false), 1),
            Arbitraries.integers().between(0, s.locals()))
            .as((x, init, at) -> new Method(x.name(), x.params(), x.hasArray(), x.inits(), x.body(), x.result(),
                init, at, x.heap()));
    if (!s.heap()) {
      return m;
    }
    return Combinators.combine(m, RandomHeapPrograms.locals(s)).as((x, h) -> new Method(x.name(), x.params(),
        x.hasArray(), x.inits(), x.body(), x.result(), x.longInit(), x.longAt(), h));
  }

  private static Arbitrary<Method> method(final String name, final Scope s, final int unused) {
    final Arbitrary<List<Expr>> inits = pick(
        Tuple.of(2, Arbitraries.just(new Const(0))), Tuple.of(1, constants()), Tuple.of(2, params(s)),
        Tuple.of(1, expr(new Scope(s.params(), false, false, 0, false), 1))).list().ofSize(s.locals());
    final Arbitrary<List<List<Stmt>>> chunks = pick(
        Tuple.of(6, stmt(s, DEPTH, false, true).map(List::of)),
        Tuple.of(s.locals() >= 3 ? 1 : 0, keptAcrossABranch(s)),
        Tuple.of(s.heap() ? 1 : 0, allocatedThenRead(s))).list().ofMinSize(2).ofMaxSize(7)
        .withSizeDistribution(RandomDistribution.uniform());
    final Arbitrary<List<Stmt>> body = chunks.map(cs -> {
      final List<Stmt> all = new ArrayList<>();
      cs.forEach(all::addAll);
      return RandomProgram.reachable(all);
    });
    return Combinators.combine(inits, body, expr(s, 2))
        .as((i, b, r) -> new Method(name, s.params(), s.array(), i, b, r));
  }

  // -------------------------------------------------------------------------------------------------- statements

  /**
   * A statement nested at most {@code depth} deep; a throw only in a branch, a return only inside an if or a loop
   * (f's last statement is its return).
   */
  private static Arbitrary<Stmt> stmt(final Scope s, final int depth, final boolean inBranch, final boolean top) {
    final Arbitrary<Stmt> assign = Combinators.combine(locals(s), expr(s, 2)).as(Assign::new);
    final Arbitrary<Stmt> store = Combinators.combine(expr(s, 1), expr(s, 2)).as(ArrSet::new);
    final Arbitrary<Stmt> ret = expr(s, 2).map(Return::new);
    final int returns = top ? 0 : 1;
    final int longs = s.hasLong() ? 2 : 0;
    final int heap = s.heap() ? 3 : 0;
    if (depth == 0) {
      return pick(Tuple.of(8, assign), Tuple.of(s.array() ? 2 : 0, store), Tuple.of(returns, ret),
          Tuple.of(inBranch ? 1 : 0, Arbitraries.just(new Throw())), Tuple.of(longs, longAssign(s)),
          Tuple.of(heap, RandomHeapPrograms.simple(s)));
    }
    final Arbitrary<List<Stmt>> branch = block(s, depth - 1, true);
    final Arbitrary<Stmt> ifElse = Combinators.combine(cond(s), branch, branch).as(If::new);
    // The body cannot write the counter, so any bound below 8 ends the loop: e & 7 may read what the body writes.
    final Arbitrary<Expr> bound = pick(Tuple.of(3, Arbitraries.integers().between(0, 4).map(Const::new)),
        Tuple.of(3, params(s).map(p -> new Bin("&", p, new Const(7)))),
        Tuple.of(2, expr(s, 1).map(e -> new Bin("&", e, new Const(7)))));
    final Arbitrary<Stmt> loop = Combinators.combine(bound, block(s.inLoop(), depth - 1, inBranch)).as(Loop::new);
    return pick(Tuple.of(8, assign), Tuple.of(s.array() ? 2 : 0, store), Tuple.of(returns, ret),
        Tuple.of(inBranch ? 1 : 0, Arbitraries.just(new Throw())), Tuple.of(4, ifElse), Tuple.of(3, loop),
        Tuple.of(1, sameTails(s, branch)), Tuple.of(longs, longAssign(s)), Tuple.of(2, tryCatch(s, depth)),
        Tuple.of(2, switches(s, depth)), Tuple.of(heap, RandomHeapPrograms.simple(s)),
        Tuple.of(heap / 3, RandomHeapPrograms.sync(s, block(s, depth - 1, inBranch), cond(s))),
        Tuple.of(heap / 3, RandomHeapPrograms.allocLoop(s, bound)));
  }

  /** A loop that allocates (see {@link RandomHeapPrograms#allocLoop}), then a read of what it built. */
  private static Arbitrary<List<Stmt>> allocatedThenRead(final Scope s) {
    final Arbitrary<Expr> bound = pick(Tuple.of(1, Arbitraries.integers().between(0, 4).map(Const::new)),
        Tuple.of(1, params(s).map(p -> new Bin("&", p, new Const(7)))));
    return Combinators.combine(RandomHeapPrograms.allocLoop(s, bound), locals(s),
        Arbitraries.integers().between(0, s.nodes() - 1), Arbitraries.integers().between(0, 2))
        .as((loop, l, o, hops) -> List.of(loop, new Assign(l, new RandomHeap.FieldGet(new RandomHeap.Path(o, hops),
            false))));
  }

  /** {@code ll = ll op (long) e}, a shift of ll, or {@code ll = (long) e * 0x100000001L}. */
  private static Arbitrary<Stmt> longAssign(final Scope s) {
    final Arbitrary<String> op = Arbitraries.frequency(Tuple.of(3, "+"), Tuple.of(2, "-"), Tuple.of(2, "*"),
        Tuple.of(1, "/"), Tuple.of(1, "%"), Tuple.of(1, "&"), Tuple.of(1, "|"), Tuple.of(2, "^"), Tuple.of(1, "<<"),
        Tuple.of(1, ">>"), Tuple.of(1, ">>>"), Tuple.of(2, "="));
    return Combinators.combine(op, expr(s, 1)).as(LongAssign::new);
  }

  /**
   * {@code try {t = e; ...; <may throw>; ...} catch (X e) {u = t op e'; ...; perhaps return}}: the handler reads a
   * local the body assigned before the throwing point and writes another one (which the body may have written after
   * it). The statement that may throw: an array store or read (arr may be short or null), a division, a call of g
   * (which may throw), a long division, a throw in an if, or a throw.
   */
  private static Arbitrary<Stmt> tryCatch(final Scope s, final int depth) {
    final Arbitrary<List<Integer>> tu = Arbitraries.integers().between(0, s.locals() - 1).list()
        .ofSize(Math.min(2, s.locals())).uniqueElements();
    final Arbitrary<String> type = Arbitraries.frequency(Tuple.of(3, "java/lang/ArithmeticException"),
        Tuple.of(3, "java/lang/ArrayIndexOutOfBoundsException"), Tuple.of(3, "java/lang/IllegalStateException"),
        Tuple.of(2, "java/lang/RuntimeException"), Tuple.of(s.heap() ? 2 : 0, "java/lang/NullPointerException"));
    final Arbitrary<String> division = Arbitraries.of("/", "%");
    final Arbitrary<Stmt> risky = pick(
        Tuple.of(s.array() ? 3 : 0, Combinators.combine(expr(s, 1), expr(s, 1)).as(ArrSet::new)),
        Tuple.of(s.array() ? 2 : 0, Combinators.combine(locals(s), expr(s, 1))
            .as((l, e) -> new Assign(l, new ArrGet(e)))),
        Tuple.of(3, Combinators.combine(locals(s), division, expr(s, 1), expr(s, 1))
            .as((l, o, x, y) -> new Assign(l, new Bin(o, x, y)))),
        Tuple.of(s.calls() ? 1 : 0, Combinators.combine(locals(s), expr(s, 1), expr(s, 1))
            .as((l, x, y) -> new Assign(l, new Call(x, y)))),
        Tuple.of(s.hasLong() ? 1 : 0, Combinators.combine(division, expr(s, 1)).as(LongAssign::new)),
        Tuple.of(2, cond(s).map(c -> new If(c, List.of(new Throw()), List.of()))),
        Tuple.of(1, Arbitraries.just(new Throw())),
        Tuple.of(s.heap() ? 2 : 0, RandomHeapPrograms.risky(s)));
    final Arbitrary<List<Stmt>> inner = block(s, depth - 1, true);
    final Arbitrary<String> op = Arbitraries.of("+", "-", "*", "^");
    final Arbitrary<java.util.Optional<Stmt>> ret = pick(Tuple.of(3, Arbitraries.just(java.util.Optional.empty())),
        Tuple.of(1, expr(s, 1).map(e -> java.util.Optional.of(new Return(e)))));
    return Combinators.combine(tu, expr(s, 2), inner, risky, inner, type, Combinators.combine(op, expr(s, 1), inner,
        ret).as(Tuple::of)).as((v, e, before, r, after, t, h) -> {
          final int tl = v.get(0);
          final int ul = v.get(v.size() - 1);
          final List<Stmt> body = new ArrayList<>();
          body.add(new Assign(tl, e));
          body.addAll(before);
          body.add(r);
          body.addAll(after);
          final List<Stmt> handler = new ArrayList<>();
          handler.add(new Assign(ul, new Bin(h.get1(), new Local(tl), h.get2())));
          handler.addAll(h.get3());
          h.get4().ifPresent(handler::add);
          return new Try(RandomProgram.reachable(body), t, RandomProgram.reachable(handler));
        });
  }

  /**
   * {@code switch (e & 7)} over 1 to 4 keys in 0..7 (a tableswitch, gaps going to default) or {@code switch (e)} over
   * sparse keys (a lookupswitch); a case breaks or, sometimes, falls through (an empty one shares the next's code).
   */
  private static Arbitrary<Stmt> switches(final Scope s, final int depth) {
    final Arbitrary<List<Stmt>> body = block(s, depth - 1, true);
    // No flatMap (jqwik would hash the big arbitrary it returns on every try): keys and cases are zipped.
    final Arbitrary<List<Integer>> dense = Arbitraries.integers().between(0, 7).list().ofMinSize(1).ofMaxSize(4)
        .uniqueElements();
    final Arbitrary<List<Integer>> sparse = Arbitraries.of(-1000, -1, 0, 1, 3, 7, 77, 65536, Integer.MIN_VALUE).list()
        .ofMinSize(1).ofMaxSize(4).uniqueElements();
    final Arbitrary<List<Tuple.Tuple2<List<Stmt>, Boolean>>> cases = Combinators.combine(body,
        Arbitraries.frequency(Tuple.of(3, true), Tuple.of(1, false))).as(Tuple::of).list().ofMinSize(1).ofMaxSize(4);
    final Arbitrary<Stmt> tables = Combinators.combine(expr(s, 1), dense, cases, body)
        .as((e, k, c, d) -> zip(e, true, k, c, d));
    final Arbitrary<Stmt> lookups = Combinators.combine(pick(Tuple.of(2, params(s)), Tuple.of(1, expr(s, 1))),
        sparse, cases, body).as((e, k, c, d) -> zip(e, false, k, c, d));
    return pick(Tuple.of(1, tables), Tuple.of(1, lookups));
  }

  private static Stmt zip(final Expr selector, final boolean dense, final List<Integer> keys,
      final List<Tuple.Tuple2<List<Stmt>, Boolean>> bodies, final List<Stmt> otherwise) {
    final List<Case> cases = new ArrayList<>();
    for (int i = 0; i < Math.min(keys.size(), bodies.size()); i++) {
      cases.add(new Case(keys.get(i), bodies.get(i).get1(), bodies.get(i).get2()));
    }
    return new Switch(selector, dense, cases, otherwise);
  }

  /**
   * {@code if (cond) {...; tail} else {...; tail}} with the same tail on both sides: a return of the same expression
   * (perhaps after the same store), a throw, or the same assignment and store; tails that TailMerge may merge.
   */
  private static Arbitrary<Stmt> sameTails(final Scope s, final Arbitrary<List<Stmt>> branch) {
    final Arbitrary<List<Stmt>> tail = pick(
        Tuple.of(3, expr(s, 2).map(e -> List.of(new Return(e)))),
        Tuple.of(s.array() ? 2 : 0, Combinators.combine(expr(s, 1), expr(s, 1), expr(s, 1))
            .as((i, v, r) -> List.of(new ArrSet(i, v), new Return(r)))),
        Tuple.of(2, Arbitraries.just(List.of(new Throw()))),
        Tuple.of(2, Combinators.combine(locals(s), expr(s, 2)).as((l, e) -> List.of(new Assign(l, e)))));
    return Combinators.combine(cond(s), branch, branch, tail).as((c, x, y, t) -> new If(c, concat(x, t),
        concat(y, t)));
  }

  private static List<Stmt> concat(final List<Stmt> a, final List<Stmt> b) {
    final List<Stmt> all = new ArrayList<>(a);
    all.addAll(b);
    return RandomProgram.reachable(all);
  }

  private static Arbitrary<List<Stmt>> block(final Scope s, final int depth, final boolean inBranch) {
    return stmt(s, depth, inBranch, false).list().ofMaxSize(4).withSizeDistribution(RandomDistribution.uniform())
        .map(RandomProgram::reachable);
  }

  /**
   * The shape of the TailMerge bug: {@code t = e; if (cond) {u = ...; return t;} v = ...; u = ...; return t} (or
   * the early side in the else branch, or reading t in an expression): a value computed before a branch and read on
   * both sides, after other values were computed on one of them.
   */
  private static Arbitrary<List<Stmt>> keptAcrossABranch(final Scope s) {
    final Arbitrary<List<Integer>> tuv = Arbitraries.integers().between(0, s.locals() - 1).list().ofSize(3)
        .uniqueElements();
    final Arbitrary<List<Expr>> es = expr(s, 2).list().ofSize(4);
    final Arbitrary<Boolean> flags = Arbitraries.of(true, false);
    return Combinators.combine(tuv, es, cond(s), flags, flags, flags).as((v, e, c, inElse, plain, writeArray) -> {
      final int t = v.get(0);
      final int u = v.get(1);
      final int w = v.get(2);
      final Expr read = plain ? new Local(t) : new Bin("+", new Local(t), new Local(u));
      final List<Stmt> early = List.of(new Assign(u, e.get(1)), new Return(read));
      final List<Stmt> out = new ArrayList<>();
      out.add(new Assign(t, e.get(0)));
      out.add(inElse ? new If(c, List.of(), early) : new If(c, early, List.of()));
      out.add(new Assign(w, e.get(2)));
      out.add(new Assign(u, e.get(3)));
      if (writeArray && s.array()) {
        out.add(new ArrSet(new Const(0), new Local(u)));
        out.add(new ArrSet(new Const(1), new Local(w)));
      }
      out.add(new Return(read));
      return out;
    });
  }

  // ------------------------------------------------------------------------------------------------- expressions

  static Arbitrary<Cond> cond(final Scope s) {
    final Arbitrary<String> op = Arbitraries.of("==", "!=", "<", "<=", ">", ">=");
    final Arbitrary<Cond> any = Combinators.combine(op, expr(s, 1), expr(s, 1)).as(Cond::new);
    final Arbitrary<Cond> zero = Combinators.combine(op, expr(s, 1)).as((o, e) -> new Cond(o, e, new Const(0)));
    final Arbitrary<Cond> locals = Combinators.combine(Arbitraries.of("==", "!="), locals(s), locals(s))
        .as((o, x, y) -> new Cond(o, new Local(x), new Local(y)));
    final Arbitrary<Cond> onLong = Combinators.combine(op, expr(s, 1)).as((o, e) -> new Cond(o, null, e, true));
    return pick(Tuple.of(4, any), Tuple.of(2, zero), Tuple.of(2, locals), Tuple.of(s.hasLong() ? 1 : 0, onLong));
  }

  /** Expressions at most {@code depth} operators deep. */
  static Arbitrary<Expr> expr(final Scope s, final int depth) {
    final Arbitrary<Expr> leaf = pick(Tuple.of(2, constants()), Tuple.of(3, params(s)),
        Tuple.of(s.locals() > 0 ? 4 : 0, locals(s).map(Local::new)),
        Tuple.of(s.loops() > 0 ? 2 : 0, Arbitraries.integers().between(0, Math.max(0, s.loops() - 1))
            .map(Counter::new)),
        Tuple.of(s.hasLong() ? 1 : 0, Arbitraries.of(true, false).map(LongInt::new)),
        Tuple.of(s.heap() ? 1 : 0, RandomHeapPrograms.leaf(s)));
    if (depth == 0) {
      return leaf;
    }
    final Arbitrary<Expr> sub = expr(s, depth - 1);
    final Arbitrary<String> op = Arbitraries.frequency(Tuple.of(3, "+"), Tuple.of(2, "-"), Tuple.of(2, "*"),
        Tuple.of(1, "/"), Tuple.of(1, "%"), Tuple.of(1, "&"), Tuple.of(1, "|"), Tuple.of(1, "^"), Tuple.of(1, "<<"),
        Tuple.of(1, ">>"), Tuple.of(1, ">>>"));
    return pick(Tuple.of(4, leaf), Tuple.of(4, Combinators.combine(op, sub, sub).as(Bin::new)),
        Tuple.of(s.array() ? 1 : 0, sub.map(ArrGet::new)),
        Tuple.of(s.calls() ? 1 : 0, Combinators.combine(sub, sub).as(Call::new)),
        Tuple.of(s.heap() ? 1 : 0, RandomHeapPrograms.compound(s, sub)));
  }

  private static Arbitrary<Expr> constants() {
    return pick(Tuple.of(6, Arbitraries.integers().between(-3, 9)),
        Tuple.of(2, Arbitraries.of(7, 8, 31, 32, 33, 100, -128, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE)),
        Tuple.of(1, Arbitraries.integers())).map(Const::new);
  }

  private static Arbitrary<Expr> params(final Scope s) {
    return Arbitraries.integers().between(0, s.params() - 1).map(Param::new);
  }

  static Arbitrary<Integer> locals(final Scope s) {
    return Arbitraries.integers().between(0, Math.max(0, s.locals() - 1));
  }

  /**
   * {@link Arbitraries#frequencyOf} without the choices of weight 0, as a oneOf with each choice repeated by its weight:
   * frequencyOf is a flatMap, and jqwik hashes the arbitrary a flatMap returns (the whole tree of a nested
   * statement's arbitrary) on every value, which made generating slower than specializing.
   */
  @SafeVarargs
  @SuppressWarnings("unchecked")
  static <T> Arbitrary<T> pick(final Tuple.Tuple2<Integer, Arbitrary<? extends T>>... choices) {
    final List<Arbitrary<? extends T>> kept = new ArrayList<>();
    for (final Tuple.Tuple2<Integer, Arbitrary<? extends T>> c : choices) {
      for (int i = 0; i < c.get1(); i++) {
        kept.add(c.get2());
      }
    }
    return kept.size() == 1 ? (Arbitrary<T>) kept.get(0) : new Opaque<>(Arbitraries.oneOf(kept));
  }

  /**
   * An arbitrary that hashes and compares by identity: jqwik hashes arbitraries (to memoize their generators), and a
   * structural hash walks the whole tree of choices, which grows exponentially with the statement nesting depth.
   */
  private static final class Opaque<T> implements Arbitrary<T> {
    private final Arbitrary<T> inner;

    Opaque(final Arbitrary<T> inner) {
      this.inner = inner;
    }

    @Override
    public net.jqwik.api.RandomGenerator<T> generator(final int genSize) {
      return inner.generator(genSize);
    }

    @Override
    public java.util.Optional<net.jqwik.api.ExhaustiveGenerator<T>> exhaustive(final long maxNumberOfSamples) {
      return inner.exhaustive(maxNumberOfSamples);
    }

    @Override
    public net.jqwik.api.EdgeCases<T> edgeCases(final int maxEdgeCases) {
      return inner.edgeCases(maxEdgeCases);
    }
  }

  // --------------------------------------------------------------------------------------------------- arguments

  /** Arguments of f: a, b, c, arr, n (its shape); and the value of the static s before the run. */
  record Args(int a, int b, int c, int[] arr, NodeGraphs.Shape n, int s) {
    /** The arguments, arr and n built afresh, n of the program's Node class. */
    Object[] fresh(final Class<?> node) {
      return new Object[] {a, b, c, arr == null ? null : arr.clone(), NodeGraphs.build(n, node)};
    }

    @Override
    public String toString() {
      return "a=" + a + " b=" + b + " c=" + c + " arr=" + java.util.Arrays.toString(arr) + " n=" + n + " s=" + s;
    }
  }

  /** Arguments; without {@code heap}, as the grammar before the heap drew them, n null and s 0. */
  static Arbitrary<Args> args(final boolean heap) {
    final Arbitrary<Integer> i = pick(Tuple.of(5, Arbitraries.integers().between(-4, 10)),
        Tuple.of(1, Arbitraries.of(0, 7, 8, -1, Integer.MIN_VALUE, Integer.MAX_VALUE)),
        Tuple.of(2, Arbitraries.integers()));
    final Arbitrary<int[]> arr = pick(Tuple.of(1, Arbitraries.<int[]>just(null)),
        Tuple.of(2, elements(0, 7)), Tuple.of(5, elements(8, 10)));
    if (!heap) {
      return Combinators.combine(i, i, i, arr).as((a, b, c, r) -> new Args(a, b, c, r, null, 0));
    }
    return Combinators.combine(i, i, i, arr, NodeGraphs.shapes(), Arbitraries.integers().between(-2, 5))
        .as(Args::new);
  }

  /** Arrays of length min to max, most elements small. */
  private static Arbitrary<int[]> elements(final int min, final int max) {
    return pick(Tuple.of(5, Arbitraries.integers().between(-5, 20)), Tuple.of(1, Arbitraries.integers()))
        .list().ofMinSize(min).ofMaxSize(max).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Mostly the default budgets; else budgets that cut specialization short: few variants, little unrolling, calls
   * specialized apart instead of inlined, a residual size limit that is soon reached.
   */
  static Arbitrary<Budgets> budgets() {
    return Arbitraries.frequency(Tuple.of(6, Budgets.DEFAULT), Tuple.of(1, new Budgets(1, 2, 1, 200)),
        Tuple.of(1, new Budgets(2, 4, 0, 60)), Tuple.of(1, Budgets.MINIMAL));
  }

  /**
   * Which of a, b, c, arr, n are known (bit i for argument i): often none, often all, else any; without {@code heap},
   * only of a, b, c, arr.
   */
  static Arbitrary<Integer> masks(final boolean heap) {
    final int all = heap ? 31 : 15;
    return pick(Tuple.of(1, Arbitraries.just(0)), Tuple.of(1, Arbitraries.just(all)),
        Tuple.of(3, Arbitraries.integers().between(0, all)));
  }
}
