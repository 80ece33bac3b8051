package org.modkv.bench.search;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The index lag of the writes between two stats snapshots, from the node's cumulative counts
 * ({@code <index>.lag_count} and {@code <index>.lag_le_<bound>ms}, as a Prometheus histogram
 * has them): how many lags were recorded in between, and the smallest bound a given share of them
 * fell within. Resolution is the node's bounds (1, 2, 5, 10, 20, 50 ms ...).
 *
 * @param count lags recorded between the snapshots
 * @param withinBound lags recorded between the snapshots per upper bound in milliseconds
 */
public record LagBuckets(long count, TreeMap<Long, Long> withinBound) {
    private static final Pattern BOUND = Pattern.compile("lag_le_(\\d+)ms");

    /** The lags recorded between {@code before} and {@code after} (the indexes sections of stats). */
    public static LagBuckets between(Map<String, String> before, Map<String, String> after, String prefix) {
        TreeMap<Long, Long> within = new TreeMap<>();
        for (Map.Entry<String, String> entry : after.entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                continue;
            }
            Matcher bound = BOUND.matcher(entry.getKey().substring(prefix.length()));
            if (bound.matches()) {
                long then = Long.parseLong(before.getOrDefault(entry.getKey(), "0"));
                within.put(Long.parseLong(bound.group(1)), Long.parseLong(entry.getValue()) - then);
            }
        }
        long count = Long.parseLong(after.getOrDefault(prefix + "lag_count", "0"))
                - Long.parseLong(before.getOrDefault(prefix + "lag_count", "0"));
        return new LagBuckets(count, within);
    }

    /**
     * The smallest bound (e.g. {@code "50"}) within which at least {@code share} of the lags fell,
     * {@code ">5000"} past the largest bound, or {@code "-"} when nothing was recorded.
     */
    public String boundAt(double share) {
        if (count == 0) {
            return "-";
        }
        for (Map.Entry<Long, Long> bound : withinBound.entrySet()) {
            if (bound.getValue() >= Math.ceil(share * count)) {
                return Long.toString(bound.getKey());
            }
        }
        return withinBound.isEmpty() ? "-" : ">" + withinBound.lastKey();
    }
}
