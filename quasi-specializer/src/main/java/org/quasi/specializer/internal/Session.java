package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.LinkedHashSet;
import java.util.Set;
import org.quasi.specializer.Dependency;

/**
 * What one specialization request knows beyond the abstract state: the caller's access, the class repository, the
 * quasi-invariant declarations, and what it learns along the way (dependencies, initialized classes).
 */
final class Session {
  final MethodHandles.Lookup lookup;
  final ClassRepository repository;
  final AccessPolicy access;
  final CalleeScreen screen;
  final Set<Field> quasiInvariants;
  final boolean foldFinals;
  final Set<Dependency> dependencies = new LinkedHashSet<>();
  final Set<Class<?>> initialized = PartialEvaluator.newInitializedSet();

  Session(final MethodHandles.Lookup lookup, final ClassRepository repository, final Set<Field> quasiInvariants,
      final boolean foldFinals) {
    this.lookup = lookup;
    this.repository = repository;
    this.access = AccessPolicy.of(lookup);
    this.screen = new CalleeScreen(repository, access);
    this.quasiInvariants = quasiInvariants;
    this.foldFinals = foldFinals;
  }
}
