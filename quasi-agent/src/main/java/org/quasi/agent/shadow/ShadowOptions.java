package org.quasi.agent.shadow;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The configuration of shadow mode, as the agent receives it: {@code -javaagent:quasi-agent.jar=shadow:OPTIONS}, where
 * {@code OPTIONS} is {@code key=value} pairs separated by {@code &}, values URL-encoded (a regular expression may hold
 * any character). Keys: {@code sample} (N: one invocation in N is shadowed), {@code seed}, {@code include} (a regular
 * expression found in the binary names of the classes to shadow; empty: all), {@code max} (most shadowed invocations
 * per method), {@code report} (the JSON report's file), {@code summary} (the text summary's file; absent: standard
 * error).
 *
 * @param sample one invocation in {@code sample} is shadowed ({@code >= 1})
 * @param seed the seed of the sampling and of the known/unknown splits
 * @param include classes whose binary name contains a match are shadowed
 * @param maxPerMethod the most invocations shadowed per method ({@code >= 1})
 * @param report the JSON report's file, or null for none
 * @param summary the text summary's file, or null for standard error
 * @since 0.1
 */
public record ShadowOptions(long sample, long seed, Pattern include, int maxPerMethod, Path report,
    Path summary) {
  /** The prefix of the agent's argument that selects shadow mode. */
  public static final String PREFIX = "shadow:";

  /** Checks the values. */
  public ShadowOptions {
    if (sample < 1) {
      throw new IllegalArgumentException("shadow: the sampling rate 1/" + sample + " is not a positive fraction");
    }
    if (maxPerMethod < 1) {
      throw new IllegalArgumentException("shadow: at most " + maxPerMethod + " invocations per method is not positive");
    }
  }

  /** Returns the agent argument that selects these options ({@link #PREFIX} included). */
  public String agentArgument() {
    final StringBuilder b = new StringBuilder(PREFIX);
    b.append("sample=").append(sample).append("&seed=").append(seed).append("&max=").append(maxPerMethod)
        .append("&include=").append(URLEncoder.encode(include.pattern(), StandardCharsets.UTF_8));
    if (report != null) {
      b.append("&report=").append(URLEncoder.encode(report.toString(), StandardCharsets.UTF_8));
    }
    if (summary != null) {
      b.append("&summary=").append(URLEncoder.encode(summary.toString(), StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  /**
   * Parses an agent argument that starts with {@link #PREFIX}.
   *
   * @throws IllegalArgumentException naming the bad pair and what was expected
   */
  public static ShadowOptions parse(final String argument) {
    if (!argument.startsWith(PREFIX)) {
      throw new IllegalArgumentException("shadow: the agent argument '" + argument + "' does not start with "
          + PREFIX);
    }
    long sample = 1;
    long seed = 0;
    int max = 8;
    Pattern include = Pattern.compile("");
    Path report = null;
    Path summary = null;
    final String rest = argument.substring(PREFIX.length());
    for (final String pair : rest.isEmpty() ? new String[0] : rest.split("&")) {
      final int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("shadow: '" + pair + "' is not key=value");
      }
      final String key = pair.substring(0, eq);
      final String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      try {
        switch (key) {
          case "sample" -> sample = Long.parseLong(value);
          case "seed" -> seed = Long.parseLong(value);
          case "max" -> max = Integer.parseInt(value);
          case "include" -> include = Pattern.compile(value);
          case "report" -> report = Path.of(value);
          case "summary" -> summary = Path.of(value);
          default -> throw new IllegalArgumentException("shadow: unknown option '" + key
              + "' (expected sample, seed, max, include, report or summary)");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("shadow: " + key + "=" + value + " is not a number", e);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("shadow: include=" + value + " is not a regular expression: "
            + e.getDescription(), e);
      }
    }
    return new ShadowOptions(sample, seed, include, max, report, summary);
  }
}
