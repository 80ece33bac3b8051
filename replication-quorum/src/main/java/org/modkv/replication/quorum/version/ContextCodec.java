package org.modkv.replication.quorum.version;

import java.util.TreeMap;

/**
 * The opaque context a sibling-aware read returns and a write hands back: a
 * {@link VersionVector} in a compact, versioned binary form.
 *
 * <pre>
 *   format version   1 byte, {@value #FORMAT_VERSION}
 *   entry count      varint, 0..{@value #MAX_ENTRIES}
 *   per entry, node ids strictly increasing (UTF-8 byte order of Java's String order):
 *     node id        varint length 1..{@value #MAX_NODE_ID_BYTES}, then UTF-8 bytes
 *     counter        varint, at least 1
 * </pre>
 *
 * A three-node context takes about 15 bytes. Decoding refuses anything else (another version,
 * truncation, a zero counter, repeated or unsorted ids, trailing bytes) with an
 * {@link IllegalArgumentException} that says what was wrong and at which byte; a client can
 * only have corrupted or forged it, and it must never reach a replica's state.
 */
public final class ContextCodec {
    public static final int FORMAT_VERSION = 1;
    /** More coordinating nodes than any ring this plugin runs; bounds what a forged context can cost. */
    public static final int MAX_ENTRIES = 1024;
    public static final int MAX_NODE_ID_BYTES = 255;

    private ContextCodec() {
    }

    public static byte[] encode(VersionVector context) {
        EncodingWriter out = new EncodingWriter().writeByte(FORMAT_VERSION);
        writeBody(out, context);
        return out.toByteArray();
    }

    public static VersionVector decode(byte[] bytes) {
        EncodingReader in = new EncodingReader("context", bytes);
        in.readVersion(FORMAT_VERSION);
        VersionVector context = readBody(in);
        in.expectEnd();
        return context;
    }

    static void writeBody(EncodingWriter out, VersionVector context) {
        out.writeVarint(context.counters().size());
        context.counters().forEach((node, counter) -> out.writeString(node).writeVarint(counter));
    }

    static VersionVector readBody(EncodingReader in) {
        int entries = (int) in.readCount("entry count", 0, MAX_ENTRIES);
        TreeMap<String, Long> counters = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < entries; i++) {
            int at = in.offset();
            String node = in.readString("node id", MAX_NODE_ID_BYTES);
            if (previous != null && previous.compareTo(node) >= 0) {
                throw new IllegalArgumentException("malformed context: node id \"" + node + "\" at byte " + at
                        + " is not after \"" + previous + "\" (ids are unique and sorted)");
            }
            long counter = in.readCount("counter of " + node, 1, Long.MAX_VALUE);
            counters.put(node, counter);
            previous = node;
        }
        return VersionVector.of(counters);
    }
}
