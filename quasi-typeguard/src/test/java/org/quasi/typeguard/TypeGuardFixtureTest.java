package org.quasi.typeguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.typeguard.spec.SpecParser;

/**
 * Runs TypeGuard over the fixture corpus ({@code org.quasi.typeguard.fixtures}) and checks the exact findings: every
 * write and hole the fixtures contain, no more. "possible" findings are deliberate: each comes from a fixture method
 * whose class or field name is not a constant ({@code Reflective.unknownName}, {@code Reflective.anyField},
 * {@code Reflective.allOfTask}, {@code Reflective.accessAll}, {@code Handles.fromField},
 * {@code UnsafeUser.offsetOf}) or from native code ({@code NativeHolder.poke}, which may get a Task or a Calm,
 * and {@code Task.reset}). {@code Derived}'s write is after an escape because its superclass constructor registers
 * {@code this}; {@code Calm}'s is not, because {@code Task(int)} does not.
 */
class TypeGuardFixtureTest {

  /** The expected findings, one per line (see {@link FixtureCorpus#lines}). */
  static final List<String> EXPECTED = List.of(
      "TG101 definite Calm.mode @ Calm.<init> putfield",
      "TG204 possible Calm.mode @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG209 possible Calm.mode @ NativeHolder.poke native poke(Lorg/quasi/typeguard/fixtures/Task;)V",
      "TG201 possible Calm.mode @ Reflective.anyField Field.set",
      "TG207 possible Calm.mode @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG102 definite Derived.tag @ Derived.<init> putfield",
      "TG204 possible Derived.tag @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG201 possible Derived.tag @ Reflective.anyField Field.set",
      "TG207 possible Derived.tag @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG210 definite Account.balance @ Account java.io.Serializable",
      "TG204 possible Account.balance @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG201 possible Account.balance @ Reflective.anyField Field.set",
      "TG207 possible Account.balance @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG204 possible Account.cache @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG201 possible Account.cache @ Reflective.anyField Field.set",
      "TG207 possible Account.cache @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG206 definite Counter.hits @ Counter.<clinit> AtomicIntegerFieldUpdater.newUpdater",
      "TG204 possible Counter.hits @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG201 possible Counter.hits @ Reflective.anyField Field.set",
      "TG207 possible Counter.hits @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG204 possible Limits.MAX @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG103 definite Limits.MAX @ Limits.<clinit> putstatic",
      "TG303 definite Limits.MAX @ Outsider.limits array element store",
      "TG201 possible Limits.MAX @ Reflective.anyField Field.set",
      "TG207 possible Limits.MAX @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG204 possible Point.x @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG101 definite Point.x @ Point.<init> putfield",
      "TG201 possible Point.x @ Reflective.anyField Field.set",
      "TG207 possible Point.x @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG204 possible Table.slots @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG303 definite Table.slots @ Outsider.scribble array element store",
      "TG303 definite Table.slots @ Outsider.copyInto System.arraycopy",
      "TG201 possible Table.slots @ Reflective.anyField Field.set",
      "TG101 definite Table.slots @ Table.<init> putfield",
      "TG302 definite Table.slots @ Table.<init> array element store",
      "TG301 definite Table.slots @ Table.expose returned",
      "TG301 definite Table.slots @ Table.share stored into field",
      "TG301 definite Table.slots @ Table.pack stored into an array",
      "TG301 definite Table.slots @ Table.leak passed to org.quasi.typeguard.fixtures.Table$Sink.take",
      "TG301 definite Table.slots @ Table.capture captured by invokedynamic",
      "TG207 possible Table.slots @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG203 definite Task.count @ Handles.countSetter MethodHandles.Lookup.findStaticSetter",
      "TG204 possible Task.count @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG104 definite Task.count @ Intruder.count putstatic",
      "TG201 possible Task.count @ Reflective.unknownName Field.setInt",
      "TG201 possible Task.count @ Reflective.anyField Field.set",
      "TG209 possible Task.count @ Task.reset native reset()V",
      "TG103 definite Task.count @ Task.bump putstatic",
      "TG207 possible Task.count @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG203 definite Task.euid @ Handles.<clinit> MethodHandles.Lookup.findSetter",
      "TG204 possible Task.euid @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG104 definite Task.euid @ Intruder.euid putfield",
      "TG209 possible Task.euid @ NativeHolder.poke native poke(Lorg/quasi/typeguard/fixtures/Task;)V",
      "TG201 possible Task.euid @ Reflective.unknownName Field.setInt",
      "TG201 possible Task.euid @ Reflective.anyField Field.set",
      "TG201 definite Task.euid @ Reflective.held Field.setInt",
      "TG207 possible Task.euid @ UnsafeUser.offsetOf Unsafe.objectFieldOffset",
      "TG204 definite Task.uid @ Handles.<clinit> MethodHandles.Lookup.findVarHandle",
      "TG205 definite Task.uid @ Handles.swap VarHandle.compareAndSet",
      "TG204 possible Task.uid @ Handles.fromField MethodHandles.Lookup.unreflectVarHandle",
      "TG104 definite Task.uid @ Intruder.direct putfield",
      "TG104 definite Task.uid @ Intruder.viaSubclass putfield",
      "TG209 possible Task.uid @ NativeHolder.poke native poke(Lorg/quasi/typeguard/fixtures/Task;)V",
      "TG202 definite Task.uid @ Reflective.definite Field.setAccessible",
      "TG201 definite Task.uid @ Reflective.definite Field.setInt",
      "TG201 definite Task.uid @ Reflective.byName Field.set",
      "TG201 definite Task.euid @ Reflective.inherited Field.setInt",
      "TG201 possible Task.uid @ Reflective.unknownName Field.setInt",
      "TG201 possible Task.uid @ Reflective.anyField Field.set",
      "TG201 possible Task.uid @ Reflective.allOfTask Field.setInt",
      "TG202 possible Task.uid @ Reflective.accessAll AccessibleObject.setAccessible",
      "TG201 possible Task.euid @ Reflective.allOfTask Field.setInt",
      "TG202 possible Task.euid @ Reflective.accessAll AccessibleObject.setAccessible",
      "TG201 possible Task.count @ Reflective.allOfTask Field.setInt",
      "TG202 possible Task.count @ Reflective.accessAll AccessibleObject.setAccessible",
      "TG101 definite Task.uid @ Task.<init> putfield",
      "TG102 definite Task.uid @ Task.<init> putfield",
      "TG103 definite Task.uid @ Task.<init> putfield",
      "TG101 definite Task.uid @ Task.<init> putfield",
      "TG103 definite Task.uid @ Task.setUid putfield",
      "TG207 definite Task.uid @ UnsafeUser.<clinit> Unsafe.objectFieldOffset",
      "TG208 definite Task.uid @ UnsafeUser.poke Unsafe.putInt",
      "TG207 possible Task.uid @ UnsafeUser.offsetOf Unsafe.objectFieldOffset");

  @Test
  void fixtureCorpusGivesExactlyTheExpectedFindings() {
    final TypeGuardReport report = FixtureCorpus.builder().build().analyze();
    assertThat(report.problems()).isEmpty();
    assertThat(FixtureCorpus.lines(report)).containsExactlyInAnyOrderElementsOf(EXPECTED);
  }

  @Test
  void annotatedFieldIsDiscoveredAndSaysSo() {
    final TypeGuardReport report = FixtureCorpus.builder().build().analyze();
    final FieldReport uid = report.fields().stream()
        .filter(f -> f.field().equals(new FieldId(FixtureCorpus.PKG + "Task", "uid"))).findFirst().orElseThrow();
    assertThat(uid.declaredBy()).isEqualTo("@QuasiInvariant");
    assertThat(uid.descriptor()).isEqualTo("I");
    assertThat(uid.isStatic()).isFalse();
  }

  /** The example of {@link TypeGuard}'s class comment. */
  @Test
  void writesOfUidAreFound() {
    final TypeGuardReport report = TypeGuard.builder()
        .classPath(List.of(FixtureCorpus.TEST_CLASSES))
        .annotations(false)
        .field(FixtureCorpus.PKG + "Task.uid")
        .build()
        .analyze();
    assertThat(report.fields()).hasSize(1);
    assertThat(report.findingsBeyondAllowed()).extracting(f -> f.kind())
        .doesNotContain(FindingKind.WRITE_CONSTRUCTOR_THIS, FindingKind.WRITE_DECLARING_CLASS)
        .contains(FindingKind.WRITE_ELSEWHERE, FindingKind.WRITE_CONSTRUCTOR_THIS_AFTER_ESCAPE);
    final Finding direct = report.findings().stream()
        .filter(f -> f.site().methodName() != null && f.site().methodName().equals("direct")).findFirst()
        .orElseThrow();
    assertThat(direct.site().sourceFile()).isEqualTo("Intruder.java");
    assertThat(direct.site().sourcePath()).isEqualTo("org/quasi/typeguard/fixtures/Intruder.java");
    assertThat(direct.site().classFile()).isEqualTo("org/quasi/typeguard/fixtures/Intruder.class");
    assertThat(direct.site().line()).isPositive();
    assertThat(direct.site().methodDesc()).isEqualTo("(Lorg/quasi/typeguard/fixtures/Task;)V");
  }

  @Test
  void readsAreReportedOnlyWhenAsked() {
    final TypeGuardReport without = FixtureCorpus.builder().build().analyze();
    assertThat(without.findings()).noneMatch(f -> f.kind() == FindingKind.READ);
    final TypeGuardReport with = FixtureCorpus.builder().reads(true).build().analyze();
    assertThat(FixtureCorpus.lines(with)).contains(
        "TG900 definite Task.uid @ Intruder.read getfield",
        "TG900 definite Task.count @ Task.bump getstatic",
        "TG900 definite Limits.MAX @ Outsider.limits getstatic");
    assertThat(with.findingsBeyondAllowed()).noneMatch(f -> f.kind() == FindingKind.READ);
  }

  @Test
  void aHoleInTheHierarchyMakesWritesPossible(@TempDir final Path dir) throws IOException {
    final Path fixtures = FixtureCorpus.TEST_CLASSES.resolve("org/quasi/typeguard/fixtures");
    final Path copy = dir.resolve("org/quasi/typeguard/fixtures");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(fixtures)) {
      for (final Path f : files.toList()) {
        if (!f.getFileName().toString().equals("SubTask.class")) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
    }
    final TypeGuardReport report = TypeGuard.builder().classPath(List.of(dir)).field(FixtureCorpus.PKG + "Task.euid")
        .build().analyze();
    assertThat(FixtureCorpus.lines(report)).contains(
        "TG104 possible Task.uid @ Intruder.viaSubclass putfield",
        "TG201 possible Task.euid @ Reflective.inherited Field.setInt");
  }

  @Test
  void specFileDeclaresFieldsWithTheirLocation() throws Exception {
    final TypeGuardReport report = TypeGuard.builder()
        .classPath(List.of(FixtureCorpus.TEST_CLASSES))
        .annotations(false)
        .spec(SpecParser.parse("guards.spec", "quasi-spec 1\n# credentials\nquasi-invariant "
            + FixtureCorpus.PKG + "Task.{euid, count}\n"))
        .build()
        .analyze();
    assertThat(report.fields()).extracting(f -> f.field().name() + " " + f.declaredBy())
        .containsExactly("count guards.spec:3", "euid guards.spec:3");
  }

  @Test
  void aFieldNamedThroughASubclassIsReportedAtItsDeclaringClass() {
    final TypeGuardReport report = TypeGuard.builder()
        .classPath(List.of(FixtureCorpus.TEST_CLASSES))
        .annotations(false)
        .field(FixtureCorpus.PKG + "SubTask.uid")
        .build()
        .analyze();
    assertThat(report.fields()).extracting(f -> f.field().toString())
        .containsExactly(FixtureCorpus.PKG + "Task.uid");
  }

  @Test
  void allowedKindsCanBeChanged() {
    final TypeGuardReport strict = FixtureCorpus.builder().allow(List.of()).build().analyze();
    assertThat(strict.findingsBeyondAllowed()).hasSameSizeAs(strict.findings());
    final TypeGuardReport lenient = FixtureCorpus.builder().allow(List.of(FindingKind.values())).build().analyze();
    assertThat(lenient.findingsBeyondAllowed()).isEmpty();
  }
}
