package org.quasi.versions.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: a key's versions were invalidated too often; the key stays generic. */
@Name("org.quasi.Backoff")
@Label("Quasi Backoff")
@Category("Quasi")
@Description("An entry point stopped specializing a key whose versions kept being invalidated")
public final class BackoffEvent extends jdk.jfr.Event {

  @Label("Entry")
  public String entry;

  @Label("Key")
  public String key;

  @Label("Invalidations")
  public int invalidations;
}
