package org.quasi.agent;

import java.util.List;
import java.util.Objects;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.quasi.agent.internal.ClassWeaving;
import org.quasi.agent.internal.EntryWeaving;
import org.quasi.agent.internal.Hierarchy;

/**
 * Weaves guarded writes into class files: what the agent does at load time and {@code ./quasi weave} ahead of time.
 *
 * <p>For each class: if it is the topmost class of its hierarchy to declare a quasi-invariant instance field, it gets
 * the synthetic {@code volatile} QUID field and implements {@link org.quasi.runtime.QuidHolder}; each static
 * quasi-invariant field it declares gets a {@code static final} {@link org.quasi.runtime.GuardFlag}; and every
 * {@code putfield}/{@code putstatic} that resolves (JVMS 5.4.3.2, through {@link ClassBytes}) to a quasi-invariant
 * field becomes the guarded write documented in {@link org.quasi.runtime.Guards}. Each method a spec's {@code entry}
 * line names becomes a specialized entry point ({@link org.quasi.agent.internal.EntryWeaving}). Every woven class gets a
 * static synthetic marker field {@code $quasi$woven}, and a class that has it is left alone, so weaving a woven
 * class (ahead of time, then under the agent) changes nothing. A woven class behaves as the
 * original as long as nothing registers a dependent; a registered dependent is invalidated before each write to the
 * location it relies on.
 *
 * <p>Thread-safe; class headers are cached for the weaver's life.
 *
 * <p>Writes to quasi-invariant fields of classes that cannot be woven ({@link WeaveOptions#unwoven()}: the JDK, or
 * classes loaded before the agent) test the side-table flag of the field reference's class, then the object's QUID,
 * then take the slow path. Adjacent writes to one object are batched behind one QUID test ({@code Guards}'
 * {@code @implNote} argues why no other thread can tell). {@code Field.set*} call sites are bracketed by
 * {@link org.quasi.runtime.ReflectiveWrites}; handles made by woven code (var handles, setter handles, field
 * updaters) and {@code Unsafe} offsets computed by woven code are remembered and the writes through them bracketed
 * by {@link org.quasi.runtime.HandleWrites} and {@link org.quasi.runtime.UnsafeWrites}. In
 * strict mode ({@link WeaveOptions#strict()}) every guarded write closes the first-install race with a fence and a
 * second test.
 *
 * @implNote Not handled, each with what happens instead: {@code MethodHandle.invokeWithArguments(List)},
 *     address-only {@code Unsafe} stores and JNI are not rewritten; their call sites (and native methods) are listed
 *     in {@link Result#unrewritableSites()} for MemGuard, and bypass the guard. Handles and offsets made outside
 *     woven code or derived from remembered ones are not recognized at the bracketed sites (see
 *     {@link org.quasi.runtime.HandleWrites}, {@link org.quasi.runtime.UnsafeWrites}). Reflection over all declared
 *     fields sees the synthetic fields this weaver adds. Writes before a constructor's {@code super(...)} stay plain
 *     (no QUID can exist yet). A {@code Serializable} class without an explicit {@code serialVersionUID} that gets a
 *     QUID gets a different default one. When a superclass's class file cannot be read, frames merge to
 *     {@code java/lang/Object}, and the JVM's verifier rejects the class rather than run it wrongly.
 * @since 0.1
 */
public final class Weaver {

  private final Hierarchy hierarchy;
  private final ClassWeaving weaving;

  /** A weaver guarding {@code spec}'s fields and the annotated ones, reading other classes from {@code bytes}. */
  public Weaver(final GuardSpec spec, final ClassBytes bytes) {
    this(spec, bytes, WeaveOptions.defaults());
  }

  /** A weaver as above, with {@code options} (strict mode, classes that cannot be woven). */
  public Weaver(final GuardSpec spec, final ClassBytes bytes, final WeaveOptions options) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(options, "options");
    this.hierarchy = new Hierarchy(Objects.requireNonNull(bytes, "bytes"), spec.declared(), options.unwoven());
    this.weaving = new ClassWeaving(hierarchy, options.strict(),
        new EntryWeaving(spec.entryPoints(), spec.quasiInvariantNames()));
  }

  /**
   * What weaving did to one class.
   *
   * @param guardedWrites {@code putfield}/{@code putstatic} sites rewritten into guarded writes (batched ones included)
   * @param batchedWrites how many of those are part of a batch of adjacent writes to one object (one QUID test each
   *     batch)
   * @param sideTableWrites how many of those write fields of classes that cannot be woven: the side-table test for
   *     instance fields, a static flag kept by the writing class for static ones
   * @param reroutedCalls write call sites bracketed: {@code Field.set*} by {@code ReflectiveWrites}, var handle,
   *     setter handle and field updater writes by {@code HandleWrites}, {@code Unsafe} stores by {@code UnsafeWrites}
   * @param unrewritableSites call sites that may write a field and were left as they were
   *     ({@code invokeWithArguments(List)}, address-only {@code Unsafe} stores, native methods), one line each: what
   *     MemGuard must trap
   * @param entryPoints the entry methods rewritten into specialized entry points, as {@code FILE:LINE}
   * @param problems the entry lines naming this class that could not be woven, with why
   */
  public record Result(String className, byte[] bytes, int guardedWrites, boolean quidAdded,
      List<String> staticFlags, int batchedWrites, int sideTableWrites, int reroutedCalls,
      List<String> unrewritableSites, List<String> entryPoints, List<String> problems) {
    /** Whether the class changed (otherwise {@link #bytes()} is {@code null}). */
    public boolean changed() {
      return bytes != null;
    }
  }

  /**
   * Weaves one class file.
   *
   * @throws IllegalArgumentException if {@code classFile} is not a class file ASM can read (damaged, or of a version
   *     newer than this ASM knows)
   * @throws IllegalStateException when weaving a readable class fails (a woven method too large for the class-file
   *     format, say): a fault or a limit of the weaver; the message names the class, the cause is the failure
   */
  public Result weave(final byte[] classFile) {
    final ClassWeaving.Outcome o;
    try {
      o = weaving.weave(classFile);
    } catch (RuntimeException e) {
      // DontCheck(IllegalCatch): only a class file that ASM cannot read on its own is the input's fault; reading it
      // again with a visitor that does nothing tells the two apart, at no cost when weaving succeeds.
      final String unreadable = unreadable(classFile);
      if (unreadable != null) {
        throw new IllegalArgumentException("not a readable class file: " + unreadable, e);
      }
      throw new IllegalStateException(new ClassReader(classFile).getClassName() + ": cannot weave: " + e, e);
    }
    return new Result(o.className().replace('/', '.'), o.bytes(), o.guardedWrites(), o.quidAdded(),
        o.staticFlags(), o.batchedWrites(), o.sideTableWrites(), o.reroutedCalls(), o.unrewritableSites(),
        o.entryPoints(), o.problems());
  }

  /** Why ASM cannot read {@code classFile} through, or {@code null} when it can. */
  private static String unreadable(final byte[] classFile) {
    try {
      new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) { }, 0);
      return null;
    } catch (RuntimeException e) {
      // DontCheck(IllegalCatch): ASM reports damaged bytes as whatever its parsing trips on.
      return e.getMessage() != null ? e.getMessage() : e.toString();
    }
  }

  /**
   * The quasi-invariant fields {@code classFile} writes itself ({@code putfield}, {@code putstatic}), as
   * {@code com.x.Task.pid}: when the class cannot be woven, these are written without a guard. For a class file ASM
   * cannot read, every quasi-invariant field its constant pool refers to (read or written).
   *
   * @throws IllegalArgumentException when not even its constant pool can be read
   */
  public List<String> quasiInvariantWrites(final byte[] classFile) {
    return weaving.quasiInvariantWrites(classFile);
  }

  /**
   * Records that weaving the class {@code internalName} failed (it is defined unwoven): sites woven from now on that
   * write its fields use the side table, since it holds no QUID field and no static flags.
   */
  public void failedToWeave(final String internalName) {
    hierarchy.failedToWeave(internalName);
  }

  /** Spec entries whose class or field this weaver's class files do not have, as {@code com.x.Task.uid}. */
  public List<String> unresolvedSpecEntries() {
    return hierarchy.unresolvedSpecEntries();
  }
}
