package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every variant behaves exactly like the generic kernel: random histories of kill (all pid forms, valid and invalid
 * signals), setuid, setreuid, fork, exit, sigaction, sigprocmask, setsid, setpgid and context switches are applied to
 * a generic kernel and to each other variant side by side; every return value, every handler invocation and, after
 * every step, the whole state of every task must be equal.
 */
class VariantEquivalenceTest {

  @Property(tries = 400)
  void everyVariantAgreesWithTheGenericKernel(@ForAll("histories") final List<Op> history) {
    for (Variant variant : Variant.values()) {
      if (variant != Variant.GENERIC) {
        compare(variant, history);
      }
    }
  }

  /**
   * Every history starts from the same small multi-user system: init (root) with six children, two of user 500,
   * one of user 600, one running a set-uid-root program for user 500 (real uid 500, effective uid 0) and two root
   * daemons (pids 6 and 7). Some have handlers to change later: pid 2 catches SIGUSR1 with H1, pid 3 with a one-shot
   * H2, pid 4 catches SIGWINCH (ignored by default) with a one-shot H1, pid 6 ignores SIGUSR1 and pid 7 blocks it.
   */
  static final List<Op> LOGIN = List.of(
      new Op.Fork(false, true), new Op.Fork(false, true), new Op.Fork(false, true), new Op.Fork(false, true),
      new Op.Fork(false, true), new Op.Fork(false, true),
      new Op.SwitchToPid(2), new Op.Setuid(1), new Op.Sigaction(1, 2, 2, 0),
      new Op.SwitchToPid(3), new Op.Setuid(2), new Op.Sigaction(1, 3, 0, 0),
      new Op.SwitchToPid(4), new Op.Setuid(3), new Op.Sigaction(10, 2, 0, 0),
      new Op.SwitchToPid(6), new Op.Sigaction(1, 1, 2, 0),
      new Op.SwitchToPid(7), new Op.Sigprocmask(Signals.SIG_BLOCK, Signals.mask(Signals.SIGUSR1)),
      new Op.SwitchToPid(5), new Op.Setreuid(1, 4),
      new Op.SwitchToPid(1));

  private static void compare(final Variant variant, final List<Op> randomPart) {
    List<Op> history = new ArrayList<>(LOGIN);
    history.addAll(randomPart);
    Kernel generic = Variant.GENERIC.boot();
    Kernel other = variant.boot();
    List<String> genericLog = new ArrayList<>();
    List<String> otherLog = new ArrayList<>();
    List<SignalHandler> genericHandlers = handlers(genericLog);
    List<SignalHandler> otherHandlers = handlers(otherLog);
    for (int step = 0; step < history.size(); step++) {
      Op op = history.get(step);
      String where = variant.paramName() + " at step " + step + " (" + op + ")";
      List<Integer> expected = op.apply(generic, genericHandlers);
      List<Integer> actual = op.apply(other, otherHandlers);
      assertThat(actual).as("return values of " + where).isEqualTo(expected);
      assertThat(otherLog).as("handler invocations after " + where).isEqualTo(genericLog);
      assertThat(KernelSnapshot.of(other)).as("state after " + where).isEqualTo(KernelSnapshot.of(generic));
    }
  }

  private static List<SignalHandler> handlers(final List<String> log) {
    return List.of(new RecordingHandler("H1", log, 0), new RecordingHandler("H2", log, Signals.SIGUSR2));
  }

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 20);
    Arbitrary<Integer> masks = Arbitraries.of(0, Signals.mask(Signals.SIGUSR1), Signals.mask(Signals.SIGUSR2),
        Signals.mask(Signals.SIGUSR1) | Signals.mask(Signals.SIGCHLD), Signals.mask(Signals.SIGKILL), -1);
    Arbitrary<Op> kill = Combinators.combine(Arbitraries.of(0, 0, 0, 1, 2, 3), pick, small,
        Arbitraries.integers().between(1, 3)).as((form, p, sig, repeat) -> new Op.Kill(form, p, sig, repeat));
    Arbitrary<Op> setuid = small.map(Op.Setuid::new);
    Arbitrary<Op> setreuid = Combinators.combine(small, small).as(Op.Setreuid::new);
    Arbitrary<Op> fork = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, true, false))
        .as(Op.Fork::new);
    Arbitrary<Op> exit = Combinators.combine(pick, small, Arbitraries.of(true, true, false)).as(Op.Exit::new);
    Arbitrary<Op> sigaction = Combinators.combine(small, small, small, masks).as(Op.Sigaction::new);
    Arbitrary<Op> sigprocmask = Combinators.combine(Arbitraries.integers().between(0, 3), masks)
        .as(Op.Sigprocmask::new);
    Arbitrary<Op> setsid = Arbitraries.just(new Op.Setsid());
    Arbitrary<Op> setpgid = Combinators.combine(pick, pick).as(Op.Setpgid::new);
    Arbitrary<Op> switchTo = pick.map(Op.Switch::new);
    Arbitrary<Op> change = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, setuid),
        net.jqwik.api.Tuple.of(2, setreuid),
        net.jqwik.api.Tuple.of(1, fork),
        net.jqwik.api.Tuple.of(3, exit),
        net.jqwik.api.Tuple.of(3, sigaction),
        net.jqwik.api.Tuple.of(1, sigprocmask),
        net.jqwik.api.Tuple.of(1, setsid),
        net.jqwik.api.Tuple.of(1, setpgid),
        net.jqwik.api.Tuple.of(2, switchTo));
    Arbitrary<Op> killAround = Combinators.combine(kill.map(Op.Kill.class::cast), change, Arbitraries.of(true, false))
        .as(Op.KillAround::new);
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(12, killAround),
        net.jqwik.api.Tuple.of(10, kill),
        net.jqwik.api.Tuple.of(2, setuid),
        net.jqwik.api.Tuple.of(2, setreuid),
        net.jqwik.api.Tuple.of(4, fork),
        net.jqwik.api.Tuple.of(2, exit),
        net.jqwik.api.Tuple.of(3, sigaction),
        net.jqwik.api.Tuple.of(2, sigprocmask),
        net.jqwik.api.Tuple.of(1, setsid),
        net.jqwik.api.Tuple.of(1, setpgid),
        net.jqwik.api.Tuple.of(4, switchTo));
    return op.list().ofMinSize(1).ofMaxSize(60);
  }
}
