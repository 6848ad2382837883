package org.quasi.cases.signals.memguard;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The main class of the child JVM {@link SignalsUnderMemGuardTest} runs under MemGuard: runs the test classes named on
 * its command line with the JUnit platform (Jupiter and jqwik, whichever engines are on the class path) and exits
 * with 0 when at least one test ran and none failed, 1 otherwise, after printing the summary and the failures.
 */
public final class SuiteMain {

  private SuiteMain() {
  }

  /** {@code java ... SuiteMain CLASS...}. */
  public static void main(final String[] args) {
    if (args.length == 0) {
      System.err.println("usage: SuiteMain TEST_CLASS...");
      System.exit(2);
    }
    final List<org.junit.platform.engine.DiscoverySelector> selectors = new ArrayList<>();
    for (final String name : args) {
      selectors.add(DiscoverySelectors.selectClass(name));
    }
    final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
    final Launcher launcher = LauncherFactory.create();
    final SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    final TestExecutionSummary summary = listener.getSummary();
    final PrintWriter out = new PrintWriter(System.out, true);
    summary.printTo(out);
    summary.printFailuresTo(out, 20);
    out.flush();
    final boolean passed = summary.getTestsSucceededCount() > 0 && summary.getTotalFailureCount() == 0
        && summary.getContainersFailedCount() == 0;
    System.exit(passed ? 0 : 1);
  }
}
