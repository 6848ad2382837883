package memguardfixture;

import java.awt.Point;
import java.lang.reflect.Method;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeavingClassLoader;
import org.quasi.memguard.MemGuard;
import org.quasi.runtime.Dependent;
import org.quasi.runtime.GuardedLocation;
import org.quasi.runtime.Guards;
import org.quasi.typeguard.spec.SpecParser;

/**
 * A program whose {@link Config} and {@link Writers} are woven by quasi-agent (a {@link WeavingClassLoader}, spec:
 * {@code Config.{limit, defaultLimit}}, {@code java.awt.Point.x}, guarded through the side table since the JDK is not
 * woven): its protected fields are written only through guarded writes — the slow path
 * (an object with a QUID, an armed static flag) and the fast path (no QUID, flag not armed) — none of which may be
 * reported. As a control, the same {@code Writers.plain} unwoven writes a protected unwoven config, which must be;
 * with the JNI library, so must a JNI write to the woven config.
 *
 * <p>Arguments: the JNI library built by {@link NativeLibraryBuilder}, or {@code -}.
 */
public final class WovenWrites {

  /** A dependent that only remembers whether a guarded write invalidated it. */
  private static final class Witness implements Dependent {
    private volatile boolean valid = true;

    @Override
    public void invalidate(final GuardedLocation cause) {
      valid = false;
    }

    @Override
    public boolean isValid() {
      return valid;
    }
  }

  private WovenWrites() {
  }

  public static void main(final String[] args) throws Exception {
    final boolean jni = !args[0].equals("-");
    if (jni) {
      NativeWrites.load(args[0]);
    }
    final GuardSpec spec = GuardSpec.of(SpecParser.parse("woven.spec",
        "quasi-spec 1\nquasi-invariant memguardfixture.Config.{limit, defaultLimit}\n"
        + "quasi-invariant java.awt.Point.x\n"));
    final WeavingClassLoader loader = new WeavingClassLoader(WovenWrites.class.getClassLoader(), spec,
        name -> name.equals("memguardfixture.Config") || name.equals("memguardfixture.Writers")
            || name.equals("memguardfixture.JdkWriters"));
    final Class<?> config = loader.loadClass("memguardfixture.Config");
    final Method plain = loader.loadClass("memguardfixture.Writers").getMethod("plain", config, int.class);
    final Method plainStatic = loader.loadClass("memguardfixture.Writers").getMethod("plainStatic", int.class);
    final Object relied = config.getConstructor().newInstance();
    final Object free = config.getConstructor().newInstance();
    final Config unwoven = new Config();

    MemGuard.enable();
    MemGuard.protect(relied, "limit");
    MemGuard.protect(free, "limit");
    MemGuard.protect(config, "defaultLimit");
    MemGuard.protect(unwoven, "limit");
    final Witness witness = new Witness();
    Guards.register(witness, relied, config, "limit"); // a QUID: its writes take the slow path

    plain.invoke(null, relied, 1); // woven, slow path
    plain.invoke(null, free, 2); // woven, fast path
    plainStatic.invoke(null, 3); // woven, fast path: the flag is not armed
    Guards.register(new Witness(), null, config, "defaultLimit");
    plainStatic.invoke(null, 4); // woven, slow path
    Writers.plain(unwoven, 9); // the control: not woven

    // A JDK class's field, guarded through the side table.
    final Method setX = loader.loadClass("memguardfixture.JdkWriters").getMethod("setX", Point.class, int.class);
    final Point unarmed = new Point();
    final Point relied2 = new Point();
    final Point noQuid = new Point();
    MemGuard.protect(unarmed, "x");
    MemGuard.protect(relied2, "x");
    MemGuard.protect(noQuid, "x");
    setX.invoke(null, unarmed, 1); // woven, fast path: the side-table flag is not armed
    Guards.register(new Witness(), relied2, Point.class, "x"); // a QUID in the side table, the flag armed
    setX.invoke(null, relied2, 2); // woven, slow path
    setX.invoke(null, noQuid, 3); // woven, fast path: armed, but no QUID for this point
    noQuid.x = 4; // the control: not woven
    if (jni) {
      NativeWrites.setInt(relied, "limit", 5); // JNI on a woven object: unguarded
    }
    System.out.println("WovenWrites: invalidated=" + !witness.isValid());
  }
}
