package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quasi.runtime.GuardedLocation;
import org.quasi.runtime.Guards;

/** {@code Field.set*} sites are bracketed by the runtime's ReflectiveWrites; what cannot be rewritten is listed. */
class ReflectiveWritesTest {

  private static WeavingClassLoader woven(final boolean strict) {
    return Fixtures.woven(Set.of("org/quasi/agent/fixtures/Rule.budget"), WeaveOptions.defaults().withStrict(strict));
  }

  @Test
  void aReflectiveWriteToARelyUponFieldInvalidatesItsDependents() throws Exception {
    for (final boolean strict : new boolean[] {false, true}) {
      final WeavingClassLoader woven = woven(strict);
      final Class<?> rule = woven.loadClass(Fixtures.PKG + "Rule");
      final Class<?> reflect = woven.loadClass(Fixtures.PKG + "Reflect");
      final Object r = rule.getConstructor(int.class).newInstance(80);
      final Fixtures.Recorder onPort = new Fixtures.Recorder();
      final Fixtures.Recorder onBudget = new Fixtures.Recorder();
      Guards.register(onPort, r, rule, "port");
      Guards.register(onBudget, r, rule, "budget");

      reflect.getMethod("setPort", rule, int.class).invoke(null, r, 81);
      assertThat(onPort.causes()).containsExactly(new GuardedLocation(r, rule, "port"));
      assertThat(onBudget.isValid()).isTrue();
      reflect.getMethod("setBudget", rule, Object.class).invoke(null, r, 9L);
      assertThat(onBudget.isValid()).isFalse();
      assertThat(rule.getField("port").getInt(r)).isEqualTo(81);
      assertThat(rule.getField("budget").getLong(r)).isEqualTo(9L);
      assertThat(Guards.register(new Fixtures.Recorder(), r, rule, "port").unchanged())
          .as("the write ended").isTrue();
    }
  }

  @Test
  void aReflectiveStaticWriteInvalidatesWhenItsFlagIsArmed() throws Exception {
    final WeavingClassLoader woven = woven(false);
    final Class<?> rule = woven.loadClass(Fixtures.PKG + "Rule");
    final Class<?> reflect = woven.loadClass(Fixtures.PKG + "Reflect");
    final Fixtures.Recorder onLimit = new Fixtures.Recorder();
    Guards.register(onLimit, null, rule, "limit");
    reflect.getMethod("setLimit", int.class).invoke(null, 12);
    assertThat(onLimit.causes()).containsExactly(new GuardedLocation(null, rule, "limit"));
    assertThat(rule.getField("limit").getInt(null)).isEqualTo(12);
  }

  @Test
  void failingCallsFailAsTheOriginalsAndEndTheWrite() throws Exception {
    final WeavingClassLoader original = Fixtures.original();
    final WeavingClassLoader woven = woven(false);
    final Class<?> rule = woven.loadClass(Fixtures.PKG + "Rule");
    final Object r = rule.getConstructor(int.class).newInstance(80);
    Guards.register(new Fixtures.Recorder(), r, rule, "port");
    final Object s = woven.loadClass(Fixtures.PKG + "Secret").getConstructor().newInstance();
    final Class<?> reflect = woven.loadClass(Fixtures.PKG + "Reflect");
    final Class<?> plainReflect = original.loadClass(Fixtures.PKG + "Reflect");
    final Object plainRule = original.loadClass(Fixtures.PKG + "Rule").getConstructor(int.class).newInstance(80);
    final Object plainSecret = original.loadClass(Fixtures.PKG + "Secret").getConstructor().newInstance();

    assertThat(reflect.getMethod("setPortWrongly", Object.class).invoke(null, r))
        .isEqualTo(plainReflect.getMethod("setPortWrongly", Object.class).invoke(null, plainRule))
        .isEqualTo("IllegalArgumentException");
    assertThat(reflect.getMethod("setPortWrongly", Object.class).invoke(null, "not a rule"))
        .isEqualTo("IllegalArgumentException");
    assertThat(reflect.getMethod("setPrivately", s.getClass()).invoke(null, s))
        .isEqualTo(plainReflect.getMethod("setPrivately", plainSecret.getClass()).invoke(null, plainSecret))
        .isEqualTo("IllegalAccessException");
    assertThat(Guards.register(new Fixtures.Recorder(), r, rule, "port").unchanged())
        .as("the failed write was ended").isTrue();
  }

  @Test
  void handlesMadeInWovenCodeAreRememberedAndTheirWritesInvalidate() throws Throwable {
    for (final boolean strict : new boolean[] {false, true}) {
      final WeavingClassLoader woven = woven(strict);
      final Class<?> rule = woven.loadClass(Fixtures.PKG + "Rule");
      final Class<?> reflect = woven.loadClass(Fixtures.PKG + "Reflect");
      final Object r = rule.getConstructor(int.class).newInstance(80);
      for (final String method : new String[] {"setPortByHandle", "setPortBySetter", "setPortUnsafely",
          "setByArguments"}) {
        final Fixtures.Recorder onPort = new Fixtures.Recorder();
        Guards.register(onPort, r, rule, "port");
        reflect.getMethod(method, rule, int.class).invoke(null, r, 90);
        assertThat(onPort.causes()).as(method).containsExactly(new GuardedLocation(r, rule, "port"));
      }
      final Fixtures.Recorder onPort = new Fixtures.Recorder();
      Guards.register(onPort, r, rule, "port");
      assertThat(reflect.getMethod("casPort", rule, int.class, int.class).invoke(null, r, 90, 91)).isEqualTo(true);
      assertThat(onPort.isValid()).isFalse();
      assertThat(rule.getField("port").getInt(r)).isEqualTo(91);
      final Fixtures.Recorder onLimit = new Fixtures.Recorder();
      Guards.register(onLimit, null, rule, "limit");
      reflect.getMethod("setLimitBySetter", int.class).invoke(null, 40);
      assertThat(onLimit.isValid()).isFalse();
      assertThat(rule.getField("limit").getInt(null)).isEqualTo(40);
      assertThat(Guards.register(new Fixtures.Recorder(), r, rule, "port").unchanged()).isTrue();
    }
  }

  @Test
  void aHandleNoWovenCodeMadeIsNotRecognized() throws Exception {
    final WeavingClassLoader woven = woven(false);
    final Class<?> rule = woven.loadClass(Fixtures.PKG + "Rule");
    final Class<?> reflect = woven.loadClass(Fixtures.PKG + "Reflect");
    final Object r = rule.getConstructor(int.class).newInstance(80);
    final java.lang.invoke.VarHandle made = java.lang.invoke.MethodHandles.lookup()
        .findVarHandle(rule, "port", int.class);
    final Fixtures.Recorder onPort = new Fixtures.Recorder();
    Guards.register(onPort, r, rule, "port");
    reflect.getMethod("setByGivenHandle", java.lang.invoke.VarHandle.class, rule, int.class).invoke(null, made, r, 5);
    assertThat(rule.getField("port").getInt(r)).isEqualTo(5);
    assertThat(onPort.isValid()).as("HandleWrites' @implNote: bypasses the guard").isTrue();
  }

  @Test
  void sitesThatCannotBeRewrittenAreListed() throws Exception {
    final WeavingClassLoader woven = woven(false);
    woven.loadClass(Fixtures.PKG + "Reflect");
    final Weaver.Result r = Fixtures.resultOf(woven, "Reflect");
    // Field.set x5, VarHandle.set x2 and compareAndSet, invokeExact x2, invokeWithArguments, Unsafe.putInt.
    assertThat(r.reroutedCalls()).isEqualTo(12);
    assertThat(r.unrewritableSites()).hasSize(2);
    assertThat(r.unrewritableSites()).anySatisfy(s -> assertThat(s).startsWith(
        "org.quasi.agent.fixtures.Reflect.setByList(Ljava/lang/invoke/MethodHandle;"
            + "Lorg/quasi/agent/fixtures/Rule;I)V insn ").contains("(line ")
        .endsWith(": MethodHandle.invokeWithArguments(Ljava/util/List;)Ljava/lang/Object; (may invoke a setter)"));
    assertThat(r.unrewritableSites())
        .contains("org.quasi.agent.fixtures.Reflect.fromC()V: native method (JNI can write any field)");
  }
}
