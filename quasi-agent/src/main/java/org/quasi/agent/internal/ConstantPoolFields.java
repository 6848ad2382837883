package org.quasi.agent.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields a class file refers to, read from its constant pool alone: for a class ASM cannot read (a class-file
 * version newer than ASM knows, say), whose writes must still be named before it is defined unwoven. The constant
 * pool's layout (JVMS 4.4) has not changed since Java 11's {@code CONSTANT_Dynamic}; an entry of a kind not listed
 * there ends the reading with an {@link IllegalArgumentException}.
 */
final class ConstantPoolFields {
  private static final int UTF8 = 1;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  private static final int CLASS = 7;
  private static final int FIELDREF = 9;
  private static final int NAME_AND_TYPE = 12;

  private ConstantPoolFields() {
  }

  /** Each {@code CONSTANT_Fieldref} of {@code classFile}, as {owner's internal name, field name}. */
  static List<String[]> fieldRefs(final byte[] classFile) {
    final Reader r = new Reader(classFile);
    if (r.u4(0) != 0xCAFEBABEL) {
      throw new IllegalArgumentException("not a class file (no CAFEBABE)");
    }
    final int count = r.u2(8);
    final int[] start = new int[count];
    final int[] tag = new int[count];
    int at = 10;
    for (int i = 1; i < count; i++) {
      start[i] = at;
      tag[i] = r.u1(at);
      at += 1 + size(tag[i], r, at);
      if (tag[i] == LONG || tag[i] == DOUBLE) {
        i++; // JVMS 4.4.5: the next index is unusable
      }
    }
    final List<String[]> refs = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      if (tag[i] == FIELDREF) {
        final int owner = r.u2(start[i] + 1);
        final int nameAndType = r.u2(start[i] + 3);
        check(tag, owner, CLASS);
        check(tag, nameAndType, NAME_AND_TYPE);
        final int ownerName = r.u2(start[owner] + 1);
        final int fieldName = r.u2(start[nameAndType] + 1);
        check(tag, ownerName, UTF8);
        check(tag, fieldName, UTF8);
        refs.add(new String[] {r.utf8(start[ownerName]), r.utf8(start[fieldName])});
      }
    }
    return refs;
  }

  /** The bytes an entry of kind {@code tag} at {@code at} takes after its tag byte. */
  private static int size(final int tag, final Reader r, final int at) {
    switch (tag) {
      case UTF8: return 2 + r.u2(at + 1);
      case 3: case 4: case FIELDREF: case 10: case 11: case NAME_AND_TYPE: case 17: case 18: return 4;
      case LONG: case DOUBLE: return 8;
      case CLASS: case 8: case 16: case 19: case 20: return 2;
      case 15: return 3;
      default: throw new IllegalArgumentException("constant pool entry of unknown kind " + tag + " at byte " + at);
    }
  }

  private static void check(final int[] tag, final int index, final int expected) {
    if (index <= 0 || index >= tag.length || tag[index] != expected) {
      throw new IllegalArgumentException("constant pool index " + index + " is not of kind " + expected);
    }
  }

  /** Big-endian reads that fail with IllegalArgumentException past the end. */
  private record Reader(byte[] b) {
    int u1(final int at) {
      if (at >= b.length) {
        throw new IllegalArgumentException("class file truncated at byte " + at);
      }
      return b[at] & 0xFF;
    }

    int u2(final int at) {
      return (u1(at) << 8) | u1(at + 1);
    }

    long u4(final int at) {
      return ((long) u2(at) << 16) | u2(at + 2);
    }

    /** The modified UTF-8 of the entry at {@code at} (DataInput's format, JVMS 4.4.7). */
    String utf8(final int at) {
      final int length = u2(at + 1);
      u1(at + 2 + length - 1);
      try {
        return new java.io.DataInputStream(new java.io.ByteArrayInputStream(b, at + 1, length + 2)).readUTF();
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("malformed UTF-8 constant at byte " + at, e);
      }
    }
  }
}
