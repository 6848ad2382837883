package org.quasi.typeguard.internal;

/**
 * One fact about where a value on the operand stack or in a local may come from. A {@link Provenance} holds the set
 * of all facts that may hold (a union over control-flow paths); {@link #UNKNOWN} says "could be anything".
 */
public sealed interface Atom {

  /** A value the analysis cannot trace. */
  Atom UNKNOWN = new Unknown();

  /** The receiver of an instance method or constructor, while held unchanged in local 0 or on the stack. */
  Atom THIS = new This();

  /** Could be anything. */
  record Unknown() implements Atom {
  }

  /** The receiver. */
  record This() implements Atom {
  }

  /**
   * A {@code Class} constant from {@code ldc} or {@code Class.forName("...")}.
   *
   * @param internalName the class's internal name
   */
  record ClassConst(String internalName) implements Atom {
  }

  /**
   * A {@code String} constant from {@code ldc}.
   *
   * @param value the string
   */
  record StringConst(String value) implements Atom {
  }

  /**
   * A {@code java.lang.reflect.Field}, or the field a handle was made for.
   *
   * @param owner a {@link ClassConst} or {@link #UNKNOWN}
   * @param name a {@link StringConst} or {@link #UNKNOWN}
   * @param lookup how the field was looked up from {@code owner}
   */
  record FieldObj(Atom owner, Atom name, Lookup lookup) implements Atom {
    /** A {@code Field} from nowhere traceable. */
    public static final FieldObj ANY = new FieldObj(UNKNOWN, UNKNOWN, Lookup.RESOLVED);
  }

  /**
   * The array of {@code getDeclaredFields()} or {@code getFields()}: its elements are fields of {@code owner} with
   * unknown names.
   *
   * @param owner a {@link ClassConst} or {@link #UNKNOWN}
   * @param lookup {@link Lookup#DECLARED} for {@code getDeclaredFields()}, {@link Lookup#PUBLIC} for
   *     {@code getFields()}
   */
  record FieldArray(Atom owner, Lookup lookup) implements Atom {
  }

  /**
   * A handle onto a field: a VarHandle, a setter method handle, a field updater or an Unsafe offset.
   *
   * @param kind the kind of handle
   * @param field the field it was made for
   */
  record Handle(HandleKind kind, FieldObj field) implements Atom {
  }

  /**
   * The value of a quasi-invariant array field, loaded by {@code getfield}/{@code getstatic}.
   *
   * @param target index of the quasi-invariant in {@link Targets}
   */
  record TargetArray(int target) implements Atom {
  }

  /** How a field is found from the class it is looked up in. */
  enum Lookup {
    /**
     * Only fields the class itself declares: {@code getDeclaredField(s)}, field updaters,
     * {@code Unsafe.objectFieldOffset(Class, String)}.
     */
    DECLARED,
    /** Public fields, resolved through the supertypes: {@code getField(s)}. */
    PUBLIC,
    /** Any field, resolved through the supertypes as the JVM does: {@code findSetter}, {@code findVarHandle}. */
    RESOLVED
  }

  /** Kinds of field handle. */
  enum HandleKind { VAR_HANDLE, SETTER, UPDATER, OFFSET }
}
