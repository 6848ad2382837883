package org.quasi.versions;

import static org.objectweb.asm.Opcodes.ACC_ABSTRACT;
import static org.objectweb.asm.Opcodes.ACC_INTERFACE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SYNTHETIC;
import static org.objectweb.asm.Opcodes.V17;

import java.io.PrintStream;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.objectweb.asm.ClassWriter;

/**
 * The {@code invokedynamic} bootstrap of entry points woven by quasi-agent from a spec file's {@code entry} lines
 * ({@code docs/SPEC.md}): the woven method's body is one {@code invokedynamic} whose first call builds the
 * {@link EntryPoint} (lazily) and links the call site, for good, to its dispatch handle, a JIT constant in the woven
 * class. The original body was moved by the weaver to the private synthetic method
 * {@code NAME$quasi$generic} with the same descriptor: the generic version calls it, and the specializer reads the
 * original body from the unwoven class file.
 *
 * <p>The entry's functional interface (the whole call, receiver first; each version's residual code implements it,
 * ignoring the keys) is generated and defined in the woven class's package through its own lookup: no access beyond
 * that class's is used. If the entry point cannot be built (a key names no field, a quasi-invariant's class is missing),
 * the call site links to the generic body and one line on standard error says why; so does the first declined
 * specialization of each entry.
 *
 * @implNote The versions fold the spec file's {@code quasi-invariant} lines only: fields guarded because they are
 *     annotated {@code @QuasiInvariant} are guarded but not folded by entry points the agent builds (the weaver
 *     sees one class at a time and cannot list them all). Each entry point's interfaces are defined once, as normal
 *     classes of the woven class's loader.
 * @since 0.1
 */
public final class EntryBootstrap {

  /** The suffix of the synthetic method holding the original body. */
  public static final String GENERIC_SUFFIX = "$quasi$generic";

  /** Every entry point built so far, in order, with where it was declared. */
  private static final List<Built> BUILT = new CopyOnWriteArrayList<>();

  private static final AtomicInteger NEXT = new AtomicInteger();

  /** Where standard-error lines go (replaceable for tests of this class only through the agent). */
  private static final PrintStream ERR = System.err;

  private record Built(String where, EntryPoint<?> entry) {
  }

  private EntryBootstrap() {
  }

  /**
   * Links a woven entry method's call site.
   *
   * @param caller the woven class's lookup
   * @param name   the invokedynamic's name (unused)
   * @param type   the call's type: the receiver (for an instance method), then the parameters
   * @param spec   {@code [0]} FILE:LINE of the entry line, {@code [1]} the method name, {@code [2]} its descriptor,
   *               {@code [3]} the keys joined with commas, {@code [4]} the policy as
   *               {@code after,versions,backoff,replugger[,background|caller]} (0 and {@code -} for the defaults;
   *               without the fifth field, in the caller, as agents before it wove), {@code [5]} the binary
   *               name of the class declaring the method, {@code [6..]} the spec file's quasi-invariants as
   *               {@code binary.Owner.field}
   * @return a constant call site on the entry's dispatch, or on the generic body when it cannot be built; when the
   *     instruction was copied out of the entry method (into residual code that inlined it), a call site on the
   *     entry method itself, which is what the instruction meant there
   */
  public static CallSite entry(final MethodHandles.Lookup caller, final String name, final MethodType type,
      final String... spec) throws NoSuchMethodException, IllegalAccessException, ClassNotFoundException {
    final Class<?> owner = Class.forName(spec[5], false, caller.lookupClass().getClassLoader());
    if (owner != caller.lookupClass()) {
      final Method m = EntryMethods.find(owner, spec[1], spec[2]);
      return new ConstantCallSite(caller.unreflect(m).asType(type));
    }
    final Method generic = EntryMethods.find(owner, spec[1] + GENERIC_SUFFIX, spec[2]);
    final MethodHandle genericHandle = caller.unreflect(generic).asType(type);
    try {
      final EntryPoint<?> entry = build(caller, type, spec, generic);
      BUILT.add(new Built(spec[0], entry));
      return new ConstantCallSite(entry.dispatchHandle().asType(type));
    } catch (RuntimeException | LinkageError e) {
      // DontCheck(IllegalCatch): whatever fails, the program runs its original body and is told why once.
      ERR.println("quasi-agent: entry " + spec[0] + " " + owner.getName() + "." + spec[1] + spec[2]
          + " runs its generic body: " + e.getMessage());
      return new ConstantCallSite(genericHandle);
    }
  }

  private static EntryPoint<?> build(final MethodHandles.Lookup caller, final MethodType type, final String[] spec,
      final Method generic) {
    final Class<?> owner = caller.lookupClass();
    // The specializer reads the class file the loader serves: the original (load-time weaving) has the body under the
    // method's own name; a file woven ahead of time has it under the generic name, and the dispatch under the own.
    final Method method = declaresInClassFile(owner, generic.getName()) ? generic
        : EntryMethods.find(owner, spec[1], spec[2]);
    final boolean instance = !Modifier.isStatic(method.getModifiers());
    final List<String> keys = List.of(spec[3].split(","));
    final Set<Integer> keyArguments = new TreeSet<>();
    for (final String k : keys) {
      final String base = k.contains(".") ? k.substring(0, k.indexOf('.')) : k;
      keyArguments.add(base.equals("this") ? 0 : Integer.parseInt(base.substring(3)) + (instance ? 1 : 0));
    }
    final int n = NEXT.incrementAndGet();
    final Class<?> entryType = defineInterface(caller, owner.getSimpleName() + "$QuasiEntry" + n, type);
    final AtomicBoolean told = new AtomicBoolean();
    final EntryPointBuilder<?> b = EntryPoint.builder(caller, method, entryType).generic(generic)
        .policy(policy(spec[4]))
        .onDecline((key, reason) -> {
          if (told.compareAndSet(false, true)) {
            ERR.println("quasi-agent: entry " + spec[0] + " " + owner.getName() + "." + spec[1] + spec[2]
                + ": key " + key + " runs the generic body: " + reason);
          }
        });
    for (final String k : keys) {
      b.key(k);
    }
    for (int i = 6; i < spec.length; i++) {
      final int dot = spec[i].lastIndexOf('.');
      final Class<?> c;
      try {
        c = Class.forName(spec[i].substring(0, dot), false, owner.getClassLoader());
      } catch (ClassNotFoundException e) {
        ERR.println("quasi-agent: entry " + spec[0] + ": the quasi-invariant " + spec[i] + " is not folded: class "
            + e.getMessage() + " not found from " + owner.getName() + "'s loader");
        continue;
      }
      b.quasiInvariant(c, spec[i].substring(dot + 1));
    }
    return b.build();
  }

  /** Whether the class file {@code owner}'s loader serves for it declares a method named {@code name}. */
  private static boolean declaresInClassFile(final Class<?> owner, final String name) {
    final ClassLoader loader = owner.getClassLoader();
    final String resource = owner.getName().replace('.', '/') + ".class";
    try (java.io.InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
        : loader.getResourceAsStream(resource)) {
      if (in == null) {
        return false;
      }
      final boolean[] found = {false};
      new org.objectweb.asm.ClassReader(in.readAllBytes()).accept(new org.objectweb.asm.ClassVisitor(
          org.objectweb.asm.Opcodes.ASM9) {
        @Override
        public org.objectweb.asm.MethodVisitor visitMethod(final int access, final String n, final String d,
            final String sig, final String[] ex) {
          found[0] |= n.equals(name);
          return null;
        }
      }, org.objectweb.asm.ClassReader.SKIP_CODE);
      return found[0];
    } catch (java.io.IOException | RuntimeException e) {
      // DontCheck(IllegalCatch): an unreadable class file is the specializer's to decline; assume the original.
      return false;
    }
  }

  private static EntryPolicy policy(final String text) {
    final String[] p = text.split(",");
    EntryPolicy policy = EntryPolicy.DEFAULT;
    if (!p[0].equals("0")) {
      policy = policy.withSpecializeAfter(Integer.parseInt(p[0]));
    }
    if (!p[1].equals("0")) {
      policy = policy.withMaxVersions(Integer.parseInt(p[1]));
    }
    if (!p[2].equals("0")) {
      policy = policy.withBackoffAfter(Integer.parseInt(p[2]));
    }
    if (!p[3].equals("-")) {
      policy = policy.withCounting(p[3].equals("counting"));
    }
    if (p.length > 4) {
      policy = policy.withBackground(p[4].equals("background"));
    }
    return policy;
  }

  /** Defines, in the caller's package and loader, a public interface with one method {@code call} of type {@code t}. */
  private static Class<?> defineInterface(final MethodHandles.Lookup caller, final String simpleName,
      final MethodType t) {
    final String pkg = caller.lookupClass().getPackageName().replace('.', '/');
    final String name = (pkg.isEmpty() ? "" : pkg + "/") + simpleName;
    final ClassWriter cw = new ClassWriter(0);
    cw.visit(V17, ACC_PUBLIC | ACC_ABSTRACT | ACC_INTERFACE | ACC_SYNTHETIC, name, null, "java/lang/Object", null);
    cw.visitMethod(ACC_PUBLIC | ACC_ABSTRACT, "call", t.toMethodDescriptorString(), null, null).visitEnd();
    cw.visitEnd();
    try {
      return caller.defineClass(cw.toByteArray());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot define " + name + " through " + caller + ": " + e.getMessage(), e);
    }
  }

  /** Prints each entry point built so far: where it was declared, its method and its counters. */
  public static void report(final PrintStream out) {
    if (BUILT.isEmpty()) {
      out.println("quasi-agent: no entry point was called");
    }
    for (final Built b : BUILT) {
      out.println("quasi-agent: entry " + b.where() + " " + b.entry());
    }
  }

  /** Prints {@link #report} to {@code out} when the JVM exits. */
  public static void reportAtExit(final PrintStream out) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> report(out), "quasi-entry-report"));
  }
}
