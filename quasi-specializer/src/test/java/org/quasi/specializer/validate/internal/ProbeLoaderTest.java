package org.quasi.specializer.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.validate.sample.Effects;

/** {@link ProbeLoader}: the validated class path first, the harness and the JDK from the parent. */
class ProbeLoaderTest {

  @Test
  void classesOfTheClassPathAreItsOwnEvenWhenTheParentHasThem() throws Exception {
    // The test's own classes directory is also on the parent's class path, as quasi.jar holds commons-math3.
    final URL testClasses = Path.of(Effects.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toUri().toURL();
    try (ProbeLoader loader = new ProbeLoader(new URL[] {testClasses}, ProbeLoaderTest.class.getClassLoader())) {
      final Class<?> own = Class.forName(Effects.class.getName(), false, loader);
      assertThat(own.getClassLoader()).isSameAs(loader);
      assertThat(own).isNotSameAs(Effects.class);
      assertThat(Class.forName(Cancellation.class.getName(), false, loader)).isSameAs(Cancellation.class);
      assertThat(Class.forName("java.lang.String", false, loader)).isSameAs(String.class);
      final String resource = Effects.class.getName().replace('.', '/') + ".class";
      assertThat(loader.getResource(resource).toString()).startsWith(testClasses.toString());
    }
  }
}
