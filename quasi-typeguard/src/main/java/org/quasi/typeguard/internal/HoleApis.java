package org.quasi.typeguard.internal;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;
import org.quasi.typeguard.FindingKind;

/**
 * The Java APIs that write fields without a {@code putfield}: reflection, method and var handles, field updaters and
 * Unsafe. Knows their owners, names and argument positions, and what field a call's result designates.
 */
public final class HoleApis {

  static final String FIELD = "java/lang/reflect/Field";
  static final String ACCESSIBLE_OBJECT = "java/lang/reflect/AccessibleObject";
  static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";
  static final String VAR_HANDLE = "java/lang/invoke/VarHandle";
  static final String CLASS = "java/lang/Class";
  static final String SUN_UNSAFE = "sun/misc/Unsafe";
  static final String JDK_UNSAFE = "jdk/internal/misc/Unsafe";

  /** Owners whose calls make a method worth a data-flow analysis. */
  static final Set<String> TRIGGER_OWNERS = Set.of(FIELD, ACCESSIBLE_OBJECT, LOOKUP, VAR_HANDLE, SUN_UNSAFE, JDK_UNSAFE,
      "java/util/concurrent/atomic/AtomicIntegerFieldUpdater", "java/util/concurrent/atomic/AtomicLongFieldUpdater",
      "java/util/concurrent/atomic/AtomicReferenceFieldUpdater");

  /** Byte strings whose absence from a class file proves the class calls none of these APIs. */
  static final List<String> NEEDLES = List.of("java/lang/reflect/Field", "java/lang/reflect/AccessibleObject",
      "java/lang/invoke/MethodHandles$Lookup", "java/lang/invoke/VarHandle", "FieldUpdater", "/Unsafe");

  private static final Set<String> FIELD_SETTERS = Set.of("set", "setBoolean", "setByte", "setChar", "setShort",
      "setInt", "setLong", "setFloat", "setDouble");

  private static final Set<String> VAR_HANDLE_WRITES = Set.of("set", "setVolatile", "setOpaque", "setRelease",
      "compareAndSet", "compareAndExchange", "compareAndExchangeAcquire", "compareAndExchangeRelease",
      "weakCompareAndSet", "weakCompareAndSetPlain", "weakCompareAndSetAcquire", "weakCompareAndSetRelease",
      "getAndSet", "getAndSetAcquire", "getAndSetRelease", "getAndAdd", "getAndAddAcquire", "getAndAddRelease",
      "getAndBitwiseOr", "getAndBitwiseOrAcquire", "getAndBitwiseOrRelease", "getAndBitwiseAnd",
      "getAndBitwiseAndAcquire", "getAndBitwiseAndRelease", "getAndBitwiseXor", "getAndBitwiseXorAcquire",
      "getAndBitwiseXorRelease");

  private static final List<String> UNSAFE_WRITE_PREFIXES = List.of("put", "compareAndSet", "compareAndSwap",
      "compareAndExchange", "weakCompareAndSet", "getAndSet", "getAndAdd", "getAndBitwise");

  /** Methods outside the declaring class that read an array argument without keeping or writing it. */
  private static final Set<String> ARRAY_READERS = Set.of("java/util/Arrays.copyOf", "java/util/Arrays.copyOfRange",
      "java/util/Arrays.equals", "java/util/Arrays.hashCode", "java/util/Arrays.toString",
      "java/util/Arrays.deepEquals", "java/util/Arrays.deepHashCode", "java/util/Arrays.deepToString",
      "java/util/Arrays.binarySearch", "java/util/Arrays.mismatch", "java/util/Arrays.compare");

  private static final int MAX_COMBINATIONS = 16;

  private HoleApis() {
  }

  /**
   * {@return the call as a reader knows it, such as {@code Field.setInt} or {@code MethodHandles.Lookup.findSetter}}
   *
   * @param m the call
   */
  static String simpleName(final MethodInsnNode m) {
    return m.owner.substring(m.owner.lastIndexOf('/') + 1).replace('$', '.') + "." + m.name;
  }

  /**
   * {@return the message of a hole finding}
   *
   * @param api the call
   * @param what what it does to the field
   * @param certainty the finding's certainty
   */
  static String message(final String api, final String what, final org.quasi.typeguard.Certainty certainty) {
    return api + " " + what + (certainty == org.quasi.typeguard.Certainty.POSSIBLE
        ? " (class or name not traced to constants, so it may be this field)" : "");
  }

  /**
   * {@return whether the owner is one of the Unsafe classes}
   *
   * @param owner internal name
   */
  static boolean isUnsafe(final String owner) {
    return SUN_UNSAFE.equals(owner) || JDK_UNSAFE.equals(owner);
  }

  /** {@return whether the call is {@code Field.set*}} @param m the call */
  static boolean isFieldSet(final MethodInsnNode m) {
    return FIELD.equals(m.owner) && FIELD_SETTERS.contains(m.name);
  }

  /** {@return whether the call is an instance {@code setAccessible}/{@code trySetAccessible}} @param m the call */
  static boolean isSetAccessible(final MethodInsnNode m) {
    return (FIELD.equals(m.owner) || ACCESSIBLE_OBJECT.equals(m.owner)) && m.getOpcode() != Opcodes.INVOKESTATIC
        && ("setAccessible".equals(m.name) || "trySetAccessible".equals(m.name));
  }

  /** {@return whether the call is the static array form of {@code setAccessible}} @param m the call */
  static boolean isSetAccessibleArray(final MethodInsnNode m) {
    return ACCESSIBLE_OBJECT.equals(m.owner) && "setAccessible".equals(m.name)
        && m.desc.startsWith("([Ljava/lang/reflect/AccessibleObject;");
  }

  /** {@return whether the call is a writing VarHandle access mode} @param m the call */
  static boolean isVarHandleWrite(final MethodInsnNode m) {
    return VAR_HANDLE.equals(m.owner) && VAR_HANDLE_WRITES.contains(m.name);
  }

  /**
   * {@return the argument position (receiver = 0) of the offset of an Unsafe write on an object field, or -1}
   *
   * @param m the call
   */
  static int unsafeWriteOffsetArg(final MethodInsnNode m) {
    if (!isUnsafe(m.owner) || UNSAFE_WRITE_PREFIXES.stream().noneMatch(m.name::startsWith)) {
      return -1;
    }
    final Type[] args = Type.getArgumentTypes(m.desc);
    return args.length >= 2 && "java/lang/Object".equals(args[0].getInternalName()) && args[1] == Type.LONG_TYPE
        ? 2 : -1;
  }

  /**
   * {@return the finding kind of a call that makes a handle onto a field, or {@code null}}
   *
   * @param m the call
   */
  static FindingKind acquisitionKind(final MethodInsnNode m) {
    if (LOOKUP.equals(m.owner)) {
      return switch (m.name) {
        case "findSetter", "findStaticSetter", "unreflectSetter" -> FindingKind.METHOD_HANDLE_SETTER;
        case "findVarHandle", "findStaticVarHandle", "unreflectVarHandle" -> FindingKind.VAR_HANDLE;
        default -> null;
      };
    }
    if (m.owner.startsWith("java/util/concurrent/atomic/Atomic") && m.owner.endsWith("FieldUpdater")
        && "newUpdater".equals(m.name)) {
      return FindingKind.FIELD_UPDATER;
    }
    if (isUnsafe(m.owner) && ("objectFieldOffset".equals(m.name) || "staticFieldOffset".equals(m.name)
        || "staticFieldBase".equals(m.name))) {
      return FindingKind.UNSAFE_OFFSET;
    }
    return null;
  }

  /**
   * {@return whether passing a quasi-invariant array to this method is harmless}
   *
   * @param m the call
   * @param argPosition the argument position, receiver = 0 for instance calls
   */
  static boolean readsArrayOnly(final MethodInsnNode m, final int argPosition) {
    if (m.owner.startsWith("[")) {
      return true; // clone() on the array itself makes a copy
    }
    if ("java/lang/System".equals(m.owner) && "arraycopy".equals(m.name)) {
      return argPosition == 0; // the source; as the destination it is written
    }
    return ARRAY_READERS.contains(m.owner + "." + m.name);
  }

  /**
   * Computes what a call returns, for the calls whose result designates a class or a field.
   *
   * @param m the call
   * @param args its arguments, the receiver first for instance calls
   * @return the facts about the result, or {@code null} if the call is not one of these
   */
  static Set<Atom> result(final MethodInsnNode m, final List<Provenance> args) {
    final Atom.HandleKind handleKind;
    switch (m.owner) {
      case CLASS -> {
        if ("forName".equals(m.name) && !args.isEmpty()) {
          final Set<Atom> out = new HashSet<>();
          for (final Atom a : args.get(0).atoms()) {
            out.add(a instanceof Atom.StringConst s ? new Atom.ClassConst(s.value().replace('.', '/')) : Atom.UNKNOWN);
          }
          return out;
        }
        if (("getDeclaredField".equals(m.name) || "getField".equals(m.name)) && args.size() == 2) {
          return fieldObjs(args.get(0), args.get(1),
              "getDeclaredField".equals(m.name) ? Atom.Lookup.DECLARED : Atom.Lookup.PUBLIC);
        }
        if (("getDeclaredFields".equals(m.name) || "getFields".equals(m.name)) && args.size() == 1) {
          final Set<Atom> out = new HashSet<>();
          for (final Atom a : args.get(0).atoms()) {
            out.add(new Atom.FieldArray(a instanceof Atom.ClassConst ? a : Atom.UNKNOWN,
                "getDeclaredFields".equals(m.name) ? Atom.Lookup.DECLARED : Atom.Lookup.PUBLIC));
          }
          return out;
        }
        return null;
      }
      case LOOKUP -> {
        switch (m.name) {
          case "findSetter", "findStaticSetter", "unreflectSetter" -> handleKind = Atom.HandleKind.SETTER;
          case "findVarHandle", "findStaticVarHandle", "unreflectVarHandle" -> handleKind = Atom.HandleKind.VAR_HANDLE;
          default -> {
            return null;
          }
        }
        if (m.name.startsWith("unreflect")) {
          return handles(handleKind, fieldsOf(args.get(1)));
        }
        return args.size() == 4 ? handles(handleKind, fieldObjs(args.get(1), args.get(2), Atom.Lookup.RESOLVED)) : null;
      }
      default -> {
        if (acquisitionKind(m) == FindingKind.FIELD_UPDATER && args.size() >= 2) {
          return handles(Atom.HandleKind.UPDATER, fieldObjs(args.get(0), args.get(args.size() - 1), Atom.Lookup.DECLARED));
        }
        if (acquisitionKind(m) == FindingKind.UNSAFE_OFFSET) {
          if (m.desc.startsWith("(Ljava/lang/reflect/Field;") && args.size() == 2) {
            return handles(Atom.HandleKind.OFFSET, fieldsOf(args.get(1)));
          }
          if (m.desc.startsWith("(Ljava/lang/Class;Ljava/lang/String;") && args.size() == 3) {
            return handles(Atom.HandleKind.OFFSET, fieldObjs(args.get(1), args.get(2), Atom.Lookup.DECLARED));
          }
          return handles(Atom.HandleKind.OFFSET, Set.of(Atom.FieldObj.ANY));
        }
        return null;
      }
    }
  }

  /**
   * The facts about an element loaded from an array: a field of a known class for the arrays of
   * {@code getDeclaredFields()}/{@code getFields()}, unknown otherwise.
   *
   * @param array the array value
   * @return the facts about its elements
   */
  static Set<Atom> elementsOf(final Provenance array) {
    final Set<Atom> out = new LinkedHashSet<>();
    for (final Atom a : array.atoms()) {
      out.add(a instanceof Atom.FieldArray fa ? new Atom.FieldObj(fa.owner(), Atom.UNKNOWN, fa.lookup())
          : Atom.UNKNOWN);
    }
    return out;
  }

  /**
   * The field objects a value may be: its {@link Atom.FieldObj} facts, or "any field" if it may be untraceable.
   *
   * @param value a {@code Field} value
   * @return the facts
   */
  static Set<Atom> fieldsOf(final Provenance value) {
    final Set<Atom> out = new LinkedHashSet<>();
    for (final Atom a : value.atoms()) {
      if (a instanceof Atom.FieldObj) {
        out.add(a);
      } else if (a == Atom.UNKNOWN) {
        out.add(Atom.FieldObj.ANY);
      }
    }
    if (out.isEmpty()) {
      out.add(Atom.FieldObj.ANY);
    }
    return out;
  }

  private static Set<Atom> fieldObjs(final Provenance owner, final Provenance name, final Atom.Lookup lookup) {
    final Set<Atom> owners = new LinkedHashSet<>();
    for (final Atom a : owner.atoms()) {
      owners.add(a instanceof Atom.ClassConst ? a : Atom.UNKNOWN);
    }
    final Set<Atom> names = new LinkedHashSet<>();
    for (final Atom a : name.atoms()) {
      names.add(a instanceof Atom.StringConst ? a : Atom.UNKNOWN);
    }
    final Set<Atom> out = new LinkedHashSet<>();
    if (owners.size() * names.size() > MAX_COMBINATIONS) {
      // Too many combinations to be worth tracing: fall back to "some field", which is judged "possible".
      out.add(new Atom.FieldObj(Atom.UNKNOWN, Atom.UNKNOWN, lookup));
      return out;
    }
    for (final Atom o : owners) {
      for (final Atom n : names) {
        out.add(new Atom.FieldObj(o, n, lookup));
      }
    }
    return out;
  }

  private static Set<Atom> handles(final Atom.HandleKind kind, final Set<Atom> fields) {
    final Set<Atom> out = new LinkedHashSet<>();
    for (final Atom f : fields) {
      out.add(new Atom.Handle(kind, (Atom.FieldObj) f));
    }
    return out;
  }
}
