package org.modkv.storage.wal;

import java.util.Map;

/**
 * How many writes each group commit covered, in power-of-two buckets ({@code 1}, {@code 2-3},
 * {@code 4-7}...). Recorded by the group-commit agent without allocation; read by anyone
 * (approximately: the counters are not read atomically together).
 */
final class GroupSizeHistogram {
    private static final int BUCKETS = 32;
    private final long[] counts = new long[BUCKETS];
    private volatile long groups;
    private volatile long max;

    /** Agent only. */
    void record(int groupSize) {
        if (groupSize <= 0) {
            return;
        }
        counts[bucket(groupSize)]++;
        if (groupSize > max) {
            max = groupSize;
        }
        groups++;
    }

    private static int bucket(int size) {
        return Math.min(BUCKETS - 1, 31 - Integer.numberOfLeadingZeros(size));
    }

    long groups() {
        return groups;
    }

    long max() {
        return max;
    }

    /** Upper bound of the bucket holding the {@code percentile}th group (0 when empty). */
    long percentile(double percentile) {
        long total = 0;
        long[] snapshot = counts.clone();
        for (long count : snapshot) {
            total += count;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Math.min(max, (1L << (i + 1)) - 1);
            }
        }
        return max;
    }

    /** Non-empty buckets as {@code "1:12 2-3:40 4-7:9"}. */
    String buckets() {
        StringBuilder out = new StringBuilder();
        long[] snapshot = counts.clone();
        for (int i = 0; i < BUCKETS; i++) {
            if (snapshot[i] == 0) {
                continue;
            }
            long low = 1L << i;
            long high = (1L << (i + 1)) - 1;
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(low == high ? Long.toString(low) : low + "-" + high).append(':').append(snapshot[i]);
        }
        return out.toString();
    }

    void putStats(Map<String, Object> stats) {
        stats.put("group_commits", groups());
        stats.put("group_size_p50", percentile(50));
        stats.put("group_size_p99", percentile(99));
        stats.put("group_size_max", max());
        stats.put("group_size_histogram", buckets());
    }
}
