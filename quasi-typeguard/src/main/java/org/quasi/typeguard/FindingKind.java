package org.quasi.typeguard;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a finding is. Every kind has a stable rule id (used as SARIF {@code ruleId} and in JSON) that never changes
 * meaning; new kinds get new ids.
 *
 * @since 0.1
 */
public enum FindingKind {
  /** A {@code putfield} on {@code this} in a constructor of the declaring class, before {@code this} escaped. */
  WRITE_CONSTRUCTOR_THIS("TG101", "A constructor initializes the quasi-invariant of the object it builds"),
  /** A {@code putfield} on {@code this} in a constructor after {@code this} was passed, stored or called on. */
  WRITE_CONSTRUCTOR_THIS_AFTER_ESCAPE("TG102",
      "A constructor writes the quasi-invariant after 'this' escaped, so other code may already have read it"),
  /** A {@code putfield}/{@code putstatic} in the declaring class, not one of the above. */
  WRITE_DECLARING_CLASS("TG103", "The declaring class writes the quasi-invariant"),
  /** A {@code putfield}/{@code putstatic} in another class. */
  WRITE_ELSEWHERE("TG104", "Another class writes the quasi-invariant"),
  /** {@code Field.set*} on a {@code Field} that is or may be the quasi-invariant. */
  REFLECTION_SET("TG201", "Reflection writes the quasi-invariant through Field.set"),
  /** {@code setAccessible}/{@code trySetAccessible} on such a {@code Field}. */
  SET_ACCESSIBLE("TG202", "Reflection suppresses access checks on the quasi-invariant"),
  /** {@code Lookup.findSetter}, {@code findStaticSetter}, {@code unreflectSetter} on the field. */
  METHOD_HANDLE_SETTER("TG203", "A method handle that writes the quasi-invariant is created"),
  /** {@code Lookup.findVarHandle}, {@code findStaticVarHandle}, {@code unreflectVarHandle} on the field. */
  VAR_HANDLE("TG204", "A VarHandle on the quasi-invariant is created"),
  /** A writing access mode ({@code set}, {@code compareAndSet}, ...) on a VarHandle traced to the field. */
  VAR_HANDLE_WRITE("TG205", "A VarHandle access mode writes the quasi-invariant"),
  /** {@code Atomic*FieldUpdater.newUpdater} on the field. */
  FIELD_UPDATER("TG206", "An atomic field updater on the quasi-invariant is created"),
  /** {@code Unsafe.objectFieldOffset}/{@code staticFieldOffset}/{@code staticFieldBase} on the field. */
  UNSAFE_OFFSET("TG207", "Unsafe takes the offset of the quasi-invariant"),
  /** An {@code Unsafe} put, compare-and-set or get-and-set whose offset is traced to the field. */
  UNSAFE_PUT("TG208", "Unsafe writes the quasi-invariant"),
  /** A {@code native} method whose receiver or parameters can reach an instance of the declaring class. */
  JNI_NATIVE("TG209", "Native code can reach the quasi-invariant through JNI Set<Type>Field"),
  /** Deserialization of a {@code Serializable} declaring class writes the field. */
  SERIALIZATION("TG210", "Deserialization writes the quasi-invariant"),
  /** The reference of a quasi-invariant array escapes: returned, stored, or passed out of the declaring class. */
  ARRAY_ESCAPE("TG301", "The quasi-invariant array escapes, so its elements can be written elsewhere"),
  /** An element store ({@code iastore}, ..., or {@code System.arraycopy}) into the array, in the declaring class. */
  ARRAY_ELEMENT_WRITE_DECLARING_CLASS("TG302", "The declaring class writes an element of the quasi-invariant array"),
  /** An element store into the quasi-invariant array in another class. */
  ARRAY_ELEMENT_WRITE_ELSEWHERE("TG303", "Another class writes an element of the quasi-invariant array"),
  /** A {@code getfield}/{@code getstatic} (reported with {@code --reads} only). */
  READ("TG900", "The quasi-invariant is read");

  /**
   * The kinds a run allows unless told otherwise: initialization of the object being built, the declaring class's own
   * writes (which the declaring class guards itself, as the paper's specializer does), and reads.
   */
  public static final Set<FindingKind> DEFAULT_ALLOWED = Set.copyOf(EnumSet.of(
      WRITE_CONSTRUCTOR_THIS, WRITE_DECLARING_CLASS, ARRAY_ELEMENT_WRITE_DECLARING_CLASS, READ));

  private final String ruleId;
  private final String description;

  FindingKind(final String ruleId, final String description) {
    this.ruleId = ruleId;
    this.description = description;
  }

  /** {@return the stable rule id, such as {@code TG104}} */
  public String ruleId() {
    return ruleId;
  }

  /** {@return a one-sentence description of the rule} */
  public String description() {
    return description;
  }

  /** {@return the name in lower-kebab case, such as {@code write-elsewhere}; also stable} */
  public String ruleName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Looks a kind up by enum name, rule name or rule id, case-insensitively.
   *
   * @param text such as {@code WRITE_ELSEWHERE}, {@code write-elsewhere} or {@code TG104}
   * @return the kind
   * @throws IllegalArgumentException naming the valid names if none matches
   */
  public static FindingKind parse(final String text) {
    final String t = text.strip();
    for (final FindingKind kind : values()) {
      if (kind.name().equalsIgnoreCase(t) || kind.ruleName().equalsIgnoreCase(t) || kind.ruleId.equalsIgnoreCase(t)) {
        return kind;
      }
    }
    final StringBuilder names = new StringBuilder();
    for (final FindingKind kind : values()) {
      names.append(names.length() == 0 ? "" : ", ").append(kind.ruleName());
    }
    throw new IllegalArgumentException("Unknown finding kind '" + text + "'; expected one of: " + names);
  }
}
