package org.modkv.replication.quorum.version;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Reads the varint-based encodings of {@link ContextCodec} and {@link DvvSetCodec}, naming what is wrong and where. */
final class EncodingReader {
    private final String what;
    private final byte[] bytes;
    private int offset;

    EncodingReader(String what, byte[] bytes) {
        this.what = what;
        this.bytes = bytes;
    }

    int offset() {
        return offset;
    }

    boolean atEnd() {
        return offset == bytes.length;
    }

    /** Reads the format version byte and refuses any other than {@code supported}. */
    void readVersion(int supported) {
        int version = readByte("format version");
        if (version != supported) {
            throw new IllegalArgumentException("malformed " + what + " (" + bytes.length + " bytes): format version "
                    + version + " is not supported, this node reads version " + supported);
        }
    }

    int readByte(String field) {
        if (offset >= bytes.length) {
            throw error("ends before its " + field);
        }
        return bytes[offset++] & 0xff;
    }

    /** An unsigned LEB128 varint of at most 10 bytes. */
    long readVarint(String field) {
        int start = offset;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (offset >= bytes.length) {
                offset = start;
                throw error("ends inside its " + field);
            }
            int b = bytes[offset++] & 0xff;
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        offset = start;
        throw error("has a " + field + " longer than 10 bytes");
    }

    long readCount(String field, long min, long max) {
        int at = offset;
        long v = readVarint(field);
        if (v < min || v > max) {
            offset = at;
            throw error("has " + field + " " + Long.toUnsignedString(v) + ", allowed " + min + ".." + max);
        }
        return v;
    }

    String readString(String field, int maxBytes) {
        int length = (int) readCount(field + " length", 1, maxBytes);
        byte[] raw = readBytes(field, length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            offset -= length;
            throw error("has a " + field + " that is not UTF-8");
        }
    }

    byte[] readBytes(String field, int length) {
        if (length > bytes.length - offset) {
            throw error("ends inside its " + field + " (" + length + " bytes announced, "
                    + (bytes.length - offset) + " left)");
        }
        byte[] out = new byte[length];
        System.arraycopy(bytes, offset, out, 0, length);
        offset += length;
        return out;
    }

    void expectEnd() {
        if (!atEnd()) {
            throw error("has " + (bytes.length - offset) + " unexpected bytes after its end");
        }
    }

    IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("malformed " + what + " (" + bytes.length + " bytes): " + problem
                + " at byte " + offset);
    }
}
