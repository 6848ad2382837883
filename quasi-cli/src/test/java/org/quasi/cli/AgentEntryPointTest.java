package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec file's {@code entry} line through {@code java -javaagent:quasi-agent.jar=SPEC,report}, on a program that
 * knows nothing of Quasi, in a child JVM: the entry method dispatches to versions specialized per (sender read from
 * {@code this.current}, pid, sig), a guarded write replugs, and every printed result equals the unwoven run's.
 * Recursion through an entry, and a subclass overriding it and calling {@code super}, behave as before.
 */
class AgentEntryPointTest {

  private static final Path AGENT = Path.of("..", "quasi-agent", "target", "quasi-agent.jar").toAbsolutePath()
      .normalize();

  private static final String KERNEL = """
      package demo;
      public class Kernel {
        public Task head;
        public Task current;
        public int kill(int pid, int sig) {
          for (Task t = head; t != null; t = t.next) {
            if (t.pid == pid) {
              return current.uid == 0 || current.uid == t.uid ? sig : -1;
            }
          }
          return -3;
        }
        public int depth(int n) {
          return n == 0 ? current.uid : depth(n - 1) + 1;
        }
      }
      """;

  private static final String PROGRAM = """
      package demo;
      public class Main {
        public static void main(String[] args) {
          Task c = new Task(3, 100, null);
          Task b = new Task(2, 100, c);
          Task a = new Task(1, 0, b);
          Kernel k = new Kernel();
          k.head = a;
          Kernel s = new Sub();
          s.head = a;
          StringBuilder out = new StringBuilder();
          for (int round = 0; round < 200; round++) {
            k.current = round % 2 == 0 ? a : b;           // a context switch: a plain write of a key field
            s.current = k.current;
            out.append(k.kill(3, 10)).append(' ').append(k.kill(2, 0)).append(' ').append(k.kill(9, 10))
                .append(' ').append(s.kill(3, 10)).append(' ').append(k.depth(round % 5)).append('\\n');
            if (round == 100) {
              c.uid = 7;                                  // a guarded write: c's versions are replugged
            }
          }
          System.out.print(out);
          System.out.println("done");
        }
      }
      """;

  @Test
  void specEntryPointsSpecializeGuardAndBehaveAsTheUnwovenProgram(@TempDir final Path dir) throws Exception {
    assertThat(AGENT).as("the agent jar built by quasi-agent's package phase").exists();
    final Path src = dir.resolve("src/demo");
    Files.createDirectories(src);
    Files.writeString(src.resolve("Task.java"), """
        package demo;
        public class Task {
          public int pid;
          public int uid;
          public Task next;
          public Task(int pid, int uid, Task next) { this.pid = pid; this.uid = uid; this.next = next; }
        }
        """);
    Files.writeString(src.resolve("Kernel.java"), KERNEL);
    Files.writeString(src.resolve("Sub.java"), """
        package demo;
        public class Sub extends Kernel {
          @Override public int kill(int pid, int sig) { return super.kill(pid, sig) + 1000; }
        }
        """);
    Files.writeString(src.resolve("Main.java"), PROGRAM);
    final Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    final List<String> javacArgs = new ArrayList<>(List.of("-d", classes.toString()));
    for (final String f : List.of("Task", "Kernel", "Sub", "Main")) {
      javacArgs.add(src.resolve(f + ".java").toString());
    }
    assertThat(javac.run(null, null, null, javacArgs.toArray(String[]::new))).isZero();
    final Path spec = Files.writeString(dir.resolve("kernel.spec"), """
        quasi-spec 2
        quasi-invariant demo.Task.{pid, uid, next}
        quasi-invariant demo.Kernel.head
        entry demo.Kernel.kill(II)I keys this.current, arg0, arg1 after 1
        entry demo.Kernel.depth(I)I keys this.current after 1 replugger simple
        """);

    final String plain = run(List.of("-cp", classes.toString(), "demo.Main"));
    final String woven = run(List.of("-javaagent:" + AGENT + "=" + spec + ",report", "-cp", classes.toString(),
        "demo.Main"));
    assertThat(plain).endsWith("done\n");
    assertThat(plain).contains("10 0 -3 1010 ");
    final String[] report = woven.split("done\n", 2);
    assertThat(report[0] + "done\n").isEqualTo(plain);
    assertThat(report).hasSize(2);
    final String kill = line(report[1], "kernel.spec:4");
    assertThat(kill).contains("keys [arg0, arg1, this, this.current]", "calls=800,");
    assertThat(count(kill, "specializations")).isPositive();
    assertThat(count(kill, "specializedCalls")).isGreaterThan(count(kill, "genericCalls"));
    assertThat(count(kill, "invalidations")).as(kill).isPositive();
    assertThat(count(kill, "declined")).as(kill).isZero();
    final String depth = line(report[1], "kernel.spec:5");
    assertThat(count(depth, "specializations")).as(depth).isPositive();
  }

  @Test
  void anEntryLineNamingNoMethodIsReportedWithTheNearestNames(@TempDir final Path dir) throws Exception {
    final Path src = dir.resolve("src/demo");
    Files.createDirectories(src);
    Files.writeString(src.resolve("Task.java"), """
        package demo;
        public class Task { public int uid; public int kill(int sig) { return sig + uid; }
          public static void main(String[] a) { System.out.println(new Task().kill(4)); } }
        """);
    final Path classes = dir.resolve("classes");
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        src.resolve("Task.java").toString())).isZero();
    final Path spec = Files.writeString(dir.resolve("k.spec"), "quasi-spec 2\nentry demo.Task.kil(I)I keys arg0\n");
    final String out = run(List.of("-javaagent:" + AGENT + "=" + spec, "-cp", classes.toString(), "demo.Task"));
    assertThat(out).contains("quasi-agent: entry " + spec + ":2 demo.Task.kil(I)I: no such method; nearest: kill(I)I",
        "the method runs as written").endsWith("4\n");
  }

  private static String line(final String text, final String where) {
    return text.lines().filter(l -> l.contains(where)).findFirst().orElseThrow(() -> new AssertionError(
        "no report line for " + where + " in:\n" + text));
  }

  private static long count(final String line, final String name) {
    final int i = line.indexOf(name + "=");
    final int end = line.indexOf(',', i) < 0 ? line.indexOf(']', i) : Math.min(line.indexOf(',', i),
        line.indexOf(']', i) < 0 ? Integer.MAX_VALUE : line.indexOf(']', i));
    return Long.parseLong(line.substring(i + name.length() + 1, end));
  }

  private static String run(final List<String> args) throws Exception {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
