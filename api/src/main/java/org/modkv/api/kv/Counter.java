package org.modkv.api.kv;

import java.nio.charset.StandardCharsets;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * Counters as Redis keeps them: a value that is the decimal text of a signed 64-bit integer.
 * INCR on an absent key starts from 0; the key keeps its expiry.
 */
public final class Counter {
    /** Redis' text for a value that is not an integer (without its {@code ERR} prefix). */
    public static final String NOT_AN_INTEGER = "value is not an integer or out of range";
    /** Redis' text for a result past the 64-bit range (without its {@code ERR} prefix). */
    public static final String OVERFLOW = "increment or decrement would overflow";

    private Counter() {
    }

    /** The update that adds {@code delta} to the counter. */
    public static KeyUpdate add(long delta) {
        return current -> {
            long value = current.map(v -> parse(v.value())).orElse(0L);
            long result;
            try {
                result = Math.addExact(value, delta);
            } catch (ArithmeticException e) {
                throw new ModkvException(ErrorCode.INVALID_REQUEST, OVERFLOW);
            }
            return KeyChange.put(Long.toString(result).getBytes(StandardCharsets.US_ASCII),
                    current.map(VersionedValue::expiresAtMillis).orElse(RecordHeader.NO_EXPIRY));
        };
    }

    /** The counter's value after an update that {@link #add added} to it. */
    public static long valueOf(UpdateResult result) {
        return parse(result.change().value());
    }

    /** The value as a counter, refusing what Redis refuses (spaces, a plus sign, leading zeros). */
    public static long parse(byte[] value) {
        String text = new String(value, StandardCharsets.US_ASCII);
        if (value.length == 0 || value.length > 20 || !text.matches("-?(0|[1-9][0-9]*)") || text.equals("-0")) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, NOT_AN_INTEGER);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, NOT_AN_INTEGER);
        }
    }
}
