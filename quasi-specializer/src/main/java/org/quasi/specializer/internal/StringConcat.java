package org.quasi.specializer.internal;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.quasi.specializer.internal.Value.Known;

/**
 * Folds the known parts of a string concatenation ({@code invokedynamic} bootstrapped by
 * {@code StringConcatFactory.makeConcatWithConstants}, what javac emits for {@code +} on strings since Java 9) into its
 * recipe. The recipe is the template: {@code \1} takes the next argument, {@code \2} the next bootstrap constant, any
 * other character stands for itself. A known argument whose text is certain (a primitive, a box, a string or null)
 * becomes part of the template; the unknown ones stay arguments.
 *
 * <p>With every part known the concatenation still runs: its whole text is the template, and it takes one argument,
 * the empty string. A concatenation makes a new string each time it runs (JLS 15.18.1), so a string folded once and
 * returned by every call would be one object where the original made many, which code comparing strings by identity
 * (or locking on them, or keying an identity map) would see. With an argument left, the recipe is one javac itself
 * emits for {@code "text" + s}, whose result is a new string.
 *
 * @implNote Objects other than strings and boxes are never folded: their {@code toString} may do anything.
 */
final class StringConcat {
  static final String FACTORY = "java/lang/invoke/StringConcatFactory";
  private static final char ARGUMENT = '\u0001';
  private static final char CONSTANT = '\u0002';

  /**
   * The rewritten instruction and its arguments; {@code allKnown} when every part was known, and the only argument
   * left is the empty string ({@link #EMPTY}, which the caller pushes).
   */
  record Folded(InvokeDynamicInsnNode insn, Value[] arguments, boolean allKnown) {
  }

  /** The argument of a concatenation whose parts are all known: a new empty string's worth of text. */
  static final String EMPTY = "";

  private StringConcat() {
  }

  /** Returns whether {@code d} is a concatenation this class understands. */
  static boolean applies(final InvokeDynamicInsnNode d) {
    return d.bsm.getOwner().equals(FACTORY) && d.bsm.getName().equals("makeConcatWithConstants")
        && d.bsmArgs.length >= 1 && d.bsmArgs[0] instanceof String;
  }

  /** Folds the known arguments {@code args} (in order) of concatenation {@code d} into its recipe. */
  static Folded fold(final InvokeDynamicInsnNode d, final Value[] args) {
    final String recipe = (String) d.bsmArgs[0];
    final Type[] types = Type.getArgumentTypes(d.desc);
    final StringBuilder template = new StringBuilder();
    final List<Object> constants = new ArrayList<>();
    final List<Value> kept = new ArrayList<>();
    final List<Type> keptTypes = new ArrayList<>();
    boolean allKnown = true;
    int argument = 0;
    int constant = 1;
    for (int i = 0; i < recipe.length(); i++) {
      final char c = recipe.charAt(i);
      if (c == ARGUMENT) {
        final String text = text(args[argument], types[argument]);
        if (text == null) {
          allKnown = false;
          template.append(ARGUMENT);
          kept.add(args[argument]);
          keptTypes.add(types[argument]);
        } else {
          literal(text, template, constants);
        }
        argument++;
      } else if (c == CONSTANT) {
        final String text = String.valueOf(d.bsmArgs[constant++]);
        literal(text, template, constants);
      } else {
        template.append(c);
      }
    }
    if (allKnown) {
      template.append(ARGUMENT);
      keptTypes.add(Type.getType(String.class));
    }
    final Object[] bsmArgs = new Object[constants.size() + 1];
    bsmArgs[0] = template.toString();
    for (int i = 0; i < constants.size(); i++) {
      bsmArgs[i + 1] = constants.get(i);
    }
    final String desc = Type.getMethodDescriptor(Type.getReturnType(d.desc), keptTypes.toArray(new Type[0]));
    return new Folded(new InvokeDynamicInsnNode(d.name, desc, d.bsm, bsmArgs), kept.toArray(new Value[0]),
        allKnown);
  }

  /** A literal part of the template; through a bootstrap constant when it holds a tag character. */
  private static void literal(final String text, final StringBuilder template, final List<Object> constants) {
    if (text.indexOf(ARGUMENT) >= 0 || text.indexOf(CONSTANT) >= 0) {
      template.append(CONSTANT);
      constants.add(text);
    } else {
      template.append(text);
    }
  }

  /** The text {@code String.valueOf} gives a known argument of type {@code t}, or null when unknown or unsure. */
  private static String text(final Value v, final Type t) {
    if (!(v instanceof Known k)) {
      return null;
    }
    return switch (t.getSort()) {
      case Type.BOOLEAN -> String.valueOf(k.asInt() != 0);
      case Type.CHAR -> String.valueOf((char) k.asInt());
      case Type.BYTE, Type.SHORT, Type.INT -> String.valueOf(k.asInt());
      case Type.LONG -> String.valueOf(k.asLong());
      case Type.FLOAT -> String.valueOf(k.asFloat());
      case Type.DOUBLE -> String.valueOf(k.asDouble());
      default -> {
        final Object o = k.value();
        if (o != null && !(o instanceof String)) {
          // The text of a box is a fact about it no template replays.
          HeapTrace.opaque("a string concatenation folds the text of a known " + o.getClass().getName());
        }
        yield o == null || o instanceof String || o instanceof Integer || o instanceof Long || o instanceof Short
            || o instanceof Byte || o instanceof Character || o instanceof Boolean || o instanceof Float
            || o instanceof Double ? String.valueOf(o) : null;
      }
    };
  }
}
