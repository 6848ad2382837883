package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -javaagent:quasi-agent.jar=SPEC} on a program compiled for the test, in a child JVM: the class named in
 * the spec is woven at load time and its guarded write invalidates a dependent. Uses the agent jar the reactor built
 * in quasi-agent/target (this module is built after it).
 */
class AgentEndToEndTest {

  private static final Path AGENT = Path.of("..", "quasi-agent", "target", "quasi-agent.jar").toAbsolutePath()
      .normalize();

  @Test
  void theAgentWeavesAtLoadTimeAndTheGuardFires(@TempDir final Path dir) throws Exception {
    assertThat(AGENT).as("the agent jar built by quasi-agent's package phase").exists();
    final Path src = dir.resolve("src/demo");
    Files.createDirectories(src);
    Files.writeString(src.resolve("Task.java"), """
        package demo;
        public class Task {
          public int uid;
          public Task(int u) { this.uid = u; }
          public void setuid(int u) { uid = u; }
        }
        """);
    Files.writeString(src.resolve("Main.java"), """
        package demo;
        import org.quasi.runtime.*;
        public class Main {
          public static void main(String[] args) {
            Task t = new Task(7);
            final boolean[] valid = {true};
            Guards.register(new Dependent() {
              public void invalidate(GuardedLocation c) { valid[0] = false; System.out.println("guard: " + c.field()); }
              public boolean isValid() { return valid[0]; }
            }, t, Task.class, "uid");
            t.setuid(0);
            System.out.println("holder=" + (t instanceof QuidHolder) + " uid=" + t.uid + " valid=" + valid[0]);
          }
        }
        """);
    final Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, "-cp", AGENT.toString(), "-d", classes.toString(),
        src.resolve("Task.java").toString(), src.resolve("Main.java").toString())).isZero();
    final Path spec = Files.writeString(dir.resolve("task.spec"), "quasi-spec 1\nquasi-invariant demo.Task.uid\n");

    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (final String option : List.of("", "strict,")) {
      final Process p = new ProcessBuilder(List.of(java, "-javaagent:" + AGENT + "=" + option + spec, "-cp",
          classes.toString(), "demo.Main")).redirectErrorStream(true).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).as(option).contains("guard: uid", "holder=true uid=0 valid=false");
    }
  }

  @Test
  void aMalformedSpecStopsTheJvmWithItsLine(@TempDir final Path dir) throws IOException, InterruptedException {
    final Path spec = Files.writeString(dir.resolve("bad.spec"), "quasi-spec 1\nguard demo.Task.uid\n");
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final Process p = new ProcessBuilder(List.of(java, "-javaagent:" + AGENT + "=" + spec, "-version"))
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isNotZero();
    assertThat(out).contains(spec + ":2: expected 'quasi-invariant OWNER.FIELD'");
  }
}
