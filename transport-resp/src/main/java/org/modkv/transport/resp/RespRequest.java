package org.modkv.transport.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One client request: the command name and its arguments, each the exact bytes sent (keys and
 * values are binary-safe and never pass through {@code String}; only command names, keywords
 * and numbers are read as text).
 *
 * @param args the command name first, then its arguments; never empty
 */
record RespRequest(List<byte[]> args) {

    RespRequest {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a request has at least a command name");
        }
    }

    /** Number of arguments including the command name, as Redis' arity counts them. */
    int size() {
        return args.size();
    }

    /** Argument {@code i} (0 is the command name), as sent. */
    byte[] arg(int i) {
        return args.get(i);
    }

    /** The upper-case command name, for lookup. */
    String name() {
        return keyword(0);
    }

    /** Argument {@code i} read as an upper-case ASCII keyword ({@code NX}, {@code TOP}, {@code DOCS}...). */
    String keyword(int i) {
        return new String(args.get(i), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }

    /** Argument {@code i} as UTF-8 text, for the places the kernel takes text (index queries). */
    String text(int i) {
        return new String(args.get(i), StandardCharsets.UTF_8);
    }

    /** Arguments {@code from..end}. */
    List<byte[]> from(int from) {
        return args.subList(from, args.size());
    }

    /**
     * Argument {@code i} as a whole number.
     *
     * @throws NumberFormatException if it is not one
     */
    long number(int i) {
        return Long.parseLong(new String(args.get(i), StandardCharsets.US_ASCII));
    }

    /**
     * Argument {@code i} as a finite decimal number.
     *
     * @throws NumberFormatException if it is not one
     */
    double decimal(int i) {
        double value = Double.parseDouble(new String(args.get(i), StandardCharsets.US_ASCII));
        if (!Double.isFinite(value)) {
            throw new NumberFormatException("not a finite number");
        }
        return value;
    }
}
