package org.modkv.replication.quorum.version;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the varint-based encodings of {@link ContextCodec} and {@link DvvSetCodec}. */
final class EncodingWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    EncodingWriter writeByte(int b) {
        out.write(b);
        return this;
    }

    EncodingWriter writeVarint(long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    EncodingWriter writeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    EncodingWriter writeBytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
