package org.quasi.memguard.internal;

import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;

import java.util.Set;

/**
 * Which calls the {@link TrapRewriter} traps, and how: a <em>check</em> runs {@link Traps#call} before the call (it
 * writes), an <em>acquisition</em> passes the call's result through {@link Traps#acquired} (it makes a setter handle,
 * a var handle or a field updater).
 */
final class TrapTable {

  /** How a call site is trapped. */
  enum Kind { CHECK, ACQUIRE }

  /** A trapped call: its kind and the {@code how} text reported (e.g. {@code "VarHandle.set"}). */
  record Trap(Kind kind, String how) {
  }

  private static final Set<String> FIELD_SETS = Set.of("set", "setBoolean", "setByte", "setChar", "setShort",
      "setInt", "setLong", "setFloat", "setDouble");

  private static final Set<String> UPDATER_WRITES = Set.of("set", "lazySet", "compareAndSet", "weakCompareAndSet",
      "weakCompareAndSetPlain", "weakCompareAndSetVolatile", "getAndSet", "getAndIncrement", "getAndDecrement",
      "getAndAdd", "incrementAndGet", "decrementAndGet", "addAndGet", "getAndUpdate", "updateAndGet",
      "getAndAccumulate", "accumulateAndGet");

  private static final Set<String> LOOKUP_SETTERS = Set.of("findSetter", "findStaticSetter", "unreflectSetter",
      "findVarHandle", "findStaticVarHandle", "unreflectVarHandle");

  private TrapTable() {
  }

  /** The trap for a method instruction, or {@code null} when the call is left alone. */
  static Trap of(final int opcode, final String owner, final String name, final String desc) {
    switch (owner) {
      case "java/lang/reflect/Array" -> {
        return opcode == INVOKESTATIC && FIELD_SETS.contains(name) ? new Trap(Kind.CHECK, "Array." + name) : null;
      }
      case "java/lang/reflect/Field" -> {
        return opcode == INVOKEVIRTUAL && FIELD_SETS.contains(name) ? new Trap(Kind.CHECK, "Field." + name) : null;
      }
      case "java/lang/invoke/VarHandle" -> {
        return opcode == INVOKEVIRTUAL && writes(name) ? new Trap(Kind.CHECK, "VarHandle." + name) : null;
      }
      case "java/lang/invoke/MethodHandles$Lookup" -> {
        return opcode == INVOKEVIRTUAL && LOOKUP_SETTERS.contains(name) ? new Trap(Kind.ACQUIRE, "Lookup." + name)
            : null;
      }
      case "java/lang/invoke/MethodHandles" -> {
        return opcode == INVOKESTATIC && ("arrayElementVarHandle".equals(name) || "arrayElementSetter".equals(name))
            ? new Trap(Kind.ACQUIRE, "MethodHandles." + name) : null;
      }
      case "java/util/concurrent/atomic/AtomicIntegerFieldUpdater",
          "java/util/concurrent/atomic/AtomicLongFieldUpdater",
          "java/util/concurrent/atomic/AtomicReferenceFieldUpdater" -> {
        final String simple = owner.substring(owner.lastIndexOf('/') + 1);
        if (opcode == INVOKESTATIC && "newUpdater".equals(name)) {
          return new Trap(Kind.ACQUIRE, simple + "." + name);
        }
        return opcode == INVOKEVIRTUAL && UPDATER_WRITES.contains(name) ? new Trap(Kind.CHECK, simple + "." + name)
            : null;
      }
      case "sun/misc/Unsafe" -> {
        // Only the forms with an object base: (Object base, long offset, ...). Raw-address puts cannot reach a field.
        return opcode == INVOKEVIRTUAL && desc.startsWith("(Ljava/lang/Object;J") && unsafeWrites(name)
            ? new Trap(Kind.CHECK, "Unsafe." + name) : null;
      }
      default -> {
        return null;
      }
    }
  }

  /** The var handle access modes that write (every mode but the {@code get*} reads). */
  private static boolean writes(final String name) {
    return name.startsWith("set") || name.startsWith("compareAnd") || name.startsWith("weakCompareAndSet")
        || name.startsWith("getAndSet") || name.startsWith("getAndAdd") || name.startsWith("getAndBitwise");
  }

  private static boolean unsafeWrites(final String name) {
    return name.startsWith("put") || name.startsWith("compareAndSwap") || name.startsWith("getAndSet")
        || name.startsWith("getAndAdd");
  }
}
