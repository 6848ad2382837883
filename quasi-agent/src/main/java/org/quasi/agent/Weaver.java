package org.quasi.agent;

import java.util.List;
import java.util.Objects;
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
 * line names becomes a specialized entry point ({@link org.quasi.agent.internal.EntryWeaving}). Every woven class gets a private
 * static synthetic marker field {@code $quasi$woven}, and a class that has it is left alone, so weaving a woven
 * class (ahead of time, then under the agent) changes nothing. A woven class behaves as the
 * original as long as nothing registers a dependent; a registered dependent is invalidated before each write to the
 * location it relies on.
 *
 * <p>Thread-safe; class headers are cached for the weaver's life.
 *
 * @implNote Not handled, each with what happens instead: writes through reflection, method handles, var handles,
 *     field updaters, {@code Unsafe} and JNI are not rewritten (TypeGuard lists them; they bypass the guard).
 *     Writes before a constructor's {@code super(...)} stay plain (no QUID can exist yet). Fields of classes that
 *     are not woven (JDK classes) are not guarded: the runtime's side table ({@code Guards.sideTableFlag}) is not
 *     emitted yet. A {@code Serializable} class without an explicit {@code serialVersionUID} that gets a QUID gets a
 *     different default one. Adjacent writes to one object are not batched. When a superclass's class file cannot
 *     be read, frames merge to {@code java/lang/Object}, and the JVM's verifier rejects the class rather than run it
 *     wrongly.
 * @since 0.1
 */
public final class Weaver {

  private final Hierarchy hierarchy;
  private final ClassWeaving weaving;

  /** A weaver guarding {@code spec}'s fields and the annotated ones, reading other classes from {@code bytes}. */
  public Weaver(final GuardSpec spec, final ClassBytes bytes) {
    Objects.requireNonNull(spec, "spec");
    this.hierarchy = new Hierarchy(Objects.requireNonNull(bytes, "bytes"), spec.declared());
    this.weaving = new ClassWeaving(hierarchy, new EntryWeaving(spec.entryPoints(), spec.quasiInvariantNames()));
  }

  /**
   * What weaving did to one class: guarded writes, the QUID, static flags, the entry methods rewritten (as
   * {@code FILE:LINE}) and the entry lines naming this class that could not be woven, with why.
   */
  public record Result(String className, byte[] bytes, int guardedWrites, boolean quidAdded,
      List<String> staticFlags, List<String> entryPoints, List<String> problems) {
    /** Whether the class changed (otherwise {@link #bytes()} is {@code null}). */
    public boolean changed() {
      return bytes != null;
    }
  }

  /**
   * Weaves one class file.
   *
   * @throws IllegalArgumentException if {@code classFile} is not a class file ASM can read
   */
  public Result weave(final byte[] classFile) {
    final ClassWeaving.Outcome o;
    try {
      o = weaving.weave(classFile);
    } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a readable class file: " + e.getMessage(), e);
    }
    return new Result(o.className().replace('/', '.'), o.bytes(), o.guardedWrites(), o.quidAdded(),
        o.staticFlags(), o.entryPoints(), o.problems());
  }

  /** Spec entries whose class or field this weaver's class files do not have, as {@code com.x.Task.uid}. */
  public List<String> unresolvedSpecEntries() {
    return hierarchy.unresolvedSpecEntries();
  }
}
