package org.quasi.agent.shadow;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.quasi.specializer.validate.Crash;
import org.quasi.specializer.validate.Divergence;
import org.quasi.specializer.validate.internal.JsonText;

/**
 * What shadow mode saw during one run of a program: written when the program exits, and, so that a program that ends
 * without running its shutdown hooks (killed, halted, crashed) loses at most its last second of trials, after sampled
 * invocations while it runs.
 *
 * @param options             the run's options
 * @param methodsSeen         methods of matching classes that shadow mode considered (not constructors, static
 *                            initializers, abstract, native, synthetic or bridge methods)
 * @param methodsShadowed     of those, the methods proven free of heap writes and probed
 * @param screenedOut         why the others were not probed (a reason, names left out, and how many methods)
 * @param screenedOutExamples one full reason per key of {@code screenedOut}
 * @param invocations         invocations of probed methods, each counted at its entry while the method collects its
 *                            samples (the shadow's own runs of originals included; in a multi-threaded program some
 *                            increments may be lost); a Java 7+ class file's probe stops counting once its method
 *                            was shadowed as often as allowed, a Java 6 one's never does
 * @param sampled             invocations sampled
 * @param skipped             sampled invocations not compared, by reason
 * @param specialized         sampled invocations specialized
 * @param declined            sampled invocations the specializer declined, by reason (names left out)
 * @param declineExamples     one full reason per key of {@code declined}
 * @param agreed              invocations whose residual code and original agreed
 * @param divergences         invocations whose residual code and original disagreed, with a reproducer each
 * @param crashes             failures of the specializer or of the shadow itself
 * @param shadowNanos         wall time spent in the shadow by the program's threads (sampled invocations only)
 * @param complete            whether the report was written at the program's exit; false for one written while it
 *                            ran, which the program's end did not replace
 * @since 0.1
 */
public record ShadowReport(ShadowOptions options, int methodsSeen, int methodsShadowed,
    SortedMap<String, Integer> screenedOut, Map<String, String> screenedOutExamples, long invocations, long sampled,
    SortedMap<String, Integer> skipped, long specialized, SortedMap<String, Integer> declined,
    Map<String, String> declineExamples, long agreed, List<Divergence> divergences, List<Crash> crashes,
    long shadowNanos, boolean complete) {

  /** The text summary: counts, reasons by frequency, every divergence and crash. */
  public String text() {
    final StringBuilder b = new StringBuilder();
    b.append("quasi shadow: sample 1/").append(options.sample()).append(", seed ").append(options.seed())
        .append(", at most ").append(options.maxPerMethod()).append(" per method\n");
    b.append("methods seen ").append(methodsSeen).append(", proven free of heap writes and probed ")
        .append(methodsShadowed).append('\n');
    top(b, "  not probed", screenedOut, 12);
    b.append("invocations counted by the probes ").append(invocations).append(", sampled ").append(sampled)
        .append(", specialized ").append(specialized).append(", agreed ").append(agreed).append(", diverged ")
        .append(divergences.size()).append(", shadow crashes ").append(crashes.size()).append('\n');
    top(b, "  declined", declined, 12);
    top(b, "  not compared", skipped, 12);
    for (final Divergence d : divergences) {
      b.append("DIVERGED ").append(d.method()).append(" (seed ").append(d.trialSeed()).append(")\n    known ")
          .append(d.known()).append("\n    unknown ").append(d.unknown()).append("\n    original ")
          .append(d.original()).append("\n    residual ").append(d.residual()).append('\n');
    }
    for (final Crash c : crashes) {
      b.append("CRASH ").append(c.stage()).append(' ').append(c.method()).append(": ").append(c.what()).append('\n');
    }
    b.append(String.format("time in the shadow (program threads, sampled invocations): %.3f s%n",
        shadowNanos / 1e9));
    return b.toString();
  }

  /** The report as one JSON object (fields by name; maps as objects; divergences and crashes as arrays). */
  public String json() {
    final StringBuilder b = new StringBuilder("{\n");
    b.append("  \"complete\": ").append(complete).append(",\n  \"sample\": ").append(options.sample())
        .append(",\n  \"seed\": ").append(options.seed())
        .append(",\n  \"maxPerMethod\": ").append(options.maxPerMethod()).append(",\n  \"include\": ")
        .append(quote(options.include().pattern())).append(",\n  \"methodsSeen\": ").append(methodsSeen)
        .append(",\n  \"methodsShadowed\": ").append(methodsShadowed).append(",\n  \"screenedOut\": ")
        .append(map(screenedOut)).append(",\n  \"screenedOutExamples\": ").append(map(screenedOutExamples))
        .append(",\n  \"invocations\": ").append(invocations).append(",\n  \"sampled\": ").append(sampled)
        .append(",\n  \"skipped\": ").append(map(skipped)).append(",\n  \"specialized\": ").append(specialized)
        .append(",\n  \"declined\": ").append(map(declined)).append(",\n  \"declineExamples\": ")
        .append(map(declineExamples)).append(",\n  \"agreed\": ").append(agreed).append(",\n  \"diverged\": ")
        .append(divergences.size()).append(",\n  \"crashed\": ").append(crashes.size())
        .append(",\n  \"shadowSeconds\": ").append(shadowNanos / 1e9).append(",\n  \"divergences\": [");
    for (int i = 0; i < divergences.size(); i++) {
      final Divergence d = divergences.get(i);
      b.append(i == 0 ? "\n" : ",\n").append("    {\"method\": ").append(quote(d.method())).append(", \"seed\": ")
          .append(d.trialSeed()).append(", \"known\": ").append(list(d.known())).append(", \"unknown\": ")
          .append(list(d.unknown())).append(", \"original\": ").append(quote(d.original()))
          .append(", \"residual\": ").append(quote(d.residual())).append('}');
    }
    b.append("],\n  \"crashes\": [");
    for (int i = 0; i < crashes.size(); i++) {
      final Crash c = crashes.get(i);
      b.append(i == 0 ? "\n" : ",\n").append("    {\"method\": ").append(quote(c.method())).append(", \"seed\": ")
          .append(c.trialSeed()).append(", \"stage\": ").append(quote(c.stage())).append(", \"what\": ")
          .append(quote(c.what())).append('}');
    }
    return b.append("]\n}\n").toString();
  }

  private static void top(final StringBuilder b, final String title, final Map<String, Integer> counts,
      final int most) {
    counts.entrySet().stream().sorted((x, y) -> Integer.compare(y.getValue(), x.getValue())).limit(most)
        .forEach(e -> b.append(title).append(' ').append(e.getValue()).append(": ").append(e.getKey()).append('\n'));
    if (counts.size() > most) {
      b.append(title).append(": ").append(counts.size() - most).append(" more reasons (see the JSON report)\n");
    }
  }

  private static String map(final Map<String, ?> m) {
    return JsonText.value(m);
  }

  private static String list(final List<String> l) {
    return JsonText.value(l);
  }

  private static String quote(final String s) {
    return JsonText.quote(s);
  }
}
