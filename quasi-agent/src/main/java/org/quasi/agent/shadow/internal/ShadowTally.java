package org.quasi.agent.shadow.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.quasi.agent.shadow.ShadowOptions;
import org.quasi.agent.shadow.ShadowReport;
import org.quasi.specializer.validate.Crash;
import org.quasi.specializer.validate.Divergence;

/** The counts of one shadow run, updated by any thread (every method is synchronized), read once at exit. */
final class ShadowTally {
  /** Words of a reason that name a program element (qualified names, descriptors): left out of its key. */
  private static final Pattern NAME = Pattern.compile(".*\\w[.;$]\\w.*|.*;\\)?|\\([^ ]*\\)\\S*");

  private int methodsSeen;
  private int methodsShadowed;
  private final Map<String, Integer> screenedOut = new TreeMap<>();
  private final Map<String, String> screenedOutExamples = new HashMap<>();
  private long sampled;
  private final Map<String, Integer> skipped = new TreeMap<>();
  private long specialized;
  private final Map<String, Integer> declined = new TreeMap<>();
  private final Map<String, String> declineExamples = new HashMap<>();
  private long agreed;
  private final List<Divergence> divergences = new ArrayList<>();
  private final List<Crash> crashes = new ArrayList<>();
  private long shadowNanos;

  synchronized void seen(final String screenProblem) {
    methodsSeen++;
    if (screenProblem == null) {
      methodsShadowed++;
    } else {
      count(screenedOut, screenedOutExamples, screenProblem);
    }
  }

  synchronized void sampled() {
    sampled++;
  }

  synchronized void skipped(final String why) {
    skipped.merge(why, 1, Integer::sum);
  }

  synchronized void specialized() {
    specialized++;
  }

  synchronized void declined(final String reason) {
    count(declined, declineExamples, reason);
  }

  synchronized void agreed() {
    agreed++;
  }

  synchronized void diverged(final Divergence d) {
    // Not bounded: each probed method is shadowed at most ShadowOptions.maxPerMethod times.
    divergences.add(d);
  }

  synchronized void crashed(final Crash c) {
    crashes.add(c);
  }

  synchronized void spent(final long nanos) {
    shadowNanos += nanos;
  }

  synchronized ShadowReport report(final ShadowOptions options, final long invocations, final boolean complete) {
    return new ShadowReport(options, methodsSeen, methodsShadowed, new TreeMap<>(screenedOut),
        Map.copyOf(screenedOutExamples), invocations, sampled, new TreeMap<>(skipped), specialized,
        new TreeMap<>(declined), Map.copyOf(declineExamples), agreed, List.copyOf(divergences),
        List.copyOf(crashes), shadowNanos, complete);
  }

  /** Counts {@code reason} under its {@link #key}, keeping the first reason seen for each key as its example. */
  private static void count(final Map<String, Integer> counts, final Map<String, String> examples,
      final String reason) {
    final String key = key(reason);
    counts.merge(key, 1, Integer::sum);
    examples.putIfAbsent(key, reason);
  }

  /**
   * The reason with the names of program elements and the call chain left out, so that equal reasons count together.
   */
  static String key(final String reason) {
    // The call chain that led to the problem ("… through A.m through B.n") varies; the problem itself is the key.
    final int through = reason.indexOf(" through ");
    final int paren = reason.indexOf(" (through ");
    final int cut = paren >= 0 && (through < 0 || paren < through) ? paren : through;
    final StringBuilder b = new StringBuilder();
    for (final String word : (cut >= 0 ? reason.substring(0, cut) : reason).split(" ")) {
      b.append(b.length() == 0 ? "" : " ").append(NAME.matcher(word).matches() ? "…" : word);
    }
    return b.toString();
  }
}
