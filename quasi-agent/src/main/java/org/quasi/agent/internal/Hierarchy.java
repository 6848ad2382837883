package org.quasi.agent.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;
import org.quasi.agent.ClassBytes;

/**
 * Class headers read from class files (never loaded): field resolution as the JVM does it (JVMS 5.4.3.2), which
 * fields are quasi-invariant, which class of a hierarchy holds the QUID, and common superclasses for stack map frames.
 */
public final class Hierarchy {

  /** The descriptor of {@code @org.quasi.runtime.QuasiInvariant}. */
  static final String ANNOTATION = "Lorg/quasi/runtime/QuasiInvariant;";

  /** One field declaration. */
  public record FieldDecl(String name, String desc, int access, boolean annotated) {
    public boolean isStatic() {
      return (access & Opcodes.ACC_STATIC) != 0;
    }
  }

  /** One class's name, supertypes and fields. */
  public record Header(String name, String superName, List<String> interfaces, int access,
      Map<String, FieldDecl> fields) {
    public boolean isInterface() {
      return (access & Opcodes.ACC_INTERFACE) != 0;
    }
  }

  /** A resolved field reference. */
  public record Resolved(Header declaring, FieldDecl field) {
  }

  /** What a missing class maps to in the cache (a {@link ConcurrentHashMap} holds no nulls). */
  private static final Header MISSING = new Header("", null, List.of(), 0, Map.of());

  private final ClassBytes bytes;
  private final Map<String, Header> headers = new ConcurrentHashMap<>();
  private final Set<String> specEntries;
  private volatile Set<String> resolvedSpec;

  /** Which classes (internal names) cannot be woven: they hold no QUID and their fields use the side table. */
  private final Predicate<String> unwoven;

  /** Per class (internal name): whether weaving its class file succeeds, tried once ({@link #holdsItsGuards}). */
  private final Map<String, Boolean> weaves = new ConcurrentHashMap<>();

  /** The classes this thread is weaving now: their own sites may rely on them (an unwoven class's sites are moot). */
  private final ThreadLocal<Set<String>> weavingNow = ThreadLocal.withInitial(java.util.HashSet::new);

  /** Weaves a class file and says whether that succeeded; set by {@link ClassWeaving}. */
  private volatile Predicate<byte[]> trial = b -> true;

  /** A hierarchy where every class but the JDK's can be woven. */
  public Hierarchy(final ClassBytes bytes, final Set<String> specEntries) {
    this(bytes, specEntries, org.quasi.agent.WeaveOptions.JDK);
  }

  public Hierarchy(final ClassBytes bytes, final Set<String> specEntries, final Predicate<String> unwoven) {
    this.bytes = bytes;
    this.specEntries = specEntries;
    this.unwoven = unwoven;
  }

  /**
   * Whether {@code name} (internal) is a class the weaver may change; if not, writes to its fields use the side table.
   */
  public boolean isWovable(final String name) {
    return !unwoven.test(name);
  }

  /**
   * Whether {@code name} (internal) will get the QUID field and static flags that woven sites read: it is wovable,
   * and weaving its class file succeeds (tried once, on the bytes the class path gives, when another class's sites
   * first ask; a class whose file cannot be found is taken as wovable). A site relying on a class that fails would
   * read a field the class never got ({@code NoSuchFieldError} in the program); it takes the side table instead.
   */
  public boolean holdsItsGuards(final String name) {
    if (!isWovable(name)) {
      return false;
    }
    if (weavingNow.get().contains(name)) {
      return true;
    }
    final Boolean known = weaves.get(name);
    if (known != null) {
      return known;
    }
    final byte[] b = bytes.find(name);
    final boolean ok = b == null || trial.test(b);
    weaves.putIfAbsent(name, ok);
    return weaves.get(name);
  }

  /** Records that weaving {@code name} failed: sites woven from now on use the side table for its fields. */
  public void failedToWeave(final String name) {
    weaves.put(name, false);
  }

  /**
   * Records that weaving {@code name} succeeded, unless an earlier try said it fails: that answer is final, since
   * sites woven since take the side table for its fields, whose flags a QUID-holding class would never arm. Returns
   * whether the class may be woven.
   */
  boolean wovenNow(final String name) {
    return weaves.putIfAbsent(name, true) != Boolean.FALSE;
  }

  /** Runs {@code weave} with {@code name} marked as being woven by this thread (see {@link #holdsItsGuards}). */
  <T> T weaving(final String name, final java.util.function.Supplier<T> weave) {
    final boolean added = weavingNow.get().add(name);
    try {
      return weave.get();
    } finally {
      if (added) {
        weavingNow.get().remove(name);
      }
    }
  }

  /** Sets how a class file is tried ({@link ClassWeaving}: by weaving it). */
  void trialBy(final Predicate<byte[]> weave) {
    trial = weave;
  }

  /** Returns the header of {@code name}, or {@code null} when its class file cannot be found. */
  public Header header(final String name) {
    final Header h = headers.computeIfAbsent(name, n -> {
      final byte[] b = bytes.find(n);
      return b == null ? MISSING : read(b);
    });
    return h == MISSING ? null : h;
  }

  /** Remembers the header of a class file being woven (its bytes may not be findable yet). */
  public Header remember(final byte[] classFile) {
    final Header h = read(classFile);
    headers.putIfAbsent(h.name(), h);
    return h;
  }

  /** Resolves a field reference as the JVM does; {@code null} when not found or a class on the way is missing. */
  public Resolved resolveField(final String owner, final String name) {
    final Header c = header(owner);
    if (c == null) {
      return null;
    }
    final FieldDecl here = c.fields().get(name);
    if (here != null) {
      return new Resolved(c, here);
    }
    for (final String i : c.interfaces()) {
      final Resolved r = resolveField(i, name);
      if (r != null) {
        return r;
      }
    }
    return c.superName() == null ? null : resolveField(c.superName(), name);
  }

  /** Whether the field {@code name} declared by {@code declaring} is quasi-invariant (annotated or in the spec). */
  public boolean isQuasiInvariant(final Header declaring, final String name) {
    final FieldDecl f = declaring.fields().get(name);
    return f != null && (f.annotated() || resolvedSpec().contains(declaring.name() + "." + name));
  }

  /**
   * Whether the spec names {@code owner.name} (internal owner) as written: for a reference from a class whose own
   * header cannot be read, which therefore cannot be resolved.
   */
  public boolean specNames(final String owner, final String name) {
    return specEntries.contains(owner + "." + name);
  }

  /** Whether {@code h} declares a quasi-invariant instance field. */
  public boolean declaresInstanceQuasiInvariant(final Header h) {
    for (final FieldDecl f : h.fields().values()) {
      if (!f.isStatic() && isQuasiInvariant(h, f.name())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The class whose synthetic QUID field guards the instance fields declared by {@code declaring}: the topmost
   * wovable class of its superclass chain that declares a quasi-invariant instance field (one QUID per object).
   * Unwoven superclasses are skipped: their fields are guarded through the side table, which also finds a QUID held
   * by a woven subclass.
   */
  public String quidHolder(final Header declaring) {
    String top = declaring.name();
    for (Header h = declaring.superName() == null ? null : header(declaring.superName()); h != null;
        h = h.superName() == null ? null : header(h.superName())) {
      if (declaresInstanceQuasiInvariant(h) && holdsItsGuards(h.name())) {
        top = h.name();
      }
    }
    return top;
  }

  /**
   * Spec entries whose field could not be resolved, each as {@code com.x.Task.gid} followed by why and the nearest
   * existing names: the fields of the class and its superclasses, or the classes this hierarchy has read.
   */
  public List<String> unresolvedSpecEntries() {
    final List<String> out = new ArrayList<>();
    for (final String e : specEntries) {
      final int dot = e.lastIndexOf('.');
      final String owner = e.substring(0, dot);
      final String field = e.substring(dot + 1);
      if (resolveField(owner, field) != null) {
        continue;
      }
      final String shown = e.replace('/', '.');
      if (header(owner) == null) {
        final List<String> known = new ArrayList<>();
        for (final Map.Entry<String, Header> h : headers.entrySet()) {
          if (h.getValue() != MISSING) {
            known.add(h.getKey().replace('/', '.'));
          }
        }
        out.add(shown + " (class not found; nearest: "
            + nearest(owner.replace('/', '.'), known) + ")");
      } else {
        final List<String> fields = new ArrayList<>();
        for (Header h = header(owner); h != null; h = h.superName() == null ? null : header(h.superName())) {
          fields.addAll(h.fields().keySet());
        }
        out.add(shown + " (no such field; nearest: " + nearest(field, fields) + ")");
      }
    }
    return out;
  }

  private static String nearest(final String query, final List<String> candidates) {
    final List<String> names = org.quasi.runtime.internal.NearestNames.names(query, candidates, 3);
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** The common superclass of two classes for frame computation; {@code java/lang/Object} when unknown. */
  public String commonSuperClass(final String a, final String b) {
    final Map<String, Boolean> aChain = new HashMap<>();
    for (Header h = header(a); h != null; h = h.superName() == null ? null : header(h.superName())) {
      if (h.isInterface()) {
        return "java/lang/Object";
      }
      aChain.put(h.name(), Boolean.TRUE);
    }
    for (Header h = header(b); h != null; h = h.superName() == null ? null : header(h.superName())) {
      if (h.isInterface()) {
        return "java/lang/Object";
      }
      if (aChain.containsKey(h.name())) {
        return h.name();
      }
    }
    return "java/lang/Object";
  }

  private Set<String> resolvedSpec() {
    Set<String> r = resolvedSpec;
    if (r == null) {
      final Set<String> out = new java.util.HashSet<>();
      for (final String e : specEntries) {
        final int dot = e.lastIndexOf('.');
        final Resolved res = resolveField(e.substring(0, dot), e.substring(dot + 1));
        if (res != null) {
          out.add(res.declaring().name() + "." + res.field().name());
        }
      }
      r = Set.copyOf(out);
      resolvedSpec = r;
    }
    return r;
  }

  private static Header read(final byte[] classFile) {
    final ClassReader reader = new ClassReader(classFile);
    final Map<String, FieldDecl> fields = new LinkedHashMap<>();
    final String[] holder = new String[2];
    final int[] access = new int[1];
    final List<String> interfaces = new ArrayList<>();
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public void visit(final int version, final int acc, final String name, final String signature,
          final String superName, final String[] ifaces) {
        holder[0] = name;
        holder[1] = superName;
        access[0] = acc;
        if (ifaces != null) {
          interfaces.addAll(List.of(ifaces));
        }
      }

      @Override
      public FieldVisitor visitField(final int acc, final String name, final String desc, final String signature,
          final Object value) {
        fields.put(name, new FieldDecl(name, desc, acc, false));
        return new FieldVisitor(Opcodes.ASM9) {
          @Override
          public AnnotationVisitor visitAnnotation(final String annotation, final boolean visible) {
            if (ANNOTATION.equals(annotation)) {
              fields.put(name, new FieldDecl(name, desc, acc, true));
            }
            return null;
          }
        };
      }
    }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return new Header(holder[0], holder[1], List.copyOf(interfaces), access[0], Map.copyOf(fields));
  }
}
