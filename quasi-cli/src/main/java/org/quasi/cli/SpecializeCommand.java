package org.quasi.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.invoke.MethodHandles;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.JdkPolicy;
import org.quasi.specializer.ResidualCode;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import org.quasi.runtime.internal.NearestNames;

/**
 * {@code ./quasi specialize}: specializes one method of a class path on literal known arguments and prints the
 * residual bytecode, the summary and the dependencies, for people studying what the specializer does to a method.
 */
@Command(name = "specialize", mixinStandardHelpOptions = true,
    description = {"Specialize a method on known arguments and print the residual bytecode and a summary.",
        "Arguments are numbered as the JVM passes them: 0 is the receiver of an instance method.",
        "Exit code 1 when the specializer declines (the reason is printed)."})
final class SpecializeCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--class-path", required = true, paramLabel = "CP",
      description = "Where the class is: directories and jars, separated by the platform's path separator.")
  private String classPath;

  @Option(names = "--method", required = true, paramLabel = "Owner.name(desc)",
      description = "The method: binary class name, '.', method name, and a JVM descriptor if it is overloaded.")
  private String method;

  @Option(names = "--known", paramLabel = "INDEX=LITERAL",
      description = "A known argument: 42, 42L, 1.5, true, 'c', \"text\" or null, by the parameter's type.")
  private Map<Integer, String> known = new LinkedHashMap<>();

  @Option(names = "--quasi-invariant", paramLabel = "Owner.field",
      description = "A field whose value on known objects may be folded (a static field too: its class is "
          + "initialized).")
  private List<String> quasiInvariants = new ArrayList<>();

  @Option(names = "--jdk-inline", paramLabel = "PACKAGE", split = ",",
      description = "A JDK package whose methods may be specialized into (java.util, or java.util.* with its "
          + "subpackages); by default JDK methods are only called (pure ones fold on known arguments).")
  private List<String> jdkInline = new ArrayList<>();

  @Option(names = "--no-final-folding", description = "Do not fold final fields as true invariants.")
  private boolean noFinalFolding;

  @Override
  public Integer call() throws Exception {
    final PrintWriter out = spec.commandLine().getOut();
    final int dot = method.lastIndexOf('.', method.indexOf('(') < 0 ? method.length() : method.indexOf('('));
    if (dot <= 0) {
      throw new UsageException("--method must be Owner.name or Owner.name(descriptor), got '" + method + "'");
    }
    final String owner = method.substring(0, dot);
    try (URLClassLoader loader = new URLClassLoader(urls(classPath), SpecializeCommand.class.getClassLoader())) {
      final Class<?> c = load(loader, owner);
      final MethodHandles.Lookup lookup;
      try {
        lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
      } catch (IllegalAccessException e) {
        throw new UsageException("cannot open " + owner + " for specialization: " + e.getMessage());
      }
      final SpecializationRequest<Object> request = request(loader, c, lookup, method.substring(dot + 1));
      final ResidualCode residual;
      try {
        // Outside the usage-error mapping: residual() documents no IllegalArgumentException, so one escaping it is a
        // fault of the specializer (exit 3), never the user's mistake.
        residual = request.residual();
      } catch (SpecializationDeclined e) {
        spec.commandLine().getErr().println("quasi specialize: " + e.getMessage());
        return QuasiCommand.EXIT_FINDINGS;
      }
      out.println(residual.dump());
      out.println("summary: " + residual.summary());
      out.println("dependencies: " + (residual.dependencies().isEmpty() ? "none" : ""));
      for (final Dependency d : residual.dependencies()) {
        out.println("  " + d);
      }
      out.flush();
      return QuasiCommand.EXIT_OK;
    }
  }

  /**
   * The request the options describe. What the user can get wrong here is exactly what these library calls document
   * as {@code IllegalArgumentException}: no such method or several ({@code Specializer.method}), a literal that does
   * not fit its parameter or an index out of range ({@code knownLiteral}), no such field ({@code quasiInvariant}), a
   * malformed package ({@code JdkPolicy.specializeInto}); and a class the method's signature names that is missing
   * from the class path.
   */
  private SpecializationRequest<Object> request(final ClassLoader loader, final Class<?> c,
      final MethodHandles.Lookup lookup, final String nameAndDescriptor) {
    try {
      SpecializationRequest<Object> request = Specializer.of(lookup).method(c, nameAndDescriptor);
      for (final Map.Entry<Integer, String> k : known.entrySet()) {
        request = request.knownLiteral(k.getKey(), k.getValue());
      }
      for (final String qi : quasiInvariants) {
        final int at = qi.lastIndexOf('.');
        if (at <= 0) {
          throw new UsageException("--quasi-invariant must be Owner.field, got '" + qi + "'");
        }
        request = request.quasiInvariant(load(loader, qi.substring(0, at)), qi.substring(at + 1));
      }
      return request.foldFinalFields(!noFinalFolding)
          .jdkPolicy(JdkPolicy.specializeInto(jdkInline.toArray(new String[0])));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    } catch (NoClassDefFoundError | TypeNotPresentException e) {
      // Reflection over the class's members resolves the types they name.
      throw new UsageException(c.getName() + " refers to a class missing from " + classPath + ": "
          + e.getMessage());
    }
  }

  private static URL[] urls(final String classPath) {
    final List<URL> urls = new ArrayList<>();
    for (final String part : classPath.split(File.pathSeparator)) {
      final Path p = Path.of(part);
      if (!Files.exists(p)) {
        throw new UsageException("class path entry " + part + " does not exist");
      }
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new UsageException("class path entry " + part + " is not a valid path: " + e.getMessage());
      }
    }
    return urls.toArray(new URL[0]);
  }

  /** Loads a class from the class path, or fails naming the nearest class names found there. */
  private Class<?> load(final ClassLoader loader, final String name) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      final String simple = name.substring(name.lastIndexOf('.') + 1);
      final String nearest = classNames().stream()
          .sorted(Comparator.comparingInt(n -> NearestNames.distance(simple, n.substring(n.lastIndexOf('.') + 1))))
          .limit(3).reduce((a, b) -> a + ", " + b).orElse("none");
      throw new UsageException("class " + name + " not found on " + classPath + "; nearest: " + nearest);
    }
  }

  private List<String> classNames() {
    final List<String> names = new ArrayList<>();
    for (final String part : classPath.split(File.pathSeparator)) {
      final Path root = Path.of(part);
      try {
        if (Files.isDirectory(root)) {
          try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".class")).limit(10_000)
                .forEach(f -> names.add(className(root.relativize(f).toString().replace(File.separatorChar, '/'))));
          }
        } else {
          try (ZipFile jar = new ZipFile(root.toFile())) {
            jar.stream().map(z -> z.getName()).filter(n -> n.endsWith(".class")).limit(10_000)
                .forEach(n -> names.add(className(n)));
          }
        }
      } catch (IOException e) {
        // An unreadable entry only means fewer suggestions.
      }
    }
    return names;
  }

  private static String className(final String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }
}
