package org.modkv.testkit.linearizability;

/**
 * One client operation on one key of a key-value store, seen as a register: a write of a value
 * (or of {@code null}, a delete) or a read that returned a value ({@code null}: not found).
 *
 * @param process who issued it (operations of one process do not overlap)
 * @param key the register
 * @param kind read or write
 * @param value the value written, or the value the read returned; {@code null} for none
 * @param invokedNanos when the request was sent ({@link System#nanoTime()} or simulated time)
 * @param completedNanos when its answer arrived; {@link #UNKNOWN} for a write whose outcome is
 *     unknown (it failed or timed out, so it may still take effect at any later time)
 */
public record RegisterOperation(int process, String key, Kind kind, String value, long invokedNanos,
                                long completedNanos) {
    /** The completion time of an operation whose outcome is unknown. */
    public static final long UNKNOWN = Long.MAX_VALUE;

    /** What an operation does. */
    public enum Kind { READ, WRITE }

    public RegisterOperation {
        if (completedNanos < invokedNanos) {
            throw new IllegalArgumentException("an operation cannot complete (" + completedNanos + ") before it is invoked ("
                    + invokedNanos + ")");
        }
        if (kind == Kind.READ && completedNanos == UNKNOWN) {
            throw new IllegalArgumentException("a read without an answer tells nothing: leave it out of the history");
        }
    }

    @Override
    public String toString() {
        String end = completedNanos == UNKNOWN ? "?" : String.valueOf(completedNanos);
        return "p" + process + " " + (kind == Kind.WRITE ? "write " : "read ") + key + "=" + value
                + " [" + invokedNanos + ", " + end + "]";
    }
}
