package org.quasi.specializer.validate;

import static org.quasi.specializer.validate.internal.JsonText.quote;
import static org.quasi.specializer.validate.internal.JsonText.value;

/** Writes a {@link ValidationReport} as JSON: one object, the record's fields by name, nested records as objects. */
final class ReportJson {
  private ReportJson() {
  }

  static String write(final ValidationReport r) {
    final StringBuilder b = new StringBuilder("{\n");
    field(b, "seed", r.seed());
    field(b, "trialsPerMethod", r.trialsPerMethod());
    field(b, "classes", r.classes());
    field(b, "unloadable", r.unloadable());
    field(b, "methodsConsidered", r.methodsConsidered());
    field(b, "skipped", r.skipped());
    field(b, "methodsTried", r.methodsTried());
    field(b, "methodsSpecialized", r.methodsSpecialized());
    field(b, "methodsDeclined", r.methodsDeclined());
    field(b, "declineReasons", r.declineReasons());
    field(b, "declineExamples", r.declineExamples());
    field(b, "unsupportedShare", r.unsupportedShare());
    field(b, "trials", r.trials());
    field(b, "trialsSpecialized", r.trialsSpecialized());
    field(b, "trialsFromTemplates", r.trialsFromTemplates());
    field(b, "trialsDiverged", r.trialsDiverged());
    field(b, "wholeMethodTrials", r.wholeMethodTrials());
    b.append("  \"divergences\": [");
    for (int i = 0; i < r.divergences().size(); i++) {
      final Divergence d = r.divergences().get(i);
      b.append(i == 0 ? "\n" : ",\n").append("    {\"method\": ").append(quote(d.method()))
          .append(", \"trialSeed\": ").append(d.trialSeed()).append(", \"known\": ").append(value(d.known()))
          .append(", \"unknown\": ").append(value(d.unknown())).append(", \"original\": ")
          .append(quote(d.original())).append(", \"residual\": ").append(quote(d.residual())).append('}');
    }
    b.append(r.divergences().isEmpty() ? "],\n" : "\n  ],\n");
    b.append("  \"crashes\": [");
    for (int i = 0; i < r.crashes().size(); i++) {
      final Crash c = r.crashes().get(i);
      b.append(i == 0 ? "\n" : ",\n").append("    {\"method\": ").append(quote(c.method()))
          .append(", \"trialSeed\": ").append(c.trialSeed()).append(", \"stage\": ").append(quote(c.stage()))
          .append(", \"what\": ").append(quote(c.what())).append('}');
    }
    b.append(r.crashes().isEmpty() ? "],\n" : "\n  ],\n");
    field(b, "meanReduction", r.meanReduction());
    field(b, "medianReduction", r.medianReduction());
    field(b, "methodsSmaller", r.methodsSmaller());
    field(b, "methodsWithArguments", r.methodsWithArguments());
    field(b, "methodsWithArgumentsSmaller", r.methodsWithArgumentsSmaller());
    b.append("  \"methodSizes\": [");
    for (int i = 0; i < r.methodSizes().size(); i++) {
      final MethodSize m = r.methodSizes().get(i);
      b.append(i == 0 ? "\n" : ",\n").append("    {\"method\": ").append(quote(m.method()))
          .append(", \"trials\": ").append(m.trials()).append(", \"original\": ").append(value(m.original()))
          .append(", \"residual\": ").append(value(m.residual())).append('}');
    }
    b.append(r.methodSizes().isEmpty() ? "],\n" : "\n  ],\n");
    field(b, "runsAbandoned", r.runsAbandoned());
    field(b, "runsStopped", r.runsStopped());
    field(b, "runsStillRunning", r.runsStillRunning());
    b.append("  \"endedEarly\": ").append(r.endedEarly() == null ? "null" : quote(r.endedEarly())).append("\n}\n");
    return b.toString();
  }

  private static void field(final StringBuilder b, final String name, final Object v) {
    b.append("  ").append(quote(name)).append(": ").append(value(v)).append(",\n");
  }
}
