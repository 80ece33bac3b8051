package org.modkv.replication.quorum.version;

import java.util.ArrayList;
import java.util.List;

/**
 * A key's whole {@link DvvSet} in a compact, versioned binary form: what a replica stores as the
 * record's value and sends to another replica.
 *
 * <pre>
 *   format version   1 byte, {@value #FORMAT_VERSION}
 *   context          as in {@link ContextCodec}, without its version byte
 *   sibling count    varint, 0..{@value #MAX_SIBLINGS}
 *   per sibling, sorted by dot:
 *     node id        varint length + UTF-8 bytes
 *     counter        varint, at least 1, covered by the context
 *     timestamp      varint, milliseconds since the epoch
 *     kind           1 byte: 0 value, 1 tombstone
 *     value          (values only) varint length, then the bytes
 * </pre>
 *
 * Decoding refuses another version, truncation, an unknown kind, a sibling outside the context,
 * two siblings with one dot and trailing bytes, naming the problem and its byte offset.
 */
public final class DvvSetCodec {
    public static final int FORMAT_VERSION = 1;
    /** A key with more concurrent versions than this is refused rather than decoded. */
    public static final int MAX_SIBLINGS = 1 << 16;

    private DvvSetCodec() {
    }

    public static byte[] encode(DvvSet state) {
        EncodingWriter out = new EncodingWriter().writeByte(FORMAT_VERSION);
        ContextCodec.writeBody(out, state.context());
        out.writeVarint(state.siblings().size());
        for (Sibling s : state.siblings()) {
            out.writeString(s.dot().node()).writeVarint(s.dot().counter()).writeVarint(s.timestampMillis());
            if (s.isTombstone()) {
                out.writeByte(1);
            } else {
                out.writeByte(0).writeVarint(s.value().length).writeBytes(s.value());
            }
        }
        return out.toByteArray();
    }

    public static DvvSet decode(byte[] bytes) {
        EncodingReader in = new EncodingReader("replica state", bytes);
        in.readVersion(FORMAT_VERSION);
        VersionVector context = ContextCodec.readBody(in);
        int count = (int) in.readCount("sibling count", 0, MAX_SIBLINGS);
        List<Sibling> siblings = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            String node = in.readString("sibling node id", ContextCodec.MAX_NODE_ID_BYTES);
            Dot dot = new Dot(node, in.readCount("sibling counter", 1, Long.MAX_VALUE));
            long timestamp = in.readCount("sibling timestamp", 0, Long.MAX_VALUE);
            int kind = in.readByte("sibling kind");
            if (kind == 1) {
                siblings.add(Sibling.tombstone(dot, timestamp));
            } else if (kind == 0) {
                int length = (int) in.readCount("value length", 0, Integer.MAX_VALUE - 16);
                siblings.add(Sibling.value(dot, timestamp, in.readBytes("value", length)));
            } else {
                throw in.error("has sibling kind " + kind + ", allowed 0 (value) or 1 (tombstone)");
            }
        }
        in.expectEnd();
        try {
            return DvvSet.of(context, siblings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed replica state (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
    }
}
