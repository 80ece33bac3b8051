package org.modkv.testkit.crash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.modkv.api.kv.RecordHeader;

/**
 * The keys and values the crash workload writes, derived from names alone, so the parent can
 * tell an intact record from a torn or mixed one without having seen it written.
 *
 * <pre>
 *   single/c&lt;cycle&gt;/t&lt;thread&gt;/&lt;index&gt;      value: singleValue(key)
 *   batch/t&lt;thread&gt;/slot&lt;j&gt;                value: batchValue(id, j), metadata: batchMetadata(id)
 *   batch/t&lt;thread&gt;/marker/&lt;id&gt;            value: markerValue(id)
 * </pre>
 * A batch id is {@code <cycle>.<index>}; later cycles have larger ids.
 */
final class CrashRecords {
    static final String SINGLE_PREFIX = "single/";
    static final String BATCH_PREFIX = "batch/";
    private static final int MIN_VALUE_BYTES = 24;

    private CrashRecords() {
    }

    /** A batch's id: cycle, then index within the cycle. Ordered. */
    record BatchId(int cycle, long index) implements Comparable<BatchId> {
        static BatchId parse(String text) {
            int dot = text.indexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException("not a batch id: " + text);
            }
            return new BatchId(Integer.parseInt(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
        }

        @Override
        public int compareTo(BatchId other) {
            int byCycle = Integer.compare(cycle, other.cycle);
            return byCycle != 0 ? byCycle : Long.compare(index, other.index);
        }

        @Override
        public String toString() {
            return cycle + "." + index;
        }
    }

    static String singleKey(int cycle, int thread, long index) {
        return SINGLE_PREFIX + "c" + cycle + "/t" + thread + "/" + index;
    }

    static String slotKey(int thread, int slot) {
        return BATCH_PREFIX + "t" + thread + "/slot" + slot;
    }

    static String markerPrefix(int thread) {
        return BATCH_PREFIX + "t" + thread + "/marker/";
    }

    static String markerKey(int thread, BatchId id) {
        return markerPrefix(thread) + id;
    }

    static byte[] singleValue(String key, int maxValueBytes) {
        return value("value of " + key + ";", key, maxValueBytes);
    }

    static byte[] batchValue(BatchId id, int slot, int maxValueBytes) {
        return value("batch " + id + " slot " + slot + ";", id + "/" + slot, maxValueBytes);
    }

    /**
     * A batch's metadata: a version and expiry header as the kernel stamps it (docs/design/kv-api.md),
     * both derived from the batch id, in front of the id's text, so the crash check also proves
     * that versions and expiries survive a kill whole, with their batch.
     */
    static byte[] batchMetadata(BatchId id) {
        long version = ((long) id.cycle() << 40) + id.index() + 1;
        long expiresAtMillis = 4_102_444_800_000L + version; // far ahead: 2100-01-01 plus the version
        return new RecordHeader(version, expiresAtMillis).encode(utf8("batch-metadata " + id));
    }

    static byte[] markerValue(BatchId id) {
        return utf8("marker of batch " + id);
    }

    /** The batch id a slot value starts with, or null if it does not look like one. */
    static BatchId batchIdOf(byte[] slotValue) {
        String text = new String(slotValue, 0, Math.min(slotValue.length, 64), StandardCharsets.UTF_8);
        if (!text.startsWith("batch ")) {
            return null;
        }
        int end = text.indexOf(' ', 6);
        try {
            return end < 0 ? null : BatchId.parse(text.substring(6, end));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A readable prefix, then pseudo-random bytes; the length and bytes depend on {@code seed} only. */
    private static byte[] value(String prefix, String seed, int maxValueBytes) {
        SplittableRandom random = new SplittableRandom(seed.hashCode() * 0x9E3779B97F4A7C15L);
        byte[] head = utf8(prefix);
        int length = Math.max(head.length, MIN_VALUE_BYTES + random.nextInt(Math.max(1, maxValueBytes - MIN_VALUE_BYTES)));
        byte[] value = Arrays.copyOf(head, length);
        for (int i = head.length; i < length; i++) {
            value[i] = (byte) random.nextInt(256);
        }
        return value;
    }
}
