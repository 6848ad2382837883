package org.quasi.typeguard.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Class headers on demand, for field resolution (JVMS 5.4.3.2) and subtype questions. Classes come from the analysed
 * class path first (first entry wins, as for a class loader), then from the running JDK's {@code jrt:/} image, which
 * is read to resolve the hierarchy even when the JDK itself is not analysed. Thread-safe; each header is parsed at
 * most once (a race may parse one twice, harmlessly).
 */
public final class Hierarchy {

  /** The annotation descriptor that declares a quasi-invariant in analysed code. */
  public static final String QUASI_INVARIANT_DESC = "Lorg/quasi/runtime/QuasiInvariant;";

  /** The outcome of a lookup that may meet a class that is not there. */
  public enum Tri { YES, NO, UNKNOWN }

  private final Map<String, ClassFile> classes;
  private final Map<String, Optional<ClassInfo>> cache = new ConcurrentHashMap<>();
  private final FileSystem jrt;

  /**
   * Creates the hierarchy over a class path.
   *
   * @param classes the analysed classes by internal name (first occurrence on the class path)
   */
  public Hierarchy(final Map<String, ClassFile> classes) {
    this.classes = classes;
    this.jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
  }

  /**
   * Returns the header of a class.
   *
   * @param name internal name
   * @return the header, or {@code null} if the class is neither on the class path nor in the platform
   */
  public ClassInfo info(final String name) {
    return cache.computeIfAbsent(name, n -> Optional.ofNullable(load(n))).orElse(null);
  }

  /**
   * Returns the bytes of a class: its first copy on the class path, else the platform's.
   *
   * @param name internal name
   * @return the class file, or {@code null} if there is none or it cannot be read; must not be modified
   */
  public byte[] bytes(final String name) {
    final ClassFile file = classes.get(name);
    if (file != null) {
      return file.bytes();
    }
    final Path path = platformPath(name);
    try {
      return path == null ? null : Files.readAllBytes(path);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Parses a header from bytes.
   *
   * @param file the class file
   * @param analysed whether it belongs to the analysed class path
   * @return the header
   * @throws RuntimeException whatever ASM throws on a malformed class
   */
  public static ClassInfo parse(final ClassFile file, final boolean analysed) {
    final ClassReader reader = new ClassReader(file.bytes());
    final List<ClassInfo.FieldDecl> fields = new ArrayList<>();
    final String[] sourceFile = new String[1];
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public void visitSource(final String source, final String debug) {
        sourceFile[0] = source;
      }

      @Override
      public FieldVisitor visitField(final int access, final String name, final String descriptor,
          final String signature, final Object value) {
        final boolean[] marked = new boolean[1];
        return new FieldVisitor(Opcodes.ASM9) {
          @Override
          public AnnotationVisitor visitAnnotation(final String annotationDesc, final boolean visible) {
            if (QUASI_INVARIANT_DESC.equals(annotationDesc)) {
              marked[0] = true;
            }
            return null;
          }

          @Override
          public void visitEnd() {
            fields.add(new ClassInfo.FieldDecl(name, descriptor, access, marked[0]));
          }
        };
      }
    }, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
    return new ClassInfo(reader.getClassName(), reader.getSuperName(), List.of(reader.getInterfaces()),
        reader.getAccess(), fields, sourceFile[0], file.entry(), file.path(), analysed);
  }

  /**
   * Resolves a field reference as the JVM does (JVMS 5.4.3.2): the named class, then its superinterfaces
   * (recursively), then its superclass (recursively). The descriptor is compared when given.
   *
   * @param owner the class the instruction names
   * @param name the field name
   * @param desc the descriptor, or {@code null} to match by name only (reflection looks fields up by name)
   * @return the resolution
   */
  public Resolution resolveField(final String owner, final String name, final String desc) {
    return resolve(owner, name, desc, new HashSet<>());
  }

  private Resolution resolve(final String owner, final String name, final String desc, final Set<String> seen) {
    if (!seen.add(owner)) {
      return Resolution.NOT_FOUND;
    }
    final ClassInfo info = info(owner);
    if (info == null) {
      return new Resolution(null, true, owner);
    }
    final ClassInfo.FieldDecl decl = info.field(name);
    if (decl != null && (desc == null || decl.desc().equals(desc))) {
      return new Resolution(owner, false, null);
    }
    Resolution incomplete = null;
    for (final String itf : info.interfaces()) {
      final Resolution r = resolve(itf, name, desc, seen);
      if (r.declaringClass() != null) {
        return r;
      }
      if (r.incomplete() && incomplete == null) {
        incomplete = r;
      }
    }
    if (info.superName() != null) {
      final Resolution r = resolve(info.superName(), name, desc, seen);
      if (r.declaringClass() != null || incomplete == null) {
        return r;
      }
    }
    return incomplete != null ? incomplete : Resolution.NOT_FOUND;
  }

  /**
   * Whether {@code sub} is {@code sup} or a subclass or subinterface of it.
   *
   * @param sub internal name
   * @param sup internal name
   * @return YES, NO, or UNKNOWN if a class on the way is missing
   */
  public Tri isSubtype(final String sub, final String sup) {
    return isSubtype(sub, sup, new HashSet<>());
  }

  private Tri isSubtype(final String sub, final String sup, final Set<String> seen) {
    if (sub.equals(sup) || "java/lang/Object".equals(sup)) {
      return Tri.YES;
    }
    if (!seen.add(sub)) {
      return Tri.NO;
    }
    final ClassInfo info = info(sub);
    if (info == null) {
      return Tri.UNKNOWN;
    }
    Tri result = Tri.NO;
    final List<String> parents = new ArrayList<>(info.interfaces());
    if (info.superName() != null) {
      parents.add(info.superName());
    }
    for (final String parent : parents) {
      final Tri t = isSubtype(parent, sup, seen);
      if (t == Tri.YES) {
        return Tri.YES;
      }
      if (t == Tri.UNKNOWN) {
        result = Tri.UNKNOWN;
      }
    }
    return result;
  }

  /**
   * The result of a field resolution.
   *
   * @param declaringClass the class declaring the resolved field, or {@code null}
   * @param incomplete whether the search met a class that is missing, so the answer may be wrong
   * @param missingClass the first missing class met, or {@code null}
   */
  public record Resolution(String declaringClass, boolean incomplete, String missingClass) {
    /** Nothing found and nothing missing. */
    public static final Resolution NOT_FOUND = new Resolution(null, false, null);
  }

  private ClassInfo load(final String name) {
    final ClassFile file = classes.get(name);
    if (file != null) {
      try {
        return parse(file, true);
      } catch (RuntimeException e) {
        // A malformed class is reported by the scanner; for the hierarchy it is simply absent.
        return null;
      }
    }
    return loadPlatform(name);
  }

  private ClassInfo loadPlatform(final String name) {
    final Path file = platformPath(name);
    if (file == null) {
      return null;
    }
    try {
      return parse(new ClassFile(name, "jrt:/" + file.getName(1), name + ".class", Files.readAllBytes(file)), false);
    } catch (IOException | RuntimeException e) {
      // An unreadable platform class is treated as missing; resolutions through it are then marked incomplete.
      return null;
    }
  }

  /** Finds a class in the running JDK's image: /packages/PKG lists the modules that hold the package. */
  private Path platformPath(final String name) {
    final int slash = name.lastIndexOf('/');
    if (slash < 0 || name.startsWith("[")) {
      return null;
    }
    final Path packageDir = jrt.getPath("/packages", name.substring(0, slash).replace('/', '.'));
    if (!Files.isDirectory(packageDir)) {
      return null;
    }
    try (DirectoryStream<Path> modules = Files.newDirectoryStream(packageDir)) {
      for (final Path module : modules) {
        final Path file = jrt.getPath("/modules", module.getFileName().toString(), name + ".class");
        if (Files.isRegularFile(file)) {
          return file;
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
