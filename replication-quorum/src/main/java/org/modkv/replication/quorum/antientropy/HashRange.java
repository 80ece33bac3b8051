package org.modkv.replication.quorum.antientropy;

/**
 * A range of key positions in a {@link MerkleTree}, {@code first} to {@code last} inclusive,
 * both compared unsigned. The unit anti-entropy repairs: the replicas exchange the states of
 * the keys whose position falls in it.
 */
public record HashRange(long first, long last) {
    public HashRange {
        if (Long.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("a hash range runs from first to last (unsigned), got "
                    + Long.toUnsignedString(first) + ".." + Long.toUnsignedString(last));
        }
    }

    public boolean contains(long position) {
        return Long.compareUnsigned(first, position) <= 0 && Long.compareUnsigned(position, last) <= 0;
    }

    @Override
    public String toString() {
        return String.format("[%016x..%016x]", first, last);
    }
}
