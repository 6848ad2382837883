package org.quasi.typeguard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs TypeGuard over the fixture corpus the way the tests do, and renders findings in one-line form. */
final class FixtureCorpus {

  /** Where Maven puts the compiled fixtures (the test class path root). */
  static final Path TEST_CLASSES = Path.of("target", "test-classes");

  static final String PKG = "org.quasi.typeguard.fixtures.";

  /** The quasi-invariants named explicitly; Task.uid comes from its @QuasiInvariant annotation. */
  static final List<String> FIELDS = List.of("Task.euid", "Task.count", "Counter.hits", "Account.balance",
      "Account.cache", "Table.slots", "Limits.MAX", "Point.x", "Derived.tag", "Calm.mode");

  private FixtureCorpus() {
  }

  static TypeGuard.Builder builder() {
    TypeGuard.Builder b = TypeGuard.builder().classPath(List.of(TEST_CLASSES)).parallelism(2);
    for (final String f : FIELDS) {
      b = b.field(PKG + f);
    }
    return b;
  }

  /**
   * One line per finding: {@code RULE certainty Field @ Class.method detail}, with the fixture package left out.
   */
  static List<String> lines(final TypeGuardReport report) {
    final List<String> out = new ArrayList<>();
    for (final Finding f : report.findings()) {
      final Site s = f.site();
      out.add(f.kind().ruleId() + " " + f.certainty().label() + " " + strip(f.field().toString()) + " @ "
          + strip(s.className()) + (s.methodName() == null ? "" : "." + s.methodName()) + " " + f.detail());
    }
    return out;
  }

  private static String strip(final String name) {
    return name.replace(PKG, "");
  }
}
