package org.quasi.specializer.validate.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.net.URL;
import java.net.URLClassLoader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * The class loader of the validated class path, holding one extra class of ours, the probe, in the same unnamed
 * module as the validated classes. A full-privilege lookup in a validated class needs a lookup from its own module
 * ({@code privateLookupIn} from another module drops module access, and defining the residual hidden class needs
 * it); the probe's own {@code MethodHandles.lookup()} is such a lookup.
 *
 * <p>The classes it defines call {@link Cancellation#poll} (see {@link #findClass}).
 *
 * @implNote Classes are defined without their jar's manifest: {@code Package} attributes (title, version) and seals
 *     are absent, and a class's code source is its class file's own URL, not its jar's.
 */
public final class ProbeLoader extends URLClassLoader {
  private static final String PROBE = "org/quasi/specializer/validate/probe/Probe";
  /** The harness's package: its classes are the parent's even when the validated class path holds a copy. */
  private static final String HARNESS = "org.quasi.specializer.validate.internal.";

  private MethodHandles.Lookup probe;

  public ProbeLoader(final URL[] urls, final ClassLoader parent) {
    super(urls, parent);
  }

  /**
   * Loads a class of the validated class path from it first, and everything else (the JDK, the harness) from the
   * parent. Parent-first loading validated the wrong classes when the parent holds another copy: {@code quasi.jar}
   * bundles commons-math3 (a dependency of JMH), ASM and picocli, so {@code ./quasi validate} on a commons-math3 jar
   * ran and specialized the bundled 3.6.1, whatever version the jar was, and without cancellation points. The
   * harness's own {@link Cancellation} always comes from the parent: the validated classes call it.
   */
  @Override
  protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null && !name.startsWith("java.") && !name.startsWith(HARNESS)
          && findResource(name.replace('.', '/') + ".class") != null) {
        c = findClass(name);
      }
      if (c == null) {
        return super.loadClass(name, resolve);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  /** Finds a resource in the validated class path first (the specializer reads class files so), then the parent. */
  @Override
  public URL getResource(final String name) {
    final URL own = findResource(name);
    return own != null ? own : super.getResource(name);
  }

  /**
   * Defines a class of the validated class path with {@linkplain CancellationPoints cancellation points}, so that a
   * run the validator gives up on ends on any JDK. The class's resource keeps its original bytes: the specializer and
   * the effect screen read those, and the residual code is made from them.
   */
  @Override
  protected Class<?> findClass(final String name) throws ClassNotFoundException {
    final URL url = findResource(name.replace('.', '/') + ".class");
    if (url == null) {
      throw new ClassNotFoundException(name);
    }
    final byte[] original;
    try (java.io.InputStream in = url.openStream()) {
      original = in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new ClassNotFoundException(name + ": cannot read " + url + " (" + e.getMessage() + ")", e);
    }
    final byte[] polled = CancellationPoints.rewrite(original);
    final byte[] bytes = polled != null ? polled : original;
    return defineClass(name, bytes, 0, bytes.length, new java.security.CodeSource(url,
        (java.security.CodeSigner[]) null));
  }

  /**
   * Returns a full-privilege lookup in {@code c}, a class of this loader, or null when {@code c} belongs to another
   * module (the JDK's classes, or the parent loader's).
   */
  public synchronized MethodHandles.Lookup lookupIn(final Class<?> c) {
    if (c.getModule() != getUnnamedModule()) {
      return null;
    }
    try {
      if (probe == null) {
        final byte[] bytes = probeClass();
        final Class<?> p = defineClass(PROBE.replace('/', '.'), bytes, 0, bytes.length);
        probe = (MethodHandles.Lookup) p.getMethod("lookup").invoke(null);
      }
      final MethodHandles.Lookup in = MethodHandles.privateLookupIn(c, probe);
      return in.hasFullPrivilegeAccess() ? in : null;
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      return null;
    }
  }

  /** {@code public final class Probe { public static Lookup lookup() { return MethodHandles.lookup(); } }} */
  private static byte[] probeClass() {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, PROBE, null, "java/lang/Object", null);
    addLookupMethod(cw);
    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * Adds {@code public static Lookup lookup() { return MethodHandles.lookup(); }} to the class {@code cw} writes:
   * the class's own full-privilege lookup, for whoever loads it to specialize its methods.
   */
  public static void addLookupMethod(final ClassVisitor cw) {
    final String lookupDesc = "()Ljava/lang/invoke/MethodHandles$Lookup;";
    final MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "lookup", lookupDesc, null, null);
    mv.visitCode();
    mv.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup", lookupDesc, false);
    mv.visitInsn(ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitInnerClass("java/lang/invoke/MethodHandles$Lookup", "java/lang/invoke/MethodHandles", "Lookup",
        ACC_PUBLIC | ACC_STATIC | ACC_FINAL);
  }
}
