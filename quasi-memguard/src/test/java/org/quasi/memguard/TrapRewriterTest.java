package org.quasi.memguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quasi.agent.ClassBytes;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.Weaver;
import org.quasi.memguard.internal.TrapRewriter;

/** What the rewriter traps and what it leaves alone, counted on the fixture's class files. */
class TrapRewriterTest {

  private static byte[] bytes(final String name) throws IOException {
    try (InputStream in = TrapRewriterTest.class.getClassLoader()
        .getResourceAsStream(name.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Test
  void writesWovenWithAGuardAreNotTrapped() throws IOException {
    final GuardSpec spec = new GuardSpec(Set.of("memguardfixture/Config.limit"));
    final Weaver weaver = new Weaver(spec, ClassBytes.of(TrapRewriterTest.class.getClassLoader()));
    final Weaver.Result woven = weaver.weave(bytes("memguardfixture.Writers"));
    assertThat(woven.guardedWrites()).as("plain() writes limit").isEqualTo(1);

    final TrapRewriter rewriter = new TrapRewriter(Set.of("limit", "defaultLimit"));
    final int unwoven = rewriter.rewrite(bytes("memguardfixture.Writers")).sites();
    final int afterWeaving = rewriter.rewrite(woven.bytes()).sites();

    // Left to the agent's guard: the woven putfield (both its paths count as one site). The write calls it
    // bracketed stay trapped, marked, because the bracket is a guarded write only for a declared field or an object
    // with a QUID, which only the run can tell (MemguardCommandTest and MemguardCommandJdwpTest show both answers).
    assertThat(afterWeaving).as("what the agent guarded is left to the guard").isEqualTo(unwoven - 1);
  }

  @Test
  void aSpecFilterTrapsOnlyItsFieldNamesAmongStores() throws IOException {
    final int all = new TrapRewriter(null).rewrite(bytes("memguardfixture.Writers")).sites();
    final int limitOnly = new TrapRewriter(Set.of("limit")).rewrite(bytes("memguardfixture.Writers")).sites();
    assertThat(all - limitOnly).as("putstatic defaultLimit and the four array stores are left out").isEqualTo(5);
  }

  @Test
  void constructorsKeepTheStoresThatBuildTheirObject() throws IOException {
    // Config(): its stores into its own fields (limit, name, the final fixed) build the object and are not
    // trapped; <clinit>'s putstatic defaultLimit is.
    final TrapRewriter.Result r = new TrapRewriter(null).rewrite(bytes("memguardfixture.Config"));
    assertThat(r.sites()).isEqualTo(1);
    assertThat(r.skipped()).isNull();
  }

  @Test
  void rewritingIsIdempotent() throws IOException {
    final TrapRewriter rewriter = new TrapRewriter(null);
    final TrapRewriter.Result once = rewriter.rewrite(bytes("memguardfixture.Writers"));
    assertThat(rewriter.rewrite(once.bytes()).bytes()).isNull();
  }
}
