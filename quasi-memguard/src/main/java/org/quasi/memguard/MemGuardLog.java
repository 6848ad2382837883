package org.quasi.memguard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the {@link UnguardedWrite}s every mechanism reports (thread-safe) and writes them as text: one block per
 * write (mechanism, how, thread, object, field, old → new, full stack with file:line), then a summary of the distinct
 * writing sites — the first frame outside MemGuard and Quasi — ordered by count. {@code ./quasi memguard} exits 1
 * when {@link #count()} is positive.
 */
public final class MemGuardLog {

    private final List<UnguardedWrite> writes = new ArrayList<>();

    /** Records one write. */
    public void add(UnguardedWrite write) {
        synchronized (writes) {
            writes.add(java.util.Objects.requireNonNull(write, "write"));
        }
    }

    /** How many writes were recorded. */
    public int count() {
        synchronized (writes) {
            return writes.size();
        }
    }

    /** A snapshot of the writes, in the order they were recorded. */
    public List<UnguardedWrite> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    /** Distinct writing sites with their counts, most frequent first (ties in order of first appearance). */
    public Map<String, Integer> sites() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (UnguardedWrite write : writes()) {
            counts.merge(write.site() + "  " + write.owner() + "." + write.field() + "  [" + write.mechanism() + "]",
                    1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
        Map<String, Integer> sorted = new LinkedHashMap<>();
        entries.forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** One write as its text block (ends with a blank line). */
    public static String block(UnguardedWrite write) {
        StringBuilder text = new StringBuilder();
        text.append("unguarded write [").append(write.mechanism()).append("] ").append(escape(write.how()))
                .append('\n');
        text.append("  thread: ").append(escape(write.thread())).append('\n');
        text.append("  object: ").append(escape(write.object())).append('\n');
        text.append("  field:  ").append(write.owner()).append('.').append(write.field()).append('\n');
        text.append("  value:  ").append(escape(write.oldValue())).append(" -> ").append(escape(write.newValue()))
                .append('\n');
        text.append("  stack:\n");
        for (StackTraceElement frame : write.stack()) {
            text.append("    at ").append(UnguardedWrite.frame(frame)).append('\n');
        }
        return text.append('\n').toString();
    }

    /** The summary: count, then the distinct sites. */
    public String summary() {
        Map<String, Integer> sites = sites();
        StringBuilder text = new StringBuilder();
        int count = count();
        if (count == 0) {
            return "MemGuard: no unguarded write to a protected quasi-invariant.\n";
        }
        text.append("MemGuard: ").append(count).append(count == 1 ? " unguarded write" : " unguarded writes")
                .append(" at ").append(sites.size()).append(sites.size() == 1 ? " site" : " sites").append(":\n");
        sites.forEach((site, n) -> text.append(String.format("%6d  %s%n", n, site)));
        return text.toString();
    }

    /** Writes every block, then the summary. */
    public void writeTo(Writer out) {
        try {
            for (UnguardedWrite write : writes()) {
                out.write(block(write));
            }
            out.write(summary());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads back the blocks of a log written by {@link #writeTo} (the summary is recomputed, not read), so that the
     * command can merge what a child JVM's traps wrote with what it saw itself.
     *
     * @throws IllegalArgumentException {@code source:line: what was expected} for text that is not such a log
     */
    public static MemGuardLog parse(String text, String source) {
        MemGuardLog log = new MemGuardLog();
        String[] lines = text.split("\\R", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (!line.startsWith("unguarded write [")) {
                i++;
                continue;
            }
            int close = line.indexOf("] ");
            if (close < 0) {
                throw malformed(source, i, "unguarded write [MECHANISM] HOW");
            }
            Mechanism mechanism;
            try {
                mechanism = Mechanism.valueOf(line.substring("unguarded write [".length(), close));
            } catch (IllegalArgumentException e) {
                throw malformed(source, i, "one of " + java.util.Arrays.toString(Mechanism.values()));
            }
            String how = line.substring(close + 2);
            String thread = field(lines, ++i, "  thread: ", source);
            String object = field(lines, ++i, "  object: ", source);
            String ownerField = field(lines, ++i, "  field:  ", source);
            String value = field(lines, ++i, "  value:  ", source);
            field(lines, ++i, "  stack:", source);
            List<StackTraceElement> stack = new ArrayList<>();
            while (++i < lines.length && lines[i].startsWith("    at ")) {
                stack.add(parseFrame(lines[i].substring("    at ".length())));
            }
            int dot = ownerField.lastIndexOf('.', ownerField.endsWith("]") ? ownerField.lastIndexOf('[') : ownerField.length());
            int arrow = value.indexOf(" -> ");
            if (dot < 0 || arrow < 0) {
                throw malformed(source, i, "field OWNER.NAME and value OLD -> NEW");
            }
            log.add(new UnguardedWrite(mechanism, unescape(how), unescape(thread), stack, unescape(object),
                    ownerField.substring(0, dot), ownerField.substring(dot + 1), unescape(value.substring(0, arrow)),
                    unescape(value.substring(arrow + 4))));
        }
        return log;
    }

    /**
     * A value as one line of the log: a backslash, a line break or a {@code >} is written after a backslash
     * ({@code n} for a line feed, {@code r} for a carriage return), so that a value never splits its block and the
     * only {@code " -> "} of a value line is the one between the old and the new value.
     */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '>' -> "\\>";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** The inverse of {@link #escape}. */
    static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String field(String[] lines, int i, String prefix, String source) {
        if (i >= lines.length || !lines[i].startsWith(prefix)) {
            throw malformed(source, i, "a line starting with '" + prefix.strip() + "'");
        }
        return lines[i].substring(prefix.length());
    }

    private static StackTraceElement parseFrame(String frame) {
        int open = frame.lastIndexOf('(');
        String qualified = open < 0 ? frame : frame.substring(0, open);
        String where = open < 0 ? "" : frame.substring(open + 1, frame.length() - 1);
        int dot = qualified.lastIndexOf('.');
        String className = dot < 0 ? qualified : qualified.substring(0, dot);
        String method = dot < 0 ? "?" : qualified.substring(dot + 1);
        int colon = where.lastIndexOf(':');
        String file = colon < 0 ? where : where.substring(0, colon);
        int line = -1;
        if (colon >= 0) {
            try {
                line = Integer.parseInt(where.substring(colon + 1));
            } catch (NumberFormatException e) {
                file = where;
            }
        }
        return new StackTraceElement(className, method, "Unknown Source".equals(file) ? null : file, line);
    }

    private static IllegalArgumentException malformed(String source, int index, String expected) {
        return new IllegalArgumentException(source + ":" + (index + 1) + ": expected " + expected);
    }

    /** The whole log as a string: {@link #writeTo}'s text. */
    public String text() {
        java.io.StringWriter out = new java.io.StringWriter();
        writeTo(out);
        return out.toString();
    }
}
