package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.Budgets;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.JdkPolicy;

/**
 * A request whose heap replays an earlier one's trace is specialized from that one's template — no evaluation, the
 * same code, its own objects and dependencies — and one whose heap differs in any value, class or identity the
 * evaluation drew on is evaluated afresh. Each case is checked against a specialization that keeps no template (no
 * interface: the residual code only), and against the method itself.
 */
class SpecializationTemplateTest {

  /** A process: all three fields are quasi-invariant. */
  public static class Node {
    public int pid;
    public int uid;
    public Node next;

    Node(final int pid, final int uid, final Node next) {
      this.pid = pid;
      this.uid = uid;
      this.next = next;
    }
  }

  /** A node of another class: the same fields, another class for the evaluator to see. */
  public static final class OtherNode extends Node {
    OtherNode(final int pid, final int uid, final Node next) {
      super(pid, uid, next);
    }
  }

  /** A process table: {@code head} and {@code tail} are quasi-invariant; {@code boxed} only for the opaque case. */
  public static final class Table {
    public Node head;
    public Node tail;
    public Integer boxed;
    public int lookups;
  }

  /** The uid of process {@code pid}, negated if it is the table's tail; -1 if none. */
  public static int find(final Table t, final int pid) {
    for (Node n = t.head; n != null; n = n.next) {
      if (n.pid == pid) {
        return n == t.tail ? -n.uid : n.uid;
      }
    }
    return -1;
  }

  /** As {@link #find}, and counts the lookup in the table's {@code lookups} (a field nobody relies on). */
  public static int findCounted(final Table t, final int pid) {
    t.lookups++;
    return find(t, pid);
  }

  /** As {@link #find}, with the boxed field's text folded into a string concatenation. */
  public static int findLabelled(final Table t, final int pid) {
    return find(t, pid) + ("#" + t.boxed).length();
  }

  @Test
  void anIsomorphicHeapIsSpecializedFromTheTemplate() throws Exception {
    final Table first = table(new int[] {11, 12, 13}, new int[] {501, 502, 503});
    final Table second = table(new int[] {11, 12, 13}, new int[] {501, 502, 503});
    final Engine.Result a = specialize("find", first, 13);
    final long before = SpecializationTemplate.instantiations();
    final Engine.Result b = specialize("find", second, 13);

    assertThat(SpecializationTemplate.instantiations()).as("made from the template").isEqualTo(before + 1);
    assertThat(b.classFile()).as("the template's code").isSameAs(a.classFile());
    final Engine.Result fresh = specializeWithoutTemplate("find", second, 13);
    assertThat(b.dependencies()).as("the new objects' dependencies, as evaluation finds them")
        .containsExactlyElementsOf(fresh.dependencies());
    assertThat(b.dependencies()).extracting(Dependency::object)
        .contains(second, second.head, second.head.next, second.tail).doesNotContain(first, first.head);
    assertThat(identities(b.classData())).isEqualTo(identities(fresh.classData()));
    assertThat(b.summary()).isEqualTo(fresh.summary());
    assertThat(b.summary().heapReadsFolded()).as("the walk folded").isGreaterThanOrEqualTo(8);
    assertAgrees(b, second, 13);

    final Table third = table(new int[] {11, 12, 13}, new int[] {501, 502, 503});
    final long unshared = SpecializationTemplate.instantiations();
    final Engine.Result c = Engine.specialize(MethodHandles.lookup(), method("find"), new boolean[] {true, true},
        new Object[] {third, 13}, quasiInvariants(), FieldAssumptions.NONE, true, Budgets.DEFAULT,
        JdkPolicy.CALL_ONLY, IntSupplier.class, false, false);
    assertThat(SpecializationTemplate.instantiations()).as("code not shared: no template").isEqualTo(unshared);
    assertThat(c.fromTemplate()).isFalse();
    assertThat(b.fromTemplate()).isTrue();
  }

  @Test
  void theFieldsWrittenAreReadOncePerClassFile() throws Exception {
    final Table first = table(new int[] {71}, new int[] {1101});
    final Table second = table(new int[] {71}, new int[] {1101});
    final org.quasi.specializer.Specialization<IntSupplier> a = counted(first);
    final org.quasi.specializer.Specialization<IntSupplier> b = counted(second);
    assertThat(b.residual().fromTemplate()).isTrue();
    assertThat(a.residual().fieldsWritten()).containsExactly(Table.class.getName() + ".lookups");
    assertThat(b.residual().fieldsWritten()).isSameAs(a.residual().fieldsWritten());
    assertThat(b.function().getAsInt()).isEqualTo(-1101);
    assertThat(second.lookups).isOne();
    assertThat(first.lookups).isZero();
  }

  private static org.quasi.specializer.Specialization<IntSupplier> counted(final Table t) throws Exception {
    return org.quasi.specializer.Specializer.of(MethodHandles.lookup()).method(method("findCounted"))
        .known(0, t).known(1, 71).quasiInvariant(Node.class, "pid", "uid", "next")
        .quasiInvariant(Table.class, "head", "tail").shareCode(true).as(IntSupplier.class).specialize();
  }

  @Test
  void aTemplateKeepsNoObjectOfTheHeapItWasMadeFrom() throws Exception {
    final java.lang.ref.WeakReference<Table> first = madeAndDropped();
    for (int i = 0; i < 20 && first.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(first.get()).as("the first request's table, once its version is gone").isNull();
    final Table second = table(new int[] {81, 82}, new int[] {1201, 1202});
    final long before = SpecializationTemplate.instantiations();
    final Engine.Result r = specialize("find", second, 82);
    assertThat(SpecializationTemplate.instantiations()).as("the template is still there").isEqualTo(before + 1);
    assertAgrees(r, second, 82);
  }

  private static java.lang.ref.WeakReference<Table> madeAndDropped() throws Exception {
    final Table t = table(new int[] {81, 82}, new int[] {1201, 1202});
    assertThat(specialize("find", t, 82).fromTemplate()).isFalse();
    return new java.lang.ref.WeakReference<>(t);
  }

  @Test
  void aDifferentValueIsEvaluatedAfresh() throws Exception {
    specialize("find", table(new int[] {21, 22, 23}, new int[] {601, 602, 603}), 23);
    final Table changedUid = table(new int[] {21, 22, 23}, new int[] {601, 602, 699});
    final Table changedPid = table(new int[] {21, 20, 23}, new int[] {601, 602, 603});
    final long before = SpecializationTemplate.instantiations();
    final Engine.Result uid = specialize("find", changedUid, 23);
    final Engine.Result pid = specialize("find", changedPid, 23);
    assertThat(SpecializationTemplate.instantiations()).isEqualTo(before);
    assertAgrees(uid, changedUid, 23);
    assertAgrees(pid, changedPid, 23);
  }

  @Test
  void aDifferentIdentityIsEvaluatedAfresh() throws Exception {
    specialize("find", table(new int[] {31, 32, 33}, new int[] {701, 702, 703}), 33);
    // The same values everywhere, but the tail is a copy of the last node rather than the node itself.
    final Table aliased = table(new int[] {31, 32, 33}, new int[] {701, 702, 703});
    aliased.tail = new Node(33, 703, null);
    final long before = SpecializationTemplate.instantiations();
    final Engine.Result r = specialize("find", aliased, 33);
    assertThat(SpecializationTemplate.instantiations()).isEqualTo(before);
    assertThat(((IntSupplier) r.function()).getAsInt()).as("not the tail any more").isEqualTo(703);
    assertAgrees(r, aliased, 33);

    // And the other way: two objects before, one object in both places now.
    final Table copied = table(new int[] {34, 35}, new int[] {704, 705});
    copied.tail = new Node(35, 705, null);
    specialize("find", copied, 35);
    final Table same = table(new int[] {34, 35}, new int[] {704, 705});
    final long again = SpecializationTemplate.instantiations();
    final Engine.Result s = specialize("find", same, 35);
    assertThat(SpecializationTemplate.instantiations()).isEqualTo(again);
    assertThat(((IntSupplier) s.function()).getAsInt()).as("the tail now").isEqualTo(-705);
  }

  @Test
  void aDifferentClassIsEvaluatedAfresh() throws Exception {
    specialize("find", table(new int[] {41, 42}, new int[] {801, 802}), 42);
    final Table other = table(new int[] {41, 42}, new int[] {801, 802});
    other.head = new OtherNode(41, 801, other.head.next);
    final long before = SpecializationTemplate.instantiations();
    final Engine.Result r = specialize("find", other, 42);
    assertThat(SpecializationTemplate.instantiations()).isEqualTo(before);
    assertAgrees(r, other, 42);
  }

  @Test
  void aTraceWithFactsItCannotReplayGivesNoTemplate() throws Exception {
    final Table first = table(new int[] {51}, new int[] {901});
    first.boxed = 1234;
    specialize("findLabelled", first, 51);
    final Table second = table(new int[] {51}, new int[] {901});
    second.boxed = 1234;
    final long before = SpecializationTemplate.instantiations();
    final Engine.Result r = specialize("findLabelled", second, 51);
    assertThat(SpecializationTemplate.instantiations()).as("the concatenation read the box's text")
        .isEqualTo(before);
    second.boxed = 99; // unguarded here: the residual code folded the text of 1234
    assertThat(((IntSupplier) r.function()).getAsInt()).isEqualTo(-901 + "#1234".length());
  }

  @Test
  void anAssumedFieldReplaysWithTheNewRequestsValue() throws Exception {
    final Field head = Table.class.getField("head");
    final Table first = table(new int[] {61, 62}, new int[] {1001, 1002});
    specialize("find", first, 62,
        FieldAssumptions.NONE.with(new FieldAssumptions.Assumption(first, head, first.head)));
    final Table second = table(new int[] {61, 62}, new int[] {1001, 1002});
    final Node assumed = new Node(61, 1001, second.head.next);
    long before = SpecializationTemplate.instantiations();
    final Engine.Result r = specialize("find", second, 62,
        FieldAssumptions.NONE.with(new FieldAssumptions.Assumption(second, head, assumed)));
    assertThat(SpecializationTemplate.instantiations()).isEqualTo(before + 1);
    assertThat(r.dependencies()).extracting(Dependency::object).contains(assumed).doesNotContain(second.head);
    // The walk starts at the assumed head, as evaluation would have: the assumption stands for the read.
    second.head = assumed;
    assertAgrees(r, second, 62);

    final Table third = table(new int[] {61, 62}, new int[] {1001, 1002});
    before = SpecializationTemplate.instantiations();
    final Engine.Result other = specialize("find", third, 62, FieldAssumptions.NONE.with(
        new FieldAssumptions.Assumption(third, head, new Node(60, 1001, third.head.next))));
    assertThat(SpecializationTemplate.instantiations()).as("the assumed head's pid differs").isEqualTo(before);
    assertThat(((IntSupplier) other.function()).getAsInt()).isEqualTo(-1002);
  }

  @Property(tries = 60)
  void everyInstanceAgreesWithTheMethodAndWithEvaluation(
      @ForAll @Size(max = 6) final List<@IntRange(min = 0, max = 5) Integer> pids,
      @ForAll @IntRange(min = 0, max = 6) final int tailAt, @ForAll final boolean copy) throws Exception {
    final int[] p = pids.stream().mapToInt(Integer::intValue).toArray();
    final int[] u = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      u[i] = 100 + i + p[i];
    }
    for (int pid = 0; pid <= 6; pid++) {
      final Table first = tailed(table(p, u), tailAt);
      // A copy replays; otherwise the tail or the last uid differs, and the replay decides.
      final Table second = tailed(table(p, u), copy ? tailAt : tailAt + 1);
      if (!copy && p.length > 0) {
        Node last = second.head;
        while (last.next != null) {
          last = last.next;
        }
        last.uid += 7;
      }
      specialize("find", first, pid);
      final long before = SpecializationTemplate.instantiations();
      final Engine.Result r = specialize("find", second, pid);
      if (copy) {
        assertThat(SpecializationTemplate.instantiations()).isGreaterThan(before);
      }
      assertThat(r.dependencies()).containsExactlyElementsOf(specializeWithoutTemplate("find", second, pid)
          .dependencies());
      assertAgrees(r, second, pid);
    }
  }

  private static void assertAgrees(final Engine.Result r, final Table t, final int pid) {
    assertThat(((IntSupplier) r.function()).getAsInt()).as("pid %d", pid).isEqualTo(find(t, pid));
  }

  private static Table table(final int[] pids, final int[] uids) {
    final Table t = new Table();
    for (int i = pids.length - 1; i >= 0; i--) {
      t.head = new Node(pids[i], uids[i], t.head);
      t.tail = t.tail == null ? t.head : t.tail;
    }
    return t;
  }

  private static Table tailed(final Table t, final int at) {
    Node n = t.head;
    for (int i = 0; i < at && n != null; i++) {
      n = n.next;
    }
    t.tail = n;
    return t;
  }

  private static List<Integer> identities(final List<Object> objects) {
    final List<Integer> out = new ArrayList<>();
    for (final Object o : objects) {
      out.add(System.identityHashCode(o));
    }
    return out;
  }

  private static Engine.Result specialize(final String name, final Table t, final int pid) throws Exception {
    return specialize(name, t, pid, FieldAssumptions.NONE);
  }

  private static Engine.Result specialize(final String name, final Table t, final int pid,
      final FieldAssumptions assumptions) throws Exception {
    return Engine.specialize(MethodHandles.lookup(), method(name), new boolean[] {true, true},
        new Object[] {t, pid}, quasiInvariants(), assumptions, true, Budgets.DEFAULT, JdkPolicy.CALL_ONLY,
        IntSupplier.class, false, true);
  }

  /** Without an interface no template is kept or used: what evaluation itself gives. */
  private static Engine.Result specializeWithoutTemplate(final String name, final Table t, final int pid)
      throws Exception {
    return Engine.specialize(MethodHandles.lookup(), method(name), new boolean[] {true, true},
        new Object[] {t, pid}, quasiInvariants(), FieldAssumptions.NONE, true, Budgets.DEFAULT, JdkPolicy.CALL_ONLY,
        null, false, true);
  }

  private static Method method(final String name) throws NoSuchMethodException {
    return SpecializationTemplateTest.class.getMethod(name, Table.class, int.class);
  }

  private static Set<Field> quasiInvariants() throws NoSuchFieldException {
    return Set.of(Node.class.getField("pid"), Node.class.getField("uid"), Node.class.getField("next"),
        Table.class.getField("head"), Table.class.getField("tail"), Table.class.getField("boxed"));
  }
}
