package org.quasi.agent.shadow.internal;

import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * What the heap-write screen knows of JDK methods, whose bytecode it does not read: which classes' methods write no
 * heap a caller can see, which write into one of their arguments, which return a new object, and which classes may be
 * used freely on an object the method allocated itself.
 *
 * @implNote The lists are short on purpose: a JDK method not named here is a call the screen cannot prove free of heap
 *     writes, and the method calling it is not shadowed. {@code Objects.requireNonNull} and the like count as free of
 *     heap writes though they may throw. The contract methods of {@code Object}, {@code Comparable},
 *     {@code CharSequence} and {@code Number} ({@code equals}, {@code hashCode}, {@code toString},
 *     {@code compareTo}, {@code length}, {@code charAt}, {@code xxxValue}), and a {@code Comparator} passed to
 *     {@code Arrays.sort} or {@code binarySearch}, are taken as free of heap writes even when
 *     the receiver's class belongs to the program: an override that writes (a lazily computed hash, say) is allowed
 *     by Java but breaks these methods' contracts; this is the screen's one assumption.
 */
final class JdkEffects {
  /** Classes all of whose methods (but those in {@link #WRITES_ARGUMENT}) write no heap a caller can see. */
  private static final Set<String> PURE_CLASSES = Set.of("java/lang/String", "java/lang/Math",
      "java/lang/StrictMath", "java/lang/Integer", "java/lang/Long", "java/lang/Short", "java/lang/Byte",
      "java/lang/Boolean", "java/lang/Character", "java/lang/Float", "java/lang/Double", "java/util/Objects",
      "java/util/regex/Pattern",
      "java/math/BigInteger", "java/math/BigDecimal", "java/lang/Character$UnicodeBlock",
      "java/lang/Character$UnicodeScript", "java/util/Arrays", "java/lang/System");

  /** Contract methods, by name, of the JDK's most common supertypes (see the class's implementation note). */
  private static final Map<String, Set<String>> CONTRACT_METHODS = Map.of(
      "java/lang/Object", Set.of("equals", "hashCode", "toString", "getClass"),
      "java/lang/Comparable", Set.of("compareTo"),
      "java/lang/CharSequence", Set.of("length", "charAt", "toString", "isEmpty", "subSequence"),
      "java/lang/Number", Set.of("intValue", "longValue", "doubleValue", "floatValue", "shortValue", "byteValue"),
      "java/lang/Enum", Set.of("name", "ordinal", "equals", "hashCode", "toString", "compareTo", "getDeclaringClass",
          "valueOf"));

  /**
   * Methods that only read their receiver, by owner and name (and descriptor where a setter shares the name), callable
   * on any receiver. JDK-internal caches they may fill (a class's name, a charset lookup) are invisible to programs.
   */
  private static final Set<String> READS = Set.of(
      "java/lang/StringBuilder.length", "java/lang/StringBuilder.charAt", "java/lang/StringBuilder.toString",
      "java/lang/StringBuilder.indexOf", "java/lang/StringBuilder.lastIndexOf", "java/lang/StringBuilder.substring",
      "java/lang/StringBuilder.codePointAt", "java/lang/StringBuilder.isEmpty",
      "java/lang/Class.getName", "java/lang/Class.getSimpleName", "java/lang/Class.isInstance",
      "java/lang/Class.isAssignableFrom", "java/lang/Class.isArray", "java/lang/Class.isPrimitive",
      "java/lang/Class.getComponentType", "java/lang/Class.isEnum", "java/lang/Class.isInterface",
      "java/nio/charset/Charset.name", "java/nio/charset/Charset.displayName", "java/nio/charset/Charset.forName",
      "java/nio/charset/Charset.defaultCharset", "java/nio/charset/Charset.isSupported",
      "java/nio/charset/Charset.canEncode", "java/nio/charset/Charset.equals", "java/nio/charset/Charset.hashCode",
      "java/nio/charset/Charset.toString", "java/nio/charset/Charset.compareTo",
      "java/util/BitSet.get(I)Z", "java/util/BitSet.length", "java/util/BitSet.size", "java/util/BitSet.cardinality",
      "java/util/BitSet.nextSetBit", "java/util/BitSet.nextClearBit", "java/util/BitSet.isEmpty",
      "java/util/BitSet.intersects",
      "java/nio/ByteBuffer.remaining", "java/nio/Buffer.remaining", "java/nio/ByteBuffer.hasRemaining",
      "java/nio/Buffer.hasRemaining", "java/nio/ByteBuffer.capacity", "java/nio/Buffer.capacity",
      "java/nio/ByteBuffer.hasArray", "java/nio/Buffer.hasArray", "java/nio/ByteBuffer.position()I",
      "java/nio/Buffer.position()I", "java/nio/ByteBuffer.limit()I", "java/nio/Buffer.limit()I");

  /** Methods that write into one argument: owner, name, and the index of the argument written. */
  private static final Map<String, Integer> WRITES_ARGUMENT = Map.ofEntries(
      Map.entry("java/lang/System.arraycopy", 2),
      Map.entry("java/util/Arrays.fill", 0),
      Map.entry("java/util/Arrays.sort", 0),
      Map.entry("java/util/Arrays.parallelSort", 0),
      Map.entry("java/util/Arrays.setAll", 0),
      Map.entry("java/util/Arrays.parallelSetAll", 0),
      Map.entry("java/util/Arrays.parallelPrefix", 0),
      Map.entry("java/lang/String.getChars", 2),
      Map.entry("java/lang/String.getBytes", 2),
      Map.entry("java/lang/StringBuilder.getChars", 2),
      Map.entry("java/lang/StringBuffer.getChars", 2),
      Map.entry("java/lang/Character.toChars", 1));

  /** Classes whose methods may be called on an object the method allocated itself (they write only into it). */
  private static final Set<String> FRESH_RECEIVER_CLASSES = Set.of("java/lang/StringBuilder",
      "java/lang/StringBuffer", "java/util/ArrayList", "java/util/HashMap", "java/util/HashSet",
      "java/util/LinkedHashMap", "java/util/LinkedHashSet", "java/util/ArrayDeque", "java/util/BitSet",
      "java/util/TreeMap", "java/util/TreeSet", "java/util/LinkedList", "java/io/ByteArrayOutputStream",
      "java/util/regex/Matcher");

  /** JDK methods that always return a new object (owner.name). */
  private static final Set<String> RETURNS_FRESH = Set.of("java/lang/String.toCharArray",
      "java/lang/String.getBytes", "java/util/Arrays.copyOf", "java/util/Arrays.copyOfRange",
      "java/lang/StringBuilder.toString", "java/lang/StringBuffer.toString", "java/util/BitSet.toByteArray",
      "java/util/BitSet.toLongArray", "java/math/BigInteger.toByteArray", "java/util/regex/Pattern.matcher",
      "java/io/ByteArrayOutputStream.toByteArray");

  private JdkEffects() {
  }

  /**
   * Whether {@code name desc} is one of the contract methods {@code equals}, {@code hashCode}, {@code toString} or
   * {@code compareTo} (see the class's implementation note), whatever class declares it.
   */
  static boolean isContract(final String name, final String desc) {
    return name.equals("equals") && desc.equals("(Ljava/lang/Object;)Z")
        || name.equals("hashCode") && desc.equals("()I")
        || name.equals("toString") && desc.equals("()Ljava/lang/String;")
        || name.equals("compareTo") && desc.endsWith(")I") && Type.getArgumentTypes(desc).length == 1;
  }

  /** Whether {@code owner} (internal name) is the JDK's: the screen does not read its bytecode. */
  static boolean isJdk(final String owner) {
    return owner.startsWith("java/") || owner.startsWith("javax/") || owner.startsWith("jdk/")
        || owner.startsWith("sun/") || owner.startsWith("com/sun/");
  }

  /** Whether {@code call} (of a JDK method) always returns a new object the caller may write into. */
  static boolean returnsFresh(final MethodInsnNode call) {
    if (call.owner.startsWith("[") && call.name.equals("clone")) {
      return true;
    }
    return Type.getReturnType(call.desc).getSort() >= Type.ARRAY
        && RETURNS_FRESH.contains(call.owner + "." + call.name);
  }

  /** Whether the JDK method {@code call} returns its receiver (the builders' chained calls). */
  static boolean returnsReceiver(final MethodInsnNode call) {
    return (call.owner.equals("java/lang/StringBuilder") || call.owner.equals("java/lang/StringBuffer"))
        && call.desc.endsWith(")L" + call.owner + ";") && call.getOpcode() == Opcodes.INVOKEVIRTUAL;
  }

  /**
   * Returns the index of the argument (receiver excluded) that the JDK method {@code call} writes into, or -1 when it
   * writes none. The {@code toArray(T[])} of any collection writes into its argument.
   */
  static int writtenArgument(final MethodInsnNode call) {
    if (call.name.equals("toArray") && Type.getArgumentTypes(call.desc).length == 1
        && Type.getArgumentTypes(call.desc)[0].getSort() == Type.ARRAY) {
      return 0;
    }
    final Integer i = WRITES_ARGUMENT.get(call.owner + "." + call.name);
    if (i == null || i >= Type.getArgumentTypes(call.desc).length) {
      return -1;
    }
    return Type.getArgumentTypes(call.desc)[i].getSort() == Type.ARRAY ? i : -1;
  }

  /**
   * Returns why the JDK method {@code call} may write heap a caller can see, or null when it writes none (or writes
   * only into its argument {@link #writtenArgument}, which the caller checks). {@code freshReceiver} says whether the
   * receiver is an object the analysed method allocated itself.
   */
  static String problem(final MethodInsnNode call, final boolean freshReceiver) {
    final String owner = call.owner;
    if (owner.startsWith("[") && call.name.equals("clone")) {
      return null;
    }
    if (call.desc.contains("Ljava/util/function/")) {
      // A callback (a Supplier for a message, an IntFunction for Arrays.setAll) runs arbitrary code of the program.
      return "calls " + owner.replace('/', '.') + "." + call.name + " with a callback the screen cannot see into";
    }
    if (PURE_CLASSES.contains(owner)) {
      return null;
    }
    final Set<String> contract = CONTRACT_METHODS.get(owner);
    if (contract != null && contract.contains(call.name)) {
      return null;
    }
    if (READS.contains(owner + "." + call.name) || READS.contains(owner + "." + call.name + call.desc)) {
      return null;
    }
    if (call.getOpcode() != Opcodes.INVOKESTATIC && freshReceiver && FRESH_RECEIVER_CLASSES.contains(owner)) {
      return null;
    }
    if (call.getOpcode() == Opcodes.INVOKESPECIAL && call.name.equals("<init>")
        && (FRESH_RECEIVER_CLASSES.contains(owner) || owner.equals("java/lang/Object"))) {
      return null;
    }
    if (call.getOpcode() == Opcodes.INVOKESPECIAL && call.name.equals("<init>") && isThrowable(owner)) {
      // A new exception: its constructor fills in the new object's stack trace, nothing else.
      return null;
    }
    return "calls " + owner.replace('/', '.') + "." + call.name
        + ", a JDK method not known to be free of heap writes" + (freshReceiver ? "" : " on that receiver");
  }

  private static boolean isThrowable(final String owner) {
    return owner.equals("java/lang/Throwable") || owner.endsWith("Exception") || owner.endsWith("Error");
  }
}
