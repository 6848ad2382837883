package org.quasi.runtime.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event: a guarded write invalidated a version; its duration is the invalidation's (the replug of the fallback,
 * and with a counting replugger the wait for calls inside the old version). Recorded in the writing thread, with the
 * stack of the write. Costs nothing while no recording enables it.
 */
@Name("org.quasi.Invalidate")
@Label("Quasi Invalidate")
@Category("Quasi")
@Description("A guarded write invalidated a specialized version and replugged its fallback")
@StackTrace(true)
public final class InvalidateEvent extends jdk.jfr.Event {

  @Label("Version")
  public String version;

  @Label("Location")
  @Description("The guarded location written: object, owner class and field")
  public String location;

  @Label("Replugged")
  @Description("Whether the version was plugged, so the fallback was plugged in its place")
  public boolean replugged;
}
