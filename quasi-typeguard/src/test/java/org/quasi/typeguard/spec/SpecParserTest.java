package org.quasi.typeguard.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecParserTest {

  @Test
  void readsTheDocumentedExample() throws SpecException {
    final QuasiSpec spec = SpecParser.parse("task.spec", """
        # comments and blank lines anywhere

        quasi-spec 1
        # the credentials of a task change only through setuid()
        quasi-invariant com.example.Task.uid
        quasi-invariant com.example.Task.{euid, gid}   # two at once
        quasi-invariant com.example.Outer$Inner.table
        """);
    assertThat(spec.version()).isEqualTo(1);
    assertThat(spec.quasiInvariants()).extracting(e -> e.qualifiedName() + "@" + e.line()).containsExactly(
        "com.example.Task.uid@5", "com.example.Task.euid@6", "com.example.Task.gid@6",
        "com.example.Outer$Inner.table@7");
    assertThat(spec.quasiInvariants().get(0).file()).isEqualTo("task.spec");
  }

  @Test
  void readsAFile(@TempDir final Path dir) throws Exception {
    final Path file = dir.resolve("a.spec");
    Files.writeString(file, "quasi-spec 1\r\nquasi-invariant a.B.c\r\n");
    assertThat(SpecParser.parse(file).quasiInvariants()).extracting(SpecEntry::qualifiedName).containsExactly("a.B.c");
  }

  @Test
  void errorsSayFileLineAndWhatWasExpected() {
    assertError("", "f.spec:1: expected the header 'quasi-spec 2' (or 'quasi-spec 1')");
    assertError("quasi-invariant a.B.c\n",
        "f.spec:1: expected the header 'quasi-spec 2' (or 'quasi-spec 1') as the first line");
    assertError("quasi-spec two\n", "f.spec:1: expected a version number after 'quasi-spec', found 'two'");
    assertError("quasi-spec 3\n", "f.spec:1: expected version 1 or 2 (the versions this tool reads), found 3");
    assertError("quasi-spec 1\n\nquasi-invariant\n", "f.spec:3: expected OWNER.FIELD after 'quasi-invariant'");
    assertError("quasi-spec 1\nguard a.B.c\n",
        "f.spec:2: expected 'quasi-invariant OWNER.FIELD', a comment '#' or a blank line, found 'guard'");
    assertError("quasi-spec 1\nquasi-invariant uid\n",
        "f.spec:2: expected OWNER.FIELD such as com.x.Task.uid, found 'uid'");
    assertError("quasi-spec 1\nquasi-invariant a.B.{}\n",
        "f.spec:2: expected at least one field name between '{' and '}'");
    assertError("quasi-spec 1\nquasi-invariant a.B.{x, 1y}\n",
        "f.spec:2: expected a field name (a Java identifier), found '1y'");
    assertError("quasi-spec 1\nquasi-invariant a..B.c\n",
        "f.spec:2: expected a binary class name such as com.x.Task, found 'a..B'");
    assertError("quasi-spec 1\nquasi-invariant a.B{x}\n",
        "f.spec:2: expected OWNER.{FIELD, FIELD} such as com.x.Task.{uid, euid}, found 'a.B{x}'");
  }

  private static void assertError(final String text, final String message) {
    assertThatThrownBy(() -> SpecParser.parse("f.spec", text)).isInstanceOf(SpecException.class)
        .hasMessage(message);
  }
}
