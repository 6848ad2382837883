package org.quasi.specializer.validate.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The side-effect policy of validation: a method is skipped when running it twice could touch global state, do I/O or
 * give different results on equal inputs. Detection is by bytecode, over the method and, transitively, the methods
 * it calls statically (invokestatic, invokespecial and invokevirtual/invokeinterface on the named owner) whose class
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
 *       other than {@code arraycopy} and {@code lineSeparator};</li>
 *   <li>draws randomness or time: {@code Random}, {@code SplittableRandom}, {@code ThreadLocalRandom},
 *       {@code SecureRandom}, {@code Math.random}, {@code UUID.randomUUID}, {@code java.time} {@code now}/clocks,
 *       {@code Calendar.getInstance}, {@code new GregorianCalendar} without a date, {@code new Date()},
 *       {@code System.nanoTime}/{@code currentTimeMillis} (covered by the {@code System} rule);</li>
 *   <li>is named for randomness (its class's simple name or its name contains "random", any case): randomness
 *       reached through a field, such as a {@code Supplier<Random>}, escapes the rules above;</li>
 *   <li>makes the super calls {@code Object.hashCode()} or {@code Object.toString()} (identity hashes differ between
 *       the two copies of the inputs), or calls {@code wait} or {@code notify}.</li>
 * </ul>
 *
 * @implNote Calls through interfaces and overridden methods are screened only at the named owner, and callees in the
 *     JDK are screened by the owner rules above, not by their bytecode: a method that reaches I/O only through a
 *     virtual call on a generated argument is not caught. Validation compares outcomes, so such a method shows up as
 *     a divergence to inspect, never as a silent pass.
 */
public final class EffectScreen {
  /** How deep calls into the validated class path are followed (deep enough for any real call chain). */
  public static final int DEPTH = 64;

  private static final List<String> FORBIDDEN_PREFIXES = List.of("java/io/", "java/nio/file/",
      "java/nio/channels/", "java/net/", "java/util/logging/", "java/lang/Thread", "java/lang/Runtime",
      "java/lang/Process", "java/lang/ClassLoader", "java/lang/reflect/", "java/lang/invoke/MethodHandles",
      "java/util/Random", "java/util/SplittableRandom", "java/util/concurrent/ThreadLocalRandom",
      "java/security/SecureRandom", "java/time/Clock", "java/lang/System", "java/lang/StackWalker");
  /** In-memory classes under forbidden prefixes: readers and writers of strings and arrays, reflective arrays. */
  private static final List<String> ALLOWED = List.of("java/io/String", "java/io/ByteArray", "java/io/CharArray",
      "java/io/Serializable", "java/io/IOException", "java/io/UncheckedIOException", "java/lang/reflect/Array");
  private static final java.util.regex.Pattern RANDOM = java.util.regex.Pattern.compile("(?i)random");
  private static final Set<String> ALLOWED_SYSTEM = Set.of("arraycopy", "lineSeparator");

  /** Most method scans of one validation run. */
  public static final int SCAN_BUDGET = 2_000_000;
  /** The verdict of a method whose scan is under way (compared by identity). */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String IN_PROGRESS = new String("in progress");

  private final ClassLoader loader;
  private int scans;
  private int cycles;
  /**
   * Class files read, softly held: the verdicts are what is worth keeping, and a program run under shadow mode (or a
   * long validation) must not lose heap to the screen's cache (commons-codec's tests measure their free heap).
   */
  private final Map<String, SoftReference<ClassNode>> classes = new HashMap<>();
  /** Classes whose class file the loader does not provide. */
  private final Set<String> absent = new HashSet<>();
  private final Map<String, String> verdicts = new HashMap<>();

  public EffectScreen(final ClassLoader loader) {
    this.loader = loader;
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
   * The verdict for one method, memoized. A method already being scanned (a recursive cycle) counts as clean while
   * its scan is in progress, so a clean verdict reached through such a cycle is provisional: it is not memoized, and
   * a later question scans again (a problem is always final). A run that scans more than {@value #SCAN_BUDGET}
   * methods treats what is left as a problem, never as clean.
   */
  private String problem(final String owner, final String name, final String desc, final int depth) {
    final String key = owner + "." + name + desc;
    final String known = verdicts.get(key);
    if (known != null) {
      if (known == IN_PROGRESS) {
        cycles++;
        return null;
      }
      return known.isEmpty() ? null : known;
    }
    if (++scans > SCAN_BUDGET) {
      return "calls through a call graph too large to screen (more than " + SCAN_BUDGET + " methods)";
    }
    final int cyclesBefore = cycles;
    verdicts.put(key, IN_PROGRESS);
    final String why = scan(owner, name, desc, depth);
    if (why == null && cycles != cyclesBefore) {
      verdicts.remove(key);
    } else {
      verdicts.put(key, why == null ? "" : why);
    }
    return why;
  }

  private String scan(final String owner, final String name, final String desc, final int depth) {
    final ClassNode cn = classNode(owner);
    if (cn == null) {
      return null;
    }
    for (final MethodNode m : cn.methods) {
      if (!m.name.equals(name) || !m.desc.equals(desc)) {
        continue;
      }
      for (final AbstractInsnNode insn : m.instructions) {
        if (insn.getOpcode() == Opcodes.PUTSTATIC && !name.equals("<clinit>")) {
          final FieldInsnNode f = (FieldInsnNode) insn;
          return "writes static field " + f.owner.replace('/', '.') + "." + f.name + " (global state)";
        }
        if (insn instanceof MethodInsnNode call) {
          final String p = callProblem(call);
          if (p != null) {
            return p;
          }
          if (depth < DEPTH && !call.owner.startsWith("java/") && !call.owner.startsWith("[")) {
            final String deeper = problem(call.owner, call.name, call.desc, depth + 1);
            if (deeper != null) {
              return deeper.startsWith("calls ") || deeper.startsWith("writes ") ? deeper + " through "
                  + call.owner.replace('/', '.') + "." + call.name : deeper;
            }
          }
        }
      }
    }
    return null;
  }

  private static String callProblem(final MethodInsnNode call) {
    final String owner = call.owner;
    if (owner.equals("java/lang/System") && ALLOWED_SYSTEM.contains(call.name)
        || ALLOWED.stream().anyMatch(owner::startsWith)) {
      return null;
    }
    if (FORBIDDEN_PREFIXES.stream().anyMatch(owner::startsWith)
        || owner.startsWith("java/time/") && call.name.equals("now")
        || owner.equals("java/util/Calendar") && call.name.startsWith("getInstance")
        || owner.equals("java/util/GregorianCalendar") && call.name.equals("<init>") && !call.desc.contains("I")
        || owner.equals("java/util/Date") && call.name.equals("<init>") && call.desc.equals("()V")
        || (owner.equals("java/lang/Math") || owner.equals("java/lang/StrictMath")) && call.name.equals("random")
        || owner.equals("java/util/UUID") && call.name.equals("randomUUID")
        || owner.equals("java/lang/Object") && (call.getOpcode() == Opcodes.INVOKESPECIAL
            && (call.name.equals("hashCode") || call.name.equals("toString")) || call.name.startsWith("wait")
            || call.name.startsWith("notify"))) {
      return "calls " + owner.replace('/', '.') + "." + call.name + " (I/O, global state, randomness or identity)";
    }
    return null;
  }

  private ClassNode classNode(final String owner) {
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
      // DontCheck(IllegalCatch): an unreadable class file is screened as absent (the JDK rules still apply).
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
