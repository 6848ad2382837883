package org.quasi.agent.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.validate.Crash;
import org.quasi.specializer.validate.Divergence;

/** A divergence and a crash appear, with their reproducers, in the text and in the JSON the launcher reads back. */
class ShadowReportTest {

  @Test
  void divergencesAndCrashesAreReported() {
    final Divergence d = new Divergence("a.B.m(I)I", 42, List.of("0=Integer 1"), List.of("1=\"x\""),
        "returned Integer 1", "returned Integer 2");
    final Crash c = new Crash("a.B.n()V", 7, "specialize", "java.lang.IllegalStateException: boom");
    final ShadowReport r = new ShadowReport(new ShadowOptions(10, 3, Pattern.compile(""), 8, null, null), 5, 2,
        new TreeMap<>(Map.of("writes field …", 3)), Map.of("writes field …", "writes field a.B.f"), 100, 10,
        new TreeMap<>(), 9, new TreeMap<>(Map.of("monitors", 1)), Map.of("monitors", "monitors in a.B.n"), 8,
        List.of(d), List.of(c), 1_500_000_000L, false);
    assertThat(r.text()).contains("methods seen 5, proven free of heap writes and probed 2",
        "not probed 3: writes field …", "diverged 1, shadow crashes 1", "DIVERGED a.B.m(I)I (seed 42)",
        "known [0=Integer 1]", "residual returned Integer 2", "CRASH specialize a.B.n()V", "1.500 s");
    assertThat(r.json()).startsWith("{\n  \"complete\": false,\n");
    assertThat(r.json()).contains("\"diverged\": 1", "\"crashed\": 1", "\"unknown\": [\"1=\\\"x\\\"\"]",
        "\"declined\": {\"monitors\": 1}");
  }
}
