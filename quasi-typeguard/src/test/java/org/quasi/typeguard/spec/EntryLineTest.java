package org.quasi.typeguard.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Format 2's {@code entry} lines: the signals case's line, every option, and an error per mistake. */
class EntryLineTest {

  private static final String SIGNALS = "entry org.quasi.cases.signals.Kernel.sysKill(II)I keys this.current, arg0, "
      + "arg1";

  @Test
  void theSignalsEntryParses() throws Exception {
    final QuasiSpec spec = SpecParser.parse("s.spec", "quasi-spec 2\nquasi-invariant a.B.c\n" + SIGNALS
        + "   # the kill path\n");
    assertThat(spec.version()).isEqualTo(2);
    assertThat(spec.quasiInvariants()).hasSize(1);
    final SpecEntryPoint e = spec.entryPoints().get(0);
    assertThat(e.owner()).isEqualTo("org.quasi.cases.signals.Kernel");
    assertThat(e.name()).isEqualTo("sysKill");
    assertThat(e.descriptor()).isEqualTo("(II)I");
    assertThat(e.keys()).containsExactly("this.current", "arg0", "arg1");
    assertThat(e.after()).isZero();
    assertThat(e.replugger()).isNull();
    assertThat(e.where()).isEqualTo("s.spec:3");
    assertThat(e.method()).isEqualTo("org.quasi.cases.signals.Kernel.sysKill(II)I");
  }

  @Test
  void optionsInAnyOrder() throws Exception {
    final SpecEntryPoint e = SpecParser.parse("s.spec", "quasi-spec 2\nentry a.B.m(Ljava/lang/String;[J)V keys "
        + "arg1,arg0.x replugger simple backoff 3 after 5 versions 4\n").entryPoints().get(0);
    assertThat(e.keys()).containsExactly("arg1", "arg0.x");
    assertThat(List.of(e.after(), e.versions(), e.backoff())).containsExactly(5, 4, 3);
    assertThat(e.replugger()).isEqualTo("simple");
    assertThat(e.background()).isFalse();
  }

  @Test
  void backgroundIsAWordOfItsOwnAnywhereAmongTheOptions() throws Exception {
    final SpecEntryPoint e = SpecParser.parse("s.spec", "quasi-spec 2\n" + SIGNALS + " background replugger simple\n")
        .entryPoints().get(0);
    assertThat(e.keys()).containsExactly("this.current", "arg0", "arg1");
    assertThat(e.background()).isTrue();
    assertThat(e.replugger()).isEqualTo("simple");
    assertThat(SpecParser.parse("s.spec", "quasi-spec 2\nentry a.B.m(I)I keys arg0 after 3 background\n")
        .entryPoints().get(0).background()).isTrue();
  }

  @Test
  void versionOneFilesStillParseAndHaveNoEntries() throws Exception {
    assertThat(SpecParser.parse("s.spec", "quasi-spec 1\nquasi-invariant a.B.c\n").entryPoints()).isEmpty();
  }

  @Test
  void errorsSayFileLineAndWhatWasExpected() {
    assertError("quasi-spec 1\n" + SIGNALS, "f.spec:2: 'entry' lines need the header 'quasi-spec 2' (this file says "
        + "'quasi-spec 1')");
    assertError("quasi-spec 2\nentry\n", "f.spec:2: expected 'entry OWNER.NAME(DESCRIPTOR) keys KEY, KEY... "
        + "[after N] [versions N] [backoff N] [replugger counting|simple] [background]'");
    assertError("quasi-spec 2\nentry a.B.m keys this\n", "f.spec:2: expected the method as OWNER.NAME(DESCRIPTOR) "
        + "such as com.x.Kernel.sysKill(II)I, found 'a.B.m'");
    assertError("quasi-spec 2\nentry m(I)I keys this\n",
        "f.spec:2: expected OWNER.NAME before the descriptor, such as com.x.Kernel.sysKill, found 'm'");
    assertError("quasi-spec 2\nentry a.B.m(Q)I keys arg0\n", "f.spec:2: expected a type letter (B C D F I J S Z), "
        + "L...; or [ in the descriptor '(Q)I', found 'Q'");
    assertError("quasi-spec 2\nentry a.B.m(I) keys arg0\n",
        "f.spec:2: expected a return type (V, a primitive letter, L...; or [...) after ')' in '(I)'");
    assertError("quasi-spec 2\nentry a.B.m(I)I arg0\n", "f.spec:2: expected 'keys' after the method, found 'arg0'");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys\n",
        "f.spec:2: expected at least one key after 'keys': this, this.FIELD, argN or argN.FIELD");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys arg1\n",
        "f.spec:2: the method takes 1 parameter (arg0 to arg0), found 'arg1'");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys pid\n", "f.spec:2: expected a key: this, this.FIELD, argN or "
        + "argN.FIELD (N from 0, the declared parameters), found 'pid'");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys this.1x\n",
        "f.spec:2: expected a field name (a Java identifier) after 'this.', found '1x'");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys arg0, arg0\n", "f.spec:2: the key 'arg0' is given twice");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys arg0 after 0\n",
        "f.spec:2: expected a whole number of at least 1 after 'after', found '0'");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys arg0 after 2 after 3\n",
        "f.spec:2: the option 'after' is given twice");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys arg0 replugger fast\n",
        "f.spec:2: expected 'counting' or 'simple' after 'replugger', found 'fast'");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys arg0 versions\n", "f.spec:2: expected a value after 'versions'");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys arg0 background background\n",
        "f.spec:2: the option 'background' is given twice");
    assertError("quasi-spec 2\nentry a.B.m(I)I keys arg0 background soon\n", "f.spec:2: expected an option (after, "
        + "versions, backoff, replugger, background) or the end of the line, found 'soon'");
    assertError("quasi-spec 2\nguard a.B.c\n", "f.spec:2: expected 'quasi-invariant OWNER.FIELD', 'entry "
        + "OWNER.NAME(DESCRIPTOR) keys ...', a comment '#' or a blank line, found 'guard'");
  }

  private static void assertError(final String text, final String message) {
    assertThatThrownBy(() -> SpecParser.parse("f.spec", text)).isInstanceOf(SpecException.class)
        .hasMessage(message);
  }
}
