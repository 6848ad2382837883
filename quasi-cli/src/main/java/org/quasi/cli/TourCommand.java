package org.quasi.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.quasi.cli.tour.GuardsChapter;
import org.quasi.cli.tour.ReplugChapter;
import org.quasi.cli.tour.SignalsChapter;
import org.quasi.cli.tour.SpecializerChapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./quasi tour}: the main demonstration, one chapter per tool, readable without the paper. */
@Command(name = "tour", mixinStandardHelpOptions = true,
    description = "Walk through what Quasi does on small examples, then on the paper's kill experiment, measuring as "
        + "it goes (about two minutes; under ten seconds with --no-measure).")
final class TourCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--no-measure", description = "Skip the JMH measurements; only tell the story.")
  private boolean noMeasure;

  @Override
  public Integer call() throws Exception {
    final PrintWriter out = spec.commandLine().getOut();
    out.println("Quasi tour");
    out.println("==========");
    out.println("Quasi makes Java code faster by specializing it on quasi-invariants: values read all the time and");
    out.println("changed rarely. It keeps the specialized code correct by guarding the writes that change them, and");
    out.println("by replugging: swapping the specialized code for other code while the program runs.");
    out.println();
    new ReplugChapter(out, !noMeasure).run();
    out.println();
    new SpecializerChapter(out, !noMeasure).run();
    out.println();
    new GuardsChapter(out).run();
    out.println();
    new SignalsChapter(out, !noMeasure).run();
    out.flush();
    return QuasiCommand.EXIT_OK;
  }
}
