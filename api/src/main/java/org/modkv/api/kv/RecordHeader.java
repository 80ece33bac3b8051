package org.modkv.api.kv;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.modkv.api.storage.StoredRecord;

/**
 * What the kernel keeps about a key beside its value: its version (the revision of the write that
 * stored it) and when it expires. Kept at the front of the record's metadata bytes, which both
 * storage engines already store, checksum and crash-test with the record; so the engines' file
 * formats do not change and a data directory written before versions existed opens as it is
 * (its records have no header: version {@link #LEGACY_VERSION}, no expiry). See
 * docs/design/kv-api.md.
 *
 * <pre>
 *   header := magic:u8 (0xB7)  format:u8 (1)  version:i64  expiresAtMillis:i64  pluginBytes...
 * </pre>
 *
 * @param version the revision that wrote the record; {@link #LEGACY_VERSION} for a record without
 *     a header
 * @param expiresAtMillis wall-clock milliseconds since the epoch at which the key expires;
 *     {@link #NO_EXPIRY} when it does not
 */
public record RecordHeader(long version, long expiresAtMillis) {
    /** The version of a record stored before versions existed. */
    public static final long LEGACY_VERSION = 0;
    /** {@link #expiresAtMillis} of a key that never expires. */
    public static final long NO_EXPIRY = 0;
    static final byte MAGIC = (byte) 0xB7;
    static final byte FORMAT = 1;
    /** Encoded size. */
    public static final int BYTES = 2 + 2 * Long.BYTES;

    public RecordHeader {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, not " + version);
        }
        if (expiresAtMillis < 0) {
            throw new IllegalArgumentException("expiry must be >= 0 (0 = none), not " + expiresAtMillis);
        }
    }

    /** The header of a record stored without one. */
    public static final RecordHeader LEGACY = new RecordHeader(LEGACY_VERSION, NO_EXPIRY);

    /** Whether the key has expired at {@code nowMillis}. */
    public boolean expiredAt(long nowMillis) {
        return expiresAtMillis != NO_EXPIRY && expiresAtMillis <= nowMillis;
    }

    /** This header in front of {@code pluginBytes}. */
    public byte[] encode(byte[] pluginBytes) {
        return ByteBuffer.allocate(BYTES + pluginBytes.length).put(MAGIC).put(FORMAT).putLong(version)
                .putLong(expiresAtMillis).put(pluginBytes).array();
    }

    /** The header at the front of {@code metadata}, or {@link #LEGACY} when it carries none. */
    public static RecordHeader of(byte[] metadata) {
        if (!present(metadata)) {
            return LEGACY;
        }
        ByteBuffer buffer = ByteBuffer.wrap(metadata, 2, BYTES - 2);
        return new RecordHeader(buffer.getLong(), buffer.getLong());
    }

    /** The header of a stored record. */
    public static RecordHeader of(StoredRecord record) {
        return of(record.metadata());
    }

    /** {@code metadata} without a header at its front (all of it when it has none). */
    public static byte[] pluginBytes(byte[] metadata) {
        return present(metadata) ? Arrays.copyOfRange(metadata, BYTES, metadata.length) : metadata;
    }

    private static boolean present(byte[] metadata) {
        return metadata.length >= BYTES && metadata[0] == MAGIC && metadata[1] == FORMAT;
    }
}
