package org.quasi.agent.shadow.internal;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.quasi.specializer.validate.internal.Arities;

/**
 * Shadow mode's {@code ClassFileTransformer}: for each class of the program whose binary name matches the include
 * pattern, screens its methods ({@link HeapWriteScreen}, one per class loader) and puts an {@link EntryProbe} into each
 * method proven free of heap writes.
 *
 * <p>Considered: static and instance methods with code, not synthetic or bridge, with at most
 * {@value Arities#MAX} arguments (receiver included; the residual code's functional interfaces stop there).
 * Not considered: classes of the JDK and of Quasi's own agent, specializer and runtime; classes of the bootstrap and
 * platform loaders; classes whose loader cannot see {@code ShadowHook} (the probe could not link); class files older
 * than Java 6 (version 50), whose frames the probe would have to compute; hidden classes (no name at load time).
 * A class the probe cannot be put into is loaded unchanged, with a line on standard error.
 */
public final class ShadowTransformer implements ClassFileTransformer {
  /** The packages of the classes in the agent's jar (each with its {@code internal} packages). */
  private static final String[] OWN_PACKAGES = {"org/quasi/agent/", "org/quasi/agent/shadow/", "org/quasi/runtime/",
      "org/quasi/specializer/", "org/quasi/specializer/validate/", "org/quasi/typeguard/", "org/quasi/versions/",
      "org/quasi/typeguard/spec/"};

  private final ShadowRun run;
  private final PrintStream log;
  private final Map<ClassLoader, HeapWriteScreen> screens = new WeakHashMap<>();

  public ShadowTransformer(final ShadowRun run, final PrintStream log) {
    this.run = run;
    this.log = log;
  }

  @Override
  public byte[] transform(final ClassLoader loader, final String className, final Class<?> redefined,
      final ProtectionDomain domain, final byte[] classFile) {
    if (className == null || redefined != null || skipped(loader, className)
        || !run.options().include().matcher(className.replace('/', '.')).find()) {
      return null;
    }
    try {
      return probe(loader, classFile);
    } catch (RuntimeException | LinkageError e) {
      log.println("quasi shadow: left " + className.replace('/', '.') + " without probes: " + e);
      return null;
    }
  }

  private byte[] probe(final ClassLoader loader, final byte[] classFile) {
    final ClassReader reader = new ClassReader(classFile);
    final ClassNode cn = new ClassNode();
    reader.accept(cn, ClassReader.EXPAND_FRAMES);
    if ((cn.version & 0xFFFF) < Opcodes.V1_6 || (cn.access & Opcodes.ACC_MODULE) != 0 || !hookVisible(loader)) {
      return null;
    }
    final HeapWriteScreen screen = screen(loader);
    boolean changed = false;
    for (final MethodNode m : cn.methods) {
      if (!considered(m)) {
        continue;
      }
      final String problem = screen.problem(cn.name, m.name, m.desc);
      run.seen(problem);
      if (problem == null) {
        EntryProbe.insert(cn.name, m, run.register(cn.name.replace('/', '.'), m.name, m.desc), cn.version);
        changed = true;
      }
    }
    if (!changed) {
      return null;
    }
    // Frames are kept as read (expanded) plus the probe's own: nothing is recomputed, no class is loaded.
    final ClassWriter w = new ClassWriter(0);
    cn.accept(w);
    return w.toByteArray();
  }

  private static boolean considered(final MethodNode m) {
    if (m.name.startsWith("<") || (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC
        | Opcodes.ACC_BRIDGE)) != 0) {
      return false;
    }
    final int arity = Type.getArgumentTypes(m.desc).length + ((m.access & Opcodes.ACC_STATIC) == 0 ? 1 : 0);
    return arity <= Arities.MAX;
  }

  private HeapWriteScreen screen(final ClassLoader loader) {
    synchronized (screens) {
      return screens.computeIfAbsent(loader, HeapWriteScreen::new);
    }
  }

  private static boolean hookVisible(final ClassLoader loader) {
    try {
      return Class.forName(EntryProbe.HOOK.replace('/', '.'), false, loader)
          == org.quasi.agent.shadow.ShadowHook.class;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static boolean skipped(final ClassLoader loader, final String name) {
    if (loader == null || loader == ClassLoader.getPlatformClassLoader() || JdkEffects.isJdk(name)) {
      return true;
    }
    for (final String pkg : OWN_PACKAGES) {
      // Quasi's own classes run inside the shadow: probing them would shadow the shadow.
      if (name.startsWith(pkg) && (name.indexOf('/', pkg.length()) < 0 || name.startsWith(pkg + "internal/"))) {
        return true;
      }
    }
    return false;
  }
}
