package org.modkv.replication.quorum.coordinator;

/**
 * How many replicas hold a key ({@code n}), how many must answer a read ({@code r}) and how many
 * must have a write durable before it is acknowledged ({@code w}); with {@code sloppy}, a replica
 * that fails is replaced by the next node of the ring's walk, which keeps a hint for it (a
 * sloppy quorum, Dynamo section 4.6). {@code r + w > n} makes every read meet every
 * acknowledged write (when no fallback stood in). Defaults: N=3, R=2, W=2, sloppy.
 */
public record QuorumSettings(int n, int r, int w, boolean sloppy) {
    public static final QuorumSettings DEFAULTS = new QuorumSettings(3, 2, 2, true);

    public QuorumSettings {
        if (n < 1) {
            throw new IllegalArgumentException("the replication factor n must be at least 1, got " + n);
        }
        if (r < 1 || r > n) {
            throw new IllegalArgumentException("the read quorum r must be between 1 and n=" + n + ", got " + r);
        }
        if (w < 1 || w > n) {
            throw new IllegalArgumentException("the write quorum w must be between 1 and n=" + n + ", got " + w);
        }
    }

    /** Whether reads are guaranteed to overlap acknowledged writes (strict quorums only). */
    public boolean overlapping() {
        return r + w > n;
    }
}
