package org.quasi.typeguard.internal;

import org.objectweb.asm.Opcodes;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;
import org.quasi.typeguard.Site;

/**
 * TG210 {@code serialization}: deserialization sets the field without a constructor.
 *
 * @implNote Java serialization sets the non-transient instance fields of a {@code Serializable} class (not a record,
 *     an enum or an {@code Externalizable}) without running its constructor. When the class declares
 *     {@code serialPersistentFields}, the serialized form is chosen by that array, so transient fields are reported
 *     too, as "possible". The finding is about the class, not an instruction.
 */
final class SerializationRule {

  private final Hierarchy hierarchy;

  SerializationRule(final Hierarchy hierarchy) {
    this.hierarchy = hierarchy;
  }

  /**
   * Matches a quasi-invariant.
   *
   * @param t the quasi-invariant
   * @return the finding, or {@code null}
   */
  Finding matchField(final Targets.Target t) {
    final ClassInfo info = hierarchy.info(t.owner());
    if (info == null || t.isStatic() || (info.access() & Opcodes.ACC_ENUM) != 0
        || "java/lang/Record".equals(info.superName())
        || hierarchy.isSubtype(t.owner(), "java/io/Serializable") == Hierarchy.Tri.NO
        || hierarchy.isSubtype(t.owner(), "java/io/Externalizable") == Hierarchy.Tri.YES) {
      return null;
    }
    final boolean custom = info.field("serialPersistentFields") != null;
    if ((t.access() & Opcodes.ACC_TRANSIENT) != 0 && !custom) {
      return null;
    }
    final Hierarchy.Tri serializable = hierarchy.isSubtype(t.owner(), "java/io/Serializable");
    final Certainty c = serializable == Hierarchy.Tri.YES && !custom ? Certainty.DEFINITE : Certainty.POSSIBLE;
    final Site site = new Site(t.id().owner(), null, null, info.sourceFile(), -1, info.entry(), info.path(), -1);
    return new Finding(t.id(), FindingKind.SERIALIZATION, c, site, "java.io.Serializable",
        t.id().owner() + " is Serializable, so ObjectInputStream sets " + t.name()
            + " on deserialization without a constructor");
  }
}
