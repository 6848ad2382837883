package org.quasi.specializer.validate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.quasi.specializer.validate.internal.MethodResult;

/**
 * What a validation found. A method is <em>tried</em> when at least one trial asked for a specialization,
 * <em>specialized</em> when at least one trial got residual code (which then ran against the original),
 * <em>declined</em> when at least one trial was declined (the histogram counts each method once per distinct reason,
 * names of program elements left out), <em>diverged</em> when at least one trial's outcomes differed. Crashes are
 * failures of the specializer or harness and must be zero.
 *
 * @param seed               the seed of the run
 * @param trialsPerMethod    trials asked per method
 * @param classes            classes matched by the include pattern
 * @param unloadable         classes that could not be loaded, with the error
 * @param methodsConsidered  public methods looked at
 * @param skipped            methods not validated, or whose validation stopped, by reason
 * @param methodsTried       methods with at least one trial
 * @param methodsSpecialized methods with at least one residual code run
 * @param methodsDeclined    methods with at least one declined trial
 * @param declineReasons     methods per decline reason (each method once per reason)
 * @param declineExamples    one full decline message per reason
 * @param trials             trials run
 * @param trialsSpecialized  trials whose residual code ran
 * @param trialsFromTemplates of those, trials whose code was made from an earlier trial's template, not evaluated
 *                           ({@link org.quasi.specializer.ResidualCode#fromTemplate()})
 * @param trialsDiverged     trials whose outcomes differed (those knowing no argument included)
 * @param wholeMethodTrials  trials knowing no argument that ran, one per method taking any: the method evaluated
 *                           anew and cleaned up, compared like the others, not counted in {@code trials}, the
 *                           sizes or the declines
 * @param divergences        one reproducer per diverged method
 * @param crashes            failures of the specializer or the harness
 * @param meanReduction      mean over specialized methods of {@code 1 - residual/original instructions} (0.25 = a
 *                           quarter fewer; negative when inlining and unrolling made the residual code larger)
 * @param medianReduction    the median of the same per-method reductions (less swayed by unrolled loops)
 * @param methodsSmaller     specialized methods whose residual code is smaller than the original on average
 * @param methodsWithArguments specialized methods that take an argument (receiver included): the others have
 *                           nothing a trial could know
 * @param methodsWithArgumentsSmaller of those, the ones whose residual code is smaller
 * @param methodSizes        every specialized method's mean sizes, in the order the methods were validated
 * @param runsAbandoned      runs (of library code, the specializer or residual code) that timed out and were given
 *                           up on
 * @param runsStopped        of those, the ones whose thread ended within a moment (interrupted, or stopped where
 *                           the JDK can)
 * @param runsStillRunning   the classes whose abandoned runs were still running when the run ended, one entry per
 *                           thread (from JDK 20 on nothing can stop a thread that ignores interrupts)
 * @param endedEarly         null when every matched class was validated; else how many were and why the run ended
 *                           there (the heap stayed over its budget, or the harness failed outside any one class)
 * @since 0.1
 */
public record ValidationReport(long seed, int trialsPerMethod, int classes, List<String> unloadable,
    int methodsConsidered, Map<String, Integer> skipped, int methodsTried, int methodsSpecialized,
    int methodsDeclined, Map<String, Integer> declineReasons, Map<String, String> declineExamples, int trials,
    int trialsSpecialized, int trialsFromTemplates, int trialsDiverged, int wholeMethodTrials, List<Divergence> divergences,
    List<Crash> crashes, double meanReduction, double medianReduction, int methodsSmaller, int methodsWithArguments,
    int methodsWithArgumentsSmaller, List<MethodSize> methodSizes, int runsAbandoned, int runsStopped,
    List<String> runsStillRunning, String endedEarly) {

  /** Aggregates the per-method results of a run. */
  static ValidationReport of(final long seed, final int trialsPerMethod, final int classes,
      final List<String> unloadable, final List<MethodResult> results) {
    final Map<String, Integer> skipped = new TreeMap<>();
    final Map<String, Integer> reasons = new TreeMap<>();
    final Map<String, String> examples = new TreeMap<>();
    final List<Divergence> divergences = new ArrayList<>();
    final List<Crash> crashes = new ArrayList<>();
    int tried = 0;
    int specialized = 0;
    int declined = 0;
    int trials = 0;
    int trialsSpecialized = 0;
    int trialsFromTemplates = 0;
    int trialsDiverged = 0;
    int wholeMethodTrials = 0;
    int smaller = 0;
    int withArguments = 0;
    int withArgumentsSmaller = 0;
    final List<Double> reductions = new ArrayList<>();
    final List<MethodSize> sizes = new ArrayList<>();
    for (final MethodResult r : results) {
      if (r.skipped() != null) {
        skipped.merge(bucket(r.skipped()), 1, Integer::sum);
      }
      // A failure of the harness on a method or class counts even when no trial of it ran, and so does a divergence
      // of the trial knowing nothing.
      crashes.addAll(r.crashes());
      wholeMethodTrials += r.wholeMethodTrials();
      if (!r.tried()) {
        trialsDiverged += r.divergedTrials();
        divergences.addAll(r.divergences());
      }
      if (!r.tried()) {
        continue;
      }
      tried++;
      trials += r.trials();
      trialsSpecialized += r.specialized();
      trialsFromTemplates += r.fromTemplates();
      trialsDiverged += r.divergedTrials();
      divergences.addAll(r.divergences());
      if (!r.declines().isEmpty()) {
        declined++;
        final Set<String> distinct = new LinkedHashSet<>(r.declines());
        for (final String d : distinct) {
          reasons.merge(d, 1, Integer::sum);
        }
        final List<String> keys = new ArrayList<>(distinct);
        for (int i = 0; i < keys.size() && i < r.declineExamples().size(); i++) {
          examples.putIfAbsent(keys.get(i), r.declineExamples().get(i));
        }
      }
      if (r.specialized() > 0) {
        specialized++;
        double before = 0;
        double after = 0;
        for (final int[] s : r.sizes()) {
          before += s[0];
          after += s[1];
        }
        reductions.add(before == 0 ? 0 : 1 - after / before);
        sizes.add(new MethodSize(r.method(), r.sizes().size(), before / r.sizes().size(), after / r.sizes().size()));
        smaller += after < before ? 1 : 0;
        if (r.arguments() > 0) {
          withArguments++;
          withArgumentsSmaller += after < before ? 1 : 0;
        }
      }
    }
    return new ValidationReport(seed, trialsPerMethod, classes, List.copyOf(unloadable), results.size(),
        skipped, tried, specialized, declined, reasons, examples, trials, trialsSpecialized, trialsFromTemplates,
        trialsDiverged, wholeMethodTrials, List.copyOf(divergences), List.copyOf(crashes),
        reductions.stream().mapToDouble(Double::doubleValue).average().orElse(0),
        reductions.stream().sorted().skip(reductions.size() / 2).findFirst().orElse(0.0), smaller, withArguments,
        withArgumentsSmaller, List.copyOf(sizes), 0, 0, List.of(), null);
  }

  /** Returns this report with what the harness's worker threads did and, when the run ended early, why. */
  ValidationReport withHarness(final int abandoned, final int stopped, final List<String> stillRunning,
      final String ended) {
    return new ValidationReport(seed, trialsPerMethod, classes, unloadable, methodsConsidered, skipped, methodsTried,
        methodsSpecialized, methodsDeclined, declineReasons, declineExamples, trials, trialsSpecialized,
        trialsFromTemplates, trialsDiverged, wholeMethodTrials, divergences, crashes, meanReduction, medianReduction, methodsSmaller, methodsWithArguments,
        methodsWithArgumentsSmaller, methodSizes, abandoned, stopped, List.copyOf(stillRunning), ended);
  }

  /** Returns whether every matched class was validated (the run did not end early). */
  public boolean complete() {
    return endedEarly == null;
  }

  /** Skip reasons name the offending member; the histogram groups them by what they say. */
  private static String bucket(final String why) {
    if (why.startsWith("constructor ")) {
      return "constructor " + bucket(why.substring("constructor ".length()));
    }
    if (why.startsWith("calls ") && why.contains("(raw memory access)")) {
      return "calls Unsafe (raw memory access)";
    }
    if (why.startsWith("calls ") && why.contains("(runs code on other threads)")) {
      return "calls code run on other threads";
    }
    if (why.startsWith("calls ") && why.contains("(native code outside the JDK)")) {
      return "calls native code outside the JDK";
    }
    if (why.startsWith("calls ") || why.startsWith("reads ") && why.contains("(I/O on a standard stream)")) {
      return "calls I/O, global state, randomness or identity";
    }
    if (why.startsWith("writes static field")) {
      return "writes a static field (global state)";
    }
    if (why.startsWith("no generator for parameter type")) {
      return "no generator for a parameter type";
    }
    if (why.startsWith("receiver: ")) {
      return "receiver: " + bucket(why.substring("receiver: ".length()));
    }
    final int threw = why.indexOf(" threw ");
    if (threw > 0) {
      return why.substring(0, threw) + " threw";
    }
    final int paren = why.indexOf(" (");
    return paren > 0 ? why.substring(0, paren) : why;
  }

  /** Returns the share of tried methods declined for a reason saying an instruction or construct is not handled. */
  public double unsupportedShare() {
    int n = 0;
    for (final Map.Entry<String, Integer> e : declineReasons.entrySet()) {
      n += e.getKey().contains("not handled") ? e.getValue() : 0;
    }
    return methodsTried == 0 ? 0 : (double) n / methodsTried;
  }

  /** Renders the report for people: the table, the decline and skip histograms, the divergences, the crashes. */
  public String text() {
    final StringBuilder b = new StringBuilder();
    if (endedEarly != null) {
      b.append("INCOMPLETE: ").append(endedEarly).append('\n');
    }
    b.append(String.format("classes %d (unloadable %d), public methods %d%n", classes, unloadable.size(),
        methodsConsidered));
    b.append(String.format("methods tried %d, specialized %d, declined %d, diverged %d, crashes %d%n",
        methodsTried, methodsSpecialized, methodsDeclined, divergences.size(), crashes.size()));
    b.append(String.format("trials %d, specialized %d (%d from templates), diverged %d (seed %d, %d per method, "
        + "and %d knowing no argument)%n", trials, trialsSpecialized, trialsFromTemplates, trialsDiverged, seed,
        trialsPerMethod, wholeMethodTrials));
    b.append(String.format("residual instructions per specialized method: mean reduction %.1f%%, median %.1f%%, "
        + "smaller than the original in %d of %d%n", 100 * meanReduction, 100 * medianReduction, methodsSmaller,
        methodsSpecialized));
    b.append(String.format("  of the methods taking an argument (receiver included): smaller in %d of %d%n",
        methodsWithArgumentsSmaller, methodsWithArguments));
    b.append(String.format("declined as not handled: %.1f%% of tried methods%n", 100 * unsupportedShare()));
    if (runsAbandoned > 0) {
      b.append(String.format("runs that timed out %d: ended when interrupted or stopped %d, still running %d%s%n",
          runsAbandoned, runsStopped, runsStillRunning.size(), runsStillRunning.isEmpty() ? ""
              : " (in " + String.join(", ", new java.util.TreeSet<>(runsStillRunning)) + ")"));
    }
    histogram(b, "declined (methods per reason)", declineReasons);
    histogram(b, "skipped (methods per reason)", skipped);
    for (final Divergence d : divergences) {
      b.append("DIVERGED ").append(d.method()).append(" trial seed ").append(d.trialSeed()).append("\n  known ")
          .append(d.known()).append("\n  unknown ").append(d.unknown()).append("\n  original: ").append(d.original())
          .append("\n  residual: ").append(d.residual()).append('\n');
    }
    for (final Crash c : crashes) {
      b.append("CRASH ").append(c.stage()).append(' ').append(c.method()).append(" trial seed ")
          .append(c.trialSeed()).append(": ").append(c.what()).append('\n');
    }
    return b.toString();
  }

  private static void histogram(final StringBuilder b, final String title, final Map<String, Integer> h) {
    if (h.isEmpty()) {
      return;
    }
    b.append(title).append(":\n");
    h.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> b.append(String.format("  %6d  %s%n", e.getValue(), e.getKey())));
  }

  /** Renders the report as one JSON object (the fields of this record, by name). */
  public String json() {
    return ReportJson.write(this);
  }
}
