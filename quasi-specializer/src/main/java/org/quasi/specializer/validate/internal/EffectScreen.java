package org.quasi.specializer.validate.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The side-effect policy of validation: a method is skipped when running it twice could touch global state, do I/O or
 * give different results on equal inputs. Detection is by bytecode, over the method and, transitively, the methods
 * it calls statically (invokestatic, invokespecial and invokevirtual/invokeinterface on the named owner), and the
 * methods its {@code invokedynamic} instructions name (a lambda's body, a method reference's target), whose class
 * files the validated class path provides.
 *
 * <p>A method is skipped when it (or a callee so reached)
 * <ul>
 *   <li>writes a static field (putstatic) outside a static initializer;</li>
 *   <li>calls into {@code java.io} (except the in-memory readers, writers and streams: {@code String*},
 *       {@code ByteArray*}, {@code CharArray*}), {@code java.nio.file}, {@code java.nio.channels}, {@code java.net},
 *       {@code java.util.logging}, {@code java.lang.Thread}, {@code Runtime}, {@code Process*},
 *       {@code ClassLoader}, {@code java.lang.reflect} (but {@code Array}), {@code java.lang.invoke.MethodHandles},
 *       or {@code System}
 *       other than {@code arraycopy} and {@code lineSeparator}; reads {@code System.out}, {@code err} or {@code in},
 *       or calls {@code printStackTrace()}: the standard streams reach the terminal through calls the rules above
 *       do not see (Rhino's {@code Kit.codeBug} runs {@code ex.printStackTrace(System.err)}, a call on a
 *       {@code RuntimeException}, and printed 378 stack traces during a validation);</li>
 *   <li>draws randomness or time: {@code Random}, {@code SplittableRandom}, {@code ThreadLocalRandom},
 *       {@code SecureRandom}, {@code Math.random}, {@code UUID.randomUUID}, {@code java.time} {@code now}/clocks,
 *       {@code Calendar.getInstance}, {@code new GregorianCalendar} without a date, {@code new Date()},
 *       {@code System.nanoTime}/{@code currentTimeMillis} (covered by the {@code System} rule);</li>
 *   <li>is named for randomness (its class's simple name or its name contains "random", any case), or calls a
 *       method of a class so named: randomness reached through a field, such as a {@code Supplier<Random>}, or a
 *       shared generator of the library's own (colt's {@code RandomEngine}), escapes the rules above;</li>
 *   <li>runs code on other threads: makes a stream parallel ({@code parallel}, {@code parallelStream}), calls
 *       {@code Arrays.parallel*}, or calls {@code ForkJoinPool}, {@code ForkJoinTask}, {@code CompletableFuture},
 *       an {@code Executor}, {@code Executors} or a thread pool: the schedule decides which failing task's exception
 *       the caller sees (smile's {@code MathEx.pdist}), and two runs of the original may agree by chance;</li>
 *   <li>makes the super calls {@code Object.hashCode()} or {@code Object.toString()} (identity hashes differ between
 *       the two copies of the inputs), or calls {@code wait} or {@code notify};</li>
 *   <li>calls {@code sun.misc.Unsafe} or {@code jdk.internal.misc.Unsafe} from a class outside the JDK: raw memory at
 *       offsets computed from drawn values could corrupt the heap and crash the JVM (aircompressor's decompressors
 *       did); the JDK's own uses check their bounds first;</li>
 *   <li>calls a native method declared by a class outside the JDK: native code trusts its arguments as Unsafe does
 *       (smile's {@code OpenBLAS.asum(n, x, incx)} calls JavaCPP's {@code cblas_dasum}, which read past {@code x}
 *       on a drawn {@code n} and crashed the JVM); the JDK's own native methods are reached through code that checks
 *       their arguments first. Native code is looked for also behind virtual and interface calls whose owner is
 *       outside the JDK, in every class of the class path that implements the method, through any chain of calls
 *       ({@link NativeReach}; smile's {@code Matrix} calls {@code BLAS.engine.gemm}, an interface whose implementation
 *       {@code OpenBLAS} is on the class path): a crashed JVM is no divergence to inspect.</li>
 * </ul>
 *
 * @implNote A call is screened at the method its named owner resolves to, declared there or inherited from a
 *     superclass or a superinterface's default method; methods overriding it are not (but for native code, above),
 *     and callees in the
 *     JDK are screened by the owner rules above, not by their bytecode: a method that reaches I/O only through a
 *     virtual call on a generated argument is not caught. Validation compares outcomes, so such a method shows up as
 *     a divergence to inspect, never as a silent pass.
 */
public final class EffectScreen {
  /** How deep calls into the validated class path are followed (deep enough for any real call chain). */
  public static final int DEPTH = 64;

  private static final List<String> FORBIDDEN_PREFIXES = List.of("java/io/", "java/nio/file/",
      "java/nio/channels/", "java/net/", "java/util/logging/", "java/lang/Thread", "java/lang/Runtime$",
      "java/lang/Process", "java/lang/ClassLoader", "java/lang/reflect/", "java/lang/invoke/MethodHandles",
      "java/util/Random", "java/util/SplittableRandom", "java/util/concurrent/ThreadLocalRandom",
      "java/security/SecureRandom", "java/time/Clock", "java/lang/System", "java/lang/StackWalker");
  /** Classes that run tasks on other threads (besides {@code Thread}, above, and parallel streams). */
  private static final List<String> CONCURRENT_PREFIXES = List.of("java/util/concurrent/ForkJoin",
      "java/util/concurrent/CompletableFuture", "java/util/concurrent/Executor",
      "java/util/concurrent/ThreadPoolExecutor", "java/util/concurrent/ScheduledThreadPoolExecutor");
  /** In-memory classes under forbidden prefixes: readers and writers of strings and arrays, reflective arrays. */
  private static final List<String> ALLOWED = List.of("java/io/String", "java/io/ByteArray", "java/io/CharArray",
      "java/io/Serializable", "java/io/IOException", "java/io/UncheckedIOException", "java/lang/reflect/Array");
  private static final java.util.regex.Pattern RANDOM = java.util.regex.Pattern.compile("(?i)random");
  private static final Set<String> ALLOWED_SYSTEM = Set.of("arraycopy", "lineSeparator");

  /** Most method scans of one validation run. */
  public static final int SCAN_BUDGET = 2_000_000;

  private final ClassFiles classFiles;
  /** The binary names of the class path's classes, whose implementations of a called method native code is looked for in. */
  private final Collection<String> classPathClasses;
  private final Verdicts verdicts = new Verdicts();
  /** Which methods of the class path may run native code outside the JDK (computed at the first call it is asked of). */
  private NativeReach nativeReach;
  private int scans;

  public EffectScreen(final ClassLoader loader) {
    this(loader, List.of());
  }

  /**
   * A screen reading class files through {@code loader}, that looks for native code also in the implementations, among
   * {@code classPathClasses} (binary names), of the virtual and interface methods it sees called.
   */
  public EffectScreen(final ClassLoader loader, final Collection<String> classPathClasses) {
    this(new ClassFiles(loader), classPathClasses);
  }

  /**
   * A screen reading class files through {@code classFiles} (shared with the screen that consults this one), that
   * knows no class path's classes: native code is looked for only at the owners calls name.
   */
  public EffectScreen(final ClassFiles classFiles) {
    this(classFiles, List.of());
  }

  private EffectScreen(final ClassFiles classFiles, final Collection<String> classPathClasses) {
    this.classFiles = classFiles;
    this.classPathClasses = List.copyOf(classPathClasses);
  }

  /** Returns why method {@code name desc} of class {@code owner} (internal name) is skipped, or null. */
  public String problem(final String owner, final String name, final String desc) {
    if (RANDOM.matcher(owner.substring(owner.lastIndexOf('/') + 1)).find() || RANDOM.matcher(name).find()) {
      // Randomness reached through a field (a Supplier<Random>, say) escapes the bytecode rules: names tell.
      return "calls randomness (the class or method is named for it)";
    }
    return problem(owner, name, desc, 0);
  }

  /**
   * The verdict for one method, memoized by {@link Verdicts} (a clean verdict reached through a recursive cycle is
   * provisional). A run that scans more than {@value #SCAN_BUDGET} methods treats what is left as a problem, never as
   * clean.
   */
  private String problem(final String owner, final String name, final String desc, final int depth) {
    return verdicts.verdict(owner + "." + name + desc,
        () -> ++scans > SCAN_BUDGET
            ? "calls through a call graph too large to screen (more than " + SCAN_BUDGET + " methods)" : null,
        () -> scan(owner, name, desc, depth));
  }

  private String scan(final String owner, final String name, final String desc, final int depth) {
    final ClassNode cn = classFiles.classNode(owner);
    if (cn == null) {
      return null;
    }
    if (!declares(cn, name, desc)) {
      return inherited(cn, name, desc, depth);
    }
    for (final MethodNode m : cn.methods) {
      if (!m.name.equals(name) || !m.desc.equals(desc)) {
        continue;
      }
      if ((m.access & Opcodes.ACC_NATIVE) != 0 && !jdk(owner)) {
        return "calls native method " + owner.replace('/', '.') + "." + name + " (native code outside the JDK)";
      }
      for (final AbstractInsnNode insn : m.instructions) {
        if (insn.getOpcode() == Opcodes.PUTSTATIC && !name.equals("<clinit>")) {
          final FieldInsnNode f = (FieldInsnNode) insn;
          return "writes static field " + f.owner.replace('/', '.') + "." + f.name + " (global state)";
        }
        if (insn.getOpcode() == Opcodes.GETSTATIC && ((FieldInsnNode) insn).owner.equals("java/lang/System")) {
          // The stream is then used through calls the owner rules pass (Throwable.printStackTrace(PrintStream), a
          // library's own print(PrintStream)): reading it is the effect.
          return "reads java.lang.System." + ((FieldInsnNode) insn).name + " (I/O on a standard stream)";
        }
        if (insn instanceof MethodInsnNode call) {
          final String p = callScreen(call, owner, depth);
          if (p != null) {
            return p;
          }
        }
        if (insn instanceof InvokeDynamicInsnNode indy) {
          // A lambda's body or a method reference runs when the functional object is called, which the screen cannot
          // follow from here: netty's SocketUtils looked host names up in lambdas. Every method an invokedynamic's
          // bootstrap arguments name is screened as if called here.
          for (final Object arg : indy.bsmArgs) {
            final MethodInsnNode named = arg instanceof Handle h ? asCall(h) : null;
            final String p = named == null ? null : callScreen(named, owner, depth);
            if (p != null) {
              return p;
            }
          }
        }
      }
    }
    return null;
  }

  private static boolean declares(final ClassNode cn, final String name, final String desc) {
    return cn.methods.stream().anyMatch(m -> m.name.equals(name) && m.desc.equals(desc));
  }

  /**
   * The verdict for a method that the class {@code cn}, named by a call, inherits: the JVM resolves the call to the
   * nearest superclass that declares it, or else to a superinterface's default method (Rhino's {@code ScriptNode}
   * calls {@code codeBug()}, declared by its superclass {@code AstNode}, which prints to {@code System.err}; screened
   * at the named owner alone, it passed). A superclass or superinterface in the JDK is judged by the owner rules; past
   * the first JDK superclass, whose class file is not read, the class path's default methods are screened too.
   */
  private String inherited(final ClassNode cn, final String name, final String desc, final int depth) {
    final ArrayDeque<String> interfaces = new ArrayDeque<>(cn.interfaces);
    for (String s = cn.superName; s != null; ) {
      if (jdk(s)) {
        final String p = callProblem(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, s, name, desc), cn.name);
        if (p != null) {
          return p;
        }
        break;
      }
      final ClassNode sc = classFiles.classNode(s);
      if (sc == null) {
        return null;
      }
      if (declares(sc, name, desc)) {
        return problem(s, name, desc, depth);
      }
      interfaces.addAll(sc.interfaces);
      s = sc.superName;
    }
    final Set<String> seen = new HashSet<>();
    while (!interfaces.isEmpty()) {
      final String i = interfaces.poll();
      if (!seen.add(i)) {
        continue;
      }
      if (jdk(i)) {
        final String p = callProblem(new MethodInsnNode(Opcodes.INVOKEINTERFACE, i, name, desc), cn.name);
        if (p != null) {
          return p;
        }
        continue;
      }
      final ClassNode ic = classFiles.classNode(i);
      if (ic == null) {
        continue;
      }
      if (declares(ic, name, desc)) {
        final String p = problem(i, name, desc, depth);
        if (p != null) {
          return p;
        }
      }
      interfaces.addAll(ic.interfaces);
    }
    return null;
  }

  /**
   * What makes {@code call}, made by code of class {@code owner} at {@code depth}, unfit to run on drawn values: the
   * call itself, native code behind its dispatch, or what its callee does; or null.
   */
  private String callScreen(final MethodInsnNode call, final String owner, final int depth) {
    final String p = callProblem(call, owner);
    if (p != null) {
      return p;
    }
    final String dispatched = nativeBehindDispatch(call);
    if (dispatched != null) {
      return dispatched;
    }
    if (depth < DEPTH && !call.owner.startsWith("java/") && !call.owner.startsWith("[")) {
      final String deeper = problem(call.owner, call.name, call.desc, depth + 1);
      if (deeper != null) {
        return deeper.startsWith("calls ") || deeper.startsWith("writes ") || deeper.startsWith("reads ")
            ? deeper + " through " + call.owner.replace('/', '.') + "." + call.name : deeper;
      }
    }
    return null;
  }

  /**
   * The call a method handle constant stands for (a constructor's as its {@code invokespecial}), or null for a field
   * handle: reading a field through it runs no code, and writing a static one is the lambda body's own
   * {@code putstatic}, which the screen sees there.
   */
  private static MethodInsnNode asCall(final Handle h) {
    final int opcode = switch (h.getTag()) {
      case Opcodes.H_INVOKESTATIC -> Opcodes.INVOKESTATIC;
      case Opcodes.H_INVOKEVIRTUAL -> Opcodes.INVOKEVIRTUAL;
      case Opcodes.H_INVOKEINTERFACE -> Opcodes.INVOKEINTERFACE;
      case Opcodes.H_INVOKESPECIAL, Opcodes.H_NEWINVOKESPECIAL -> Opcodes.INVOKESPECIAL;
      default -> -1;
    };
    return opcode < 0 ? null : new MethodInsnNode(opcode, h.getOwner(), h.getName(), h.getDesc(), h.isInterface());
  }

  /**
   * Why a call may run native code outside the JDK that the screen at its named owner does not see: the method it
   * resolves to, declared by a superclass on the class path, or, for a virtual or interface call, an implementation
   * in any class of the class path that extends or implements the owner, may. Null when none may. The rest of the
   * policy stops at the named owner (see the class's note); native code does not, since a run that crashes the JVM
   * ends the validation.
   */
  private String nativeBehindDispatch(final MethodInsnNode call) {
    if (jdk(call.owner) || call.owner.startsWith("[") || classPathClasses.isEmpty()) {
      return null;
    }
    if (nativeReach == null) {
      nativeReach = NativeReach.of(classFiles, classPathClasses);
    }
    return nativeReach.target(call.owner, call.name, call.desc,
        call.getOpcode() == Opcodes.INVOKEVIRTUAL || call.getOpcode() == Opcodes.INVOKEINTERFACE);
  }

  /** What makes {@code call}, made by code of class {@code caller}, unfit to run on drawn values; or null. */
  private static String callProblem(final MethodInsnNode call, final String caller) {
    final String owner = call.owner;
    if (owner.equals("java/lang/System") && ALLOWED_SYSTEM.contains(call.name)
        || ALLOWED.stream().anyMatch(owner::startsWith)) {
      return null;
    }
    // java.lang.Runtime is matched whole (and its nested classes by the prefix "java/lang/Runtime$"): as a prefix it
    // also matched RuntimeException, and every method making or catching one was skipped as I/O.
    if (FORBIDDEN_PREFIXES.stream().anyMatch(owner::startsWith) || owner.equals("java/lang/Runtime")
        || owner.startsWith("java/time/") && call.name.equals("now")
        || owner.equals("java/util/Calendar") && call.name.startsWith("getInstance")
        || owner.equals("java/util/GregorianCalendar") && call.name.equals("<init>") && !call.desc.contains("I")
        || owner.equals("java/util/Date") && call.name.equals("<init>") && call.desc.equals("()V")
        || (owner.equals("java/lang/Math") || owner.equals("java/lang/StrictMath")) && call.name.equals("random")
        || owner.equals("java/util/UUID") && call.name.equals("randomUUID")
        // A generator of the library's own advances state the rules above need not see: colt's shared engine
        // (Uniform.staticNextBoolean -> RandomEngine.raw), an object reached through a static field.
        || RANDOM.matcher(owner.substring(owner.lastIndexOf('/') + 1)).find()
        // Throwable.printStackTrace() prints to System.err, on whatever Throwable class the call names.
        || call.name.equals("printStackTrace") && call.desc.equals("()V")
        || owner.equals("java/lang/Object") && (call.getOpcode() == Opcodes.INVOKESPECIAL
            && (call.name.equals("hashCode") || call.name.equals("toString")) || call.name.startsWith("wait")
            || call.name.startsWith("notify"))) {
      return "calls " + owner.replace('/', '.') + "." + call.name + " (I/O, global state, randomness or identity)";
    }
    if (owner.startsWith("java/util/stream/") && call.name.equals("parallel") || call.name.equals("parallelStream")
        || owner.equals("java/util/Arrays") && call.name.startsWith("parallel")
        || CONCURRENT_PREFIXES.stream().anyMatch(owner::startsWith)) {
      // Which task fails first, and so which exception the caller sees, depends on the schedule: smile's
      // MathEx.pdist(float[][]) threw IllegalArgumentException 66 times and NullPointerException 234 in 300 runs.
      return "calls " + owner.replace('/', '.') + "." + call.name + " (runs code on other threads)";
    }
    if ((owner.equals("sun/misc/Unsafe") || owner.equals("jdk/internal/misc/Unsafe")) && !jdk(caller)) {
      // Raw memory at offsets computed from drawn values: a run could corrupt the heap and crash the JVM. The JDK's
      // own uses (validating jrt:/java.base) check their bounds first.
      return "calls " + owner.replace('/', '.') + "." + call.name + " (raw memory access)";
    }
    return null;
  }

  /** Whether {@code internalName} names a class of the JDK (shared with {@link NativeReach}). */
  static boolean jdk(final String internalName) {
    return internalName.startsWith("java/") || internalName.startsWith("jdk/") || internalName.startsWith("sun/");
  }
}
