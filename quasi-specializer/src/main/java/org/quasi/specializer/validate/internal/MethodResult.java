package org.quasi.specializer.validate.internal;

import java.util.ArrayList;
import java.util.List;
import org.quasi.specializer.validate.Crash;
import org.quasi.specializer.validate.Divergence;

/**
 * What the trials of one method found. {@code skipped} is non-null when the method was not validated (and says why);
 * a method skipped after some trials (the original hung, say) keeps what those trials found.
 */
public final class MethodResult {
  final String method;
  String skipped;
  int trials;
  /** Trials whose arguments could not be drawn (a constructor threw), and the last reason. */
  int undrawn;
  String undrawnWhy;
  int specialized;
  /**
   * Trials knowing no argument that ran (one per method taking any): they check the method evaluated anew and
   * cleaned up, and count for {@code divergences} and {@code crashes} only.
   */
  int wholeMethodTrials;
  /** Of those, trials whose code was made from a template (not evaluated). */
  int fromTemplates;
  /** The decline reasons, one per declined trial, normalized into the histogram's key. */
  final List<String> declines = new ArrayList<>();
  /** One full decline message per distinct key, as an example. */
  final List<String> declineExamples = new ArrayList<>();
  final List<Divergence> divergences = new ArrayList<>();
  int divergedTrials;
  final List<Crash> crashes = new ArrayList<>();
  /** Instructions of the original and of the residual code, per specialized trial. */
  final List<int[]> sizes = new ArrayList<>();
  /** The method's arguments, receiver included (0: nothing a trial could know); -1 before a trial drew any. */
  int arguments = -1;

  MethodResult(final String method) {
    this.method = method;
  }

  /** Returns the result of a method not validated at all, for the reason {@code why}. */
  public static MethodResult notValidated(final String method, final String why) {
    final MethodResult r = new MethodResult(method);
    r.skipped = why;
    return r;
  }

  /**
   * Returns the result of a method (or class) on which the harness itself failed at {@code stage}: a crash, which
   * the report counts and must be zero.
   */
  public static MethodResult crashed(final String method, final String stage, final String what) {
    final MethodResult r = new MethodResult(method);
    r.crashes.add(new Crash(method, 0, stage, what));
    return r;
  }

  /** Returns the method: owner binary name, '.', name and descriptor. */
  public String method() {
    return method;
  }

  /** Returns why the method was not validated (or stopped being), or null. */
  public String skipped() {
    return skipped;
  }

  /** Returns whether at least one trial ran the residual code against the original. */
  public boolean tried() {
    return trials > 0;
  }

  public int trials() {
    return trials;
  }

  public int specialized() {
    return specialized;
  }

  public int wholeMethodTrials() {
    return wholeMethodTrials;
  }

  public int fromTemplates() {
    return fromTemplates;
  }

  public List<String> declines() {
    return declines;
  }

  public List<String> declineExamples() {
    return declineExamples;
  }

  public List<Divergence> divergences() {
    return divergences;
  }

  public int divergedTrials() {
    return divergedTrials;
  }

  public List<Crash> crashes() {
    return crashes;
  }

  public List<int[]> sizes() {
    return sizes;
  }

  /** The method's arguments, receiver included; -1 when no trial drew any. */
  public int arguments() {
    return arguments;
  }
}
