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
import org.quasi.specializer.RandomProgram.Cond;
import org.quasi.specializer.RandomProgram.Const;
import org.quasi.specializer.RandomProgram.Counter;
import org.quasi.specializer.RandomProgram.Expr;
import org.quasi.specializer.RandomProgram.If;
import org.quasi.specializer.RandomProgram.Local;
import org.quasi.specializer.RandomProgram.Loop;
import org.quasi.specializer.RandomProgram.Method;
import org.quasi.specializer.RandomProgram.Param;
import org.quasi.specializer.RandomProgram.Return;
import org.quasi.specializer.RandomProgram.Stmt;
import org.quasi.specializer.RandomProgram.Throw;

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
   * What a method's code may use: its parameter count, whether it has arr and may call g, its local count, and the
   * loop counters around it.
   */
  private record Scope(int params, boolean array, boolean calls, int locals, int loops) {
    Scope(final int params, final boolean array, final boolean calls, final int locals) {
      this(params, array, calls, locals, 0);
    }

    Scope inLoop() {
      return new Scope(params, array, calls, locals, loops + 1);
    }
  }

  /** f (3 to 6 locals, arr, calls g) and g (2 to 4 locals, no arr, no call). */
  static Arbitrary<RandomProgram> programs() {
    final Arbitrary<Method> f = Arbitraries.integers().between(3, 6)
        .flatMap(n -> method("f", new Scope(3, true, true, n)));
    final Arbitrary<Method> g = Arbitraries.integers().between(2, 4)
        .flatMap(n -> method("g", new Scope(2, false, false, n)));
    return Combinators.combine(f, g).as(RandomProgram::new);
  }

  private static Arbitrary<Method> method(final String name, final Scope s) {
    final Arbitrary<List<Expr>> inits = pick(
        Tuple.of(2, Arbitraries.just(new Const(0))), Tuple.of(1, constants()), Tuple.of(2, params(s)),
        Tuple.of(1, expr(new Scope(s.params(), false, false, 0), 1))).list().ofSize(s.locals());
    final Arbitrary<List<List<Stmt>>> chunks = pick(
        Tuple.of(6, stmt(s, DEPTH, false, true).map(List::of)),
        Tuple.of(s.locals() >= 3 ? 1 : 0, keptAcrossABranch(s))).list().ofMinSize(2).ofMaxSize(7)
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
    if (depth == 0) {
      return pick(Tuple.of(8, assign), Tuple.of(s.array() ? 2 : 0, store), Tuple.of(returns, ret),
          Tuple.of(inBranch ? 1 : 0, Arbitraries.just(new Throw())));
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
        Tuple.of(1, sameTails(s, branch)));
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

  private static Arbitrary<Cond> cond(final Scope s) {
    final Arbitrary<String> op = Arbitraries.of("==", "!=", "<", "<=", ">", ">=");
    final Arbitrary<Cond> any = Combinators.combine(op, expr(s, 1), expr(s, 1)).as(Cond::new);
    final Arbitrary<Cond> zero = Combinators.combine(op, expr(s, 1)).as((o, e) -> new Cond(o, e, new Const(0)));
    final Arbitrary<Cond> locals = Combinators.combine(Arbitraries.of("==", "!="), locals(s), locals(s))
        .as((o, x, y) -> new Cond(o, new Local(x), new Local(y)));
    return pick(Tuple.of(4, any), Tuple.of(2, zero), Tuple.of(2, locals));
  }

  /** Expressions at most {@code depth} operators deep. */
  private static Arbitrary<Expr> expr(final Scope s, final int depth) {
    final Arbitrary<Expr> leaf = pick(Tuple.of(2, constants()), Tuple.of(3, params(s)),
        Tuple.of(s.locals() > 0 ? 4 : 0, locals(s).map(Local::new)),
        Tuple.of(s.loops() > 0 ? 2 : 0, Arbitraries.integers().between(0, Math.max(0, s.loops() - 1))
            .map(Counter::new)));
    if (depth == 0) {
      return leaf;
    }
    final Arbitrary<Expr> sub = expr(s, depth - 1);
    final Arbitrary<String> op = Arbitraries.frequency(Tuple.of(3, "+"), Tuple.of(2, "-"), Tuple.of(2, "*"),
        Tuple.of(1, "/"), Tuple.of(1, "%"), Tuple.of(1, "&"), Tuple.of(1, "|"), Tuple.of(1, "^"), Tuple.of(1, "<<"),
        Tuple.of(1, ">>"), Tuple.of(1, ">>>"));
    return pick(Tuple.of(4, leaf), Tuple.of(4, Combinators.combine(op, sub, sub).as(Bin::new)),
        Tuple.of(s.array() ? 1 : 0, sub.map(ArrGet::new)),
        Tuple.of(s.calls() ? 1 : 0, Combinators.combine(sub, sub).as(Call::new)));
  }

  private static Arbitrary<Expr> constants() {
    return pick(Tuple.of(6, Arbitraries.integers().between(-3, 9)),
        Tuple.of(2, Arbitraries.of(7, 8, 31, 32, 33, 100, -128, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE)),
        Tuple.of(1, Arbitraries.integers())).map(Const::new);
  }

  private static Arbitrary<Expr> params(final Scope s) {
    return Arbitraries.integers().between(0, s.params() - 1).map(Param::new);
  }

  private static Arbitrary<Integer> locals(final Scope s) {
    return Arbitraries.integers().between(0, Math.max(0, s.locals() - 1));
  }

  /** {@link Arbitraries#frequencyOf} without the choices of weight 0. */
  @SafeVarargs
  @SuppressWarnings("unchecked")
  private static <T> Arbitrary<T> pick(final Tuple.Tuple2<Integer, Arbitrary<? extends T>>... choices) {
    final List<Tuple.Tuple2<Integer, Arbitrary<T>>> kept = new ArrayList<>();
    for (final Tuple.Tuple2<Integer, Arbitrary<? extends T>> c : choices) {
      if (c.get1() > 0) {
        kept.add(Tuple.of(c.get1(), (Arbitrary<T>) c.get2()));
      }
    }
    return Arbitraries.frequencyOf(kept);
  }

  // --------------------------------------------------------------------------------------------------- arguments

  /** Arguments of f: a, b, c, arr. */
  record Args(int a, int b, int c, int[] arr) {
    Object[] fresh() {
      return new Object[] {a, b, c, arr == null ? null : arr.clone()};
    }

    @Override
    public String toString() {
      return "a=" + a + " b=" + b + " c=" + c + " arr=" + java.util.Arrays.toString(arr);
    }
  }

  static Arbitrary<Args> args() {
    final Arbitrary<Integer> i = pick(Tuple.of(5, Arbitraries.integers().between(-4, 10)),
        Tuple.of(1, Arbitraries.of(0, 7, 8, -1, Integer.MIN_VALUE, Integer.MAX_VALUE)),
        Tuple.of(2, Arbitraries.integers()));
    final Arbitrary<int[]> arr = pick(Tuple.of(1, Arbitraries.<int[]>just(null)),
        Tuple.of(2, elements(0, 7)), Tuple.of(5, elements(8, 10)));
    return Combinators.combine(i, i, i, arr).as(Args::new);
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

  /** Which of a, b, c, arr are known (bit i for argument i): often none, often all, else any. */
  static Arbitrary<Integer> masks() {
    return pick(Tuple.of(1, Arbitraries.just(0)), Tuple.of(1, Arbitraries.just(15)),
        Tuple.of(3, Arbitraries.integers().between(0, 15)));
  }
}
