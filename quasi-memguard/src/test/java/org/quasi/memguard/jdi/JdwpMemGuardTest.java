package org.quasi.memguard.jdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import fixture.jdwp.JdwpFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.memguard.MemGuardLog;
import org.quasi.memguard.UnguardedWrite;
import org.quasi.typeguard.spec.SpecParser;

class JdwpMemGuardTest {

    private static final Path FIXTURE_SOURCE = Path.of("src/test/java/fixture/jdwp/JdwpFixture.java");
    private static final String CONFIG = JdwpFixture.Config.class.getName();

    @TempDir
    Path dir;

    /** The fixture's lines marked {@code // write: KIND}, by kind. */
    private static Map<String, Integer> markedLines() throws IOException {
        Map<String, Integer> lines = new LinkedHashMap<>();
        List<String> source = Files.readAllLines(FIXTURE_SOURCE);
        for (int i = 0; i < source.size(); i++) {
            int mark = source.get(i).indexOf("// write: ");
            if (mark >= 0) {
                lines.put(source.get(i).substring(mark + "// write: ".length()).strip(), i + 1);
            }
        }
        return lines;
    }

    private static List<String> java(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(arguments));
        return command;
    }

    @Test
    void specFieldsAreWatchedAndTheProgramsExitStatusPassesThrough() throws Exception {
        MemGuardLog log = new MemGuardLog();
        List<String> problems = new ArrayList<>();
        int status = JdwpMemGuard.command(java(JdwpFixture.class.getName(), "-", "7"))
                .spec(SpecParser.parse("t.spec", "quasi-spec 1\nquasi-invariant " + CONFIG + ".{limit, shared}\n"))
                .problems(problems::add)
                .run(log);

        assertThat(status).isEqualTo(7);
        assertThat(problems).isEmpty();
        Map<String, Integer> lines = markedLines();
        List<String> seen = new ArrayList<>();
        for (UnguardedWrite w : log.writes()) {
            seen.add(w.how() + " " + w.field() + " " + w.oldValue() + "->" + w.newValue() + " @"
                    + w.stack().get(0).getLineNumber());
        }
        System.out.println(log.text());
        assertThat(seen).contains("putfield limit 0->1 @" + lines.get("putfield"),
                "putstatic shared 0->8 @" + lines.get("putstatic"));
    }
}
