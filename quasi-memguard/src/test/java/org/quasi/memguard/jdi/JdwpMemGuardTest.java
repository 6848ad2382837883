package org.quasi.memguard.jdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fixture.jdwp.JdwpFixture;
import fixture.jni.NativeLibraryBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.memguard.Mechanism;
import org.quasi.memguard.MemGuardLog;
import org.quasi.memguard.UnguardedWrite;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecParser;

/**
 * Runs {@link JdwpFixture} under {@link JdwpMemGuard} and checks which of its writes the JDWP mechanism logs, with
 * which kind and line: it sees bytecode stores and JNI, and misses every write that goes through {@code Unsafe}
 * (reflection, method handles, var handles, updaters, Unsafe itself) — the measured facts its javadoc states.
 */
class JdwpMemGuardTest {

    private static final Path FIXTURE_SOURCE = Path.of("src/test/java/fixture/jdwp/JdwpFixture.java");
    private static final String CONFIG = JdwpFixture.Config.class.getName();

    /** The JNI library, or null with the reason in {@link #noJni}. */
    private static Path jniLibrary;
    private static String noJni = "";

    @TempDir
    static Path dir;

    @BeforeAll
    static void buildTheJniLibrary() throws Exception {
        NativeLibraryBuilder.Built built = NativeLibraryBuilder.build(dir);
        jniLibrary = built.library();
        noJni = built.whyNot();
        if (!built.available()) {
            System.err.println("JdwpMemGuardTest: JNI cases skipped: " + noJni);
        }
    }

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

    private static QuasiSpec spec(String fields) throws Exception {
        return SpecParser.parse("test.spec", "quasi-spec 1\nquasi-invariant " + fields + "\n");
    }

    /** A write as "how field old->new @line of the innermost frame of the fixture". */
    private static List<String> summary(MemGuardLog log) {
        List<String> seen = new ArrayList<>();
        for (UnguardedWrite w : log.writes()) {
            assertThat(w.mechanism()).isEqualTo(Mechanism.JDWP_WATCH);
            int line = w.stack().stream().filter(f -> f.getClassName().equals(JdwpFixture.class.getName()))
                    .findFirst().orElseThrow().getLineNumber();
            seen.add(w.how() + " " + w.field() + " " + w.oldValue() + "->" + w.newValue() + " @" + line);
        }
        return seen;
    }

    @Test
    void bytecodeStoresAreCaughtWithTheirLinesAndUnsafeBasedWritesAreNot() throws Exception {
        MemGuardLog log = new MemGuardLog();
        List<String> problems = new ArrayList<>();
        int status = JdwpMemGuard.command(java(JdwpFixture.class.getName(), "-", "7"))
                .spec(spec(CONFIG + ".{limit, shared}"))
                .problems(problems::add)
                .run(log);

        assertThat(status).as("the program's exit status passes through").isEqualTo(7);
        assertThat(problems).isEmpty();
        Map<String, Integer> lines = markedLines();
        assertThat(summary(log)).containsExactly(
                "putfield limit 0->1 @" + lines.get("putfield"),
                "putfield limit 0->100 @" + lines.get("other putfield"),
                "putstatic shared 0->8 @" + lines.get("putstatic"));
        UnguardedWrite first = log.writes().get(0);
        assertThat(first.owner()).isEqualTo(CONFIG);
        assertThat(first.thread()).isEqualTo("main");
        assertThat(first.object()).matches(java.util.regex.Pattern.quote(CONFIG) + "@[0-9a-f]+");
        assertThat(first.stack().get(0)).hasToString(JdwpFixture.class.getName() + ".main(JdwpFixture.java:"
                + lines.get("putfield") + ")");
        assertThat(log.writes().get(2).object()).isEqualTo("static");
    }

    @Test
    void jniSetFieldIsCaughtInTheNativeMethodThatCalledIt() throws Exception {
        assumeTrue(jniLibrary != null, () -> "JNI case skipped: " + noJni);
        MemGuardLog log = new MemGuardLog();
        int status = JdwpMemGuard.command(java(JdwpFixture.class.getName(), jniLibrary.toString(), "0"))
                .spec(spec(CONFIG + ".{limit, shared}"))
                .run(log);

        assertThat(status).isZero();
        Map<String, Integer> lines = markedLines();
        assertThat(summary(log)).contains(
                "JNI SetIntField limit 6->7 @" + lines.get("JNI SetIntField"),
                "JNI SetStaticIntField shared 8->9 @" + lines.get("JNI SetStaticIntField"));
        UnguardedWrite jni = log.writes().stream().filter(w -> w.how().equals("JNI SetIntField")).findFirst()
                .orElseThrow();
        assertThat(jni.stack().get(0).getClassName()).isEqualTo("fixture.jni.NativeWrites");
        assertThat(jni.stack().get(0).isNativeMethod()).isTrue();
    }

    @Test
    void aSpecFieldThatDoesNotExistIsNamedWithTheNearestNames() throws Exception {
        List<String> problems = new ArrayList<>();
        MemGuardLog log = new MemGuardLog();
        JdwpMemGuard.command(java(JdwpFixture.class.getName(), "-", "0"))
                .spec(spec(CONFIG + ".limitt"))
                .problems(problems::add)
                .run(log);

        assertThat(log.count()).isZero();
        assertThat(problems).singleElement().asString()
                .startsWith("test.spec:2: class " + CONFIG + " has no field 'limitt'")
                .contains("nearest: limit");
    }

    @Test
    void aSpecClassTheProgramNeverLoadsIsReported() throws Exception {
        List<String> problems = new ArrayList<>();
        JdwpMemGuard.command(java(JdwpFixture.class.getName(), "-", "0"))
                .spec(spec(JdwpFixture.class.getName() + "$Confg.limit"))
                .problems(problems::add)
                .run(new MemGuardLog());

        assertThat(problems).singleElement().asString()
                .startsWith("test.spec:2: class fixture.jdwp.JdwpFixture$Confg was never loaded")
                .contains("nearest: " + CONFIG);
    }

    @Test
    void aCommandThatIsNotJavaIsAUsageError() {
        assertThatThrownBy(() -> JdwpMemGuard.command(List.of("python3", "app.py")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with 'java'");
        assertThatThrownBy(() -> JdwpMemGuard.command(List.of("java", "-agentlib:jdwp=transport=dt_socket", "Main")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already loads a JDWP agent");
    }
}
