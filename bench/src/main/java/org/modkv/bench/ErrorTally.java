package org.modkv.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.modkv.client.ModkvClientException;

/**
 * Counts failures by kind (the error code and message), so the report can say what went wrong,
 * not only how often. Bounded: past {@value #MAX_KINDS} kinds, the rest count as "other".
 * Thread-safe; only the failure path uses it, so it may allocate.
 */
final class ErrorTally {
    static final int MAX_KINDS = 20;
    static final String OTHER = "(other errors)";

    private final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();

    void add(Throwable cause) {
        add(describe(cause), 1);
    }

    void add(String kind, long count) {
        LongAdder counter = kinds.get(kind);
        if (counter == null) {
            counter = kinds.size() >= MAX_KINDS ? kinds.computeIfAbsent(OTHER, k -> new LongAdder())
                    : kinds.computeIfAbsent(kind, k -> new LongAdder());
        }
        counter.add(count);
    }

    /** Kinds and counts, most frequent first. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        kinds.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }

    /** One line naming a failure: {@code CODE: message} for modkv, the server's text for RESP. */
    static String describe(Throwable cause) {
        if (cause instanceof ModkvClientException m) {
            return m.code() + ": " + firstLine(m.getMessage());
        }
        if (cause instanceof RespErrorReply r) {
            return "RESP error: " + firstLine(r.getMessage());
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : firstLine(message);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
