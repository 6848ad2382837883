package org.quasi.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;

/** Keys of every shape: a field read at dispatch ({@code this.current}), primitive arguments, several at once. */
class EntryKeysTest {

  private static EntryPoint<Cpu.Sender> sender(final EntryPolicy policy) throws Exception {
    return EntryPoint.builder(MethodHandles.lookup(), Cpu.class.getMethod("send", int.class, long.class),
            Cpu.Sender.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(Rule.class, "port")
        .policy(policy).build();
  }

  @Test
  void aFieldKeyAndPrimitiveKeysEachGetTheirVersionAndTheFieldNeedsNoGuard() throws Exception {
    final EntryPoint<Cpu.Sender> entry = sender(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false));
    final Cpu.Sender f = entry.function();
    final Cpu cpu = new Cpu();
    final Rule r5 = new Rule(5);
    final Rule r6 = new Rule(6);
    cpu.current = r5;
    assertThat(f.send(cpu, 5, 9L)).isEqualTo(9);
    assertThat(f.send(cpu, 5, 9L)).isEqualTo(9);
    assertThat(entry.counters().specializations()).isEqualTo(1);
    // A context switch: a plain write, no guard, no invalidation; the dispatcher reads the new value.
    cpu.current = r6;
    assertThat(f.send(cpu, 5, 9L)).isEqualTo(-1);
    assertThat(f.send(cpu, 6, 9L)).isEqualTo(9);
    assertThat(f.send(cpu, 6, 10L)).isEqualTo(10);
    cpu.current = r5;
    assertThat(f.send(cpu, 5, 9L)).isEqualTo(9);
    assertThat(f.send(cpu, 6, 9L)).isEqualTo(-1);
    assertThat(entry.counters().specializations()).isEqualTo(5);
    assertThat(entry.counters().invalidations()).isZero();
    assertThat(entry.counters().specializedCalls()).isEqualTo(entry.counters().calls());
    // The quasi-invariant is guarded as before: a write to r5's port invalidates r5's versions only.
    r5.setPort(6);
    assertThat(entry.counters().invalidations()).isEqualTo(2);
    assertThat(f.send(cpu, 5, 9L)).isEqualTo(-1);
    assertThat(f.send(cpu, 6, 9L)).isEqualTo(9);
    cpu.current = r6;
    assertThat(f.send(cpu, 6, 10L)).isEqualTo(10);
  }

  @Test
  void theSameKeysOnAnotherObjectAreAnotherKey() throws Exception {
    final EntryPoint<Cpu.Sender> entry = sender(EntryPolicy.DEFAULT.withSpecializeAfter(1));
    final Rule r = new Rule(1);
    final Cpu a = new Cpu();
    final Cpu b = new Cpu();
    a.current = r;
    b.current = r;
    assertThat(entry.function().send(a, 1, 2L)).isEqualTo(2);
    assertThat(entry.function().send(b, 1, 2L)).isEqualTo(2);
    assertThat(entry.cachedKeys()).isEqualTo(2);
  }

  @Test
  void aFieldKeyOnANullObjectRunsTheGenericMethod() throws Exception {
    final EntryPoint<Cpu.Sender> entry = sender(EntryPolicy.DEFAULT.withSpecializeAfter(1));
    assertThatThrownBy(() -> entry.function().send(null, 1, 2L)).isInstanceOf(NullPointerException.class);
    assertThat(entry.counters().genericCalls()).isEqualTo(1);
    assertThat(entry.cachedKeys()).isZero();
  }

  @Test
  void aWriteToTheKeyFieldInsideTheVersionIsSeenByItsLaterReads() throws Exception {
    final EntryPoint<Cpu.SwitchEntry> entry = EntryPoint.builder(MethodHandles.lookup(),
            Cpu.class.getMethod("switchAndSend", Rule.class, int.class), Cpu.SwitchEntry.class)
        .keyField(0, "current").quasiInvariant(Rule.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    final Cpu cpu = new Cpu();
    final Rule r1 = new Rule(1);
    final Rule r2 = new Rule(2);
    for (int i = 0; i < 4; i++) {
      cpu.current = r1;
      assertThat(entry.function().send(cpu, r2, 10)).isEqualTo(1012);
      assertThat(cpu.current).isSameAs(r2);
      assertThat(entry.function().send(cpu, r1, 10)).isEqualTo(2011);
    }
    assertThat(entry.counters().specializations()).isEqualTo(2);
    assertThat(entry.counters().declined()).isZero();
  }

  @Test
  void aFieldAndPrimitiveKeyWhoseVersionsKeepBeingInvalidatedBacksOffAndStaysCorrect() throws Exception {
    final EntryPoint<Cpu.Sender> entry = sender(EntryPolicy.DEFAULT.withSpecializeAfter(1).withBackoffAfter(2));
    final Cpu.Sender f = entry.function();
    final Cpu cpu = new Cpu();
    final Rule r = new Rule(0);
    cpu.current = r;
    for (int port = 0; port < 4; port++) {
      assertThat(f.send(cpu, port, 5L)).isEqualTo(5);
      assertThat(f.send(cpu, port + 1, 5L)).isEqualTo(-1);
      r.setPort(port + 1);
    }
    // The key (cpu, port, 5, r) differs per port, but every key on r relies on r.port: each write invalidates them.
    assertThat(entry.counters().invalidations()).isGreaterThanOrEqualTo(4);
    assertThat(f.send(cpu, 4, 5L)).isEqualTo(5);
    final java.util.List<String> reasons = new java.util.ArrayList<>();
    final EntryPoint<Cpu.Sender> single = EntryPoint.builder(MethodHandles.lookup(),
            Cpu.class.getMethod("send", int.class, long.class), Cpu.Sender.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(Rule.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withBackoffAfter(2).withCounting(false))
        .onDecline((key, reason) -> reasons.add(reason)).build();
    for (int round = 0; round < 4; round++) {
      assertThat(single.function().send(cpu, r.port, 6L)).isEqualTo(6);
      r.setPort(r.port); // the same value, still a guarded write: the key's version goes
    }
    assertThat(single.counters().backoffs()).isEqualTo(1);
    assertThat(single.counters().specializations()).isEqualTo(2);
    assertThat(single.function().send(cpu, r.port, 6L)).isEqualTo(6);
    assertThat(reasons).isEmpty();
  }

  @Test
  void aDeclinedKeyIsToldOnceAndRunsTheGenericMethodFromTheInlineCache() throws Exception {
    final java.util.List<String> told = new java.util.ArrayList<>();
    final EntryPoint<Cpu.Sender> entry = EntryPoint.builder(MethodHandles.lookup(),
            Cpu.class.getMethod("send", int.class, long.class), Cpu.Sender.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(Rules.Bare.class, "port")
        .quasiInvariant(Rule.class, "port").policy(EntryPolicy.DEFAULT.withSpecializeAfter(1))
        .onDecline((key, reason) -> told.add(key + ": " + reason)).build();
    final Cpu cpu = new Cpu();
    cpu.current = new Rule(2);
    final Rules.Bare unwoven = new Rules.Bare(2);
    assertThat(entry.function().send(cpu, 2, 1L)).isEqualTo(1); // relies on Rule.port: woven, specialized
    assertThat(entry.counters().specializations()).isEqualTo(1);
    assertThat(told).isEmpty();
    final EntryPoint<Rules.Filter> bare = EntryPoint.builder(MethodHandles.lookup(),
            Rules.class.getMethod("acceptBare", Rules.Bare.class, int.class), Rules.Filter.class)
        .keys(0, 1).quasiInvariant(Rules.Bare.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1)).onDecline((key, reason) -> told.add(reason)).build();
    for (int i = 0; i < 5; i++) {
      assertThat(bare.function().accept(unwoven, 2)).isTrue();
    }
    assertThat(told).hasSize(1);
    assertThat(told.get(0)).contains("was not woven");
    assertThat(bare.counters().genericCalls()).isEqualTo(5);
    assertThat(bare.counters().declined()).isEqualTo(1);
  }

  @Test
  void keysWrittenAsInTheSpecFileMeanTheSameKeys() throws Exception {
    final EntryPoint<Cpu.Sender> entry = EntryPoint.builder(MethodHandles.lookup(),
            EntryMethods.find(Cpu.class, "send", "(IJ)I"), Cpu.Sender.class)
        .key("this.current").key("arg0").key("arg1")
        .quasiInvariant(Rule.class, "port").policy(EntryPolicy.DEFAULT.withSpecializeAfter(1)).build();
    final Cpu cpu = new Cpu();
    cpu.current = new Rule(3);
    assertThat(entry.function().send(cpu, 3, 4L)).isEqualTo(4);
    assertThat(entry.counters().specializations()).isEqualTo(1);
    assertThat(entry.cachedKeys()).isEqualTo(1);
    assertThat(entry.toString()).contains("keys [arg0, arg1, this, this.current]");
  }

  @Test
  void aMisspeltMethodOrKeyIsAClearError() throws Exception {
    assertThatThrownBy(() -> EntryMethods.find(Cpu.class, "sned", "(IJ)I")).isInstanceOf(
        IllegalArgumentException.class).hasMessage("no method sned(IJ)I declared in org.quasi.versions.Cpu; nearest: "
            + "send(IJ)I, switchAndSend(Lorg/quasi/versions/Rule;I)I");
    final EntryPointBuilder<Cpu.Sender> b = EntryPoint.builder(MethodHandles.lookup(),
        Cpu.class.getMethod("send", int.class, long.class), Cpu.Sender.class);
    assertThatThrownBy(() -> b.key("arg2")).hasMessageContaining("takes 2 parameters");
    assertThatThrownBy(() -> b.key("pid")).hasMessageContaining("expected this, this.FIELD, argN or argN.FIELD");
    assertThatThrownBy(() -> b.key("this.curent")).hasMessageContaining("nearest: current");
  }

  @Test
  void badFieldKeysAreClearErrors() throws Exception {
    final EntryPointBuilder<Cpu.Sender> b = EntryPoint.builder(MethodHandles.lookup(),
        Cpu.class.getMethod("send", int.class, long.class), Cpu.Sender.class);
    assertThatThrownBy(() -> b.keyField(0, "curent")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nearest: current");
    assertThatThrownBy(() -> b.keyField(1, "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a int");
    assertThatThrownBy(() -> b.keyField(3, "current")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
  }
}
