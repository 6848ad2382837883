package org.quasi.versions.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: an entry point specialized a key; its duration is the specialization's, up to the plug. */
@Name("org.quasi.Specialize")
@Label("Quasi Specialize")
@Category("Quasi")
@Description("An entry point specialized the method for one key: plugged, declined, or invalidated before the plug")
public final class SpecializeEvent extends jdk.jfr.Event {

  @Label("Entry")
  public String entry;

  @Label("Key")
  public String key;

  @Label("Outcome")
  @Description("plugged, declined, or raced (a guarded write landed before the plug)")
  public String outcome;

  @Label("Specialized In")
  @Description("The thread that made the version: the caller that crossed the threshold, or quasi-specializer-N")
  public String thread;

  @Label("Background")
  @Description("Whether the specialization was queued to the background executor")
  public boolean background;

  @Label("Dependencies")
  @Description("The heap facts the version relies on, or why it was declined")
  public String detail;
}
