package org.quasi.memguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quasi.memguard.internal.Traps;

/** The API of the paper's Figure 1, on fixture objects written by trapped code ({@code memguardfixture.Writers}). */
class MemGuardTest {

  private MemGuardLog log;

  @BeforeEach
  void on() {
    log = new MemGuardLog();
    Traps.useLog(log);
  }

  @AfterEach
  void off() {
    MemGuard.disable();
  }

  /** The example of {@link MemGuard}'s javadoc. */
  @Test
  void figureOne() throws Exception {
    final Object config = AgentTrapsTest.newConfig();
    final int[] table = new int[8];
    MemGuard.enable();
    MemGuard.protect(config, "limit");
    MemGuard.protect(config.getClass(), "defaultLimit");
    MemGuard.protect(table, 3);
    try {
      AgentTrapsTest.invoke("plain", config, 1);
      AgentTrapsTest.invoke("plainStatic", 2);
      AgentTrapsTest.invoke("arrayElementVarHandle", table, 3, 4);
      MemGuard.write(MethodHandles.privateLookupIn(config.getClass(), MethodHandles.lookup()), config, "limit", 20);
      MemGuard.write(table, 3, 5);
    } finally {
      MemGuard.release(config.getClass(), "defaultLimit");
    }

    assertThat(MemGuard.log()).isSameAs(log);
    assertThat(log.writes()).extracting(UnguardedWrite::how)
        .containsExactly("putfield", "putstatic", "VarHandle.setVolatile");
    assertThat(config.getClass().getField("limit").get(config)).isEqualTo(20);
    assertThat(table[3]).isEqualTo(5);
  }

  @Test
  void protectionsCount() throws Exception {
    final Object config = AgentTrapsTest.newConfig();
    MemGuard.protect(config, "limit");
    MemGuard.protect(config, "limit");
    assertThat(MemGuard.release(config, "limit")).isTrue();
    assertThat(MemGuard.isProtected(config, "limit")).isTrue();
    assertThat(MemGuard.release(config, "limit")).isTrue();
    assertThat(MemGuard.isProtected(config, "limit")).isFalse();
    assertThat(MemGuard.release(config, "limit")).isFalse();
  }

  @Test
  void everyInstanceProtectionCoversObjectsMadeLater() throws Exception {
    final Class<?> type = AgentTrapsTest.newConfig().getClass();
    MemGuard.enable();
    MemGuard.protectEveryInstance(type, "limit");
    try {
      final Object later = AgentTrapsTest.newConfig();
      AgentTrapsTest.invoke("plain", later, 3);
    } finally {
      MemGuard.releaseEveryInstance(type, "limit");
    }
    assertThat(log.writes()).extracting(UnguardedWrite::newValue).containsExactly("3");
  }

  @Test
  void aSpecEntryNamingASubclassProtectsTheInheritedField() throws Exception {
    final Object config = AgentTrapsTest.newConfig();
    MemGuard.enable();
    MemGuard.protectSpecEntry("memguardfixture.Config", "limit");
    try {
      AgentTrapsTest.invoke("reflection", config, 4);
    } finally {
      assertThat(MemGuard.releaseSpecEntry("memguardfixture.Config", "limit")).isTrue();
    }
    AgentTrapsTest.invoke("reflection", config, 5);
    assertThat(log.writes()).extracting(UnguardedWrite::how).containsExactly("Field.setInt");
  }

  @Test
  void badNamesSayWhatExists() throws Exception {
    final Object config = AgentTrapsTest.newConfig();
    assertThatThrownBy(() -> MemGuard.protect(config, "limt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no instance field 'limt' in memguardfixture.Config")
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> MemGuard.protect(config.getClass(), "limit"))
        .hasMessageContaining("no static field 'limit'").hasMessageContaining("defaultLimit");
    assertThatThrownBy(() -> MemGuard.protect(new int[2], 2))
        .hasMessage("index 2 is out of the bounds of a int[2]");
    assertThatThrownBy(() -> MemGuard.protect(new int[2], "length"))
        .hasMessageContaining("protect an element with protect(array, index)");
    assertThatThrownBy(() -> MemGuard.write(MethodHandles.lookup(), config, "hidden", 1))
        .as("the sanctioned write grants no access beyond the caller's lookup")
        .isInstanceOf(IllegalAccessException.class);
  }
}
