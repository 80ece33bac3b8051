package org.modkv.replication.quorum.ring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A consistent-hash ring with virtual nodes: each node owns {@code tokensPerNode} tokens at
 * {@code murmur3("<node id>#<i>")}; a key sits at {@code murmur3(hashed part)} (see
 * {@link HashTag}) and its {@link #preferenceList preference list} is the first N distinct
 * nodes met walking clockwise (increasing unsigned positions, wrapping) from it, skipping a
 * node's further tokens. The rest of that walk, in order, are the key's fallbacks for a sloppy
 * quorum ({@link #walk}).
 *
 * <p>Immutable and deterministic: two rings built from the same node ids and token count agree
 * on every key, on every machine. Adding or removing a node moves only the keys whose walk it
 * enters or leaves (about 1/n of them). Token collisions (two tokens at one position) are
 * broken by node id, so they too are deterministic. See docs/design/quorum.md, "The ring".
 */
public final class HashRing {
    /** The most tokens a node may own: a larger ring costs memory and lookup time for no balance gain. */
    public static final int MAX_TOKENS_PER_NODE = 4096;

    private final SortedSet<String> nodes;
    private final int tokensPerNode;
    private final long[] positions;
    private final String[] owners;

    private HashRing(SortedSet<String> nodes, int tokensPerNode) {
        this.nodes = Collections.unmodifiableSortedSet(nodes);
        this.tokensPerNode = tokensPerNode;
        Token[] tokens = new Token[nodes.size() * tokensPerNode];
        int t = 0;
        for (String node : nodes) {
            for (int i = 0; i < tokensPerNode; i++) {
                tokens[t++] = new Token(tokenPosition(node, i), node);
            }
        }
        Arrays.sort(tokens);
        positions = new long[tokens.length];
        owners = new String[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            positions[i] = tokens[i].position();
            owners[i] = tokens[i].node();
        }
    }

    /**
     * A ring of {@code nodeIds}, each with {@code tokensPerNode} tokens.
     *
     * @throws IllegalArgumentException if there are no nodes, a node id is empty, or
     *     {@code tokensPerNode} is outside 1..{@value #MAX_TOKENS_PER_NODE}
     */
    public static HashRing of(Collection<String> nodeIds, int tokensPerNode) {
        Objects.requireNonNull(nodeIds, "nodeIds");
        if (tokensPerNode < 1 || tokensPerNode > MAX_TOKENS_PER_NODE) {
            throw new IllegalArgumentException("tokens per node must be between 1 and " + MAX_TOKENS_PER_NODE
                    + ", got " + tokensPerNode);
        }
        TreeSet<String> nodes = new TreeSet<>();
        for (String id : nodeIds) {
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("a ring node id must be a non-empty string, got "
                        + (id == null ? "null" : "\"\""));
            }
            nodes.add(id);
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one node");
        }
        return new HashRing(nodes, tokensPerNode);
    }

    /** The ring position of token {@code index} of {@code node}. */
    public static long tokenPosition(String node, int index) {
        return Murmur3.hash64((node + "#" + index).getBytes(StandardCharsets.UTF_8));
    }

    /** This ring with {@code node} added (the same ring if it is already in). */
    public HashRing withNode(String node) {
        TreeSet<String> more = new TreeSet<>(nodes);
        more.add(node);
        return of(more, tokensPerNode);
    }

    /** This ring without {@code node}; at least one node must remain. */
    public HashRing withoutNode(String node) {
        TreeSet<String> fewer = new TreeSet<>(nodes);
        fewer.remove(node);
        return of(fewer, tokensPerNode);
    }

    public SortedSet<String> nodes() {
        return nodes;
    }

    public int tokensPerNode() {
        return tokensPerNode;
    }

    /**
     * The first {@code n} distinct nodes clockwise from {@code key}; the first is the key's primary.
     *
     * @throws IllegalArgumentException if {@code n} is below 1 or above the number of nodes
     */
    public List<String> preferenceList(byte[] key, int n) {
        if (n < 1 || n > nodes.size()) {
            throw new IllegalArgumentException("a preference list holds between 1 and " + nodes.size()
                    + " nodes (the ring's size), got n=" + n);
        }
        return walk(HashTag.position(key), n);
    }

    /** Every node, in the order met walking clockwise from {@code key}: the preference list, then fallbacks. */
    public List<String> walk(byte[] key) {
        return walk(HashTag.position(key), nodes.size());
    }

    /**
     * Whether every key in {@code keys} has the same set of {@code n} replicas, so that a batch
     * over them can be applied as one on each replica (the test behind a CROSSSLOT-style refusal).
     * True for no keys or one key; keys with one hash tag always share.
     */
    public boolean shareReplicaSet(Collection<byte[]> keys, int n) {
        Set<String> first = null;
        for (byte[] key : keys) {
            Set<String> replicas = new HashSet<>(preferenceList(key, n));
            if (first == null) {
                first = replicas;
            } else if (!first.equals(replicas)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first token at or after {@code position} (unsigned order), wrapping to 0. */
    int firstTokenAtOrAfter(long position) {
        int lo = 0;
        int hi = positions.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(positions[mid], position) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == positions.length ? 0 : lo;
    }

    private List<String> walk(long position, int n) {
        LinkedHashSet<String> found = new LinkedHashSet<>();
        int start = firstTokenAtOrAfter(position);
        for (int i = 0; i < owners.length && found.size() < n; i++) {
            found.add(owners[(start + i) % owners.length]);
        }
        return Collections.unmodifiableList(new ArrayList<>(found));
    }

    @Override
    public String toString() {
        return "HashRing(nodes=" + nodes + ", tokensPerNode=" + tokensPerNode + ")";
    }

    private record Token(long position, String node) implements Comparable<Token> {
        @Override
        public int compareTo(Token o) {
            int c = Long.compareUnsigned(position, o.position);
            return c != 0 ? c : node.compareTo(o.node);
        }
    }
}
