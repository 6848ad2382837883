package org.quasi.specializer.validate.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * The class files a bytecode screen reads through one class loader, read once and softly held. The validator's
 * {@link EffectScreen} and shadow mode's heap-write screen both walk call graphs class file by class file; sharing
 * one cache lets a screen that consults the other read each class once.
 *
 * <p>Not thread-safe: the screen that owns it serializes access.
 */
public final class ClassFiles {
  private final ClassLoader loader;
  /**
   * Class files read, softly held: the verdicts are what is worth keeping, and a program run under shadow mode (or a
   * long validation) must not lose heap to the screen's cache (commons-codec's tests measure their free heap).
   */
  private final Map<String, SoftReference<ClassNode>> classes = new HashMap<>();
  /** Classes whose class file the loader does not provide (or provides unreadable). */
  private final Set<String> absent = new HashSet<>();

  /** Class files read through {@code loader}. */
  public ClassFiles(final ClassLoader loader) {
    this.loader = loader;
  }

  /**
   * Returns the class {@code owner} (internal name) read without debug information and frames, or null when the
   * loader does not provide its class file or the file cannot be read (an absence that is remembered).
   */
  public ClassNode classNode(final String owner) {
    if (absent.contains(owner)) {
      return null;
    }
    final SoftReference<ClassNode> held = classes.get(owner);
    final ClassNode kept = held == null ? null : held.get();
    if (kept != null) {
      return kept;
    }
    ClassNode cn = null;
    try (InputStream in = loader.getResourceAsStream(owner + ".class")) {
      if (in != null) {
        cn = new ClassNode();
        new ClassReader(in).accept(cn, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      }
    } catch (IOException | RuntimeException e) {
      // DontCheck(IllegalCatch): an unreadable class file is one no screen can prove anything about; each screen
      // says what absence means to it.
      cn = null;
    }
    if (cn == null) {
      absent.add(owner);
    } else {
      classes.put(owner, new SoftReference<>(cn));
    }
    return cn;
  }
}
