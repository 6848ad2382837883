package org.quasi.memguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemGuardLogTest {

    private static UnguardedWrite write(String how, String field, int line) {
        return new UnguardedWrite(Mechanism.AGENT_TRAP, how, "main",
                List.of(new StackTraceElement("org.quasi.memguard.internal.Traps", "call", "Traps.java", 10),
                        new StackTraceElement("app.Writer", "run", "Writer.java", line)),
                "app.Config@1a2b", "app.Config", field, "1", "2");
    }

    @Test
    void blocksNameEverythingAndTheSummaryCountsSitesByFrequency() {
        MemGuardLog log = new MemGuardLog();
        log.add(write("putfield", "limit", 7));
        log.add(write("Field.set", "limit", 9));
        log.add(write("putfield", "limit", 9));

        String text = log.text();
        assertThat(log.count()).isEqualTo(3);
        assertThat(text).contains("unguarded write [AGENT_TRAP] putfield", "  thread: main",
                "  object: app.Config@1a2b", "  field:  app.Config.limit", "  value:  1 -> 2",
                "    at app.Writer.run(Writer.java:7)");
        assertThat(text).contains("3 unguarded writes at 2 sites");
        assertThat(text.indexOf("app.Writer.run(Writer.java:9)  app.Config.limit"))
                .isLessThan(text.indexOf("app.Writer.run(Writer.java:7)  app.Config.limit"));
        assertThat(log.writes().get(0).site()).isEqualTo("app.Writer.run(Writer.java:7)");
    }

    @Test
    void anEmptyLogSaysSo() {
        assertThat(new MemGuardLog().text()).contains("no unguarded write");
    }

    @Test
    void parseReadsBackWhatWriteToWrote() {
        MemGuardLog log = new MemGuardLog();
        log.add(write("putfield", "limit", 7));
        log.add(new UnguardedWrite(Mechanism.VERIFIER, "unknown (seen by the verifier)", "worker-1", List.of(),
                "[I@5", "[I", "[3]", "0", "4"));

        MemGuardLog back = MemGuardLog.parse(log.text(), "log.txt");

        assertThat(back.writes()).isEqualTo(log.writes());
    }

    @Test
    void valuesWithLineBreaksBackslashesAndArrowsComeBackAsTheyWere() {
        MemGuardLog log = new MemGuardLog();
        log.add(new UnguardedWrite(Mechanism.AGENT_TRAP, "putfield\r\nsecond", "worker\\1", List.of(),
                "app.Label@1", "app.Label", "text", "a -> b\\n", "two\nlines -> and > more"));

        String text = log.text();
        MemGuardLog back = MemGuardLog.parse(text, "log.txt");

        assertThat(text.lines().filter(l -> l.startsWith("  value:  ")).toList())
                .containsExactly("  value:  a -\\> b\\\\n -> two\\nlines -\\> and \\> more");
        assertThat(back.writes()).isEqualTo(log.writes());
    }

    @Test
    void parseNamesTheLineOfMalformedText() {
        assertThatThrownBy(() -> MemGuardLog.parse("x\nunguarded write [AGENT_TRAP] putfield\n  thred: main\n", "f.log"))
                .hasMessage("f.log:3: expected a line starting with 'thread:'");
        assertThatThrownBy(() -> MemGuardLog.parse("unguarded write [PAGES] putfield\n", "f.log"))
                .hasMessageStartingWith("f.log:1: expected one of [AGENT_TRAP");
    }
}
